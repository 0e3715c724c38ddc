"""No public page makes a phone user scroll sideways (390 px), in either language; the
investor pages and the planner pages have their own walks (tests/investor/test_layout.py,
tests/planner/test_pages_browser.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser import scrolls_sideways, serve_blank_basemap

pytestmark = pytest.mark.browser

PAGES = ("/", "/en/", "/indikatorer", "/en/indicators", "/finn-tomt", "/en/find-site",
         "/finn-tomt?sector=kontor&employees=300&floor_area_m2=6000&visitors_per_day=20",
         "/planner/logg-inn", "/en/planner/sign-in", "/finnes-ikke", "/en/missing")


@pytest.mark.parametrize("width", [390, 1280])
def test_no_public_page_scrolls_sideways(browser: Browser, live_server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    serve_blank_basemap(page)
    too_wide = []
    for path in PAGES:
        response = page.goto(live_server + path)
        assert response is not None and response.status in (200, 404), path
        page.wait_for_load_state("load")
        widths = scrolls_sideways(page)
        if widths:
            too_wide.append((path, widths))
    context.close()
    assert too_wide == [], "\n".join(map(str, too_wide))
