"""Generate the FICTIONAL demo data set for Næringskart (Asker kommune, 3203).

Every file is written in the real national exchange format (SOSI 4.5, SOSI-GML,
GeoJSON, GeoPackage, GTFS, JSON-stat 2) so that the ETL can be exercised end to end
without any real, licensed or personal data.  Only the kommune boundary is real
(© Kartverket, CC BY 4.0); ``asker_places.csv`` holds approximate positions.

The run is deterministic: fixed seeds, no network, no clock.  Two runs give
byte-identical files (``sha256sum etl/demo/*``).

Usage::

    python etl/demo/generate.py              # write and validate everything
    python etl/demo/generate.py --no-validate
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import math
import random
import re
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import openpyxl
import pyogrio
import pyproj
import shapely
from openpyxl.styles import Font
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points
from shapely.strtree import STRtree

DEMO_DIR = Path(__file__).resolve().parent
BOUNDARY_FILE = DEMO_DIR / "asker_kommune_3203_2024.geojson"
PLACES_FILE = DEMO_DIR / "asker_places.csv"

SEED = 3203
KOMMUNE = "3203"
KPA_PLANID = "2020001"
NAVNEROM = "https://data.example.no/3203/demo"  # fictional namespace for SOSI/GML ids
UUID_NS = uuid.UUID("6f1c2a4e-3203-4d3e-9a57-6e6165727a6b")  # fixed: ids stay stable per run
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # earliest ZIP date: no clock in archives

TO_WGS84 = pyproj.Transformer.from_crs(25832, 4326, always_xy=True)
FROM_WGS84 = pyproj.Transformer.from_crs(4326, 25832, always_xy=True)
TO_25833 = pyproj.Transformer.from_crs(25832, 25833, always_xy=True)

Coord = tuple[int, int]  # SOSI integer coordinate (east, north) in centimetres
XY = tuple[float, float]


def rng_for(name: str) -> random.Random:
    """One independent, reproducible stream per output: editing one file's logic
    must not reshuffle every other file."""
    return random.Random(f"{SEED}:{name}")


def stable_uuid(*parts: object) -> str:
    return str(uuid.uuid5(UUID_NS, "/".join(str(p) for p in parts)))


# --------------------------------------------------------------------------- geometry


def reproject(geom: BaseGeometry, transformer: pyproj.Transformer) -> BaseGeometry:
    def _tx(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, _tx)


def round_coords(value: Any, ndigits: int) -> Any:
    if isinstance(value, (int, float)):
        return round(float(value), ndigits)
    return [round_coords(v, ndigits) for v in value]


def geojson_geometry(geom: BaseGeometry, ndigits: int) -> dict[str, Any]:
    m = mapping(geom)
    return {"type": m["type"], "coordinates": round_coords(m["coordinates"], ndigits)}


def rfc7946_geometry(geom_25832: BaseGeometry) -> dict[str, Any]:
    """WGS84, right-hand rule (exterior counter-clockwise), 7 decimals (≈1 cm)."""
    g = reproject(geom_25832, TO_WGS84)
    if isinstance(g, Polygon):
        g = orient(g, 1.0)
    elif isinstance(g, MultiPolygon):
        g = MultiPolygon([orient(p, 1.0) for p in g.geoms])
    return geojson_geometry(g, 7)


def wgs84_roundtrip(geom_25832: BaseGeometry) -> BaseGeometry:
    """The geometry a consumer gets back after reading our rounded WGS84 file."""
    gj = rfc7946_geometry(geom_25832)
    return reproject(shapely.geometry.shape(gj), FROM_WGS84)


def feature(props: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    with open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)


def write_geojson(path: Path, features: list[dict[str, Any]], crs_urn: str | None = None) -> None:
    """One feature per line keeps diffs readable; a legacy "crs" member only where
    the real source publishes one (national files in UTM)."""
    head = '{"type":"FeatureCollection"'
    if crs_urn:
        head += ',"crs":{"type":"name","properties":{"name":"' + crs_urn + '"}}'
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    write_text(path, head + ',"features":[\n' + body + "\n]}\n")


def rect(cx: float, cy: float, w: float, h: float, angle_deg: float) -> Polygon:
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    pts = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    return Polygon([(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts])


def quad(rng: random.Random, cx: float, cy: float, w: float, h: float, angle_deg: float,
         jitter: float) -> Polygon:
    """Irregular quadrilateral: a rectangle whose corners move a little."""
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    d = jitter * min(w, h)
    pts = []
    for x, y in [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]:
        x += rng.uniform(-d, d)
        y += rng.uniform(-d, d)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return Polygon(pts)


def blob(rng: random.Random, cx: float, cy: float, r: float, n: int = 20,
         rough: float = 0.22) -> Polygon:
    """A smooth irregular outline (sum of low harmonics): looks drawn, not circular."""
    harmonics = [(rough * rng.uniform(0.4, 1.0) / k, rng.uniform(0, 2 * math.pi)) for k in (1, 2, 3)]
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        rr = r * (1 + sum(amp * math.sin((k + 1) * t + ph) for k, (amp, ph) in enumerate(harmonics)))
        pts.append((cx + rr * math.cos(t), cy + rr * math.sin(t)))
    return Polygon(pts)


def largest_polygon(geom: BaseGeometry) -> Polygon:
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon)]
    return max(parts, key=lambda p: p.area)


def polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    return [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty]


class LocalFrame:
    """A rotated local (u, v) frame in metres for laying out plan fields: fields are
    drawn as axis-parallel boxes in (u, v), so neighbours share exact corners."""

    def __init__(self, cx: float, cy: float, width: float, height: float, angle_deg: float):
        self.cx, self.cy, self.w, self.h = cx, cy, width, height
        a = math.radians(angle_deg)
        self.ca, self.sa = math.cos(a), math.sin(a)

    def xy(self, u: float, v: float) -> XY:
        x, y = u - self.w / 2, v - self.h / 2
        return (self.cx + x * self.ca - y * self.sa, self.cy + x * self.sa + y * self.ca)

    def box(self, u0: float, v0: float, u1: float, v1: float) -> Polygon:
        return Polygon([self.xy(u0, v0), self.xy(u1, v0), self.xy(u1, v1), self.xy(u0, v1)])

    def extent(self) -> Polygon:
        return self.box(0, 0, self.w, self.h)


# --------------------------------------------------------------------------- world


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    level: str
    lat: float
    lon: float
    x: float
    y: float


@dataclass
class World:
    land: MultiPolygon  # Asker boundary in EPSG:25832
    places: dict[str, Place]
    land_inner: BaseGeometry = field(init=False)

    def __post_init__(self) -> None:
        self.land_inner = self.land.buffer(-25)
        shapely.prepare(self.land)
        shapely.prepare(self.land_inner)

    def xy(self, name: str) -> XY:
        p = self.places[name]
        return (p.x, p.y)

    def of_kind(self, kind: str) -> list[Place]:
        return [p for p in self.places.values() if p.kind == kind]


def load_world() -> World:
    gj = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    boundary = shapely.geometry.shape(gj["features"][0]["geometry"])
    land = reproject(boundary, FROM_WGS84)
    if isinstance(land, Polygon):
        land = MultiPolygon([land])
    places: dict[str, Place] = {}
    with open(PLACES_FILE, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            lat, lon = float(row["lat"]), float(row["lon"])
            x, y = FROM_WGS84.transform(lon, lat)
            places[row["name"]] = Place(row["name"], row["kind"], row["level"], lat, lon, x, y)
    return World(land, places)


def offset(world: World, place: str, dx: float, dy: float) -> XY:
    x, y = world.xy(place)
    return (x + dx, y + dy)


# --------------------------------------------------------------------------- topology
# SOSI stores areas as FLATEs that reference shared KURVEs.  To get exact shared
# vertices we node all zone outlines once (snap-rounded to the SOSI unit, 1 cm),
# polygonize, label every face by the zone it belongs to and walk half-edges.


@dataclass
class Flate:
    label: int
    outer: list[int]  # signed curve ids (SOSI ..REF)
    holes: list[list[int]]
    point: Coord  # representative point inside the area
    polygon: Polygon  # metres, for checks and for the other formats


@dataclass
class Topology:
    curves: list[list[Coord]]  # curve id = index + 1
    curve_on_outline: list[bool]  # True where the curve lies on the outline of the whole cover
    flates: list[Flate]
    outline: list[Flate]  # rings of the union of all zones (plan boundary), label -1


def _ring_ints(coords: Sequence[tuple[float, float]]) -> list[Coord]:
    pts: list[Coord] = []
    for x, y in coords[:-1]:
        c = (round(x * 100), round(y * 100))
        if not pts or pts[-1] != c:
            pts.append(c)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return pts


def _signed_area(ring: Sequence[Coord]) -> float:
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        s += x1 * y2 - x2 * y1
    return s / 2


def _turn(a: Coord, b: Coord, c: Coord) -> float:
    dx1, dy1 = b[0] - a[0], b[1] - a[1]
    dx2, dy2 = c[0] - b[0], c[1] - b[1]
    return math.atan2(dx1 * dy2 - dy1 * dx2, dx1 * dx2 + dy1 * dy2)


def _trace_rings(hedges: dict[tuple[Coord, Coord], int]) -> list[tuple[int, list[Coord]]]:
    """Walk half-edges (area on the left).  At a vertex with several exits take the
    sharpest left turn, so areas that only touch in a point get separate rings."""
    outgoing: dict[tuple[int, Coord], list[Coord]] = {}
    for (a, b), lab in hedges.items():
        outgoing.setdefault((lab, a), []).append(b)
    unused = set(hedges)
    rings: list[tuple[int, list[Coord]]] = []
    for start in sorted(hedges):
        if start not in unused:
            continue
        lab = hedges[start]
        ring = [start[0]]
        a, b = start
        unused.discard(start)
        while True:
            exits = [c for c in outgoing[(lab, b)] if (b, c) in unused or (b, c) == start]
            exits = [c for c in exits if c != a] or exits
            c = max(exits, key=lambda cc: _turn(a, b, cc))
            if (b, c) == start:
                break
            ring.append(b)
            unused.discard((b, c))
            a, b = b, c
        rings.append((lab, ring))
    return rings


def build_topology(zones: Sequence[BaseGeometry]) -> Topology:
    """zones: non-overlapping (multi)polygons in EPSG:25832; index = label."""
    noded = shapely.union_all([z.boundary for z in zones], grid_size=0.01)
    faces = polygon_parts(shapely.polygonize(list(shapely.get_parts(noded))))
    tree = STRtree(list(zones))
    halfedges: dict[tuple[Coord, Coord], int] = {}
    for face in faces:
        best, best_area = -1, 0.0
        for i in sorted(int(j) for j in tree.query(face, predicate="intersects")):
            a = zones[i].intersection(face).area
            if a > best_area + 1e-6:
                best, best_area = i, a
        if best < 0 or best_area < 0.5 * face.area:
            if face.area > 10:
                continue  # a genuine gap: not part of any zone
            best = int(tree.nearest(face.representative_point()))  # float sliver
        face = orient(face, 1.0)
        for ring in [face.exterior, *face.interiors]:
            pts = _ring_ints(ring.coords)
            for a, b in zip(pts, pts[1:] + pts[:1], strict=True):
                if (a, b) in halfedges and halfedges[(a, b)] != best:
                    raise RuntimeError(f"overlapping zones at {a}")
                halfedges[(a, b)] = best
    # Edges with the same zone on both sides are internal to a zone: drop them.
    bh = {e: lab for e, lab in halfedges.items() if halfedges.get((e[1], e[0])) != lab}

    # --- curves: maximal chains between nodes with the same pair of zones on either side
    def ekey(a: Coord, b: Coord) -> tuple[Coord, Coord]:
        return (a, b) if a < b else (b, a)

    sides: dict[tuple[Coord, Coord], frozenset[int | None]] = {}
    adj: dict[Coord, list[Coord]] = {}
    for a, b in bh:
        k = ekey(a, b)
        if k in sides:
            continue
        sides[k] = frozenset({bh.get((k[0], k[1])), bh.get((k[1], k[0]))})
        adj.setdefault(a, []).append(b)
        adj.setdefault(b, []).append(a)
    for nbrs in adj.values():
        nbrs.sort()

    def is_node(v: Coord) -> bool:
        nb = adj[v]
        return len(nb) != 2 or sides[ekey(v, nb[0])] != sides[ekey(v, nb[1])]

    curves: list[list[Coord]] = []
    seen: set[tuple[Coord, Coord]] = set()

    def walk(v: Coord, w: Coord) -> list[Coord]:
        chain = [v, w]
        seen.add(ekey(v, w))
        prev, cur = v, w
        while not is_node(cur) and cur != v:
            nxt = adj[cur][0] if adj[cur][0] != prev else adj[cur][1]
            seen.add(ekey(cur, nxt))
            chain.append(nxt)
            prev, cur = cur, nxt
        return chain

    for v in sorted(adj):
        if is_node(v):
            for w in adj[v]:
                if ekey(v, w) not in seen:
                    curves.append(walk(v, w))
    for k in sorted(sides):  # closed rings without any node (islands, holes)
        if k not in seen:
            curves.append(walk(k[0], k[1]))

    hmap: dict[tuple[Coord, Coord], tuple[int, int]] = {}
    for cid, chain in enumerate(curves, start=1):
        for p, q in pairwise(chain):
            hmap[(p, q)] = (cid, 1)
            hmap[(q, p)] = (cid, -1)

    def refs_of(ring: list[Coord]) -> list[int]:
        n = len(ring)
        hs = [(ring[i], ring[(i + 1) % n]) for i in range(n)]
        ids = [hmap[h] for h in hs]

        def starts(i: int) -> bool:
            cid, sign = ids[i]
            chain = curves[cid - 1]
            return hs[i][0] == (chain[0] if sign > 0 else chain[-1])

        # Every curve is walked whole, so a new reference begins exactly where the
        # ring reaches the first vertex of a curve (in walking direction).
        return [ids[i][0] * ids[i][1] for i in range(n) if starts(i)]

    def to_flates(rings: list[tuple[int, list[Coord]]]) -> list[Flate]:
        outers = [(lab, r) for lab, r in rings if _signed_area(r) > 0]
        holes = [(lab, r) for lab, r in rings if _signed_area(r) < 0]
        shells = [Polygon([(x / 100, y / 100) for x, y in r]) for _, r in outers]
        hole_of: dict[int, list[list[Coord]]] = {i: [] for i in range(len(outers))}
        for lab, r in holes:
            probe = Polygon([(x / 100, y / 100) for x, y in r]).representative_point()
            cands = [i for i, (ol, _) in enumerate(outers) if ol == lab and shells[i].contains(probe)]
            if not cands:
                raise RuntimeError("hole without shell")
            hole_of[min(cands, key=lambda i: shells[i].area)].append(r)
        out: list[Flate] = []
        for i, (lab, r) in enumerate(outers):
            poly = Polygon([(x / 100, y / 100) for x, y in r],
                           [[(x / 100, y / 100) for x, y in h] for h in hole_of[i]])
            rp = poly.representative_point()
            out.append(Flate(lab, refs_of(r), [refs_of(h) for h in hole_of[i]],
                             (round(rp.x * 100), round(rp.y * 100)), poly))
        out.sort(key=lambda f: (f.label, min(min(curves[abs(c) - 1]) for c in f.outer)))
        return out

    flates = to_flates(_trace_rings(bh))
    outside = {e: -1 for e in bh if (e[1], e[0]) not in bh}
    outline = to_flates(_trace_rings(outside))
    on_outline = [any((p, q) in outside or (q, p) in outside for p, q in pairwise(c))
                  for c in curves]
    return Topology(curves, on_outline, flates, outline)


def merge_small_parts(parts: list[tuple[Polygon, dict[str, Any]]], min_area: float
                      ) -> list[tuple[Polygon, dict[str, Any]]]:
    """Slivers left by clipping are not plan areas anyone would draw: give each to
    the neighbour it shares the longest border with."""
    parts = list(parts)
    while True:
        small = [i for i, (g, _) in enumerate(parts) if g.area < min_area]
        merged = False
        for i in small:
            g = parts[i][0]
            best, best_len = -1, 0.5
            for j, (h, _) in enumerate(parts):
                if j != i and g.distance(h) < 0.05:
                    shared = g.boundary.intersection(h.buffer(0.05)).length
                    if shared > best_len:
                        best, best_len = j, shared
            if best >= 0:
                union = largest_polygon(shapely.union(parts[best][0], g, grid_size=0.01))
                parts[best] = (union, parts[best][1])
                del parts[i]
                merged = True
                break
        if not merged:
            return parts


# --------------------------------------------------------------------------- SOSI


def sosi_header(*, charset: str, bounds: tuple[float, float, float, float], produktspek: str,
                comment: Sequence[str]) -> list[str]:
    minx, miny, maxx, maxy = bounds
    lines = [
        ".HODE",
        f"..TEGNSETT {charset}",
        "..TRANSPAR",
        "...KOORDSYS 22",
        "...ORIGO-NØ 0 0",
        "...ENHET 0.01",
        "..OMRÅDE",
        f"...MIN-NØ {math.floor(miny)} {math.floor(minx)}",
        f"...MAX-NØ {math.ceil(maxy)} {math.ceil(maxx)}",
        "..SOSI-VERSJON 4.5",
        "..SOSI-NIVÅ 4",
        '..EIER "Asker kommune (fiktive demodata)"',
        '..PRODUSENT "Næringskart demo"',
        "..INNHOLD",
        f'...PRODUKTSPEK "{produktspek}"',
    ]
    return lines + [f"! {c}" for c in comment]


def sosi_refs(flate: Flate) -> list[str]:
    """..REF with outer ring first, then one parenthesised group per hole; long
    lists continue on following lines, as real exports do."""
    tokens = [f":{r}" for r in flate.outer]
    lines = []
    for i in range(0, len(tokens), 10):
        lines.append(("..REF " if i == 0 else "") + " ".join(tokens[i:i + 10]))
    for hole in flate.holes:
        lines.append("(" + " ".join(f":{r}" for r in hole) + ")")
    return lines


def sosi_quote(value: str) -> str:
    return '"' + value.replace('"', "'") + '"'


def sosi_document(topo: Topology, *, header: list[str], curve_objtypes: tuple[str, str],
                  flate_attrs: Callable[[Flate], list[str]], outline_attrs: list[str] | None
                  ) -> str:
    """curve_objtypes: (type for curves on the outline, type for inner curves)."""
    lines = list(header)
    for cid, chain in enumerate(topo.curves, start=1):
        objtype = curve_objtypes[0] if topo.curve_on_outline[cid - 1] else curve_objtypes[1]
        lines += [f".KURVE {cid}:", f"..OBJTYPE {objtype}", "..NØ"]
        lines += [f"{n} {e}" for e, n in chain]  # SOSI order: north before east
    serial = len(topo.curves)
    groups: list[tuple[Flate, list[str]]] = [(f, flate_attrs(f)) for f in topo.flates]
    if outline_attrs is not None:
        groups += [(f, outline_attrs) for f in topo.outline]
    for flate, attrs in groups:
        serial += 1
        lines += [f".FLATE {serial}:", *attrs, *sosi_refs(flate), "..NØ",
                  f"{flate.point[1]} {flate.point[0]}"]
    lines.append(".SLUTT")
    return "\n".join(lines) + "\n"


def nasjonal_arealplan_id(planid: str) -> list[str]:
    return ["..NASJONALAREALPLANID", f"...KOMM {KOMMUNE}", f"...PLANID {sosi_quote(planid)}"]


def sosi_ident(*parts: object) -> list[str]:
    return ["..IDENT", f"...LOKALID {sosi_quote(stable_uuid(*parts))}",
            f"...NAVNEROM {sosi_quote(NAVNEROM)}", '...VERSJONID "1"']


# ---- a small SOSI reader, used only to validate what we wrote

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
        poly = Polygon([(x / 100, y / 100) for x, y in rings[0]],
                       [[(x / 100, y / 100) for x, y in r] for r in rings[1:]])
        if not poly.is_valid:
            raise AssertionError(f"FLATE {o['id']}: invalid polygon {shapely.is_valid_reason(poly)}")
        pn = o["coords"][0]
        if not poly.contains(Point(pn[0] / 100, pn[1] / 100)):
            raise AssertionError(f"FLATE {o['id']}: ..NØ point outside the area")
        out.append((o["attrs"], poly))
    return out


# --------------------------------------------------------------------------- roads


@dataclass
class Road:
    vegnummer: str
    vegkategori: str
    navn: str
    geom: LineString  # EPSG:25832, clipped to the kommune


def build_roads(world: World) -> list[Road]:
    """Approximate main roads drawn through the junctions in asker_places.csv.
    End points lie outside the kommune so clipping gives the border crossings."""
    j = world.xy
    specs = [
        ("E18", "E", "E18", [(584300, 6636300), j("E18 Holmen/Nesbru"), j("E18 Asker (Drengsrud)"),
                             j("E18 Gjellum"), (577300, 6630700), (572800, 6629600)]),
        ("E134", "E", "E134 Oslofjordforbindelsen",
         [(572500, 6624600), (575600, 6623300), j("E134 Kjekstad"), (580600, 6620400),
          (583800, 6617600), j("E134 Verpen (Hurum)"), (591000, 6613000)]),
        ("Fv165", "F", "Fv165 Slemmestadveien",
         [(582600, 6634650), (582250, 6634100), (582250, 6633700), (582650, 6632600),
          (582800, 6631300), j("Vollen"), j("Slemmestad")]),
        ("Fv167", "F", "Fv167 Røykenveien",
         [j("Asker sentrum"), (580600, 6631200), j("Heggedal"), (579900, 6626400),
          j("Røyken sentrum (Midtbygda)")]),
    ]
    roads = []
    for nr, cat, navn, pts in specs:
        clipped = LineString(pts).intersection(world.land)
        if clipped.geom_type != "LineString":
            raise RuntimeError(f"{nr} leaves and re-enters the kommune; move a waypoint")
        roads.append(Road(nr, cat, navn, clipped))
    return roads


def road_corridors(roads: list[Road]) -> BaseGeometry:
    return shapely.union_all([r.geom.buffer(14 if r.vegkategori == "E" else 8) for r in roads])


def write_roads(world: World, roads: list[Road]) -> None:
    write_geojson(DEMO_DIR / "hovedveg.geojson", [
        feature({"vegnummer": r.vegnummer, "vegkategori": r.vegkategori, "navn": r.navn},
                rfc7946_geometry(r.geom)) for r in roads])
    write_geojson(DEMO_DIR / "hovedveg_kryss.geojson", [
        feature({"name": p.name, "vegnummer": p.level},
                {"type": "Point", "coordinates": [p.lon, p.lat]})
        for p in world.of_kind("road_junction")])


# --------------------------------------------------------------------------- walking network

WALK_SPACING = 100.0  # m between the streets of the fictional grid
WALK_RADIUS = 600.0   # m of grid around every station and centre


def build_walk_network(world: World) -> list[tuple[str, LineString]]:
    """A FICTIONAL street and path grid around every station and centre: one grid for the whole
    kommune (so the grids of nearby places join), each street split at every crossing so lines
    meet at shared endpoints, diagonal avenues out from each place, and a short path from each
    station and centre to its nearest corner. Segments that leave the land are dropped."""
    step = WALK_SPACING
    anchors = sorted(world.of_kind("rail_station") + world.of_kind("centre"), key=lambda p: p.name)
    reach = int(WALK_RADIUS // step)
    nodes: set[tuple[int, int]] = set()
    for p in anchors:
        i0, j0 = round(p.x / step), round(p.y / step)
        nodes.update((i, j) for i in range(i0 - reach, i0 + reach + 1)
                     for j in range(j0 - reach, j0 + reach + 1)
                     if math.hypot(i * step - p.x, j * step - p.y) <= WALK_RADIUS)
    lines: list[tuple[str, LineString]] = []
    for i, j in sorted(nodes):
        for di, dj in ((1, 0), (0, 1)):
            if (i + di, j + dj) in nodes:
                line = LineString([(i * step, j * step), ((i + di) * step, (j + dj) * step)])
                if world.land_inner.contains(line):
                    lines.append(("fortau" if (i + j) % 3 else "gangveg", line))
    # Diagonal avenues out from each place's corner, node to node, as real towns have them.
    diagonals: set[tuple[int, int, int, int]] = set()
    for p in anchors:
        i0, j0 = round(p.x / step), round(p.y / step)
        for di, dj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            for k in range(reach):
                a, b = (i0 + k * di, j0 + k * dj), (i0 + (k + 1) * di, j0 + (k + 1) * dj)
                if a in nodes and b in nodes:
                    diagonals.add((*min(a, b), *max(a, b)))
    for i, j, k, m in sorted(diagonals):
        line = LineString([(i * step, j * step), (k * step, m * step)])
        if world.land_inner.contains(line):
            lines.append(("gangveg", line))
    for p in anchors:
        corner = (round(p.x / step) * step, round(p.y / step) * step)
        start = (round(p.x, 2), round(p.y, 2))
        if math.hypot(start[0] - corner[0], start[1] - corner[1]) > 0.5:
            lines.append(("sti", LineString([start, corner])))
    return lines


def write_walk_network(lines: list[tuple[str, LineString]]) -> None:
    write_geojson(DEMO_DIR / "gangnett.geojson", [
        feature({"path_key": f"GN-{n + 1:05d}", "kind": kind, "name": None, "fictional": True},
                geojson_geometry(line, 2))
        for n, (kind, line) in enumerate(lines)], crs_urn="urn:ogc:def:crs:EPSG::25832")


def write_centres(world: World) -> None:
    write_geojson(DEMO_DIR / "centres.geojson", [
        feature({"name": p.name, "level": p.level}, {"type": "Point", "coordinates": [p.lon, p.lat]})
        for p in world.of_kind("centre")])


# --------------------------------------------------------------------------- tettsteder


@dataclass
class Tettsted:
    nummer: str
    navn: str
    befolkning: int
    geom: BaseGeometry  # EPSG:25832
    workplaces_2024: int  # fictional, Asker part only


TETTSTEDER = [
    # nummer, navn, centre place, radius m, totalBefolkning (fictional), workplaces in Asker 2024
    ("0001", "Oslo", None, 0, 1_068_235, 9_350),
    ("0201", "Asker", "Asker sentrum", 1350, 28_410, 14_550),
    ("0202", "Heggedal", "Heggedal", 800, 6_120, 1_120),
    ("0203", "Vollen", "Vollen", 700, 7_350, 1_380),
    ("0204", "Slemmestad", "Slemmestad", 750, 6_980, 1_730),
    ("0205", "Røyken", "Røyken sentrum (Midtbygda)", 800, 5_730, 2_140),
    ("0206", "Spikkestad", "Spikkestad", 750, 6_410, 820),
    ("0207", "Sætre", "Sætre", 800, 5_260, 1_510),
    ("0208", "Tofte", "Tofte", 550, 2_790, 610),
    ("0209", "Holmsbu", "Holmsbu", 380, 380, 90),
]


def build_tettsteder(world: World) -> list[Tettsted]:
    rng = rng_for("tettsteder")
    mainland = largest_polygon(world.land)
    # Oslo's tettsted runs on into Bærum: the part outside Asker is a box north and
    # east of Billingstad minus Asker itself, so clipping by kommune has work to do.
    x, y = world.xy("Billingstad")
    baerum = box(x - 1500, y + 900, x + 1150, y + 3300).difference(world.land)
    oslo_shape = shapely.union_all([
        blob(rng, *world.xy("Hvalstad stasjon"), 750),
        blob(rng, *world.xy("Billingstad"), 800),
        blob(rng, *world.xy("Holmen"), 650),
        blob(rng, x + 200, y + 1900, 1300),
    ])
    oslo = shapely.union(oslo_shape.intersection(mainland), oslo_shape.intersection(baerum))
    taken = oslo.buffer(60)
    out = [Tettsted("0001", "Oslo", TETTSTEDER[0][4], oslo, TETTSTEDER[0][5])]
    for nummer, navn, centre, radius, pop, work in TETTSTEDER[1:]:
        assert centre is not None
        cx, cy = world.xy(centre)
        if navn == "Asker":
            cx, cy = cx + 350, cy + 350  # Asker tettsted also takes in Vakås and Drengsrud
        g = blob(rng, cx, cy, radius).intersection(world.land).difference(taken)
        g = largest_polygon(g) if navn != "Asker" else g
        out.append(Tettsted(nummer, navn, pop, g, work))
        taken = taken.union(g.buffer(60))
    return out


def write_tettsteder(tett: list[Tettsted]) -> None:
    feats = []
    for t in tett:
        g = reproject(t.geom, TO_25833)
        feats.append(feature({"tettstednummer": t.nummer, "tettstednavn": t.navn,
                              "totalBefolkning": t.befolkning}, geojson_geometry(g, 2)))
    write_geojson(DEMO_DIR / "tettsteder.geojson", feats, crs_urn="urn:ogc:def:crs:EPSG::25833")


def tettsted_name(tett: list[Tettsted], geom: BaseGeometry) -> str:
    p = geom.representative_point()
    for t in tett:
        if t.geom.contains(p):
            return t.navn
    return min(tett[1:], key=lambda t: t.geom.distance(p)).navn


# --------------------------------------------------------------------------- plan layouts


@dataclass
class PlanField:
    feltnavn: str
    code: int
    geom: Polygon
    eierform: int | None = None  # 1 offentlig, 2 felles, 3 annen
    utnytting: tuple[int, float] | None = None  # (utnyttingstype, utnyttingstall)


@dataclass
class PlanLayout:
    key: str
    planid: str
    plannavn: str
    plantype: int
    planstatus: int
    ikraft: str | None  # YYYYMMDD
    fields: list[PlanField]

    @property
    def extent(self) -> Polygon:
        return largest_polygon(shapely.union_all([f.geom for f in self.fields], grid_size=0.01))

    def field(self, name: str) -> PlanField:
        return next(f for f in self.fields if f.feltnavn == name)


def _layout(frame: LocalFrame, spec: list[tuple[str, int, tuple[float, float, float, float],
                                                int | None, tuple[int, float] | None]]
            ) -> list[PlanField]:
    return [PlanField(name, code, frame.box(*uv), eier, utn) for name, code, uv, eier, utn in spec]


def build_plan_layouts(world: World) -> dict[str, PlanLayout]:
    """Fields are axis-parallel boxes in a rotated local frame beside the main road:
    plausible, non-overlapping, and tiling the plan area exactly."""
    plans: dict[str, PlanLayout] = {}

    # Kjekstad: beside E134, north-east side, long side along the road.
    jx, jy = world.xy("E134 Kjekstad")
    along, normal = (0.76, -0.65), (0.65, 0.76)
    fr = LocalFrame(jx + along[0] * 350 + normal[0] * 330, jy + along[1] * 350 + normal[1] * 330,
                    700, 420, -40.5)
    plans["kjekstad"] = PlanLayout("kjekstad", "2021004", "Detaljregulering for Kjekstad næringspark",
                                   35, 3, "20230412", _layout(fr, [
        ("BN1", 1300, (0, 0, 250, 195), 3, (16, 60)),
        ("BKL1", 1825, (250, 0, 470, 195), 3, (16, 55)),
        ("BI1", 1340, (470, 0, 700, 195), 3, (16, 50)),
        ("o_SV1", 2010, (0, 195, 700, 215), 1, None),
        ("BLA1", 1350, (0, 215, 300, 420), 3, (16, 60)),
        ("BN2", 1300, (300, 215, 520, 420), 3, (18, 120)),
        ("o_GF1", 3040, (520, 215, 700, 320), 1, None),
        ("LL1", 5110, (520, 320, 700, 420), 3, None),
    ]))

    # Holmen: west of the E18 junction, aligned with the motorway.
    jx, jy = world.xy("E18 Holmen/Nesbru")
    fr = LocalFrame(jx - 0.63 * 350 - 0.78 * 300, jy - 0.78 * 350 + 0.63 * 300, 520, 340, 51)
    plans["holmen"] = PlanLayout("holmen", "2017012", "Detaljregulering for Holmen næringsområde",
                                 35, 3, "20190903", _layout(fr, [
        ("BN1", 1300, (0, 0, 250, 200), 3, (16, 55)),
        ("BKL1", 1825, (0, 200, 250, 340), 3, (16, 50)),
        ("o_SV1", 2010, (250, 0, 268, 340), 1, None),
        ("BKL2", 1825, (268, 0, 520, 170), 3, (18, 140)),
        ("BF1", 1150, (268, 170, 520, 260), 3, (16, 45)),
        ("o_GF1", 3040, (268, 260, 520, 340), 1, None),
    ]))

    sx, sy = world.xy("Slemmestad")
    fr = LocalFrame(sx - 480, sy + 80, 420, 300, 0)
    plans["slemmestad"] = PlanLayout("slemmestad", "2016007",
                                     "Detaljregulering for Slemmestad sentrum vest", 35, 3,
                                     "20170620", _layout(fr, [
        ("BN1", 1300, (0, 0, 200, 150), 3, (16, 60)),
        ("BKB1", 1800, (0, 150, 200, 300), 3, (18, 160)),
        ("o_SKV1", 2011, (200, 0, 215, 300), 1, None),
        ("BI1", 1340, (215, 0, 420, 180), 3, (16, 50)),
        ("o_GF1", 3040, (215, 180, 420, 300), 1, None),
    ]))

    vx, vy = world.xy("Vollen")
    fr = LocalFrame(vx - 330, vy + 160, 380, 260, 15)
    plans["vollen"] = PlanLayout("vollen", "19880012", "Reguleringsplan for Vollen sentrum",
                                 30, 3, "19880519", _layout(fr, [
        ("B1", 110, (0, 130, 180, 260), None, None),
        ("F1", 120, (0, 0, 180, 130), None, None),
        ("V1", 310, (180, 0, 195, 260), None, None),
        ("I1", 140, (195, 0, 380, 125), None, None),
        ("PB1", 611, (195, 125, 380, 140), None, None),
        ("G1", 230, (195, 140, 300, 260), None, None),
        ("L1", 210, (300, 140, 380, 260), None, None),
    ]))

    tx, ty = world.xy("Tofte")
    fr = LocalFrame(tx - 1020, ty + 1250, 480, 340, 10)
    plans["tofte"] = PlanLayout("tofte", "2025003",
                                "Detaljregulering for Tofte næringsområde nord (planforslag)",
                                35, 2, None, _layout(fr, [
        ("BN1", 1300, (0, 0, 230, 340), 3, (16, 50)),
        ("o_SKV1", 2011, (230, 0, 245, 340), 1, None),
        ("BN2", 1300, (245, 60, 480, 340), 3, (16, 50)),
        ("GV1", 3060, (245, 0, 480, 60), 3, None),
    ]))
    for p in plans.values():
        if not world.land_inner.contains(p.extent):
            raise RuntimeError(f"plan {p.key} is not inside the kommune")
    return plans


# --------------------------------------------------------------------------- KPA zones


@dataclass
class KpaZone:
    name: str
    code: int  # KPAREALFORMÅL (PBL 2008)
    status: int  # AREALST: 1 nåværende, 2 framtidig
    geom: BaseGeometry  # as drawn (clipped to land), before lower-priority carving


@dataclass
class Kpa:
    designed: dict[str, KpaZone]  # named special zones (sites are placed inside these)
    parts: list[tuple[Polygon, KpaZone]]  # final partition of the kommune


CENTRE_RADIUS = {"regionsenter": 750, "kommunedelsenter": 420, "lokalsenter": 300, "nærsenter": 170}

RESIDENTIAL = [  # centre, dx, dy, radius
    ("Asker sentrum", 300, 400, 2100), ("Holmen", -150, -100, 900), ("Billingstad", -200, 300, 850),
    ("Heggedal", 0, 0, 1000), ("Vollen", -250, 0, 850), ("Slemmestad", -300, 0, 800),
    ("Røyken sentrum (Midtbygda)", 0, 0, 1000), ("Spikkestad", 0, 0, 900), ("Sætre", -200, 0, 850),
    ("Tofte", -200, 100, 550), ("Holmsbu", 150, 0, 420), ("Filtvet", -150, 0, 330),
]


def _along_junction(world: World, name: str, direction: XY, along: float, side: float
                    ) -> XY:
    """A point `along` metres from a junction in road direction, `side` metres to its left."""
    x, y = world.xy(name)
    dx, dy = direction
    n = math.hypot(dx, dy)
    dx, dy = dx / n, dy / n
    return (x + dx * along - dy * side, y + dy * along + dx * side)


def business_zone_outlines(world: World, plans: dict[str, PlanLayout]
                           ) -> list[tuple[str, int, BaseGeometry]]:
    """(name, arealbruksstatus, outline) for business land (KPA code 1300)."""
    e134_west = (0.954, -0.301)
    e18_ne, e134_verpen = (0.63, 0.78), (0.805, -0.593)
    rot_verpen = math.degrees(math.atan2(*e134_verpen[::-1]))

    def at(place: str, dx: float, dy: float, w: float, h: float, rot: float) -> Polygon:
        return rect(*offset(world, place, dx, dy), w, h, rot)

    return [
        ("Holmen næringsområde", 1, plans["holmen"].extent.buffer(40, join_style="mitre")),
        ("Billingstad næringsområde", 1, at("Billingstad", -570, 50, 450, 300, 40)),
        ("Hvalstad næringsområde", 1, at("Hvalstad stasjon", -200, -230, 260, 180, 40)),
        ("Drengsrud næringsområde", 1, rect(*_along_junction(
            world, "E18 Asker (Drengsrud)", e18_ne, 0, -500), 600, 380, 51)),
        ("Gjellum næringsområde", 2, rect(*_along_junction(
            world, "E18 Gjellum", (0.874, 0.485), -300, -330), 500, 350, 29)),
        ("Heggedal næringsområde", 1, at("Heggedal", 470, -330, 480, 300, 20)),
        ("Slemmestad næringsområde", 1, at("Slemmestad", -330, -520, 520, 320, 10)),
        ("Spikkestad næringsområde", 1, at("Spikkestad", 590, 130, 420, 260, 15)),
        ("Kjekstad næringspark", 2, plans["kjekstad"].extent.buffer(40, join_style="mitre")),
        ("Kjekstad vest", 2, rect(*_along_junction(world, "E134 Kjekstad", e134_west, -450, -350),
                                  520, 380, -17.5)),
        ("Røyken øst", 2, at("Røyken sentrum (Midtbygda)", 960, -460, 560, 380, 15)),
        ("Sætre sør", 2, at("Sætre", -380, -740, 450, 320, -36)),
        ("Verpen næringsområde", 1, rect(*_along_junction(
            world, "E134 Verpen (Hurum)", e134_verpen, -450, -330), 620, 380, rot_verpen)),
        ("Verpen nord", 2, rect(*_along_junction(
            world, "E134 Verpen (Hurum)", e134_verpen, -700, 330), 480, 320, rot_verpen)),
        ("Tofte industriområde", 1, at("Tofte", -270, 460, 520, 360, 0)),
    ]


def build_kpa(world: World, plans: dict[str, PlanLayout], corridors: BaseGeometry) -> Kpa:
    """Named zones in priority order (each one carves itself out of all later ones):
    station hub, centres, business land, green space, other building land, future
    and existing housing.  A jittered grid of LNFR areas fills the rest."""
    rng = rng_for("kpa")
    land = world.land
    designed: list[KpaZone] = []

    def add(name: str, code: int, status: int, geom: BaseGeometry) -> None:
        designed.append(KpaZone(name, code, status, geom.intersection(land)))

    ax, ay = world.xy("Asker stasjon")
    add("Asker stasjon knutepunkt", 2001, 1, rect(ax, ay, 280, 60, 51))
    for p in world.of_kind("centre"):
        add(p.name, 1130, 1, blob(rng, p.x, p.y, CENTRE_RADIUS[p.level], n=14, rough=0.15))
    for name, status, geom in business_zone_outlines(world, plans):
        if geom.intersects(corridors):
            raise RuntimeError(f"business zone {name} lies on a main road")
        add(name, 1300, status, geom)
    add("Grøntområde vest for Asker sentrum", 3001, 1,
        blob(rng, *offset(world, "Asker sentrum", -1000, 700), 220, n=12))
    add("Hurum midt byggeområde", 1001, 1, rect(583500, 6610500, 260, 200, 20))
    add("Spikkestad nord", 1110, 2, blob(rng, *offset(world, "Spikkestad", 0, 900), 280, n=12))
    add("Heggedal sør", 1110, 2, blob(rng, *offset(world, "Heggedal", -300, -1000), 300, n=12))
    for centre, dx, dy, r in RESIDENTIAL:
        add(f"{centre} boligområde", 1110, 1, blob(rng, *offset(world, centre, dx, dy), r))

    parts: list[tuple[Polygon, KpaZone]] = []
    taken: BaseGeometry = Polygon()
    for z in designed:
        for p in polygon_parts(z.geom.difference(taken)):
            parts.append((p, z))
        taken = shapely.union(taken, z.geom)
    # A coarse, jittered 3.5 km grid of LNFR areas fills the rest of the kommune.
    x0, y0, step, nx, ny = 573000, 6594000, 3500, 6, 14
    verts = {(i, j): (x0 + i * step + (rng.uniform(-450, 450) if 0 < i < nx else 0),
                      y0 + j * step + (rng.uniform(-450, 450) if 0 < j < ny else 0))
             for i in range(nx + 1) for j in range(ny + 1)}
    for j in range(ny):
        for i in range(nx):
            cell = Polygon([verts[(i, j)], verts[(i + 1, j)], verts[(i + 1, j + 1)], verts[(i, j + 1)]])
            code = 5200 if rng.random() < 0.1 else 5100
            zone = KpaZone(f"LNFR {i}-{j}", code, 1, cell)
            for p in polygon_parts(cell.intersection(land).difference(taken)):
                parts.append((p, zone))
    merged = merge_small_parts([(p, {"zone": z}) for p, z in parts], 12000)
    return Kpa({z.name: z for z in designed}, [(p, a["zone"]) for p, a in merged])


# --------------------------------------------------------------------------- plan files

KPA_NAME = "Kommuneplanens arealdel 2020-2032 (fiktiv demo)"
FICTION_NOTE = "FIKTIVE DEMODATA for Næringskart - ikke en gjeldende plan. Fictional demo data."


def write_kpa_sosi(world: World, kpa: Kpa) -> Topology:
    topo = build_topology([p for p, _ in kpa.parts])

    def attrs(f: Flate) -> list[str]:
        z = kpa.parts[f.label][1]
        lines = ["..OBJTYPE KpArealformålOmråde", f"..KPAREALFORMÅL {z.code}", f"..AREALST {z.status}"]
        if not z.name.startswith("LNFR"):
            lines.append(f"..OMRNAVN {sosi_quote(z.name)}")
        return (lines + nasjonal_arealplan_id(KPA_PLANID) + sosi_ident("kpa", f.label, f.point)
                + ["..OPPDATERINGSDATO 20210617000000"])

    outline = ["..OBJTYPE KpOmråde", *nasjonal_arealplan_id(KPA_PLANID),
               f"..PLANNAVN {sosi_quote(KPA_NAME)}", "..PLANTYPE 20", "..PLANSTAT 3",
               "..IKRAFT 20210617", "..VEDTAKENDELIGPLAN 20210617", "..LOVREFERANSE 6"]
    header = sosi_header(charset="UTF-8", bounds=world.land.bounds, produktspek="Kommuneplan 4.5",
                         comment=[FICTION_NOTE, "Kommunegrense: © Kartverket, CC BY 4.0 (forenklet)."])
    text = sosi_document(topo, header=header, curve_objtypes=("KpGrense", "KpArealformålGrense"),
                         flate_attrs=attrs, outline_attrs=outline)
    write_text(DEMO_DIR / "plan_kpa_asker.sos", text)
    return topo


def _rp_sosi(plan: PlanLayout, charset: str, path: Path) -> None:
    topo = build_topology([f.geom for f in plan.fields])

    def attrs(fl: Flate) -> list[str]:
        f = plan.fields[fl.label]
        lines = ["..OBJTYPE RpArealformålOmråde", f"..RPAREALFORMÅL {f.code}",
                 f"..FELTNAVN {sosi_quote(f.feltnavn)}"]
        if f.eierform is not None:
            lines.append(f"..EIERFORM {f.eierform}")
        if f.utnytting is not None:
            typ, tall = f.utnytting
            lines += ["..UTNYTT", f"...UTNTYP {typ}", f"...UTNTALL {tall:g}"]
        return lines + nasjonal_arealplan_id(plan.planid) + sosi_ident("rp", plan.key, f.feltnavn)

    assert plan.ikraft is not None
    outline = ["..OBJTYPE RpOmråde", *nasjonal_arealplan_id(plan.planid),
               f"..PLANNAVN {sosi_quote(plan.plannavn + ' (fiktiv)')}",
               f"..PLANTYPE {plan.plantype}", f"..PLANSTAT {plan.planstatus}",
               f"..IKRAFT {plan.ikraft}", f"..VEDTAKENDELIGPLAN {plan.ikraft}", "..LOVREFERANSE 6"]
    header = sosi_header(charset=charset, bounds=plan.extent.bounds,
                         produktspek="Reguleringsplan 4.5", comment=[FICTION_NOTE])
    text = sosi_document(topo, header=header, curve_objtypes=("RpGrense", "RpFormålGrense"),
                         flate_attrs=attrs, outline_attrs=outline)
    if charset == "UTF-8":
        write_text(path, text)
    else:
        # An older export: ISO8859-10 bytes and CRLF line ends, as many kommune
        # systems still write them.
        path.write_bytes(text.replace("\n", "\r\n").encode("iso8859_10"))


def write_rp_sosi(plans: dict[str, PlanLayout]) -> None:
    _rp_sosi(plans["kjekstad"], "UTF-8", DEMO_DIR / "plan_rp_kjekstad.sos")
    _rp_sosi(plans["holmen"], "ISO8859-10", DEMO_DIR / "plan_rp_holmen.sos")


def _iso_date(yyyymmdd: str | None) -> str | None:
    return None if yyyymmdd is None else f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"


def _poslist(ring: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.2f} {y:.2f}" for x, y in ring)


def write_rp_gml(plan: PlanLayout) -> None:
    """SOSI-GML (Reguleringsplan 4.5 style): RpOmråde carries the plan attributes,
    RpArealformålOmråde the fields.  Coordinates are taken from the same noded
    topology as the SOSI files, so neighbours share exact vertices."""
    topo = build_topology([f.geom for f in plan.fields])
    ns = "http://skjema.geonorge.no/SOSI/produktspesifikasjon/Reguleringsplan/4.5"
    srs = "http://www.opengis.net/def/crs/EPSG/0/25832"
    minx, miny, maxx, maxy = plan.extent.bounds

    def polygon(poly: Polygon, gid: str) -> list[str]:
        poly = orient(poly, 1.0)
        out = [f'<gml:Polygon gml:id="{gid}" srsName="{srs}" srsDimension="2">',
               (f"<gml:exterior><gml:LinearRing><gml:posList>{_poslist(poly.exterior.coords)}"
               "</gml:posList></gml:LinearRing></gml:exterior>")]
        for ring in poly.interiors:
            out.append(f"<gml:interior><gml:LinearRing><gml:posList>{_poslist(ring.coords)}"
                       "</gml:posList></gml:LinearRing></gml:interior>")
        return [*out, "</gml:Polygon>"]

    def plan_id() -> list[str]:
        return ["<app:nasjonalArealplanId><app:NasjonalArealplanId>",
                f"<app:kommunenummer>{KOMMUNE}</app:kommunenummer>",
                f"<app:planidentifikasjon>{plan.planid}</app:planidentifikasjon>",
                "</app:NasjonalArealplanId></app:nasjonalArealplanId>"]

    def ident(*parts: object) -> list[str]:
        return ["<app:identifikasjon><app:Identifikasjon>",
                f"<app:lokalId>{stable_uuid(*parts)}</app:lokalId>",
                f"<app:navnerom>{NAVNEROM}</app:navnerom>",
                "<app:versjonId>1</app:versjonId>",
                "</app:Identifikasjon></app:identifikasjon>"]

    plan_gid = "_" + stable_uuid("gml", plan.key, "plan")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!-- {FICTION_NOTE} -->",
             (f'<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="{ns}" '
             f'xmlns:xlink="http://www.w3.org/1999/xlink" gml:id="_{stable_uuid("gml", plan.key)}">'),
             (f'<gml:boundedBy><gml:Envelope srsName="{srs}" srsDimension="2">'
             f"<gml:lowerCorner>{minx:.2f} {miny:.2f}</gml:lowerCorner>"
             f"<gml:upperCorner>{maxx:.2f} {maxy:.2f}</gml:upperCorner></gml:Envelope></gml:boundedBy>")]
    for i, outline in enumerate(topo.outline):
        lines += ["<gml:featureMember>", f'<app:RpOmråde gml:id="{plan_gid}{"-" + str(i) if i else ""}">',
                  *ident("gml", plan.key, "plan", i), "<app:område>",
                  *polygon(outline.polygon, f"{plan_gid}-g{i}"), "</app:område>", *plan_id(),
                  f"<app:plannavn>{plan.plannavn} (fiktiv)</app:plannavn>",
                  f"<app:plantype>{plan.plantype}</app:plantype>",
                  f"<app:planstatus>{plan.planstatus}</app:planstatus>",
                  f"<app:ikrafttredelsesdato>{_iso_date(plan.ikraft)}</app:ikrafttredelsesdato>",
                  f"<app:vedtakEndeligPlanDato>{_iso_date(plan.ikraft)}</app:vedtakEndeligPlanDato>",
                  "<app:lovreferanse>6</app:lovreferanse>", "</app:RpOmråde>", "</gml:featureMember>"]
    for fl in topo.flates:
        f = plan.fields[fl.label]
        gid = "_" + stable_uuid("gml", plan.key, f.feltnavn)
        lines += ["<gml:featureMember>", f'<app:RpArealformålOmråde gml:id="{gid}">',
                  *ident("gml", plan.key, f.feltnavn), "<app:område>",
                  *polygon(fl.polygon, gid + "-g"), "</app:område>",
                  f"<app:arealformål>{f.code}</app:arealformål>",
                  f"<app:feltnavn>{f.feltnavn}</app:feltnavn>"]
        if f.eierform is not None:
            lines.append(f"<app:eierform>{f.eierform}</app:eierform>")
        if f.utnytting is not None:
            lines += ["<app:utnytting><app:Utnytting>",
                      f"<app:utnyttingstype>{f.utnytting[0]}</app:utnyttingstype>",
                      f"<app:utnyttingstall>{f.utnytting[1]:g}</app:utnyttingstall>",
                      "</app:Utnytting></app:utnytting>"]
        lines += [*plan_id(), f'<app:planområde xlink:href="#{plan_gid}"/>',
                  "</app:RpArealformålOmråde>", "</gml:featureMember>"]
    lines.append("</gml:FeatureCollection>")
    write_text(DEMO_DIR / "plan_rp_slemmestad.gml", "\n".join(lines) + "\n")


def write_plan_geojson(plan: PlanLayout, path: Path, objtype: str, code_key: str) -> None:
    """Flat properties as a kommune's WFS/GeoJSON export gives them (RFC 7946, WGS84)."""
    topo = build_topology([f.geom for f in plan.fields])
    feats = []
    for fl in topo.flates:
        f = plan.fields[fl.label]
        props: dict[str, Any] = {
            "objekttype": objtype, "kommunenummer": KOMMUNE, "planidentifikasjon": plan.planid,
            "plannavn": plan.plannavn + " (fiktiv)", "plantype": plan.plantype,
            "planstatus": plan.planstatus, "ikrafttredelsesdato": _iso_date(plan.ikraft),
            code_key: f.code, "feltnavn": f.feltnavn}
        if code_key == "arealformal":
            props["eierform"] = f.eierform
            props["utnyttingstype"] = f.utnytting[0] if f.utnytting else None
            props["utnyttingstall"] = f.utnytting[1] if f.utnytting else None
        props["fictional"] = True
        feats.append(feature(props, rfc7946_geometry(fl.polygon)))
    write_geojson(path, feats)


# --------------------------------------------------------------------------- sites

SITE_COLUMNS = ["site_id", "name", "area_m2", "status", "readiness", "planned_use", "zoning_code",
                "ownership", "tettsted", "contact_name", "contact_email", "contact_phone",
                "description_nb", "description_en", "last_verified", "published", "planner_note",
                "fictional"]

SITE_AREA = {  # planned use -> target area range, m²
    "Kontor": (3000, 12000), "Handel": (4000, 15000), "Lager og logistikk": (12000, 45000),
    "Industri": (8000, 40000), "Kombinert næring/kontor": (4000, 18000),
}
USE_TEXT = {  # planned use -> (nb, en) for descriptions
    "Kontor": ("kontor", "offices"), "Handel": ("handel", "retail"),
    "Lager og logistikk": ("lager og logistikk", "warehousing and logistics"),
    "Industri": ("industri", "industry"),
    "Kombinert næring/kontor": ("kombinert næring og kontor", "mixed business and offices"),
}
READINESS_TEXT = {
    "ledig_naa": ("Regulert og byggeklar.", "Zoned and ready to build."),
    "regulert": ("Regulert, men teknisk infrastruktur må bygges ut.",
                 "Zoned, but roads and utilities are still to be built."),
    "kommuneplan": ("Avsatt til næring i kommuneplanen, krever regulering.",
                    "Business land in the municipal master plan, needs a zoning plan."),
}
CONTACTS = [("Ingrid Bakke", "ingrid.bakke"), ("Ola Haugen", "ola.haugen"), ("Sara Lie", "sara.lie"),
            ("Jonas Berg", "jonas.berg"), ("Marte Strand", "marte.strand"), ("Erik Dahl", "erik.dahl")]
PLANNER_NOTES = [
    "INTERN: Grunneier ønsker dialog før annonsering (fiktivt).",
    "INTERN: Avklar overvannshåndtering med VA før salg.",
    "INTERN: Mulig konflikt med registrert kulturminne - venter på fylkeskommunen.",
    "INTERN: Prisantydning ikke avklart i formannskapet.",
    "INTERN: Fiktiv interessent har bedt om eksklusivitet til 1. juni.",
    "INTERN: Usikre grunnforhold - geoteknisk rapport bestilt.",
    "INTERN: Ikke oppgi grunneiers navn eksternt.",
    "INTERN: Trafikksikkerhet i krysset må vurderes før utbygging.",
]

# name, container, planned use, zoning code, readiness, status, ownership, published
SITE_SPECS: list[tuple[str, str, str, str, str, str, str, bool]] = [
    ("Asker sentrum nord, kontortomt", "centre:Asker sentrum", "Kontor", "1310", "ledig_naa", "ledig",
     "privat", True),
    ("Asker stasjon øst, kombinert tomt", "centre:Asker sentrum", "Kombinert næring/kontor", "1800",
     "regulert", "ledig", "kommunal", True),
    ("Asker sentrum sør, handelstomt", "centre:Asker sentrum", "Handel", "1130", "ledig_naa",
     "reservert", "privat", True),
    ("Drengsrud næringsområde felt A", "zone:Drengsrud næringsområde", "Lager og logistikk", "1350",
     "ledig_naa", "ledig", "privat", True),
    ("Drengsrud næringsområde felt B", "zone:Drengsrud næringsområde", "Kontor", "1310", "regulert",
     "under_utbygging", "privat", True),
    ("Gjellum næringsområde", "zone:Gjellum næringsområde", "Lager og logistikk", "1300", "kommuneplan",
     "ledig", "privat", True),
    ("Holmen næringsområde felt BN1", "field:holmen:BN1", "Kombinert næring/kontor", "1300",
     "ledig_naa", "ledig", "privat", True),
    ("Holmen næringsområde felt BKL1", "field:holmen:BKL1", "Lager og logistikk", "1825", "ledig_naa",
     "ledig", "privat", True),
    ("Holmen næringsområde felt BKL2", "field:holmen:BKL2", "Kontor", "1825", "regulert", "utbygd",
     "privat", True),
    ("Billingstad næringspark felt A", "zone:Billingstad næringsområde", "Handel", "1150", "ledig_naa",
     "ledig", "privat", True),
    ("Billingstad næringspark felt B", "zone:Billingstad næringsområde", "Kontor", "1310", "ledig_naa",
     "reservert", "privat", True),
    ("Billingstad stasjon, kontortomt", "centre:Billingstad", "Kontor", "1310", "regulert", "ledig",
     "kommunal", True),
    ("Hvalstad stasjonsområde", "zone:Hvalstad næringsområde", "Kombinert næring/kontor", "1800",
     "regulert", "ledig", "kommunal", True),
    ("Heggedal næringsområde felt A", "zone:Heggedal næringsområde", "Industri", "1340", "ledig_naa",
     "ledig", "privat", True),
    ("Heggedal næringsområde felt B", "zone:Heggedal næringsområde", "Lager og logistikk", "1350",
     "regulert", "ledig", "privat", True),
    ("Heggedal sentrum, kontortomt", "centre:Heggedal", "Kontor", "1130", "ledig_naa", "ledig",
     "kommunal", True),
    ("Vollen, kombinert næringstomt", "centre:Vollen", "Kombinert næring/kontor", "1800", "regulert",
     "ledig", "privat", True),
    ("Slemmestad næringspark felt A", "zone:Slemmestad næringsområde", "Industri", "1340", "ledig_naa",
     "ledig", "privat", True),
    ("Slemmestad næringspark felt B", "zone:Slemmestad næringsområde", "Lager og logistikk", "1350",
     "ledig_naa", "under_utbygging", "privat", True),
    ("Slemmestad sentrum vest, felt BKB1", "field:slemmestad:BKB1", "Kombinert næring/kontor", "1800",
     "ledig_naa", "ledig", "kommunal", True),
    ("Røyken øst næringsområde", "zone:Røyken øst", "Lager og logistikk", "1300", "kommuneplan", "ledig",
     "privat", True),
    ("Røyken sentrum, kontortomt", "centre:Røyken sentrum (Midtbygda)", "Kontor", "1130", "regulert",
     "ledig", "kommunal", True),
    ("Spikkestad næringsområde", "zone:Spikkestad næringsområde", "Industri", "1340", "ledig_naa",
     "ledig", "privat", True),
    ("Spikkestad stasjon, kombinert tomt", "centre:Spikkestad", "Kombinert næring/kontor", "1800",
     "regulert", "trukket_tilbake", "kommunal", False),
    ("Kjekstad næringspark felt BN1", "field:kjekstad:BN1", "Lager og logistikk", "1300", "ledig_naa",
     "ledig", "privat", True),
    ("Kjekstad næringspark felt BKL1", "field:kjekstad:BKL1", "Lager og logistikk", "1825", "ledig_naa",
     "reservert", "privat", True),
    ("Kjekstad næringspark felt BI1", "field:kjekstad:BI1", "Industri", "1340", "regulert", "ledig",
     "privat", True),
    ("Kjekstad næringspark felt BLA1", "field:kjekstad:BLA1", "Lager og logistikk", "1350", "ledig_naa",
     "ledig", "privat", True),
    ("Kjekstad vest", "zone:Kjekstad vest", "Lager og logistikk", "1300", "kommuneplan", "ledig",
     "privat", False),
    ("Sætre sentrum, handelstomt", "centre:Sætre", "Handel", "1130", "ledig_naa", "ledig", "privat",
     True),
    ("Sætre sør næringsområde", "zone:Sætre sør", "Industri", "1300", "kommuneplan", "ledig", "kommunal",
     True),
    ("Verpen næringsområde felt A", "zone:Verpen næringsområde", "Lager og logistikk", "1350",
     "ledig_naa", "ledig", "privat", True),
    ("Verpen næringsområde felt B", "zone:Verpen næringsområde", "Industri", "1340", "ledig_naa",
     "under_utbygging", "privat", True),
    ("Verpen nord", "zone:Verpen nord", "Lager og logistikk", "1300", "kommuneplan", "ledig", "privat",
     True),
    ("Tofte industriområde felt A", "zone:Tofte industriområde", "Industri", "1340", "ledig_naa",
     "ledig", "privat", True),
    ("Tofte industriområde felt B", "zone:Tofte industriområde", "Lager og logistikk", "1350",
     "regulert", "utbygd", "privat", True),
    ("Holmsbu, næringstomt ved havna", "centre:Holmsbu", "Kombinert næring/kontor", "1800", "regulert",
     "reservert", "privat", False),
]

# The spreadsheet template: same columns, geometry as EPSG:25832 WKT or as a WGS84 point.
TEMPLATE_SPECS: list[tuple[str, str, str, str, str, str, str, bool]] = [
    ("Drengsrud næringsområde felt C", "zone:Drengsrud næringsområde", "Lager og logistikk", "1350",
     "regulert", "ledig", "privat", True),
    ("Vakås stasjon, kontortomt", "point:Vakås stasjon:140:-90:4500", "Kontor", "1310", "regulert",
     "ledig", "privat", True),
    ("Filtvet, næringstomt ved brygga", "point:Filtvet:60:-40:2600", "Kombinert næring/kontor", "1800",
     "kommuneplan", "ledig", "kommunal", True),
    ("Verpen næringsområde felt C", "zone:Verpen næringsområde", "Industri", "1340", "ledig_naa",
     "reservert", "privat", True),
]


@dataclass
class Site:
    props: dict[str, Any]
    geom: BaseGeometry  # EPSG:25832: Polygon, or Point for template rows given as lat/lon


def _fmt_dist(metres: float, lang: str) -> str:
    if metres < 1000:
        return f"{round(metres, -1):.0f} m"
    km = f"{metres / 1000:.1f}"
    return f"{km.replace('.', ',') if lang == 'nb' else km} km"


def _fmt_area(m2: int, lang: str) -> str:
    s = f"{round(m2, -2):,}"
    return s.replace(",", " ") if lang == "nb" else s


def site_descriptions(world: World, geom: BaseGeometry, area: int, use: str, readiness: str
                      ) -> tuple[str, str]:
    c = geom.centroid
    station = min(world.of_kind("rail_station"), key=lambda p: c.distance(Point(p.x, p.y)))
    junction = min(world.of_kind("road_junction"), key=lambda p: c.distance(Point(p.x, p.y)))
    ds, dj = c.distance(Point(station.x, station.y)), c.distance(Point(junction.x, junction.y))
    veg, _, where = junction.name.partition(" ")
    use_nb, use_en = USE_TEXT[use]
    ready_nb, ready_en = READINESS_TEXT[readiness]
    nb = (f"Fiktivt demoareal på ca. {_fmt_area(area, 'nb')} m² for {use_nb}. "
          f"{_fmt_dist(dj, 'nb')} til {veg}-krysset {where}, {_fmt_dist(ds, 'nb')} til {station.name}. "
          f"{ready_nb}")
    en = (f"Fictional demo site of about {_fmt_area(area, 'en')} m² for {use_en}. "
          f"{_fmt_dist(dj, 'en')} to the {veg} junction at {where}, {_fmt_dist(ds, 'en')} to "
          f"{station.name.replace(' stasjon', ' station')}. {ready_en}")
    return nb, en


def _container(kpa: Kpa, plans: dict[str, PlanLayout], spec: str) -> BaseGeometry:
    """The area a site is drawn inside: a regulated field, a KPA centre or business zone."""
    kind, _, rest = spec.partition(":")
    if kind == "field":
        plan, _, felt = rest.partition(":")
        return plans[plan].field(felt).geom
    if kind == "centre":
        return kpa.designed[rest].geom.difference(kpa.designed["Asker stasjon knutepunkt"].geom)
    return kpa.designed[rest].geom


def _place_site(rng: random.Random, world: World, container: BaseGeometry, use: str, field_site: bool,
                taken: list[BaseGeometry], corridors: BaseGeometry) -> Polygon:
    if field_site:
        # A regulated field offered whole, minus a setback to the neighbours.
        poly = container.buffer(-8, join_style="mitre")
        assert isinstance(poly, Polygon)
        return poly
    inner = container.intersection(world.land_inner).buffer(-10, join_style="mitre")
    lo, hi = SITE_AREA[use]
    target = rng.uniform(lo, hi)
    angle = math.degrees(math.atan2(*_main_axis(largest_polygon(container))[::-1]))
    for attempt in range(1500):
        area = max(2200.0, target * 0.85 ** (attempt // 150))
        aspect = rng.uniform(1.0, 1.9)
        w = math.sqrt(area * aspect)
        minx, miny, maxx, maxy = inner.bounds
        poly = quad(rng, rng.uniform(minx, maxx), rng.uniform(miny, maxy), w, area / w,
                    angle + rng.uniform(-6, 6), jitter=0.06)
        if (inner.contains(poly) and all(poly.distance(t) > 15 for t in taken)
                and poly.distance(corridors) > 10):
            return poly
    raise RuntimeError("no room for a site")


def _main_axis(poly: Polygon) -> XY:
    mrr = poly.minimum_rotated_rectangle
    (x0, y0), (x1, y1), (x2, y2) = list(mrr.exterior.coords)[:3]
    if math.hypot(x1 - x0, y1 - y0) >= math.hypot(x2 - x1, y2 - y1):
        return (x1 - x0, y1 - y0)
    return (x2 - x1, y2 - y1)


def build_sites(world: World, kpa: Kpa, plans: dict[str, PlanLayout], tett: list[Tettsted],
                corridors: BaseGeometry) -> tuple[list[Site], list[Site]]:
    rng = rng_for("sites")
    taken: list[BaseGeometry] = []
    boundary_wgs = reproject(world.land, TO_WGS84)

    def make(i: int, spec: tuple[str, str, str, str, str, str, str, bool]) -> Site:
        name, where, use, zoning, readiness, status, owner, published = spec
        if where.startswith("point:"):
            _, place, dx, dy, est = where.split(":")
            geom: BaseGeometry = Point(offset(world, place, float(dx), float(dy)))
            area = int(est)  # a planner's estimate: there is no polygon to measure
            if not world.land_inner.contains(geom) or any(geom.distance(t) < 30 for t in taken):
                raise RuntimeError(f"template point {name} misplaced")
        else:
            poly = _place_site(rng, world, _container(kpa, plans, where), use,
                               where.startswith("field:"), taken, corridors)
            geom = wgs84_roundtrip(poly)
            area = round(geom.area)
            if not 2000 <= area <= 80000:
                raise RuntimeError(f"site {name}: {area} m² out of range")
            if not boundary_wgs.contains(reproject(geom, TO_WGS84)):
                raise RuntimeError(f"site {name} not inside the kommune")
        taken.append(geom)
        contact, mailbox = CONTACTS[(i * 5) % len(CONTACTS)]
        phone = f"+47 400 00 0{(i * 5) % len(CONTACTS) + 1:02d}"
        nb, en = site_descriptions(world, geom, area, use, readiness)
        props = {
            "site_id": f"ASK-{i + 1:03d}", "name": name, "area_m2": area, "status": status,
            "readiness": readiness, "planned_use": use, "zoning_code": zoning, "ownership": owner,
            "tettsted": tettsted_name(tett, geom), "contact_name": contact,
            "contact_email": f"{mailbox}@example.no", "contact_phone": phone,
            "description_nb": nb, "description_en": en,
            "last_verified": f"2026-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}",
            "published": published, "planner_note": rng.choice(PLANNER_NOTES), "fictional": True,
        }
        return Site(props, geom)

    sites = [make(i, s) for i, s in enumerate(SITE_SPECS)]
    template = [make(len(SITE_SPECS) + i, s) for i, s in enumerate(TEMPLATE_SPECS)]
    return sites, template


# One site beside Asker stasjon, so the demo shows an A-site with the default ABC thresholds
# (transit class A: within 300 m on foot of a category II station; within 500 m of a centre).
# Built after the buildings and drawn from its own fixed candidates, so no other file changes.
STATION_SITE = ("Asker stasjon øst, kontortomt", "Asker stasjon", "Kontor", "1310", "ledig_naa",
                "ledig", "privat", True)
# East of the station first: the planner's browser test draws a new site just west of it.
STATION_SITE_OFFSETS = [(60.0, 100.0), (40.0, 100.0), (60.0, 60.0)]


def build_station_site(world: World, tett: list[Tettsted], corridors: BaseGeometry,
                       others: list[Site], buildings: list[Building]) -> Site:
    name, place, use, zoning, readiness, status, owner, published = STATION_SITE
    rng = rng_for("station_site")
    blocked = shapely.union_all([o.geom.buffer(15) for o in others]
                                + [b.footprint.buffer(5) for b in buildings] + [corridors.buffer(10)])
    for dx, dy in STATION_SITE_OFFSETS:
        cx, cy = offset(world, place, dx, dy)
        geom = wgs84_roundtrip(rect(cx, cy, 70, 50, 8))
        if world.land_inner.contains(geom) and not geom.intersects(blocked):
            break
    else:
        raise RuntimeError("no room for the site by Asker stasjon")
    area = round(geom.area)
    i = len(others)
    contact, mailbox = CONTACTS[(i * 5) % len(CONTACTS)]
    nb, en = site_descriptions(world, geom, area, use, readiness)
    props = {
        "site_id": f"ASK-{i + 1:03d}", "name": name, "area_m2": area, "status": status,
        "readiness": readiness, "planned_use": use, "zoning_code": zoning, "ownership": owner,
        "tettsted": tettsted_name(tett, geom), "contact_name": contact,
        "contact_email": f"{mailbox}@example.no",
        "contact_phone": f"+47 400 00 0{(i * 5) % len(CONTACTS) + 1:02d}",
        "description_nb": nb, "description_en": en,
        "last_verified": f"2026-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}",
        "published": published, "planner_note": rng.choice(PLANNER_NOTES), "fictional": True,
    }
    return Site(props, geom)


def write_sites(sites: list[Site]) -> None:
    write_geojson(DEMO_DIR / "sites.geojson",
                  [feature(s.props, rfc7946_geometry(s.geom)) for s in sites])


def _template_rows(template: list[Site]) -> list[dict[str, Any]]:
    rows = []
    for s in template:
        row = dict(s.props)
        if isinstance(s.geom, Point):
            lon, lat = TO_WGS84.transform(s.geom.x, s.geom.y)
            row.update(wkt="", lat=round(lat, 6), lon=round(lon, 6))
        else:
            row.update(wkt=shapely.to_wkt(s.geom, rounding_precision=2, trim=True), lat="", lon="")
        rows.append(row)
    return rows


TEMPLATE_HELP = [
    ("site_id", "Unik ID, ASK-nnn."), ("name", "Navn på arealet."),
    ("area_m2", "Areal i m² (beregnes fra polygonet når wkt er fylt ut; ellers ditt anslag)."),
    ("status", "ledig | reservert | under_utbygging | utbygd | trukket_tilbake"),
    ("readiness", "ledig_naa | regulert | kommuneplan"),
    ("planned_use", "F.eks. Kontor, Lager og logistikk, Industri, Handel, Kombinert næring/kontor"),
    ("zoning_code", "Arealformål etter PBL 2008 (firesifret kode, f.eks. 1300)."),
    ("ownership", "kommunal | privat"), ("tettsted", "Tettstedets navn."),
    ("contact_name", "Kontaktperson."), ("contact_email", "E-post."), ("contact_phone", "Telefon."),
    ("description_nb", "Beskrivelse på norsk (vises offentlig)."),
    ("description_en", "Description in English (shown publicly)."),
    ("last_verified", "Dato sist kontrollert, ÅÅÅÅ-MM-DD."),
    ("published", "true = vises i det offentlige kartet."),
    ("planner_note", "INTERN merknad - vises aldri offentlig."), ("fictional", "true for demodata."),
    ("wkt", "Polygon som WKT i EPSG:25832 (UTM 32N). Fyll ut enten wkt eller lat/lon."),
    ("lat", "Breddegrad WGS84 (punkt) når du ikke har polygon."),
    ("lon", "Lengdegrad WGS84 (punkt) når du ikke har polygon."),
]


def write_template(template: list[Site]) -> None:
    cols = [*SITE_COLUMNS, "wkt", "lat", "lon"]
    rows = _template_rows(template)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, delimiter=";", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("true" if v is True else "false" if v is False else v) for k, v in r.items()})
    write_text(DEMO_DIR / "sites_template.csv", buf.getvalue())

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "arealer"
    ws.append(cols)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([None if r[c] == "" else r[c] for c in cols])
    ws.freeze_panes = "A2"
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = 60 if c == "wkt" else 18
    help_ws = wb.create_sheet("veiledning")
    help_ws.append(["kolonne", "forklaring"])
    for row in TEMPLATE_HELP:
        help_ws.append(list(row))
    help_ws.column_dimensions["A"].width = 18
    help_ws.column_dimensions["B"].width = 90
    fixed = datetime.datetime(2026, 1, 1)
    wb.properties.creator = "Næringskart demo"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    raw = io.BytesIO()
    wb.save(raw)
    (DEMO_DIR / "sites_template.xlsx").write_bytes(normalise_zip(raw.getvalue()))


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed entry times and a fixed docProps date, so an .xlsx
    from openpyxl is byte-identical from run to run."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>2026-01-01T00:00:00Z", content)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, content)
    return out.getvalue()


# --------------------------------------------------------------------------- buildings

BUILDING_SIZE = {  # NS 3457 type -> ((min, max) length, (min, max) width), metres
    111: ((9, 15), (8, 12)), 112: ((10, 16), (9, 12)), 113: ((11, 17), (9, 12)),
    121: ((12, 18), (9, 12)), 131: ((24, 42), (9, 11)), 133: ((18, 30), (9, 12)),
    142: ((18, 34), (12, 16)), 145: ((24, 45), (13, 17)), 181: ((5, 8), (4, 7)),
    211: ((35, 80), (22, 45)), 212: ((20, 40), (14, 24)), 219: ((25, 60), (18, 35)),
    231: ((40, 95), (25, 50)), 232: ((30, 60), (20, 35)), 239: ((20, 45), (15, 25)),
    241: ((20, 40), (12, 20)), 311: ((20, 50), (12, 28)), 312: ((14, 25), (12, 18)),
    319: ((16, 35), (12, 22)), 321: ((50, 95), (40, 70)), 322: ((12, 30), (10, 20)),
    323: ((14, 22), (10, 16)), 412: ((18, 40), (9, 14)), 415: ((45, 90), (25, 40)),
    431: ((30, 60), (25, 40)), 511: ((25, 45), (12, 18)), 531: ((10, 20), (8, 14)),
    533: ((6, 10), (5, 8)),
}
CENTRE_BUSINESS_TYPES = {311: 30, 319: 8, 322: 25, 321: 3, 312: 3, 511: 3, 531: 10, 533: 4, 212: 5,
                         231: 3, 431: 3}
RESIDENTIAL_TYPES = {111: 45, 112: 10, 113: 2, 121: 6, 131: 10, 133: 4, 142: 5, 145: 6, 181: 12}
ZONE_BUSINESS_TYPES = {211: 12, 212: 10, 219: 8, 231: 18, 232: 4, 239: 6, 311: 8, 319: 5, 415: 3,
                       323: 2}
CLUSTER = {"regionsenter": (330, 900), "kommunedelsenter": (150, 550), "lokalsenter": (95, 450),
           "nærsenter": (40, 220)}  # level -> (buildings, spread in metres)


@dataclass
class Building:
    nummer: int
    bygningstype: int
    status: str
    footprint: Polygon  # EPSG:25832, coordinates rounded to cm


def _weighted(rng: random.Random, weights: dict[int, int]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Grid:
    """Tiny spatial hash: footprints must keep a few metres apart."""

    def __init__(self, cell: float = 80.0):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[BaseGeometry]] = {}

    def _keys(self, g: BaseGeometry) -> list[tuple[int, int]]:
        minx, miny, maxx, maxy = g.bounds
        c = self.cell
        return [(i, j) for i in range(int(minx // c) - 1, int(maxx // c) + 2)
                for j in range(int(miny // c) - 1, int(maxy // c) + 2)]

    def free(self, g: BaseGeometry, gap: float) -> bool:
        return all(g.distance(o) >= gap for k in self._keys(g) for o in self.cells.get(k, []))

    def add(self, g: BaseGeometry) -> None:
        minx, miny, _, _ = g.bounds
        self.cells.setdefault((int(minx // self.cell), int(miny // self.cell)), []).append(g)


def build_buildings(world: World, kpa: Kpa, plans: dict[str, PlanLayout], sites: list[Site],
                    template: list[Site], corridors: BaseGeometry) -> list[Building]:
    rng = rng_for("buildings")
    keep_free = shapely.union_all(
        [s.geom.buffer(10) for s in sites + template
         if s.props["status"] in ("ledig", "reservert", "trukket_tilbake")]
        + [z.geom for z in kpa.designed.values() if z.status == 2 or z.code in (2001, 3001)]
        + [plans["tofte"].extent, plans["kjekstad"].extent, corridors.buffer(8)])
    shapely.prepare(keep_free)
    grid = _Grid()
    out: list[tuple[int, str, Polygon]] = []

    def fp(btype: int, x: float, y: float, angle: float) -> Polygon:
        (l0, l1), (w0, w1) = BUILDING_SIZE[btype]
        poly = rect(x, y, rng.uniform(l0, l1), rng.uniform(w0, w1), angle)
        return shapely.set_precision(poly, 0.01)

    def try_place(btype: int, x: float, y: float, angle: float, status: str | None = None,
                  inside: BaseGeometry | None = None) -> bool:
        poly = fp(btype, x, y, angle)
        if inside is not None:
            ok = inside.contains(poly)
        else:
            ok = world.land_inner.contains(poly) and not keep_free.intersects(poly)
        if ok and grid.free(poly, 4.0):
            grid.add(poly)
            out.append((btype, status or "", poly))
            return True
        return False

    # Station buildings first, so the clusters grow around them.
    for st in world.of_kind("rail_station"):
        for _ in range(50):
            if try_place(412, st.x + rng.uniform(-40, 40), st.y + rng.uniform(-40, 40), rng.uniform(0, 180)):
                break
    # Sites already built on, or being built on.
    use_type = {"Kontor": 311, "Handel": 322, "Lager og logistikk": 231, "Industri": 211,
                "Kombinert næring/kontor": 319}
    for s in sites:
        if s.props["status"] in ("utbygd", "under_utbygging"):
            n, status = (2, "TB") if s.props["status"] == "utbygd" else (1, "IG")
            inner = s.geom.buffer(-6)
            c = s.geom.centroid
            ang = math.degrees(math.atan2(*_main_axis(largest_polygon(s.geom))[::-1]))
            placed = 0
            for _ in range(300):
                if placed == n:
                    break
                dx, dy = rng.uniform(-60, 60), rng.uniform(-60, 60)
                placed += try_place(use_type[s.props["planned_use"]], c.x + dx, c.y + dy, ang, status, inner)
    # Clusters around the centres: business near the core, homes further out.
    for p in world.of_kind("centre"):
        n, spread = CLUSTER[p.level]
        core = CENTRE_RADIUS[p.level] * 0.8
        base = rng.uniform(0, 90)
        placed = 0
        for _ in range(n * 40):
            if placed == n:
                break
            x, y = p.x + rng.gauss(0, spread), p.y + rng.gauss(0, spread)
            d = math.hypot(x - p.x, y - p.y)
            business = rng.random() < 0.65 * math.exp(-((d / core) ** 2)) + 0.04
            btype = _weighted(rng, CENTRE_BUSINESS_TYPES if business else RESIDENTIAL_TYPES)
            placed += try_place(btype, x, y, base + rng.choice([0, 90]) + rng.gauss(0, 6))
    # Existing business areas along the main roads.
    for z in kpa.designed.values():
        if z.code == 1300 and z.status == 1:
            minx, miny, maxx, maxy = z.geom.bounds
            ang = math.degrees(math.atan2(*_main_axis(largest_polygon(z.geom))[::-1]))
            placed = 0
            for _ in range(400):
                if placed == 10:
                    break
                x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
                if z.geom.contains(Point(x, y)):
                    placed += try_place(_weighted(rng, ZONE_BUSINESS_TYPES), x, y, ang + rng.gauss(0, 3))
    # Scattered farms: a farmhouse and a barn.
    farms = 0
    minx, miny, maxx, maxy = world.land.bounds
    centres = [Point(p.x, p.y) for p in world.of_kind("centre")]
    while farms < 25:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if min(c.distance(Point(x, y)) for c in centres) < 1500:
            continue
        ang = rng.uniform(0, 90)
        if try_place(113, x, y, ang):
            try_place(241, x + 28 * math.cos(math.radians(ang)), y + 28 * math.sin(math.radians(ang)), ang)
            farms += 1

    buildings = []
    nummer = 300_100_000
    for btype, status, poly in out:
        nummer += rng.randint(1, 997)
        bstatus = status or rng.choices(["TB", "FA", "IG"], weights=[86, 11, 3])[0]
        buildings.append(Building(nummer, btype, bstatus, poly))
    return buildings


def write_gpkg(path: Path, layer: str, gdf: gpd.GeoDataFrame) -> None:
    """GeoPackage 1.3: Debian's GDAL 3.6 (used for ogr2ogr) warns about 1.4.  The
    gpkg_contents timestamp comes from OGR_CURRENT_DATE (set in main)."""
    if path.exists():
        path.unlink()
    pyogrio.write_dataframe(gdf, path, layer=layer, driver="GPKG",
                            dataset_options={"VERSION": "1.3"}, layer_options={"SPATIAL_INDEX": "YES"})


def write_buildings(buildings: list[Building]) -> None:
    feats = [feature({"bygningsnummer": b.nummer, "bygningstype": b.bygningstype,
                      "bygningsstatus": b.status, "kommunenummer": KOMMUNE},
                     geojson_geometry(b.footprint.centroid, 2)) for b in buildings]
    write_geojson(DEMO_DIR / "bygningspunkt.geojson", feats, crs_urn="urn:ogc:def:crs:EPSG::25832")
    gdf = gpd.GeoDataFrame({"bygningsnummer": np.array([b.nummer for b in buildings], dtype="int64"),
                            "bygningstype": np.array([b.bygningstype for b in buildings], dtype="int32")},
                           geometry=[b.footprint for b in buildings], crs="EPSG:25832")
    write_gpkg(DEMO_DIR / "fkb_bygning.gpkg", "bygning", gdf)


# --------------------------------------------------------------------------- AR5

FARMLAND = [  # place, dx, dy, radius: cultivated landscapes (fictional extent)
    ("Røyken sentrum (Midtbygda)", 700, -300, 1400), ("E134 Kjekstad", -300, -100, 1200),
    ("Spikkestad", 500, -1000, 900), ("Heggedal", -1000, -200, 700), ("Sætre", -300, -500, 1300),
    ("Sætre", -1700, 400, 800), ("E134 Verpen (Hurum)", -400, 600, 900), ("Tofte", -1000, 1200, 900),
    ("Filtvet", -400, 700, 700), ("Holmsbu", 600, 600, 800), ("Holmsbu", 1500, 5400, 1200),
]


@dataclass
class Ar5Polygon:
    geom: Polygon
    arealtype: int
    treslag: int
    skogbonitet: int
    grunnforhold: int


def _ar5_attrs(rng: random.Random, arealtype: int) -> tuple[int, int, int]:
    """(treslag, skogbonitet, grunnforhold) in AR5 codes; 98 = ikke relevant."""
    if arealtype == 30:
        return (_weighted(rng, {31: 50, 32: 20, 33: 30}),
                _weighted(rng, {11: 5, 12: 25, 13: 40, 14: 20, 15: 10}),
                _weighted(rng, {42: 10, 43: 30, 44: 60}))
    if arealtype == 50:
        return (39, 98, _weighted(rng, {42: 60, 43: 40}))
    if arealtype == 60:
        return (39, 98, 45)
    if arealtype in (21, 22, 23):
        return (98, 98, _weighted(rng, {44: 85, 45: 15}))
    if arealtype in (11, 12):
        return (98, 98, 46)
    return (98, 98, 98)


def build_ar5(world: World, kpa: Kpa, plans: dict[str, PlanLayout], roads: list[Road],
              tett: list[Tettsted]) -> list[Ar5Polygon]:
    """A Voronoi tessellation of the southern and western kommune (south of the
    E18): farmland where the plans take land (KPA framtidig næring, Kjekstad,
    the Tofte proposal) so the jordvern analysis has something to find."""
    rng = rng_for("ar5")
    extent = world.land.intersection(box(570000, 6590000, 596000, 6631500))
    farm_zones = shapely.union_all([blob(rng, *offset(world, p, dx, dy), r) for p, dx, dy, r in FARMLAND])
    forced = shapely.union_all([z.geom for z in kpa.designed.values() if z.code == 1300 and z.status == 2]
                               + [plans["tofte"].extent, plans["kjekstad"].extent])
    built = shapely.union_all([t.geom for t in tett]
                              + [z.geom for z in kpa.designed.values()
                                 if z.status == 1 and z.code in (1130, 1300, 2001)])
    for g in (extent, farm_zones, forced, built):
        shapely.prepare(g)
    minx, miny, maxx, maxy = extent.bounds
    seeds: list[Point] = []
    while len(seeds) < 1300:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if extent.contains(p):
            seeds.append(p)
    while len(seeds) < 1650:  # finer pattern in the farmland
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if extent.contains(p) and farm_zones.contains(p):
            seeds.append(p)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=box(minx, miny, maxx, maxy))
    road_area = shapely.union_all(
        [r.geom.buffer(12 if r.vegkategori == "E" else 7, cap_style="flat") for r in roads]
    ).intersection(extent)
    # Node all outlines once on a 1 cm grid and polygonize: an exact partition,
    # with no slivers or overlaps between neighbouring polygons.
    cell_lines = shapely.union_all([c.boundary for c in shapely.get_parts(cells)])
    noded = shapely.union_all([extent.boundary, road_area.boundary,
                               cell_lines.intersection(extent).difference(road_area)], grid_size=0.01)
    shapely.prepare(road_area)
    out: list[Ar5Polygon] = []
    for face in polygon_parts(shapely.polygonize(list(shapely.get_parts(noded)))):
        c = face.representative_point()
        if not extent.contains(c):
            continue
        if road_area.contains(c):
            at = 12
        elif face.intersection(forced).area > min(2000, 0.05 * face.area):
            at = _weighted(rng, {21: 60, 22: 12, 23: 13, 30: 15})
        elif built.contains(c):
            at = _weighted(rng, {11: 85, 30: 15})
        elif farm_zones.contains(c):
            at = _weighted(rng, {21: 60, 22: 12, 23: 15, 30: 10, 11: 3})
        else:
            at = _weighted(rng, {30: 82, 50: 7, 60: 5, 81: 3, 21: 3})
        out.append(Ar5Polygon(face, at, *_ar5_attrs(rng, at)))
    # Faces of a few m² where outlines nearly meet are below any mapping unit.
    merged = merge_small_parts([(a.geom, {"ar5": a}) for a in out], 100)
    return [Ar5Polygon(g, m["ar5"].arealtype, m["ar5"].treslag, m["ar5"].skogbonitet, m["ar5"].grunnforhold)
            for g, m in merged]


def write_ar5(ar5: list[Ar5Polygon]) -> None:
    gdf = gpd.GeoDataFrame({
        "arealtype": np.array([a.arealtype for a in ar5], dtype="int32"),
        "treslag": np.array([a.treslag for a in ar5], dtype="int32"),
        "skogbonitet": np.array([a.skogbonitet for a in ar5], dtype="int32"),
        "grunnforhold": np.array([a.grunnforhold for a in ar5], dtype="int32"),
    }, geometry=[a.geom for a in ar5], crs="EPSG:25832")
    write_gpkg(DEMO_DIR / "ar5.gpkg", "ar5", gdf)


def write_ar5_sosi(kpa: Kpa, ar5: list[Ar5Polygon]) -> None:
    """A 600 m x 600 m AR5 extract near Røyken as SOSI: land cover as FLATEs."""
    c = kpa.designed["Røyken øst"].geom.centroid
    window = box(c.x - 300, c.y - 300, c.x + 300, c.y + 300)
    picked: list[tuple[Polygon, Ar5Polygon]] = []
    for a in ar5:
        if a.geom.intersects(window):
            for p in polygon_parts(a.geom.intersection(window)):
                if p.area > 20:
                    picked.append((p, a))
    topo = build_topology([p for p, _ in picked])

    def attrs(f: Flate) -> list[str]:
        a = picked[f.label][1]
        return ["..OBJTYPE ArealressursFlate", f"..ARTYPE {a.arealtype}", f"..ARTRESLAG {a.treslag}",
                f"..ARSKOGBON {a.skogbonitet}", f"..ARGRUNNF {a.grunnforhold}",
                "..DATAFANGSTDATO 20190815", '..KARTSTD "AR5"', *sosi_ident("ar5", f.point)]

    header = sosi_header(charset="UTF-8", bounds=window.bounds, produktspek="FKB-AR5 4.6",
                         comment=[FICTION_NOTE])
    text = sosi_document(topo, header=header,
                         curve_objtypes=("ArealressursGrenseFiktiv", "ArealressursGrense"),
                         flate_attrs=attrs, outline_attrs=None)
    write_text(DEMO_DIR / "ar5_utsnitt.sos", text)


# --------------------------------------------------------------------------- GTFS

SERVICE_ID = "DEMO:DayType:Hverdag"
# Weekday public holidays in 2026 (Easter Sunday is 5 April): no weekday service.
HOLIDAYS_2026 = ["20260101", "20260402", "20260403", "20260406", "20260501", "20260514", "20260525",
                 "20261225"]
RAIL_LINES = [  # id, short, long, route_type, stations, departures per hour and direction
    ("L1", "L1", "Spikkestad - Asker - Billingstad", 109,
     ["Spikkestad stasjon", "Røyken stasjon", "Heggedal stasjon", "Asker stasjon", "Vakås stasjon",
      "Hvalstad stasjon", "Billingstad stasjon"], 2),
    ("R13", "R13", "Spikkestad - Asker - Billingstad (fiktiv ekspress)", 2,
     ["Spikkestad stasjon", "Asker stasjon", "Billingstad stasjon"], 2),
]
BUS_STOPS = [  # name, place, dx, dy
    ("Asker bussterminal", "Asker stasjon", 60, -70), ("Vakås", "Vakås stasjon", 50, 40),
    ("Hvalstad", "Hvalstad stasjon", -50, 40), ("Billingstad", "Billingstad", 40, -60),
    ("Holmen senter", "Holmen", -40, -40), ("Drengsrud", "E18 Asker (Drengsrud)", -150, 120),
    ("Gjellum", "E18 Gjellum", 150, 150), ("Heggedal torg", "Heggedal", 40, 40),
    ("Vollen", "Vollen", -40, 30), ("Slemmestad sentrum", "Slemmestad", -40, -40),
    ("Røyken sentrum", "Røyken sentrum (Midtbygda)", 40, -40), ("Spikkestad sentrum", "Spikkestad", 60, 40),
    ("Kjekstad", "E134 Kjekstad", -120, 150), ("Sætre sentrum", "Sætre", -40, 40),
    ("Verpen", "E134 Verpen (Hurum)", -150, -120), ("Filtvet", "Filtvet", -60, 30),
    ("Tofte", "Tofte", -60, 60), ("Holmsbu", "Holmsbu", 60, 30),
]
BUS_LINES = [  # short name, long name, main stops, departures per hour and direction (06-20)
    ("210", "Asker - Vakås - Billingstad", ["Asker bussterminal", "Vakås", "Hvalstad", "Billingstad"], 2),
    ("220", "Asker - Holmen - Billingstad", ["Asker bussterminal", "Drengsrud", "Holmen senter",
                                             "Billingstad"], 6),
    ("225", "Holmen - Vollen - Slemmestad", ["Holmen senter", "Vollen", "Slemmestad sentrum"], 3),
    ("230", "Asker - Heggedal - Røyken", ["Asker bussterminal", "Gjellum", "Heggedal torg",
                                          "Røyken sentrum"], 3),
    ("240", "Røyken - Spikkestad", ["Røyken sentrum", "Spikkestad sentrum"], 2),
    ("250", "Slemmestad - Røyken - Kjekstad", ["Slemmestad sentrum", "Røyken sentrum", "Kjekstad"], 1),
    ("260", "Røyken - Kjekstad - Sætre", ["Røyken sentrum", "Kjekstad", "Sætre sentrum"], 2),
    ("270", "Sætre - Verpen - Tofte", ["Sætre sentrum", "Verpen", "Filtvet", "Tofte"], 1),
    ("280", "Sætre - Holmsbu", ["Sætre sentrum", "Holmsbu"], 1),
]
STOP_SUFFIXES = ["skole", "kirke", "gård", "krysset", "nord", "sør", "øst", "vest"]


@dataclass
class StopPlace:
    stop_id: str
    name: str
    x: float
    y: float
    quays: list[tuple[str, str, float, float]]  # (quay id, platform code, x, y)


def _onto_land(allowed: BaseGeometry, x: float, y: float) -> XY:
    """Move a stop that fell in the fjord or on a motorway to the nearest allowed spot."""
    p = Point(x, y)
    if allowed.contains(p):
        return (x, y)
    q = nearest_points(allowed, p)[0]
    return (q.x, q.y)


def build_stops(world: World, corridors: BaseGeometry) -> tuple[dict[str, StopPlace], dict[str, list[str]]]:
    """Stop places with two quays each (one per direction); bus lines get extra
    stops every ~2.5 km between their main stops."""
    allowed = world.land.buffer(-60).difference(corridors.buffer(12))
    shapely.prepare(allowed)
    stops: dict[str, StopPlace] = {}

    def add(name: str, num: int, x: float, y: float, codes: tuple[str, str], along: float) -> None:
        x, y = _onto_land(allowed, x, y)
        a = math.radians(along + 90)
        quays = [(f"NSR:Quay:{num}{k + 1}", code, x + s * 12 * math.cos(a), y + s * 12 * math.sin(a))
                 for k, (code, s) in enumerate(zip(codes, (1, -1), strict=True))]
        stops[name] = StopPlace(f"NSR:StopPlace:{num}", name, x, y, quays)

    for i, st in enumerate(world.of_kind("rail_station")):
        add(st.name, 990101 + i, st.x, st.y, ("1", "2"), 51)
    for i, (name, place, dx, dy) in enumerate(BUS_STOPS):
        add(name, 990201 + i, *offset(world, place, dx, dy), ("A", "B"), 0)
    lines: dict[str, list[str]] = {}
    segment_stops: dict[tuple[str, str], list[str]] = {}
    num = 990201 + len(BUS_STOPS)
    used_names = {n for n in stops}
    for short, _, main, _ in BUS_LINES:
        seq = [main[0]]
        for a, b in pairwise(main):
            key = (a, b) if a < b else (b, a)
            if key not in segment_stops:
                pa, pb = stops[key[0]], stops[key[1]]
                n = min(2, int(math.hypot(pb.x - pa.x, pb.y - pa.y) // 2500))
                names = []
                for k in range(1, n + 1):
                    x = pa.x + (pb.x - pa.x) * k / (n + 1)
                    y = pa.y + (pb.y - pa.y) * k / (n + 1)
                    near = min((pa, pb), key=lambda s: math.hypot(s.x - x, s.y - y))
                    base = near.name.split()[0]
                    # Name by compass direction from the nearer main stop, then by landmark.
                    bearing = math.degrees(math.atan2(x - near.x, y - near.y)) % 360
                    compass = ["nord", "øst", "sør", "vest"][int((bearing + 45) % 360 // 90)]
                    name = next(f"{base} {suf}" for suf in [compass, *STOP_SUFFIXES]
                                if f"{base} {suf}" not in used_names)
                    used_names.add(name)
                    add(name, num, x, y, ("A", "B"), 0)
                    num += 1
                    names.append(name)
                segment_stops[key] = names
            mids = segment_stops[key]
            seq += (mids if key == (a, b) else mids[::-1]) + [b]
        lines[short] = seq
    return stops, lines


def _hms(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def build_gtfs(world: World, corridors: BaseGeometry) -> dict[str, list[list[Any]]]:
    rng = rng_for("gtfs")
    stops, bus_seq = build_stops(world, corridors)
    tables: dict[str, list[list[Any]]] = {
        "agency.txt": [["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
                       ["DEMO:Authority:TOG", "Tog (fiktivt demoselskap)", "https://example.no/tog",
                        "Europe/Oslo", "no"],
                       ["DEMO:Authority:BUSS", "Buss (fiktivt demoselskap)", "https://example.no/buss",
                        "Europe/Oslo", "no"]],
        "stops.txt": [["stop_id", "stop_name", "stop_desc", "stop_lat", "stop_lon", "location_type",
                       "parent_station", "platform_code"]],
        "routes.txt": [["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"]],
        "trips.txt": [["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"]],
        "stop_times.txt": [["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"]],
        "calendar.txt": [["service_id", "monday", "tuesday", "wednesday", "thursday", "friday",
                          "saturday", "sunday", "start_date", "end_date"],
                         [SERVICE_ID, 1, 1, 1, 1, 1, 0, 0, "20260101", "20261231"]],
        "calendar_dates.txt": [["service_id", "date", "exception_type"]]
                              + [[SERVICE_ID, d, 2] for d in HOLIDAYS_2026],
        "feed_info.txt": [["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date",
                           "feed_end_date", "feed_version"],
                          ["Næringskart (fiktive demodata)", "https://example.no", "no", "20260101",
                           "20261231", "demo-1"]],
    }

    def lonlat(x: float, y: float) -> tuple[float, float]:
        lon, lat = TO_WGS84.transform(x, y)
        return round(lat, 6), round(lon, 6)

    for s in stops.values():
        kind = "Jernbanestasjon" if s.name.endswith("stasjon") else "Bussholdeplass"
        tables["stops.txt"].append([s.stop_id, s.name, f"{kind} (fiktiv)", *lonlat(s.x, s.y), 1, "", ""])
        for qid, code, qx, qy in s.quays:
            tables["stops.txt"].append([qid, s.name, "", *lonlat(qx, qy), 0, s.stop_id, code])

    lines = [(f"DEMO:Line:{rid}", "DEMO:Authority:TOG", short, long, rtype, seq, per_hour, 1000.0)
             for rid, short, long, rtype, seq, per_hour in RAIL_LINES]
    lines += [(f"DEMO:Line:{short}", "DEMO:Authority:BUSS", short, long, 3, bus_seq[short], per_hour, 450.0)
              for short, long, _, per_hour in BUS_LINES]
    for route_id, agency, short, long, rtype, seq, per_hour, metres_per_min in lines:
        tables["routes.txt"].append([route_id, agency, short, long, rtype])
        headway = 60 // per_hour
        start = rng.randrange(headway)
        for direction in (0, 1):
            order = seq if direction == 0 else seq[::-1]
            places = [stops[n] for n in order]
            legs = [max(1, round(math.hypot(b.x - a.x, b.y - a.y) * 1.3 / metres_per_min))
                    for a, b in pairwise(places)]
            t = 5 * 60 + (start + (headway // 2) * direction) % headway
            n = 0
            while t < 24 * 60:
                n += 1
                trip_id = f"DEMO:ServiceJourney:{short}-{direction}-{n:03d}"
                tables["trips.txt"].append([route_id, SERVICE_ID, trip_id, places[-1].name, direction])
                clock = t
                for k, sp in enumerate(places):
                    if k:
                        clock += legs[k - 1]
                    tables["stop_times.txt"].append([trip_id, _hms(clock), _hms(clock),
                                                     sp.quays[direction][0], k + 1])
                t += headway if 6 * 60 <= t < 20 * 60 else 2 * headway  # thinner mornings/evenings
    return tables


def write_gtfs(tables: dict[str, list[list[Any]]]) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(tables):
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(tables[name])
            zi = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, buf.getvalue().encode("utf-8"))
    (DEMO_DIR / "gtfs_asker.zip").write_bytes(out.getvalue())


# --------------------------------------------------------------------------- statistics

PLAN_SOURCE = "Temaplan for næring 2020–2032"
YEARS = list(range(2015, 2025))


def jsonstat(table: str, label: str, contents: list[tuple[str, str, str]], values: list[int],
             note: str) -> dict[str, Any]:
    """A JSON-stat 2.0 dataset shaped like SSB's PxWebApi v2 output (Region x
    ContentsCode x Tid), with the fiction stated in label, note and extension."""
    return {
        "version": "2.0",
        "class": "dataset",
        "label": f"{table}: {label} (FIKTIVE TALL / fictional values)",
        "source": "Statistisk sentralbyrå (tabellstruktur); tallene er fiktive",
        "note": [note, ("FIKTIVE TALL - demodata for Næringskart, ikke fra SSB. "
                       "Fictional values for demonstration only.")],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [1, len(contents), len(YEARS)],
        "dimension": {
            "Region": {"label": "region", "category": {"index": {KOMMUNE: 0}, "label": {KOMMUNE: "Asker"}}},
            "ContentsCode": {"label": "statistikkvariabel", "category": {
                "index": {c: i for i, (c, _, _) in enumerate(contents)},
                "label": {c: lab for c, lab, _ in contents},
                "unit": {c: {"base": unit, "decimals": 0} for c, _, unit in contents}}},
            "Tid": {"label": "år", "category": {"index": {str(y): i for i, y in enumerate(YEARS)},
                                                "label": {str(y): str(y) for y in YEARS}}},
        },
        "extension": {"px": {"tableid": table, "language": "no", "decimals": 0,
                             "official-statistics": False}, "fictional": True},
        "value": values,
    }


def write_ssb() -> None:
    rng = rng_for("ssb")
    resident, workplace, both = [], [], []
    for i, _ in enumerate(YEARS):
        r = round(48200 * 1.0095 ** i + rng.uniform(-150, 150))
        w = round(35400 * 1.0075 ** i + rng.uniform(-150, 150))
        resident.append(r)
        workplace.append(w)
        both.append(round(r * rng.uniform(0.412, 0.425)))
    inn = [w - b for w, b in zip(workplace, both, strict=True)]
    ut = [r - b for r, b in zip(resident, both, strict=True)]
    contents = [("Bosatte", "Bosatte sysselsatte (FIKTIVE TALL)", "personer"),
                ("SysselArbsted", "Sysselsatte etter arbeidssted (FIKTIVE TALL)", "personer"),
                ("Innpendling", "Innpendling (FIKTIVE TALL)", "personer"),
                ("Utpendling", "Utpendling (FIKTIVE TALL)", "personer"),
                ("BoArbeid", "Bor og arbeider i kommunen (FIKTIVE TALL)", "personer")]
    values = resident + workplace + inn + ut + both  # row-major: Region, ContentsCode, Tid
    ds = jsonstat("11616", "Sysselsatte, pendling, etter region, statistikkvariabel og år", contents,
                  values, "Tall for årene før 2024 gjelder dagens Asker (3203).")
    write_text(DEMO_DIR / "ssb_11616.json", json.dumps(ds, ensure_ascii=False, indent=1) + "\n")
    pop = [round(94050 + 420 * i + rng.uniform(-120, 120)) for i in range(len(YEARS))]
    ds = jsonstat("07459", "Befolkning, etter region, statistikkvariabel og år",
                  [("Personer1", "Personer (FIKTIVE TALL)", "personer")], pop,
                  "Folkemengde 1. januar.")
    write_text(DEMO_DIR / "ssb_07459_befolkning.json", json.dumps(ds, ensure_ascii=False, indent=1) + "\n")


STAT_COLUMNS = ["indicator", "region", "region_type", "year", "value", "unit", "source", "fictional",
                "kind", "comparator", "region_name", "note"]


def write_statistics(tett: list[Tettsted]) -> None:
    rng = rng_for("statistikk")
    rows: list[list[Any]] = []
    # Fictional: workplaces per tettsted (Asker part only), 2020-2024.
    for t in tett:
        for i, year in enumerate(range(2020, 2025)):
            value = round(t.workplaces_2024 * (0.94 + 0.015 * i) * rng.uniform(0.99, 1.01))
            rows.append(["arbeidsplasser", t.nummer, "tettsted", year, value, "antall",
                         "Fiktive demodata", "true", "result", "=", t.navn,
                         "Kun delen av tettstedet som ligger i Asker" if t.navn == "Oslo" else ""])
    # Real: the plan's own published figures (Temaplan for næring 2020-2032).
    real: list[tuple[str, str, str, dict[int, float], dict[int, float], str, str]] = [
        ("nho_kommune_nm_rangering", "rangering", "<=", {2017: 12, 2018: 12, 2019: 13},
         {2021: 12, 2022: 12, 2023: 11, 2024: 10}, "NHO Kommune-NM, plass blant landets kommuner",
         "Mål: topp 10"),
        ("nho_kommune_nm_rangering_fylke", "rangering", "<=", {2017: 5, 2018: 5, 2019: 5},
         {2021: 4, 2022: 3, 2023: 3, 2024: 3}, "NHO Kommune-NM, plass i fylket", "Mål: topp 3"),
        ("arbeidsplassvekst_andel_av_befolkningsvekst", "prosent", ">", {2017: 56, 2018: 168, 2019: 9},
         {2021: 50, 2022: 50, 2023: 50, 2024: 50}, "Vekst i arbeidsplasser som andel av befolkningsveksten",
         "Ambisjon: over 50 %"),
        ("andel_bor_og_arbeider_i_kommunen", "prosent", ">=", {2017: 41.9, 2018: 42.3, 2019: 41.4},
         {2021: 41.4, 2022: 42.0, 2023: 42.5, 2024: 43.0}, "Andel som bor og arbeider i kommunen",
         "Mål: økning hvert år"),
        ("omdisponert_dyrka_jord", "dekar", "<=", {2017: 23, 2018: 260, 2019: 90},
         {2021: 15, 2022: 15, 2023: 15, 2024: 15}, "Omdisponert dyrka jord",
         "Nasjonalt jordvernmål, kommunens ambisjon høyst 15 daa per år"),
    ]
    for indicator, unit, comparator, results, ambitions, name, note in real:
        for year, v in results.items():
            rows.append([indicator, KOMMUNE, "kommune", year, v, unit, PLAN_SOURCE, "false", "result", "=",
                         "Asker", name])
        for year, v in ambitions.items():
            rows.append([indicator, KOMMUNE, "kommune", year, v, unit, PLAN_SOURCE, "false", "ambition",
                         comparator, "Asker", f"{name}. {note}"])
    # The plan gives these without a year: the year column stays empty.
    rows.append(["arbeidsplasser", KOMMUNE, "kommune", "", 37000, "antall", PLAN_SOURCE, "false",
                 "result", "~", "Asker", "«Om lag 37 000» (planen oppgir ikke år)"])
    rows.append(["arbeidsplasser", "sentrale_asker", "område", "", 24000, "antall", PLAN_SOURCE, "false",
                 "result", "~", "Sentrale Asker (Asker sentrum, Holmen, Billingstad)",
                 "«Om lag 24 000» av arbeidsplassene i Asker (planen oppgir ikke år)"])
    for code, name, share in (("0627", "Røyken (før 2020)", 49), ("0628", "Hurum (før 2020)", 61)):
        rows.append(["egendekning_arbeidsplasser", code, "kommune", "", share, "prosent", PLAN_SOURCE,
                     "false", "result", "=", name,
                     "Arbeidsplasser delt på sysselsatte bosatte (planen oppgir ikke år)"])
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(STAT_COLUMNS)
    w.writerows(rows)
    write_text(DEMO_DIR / "statistikk_tettsted.csv", buf.getvalue())


# --------------------------------------------------------------------------- README


def write_readme(counts: dict[str, int]) -> None:
    c = counts
    rows = [
        ("asker_kommune_3203_2024.geojson", "GeoJSON, WGS84 (input, copied unchanged)",
         ("**REAL** Asker kommune boundary, © Kartverket, CC BY 4.0. From "
         "github.com/robhop/fylker-og-kommuner `Kommuner-M.geojson` (commit 77f1e665), derived from "
         "Kartverket's administrative units; simplified and coastline-clipped, **not the legal boundary**.")),
        ("asker_places.csv", "CSV, WGS84 lat/lon (input, copied unchanged)",
         "Stations, centres and E18/E134 junctions: **approximate positions (±300 m), not surveyed**."),
        ("sites.geojson", "GeoJSON RFC 7946, WGS84",
         (f"FICTIONAL: {c['sites']} available business sites ASK-001… (polygons; `area_m2` = area in "
         "EPSG:25832; `planner_note` is internal and must never be shown publicly; 3 have "
         "`published=false`; the last, ASK-042 beside Asker stasjon, gives the demo an A-site "
         "with the default ABC thresholds).")),
        ("sites_template.csv", "CSV, UTF-8, `;`-separated",
         (f"FICTIONAL: the planners' spreadsheet template with {c['template']} extra sites; same columns as "
         "sites.geojson plus `wkt` (polygon, EPSG:25832) or `lat`/`lon` (point, WGS84); "
         "the unused ones empty.")),
        ("sites_template.xlsx", "XLSX (sheet `arealer`, help in `veiledning`)",
         "FICTIONAL: the same template rows as the CSV."),
        ("plan_kpa_asker.sos", "SOSI 4.5, UTF-8, KOORDSYS 22 (EPSG:25832), ENHET 0.01",
         (f"FICTIONAL kommuneplanens arealdel (plantype 20, PLANID 2020001): {c['kpa']} "
         "KpArealformålOmråde FLATEs on shared KURVEs (KpArealformålGrense/KpGrense), holes, reversed refs; "
         "KpOmråde outline FLATEs carry the plan attributes. Framtidig (AREALST 2) næring on farmland.")),
        ("plan_rp_kjekstad.sos", "SOSI 4.5, UTF-8, EPSG:25832",
         "FICTIONAL detaljregulering Kjekstad næringspark (plantype 35, planstatus 3, vedtatt 2023-04-12)."),
        ("plan_rp_holmen.sos", "SOSI 4.5, **ISO8859-10 bytes, CRLF**, EPSG:25832",
         "FICTIONAL detaljregulering Holmen næringsområde (plantype 35, planstatus 3, vedtatt 2019-09-03)."),
        ("plan_rp_slemmestad.gml", "SOSI-GML (GML 3.2), EPSG:25832; layers `RpOmråde`, `RpArealformålOmråde`",
         "FICTIONAL detaljregulering Slemmestad sentrum vest (Reguleringsplan 4.5-style)."),
        ("plan_rb_1985_vollen.geojson", "GeoJSON RFC 7946, WGS84",
         "FICTIONAL PBL 1985 reguleringsplan (plantype 30), 3-digit `reguleringsformal`."),
        ("plan_rp_forslag_tofte.geojson", "GeoJSON RFC 7946, WGS84",
         "FICTIONAL planforslag (planstatus 2, not adopted) rezoning farmland near Tofte to 1300."),
        ("bygningspunkt.geojson", "GeoJSON, **EPSG:25832** with a legacy `crs` member",
         (f"FICTIONAL Matrikkelen-Bygningspunkt-style points: {c['buildings']} buildings "
         "(`bygningsnummer`, NS 3457 `bygningstype`, `bygningsstatus` TB/IG/FA, `kommunenummer`).")),
        ("fkb_bygning.gpkg", "GeoPackage 1.3, layer `bygning`, EPSG:25832",
         ("FICTIONAL footprints (rotated rectangles) of the same buildings "
         "(`bygningsnummer`, `bygningstype`).")),
        ("tettsteder.geojson", "GeoJSON, **EPSG:25833** with a legacy `crs` member",
         (f"FICTIONAL SSB-style tettsteder ({c['tettsteder']} Polygon/MultiPolygon features; "
          "`tettstednummer`, `tettstednavn`, `totalBefolkning`); «Oslo» runs over the kommune border "
          "to the north-east: clip it.")),
        ("centres.geojson", "GeoJSON RFC 7946, WGS84",
         "Senterstruktur from asker_places.csv (`name`, `level`); approximate positions."),
        ("ssb_11616.json", "JSON-stat 2.0 (PxWebApi v2 shape)",
         ("FICTIONAL values for SSB table 11616 (Region 3203 × 5 contents × 2015–2024): employed by "
         "residence and workplace, in-/out-commuting, living and working in the kommune.")),
        ("ssb_07459_befolkning.json", "JSON-stat 2.0 (PxWebApi v2 shape)",
         "FICTIONAL population of 3203, 2015–2024."),
        ("statistikk_tettsted.csv", "CSV, UTF-8, `;`-separated",
         ("Workplaces per tettsted 2020–2024 (FICTIONAL, `fictional=true`) and **REAL** figures from Asker "
         "kommune's «Temaplan for næring 2020–2032» (`fictional=false`): results (`kind=result`) and "
         "ambitions (`kind=ambition`).")),
        ("ar5.gpkg", "GeoPackage 1.3, layer `ar5`, EPSG:25832",
         (f"FICTIONAL NIBIO AR5-style land cover, {c['ar5']} polygons south of the E18 (`arealtype`, "
         "`treslag`, `skogbonitet`, `grunnforhold`), farmland under the planned business land.")),
        ("ar5_utsnitt.sos", "SOSI 4.5, UTF-8, EPSG:25832",
         f"FICTIONAL AR5 extract near Røyken: {c['ar5_sosi']} ArealressursFlate FLATEs with ..ARTYPE."),
        ("gtfs_asker.zip", ("GTFS (agency, stops, routes, trips, stop_times, calendar, calendar_dates, "
         "feed_info)"), (f"FICTIONAL weekday timetable 2026: {c['rail_stations']} rail stations and "
         f"{c['bus_stops']} bus stops (NSR:StopPlace with NSR:Quay children), {c['trips']} trips 05–24.")),
        ("hovedveg.geojson", "GeoJSON RFC 7946, WGS84",
         ("Approximate (FICTIONAL geometry) E18, E134, Fv165, Fv167 "
         "(`vegnummer`, `vegkategori` E/F, `navn`).")),
        ("hovedveg_kryss.geojson", "GeoJSON RFC 7946, WGS84",
         "E18/E134 junctions from asker_places.csv (`name`, `vegnummer`); approximate positions."),
        ("gangnett.geojson", "GeoJSON, **EPSG:25832** with a legacy `crs` member",
         (f"FICTIONAL walking network for the ABC analysis: {c.get('walk', 0)} street and path "
          "segments (`path_key`, `kind` fortau/gangveg/sti, `fictional`) on a 100 m grid within "
          "600 m of every station and centre with diagonal avenues out from each, split at every "
          "crossing, with a short path from each "
          "station and centre to the grid; not the real street network.")),
    ]
    lines = [
        "# Demo data for Næringskart: Asker kommune (3203)",
        "",
        ("**Everything here is FICTIONAL demo data**, except the kommune boundary (real, © Kartverket, "
        "CC BY 4.0, simplified), the approximate places list, and the rows of `statistikk_tettsted.csv` "
        "marked `fictional=false` (real figures from Asker kommune's «Temaplan for næring 2020–2032»)."),
        "",
        ("Regenerate with `python etl/demo/generate.py` (uses only the two input files in this folder; "
        "fixed seeds, no network, no clock: two runs give byte-identical files). This README is written "
        "by the generator too; edit it there."),
        "",
        "| file | format / CRS | content |",
        "|---|---|---|",
        *[f"| `{name}` | {fmt} | {what} |" for name, fmt, what in rows],
        "",
        "Notes for consumers:",
        "",
        ("- SOSI files use the element names of real exports: `..KPAREALFORMÅL` and `..AREALST` "
        "(arealbruksstatus) on KpArealformålOmråde, `..RPAREALFORMÅL` on RpArealformålOmråde, `..PLANSTAT`, "
        "`..PLANTYPE`, `..IKRAFT`, `..VEDTAKENDELIGPLAN`, `..NASJONALAREALPLANID` (`...KOMM`, `...PLANID`), "
        "`..UTNYTT` (`...UTNTYP`, `...UTNTALL`). Plan outlines are KpOmråde/RpOmråde FLATEs."),
        ("- `statistikk_tettsted.csv`: `comparator` says how to read `value`: `=` exact, `~` approximately, "
        "and for ambitions `<=` (rank or dekar at most), `>=` (at least), `>` (more than). An empty `year` "
        "means the plan gives no year."),
        ("- GTFS: departures per hour (both directions, a trip's last stop not counted) are 8 at Asker "
        "stasjon and 4 at the other stations (L1 all stations and the fictional express R13 "
        "Spikkestad–Asker–Billingstad, each every 30 min); buses 1–6 per hour and direction between 06 "
        "and 20, half as often before 06 and after 20. Stop times use the quays (`NSR:Quay:…`), whose "
        "`parent_station` is the `NSR:StopPlace:…`."),
    ]
    write_text(DEMO_DIR / "README.md", "\n".join(lines) + "\n")


# --------------------------------------------------------------------------- validation


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)


def _read(path: Path, layer: str | None = None, list_layers: bool = False) -> Any:
    """Read a vector file back with pyogrio from a scratch copy, so drivers that
    write side files (GML writes a .gfs) never touch the demo folder."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copy(path, copy)
        if list_layers:
            return {str(n) for n, _ in pyogrio.list_layers(copy)}
        return pyogrio.read_dataframe(copy, layer=layer)


def validate(world: World) -> dict[str, Any]:
    d = DEMO_DIR
    report: dict[str, Any] = {}
    boundary = world.land.buffer(0.5)

    sites = _read(d / "sites.geojson")
    _check(sites.crs.to_epsg() == 4326 and len(sites) >= 30, "sites: CRS/count")
    _check(list(sites.columns[:-1]) == SITE_COLUMNS, "sites: property names/order")
    utm = sites.to_crs(25832)
    _check(all(a == round(g.area) for a, g in zip(sites.area_m2, utm.geometry, strict=True)),
           "sites: area_m2")
    _check(all(2000 <= a <= 80000 for a in sites.area_m2), "sites: area range")
    _check(all(boundary.contains(g) for g in utm.geometry), "sites: outside the kommune")
    _check(not any(a.intersects(b) for i, a in enumerate(utm.geometry) for b in utm.geometry[i + 1:]),
           "sites: overlap")
    _check(2 <= (~sites.published).sum() <= 3, "sites: published=false count")
    report["sites"] = len(sites)

    with open(d / "sites_template.csv", encoding="utf-8", newline="") as fh:
        trows = list(csv.DictReader(fh, delimiter=";"))
    _check(list(trows[0]) == [*SITE_COLUMNS, "wkt", "lat", "lon"], "template: columns")
    _check(all(bool(r["wkt"]) != bool(r["lat"] and r["lon"]) for r in trows), "template: wkt xor lat/lon")
    xl = openpyxl.load_workbook(d / "sites_template.xlsx", read_only=True)
    xrows = list(xl["arealer"].iter_rows(values_only=True))
    _check(len(xrows) == len(trows) + 1 and [r[0] for r in xrows[1:]] == [r["site_id"] for r in trows],
           "template: xlsx rows")
    report["template"] = len(trows)

    for name, min_flates in (("plan_kpa_asker.sos", 40), ("plan_rp_kjekstad.sos", 5),
                             ("plan_rp_holmen.sos", 5), ("ar5_utsnitt.sos", 3)):
        raw = (d / name).read_bytes()
        doc = parse_sosi(raw)
        polys = sosi_polygons(doc)
        areas = [p for a, p in polys if a["OBJTYPE"] not in ("KpOmråde", "RpOmråde")]
        outline = [p for a, p in polys if a["OBJTYPE"] in ("KpOmråde", "RpOmråde")]
        _check(len(areas) >= min_flates, f"{name}: only {len(areas)} areas")
        if outline:
            _check(abs(sum(p.area for p in areas) - sum(p.area for p in outline)) < 1, f"{name}: coverage")
        if name == "plan_kpa_asker.sos":
            refs = " ".join(o["ref"] for o in doc["objects"] if o["kind"] == "FLATE")
            _check("(" in refs and ":-" in refs, "KPA: needs holes and reversed refs")
            _check(40 <= len(areas) <= 120, "KPA: 40-120 areas")
            _check(abs(sum(p.area for p in outline) - world.land.area) < 5, "KPA: must cover the kommune")
            report["kpa"] = len(areas)
        if name == "plan_rp_holmen.sos":
            _check(doc["charset"] == "iso8859_10" and b"\r\n" in raw and "å".encode() not in raw,
                   "Holmen: ISO8859-10 bytes with CRLF")
        if name == "ar5_utsnitt.sos":
            report["ar5_sosi"] = len(areas)

    gml_layers = _read(d / "plan_rp_slemmestad.gml", list_layers=True)
    _check(gml_layers == {"RpOmråde", "RpArealformålOmråde"}, f"GML layers {gml_layers}")
    gml = _read(d / "plan_rp_slemmestad.gml", "RpArealformålOmråde")
    _check(gml.crs.to_epsg() == 25832 and len(gml) >= 4 and "arealformål" in gml.columns, "GML fields")
    for name, key in (("plan_rb_1985_vollen.geojson", "reguleringsformal"),
                      ("plan_rp_forslag_tofte.geojson", "arealformal")):
        df = _read(d / name)
        _check(key in df.columns and df.crs.to_epsg() == 4326, f"{name}: fields")
    tofte = _read(d / "plan_rp_forslag_tofte.geojson")
    _check(set(tofte.planstatus) == {2}, "Tofte: planstatus 2")

    pts = _read(d / "bygningspunkt.geojson")
    fkb = _read(d / "fkb_bygning.gpkg", "bygning")
    _check(pts.crs.to_epsg() == 25832 and fkb.crs.to_epsg() == 25832, "buildings: CRS")
    _check(list(pts.bygningsnummer) == list(fkb.bygningsnummer), "buildings: same numbers")
    _check(1300 <= len(pts) <= 1700 and pts.bygningsnummer.is_unique, "buildings: count/unique")
    _check(all(boundary.contains(g) for g in fkb.geometry), "buildings: outside the kommune")
    report["buildings"] = len(pts)

    tett = _read(d / "tettsteder.geojson")
    _check(tett.crs.to_epsg() == 25833, "tettsteder: EPSG:25833")
    oslo = tett[tett.tettstednavn == "Oslo"].to_crs(25832).geometry.iloc[0]
    _check(not world.land.buffer(1).contains(oslo), "tettsteder: Oslo must cross the border")
    report["tettsteder"] = len(tett)

    ar5 = _read(d / "ar5.gpkg", "ar5")
    _check(ar5.crs.to_epsg() == 25832 and 500 <= len(ar5) <= 3000, "ar5: CRS/count")
    _check(set(ar5.arealtype) <= {11, 12, 21, 22, 23, 30, 50, 60, 70, 81, 82, 99}, "ar5: codes")
    left, right = STRtree(ar5.geometry.values).query(ar5.geometry.values, predicate="overlaps")
    _check(len(left) == 0 and len(right) == 0, "ar5: polygons overlap")
    report["ar5"] = len(ar5)
    import sqlite3

    for name in ("ar5.gpkg", "fkb_bygning.gpkg"):
        con = sqlite3.connect(f"file:{d / name}?mode=ro", uri=True)
        version = con.execute("PRAGMA user_version").fetchone()[0]
        con.close()
        _check(version == 10300, f"{name}: GeoPackage version {version}, want 1.3")

    for name in ("hovedveg.geojson", "hovedveg_kryss.geojson", "centres.geojson"):
        df = _read(d / name)
        _check(df.crs.to_epsg() == 4326 and len(df) > 0, f"{name}")
        _check(all(boundary.contains(g) for g in df.to_crs(25832).geometry), f"{name}: outside")

    walk = _read(d / "gangnett.geojson")
    _check(walk.crs.to_epsg() == 25832 and len(walk) > 0, "gangnett.geojson: CRS/count")
    _check(all(g.geom_type == "LineString" and g.length > 0 for g in walk.geometry),
           "gangnett.geojson: geometry")
    _check(all(boundary.contains(g) for g in walk.geometry), "gangnett.geojson: outside")
    report["walk"] = len(walk)

    report.update(_validate_gtfs(d / "gtfs_asker.zip"))

    for name in ("ssb_11616.json", "ssb_07459_befolkning.json"):
        ds = json.loads((d / name).read_text(encoding="utf-8"))
        _check(ds["class"] == "dataset" and ds["version"] == "2.0", f"{name}: header")
        _check(math.prod(ds["size"]) == len(ds["value"]), f"{name}: size vs value")
        dims = [len(ds["dimension"][i]["category"]["index"]) for i in ds["id"]]
        _check(dims == ds["size"], f"{name}: dims")
    with open(d / "statistikk_tettsted.csv", encoding="utf-8", newline="") as fh:
        stat = list(csv.DictReader(fh, delimiter=";"))
    _check(list(stat[0]) == STAT_COLUMNS and {r["kind"] for r in stat} == {"result", "ambition"}, "stat")
    return report


def _validate_gtfs(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as z:
        t = {n: list(csv.DictReader(io.TextIOWrapper(z.open(n), encoding="utf-8"))) for n in z.namelist()}
    for req in ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt"):
        _check(req in t, f"GTFS: {req} missing")
    stops = {s["stop_id"]: s for s in t["stops.txt"]}
    _check(all(s["parent_station"] in stops for s in stops.values() if s["location_type"] == "0"),
           "GTFS: quay without parent")
    routes = {r["route_id"]: r for r in t["routes.txt"]}
    trips = {r["trip_id"]: r for r in t["trips.txt"]}
    _check(all(r["route_id"] in routes for r in trips.values()), "GTFS: trip without route")
    _check({r["route_type"] for r in routes.values()} == {"2", "3", "109"}, "GTFS: route types")
    by_trip: dict[str, list[dict[str, str]]] = {}
    for st in t["stop_times.txt"]:
        _check(stops[st["stop_id"]]["location_type"] == "0", "GTFS: stop_times must use quays")
        by_trip.setdefault(st["trip_id"], []).append(st)
    _check(set(by_trip) == set(trips), "GTFS: trips without stop_times")
    for seq in by_trip.values():
        times = [s["departure_time"] for s in sorted(seq, key=lambda s: int(s["stop_sequence"]))]
        _check(len(times) >= 2 and times == sorted(times), "GTFS: times must increase")
    # Departures per hour at 12:00-13:00, both directions, last stop of a trip excluded.
    dep: dict[str, int] = {}
    for seq in by_trip.values():
        for s in sorted(seq, key=lambda s: int(s["stop_sequence"]))[:-1]:
            if "12:00:00" <= s["departure_time"] < "13:00:00":
                parent = stops[s["stop_id"]]["parent_station"]
                dep[parent] = dep.get(parent, 0) + 1
    asker = next(k for k, s in stops.items()
                 if s["stop_name"] == "Asker stasjon" and s["location_type"] == "1")
    _check(dep.get(asker, 0) == 8, f"GTFS: Asker stasjon has {dep.get(asker)} departures/h")
    rail = [k for k, s in stops.items() if s["location_type"] == "1" and s["stop_name"].endswith("stasjon")]
    _check(all(2 <= dep.get(k, 0) <= 4 for k in rail if k != asker), "GTFS: other stations 2-4/h")
    places = [s for s in stops.values() if s["location_type"] == "1"]
    return {"rail_stations": len(rail), "bus_stops": len(places) - len(rail), "trips": len(trips)}


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--no-validate", action="store_true", help="skip reading every output back")
    args = ap.parse_args(argv)
    # GeoPackage stores a last-change timestamp; pin it so the files do not change per run.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2026-01-01T00:00:00.000Z"})

    world = load_world()
    roads = build_roads(world)
    corridors = road_corridors(roads)
    tett = build_tettsteder(world)
    plans = build_plan_layouts(world)
    kpa = build_kpa(world, plans, corridors)
    sites, template = build_sites(world, kpa, plans, tett, corridors)
    buildings = build_buildings(world, kpa, plans, sites, template, corridors)
    ar5 = build_ar5(world, kpa, plans, roads, tett)
    gtfs = build_gtfs(world, corridors)
    station_site = build_station_site(world, tett, corridors, sites + template, buildings)
    walk = build_walk_network(world)

    write_sites([*sites, station_site])
    write_template(template)
    write_kpa_sosi(world, kpa)
    write_rp_sosi(plans)
    write_rp_gml(plans["slemmestad"])
    write_plan_geojson(plans["vollen"], DEMO_DIR / "plan_rb_1985_vollen.geojson", "RbFormålOmråde",
                       "reguleringsformal")
    write_plan_geojson(plans["tofte"], DEMO_DIR / "plan_rp_forslag_tofte.geojson", "RpArealformålOmråde",
                       "arealformal")
    write_buildings(buildings)
    write_tettsteder(tett)
    write_centres(world)
    write_ssb()
    write_statistics(tett)
    write_ar5(ar5)
    write_ar5_sosi(kpa, ar5)
    write_gtfs(gtfs)
    write_roads(world, roads)
    write_walk_network(walk)

    if args.no_validate:
        counts = {"sites": len(sites) + 1, "walk": len(walk), "template": len(template),
                  "kpa": len(kpa.parts),
                  "buildings": len(buildings), "tettsteder": len(tett), "ar5": len(ar5), "ar5_sosi": 0,
                  "rail_stations": 0, "bus_stops": 0, "trips": 0}
    else:
        counts = validate(world)
    write_readme(counts)
    for path in sorted(DEMO_DIR.iterdir()):
        if path.is_file() and path.name != "generate.py":
            print(f"{path.stat().st_size:>9,}  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
