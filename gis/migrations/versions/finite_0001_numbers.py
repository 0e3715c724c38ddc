"""No writer can store NaN or ±Infinity in a number a user or a file sets.

PostgreSQL's numeric and float8 accept 'NaN' and 'Infinity'; one such area made every page that
formats or sums it fail. In PostgreSQL NaN sorts above every number, so "< 'Infinity'" refuses
both NaN and +Infinity; NULL still passes.

Revision ID: finite_0001_numbers
Revises: 0100_planner
"""

from alembic import op

revision = "finite_0001_numbers"
down_revision = "0100_planner"
branch_labels = None
depends_on = None

FINITE_COLUMNS = (
    ("site", "area_m2"),
    ("plan_area", "utnytting_tall"),
    ("transit_stop", "departures_per_hour"),
    ("transit_stop", "mean_headway_min"),
    ("unmet_demand", "area_min_m2"),
    ("unmet_demand", "area_max_m2"),
    ("statistic", "value"),
    ("premises", "floor_area_m2"),
)


def upgrade() -> None:
    for table, column in FINITE_COLUMNS:
        op.create_check_constraint(f"{table}_{column}_finite", table,
                                   f"{column} < 'Infinity' AND {column} > '-Infinity'")


def downgrade() -> None:
    for table, column in FINITE_COLUMNS:
        op.drop_constraint(f"{table}_{column}_finite", table)
