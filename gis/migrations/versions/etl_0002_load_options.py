"""Each load records the options its file was read with (--srs, --layer, --encoding, --plan-id).

The same bytes read with another CRS or character set are other data, so "already loaded"
compares checksum and options.

Revision ID: etl_0002_load_options
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "etl_0002_load_options"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("load_run", sa.Column("options", JSONB, nullable=False,
                                        server_default=sa.text("'{}'::jsonb")))


def downgrade() -> None:
    op.drop_column("load_run", "options")
