"""Failed sign-ins are throttled per account and per address."""

from __future__ import annotations

from datetime import timedelta

import psycopg

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


def is_throttled(conn: psycopg.Connection, username: str, address: str) -> bool:
    """True when this account or this address failed too often within the window."""
    row = conn.execute(
        "SELECT count(*) FILTER (WHERE lower(username) = lower(%s)), "
        "count(*) FILTER (WHERE address = %s) FROM login_attempt "
        "WHERE NOT succeeded AND at > now() - %s "
        "AND (lower(username) = lower(%s) OR address = %s)",
        (username, address, WINDOW, username, address)).fetchone()
    assert row is not None
    return int(row[0]) >= MAX_FAILURES_PER_ACCOUNT or int(row[1]) >= MAX_FAILURES_PER_ADDRESS


def record_attempt(conn: psycopg.Connection, username: str, address: str, succeeded: bool) -> None:
    """Remember an attempt; old ones are pruned as we go."""
    conn.execute("INSERT INTO login_attempt (username, address, succeeded) VALUES (%s, %s, %s)",
                 (username[:200], address, succeeded))
    conn.execute("DELETE FROM login_attempt WHERE at < now() - interval '1 day'")
