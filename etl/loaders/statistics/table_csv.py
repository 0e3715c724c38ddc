"""The plain `;` CSV of statistics (results and ambitions, any region type), checked line by
line."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from etl.errors import LoadError
from etl.loaders.statistics.indicators import Statistic, map_indicator

KINDS = ("result", "ambition")
COMPARATORS = ("=", "~", "<", "<=", ">", ">=")
CSV_REGION_TYPES = ("kommune", "tettsted", "senter", "område", "fylke", "land")
_TRUE = {"true", "1", "ja", "yes", "sann"}
_FALSE = {"false", "0", "nei", "no", "usann"}


def read_statistics_csv(path: Path) -> tuple[list[Statistic], list[str]]:
    """The `;`-separated table of figures SSB does not publish (workplaces per tettsted, NHO rank)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path.name}: not UTF-8 (byte {exc.start}); save it as CSV UTF-8") from exc
    if not text.strip():
        raise LoadError(f"{path.name}: the file is empty")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""),
                            delimiter=";" if first.count(";") >= first.count(",") else ",")
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in ("indicator", "region", "year", "value") if c not in header]
    if missing:
        raise LoadError(f"{path.name}: line 1: required column(s) missing: {', '.join(missing)} "
                        f"(the file has: {', '.join(header)})")
    table = path.stem
    statistics: list[Statistic] = []
    no_year: list[int] = []
    unknown: set[str] = set()
    for line, row in _numbered(reader, path):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        statistic = _csv_statistic(path, line, row, table)
        if statistic is None:
            no_year.append(line)
            continue
        if map_indicator("csv", table, statistic.indicator) is None:
            unknown.add(statistic.indicator)
        statistics.append(statistic)
    warnings = []
    if no_year:
        warnings.append(f"{path.name}: line(s) {', '.join(map(str, no_year))} have no year and "
                        "were left out (a statistic needs its year)")
    if unknown:
        warnings.append(f"{path.name}: indicator(s) {', '.join(sorted(unknown))} are not in the "
                        "indicator mapping; kept under their own name")
    return statistics, warnings


def _numbered(reader: csv.DictReader[str], path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise LoadError(f"{path.name}: line {reader.line_num}: unreadable CSV ({exc})") from exc


def _csv_statistic(path: Path, line: int, row: dict[str, Any], table: str) -> Statistic | None:
    def cell(name: str) -> str:
        value = row.get(name)
        return value.strip() if isinstance(value, str) else ""

    def bad(column: str, reason: str) -> LoadError:
        return LoadError(f"{path.name}: line {line}, column {column}: {reason}")

    for column in ("indicator", "region"):
        if not cell(column):
            raise bad(column, "required value is empty")
    if not cell("year"):
        return None
    if not re.fullmatch(r"\d{4}", cell("year")):
        raise bad("year", f"{cell('year')!r} is not a year")
    value = _csv_number(cell("value"))
    if value is None and cell("value"):
        raise bad("value", f"{cell('value')!r} is not a number")
    kind = cell("kind").lower() or "result"
    if kind not in KINDS:
        raise bad("kind", f"{cell('kind')!r} is not one of {', '.join(KINDS)}")
    region_type = cell("region_type").lower() or "kommune"
    if region_type not in CSV_REGION_TYPES:
        raise bad("region_type", f"{cell('region_type')!r} is not one of "
                  f"{', '.join(CSV_REGION_TYPES)}")
    comparator = cell("comparator") or "="
    if comparator not in COMPARATORS:
        raise bad("comparator", f"{comparator!r} is not one of {' '.join(COMPARATORS)}")
    fictional_text = cell("fictional").lower()
    if fictional_text not in _TRUE | _FALSE | {""}:
        raise bad("fictional", f"{cell('fictional')!r} is not true or false")
    name = cell("region_name") or None
    # Kommune rows are keyed by kommunenummer; tettsteder, centres and areas by their name.
    region = cell("region") if region_type in ("kommune", "fylke", "land") else (name or cell("region"))
    indicator = map_indicator("csv", table, cell("indicator")) or cell("indicator")
    return Statistic(
        source=cell("source") or path.name, table_id=cell("table_id") or table,
        indicator=indicator, region=region, region_type=region_type, year=int(cell("year")),
        value=value, unit=cell("unit") or None, kind=kind,
        fictional=fictional_text in _TRUE, comparator=comparator, region_name=name,
        note=cell("note") or None, origin=f"line {line}")


def _csv_number(text: str) -> float | None:
    cleaned = re.sub(r"[\s\u00a0\u202f%]", "", text).replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
