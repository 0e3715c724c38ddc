"""A hot standby of the local cluster for reads: `naeringskart db up --replica`.

The replica is a second LocalCluster (var/pg-replica next to var/pg) whose data directory is a
pg_basebackup of the primary. With -R it starts as a standby that streams the primary's WAL,
signed in as REPLICATION_ROLE with its own password, and answers read-only queries on a port
of its own. Being a copy of the primary, it has the same roles and passwords.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import psycopg
from psycopg import sql

from gis.cluster import (
    APP_ROLE,
    REPLICATION_ROLE,
    SUPERUSER,
    ClusterError,
    LocalCluster,
    find_bindir,
)
from gis.config import Settings
from gis.db import libpq_dsn

REPLICA_SUFFIX = "-replica"
# The standby's name in the primary's pg_stat_replication.
APPLICATION_NAME = "naeringskart_replica"


def replica_of(primary: LocalCluster) -> LocalCluster:
    """The standby of `primary`: its folder with "-replica" appended (var/pg → var/pg-replica)."""
    return LocalCluster(primary.root.with_name(primary.root.name + REPLICA_SUFFIX))


def ensure_replication_role(primary: LocalCluster) -> str:
    """Create the replication role in the running primary (or reset its password): it may
    stream WAL and nothing else. Returns its password."""
    password = primary.passwords()[REPLICATION_ROLE]
    with psycopg.connect(libpq_dsn(primary.url("postgres", SUPERUSER)), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (REPLICATION_ROLE,)).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(
            sql.SQL(
                verb + " ROLE {} LOGIN REPLICATION NOSUPERUSER NOCREATEDB "
                "NOCREATEROLE NOBYPASSRLS PASSWORD {}"
            ).format(sql.Identifier(REPLICATION_ROLE), sql.Literal(password))
        )
    return password


def create_replica(primary: LocalCluster, replica: LocalCluster) -> bool:
    """Make `replica` a standby of the running `primary` (once); True when it was created."""
    if replica.initialised:
        return False
    port = primary.port
    if port is None or not primary.is_running():
        raise ClusterError(f"the cluster in {primary.root} must run before its replica is made")
    ensure_replication_role(primary)
    replica.prepare_directories()
    _write_private(replica.password_file, json.dumps(primary.passwords(), indent=1))
    # The password goes in a file only the server user can read, not on the command line; -R
    # writes `passfile` into the standby's primary_conninfo, so the standby reads it there too.
    passfile = replica.root.resolve() / "replication.pgpass"
    replica.run_as_server_user(
        ["sh", "-c", 'umask 077 && cat > "$1"', "write-passfile", str(passfile)],
        stdin=f"127.0.0.1:*:*:{REPLICATION_ROLE}:{primary.passwords()[REPLICATION_ROLE]}\n",
    )
    conninfo = psycopg.conninfo.make_conninfo(
        host="127.0.0.1",
        port=port,
        user=REPLICATION_ROLE,
        passfile=str(passfile),
        application_name=APPLICATION_NAME,
    )
    replica.run_as_server_user(
        [
            str(find_bindir() / "pg_basebackup"),
            "-d",
            conninfo,
            "-D",
            str(replica.pgdata),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-password",
        ]
    )
    return True


def _write_private(path: Path, text: str) -> None:
    """Write a file readable only by its owner (0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(text)


def start_replica(primary: LocalCluster) -> LocalCluster:
    """Create (first time) and start the standby of the running `primary`."""
    replica = replica_of(primary)
    if not create_replica(primary, replica) and primary.port is not None:
        _follow_port(replica, primary.port)
    replica.up()
    return replica


def _follow_port(replica: LocalCluster, port: int) -> None:
    """Point the standby's primary_conninfo at the primary's port (a primary whose port was
    taken while it was stopped starts on another)."""
    settings = replica.pgdata / "postgresql.auto.conf"
    text = replica.run_as_server_user(["cat", str(settings)]).stdout
    updated = re.sub(r"(primary_conninfo = '[^\n]*?\bport=)\d+", rf"\g<1>{port}", text)
    if updated != text:
        replica.run_as_server_user(["sh", "-c", 'cat > "$1"', "write-conf", str(settings)], stdin=updated)


def describe(primary: LocalCluster, replica: LocalCluster) -> str:
    """One line for `db status`: the replica's state and whose standby it is."""
    return f"replica {replica.status().describe()} (hot standby of {primary.root})"


def wait_until_replayed(primary_dsn: str, replica_dsn: str, timeout: float = 30.0) -> None:
    """Block until the replica has replayed everything the primary has written so far."""
    with psycopg.connect(primary_dsn, autocommit=True) as conn:
        row = conn.execute("SELECT pg_current_wal_lsn()").fetchone()
    assert row is not None
    target = row[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(replica_dsn, autocommit=True) as conn:
        while True:
            caught_up = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)).fetchone()
            if caught_up and caught_up[0]:
                return
            if time.monotonic() > deadline:
                raise ClusterError(f"the replica has not replayed up to {target} after {timeout:.0f} s")
            time.sleep(0.05)


def replica_urls(settings: Settings) -> list[str]:
    """Where the web app may send reads: NAERINGSKART_REPLICA_URLS, or else (when the app uses
    the local cluster) the local replica's app-role URL while it runs."""
    if settings.replica_url_list or settings.database_url:
        return settings.replica_url_list
    replica = replica_of(LocalCluster(settings.cluster_dir))
    if not replica.is_running():
        return []
    return [replica.url(settings.database_name, APP_ROLE)]
