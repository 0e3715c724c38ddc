"""Jordvern results (rezoned farmland pieces, per-plan figures, refresh state), the date and
author of planner-entered statistics, and the tettsted indicator view for the choropleth.

Revision ID: jordvern_0001
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import context, op
from geoalchemy2 import Geometry

revision = "jordvern_0001"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def _geom() -> sa.Column:
    srid = int(context.config.attributes.get("srid", 25832))
    return sa.Column("geom", Geometry("MULTIPOLYGON", srid=srid, spatial_index=False),
                     nullable=False)


TETTSTED_INDICATOR_VIEW = """
CREATE VIEW tettsted_indicator AS
WITH workplaces AS (
    -- Prefer a direct workplace count; fall back to employed persons by place of work.
    SELECT DISTINCT ON (region) region, year, value, fictional
    FROM statistic
    WHERE region_type = 'tettsted' AND kind = 'result' AND value IS NOT NULL
      AND indicator IN ('arbeidsplasser', 'sysselsatte_arbeidssted')
    ORDER BY region, year DESC, (indicator = 'arbeidsplasser') DESC
), residents AS (
    SELECT region, year, value, fictional
    FROM statistic
    WHERE region_type = 'tettsted' AND kind = 'result' AND indicator = 'sysselsatte_bosted'
)
SELECT t.id, t.tettstednummer, t.name, w.year,
       w.value::integer AS arbeidsplasser,
       r.value::integer AS sysselsatte_bosted,
       round(100 * w.value / nullif(r.value, 0))::integer AS egendekning_pct,
       CASE WHEN w.value IS NULL THEN 'ingen tall'
            WHEN w.value < 1000 THEN 'under 1 000'
            WHEN w.value < 2500 THEN '1 000–2 499'
            WHEN w.value < 5000 THEN '2 500–4 999'
            WHEN w.value < 10000 THEN '5 000–9 999'
            ELSE '10 000 og flere' END AS klasse,
       CASE WHEN w.value IS NULL THEN '#ffffff'
            WHEN w.value < 1000 THEN '#eff3ff'
            WHEN w.value < 2500 THEN '#bdd7e7'
            WHEN w.value < 5000 THEN '#6baed6'
            WHEN w.value < 10000 THEN '#3182bd'
            ELSE '#08519c' END AS fill,
       coalesce(w.fictional OR r.fictional, w.fictional, false) AS fictional,
       t.geom
FROM tettsted t
LEFT JOIN workplaces w ON w.region = t.tettstednummer
LEFT JOIN residents r ON r.region = t.tettstednummer AND r.year = w.year
"""


def upgrade() -> None:
    op.create_table(
        "jordvern_piece",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plan.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("plan_area_id", sa.Integer,
                  sa.ForeignKey("plan_area.id", ondelete="CASCADE"), nullable=False),
        sa.Column("land_cover_id", sa.BigInteger, nullable=False),
        sa.Column("plannavn", sa.Text),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("arealtype", sa.Integer, nullable=False),
        sa.Column("arealtype_name", sa.Text, nullable=False),
        # 'vedtatt' (adopted) or 'forslag' (in progress).
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("counted", sa.Boolean, nullable=False),
        sa.Column("area_m2", sa.Float, nullable=False),
        sa.Column("daa", sa.Numeric(12, 1), nullable=False),
        sa.Column("year_class", sa.Text, nullable=False),
        sa.Column("fill", sa.Text, nullable=False),
        _geom(),
        sa.CheckConstraint("status IN ('vedtatt', 'forslag')", name="jordvern_piece_status_known"),
    )
    op.create_index("jordvern_piece_geom_gist", "jordvern_piece", ["geom"],
                    postgresql_using="gist")
    op.create_index("jordvern_piece_plan", "jordvern_piece", ["plan_id"])

    op.create_table(
        "jordvern_plan",
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plan.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("nasjonal_arealplan_id", sa.Text, nullable=False),
        sa.Column("plannavn", sa.Text),
        sa.Column("plantype", sa.Integer),
        sa.Column("planstatus", sa.Integer),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("adopted_on", sa.Date),
        sa.Column("year", sa.Integer),
        # Regulation plans count in the ledger; kommuneplaner are shown but not counted.
        sa.Column("counted", sa.Boolean, nullable=False),
        sa.Column("gross_m2", sa.Float, nullable=False),
        sa.Column("rezoned_m2", sa.Float, nullable=False),
        sa.Column("fulldyrka_m2", sa.Float, nullable=False),
        sa.Column("overflatedyrka_m2", sa.Float, nullable=False),
        sa.Column("innmarksbeite_m2", sa.Float, nullable=False),
        sa.Column("rezoned_daa", sa.Numeric(12, 1), nullable=False),
        sa.Column("gross_daa", sa.Numeric(12, 1), nullable=False),
        sa.Column("status_label", sa.Text, nullable=False),
        _geom(),
    )
    op.create_index("jordvern_plan_geom_gist", "jordvern_plan", ["geom"],
                    postgresql_using="gist")

    op.create_table(
        "jordvern_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("seconds", sa.Float, nullable=False),
    )

    # Planner-entered values (NHO ranks) carry their source date and who entered them.
    op.add_column("statistic", sa.Column("source_date", sa.Date))
    op.add_column("statistic", sa.Column("entered_by", sa.Text))
    op.add_column("statistic", sa.Column("updated_at", sa.DateTime(timezone=True),
                                         nullable=False, server_default=sa.func.now()))
    op.execute(TETTSTED_INDICATOR_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS tettsted_indicator")
    op.drop_column("statistic", "updated_at")
    op.drop_column("statistic", "entered_by")
    op.drop_column("statistic", "source_date")
    op.drop_table("jordvern_state")
    op.drop_table("jordvern_plan")
    op.drop_table("jordvern_piece")
