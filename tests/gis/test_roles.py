"""Least privilege: passwords on every connection, the app not a superuser, the owner migrates."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import psycopg
import pytest
from click.testing import CliRunner
from psycopg import sql
from sqlalchemy.engine import make_url

from gis import db as gisdb
from gis.cluster import APP_ROLE, OWNER_ROLE, REPLICATION_ROLE, SUPERUSER, LocalCluster
from gis.config import PROJECT_ROOT
from gis.db import libpq_dsn
from tests.conftest import RUN_TAG, as_app_role, make_settings


def _connect(url: str) -> psycopg.Connection:
    return psycopg.connect(libpq_dsn(url), autocommit=True)


def test_the_local_cluster_refuses_a_connection_without_the_password(cluster: LocalCluster) -> None:
    for role in (SUPERUSER, OWNER_ROLE, APP_ROLE):
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(host="127.0.0.1", port=cluster.port, user=role, dbname="postgres",
                            password="")
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(host="127.0.0.1", port=cluster.port, user=role, dbname="postgres",
                            password="wrong")
    with _connect(cluster.url("postgres")) as conn:
        method = conn.execute("SHOW password_encryption").fetchone()
        assert method == ("scram-sha-256",)


def test_passwords_are_readable_only_by_their_owner(cluster: LocalCluster) -> None:
    assert cluster.password_file.stat().st_mode & 0o077 == 0
    assert set(cluster.passwords()) == {SUPERUSER, OWNER_ROLE, APP_ROLE, REPLICATION_ROLE}


def test_the_app_role_writes_rows_but_cannot_change_the_schema(db_url: str) -> None:
    with _connect(as_app_role(db_url)) as conn:
        assert conn.execute("SELECT current_user, rolsuper, rolcreatedb, rolcreaterole "
                            "FROM pg_roles WHERE rolname = current_user").fetchone() == (
            APP_ROLE, False, False, False)
        conn.execute("SELECT count(*) FROM site").fetchone()
        conn.execute("INSERT INTO kommune (kommunenummer, name, geom) VALUES ('0301', 'Oslo', "
                     "ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(597000, 6643000), 25832), 10)))")
        assert conn.execute("DELETE FROM kommune WHERE kommunenummer = '0301'").rowcount == 1
        for statement in ("CREATE TABLE stolen (secret text)",
                          "DROP TABLE site",
                          "ALTER TABLE site ADD COLUMN backdoor text",
                          "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                          "COPY site TO '/tmp/site.csv'",
                          "DROP EXTENSION postgis CASCADE"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_the_owner_role_owns_the_schema_and_is_no_superuser(db_url: str,
                                                            cluster: LocalCluster) -> None:
    owner_url = make_url(db_url).set(username=OWNER_ROLE,
                                     password=cluster.passwords()[OWNER_ROLE])
    with _connect(owner_url.render_as_string(hide_password=False)) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                            ).fetchone() == (False,)
        owners = {row[0] for row in conn.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class "
            "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' "
            "AND relname NOT IN ('spatial_ref_sys')")}
        assert owners == {OWNER_ROLE}
        conn.execute("CREATE TABLE owner_may (x int)")
        conn.execute("DROP TABLE owner_may")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("COPY site TO '/tmp/site.csv'")


def test_the_served_app_connects_as_the_app_role(demo_app) -> None:  # type: ignore[no-untyped-def]
    from webmap.database import get_engine

    with demo_app.app_context(), get_engine().connect() as conn:
        assert conn.exec_driver_sql("SELECT current_user").scalar() == APP_ROLE


@pytest.fixture
def scratch_cluster() -> Iterator[LocalCluster]:
    root = PROJECT_ROOT / "var" / "test-clusters" / f"roles-{RUN_TAG}"
    shutil.rmtree(root, ignore_errors=True)
    cluster = LocalCluster(root)
    yield cluster
    cluster.down()
    shutil.rmtree(root, ignore_errors=True)


def test_a_cluster_made_without_passwords_gets_them_at_its_next_start(
        scratch_cluster: LocalCluster) -> None:
    scratch_cluster.up()
    with _connect(scratch_cluster.url("postgres")) as conn:
        conn.execute("CREATE TABLE kept (value int); INSERT INTO kept VALUES (7)")
    scratch_cluster.down()
    # What a cluster from before passwords looks like: trust for everyone, no password file.
    scratch_cluster._write_hba("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    scratch_cluster.password_file.unlink()

    scratch_cluster.up()
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(host="127.0.0.1", port=scratch_cluster.port, user=SUPERUSER,
                        dbname="postgres", password="")
    with _connect(scratch_cluster.url("postgres")) as conn:
        assert conn.execute("SELECT value FROM kept").fetchall() == [(7,)]


def test_db_up_creates_the_roles_and_migrates_as_the_owner(cluster: LocalCluster,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from webmap.cli import main

    name = f"nk_dbup_{RUN_TAG}"
    monkeypatch.setenv("NAERINGSKART_DATABASE_NAME", name)
    monkeypatch.setenv("NAERINGSKART_VAR_DIR", str(cluster.root.parent))
    monkeypatch.delenv("NAERINGSKART_DATABASE_URL", raising=False)
    try:
        result = CliRunner().invoke(main, ["db", "up"])
        assert result.exit_code == 0, result.output
        with _connect(cluster.url(name)) as conn:
            assert conn.execute("SELECT pg_get_userbyid(relowner) FROM pg_class "
                                "WHERE relname = 'site'").fetchone() == (OWNER_ROLE,)
            assert conn.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE'), "
                                "has_table_privilege(%s, 'site', 'INSERT')",
                                (APP_ROLE, APP_ROLE)).fetchone() == (False, True)
        settings = make_settings(cluster.url(name))
        assert make_url(gisdb.database_url(settings)).username == APP_ROLE
    finally:
        gisdb.drop_database(cluster.url(name))


def test_db_up_on_a_managed_server_creates_the_roles_its_urls_name(
        cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """As docker compose's loader runs it: three URLs, each role with its own password."""
    from webmap.cli import main

    name, owner, app = f"nk_managed_{RUN_TAG}", f"own_{RUN_TAG}", f"app_{RUN_TAG}"
    superuser_url = make_url(cluster.url(name))

    def url_for(role: str) -> str:
        return superuser_url.set(username=role, password=f"pw-{role}").render_as_string(
            hide_password=False)

    monkeypatch.setenv("NAERINGSKART_SUPERUSER_DATABASE_URL",
                       superuser_url.render_as_string(hide_password=False))
    monkeypatch.setenv("NAERINGSKART_OWNER_DATABASE_URL", url_for(owner))
    monkeypatch.setenv("NAERINGSKART_DATABASE_URL", url_for(app))
    try:
        result = CliRunner().invoke(main, ["db", "up"])
        assert result.exit_code == 0, result.output
        with _connect(url_for(app)) as conn:
            assert conn.execute("SELECT count(*) FROM site").fetchone() == (0,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DROP TABLE site")
        with _connect(url_for(owner)) as conn:
            assert conn.execute("SELECT pg_get_userbyid(relowner) FROM pg_class "
                                "WHERE relname = 'site'").fetchone() == (owner,)
    finally:
        gisdb.drop_database(cluster.url(name))
        with _connect(cluster.url("postgres")) as conn:
            for role in (owner, app):
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def test_owner_and_app_must_be_different_roles(cluster: LocalCluster) -> None:
    same = make_url(cluster.url("x")).set(username="one", password="p").render_as_string(
        hide_password=False)
    with pytest.raises(ValueError, match="different roles"):
        gisdb.provision_database(cluster.url("x"), same, same)
