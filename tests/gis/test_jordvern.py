"""Jordvern figures on constructed geometries whose dekar are computed by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest

from gis import jordvern
from gis.db import libpq_dsn
from tests.jordvern_fixtures import add_area, add_cover, add_plan, add_statistic, rect


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_dsn(db_url), autocommit=True) as connection:
        yield connection


def _plan(conn: psycopg.Connection, plan_id: int) -> jordvern.PlanFigure:
    return next(p for p in jordvern.plan_figures(conn) if p.plan_id == plan_id)


def test_only_cultivated_land_counts_and_types_are_reported_separately(
        conn: psycopg.Connection) -> None:
    # A plan area across the boundary of three AR5 polygons: fulldyrka, overflatedyrka, built.
    add_cover(conn, 21, rect(0, 0, 100, 100))
    add_cover(conn, 22, rect(100, 0, 200, 100))
    add_cover(conn, 11, rect(200, 0, 300, 100))
    add_cover(conn, 30, rect(300, 0, 400, 100))
    plan = add_plan(conn, "boundary")
    add_area(conn, plan, rect(50, 0, 350, 100))
    jordvern.refresh(conn)
    figure = _plan(conn, plan)
    assert figure.rezoned.fulldyrka_m2 == pytest.approx(5000)
    assert figure.rezoned.overflatedyrka_m2 == pytest.approx(10000)
    assert figure.rezoned.innmarksbeite_m2 == 0
    assert figure.rezoned_daa == 15.0


def test_holes_in_plan_areas_and_in_land_cover_are_not_counted(conn: psycopg.Connection) -> None:
    # Innmarksbeite with a 20 x 20 m built yard in a hole; the plan area has a 10 x 30 m hole.
    add_cover(conn, 23, rect(0, 0, 100, 100, holes=((20, 20, 40, 40),)))
    add_cover(conn, 11, rect(20, 20, 40, 40))
    plan = add_plan(conn, "holes")
    add_area(conn, plan, rect(0, 0, 100, 100, holes=((60, 10, 70, 40),)))
    jordvern.refresh(conn)
    # 10 000 - 400 (yard) - 300 (plan hole) = 9 300 m².
    assert _plan(conn, plan).rezoned.innmarksbeite_m2 == pytest.approx(9300)
    assert _plan(conn, plan).rezoned_daa == 9.3


def test_overlapping_areas_of_one_plan_count_once(conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 100, 100))
    plan = add_plan(conn, "overlap")
    housing = add_area(conn, plan, rect(0, 0, 60, 100), code="1110", category="bolig")
    business = add_area(conn, plan, rect(40, 0, 100, 100), code="1300", category="naering")
    jordvern.refresh(conn)
    assert _plan(conn, plan).rezoned_daa == 10.0  # not 12.0
    by_area = {a.plan_area_id: a.rezoned.total_daa for a in jordvern.area_figures(conn, plan)}
    assert by_area == {housing: 6.0, business: 4.0}
    by_category = {k: v.total_daa for k, v in jordvern.category_figures(conn).items()}
    assert by_category == {"bolig": 6.0, "naering": 4.0}


def test_a_newer_plan_replacing_an_older_one_only_adds_new_land(conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 200, 100))
    old = add_plan(conn, "old", planstatus=5, vedtatt=dt.date(2015, 3, 1))
    add_area(conn, old, rect(0, 0, 100, 100), code="1110", category="bolig")
    new = add_plan(conn, "new", planstatus=3, vedtatt=dt.date(2022, 6, 1))
    add_area(conn, new, rect(0, 0, 150, 100), code="1300", category="naering")
    jordvern.refresh(conn)
    assert _plan(conn, old).rezoned_daa == 10.0
    assert _plan(conn, new).gross_daa == 15.0
    assert _plan(conn, new).rezoned_daa == 5.0
    years = {y.year: y.total_daa for y in jordvern.ledger(conn, target_daa=15, up_to_year=2022,
                                                           regions=["3203"])}
    assert years[2015] == 10.0 and years[2022] == 5.0
    assert sum(years.values()) == 15.0  # not 25.0
    # The map layer holds each square metre once.
    row = conn.execute("SELECT sum(ST_Area(geom)), ST_Area(ST_Union(geom)) "
                       "FROM jordvern_piece").fetchone()
    assert row and row[0] == pytest.approx(15000) and row[1] == pytest.approx(15000)


def test_only_the_current_version_of_a_plan_counts(conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 100, 100))
    first = add_plan(conn, "v", version=1, is_current=False)
    add_area(conn, first, rect(0, 0, 100, 100))
    second = add_plan(conn, "v", version=2)
    add_area(conn, second, rect(0, 0, 30, 100))
    jordvern.refresh(conn)
    assert [p.plan_id for p in jordvern.plan_figures(conn)] == [second]
    assert _plan(conn, second).rezoned_daa == 3.0


@pytest.mark.parametrize(("code_list", "code", "category", "counted"), [
    ("rp2008", "5110", "other", False),     # PBL 2008 landbruk, even if mis-categorised
    ("rp2008", "1300", "lnfr", False),      # the loader's category says agricultural
    ("rp2008", "2010", "samferdsel", True),  # a road: 4-digit 2xxx is not PBL 1985 landbruk
    ("rb1985", "210", "other", False),      # PBL 1985 jord- og skogbruk
    ("rb1985", "685", "other", False),      # PBL 1985 handelsgartneri (special area)
    ("rb1985", "510", "other", True),       # 1985 codes beyond 2xx are other purposes
    ("rb1985", "140", "naering", True),     # PBL 1985 industri/lager
])
def test_agricultural_purposes_in_every_code_list_are_not_counted(
        conn: psycopg.Connection, code_list: str, code: str, category: str,
        counted: bool) -> None:
    add_cover(conn, 21, rect(0, 0, 100, 100))
    plan = add_plan(conn, "codes", plantype=30 if code_list == "rb1985" else 35)
    add_area(conn, plan, rect(0, 0, 100, 100), code=code, code_list=code_list, category=category)
    jordvern.refresh(conn)
    assert _plan(conn, plan).rezoned_daa == (10.0 if counted else 0.0)


def test_kommuneplan_is_shown_but_not_counted_and_does_not_mask(conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 100, 100))
    kpa = add_plan(conn, "kpa", plantype=20, vedtatt=dt.date(2020, 1, 1))
    add_area(conn, kpa, rect(0, 0, 100, 100), code="1300", code_list="kpa2008")
    rp = add_plan(conn, "rp", vedtatt=dt.date(2023, 1, 1))
    add_area(conn, rp, rect(0, 0, 40, 100))
    jordvern.refresh(conn)
    assert not _plan(conn, kpa).counted and _plan(conn, kpa).rezoned_daa == 10.0
    assert _plan(conn, rp).counted and _plan(conn, rp).rezoned_daa == 4.0
    years = {y.year: y.total_daa for y in jordvern.ledger(conn, target_daa=15, up_to_year=2023,
                                                           regions=["3203"])}
    assert years == {2023: 4.0}


def test_ledger_sums_years_against_target_and_official_figure(conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 1000, 100))
    add_cover(conn, 23, rect(0, 100, 1000, 200))
    for name, date, box in [("a", dt.date(2021, 2, 1), (0, 0, 100, 100)),      # 10.0 (21)
                            ("b", dt.date(2021, 11, 30), (100, 0, 180, 100)),  # 8.0 (21)
                            ("c", dt.date(2023, 1, 5), (200, 50, 300, 150))]:  # 5.0 + 5.0
        plan = add_plan(conn, name, vedtatt=date)
        add_area(conn, plan, rect(*box))
    add_statistic(conn, "rezoned_cultivated_daa", "3203", 2021, 17.0, source="KOSTRA (SSB)",
                  fictional=False, unit="dekar")
    jordvern.refresh(conn)
    entries = jordvern.ledger(conn, target_daa=15, up_to_year=2024, regions=["3203"])
    assert [e.year for e in entries] == [2021, 2022, 2023, 2024]
    by_year = {e.year: e for e in entries}
    assert by_year[2021].total_daa == 18.0 and by_year[2021].plans == 2
    assert by_year[2021].over_target
    assert by_year[2021].official is not None and by_year[2021].official.value == 17.0
    assert by_year[2022].total_daa == 0.0 and not by_year[2022].over_target
    assert daa_of(by_year[2023]) == (5.0, 0.0, 5.0)
    csv_text = jordvern.ledger_csv(entries)
    assert csv_text.splitlines()[0].startswith("year,rezoned_daa,fulldyrka_daa")
    assert "2021,18.0,18.0,0.0,0.0,2,15.0,yes,17,KOSTRA (SSB),no" in csv_text


def daa_of(entry: jordvern.LedgerYear) -> tuple[float, float, float]:
    r = entry.rezoned
    return (jordvern.daa(r.fulldyrka_m2), jordvern.daa(r.overflatedyrka_m2),
            jordvern.daa(r.innmarksbeite_m2))


def test_pipeline_adds_proposals_to_this_years_adopted_land(conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 300, 100))
    adopted = add_plan(conn, "done", vedtatt=dt.date(2024, 3, 1))
    add_area(conn, adopted, rect(0, 0, 60, 100))               # 6.0 daa in 2024
    proposal = add_plan(conn, "proposal", planstatus=2, vedtatt=None)
    add_area(conn, proposal, rect(30, 0, 150, 100))            # 12.0 gross, 9.0 new
    jordvern.refresh(conn)
    result = jordvern.pipeline(conn, year=2024, target_daa=15)
    assert result.adopted_daa == 6.0
    assert result.proposed_daa == 9.0
    assert result.total_if_adopted_daa == 15.0
    assert [p.plan_id for p in result.plans] == [proposal]
    # Proposals never reach the ledger of adopted plans.
    years = jordvern.ledger(conn, target_daa=15, up_to_year=2024, regions=["3203"])
    assert [(y.year, y.total_daa) for y in years] == [(2024, 6.0)]


def test_refresh_happens_only_when_inputs_change(conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 100, 100))
    assert jordvern.ensure_current(conn) is True
    assert jordvern.ensure_current(conn) is False
    plan = add_plan(conn, "late")
    add_area(conn, plan, rect(0, 0, 100, 50))
    assert jordvern.ensure_current(conn) is True
    assert _plan(conn, plan).rezoned_daa == 5.0
    conn.execute("UPDATE plan SET planstatus = 4 WHERE id = %s", (plan,))
    assert jordvern.ensure_current(conn) is True


def test_overlapping_land_cover_polygons_count_once_and_built_land_wins(
        conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 100, 100))
    add_cover(conn, 22, rect(50, 0, 150, 100))   # overlaps the 21 polygon by 50 x 100
    add_cover(conn, 12, rect(0, 90, 150, 100))   # a road drawn over both
    plan = add_plan(conn, "cover")
    add_area(conn, plan, rect(0, 0, 150, 100))
    jordvern.refresh(conn)
    figure = _plan(conn, plan)
    assert figure.rezoned.fulldyrka_m2 == pytest.approx(9000)
    assert figure.rezoned.overflatedyrka_m2 == pytest.approx(4500)
    assert figure.rezoned_daa == 13.5


def test_land_cover_overlaps_are_settled_once_and_again_after_a_change(
        conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 100, 100))
    plan = add_plan(conn, "prepared")
    add_area(conn, plan, rect(0, 0, 100, 100))
    jordvern.refresh(conn)
    built = conn.execute("SELECT computed_at FROM jordvern_cultivated_state").fetchone()
    add_area(conn, add_plan(conn, "later"), rect(200, 0, 300, 100))
    jordvern.refresh(conn)  # plans changed, land cover did not: the prepared layer is kept
    assert conn.execute("SELECT computed_at FROM jordvern_cultivated_state").fetchone() == built
    # A farm yard drawn over the field afterwards (no loader involved) is still seen.
    add_cover(conn, 11, rect(0, 0, 30, 100))
    jordvern.refresh(conn)
    assert _plan(conn, plan).rezoned_daa == 7.0


def test_a_subdivided_big_field_is_counted_once_as_one_piece(conn: psycopg.Connection) -> None:
    field_id = add_cover(conn, 21, rect(0, 0, 100, 100))
    # 1 m segments: 400 vertices, above the 256 at which the field is subdivided.
    conn.execute("UPDATE land_cover SET geom = ST_Multi(ST_Segmentize(geom, 1)) WHERE id = %s",
                 (field_id,))
    plan = add_plan(conn, "big field")
    area = add_area(conn, plan, rect(-50, 0, 150, 100))
    jordvern.refresh(conn)
    parts = conn.execute("SELECT count(*) FROM jordvern_cultivated").fetchone()
    assert parts and parts[0] > 1
    assert _plan(conn, plan).rezoned_daa == 10.0
    pieces = conn.execute("SELECT count(*), sum(area_m2) FROM jordvern_piece "
                          "WHERE plan_area_id = %s", (area,)).fetchone()
    assert pieces and pieces[0] == 1 and pieces[1] == pytest.approx(10000)
