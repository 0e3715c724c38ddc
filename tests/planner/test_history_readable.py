"""A site's history reads as the form does: field labels and code labels, what happened in
words, and none of the bookkeeping (geometry text, timestamps, SQL verbs)."""

from __future__ import annotations

import re

import psycopg
from flask.testing import FlaskClient

from gis.db import libpq_dsn
from tests.planner.conftest import page_csrf


def _history_html(client: FlaskClient, site_id: int, english: bool = False) -> str:
    path = f"/en/planner/sites/{site_id}" if english else f"/planner/arealer/{site_id}"
    html = client.get(path).get_data(as_text=True)
    start = html.index('id="history-heading"')
    return html[start:]


def _first_site(planner_db: str) -> tuple[int, str]:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        row = conn.execute(
            "SELECT id, status FROM site WHERE status = 'ledig' ORDER BY id LIMIT 1"
        ).fetchone()
    assert row
    return int(row[0]), str(row[1])


def _cells(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, re.S)
    ]


def test_history_shows_labels_not_internals(planner_client: FlaskClient, planner_db: str) -> None:
    site_id, _status = _first_site(planner_db)
    page = f"/planner/arealer/{site_id}"
    site = planner_client.get(f"/api/planner/sites/{site_id}").get_json()
    saved = planner_client.post(
        page,
        data={
            "csrf_token": page_csrf(planner_client, page),
            "version": str(site["version"]),
            "name": site["name"],
            "area_m2": str(site["area_m2"]),
            "status": "reservert",
            "published": "on" if site["published"] else "",
        },
    )
    assert saved.status_code == 302
    history = _history_html(planner_client, site_id)
    cells = _cells(history)
    # The import's first version and the planner's change, in words and labels.
    assert "Opprettet" in history and "Endret" in history
    assert "Reguleringsformål" in cells and "Omriss" in cells and "Navn" in cells
    assert cells[cells.index("Status") : cells.index("Status") + 3] == ["Status", "Ledig", "Reservert"]
    assert any(re.fullmatch(r"\d{4} \S.+", cell) for cell in cells)  # zoning code with its name
    for internal in (
        "geom",
        "created_at",
        "insert",
        "update",
        "site_key",
        "SRID=",
        "ledig_naa",
        "True",
        "False",
    ):
        assert internal not in history, internal


def test_history_in_english(planner_client: FlaskClient, planner_db: str) -> None:
    site_id, _status = _first_site(planner_db)
    cells = _cells(_history_html(planner_client, site_id, english=True))
    assert {"Field", "Before", "After", "Name", "Outline", "Zoning purpose"} <= set(cells)
    history = _history_html(planner_client, site_id, english=True)
    assert "Created" in history and "Navn" not in history
