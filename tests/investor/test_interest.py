"""'Meld interesse': CSRF, validation, storage, rate limit, nothing of anyone shown back."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.investor.conftest import query

FORM = {"name": "Kari Investor", "company": "Eksempel AS", "email": "kari@example.com",
        "need": "3 000 m² lager", "message": "Hei!", "consent": "y", "site": "ASK-001"}


def _token(client: FlaskClient, path: str = "/investor/meld-interesse") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def _client(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _count(url: str) -> int:
    return int(query(url, "SELECT count(*) FROM interest_request")[0][0])  # type: ignore[arg-type]


def test_form_without_csrf_token_is_rejected(investor_client: FlaskClient,
                                             investor_db_url: str) -> None:
    before = _count(investor_db_url)
    response = investor_client.post("/investor/meld-interesse", data=FORM)
    assert response.status_code == 400
    assert _count(investor_db_url) == before


def test_valid_request_is_stored_and_nothing_is_shown_back(investor_app: Flask,
                                                           investor_db_url: str) -> None:
    client = _client(investor_app, "10.0.0.1")
    page = client.get("/investor/meld-interesse?site=ASK-001").get_data(as_text=True)
    assert "Asker sentrum nord, kontortomt" in page and 'value="ASK-001"' in page
    response = client.post("/investor/meld-interesse",
                           data={**FORM, "csrf_token": _token(client)})
    assert response.status_code == 303 and response.location.endswith("/investor/meld-interesse/takk")
    rows = query(investor_db_url, "SELECT r.name, r.email, r.lang, s.site_key, r.consent "
                                  "FROM interest_request r LEFT JOIN site s ON s.id = r.site_id "
                                  "ORDER BY r.id DESC LIMIT 1")
    assert rows[0] == ("Kari Investor", "kari@example.com", "nb", "ASK-001", True)
    thanks = client.get(response.location).get_data(as_text=True)
    assert "Takk for henvendelsen" in thanks and "Kari" not in thanks and "kari@" not in thanks
    # A fresh visitor's form is empty: nobody sees what another person typed.
    other = investor_app.test_client().get("/investor/meld-interesse").get_data(as_text=True)
    assert "Kari" not in other and "kari@example.com" not in other


def test_invalid_input_gets_clear_messages(investor_app: Flask, investor_db_url: str) -> None:
    client = _client(investor_app, "10.0.0.2")
    before = _count(investor_db_url)
    data = {**FORM, "name": "", "email": "ikke-en-adresse", "consent": "",
            "csrf_token": _token(client)}
    response = client.post("/investor/meld-interesse", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and _count(investor_db_url) == before
    assert "Skriv navnet ditt." in html and "Skriv en gyldig e-postadresse" in html
    assert "Du må samtykke" in html and 'aria-invalid="true"' in html
    assert 'href="#email"' in html  # the error summary links to the field
    en = _client(investor_app, "10.0.0.2")
    response = en.post("/en/investor/interest", data={**data, "csrf_token": _token(
        en, "/en/investor/interest")})
    assert "Enter your name." in response.get_data(as_text=True)


def test_rate_limit_per_address(investor_app: Flask, investor_db_url: str) -> None:
    client = _client(investor_app, "10.0.0.3")
    token = _token(client)
    statuses = [client.post("/investor/meld-interesse", data={**FORM, "csrf_token": token}
                            ).status_code for _ in range(6)]
    assert statuses == [303] * 5 + [429]
    other = _client(investor_app, "10.0.0.4")
    assert other.post("/investor/meld-interesse",
                      data={**FORM, "csrf_token": _token(other)}).status_code == 303
    hashes = query(investor_db_url, "SELECT client_hash FROM submission_throttle")
    assert hashes and all("10.0.0" not in str(h[0]) for h in hashes)


def test_interest_requests_are_never_public(investor_client: FlaskClient) -> None:
    for path in ("/investor", "/api/investor/sites", "/investor/tomt/ASK-001",
                 "/investor/eksport.csv"):
        assert "kari@example.com" not in investor_client.get(path).get_data(as_text=True)


def test_thanks_page_gives_reference_site_and_response_time(investor_app: Flask,
                                                           investor_db_url: str) -> None:
    client = _client(investor_app, "10.0.0.77")
    client.get("/en/investor/interest?site=ASK-002")
    response = client.post("/en/investor/interest",
                           data={**FORM, "site": "ASK-002", "csrf_token": _token(client)})
    assert response.status_code == 303
    request_id = query(investor_db_url, "SELECT max(id) FROM interest_request")[0][0]
    thanks = client.get(response.location).get_data(as_text=True)
    assert f"NK-{request_id:06d}" in thanks
    assert "Asker stasjon øst, kombinert tomt" in thanks and 'href="/en/investor/site/ASK-002"' in thanks
    assert "Within 5 working days" in thanks and "Kari" not in thanks
    # The receipt belongs to the sender's browser: another visitor sees no reference.
    other = investor_app.test_client().get("/en/investor/interest/thanks").get_data(as_text=True)
    assert "NK-" not in other and "ASK-002" not in other

