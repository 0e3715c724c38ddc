"""The investor pages in Debian's chromium: list and map agree, fact sheets, form, languages,
keyboard, escaping, and axe-core's WCAG 2.1 AA checks at desktop and phone widths."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import axe_violations, describe
from tests.browser import serve_blank_basemap
from tests.investor.conftest import query

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    serve_blank_basemap(page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def _wait_for_map(page: Page) -> int:
    page.wait_for_selector("#investor-map[data-loaded-count]", state="attached")
    return int(page.locator("#investor-map").get_attribute("data-loaded-count") or -1)


def _list_keys(page: Page) -> list[str]:
    return page.locator("li.nk-site").evaluate_all("items => items.map(i => i.dataset.siteKey)")


def _map_keys(page: Page) -> list[str]:
    return page.locator("#investor-map path[data-site-key]").evaluate_all(
        "paths => paths.map(p => p.dataset.siteKey)")


def test_filtering_keeps_list_and_map_in_agreement(page: Page, investor_server: str) -> None:
    page.goto(investor_server + "/investor")
    total = _wait_for_map(page)
    assert total == len(_list_keys(page)) and sorted(_map_keys(page)) == sorted(_list_keys(page))
    page.fill("#area_min", "5000")
    page.select_option("#ownership", "privat")
    page.click("button[type=submit] >> text=Vis arealer")
    expect(page).to_have_url(re.compile(r"area_min=5000.*ownership=privat"))
    page.wait_for_function(f"() => document.querySelectorAll('li.nk-site').length < {total}")
    count = _wait_for_map(page)
    keys = _list_keys(page)
    assert 0 < count == len(keys) < total
    assert sorted(_map_keys(page)) == sorted(keys)
    expect(page.locator("#results-announcer")).to_contain_text(f"{count} arealer")


def test_filtering_works_without_javascript(browser: Browser, investor_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(investor_server + "/investor")
    total = page.locator("li.nk-site").count()
    page.check("input[name=readiness][value=kommuneplan]")
    page.click("button[type=submit] >> text=Vis arealer")
    expect(page).to_have_url(re.compile(r"readiness=kommuneplan"))
    assert 0 < page.locator("li.nk-site").count() < total
    expect(page.locator("li.nk-site .nk-readiness").first).to_contain_text("I kommuneplan")
    context.close()


def test_selecting_in_the_list_highlights_on_the_map_and_back(page: Page,
                                                            investor_server: str) -> None:
    page.goto(investor_server + "/investor")
    _wait_for_map(page)
    button = page.locator("#site-ASK-002 .nk-show-on-map")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#investor-map")).to_have_attribute("data-selected", "ASK-002")
    expect(page.locator("#site-ASK-002")).to_have_attribute("aria-current", "true")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Asker")
    # From the map to the list.
    page.evaluate("""() => {
        const api = window.NaeringskartInvestor;
        api.map.eachLayer(l => { if (l.feature && l.feature.id === 'ASK-006') l.fire('click'); });
    }""")
    expect(page.locator("#site-ASK-006")).to_have_class(re.compile("is-selected"))
    expect(page.locator("#site-ASK-002")).not_to_have_class(re.compile("is-selected"))


def test_open_a_fact_sheet_from_the_list_and_from_the_map(page: Page, investor_server: str) -> None:
    page.goto(investor_server + "/investor")
    _wait_for_map(page)
    name = page.locator("#site-ASK-001 .nk-site-name a").inner_text()
    page.click("#site-ASK-001 .nk-site-name a")
    expect(page).to_have_url(re.compile(r"/investor/tomt/ASK-001$"))
    expect(page.locator("h1")).to_have_text(name)
    page.wait_for_selector("#site-map[data-loaded]", state="attached")
    page.go_back()
    _wait_for_map(page)
    page.locator("#site-ASK-002 .nk-show-on-map").click()
    page.locator(".leaflet-popup-content a.nk-popup-link").click()
    expect(page).to_have_url(re.compile(r"/investor/tomt/ASK-002$"))


def test_click_on_a_map_shape_opens_its_popup(page: Page, investor_server: str) -> None:
    page.goto(investor_server + "/investor?tettsted=Tofte")
    assert _wait_for_map(page) >= 1
    page.locator("#investor-map path[data-site-key]").first.click(force=True)
    expect(page.locator(".leaflet-popup-content .nk-popup-link")).to_be_visible()


def test_compare_from_the_shortlist_and_from_a_link(page: Page, investor_server: str) -> None:
    page.goto(investor_server + "/investor")
    _wait_for_map(page)
    page.check("#site-ASK-001 input.nk-shortlist")
    page.check("#site-ASK-002 input.nk-shortlist")
    page.click("text=Sammenlign valgte arealer")
    expect(page).to_have_url(re.compile(r"/investor/sammenlign\?sites=ASK-001(,|%2C)ASK-002"))
    expect(page.locator("table.nk-compare thead th")).to_have_count(2)
    page.goto(investor_server + "/en/investor/compare?sites=ASK-003,ASK-004,ASK-005,ASK-006,ASK-007")
    expect(page.locator("table.nk-compare thead th")).to_have_count(4)
    expect(page.locator("main")).to_contain_text("at most 4")


def test_interest_form_submits_and_is_rejected_without_csrf(page: Page, investor_server: str,
                                                            investor_db_url: str) -> None:
    before = query(investor_db_url, "SELECT count(*) FROM interest_request")[0][0]
    page.goto(investor_server + "/investor/tomt/ASK-001")
    page.click("text=Meld interesse for dette arealet >> nth=0")
    page.fill("#name", "Nettleser Testesen")
    page.fill("#email", "nettleser@example.com")
    page.fill("#need", "2 000 m² kontor")
    page.check("#consent")
    page.click("text=Send henvendelsen")
    expect(page.locator("h1")).to_have_text("Takk for henvendelsen")
    expect(page.locator("main")).not_to_contain_text("Nettleser")
    assert query(investor_db_url, "SELECT count(*) FROM interest_request")[0][0] == before + 1
    # The same form with its CSRF token removed is refused and stores nothing.
    page.goto(investor_server + "/investor/meld-interesse")
    page.fill("#name", "Uten Token")
    page.fill("#email", "uten@example.com")
    page.fill("#need", "noe")
    page.check("#consent")
    page.evaluate("() => document.querySelector('input[name=csrf_token]').remove()")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("text=Send henvendelsen")
    assert answer.value.status == 400
    assert query(investor_db_url, "SELECT count(*) FROM interest_request")[0][0] == before + 1


def test_invalid_form_moves_focus_to_the_error_summary(page: Page, investor_server: str) -> None:
    page.goto(investor_server + "/en/investor/interest")
    page.click("text=Send the request")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Enter your name.")
    page.locator("#error-summary a", has_text="Enter your e-mail address.").click()
    expect(page.locator("#email")).to_be_focused()


def test_switch_language_keeps_page_and_filters(page: Page, investor_server: str) -> None:
    page.goto(investor_server + "/investor?tettsted=Asker&sort=area_desc")
    assert page.locator("html").get_attribute("lang") == "nb"
    page.click(".language-nav a")
    expect(page).to_have_url(re.compile(r"/en/investor\?tettsted=Asker&sort=area_desc$"))
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text("Invest in Asker")
    expect(page.locator("#tettsted")).to_have_value("Asker")
    page.locator("li.nk-site .nk-site-name a").first.click()
    expect(page).to_have_url(re.compile(r"/en/investor/site/"))
    page.click(".language-nav a")
    expect(page).to_have_url(re.compile(r"/investor/tomt/"))
    assert page.locator("html").get_attribute("lang") == "nb"


def test_markup_typed_by_planners_never_runs(page: Page, investor_server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(investor_server + "/investor?tettsted=Asker")
    _wait_for_map(page)
    expect(page.locator("#site-XSS-1 .nk-site-name")).to_contain_text("<script>window.nkXss=1")
    page.locator("#site-XSS-1 .nk-show-on-map").click()
    expect(page.locator(".leaflet-popup-content h2")).to_contain_text("<b>Fet</b> tomt")
    page.goto(investor_server + "/investor/tomt/XSS-1")
    expect(page.locator("h1")).to_contain_text("<script>")
    page.goto(investor_server + "/investor/sammenlign?sites=XSS-1,ASK-001")
    assert page.evaluate("() => window.nkXss") is None and dialogs == []


@pytest.mark.parametrize("width", [1280, 390])
def test_investor_pages_meet_wcag_aa(browser: Browser, investor_server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    serve_blank_basemap(page)
    paths = ["/investor", "/en/investor", "/investor/tomt/ASK-001", "/en/investor/site/ASK-030",
             "/investor/meld-interesse?site=ASK-001", "/en/investor/interest",
             "/investor/sammenlign?sites=ASK-001,ASK-030", "/en/investor/compare?sites=ASK-002",
             "/investor?area_min=999999999"]
    for path in paths:
        page.goto(investor_server + path)
        if page.locator("#investor-map").count() and page.locator("li.nk-site").count():
            _wait_for_map(page)
        violations = axe_violations(page)
        assert violations == [], f"{path} at {width}px:\n{describe(violations)}"
    # The form with its error messages showing.
    page.goto(investor_server + "/investor/meld-interesse")
    page.click("text=Send henvendelsen")
    violations = axe_violations(page)
    assert violations == [], f"form with errors at {width}px:\n{describe(violations)}"
    context.close()
