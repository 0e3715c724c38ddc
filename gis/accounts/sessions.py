"""Server-side sessions: the cookie carries a random token, the database its hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import psycopg

IDLE_TIMEOUT = timedelta(hours=2)
ABSOLUTE_TIMEOUT = timedelta(hours=12)


@dataclass(frozen=True)
class SessionUser:
    """The signed-in user behind a live session."""

    token: str
    user_id: int
    username: str
    display_name: str
    role: str
    # The kommuner the user plans for; None: every kommune of the instance.
    kommuner: tuple[str, ...] | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(conn: psycopg.Connection, user_id: int, *, address: str | None,
                   user_agent: str | None) -> str:
    """A new session for the user; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO web_session (token_hash, user_id, expires_at, address, user_agent) "
        "VALUES (%s, %s, now() + %s, %s, %s)",
        (_digest(token), user_id, IDLE_TIMEOUT, address, (user_agent or "")[:300]))
    return token


def load_session(conn: psycopg.Connection, token: str) -> SessionUser | None:
    """The live session's user (and the idle timer restarted), or None."""
    row = conn.execute(
        "UPDATE web_session s SET last_seen = now(), expires_at = now() + %s "
        "FROM app_user u WHERE s.token_hash = %s AND u.id = s.user_id AND u.active "
        "AND s.expires_at > now() AND s.created_at > now() - %s "
        "RETURNING u.id, u.username, u.display_name, u.role, u.kommuner",
        (IDLE_TIMEOUT, _digest(token), ABSOLUTE_TIMEOUT)).fetchone()
    if row is None:
        return None
    return SessionUser(token, int(row[0]), row[1], row[2], row[3],
                       tuple(row[4]) if row[4] is not None else None)


def end_session(conn: psycopg.Connection, token: str) -> None:
    """Delete the session: its cookie is worthless from now on."""
    conn.execute("DELETE FROM web_session WHERE token_hash = %s", (_digest(token),))


def purge_expired(conn: psycopg.Connection) -> int:
    """Delete sessions past their expiry; returns how many."""
    return conn.execute("DELETE FROM web_session WHERE expires_at <= now() "
                        "OR created_at <= now() - %s", (ABSOLUTE_TIMEOUT,)).rowcount
