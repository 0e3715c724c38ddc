"""Stations and stops (rail larger and darker than bus), with departures per hour."""

from layers.base import Layer, LegendEntry, PopupField, Text

MODES = (
    ("rail", "Jernbanestasjon", "Railway station", "#1a5fb4", 8),
    ("bus", "Bussholdeplass", "Bus stop", "#26a269", 4),
)

LAYER = Layer(
    id="stops",
    table="transit_stop",
    title=Text("Stasjoner og holdeplasser", "Stations and stops"),
    source=Text("Rutedata (GTFS), Entur (demodata er fiktive)",
                "Timetables (GTFS), Entur (demo data is fictional)"),
    properties=("stop_id", "name", "mode", "departures_per_hour"),
    popup=(PopupField("name", Text("Navn", "Name")),
           PopupField("mode", Text("Type", "Mode"),
                      values=tuple((key, Text(nb, en)) for key, nb, en, _f, _r in MODES)),
           PopupField("departures_per_hour", Text("Avganger per time (06–20)",
                                                  "Departures per hour (06–20)"))),
    label_column="name",
    min_zoom=11,
    style={"color": "#ffffff", "weight": 1.5, "fillColor": "#5e5c64", "fillOpacity": 1, "radius": 4},
    style_rules={"rules": [{"if": {"mode": key}, "style": {"fillColor": fill, "radius": radius}}
                           for key, _nb, _en, fill, radius in MODES]},
    legend=tuple(LegendEntry(Text(f"{nb} ({'stor' if r > 5 else 'liten'} sirkel)",
                                  f"{en} ({'large' if r > 5 else 'small'} circle)"),
                             fill, "#ffffff", pattern="point")
                 for _key, nb, en, fill, r in MODES),
    order=70,
)
