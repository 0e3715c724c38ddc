"""Road access as structured data: the nearest main-road junction and ferry quay of every site,
filtered, sorted and shown on the card, fact sheet, comparison, CSV and PDF."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from tests.investor.test_catalogue import listed
from tests.investor.test_factsheet import _pdf_text


def test_junction_distance_is_computed_filtered_and_sorted(investor_client: FlaskClient) -> None:
    features = investor_client.get("/api/investor/sites?sort=road").get_json()["features"]
    by_key = {f["id"]: f["properties"] for f in features}
    # The test junction lies 1 km east of ASK-001's inner point; the distance is to the edge.
    assert by_key["ASK-001"]["road_junction_name"] == "Testkryss Drengsrud"
    assert by_key["ASK-001"]["road_vegnummer"] == "E18"
    assert 850 <= by_key["ASK-001"]["road_distance_m"] <= 1000
    distances = [f["properties"]["road_distance_m"] for f in features]
    assert None not in distances and distances == sorted(distances)
    near = listed(investor_client, "/investor?road_max_m=2000")
    assert "ASK-001" in near and len(near) < len(features)
    assert all(by_key[key]["road_distance_m"] <= 2000 for key in near)


def test_road_access_on_card_sheet_and_comparison(investor_client: FlaskClient) -> None:
    catalogue = investor_client.get("/investor").get_data(as_text=True)
    assert 'id="road_max_m"' in catalogue and 'value="road"' in catalogue
    card = catalogue.split('id="site-ASK-001"')[1].split("</li>")[0]
    assert "Hovedvegkryss" in card and "E18 Testkryss Drengsrud" in card
    sheet = investor_client.get("/en/investor/site/ASK-001").get_data(as_text=True)
    assert "Nearest main-road junction" in sheet and "E18 Testkryss Drengsrud" in sheet
    slemmestad = investor_client.get("/investor/tomt/ASK-018").get_data(as_text=True)
    assert "Nærmeste fergekai" in slemmestad and "Slemmestad brygge" in slemmestad
    compare = investor_client.get("/investor/sammenlign?sites=ASK-001,ASK-018")
    row = compare.get_data(as_text=True).split("Nærmeste hovedvegkryss")[1].split("</tr>")[0]
    assert row.count("Testkryss Drengsrud") == 2


def test_road_access_in_csv_and_pdf(investor_client: FlaskClient) -> None:
    text = investor_client.get("/investor/eksport.csv").data.decode("utf-8-sig")
    rows = {r["site_key"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert rows["ASK-001"]["road_junction_name"] == "Testkryss Drengsrud"
    assert 850 <= int(rows["ASK-001"]["road_distance_m"]) <= 1000
    assert rows["ASK-018"]["port_name"] == "Slemmestad brygge"
    english = investor_client.get("/en/investor/export.csv").data.decode("utf-8-sig")
    first = next(csv.DictReader(io.StringIO(english)))
    assert first["Distance to main-road junction (m)"].isdigit()
    pdf = _pdf_text(investor_client.get("/investor/tomt/ASK-001/pdf").data)
    assert "Nærmeste hovedvegkryss" in pdf and "Testkryss Drengsrud" in pdf


def test_a_junction_named_after_its_road_says_the_road_once(investor_client: FlaskClient) -> None:
    from webmap.investor.presenting import road_access_label

    with investor_client.application.test_request_context("/en/investor"):
        named = {"road_junction_name": "E18 Asker (Drengsrud)", "road_vegnummer": "E18",
                 "road_distance_m": 976}
        assert road_access_label(named) == "E18 Asker (Drengsrud), 976 m"
        plain = {**named, "road_junction_name": "Drengsrud"}
        assert road_access_label(plain) == "E18 Drengsrud, 976 m"
        other_road = {**named, "road_junction_name": "E180 Nord"}
        assert road_access_label(other_road) == "E18 E180 Nord, 976 m"
