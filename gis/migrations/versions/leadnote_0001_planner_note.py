"""Leads: the planners' internal note on an interest request (never shown to the investor).

Revision ID: leadnote_0001_planner_note
Revises: 0100_planner
"""

import sqlalchemy as sa
from alembic import op

revision = "leadnote_0001_planner_note"
down_revision = "0100_planner"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("interest_request", sa.Column("planner_note", sa.Text))


def downgrade() -> None:
    op.drop_column("interest_request", "planner_note")
