"""Many kommuner in one database: sites and enquiries keyed by kommunenummer, each kommune's
pages see only its own rows (row-level security on the app role), planners work in theirs.

The web app connects with `naeringskart.kommune` set to the kommune it serves (each kommune's
pages are their own app, under /k/<kommunenummer>/); the policies then show that kommune's rows
and rows of no kommune (a site outside every loaded boundary). Without the setting (loads and
administrative commands) every row is visible. The policies bind the tables' owner too
(FORCE); only a superuser passes them, so the web app must never connect as one.

Revision ID: kommune_0001_scope
Revises: finite_0001_numbers
"""

import sqlalchemy as sa
from alembic import op

revision = "kommune_0001_scope"
down_revision = "finite_0001_numbers"
branch_labels = None
depends_on = ("0100_planner", "inv_0001_investor")

FUNCTIONS = """
CREATE FUNCTION kommune_in_scope(kommunenummer text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('naeringskart.kommune', true), '') = ''
        OR kommunenummer IS NULL
        OR kommunenummer = current_setting('naeringskart.kommune', true)
$$;

-- The kommune whose boundary holds the site (a point on its surface); kept when none does.
CREATE FUNCTION site_set_kommunenummer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.kommunenummer IS NULL
       OR NEW.geom IS DISTINCT FROM OLD.geom THEN
        NEW.kommunenummer := coalesce(
            (SELECT k.kommunenummer FROM kommune k
              WHERE ST_Intersects(k.geom, ST_PointOnSurface(NEW.geom))
              ORDER BY k.kommunenummer LIMIT 1),
            NEW.kommunenummer);
    END IF;
    RETURN NEW;
END $$;
"""

POLICIES = """
ALTER TABLE site ENABLE ROW LEVEL SECURITY;
ALTER TABLE site FORCE ROW LEVEL SECURITY;
CREATE POLICY site_kommune_scope ON site
    USING (kommune_in_scope(kommunenummer)) WITH CHECK (kommune_in_scope(kommunenummer));
ALTER TABLE interest_request ENABLE ROW LEVEL SECURITY;
ALTER TABLE interest_request FORCE ROW LEVEL SECURITY;
CREATE POLICY interest_request_kommune_scope ON interest_request
    USING (kommune_in_scope(kommunenummer)) WITH CHECK (kommune_in_scope(kommunenummer));
"""
DROP_POLICIES = """
DROP POLICY site_kommune_scope ON site;
ALTER TABLE site NO FORCE ROW LEVEL SECURITY;
ALTER TABLE site DISABLE ROW LEVEL SECURITY;
DROP POLICY interest_request_kommune_scope ON interest_request;
ALTER TABLE interest_request NO FORCE ROW LEVEL SECURITY;
ALTER TABLE interest_request DISABLE ROW LEVEL SECURITY;
"""


def upgrade() -> None:
    op.add_column("site", sa.Column("kommunenummer", sa.Text))
    op.create_index("site_kommunenummer", "site", ["kommunenummer"])
    op.execute(FUNCTIONS)
    # Existing sites get their kommune without a new version in their history.
    op.execute("ALTER TABLE site DISABLE TRIGGER USER")
    op.execute("UPDATE site s SET kommunenummer = (SELECT k.kommunenummer FROM kommune k "
               "WHERE ST_Intersects(k.geom, ST_PointOnSurface(s.geom)) "
               "ORDER BY k.kommunenummer LIMIT 1)")
    op.execute("ALTER TABLE site ENABLE TRIGGER USER")
    op.execute("CREATE TRIGGER site_kommunenummer BEFORE INSERT OR UPDATE ON site "
               "FOR EACH ROW EXECUTE FUNCTION site_set_kommunenummer()")

    # An enquiry belongs to the kommune whose pages took it.
    op.add_column("interest_request", sa.Column(
        "kommunenummer", sa.Text,
        server_default=sa.text("nullif(current_setting('naeringskart.kommune', true), '')")))
    op.execute("UPDATE interest_request r SET kommunenummer = s.kommunenummer FROM site s "
               "WHERE s.id = r.site_id")

    # Planners work in the kommuner listed (NULL: every kommune of the instance).
    op.add_column("app_user", sa.Column("kommuner", sa.ARRAY(sa.Text)))

    # FORCE: also for the tables' owner, so a deployment whose app connects as the owner is
    # scoped too. Loads and commands set no kommune, so they still see every row.
    op.execute(POLICIES)


def downgrade() -> None:
    op.execute(DROP_POLICIES)
    op.drop_column("app_user", "kommuner")
    op.drop_column("interest_request", "kommunenummer")
    op.execute("DROP TRIGGER site_kommunenummer ON site")
    op.drop_index("site_kommunenummer", "site")
    op.drop_column("site", "kommunenummer")
    op.execute("DROP FUNCTION site_set_kommunenummer()")
    op.execute("DROP FUNCTION kommune_in_scope(text)")
