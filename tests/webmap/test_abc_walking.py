"""The demo's walking network in the product: classes A, B and C with the default thresholds,
and the fact sheet saying how the walk to the stop was measured."""

from __future__ import annotations

import psycopg
from flask.testing import FlaskClient

from gis.db import libpq_dsn


def test_the_demo_has_sites_of_every_abc_class_measured_along_the_network(
        demo_db_url: str) -> None:
    with psycopg.connect(libpq_dsn(demo_db_url)) as conn:
        classes = {row[0] for row in conn.execute(
            "SELECT a.abc_class FROM site_accessibility a JOIN site s ON s.id = a.site_id "
            "WHERE s.published AND s.status = 'ledig'")}
        methods = dict(conn.execute(
            "SELECT distance_method, count(*) FROM site_accessibility GROUP BY 1").fetchall())
        station_site = conn.execute(
            "SELECT a.abc_class, a.transit_stop_name, a.distance_method FROM site s "
            "JOIN site_accessibility a ON a.site_id = s.id WHERE s.site_key = 'ASK-042'").fetchone()
    assert {"A", "B", "C"} <= classes
    # Sites in the towns are measured along the fictional grid; those far out fall back.
    assert methods["network"] > 0 and methods["straight_line_detour"] > 0
    assert station_site == ("A", "Asker stasjon", "network")


def test_fact_sheet_says_how_the_walk_was_measured(client: FlaskClient) -> None:
    nb = client.get("/investor/tomt/ASK-042").get_data(as_text=True)
    assert "Gangavstand til holdeplass" in nb
    assert "Asker stasjon" in nb and "gangavstand langs vegnettet" in nb
    en = client.get("/en/investor/site/ASK-042").get_data(as_text=True)
    assert "Walking distance to stop" in en and "walking distance along the path network" in en


def test_fact_sheet_of_a_site_off_the_network_names_the_detour_factor(
        client: FlaskClient) -> None:
    # ASK-025 lies beyond the fictional grid: straight line × the kommune's 1.3.
    nb = client.get("/investor/tomt/ASK-025").get_data(as_text=True)
    assert "luftlinje × 1,3" in nb
    en = client.get("/en/investor/site/ASK-025").get_data(as_text=True)
    assert "straight line × 1.3" in en


def test_transit_quality_areas_are_drawn_along_the_network_and_agree_with_the_sites(
        demo_db_url: str, client: FlaskClient) -> None:
    with psycopg.connect(libpq_dsn(demo_db_url)) as conn:
        methods = {row[0] for row in conn.execute("SELECT method FROM transit_quality_area")}
        # ASK-042 is an A site measured along the network: it lies in a network A area, and
        # no site measured along the network lies wholly inside an area of a better class.
        station = conn.execute(
            "SELECT q.quality_class, q.method FROM site s JOIN transit_quality_area q "
            "ON ST_Intersects(q.geom, s.geom) WHERE s.site_key = 'ASK-042' "
            "ORDER BY q.quality_class LIMIT 1").fetchone()
        contradicted = conn.execute(
            "SELECT s.site_key, a.transit_class, q.quality_class FROM site s "
            "JOIN site_accessibility a ON a.site_id = s.id "
            "JOIN transit_quality_area q ON ST_Within(s.geom, q.geom) "
            "WHERE a.transit_stop_method = 'network' AND q.method = 'network' "
            "AND q.quality_class < coalesce(a.transit_class, 'E')").fetchall()
    assert "network" in methods
    assert station == ("A", "network")
    assert contradicted == []
    features = client.get("/api/layers/transit_quality/features?bbox=10.2,59.7,10.7,59.95")
    assert {f["properties"]["method"] for f in features.get_json()["features"]} >= {"network"}


def test_the_map_legend_says_how_the_transit_areas_were_drawn(client: FlaskClient) -> None:
    nb = client.get("/").get_data(as_text=True)
    assert "Gangavstand langs vegnettet" in nb and "Kollektivklasse A" in nb
    en = client.get("/en/").get_data(as_text=True)
    assert "Walking distance along the path network" in en and "Public-transport class A" in en
    assert "Straight line \\u00d7 detour factor" in en
