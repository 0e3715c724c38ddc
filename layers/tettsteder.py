"""Tettsteder (SSB urban settlements) with population and their latest workplace count."""

from layers.base import Layer, LegendEntry, PopupField, Text

LAYER = Layer(
    id="tettsteder",
    table="tettsted_map",
    title=Text("Tettsteder og arbeidsplasser", "Settlements and workplaces"),
    source=Text("Tettsteder og arbeidsplasser, SSB (demodata er fiktive)",
                "Urban settlements and workplaces, Statistics Norway (demo data is fictional)"),
    properties=("tettstednummer", "name", "population", "workplaces", "workplaces_year",
                "workplaces_fictional"),
    popup=(PopupField("name", Text("Tettsted", "Settlement")),
           PopupField("population", Text("Befolkning", "Population")),
           PopupField("workplaces", Text("Arbeidsplasser", "Workplaces")),
           PopupField("workplaces_year", Text("År", "Year")),
           PopupField("workplaces_fictional", Text("Fiktive tall", "Fictional figures"))),
    label_column="name",
    show=False,
    style={"color": "#5e3c99", "weight": 1.5, "dashArray": "2 4", "fillColor": "#b2abd2",
           "fillOpacity": 0.15},
    legend=(LegendEntry(Text("Tettsted (prikket kant)", "Settlement (dotted outline)"),
                        "#b2abd2", "#5e3c99", pattern="dashed"),),
    order=25,
)
