"""The map's view of sites: each site with its ABC class and nearest rail station, so a
site's popup can show them (sites without an analysis yet have neither).

Revision ID: map_0001_site_map_view
Revises: 0100_planner
"""

from alembic import op

revision = "map_0001_site_map_view"
down_revision = "0100_planner"
branch_labels = None
depends_on = None

SITE_MAP_VIEW = """
CREATE VIEW site_map AS
SELECT s.id, s.site_key, s.name, s.area_m2, s.status, s.readiness, s.planned_use,
       s.zoning_code, s.ownership, s.tettsted, s.fictional, s.published,
       a.abc_class, a.nearest_rail_name,
       round(a.nearest_rail_distance_m)::integer AS nearest_rail_distance_m,
       s.geom
FROM site s LEFT JOIN site_accessibility a ON a.site_id = s.id
"""


def upgrade() -> None:
    op.execute(SITE_MAP_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS site_map")
