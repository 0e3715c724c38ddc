"""ABC: how each stored distance was measured, and how each transit-quality area was drawn.

A site's nearest rail station may lie beyond the routed reach while its transit stop was
routed along the network: each distance carries its own method. A transit-quality area is
drawn along the network (stops on it) or as straight-line rings (stops off it).

Revision ID: 0520_abc_methods
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0520_abc_methods"
down_revision = "0001_core"
branch_labels = None
depends_on = ("0500_abc", "0510_walk_network")

_SITE_COLUMNS = ("transit_stop_method", "nearest_stop_method", "nearest_rail_method")


def upgrade() -> None:
    for column in _SITE_COLUMNS:
        op.add_column("site_accessibility", sa.Column(column, sa.Text))
    op.add_column("transit_quality_area",
                  sa.Column("method", sa.Text, nullable=False,
                            server_default="straight_line_detour"))
    op.create_check_constraint(
        "transit_quality_area_method_known", "transit_quality_area",
        "method IN ('network', 'straight_line_detour')")


def downgrade() -> None:
    op.drop_constraint("transit_quality_area_method_known", "transit_quality_area")
    op.drop_column("transit_quality_area", "method")
    for column in _SITE_COLUMNS:
        op.drop_column("site_accessibility", column)
