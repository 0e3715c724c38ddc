"""ABC analysis: which stop gave the transit class, road and centre detail, transit-quality areas
around stops, and a public view of sites with their ABC class for the map.

Revision ID: 0500_abc
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import context, op
from geoalchemy2 import Geometry

revision = "0500_abc"
down_revision = "0001_core"
branch_labels = None
depends_on = None

SITE_ABC_VIEW = """
CREATE VIEW site_abc AS
SELECT s.id, s.site_key, s.name, s.area_m2, s.fictional,
       coalesce(a.abc_class, '–') AS abc_class,
       coalesce(a.transit_class, '–') AS transit_class,
       a.transit_stop_name, round(a.transit_stop_distance_m) AS transit_stop_distance_m,
       a.road_junction_name, round(a.road_distance_m) AS road_distance_m,
       a.centre_name, round(a.centre_distance_m) AS centre_distance_m,
       s.geom
FROM site s JOIN site_accessibility a ON a.site_id = s.id
WHERE s.published
"""


def upgrade() -> None:
    srid = int(context.config.attributes.get("srid", 25832))
    op.add_column("site_accessibility", sa.Column("transit_stop_name", sa.Text))
    op.add_column("site_accessibility", sa.Column("transit_stop_category", sa.Text))
    op.add_column("site_accessibility", sa.Column("transit_stop_distance_m", sa.Numeric))
    op.add_column("site_accessibility", sa.Column("road_vegnummer", sa.Text))
    op.add_column("site_accessibility", sa.Column("centre_inside", sa.Boolean))
    op.add_column("site_accessibility", sa.Column("detour_factor", sa.Numeric))
    op.create_index("site_accessibility_abc", "site_accessibility", ["abc_class"])
    op.create_index("site_accessibility_transit", "site_accessibility", ["transit_class"])
    # Each stop's group, headway and ÖV-Güteklassen category, derived whenever stops load.
    op.create_table(
        "transit_stop_quality",
        sa.Column("stop_pk", sa.Integer, sa.ForeignKey("transit_stop.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("stop_group", sa.Text),
        sa.Column("headway_min", sa.Float),
        sa.Column("category", sa.Text),
        sa.Column("geom", Geometry("POINT", srid=srid, spatial_index=False), nullable=False),
    )
    op.create_index("transit_stop_quality_geom_gist", "transit_stop_quality", ["geom"],
                    postgresql_using="gist")
    # The nearest rail station is looked up for every site: rail is a few % of all stops.
    op.create_index("transit_stop_quality_rail_gist", "transit_stop_quality", ["geom"],
                    postgresql_using="gist", postgresql_where=sa.text("mode = 'rail'"))
    op.create_table(
        "transit_quality_area",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("quality_class", sa.Text, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("geom", Geometry("MULTIPOLYGON", srid=srid, spatial_index=False),
                  nullable=False),
        sa.CheckConstraint("quality_class IN ('A', 'B', 'C', 'D')",
                           name="transit_quality_area_class_known"),
    )
    op.create_index("transit_quality_area_geom_gist", "transit_quality_area", ["geom"],
                    postgresql_using="gist")
    op.execute(SITE_ABC_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS site_abc")
    op.drop_table("transit_quality_area")
    op.drop_table("transit_stop_quality")
    op.drop_index("site_accessibility_transit", "site_accessibility")
    op.drop_index("site_accessibility_abc", "site_accessibility")
    for column in ("detour_factor", "centre_inside", "road_vegnummer", "transit_stop_distance_m",
                   "transit_stop_category", "transit_stop_name"):
        op.drop_column("site_accessibility", column)
