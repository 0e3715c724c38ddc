"""Core tables: kommune, load history, plans, plan areas, sites, buildings,
tettsteder, centres and statistics.

Revision ID: 0001_core
Revises:
"""

import sqlalchemy as sa
from alembic import context, op
from geoalchemy2 import Geometry
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def _geom(kind: str, nullable: bool = False) -> sa.Column:
    srid = int(context.config.attributes.get("srid", 25832))
    return sa.Column("geom", Geometry(kind, srid=srid, spatial_index=False), nullable=nullable)


def _spatial(table: str, *, check_valid: bool = True) -> None:
    op.create_index(f"{table}_geom_gist", table, ["geom"], postgresql_using="gist")
    if check_valid:
        op.create_check_constraint(f"{table}_geom_valid", table, "ST_IsValid(geom)")


def _load_id() -> sa.Column:
    return sa.Column("load_id", sa.Integer, sa.ForeignKey("load_run.id"), nullable=True)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "load_run",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("checksum", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("rows_read", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_written", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_repaired", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("warnings", JSONB, nullable=False, server_default="[]"),
        sa.Column("error", sa.Text),
        sa.CheckConstraint("status IN ('running', 'published', 'unchanged', 'failed')",
                           name="load_run_status_known"),
    )
    op.create_index("load_run_source_checksum", "load_run", ["source", "checksum"])

    op.create_table(
        "kommune",
        sa.Column("kommunenummer", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        _load_id(),
        _geom("MULTIPOLYGON"),
    )
    _spatial("kommune")

    op.create_table(
        "plan",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("nasjonal_arealplan_id", sa.Text, nullable=False),
        sa.Column("kommunenummer", sa.Text, nullable=False),
        sa.Column("planidentifikasjon", sa.Text, nullable=False),
        sa.Column("plannavn", sa.Text),
        sa.Column("plantype", sa.Integer),
        sa.Column("planstatus", sa.Integer),
        sa.Column("ikrafttredelsesdato", sa.Date),
        sa.Column("vedtaksdato", sa.Date),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("is_current", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("replaced_at", sa.DateTime(timezone=True)),
        _load_id(),
        _geom("MULTIPOLYGON", nullable=True),
        sa.UniqueConstraint("nasjonal_arealplan_id", "version", name="plan_version_unique"),
    )
    _spatial("plan")
    op.create_index("plan_current_unique", "plan", ["nasjonal_arealplan_id"], unique=True,
                    postgresql_where=sa.text("is_current"))

    op.create_table(
        "plan_area",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plan.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("code_list", sa.Text, nullable=False),
        sa.Column("code_name", sa.Text),
        sa.Column("category", sa.Text, nullable=False, server_default="other"),
        sa.Column("code_known", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("arealbruksstatus", sa.Integer),
        sa.Column("feltnavn", sa.Text),
        sa.Column("utnytting_type", sa.Integer),
        sa.Column("utnytting_tall", sa.Numeric),
        sa.Column("eierform", sa.Text),
        _geom("MULTIPOLYGON"),
    )
    _spatial("plan_area")
    op.create_index("plan_area_plan", "plan_area", ["plan_id"])

    op.create_table(
        "site",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_key", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("area_m2", sa.Numeric, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="ledig"),
        sa.Column("readiness", sa.Text),
        sa.Column("planned_use", sa.Text),
        sa.Column("zoning_code", sa.Text),
        sa.Column("ownership", sa.Text),
        sa.Column("tettsted", sa.Text),
        sa.Column("contact_name", sa.Text),
        sa.Column("contact_email", sa.Text),
        sa.Column("contact_phone", sa.Text),
        sa.Column("description_nb", sa.Text),
        sa.Column("description_en", sa.Text),
        sa.Column("last_verified", sa.Date),
        sa.Column("published", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("planner_note", sa.Text),
        sa.Column("fictional", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        _load_id(),
        _geom("MULTIPOLYGON"),
        sa.CheckConstraint("area_m2 > 0", name="site_area_positive"),
        sa.CheckConstraint(
            "status IN ('ledig', 'reservert', 'under_utbygging', 'utbygd', 'trukket_tilbake')",
            name="site_status_known"),
    )
    _spatial("site")

    op.create_table(
        "building",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("bygningsnummer", sa.Text),
        sa.Column("bygningstype", sa.Text),
        sa.Column("bygningsstatus", sa.Text),
        sa.Column("kommunenummer", sa.Text),
        _load_id(),
        _geom("POINT"),
    )
    _spatial("building", check_valid=False)

    op.create_table(
        "building_footprint",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("bygningsnummer", sa.Text),
        sa.Column("bygningstype", sa.Text),
        _load_id(),
        _geom("MULTIPOLYGON"),
    )
    _spatial("building_footprint")

    op.create_table(
        "tettsted",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tettstednummer", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("population", sa.Integer),
        _load_id(),
        _geom("MULTIPOLYGON"),
    )
    _spatial("tettsted")

    op.create_table(
        "centre",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("level", sa.Text, nullable=False),
        _load_id(),
        _geom("GEOMETRY"),
        sa.CheckConstraint(
            "level IN ('regionsenter', 'kommunedelsenter', 'lokalsenter', 'nærsenter')",
            name="centre_level_known"),
    )
    _spatial("centre")

    op.create_table(
        "statistic",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("table_id", sa.Text, nullable=False),
        sa.Column("indicator", sa.Text, nullable=False),
        sa.Column("region", sa.Text, nullable=False),
        sa.Column("region_type", sa.Text, nullable=False, server_default="kommune"),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("value", sa.Numeric),
        sa.Column("unit", sa.Text),
        sa.Column("kind", sa.Text, nullable=False, server_default="result"),
        sa.Column("fictional", sa.Boolean, nullable=False, server_default=sa.false()),
        _load_id(),
        sa.UniqueConstraint("table_id", "indicator", "region", "year", "kind",
                            name="statistic_unique"),
    )


def downgrade() -> None:
    for table in ("statistic", "centre", "tettsted", "building_footprint", "building", "site",
                  "plan_area", "plan", "kommune", "load_run"):
        op.drop_table(table)
