"""The yearly ledger: our count beside the target and the official (KOSTRA) figure."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql

from gis.csvout import SafeWriter
from gis.jordvern.areas import Areas, daa
from gis.jordvern.figures import IN_REGIONS, regions_param


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
    bound = {"up_to": up_to_year, "regions": regions_param(regions)}
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
