"""English planner pages have English URLs: every /en/planner path is in English, the English
pages link to English paths, and the language switch leads to the same page in the other language."""

from __future__ import annotations

import re

import psycopg
from flask import Flask
from flask.testing import FlaskClient

from gis.db import libpq_dsn

NORWEGIAN_WORDS = {"kart", "arealer", "gjenopprett", "verifiser", "arkiver", "arealregnskap",
                   "henvendelser", "tildel", "besvart", "slett", "notat", "opplasting", "bruk",
                   "forkast", "mal", "lokaler", "bygninger", "sok", "planlagt-bruk", "indikatorer",
                   "brukere", "deaktiver", "logg-inn", "logg-ut"}  # fmt: skip


def test_every_english_planner_path_is_english(app: Flask) -> None:
    english = [rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/en/planner")]
    assert len(english) > 20
    for path in english:
        words = {part.split(".")[0] for part in path.split("/") if "<" not in part.split(".")[0]}
        assert not words & NORWEGIAN_WORDS, path


def test_english_pages_link_english_paths(planner_client: FlaskClient) -> None:
    html = planner_client.get("/en/planner/").get_data(as_text=True)
    nav = html.split('class="planner-nav"')[1].split("</nav>")[0]
    links = set(re.findall(r'href="([^"]+)"', nav))
    assert {"/en/planner/map", "/en/planner/leads", "/en/planner/upload", "/en/planner/premises",
            "/en/planner/indicators/nho"} <= links, links  # fmt: skip
    assert 'action="/en/planner/sign-out"' in nav


def test_language_switch_keeps_the_page(planner_client: FlaskClient, planner_db: str) -> None:
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        site_id = conn.execute("SELECT min(id) FROM site").fetchone()[0]  # type: ignore[index]
    norwegian = planner_client.get(f"/planner/arealer/{site_id}").get_data(as_text=True)
    assert f'href="/en/planner/sites/{site_id}" lang="en"' in norwegian
    english = planner_client.get(f"/en/planner/sites/{site_id}").get_data(as_text=True)
    assert f'href="/planner/arealer/{site_id}" lang="nb"' in english
    premises = planner_client.get("/en/planner/premises?edit=5").get_data(as_text=True)
    assert 'href="/planner/lokaler?rediger=5" lang="nb"' in premises


def test_sign_in_speaks_english_paths(app: Flask) -> None:
    response = app.test_client().get("/en/planner/leads")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/planner/sign-in?next=/en/planner/leads")


def test_old_english_paths_with_norwegian_words_move_to_the_english_ones(
        planner_client: FlaskClient, planner_db: str) -> None:
    """Bookmarks from when English planner pages had Norwegian path words still arrive."""
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        site_id = conn.execute("SELECT min(id) FROM site").fetchone()[0]  # type: ignore[index]
    for old, new in (("/en/planner/henvendelser", "/en/planner/leads"),
                     (f"/en/planner/arealer/{site_id}", f"/en/planner/sites/{site_id}"),
                     ("/en/planner/lokaler?rediger=5", "/en/planner/premises?edit=5"),
                     ("/en/planner/admin/brukere", "/en/planner/admin/users")):
        response = planner_client.get(old)
        assert response.status_code == 301 and response.headers["Location"] == new, old
        assert planner_client.get(new).status_code != 404, new  # admin pages: 403 for a planner
    assert planner_client.get("/en/planner/finnes-ikke").status_code == 404
    # Hostile query values travel encoded, never as markup or a second location.
    hostile = planner_client.get("/en/planner/lokaler?rediger=<b>x</b>&q==HYPERLINK(1)")
    assert hostile.status_code == 301
    location = hostile.headers["Location"]
    assert location.startswith("/en/planner/premises?edit=%3Cb%3Ex") and "<" not in location
    assert planner_client.get("/en/planner/lokaler?rediger=%00").status_code == 400
    assert planner_client.post("/en/planner/henvendelser").status_code in (404, 405)
