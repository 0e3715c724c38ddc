"""Allowed floor area: the plan's %-BRA / %-BYA (or BRA / BYA in m²) applied to the site."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.investor.conftest import query
from tests.investor.test_factsheet import _pdf_text


def _whole(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_allowed_floor_area_from_percent_bra_and_site_area(
    investor_client: FlaskClient, investor_db_url: str
) -> None:
    # The fixture's current plan gives ASK-001 %-BRA = 250 % over the whole site.
    site_area = float(
        str(query(investor_db_url, "SELECT ST_Area(geom) FROM site WHERE site_key = 'ASK-001'")[0][0])
    )
    html = investor_client.get("/investor/tomt/ASK-001").get_data(as_text=True)
    fact = html.split('class="nk-allowed-area"')[1].split("</div>")[0]
    assert "Tillatt bruksareal (BRA)" in fact and "Detaljreguleringsplan for Asker nord næringsområde" in fact
    shown = _whole(fact.split("<dd>")[1].split("m²")[0])
    assert abs(shown - 2.5 * site_area) <= 1
    english = investor_client.get("/en/investor/site/ASK-001").get_data(as_text=True)
    assert "Allowed floor area (BRA)" in english and "%-BRA (floor area) = 250 %" in english
    pdf = _pdf_text(investor_client.get("/investor/tomt/ASK-001/pdf").data)
    assert "Tillatt bruksareal" in pdf
    # The compare page shows the same figure beside a site no plan gives one.
    compare = investor_client.get("/investor/sammenlign?sites=ASK-001,ASK-002").get_data(as_text=True)
    row = compare.split('<th scope="row">Tillatt utbygging</th>')[1].split("</tr>")[0]
    first, second = row.split("<td>")[1:]
    assert _whole(first.split("m²")[0]) == shown and "BRA" in first
    assert second.startswith("–")


def test_bya_in_square_metres_is_shared_by_the_part_of_the_plan_area(
    investor_client: FlaskClient, investor_db_url: str
) -> None:
    # A plan area twice the size of ASK-002 with BYA = 4 000 m²: half of it falls on the site.
    query(
        investor_db_url,
        """
        INSERT INTO plan (id, nasjonal_arealplan_id, kommunenummer, planidentifikasjon, plannavn,
                          plantype, planstatus, version, is_current, geom)
        SELECT 904, '3203-T4', '3203', 'T4', 'Testplan BYA', 35, 3, 1, true,
               ST_Multi(ST_Buffer(geom, 200)) FROM site WHERE site_key = 'ASK-002';
        INSERT INTO plan_area (plan_id, code, code_list, code_name, utnytting_type,
                               utnytting_tall, geom)
        SELECT 904, '1310', 'rp2008', 'Kontor', 15, 4000,
               ST_Multi(ST_Union(geom, ST_Translate(geom, 0, 500))) FROM site
        WHERE site_key = 'ASK-002'""",
    )
    try:
        html = investor_client.get("/investor/tomt/ASK-002").get_data(as_text=True)
        fact = html.split('class="nk-allowed-area"')[1].split("</div>")[0]
        assert "Tillatt bebygd areal (BYA)" in fact
        assert abs(_whole(fact.split("<dd>")[1].split("m²")[0]) - 2000) <= 1
    finally:
        query(investor_db_url, "DELETE FROM plan_area WHERE plan_id = 904; DELETE FROM plan WHERE id = 904")


def test_no_allowed_area_without_a_plan_that_gives_it(investor_client: FlaskClient) -> None:
    html = investor_client.get("/investor/tomt/ASK-004").get_data(as_text=True)
    assert "nk-allowed-area" not in html
