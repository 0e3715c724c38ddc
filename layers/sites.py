"""Available business sites (næringsarealer), published ones only, coloured by status."""

from layers.base import Layer, LegendEntry, PopupField, Text

# status: label nb, label en, fill, outline; the status is also in the popup and the legend.
STATUSES: tuple[tuple[str, str, str, str, str], ...] = (
    ("ledig", "Ledig", "Available", "#ff9933", "#b35900"),
    ("reservert", "Reservert", "Reserved", "#c994c7", "#7a0177"),
    ("under_utbygging", "Under utbygging", "Under development", "#9ecae1", "#08519c"),
    ("utbygd", "Utbygd", "Developed", "#bdbdbd", "#525252"),
    ("trukket_tilbake", "Trukket tilbake", "Withdrawn", "#f0f0f0", "#737373"),
)
READINESS = (
    ("ledig_naa", Text("Ledig nå", "Available now")),
    ("regulert", Text("Regulert", "Zoned")),
    ("kommuneplan", Text("I kommuneplan – ikke regulert", "In the master plan – not zoned")),
)
OWNERSHIP = (("kommunal", Text("Kommunal", "Municipal")), ("privat", Text("Privat", "Private")))

LAYER = Layer(
    id="sites",
    table="site_map",
    title=Text("Ledige næringsarealer", "Available business sites"),
    source=Text(
        "{kommune} kommune, næringsarealregister (demodata er fiktive)",
        "{kommune} kommune, business land register (demo data is fictional)",
    ),
    properties=(
        "site_key",
        "name",
        "area_m2",
        "status",
        "readiness",
        "planned_use",
        "zoning_code",
        "ownership",
        "tettsted",
        "abc_class",
        "nearest_rail_name",
        "nearest_rail_distance_m",
        "fictional",
    ),
    popup=(
        PopupField("name", Text("Navn", "Name")),
        PopupField(
            "status",
            Text("Status", "Status"),
            values=tuple((key, Text(nb, en)) for key, nb, en, _f, _s in STATUSES),
        ),
        PopupField("area_m2", Text("Areal (m²)", "Area (m²)")),
        PopupField("readiness", Text("Byggeklar", "Readiness"), values=READINESS),
        PopupField("planned_use", Text("Planlagt bruk", "Planned use")),
        PopupField("ownership", Text("Eierskap", "Ownership"), values=OWNERSHIP),
        PopupField("tettsted", Text("Tettsted", "Settlement")),
        PopupField("abc_class", Text("ABC-klasse", "ABC class")),
        PopupField("nearest_rail_name", Text("Nærmeste stasjon", "Nearest station")),
        PopupField(
            "nearest_rail_distance_m", Text("Avstand til stasjonen (m)", "Distance to the station (m)")
        ),
    ),
    key_column="site_key",
    label_column="name",
    public_filter="published",
    style={"color": "#b35900", "weight": 2, "fillColor": "#ff9933", "fillOpacity": 0.45},
    style_rules={
        "rules": [
            {"if": {"status": key}, "style": {"fillColor": fill, "color": stroke}}
            for key, _nb, _en, fill, stroke in STATUSES
        ]
    },
    legend=tuple(LegendEntry(Text(nb, en), fill, stroke) for _k, nb, en, fill, stroke in STATUSES),
    order=50,
    group="sites",
)
