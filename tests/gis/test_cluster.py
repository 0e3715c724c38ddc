"""The project-local cluster manager, on a throwaway cluster of its own."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import psycopg
import pytest

from gis.cluster import LocalCluster
from gis.config import PROJECT_ROOT
from gis.db import libpq_dsn


@pytest.fixture
def scratch_cluster(request: pytest.FixtureRequest) -> Iterator[LocalCluster]:
    # Inside the project, not /tmp/pytest-of-root (mode 700), so the postgres user can enter it.
    root = PROJECT_ROOT / "var" / "test-clusters" / request.node.name
    shutil.rmtree(root, ignore_errors=True)
    cluster = LocalCluster(root)
    yield cluster
    cluster.down()
    shutil.rmtree(root, ignore_errors=True)


def _query(cluster: LocalCluster, statement: str) -> list[tuple[object, ...]]:
    with psycopg.connect(libpq_dsn(cluster.url("postgres")), autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else []


def test_up_status_down_and_up_again_keeps_data(scratch_cluster: LocalCluster) -> None:
    assert not scratch_cluster.status().initialised
    status = scratch_cluster.up()
    assert status.running and status.port
    _query(scratch_cluster, "CREATE TABLE kept (value int); INSERT INTO kept VALUES (42)")

    assert not scratch_cluster.down().running
    assert "stopped" in scratch_cluster.status().describe()

    assert scratch_cluster.up().running
    assert _query(scratch_cluster, "SELECT value FROM kept") == [(42,)]


def test_second_up_is_a_no_op(scratch_cluster: LocalCluster) -> None:
    first = scratch_cluster.up()
    pid_before = (scratch_cluster.pgdata / "postmaster.pid").read_text().splitlines()[0]
    second = scratch_cluster.up()
    pid_after = (scratch_cluster.pgdata / "postmaster.pid").read_text().splitlines()[0]
    assert second.port == first.port
    assert pid_after == pid_before


def test_stale_pid_file_is_recovered(scratch_cluster: LocalCluster) -> None:
    scratch_cluster.up()
    scratch_cluster.down()
    # What a killed server leaves behind: a pid file naming a process that no longer exists.
    (scratch_cluster.pgdata / "postmaster.pid").write_text("999999\n")
    assert scratch_cluster.up().running
    assert _query(scratch_cluster, "SELECT 1") == [(1,)]


def test_postgis_is_available(scratch_cluster: LocalCluster) -> None:
    scratch_cluster.up()
    _query(scratch_cluster, "CREATE EXTENSION IF NOT EXISTS postgis")
    rows = _query(scratch_cluster, "SELECT PostGIS_Version()")
    assert rows and str(rows[0][0]).startswith("3")


def test_cluster_in_a_folder_the_server_user_cannot_enter(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    import os

    private = tmp_path_factory.mktemp("private")
    private.chmod(0o700)
    cluster = LocalCluster(private / "var" / "pg")
    try:
        assert cluster.up().running
        # As root the server runs as 'postgres', which cannot enter the folder: data moves out.
        assert cluster.root.is_symlink() == (os.geteuid() == 0)
        assert _query(cluster, "SELECT 1") == [(1,)]
    finally:
        cluster.down()
        target = cluster.root.resolve()
        shutil.rmtree(target, ignore_errors=True)


def test_restart_keeps_the_port_of_held_connections(
        scratch_cluster: LocalCluster) -> None:
    port = scratch_cluster.up().port
    # A running web app's pooled connection: the stop ends it, but the app closes it later.
    held = psycopg.connect(libpq_dsn(scratch_cluster.url("postgres")), autocommit=True)
    try:
        scratch_cluster.down()
        assert scratch_cluster.up().port == port  # apps configured with the port reconnect
        assert _query(scratch_cluster, "SELECT 1") == [(1,)]
    finally:
        held.close()


def test_a_port_someone_listens_on_is_not_free() -> None:
    import socket

    from gis.cluster import port_is_free

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert not port_is_free(listener.getsockname()[1])
