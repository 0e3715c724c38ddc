"""Shared-boundary topology for SOSI FLATEs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.strtree import STRtree

from etl.demo.generator.common import Coord
from etl.demo.generator.shapes import polygon_parts

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
            poly = Polygon(
                [(x / 100, y / 100) for x, y in r], [[(x / 100, y / 100) for x, y in h] for h in hole_of[i]]
            )
            rp = poly.representative_point()
            out.append(
                Flate(
                    lab,
                    refs_of(r),
                    [refs_of(h) for h in hole_of[i]],
                    (round(rp.x * 100), round(rp.y * 100)),
                    poly,
                )
            )
        out.sort(key=lambda f: (f.label, min(min(curves[abs(c) - 1]) for c in f.outer)))
        return out

    flates = to_flates(_trace_rings(bh))
    outside = {e: -1 for e in bh if (e[1], e[0]) not in bh}
    outline = to_flates(_trace_rings(outside))
    on_outline = [any((p, q) in outside or (q, p) in outside for p, q in pairwise(c)) for c in curves]
    return Topology(curves, on_outline, flates, outline)
