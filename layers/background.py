"""The local background: a plain map drawn from our own data (kommune, land cover and water,
roads and paths, buildings) for when the online basemap cannot be reached.

These layers are not listed in the layer control or legend; static/js/local-background.js
draws them beneath everything else once basemap tiles fail.
"""

from __future__ import annotations

from layers.base import Layer, LegendEntry, Text

_OWN_DATA = Text(
    "Næringskarts egne data (enkelt bakgrunnskart)", "Næringskart's own data (simple background map)"
)

# AR5 arealtype: fill. Water blue, forest green, farmland pale yellow, built-up light grey.
LAND_FILLS = (
    (11, "#e4e0dc"),
    (12, "#d6d3d0"),
    (21, "#f4efc3"),
    (22, "#f4efc3"),
    (23, "#eef2c9"),
    (30, "#cfe3c1"),
    (50, "#e6ead8"),
    (60, "#d9e6de"),
    (70, "#ffffff"),
    (81, "#b7d3ea"),
    (82, "#b7d3ea"),
)

KOMMUNE = Layer(
    id="background_kommune",
    table="kommune",
    title=Text("Bakgrunn: kommunen", "Background: the kommune"),
    source=_OWN_DATA,
    properties=("name",),
    key_column="kommunenummer",
    style={"stroke": False, "fill": True, "fillColor": "#f7f4ee", "fillOpacity": 1},
    legend=(LegendEntry(Text("Land i kommunen", "Land in the kommune"), "#f7f4ee"),),
    role="background",
    order=1,
)

LAND = Layer(
    id="background_land",
    table="land_cover",
    title=Text("Bakgrunn: arealtyper og vann", "Background: land cover and water"),
    source=_OWN_DATA,
    properties=("arealtype",),
    min_zoom=11,
    style={"stroke": False, "fill": True, "fillColor": "#e6ead8", "fillOpacity": 1},
    style_rules={
        "rules": [{"if": {"arealtype": code}, "style": {"fillColor": fill}} for code, fill in LAND_FILLS]
    },
    legend=(LegendEntry(Text("Vann", "Water"), "#b7d3ea"), LegendEntry(Text("Skog", "Forest"), "#cfe3c1")),
    role="background",
    order=2,
)

PATHS = Layer(
    id="background_paths",
    table="walk_path",
    title=Text("Bakgrunn: veger og stier", "Background: streets and paths"),
    source=_OWN_DATA,
    properties=("kind",),
    min_zoom=13,
    style={"color": "#ffffff", "weight": 2.5, "opacity": 1},
    legend=(LegendEntry(Text("Veg eller sti", "Street or path"), "#ffffff", "#bbbbbb", pattern="line"),),
    role="background",
    order=3,
)

ROADS = Layer(
    id="background_roads",
    table="main_road",
    title=Text("Bakgrunn: hovedveger", "Background: main roads"),
    source=_OWN_DATA,
    properties=("vegnummer",),
    style={"color": "#f2b25c", "weight": 4, "opacity": 1},
    legend=(LegendEntry(Text("Hovedveg", "Main road"), "#f2b25c", "#f2b25c", pattern="line"),),
    role="background",
    order=4,
)

BUILDINGS = Layer(
    id="background_buildings",
    table="building_footprint",
    title=Text("Bakgrunn: bygninger", "Background: buildings"),
    source=_OWN_DATA,
    properties=("bygningsgruppe",),
    min_zoom=15,
    style={"color": "#b9b2aa", "weight": 0.5, "fill": True, "fillColor": "#d9d0c7", "fillOpacity": 1},
    legend=(LegendEntry(Text("Bygning", "Building"), "#d9d0c7", "#b9b2aa"),),
    role="background",
    order=5,
)

LAYERS = (KOMMUNE, LAND, PATHS, ROADS, BUILDINGS)
