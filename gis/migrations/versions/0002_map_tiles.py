"""Vector tiles: per-table data versions, EPSG:3857 columns, overview tables, map views.

- tile_data_version: a counter per table, bumped by a statement trigger on every change; tile
  URLs carry it, so a browser never shows tiles of old data.
- geom3857: a stored Web Mercator copy of geom (generated column with its own GiST index) on the
  big tiled tables, so tiles never reproject rows per request.
- tile_*: overviews for low zooms (building counts in grid cells, zoning and farmland simplified
  per zoom band), rebuilt by gis.tiles.refresh_overviews; tile_overview_state records from which
  data version each was built.
- tettsted_map: tettsteder with their latest workplace count (statistic `arbeidsplasser`).

Revision ID: 0002_map_tiles
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op
from psycopg import sql

revision = "0002_map_tiles"
down_revision = "0001_core"
branch_labels = None
depends_on = None

VERSIONED = ("plan", "plan_area", "building_footprint", "land_cover")
WITH_3857 = ("building_footprint", "land_cover")
ZONING_COLUMNS = """
    id bigserial PRIMARY KEY,
    plan_area_id integer NOT NULL,
    plantype integer,
    planstatus integer,
    plannavn text,
    planidentifikasjon text,
    code text NOT NULL,
    code_list text NOT NULL,
    code_name text,
    category text NOT NULL,
    arealbruksstatus integer,
    feltnavn text,
    utnytting_type integer,
    utnytting_tall numeric,
    geom3857 geometry(Geometry, 3857) NOT NULL
"""
GRID_COLUMNS = """
    id bigserial PRIMARY KEY,
    n integer NOT NULL,
    dominant_group text,
    geom3857 geometry(Polygon, 3857) NOT NULL
"""
FARMLAND_COLUMNS = """
    id bigserial PRIMARY KEY,
    arealtype integer NOT NULL,
    arealtype_name text,
    geom3857 geometry(Geometry, 3857) NOT NULL
"""
OVERVIEWS = {
    "tile_zoning_z0": ZONING_COLUMNS,
    "tile_zoning_z12": ZONING_COLUMNS,
    "tile_zoning": ZONING_COLUMNS,
    "tile_building_grid_z10": GRID_COLUMNS,
    "tile_building_grid_z12": GRID_COLUMNS,
    "tile_farmland_z10": FARMLAND_COLUMNS,
}



def _ddl(template: str, **parts: str | sql.Composable) -> None:
    """DDL with identifiers quoted by psycopg (names come from this file's constants)."""
    composed = sql.SQL(template).format(
        **{key: value if isinstance(value, sql.Composable) else sql.Identifier(value)
           for key, value in parts.items()})
    op.get_bind().connection.driver_connection.execute(composed)


def upgrade() -> None:
    op.execute("""
        CREATE TABLE tile_data_version (
            table_name text PRIMARY KEY,
            version bigint NOT NULL DEFAULT 1,
            changed_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute("""
        CREATE FUNCTION tile_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO tile_data_version (table_name, version) VALUES (TG_TABLE_NAME, 2)
            ON CONFLICT (table_name) DO UPDATE
                SET version = tile_data_version.version + 1, changed_at = now();
            RETURN NULL;
        END $$""")
    for table in VERSIONED:
        op.execute(sa.text("INSERT INTO tile_data_version (table_name) VALUES (:t)").bindparams(t=table))
        _ddl("CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
             "FOR EACH STATEMENT EXECUTE FUNCTION tile_bump_data_version()",
             trigger=f"{table}_tile_version", table=table)
    for table in WITH_3857:
        _ddl("ALTER TABLE {table} ADD COLUMN geom3857 geometry(Geometry, 3857) "
             "GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED", table=table)
        _ddl("CREATE INDEX {index} ON {table} USING gist (geom3857)",
             index=f"{table}_geom3857_gist", table=table)
    op.execute("""
        CREATE TABLE tile_overview_state (
            name text PRIMARY KEY,
            built_from bigint NOT NULL,
            built_at timestamptz NOT NULL DEFAULT now(),
            rows integer NOT NULL
        )""")
    for name, columns in OVERVIEWS.items():
        _ddl("CREATE TABLE {table} ({columns})", table=name, columns=sql.SQL(columns))
        _ddl("CREATE INDEX {index} ON {table} USING gist (geom3857)",
             index=f"{name}_geom3857_gist", table=name)
    op.execute("""
        CREATE VIEW tettsted_map AS
        SELECT t.id, t.tettstednummer, t.name, t.population,
               w.value AS workplaces, w.year AS workplaces_year,
               coalesce(w.fictional, false) AS workplaces_fictional, t.geom
        FROM tettsted t
        LEFT JOIN LATERAL (
            SELECT s.value, s.year, s.fictional FROM statistic s
            WHERE s.indicator = 'arbeidsplasser' AND s.region_type = 'tettsted'
              AND s.kind = 'result' AND s.region = t.tettstednummer AND s.value IS NOT NULL
            ORDER BY s.year DESC LIMIT 1
        ) w ON true""")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS tettsted_map")
    for name in OVERVIEWS:
        _ddl("DROP TABLE IF EXISTS {table}", table=name)
    op.execute("DROP TABLE IF EXISTS tile_overview_state")
    for table in WITH_3857:
        _ddl("DROP INDEX IF EXISTS {index}", index=f"{table}_geom3857_gist")
        _ddl("ALTER TABLE {table} DROP COLUMN IF EXISTS geom3857", table=table)
    for table in VERSIONED:
        _ddl("DROP TRIGGER IF EXISTS {trigger} ON {table}", trigger=f"{table}_tile_version",
             table=table)
    op.execute("DROP FUNCTION IF EXISTS tile_bump_data_version()")
    op.execute("DROP TABLE IF EXISTS tile_data_version")
