"""Unknown and withdrawn sites get the site's own 404/410 page with links back; a favicon."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.investor.conftest import query


def _withdrawn_key(investor_db_url: str) -> str:
    return str(
        query(investor_db_url, "SELECT site_key FROM site WHERE status = 'trukket_tilbake' LIMIT 1")[0][0]
    )


def test_unknown_site_is_a_branded_404_with_links_back(investor_client: FlaskClient) -> None:
    response = investor_client.get("/investor/tomt/FINNES-IKKE")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Fant ikke siden" in page and 'class="site-header"' in page
    assert 'href="/investor"' in page and 'href="/investor/meld-interesse"' in page
    english = investor_client.get("/en/investor/site/NO-SUCH-SITE")
    assert english.status_code == 404 and "Page not found" in english.get_data(as_text=True)
    assert 'href="/en/investor"' in english.get_data(as_text=True)
    typo = investor_client.get("/investor/tomt/ASK-001/finnes-ikke")
    assert typo.status_code == 404 and "Se alle ledige arealer" in typo.get_data(as_text=True)


def test_withdrawn_site_is_gone_not_unknown(investor_client: FlaskClient, investor_db_url: str) -> None:
    key = _withdrawn_key(investor_db_url)
    response = investor_client.get(f"/investor/tomt/{key}")
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "Arealet er trukket tilbake" in page and 'href="/investor"' in page
    assert investor_client.get(f"/en/investor/site/{key}/pdf").status_code == 410
    english = investor_client.get(f"/en/investor/site/{key}").get_data(as_text=True)
    assert "This site has been withdrawn" in english


def test_api_errors_stay_json(investor_client: FlaskClient) -> None:
    response = investor_client.get("/api/no-such-endpoint")
    assert response.status_code == 404 and response.is_json


def test_favicon(investor_client: FlaskClient) -> None:
    page = investor_client.get("/investor").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = investor_client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.get_data(as_text=True).startswith("<svg")
