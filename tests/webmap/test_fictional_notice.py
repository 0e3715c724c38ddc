"""The demo data is fictional, and every page says so: map, investor pages (also an empty
result), fact sheets, indicators, the site finder, the planner's pages and error pages."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser

NOTICE = {"nb": "Fiktive data", "en": "Fictional data"}

PAGES = [
    ("/", 200, "nb"),
    ("/en/", 200, "en"),
    ("/investor", 200, "nb"),
    ("/en/investor", 200, "en"),
    # A search that finds no (fictional) site still runs on fictional data.
    ("/investor?area_min=999999999", 200, "nb"),
    ("/investor/tomt/ASK-001", 200, "nb"),
    ("/en/investor/site/ASK-001", 200, "en"),
    ("/investor/sammenlign?sites=ASK-001,ASK-002", 200, "nb"),
    ("/investor/meld-interesse", 200, "nb"),
    ("/indikatorer", 200, "nb"),
    ("/en/indicators", 200, "en"),
    ("/finn-tomt", 200, "nb"),
    ("/en/find-site", 200, "en"),
    ("/planner/logg-inn", 200, "nb"),
    ("/en/planner/sign-in", 200, "en"),
    ("/finnes-ikke", 404, "nb"),
    ("/en/missing", 404, "en"),
    ("/investor/tomt/FINNES-IKKE", 404, "nb"),
]


@pytest.mark.parametrize(("path", "status", "lang"), PAGES)
def test_every_page_says_the_data_is_fictional(
    client: FlaskClient, path: str, status: int, lang: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert 'class="fictional-notice"' in html
    assert NOTICE[lang] in html
    assert f'<html lang="{lang}">' in html


def test_error_pages_are_pages_of_the_site_in_the_page_language(client: FlaskClient) -> None:
    nb = client.get("/finnes-ikke").get_data(as_text=True)
    en = client.get("/en/missing").get_data(as_text=True)
    assert "Fant ikke siden" in nb and 'href="/"' in nb
    assert "Page not found" in en and 'href="/en/"' in en
    assert "Skip to main content" in en


def test_no_notice_without_fictional_data(client: FlaskClient, db_url: str) -> None:
    from tests.conftest import make_settings
    from webmap import create_app

    app = create_app(make_settings(db_url))
    html = app.test_client().get("/finnes-ikke").get_data(as_text=True)
    assert "fictional-notice" not in html


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_error_page_meets_wcag_aa(browser: Browser, live_server: str, width: int) -> None:
    from tests.axe import axe_violations, describe

    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    for path in ("/finnes-ikke", "/en/missing"):
        page.goto(live_server + path)
        violations = axe_violations(page)
        assert violations == [], f"{path} at {width}px:\n{describe(violations)}"
    context.close()
