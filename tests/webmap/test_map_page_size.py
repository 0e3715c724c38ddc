"""The map page never embeds data: its HTML stays small however many rows there are."""

from __future__ import annotations

import psycopg

from gis.db import libpq_dsn
from tests.conftest import make_settings

LIMIT = 200_000


def _page_size(url: str) -> int:
    from webmap import create_app

    app = create_app(make_settings(url))
    return len(app.test_client().get("/").data)


def test_map_page_html_stays_under_200_kb_with_many_rows(db_url: str) -> None:
    empty = _page_size(db_url)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        conn.execute(
            "INSERT INTO site (site_key, name, area_m2, geom) "
            "SELECT 'S' || i, repeat('Næringstomt ', 10) || i, 1000 + i, "
            "ST_Multi(ST_MakeEnvelope(580000 + (i % 100) * 50, 6630000 + (i / 100) * 50, "
            "580020 + (i % 100) * 50, 6630020 + (i / 100) * 50, 25832)) "
            "FROM generate_series(1, 20000) AS i")
        conn.execute(
            "INSERT INTO building_footprint (id, bygningsgruppe, geom) "
            "SELECT i, 'bolig', ST_Multi(ST_MakeEnvelope(580000 + (i % 300) * 20, "
            "6630000 + (i / 300) * 20, 580010 + (i % 300) * 20, 6630010 + (i / 300) * 20, 25832)) "
            "FROM generate_series(1, 50000) AS i")
    full = _page_size(db_url)
    assert full < LIMIT, f"map page is {full} bytes"
    # Only the data-version numbers in tile URLs may differ.
    assert abs(full - empty) < 200
