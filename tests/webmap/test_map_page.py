"""The map page in a real browser (Debian's chromium through Playwright)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect

from tests.browser import block_basemap, serve_blank_basemap

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_map_shows_boundary_and_sites_without_console_errors(page: Page, live_server: str) -> None:
    serve_blank_basemap(page)
    errors = _console_errors(page)
    page.goto(live_server + "/")
    expect(page.locator("path.nk-layer-kommune")).to_have_count(1)
    expect(page.locator("path.nk-layer-kommune")).to_be_visible()
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    loaded = int(page.locator(".folium-map").get_attribute("data-loaded-sites") or 0)
    assert loaded >= 25
    assert page.locator("path.nk-layer-sites").count() == loaded
    expect(page.locator(".fictional-notice")).to_contain_text("fiktive")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert errors == []


def test_click_on_a_site_opens_its_popup(page: Page, live_server: str) -> None:
    serve_blank_basemap(page)
    page.goto(live_server + "/")
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    # Zoom to the first site so that it is big enough to click.
    page.evaluate("""() => {
        const map = Naeringskart.maps[0];
        let target = null;
        map.eachLayer(l => { if (!target && l.feature && l.feature.properties.site_key) target = l; });
        map.fitBounds(target.getBounds(), {animate: false, maxZoom: 16});
    }""")
    page.wait_for_timeout(300)
    page.locator("path.nk-layer-sites").first.click(force=True)
    popup = page.locator(".leaflet-popup-content .nk-popup")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text(re.compile(r"Areal \(m²\)"))
    expect(popup.locator("h2")).not_to_be_empty()


@pytest.mark.parametrize(("prefix", "label", "sheet"), [
    ("/", "Åpne faktaark", "/investor/tomt/"),
    ("/en/", "Open the fact sheet", "/en/investor/site/"),
])
def test_site_popup_links_to_its_fact_sheet(page: Page, live_server: str, prefix: str,
                                            label: str, sheet: str) -> None:
    serve_blank_basemap(page)
    page.goto(live_server + prefix)
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    key = page.evaluate("""() => {
        const map = Naeringskart.maps[0];
        let target = null;
        map.eachLayer(l => { if (!target && l.feature && l.feature.properties.site_key
                                 && Naeringskart.layers.sites.hasLayer(l)) target = l; });
        map.fitBounds(target.getBounds(), {animate: false, maxZoom: 16});
        return target.feature.properties.site_key;
    }""")
    page.wait_for_timeout(500)
    # The layer reloads for the new view: mark the site's shape once it is drawn again.
    page.wait_for_function("""(key) => {
        let found = null;
        Naeringskart.layers.sites.eachLayer(l => {
            if (l.feature.properties.site_key === key) found = l; });
        if (!found || !found.getElement()) return false;
        found.getElement().classList.add("nk-test-target");
        return true;
    }""", arg=key)
    page.locator("path.nk-test-target").click(force=True)
    popup = page.locator(".leaflet-popup-content .nk-popup")
    name = popup.locator("h2").inner_text()
    link = popup.get_by_role("link", name=label)
    expect(link).to_have_attribute("href", sheet + key)
    # Opening the popup pans the map to show it: a reader clicks once the map has settled.
    page.wait_for_function("""() => { const map = Naeringskart.maps[0];
        return !(map._panAnim && map._panAnim._inProgress) && !map._animatingZoom; }""")
    page.wait_for_load_state("networkidle")  # the layers reloaded for the panned view
    link.click()
    page.wait_for_url(re.compile(re.escape(sheet + key) + "$"))
    expect(page.locator("h1")).to_have_text(name)


def test_popup_link_escapes_the_key_and_the_label(page: Page, live_server: str) -> None:
    serve_blank_basemap(page)
    page.goto(live_server + "/")
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    result = page.evaluate("""() => {
        const options = Object.assign({}, Naeringskart.layers.sites.nkOptions);
        options.link = Object.assign({}, options.link, {label: "<b>x</b>"});
        const root = Naeringskart.popupContent(
            {site_key: 'a/"><img src=x>?#', name: "<i>n</i>"}, options);
        const a = root.querySelector("a.nk-popup-link");
        return {href: a.getAttribute("href"), text: a.textContent,
                tags: root.querySelectorAll("b, i, img").length};
    }""")
    assert result["href"] == "/investor/tomt/a%2F%22%3E%3Cimg%20src%3Dx%3E%3F%23"
    assert result["text"] == "<b>x</b>" and result["tags"] == 0


def test_map_still_works_without_the_basemap(page: Page, live_server: str) -> None:
    block_basemap(page)
    page.goto(live_server + "/")
    expect(page.locator("path.nk-layer-kommune")).to_be_visible()
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    expect(page.locator("#basemap-offline")).to_be_visible()


def test_english_page(page: Page, live_server: str) -> None:
    serve_blank_basemap(page)
    page.goto(live_server + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator(".leaflet-control-layers")).to_contain_text("Available business sites")
    expect(page.locator(".fictional-notice")).to_contain_text("fictional")


def test_page_loads_nothing_from_the_internet(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "/static/vendor/leaflet/dist/leaflet.js" in html


def test_map_page_meets_wcag_aa(browser: Browser, live_server: str) -> None:
    from tests.axe import axe_violations, describe

    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
        page = context.new_page()
        serve_blank_basemap(page)
        for path in ("/", "/en/"):
            page.goto(live_server + path)
            page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
            violations = axe_violations(page)
            assert violations == [], f"{path} at {width}px:\n{describe(violations)}"
        context.close()


def test_security_headers_and_nonced_scripts(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self' 'nonce-" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    html = response.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("prefix", "network", "straight"), [
    ("/", "Gangavstand langs vegnettet", "Luftlinje × omvegsfaktor"),
    ("/en/", "Walking distance along the path network", "Straight line × detour factor"),
])
def test_transit_area_popup_says_how_the_area_was_drawn(page: Page, live_server: str,
                                                        prefix: str, network: str,
                                                        straight: str) -> None:
    serve_blank_basemap(page)
    page.goto(live_server + prefix)
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    texts = page.evaluate("""() => {
        const options = Naeringskart.layers.transit_quality.nkOptions;
        const shown = (method) => Naeringskart.popupContent(
            {quality_class: "A", method}, options).querySelector("dl").textContent;
        return [shown("network"), shown("straight_line_detour")];
    }""")
    assert network in texts[0]
    assert straight in texts[1]
