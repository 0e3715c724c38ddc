"""Approximate main roads and their junctions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from etl.demo.generator.common import rfc7946_geometry
from etl.demo.generator.world import World
from etl.demo.generator.writers import feature, write_geojson


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
        (
            "E18",
            "E",
            "E18",
            [
                (584300, 6636300),
                j("E18 Holmen/Nesbru"),
                j("E18 Asker (Drengsrud)"),
                j("E18 Gjellum"),
                (577300, 6630700),
                (572800, 6629600),
            ],
        ),
        (
            "E134",
            "E",
            "E134 Oslofjordforbindelsen",
            [
                (572500, 6624600),
                (575600, 6623300),
                j("E134 Kjekstad"),
                (580600, 6620400),
                (583800, 6617600),
                j("E134 Verpen (Hurum)"),
                (591000, 6613000),
            ],
        ),
        (
            "Fv165",
            "F",
            "Fv165 Slemmestadveien",
            [
                (582600, 6634650),
                (582250, 6634100),
                (582250, 6633700),
                (582650, 6632600),
                (582800, 6631300),
                j("Vollen"),
                j("Slemmestad"),
            ],
        ),
        (
            "Fv167",
            "F",
            "Fv167 Røykenveien",
            [
                j("Asker sentrum"),
                (580600, 6631200),
                j("Heggedal"),
                (579900, 6626400),
                j("Røyken sentrum (Midtbygda)"),
            ],
        ),
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


def write_roads(out: Path, world: World, roads: list[Road]) -> None:
    write_geojson(
        out / "hovedveg.geojson",
        [
            feature(
                {"vegnummer": r.vegnummer, "vegkategori": r.vegkategori, "navn": r.navn},
                rfc7946_geometry(r.geom),
            )
            for r in roads
        ],
    )
    write_geojson(
        out / "hovedveg_kryss.geojson",
        [
            feature({"name": p.name, "vegnummer": p.level}, {"type": "Point", "coordinates": [p.lon, p.lat]})
            for p in world.of_kind("road_junction")
        ],
    )
