"""'Finn riktig tomt' and the ABC API on the constructed ranking case (tests/abc_data.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect
from pyproj import Transformer

from gis.abc.accessibility import refresh_site_accessibility
from gis.abc.settings import AbcSettings
from gis.cluster import LocalCluster
from gis.config import KommuneConfig
from gis.db import drop_database, libpq_dsn
from tests.abc_data import KOMMUNE_TOML, X0, Y0, build_ranking_case
from tests.browser import serve_blank_basemap, served
from tests.conftest import RUN_TAG, _fresh_database, make_settings
from tests.openapi_check import assert_matches_spec, openapi_document

OFFICE = "sector=kontor&employees=120&floor_area_m2=3000&visitors_per_day=20"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def abc_db(cluster: LocalCluster, migrated_template: str,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A database with the ranking case classified, and a kommune file that matches it."""
    url = _fresh_database(cluster, f"nk_abc_{RUN_TAG}", template=migrated_template)
    kommune_file = tmp_path_factory.mktemp("abc") / "kommune.toml"
    kommune_file.write_text(KOMMUNE_TOML, encoding="utf-8")
    settings = AbcSettings.from_kommune(KommuneConfig.from_file(kommune_file))
    with psycopg.connect(libpq_dsn(url)) as conn:
        build_ranking_case(conn)
        refresh_site_accessibility(conn, settings)
    yield url, kommune_file
    drop_database(url)


@pytest.fixture(scope="module")
def abc_app(abc_db: tuple[str, Path]) -> Flask:
    from webmap import create_app

    url, kommune_file = abc_db
    app = create_app(make_settings(url, kommune_file=kommune_file))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def abc_client(abc_app: Flask) -> FlaskClient:
    return abc_app.test_client()


def _result_keys(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/(?:en/)?investor/(?:tomt|site)/([^"]+)">', html)


def test_the_form_works_without_javascript(abc_client: FlaskClient) -> None:
    empty = abc_client.get("/finn-tomt").get_data(as_text=True)
    assert '<form class="abc-form" method="get" action="/finn-tomt"' in empty
    assert 'name="csrf_token"' not in empty and "abc-result-list" not in empty
    html = abc_client.get(f"/finn-tomt?{OFFICE}").get_data(as_text=True)
    assert _result_keys(html) == ["K-A", "K-A0", "K-B", "K-C", "K-none"]
    assert "Antall tomter som passer: 5." in html
    assert f"B-tomt, men arbeidsplassintensiteten din krever A: 600{NBSP}m til Sentral stasjon" \
        in html
    assert "Profilen din krever en A-tomt" in html
    assert 'value="120"' in html     # the form keeps what was typed
    assert "Utelatt blant 9 publiserte: 2 på grunn av reguleringen, 1 for små, 1 ikke ledige." \
        in html


def test_english_page_and_language_switch_keep_the_query(abc_client: FlaskClient) -> None:
    html = abc_client.get(f"/en/find-site?{OFFICE}").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert _result_keys(html) == ["K-A", "K-A0", "K-B", "K-C", "K-none"]
    assert 'href="/en/investor/site/K-A"' in html
    assert f"B-site, but your workplace intensity asks for A: 600{NBSP}m to Sentral stasjon" in html
    assert f'href="/finn-tomt?{OFFICE.replace("&", "&amp;")}"' in html
    nb = abc_client.get("/finn-tomt").get_data(as_text=True)
    assert 'href="/en/find-site"' in nb and ">Finn riktig tomt</a>" in nb


def test_bad_input_is_explained_next_to_the_field(abc_client: FlaskClient) -> None:
    html = abc_client.get("/finn-tomt?sector=kontor&employees=0&floor_area_m2=3000").get_data(
        as_text=True)
    assert 'class="abc-error-summary" role="alert"' in html
    assert '<a href="#field-employees">Antall ansatte må være minst 1.</a>' in html
    assert re.search(r'id="field-employees"[^>]*aria-invalid="true"', html)
    assert "abc-result-list" not in html
    en = abc_client.get("/en/find-site?sector=kontor&employees=x&floor_area_m2=3000").get_data(
        as_text=True)
    assert "Number of employees must be a number, not “x”." in en


def test_user_text_is_escaped(abc_client: FlaskClient) -> None:
    html = abc_client.get("/finn-tomt?sector=<script>x</script>&employees=1&floor_area_m2=1"
                          ).get_data(as_text=True)
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html


def test_match_api_ranks_and_matches_its_documentation(abc_client: FlaskClient) -> None:
    document = openapi_document(abc_client)
    response = abc_client.get(f"/api/abc/match?{OFFICE}&limit=3&lang=en")
    assert_matches_spec(document, "get", "/api/abc/match", response)
    body = response.get_json()
    assert [r["site_key"] for r in body["results"]] == ["K-A", "K-A0", "K-B"]
    assert body["profile"]["need"] == "A" and body["profile"]["deciding"] == "workplace"
    assert body["results"][2]["explanations"][0]["text"]["en"].startswith(
        "B-site, but your workplace intensity asks for A")
    assert body["results"][0]["fact_sheet"] == "/en/investor/site/K-A"
    bad = abc_client.get("/api/abc/match?sector=kontor&employees=0&floor_area_m2=10")
    assert_matches_spec(document, "get", "/api/abc/match", bad)
    assert bad.status_code == 400
    assert bad.get_json()["field"] == "employees"
    assert bad.get_json()["detail"] == "Antall ansatte må være minst 1."


def test_accessibility_api_for_a_point(abc_client: FlaskClient) -> None:
    document = openapi_document(abc_client)
    # 100 m east of the constructed station (tests/abc_data.py), in lon/lat.
    lon, lat = Transformer.from_crs(25832, 4326, always_xy=True).transform(X0 + 100, Y0)
    response = abc_client.get(f"/api/abc/accessibility?lon={lon}&lat={lat}")
    assert_matches_spec(document, "get", "/api/abc/accessibility", response)
    body = response.get_json()
    assert body["transit_class"] == "A" and body["transit_stop_name"] == "Sentral stasjon"
    assert body["distance_method"] == "straight_line_detour"
    for query in ("lon=x&lat=1", "", "geometry={\"type\":\"LineString\"}"):
        bad = abc_client.get(f"/api/abc/accessibility?{query}")
        assert bad.status_code == 400, query
        assert_matches_spec(document, "get", "/api/abc/accessibility", bad)


@pytest.fixture(scope="module")
def abc_server(abc_app: Flask) -> Iterator[str]:
    with served(abc_app) as base_url:
        yield base_url


@pytest.mark.browser
def test_fill_in_the_form_and_see_list_and_map(browser: Browser, abc_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page: Page = context.new_page()
    serve_blank_basemap(page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(abc_server + "/")
    page.get_by_role("link", name="Finn riktig tomt").click()
    page.get_by_label("Type virksomhet eller bransje").select_option("kontor")
    page.get_by_label("Antall ansatte").fill("120")
    page.get_by_label("Bruksareal du trenger (m²)").fill("3 000")
    page.get_by_label("Besøkende per dag").fill("20")
    page.get_by_label("Foretrukket senter").select_option("Sentrum")
    page.get_by_label("Antall ansatte").press("Enter")
    results = page.locator(".abc-result-list > li")
    expect(results).to_have_count(5)
    expect(results.first.locator("h3")).to_have_text("Tomt K-A")
    expect(results.nth(2)).to_contain_text("Passer ikke: B-tomt, men arbeidsplassintensiteten")
    page.wait_for_selector("#abc-map[data-loaded-results='5']", state="attached")
    assert page.locator("path.abc-site").count() == 5
    page.locator(".abc-rank").nth(2).click()
    expect(page.locator("#result-3")).to_be_focused()
    assert "centre=Sentrum" in page.url
    assert errors == []
    context.close()


@pytest.mark.browser
def test_find_site_meets_wcag_aa_in_both_languages(browser: Browser, abc_server: str) -> None:
    from tests.axe import axe_violations, describe

    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
        page = context.new_page()
        serve_blank_basemap(page)
        for path in ("/finn-tomt", f"/finn-tomt?{OFFICE}", "/en/find-site",
                     f"/en/find-site?{OFFICE}", "/finn-tomt?sector=kontor&employees=0"):
            page.goto(abc_server + path)
            violations = axe_violations(page)
            assert violations == [], f"{path} at {width}px:\n{describe(violations)}"
        context.close()


@pytest.mark.browser
def test_site_names_in_map_tooltips_stay_text(browser: Browser, abc_server: str,
                                              abc_db: tuple[str, Path]) -> None:
    markup = "<b id=inj>x</b><img src=x onerror=window.pwned=1>"
    url, _kommune_file = abc_db
    with psycopg.connect(libpq_dsn(url)) as conn:
        conn.execute("UPDATE site SET name = %s || name WHERE site_key = 'K-A'", (markup,))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        serve_blank_basemap(page)
        page.goto(f"{abc_server}/finn-tomt?{OFFICE}")
        page.wait_for_selector("#abc-map[data-loaded-results='5']", state="attached")
        page.locator("path.abc-site").first.dispatch_event("mouseover")
        expect(page.locator(".leaflet-tooltip")).to_contain_text(markup)
        assert page.locator("#inj").count() == 0 and page.locator('img[src="x"]').count() == 0
        assert page.evaluate("() => typeof window.pwned") == "undefined"
    finally:
        context.close()
        with psycopg.connect(libpq_dsn(url)) as conn:
            conn.execute("UPDATE site SET name = replace(name, %s, '') WHERE site_key = 'K-A'",
                         (markup,))


def test_the_score_scale_is_explained(abc_client: FlaskClient) -> None:
    html = abc_client.get(f"/finn-tomt?{OFFICE}").get_data(as_text=True)
    assert "Poengsummen går fra 0 til 100, der 100 er den beste tomten profilen din kan få." \
        in html
    assert "Poeng: 97,8 av 100" in html
    assert "ett trinn bedre kollektivklasse gir flere poeng" in html
    en = abc_client.get(f"/en/find-site?{OFFICE}&centre=Sentrum").get_data(as_text=True)
    assert "Score: 97.7 of 100" in en
    assert "Up to 10 points for closeness to Sentrum." in en
    assert "Your profile needs a class A site" in en and "a A-site" not in en


def test_near_misses_say_how_much_is_missing(abc_client: FlaskClient) -> None:
    html = abc_client.get(f"/finn-tomt?{OFFICE}").get_data(as_text=True)
    assert "Nesten: tomter som passer på alt unntatt arealet" in html
    assert '<a href="/investor/tomt/K-small">Tomt K-small</a>:' in html
    assert f"for liten med 2{NBSP}500 m² (har 500 m²)" in html
    en = abc_client.get(f"/en/find-site?{OFFICE}").get_data(as_text=True)
    assert "too small by 2,500 m² (has 500 m²)" in en
