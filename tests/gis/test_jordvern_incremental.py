"""An incremental jordvern update gives exactly the figures of a full refresh, and recomputes
only the changed plans and the regulation plans they overlap."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import psycopg
import pytest

from gis import jordvern
from gis.db import libpq_dsn
from gis.jordvern import recompute
from tests.jordvern_fixtures import add_area, add_cover, add_plan, rect


@pytest.fixture
def conn(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[psycopg.Connection]:
    # These kommuner are small: without this, a change to a few plans is a large share of them
    # and the update takes the full refresh, which is not what is tested here.
    monkeypatch.setattr(recompute, "FULL_REFRESH_SHARE", 1.0)
    with psycopg.connect(libpq_dsn(db_url), autocommit=True) as connection:
        yield connection


def _figures(conn: psycopg.Connection) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every stored figure, rounded to the square metre, independent of row ids and order."""
    plans = conn.execute(
        "SELECT plan_id, status, year, counted, round(gross_m2::numeric), round(rezoned_m2::numeric), "
        "round(fulldyrka_m2::numeric), round(innmarksbeite_m2::numeric), rezoned_daa "
        "FROM jordvern_plan ORDER BY plan_id").fetchall()
    pieces = conn.execute(
        "SELECT plan_id, plan_area_id, land_cover_id, round(area_m2::numeric), year_class, "
        "ST_AsText(ST_SnapToGrid(geom, 0.01)) FROM jordvern_piece "
        "ORDER BY plan_id, plan_area_id, land_cover_id").fetchall()
    return plans, pieces


def _full_refresh_figures(conn: psycopg.Connection) -> tuple[list[tuple[object, ...]], ...]:
    with conn.transaction():
        jordvern.refresh(conn)
        figures = _figures(conn)
        raise_rollback = psycopg.Rollback()
        raise raise_rollback
    return figures  # pragma: no cover (the rollback above leaves the block)


def _kommune(conn: psycopg.Connection, seed: int) -> list[int]:
    """A field of farmland and a dozen overlapping regulation plans plus a kommuneplan."""
    rng = random.Random(seed)
    add_cover(conn, 21, rect(0, 0, 1000, 500))
    add_cover(conn, 23, rect(0, 500, 1000, 1000))
    add_cover(conn, 11, rect(400, 400, 450, 450))
    plan_ids = []
    for number in range(12):
        adopted = dt.date(2015 + rng.randrange(10), 1 + rng.randrange(12), 1)
        plan_id = add_plan(conn, f"P{number}", vedtatt=adopted,
                           planstatus=rng.choice((3, 3, 3, 2)))
        x, y = rng.randrange(0, 800), rng.randrange(0, 800)
        add_area(conn, plan_id, rect(x, y, x + 150, y + 120))
        add_area(conn, plan_id, rect(x + 100, y + 50, x + 200, y + 200), code="1110",
                 category="bolig")
        plan_ids.append(plan_id)
    kpa = add_plan(conn, "KPA", plantype=20)
    add_area(conn, kpa, rect(0, 0, 1000, 1000), code="1300", code_list="kpa2008")
    return plan_ids


def _snapshot_after_update(conn: psycopg.Connection) -> tuple[list[tuple[object, ...]], ...]:
    total = conn.execute("SELECT count(*) FROM plan").fetchone()
    result = jordvern.update(conn)
    assert total is not None and 0 < result.plans < total[0]  # incremental, not everything
    return _figures(conn)


def test_every_kind_of_change_gives_the_figures_of_a_full_refresh(
        conn: psycopg.Connection) -> None:
    plan_ids = _kommune(conn, seed=7)
    jordvern.refresh(conn)

    # A new plan adopted earlier than most: it masks later plans it overlaps.
    early = add_plan(conn, "NEW", vedtatt=dt.date(2014, 3, 1))
    add_area(conn, early, rect(300, 300, 700, 600))
    assert _snapshot_after_update(conn) == _full_refresh_figures(conn)

    # A plan's area moved, another deleted with its areas, a third becomes a proposal.
    conn.execute("UPDATE plan_area SET geom = ST_Translate(geom, 60, -40) WHERE plan_id = %s",
                 (plan_ids[0],))
    conn.execute("DELETE FROM plan_area WHERE plan_id = %s", (plan_ids[1],))
    conn.execute("DELETE FROM plan WHERE id = %s", (plan_ids[1],))
    conn.execute("UPDATE plan SET planstatus = 2, vedtaksdato = NULL WHERE id = %s",
                 (plan_ids[2],))
    assert _snapshot_after_update(conn) == _full_refresh_figures(conn)

    # A new version replaces a plan (the old one is no longer current).
    conn.execute("UPDATE plan SET is_current = false WHERE id = %s", (plan_ids[3],))
    replacement = add_plan(conn, "P3", version=2, vedtatt=dt.date(2024, 6, 1))
    add_area(conn, replacement, rect(0, 0, 300, 300))
    assert _snapshot_after_update(conn) == _full_refresh_figures(conn)


def test_only_the_changed_plan_and_its_overlapping_neighbours_are_recomputed(
        conn: psycopg.Connection) -> None:
    add_cover(conn, 21, rect(0, 0, 5000, 500))
    west = add_plan(conn, "WEST", vedtatt=dt.date(2018, 1, 1))
    add_area(conn, west, rect(0, 0, 200, 200))
    middle = add_plan(conn, "MIDDLE", vedtatt=dt.date(2020, 1, 1))
    add_area(conn, middle, rect(150, 0, 400, 200))
    far = add_plan(conn, "FAR", vedtatt=dt.date(2021, 1, 1))
    add_area(conn, far, rect(4000, 0, 4200, 200))
    jordvern.refresh(conn)
    computed_at = dict(conn.execute("SELECT plan_id, ctid::text FROM jordvern_plan").fetchall())

    assert jordvern.update(conn).plans == 0  # nothing changed, nothing recomputed

    new = add_plan(conn, "NEW", vedtatt=dt.date(2016, 1, 1))
    add_area(conn, new, rect(20, 20, 100, 100))  # inside WEST only
    result = jordvern.update(conn)
    assert result.plans == 2  # NEW and WEST; MIDDLE and FAR are untouched
    after = dict(conn.execute("SELECT plan_id, ctid::text FROM jordvern_plan").fetchall())
    assert after[far] == computed_at[far] and after[middle] == computed_at[middle]
    assert after[west] != computed_at[west]
    west_daa = conn.execute("SELECT rezoned_daa FROM jordvern_plan WHERE plan_id = %s",
                            (west,)).fetchone()
    assert west_daa is not None and float(west_daa[0]) == pytest.approx(40.0 - 6.4)


def test_a_land_cover_change_takes_the_full_refresh(conn: psycopg.Connection) -> None:
    plan = add_plan(conn, "A")
    add_area(conn, plan, rect(0, 0, 100, 100))
    add_cover(conn, 21, rect(0, 0, 50, 100))
    jordvern.refresh(conn)
    add_cover(conn, 22, rect(50, 0, 100, 100))
    jordvern.update(conn)
    row = conn.execute("SELECT rezoned_daa FROM jordvern_plan WHERE plan_id = %s",
                       (plan,)).fetchone()
    assert row is not None and float(row[0]) == pytest.approx(10.0)
    assert _figures(conn) == _full_refresh_figures(conn)
