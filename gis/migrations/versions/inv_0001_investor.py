"""Investor pages: focus areas loadable by name, a public-contact flag on sites, and a
submission counter for rate-limiting the interest form across server processes.

Revision ID: inv_0001_investor
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "inv_0001_investor"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Focus areas load like every other source (upsert on their bokmål name, load history).
    op.add_column("focus_area", sa.Column("load_id", sa.Integer, sa.ForeignKey("load_run.id"),
                                          nullable=True))
    op.add_column("focus_area", sa.Column("illustrative", sa.Boolean, nullable=False,
                                          server_default=sa.false()))
    op.create_unique_constraint("focus_area_name_nb_unique", "focus_area", ["name_nb"])
    # A site's contact person is shown publicly only when the planner marks it public.
    op.add_column("site", sa.Column("contact_public", sa.Boolean, nullable=False,
                                    server_default=sa.false()))
    # One row per accepted form submission: a keyed hash of the sender's address, never the
    # address itself; rows older than a day are pruned on every insert.
    op.create_table(
        "submission_throttle",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("client_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
    )
    op.create_index("submission_throttle_lookup", "submission_throttle",
                    ["action", "client_hash", "created_at"])


def downgrade() -> None:
    op.drop_table("submission_throttle")
    op.drop_column("site", "contact_public")
    op.drop_constraint("focus_area_name_nb_unique", "focus_area", type_="unique")
    op.drop_column("focus_area", "illustrative")
    op.drop_column("focus_area", "load_id")
