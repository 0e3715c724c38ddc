"""Interest requests ("Meld interesse") and a database-backed submission counter."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import psycopg

from gis.planner.leads import add_lead


@dataclass(frozen=True)
class InterestRequest:
    """What an investor sends; stored for the kommune, never shown publicly."""

    name: str
    email: str
    company: str | None
    need: str | None
    message: str | None
    consent: bool
    lang: str
    site_key: str | None = None


def store_interest(conn: psycopg.Connection, request: InterestRequest) -> int:
    """Save the request in the planners' inbox (linked to a published site when one is named);
    returns its id."""
    return add_lead(conn, site_key=request.site_key, name=request.name, company=request.company,
                    email=request.email, need=request.need, message=request.message,
                    consent=request.consent, lang=request.lang)


def reference(request_id: int) -> str:
    """The reference an investor quotes: the request's id, as the planners' inbox knows it."""
    return f"NK-{request_id:06d}"


def client_hash(secret: str, address: str) -> str:
    """A keyed hash of the sender's address: enough to count, useless to identify."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()


def allow_submission(conn: psycopg.Connection, *, action: str, client: str, limit: int,
                     window_seconds: int) -> bool:
    """Count this submission unless the client already made `limit` within the window."""
    # One lock per (action, client) so that parallel requests cannot both slip under the limit.
    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{action}:{client}",))
    conn.execute("DELETE FROM submission_throttle WHERE created_at < now() - interval '1 day'")
    row = conn.execute(
        "SELECT count(*) FROM submission_throttle WHERE action = %s AND client_hash = %s "
        "AND created_at > now() - make_interval(secs => %s)",
        (action, client, window_seconds)).fetchone()
    if row and int(row[0]) >= limit:
        return False
    conn.execute("INSERT INTO submission_throttle (action, client_hash) VALUES (%s, %s)",
                 (action, client))
    return True
