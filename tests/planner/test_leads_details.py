"""A lead shows which site it is about (linked to the site's page), the language the investor
wrote in, a reply link with a subject in that language, and the planners' internal note."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
from flask.testing import FlaskClient

from gis.db import libpq_dsn
from tests.planner.conftest import page_csrf


def _add_lead(url: str, lang: str) -> tuple[int, int, str]:
    with psycopg.connect(libpq_dsn(url)) as conn:
        row = conn.execute(
            "INSERT INTO interest_request (site_id, name, email, message, consent, lang) "
            "SELECT id, 'Ingrid Investor', 'ingrid@example.com', 'Hei', true, %s FROM site "
            "ORDER BY id LIMIT 1 RETURNING id, site_id, (SELECT name FROM site s WHERE s.id = site_id)",
            (lang,),
        ).fetchone()
    assert row
    return int(row[0]), int(row[1]), str(row[2])


def _mailto_subject(html: str) -> str:
    match = re.search(r'href="(mailto:ingrid@example.com[^"]*)"', html)
    assert match, "no reply link"
    query = urlsplit(match.group(1).replace("&amp;", "&")).query
    return unquote(parse_qs(query)["subject"][0])


def test_lead_links_the_site_and_answers_in_the_enquiry_language(
    planner_client: FlaskClient, planner_db: str
) -> None:
    lead_id, site_id, site_name = _add_lead(planner_db, "en")
    html = planner_client.get(f"/planner/henvendelser/{lead_id}").get_data(as_text=True)
    assert f'href="/planner/arealer/{site_id}"' in html
    language = re.search(r'id="lead-language">([^<]+)<', html)
    assert language and language.group(1) == "Engelsk"
    assert _mailto_subject(html) == f"Your enquiry about {site_name}"
    inbox = planner_client.get("/planner/henvendelser").get_data(as_text=True)
    assert f'href="/planner/arealer/{site_id}"' in inbox and "Engelsk" in inbox


def test_a_norwegian_enquiry_gets_a_norwegian_subject(planner_client: FlaskClient, planner_db: str) -> None:
    lead_id, _site_id, site_name = _add_lead(planner_db, "nb")
    html = planner_client.get(f"/en/planner/leads/{lead_id}").get_data(as_text=True)
    language = re.search(r'id="lead-language">([^<]+)<', html)
    assert language and language.group(1) == "Norwegian"
    assert _mailto_subject(html) == f"Svar på henvendelsen din om {site_name}"


def test_internal_note_is_kept_with_the_lead(planner_client: FlaskClient, planner_db: str) -> None:
    lead_id, _site_id, _name = _add_lead(planner_db, "nb")
    page = f"/planner/henvendelser/{lead_id}"
    saved = planner_client.post(
        page + "/notat", data={"csrf_token": page_csrf(planner_client, page), "planner_note": "Ring tirsdag"}
    )
    assert saved.status_code == 302
    html = planner_client.get(page).get_data(as_text=True)
    assert re.search(r'<textarea id="planner_note"[^>]*>Ring tirsdag</textarea>', html)
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        note = conn.execute("SELECT planner_note FROM interest_request WHERE id = %s", (lead_id,)).fetchone()
    assert note == ("Ring tirsdag",)
