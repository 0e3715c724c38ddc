"""SOSI objects to shapely geometries: points, curves, interpolated arcs and the polygons
of .FLATE records, whose rings chain curves that may come later in the file."""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from etl.readers.sosi.model import SkipObject, SosiError, SosiFeature, SosiValue
from etl.readers.sosi.parser import SCHEMA_KINDS, Group, Parser

# Maximum angle between interpolated vertices of a .BUEP arc; 2 degrees keeps
# the chord within 0.015 % of the radius of the true arc (1.5 cm at 100 m).
ARC_STEP_DEGREES = 2.0

# One part of a ..REF value: '(' or ')' around a hole, or a signed curve number.
_REF_PART_RE = re.compile(r"\(|\)|:?-?\d+")

# Geometry object types, by what the reader does with them.
_LINE_KINDS = frozenset({"KURVE", "LINJE", "BUEP"})
_UNINTERPOLATED_KINDS = frozenset({"BUE", "SIRKEL", "SIRKELP", "KLOTOIDE", "BEZIER"})
_POINT_KINDS = frozenset({"PUNKT", "SYMBOL"})


@dataclass(slots=True)
class _Flate:
    """A .FLATE waiting for its curves."""

    serial: int
    line: int
    attrs: dict[str, SosiValue]
    shell: list[tuple[int, str]]  # (signed serial, token as written)
    holes: list[list[tuple[int, str]]]


class Assembler:
    """Turns Group records into SosiFeatures, resolving .FLATE references."""

    def __init__(self, parser: Parser, include_curves: bool, on_skip: SkipObject | None = None) -> None:
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

    def _object(self, group: Group, pending: list[_Flate]) -> SosiFeature | None:
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
        elif kind not in SCHEMA_KINDS:
            raise self.parser.error(group.line, f"unsupported object type .{kind}")
        return None

    def _feature(self, group: Group, geometry: BaseGeometry | None) -> SosiFeature:
        """Wrap a group and its geometry."""
        return SosiFeature(group.kind, group.serial, group.line, group.attrs, geometry)

    def _fail(self, group: Group | _Flate, reason: str) -> SosiError:
        """An error about one object, naming its type and serial number."""
        kind = group.kind if isinstance(group, Group) else "FLATE"
        return self.parser.error(group.line, f"{kind} {group.serial}: {reason}")

    def _point_geometry(self, group: Group) -> BaseGeometry:
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

    def _line_coords(self, group: Group) -> array[float]:
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

    def _flate(self, group: Group) -> _Flate:
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
