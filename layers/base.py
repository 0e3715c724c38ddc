"""The Layer type: everything the map, the API and the legend need to know about one layer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Text:
    """A text in bokmål and English."""

    nb: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.nb


@dataclass(frozen=True)
class PopupField:
    """A column shown in the popup, with its label."""

    column: str
    label: Text


@dataclass(frozen=True)
class LegendEntry:
    """One row of the legend: a colour swatch and its meaning."""

    label: Text
    fill: str
    stroke: str | None = None


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
    order: int = 100

    def __post_init__(self) -> None:
        names = [self.id, self.table, self.key_column, *self.properties]
        names += [p.column for p in self.popup]
        if self.label_column:
            names.append(self.label_column)
        for name in names:
            if not IDENTIFIER.match(name):
                raise ValueError(f"layer {self.id!r}: {name!r} is not a plain SQL identifier")
        missing = [p.column for p in self.popup if p.column not in self.properties]
        if missing:
            raise ValueError(f"layer {self.id!r}: popup columns not in properties: {missing}")
