"""One cell of a spreadsheet: where it is (row, column, Excel letter), its value typed as the
source's field, and what is wrong with it, as data (RowProblem) and as an error (RowError)."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl.errors import LoadError
from etl.sources import Field

_TRUE = {"true", "1", "ja", "yes", "j", "y", "sann", "x"}
_FALSE = {"false", "0", "nei", "no", "n", "usann"}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d")


@dataclass(frozen=True)
class RowProblem:
    """One bad cell, as data: callers that list every problem word it in their own language.

    kind is one of: required, not_allowed, not_number, not_whole, not_date, not_yes_no,
    bad_wkt, empty_geometry, no_geometry, not_finite, outside_norway, point_needs_area."""

    row: int
    column: str | None
    letter: str | None
    kind: str
    value: str | None = None
    detail: str | None = None


class RowError(LoadError):
    """A bad cell or row: the English message, and the same as a RowProblem."""

    def __init__(self, message: str, problem: RowProblem) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass
class Cell:
    """Where a value came from, for error messages."""

    path: Path
    row: int
    column: str
    index: int

    def __str__(self) -> str:
        return (f"{self.path.name}: row {self.row}, column {self.column} "
                f"({column_letter(self.index + 1)})")

    def error(self, message: str, kind: str, value: Any = None, detail: str | None = None
              ) -> RowError:
        """The error for this cell: '<file>: row r, column c (L): <message>'."""
        return RowError(f"{self}: {message}", RowProblem(
            self.row, self.column, column_letter(self.index + 1), kind,
            None if value is None else str(value), detail))


# -- values -------------------------------------------------------------------------
def typed(value: Any, spec_field: Field, cell: Cell) -> Any:
    """The cell's value as the field's type; a bad value names the row and column."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec_field.required and spec_field.column != "area_m2":
            raise cell.error("required value is empty", "required")
        return None
    kind = spec_field.type
    if kind == "text":
        text = _text(value)
        if spec_field.allowed and text.lower() not in {a.lower() for a in spec_field.allowed}:
            raise cell.error(f"{text!r} is not one of {', '.join(spec_field.allowed)}",
                             "not_allowed", text, ", ".join(spec_field.allowed))
        return text
    if kind in ("int", "numeric"):
        number = parse_number(value)
        if number is None:
            raise cell.error(f"{value!r} is not a number", "not_number", value)
        if kind == "int":
            if not float(number).is_integer():
                raise cell.error(f"{value!r} is not a whole number", "not_whole", value)
            return int(number)
        return number
    if kind == "date":
        date = _date(value)
        if date is None:
            raise cell.error(f"{value!r} is not a date (write YYYY-MM-DD)", "not_date", value)
        return date
    flag = _flag(value)
    if flag is None:
        raise cell.error(f"{value!r} is not yes/no (write true or false)", "not_yes_no", value)
    return flag


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 1300 as 1300.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    return None


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def column_letter(number: int) -> str:
    """A spreadsheet column's letters (1 → A, 27 → AA), as Excel shows them."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(number))
