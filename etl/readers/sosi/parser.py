"""A SOSI file's text to its level-1 groups (.HODE, .KURVE, .FLATE, ...): elements,
values, coordinates scaled by the header's origin and unit, serial numbers checked."""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from os import fspath

from etl.readers.sosi.encoding import Decoder
from etl.readers.sosi.model import KOORDSYS_EPSG, SosiError, SosiHeader, SosiValue, StrPath

# Old SOSI files may carry schema sections; they describe, not contain, data.
SCHEMA_KINDS = frozenset({"DEF", "OBJDEF"})
_COORD_DIMS = {"NØ": 2, "NØH": 3, "NØD": 3}


_ELEMENT_RE = re.compile(r"(\.+)([^\W\d_][\w\-]*)")
_TOKEN_RE = re.compile(r"\"([^\"]*)\"|'([^']*)'|(!)|([^\s!]+)")
_NUMERIC_LINE_RE = re.compile(r"[\s0-9+\-]*")
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_SERIAL_RE = re.compile(r"(\d+):?")

# Parser modes: what a value token on the current line belongs to.
_NONE, _HEAD, _ATTR, _COORDS, _POINT_ATTR, _REF = range(6)


@dataclass(slots=True)
class _Node:
    """An attribute element being read, before it becomes a SosiValue."""

    name: str
    level: int
    line: int
    values: list[str] = field(default_factory=list)
    children: dict[str, SosiValue] | None = None


@dataclass(slots=True)
class Group:
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


class Parser:
    """Turns the lines of a SOSI file into Group records, one at a time."""

    def __init__(self, path: StrPath, encoding: str | None) -> None:
        """Remember the file; nothing is read until groups() is iterated."""
        self.path = fspath(path)
        self.decoder = Decoder(self.path, encoding, self.error)
        self.header: SosiHeader | None = None
        self.serials = _SerialSet()
        # Coordinate scaling, set from the header.
        self._origin_n = 0.0
        self._origin_e = 0.0
        self._unit = 1.0
        self._divisor = 1

    def error(self, line: int | None, reason: str) -> SosiError:
        """Build a SosiError for this file."""
        return SosiError(self.path, line, reason)

    def groups(self) -> Generator[Group, None, None]:
        """Yield every level-1 group up to .SLUTT, starting with .HODE."""
        try:
            with open(self.path, "rb") as handle:
                yield from self._parse(self.decoder.lines(handle))
        except OSError as exc:
            raise self.error(None, f"cannot read file: {exc.strerror or exc}") from exc

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

    def _add_coords(self, group: Group, nums: list[int | float], dim: int, lineno: int) -> None:
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

    def _parse(self, lines: Iterator[tuple[int, str]]) -> Iterator[Group]:
        """Run the element state machine over the lines."""
        group: Group | None = None
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
                    group = Group(name, lineno)
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

    def _close(self, group: Group, stack: list[_Node], level: int) -> None:
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

    def _finish(self, group: Group, stack: list[_Node]) -> Group:
        """Complete a group: attributes, serial number or header."""
        self._close(group, stack, 2)
        if group.kind == "HODE":
            if self.header is not None:
                raise self.error(group.line, "a second .HODE")
            self.header = self._build_header(group)
            return group
        if group.kind in SCHEMA_KINDS:
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

    def _build_header(self, group: Group) -> SosiHeader:
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
            encoding=self.decoder.charset,
            epsg=None if koordsys is None else KOORDSYS_EPSG.get(koordsys),
            unit=unit,
            origin_n=origin_n,
            origin_e=origin_e,
            sosi_version=version if isinstance(version, str) else None,
            raw=attrs,
            koordsys=koordsys,
            notes=tuple(self.decoder.notes),
        )


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
