"""Core tables: kommune, load history, plans, plan areas, sites, buildings, tettsteder,
centres, statistics, land cover, transit stops, main roads, focus areas, site accessibility,
interest requests and unmet demand.

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
        sa.Column("bygningsgruppe", sa.Text),
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
        sa.Column("bygningsgruppe", sa.Text),
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
        "land_cover",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("arealtype", sa.Integer, nullable=False),
        sa.Column("arealtype_name", sa.Text),
        _load_id(),
        _geom("MULTIPOLYGON"),
    )
    _spatial("land_cover")

    op.create_table(
        "transit_stop",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("stop_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        # Mean departures per hour 06:00-20:00 on a normal weekday, and the mean headway.
        sa.Column("departures_per_hour", sa.Numeric, nullable=False, server_default="0"),
        sa.Column("mean_headway_min", sa.Numeric),
        sa.Column("departures_per_day", sa.Integer, nullable=False, server_default="0"),
        _load_id(),
        _geom("POINT"),
        sa.UniqueConstraint("stop_id", "mode", name="transit_stop_unique"),
        sa.CheckConstraint("mode IN ('rail', 'bus', 'tram', 'metro', 'ferry', 'other')",
                           name="transit_stop_mode_known"),
    )
    _spatial("transit_stop", check_valid=False)

    op.create_table(
        "main_road",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("vegnummer", sa.Text, nullable=False),
        sa.Column("vegkategori", sa.Text),
        _load_id(),
        _geom("MULTILINESTRING"),
    )
    _spatial("main_road")

    op.create_table(
        "road_junction",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("vegnummer", sa.Text, nullable=False),
        _load_id(),
        _geom("POINT"),
    )
    _spatial("road_junction", check_valid=False)

    op.create_table(
        "focus_area",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name_nb", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("text_nb", sa.Text),
        sa.Column("text_en", sa.Text),
        _geom("MULTIPOLYGON"),
    )
    _spatial("focus_area")

    op.create_table(
        "site_accessibility",
        sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("abc_class", sa.Text),
        sa.Column("transit_class", sa.Text),
        sa.Column("nearest_stop_name", sa.Text),
        sa.Column("nearest_stop_distance_m", sa.Numeric),
        sa.Column("nearest_rail_name", sa.Text),
        sa.Column("nearest_rail_distance_m", sa.Numeric),
        sa.Column("road_junction_name", sa.Text),
        sa.Column("road_distance_m", sa.Numeric),
        sa.Column("centre_name", sa.Text),
        sa.Column("centre_level", sa.Text),
        sa.Column("centre_distance_m", sa.Numeric),
        sa.Column("distance_method", sa.Text),
        sa.Column("reasons", JSONB, nullable=False, server_default="[]"),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("abc_class IS NULL OR abc_class IN ('A', 'B', 'C')",
                           name="site_accessibility_abc_known"),
        sa.CheckConstraint("transit_class IS NULL OR transit_class IN ('A', 'B', 'C', 'D')",
                           name="site_accessibility_transit_known"),
    )

    op.create_table(
        "interest_request",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id", ondelete="SET NULL")),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("company", sa.Text),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("need", sa.Text),
        sa.Column("message", sa.Text),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.Column("lang", sa.Text, nullable=False, server_default="nb"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("status", sa.Text, nullable=False, server_default="ny"),
        sa.Column("assigned_to", sa.Text),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("consent", name="interest_request_consent_given"),
    )

    op.create_table(
        "unmet_demand",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("area_min_m2", sa.Numeric),
        sa.Column("area_max_m2", sa.Numeric),
        sa.Column("category", sa.Text),
        sa.Column("tettsted", sa.Text),
        sa.Column("filters", JSONB, nullable=False, server_default="{}"),
    )

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
    for table in ("statistic", "unmet_demand", "interest_request", "site_accessibility",
                  "focus_area", "road_junction", "main_road", "transit_stop", "land_cover",
                  "centre", "tettsted", "building_footprint", "building", "site", "plan_area",
                  "plan", "kommune", "load_run"):
        op.drop_table(table)
