"""A site's own zoning purpose against the current plan areas that cover it: a conflict is
flagged on the fact sheet (and its PDF) when a plan area allows none of the site's uses."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.investor.conftest import query
from tests.investor.test_factsheet import _pdf_text


def test_plan_area_that_allows_none_of_the_sites_uses_is_flagged(
    investor_client: FlaskClient, investor_db_url: str
) -> None:
    # ASK-004 is listed as 1350 Lager; a current plan puts part of it in 3040 Friområde and the
    # rest in 1350 Lager (which agrees and must not be flagged).
    query(
        investor_db_url,
        """
        INSERT INTO plan (id, nasjonal_arealplan_id, kommunenummer, planidentifikasjon, plannavn,
                          plantype, planstatus, version, is_current, geom)
        SELECT 905, '3203-T5', '3203', 'T5', 'Testplan friområde', 35, 3, 1, true,
               ST_Multi(ST_Buffer(geom, 100)) FROM site WHERE site_key = 'ASK-004';
        -- The western two fifths of the site in Friområde, the rest in Lager.
        WITH s AS (SELECT geom, ST_XMin(geom) AS x0, ST_XMax(geom) AS x1, ST_YMin(geom) AS y0,
                          ST_YMax(geom) AS y1, ST_SRID(geom) AS srid
                   FROM site WHERE site_key = 'ASK-004')
        INSERT INTO plan_area (plan_id, code, code_list, code_name, geom)
        SELECT 905, v.code, 'rp2008', v.name, ST_Multi(ST_Intersection(s.geom, ST_MakeEnvelope(
                   s.x0 + v.west * (s.x1 - s.x0), s.y0, s.x0 + v.east * (s.x1 - s.x0), s.y1,
                   s.srid)))
        FROM s, (VALUES ('3040', 'Friområde', 0.0, 0.4),
                        ('1350', 'Lager', 0.4, 1.0)) AS v(code, name, west, east)""",
    )
    try:
        html = investor_client.get("/investor/tomt/ASK-004").get_data(as_text=True)
        box = html.split('class="nk-conflict"')[1].split("</div>")[0]
        assert "Mulig reguleringskonflikt" in box and "1350 Lager" in box
        assert "3040 Friområde (Testplan friområde)" in box
        assert "i 1350" not in box
        english = investor_client.get("/en/investor/site/ASK-004").get_data(as_text=True)
        assert "Possible zoning conflict" in english and "3040 Public open space" in english
        pdf = _pdf_text(investor_client.get("/investor/tomt/ASK-004/pdf").data)
        assert "Mulig reguleringskonflikt" in pdf
        # Side by side with an agreeing site, the compare page flags only ASK-004.
        compare = investor_client.get("/en/investor/compare?sites=ASK-001,ASK-004").get_data(as_text=True)
        row = compare.split("<th scope=\"row\">Possible zoning conflict</th>")[1].split("</tr>")[0]
        cells = row.split("<td>")[1:]
        assert "None found" in cells[0]
        assert "3040 Public open space (Testplan friområde)" in cells[1] and "1350" not in cells[1]
    finally:
        query(investor_db_url, "DELETE FROM plan_area WHERE plan_id = 905; DELETE FROM plan WHERE id = 905")


def test_agreeing_plan_is_no_conflict(investor_client: FlaskClient) -> None:
    # ASK-001 (1310 Kontor) lies in the fixture's 1310 Kontor plan area.
    html = investor_client.get("/investor/tomt/ASK-001").get_data(as_text=True)
    assert "Detaljreguleringsplan for Asker nord næringsområde" in html and "nk-conflict" not in html
