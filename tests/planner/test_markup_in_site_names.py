"""A site name full of markup stays text in every map tooltip and popup: the public map, the
investor catalogue and the planner's editor (Leaflet parses string content as HTML)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from playwright.sync_api import Browser, Page, expect

from gis.cluster import LocalCluster
from gis.db import libpq_dsn
from tests.browser import serve_blank_basemap
from tests.conftest import RUN_TAG
from tests.planner.conftest import PLANNER_PASSWORD, planner_app_served

pytestmark = pytest.mark.browser

MARKUP_NAME = "<b id=inj>x</b><img src=x onerror=window.pwned=1>"

# Opens the tooltip and the popup of every layer of the page's maps that shows the site, and
# reports each overlay's text and whether markup turned into elements.
OPEN_OVERLAYS = """(name) => {
  const maps = [...((window.Naeringskart && Naeringskart.maps) || []),
                window.NaeringskartInvestor && NaeringskartInvestor.map,
                window.NaeringskartEditor && NaeringskartEditor.map].filter(Boolean);
  const seen = [];
  const injected = () => Boolean(document.querySelector('#inj, img[src="x"]'));
  for (const map of maps) {
    map.eachLayer((layer) => {
      const props = layer.feature && layer.feature.properties;
      if (!props || props.name !== name) return;
      if (layer.getTooltip && layer.getTooltip()) {
        layer.openTooltip();
        seen.push({ kind: "tooltip", text: layer.getTooltip().getElement().textContent,
                    injected: injected() });
      }
      if (layer.getPopup && layer.getPopup()) {
        layer.openPopup();
        seen.push({ kind: "popup", text: layer.getPopup().getElement().textContent,
                    injected: injected() });
      }
    });
  }
  return seen;
}"""


@dataclass(frozen=True)
class MarkupSite:
    base_url: str
    site_key: str
    lat: float
    lon: float


@pytest.fixture(scope="module")
def markup_site(cluster: LocalCluster, migrated_template: str) -> Iterator[MarkupSite]:
    """The app served on its own database, one published site renamed to markup."""
    name = "nk_markup_names"
    with planner_app_served(cluster, migrated_template, name) as base_url:
        with psycopg.connect(libpq_dsn(cluster.url(f"{name}_{RUN_TAG}"))) as conn:
            row = conn.execute(
                "UPDATE site SET name = %s WHERE id = (SELECT min(id) FROM site WHERE published) "
                "RETURNING site_key, ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)), "
                "ST_X(ST_Transform(ST_PointOnSurface(geom), 4326))", (MARKUP_NAME,)).fetchone()
        assert row is not None
        yield MarkupSite(base_url, str(row[0]), float(row[1]), float(row[2]))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    serve_blank_basemap(page)
    yield page
    context.close()


def _assert_text_only(page: Page, kinds: set[str]) -> None:
    seen = page.evaluate(OPEN_OVERLAYS, MARKUP_NAME)
    assert {overlay["kind"] for overlay in seen} == kinds, seen
    for overlay in seen:
        assert MARKUP_NAME in overlay["text"], overlay  # shown literally, as typed
        assert not overlay["injected"], overlay
    assert page.locator("#inj").count() == 0
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("() => typeof window.pwned") == "undefined"


def test_the_public_map_shows_markup_as_text(page: Page, markup_site: MarkupSite) -> None:
    site = markup_site
    page.goto(f"{site.base_url}/?lat={site.lat}&lon={site.lon}&z=16&layers=sites"
              f"&site={site.site_key}")
    # The shared link opens the site's popup by itself once the layer has loaded.
    expect(page.locator(".leaflet-popup-content")).to_contain_text(MARKUP_NAME)
    _assert_text_only(page, {"tooltip", "popup"})


def test_the_investor_map_shows_markup_as_text(page: Page, markup_site: MarkupSite) -> None:
    page.goto(f"{markup_site.base_url}/investor")
    page.wait_for_selector("#investor-map[data-loaded-count]", state="attached")
    page.locator(f"#site-{markup_site.site_key} .nk-show-on-map").click()
    expect(page.locator(".leaflet-popup-content h2")).to_have_text(MARKUP_NAME)
    page.locator(f'#investor-map path[data-site-key="{markup_site.site_key}"]').hover(force=True)
    _assert_text_only(page, {"tooltip", "popup"})


def test_the_planner_editor_shows_markup_as_text(page: Page, markup_site: MarkupSite) -> None:
    page.goto(markup_site.base_url + "/planner/kart")
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord", exact=True).fill(PLANNER_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_selector("#editor-map[data-loaded-sites]", state="attached")
    _assert_text_only(page, {"tooltip"})
