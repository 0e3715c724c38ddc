"""Strict streaming reader for SOSI, the Norwegian geodata exchange format.

GDAL's SOSI driver rejects UTF-8 files and the pyogrio wheels lack it, so the
ETL reads SOSI itself.  The reader streams the file once, line by line:

* ``read_header(path)`` parses ``.HODE`` (character set, coordinate system,
  origin and unit).
* ``iter_features(path)`` yields ``.FLATE`` polygons and ``.PUNKT``,
  ``.SYMBOL``, ``.TEKST`` and ``.SVERM`` points; with ``include_curves=True``
  it also yields ``.KURVE``/``.LINJE``/``.BUEP`` lines (and ``.BUE``,
  ``.SIRKEL``, ``.SIRKELP``, ``.KLOTOIDE`` and ``.BEZIER`` with geometry
  ``None``, since their geometry is not interpolated).
* ``read_sosi(path)`` collects both into a ``SosiFile``; it holds every
  feature in memory, so prefer ``iter_features`` for large files.

Geometries are shapely objects in (east, north) = (x, y) order, 2D, in the
coordinate system named by ``SosiHeader.epsg``.

Attribute values are kept as strings and converted by the loaders, because
identifiers such as ``PLANID`` or ``KOMM`` look numeric but must keep leading
zeros.  An element with one value gives a ``str``; with no value or several
unquoted values, a ``tuple`` of strings; with sub-elements (``...KOMM`` under
``..NASJONALAREALPLANID``), a ``dict``; an element that occurs more than once
gives a ``list`` of those, in file order.

Anything wrong with the input raises ``SosiError``, whose message is
``<file>:<line>: <reason>``.  Because the reader streams, features before the
offending line have already been yielded when the error is raised: load a
file inside one transaction.

Memory stays proportional to the curve coordinates, not to the text: curves
are kept as packed float arrays by serial number (a ``.FLATE`` may reference
curves further down the file), and ``.FLATE`` records whose curves have not
been seen yet wait until ``.SLUTT``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from etl.readers.sosi.geometry import ARC_STEP_DEGREES, Assembler
from etl.readers.sosi.model import (
    KOORDSYS_EPSG,
    SkipObject,
    SosiError,
    SosiFeature,
    SosiFile,
    SosiHeader,
    SosiValue,
    StrPath,
)
from etl.readers.sosi.parser import Parser

__all__ = [
    "ARC_STEP_DEGREES",
    "KOORDSYS_EPSG",
    "SosiError",
    "SosiFeature",
    "SosiFile",
    "SosiHeader",
    "SosiValue",
    "iter_features",
    "read_header",
    "read_sosi",
]


def read_header(path: StrPath, *, encoding: str | None = None) -> SosiHeader:
    """Read only the .HODE of a SOSI file."""
    parser = Parser(path, encoding)
    groups = parser.groups()
    try:
        # The first group is always .HODE; finishing it builds the header.
        next(groups, None)
    finally:
        groups.close()
    if parser.header is None:  # pragma: no cover - the prescan prevents it
        raise SosiError(path, 1, "no .HODE found")
    return parser.header


def iter_features(
    path: StrPath,
    *,
    include_curves: bool = False,
    encoding: str | None = None,
    on_skip: SkipObject | None = None,
) -> Iterator[SosiFeature]:
    """Stream the features of a SOSI file; `encoding` overrides ..TEGNSETT.

    With `on_skip`, an object that cannot be built (no coordinates, an open ring, an unknown
    object type) is reported to it and left out, so one odd object never blocks a file;
    without it, such an object raises SosiError."""
    return Assembler(Parser(path, encoding), include_curves, on_skip).features()


def read_sosi(path: StrPath, *, include_curves: bool = False, encoding: str | None = None) -> SosiFile:
    """Read a whole SOSI file into memory (use iter_features for big files)."""
    parser = Parser(path, encoding)
    features = list(Assembler(parser, include_curves).features())
    assert parser.header is not None  # set before the first feature is read
    return SosiFile(Path(path), parser.header, features)
