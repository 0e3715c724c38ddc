"""The kommune boundary."""

from layers.base import Layer, LegendEntry, Text

LAYER = Layer(
    id="kommune",
    table="kommune",
    title=Text("Kommunegrense", "Municipal boundary"),
    source=Text("Kommunegrense © Kartverket (CC BY 4.0), forenklet",
                "Municipal boundary © Kartverket (CC BY 4.0), simplified"),
    properties=("name", "kommunenummer"),
    key_column="kommunenummer",
    label_column="name",
    style={"color": "#5a2d82", "weight": 2.5, "fill": False, "dashArray": "6 4"},
    legend=(LegendEntry(Text("Kommunegrense", "Municipal boundary"), "none", "#5a2d82"),),
    order=10,
)
