"""The NHO rank form in Debian's chromium: sign in, enter a rank, see it on the dashboard; WCAG
checks of the form (empty and with errors) in both languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from gis.cluster import LocalCluster
from tests.axe import axe_violations, describe
from tests.planner.conftest import PLANNER_PASSWORD, planner_app_served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(cluster: LocalCluster, migrated_template: str) -> Iterator[str]:
    """The app on a database of its own (the test stores a rank), served over HTTP."""
    with planner_app_served(cluster, migrated_template, "nk_nho_browser") as base_url:
        yield base_url


def _sign_in(page: Page, server: str, path: str) -> None:
    page.goto(server + path)
    expect(page).to_have_url(f"{server}/planner/logg-inn?next={path}")
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord", exact=True).fill(PLANNER_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(server + path)


def test_enter_a_rank_and_see_it_on_the_dashboard(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    _sign_in(page, server, "/planner/indikatorer/nho")
    page.get_by_label("År (utgaven av Kommune-NM)").fill("2023")
    page.get_by_label("Plassering i landet").fill("11")
    page.get_by_label("Plassering i fylket").fill("3")
    page.get_by_label("Kilde", exact=True).fill("NHO Kommune-NM 2023")
    page.get_by_label("Dato for kilden").fill("2023-06-14")
    page.get_by_role("button", name="Lagre plasseringen").click()
    expect(page).to_have_url(server + "/indikatorer#nho_rank")
    expect(page.get_by_role("status")).to_contain_text("NHO-plasseringen for 2023 er lagret.")
    row = page.locator("#nho_rank table tbody tr", has=page.get_by_role("rowheader", name="2023"))
    expect(row).to_contain_text("11")
    expect(row).to_contain_text("NHO Kommune-NM 2023")
    expect(row).to_contain_text("2023-06-14")
    county = page.locator("#nho_county_rank table tbody tr",
                          has=page.get_by_role("rowheader", name="2023"))
    expect(county).to_contain_text("3")
    # The dashboard as a signed-in planner sees it: the confirmation and the link to the form.
    violations = axe_violations(page)
    assert violations == [], f"dashboard after saving:\n{describe(violations)}"
    context.close()


def test_the_form_meets_wcag_aa_in_both_languages(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    _sign_in(page, server, "/planner/indikatorer/nho")
    for path in ("/planner/indikatorer/nho", "/en/planner/indicators/nho"):
        page.goto(server + path)
        violations = axe_violations(page)
        assert violations == [], f"{path}:\n{describe(violations)}"
        # With errors: the messages are linked from the summary and named by the fields.
        page.locator("#rank").fill("0")
        page.locator("#source").fill("")
        page.locator("main button[type=submit]").click()
        expect(page.get_by_role("alert")).to_be_visible()
        expect(page.locator("#rank")).to_have_attribute("aria-invalid", "true")
        violations = axe_violations(page)
        assert violations == [], f"{path} with errors:\n{describe(violations)}"
    expect(page.get_by_role("alert")).to_contain_text("The rank must be a whole number")
    context.close()
