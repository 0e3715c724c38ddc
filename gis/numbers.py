"""Numbers typed by people or read from files: finite, or refused with a reason."""

from __future__ import annotations

import math
from typing import Any


def finite_number(value: Any) -> float:
    """A finite float from a number or text ("4 800,5", "4800.5"); ValueError for anything else.

    Python's float() accepts "nan", "inf", "1e309" and JSON's NaN/Infinity; none of them is an
    area, a count or a distance."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    try:
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
            if "\x00" in text:
                raise ValueError("the number contains a NUL byte")
            number = float(text)
    except OverflowError:  # an int beyond float's range
        raise ValueError(f"{value!r} is too large") from None
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


# Row ids and versions are PostgreSQL integers; a bigger number is no id, not a database error.
MAX_ID = 2**31 - 1
MAX_BIGINT = 2**63 - 1  # bygningsnummer and other bigint ids


def record_id(value: Any, *, maximum: int = MAX_ID) -> int:
    """A positive whole number that fits an integer column; ValueError for anything else."""
    number = int(str(value).strip())
    if not 0 < number <= maximum:
        raise ValueError(f"{value!r} is not an id")
    return number
