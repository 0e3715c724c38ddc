"""Cultivated AR5 land prepared once per land-cover delivery: overlaps with built/road and
duplicate cultivated polygons removed and big polygons subdivided, so the jordvern refresh
(run on every plan load) no longer re-checks AR5 overlaps.

Revision ID: jordvern_0003
Revises: jordvern_0002
"""

import sqlalchemy as sa
from alembic import context, op
from geoalchemy2 import Geometry

revision = "jordvern_0003"
down_revision = "jordvern_0002"
branch_labels = None
# land_cover's data version (tile_data_version) says when the prepared layer is stale.
depends_on = "0002_map_tiles"


def upgrade() -> None:
    srid = int(context.config.attributes.get("srid", 25832))
    op.create_table(
        "jordvern_cultivated",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("land_cover_id", sa.BigInteger, nullable=False),
        sa.Column("arealtype", sa.Integer, nullable=False),
        # False for the parts of a subdivided polygon (the refresh merges those per area).
        sa.Column("whole", sa.Boolean, nullable=False),
        sa.Column("geom", Geometry("POLYGON", srid=srid, spatial_index=False), nullable=False),
    )
    op.create_index("jordvern_cultivated_geom_gist", "jordvern_cultivated", ["geom"],
                    postgresql_using="gist")
    op.create_table(
        "jordvern_cultivated_state",
        sa.Column("id", sa.Integer, primary_key=True),
        # tile_data_version.version of land_cover the prepared layer was built from.
        sa.Column("land_cover_version", sa.BigInteger, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
    )
    # jordvern_piece is derived data, rebuilt from plan/plan_area in the same transaction that
    # changes them (plans are versioned, never deleted); the row-by-row foreign-key checks cost
    # as much as computing the 80,000 pieces of a kommune, so they go.
    op.drop_constraint("jordvern_piece_plan_id_fkey", "jordvern_piece", type_="foreignkey")
    op.drop_constraint("jordvern_piece_plan_area_id_fkey", "jordvern_piece", type_="foreignkey")


def downgrade() -> None:
    op.create_foreign_key("jordvern_piece_plan_area_id_fkey", "jordvern_piece", "plan_area",
                          ["plan_area_id"], ["id"], ondelete="CASCADE")
    op.create_foreign_key("jordvern_piece_plan_id_fkey", "jordvern_piece", "plan",
                          ["plan_id"], ["id"], ondelete="CASCADE")
    op.drop_table("jordvern_cultivated_state")
    op.drop_table("jordvern_cultivated")
