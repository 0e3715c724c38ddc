"""Buildings: footprints by NS 3457 building group from zoom 14, counts per grid cell below."""

from layers.base import Layer, LegendEntry, PopupField, Text, TileSource

FOOTPRINT = ("bygningsnummer", "bygningstype", "bygningsgruppe")
GRID = ("n", "dominant_group")

# bygningsgruppe label (as stored by the loaders): label nb, label en, fill.
GROUPS: tuple[tuple[str, str, str, str], ...] = (
    ("bolig", "Bolig", "Housing", "#f2c94c"),
    ("industri/lager", "Industri og lager", "Industry and storage", "#8e6bbf"),
    ("kontor/forretning", "Kontor og forretning", "Offices and retail", "#d9534f"),
    ("samferdsel/kommunikasjon", "Samferdsel", "Transport", "#7f8c8d"),
    ("hotell/restaurant", "Hotell og restaurant", "Hotels and restaurants", "#e67e22"),
    ("kultur/forskning", "Kultur og forskning", "Culture and research", "#2e86c1"),
    ("helse", "Helse", "Health", "#16a085"),
    ("fengsel/beredskap", "Fengsel og beredskap", "Prisons and emergency", "#34495e"),
)
GROUP_TEXTS = tuple((key, Text(nb, en)) for key, nb, en, _fill in GROUPS)
# Grid cells: darker with more buildings (the count is also in the popup).
DENSITY = ((1, "#e8ddf3"), (10, "#b79ad8"), (50, "#7d55b0"), (200, "#4b2a7a"))

LAYER = Layer(
    id="buildings",
    table="building_footprint",
    title=Text("Bygninger", "Buildings"),
    source=Text("Bygningsflater (FKB-Bygning), Kartverket (demodata er fiktive)",
                "Building footprints (FKB-Bygning), Kartverket (demo data is fictional)"),
    properties=(*FOOTPRINT, *GRID),
    popup=(
        PopupField("bygningsgruppe", Text("Bygningsgruppe", "Building group"), values=GROUP_TEXTS),
        PopupField("bygningstype", Text("Bygningstype (NS 3457)", "Building type (NS 3457)")),
        PopupField("bygningsnummer", Text("Bygningsnummer", "Building number")),
        PopupField("n", Text("Bygninger i ruten", "Buildings in the cell")),
        PopupField("dominant_group", Text("Vanligste bygningsgruppe", "Most common group"),
                   values=GROUP_TEXTS),
    ),
    label_column="bygningsgruppe",
    delivery="mvt",
    min_zoom=10,
    max_zoom=22,
    show=False,
    tile_sources=(
        TileSource("tile_building_grid_z10", GRID, 10, 11),
        TileSource("tile_building_grid_z12", GRID, 12, 13),
        TileSource("building_footprint", FOOTPRINT, 14, 22),
    ),
    version_tables=("building_footprint",),
    style={"weight": 0.5, "color": "#333333", "fill": True, "fillOpacity": 0.8,
           "fillColor": "#bbbbbb"},
    style_rules={"rules": [
        *({"if": {"bygningsgruppe": key}, "style": {"fillColor": fill}}
          for key, _nb, _en, fill in GROUPS),
        *({"if": {"n": {"gte": low}}, "style": {"fillColor": fill, "weight": 0, "fillOpacity": 0.7}}
          for low, fill in DENSITY),
    ]},
    legend=(
        *(LegendEntry(Text(nb, en), fill, "#333333") for _key, nb, en, fill in GROUPS),
        LegendEntry(Text("Annen eller ukjent", "Other or unknown"), "#bbbbbb", "#333333"),
        LegendEntry(Text("Under zoom 14: antall bygninger per rute (mørkere = flere)",
                         "Below zoom 14: buildings per cell (darker = more)"),
                    "#7d55b0", None, pattern="hatched"),
    ),
    order=30,
)
