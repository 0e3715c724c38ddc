"""The NHO Kommune-NM rank form's validation (year, rank, county rank, source, source date) and
the ranks entered so far."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import psycopg

from gis.planner.messages import N_, Message, say

# Norway has 357 kommuner (2024); a rank beyond that is a typing error.
MAX_RANK = 357
FIRST_YEAR = 2000  # NHO has published Kommune-NM since the early 2000s.
MAX_SOURCE = 200


@dataclass(frozen=True)
class RankEntry:
    """A validated entry."""

    year: int
    rank: int
    county_rank: int | None
    source: str
    source_date: dt.date


def _whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def parse(form: Mapping[str, str], today: dt.date) -> tuple[RankEntry | None, dict[str, Message]]:
    """The entry, or the errors per field (naming the field and the reason)."""
    errors: dict[str, Message] = {}
    year = _whole(form.get("year", ""))
    if year is None or not FIRST_YEAR <= year <= today.year:
        errors["year"] = say(
            N_("Året må være et helt tall fra %(first)s til %(last)s."), first=FIRST_YEAR, last=today.year
        )
    rank = _whole(form.get("rank", ""))
    if rank is None or not 1 <= rank <= MAX_RANK:
        errors["rank"] = say(N_("Plasseringen må være et helt tall fra 1 til %(max)s."), max=MAX_RANK)
    county_text = form.get("county_rank", "").strip()
    county_rank = _whole(county_text) if county_text else None
    if county_text and (county_rank is None or county_rank < 1):
        errors["county_rank"] = say(N_("Plasseringen i fylket må være et helt tall fra 1, eller tom."))
    elif county_rank is not None and rank is not None and county_rank > rank:
        errors["county_rank"] = say(
            N_("Plasseringen i fylket kan ikke være et høyere tall enn plasseringen i landet (%(rank)s)."),
            rank=rank,
        )
    source = form.get("source", "").strip()
    if not source:
        errors["source"] = say(N_("Oppgi kilden, for eksempel «NHO Kommune-NM 2024»."))
    elif len(source) > MAX_SOURCE:
        errors["source"] = say(N_("Kilden kan ha høyst %(max)s tegn."), max=MAX_SOURCE)
    source_date: dt.date | None = None
    try:
        source_date = dt.date.fromisoformat(form.get("source_date", "").strip())
    except ValueError:
        errors["source_date"] = say(N_("Datoen må skrives ÅÅÅÅ-MM-DD."))
    if source_date is not None and source_date > today:
        errors["source_date"] = say(N_("Datoen kan ikke være fram i tid."))
    if errors or year is None or rank is None or source_date is None:
        return None, errors
    return RankEntry(year, rank, county_rank, source, source_date), {}


def recent_ranks(
    conn: psycopg.Connection, region: str
) -> list[tuple[int, str, float, str, dt.date | None, str | None]]:
    """The entered ranks, newest year first."""
    rows = conn.execute(
        """
        SELECT year, indicator, value, source, source_date, entered_by FROM statistic
        WHERE indicator IN ('nho_rank', 'nho_county_rank') AND kind = 'result'
          AND region = %s
        ORDER BY year DESC, indicator DESC LIMIT 20""",
        (region,),
    ).fetchall()
    return [(int(r[0]), str(r[1]), float(r[2]), str(r[3]), r[4], r[5]) for r in rows]
