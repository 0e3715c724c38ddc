"""Migrations upgrade and downgrade on an empty database."""

from __future__ import annotations

import psycopg
from sqlalchemy import create_engine

from gis import migrate
from gis.db import libpq_dsn

CORE_TABLES = {"kommune", "load_run", "plan", "plan_area", "site", "building", "land_cover",
               "transit_stop", "main_road", "road_junction", "focus_area", "site_accessibility",
               "interest_request", "unmet_demand",
               "building_footprint", "tettsted", "centre", "statistic"}


def _tables(url: str) -> set[str]:
    with psycopg.connect(libpq_dsn(url)) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r[0] for r in rows} - {"spatial_ref_sys", "alembic_version"}


def _gist_indexed(url: str) -> set[str]:
    with psycopg.connect(libpq_dsn(url)) as conn:
        rows = conn.execute("SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%USING gist%'")
        return {r[0] for r in rows}


def test_upgrade_then_downgrade_on_empty_database(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        migrate.upgrade(engine, 25832)
        assert _tables(empty_db_url) >= CORE_TABLES
        assert CORE_TABLES - {"load_run", "statistic", "site_accessibility", "interest_request",
                              "unmet_demand"} <= _gist_indexed(empty_db_url)
        assert migrate.current_revisions(engine)

        migrate.downgrade(engine, 25832)
        assert _tables(empty_db_url) == set()
        assert migrate.current_revisions(engine) == set()

        migrate.upgrade(engine, 25832)
        assert _tables(empty_db_url) >= CORE_TABLES
    finally:
        engine.dispose()


def test_storage_srid_comes_from_config(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        migrate.upgrade(engine, 25833)
        with psycopg.connect(libpq_dsn(empty_db_url)) as conn:
            srid = conn.execute("SELECT Find_SRID('public', 'site', 'geom')").fetchone()
        assert srid == (25833,)
    finally:
        engine.dispose()


def test_invalid_geometry_is_refused_by_the_table(db_url: str) -> None:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        try:
            conn.execute(
                "INSERT INTO site (site_key, name, area_m2, geom) VALUES ('x', 'bow tie', 1, "
                "ST_GeomFromText('MULTIPOLYGON(((0 0, 10 10, 10 0, 0 10, 0 0)))', 25832))")
        except psycopg.errors.CheckViolation as exc:
            assert "site_geom_valid" in str(exc)
        else:
            raise AssertionError("a bow-tie polygon was accepted")
