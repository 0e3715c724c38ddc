"""Durability: PostgreSQL is killed (`pg_ctl stop -m immediate`) in the middle of a burst of
100 edits; after the restart every acknowledged edit is there and none is half-applied."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import create_engine

from gis import migrate
from gis.accounts.users import add_account
from gis.cluster import LocalCluster, find_bindir
from gis.config import PROJECT_ROOT
from gis.db import ensure_database, libpq_dsn
from tests.conftest import STORAGE_SRID, make_settings
from tests.planner.conftest import PLANNER_PASSWORD, sign_in

EDITS = 100
KILL_AFTER = 30


@pytest.fixture
def scratch_cluster(request: pytest.FixtureRequest) -> Iterator[LocalCluster]:
    # A throwaway cluster: this test kills its server (never the shared one).
    root = PROJECT_ROOT / "var" / "test-clusters" / request.node.name
    shutil.rmtree(root, ignore_errors=True)
    cluster = LocalCluster(root)
    cluster.up()
    yield cluster
    cluster.down()
    shutil.rmtree(root, ignore_errors=True)


def _kill_immediately(cluster: LocalCluster) -> None:
    command = [str(find_bindir() / "pg_ctl"), "stop", "-D", str(cluster.pgdata), "-m", "immediate"]
    if LocalCluster._server_user():
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True)


def test_acknowledged_edits_survive_a_crash(scratch_cluster: LocalCluster) -> None:
    from webmap import create_app

    url = scratch_cluster.url("nk_durable")
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, STORAGE_SRID)
    engine.dispose()
    with psycopg.connect(libpq_dsn(url)) as conn:
        add_account(conn, "kari", PLANNER_PASSWORD, role="planner")
        site_id = conn.execute(
            "INSERT INTO site (site_key, name, area_m2, geom) VALUES ('D-1', 'Start', 10000, "
            "ST_Multi(ST_MakeEnvelope(580000, 6633000, 580100, 6633100, 25832))) RETURNING id"
        ).fetchone()[0]  # type: ignore[index]

    app = create_app(make_settings(url))
    client = app.test_client()
    sign_in(client, "kari", PLANNER_PASSWORD)
    token = client.get("/planner/kart").get_data(as_text=True).split('name="csrf-token" content="')[1]
    token = token.split('"')[0]

    acknowledged: list[tuple[int, int]] = []  # (edit number, version it became)
    enough = threading.Event()
    killer = threading.Thread(target=lambda: (enough.wait(60), _kill_immediately(scratch_cluster)))
    killer.start()
    version = 1
    for number in range(EDITS):
        try:
            response = client.patch(f"/api/planner/sites/{site_id}", headers={"X-CSRFToken": token},
                                    json={"version": version, "values": {
                                        "name": f"edit {number}", "planner_note": f"note {number}"}})
        except Exception:
            continue
        if response.status_code == 200:
            version = response.get_json()["version"]
            acknowledged.append((number, version))
            if len(acknowledged) >= KILL_AFTER:
                enough.set()
    enough.set()
    killer.join()
    engine = app.extensions.get("naeringskart.engine")
    if engine is not None:
        engine.dispose()
    assert KILL_AFTER <= len(acknowledged) < EDITS  # the crash really came mid-burst

    scratch_cluster.up()  # crash recovery replays the WAL
    url = scratch_cluster.url("nk_durable")  # the restarted server may listen on another port
    with psycopg.connect(libpq_dsn(url)) as conn:
        versions = dict(conn.execute(
            "SELECT version, after FROM site_version WHERE site_id = %s", (site_id,)).fetchall())
        row = conn.execute("SELECT version, name, planner_note FROM site WHERE id = %s",
                           (site_id,)).fetchone()
    assert row is not None
    for number, became in acknowledged:
        assert versions[became]["name"] == f"edit {number}", f"acknowledged edit {number} lost"
    # Nothing half-applied: each version's name and note belong to the same edit, and the row
    # is exactly the newest version.
    for after in versions.values():
        if after["name"] != "Start":
            assert after["name"].split()[1] == after["planner_note"].split()[1]
    assert row[0] == max(versions)
    assert (row[1], row[2]) == (versions[row[0]]["name"], versions[row[0]]["planner_note"])
