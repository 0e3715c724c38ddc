"""When the online basemap cannot be reached, maps draw a simple background from our own data
(kommune, land cover and water, paths, main roads, buildings): never a blank map."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import block_basemap, serve_blank_basemap

pytestmark = pytest.mark.browser
PANE_PATHS = ".leaflet-nkLocalBackground-pane path"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _drawn(page: Page, selector: str, layers: set[str]) -> dict[str, int]:
    """Feature counts per background layer, once each of `layers` has drawn something."""
    page.wait_for_function(
        """([selector, wanted]) => {
        const raw = document.querySelector(selector).dataset.localBackground;
        if (!raw) return false;
        const counts = JSON.parse(raw);
        return wanted.every((id) => counts[id] > 0);
    }""",
        arg=[selector, sorted(layers)],
    )
    counts: dict[str, int] = json.loads(page.locator(selector).get_attribute("data-local-background") or "{}")
    return counts


@pytest.mark.parametrize("prefix", ["/", "/en/"])
def test_the_map_draws_a_local_background_when_the_basemap_is_unreachable(
    page: Page, live_server: str, prefix: str
) -> None:
    block_basemap(page)
    page.goto(live_server + prefix)
    _drawn(page, ".folium-map", {"background_kommune", "background_roads"})
    expect(page.locator("#basemap-offline")).to_be_visible()
    assert page.locator(PANE_PATHS).count() >= 2
    # Closer in, streets, paths and buildings come from our own data too.
    page.evaluate("() => Naeringskart.maps[0].setView([59.8360, 10.4400], 16, {animate: false})")
    counts = _drawn(page, ".folium-map", {"background_paths", "background_buildings"})
    assert counts["background_buildings"] > 0
    # The background sits beneath the sites and is never listed as a layer of its own.
    labels = " ".join(page.locator(".leaflet-control-layers label").all_inner_texts())
    assert "Bakgrunn" not in labels and "Background" not in labels
    expect(page.locator(".nk-legend")).not_to_contain_text("Bakgrunn")
    assert page.evaluate("""() => {
        const z = (name) => Number(getComputedStyle(Naeringskart.maps[0].getPane(name)).zIndex);
        return z("nkLocalBackground") < z("overlayPane") && z("nkLocalBackground") > z("tilePane");
    }""")


def test_the_fact_sheet_map_draws_a_local_background(page: Page, live_server: str) -> None:
    block_basemap(page)
    page.goto(live_server + "/investor/tomt/ASK-001")
    _drawn(page, "#site-map", {"background_kommune"})
    assert page.locator("#site-map " + PANE_PATHS).count() >= 1


def test_no_local_background_while_the_basemap_answers(page: Page, live_server: str) -> None:
    serve_blank_basemap(page)
    asked: list[str] = []
    page.on(
        "request",
        lambda request: asked.append(request.url) if "/api/layers/background_" in request.url else None,
    )
    page.goto(live_server + "/")
    page.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    page.wait_for_timeout(500)
    assert asked == []
    assert page.locator(".leaflet-nkLocalBackground-pane").count() == 0
