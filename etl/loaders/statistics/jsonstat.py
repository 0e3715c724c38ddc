"""SSB JSON-stat 2.0 (PxWebApi v2) datasets, validated (sizes, ids, roles) and flattened to
statistics."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

from etl.errors import LoadError
from etl.loaders.statistics.indicators import Statistic, map_indicator


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
