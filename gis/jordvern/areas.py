"""Cultivated land by AR5 type, and square metres as dekar."""

from __future__ import annotations

from dataclasses import dataclass

M2_PER_DAA = 1000.0
AREALTYPE_NAMES = {21: "fulldyrka", 22: "overflatedyrka", 23: "innmarksbeite"}


def daa(m2: float) -> float:
    """Square metres as dekar, to 0.1 daa."""
    return round(m2 / M2_PER_DAA + 0.0, 1)


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
