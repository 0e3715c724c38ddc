"""Failed sign-ins are throttled per account and per address, counting only real attempts.

Per account: five free failures, then a lock that doubles with every further failure
(1, 2, 4 … minutes, at most an hour). Attempts while locked are refused without being
recorded, so an attacker cannot extend a lock by hammering it; a success starts over.

Per address: a high ceiling of failures within a window, so spraying many accounts from one
address stays bounded. Above it, an account that has signed in from that address before is
still let through (to its own per-account limit): an attacker behind the same NAT as the
kommune's offices cannot lock the planners out.

Every function takes the time as an argument (the web app reads it from webmap/auth/clock.py),
and the attempt rows carry that time, so tests control time completely.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg

FREE_FAILURES_PER_ACCOUNT = 5
FIRST_ACCOUNT_LOCK = timedelta(minutes=1)
LONGEST_ACCOUNT_LOCK = timedelta(hours=1)
# Failures older than this no longer count against an account.
ACCOUNT_MEMORY = timedelta(days=1)
ADDRESS_WINDOW = timedelta(minutes=15)
ADDRESS_CEILING = 50
# How long a successful sign-in makes its address a known one for that account.
KNOWN_ADDRESS_MEMORY = timedelta(days=30)


def serialise_attempts(conn: psycopg.Connection, username: str) -> None:
    """Hold the account's lock until the transaction ends: parallel guesses are counted one
    after the other, so nobody gets more than the free failures by racing."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(lower(%s), 13))", (username,))


def account_lock(failures: int) -> timedelta:
    """How long an account stays locked after its latest failure."""
    if failures < FREE_FAILURES_PER_ACCOUNT:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES_PER_ACCOUNT, 12)
    return min(FIRST_ACCOUNT_LOCK * 2 ** doublings, LONGEST_ACCOUNT_LOCK)


def _account_locked_until(conn: psycopg.Connection, username: str,
                          now: datetime) -> datetime | None:
    row = conn.execute(
        "SELECT count(*), max(at) FROM login_attempt "
        "WHERE lower(username) = lower(%(user)s) AND NOT succeeded AND at > %(since)s "
        # By id, not time: attempts are serialised per account, so ids give their order.
        "AND id > coalesce((SELECT max(id) FROM login_attempt WHERE succeeded "
        "                   AND lower(username) = lower(%(user)s)), 0)",
        {"user": username, "since": now - ACCOUNT_MEMORY}).fetchone()
    assert row is not None
    failures, latest = int(row[0]), row[1]
    if latest is None or failures < FREE_FAILURES_PER_ACCOUNT:
        return None
    until: datetime = latest + account_lock(failures)
    return until if until > now else None


def _address_blocked_until(conn: psycopg.Connection, username: str, address: str,
                           now: datetime) -> datetime | None:
    # The ceiling-th most recent failure: while it is inside the window, the address is over.
    row = conn.execute(
        "SELECT at FROM login_attempt WHERE address = %s AND NOT succeeded AND at > %s "
        "ORDER BY at DESC OFFSET %s LIMIT 1",
        (address, now - ADDRESS_WINDOW, ADDRESS_CEILING - 1)).fetchone()
    if row is None:
        return None
    known = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM login_attempt WHERE succeeded AND address = %s "
        "AND lower(username) = lower(%s) AND at > %s)",
        (address, username, now - KNOWN_ADDRESS_MEMORY)).fetchone()
    if known and known[0]:
        return None
    until: datetime = row[0] + ADDRESS_WINDOW
    return until


def refused_until(conn: psycopg.Connection, username: str, address: str,
                  now: datetime) -> datetime | None:
    """Until when a sign-in for this account from this address is refused, or None."""
    blocks = [until for until in (_account_locked_until(conn, username, now),
                                  _address_blocked_until(conn, username, address, now))
              if until is not None]
    return max(blocks) if blocks else None


def record_attempt(conn: psycopg.Connection, username: str, address: str, succeeded: bool,
                   now: datetime) -> None:
    """Remember a real attempt (refused ones are not recorded); old rows are pruned as we go."""
    conn.execute("INSERT INTO login_attempt (username, address, succeeded, at) "
                 "VALUES (%s, %s, %s, %s)", (username[:200], address, succeeded, now))
    conn.execute("DELETE FROM login_attempt WHERE (at < %s AND NOT succeeded) OR at < %s",
                 (now - ACCOUNT_MEMORY, now - KNOWN_ADDRESS_MEMORY))
