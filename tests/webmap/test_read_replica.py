"""Read scaling: `db up --replica` starts a hot standby of the local cluster, the app sends tile,
catalogue and feature reads to it and everything else to the primary, and reads go to the
primary when the standby is down.

On a pair of throwaway clusters of its own (var/test-clusters/replica-<pid>/pg and pg-replica),
made by the command line as a user makes them.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from gis.accounts.users import add_account
from gis.cluster import APP_ROLE, LocalCluster
from gis.config import PROJECT_ROOT, Settings, load_settings
from gis.db import libpq_dsn
from gis.replica import replica_of, wait_until_replayed
from tests.planner.conftest import PLANNER_PASSWORD, load_kommune_and_sites
from tests.tile_data import CENTRE, add_tile_data, tile_of
from webmap.cli import main

DATABASE = "naeringskart"
ASKER = "10.2,59.4,10.8,60.0"
FEATURES = f"/api/layers/sites/features?bbox={ASKER}"
BUILDING_TILE = "/tiles/buildings/{}/{}/{}.mvt".format(*tile_of(*CENTRE, 16))
# The environment of a user who runs the local cluster (no database server configured).
LOCAL_ONLY = {
    "NAERINGSKART_DATABASE_URL": "",
    "NAERINGSKART_OWNER_DATABASE_URL": "",
    "NAERINGSKART_SUPERUSER_DATABASE_URL": "",
    "NAERINGSKART_REPLICA_URLS": "",
}


@dataclass(frozen=True)
class Pair:
    """The primary, its standby and the var folder they live in."""

    var_dir: Path
    primary: LocalCluster
    replica: LocalCluster

    def dsn(self, cluster: LocalCluster) -> str:
        """The superuser's connection to the app's database in `cluster`."""
        return libpq_dsn(cluster.url(DATABASE))

    def cli(self, *args: str) -> str:
        """Run `naeringskart ARGS` against this pair; its output."""
        result = CliRunner().invoke(
            main, list(args), env={**LOCAL_ONLY, "NAERINGSKART_VAR_DIR": str(self.var_dir)}
        )
        assert result.exit_code == 0, result.output
        return result.output

    def settings(self) -> Settings:
        """The app's settings as the user has them: only the var folder."""
        return load_settings(
            var_dir=self.var_dir,
            database_url="",
            owner_database_url="",
            replica_urls="",
            env="test",
            secret_key="test-secret",
        )

    def caught_up(self) -> None:
        """Wait until the standby has replayed everything written on the primary."""
        wait_until_replayed(self.dsn(self.primary), self.dsn(self.replica))


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    """`db up --replica` in a var folder of its own, with the kommune, the demo sites and tile
    data loaded on the primary; `db down` and the folder removed afterwards."""
    var_dir = PROJECT_ROOT / "var" / "test-clusters" / f"replica-{os.getpid()}"
    shutil.rmtree(var_dir, ignore_errors=True)
    primary = LocalCluster(var_dir / "pg")
    made = Pair(var_dir, primary, replica_of(primary))
    try:
        made.cli("db", "up", "--replica")
        url = primary.url(DATABASE)
        load_kommune_and_sites(url)
        add_tile_data(url)
        made.caught_up()
        yield made
    finally:
        made.cli("db", "down")
        for cluster in (made.replica, made.primary):
            cluster.down()
            shutil.rmtree(cluster.root.resolve(), ignore_errors=True)
        shutil.rmtree(var_dir, ignore_errors=True)


def _app(pair: Pair) -> Flask:
    from webmap import create_app

    return create_app(pair.settings())


def _dispose(app: Flask) -> None:
    for engine in [
        app.extensions.get("naeringskart.engine"),
        *(r.engine for r in app.extensions.get("naeringskart.replicas") or []),
    ]:
        if engine is not None:
            engine.dispose()


def _add_site(pair: Pair, key: str, name: str) -> None:
    with psycopg.connect(pair.dsn(pair.primary)) as conn:
        conn.execute(
            "INSERT INTO site (site_key, name, area_m2, geom) VALUES (%s, %s, 100, "
            "ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(580000, 6630000), 25832), 20)))",
            (key, name),
        )


def _site_keys(client: FlaskClient) -> set[str]:
    answer = client.get(FEATURES)
    assert answer.status_code == 200, answer.data[:300]
    return {feature["properties"]["site_key"] for feature in answer.get_json()["features"]}


def _tile_version(client: FlaskClient) -> int:
    answer = client.get(BUILDING_TILE)
    assert answer.status_code == 200, answer.data[:300]
    return int(answer.headers["X-Data-Version"])


def _primary_tile_version(pair: Pair) -> int:
    with psycopg.connect(pair.dsn(pair.primary)) as conn:
        row = conn.execute(
            "SELECT version FROM tile_data_version WHERE table_name = 'building_footprint'"
        ).fetchone()
    assert row is not None
    return int(row[0])


def _sign_in(client: FlaskClient) -> str:
    form = client.get("/planner/logg-inn").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert match, "no CSRF token on the sign-in page"
    answer = client.post(
        "/planner/logg-inn",
        data={"username": "kari", "password": PLANNER_PASSWORD, "code": "", "csrf_token": match.group(1)},
        follow_redirects=True,
    )
    assert answer.status_code == 200, answer.data[:300]
    return answer.get_data(as_text=True)


def test_db_status_reports_the_replica_and_a_write_on_the_primary_is_read_on_it(pair: Pair) -> None:
    status = pair.cli("db", "status").splitlines()
    assert len(status) == 2, status
    assert status[0].startswith(f"cluster in {pair.primary.root}: running on 127.0.0.1:")
    assert status[1].startswith(f"replica cluster in {pair.replica.root}: running on 127.0.0.1:")
    assert "hot standby" in status[1]
    assert pair.replica.port != pair.primary.port

    with psycopg.connect(pair.dsn(pair.primary)) as conn:
        conn.execute("CREATE TABLE replica_probe (word text)")
        conn.execute("INSERT INTO replica_probe VALUES ('skrevet på primæren')")
    pair.caught_up()
    with psycopg.connect(pair.dsn(pair.replica)) as conn:
        row = conn.execute("SELECT pg_is_in_recovery(), (SELECT word FROM replica_probe)").fetchone()
    assert row == (True, "skrevet på primæren")
    # The standby refuses writes: it is a standby, not a second primary.
    with (
        psycopg.connect(pair.dsn(pair.replica)) as conn,
        pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
    ):
        conn.execute("INSERT INTO replica_probe VALUES ('nei')")


def test_tiles_catalogue_and_features_are_read_on_the_replica_the_rest_on_the_primary(pair: Pair) -> None:
    app = _app(pair)  # no replica setting: the app finds the running local replica itself
    client = app.test_client()
    assert "PRIM-1" not in _site_keys(client)
    replica = psycopg.connect(pair.dsn(pair.replica), autocommit=True)
    # The standby stops applying what the primary writes: what only the primary has shows
    # which of the two answered.
    replica.execute("SELECT pg_wal_replay_pause()")
    while replica.execute("SELECT pg_get_wal_replay_pause_state()").fetchone() != ("paused",):
        time.sleep(0.05)
    try:
        _add_site(pair, "PRIM-1", "Bare på primæren")
        with psycopg.connect(pair.dsn(pair.primary)) as conn:
            conn.execute("DELETE FROM building_footprint WHERE false")  # a new tile data version
            add_account(conn, "kari", PLANNER_PASSWORD, role="planner", display_name="Kari")

        assert "PRIM-1" not in _site_keys(client)
        assert "Bare på primæren" not in client.get("/investor").get_data(as_text=True)
        assert client.get("/investor/tomt/PRIM-1").status_code == 404
        assert _tile_version(client) == _primary_tile_version(pair) - 1
        layers = client.get("/api/layers").get_json()["layers"]
        buildings = next(layer for layer in layers if layer["id"] == "buildings")
        assert buildings["tiles"].endswith(f"?v={_primary_tile_version(pair) - 1}")
        # Sign-in and planner pages are on the primary (kari exists only there so far).
        assert "Kari" in _sign_in(client)
        planner_sites = client.get("/api/planner/sites").get_json()["features"]
        assert "PRIM-1" in {site["properties"]["site_key"] for site in planner_sites}
    finally:
        replica.execute("SELECT pg_wal_replay_resume()")
        replica.close()
    pair.caught_up()
    assert "PRIM-1" in _site_keys(client)
    assert _tile_version(client) == _primary_tile_version(pair)
    _dispose(app)


def test_replica_reads_see_only_the_apps_kommune(pair: Pair) -> None:
    with psycopg.connect(pair.dsn(pair.primary)) as conn:
        conn.execute(
            "INSERT INTO site (site_key, name, area_m2, kommunenummer, geom) VALUES "
            "('OSLO-1', 'Tomt i Oslo', 100, '0301', ST_Multi(ST_Transform(ST_Buffer("
            "ST_SetSRID(ST_MakePoint(10.75, 59.91), 4326)::geography, 20)::geometry, "
            "25832)))"
        )
    pair.caught_up()
    app = _app(pair)
    client = app.test_client()
    keys = _site_keys(client)
    assert keys and "OSLO-1" not in keys
    assert "Tomt i Oslo" not in client.get("/investor").get_data(as_text=True)
    _dispose(app)


def test_an_overview_tile_the_replica_cannot_rebuild_is_rebuilt_by_the_primary(pair: Pair) -> None:
    app = _app(pair)
    client = app.test_client()
    with psycopg.connect(pair.dsn(pair.primary)) as conn:
        conn.execute("DELETE FROM building_footprint WHERE false")  # the grid overview is stale
    pair.caught_up()
    answer = client.get("/tiles/buildings/{}/{}/{}.mvt".format(*tile_of(*CENTRE, 12)))
    assert answer.status_code == 200, answer.data[:300]
    pair.caught_up()
    with psycopg.connect(pair.dsn(pair.replica)) as conn:
        row = conn.execute(
            "SELECT built_from FROM tile_overview_state WHERE name = 'tile_building_grid_z12'"
        ).fetchone()
    assert row == (_primary_tile_version(pair),)
    _dispose(app)


def test_reads_go_to_the_primary_while_the_replica_is_down(pair: Pair) -> None:
    app = _app(pair)
    client = app.test_client()
    assert _site_keys(client)  # the replica's pools hold connections now
    pair.replica.down()
    try:
        _add_site(pair, "DOWN-1", "Skrevet mens replikaen var nede")
        for _ in range(2):  # broken pooled connections, then a replica left alone for a while
            assert "DOWN-1" in _site_keys(client)
            assert "Skrevet mens replikaen" in client.get("/investor").get_data(as_text=True)
            assert _tile_version(client) == _primary_tile_version(pair)
            assert client.get("/api/layers").status_code == 200
    finally:
        pair.replica.up()
    _dispose(app)


def test_a_configured_replica_that_never_answers_leaves_reads_on_the_primary(pair: Pair) -> None:
    from webmap import create_app

    primary = pair.primary.url(DATABASE, APP_ROLE)
    nowhere = primary.replace(f":{pair.primary.port}/", ":1/")  # nothing listens on port 1
    app = create_app(
        load_settings(database_url=primary, replica_urls=nowhere, env="test", secret_key="test-secret")
    )
    client = app.test_client()
    _add_site(pair, "NONE-1", "Ingen replika svarer")
    assert "NONE-1" in _site_keys(client)
    assert _tile_version(client) == _primary_tile_version(pair)
    _dispose(app)
