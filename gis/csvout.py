"""The app's one CSV writer: a cell a spreadsheet would run as a formula is written as text.

Exports carry text that anonymous people (interest requests), planners and data sources (an
NHO source note) wrote; "=HYPERLINK(…)" in such a cell would run when a planner opens the file
in Excel. OWASP's advice: prefix cells starting with = + - @ tab or CR with a single quote.
Numbers stay numbers, also when already formatted as text ("-12,5")."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMATTED_NUMBER = re.compile(r"[+-]?\d[\d\s\u00a0]*(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The value, or a string that no spreadsheet reads as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) \
            and not _FORMATTED_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer with every cell passed through safe_cell."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows."""
        for row in rows:
            self.writerow(row)
