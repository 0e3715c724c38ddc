"""The catalogue: every published site, filters that narrow it, sorting, unmet demand."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from gis.abc.zoning import compatible_codes
from tests.investor.conftest import query

SITE_ITEM = re.compile(r'<li class="nk-site" id="site-([^"]+)"')


def listed(client: FlaskClient, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    return SITE_ITEM.findall(response.get_data(as_text=True))


def test_lists_every_available_published_site_and_nothing_else(
        investor_client: FlaskClient, investor_db_url: str) -> None:
    available = {r[0] for r in query(
        investor_db_url, "SELECT site_key FROM site WHERE published AND status = 'ledig'")}
    taken = {r[0] for r in query(
        investor_db_url, "SELECT site_key FROM site WHERE NOT published OR status <> 'ledig'")}
    assert taken, "the demo data has unpublished, reserved and developed sites"
    keys = listed(investor_client, "/investor")
    assert set(keys) == available and len(keys) == len(available)
    html = investor_client.get("/investor").get_data(as_text=True)
    assert f"{len(available)} arealer passer til søket." in html
    api = investor_client.get("/api/investor/sites").get_json()["features"]
    assert {f["id"] for f in api} == available
    export = investor_client.get("/investor/eksport.csv").get_data(as_text=True)
    assert not any(f"\n{key};" in export for key in taken)


def _card(html: str, key: str) -> str:
    return html.split(f'id="site-{key}"')[1].split("</li>")[0]


def test_status_and_readiness_badges_never_contradict(investor_client: FlaskClient,
                                                      investor_db_url: str) -> None:
    statuses = "&".join(f"status={s}" for s in ("ledig", "reservert", "under_utbygging", "utbygd"))
    html = investor_client.get("/investor?" + statuses).get_data(as_text=True)
    rows = query(investor_db_url, "SELECT site_key, status FROM site WHERE published "
                                  "AND readiness = 'ledig_naa'")
    taken = [key for key, status in rows if status != "ledig"]
    assert taken, "the demo data has reserved sites that are ready to build"
    for key, status in rows:
        card = _card(html, str(key))
        if status == "ledig":
            assert "Ledig nå" in card and "nk-status-" not in card
        else:
            assert "Ledig nå" not in card and "Byggeklar" in card
            assert f"nk-status-{status}" in card
    developed = query(investor_db_url, "SELECT site_key FROM site WHERE published "
                                       "AND status = 'utbygd' LIMIT 1")[0][0]
    sheet = investor_client.get(f"/investor/tomt/{developed}").get_data(as_text=True)
    assert "Dette arealet er ikke ledig: utbygd." in sheet
    assert '<span class="nk-badge nk-status nk-status-utbygd">' in sheet


def test_api_gives_the_same_sites_as_the_list(investor_client: FlaskClient) -> None:
    path = "?area_min=3000&readiness=ledig_naa&readiness=regulert&sort=area_desc"
    keys = listed(investor_client, "/investor" + path)
    features = investor_client.get("/api/investor/sites" + path).get_json()["features"]
    assert [f["id"] for f in features] == keys
    areas = [f["properties"]["area_m2"] for f in features]
    assert areas == sorted(areas, reverse=True) and min(areas) >= 3000
    assert {f["properties"]["readiness"] for f in features} <= {"ledig_naa", "regulert"}


@pytest.mark.parametrize(("params", "column", "check"), [
    ("area_min=2000&area_max=8000", "area_m2", lambda v: 2000 <= float(v) <= 8000),
    ("ownership=kommunal", "ownership", lambda v: v == "kommunal"),
    ("tettsted=Røyken", "tettsted", lambda v: v == "Røyken"),
    ("readiness=kommuneplan", "readiness", lambda v: v == "kommuneplan"),
    ("category=lager", "zoning_code", lambda v: v in compatible_codes("lager")),
    ("status=reservert&status=utbygd", "status", lambda v: v in ("reservert", "utbygd")),
])
def test_each_filter_narrows_to_matching_sites(investor_client: FlaskClient, investor_db_url: str,
                                               params: str, column: str, check: object) -> None:
    keys = listed(investor_client, "/investor?" + params)
    assert keys, params
    columns = ("area_m2", "ownership", "tettsted", "readiness", "zoning_code", "status")
    rows = query(investor_db_url, "SELECT site_key, area_m2, ownership, tettsted, readiness, "
                                  "zoning_code, status FROM site WHERE published")
    if "status=" not in params:  # without a status filter only available sites are listed
        rows = [row for row in rows if row[6] == "ledig"]
    position = 1 + columns.index(column)
    expected = {row[0] for row in rows
                if row[position] is not None and check(row[position])}  # type: ignore[operator]
    assert set(keys) == expected


def test_focus_area_filter_and_badge(investor_client: FlaskClient, investor_db_url: str) -> None:
    focus_id = query(investor_db_url, "SELECT id FROM focus_area WHERE name_nb = 'Asker syd'")[0][0]
    keys = listed(investor_client, f"/investor?focus={focus_id}")
    # The illustrative outline covers the Hurum peninsula: Sætre, Tofte and Holmsbu.
    tettsteder = {r[0] for r in query(
        investor_db_url, "SELECT DISTINCT tettsted FROM site WHERE site_key = ANY(%s)", (keys,))}
    assert keys and tettsteder <= {"Sætre", "Tofte", "Holmsbu"}
    html = investor_client.get("/investor").get_data(as_text=True)
    for key in keys:
        item = html.split(f'id="site-{key}"')[1].split("</li>")[0]
        assert "Fokusområde: Asker syd" in item
    outside = html.split('id="site-ASK-001"')[1].split("</li>")[0]
    assert "Fokusområde" not in outside


def test_rail_distance_is_computed_filtered_and_sorted(investor_client: FlaskClient) -> None:
    features = investor_client.get("/api/investor/sites?sort=distance").get_json()["features"]
    distances = [f["properties"]["rail_distance_m"] for f in features]
    known = [d for d in distances if d is not None]
    assert known == sorted(known) and distances[:len(known)] == known
    by_key = {f["id"]: f["properties"] for f in features}
    # ASK-001 lies about 440 m from Asker stasjon (demo description); never the bus stop.
    assert by_key["ASK-001"]["rail_name"] == "Asker stasjon"
    assert 250 <= by_key["ASK-001"]["rail_distance_m"] <= 650
    near = listed(investor_client, "/investor?rail_max_m=1000")
    assert "ASK-001" in near and "ASK-035" not in near
    assert all(by_key[k]["rail_distance_m"] <= 1000 for k in near)


def test_sort_by_area_both_ways(investor_client: FlaskClient) -> None:
    up = investor_client.get("/api/investor/sites?sort=area_asc").get_json()["features"]
    down = investor_client.get("/api/investor/sites?sort=area_desc").get_json()["features"]
    assert [f["id"] for f in up] == [f["id"] for f in reversed(down)] or \
        [f["properties"]["area_m2"] for f in up] == sorted(f["properties"]["area_m2"] for f in up)
    assert down[0]["properties"]["area_m2"] == max(f["properties"]["area_m2"] for f in down)


def test_empty_result_says_so_and_logs_unmet_demand_anonymously(
        investor_client: FlaskClient, investor_db_url: str) -> None:
    before = query(investor_db_url, "SELECT count(*) FROM unmet_demand")[0][0]
    response = investor_client.get("/investor?area_min=900000&category=lager&tettsted=Tofte",
                                   headers={"User-Agent": "tester", "X-Forwarded-For": "10.9.9.9"})
    html = response.get_data(as_text=True)
    assert "Ingen arealer passer til søket." in html and "Prøv å utvide søket" in html
    rows = query(investor_db_url, "SELECT area_min_m2, category, tettsted, filters::text "
                                  "FROM unmet_demand ORDER BY id DESC LIMIT 1")
    assert query(investor_db_url, "SELECT count(*) FROM unmet_demand")[0][0] == before + 1
    area_min, category, tettsted, filters = rows[0]
    assert (float(area_min), category, tettsted) == (900000.0, "lager", "Tofte")  # type: ignore[arg-type]
    assert "10.9.9.9" not in str(filters) and "tester" not in str(filters)
    columns = {r[0] for r in query(investor_db_url, "SELECT column_name FROM "
                                   "information_schema.columns WHERE table_name = 'unmet_demand'")}
    assert not columns & {"ip", "email", "name", "user_agent", "address"}


def test_a_search_without_filters_is_never_logged(investor_client: FlaskClient,
                                                  investor_db_url: str) -> None:
    before = query(investor_db_url, "SELECT count(*) FROM unmet_demand")[0][0]
    investor_client.get("/investor?sort=area_asc")
    assert query(investor_db_url, "SELECT count(*) FROM unmet_demand")[0][0] == before


def test_invalid_filters_are_named_and_ignored(investor_client: FlaskClient) -> None:
    response = investor_client.get("/investor?area_min=abc&readiness=bogus&rail_max_m=7")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ugyldige" in html and "area_min" in html and "readiness" in html
    data = investor_client.get("/api/investor/sites?area_min=NaN&area_max=-4").get_json()
    assert set(data["ignored"]) == {"area_min", "area_max"}


def test_abc_filter_is_hidden_until_classes_exist(investor_client: FlaskClient,
                                                  db_url: str) -> None:
    assert 'name="abc"' not in investor_client.get("/investor").get_data(as_text=True)
    from tests.conftest import make_settings
    from webmap import create_app

    query(db_url, "INSERT INTO site (site_key, name, area_m2, geom) VALUES ('A-1', 'Tomt A', 100, "
                  "ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(580000, 6630000), 25832), 20)))")
    query(db_url, "INSERT INTO site_accessibility (site_id, abc_class) SELECT id, 'A' FROM site")
    app = create_app(make_settings(db_url))
    client = app.test_client()
    html = client.get("/investor").get_data(as_text=True)
    assert 'name="abc"' in html and '<option value="A"' in html
    assert SITE_ITEM.findall(client.get("/investor?abc=A").get_data(as_text=True)) == ["A-1"]
    assert SITE_ITEM.findall(client.get("/investor?abc=B").get_data(as_text=True)) == []
    with app.app_context():
        from webmap.database import get_engine

        get_engine().dispose()


def test_planner_text_is_escaped_and_internal_fields_never_leave(
        investor_client: FlaskClient) -> None:
    pages = [investor_client.get(p).get_data(as_text=True) for p in (
        "/investor", "/investor/tomt/XSS-1", "/en/investor/site/XSS-1",
        "/investor/sammenlign?sites=XSS-1", "/investor/meld-interesse?site=XSS-1",
        "/api/investor/sites", "/investor/eksport.csv", "/investor/eksport.geojson")]
    for text in pages[:5]:
        assert "<script>window.nkXss" not in text and "<b>Fet</b>" not in text
    for text in pages:
        assert "HEMMELIG-PLANLEGGERNOTAT" not in text and "skjult.person@example.no" not in text
    assert "&lt;script&gt;window.nkXss=1&lt;/script&gt;&lt;b&gt;Fet&lt;/b&gt; tomt" in pages[0]
    assert '&lt;img src=x onerror=' in pages[1]


def test_english_catalogue_keeps_language_and_query(investor_client: FlaskClient) -> None:
    html = investor_client.get("/en/investor?area_min=1000&tettsted=Asker").get_data(as_text=True)
    assert '<html lang="en">' in html and "Invest in Asker" in html
    assert 'href="/investor?area_min=1000&amp;tettsted=Asker"' in html
    assert 'href="/en/investor/site/ASK-001"' in html and "/investor/tomt/" not in html
    nb = investor_client.get("/investor?area_min=1000").get_data(as_text=True)
    assert '<html lang="nb">' in nb and 'href="/en/investor?area_min=1000"' in nb
    assert "Invester i Asker" in nb and 'href="/investor/tomt/ASK-001"' in nb


def test_repeated_empty_searches_are_counted_in_one_row(investor_client: FlaskClient,
                                                        investor_db_url: str) -> None:
    before = query(investor_db_url, "SELECT count(*) FROM unmet_demand")[0][0]
    for _ in range(30):
        investor_client.get("/investor?area_min=777777&tettsted=Tofte")
    assert query(investor_db_url, "SELECT count(*) FROM unmet_demand")[0][0] == before + 1
    searches = query(investor_db_url, "SELECT searches FROM unmet_demand "
                                      "WHERE area_min_m2 = 777777 AND day = current_date")
    assert searches == [(30,)]


def test_random_searches_cost_a_bounded_number_of_rows(investor_db_url: str) -> None:
    import random

    import psycopg
    from werkzeug.datastructures import MultiDict

    from gis.db import libpq_dsn
    from gis.investor.catalogue import log_unmet_demand, parse_filters

    rows_before = query(investor_db_url, "SELECT count(*) FROM unmet_demand "
                                         "WHERE day = current_date")[0][0]
    total_before = query(investor_db_url, "SELECT coalesce(sum(searches), 0) FROM unmet_demand")[0][0]
    cap = rows_before + 10
    with psycopg.connect(libpq_dsn(investor_db_url), autocommit=True) as conn:
        for _ in range(100):
            args = MultiDict({"area_min": str(random.randint(1, 10**9))})
            log_unmet_demand(conn, parse_filters(args, args.getlist).filters, max_signatures=cap)
    assert query(investor_db_url, "SELECT count(*) FROM unmet_demand "
                                  "WHERE day = current_date")[0][0] <= cap + 1
    assert query(investor_db_url, "SELECT sum(searches) FROM unmet_demand")[0][0] == total_before + 100
    other = query(investor_db_url, "SELECT searches FROM unmet_demand WHERE signature = 'other'")
    assert other and other[0][0] >= 90
