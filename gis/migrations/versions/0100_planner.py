"""Planner workspace: accounts, server-side sessions, login throttling, site history
(a trigger on `site`, so every writer — the editor, bulk uploads, the ETL loader — leaves a
version), optimistic locking, soft deletion, premises (ledige lokaler), planned use,
bulk uploads, and lead handling columns.

Revision ID: 0100_planner
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import context, op
from geoalchemy2 import Geometry
from sqlalchemy.dialects.postgresql import JSONB

revision = "0100_planner"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def _srid() -> int:
    return int(context.config.attributes.get("srid", 25832))


# Why a trigger: history must hold for any writer, including etl/load.py's upsert.
# Who: the application sets `naeringskart.actor` per transaction; other writers are named
# by their database role (the ETL shows as its role plus its load_run id).
HISTORY_FUNCTIONS = """
CREATE FUNCTION site_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- An archived site stays hidden even when a reload of an old file says published.
    IF NEW.archived_at IS NOT NULL THEN
        NEW.published := false;
    END IF;
    IF (to_jsonb(NEW) - 'version' - 'updated_at' - 'updated_by' - 'load_id')
       IS NOT DISTINCT FROM
       (to_jsonb(OLD) - 'version' - 'updated_at' - 'updated_by' - 'load_id') THEN
        NEW.version := OLD.version;
        NEW.updated_at := OLD.updated_at;
        NEW.updated_by := OLD.updated_by;
        RETURN NEW;
    END IF;
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    NEW.updated_by := coalesce(nullif(current_setting('naeringskart.actor', true), ''),
                               CASE WHEN NEW.load_id IS DISTINCT FROM OLD.load_id
                                    THEN 'innlasting ' || NEW.load_id ELSE session_user END);
    RETURN NEW;
END $$;

CREATE FUNCTION site_stamp_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := 1;
    NEW.updated_at := now();
    NEW.updated_by := coalesce(nullif(current_setting('naeringskart.actor', true), ''),
                               CASE WHEN NEW.load_id IS NOT NULL
                                    THEN 'innlasting ' || NEW.load_id ELSE session_user END);
    RETURN NEW;
END $$;

CREATE FUNCTION site_snapshot(row_data site) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT (to_jsonb(row_data) - 'geom')
           || jsonb_build_object('geom', ST_AsEWKT(row_data.geom),
                                 'geom_area_m2', round(ST_Area(row_data.geom)::numeric, 1))
$$;

CREATE FUNCTION site_record_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    actor text := coalesce(nullif(current_setting('naeringskart.actor', true), ''),
                           session_user);
    action text := coalesce(nullif(current_setting('naeringskart.action', true), ''),
                            lower(TG_OP));
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO site_version (site_id, version, changed_by, operation, before, after)
        VALUES (NEW.id, NEW.version, NEW.updated_by, action, NULL, site_snapshot(NEW));
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.version <> OLD.version THEN
            INSERT INTO site_version (site_id, version, changed_by, operation, before, after)
            VALUES (NEW.id, NEW.version, NEW.updated_by, action, site_snapshot(OLD),
                    site_snapshot(NEW));
        END IF;
        RETURN NEW;
    ELSE
        INSERT INTO site_version (site_id, version, changed_by, operation, before, after)
        VALUES (OLD.id, OLD.version + 1, actor, 'delete', site_snapshot(OLD), NULL);
        RETURN OLD;
    END IF;
END $$;
"""


def upgrade() -> None:
    srid = _srid()
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("totp_secret", sa.Text),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("role IN ('planner', 'admin')", name="app_user_role_known"),
        sa.CheckConstraint("role <> 'admin' OR totp_secret IS NOT NULL",
                           name="app_user_admin_has_totp"),
    )
    op.create_index("app_user_username_unique", "app_user", [sa.text("lower(username)")],
                    unique=True)

    op.create_table(
        "web_session",
        # sha256 of the random token in the cookie: a stolen table does not yield sessions.
        sa.Column("token_hash", sa.Text, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("app_user.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("address", sa.Text),
        sa.Column("user_agent", sa.Text),
    )
    op.create_index("web_session_user", "web_session", ["user_id"])

    op.create_table(
        "login_attempt",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("succeeded", sa.Boolean, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
    )
    op.create_index("login_attempt_username_at", "login_attempt", [sa.text("lower(username)"), "at"])
    op.create_index("login_attempt_address_at", "login_attempt", ["address", "at"])

    # Sites: a version for optimistic locking, who/when of the last change, soft deletion.
    op.add_column("site", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("site", sa.Column("updated_at", sa.DateTime(timezone=True)))
    op.add_column("site", sa.Column("updated_by", sa.Text))
    op.add_column("site", sa.Column("archived_at", sa.DateTime(timezone=True)))
    op.add_column("site", sa.Column("archived_reason", sa.Text))
    op.create_table(
        "site_version",
        sa.Column("id", sa.BigInteger, primary_key=True),
        # No foreign key: the history outlives even a hard delete by another writer.
        sa.Column("site_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("operation", sa.Text, nullable=False),
        sa.Column("before", JSONB),
        sa.Column("after", JSONB),
    )
    op.create_index("site_version_site", "site_version", ["site_id", "version"])
    op.create_index("site_version_changed_at", "site_version", ["changed_at"])
    op.execute(HISTORY_FUNCTIONS)
    op.execute("CREATE TRIGGER site_stamp_insert BEFORE INSERT ON site "
               "FOR EACH ROW EXECUTE FUNCTION site_stamp_insert()")
    op.execute("CREATE TRIGGER site_bump_version BEFORE UPDATE ON site "
               "FOR EACH ROW EXECUTE FUNCTION site_bump_version()")
    op.execute("CREATE TRIGGER site_record_version AFTER INSERT OR UPDATE OR DELETE ON site "
               "FOR EACH ROW EXECUTE FUNCTION site_record_version()")
    # Sites that exist before this revision get their first version now.
    op.execute("UPDATE site SET updated_at = created_at, updated_by = 'migrering'")
    op.execute("INSERT INTO site_version (site_id, version, changed_at, changed_by, operation, "
               "after) SELECT id, version, created_at, 'migrering', 'insert', site_snapshot(site) "
               "FROM site")

    op.create_table(
        "premises",
        sa.Column("id", sa.Integer, primary_key=True),
        # No foreign key: building loads replace the whole table (TRUNCATE); the point is kept.
        sa.Column("building_id", sa.BigInteger),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id", ondelete="SET NULL")),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("floor_area_m2", sa.Numeric, nullable=False),
        sa.Column("use", sa.Text, nullable=False),
        sa.Column("available_from", sa.Date),
        sa.Column("rent_level", sa.Text),
        sa.Column("contact_name", sa.Text),
        sa.Column("contact_email", sa.Text),
        sa.Column("contact_phone", sa.Text),
        sa.Column("published", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("last_verified", sa.Date, nullable=False, server_default=sa.func.current_date()),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("updated_by", sa.Text),
        sa.Column("geom", Geometry("POINT", srid=srid, spatial_index=False)),
        sa.CheckConstraint("floor_area_m2 > 0", name="premises_area_positive"),
    )
    op.create_index("premises_geom_gist", "premises", ["geom"], postgresql_using="gist")

    op.create_table(
        "planned_use",
        sa.Column("id", sa.Integer, primary_key=True),
        # No foreign key: building loads replace the whole table (TRUNCATE); the point is kept.
        sa.Column("building_id", sa.BigInteger),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id", ondelete="SET NULL")),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("planned_use", sa.Text, nullable=False),
        sa.Column("horizon_year", sa.Integer, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.Column("geom", Geometry("GEOMETRY", srid=srid, spatial_index=False)),
        sa.CheckConstraint("horizon_year BETWEEN 2000 AND 2100", name="planned_use_horizon_sane"),
    )

    op.create_table(
        "bulk_upload",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="preview"),
        sa.Column("rows", JSONB, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("status IN ('preview', 'applied', 'discarded')",
                           name="bulk_upload_status_known"),
    )

    op.add_column("interest_request", sa.Column("read_at", sa.DateTime(timezone=True)))
    op.add_column("interest_request", sa.Column("answered_by", sa.Text))


def downgrade() -> None:
    op.drop_column("interest_request", "answered_by")
    op.drop_column("interest_request", "read_at")
    for table in ("bulk_upload", "planned_use", "premises"):
        op.drop_table(table)
    op.execute("DROP TRIGGER site_record_version ON site")
    op.execute("DROP TRIGGER site_bump_version ON site")
    op.execute("DROP TRIGGER site_stamp_insert ON site")
    op.execute("DROP FUNCTION site_record_version(), site_snapshot(site), site_bump_version(), "
               "site_stamp_insert()")
    op.drop_table("site_version")
    for column in ("archived_reason", "archived_at", "updated_by", "updated_at", "version"):
        op.drop_column("site", column)
    for table in ("login_attempt", "web_session", "app_user"):
        op.drop_table(table)
