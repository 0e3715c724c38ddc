"""Popups on the map: they stay open, a shared ?site= link opens one, and they speak the page's
language (labels, never codes)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from playwright.sync_api import Browser, Page, expect

from gis.db import libpq_dsn
from tests.browser import serve_blank_basemap

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    serve_blank_basemap(page)
    yield page
    context.close()


def _site(demo_db_url: str, status: str) -> dict[str, str]:
    """A published demo site with this status, its ABC class and nearest rail station."""
    with psycopg.connect(libpq_dsn(demo_db_url)) as conn:
        row = conn.execute(
            "SELECT s.site_key, s.name, a.abc_class, a.nearest_rail_name FROM site s "
            "JOIN site_accessibility a ON a.site_id = s.id WHERE s.published AND s.status = %s "
            "AND a.abc_class IS NOT NULL AND a.nearest_rail_name IS NOT NULL "
            "ORDER BY s.site_key LIMIT 1",
            (status,),
        ).fetchone()
    assert row, f"the demo data has a published, classified site with status {status}"
    return {"key": row[0], "name": row[1], "abc": row[2], "rail": row[3]}


def _popup_open(page: Page) -> bool:
    return bool(page.evaluate("() => !!document.querySelector('.leaflet-popup .nk-popup')"))


def test_a_clicked_site_popup_stays_open_through_reloads_and_pans(
    page: Page, live_server: str, demo_db_url: str
) -> None:
    site = _site(demo_db_url, "ledig")
    page.goto(live_server + "/")
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    # Zoom to the site (big enough to click, away from the centre markers), then click it.
    page.evaluate(
        """(key) => {
        const map = Naeringskart.maps[0];
        Naeringskart.layers.sites.eachLayer(l => {
            if (l.feature.properties.site_key === key) map.fitBounds(l.getBounds(), {animate: false});
        });
    }""",
        site["key"],
    )
    page.wait_for_function(
        """(key) => {
        let found = null;
        Naeringskart.layers.sites.eachLayer(l => {
            if (l.feature.properties.site_key === key && l.getElement()) found = l; });
        if (found) found.getElement().classList.add("nk-test-target");
        return !!found;
    }""",
        arg=site["key"],
    )
    page.locator("path.nk-test-target").click(force=True)
    expect(page.locator(".leaflet-popup .nk-popup h2")).to_have_text(site["name"])
    # Opening pans the map to fit the popup, which reloads the sites: the popup must survive.
    page.wait_for_timeout(2500)
    assert _popup_open(page)
    page.evaluate("() => Naeringskart.maps[0].panBy([60, 40], {animate: false})")
    page.wait_for_timeout(1500)
    assert _popup_open(page)
    expect(page.locator(".leaflet-popup .nk-popup h2")).to_have_text(site["name"])
    # Closing is up to the user.
    page.locator(".leaflet-popup-close-button").dispatch_event("click")
    expect(page.locator(".leaflet-popup .nk-popup")).to_have_count(0)


@pytest.mark.parametrize("prefix", ["/", "/en/"])
def test_a_site_link_opens_that_site_popup(
    page: Page, live_server: str, demo_db_url: str, prefix: str
) -> None:
    site = _site(demo_db_url, "ledig")
    page.goto(f"{live_server}{prefix}?site={site['key']}")
    heading = page.locator(".leaflet-popup .nk-popup h2")
    expect(heading).to_have_text(site["name"])
    page.wait_for_timeout(2000)
    expect(heading).to_have_text(site["name"])
    assert f"site={site['key']}" in page.url


@pytest.mark.parametrize(
    ("prefix", "status", "abc", "station", "link"),
    [
        ("/", "Reservert", "ABC-klasse", "Nærmeste stasjon", "Åpne faktaark"),
        ("/en/", "Reserved", "ABC class", "Nearest station", "Open the fact sheet"),
    ],
)
def test_site_popup_shows_labels_abc_class_and_station_once_each(
    page: Page,
    live_server: str,
    demo_db_url: str,
    prefix: str,
    status: str,
    abc: str,
    station: str,
    link: str,
) -> None:
    site = _site(demo_db_url, "reservert")
    page.goto(f"{live_server}{prefix}?site={site['key']}")
    popup = page.locator(".leaflet-popup .nk-popup")
    expect(popup.locator("h2")).to_have_text(site["name"])
    terms = popup.locator("dt").all_inner_texts()
    details = popup.locator("dd").all_inner_texts()
    shown = dict(zip(terms, details, strict=True))
    assert shown["Status"] == status
    assert "reservert" not in details
    assert shown[abc] == site["abc"]
    assert shown[station] == site["rail"]
    # The heading names the site; no row repeats the name.
    assert site["name"] not in details
    expect(popup.get_by_role("link", name=link)).to_have_count(1)


@pytest.mark.parametrize(
    ("prefix", "future", "group"),
    [
        ("/", "framtidig", "Næring"),
        ("/en/", "future", "Business"),
    ],
)
def test_zoning_popup_names_the_status_and_group_instead_of_codes(
    page: Page, live_server: str, prefix: str, future: str, group: str
) -> None:
    page.goto(live_server + prefix)
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    # Vector tiles carry the status as an integer.
    rows = page.evaluate("""() => {
        const root = Naeringskart.popupContent(
            {code_name: "Næringsvirksomhet", code: 1300, category: "naering", arealbruksstatus: 2},
            Naeringskart.layers.zoning.nkOptions);
        return Array.from(root.querySelectorAll("dt")).map(
            (dt) => [dt.textContent, dt.nextElementSibling.textContent]);
    }""")
    details = [value for _label, value in rows]
    assert future in details and "2" not in details
    assert group in details
    assert all("1 nåværende" not in label and "1 current" not in label for label, _value in rows)


def test_english_zoning_popup_names_the_purpose_in_english(page: Page, live_server: str) -> None:
    """The official Norwegian name stays (labelled so); a PBL 2008 code also gets its English
    name, and an older code, which has none, gets no bare number."""
    def rows(prefix: str, code: str) -> dict[str, str]:
        page.goto(live_server + prefix)
        page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
        return dict(page.evaluate("""(code) => {
            const root = Naeringskart.popupContent(
                {code_name: "Kontor", code: code, category: "naering", arealbruksstatus: 1},
                Naeringskart.layers.zoning.nkOptions);
            return Array.from(root.querySelectorAll("dt")).map(
                (dt) => [dt.textContent, dt.nextElementSibling.textContent]);
        }""", code))

    # Plan areas' codes are text in the tiles (the table's column type).
    english = rows("/en/", "1310")
    assert english["Land use"] == "Office" and english["Code"] == "1310"
    assert "Land use" not in rows("/en/", "210")
    bokmal = rows("/", "1310")
    assert "Office" not in bokmal.values() and "Arealformål" not in bokmal  # the heading names it
