"""Every investor page fits a phone: no sideways scrolling at 390 px (nor at 1280 px)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import serve_blank_basemap

pytestmark = pytest.mark.browser

PAGES = [
    "/investor",
    "/en/investor",
    "/investor?status=ledig&status=reservert&status=under_utbygging&status=utbygd",
    "/investor/tomt/ASK-001",
    "/en/investor/site/ASK-001",
    "/investor/tomt/ASK-003",
    "/investor/sammenlign?sites=ASK-001,ASK-002,ASK-003,ASK-004",
    "/en/investor/compare?sites=ASK-001,ASK-002,ASK-003,ASK-004",
    "/investor/meld-interesse?site=ASK-001",
    "/en/investor/interest",
    "/investor/meld-interesse/takk",
    "/en/investor/interest/thanks",
    "/investor/tomt/FINNES-IKKE",
    "/en/investor/site/ASK-024",
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


def _in_view(page: object, selector: str) -> bool:
    return bool(
        page.evaluate(  # type: ignore[attr-defined]
            """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""",
            selector,
        )
    )


def test_comparison_bar_stays_in_view_with_the_choice_and_the_limit(
    browser: Browser, investor_server: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    serve_blank_basemap(page)
    page.goto(investor_server + "/investor")
    page.evaluate("() => localStorage.clear()")
    page.reload()
    boxes = page.locator("input.nk-shortlist")
    names = page.locator(".nk-site-name a")
    for index in range(4):
        boxes.nth(index).check()
    # Far down the list, away from the button at its end, the bar is on screen with the choice.
    fifth = boxes.nth(8)
    fifth.scroll_into_view_if_needed()
    assert _in_view(page, "#compare-bar")
    selection = page.locator("#compare-selection").inner_text()
    assert "(4/4)" in selection
    assert all(names.nth(i).inner_text() in selection for i in range(4))
    fifth.click()
    assert not fifth.is_checked()
    status = page.locator("#compare-status")
    assert "høyst 4 arealer" in status.inner_text() and _in_view(page, "#compare-status")
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "390-compare-bar.png"))
    # The bar never covers the box the user is ticking.
    box = fifth.bounding_box()
    bar = page.locator("#compare-bar").bounding_box()
    assert box and bar and box["y"] + box["height"] <= bar["y"]
    # A fact sheet's button says so when four are already chosen.
    page.goto(investor_server + "/investor/tomt/ASK-018")
    page.click(".nk-shortlist-toggle")
    assert "høyst 4 arealer" in page.locator("#sheet-compare-status").inner_text()
    assert _in_view(page, "#sheet-compare-status")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_new_pages_meet_wcag_aa(browser: Browser, investor_server: str, width: int) -> None:
    from tests.axe import axe_violations, describe

    context = browser.new_context(viewport={"width": width, "height": 844}, bypass_csp=True)
    page = context.new_page()
    serve_blank_basemap(page)
    for path in (
        "/investor/tomt/FINNES-IKKE",
        "/en/investor/site/ASK-024",
        "/investor/meld-interesse/takk",
        "/investor/tomt/ASK-003",
        # Current plans as cards on a phone, and the compare page's plan rows.
        "/en/investor/site/ASK-001",
        "/investor/sammenlign?sites=ASK-001,ASK-002",
    ):
        page.goto(investor_server + path)
        violations = axe_violations(page)
        assert violations == [], f"{path} at {width}px:\n{describe(violations)}"
    context.close()
