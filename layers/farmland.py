"""AR5 farmland (fulldyrka, overflatedyrka, innmarksbeite) for jordvern, as vector tiles."""

from layers.base import Layer, LegendEntry, PopupField, Text, TileSource

COLUMNS = ("arealtype", "arealtype_name")
FARMLAND = "arealtype IN (21, 22, 23)"

# arealtype: label nb, label en, fill, outline dash (so the types differ beyond colour).
TYPES: tuple[tuple[int, str, str, str, str | None], ...] = (
    (21, "Fulldyrka jord", "Fully cultivated land", "#ffd16e", None),
    (22, "Overflatedyrka jord", "Surface-cultivated land", "#ffff4c", "6 4"),
    (23, "Innmarksbeite", "Infield pasture", "#ffffad", "2 3"),
)

LAYER = Layer(
    id="farmland",
    table="land_cover",
    title=Text("Jordbruksareal (AR5)", "Farmland (AR5)"),
    source=Text("AR5 arealressurskart, NIBIO (demodata er fiktive)",
                "AR5 land resource map, NIBIO (demo data is fictional)"),
    properties=COLUMNS,
    popup=(PopupField("arealtype_name", Text("Arealtype", "Land type"),
                      values=tuple((nb, Text(nb, en)) for _code, nb, en, _fill, _dash in TYPES)),
           PopupField("arealtype", Text("AR5-kode", "AR5 code"))),
    label_column="arealtype_name",
    delivery="mvt",
    min_zoom=10,
    max_zoom=22,
    show=False,
    tile_sources=(
        TileSource("tile_farmland_z10", COLUMNS, 10, 12),
        TileSource("land_cover", COLUMNS, 13, 22, where=FARMLAND),
    ),
    version_tables=("land_cover",),
    style={"weight": 1, "color": "#6b5200", "fill": True, "fillOpacity": 0.6,
           "fillColor": "#ffd16e"},
    style_rules={"rules": [
        {"if": {"arealtype": code}, "style": {"fillColor": fill, **({"dashArray": dash} if dash else {})}}
        for code, _nb, _en, fill, dash in TYPES
    ]},
    legend=tuple(LegendEntry(Text(nb, en), fill, "#6b5200", pattern="dashed" if dash else "solid")
                 for _code, nb, en, fill, dash in TYPES),
    order=15,
)
