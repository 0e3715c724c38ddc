"""The map's search finds the app's own sites and places by name, also when Kartverket's
national search cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect

from tests.browser import serve_blank_basemap
from tests.openapi_check import assert_matches_spec


def test_sites_and_places_are_found_by_part_of_their_name(client: FlaskClient) -> None:
    response = client.get("/api/search?q=asker")
    assert response.status_code == 200
    hits = response.get_json()["hits"]
    kinds = {hit["kind"] for hit in hits}
    assert {"site", "centre", "tettsted"} <= kinds
    # The place called exactly that comes first.
    assert hits[0]["label"] == "Asker"
    site = next(hit for hit in hits if hit["kind"] == "site")
    assert site["site_key"].startswith("ASK-") and "asker" in site["label"].lower()
    assert 59 < site["lat"] < 60.2 and 10 < site["lon"] < 11
    by_key = client.get("/api/search?q=" + site["site_key"]).get_json()["hits"]
    assert [hit["label"] for hit in by_key] == [site["label"]]


def test_search_takes_wildcards_literally_and_needs_two_characters(client: FlaskClient) -> None:
    assert client.get("/api/search?q=%25%25").get_json()["hits"] == []
    assert client.get("/api/search?q=__").get_json()["hits"] == []
    assert client.get("/api/search?q=a").get_json()["hits"] == []
    assert client.get("/api/search").get_json()["hits"] == []


def test_the_search_answer_matches_the_document(client: FlaskClient) -> None:
    assert_matches_spec(
        client.get("/api/openapi.json").get_json(), "get", "/api/search", client.get("/api/search?q=asker")
    )


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    serve_blank_basemap(page)
    # Kartverket's search is unreachable, as it is here and for users when it is down.
    page.route("https://ws.geonorge.no/**", lambda route: route.abort())
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("prefix", "kind", "note", "button"),
    [
        ("/", "næringsareal", "egne data", "Søk"),
        ("/en/", "business site", "own data", "Search"),
    ],
)
def test_the_map_search_finds_a_site_without_the_national_search(
    page: Page, live_server: str, prefix: str, kind: str, note: str, button: str
) -> None:
    page.goto(live_server + prefix)
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    expect(page.locator(".nk-search button[type=submit]")).to_have_text(button)
    page.fill("#nk-search-input", "sentrum nord")
    page.press("#nk-search-input", "Enter")
    hit = page.locator(".nk-search-hit").filter(has_text="Asker sentrum nord")
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text(kind)
    expect(page.locator("#nk-search-status")).to_contain_text(note)
    hit.click()
    expect(page.locator(".leaflet-popup .nk-popup h2")).to_have_text("Asker sentrum nord, kontortomt")
