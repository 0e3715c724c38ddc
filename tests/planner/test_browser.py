"""The planner workspace in Debian's chromium: sign in, draw a site, edit it, see the history,
restore a version, sign out and find the session dead; WCAG checks of the pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from gis.cluster import LocalCluster
from tests.browser import serve_blank_basemap
from tests.planner.conftest import PLANNER_PASSWORD, planner_app_served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def planner_server(cluster: LocalCluster, migrated_template: str) -> Iterator[str]:
    """The app on a database of its own (these tests change data), served over HTTP."""
    with planner_app_served(cluster, migrated_template, "nk_planner_browser") as base_url:
        yield base_url


def _sign_in(page: Page, server: str) -> None:
    page.goto(server + "/planner/")
    expect(page).to_have_url(f"{server}/planner/logg-inn?next=/planner/")
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord", exact=True).fill(PLANNER_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arealregnskap og oppfølging")


def test_draw_edit_history_restore_and_sign_out(browser: Browser, planner_server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    serve_blank_basemap(page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, planner_server)

    page.get_by_role("link", name="Rediger i kart").click()
    page.wait_for_selector("#editor-map[data-loaded-sites]", state="attached")
    page.evaluate("() => NaeringskartEditor.map.setView([59.8335, 10.4309], 16, {animate: false})")
    page.locator(".leaflet-pm-icon-polygon").click()
    box = page.locator("#editor-map").bounding_box()
    assert box
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(cx - 60, cy - 50), (cx + 60, cy - 50), (cx + 60, cy + 50), (cx - 60, cy + 50)]
    for x, y in [*corners, corners[0]]:
        page.mouse.click(x, y)
        page.wait_for_timeout(120)
    expect(page.locator("#editor-status")).to_contain_text("Polygon tegnet")
    page.locator("#e-name").fill("Browsertomt")
    with page.expect_response(lambda r: r.url.endswith("/api/planner/sites")
                              and r.request.method == "POST") as created:
        page.get_by_role("button", name="Lagre").click()
    assert created.value.status == 201, created.value.text()
    expect(page.locator("#editor-status")).to_contain_text("Nytt areal opprettet: Browsertomt")

    page.locator("#e-name").fill("Browsertomt endret")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("#editor-status")).to_contain_text("Lagret som versjon 2")

    page.get_by_role("link", name="Egenskaper og historikk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Browsertomt endret")
    expect(page.locator("#version-2")).to_contain_text("Browsertomt endret")
    expect(page.locator("#version-1")).to_be_visible()
    page.get_by_role("button", name="Gjenopprett versjon 1").click()
    expect(page.locator(".flash")).to_contain_text("Versjon 1 er gjenopprettet")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Browsertomt")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("endret")
    expect(page.locator("#version-3")).to_contain_text("Versjon 1 gjenopprettet")

    cookies = context.cookies()
    page.get_by_role("button", name="Logg ut").click()
    expect(page.locator("body")).to_contain_text("Du er logget ut")
    replay = browser.new_context()
    replay.add_cookies(cookies)  # the old cookie, as a thief would keep it
    stolen = replay.new_page()
    stolen.goto(planner_server + "/planner/")
    expect(stolen).to_have_url(f"{planner_server}/planner/logg-inn?next=/planner/")
    replay.close()
    assert errors == []
    context.close()


def test_planner_pages_meet_wcag_aa(browser: Browser, planner_server: str) -> None:
    from tests.axe import axe_violations, describe

    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    serve_blank_basemap(page)
    page.goto(planner_server + "/planner/logg-inn")
    assert axe_violations(page) == [], describe(axe_violations(page))
    _sign_in(page, planner_server)
    for path in ("/planner/", "/en/planner/", "/planner/arealer/1", "/planner/henvendelser",
                 "/planner/opplasting", "/planner/lokaler", "/planner/kart"):
        page.goto(planner_server + path)
        if path == "/planner/kart":
            page.wait_for_selector("#editor-map[data-loaded-sites]", state="attached")
        violations = axe_violations(page)
        assert violations == [], f"{path}:\n{describe(violations)}"
    context.close()


def test_bulk_upload_through_the_browser(browser: Browser, planner_server: str,
                                         tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    path = tmp_path / "nye_arealer.gpkg"
    gpd.GeoDataFrame([{"site_key": "WEB-1", "name": "Opplastet tomt", "status": "ledig",
                       "geometry": box(580000, 6633000, 580080, 6633080)}],
                     crs=25832).to_file(path, layer="sites", driver="GPKG")
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, planner_server)
    page.goto(planner_server + "/planner/opplasting")
    page.get_by_label("Fil").set_input_files(str(path))
    page.get_by_role("button", name="Last opp og forhåndsvis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forhåndsvisning av nye_arealer.gpkg")
    expect(page.locator("#preview-rows")).to_contain_text("Opplastet tomt")
    expect(page.locator("#preview-counts")).to_contain_text("Nye: 1")
    page.get_by_role("button", name="Bruk endringene").click()
    expect(page.locator(".flash")).to_contain_text("1 nye og 0 endrede arealer")
    assert errors == []
    context.close()
