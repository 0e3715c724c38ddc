"""Senterstruktur: the plan's centres by level (regionsenter, kommunedelsenter, lokalsenter)."""

from layers.base import Layer, LegendEntry, PopupField, Text

LEVELS = (
    ("regionsenter", "Regionsenter", "Regional centre", 11),
    ("kommunedelsenter", "Kommunedelsenter", "District centre", 9),
    ("lokalsenter", "Lokalsenter", "Local centre", 7),
    ("nærsenter", "Nærsenter", "Neighbourhood centre", 5),
)

LAYER = Layer(
    id="centres",
    table="centre",
    title=Text("Senterstruktur", "Centre structure"),
    source=Text("{kommune} kommune, kommuneplanens senterstruktur (omtrentlige posisjoner)",
                "{kommune} kommune, master plan centre structure (approximate positions)"),
    properties=("name", "level"),
    popup=(PopupField("name", Text("Senter", "Centre")),
           PopupField("level", Text("Nivå", "Level"),
                      values=tuple((key, Text(nb, en)) for key, nb, en, _r in LEVELS))),
    label_column="name",
    style={"color": "#7a1f1f", "weight": 2, "fillColor": "#c0392b", "fillOpacity": 0.85},
    style_rules={"rules": [{"if": {"level": key}, "style": {"radius": radius}}
                           for key, _nb, _en, radius in LEVELS]},
    legend=tuple(LegendEntry(Text(f"{nb} (sirkel, {radius} px)", f"{en} (circle, {radius} px)"),
                             "#c0392b", "#7a1f1f", pattern="point")
                 for _key, nb, en, radius in LEVELS),
    order=60,
)
