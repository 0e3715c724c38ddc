"""A small SOSI reader, used only to validate what we wrote."""

from __future__ import annotations

import re
from typing import Any

import shapely
from shapely.geometry import Point, Polygon

from etl.demo.generator.common import Coord


def parse_sosi(raw: bytes) -> dict[str, Any]:
    head = raw[:2000].decode("ascii", errors="replace")
    m = re.search(r"\.\.TEGNSETT\s+(\S+)", head)
    if m is None:
        raise AssertionError("no ..TEGNSETT in .HODE")
    charset = {"UTF-8": "utf-8", "ISO8859-10": "iso8859_10", "ISO8859-1": "latin-1"}[m.group(1)]
    text = raw.decode(charset)
    objs: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    in_coords = False
    last_key = ""
    for line in text.splitlines():
        line = line.split("!", 1)[0].rstrip() if not line.startswith("..") else line.rstrip()
        if not line:
            continue
        if line.startswith(".") and not line.startswith(".."):
            kind = line.split()[0][1:]
            cur = {"kind": kind, "attrs": {}, "coords": [], "ref": ""}
            if kind in ("KURVE", "FLATE"):
                cur["id"] = int(line.split()[1].rstrip(":"))
            objs.append(cur)
            in_coords = False
            continue
        assert cur is not None
        if line.startswith(".."):
            key, _, val = line.lstrip(".").partition(" ")
            in_coords = key in ("NØ", "NØH")
            depth = len(line) - len(line.lstrip("."))
            if key == "REF":
                cur["ref"] += " " + val
                last_key = "REF"
            elif depth == 2:
                cur["attrs"][key] = val.strip().strip('"')
                last_key = key
            else:
                cur["attrs"][f"{last_key}.{key}"] = val.strip().strip('"')
            continue
        if in_coords:
            n, e = line.split()[:2]
            cur["coords"].append((int(e), int(n)))
        elif last_key == "REF":
            cur["ref"] += " " + line
    return {"charset": charset, "objects": objs}


def sosi_polygons(doc: dict[str, Any]) -> list[tuple[dict[str, str], Polygon]]:
    """Rebuild every FLATE from its curve references; fail if a ring does not close
    exactly (integer coordinates, end of one curve == start of the next)."""
    curves = {o["id"]: o["coords"] for o in doc["objects"] if o["kind"] == "KURVE"}
    out = []
    for o in doc["objects"]:
        if o["kind"] != "FLATE":
            continue
        rings: list[list[Coord]] = []
        for group in re.findall(r"\(([^)]*)\)|((?::?-?\d+\s*)+)", o["ref"]):
            tokens = re.findall(r"-?\d+", group[0] or group[1])
            ring: list[Coord] = []
            for t in tokens:
                c = curves[abs(int(t))]
                c = c if int(t) > 0 else c[::-1]
                if ring and ring[-1] != c[0]:
                    raise AssertionError(f"FLATE {o['id']}: ref {t} does not join")
                ring += c if not ring else c[1:]
            if ring[0] != ring[-1]:
                raise AssertionError(f"FLATE {o['id']}: ring does not close")
            rings.append(ring)
        poly = Polygon(
            [(x / 100, y / 100) for x, y in rings[0]], [[(x / 100, y / 100) for x, y in r] for r in rings[1:]]
        )
        if not poly.is_valid:
            raise AssertionError(f"FLATE {o['id']}: invalid polygon {shapely.is_valid_reason(poly)}")
        pn = o["coords"][0]
        if not poly.contains(Point(pn[0] / 100, pn[1] / 100)):
            raise AssertionError(f"FLATE {o['id']}: ..NØ point outside the area")
        out.append((o["attrs"], poly))
    return out
