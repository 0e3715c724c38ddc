"""Checks on a GeoJSON geometry from a client before PostGIS sees it.

PostGIS answers malformed or out-of-range GeoJSON with internal errors ("transform: Invalid
coordinate", "Too few ordinates"); a person drawing or an API client deserves to hear what is
wrong with their input instead.
"""

from __future__ import annotations

import math
from typing import Any

from gis.text import Text

POLYGON_TYPES = ("Polygon", "MultiPolygon")
# A drawn site has nowhere near this many corners; more is a mistake or an attack.
MAX_VERTICES = 100_000


def lonlat_polygon_problem(geometry: Any) -> Text | None:
    """Why this is not a usable lon/lat (Multi)Polygon, or None."""
    if not isinstance(geometry, dict):
        return Text("geometrien må være et GeoJSON-objekt", "geometry must be a GeoJSON object")
    kind = geometry.get("type")
    if kind not in POLYGON_TYPES:
        return Text(f"geometritypen må være Polygon eller MultiPolygon, ikke {str(kind)[:40]!r}",
                    f"geometry type must be Polygon or MultiPolygon, not {str(kind)[:40]!r}")
    polygons = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        return Text("geometrien har ingen koordinater", "geometry has no coordinates")
    vertices = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return Text("hvert polygon må ha minst én ring", "each polygon needs at least one ring")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return Text("hver ring må ha minst fire punkter (det første gjentatt til slutt)",
                            "each ring needs at least four positions (the first repeated last)")
            vertices += len(ring)
            if vertices > MAX_VERTICES:
                return Text(f"geometrien har mer enn {MAX_VERTICES:,} punkter".replace(",", " "),
                                f"geometry has more than {MAX_VERTICES:,} positions")
            for position in ring:
                problem = _position_problem(position)
                if problem:
                    return problem
    return None


def _position_problem(position: Any) -> Text | None:
    if not isinstance(position, list) or len(position) not in (2, 3):
        return Text("hvert punkt må være [lengdegrad, breddegrad]",
                    "each position must be [longitude, latitude]")
    if not all(isinstance(value, int | float) and not isinstance(value, bool)
               for value in position):
        return Text("koordinatene må være tall", "coordinates must be numbers")
    lon, lat = float(position[0]), float(position[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return Text("koordinatene må være endelige tall (ikke NaN eller Infinity)",
                    "coordinates must be finite numbers (not NaN or Infinity)")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        where = f"[{lon:.6g}, {lat:.6g}]"
        return Text(f"koordinaten {where} ligger utenfor lengdegrad -180..180, breddegrad -90..90",
                    f"coordinate {where} is outside longitude -180..180, latitude -90..90")
    return None
