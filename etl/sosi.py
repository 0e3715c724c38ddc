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

import math
import re
from array import array
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from os import PathLike, fspath
from pathlib import Path
from typing import IO, TypeAlias

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

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

SosiValue: TypeAlias = str | tuple[str, ...] | dict[str, "SosiValue"] | list["SosiValue"]
"""An attribute value: see the module docstring for which shape means what."""

StrPath: TypeAlias = str | PathLike[str]

# SOSI KOORDSYS codes: the same code families as GDAL's SOSI driver, but
# EUREF89 as ETRS89 (EPSG 2583x, 4258) as the project uses throughout.
KOORDSYS_EPSG: dict[int, int] = {
    **{code: 27390 + code for code in range(1, 9)},  # NGO1948 axes I-VIII
    **{code: 25810 + code for code in range(21, 27)},  # EUREF89 UTM 31-36
    **{code: 23000 + code for code in range(31, 37)},  # ED50 UTM 31-36
    84: 4258,  # EUREF89 geographic
}

# Maximum angle between interpolated vertices of a .BUEP arc; 2 degrees keeps
# the chord within 0.015 % of the radius of the true arc (1.5 cm at 100 m).
ARC_STEP_DEGREES = 2.0

# Python codecs for ..TEGNSETT, keyed by the name with case, '-', '_' and
# blanks removed so that 'ISO-8859-10' and 'iso8859_10' are accepted too.
_ND7 = "nd7"
_CHARSETS: dict[str, str] = {
    "UTF8": "utf-8",
    "ISO885910": "iso8859_10",
    "ISO88591": "latin-1",
    "ANSI": "cp1252",
    "DOSN8": "cp865",
    "ND7": _ND7,
}
# ND7 is 7-bit ASCII with the national letters in place of brackets/braces.
_ND7_TABLE = str.maketrans("[\\]{|}", "ÆØÅæøå")

# Geometry object types, by what the reader does with them.
_LINE_KINDS = frozenset({"KURVE", "LINJE", "BUEP"})
_UNINTERPOLATED_KINDS = frozenset({"BUE", "SIRKEL", "SIRKELP", "KLOTOIDE", "BEZIER"})
_POINT_KINDS = frozenset({"PUNKT", "SYMBOL"})
# Old SOSI files may carry schema sections; they describe, not contain, data.
_SCHEMA_KINDS = frozenset({"DEF", "OBJDEF"})
_COORD_DIMS = {"NØ": 2, "NØH": 3, "NØD": 3}

# A header longer than this means the file is not SOSI; stop before reading
# a whole unrelated file into memory.
_MAX_HEADER_LINES = 10_000

_BOM = b"\xef\xbb\xbf"
_HODE_BYTES_RE = re.compile(rb"\.HODE(?:[\s!]|$)")
_LEVEL1_BYTES_RE = re.compile(rb"\.[A-Za-z]")
_TEGNSETT_BYTES_RE = re.compile(rb"\.\.TEGNSETT\s+[\"']?([A-Za-z0-9_\-]+)")

_ELEMENT_RE = re.compile(r"(\.+)([^\W\d_][\w\-]*)")
_TOKEN_RE = re.compile(r"\"([^\"]*)\"|'([^']*)'|(!)|([^\s!]+)")
_NUMERIC_LINE_RE = re.compile(r"[\s0-9+\-]*")
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_SERIAL_RE = re.compile(r"(\d+):?")
_REF_PART_RE = re.compile(r"\(|\)|:?-?\d+")

# Parser modes: what a value token on the current line belongs to.
_NONE, _HEAD, _ATTR, _COORDS, _POINT_ATTR, _REF = range(6)


class SosiError(Exception):
    """A SOSI file could not be read; the message is '<file>:<line>: <reason>'."""

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


@dataclass(slots=True)
class _Node:
    """An attribute element being read, before it becomes a SosiValue."""

    name: str
    level: int
    line: int
    values: list[str] = field(default_factory=list)
    children: dict[str, SosiValue] | None = None


@dataclass(slots=True)
class _Group:
    """One level-1 object (.HODE, .KURVE, .FLATE, ...) as read from the file."""

    kind: str
    line: int
    head: list[str] = field(default_factory=list)
    attrs: dict[str, SosiValue] = field(default_factory=dict)
    coords: array[float] = field(default_factory=lambda: array("d"))
    ref: list[tuple[str, int]] = field(default_factory=list)
    serial: int = 0
    # Lines of the elements, kept for .HODE only so header errors can point
    # at the offending element.
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Flate:
    """A .FLATE waiting for its curves."""

    serial: int
    line: int
    attrs: dict[str, SosiValue]
    shell: list[tuple[int, str]]  # (signed serial, token as written)
    holes: list[list[tuple[int, str]]]


def read_header(path: StrPath, *, encoding: str | None = None) -> SosiHeader:
    """Read only the .HODE of a SOSI file."""
    parser = _Parser(path, encoding)
    groups = parser.groups()
    try:
        # The first group is always .HODE; finishing it builds the header.
        next(groups, None)
    finally:
        groups.close()
    if parser.header is None:  # pragma: no cover - the prescan prevents it
        raise SosiError(path, 1, "no .HODE found")
    return parser.header


# Called with the error of an object that cannot be built, when the caller prefers to skip it.
SkipObject: TypeAlias = Callable[[SosiError], None]


def iter_features(
    path: StrPath, *, include_curves: bool = False, encoding: str | None = None,
    on_skip: SkipObject | None = None,
) -> Iterator[SosiFeature]:
    """Stream the features of a SOSI file; `encoding` overrides ..TEGNSETT.

    With `on_skip`, an object that cannot be built (no coordinates, an open ring, an unknown
    object type) is reported to it and left out, so one odd object never blocks a file;
    without it, such an object raises SosiError."""
    return _Assembler(_Parser(path, encoding), include_curves, on_skip).features()


def read_sosi(path: StrPath, *, include_curves: bool = False, encoding: str | None = None) -> SosiFile:
    """Read a whole SOSI file into memory (use iter_features for big files)."""
    parser = _Parser(path, encoding)
    features = list(_Assembler(parser, include_curves).features())
    assert parser.header is not None  # set before the first feature is read
    return SosiFile(Path(path), parser.header, features)


class _Parser:
    """Turns the lines of a SOSI file into _Group records, one at a time."""

    def __init__(self, path: StrPath, encoding: str | None) -> None:
        """Remember the file; nothing is read until groups() is iterated."""
        self.path = fspath(path)
        self.encoding_override = encoding
        self.charset = ""
        self.header: SosiHeader | None = None
        self.notes: list[str] = []
        self.serials = _SerialSet()
        # Coordinate scaling, set from the header.
        self._origin_n = 0.0
        self._origin_e = 0.0
        self._unit = 1.0
        self._divisor = 1

    def error(self, line: int | None, reason: str) -> SosiError:
        """Build a SosiError for this file."""
        return SosiError(self.path, line, reason)

    def groups(self) -> Generator[_Group, None, None]:
        """Yield every level-1 group up to .SLUTT, starting with .HODE."""
        try:
            with open(self.path, "rb") as handle:
                yield from self._parse(self._lines(handle))
        except OSError as exc:
            raise self.error(None, f"cannot read file: {exc.strerror or exc}") from exc

    # -- bytes to text ---------------------------------------------------

    def _lines(self, handle: IO[bytes]) -> Iterator[tuple[int, str]]:
        """Yield (line number, decoded text) using the charset from .HODE."""
        # ..TEGNSETT is inside .HODE, which is written in that same charset:
        # scan the header as bytes (every SOSI charset is ASCII-compatible in
        # the element names), then decode header and body with the codec.
        head: list[bytes] = []
        declared: str | None = None
        declared_line = 0
        hode_line = 0
        has_bom = False
        lineno = 0
        for line in handle:
            lineno += 1
            raw = line
            if lineno == 1 and raw.startswith(_BOM):
                has_bom = True
                raw = raw[len(_BOM) :]
            head.append(raw)
            stripped = raw.strip()
            if not stripped or stripped.startswith(b"!"):
                continue
            if not hode_line:
                if not _HODE_BYTES_RE.match(stripped):
                    raise self.error(lineno, "file does not start with .HODE")
                hode_line = lineno
                continue
            if _LEVEL1_BYTES_RE.match(stripped):
                break
            match = _TEGNSETT_BYTES_RE.match(stripped)
            if match:
                declared = match.group(1).decode("ascii")
                declared_line = lineno
            if lineno > _MAX_HEADER_LINES:
                raise self.error(lineno, f".HODE runs past {_MAX_HEADER_LINES} lines; not SOSI?")
        if not hode_line:
            reason = "file is empty" if lineno == 0 else "file has no .HODE"
            raise self.error(max(lineno, 1), reason)

        name = self.encoding_override or declared
        if name is None:
            raise self.error(hode_line, "..TEGNSETT missing from .HODE; cannot tell the charset")
        codec = _CHARSETS.get(re.sub(r"[\s_\-]", "", name.upper()))
        if codec is None:
            known = "UTF-8, ISO8859-10, ISO8859-1, ANSI, DOSN8, ND7"
            where = None if self.encoding_override else declared_line
            raise self.error(where, f"unknown ..TEGNSETT {name!r} (known: {known})")
        if codec != "utf-8" and not self.encoding_override and _written_in_utf8(head, has_bom):
            # Exports re-saved by a text editor keep their old ..TEGNSETT line; read as
            # declared, ORIGO-NØ would come out as ORIGO-NÃ\x98 and nothing would match.
            evidence = "starts with a UTF-8 byte-order mark" if has_bom else "bytes are UTF-8"
            self.notes.append(
                f"{Path(self.path).name}:{declared_line}: ..TEGNSETT says {name}, but the file's "
                f"{evidence}; read as UTF-8 (give --encoding {name} to read it as declared)")
            name, codec = "UTF-8", "utf-8"
        if has_bom and codec != "utf-8":
            raise self.error(1, f"UTF-8 byte-order mark, but ..TEGNSETT is {name}")
        self.charset = name.upper()

        for number, raw in enumerate(head, start=1):
            yield number, self._decode(codec, number, raw)
        for raw in handle:
            lineno += 1
            yield lineno, self._decode(codec, lineno, raw)

    def _decode(self, codec: str, lineno: int, raw: bytes) -> str:
        """Decode one line strictly, naming the bad byte and its column."""
        raw = raw.rstrip(b"\r\n")
        try:
            if codec == _ND7:
                return raw.decode("ascii").translate(_ND7_TABLE)
            return raw.decode(codec)
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.end].hex(" ")
            raise self.error(
                lineno,
                f"byte(s) {bad} at column {exc.start + 1} are not valid "
                f"{self.charset} (the ..TEGNSETT of this file)",
            ) from None

    # -- text to groups ----------------------------------------------------

    def _tokens(self, lineno: int, text: str) -> list[tuple[str, bool]]:
        """Split a line into (token, was_quoted), dropping any comment."""
        if '"' not in text and "'" not in text and "!" not in text:
            return [(token, False) for token in text.split()]
        tokens: list[tuple[str, bool]] = []
        for match in _TOKEN_RE.finditer(text):
            double, single, comment, bare = match.groups()
            if comment:
                break
            if bare is not None:
                if bare[0] in "\"'":
                    raise self.error(lineno, f"unterminated quote in {bare!r}")
                tokens.append((bare, False))
            else:
                tokens.append((double if double is not None else single, True))
        return tokens

    def _number(self, lineno: int, token: str) -> int | float:
        """Parse one coordinate value; NaN, inf and the like are errors."""
        if "_" not in token:
            try:
                return int(token)
            except ValueError:
                pass
        if _DECIMAL_RE.fullmatch(token):
            return float(token)
        raise self.error(lineno, f"coordinate value {token!r} is not a plain decimal number")

    def _add_coords(self, group: _Group, nums: list[int | float], dim: int, lineno: int) -> None:
        """Scale one line's (north, east[, height]) tuples into group.coords."""
        if len(nums) % dim:
            what = "north east" if dim == 2 else "north east height"
            raise self.error(
                lineno,
                f"{len(nums)} coordinate value(s) on the line; expected whole '{what}' tuples",
            )
        out = group.coords
        origin_n, origin_e = self._origin_n, self._origin_e
        divisor, unit = self._divisor, self._unit
        for i in range(0, len(nums), dim):
            north, east = nums[i], nums[i + 1]
            # Dividing by 100 is correctly rounded, multiplying by the
            # inexact float 0.01 is not; so divide when ENHET is 1/integer.
            if divisor:
                out.append(origin_e + east / divisor)
                out.append(origin_n + north / divisor)
            else:
                out.append(origin_e + east * unit)
                out.append(origin_n + north * unit)
        nums.clear()

    def _parse(self, lines: Iterator[tuple[int, str]]) -> Iterator[_Group]:
        """Run the element state machine over the lines."""
        group: _Group | None = None
        stack: list[_Node] = []
        mode = _NONE
        dim = 2
        nums: list[int | float] = []
        lineno = 0
        for lineno, text in lines:
            if mode == _POINT_ATTR:
                # ...KP and similar apply to one point and end with the line.
                mode = _COORDS
            if mode == _COORDS and _NUMERIC_LINE_RE.fullmatch(text):
                # Fast path for the bulk of a file: a plain coordinate line.
                assert group is not None
                try:
                    nums = [int(token) for token in text.split()]
                except ValueError:
                    nums = []  # a stray sign: let the slow path explain
                else:
                    self._add_coords(group, nums, dim, lineno)
                    continue
            for token, quoted in self._tokens(lineno, text):
                element = None if quoted or token[0] != "." else _ELEMENT_RE.fullmatch(token)
                if element is None:
                    if mode == _COORDS:
                        nums.append(self._number(lineno, token))
                    elif mode == _ATTR:
                        stack[-1].values.append(token)
                    elif mode == _REF:
                        assert group is not None
                        if quoted:
                            raise self.error(lineno, f"quoted value {token!r} in ..REF")
                        group.ref.append((token, lineno))
                    elif mode == _HEAD:
                        assert group is not None
                        group.head.append(token)
                    elif mode == _NONE:
                        raise self.error(lineno, f"value {token!r} outside any element")
                    continue

                level = len(element.group(1))
                name = element.group(2)
                if mode == _COORDS:
                    assert group is not None
                    self._add_coords(group, nums, dim, lineno)
                    if level >= 3:
                        mode = _POINT_ATTR
                        continue
                elif mode == _POINT_ATTR and level >= 3:
                    continue

                if level == 1:
                    if group is not None:
                        yield self._finish(group, stack)
                    if name == "SLUTT":
                        return
                    if group is None and name != "HODE":  # pragma: no cover
                        raise self.error(lineno, "file does not start with .HODE")
                    group = _Group(name, lineno)
                    mode = _HEAD
                    continue
                if group is None:  # pragma: no cover - the prescan prevents it
                    raise self.error(lineno, f"{token} before .HODE")
                if level == 2:
                    self._close(group, stack, 2)
                    if name in _COORD_DIMS:
                        if group.kind == "HODE":
                            raise self.error(lineno, f"{token} inside .HODE")
                        mode, dim = _COORDS, _COORD_DIMS[name]
                        continue
                    if name == "REF":
                        mode = _REF
                        continue
                elif mode == _REF:
                    raise self.error(lineno, f"{token} cannot be a sub-element of ..REF")
                self._close(group, stack, level)
                if level > 2 and (not stack or stack[-1].level != level - 1):
                    raise self.error(lineno, f"{token} has no parent element one level up")
                stack.append(_Node(name, level, lineno))
                mode = _ATTR
            if mode == _COORDS:
                assert group is not None
                self._add_coords(group, nums, dim, lineno)
        raise self.error(lineno, "file ends without .SLUTT (truncated?)")

    def _close(self, group: _Group, stack: list[_Node], level: int) -> None:
        """Turn the open elements at `level` or deeper into attribute values."""
        while stack and stack[-1].level >= level:
            node = stack.pop()
            if node.children is not None:
                if node.values:
                    raise self.error(
                        node.line,
                        f"{'.' * node.level}{node.name} has both values and sub-elements",
                    )
                value: SosiValue = node.children
            elif len(node.values) == 1:
                value = node.values[0]
            else:
                value = tuple(node.values)
            if stack:
                parent = stack[-1]
                if parent.children is None:
                    parent.children = {}
                target = parent.children
            else:
                target = group.attrs
            _insert(target, node.name, value)
            if group.kind == "HODE":
                group.lines.setdefault(node.name, node.line)

    def _finish(self, group: _Group, stack: list[_Node]) -> _Group:
        """Complete a group: attributes, serial number or header."""
        self._close(group, stack, 2)
        if group.kind == "HODE":
            if self.header is not None:
                raise self.error(group.line, "a second .HODE")
            self.header = self._build_header(group)
            return group
        if group.kind in _SCHEMA_KINDS:
            return group  # no serial number; the assembler skips it
        if len(group.head) != 1 or not _SERIAL_RE.fullmatch(group.head[0]):
            found = " ".join(group.head) or "nothing"
            raise self.error(
                group.line,
                f".{group.kind} needs a serial number like '.{group.kind} 12:', found {found}",
            )
        group.serial = int(group.head[0].rstrip(":"))
        if group.serial in self.serials:
            raise self.error(group.line, f"serial number {group.serial} used twice")
        self.serials.add(group.serial)
        return group

    def _build_header(self, group: _Group) -> SosiHeader:
        """Validate .HODE and set up coordinate scaling."""
        attrs = group.attrs
        transpar = attrs.get("TRANSPAR")
        if not isinstance(transpar, dict):
            raise self.error(group.line, ".HODE has no ..TRANSPAR")

        def line_of(name: str) -> int:
            return group.lines.get(name, group.line)

        def number(name: str, value: SosiValue | None) -> float:
            if not isinstance(value, str):
                raise self.error(line_of(name), f"...{name} must be one number")
            try:
                result = float(value)
            except ValueError:
                result = math.nan
            if not math.isfinite(result):
                raise self.error(line_of(name), f"...{name} {value!r} is not a number")
            return result

        if "ENHET" not in transpar:
            raise self.error(line_of("TRANSPAR"), "..TRANSPAR has no ...ENHET")
        unit = number("ENHET", transpar["ENHET"])
        if unit <= 0:
            raise self.error(line_of("ENHET"), f"...ENHET {unit} must be positive")
        origin = transpar.get("ORIGO-NØ")
        if origin is None:
            raise self.error(line_of("TRANSPAR"), "..TRANSPAR has no ...ORIGO-NØ")
        if not isinstance(origin, tuple) or len(origin) != 2:
            raise self.error(line_of("ORIGO-NØ"), "...ORIGO-NØ needs north and east")
        origin_n = number("ORIGO-NØ", origin[0])
        origin_e = number("ORIGO-NØ", origin[1])

        koordsys: int | None = None
        raw_koordsys = transpar.get("KOORDSYS")
        if raw_koordsys is not None:
            if not isinstance(raw_koordsys, str) or not raw_koordsys.isdigit():
                raise self.error(line_of("KOORDSYS"), f"...KOORDSYS {raw_koordsys!r} is not a code")
            koordsys = int(raw_koordsys)
        version = attrs.get("SOSI-VERSJON")

        self._origin_n, self._origin_e, self._unit = origin_n, origin_e, unit
        inverse = round(1 / unit)
        self._divisor = inverse if inverse >= 1 and abs(inverse * unit - 1) < 1e-12 else 0
        return SosiHeader(
            encoding=self.charset,
            epsg=None if koordsys is None else KOORDSYS_EPSG.get(koordsys),
            unit=unit,
            origin_n=origin_n,
            origin_e=origin_e,
            sosi_version=version if isinstance(version, str) else None,
            raw=attrs,
            koordsys=koordsys,
            notes=tuple(self.notes),
        )


def _written_in_utf8(head: list[bytes], has_bom: bool) -> bool:
    """Whether the header's bytes decode as UTF-8 and show it: a non-ASCII letter or a BOM."""
    raw = b"".join(head)
    if raw.isascii() and not has_bom:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _SerialSet:
    """Serial numbers seen so far, as a bitmap: 1 bit, not ~90 bytes, each."""

    # Serials are normally dense from 1; a stray huge one goes to the set
    # instead of growing the bitmap to its size.
    _BITMAP_LIMIT = 1 << 24

    def __init__(self) -> None:
        """Start empty."""
        self._bits = bytearray()
        self._sparse: set[int] = set()

    def __contains__(self, serial: int) -> bool:
        """Whether the serial number has been added."""
        if serial >= self._BITMAP_LIMIT:
            return serial in self._sparse
        index = serial >> 3
        return index < len(self._bits) and bool(self._bits[index] & (1 << (serial & 7)))

    def add(self, serial: int) -> None:
        """Record a serial number."""
        if serial >= self._BITMAP_LIMIT:
            self._sparse.add(serial)
            return
        index = serial >> 3
        if index >= len(self._bits):
            # Grow geometrically so a long file costs amortised O(1) per add.
            self._bits.extend(bytes(max(index + 1 - len(self._bits), len(self._bits))))
        self._bits[index] |= 1 << (serial & 7)


def _insert(target: dict[str, SosiValue], name: str, value: SosiValue) -> None:
    """Add an attribute; a repeated name turns into a list of its values."""
    old = target.get(name)
    if old is None:
        target[name] = value
    elif isinstance(old, list):
        old.append(value)
    else:
        target[name] = [old, value]


class _Assembler:
    """Turns _Group records into SosiFeatures, resolving .FLATE references."""

    def __init__(self, parser: _Parser, include_curves: bool,
                 on_skip: SkipObject | None = None) -> None:
        """Start with no curves known."""
        self.parser = parser
        self.include_curves = include_curves
        self.on_skip = on_skip
        self.curves: dict[int, bytes] = {}
        self.uninterpolated: dict[int, str] = {}
        # Half a thousandth of a coordinate unit: stored integers either match
        # exactly or differ by at least one unit.
        self.tolerance = 0.0

    def features(self) -> Iterator[SosiFeature]:
        """Yield features in file order; deferred .FLATEs come after .SLUTT."""
        pending: list[_Flate] = []
        parser = self.parser
        for group in parser.groups():
            if group.kind == "HODE":
                assert parser.header is not None
                self.tolerance = parser.header.unit * 5e-4
                continue
            try:
                feature = self._object(group, pending)
            except SosiError as exc:
                if self.on_skip is None:
                    raise
                self.on_skip(exc)
                continue
            if feature is not None:
                yield feature
        # Only reached after .SLUTT: every curve has been seen now.
        for flate in pending:
            try:
                yield self._polygon(flate)
            except SosiError as exc:
                if self.on_skip is None:
                    raise
                self.on_skip(exc)

    def _object(self, group: _Group, pending: list[_Flate]) -> SosiFeature | None:
        """The feature of one object, if it has one to yield now."""
        kind = group.kind
        if kind == "FLATE":
            flate = self._flate(group)
            if all(abs(ref) in self.curves for ref, _ in self._refs(flate)):
                return self._polygon(flate)
            pending.append(flate)
        elif kind in _LINE_KINDS:
            # Packed bytes: exact size, unlike a growing array.
            coords = self._line_coords(group).tobytes()
            self.curves[group.serial] = coords
            if self.include_curves:
                return self._feature(group, shapely.LineString(_points(coords)))
        elif kind in _UNINTERPOLATED_KINDS:
            self.uninterpolated[group.serial] = kind
            if self.include_curves:
                return self._feature(group, None)
        elif kind in _POINT_KINDS or kind in ("TEKST", "SVERM"):
            return self._feature(group, self._point_geometry(group))
        elif kind not in _SCHEMA_KINDS:
            raise self.parser.error(group.line, f"unsupported object type .{kind}")
        return None

    def _feature(self, group: _Group, geometry: BaseGeometry | None) -> SosiFeature:
        """Wrap a group and its geometry."""
        return SosiFeature(group.kind, group.serial, group.line, group.attrs, geometry)

    def _fail(self, group: _Group | _Flate, reason: str) -> SosiError:
        """An error about one object, naming its type and serial number."""
        kind = group.kind if isinstance(group, _Group) else "FLATE"
        return self.parser.error(group.line, f"{kind} {group.serial}: {reason}")

    def _point_geometry(self, group: _Group) -> BaseGeometry:
        """PUNKT/SYMBOL: one point; TEKST: its first point; SVERM: all."""
        points = _points(group.coords)
        if len(points) == 0:
            raise self._fail(group, "no ..NØ coordinates")
        if group.kind == "SVERM":
            return shapely.MultiPoint(points)
        if group.kind == "PUNKT" and len(points) != 1:
            raise self._fail(group, f"{len(points)} points; expected 1")
        # A SYMBOL (e.g. RpJuridiskPunkt) or TEKST may give extra points for
        # its direction; the first is its position.
        return shapely.Point(points[0])

    def _line_coords(self, group: _Group) -> array[float]:
        """The coordinates of a KURVE/LINJE, or a BUEP interpolated."""
        count = len(group.coords) // 2
        if group.kind != "BUEP":
            if count < 2:
                raise self._fail(group, f"{count} point(s); a curve needs 2 or more")
            return group.coords
        if count != 3:
            raise self._fail(group, f"{count} point(s); a BUEP needs exactly 3")
        try:
            return _arc(group.coords, ARC_STEP_DEGREES)
        except ValueError as exc:
            raise self._fail(group, str(exc)) from None

    def _flate(self, group: _Group) -> _Flate:
        """Parse ..REF into an outer ring and holes of signed curve numbers."""
        if not group.ref:
            raise self._fail(group, "no ..REF")
        shell: list[tuple[int, str]] = []
        holes: list[list[tuple[int, str]]] = []
        hole: list[tuple[int, str]] | None = None
        for token, lineno in group.ref:
            parts = _REF_PART_RE.findall(token)
            if "".join(parts) != token:
                raise self.parser.error(lineno, f"bad ..REF value {token!r}")
            for part in parts:
                if part == "(":
                    if hole is not None:
                        raise self.parser.error(lineno, "nested '(' in ..REF")
                    hole = []
                elif part == ")":
                    if hole is None:
                        raise self.parser.error(lineno, "')' without '(' in ..REF")
                    if not hole:
                        raise self.parser.error(lineno, "empty '( )' in ..REF")
                    holes.append(hole)
                    hole = None
                else:
                    serial = int(part.lstrip(":"))
                    if serial == 0:
                        raise self.parser.error(lineno, f"bad curve number {part!r}")
                    (shell if hole is None else hole).append((serial, part))
        last_line = group.ref[-1][1]
        if hole is not None:
            raise self.parser.error(last_line, "'(' without ')' in ..REF")
        if not shell:
            raise self.parser.error(last_line, "..REF has no outer boundary")
        return _Flate(group.serial, group.line, group.attrs, shell, holes)

    @staticmethod
    def _refs(flate: _Flate) -> Iterator[tuple[int, str]]:
        """Every curve reference of a FLATE."""
        yield from flate.shell
        for hole in flate.holes:
            yield from hole

    def _polygon(self, flate: _Flate) -> SosiFeature:
        """Build the polygon of a FLATE from its referenced curves."""
        shell = self._ring(flate, flate.shell)
        holes = [self._ring(flate, hole) for hole in flate.holes]
        try:
            geometry = shapely.Polygon(shell, holes)
        except (GEOSException, ValueError) as exc:  # pragma: no cover - defensive
            raise self._fail(flate, f"cannot build polygon: {exc}") from None
        return SosiFeature("FLATE", flate.serial, flate.line, flate.attrs, geometry)

    def _ring(self, flate: _Flate, refs: list[tuple[int, str]]) -> np.ndarray:
        """Chain referenced curves into one closed ring."""
        parts: list[np.ndarray] = []
        end: np.ndarray | None = None
        for ref, written in refs:
            coords = self.curves.get(abs(ref))
            if coords is None:
                kind = self.uninterpolated.get(abs(ref))
                if kind is not None:
                    raise self._fail(
                        flate,
                        f"..REF {written} is a {kind}, which this reader does not interpolate",
                    )
                raise self._fail(flate, f"..REF {written}: no curve {abs(ref)} in the file")
            points = _points(coords)
            if ref < 0:
                points = points[::-1]
            if end is not None:
                if not self._same(points[0], end):
                    raise self._fail(
                        flate,
                        f"ring not closed: curve {written} starts at "
                        f"{_fmt(points[0])}, the ring so far ends at {_fmt(end)}",
                    )
                points = points[1:]  # the joint vertex is already in the ring
            parts.append(points)
            if len(points):
                end = points[-1]
        ring = np.concatenate(parts)  # a copy: the stored curves stay intact
        if not self._same(ring[0], ring[-1]):
            raise self._fail(
                flate,
                f"ring not closed: it starts at {_fmt(ring[0])} and ends at {_fmt(ring[-1])}",
            )
        ring[-1] = ring[0]  # exactly closed, for GEOS
        if len(ring) < 4:
            raise self._fail(flate, f"ring has only {len(ring)} vertices")
        return ring

    def _same(self, a: np.ndarray, b: np.ndarray) -> bool:
        """Whether two vertices coincide within the tolerance."""
        return bool(abs(a[0] - b[0]) <= self.tolerance) and bool(abs(a[1] - b[1]) <= self.tolerance)


def _points(coords: array[float] | bytes) -> np.ndarray:
    """View interleaved x, y values as an (n, 2) array without copying."""
    return np.frombuffer(coords, dtype=np.float64).reshape(-1, 2)


def _fmt(point: np.ndarray) -> str:
    """Format a vertex for an error message, east first."""
    return f"(E {point[0]:.3f}, N {point[1]:.3f})"


def _arc(coords: array[float], step_degrees: float) -> array[float]:
    """Interpolate the circular arc through start, middle and end point."""
    x0, y0, x1, y1, x2, y2 = coords
    # Work relative to the start point: squaring UTM-sized coordinates would
    # throw away the centimetres.
    bx, by = x1 - x0, y1 - y0
    cx, cy = x2 - x0, y2 - y0
    if (bx == 0 and by == 0) or (cx == 0 and cy == 0) or (bx == cx and by == cy):
        raise ValueError("arc points coincide, so they fix no circle")
    cross = bx * cy - by * cx
    scale = max(bx * bx + by * by, cx * cx + cy * cy)
    if abs(cross) <= 1e-12 * scale:
        # Three points on a line are an arc of infinite radius.
        return array("d", coords)
    b2, c2 = bx * bx + by * by, cx * cx + cy * cy
    ux = (cy * b2 - by * c2) / (2 * cross)  # centre, relative to the start
    uy = (bx * c2 - cx * b2) / (2 * cross)
    radius = math.hypot(ux, uy)
    start = math.atan2(-uy, -ux)
    stop = math.atan2(cy - uy, cx - ux)
    # A counter-clockwise triangle start-middle-end means a counter-clockwise
    # arc, so the sweep's sign follows the cross product.
    sweep = (stop - start) % math.tau if cross > 0 else -((start - stop) % math.tau)
    steps = max(2, math.ceil(abs(sweep) / math.radians(step_degrees)))
    out = array("d", (x0, y0))
    for i in range(1, steps):
        angle = start + sweep * i / steps
        out.append(x0 + ux + radius * math.cos(angle))
        out.append(y0 + uy + radius * math.sin(angle))
    out.extend((x2, y2))  # exact end point, so joints with other curves match
    return out
