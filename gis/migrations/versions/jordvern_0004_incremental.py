"""What each plan looked like when the jordvern figures were last computed, so an update
recomputes only the plans that changed and their overlapping neighbours.

Revision ID: jordvern_0004_incremental
Revises: jordvern_0003
"""

import sqlalchemy as sa
from alembic import context, op
from geoalchemy2 import Geometry

revision = "jordvern_0004_incremental"
down_revision = "jordvern_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    srid = int(context.config.attributes.get("srid", 25832))
    op.create_table(
        "jordvern_plan_input",
        sa.Column("plan_id", sa.Integer, primary_key=True),
        # The row versions of the plan and its areas: any insert, update or delete changes it.
        sa.Column("signature", sa.Text, nullable=False),
        # The bounding boxes of the plan's counted areas (regulation plans): where a change can
        # alter other plans' figures.
        sa.Column("boxes", Geometry("MULTIPOLYGON", srid=srid, spatial_index=False)),
    )


def downgrade() -> None:
    op.drop_table("jordvern_plan_input")
