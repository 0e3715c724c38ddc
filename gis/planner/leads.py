"""Interest requests ("Meld interesse"), the one owner of the `interest_request` table: stored
from the investor's form, personal data seen by planners only, deleted on request and
automatically after the retention period."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

_SELECT = (
    "SELECT r.id, r.created_at, r.name, r.company, r.email, r.need, r.message, r.lang, "
    "r.status, r.assigned_to, r.answered_at, r.answered_by, r.read_at, r.site_id, "
    "r.planner_note, s.name AS site_name FROM interest_request r LEFT JOIN site s ON s.id = r.site_id"
)


def add_lead(
    conn: psycopg.Connection,
    *,
    site_key: str | None,
    name: str,
    company: str | None,
    email: str,
    need: str | None,
    message: str | None,
    consent: bool,
    lang: str,
) -> int:
    """Store a request (linked to a published site when one is named); returns its id."""
    row = conn.execute(
        "INSERT INTO interest_request (site_id, name, company, email, need, message, consent, lang) "
        "VALUES ((SELECT id FROM site WHERE site_key = %s AND published), "
        "%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (site_key, name, company, email, need, message, consent, lang),
    ).fetchone()
    assert row is not None
    return int(row[0])


def count_new(conn: psycopg.Connection) -> int:
    """How many requests nobody has taken yet."""
    row = conn.execute("SELECT count(*) FROM interest_request WHERE status = 'ny'").fetchone()
    return int(row[0]) if row else 0


def purge_expired(conn: psycopg.Connection, retention_days: int) -> int:
    """Delete requests older than the retention period; returns how many."""
    return conn.execute(
        "DELETE FROM interest_request WHERE created_at < now() - make_interval(days => %s)", (retention_days,)
    ).rowcount


def list_leads(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every request, unanswered first, newest first."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(_SELECT + " ORDER BY r.status = 'besvart', r.created_at DESC").fetchall()


def get_lead(conn: psycopg.Connection, lead_id: int, *, mark_read: bool = True) -> dict[str, Any] | None:
    """One request; opening it marks it read."""
    if mark_read:
        conn.execute(
            "UPDATE interest_request SET read_at = coalesce(read_at, now()) WHERE id = %s", (lead_id,)
        )
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(_SELECT + " WHERE r.id = %s", (lead_id,)).fetchone()


def assign(conn: psycopg.Connection, lead_id: int, username: str | None) -> bool:
    """Give the request to a planner (or nobody)."""
    return (
        conn.execute(
            "UPDATE interest_request SET assigned_to = %s, "
            "status = CASE WHEN status = 'ny' THEN 'tildelt' ELSE status END "
            "WHERE id = %s",
            (username or None, lead_id),
        ).rowcount
        == 1
    )


def mark_answered(conn: psycopg.Connection, lead_id: int, actor: str) -> bool:
    """Record that the request was answered, by whom and when."""
    return (
        conn.execute(
            "UPDATE interest_request SET status = 'besvart', answered_at = now(), "
            "answered_by = %s WHERE id = %s",
            (actor, lead_id),
        ).rowcount
        == 1
    )


def save_note(conn: psycopg.Connection, lead_id: int, note: str) -> bool:
    """Keep the planners' internal note on the request (empty removes it)."""
    return (
        conn.execute(
            "UPDATE interest_request SET planner_note = %s WHERE id = %s", (note.strip() or None, lead_id)
        ).rowcount
        == 1
    )


def delete_lead(conn: psycopg.Connection, lead_id: int) -> bool:
    """Delete a request for good (the person asked us to)."""
    return conn.execute("DELETE FROM interest_request WHERE id = %s", (lead_id,)).rowcount == 1


EXPORT_COLUMNS = (
    "id",
    "created_at",
    "name",
    "company",
    "email",
    "need",
    "message",
    "lang",
    "status",
    "assigned_to",
    "answered_at",
    "answered_by",
    "site_id",
    "site_name",
    "planner_note",
)

# The reply's subject in the language the investor wrote in (not the planner's page language).
REPLY_SUBJECTS = {"nb": "Svar på henvendelsen din om {site}", "en": "Your enquiry about {site}"}
REPLY_SUBJECTS_NO_SITE = {"nb": "Svar på henvendelsen din til {kommune}", "en": "Your enquiry to {kommune}"}


def reply_subject(lead: dict[str, Any], kommune: str) -> str:
    """The mailto subject for answering a request."""
    lang = "en" if lead.get("lang") == "en" else "nb"
    if lead.get("site_name"):
        return REPLY_SUBJECTS[lang].format(site=lead["site_name"])
    return REPLY_SUBJECTS_NO_SITE[lang].format(kommune=kommune)
