"""Builders for the ABC layers: one layer of sites by ABC class, one of transit-quality areas."""

from __future__ import annotations

from layers.base import Layer, LegendEntry, PopupField, Text

SITE_COLOURS = {"A": ("#08519c", "#3182bd"), "B": ("#54278f", "#9e9ac8"), "C": ("#8c2d04", "#fd8d3c")}
AREA_COLOURS = {"A": "#006837", "B": "#31a354", "C": "#78c679", "D": "#c2e699"}
_SOURCE = Text(
    "Beregnet av Næringskart fra holdeplasser, hovedvegkryss og senterstruktur "
    "(ÖV-Güteklassen, ARE 2022; demodata er fiktive)",
    "Computed by Næringskart from stops, main-road junctions and centres "
    "(ÖV-Güteklassen, ARE 2022; demo data is fictional)",
)


def abc_site_layer(order: int) -> Layer:
    """Published sites coloured by ABC class (the class is also in the popup and legend)."""
    return Layer(
        id="abc_sites",
        table="site_abc",
        title=Text("Tomter etter ABC-klasse", "Sites by ABC class"),
        source=_SOURCE,
        properties=(
            "site_key",
            "name",
            "abc_class",
            "transit_class",
            "transit_stop_name",
            "transit_stop_distance_m",
            "road_junction_name",
            "road_distance_m",
            "centre_name",
            "centre_distance_m",
            "fictional",
        ),
        popup=(
            PopupField("name", Text("Navn", "Name")),
            PopupField("abc_class", Text("ABC-klasse", "ABC class")),
            PopupField("transit_class", Text("Kollektivklasse", "Public-transport class")),
            PopupField("transit_stop_name", Text("Holdeplass", "Stop")),
            PopupField("transit_stop_distance_m", Text("Gangavstand (m)", "Walking distance (m)")),
            PopupField("road_junction_name", Text("Hovedvegkryss", "Main-road junction")),
            PopupField("road_distance_m", Text("Avstand til kryss (m)", "Distance to junction (m)")),
            PopupField("centre_name", Text("Nærmeste senter", "Nearest centre")),
        ),
        key_column="site_key",
        label_column="name",
        # The view holds published sites only; this keeps the classified ones.
        public_filter="abc_class IN ('A', 'B', 'C')",
        style={"weight": 3, "fillOpacity": 0.5},
        style_rules={
            "rules": [
                {"if": {"abc_class": key}, "style": {"color": stroke, "fillColor": fill}}
                for key, (stroke, fill) in SITE_COLOURS.items()
            ]
        },
        legend=tuple(
            LegendEntry(Text(f"{key}-tomt", f"{key} site"), fill, stroke)
            for key, (stroke, fill) in SITE_COLOURS.items()
        ),
        show=False,
        order=order,
        group="sites",
    )


METHOD_TEXTS = (
    ("network", Text("Gangavstand langs vegnettet", "Walking distance along the path network")),
    (
        "straight_line_detour",
        Text(
            "Luftlinje × omvegsfaktor (holdeplass utenfor vegnettet)",
            "Straight line × detour factor (stop off the path network)",
        ),
    ),
)


def transit_area_layer(order: int) -> Layer:
    """Where stops give each public-transport quality class A–D: along the walking network
    around stops on it (solid outline), straight-line rings around the others (dashed)."""
    methods = dict(METHOD_TEXTS)
    network, straight = methods["network"], methods["straight_line_detour"]
    return Layer(
        id="transit_quality",
        table="transit_quality_area",
        title=Text("Kollektivklasser A–D", "Public-transport classes A–D"),
        source=_SOURCE,
        properties=("quality_class", "method"),
        popup=(
            PopupField("quality_class", Text("Kollektivklasse", "Public-transport class")),
            PopupField("method", Text("Målt som", "Measured as"), values=METHOD_TEXTS),
        ),
        label_column="quality_class",
        style={"color": AREA_COLOURS["D"], "weight": 1, "fillColor": AREA_COLOURS["D"], "fillOpacity": 0.35},
        style_rules={
            "rules": [
                *(
                    {"if": {"quality_class": key}, "style": {"color": colour, "fillColor": colour}}
                    for key, colour in AREA_COLOURS.items()
                ),
                {"if": {"method": "straight_line_detour"}, "style": {"dashArray": "6 4", "weight": 2}},
            ]
        },
        legend=(
            *(
                LegendEntry(Text(f"Kollektivklasse {key}", f"Public-transport class {key}"), colour, colour)
                for key, colour in AREA_COLOURS.items()
            ),
            LegendEntry(Text(network.nb, network.en), "none", "#333333"),
            LegendEntry(Text(straight.nb, straight.en), "none", "#333333", pattern="dashed"),
        ),
        show=False,
        order=order,
        group="analyses",
    )
