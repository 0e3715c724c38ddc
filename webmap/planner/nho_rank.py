"""The NHO Kommune-NM rank form's validation: year, rank, county rank, source, source date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

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


def parse(form: Mapping[str, str], today: dt.date) -> tuple[RankEntry | None, dict[str, str]]:
    """The entry, or the errors per field (translated, naming the field and the reason)."""
    errors: dict[str, str] = {}
    year = _whole(form.get("year", ""))
    if year is None or not FIRST_YEAR <= year <= today.year:
        errors["year"] = _("Året må være et helt tall fra %(first)s til %(last)s.",
                           first=FIRST_YEAR, last=today.year)
    rank = _whole(form.get("rank", ""))
    if rank is None or not 1 <= rank <= MAX_RANK:
        errors["rank"] = _("Plasseringen må være et helt tall fra 1 til %(max)s.", max=MAX_RANK)
    county_text = form.get("county_rank", "").strip()
    county_rank = _whole(county_text) if county_text else None
    if county_text and (county_rank is None or county_rank < 1):
        errors["county_rank"] = _("Plasseringen i fylket må være et helt tall fra 1, eller tom.")
    elif county_rank is not None and rank is not None and county_rank > rank:
        errors["county_rank"] = _("Plasseringen i fylket kan ikke være et høyere tall enn plasseringen "
                                  "i landet (%(rank)s).", rank=rank)
    source = form.get("source", "").strip()
    if not source:
        errors["source"] = _("Oppgi kilden, for eksempel «NHO Kommune-NM 2024».")
    elif len(source) > MAX_SOURCE:
        errors["source"] = _("Kilden kan ha høyst %(max)s tegn.", max=MAX_SOURCE)
    source_date: dt.date | None = None
    try:
        source_date = dt.date.fromisoformat(form.get("source_date", "").strip())
    except ValueError:
        errors["source_date"] = _("Datoen må skrives ÅÅÅÅ-MM-DD.")
    if source_date is not None and source_date > today:
        errors["source_date"] = _("Datoen kan ikke være fram i tid.")
    if errors or year is None or rank is None or source_date is None:
        return None, errors
    return RankEntry(year, rank, county_rank, source, source_date), {}
