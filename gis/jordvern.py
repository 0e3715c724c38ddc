"""Jordvern: cultivated land rezoned by plans, per plan, area, category and year, in PostGIS."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import psycopg
from psycopg import sql

from gis.csvout import SafeWriter
from gis.sqlfile import sql_file as read_sql_file

M2_PER_DAA = 1000.0
AREALTYPE_NAMES = {21: "fulldyrka", 22: "overflatedyrka", 23: "innmarksbeite"}


@dataclass(frozen=True)
class YearClass:
    """A colour class of the rezoned-farmland layer: adoption years first..last (inclusive)."""

    key: str
    label_nb: str
    label_en: str
    fill: str
    first: int | None = None
    last: int | None = None


# Adoption-year classes of the map layer (a sequential palette, darker is more recent);
# proposals get their own hue. Labels name the years, so the map never relies on colour alone.
YEAR_CLASSES: tuple[YearClass, ...] = (
    YearClass("til-2016", "Vedtatt til og med 2016", "Adopted up to 2016", "#fee6ce", None, 2016),
    YearClass("2017-2019", "Vedtatt 2017–2019", "Adopted 2017–2019", "#fdae6b", 2017, 2019),
    YearClass("2020-2022", "Vedtatt 2020–2022", "Adopted 2020–2022", "#f16913", 2020, 2022),
    YearClass("2023-", "Vedtatt 2023 eller senere", "Adopted 2023 or later", "#a63603", 2023, None),
    YearClass("ukjent-år", "Vedtatt, år ukjent", "Adopted, year unknown", "#969696"),
)
PROPOSAL_CLASS = YearClass("forslag", "Planforslag (ikke vedtatt)", "Plan proposal (not adopted)",
                           "#6a51a3")


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


def daa(m2: float) -> float:
    """Square metres as dekar, to 0.1 daa."""
    return round(m2 / M2_PER_DAA + 0.0, 1)


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


@dataclass(frozen=True)
class Areas:
    """Cultivated land by AR5 type, in m²."""

    fulldyrka_m2: float = 0.0
    overflatedyrka_m2: float = 0.0
    innmarksbeite_m2: float = 0.0

    @property
    def total_m2(self) -> float:
        return self.fulldyrka_m2 + self.overflatedyrka_m2 + self.innmarksbeite_m2

    @property
    def total_daa(self) -> float:
        return daa(self.total_m2)


@dataclass(frozen=True)
class PlanFigure:
    """One plan's cultivated land in non-agricultural purposes."""

    plan_id: int
    nasjonal_arealplan_id: str
    plannavn: str | None
    status: str
    year: int | None
    counted: bool
    gross_m2: float
    rezoned: Areas

    @property
    def rezoned_daa(self) -> float:
        return self.rezoned.total_daa

    @property
    def gross_daa(self) -> float:
        return daa(self.gross_m2)


def plan_figures(conn: psycopg.Connection, *, status: str | None = None,
                 regions: Sequence[str] | None = None) -> list[PlanFigure]:
    """Every plan's figure (of the kommuner in `regions`, when given), adopted first by year,
    then proposals."""
    rows = conn.execute(sql.SQL("""
        SELECT plan_id, nasjonal_arealplan_id, plannavn, status, year, counted, gross_m2,
               fulldyrka_m2, overflatedyrka_m2, innmarksbeite_m2
        FROM jordvern_plan WHERE (%(status)s::text IS NULL OR status = %(status)s::text)
          AND {in_regions}
        ORDER BY status = 'forslag', year NULLS LAST, plannavn, plan_id""").format(in_regions=IN_REGIONS),
                        {"status": status, "regions": _regions(regions)}).fetchall()
    return [PlanFigure(r[0], r[1], r[2], r[3], r[4], r[5], r[6], Areas(r[7], r[8], r[9]))
            for r in rows]


# Constant SQL: the plan's kommune among the bound kommunenummer (NULL: every kommune).
IN_REGIONS = sql.SQL("(%(regions)s::text[] IS NULL OR plan_id IN "
                     "(SELECT id FROM plan WHERE kommunenummer = ANY(%(regions)s::text[])))")


def _regions(regions: Sequence[str] | None) -> list[str] | None:
    return list(regions) if regions is not None else None


@dataclass(frozen=True)
class AreaFigure:
    """Cultivated land rezoned by one plan area (after overlaps and earlier plans)."""

    plan_id: int
    plan_area_id: int
    category: str
    code: str
    rezoned: Areas


def area_figures(conn: psycopg.Connection, plan_id: int | None = None) -> list[AreaFigure]:
    """Per plan area, largest first."""
    rows = conn.execute("""
        SELECT plan_id, plan_area_id, category, code,
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 21), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 22), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 23), 0)
        FROM jordvern_piece WHERE %(plan)s::integer IS NULL OR plan_id = %(plan)s::integer
        GROUP BY plan_id, plan_area_id, category, code
        ORDER BY sum(area_m2) DESC, plan_area_id""", {"plan": plan_id}).fetchall()
    return [AreaFigure(r[0], r[1], r[2], r[3], Areas(r[4], r[5], r[6])) for r in rows]


def category_figures(conn: psycopg.Connection, *, year: int | None = None,
                     status: str = "vedtatt") -> dict[str, Areas]:
    """Per purpose category (counted regulation plans), optionally for one adoption year."""
    rows = conn.execute("""
        SELECT category,
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 21), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 22), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 23), 0)
        FROM jordvern_piece
        WHERE counted AND status = %(status)s
          AND (%(year)s::integer IS NULL OR year = %(year)s::integer)
        GROUP BY category ORDER BY sum(area_m2) DESC""",
                        {"status": status, "year": year}).fetchall()
    return {r[0]: Areas(r[1], r[2], r[3]) for r in rows}


@dataclass(frozen=True)
class OfficialFigure:
    """A published figure (KOSTRA, or the plan's own table) for one year."""

    value: float
    source: str
    fictional: bool


@dataclass(frozen=True)
class LedgerYear:
    """One year of the ledger: ours beside the target and the official figure."""

    year: int
    rezoned: Areas
    plans: int
    target_daa: float
    official: OfficialFigure | None = None

    @property
    def total_daa(self) -> float:
        return self.rezoned.total_daa

    @property
    def computed_over_target(self) -> bool:
        return self.total_daa > self.target_daa

    @property
    def official_over_target(self) -> bool:
        return self.official is not None and self.official.value > self.target_daa

    @property
    def over_target(self) -> bool:
        """Over the target by our count or by the official figure: an official overrun is
        never hidden behind a lower count of ours."""
        return self.computed_over_target or self.official_over_target

    @property
    def difference_daa(self) -> float | None:
        """Official minus computed, dekar (None without an official figure)."""
        if self.official is None:
            return None
        return round(self.official.value - self.total_daa, 1)

    @property
    def difference_kind(self) -> str | None:
        """'higher' or 'lower' (the official figure against ours), 'same', or None."""
        diff = self.difference_daa
        if diff is None:
            return None
        if abs(diff) < 0.05:
            return "same"
        return "higher" if diff > 0 else "lower"

    def difference_reason(self, lang: str = "nb") -> str:
        """Why the official figure and ours differ, from how each is counted."""
        return difference_reason(self.difference_kind, lang)


def difference_reason(kind: str | None, lang: str = "nb") -> str:
    """The explanation of one kind of difference between the official figure and ours."""
    en = lang == "en"
    if kind is None:
        return "No official figure loaded for the year." if en else \
            "Ingen offisielle tall er lastet for året."
    if kind == "same":
        return "The same." if en else "Like."
    if kind == "higher":
        return (
            "The official figure is higher. It is the kommune's own report: it also counts "
            "rezoning outside regulation plans (decisions under the Land Act § 9, the "
            "kommuneplan) and land that AR5 no longer shows as cultivated. This count "
            "takes only regulation plans adopted that year, on today's AR5."
            if en else
            "Det offisielle tallet er høyere. Det er kommunens egen rapportering og teller "
            "også omdisponering utenfor reguleringsplaner (vedtak etter jordloven § 9, "
            "kommuneplanen) og jord som AR5 ikke lenger viser som dyrka. Dette regnskapet "
            "tar bare reguleringsplaner vedtatt i året, på dagens AR5.")
    return (
        "The official figure is lower. This count puts each plan in its year of adoption "
        "on today's AR5; KOSTRA may have reported the plan in another year, or counted land "
        "already rezoned by an older plan that is not loaded here."
        if en else
        "Det offisielle tallet er lavere. Dette regnskapet fører hver plan i vedtaksåret "
        "etter dagens AR5; KOSTRA kan ha ført planen et annet år, eller regnet jord som alt "
        "var omdisponert i en eldre plan som ikke er lastet her.")


def official_figures(conn: psycopg.Connection,
                     regions: Sequence[str]) -> dict[int, OfficialFigure]:
    """Loaded KOSTRA/official rezoned-cultivated-land figures by year (first region wins)."""
    rows = conn.execute("""
        SELECT DISTINCT ON (year) year, value, source, fictional
        FROM statistic
        WHERE indicator = 'rezoned_cultivated_daa' AND kind = 'result' AND value IS NOT NULL
          AND region = ANY(%s)
        ORDER BY year, array_position(%s, region), fictional, id""",
                        (list(regions), list(regions))).fetchall()
    return {int(r[0]): OfficialFigure(float(r[1]), str(r[2]), bool(r[3])) for r in rows}


def ledger(conn: psycopg.Connection, *, target_daa: float, up_to_year: int,
           regions: Sequence[str], from_year: int | None = None) -> list[LedgerYear]:
    """Adopted regulation plans by adoption year, from the first year with data to up_to_year."""
    # The kommune's own plans (and its former kommuners'): one database may hold many.
    bound = {"up_to": up_to_year, "regions": _regions(regions)}
    rows = conn.execute(sql.SQL("""
        SELECT year,
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 21), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 22), 0),
               coalesce(sum(area_m2) FILTER (WHERE arealtype = 23), 0)
        FROM jordvern_piece
        WHERE counted AND status = 'vedtatt' AND year IS NOT NULL AND year <= %(up_to)s
          AND {in_regions}
        GROUP BY year""").format(in_regions=IN_REGIONS), bound).fetchall()
    areas = {int(r[0]): Areas(r[1], r[2], r[3]) for r in rows}
    counts: dict[int, int] = dict(conn.execute(sql.SQL("""
        SELECT year, count(*) FROM jordvern_plan
        WHERE counted AND status = 'vedtatt' AND year IS NOT NULL AND {in_regions}
        GROUP BY year""").format(in_regions=IN_REGIONS), bound).fetchall())
    official = {y: f for y, f in official_figures(conn, regions).items() if y <= up_to_year}
    years = set(areas) | set(official)
    if not years:
        return []
    first = from_year if from_year is not None else min(years)
    return [LedgerYear(year, areas.get(year, Areas()), int(counts.get(year, 0)), target_daa,
                       official.get(year))
            for year in range(first, up_to_year + 1)]


@dataclass(frozen=True)
class Pipeline:
    """Plans in progress: what the year's total would be if they were all adopted this year."""

    year: int
    target_daa: float
    adopted_daa: float
    plans: list[PlanFigure] = field(default_factory=list)

    @property
    def proposed_daa(self) -> float:
        return daa(sum(plan.rezoned.total_m2 for plan in self.plans if plan.counted))

    @property
    def total_if_adopted_daa(self) -> float:
        return round(self.adopted_daa + self.proposed_daa, 1)


def pipeline(conn: psycopg.Connection, *, year: int, target_daa: float,
             regions: Sequence[str] | None = None) -> Pipeline:
    """Adopted so far in `year` plus every plan in progress (of the kommuner in `regions`)."""
    row = conn.execute(sql.SQL("""
        SELECT coalesce(sum(area_m2), 0) FROM jordvern_piece
        WHERE counted AND status = 'vedtatt' AND year = %(year)s
          AND {in_regions}""").format(in_regions=IN_REGIONS),
                       {"year": year, "regions": _regions(regions)}).fetchone()
    adopted = daa(float(row[0])) if row else 0.0
    return Pipeline(year, target_daa, adopted,
                    plan_figures(conn, status="forslag", regions=regions))


LEDGER_CSV_COLUMNS = ("year", "rezoned_daa", "fulldyrka_daa", "overflatedyrka_daa",
                      "innmarksbeite_daa", "plans", "target_daa", "over_target", "official_daa",
                      "official_source", "official_fictional", "difference_daa",
                      "computed_over_target", "official_over_target")


def ledger_csv(years: Iterable[LedgerYear]) -> str:
    """The ledger as CSV (comma-separated, dot decimals, one header row)."""
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\n")
    writer.writerow(LEDGER_CSV_COLUMNS)
    for entry in years:
        official = entry.official
        writer.writerow([
            entry.year, f"{entry.total_daa:.1f}", f"{daa(entry.rezoned.fulldyrka_m2):.1f}",
            f"{daa(entry.rezoned.overflatedyrka_m2):.1f}",
            f"{daa(entry.rezoned.innmarksbeite_m2):.1f}", entry.plans, f"{entry.target_daa:.1f}",
            "yes" if entry.over_target else "no",
            "" if official is None else f"{official.value:g}",
            "" if official is None else official.source,
            "" if official is None else ("yes" if official.fictional else "no"),
            "" if entry.difference_daa is None else f"{entry.difference_daa:.1f}",
            "yes" if entry.computed_over_target else "no",
            "" if official is None else ("yes" if entry.official_over_target else "no"),
        ])
    return out.getvalue()
