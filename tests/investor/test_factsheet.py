"""A site's fact sheet: overlay with current plans, surroundings, contact, PDF."""

from __future__ import annotations

import re
import zlib

from flask.testing import FlaskClient

from tests.investor.conftest import query


def sheet(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_zoning_comes_from_current_adopted_plans_only(investor_client: FlaskClient) -> None:
    html = sheet(investor_client, "/investor/tomt/ASK-001")
    plans = html.split('id="plans-heading"')[1].split("</section>")[0]
    assert "Detaljreguleringsplan for Asker nord næringsområde" in plans and "1310 Kontor" in plans
    assert "%-BRA = 250 %" in plans and "100 %" in plans
    assert "FORSLAG" not in plans and "ERSTATTET" not in plans


def test_surroundings_station_workplaces_buildings_centres(investor_client: FlaskClient) -> None:
    html = sheet(investor_client, "/investor/tomt/ASK-001")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Asker stasjon" in text
    assert "Befolkning i tettstedet 28 410" in text.replace("\u00a0", " ")
    assert "12 345 (2024) – fiktivt tall" in text.replace("\u00a0", " ")
    assert ("Bygninger på arealet 3 (Kontor- og administrasjonsbygning, rådhus (311): 2, "
            "Lagerhall (231): 1)") in text
    assert "Asker sentrum (regionsenter)" in text
    english = re.sub(r"<[^>]+>", " ", sheet(investor_client, "/en/investor/site/ASK-001"))
    assert "Asker sentrum (regional centre)" in english and "Office" in english


def test_a_site_without_plans_or_data_says_so(investor_client: FlaskClient) -> None:
    html = sheet(investor_client, "/investor/tomt/ASK-035")
    assert "Ingen gjeldende planer i databasen dekker arealet." in html
    assert "Ingen registrerte bygninger" in html
    assert "Fokusområde: Asker syd" in html and "Avgrensningen er illustrativ." in html


def test_contact_person_only_when_marked_public(investor_client: FlaskClient,
                                                investor_db_url: str) -> None:
    email = query(investor_db_url, "SELECT contact_email FROM site WHERE site_key = 'ASK-002'")[0][0]
    assert email
    html = sheet(investor_client, "/investor/tomt/ASK-002")
    assert str(email) not in html and "naering@example.no" in html
    query(investor_db_url, "UPDATE site SET contact_public = true WHERE site_key = 'ASK-002'")
    try:
        assert str(email) in sheet(investor_client, "/investor/tomt/ASK-002")
    finally:
        query(investor_db_url, "UPDATE site SET contact_public = false WHERE site_key = 'ASK-002'")


def test_unpublished_and_unknown_sites_are_not_found(investor_client: FlaskClient,
                                                     investor_db_url: str) -> None:
    # Withdrawn sites answer 410 (tests/investor/test_not_found.py); this one is only unpublished.
    hidden = query(investor_db_url, "SELECT site_key FROM site WHERE NOT published "
                                    "AND status <> 'trukket_tilbake' LIMIT 1")[0][0]
    assert investor_client.get(f"/investor/tomt/{hidden}").status_code == 404
    assert investor_client.get(f"/investor/tomt/{hidden}/pdf").status_code == 404
    assert investor_client.get("/en/investor/site/NOPE").status_code == 404


def test_english_fact_sheet(investor_client: FlaskClient) -> None:
    html = sheet(investor_client, "/en/investor/site/ASK-001")
    assert '<html lang="en">' in html and "Zoning and plans" in html and "Key facts" in html
    assert 'href="/investor/tomt/ASK-001"' in html  # the language switch
    assert "Fictional demo site" in html  # the English description


def test_print_stylesheet_hides_navigation(investor_client: FlaskClient) -> None:
    css = investor_client.get("/static/css/investor.css").get_data(as_text=True)
    print_rules = css.split("@media print")[1]
    assert ".site-header" in print_rules and ".nk-sheet-actions" in print_rules


def _pdf_text(data: bytes) -> str:
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            chunks.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            chunks.append(stream.decode("latin-1"))
    return "\n".join(chunks)


def test_pdf_is_a_valid_pdf_with_the_site_name(investor_client: FlaskClient) -> None:
    response = investor_client.get("/investor/tomt/ASK-001/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.data
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in data and b"xref" in data
    text = _pdf_text(data)
    assert "(Asker sentrum nord, kontortomt)" in text
    assert "Detaljreguleringsplan for Asker nord næringsområde" in text
    english = _pdf_text(investor_client.get("/en/investor/site/ASK-001/pdf").data)
    assert "Zoning and plans" in english


def test_pdf_of_a_site_with_markup_in_its_name(investor_client: FlaskClient) -> None:
    response = investor_client.get("/investor/tomt/XSS-1/pdf")
    assert response.status_code == 200
    assert "HEMMELIG" not in _pdf_text(response.data)
