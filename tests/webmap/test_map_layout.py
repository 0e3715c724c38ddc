"""The map page's layout: a phone sees the map and the search, the layer list is in a clear
order without near-duplicates, and sites are coloured by status."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import serve_blank_basemap

pytestmark = pytest.mark.browser


def _page(browser: Browser, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    serve_blank_basemap(page)
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, 390, 844)


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, 1280, 900)


def _covered(page: Page, selector: str) -> bool:
    """Whether something else is drawn over the middle of the element."""
    return bool(
        page.evaluate(
            """(selector) => {
        const element = document.querySelector(selector);
        const box = element.getBoundingClientRect();
        const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return !(top === element || element.contains(top));
    }""",
            selector,
        )
    )


@pytest.mark.parametrize(("prefix", "layers"), [("/", "Kartlag"), ("/en/", "Map layers")])
def test_a_phone_sees_the_map_and_the_search(phone: Page, live_server: str, prefix: str, layers: str) -> None:
    phone.goto(live_server + prefix)
    phone.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    # The layer list and the legend start closed; the layer list opens from a named button.
    expect(phone.locator(".leaflet-control-layers-expanded")).to_have_count(0)
    toggle = phone.locator(".leaflet-control-layers-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-label", layers)
    assert phone.locator("#nk-legend").get_attribute("open") is None
    # The search is on screen and nothing covers it.
    expect(phone.locator("#nk-search-input")).to_be_in_viewport()
    assert not _covered(phone, "#nk-search-input")
    # Header and notice take a small part of the screen; the map the most.
    header = phone.locator(".site-header").bounding_box()
    map_box = phone.locator(".folium-map").bounding_box()
    assert header and map_box
    assert header["height"] <= 48
    assert map_box["height"] >= 0.75 * 844
    # Opened by keyboard (or a tap), the layer list shows.
    toggle.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(".leaflet-control-layers-expanded")).to_have_count(1)


def test_a_desktop_shows_the_layer_list_open(desktop: Page, live_server: str) -> None:
    desktop.goto(live_server + "/")
    desktop.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    expect(desktop.locator(".leaflet-control-layers-expanded")).to_have_count(1)
    assert desktop.locator("#nk-legend").get_attribute("open") is not None
    assert not _covered(desktop, "#nk-search-input")


def test_layer_list_runs_from_background_to_plans_sites_and_analyses(desktop: Page, live_server: str) -> None:
    desktop.goto(live_server + "/")
    desktop.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    names = [
        name.strip() for name in desktop.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    ]
    position = {name: index for index, name in enumerate(names)}
    background = ["Kommunegrense", "Bygninger", "Stasjoner og holdeplasser"]
    plans = ["Arealformål (planer)", "Planer og omdisponert dyrka jord"]
    sites = ["Ledige næringsarealer", "Tomter etter ABC-klasse"]
    analyses = ["Kollektivklasser A–D", "Omdisponert dyrka jord", "Arbeidsplasser per tettsted"]
    groups = [background, plans, sites, analyses]
    for earlier, later in itertools.pairwise(groups):
        assert max(position[name] for name in earlier) < min(position[name] for name in later), names
    # One layer per theme: no list of near-identical entries per class.
    assert not [name for name in names if name.startswith(("ABC:", "Kollektivklasse "))]
    assert len(names) == len(set(names))


def test_sites_are_coloured_by_status(desktop: Page, live_server: str) -> None:
    desktop.goto(live_server + "/")
    desktop.wait_for_selector(".folium-map[data-loaded-sites]", state="attached")
    fills = desktop.evaluate("""() => {
        const byStatus = {};
        Naeringskart.layers.sites.eachLayer((l) => {
            (byStatus[l.feature.properties.status] ||= new Set()).add(l.getElement().getAttribute("fill"));
        });
        return Object.fromEntries(Object.entries(byStatus).map(([k, v]) => [k, [...v]]));
    }""")
    assert {"ledig", "reservert"} <= set(fills)
    # One colour per status, a different one for each.
    assert all(len(colours) == 1 for colours in fills.values())
    assert len({colours[0] for colours in fills.values()}) == len(fills)
    legend = desktop.locator(".nk-legend-layer[data-layer='sites']")
    expect(legend).to_contain_text("Reservert")
    expect(legend).to_contain_text("Ledig")


def test_on_a_phone_an_open_popup_is_not_covered_by_the_controls(phone: Page, live_server: str) -> None:
    phone.goto(live_server + "/?site=ASK-003")
    popup = phone.locator(".leaflet-popup .nk-popup")
    expect(popup.locator("h2")).to_be_visible()
    for selector in (".leaflet-popup .nk-popup h2", ".leaflet-popup-close-button", ".leaflet-popup dl"):
        assert not _covered(phone, selector), selector
    phone.locator(".leaflet-popup-close-button").click()
    expect(phone.locator("#nk-search-input")).to_be_visible()
