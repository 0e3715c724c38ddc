"""Statistics keep how to read a value (comparator), the region's name and a note.

Revision ID: etlb_0001_statistic_detail
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "etlb_0001_statistic_detail"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # comparator: "=" exact, "~" about, and for ambitions "<=", ">=", ">", "<".
    op.add_column("statistic", sa.Column("comparator", sa.Text, nullable=False,
                                         server_default="="))
    op.add_column("statistic", sa.Column("region_name", sa.Text))
    op.add_column("statistic", sa.Column("note", sa.Text))
    op.create_check_constraint("statistic_comparator_known", "statistic",
                               "comparator IN ('=', '~', '<', '<=', '>', '>=')")
    op.create_check_constraint("statistic_kind_known", "statistic",
                               "kind IN ('result', 'ambition')")


def downgrade() -> None:
    op.drop_constraint("statistic_kind_known", "statistic")
    op.drop_constraint("statistic_comparator_known", "statistic")
    for column in ("note", "region_name", "comparator"):
        op.drop_column("statistic", column)
