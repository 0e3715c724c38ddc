"""The colour classes of the rezoned-farmland layer, by adoption year."""

from __future__ import annotations

from dataclasses import dataclass


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
