"""Walking network for the ABC analysis: pgRouting, the loaded path centre lines and the routing
topology built from them (vertices at line ends and shared points, edges costed by length).

Revision ID: 0510_walk_network
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import context, op
from geoalchemy2 import Geometry

revision = "0510_walk_network"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def _geom(kind: str) -> sa.Column:
    srid = int(context.config.attributes.get("srid", 25832))
    return sa.Column("geom", Geometry(kind, srid=srid, spatial_index=False), nullable=False)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pgrouting")
    # As delivered (Elveg/NVDB, OSM export): one row per road or path feature.
    op.create_table(
        "walk_path",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path_key", sa.Text),
        sa.Column("kind", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("fictional", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("load_id", sa.Integer, sa.ForeignKey("load_run.id"), nullable=True),
        _geom("MULTILINESTRING"),
    )
    op.create_index("walk_path_geom_gist", "walk_path", ["geom"], postgresql_using="gist")
    op.create_check_constraint("walk_path_geom_valid", "walk_path", "ST_IsValid(geom)")
    # The routing topology, rebuilt from walk_path whenever it is loaded.
    op.create_table(
        "walk_vertex",
        sa.Column("id", sa.BigInteger, primary_key=True),
        _geom("POINT"),
    )
    op.create_index("walk_vertex_geom_gist", "walk_vertex", ["geom"], postgresql_using="gist")
    op.create_table(
        "walk_edge",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("path_id", sa.Integer, sa.ForeignKey("walk_path.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("source", sa.BigInteger, sa.ForeignKey("walk_vertex.id"), nullable=False),
        sa.Column("target", sa.BigInteger, sa.ForeignKey("walk_vertex.id"), nullable=False),
        sa.Column("cost", sa.Float, nullable=False),
        _geom("LINESTRING"),
        sa.CheckConstraint("cost > 0", name="walk_edge_cost_positive"),
    )
    op.create_index("walk_edge_geom_gist", "walk_edge", ["geom"], postgresql_using="gist")


def downgrade() -> None:
    op.drop_table("walk_edge")
    op.drop_table("walk_vertex")
    op.drop_table("walk_path")
    op.execute("DROP EXTENSION IF EXISTS pgrouting")
