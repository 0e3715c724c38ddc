"""The site form shows codes as words: readiness and ownership as labelled choices, the zoning
code with its name, and only the statuses the workflow allows next."""

from __future__ import annotations

import re

import psycopg
from flask.testing import FlaskClient

from gis.db import libpq_dsn


def _site(planner_db: str) -> int:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        row = conn.execute(
            "SELECT id FROM site WHERE status = 'ledig' AND readiness = 'ledig_naa' "
            "AND ownership = 'privat' AND zoning_code = '1310' ORDER BY id LIMIT 1"
        ).fetchone()
    assert row
    return int(row[0])


def _options(html: str, name: str) -> list[tuple[str, str, bool]]:
    select = re.search(rf'<select id="f-{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select, name
    found = re.findall(r'<option value="([^"]*)"\s*(selected)?\s*>([^<]*)</option>', select.group(1))
    return [(value, text.strip(), bool(chosen)) for value, chosen, text in found]


def test_codes_read_as_words(planner_client: FlaskClient, planner_db: str) -> None:
    html = planner_client.get(f"/planner/arealer/{_site(planner_db)}").get_data(as_text=True)
    assert ("ledig_naa", "Ledig nå", True) in _options(html, "readiness")
    assert ("privat", "Privat", True) in _options(html, "ownership")
    zoning = re.search(r'id="f-zoning-name" class="field-help">([^<]+)<', html)
    assert zoning and zoning.group(1) == "Kontor"
    assert [text for _value, text, _chosen in _options(html, "status")] == [
        "Ledig",
        "Reservert",
        "Trukket tilbake",
    ]
    english = planner_client.get(f"/en/planner/sites/{_site(planner_db)}").get_data(as_text=True)
    assert ("privat", "Private", True) in _options(english, "ownership")
