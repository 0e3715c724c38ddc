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



def upgrade() -> None:
    op.execute("ALTER VIEW site_map SET (security_invoker = true)")
    op.execute("ALTER VIEW site_abc SET (security_invoker = true)")


def downgrade() -> None:
    op.execute("ALTER VIEW site_map RESET (security_invoker)")
    op.execute("ALTER VIEW site_abc RESET (security_invoker)")
