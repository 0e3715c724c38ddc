"""A statistic value, and the indicator ids (the contract in etl/data/statistic_indicators.csv)
that SSB ContentsCodes and the CSV's indicator names map to."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_COLUMNS = ("source", "table_id", "indicator", "region", "region_type", "year", "value", "unit",
            "kind", "fictional", "comparator", "region_name", "note", "source_date")


@dataclass(frozen=True)
class Statistic:
    """One value with everything needed to read it."""

    source: str
    table_id: str
    indicator: str
    region: str
    region_type: str
    year: int
    value: float | None
    unit: str | None
    kind: str = "result"
    fictional: bool = False
    comparator: str = "="
    region_name: str | None = None
    note: str | None = None
    # The data's own date (JSON-stat `updated`): what "last updated" means, not the load date.
    source_date: dt.date | None = None
    origin: str = ""  # where it came from in the file, for messages

    def row(self) -> tuple[Any, ...]:
        """The values in _COLUMNS order."""
        return tuple(getattr(self, c) for c in _COLUMNS)


@dataclass(frozen=True)
class IndicatorRule:
    """One line of the mapping table."""

    match: str
    table: str
    pattern: str
    indicator: str


@cache
def indicator_rules() -> tuple[IndicatorRule, ...]:
    """The mapping table etl/data/statistic_indicators.csv, in order (first match wins)."""
    text = resources.files("etl").joinpath("data/statistic_indicators.csv").read_text("utf-8")
    return tuple(IndicatorRule(r["match"], r["table"], r["pattern"], r["indicator"])
                 for r in csv.DictReader(io.StringIO(text), delimiter=";"))


def map_indicator(match: str, table: str, code: str, label: str = "") -> str | None:
    """The contract id for a ContentsCode (by code, then label) or a CSV indicator; None if unknown."""
    for kind, subject in (("code", code), ("label", label)) if match == "ssb" else (("csv", code),):
        for rule in indicator_rules():
            if rule.match != kind or rule.table not in ("*", table):
                continue
            if kind == "label":
                if subject and re.search(rule.pattern, subject, re.IGNORECASE):
                    return rule.indicator
            elif subject.lower() == rule.pattern.lower():
                return rule.indicator
    return None


def known_indicators() -> Iterable[str]:
    """Every contract id the mapping table can produce."""
    return sorted({rule.indicator for rule in indicator_rules()})
