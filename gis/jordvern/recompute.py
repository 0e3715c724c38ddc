"""Recomputing the jordvern tables in PostGIS: in full, or only for the plans that changed."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import psycopg

from gis.jordvern.classes import PROPOSAL_CLASS, YEAR_CLASSES
from gis.sqlfile import sql_file as read_sql_file


@cache
def statements(file: str = "jordvern_refresh.sql") -> tuple[tuple[str, str], ...]:
    """The named statements of one of our SQL files (the refresh by default), in file order."""
    text = read_sql_file("gis", f"sql/{file}")
    parts = re.split(r"^-- name: (\w+)\s*$", text, flags=re.MULTILINE)
    return tuple((parts[i], parts[i + 1].strip()) for i in range(1, len(parts), 2))


LOCK = "SELECT pg_advisory_xact_lock(hashtext('naeringskart.jordvern'))"


def land_cover_version(conn: psycopg.Connection) -> int:
    """land_cover's data version (bumped by a trigger on every change)."""
    row = conn.execute("SELECT version FROM tile_data_version "
                       "WHERE table_name = 'land_cover'").fetchone()
    return int(row[0]) if row else 0


def cultivated_is_current(conn: psycopg.Connection) -> bool:
    """True when jordvern_cultivated was built from the land cover as it is now."""
    row = conn.execute("SELECT land_cover_version FROM jordvern_cultivated_state "
                       "WHERE id = 1").fetchone()
    return row is not None and int(row[0]) == land_cover_version(conn)


def prepare_land_cover(conn: psycopg.Connection,
                       timings: dict[str, float] | None = None) -> float:
    """Rebuild the overlap-free cultivated AR5 layer (once per land-cover delivery); seconds."""
    started = time.perf_counter()
    with conn.transaction():
        conn.execute(LOCK)
        for name, statement in statements("jordvern_cultivated.sql"):
            step_started = time.perf_counter()
            conn.execute(statement)
            if timings is not None:
                timings[f"cultivated.{name}"] = time.perf_counter() - step_started
        seconds = time.perf_counter() - started
        conn.execute("DELETE FROM jordvern_cultivated_state")
        conn.execute("INSERT INTO jordvern_cultivated_state (id, land_cover_version, seconds, rows) "
                     "VALUES (1, %s, %s, (SELECT count(*) FROM jordvern_cultivated))",
                     (land_cover_version(conn), seconds))
    return seconds


def statement_params() -> dict[str, object]:
    """The values bound into the refresh statements: the map's colour classes."""
    classes = (*YEAR_CLASSES, PROPOSAL_CLASS)
    return {"keys": [c.key for c in classes], "fills": [c.fill for c in classes],
            "firsts": [c.first for c in classes], "lasts": [c.last for c in classes],
            "proposal": PROPOSAL_CLASS.key}


@dataclass(frozen=True)
class RefreshResult:
    """What one recomputation did."""

    seconds: float
    pieces: int
    plans: int


def fingerprint(conn: psycopg.Connection) -> str:
    """A short summary of the inputs; a different value means the results are stale."""
    row = conn.execute("""
        SELECT concat_ws('|',
          (SELECT md5(coalesce(string_agg(concat_ws(',', id, planstatus, is_current, plantype,
                                                   vedtaksdato, ikrafttredelsesdato), ';'
                                         ORDER BY id), '')) FROM plan),
          (SELECT concat_ws(':', count(*), max(id), sum(id)) FROM plan_area),
          (SELECT concat_ws(':', count(*), max(id), sum(id)) FROM land_cover),
          -- Bumped on every change, also one that keeps the ids (an edited polygon).
          (SELECT string_agg(concat_ws('=', table_name, version), ',' ORDER BY table_name)
           FROM tile_data_version WHERE table_name IN ('plan', 'plan_area', 'land_cover')),
          (SELECT max(id) FROM load_run WHERE status = 'published'))""").fetchone()
    return str(row[0]) if row else ""


def refresh(conn: psycopg.Connection, timings: dict[str, float] | None = None) -> RefreshResult:
    """Recompute every jordvern figure (one transaction; readers see old or new, never half).

    The cultivated AR5 layer is rebuilt first only when the land cover changed since it was
    built. With `timings`, the seconds of each named step are put into it (the benchmark prints them)."""
    started = time.perf_counter()
    with conn.transaction():
        conn.execute(LOCK)
        if not cultivated_is_current(conn):
            # Land cover changed (an AR5 delivery, or rows written directly): settle its
            # overlaps first, in the same transaction.
            prepare_land_cover(conn, timings)
        _run_named(conn, "jordvern_changes.sql", ("drop_work_tables", "inputs"), {}, timings)
        _recompute(conn, affected=None, scope=None, timings=timings)
        conn.execute("DELETE FROM jordvern_plan_input")
        conn.execute("INSERT INTO jordvern_plan_input (plan_id, signature, boxes) "
                     "SELECT plan_id, signature, boxes FROM jv_input")
        return _finish(conn, started)


def update(conn: psycopg.Connection, timings: dict[str, float] | None = None) -> RefreshResult:
    """Recompute only what changed since the last run: the plans whose rows were inserted,
    updated or deleted, and the regulation plans their counted areas overlap (old or new).

    The figures are the same as a full `refresh` (a test compares them); a land-cover change,
    a first run or a change to most plans takes the full refresh instead."""
    started = time.perf_counter()
    with conn.transaction():
        conn.execute(LOCK)
        has_inputs = conn.execute("SELECT EXISTS (SELECT 1 FROM jordvern_plan_input)").fetchone()
        if not cultivated_is_current(conn) or not (has_inputs and has_inputs[0]):
            return refresh(conn, timings)
        _run_named(conn, "jordvern_changes.sql",
                   ("drop_work_tables", "inputs", "changed", "affected"), {}, timings)
        counts = conn.execute("SELECT (SELECT count(*) FROM jv_affected), "
                              "(SELECT count(*) FROM jv_input)").fetchone()
        assert counts is not None
        affected_count, plan_count = int(counts[0]), int(counts[1])
        if affected_count > FULL_REFRESH_SHARE * max(plan_count, 1):
            return refresh(conn, timings)
        if affected_count:
            affected = [int(row[0]) for row in conn.execute("SELECT plan_id FROM jv_affected")]
            scope_started = time.perf_counter()
            scope_row = conn.execute(dict(statements("jordvern_changes.sql"))["scope"]).fetchone()
            if timings is not None:
                timings["changes.scope"] = time.perf_counter() - scope_started
            scope = [int(plan_id) for plan_id in (scope_row[0] if scope_row and scope_row[0]
                                                  else [])]
            _recompute(conn, affected=affected, scope=scope, timings=timings)
            conn.execute("DELETE FROM jordvern_plan_input WHERE plan_id IN "
                         "(SELECT plan_id FROM jv_changed)")
            conn.execute("INSERT INTO jordvern_plan_input (plan_id, signature, boxes) "
                         "SELECT i.plan_id, i.signature, i.boxes FROM jv_input i "
                         "JOIN jv_changed c ON c.plan_id = i.plan_id")
        finish_started = time.perf_counter()
        result = _finish(conn, started, plans=affected_count)
        if timings is not None:
            timings["finish"] = time.perf_counter() - finish_started
        return result


# Above this share of plans affected, one full refresh is cheaper than the bookkeeping.
FULL_REFRESH_SHARE = 0.3


def _run_named(conn: psycopg.Connection, file: str, names: Sequence[str],
               params: dict[str, object], timings: dict[str, float] | None) -> None:
    named = dict(statements(file))
    for name in names:
        step_started = time.perf_counter()
        conn.execute(named[name], params or None)
        if timings is not None:
            timings[f"changes.{name}"] = time.perf_counter() - step_started


def _recompute(conn: psycopg.Connection, *, affected: list[int] | None, scope: list[int] | None,
               timings: dict[str, float] | None) -> None:
    """The refresh statements, for every plan (None) or only the `affected` ones, reading the
    areas of the plans in `scope`."""
    params = {**statement_params(), "affected": affected, "scope": scope}
    for name, statement in statements():
        step_started = time.perf_counter()
        # Constant SQL from our own file; the only values (colour classes, plan ids) are bound.
        conn.execute(statement, params if "%(" in statement else None)
        if timings is not None:
            timings[name] = time.perf_counter() - step_started


def _finish(conn: psycopg.Connection, started: float, plans: int | None = None) -> RefreshResult:
    pieces = _count(conn, "SELECT count(*) FROM jordvern_piece")
    if plans is None:
        plans = _count(conn, "SELECT count(*) FROM jordvern_plan")
    seconds = time.perf_counter() - started
    conn.execute("DELETE FROM jordvern_state")
    conn.execute("INSERT INTO jordvern_state (id, fingerprint, seconds) VALUES (1, %s, %s)",
                 (fingerprint(conn), seconds))
    return RefreshResult(seconds=seconds, pieces=pieces, plans=plans)


def _count(conn: psycopg.Connection, query: str) -> int:
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


SOURCE_TABLES = frozenset({"plan", "plan_area", "land_cover"})


def refresh_after_load(conn: psycopg.Connection, tables: Iterable[str]) -> None:
    """The hook loaders call after publishing: update when plans or AR5 changed."""
    if set(tables) & SOURCE_TABLES:
        update(conn)


def ensure_current(conn: psycopg.Connection) -> bool:
    """Update when plans or land cover changed since the last run; True when it did."""
    row = conn.execute("SELECT fingerprint FROM jordvern_state WHERE id = 1").fetchone()
    if row and row[0] == fingerprint(conn):
        return False
    update(conn)
    return True
