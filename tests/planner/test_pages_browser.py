"""Planner pages in Debian's chromium: the bulk upload preview map, the editor's reference layers
and status choices, the premises picker; screenshots at phone and desktop width."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, Page, expect

from gis.cluster import LocalCluster
from gis.db import libpq_dsn
from gis.indicators import set_manual_value
from tests.browser import scrolls_sideways, serve_blank_basemap
from tests.conftest import RUN_TAG
from tests.planner.conftest import PLANNER_PASSWORD, planner_app_served

pytestmark = pytest.mark.browser
# Where screenshots go when NAERINGSKART_SCREENSHOTS names a folder (for looking at them).
SHOTS = os.environ.get("NAERINGSKART_SCREENSHOTS")
DATABASE = "nk_planner_pages"

SHEET = (
    "site_id;name;area_m2;status;lat;lon\n"
    "PV-1;Punkttomt;4000;ledig;59.8335;10.4309\n"
    "PV-2;Feil status;3000;solgt;59.8345;10.4330\n"
)


@pytest.fixture(scope="module")
def server(cluster: LocalCluster, migrated_template: str) -> Iterator[str]:
    """The app on a database of its own, served over HTTP."""
    with planner_app_served(cluster, migrated_template, DATABASE) as base_url:
        # A rank entered earlier, so the NHO page shows its table of entries too.
        with psycopg.connect(libpq_dsn(cluster.url(f"{DATABASE}_{RUN_TAG}")), autocommit=True) as conn:
            set_manual_value(conn, indicator="nho_county_rank", region="3203", year=2024, value=3,
                             kind="result", source="NHO Kommune-NM 2024, fylkesoversikten",
                             source_date=dt.date(2024, 6, 14), entered_by="Kari Planlegger")
        yield base_url


def _signed_in(browser: Browser, server: str, width: int = 1280, *, for_axe: bool = False) -> Page:
    # axe-core is injected as an inline script, which the CSP refuses unless bypassed.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=for_axe)
    page = context.new_page()
    serve_blank_basemap(page)
    page.goto(server + "/planner/logg-inn")
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord", exact=True).fill(PLANNER_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def shoot(page: Page, name: str) -> None:
    """A full-page screenshot when asked for."""
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_upload_preview_maps_every_row(browser: Browser, server: str, tmp_path: Path) -> None:
    sheet = tmp_path / "kart.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    page = _signed_in(browser, server)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/planner/opplasting")
    page.get_by_label("Fil").set_input_files(str(sheet))
    page.get_by_role("button", name="Last opp og forhåndsvis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forhåndsvisning av kart.csv")
    expect(page.locator("#preview-map")).to_have_attribute("data-loaded", "2")
    expect(page.locator("#preview-map path.nk-preview-new")).to_have_count(1)
    expect(page.locator("#preview-map path.nk-preview-rejected")).to_have_count(1)
    expect(page.locator("#approximate-warning")).to_contain_text("Bare et punkt, ikke et omriss, i rad 2, 3")
    shoot(page, "upload-preview-1280")
    page.set_viewport_size({"width": 390, "height": 800})
    shoot(page, "upload-preview-390")
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_dashboard_chart_labels_stay_inside_their_chart(browser: Browser, server: str, width: int) -> None:
    page = _signed_in(browser, server, width)
    page.goto(server + "/planner/")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.bar-chart svg')].flatMap((svg) => {
             const view = svg.viewBox.baseVal.width;
             const rects = [...svg.querySelectorAll('rect')].map((r) => r.getBBox());
             return [...svg.querySelectorAll('text.bar-label')].map((t, i) => {
               const b = t.getBBox();
               return {right: b.x + b.width, view, bottom: b.y + b.height, barTop: rects[i].y};
             });
           })"""
    )
    assert boxes
    for box in boxes:
        assert box["right"] <= box["view"] and box["bottom"] <= box["barTop"], box
    shoot(page, f"dashboard-{width}")
    page.goto(server + "/en/planner/")
    shoot(page, f"dashboard-en-{width}")
    page.context.close()


def _draw_square(page: Page) -> None:
    page.evaluate("() => NaeringskartEditor.map.setView([59.8335, 10.4309], 16, {animate: false})")
    page.locator(".leaflet-pm-icon-polygon").click()
    box = page.locator("#editor-map").bounding_box()
    assert box
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(cx - 60, cy - 50), (cx + 60, cy - 50), (cx + 60, cy + 50), (cx - 60, cy + 50)]
    for x, y in [*corners, corners[0]]:
        page.mouse.click(x, y)
        page.wait_for_timeout(120)


def test_editor_reference_layers_statuses_and_drawn_area(browser: Browser, server: str) -> None:
    page = _signed_in(browser, server, 1280)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    tiles: list[str] = []
    page.on("response", lambda r: tiles.append(r.url) if "/tiles/" in r.url and r.ok else None)
    page.goto(server + "/planner/kart")
    page.wait_for_selector("#editor-map[data-loaded-sites]", state="attached")
    control = page.locator(".leaflet-control-layers")
    for title in ("Arealformål (planer)", "Jordbruksareal (AR5)", "Bygninger"):
        expect(control.get_by_label(title)).to_be_checked()
    page.evaluate("() => NaeringskartEditor.map.setView([59.8335, 10.4309], 15, {animate: false})")
    page.wait_for_timeout(800)
    for layer_id in ("zoning", "farmland", "buildings"):
        assert any(f"/tiles/{layer_id}/" in url for url in tiles), layer_id

    # An available site offers only where the workflow may go next, in words.
    first = page.locator("#site-list .link-button").first
    assert "ledig" not in (first.text_content() or "")
    page.evaluate("() => NaeringskartEditor.select(1, true)")
    expect(page.locator("#site-form")).to_be_visible()
    current = page.locator("#e-status").input_value()
    options = page.locator("#e-status option").all_text_contents()
    assert current == "ledig" and options == ["Ledig", "Reservert", "Trukket tilbake"], options
    shoot(page, "editor-1280")

    # A drawn polygon fills in its own area, and the server agrees with it.
    page.get_by_role("button", name="Avbryt").click()
    _draw_square(page)
    expect(page.locator("#editor-status")).to_contain_text("Polygon tegnet")
    filled = float(page.locator("#e-area").input_value())
    assert filled > 1000
    page.locator("#e-name").fill("Tegnet areal")
    with page.expect_response(
        lambda r: r.url.endswith("/api/planner/sites") and r.request.method == "POST"
    ) as made:
        page.get_by_role("button", name="Lagre").click()
    assert made.value.status == 201, made.value.text()
    assert abs(made.value.json()["area_m2"] - filled) / filled < 0.01
    page.set_viewport_size({"width": 390, "height": 800})
    shoot(page, "editor-390")
    assert errors == []
    page.context.close()


def test_premises_building_and_site_picked_on_the_map(
    browser: Browser, server: str, cluster: LocalCluster
) -> None:
    with psycopg.connect(libpq_dsn(cluster.url(f"{DATABASE}_{RUN_TAG}"))) as conn:
        conn.execute(
            "INSERT INTO building (id, bygningsnummer, bygningstype, geom) VALUES (9002, '300765432', "
            "'311', ST_Transform(ST_SetSRID(ST_MakePoint(10.4309, 59.8335), 4326), 25832)) "
            "ON CONFLICT (id) DO NOTHING"
        )
    page = _signed_in(browser, server, 1280)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/planner/lokaler")
    page.wait_for_selector("#premises-map[data-loaded-sites]", state="attached")
    page.evaluate("() => NaeringskartPremisesMap.setView([59.8335, 10.4309], 17, {animate: false})")
    page.wait_for_selector("#premises-map[data-loaded-buildings]", state="attached")
    page.locator("path.nk-pick-building").first.click(force=True)
    expect(page.locator("#p-building_number")).to_have_value("300765432")
    expect(page.locator("#picker-status")).to_contain_text("Valgt bygning: 300765432")
    page.evaluate("() => NaeringskartPremisesMap.setView([59.83595, 10.4412], 17, {animate: false})")
    page.locator("path.nk-pick-site").first.click(force=True)
    assert page.locator("#p-site_id").input_value() != ""
    expect(page.locator("#picker-status")).to_contain_text("Valgt areal:")
    shoot(page, "premises-1280")
    page.set_viewport_size({"width": 390, "height": 800})
    shoot(page, "premises-390")
    assert errors == []
    page.context.close()


PAGES = {
    "nb": ("/planner/", "/planner/kart", "/planner/arealer/1", "/planner/henvendelser",
           "/planner/opplasting", "/planner/lokaler", "/planner/indikatorer/nho"),
    "en": ("/en/planner/", "/en/planner/map", "/en/planner/sites/1", "/en/planner/leads",
           "/en/planner/upload", "/en/planner/premises", "/en/planner/indicators/nho"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_walk_the_planner_pages(browser: Browser, server: str, lang: str) -> None:
    from tests.axe import axe_violations, describe

    for width in (390, 1280):
        page = _signed_in(browser, server, width, for_axe=True)
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        for path in PAGES[lang]:
            page.goto(server + path)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            assert scrolls_sideways(page) is None, (path, width, scrolls_sideways(page))
            if width == 1280:
                violations = axe_violations(page)
                assert violations == [], f"{path}:\n{describe(violations)}"
            shoot(page, f"walk-{lang}-{width}-{path.strip('/').replace('/', '_') or 'root'}")
        assert errors == []
        page.context.close()


def test_lead_page_links_the_site_and_keeps_a_note(
    browser: Browser, server: str, cluster: LocalCluster
) -> None:
    with psycopg.connect(libpq_dsn(cluster.url(f"{DATABASE}_{RUN_TAG}"))) as conn:
        row = conn.execute(
            "INSERT INTO interest_request (site_id, name, email, message, consent, lang) "
            "VALUES (1, 'Ingrid Investor', 'ingrid@example.com', 'We need 5 000 m² for a warehouse.', "
            "true, 'en') RETURNING id"
        ).fetchone()
    assert row
    for width in (390, 1280):
        page = _signed_in(browser, server, width)
        page.goto(f"{server}/planner/henvendelser/{row[0]}")
        expect(page.locator("#lead-language")).to_have_text("Engelsk")
        page.get_by_label("Internt notat (vises bare for planleggere)").fill("Ring tirsdag")
        page.get_by_role("button", name="Lagre notat").click()
        expect(page.locator(".flash")).to_contain_text("Det interne notatet er lagret")
        expect(page.locator("#planner_note")).to_have_value("Ring tirsdag")
        href = page.locator("#reply-link").get_attribute("href") or ""
        assert href.startswith("mailto:ingrid@example.com?subject=Your%20enquiry%20about%20")
        shoot(page, f"lead-nb-{width}")
        page.goto(f"{server}/en/planner/leads/{row[0]}")
        expect(page.locator("#lead-language")).to_have_text("English")
        shoot(page, f"lead-en-{width}")
        page.locator("#lead-site").click()
        expect(page).to_have_url(f"{server}/en/planner/sites/1")
        page.context.close()
