"""The fictional walking network for the ABC analysis."""

from __future__ import annotations

import math
from pathlib import Path

from shapely.geometry import LineString

from etl.demo.generator.common import DEMO_KOMMUNE, geojson_geometry
from etl.demo.generator.world import World
from etl.demo.generator.writers import feature, write_geojson

WALK_SPACING = 100.0  # m between the streets of the fictional grid
WALK_RADIUS = 600.0  # m of grid around every station and centre


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
        nodes.update(
            (i, j)
            for i in range(i0 - reach, i0 + reach + 1)
            for j in range(j0 - reach, j0 + reach + 1)
            if math.hypot(i * step - p.x, j * step - p.y) <= WALK_RADIUS
        )
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


def write_walk_network(out: Path, lines: list[tuple[str, LineString]]) -> None:
    write_geojson(
        out / "gangnett.geojson",
        [
            feature(
                {"path_key": f"GN-{n + 1:05d}", "kind": kind, "name": None, "fictional": True},
                geojson_geometry(line, 2),
            )
            for n, (kind, line) in enumerate(lines)
        ],
        crs_urn=DEMO_KOMMUNE.crs_urn,
    )
