"""The Layer type: everything the map, the API and the legend need to know about one layer."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from gis.text import Text

LIST_GROUPS = ("base", "plans", "sites", "analyses")
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# Where a layer's source text names the kommune that owns the data ("Asker kommune").
KOMMUNE_PLACEHOLDER = "{kommune}"


@dataclass(frozen=True)
class PopupField:
    """A column shown in the popup, with its label."""

    column: str
    label: Text
    # Texts shown instead of coded values (e.g. a method code), in both languages.
    values: tuple[tuple[str, Text], ...] = ()
    # A column written in one language (a name_en) is shown only on pages in that language.
    only_lang: str | None = None
    # Shown only when the value has a text in `values`: a code of another code list would
    # otherwise stand as a bare number.
    hide_unknown: bool = False


@dataclass(frozen=True)
class LegendEntry:
    """One row of the legend: a swatch and its meaning, told by text and pattern, not colour alone."""

    label: Text
    fill: str
    stroke: str | None = None
    # How the swatch differs beyond colour: "solid", "dashed" (outline), "hatched", "point", "line".
    pattern: Literal["solid", "dashed", "hatched", "point", "line"] = "solid"


@dataclass(frozen=True)
class TileSource:
    """Where one zoom band of a vector-tile layer comes from (a table with an EPSG:3857 column)."""

    table: str
    columns: tuple[str, ...]
    min_zoom: int
    max_zoom: int
    geom_column: str = "geom3857"
    key_column: str = "id"
    # A fixed condition written here in code (never from a request).
    where: str | None = None
    # Safety valve against pathological tiles; hit only by broken data.
    limit: int = 50_000

    def identifiers(self) -> list[str]:
        """Every SQL identifier this source names."""
        return [self.table, self.geom_column, self.key_column, *self.columns]


@dataclass(frozen=True)
class Layer:
    """A map layer backed by one PostGIS table."""

    id: str
    table: str
    title: Text
    source: Text
    # Columns exposed publicly; the API never returns any other column.
    properties: tuple[str, ...]
    popup: tuple[PopupField, ...] = ()
    delivery: Literal["geojson", "mvt"] = "geojson"
    style: dict[str, Any] = field(default_factory=dict)
    legend: tuple[LegendEntry, ...] = ()
    min_zoom: int = 0
    max_zoom: int = 22
    show: bool = True
    # A fixed condition written here in code (never from a request), e.g. only published rows.
    public_filter: str | None = None
    # Column that names a feature (for tooltips, lists and the map's URL state).
    label_column: str | None = None
    key_column: str = "id"
    # Drawing order (higher on top).
    order: int = 100
    # Where the layer is listed in the layer control: background first, then plans, sites and
    # analyses (each group by drawing order).
    group: Literal["base", "plans", "sites", "analyses"] = "base"
    # "background": drawn from our own data beneath everything when the online basemap is
    # unreachable; never listed in the layer control or the legend.
    role: Literal["overlay", "background"] = "overlay"
    # Vector tiles: the zoom bands and, for the tile URL's data version, the tables they derive from.
    tile_sources: tuple[TileSource, ...] = ()
    version_tables: tuple[str, ...] = ()
    # Style rules by property value: {"property": name, "values": {value: style}, "when": [...]}.
    style_rules: dict[str, Any] = field(default_factory=dict)

    def credit(self, kommune: str) -> Text:
        """The source with the kommune named: a layer's text writes `{kommune}` where the data
        owner goes, so another kommune's instance never credits Asker."""
        return Text(self.source.nb.replace(KOMMUNE_PLACEHOLDER, kommune),
                    self.source.en.replace(KOMMUNE_PLACEHOLDER, kommune))

    def tile_source(self, zoom: int) -> TileSource | None:
        """The tile source for this zoom, or None outside the layer's zoom range."""
        for source in self.tile_sources:
            if source.min_zoom <= zoom <= source.max_zoom:
                return source
        return None

    def __post_init__(self) -> None:
        names = [self.id, self.table, self.key_column, *self.properties, *self.version_tables]
        for source in self.tile_sources:
            names += source.identifiers()
        names += [p.column for p in self.popup]
        if self.label_column:
            names.append(self.label_column)
        for name in names:
            if not IDENTIFIER.match(name):
                raise ValueError(f"layer {self.id!r}: {name!r} is not a plain SQL identifier")
        missing = [p.column for p in self.popup if p.column not in self.properties]
        if missing:
            raise ValueError(f"layer {self.id!r}: popup columns not in properties: {missing}")
        if self.delivery == "mvt":
            self._check_tiles()

    def _check_tiles(self) -> None:
        if not self.tile_sources or not self.version_tables:
            raise ValueError(f"layer {self.id!r}: vector tiles need tile_sources and version_tables")
        bands = sorted((s.min_zoom, s.max_zoom) for s in self.tile_sources)
        if bands[0][0] != self.min_zoom or bands[-1][1] != self.max_zoom:
            raise ValueError(f"layer {self.id!r}: tile sources must cover zoom "
                             f"{self.min_zoom}..{self.max_zoom}")
        for (_, previous_max), (next_min, _) in itertools.pairwise(bands):
            if next_min != previous_max + 1:
                raise ValueError(f"layer {self.id!r}: tile sources leave a gap or overlap "
                                 f"after zoom {previous_max}")
        for source in self.tile_sources:
            missing = [c for c in source.columns if c not in self.properties]
            if missing:
                raise ValueError(f"layer {self.id!r}: tile columns not in properties: {missing}")
