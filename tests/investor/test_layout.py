"""Every investor page fits a phone: no sideways scrolling at 390 px (nor at 1280 px)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import serve_blank_basemap

pytestmark = pytest.mark.browser

PAGES = [
    "/investor", "/en/investor",
    "/investor?status=ledig&status=reservert&status=under_utbygging&status=utbygd",
    "/investor/tomt/ASK-001", "/en/investor/site/ASK-001", "/investor/tomt/ASK-003",
    "/investor/sammenlign?sites=ASK-001,ASK-002,ASK-003,ASK-004",
    "/en/investor/compare?sites=ASK-001,ASK-002,ASK-003,ASK-004",
    "/investor/meld-interesse?site=ASK-001", "/en/investor/interest",
    "/investor/meld-interesse/takk", "/en/investor/interest/thanks",
    "/investor/tomt/FINNES-IKKE", "/en/investor/site/ASK-024",
    "/investor?area_min=999999999",
]
# Set NK_SCREENSHOTS to a folder to keep a picture of every page (for looking, not asserting).
SCREENSHOTS = os.environ.get("NK_SCREENSHOTS")


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(browser: Browser, investor_server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    serve_blank_basemap(page)
    too_wide = []
    for path in PAGES:
        page.goto(investor_server + path)
        page.wait_for_load_state("load")
        widths = page.evaluate("""() => ({
            document: document.documentElement.scrollWidth, body: document.body.scrollWidth,
            viewport: window.innerWidth,
            widest: Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                        && !e.closest('.nk-table-scroll, .leaflet-container, .visually-hidden'))
                .slice(0, 3).map(e => e.tagName + '.' + e.className)})""")
        if max(widths["document"], widths["body"]) > widths["viewport"]:
            too_wide.append((path, widths))
        if SCREENSHOTS:
            name = path.strip("/").replace("/", "_").replace("?", "_")[:80] or "root"
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{width}-{name}.png"))
    context.close()
    assert too_wide == [], "\n".join(map(str, too_wide))
