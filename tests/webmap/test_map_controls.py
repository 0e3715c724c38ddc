"""The map's tile layers, popups, controls and URL state in a real browser (Debian's chromium)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, Response, Route, expect
from sqlalchemy import create_engine

from etl.demo_data import load_demo
from gis import db as gisdb
from gis.cluster import LocalCluster
from tests.browser import serve_blank_basemap, served
from tests.conftest import STORAGE_SRID, make_settings
from tests.tile_data import CENTRE, HOSTILE, add_tile_data
from webmap.tiles.reply import GZIP_MIN_BYTES

pytestmark = pytest.mark.browser
GEONORGE = Path(__file__).resolve().parents[1] / "data" / "geonorge"


@pytest.fixture(scope="module")
def map_server(cluster: LocalCluster, migrated_template: str) -> Iterator[str]:
    """The app on the demo data plus plans, buildings and farmland around Asker sentrum."""
    from webmap import create_app

    url = cluster.url(f"nk_map_{os.getpid()}")
    gisdb.drop_database(url)
    gisdb.ensure_database(url, template=migrated_template)
    engine = create_engine(url)
    load_demo(engine, STORAGE_SRID)
    engine.dispose()
    add_tile_data(url)
    with served(create_app(make_settings(url))) as base_url:
        yield base_url
    gisdb.drop_database(url)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    serve_blank_basemap(page)
    yield page
    context.close()


def _errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _view(layers: str, zoom: int = 16) -> str:
    return f"/?lat={CENTRE[1]}&lon={CENTRE[0]}&z={zoom}&layers={layers}"


def _wait_for_tiles(page: Page, layer: str) -> None:
    key = "data-loaded-" + layer + "-tiles"
    page.wait_for_selector(f".folium-map[{key}]", state="attached")


def test_tiles_and_sites_are_drawn(page: Page, map_server: str) -> None:
    errors = _errors(page)
    tiles: list[int] = []
    encodings: list[tuple[str | None, int]] = []

    def seen(response: Response) -> None:
        if "/tiles/" in response.url:
            tiles.append(response.status)
            if response.status == 200:
                encodings.append((response.headers.get("content-encoding"),
                                  int(response.headers["content-length"])))

    page.on("response", seen)
    page.goto(map_server + _view("sites,zoning,buildings,farmland", zoom=15))
    _wait_for_tiles(page, "zoning")
    _wait_for_tiles(page, "buildings")
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    assert page.locator(".leaflet-overlay-pane canvas, .leaflet-tile-container canvas").count() > 0
    assert 200 in tiles and all(status in (200, 204, 304) for status in tiles)
    # The browser accepts gzip, gets the bigger tiles gzipped and VectorGrid still draws them;
    # tiles under a kilobyte come as they are.
    assert "gzip" in {encoding for encoding, _size in encodings}
    assert all(encoding == "gzip" or size < GZIP_MIN_BYTES for encoding, size in encodings)
    expect(page.locator(".nk-legend-layer[data-layer='zoning']")).to_be_visible()
    expect(page.locator(".nk-legend")).to_contain_text("Framtidig formål")
    assert errors == []


def test_clicking_a_vector_tile_feature_opens_an_escaped_popup(page: Page, map_server: str) -> None:
    errors = _errors(page)
    page.goto(map_server + _view("zoning"))
    _wait_for_tiles(page, "zoning")
    page.wait_for_timeout(300)
    box = page.locator(".folium-map").bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content .nk-popup")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("Næringsbebyggelse")
    expect(popup).to_contain_text(HOSTILE)
    assert popup.locator("img").count() == 0
    assert errors == []


def test_a_shared_link_reproduces_the_view(browser: Browser, page: Page, map_server: str) -> None:
    page.goto(map_server + "/")
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    page.evaluate("""async () => {
        const map = Naeringskart.maps[0];
        const sites = Naeringskart.layers.sites;
        Naeringskart.layers.buildings.addTo(map);
        map.removeLayer(Naeringskart.layers.kommune);
        let target = null;
        sites.eachLayer(l => { if (!target) target = l; });
        const key = target.feature.properties.site_key;
        // The sites reload for the new view; open the popup on the reloaded shape, else the
        // reload (slow on a busy machine) closes it again.
        const reloaded = new Promise(resolve => sites.once("nk:loaded", resolve));
        map.setView(target.getBounds().getCenter(), 15, {animate: false});
        await reloaded;
        sites.eachLayer(l => { if (l.feature.properties.site_key === key) target = l; });
        target.openPopup();
    }""")
    page.wait_for_timeout(300)
    shared = page.url
    query = parse_qs(urlparse(shared).query)
    assert query["z"] == ["15"] and "site" in query
    assert "buildings" in query["layers"][0] and "kommune" not in query["layers"][0]
    before = page.evaluate("() => { const c = Naeringskart.maps[0].getCenter(); return [c.lat, c.lng]; }")
    title = page.locator(".leaflet-popup-content h2").inner_text()

    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    serve_blank_basemap(other)
    other.goto(shared)
    expect(other.locator(".leaflet-popup-content h2")).to_have_text(title)
    state = other.evaluate("""() => {
        const map = Naeringskart.maps[0]; const c = map.getCenter();
        return {zoom: map.getZoom(), centre: [c.lat, c.lng],
                buildings: map.hasLayer(Naeringskart.layers.buildings),
                kommune: map.hasLayer(Naeringskart.layers.kommune)};
    }""")
    assert state["zoom"] == 15 and state["buildings"] and not state["kommune"]
    assert abs(state["centre"][0] - before[0]) < 1e-4 and abs(state["centre"][1] - before[1]) < 1e-4
    other.context.close()


def _answer_search(page: Page) -> list[str]:
    asked: list[str] = []

    def answer(route: Route, name: str) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="application/json",
                      body=(GEONORGE / name).read_text(encoding="utf-8"))

    page.route("https://ws.geonorge.no/adresser/v1/sok**",
               lambda route: answer(route, "adresser_asker.json"))
    page.route("https://ws.geonorge.no/stedsnavn/v1/navn**",
               lambda route: answer(route, "stedsnavn_asker.json"))
    return asked


def test_search_finds_addresses_and_places_by_keyboard(page: Page, map_server: str) -> None:
    asked = _answer_search(page)
    page.goto(map_server + "/")
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    for _ in range(30):
        if page.evaluate("() => document.activeElement.id") == "nk-search-input":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "nk-search-input"
    page.keyboard.type("Askerveien")
    page.keyboard.press("Enter")
    hits = page.locator(".nk-search-hit")
    expect(hits).to_have_count(3)
    expect(page.locator("#nk-search-status")).to_have_text("3 treff")
    # Text from the service is shown as text.
    expect(hits.nth(1)).to_contain_text("Askerveien <b>2</b>")
    assert any("kommunenummer=3203" in url for url in asked)
    assert any("knr=3203" in url for url in asked)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "nk-search-hit"
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    centre = page.evaluate("() => { const c = Naeringskart.maps[0].getCenter(); return [c.lat, c.lng]; }")
    assert abs(centre[0] - 59.8372) < 1e-3 and abs(centre[1] - 10.4402) < 1e-3
    expect(page.locator(".nk-search-marker")).to_have_count(1)
    hits.nth(2).click()
    page.wait_for_timeout(300)
    centre = page.evaluate("() => { const c = Naeringskart.maps[0].getCenter(); return [c.lat, c.lng]; }")
    assert abs(centre[0] - 59.8120) < 1e-3


def test_controls_work_by_keyboard(page: Page, map_server: str) -> None:
    page.goto(map_server + "/")
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    measure = page.locator(".polyline-measure-unicode-icon").first
    for label in ("Mål avstand", "Vis min posisjon", "Fullskjerm"):
        control = page.get_by_role("button", name=label)
        expect(control).to_have_count(1)
        assert control.get_attribute("href")  # focusable
    measure.focus()
    page.keyboard.press("Enter")
    expect(measure).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    expect(measure).to_have_attribute("aria-pressed", "false")
    summary = page.locator(".nk-legend summary")
    summary.focus()
    was_open = page.evaluate("() => document.getElementById('nk-legend').open")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.getElementById('nk-legend').open") is (not was_open)


def test_language_switch_keeps_the_view(page: Page, map_server: str) -> None:
    page.goto(map_server + _view("sites,zoning", zoom=14))
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/?*")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator(".nk-legend summary")).to_have_text("Legend")
    expect(page.get_by_role("button", name="Measure distance")).to_have_count(1)
    state = page.evaluate("""() => ({zoom: Naeringskart.maps[0].getZoom(),
        zoning: Naeringskart.maps[0].hasLayer(Naeringskart.layers.zoning)})""")
    assert state == {"zoom": 14, "zoning": True}
    page.get_by_role("link", name="Norsk (bokmål)").click()
    page.wait_for_url("**/?lat=*")
    assert page.locator("html").get_attribute("lang") == "nb"


def test_layer_list_and_legend_never_cover_each_other(browser: Browser, map_server: str) -> None:
    """With every layer listed, the layer control and the open legend stay apart and scroll."""
    for width, height in ((1280, 800), (1280, 640), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        serve_blank_basemap(page)
        try:
            page.goto(map_server + "/")
            page.locator(".leaflet-control-layers").wait_for()
            legend = page.locator("#nk-legend")
            if legend.get_attribute("open") is None:
                legend.locator("summary").click()
            # On a phone the layer list starts as a button; opened, it must not cover the legend.
            toggle = page.locator(".leaflet-control-layers-toggle")
            if toggle.is_visible():
                toggle.focus()
                page.keyboard.press("Enter")
                expect(page.locator(".leaflet-control-layers-expanded")).to_have_count(1)
            layers_box = page.locator(".leaflet-control-layers").bounding_box()
            legend_box = legend.bounding_box()
            assert layers_box and legend_box
            apart = (layers_box["y"] + layers_box["height"] <= legend_box["y"]
                     or layers_box["x"] + layers_box["width"] <= legend_box["x"]
                     or legend_box["x"] + legend_box["width"] <= layers_box["x"])
            assert apart, f"{width}x{height}: layers {layers_box} overlap legend {legend_box}"
            # Every layer is still reachable: the list scrolls to its last entry.
            last = page.locator(".leaflet-control-layers-overlays label").last
            last.scroll_into_view_if_needed()
            expect(last).to_be_in_viewport()
        finally:
            context.close()


def test_map_with_every_layer_meets_wcag_aa(browser: Browser, map_server: str) -> None:
    from tests.axe import axe_violations, describe

    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
        page = context.new_page()
        serve_blank_basemap(page)
        _answer_search(page)
        for prefix in ("", "/en"):
            page.goto(map_server + prefix + _view("sites,zoning,buildings,farmland,centres,stops,"
                                                  "tettsted_workplaces,kommune", zoom=14))
            _wait_for_tiles(page, "zoning")
            page.fill("#nk-search-input", "Askerveien")
            page.press("#nk-search-input", "Enter")
            expect(page.locator(".nk-search-hit")).to_have_count(3)
            violations = axe_violations(page)
            assert violations == [], f"{prefix or '/'} at {width}px:\n{describe(violations)}"
        context.close()


def test_recorded_search_answers_are_json(tmp_path: Path) -> None:
    for name in ("adresser_asker.json", "stedsnavn_asker.json"):
        assert json.loads((GEONORGE / name).read_text(encoding="utf-8"))
