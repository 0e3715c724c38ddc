"""GeoJSON features of one table inside a lon/lat bounding box, built in PostGIS."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql


class BboxError(ValueError):
    """A bbox parameter that is malformed, not finite, inverted or out of range."""


@dataclass(frozen=True)
class Bbox:
    """A lon/lat box (EPSG:4326)."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str | None) -> Bbox:
        """Parse `minlon,minlat,maxlon,maxlat`; BboxError says what is wrong."""
        if not text:
            raise BboxError("bbox is required: minlon,minlat,maxlon,maxlat")
        parts = text.split(",")
        if len(parts) != 4:
            raise BboxError("bbox needs four numbers: minlon,minlat,maxlon,maxlat")
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            raise BboxError(f"bbox values must be numbers: {text!r}") from None
        if not all(math.isfinite(v) for v in (west, south, east, north)):
            raise BboxError("bbox values must be finite numbers")
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90
                and -90 <= north <= 90):
            raise BboxError("bbox is outside lon -180..180, lat -90..90")
        if west >= east or south >= north:
            raise BboxError("bbox is inverted or empty: need minlon < maxlon and minlat < maxlat")
        return cls(west, south, east, north)


def features_in_bbox(conn: psycopg.Connection, *, table: str, key_column: str,
                     properties: Sequence[str], bbox: Bbox, storage_srid: int, limit: int,
                     public_filter: str | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of at most `limit` features that meet the box."""
    props = sql.SQL(", ").join(
        sql.SQL("{}, {}").format(sql.Literal(name), sql.Identifier(name)) for name in properties)
    # The filter is a constant from the layer registry, never from a request.
    condition = sql.SQL(public_filter) if public_filter else sql.SQL("true")
    query = sql.SQL(
        "SELECT json_build_object('type', 'Feature', 'id', {key}, "
        "'geometry', ST_AsGeoJSON(ST_Transform(geom, 4326), 6)::json, "
        "'properties', json_build_object({props})) "
        "FROM {table} WHERE geom && ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 4326), %s) "
        "AND ({condition}) ORDER BY {key} LIMIT %s"
    ).format(key=sql.Identifier(key_column), props=props, table=sql.Identifier(table),
             condition=condition)
    rows = conn.execute(query, (bbox.west, bbox.south, bbox.east, bbox.north, storage_srid,
                                limit + 1)).fetchall()
    features = [row[0] if isinstance(row[0], dict) else json.loads(row[0]) for row in rows]
    truncated = len(features) > limit
    return {
        "type": "FeatureCollection",
        "features": features[:limit],
        "numberReturned": min(len(features), limit),
        "truncated": truncated,
    }
