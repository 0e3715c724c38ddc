"""Shared by every theme: the fixed seed, stable ids and the projections."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from etl.demo.generator.kommune import configured_kommune

# The demo folder: the input files live here, and the output is written here by default.
DEMO_DIR = Path(__file__).resolve().parents[1]
# The kommune (its TOML file): number, name, projection, the demo's input files and texts.
DEMO_KOMMUNE = configured_kommune()
BOUNDARY_FILE = DEMO_DIR / DEMO_KOMMUNE.boundary_file
PLACES_FILE = DEMO_DIR / DEMO_KOMMUNE.places_file

KOMMUNE = DEMO_KOMMUNE.kommunenummer
SEED = int(KOMMUNE)
NAVNEROM = f"https://data.example.no/{KOMMUNE}/demo"  # fictional namespace for SOSI/GML ids
UUID_NS = uuid.UUID("6f1c2a4e-3203-4d3e-9a57-6e6165727a6b")  # fixed: ids stay stable per run
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # earliest ZIP date: no clock in archives

# Every geometry is built in the kommune's UTM zone (its storage SRID); SSB publishes
# tettsteder in UTM 33 whatever the kommune.
SRID = DEMO_KOMMUNE.srid
UTM_CRS = f"EPSG:{SRID}"
TO_WGS84 = pyproj.Transformer.from_crs(SRID, 4326, always_xy=True)
FROM_WGS84 = pyproj.Transformer.from_crs(4326, SRID, always_xy=True)
TO_25833 = pyproj.Transformer.from_crs(SRID, 25833, always_xy=True)

Coord = tuple[int, int]  # SOSI integer coordinate (east, north) in centimetres
XY = tuple[float, float]


def rng_for(name: str) -> random.Random:
    """One independent, reproducible stream per output: editing one file's logic
    must not reshuffle every other file."""
    return random.Random(f"{SEED}:{name}")


def stable_uuid(*parts: object) -> str:
    return str(uuid.uuid5(UUID_NS, "/".join(str(p) for p in parts)))


FICTION_NOTE = "FIKTIVE DEMODATA for Næringskart - ikke en gjeldende plan. Fictional demo data."


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


def weighted_choice(rng: random.Random, weights: dict[int, int]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
