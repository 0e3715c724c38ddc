"""Transit stops are kept per GTFS feed (operator), so several operators' feeds live side by
side: a feed's load replaces only its own rows.

Revision ID: gml_0001_transit_feed
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "gml_0001_transit_feed"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows loaded before this revision belong to one unnamed feed; the next load of any
    # feed replaces them (etl.loaders.gtfs).
    op.add_column("transit_stop", sa.Column("feed", sa.Text, nullable=False, server_default=""))
    op.drop_constraint("transit_stop_unique", "transit_stop", type_="unique")
    op.create_unique_constraint("transit_stop_unique", "transit_stop", ["feed", "stop_id", "mode"])


def downgrade() -> None:
    op.execute("DELETE FROM transit_stop a USING transit_stop b WHERE a.stop_id = b.stop_id "
               "AND a.mode = b.mode AND a.id > b.id")
    op.drop_constraint("transit_stop_unique", "transit_stop", type_="unique")
    op.create_unique_constraint("transit_stop_unique", "transit_stop", ["stop_id", "mode"])
    op.drop_column("transit_stop", "feed")
