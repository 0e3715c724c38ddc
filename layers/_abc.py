"""Builders for the ABC layers (one file per layer in this package uses them)."""

from __future__ import annotations

from layers.base import Layer, LegendEntry, PopupField, Text

SITE_COLOURS = {"A": ("#08519c", "#3182bd"), "B": ("#54278f", "#9e9ac8"),
                "C": ("#8c2d04", "#fd8d3c")}
AREA_COLOURS = {"A": "#006837", "B": "#31a354", "C": "#78c679", "D": "#c2e699"}
_SOURCE = Text("Beregnet av Næringskart fra holdeplasser, hovedvegkryss og senterstruktur "
               "(ÖV-Güteklassen, ARE 2022; demodata er fiktive)",
               "Computed by Næringskart from stops, main-road junctions and centres "
               "(ÖV-Güteklassen, ARE 2022; demo data is fictional)")


def abc_site_layer(abc_class: str, order: int) -> Layer:
    """Published sites of one ABC class."""
    stroke, fill = SITE_COLOURS[abc_class]
    title = Text(f"ABC: {abc_class}-tomter", f"ABC: {abc_class}-sites")
    return Layer(
        id=f"abc_sites_{abc_class.lower()}", table="site_abc", title=title, source=_SOURCE,
        properties=("site_key", "name", "abc_class", "transit_class", "transit_stop_name",
                    "transit_stop_distance_m", "road_junction_name", "road_distance_m",
                    "centre_name", "centre_distance_m", "fictional"),
        popup=(
            PopupField("abc_class", Text("ABC-klasse", "ABC class")),
            PopupField("transit_class", Text("Kollektivklasse", "Public-transport class")),
            PopupField("transit_stop_name", Text("Holdeplass", "Stop")),
            PopupField("transit_stop_distance_m", Text("Gangavstand (m)", "Walking distance (m)")),
            PopupField("road_junction_name", Text("Hovedvegkryss", "Main-road junction")),
            PopupField("road_distance_m", Text("Avstand til kryss (m)", "Distance to junction (m)")),
            PopupField("centre_name", Text("Nærmeste senter", "Nearest centre")),
        ),
        key_column="site_key", label_column="name",
        # The view holds published sites only; this picks one class.
        public_filter=f"abc_class = '{abc_class}'",
        style={"color": stroke, "weight": 3, "fillColor": fill, "fillOpacity": 0.5},
        legend=(LegendEntry(title, fill, stroke),), show=False, order=order)


METHOD_TEXTS = (
    ("network", Text("Gangavstand langs vegnettet", "Walking distance along the path network")),
    ("straight_line_detour", Text("Luftlinje × omvegsfaktor (holdeplass utenfor vegnettet)",
                                  "Straight line × detour factor (stop off the path network)")),
)


def transit_area_layer(quality_class: str, order: int) -> Layer:
    """The area where stops give one public-transport quality class: along the walking network
    around stops on it (solid outline), straight-line rings around the others (dashed)."""
    colour = AREA_COLOURS[quality_class]
    title = Text(f"Kollektivklasse {quality_class}", f"Public-transport class {quality_class}")
    methods = dict(METHOD_TEXTS)
    network, straight = methods["network"], methods["straight_line_detour"]
    return Layer(
        id=f"transit_quality_{quality_class.lower()}", table="transit_quality_area", title=title,
        source=_SOURCE, properties=("quality_class", "method"),
        popup=(PopupField("quality_class", Text("Kollektivklasse", "Public-transport class")),
               PopupField("method", Text("Målt som", "Measured as"), values=METHOD_TEXTS)),
        label_column="quality_class", public_filter=f"quality_class = '{quality_class}'",
        style={"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 0.35},
        style_rules={"rules": [{"if": {"method": "straight_line_detour"},
                                "style": {"dashArray": "6 4", "weight": 2}}]},
        legend=(LegendEntry(Text(f"{title.nb}: {network.nb.lower()}",
                                 f"{title.en}: {network.en.lower()}"), colour, colour),
                LegendEntry(Text(f"{title.nb}: {straight.nb.lower()}",
                                 f"{title.en}: {straight.en.lower()}"), colour, colour,
                            pattern="dashed")),
        show=False, order=order)
