"""The fact-sheet map and PDF show the site in context (zoning, buildings, stations, main-road
junctions) with a scale bar, a north arrow and the kommune's brand; no internal file names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser, expect

from tests.browser import serve_blank_basemap
from tests.investor.test_factsheet import _pdf_text
from webmap.investor.pdfmap import scale_bar_length

SCREENSHOTS = os.environ.get("NK_SCREENSHOTS")


def test_scale_bar_picks_the_longest_round_length_that_fits() -> None:
    assert scale_bar_length(metres_per_mm=10, longest_mm=24) == 200
    assert scale_bar_length(metres_per_mm=1, longest_mm=60) == 50
    assert scale_bar_length(metres_per_mm=100, longest_mm=25) == 2000


def test_pdf_has_brand_map_legend_scale_and_north_arrow(investor_client: FlaskClient) -> None:
    data = investor_client.get("/investor/tomt/ASK-001/pdf").data
    if SCREENSHOTS:
        Path(SCREENSHOTS, "ASK-001.pdf").write_bytes(data)
    text = _pdf_text(data)
    assert "Invester i Asker - Asker kommune" in text
    assert "Reguleringsform" in text and "Hovedvegkryss" in text and "Bygning" in text
    assert "(Hovedveg) Tj" in text
    assert "(N) Tj" in text  # the north arrow's letter
    assert any(f"({length} m) Tj" in text for length in (50, 100, 200, 250, 500))
    assert ".geojson" not in text and ".gpkg" not in text and ".zip" not in text
    english = _pdf_text(investor_client.get("/en/investor/site/ASK-001/pdf").data)
    assert "Invest in Asker - Asker municipality" in english and "Building" in english


@pytest.mark.browser
def test_sheet_map_shows_context_scale_and_north(browser: Browser, investor_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    serve_blank_basemap(page)
    page.goto(investor_server + "/investor/tomt/ASK-001")
    page.wait_for_selector("#site-map[data-loaded]", state="attached")
    site_map = page.locator("#site-map")
    expect(site_map.locator(".leaflet-control-scale")).to_be_visible()
    expect(site_map.locator(".nk-north-arrow")).to_be_visible()
    # The fixture's plan area, its buildings and Asker stasjon (about 400 m away) are around it.
    assert site_map.locator("path.nk-context-zoning").count() >= 1
    assert site_map.locator("path.nk-context-building").count() >= 1
    assert site_map.locator("path.nk-context-station").count() == 1
    assert site_map.locator("path.nk-context-road").count() == 1
    legend = page.locator(".nk-context-legend").inner_text()
    assert "Reguleringsformål" in legend and "Hovedvegkryss" in legend
    assert "sites.geojson" not in page.locator("body").inner_text()
    if SCREENSHOTS:
        page.locator(".nk-sheet-grid").screenshot(path=str(Path(SCREENSHOTS, "1280-sheet-map.png")))
    context.close()
