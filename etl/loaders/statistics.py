"""Statistics into `statistic`: SSB JSON-stat 2.0 (PxWebApi v2) files and a plain `;` CSV.

Indicator ids are a fixed contract other parts of the system compute from (see
etl/data/statistic_indicators.csv and the README): SSB ContentsCodes (by code, else by label) and
the CSV's indicator names map to them; anything unknown is kept under its own code, with a
warning. A load replaces the rows of the same table (SSB table id, or the CSV's file name).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg

from etl.errors import LoadError
from etl.job import LoadJob, Staged

KINDS = ("result", "ambition")
COMPARATORS = ("=", "~", "<", "<=", ">", ">=")
CSV_REGION_TYPES = ("kommune", "tettsted", "senter", "område", "fylke", "land")
_COLUMNS = ("source", "table_id", "indicator", "region", "region_type", "year", "value", "unit",
            "kind", "fictional", "comparator", "region_name", "note", "source_date")
_TRUE = {"true", "1", "ja", "yes", "sann"}
_FALSE = {"false", "0", "nei", "no", "usann"}


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


def load_statistics(job: LoadJob) -> Staged:
    """Custom loader for source `statistics`: .json is JSON-stat 2.0, .csv the plain table."""
    suffix = job.path.suffix.lower()
    if suffix == ".json":
        statistics, warnings = read_jsonstat(job.path)
    elif suffix == ".csv":
        statistics, warnings = read_statistics_csv(job.path)
    else:
        raise LoadError(f"{job.path.name}: statistics load from JSON-stat (.json) or CSV (.csv)")
    if not statistics:
        raise LoadError(f"{job.path.name}: the file holds no values")
    _check_unique(job.path, statistics)
    written = _publish(job.conn, job.run_id, statistics)
    return Staged(len(statistics), written, 0, tuple(warnings))


def _check_unique(path: Path, statistics: list[Statistic]) -> None:
    seen: dict[tuple[Any, ...], str] = {}
    for s in statistics:
        key = (s.table_id, s.indicator, s.region, s.year, s.kind)
        if key in seen:
            raise LoadError(f"{path.name}: {s.origin} repeats {s.indicator} for {s.region} "
                            f"{s.year} ({s.kind}) already given at {seen[key]}")
        seen[key] = s.origin


def _publish(conn: psycopg.Connection, run_id: int, statistics: list[Statistic]) -> int:
    """Replace the rows of the tables this file delivers (COPY into a stage, then one swap)."""
    conn.execute(
        "CREATE TEMP TABLE stage_statistic (LIKE statistic INCLUDING DEFAULTS) ON COMMIT DROP")
    with conn.cursor().copy(
            "COPY stage_statistic (source, table_id, indicator, region, region_type, year, value, "
            "unit, kind, fictional, comparator, region_name, note, source_date) FROM STDIN"
    ) as copy:
        for statistic in statistics:
            copy.write_row(statistic.row())
    conn.execute("DELETE FROM statistic WHERE table_id IN "
                 "(SELECT DISTINCT table_id FROM stage_statistic)")
    cursor = conn.execute(
        "INSERT INTO statistic (source, table_id, indicator, region, region_type, year, value, "
        "unit, kind, fictional, comparator, region_name, note, source_date, load_id) "
        "SELECT source, table_id, indicator, region, region_type, year, value, unit, kind, "
        "fictional, comparator, region_name, note, source_date, %s FROM stage_statistic",
        (run_id,))
    return cursor.rowcount


# -- JSON-stat 2.0 ---------------------------------------------------------------------
def read_jsonstat(path: Path) -> tuple[list[Statistic], list[str]]:
    """Validate a JSON-stat 2.0 dataset (sizes, ids, roles) and flatten it to statistics."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path.name}: not UTF-8 (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise LoadError(f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                        f"{exc.msg}); truncated?") from exc
    if not isinstance(data, dict) or data.get("class") != "dataset":
        raise LoadError(f"{path.name}: not a JSON-stat 2.0 dataset (class must be 'dataset')")
    if str(data.get("version", "")) != "2.0":
        raise LoadError(f"{path.name}: JSON-stat version {data.get('version')!r}; 2.0 is needed "
                        "(PxWebApi v2 with outputformat=json-stat2)")
    try:
        return _flatten(path, data)
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        # A shape the checks above did not foresee: still a clear message, never a traceback.
        raise LoadError(f"{path.name}: not a well-formed JSON-stat 2.0 dataset "
                        f"({type(exc).__name__}: {exc})") from exc


def _flatten(path: Path, data: dict[str, Any]) -> tuple[list[Statistic], list[str]]:
    """Check sizes, ids and roles, then one Statistic per (content, region, time)."""
    ids, sizes, categories = _dimensions(path, data)
    values = _values(path, data, math.prod(sizes))
    roles = _roles(path, data, ids)
    table = _table_id(path, data)
    extension = _mapping(data.get("extension"))
    fictional = bool(extension.get("fictional", False))
    source = str(data.get("source") or "SSB")
    updated = _updated(data.get("updated"))
    metric, time, geo = roles["metric"], roles["time"], roles["geo"]
    extra = [d for d in ids if d not in (metric, time, geo) and len(categories[d]) > 1]
    warnings: list[str] = []
    if extra:
        warnings.append(f"{path.name}: values summed over {', '.join(extra)} "
                        "(select a total in the query to avoid this)")
    metric_dim = _mapping(data["dimension"][metric]["category"])
    labels = _mapping(metric_dim.get("label"))
    units = _mapping(metric_dim.get("unit"))
    geo_labels = _mapping(_mapping(data["dimension"][geo]["category"]).get("label"))
    sums: dict[tuple[str, str, str], list[float | None]] = {}
    strides = [math.prod(sizes[i + 1:]) for i in range(len(ids))]
    for position, value in enumerate(values):
        coords = {d: categories[d][(position // strides[i]) % sizes[i]] for i, d in enumerate(ids)}
        key = (coords[metric], coords[geo], coords[time])
        sums.setdefault(key, []).append(value)
    unknown: set[str] = set()
    statistics = []
    for (code, region_code, time_code), parts in sums.items():
        indicator = map_indicator("ssb", table, code, str(labels.get(code, "")))
        if indicator is None:
            indicator = code
            unknown.add(code)
        year = _year(path, time_code)
        region = re.sub(r"^K-", "", region_code)
        unit_info = _mapping(units.get(code))
        statistics.append(Statistic(
            source=source, table_id=table, indicator=indicator, region=region,
            region_type=_region_type(region), year=year,
            value=None if any(p is None for p in parts) else sum(p for p in parts if p is not None),
            unit=unit_info.get("base"),
            fictional=fictional, region_name=geo_labels.get(region_code), source_date=updated,
            origin=f"{metric}={code}, {geo}={region_code}, {time}={time_code}"))
    if unknown:
        warnings.append(f"{path.name}: ContentsCode(s) {', '.join(sorted(unknown))} are not in the "
                        "indicator mapping; kept under their own code")
    return statistics, warnings


def _updated(value: Any) -> dt.date | None:
    """JSON-stat's `updated` (ISO 8601, e.g. 2024-05-14T06:00:00Z) as a date; None if absent
    or unreadable (the date is information, not a reason to refuse the file)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dimensions(path: Path, data: dict[str, Any]) -> tuple[list[str], list[int], dict[str, list[str]]]:
    ids, sizes, dimensions = data.get("id"), data.get("size"), data.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not isinstance(dimensions, dict):
        raise LoadError(f"{path.name}: a JSON-stat dataset needs 'id', 'size' and 'dimension'")
    if len(ids) != len(sizes):
        raise LoadError(f"{path.name}: 'id' names {len(ids)} dimensions but 'size' gives "
                        f"{len(sizes)}")
    categories: dict[str, list[str]] = {}
    for dim, size in zip(ids, sizes, strict=True):
        if dim not in dimensions:
            raise LoadError(f"{path.name}: dimension {dim!r} is listed in 'id' but not described "
                            "in 'dimension'")
        if not isinstance(size, int) or size < 1:
            raise LoadError(f"{path.name}: dimension {dim!r} has size {size!r}")
        category = _mapping(_mapping(dimensions[dim]).get("category"))
        index = category.get("index")
        if isinstance(index, dict):
            ordered = sorted(index.items(), key=lambda item: item[1])
            codes = [code for code, _ in ordered]
            if [i for _, i in ordered] != list(range(len(codes))):
                raise LoadError(f"{path.name}: dimension {dim!r}: category index is not 0..n-1")
        elif isinstance(index, list):
            codes = [str(c) for c in index]
        elif index is None and isinstance(category.get("label"), dict) and \
                len(category["label"]) == 1:
            codes = list(category["label"])  # the spec allows a lone category without index
        else:
            raise LoadError(f"{path.name}: dimension {dim!r} has no category index")
        if len(codes) != size:
            raise LoadError(f"{path.name}: dimension {dim!r} has {len(codes)} categories but "
                            f"'size' says {size}")
        categories[dim] = codes
    return list(ids), list(sizes), categories


def _values(path: Path, data: dict[str, Any], expected: int) -> list[float | None]:
    raw = data.get("value")
    if isinstance(raw, dict):  # sparse form: {"position": value}
        values: list[Any] = [None] * expected
        for key, value in raw.items():
            if not str(key).isdigit() or int(key) >= expected:
                raise LoadError(f"{path.name}: value position {key!r} is outside the "
                                f"{expected} cells the sizes give")
            values[int(key)] = value
    elif isinstance(raw, list):
        if len(raw) != expected:
            raise LoadError(f"{path.name}: 'size' gives {expected} cells "
                            f"({' × '.join(str(s) for s in data['size'])}) but 'value' holds "
                            f"{len(raw)} values; the file is inconsistent or truncated")
        values = raw
    else:
        raise LoadError(f"{path.name}: 'value' is missing")
    out: list[float | None] = []
    for position, value in enumerate(values):
        if value is None:
            out.append(None)  # missing stays missing (SSB marks it in 'status')
        elif isinstance(value, bool) or not isinstance(value, int | float) or \
                not math.isfinite(value):
            raise LoadError(f"{path.name}: value {position} is {value!r}, not a number or null")
        else:
            out.append(float(value))
    return out


def _roles(path: Path, data: dict[str, Any], ids: list[str]) -> dict[str, str]:
    role = _mapping(data.get("role"))
    defaults = {"time": ("Tid", "tid", "år"), "metric": ("ContentsCode",),
                "geo": ("Region", "region")}
    chosen: dict[str, str] = {}
    for name, fallbacks in defaults.items():
        listed = [d for d in (role.get(name) or []) if d in ids]
        found = listed[0] if listed else next((d for d in fallbacks if d in ids), None)
        if found is None:
            raise LoadError(f"{path.name}: no {name} dimension (role.{name} or one of "
                            f"{', '.join(fallbacks)}); dimensions: {', '.join(ids)}")
        chosen[name] = found
    return chosen


def _table_id(path: Path, data: dict[str, Any]) -> str:
    extension = _mapping(data.get("extension"))
    px = _mapping(extension.get("px"))
    if px.get("tableid"):
        return str(px["tableid"])
    match = re.match(r"\s*(\d{5})\b", str(data.get("label", ""))) or re.search(r"(\d{5})",
                                                                              path.stem)
    if not match:
        raise LoadError(f"{path.name}: cannot tell which SSB table this is (no "
                        "extension.px.tableid, no table number in the label or file name)")
    return match.group(1)


def _year(path: Path, code: str) -> int:
    match = re.match(r"(\d{4})", code)
    if not match:
        raise LoadError(f"{path.name}: time category {code!r} does not start with a year")
    return int(match.group(1))


def _region_type(code: str) -> str:
    if re.fullmatch(r"\d{4}", code):
        return "kommune"
    if re.fullmatch(r"\d{2}", code):
        return "fylke"
    return "land" if code in ("0", "0000") else "region"


# -- the plain CSV -------------------------------------------------------------------------
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


def known_indicators() -> Iterable[str]:
    """Every contract id the mapping table can produce."""
    return sorted({rule.indicator for rule in indicator_rules()})
