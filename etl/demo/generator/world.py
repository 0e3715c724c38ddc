"""The kommune as the generator sees it: its land and its named places."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from etl.demo.generator.common import BOUNDARY_FILE, FROM_WGS84, PLACES_FILE, XY, reproject
from etl.demo.generator.writers import feature, write_geojson


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


def write_centres(out: Path, world: World) -> None:
    write_geojson(
        out / "centres.geojson",
        [
            feature({"name": p.name, "level": p.level}, {"type": "Point", "coordinates": [p.lon, p.lat]})
            for p in world.of_kind("centre")
        ],
    )
