"""Plausible hand-drawn-looking shapes and polygon helpers."""

from __future__ import annotations

import math
import random
from typing import Any

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from etl.demo.generator.common import XY


def rect(cx: float, cy: float, w: float, h: float, angle_deg: float) -> Polygon:
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    pts = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    return Polygon([(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts])


def quad(
    rng: random.Random, cx: float, cy: float, w: float, h: float, angle_deg: float, jitter: float
) -> Polygon:
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


def blob(rng: random.Random, cx: float, cy: float, r: float, n: int = 20, rough: float = 0.22) -> Polygon:
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


def merge_small_parts(
    parts: list[tuple[Polygon, dict[str, Any]]], min_area: float
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


def main_axis(poly: Polygon) -> XY:
    mrr = poly.minimum_rotated_rectangle
    (x0, y0), (x1, y1), (x2, y2) = list(mrr.exterior.coords)[:3]
    if math.hypot(x1 - x0, y1 - y0) >= math.hypot(x2 - x1, y2 - y1):
        return (x1 - x0, y1 - y0)
    return (x2 - x1, y2 - y1)
