"""What the SOSI reader gives: the header, features, values and its one error type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike, fspath
from pathlib import Path
from typing import TypeAlias

from shapely.geometry.base import BaseGeometry

from etl.errors import LoadError

SosiValue: TypeAlias = str | tuple[str, ...] | dict[str, "SosiValue"] | list["SosiValue"]
"""An attribute value: see the docstring of etl.readers.sosi for which shape means what."""

StrPath: TypeAlias = str | PathLike[str]

# SOSI KOORDSYS codes: the same code families as GDAL's SOSI driver, but
# EUREF89 as ETRS89 (EPSG 2583x, 4258) as the project uses throughout.
KOORDSYS_EPSG: dict[int, int] = {
    **{code: 27390 + code for code in range(1, 9)},  # NGO1948 axes I-VIII
    **{code: 25810 + code for code in range(21, 27)},  # EUREF89 UTM 31-36
    **{code: 23000 + code for code in range(31, 37)},  # ED50 UTM 31-36
    84: 4258,  # EUREF89 geographic
}


class SosiError(LoadError):
    """A SOSI file could not be read; the message is '<file>:<line>: <reason>'.

    A LoadError, so a load records and reports it like any other bad input."""

    def __init__(self, path: StrPath, line: int | None, reason: str) -> None:
        """Keep the parts so callers can report them separately."""
        self.path = fspath(path)
        self.line = line
        self.reason = reason
        where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type[SosiError], tuple[str, int | None, str]]:
        """Pickle by the constructor arguments, for multiprocessing loaders."""
        return (type(self), (self.path, self.line, self.reason))


@dataclass(frozen=True)
class SosiHeader:
    """The parsed .HODE of a SOSI file."""

    encoding: str  # character set used to decode, e.g. 'UTF-8', 'ISO8859-10'
    epsg: int | None  # None when ...KOORDSYS is absent or has no known EPSG
    unit: float  # ...ENHET: stored coordinate integers are multiplied by this
    origin_n: float  # ...ORIGO-NØ, north
    origin_e: float  # ...ORIGO-NØ, east
    sosi_version: str | None  # ..SOSI-VERSJON, e.g. '4.5'
    raw: dict[str, SosiValue]  # every .HODE element, parsed like attributes
    koordsys: int | None = None  # ...KOORDSYS as written, for unknown codes
    # What the reader decided for the reader's user to know, e.g. a mislabelled charset.
    notes: tuple[str, ...] = ()


@dataclass
class SosiFeature:
    """One SOSI object with its attributes and shapely geometry."""

    object_type: str  # 'FLATE', 'KURVE', 'PUNKT', 'TEKST', 'BUEP', ...
    serial: int  # serial number from e.g. '.FLATE 12:'
    line: int  # line in the file where the object starts
    attributes: dict[str, SosiValue]  # everything but ..NØ and ..REF
    geometry: BaseGeometry | None  # (east, north); None for uninterpolated arcs


@dataclass
class SosiFile:
    """A whole SOSI file read into memory."""

    path: Path
    header: SosiHeader
    features: list[SosiFeature]


# Called with the error of an object that cannot be built, when the caller prefers to skip it.
SkipObject: TypeAlias = Callable[[SosiError], None]
