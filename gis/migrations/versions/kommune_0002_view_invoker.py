"""Views of sites read with the reader's rights, so a kommune's pages see its own sites through
them too (a view otherwise reads as its owner, whom row-level security does not restrict).

Revision ID: kommune_0002_view_invoker
Revises: kommune_0001_scope, map_0001_site_map_view
"""

from alembic import op

revision = "kommune_0002_view_invoker"
down_revision = ("kommune_0001_scope", "map_0001_site_map_view")
branch_labels = None
depends_on = ("0500_abc",)

SITE_VIEWS = ("site_map", "site_abc")


def upgrade() -> None:
    for view in SITE_VIEWS:
        op.execute(f"ALTER VIEW {view} SET (security_invoker = true)")


def downgrade() -> None:
    for view in SITE_VIEWS:
        op.execute(f"ALTER VIEW {view} RESET (security_invoker)")
