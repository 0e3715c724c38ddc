"""The demo data set loads every etl-b source, keeps real figures real, and reloads as a no-op."""

from __future__ import annotations

import psycopg
from sqlalchemy import Engine

from etl.demo_data import DEMO_FILES, load_demo
from gis.db import libpq_dsn

SRID = 25832


def test_demo_loads_every_source_once_and_the_second_run_changes_nothing(
        engine: Engine, db_url: str) -> None:
    first = load_demo(engine, SRID)
    assert {r.source for r in first} >= {"sites", "tettsteder", "centres", "main_roads",
                                         "road_junctions", "transit", "statistics"}
    assert all(r.status == "published" for r in first)
    second = load_demo(engine, SRID)
    assert [r.status for r in second] == ["unchanged"] * len(DEMO_FILES)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        counts = dict(conn.execute(
            "SELECT 'tettsted', count(*) FROM tettsted UNION ALL "
            "SELECT 'centre', count(*) FROM centre UNION ALL "
            "SELECT 'main_road', count(*) FROM main_road UNION ALL "
            "SELECT 'road_junction', count(*) FROM road_junction UNION ALL "
            "SELECT 'transit_stop', count(*) FROM transit_stop UNION ALL "
            "SELECT 'template_sites', count(*) FROM site WHERE site_key IN "
            "('ASK-038', 'ASK-039', 'ASK-040', 'ASK-041')").fetchall())
        assert all(counts[k] > 0 for k in counts), counts
        assert counts["template_sites"] == 4
        # The Oslo tettsted reaches over the border: only the Asker part is kept.
        inside = conn.execute(
            "SELECT bool_and(ST_CoveredBy(t.geom, ST_Buffer(k.geom, 0.01))) "
            "FROM tettsted t, kommune k").fetchone()
        assert inside == (True,)
        # The plan's published figures are real; every other statistic is fictional.
        flags = conn.execute(
            "SELECT source LIKE 'Temaplan%%' AS plan, fictional, count(*) FROM statistic "
            "GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
        assert [(plan, fictional) for plan, fictional, _ in flags] == [(False, True), (True, False)]
        nho = conn.execute(
            "SELECT value::int FROM statistic WHERE indicator = 'nho_rank' AND year = 2019 "
            "AND kind = 'result' AND region = '3203'").fetchone()
        assert nho == (13,)
        asker = conn.execute(
            "SELECT departures_per_hour::float8 FROM transit_stop WHERE name = 'Asker stasjon' "
            "AND mode = 'rail'").fetchone()
        assert asker is not None and 7.5 < asker[0] <= 8
