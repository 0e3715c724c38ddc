"""Least privilege in a database: an owner role for the schema, an app role for the rows.

The web app connects as the app role: it reads and writes rows (and refreshes the tile
overviews it owns the data of), but it cannot create, alter or drop tables, so an injection or a
stolen connection string cannot change the schema or read other databases' files. Migrations and
loads run as the owner role; neither is a superuser. Only creating the database and its
extensions (PostGIS is not a trusted extension) needs the cluster's superuser.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

# Extensions the migrations use; created by the superuser before the owner migrates.
EXTENSIONS = ("postgis", "pgrouting")
# Row privileges of the app role. TRUNCATE: the tile overviews are rebuilt on demand by tile
# requests (it grants no more than DELETE does).
APP_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, TRUNCATE"
APP_SEQUENCE_PRIVILEGES = "USAGE, SELECT"


@dataclass(frozen=True)
class Role:
    """A login role and its password."""

    name: str
    password: str


def ensure_role(conn: psycopg.Connection, role: Role) -> None:
    """Create the login role, or reset its password; never a superuser."""
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role.name,)).fetchone()
    verb = "ALTER" if exists else "CREATE"
    conn.execute(sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                         "NOREPLICATION NOBYPASSRLS PASSWORD {}").format(
        sql.Identifier(role.name), sql.Literal(role.password)))


def secure_database(superuser_url: str, owner: Role, app: Role) -> None:
    """Create both roles, install the extensions, and give the schema to the owner and the rows
    to the app role. Run as the superuser; idempotent (every `db up` runs it)."""
    target = make_url(superuser_url)
    database = target.database or ""
    admin_dsn = target.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        ensure_role(conn, owner)
        ensure_role(conn, app)
        conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
            sql.Identifier(database), sql.Identifier(owner.name)))
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database)))
        conn.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(app.name)))
    dsn = target.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        available = {row[0] for row in conn.execute("SELECT name FROM pg_available_extensions")}
        for extension in EXTENSIONS:
            if extension in available:
                conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(
                    sql.Identifier(extension)))
        with conn.transaction():
            _give_schema_to_owner(conn, owner.name)
            _grant_rows_to_app(conn, owner.name, app.name, target.username or "")


def _give_schema_to_owner(conn: psycopg.Connection, owner: str) -> None:
    """The public schema and every object in it that no extension owns (a database migrated by
    the superuser before roles existed) pass to the owner role."""
    conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(owner)))
    objects = conn.execute(
        """
        SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                              WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
               c.relname
          FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace
           AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
           AND pg_get_userbyid(c.relowner) <> %s
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype = 'e')
           AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype IN ('a', 'i')))
        UNION ALL
        SELECT 'FUNCTION', p.oid::regprocedure::text
          FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND pg_get_userbyid(p.proowner) <> %s
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                              AND d.deptype = 'e')
        """, (owner, owner)).fetchall()
    for kind, name in objects:
        # Function names come back as regprocedure text (already quoted with their arguments).
        target = sql.SQL(name) if kind == "FUNCTION" else sql.Identifier(name)
        conn.execute(sql.SQL("ALTER {} {} OWNER TO {}").format(
            sql.SQL(kind), target, sql.Identifier(owner)))


def _grant_rows_to_app(conn: psycopg.Connection, owner: str, app: str, superuser: str) -> None:
    """Row privileges on what exists, and by default on what the owner (or the superuser, in
    tests and old set-ups) creates later."""
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(app)))
    conn.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    conn.execute(sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA public TO {}").format(
        sql.SQL(APP_TABLE_PRIVILEGES), sql.Identifier(app)))
    conn.execute(sql.SQL("GRANT {} ON ALL SEQUENCES IN SCHEMA public TO {}").format(
        sql.SQL(APP_SEQUENCE_PRIVILEGES), sql.Identifier(app)))
    creators = {owner, superuser} - {""}
    for creator in sorted(creators):
        conn.execute(sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON TABLES TO {}").format(
            sql.Identifier(creator), sql.SQL(APP_TABLE_PRIVILEGES), sql.Identifier(app)))
        conn.execute(sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON SEQUENCES TO {}"
        ).format(sql.Identifier(creator), sql.SQL(APP_SEQUENCE_PRIVILEGES), sql.Identifier(app)))
