"""Unmet demand as one counted row per search signature and day (was one row per search).

Revision ID: secops_0001_unmet_demand_counter
Revises: 0001_core
"""

from alembic import op

revision = "secops_0001_unmet_demand_counter"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE unmet_demand ADD COLUMN day date, ADD COLUMN signature text, "
               "ADD COLUMN searches integer NOT NULL DEFAULT 1 CHECK (searches >= 1)")
    # Earlier rows: same filters on the same day become one row with their count.
    op.execute("UPDATE unmet_demand SET day = created_at::date, "
               "signature = md5(filters::text || '|' || coalesce(area_min_m2::text, '') || '|' || "
               "coalesce(area_max_m2::text, '') || '|' || coalesce(category, '') || '|' || "
               "coalesce(tettsted, ''))")
    op.execute("WITH groups AS (SELECT min(id) AS keep, count(*) AS n FROM unmet_demand "
               "GROUP BY day, signature) "
               "UPDATE unmet_demand u SET searches = groups.n FROM groups WHERE u.id = groups.keep")
    op.execute("DELETE FROM unmet_demand WHERE id NOT IN "
               "(SELECT min(id) FROM unmet_demand GROUP BY day, signature)")
    op.execute("ALTER TABLE unmet_demand ALTER COLUMN day SET DEFAULT current_date, "
               "ALTER COLUMN day SET NOT NULL, ALTER COLUMN signature SET NOT NULL, "
               "ADD CONSTRAINT unmet_demand_day_signature_unique UNIQUE (day, signature)")


def downgrade() -> None:
    op.execute("ALTER TABLE unmet_demand DROP CONSTRAINT unmet_demand_day_signature_unique, "
               "DROP COLUMN searches, DROP COLUMN signature, DROP COLUMN day")
