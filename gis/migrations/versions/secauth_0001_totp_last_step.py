"""Sign-in hardening: the last TOTP time step each account used, so a code seen once (over a
shoulder, in a proxy log) cannot sign in again within its 90-second validity.

Revision ID: secauth_0001_totp_last_step
Revises: 0100_planner
"""

import sqlalchemy as sa
from alembic import op

revision = "secauth_0001_totp_last_step"
down_revision = "0100_planner"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The 30-second step number (Unix time // 30) of the last accepted code; NULL = none yet.
    op.add_column("app_user", sa.Column("totp_last_step", sa.BigInteger))


def downgrade() -> None:
    op.drop_column("app_user", "totp_last_step")
