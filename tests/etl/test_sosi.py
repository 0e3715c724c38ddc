"""Tests for the SOSI reader in etl/readers/sosi."""

from __future__ import annotations

import json
import math
import pickle
import shutil
import subprocess
import textwrap
import tracemalloc
from pathlib import Path

import pytest
import shapely

from etl.readers.sosi import (
    SosiError,
    SosiFeature,
    iter_features,
    read_header,
    read_sosi,
)

PLAN = Path(__file__).resolve().parents[1] / "data" / "sosi" / "plan.sos"
NORWEGIAN = "Næringsbebyggelse Ø Å"

HEADER = """\
.HODE
..TEGNSETT {charset}
..TRANSPAR
...KOORDSYS 22
...ORIGO-NØ {origin}
...ENHET {unit}
..SOSI-VERSJON 4.5
..SOSI-NIVÅ 4
"""


def sosi(
    body: str, *, charset: str = "UTF-8", origin: str = "0 0", unit: str = "1", slutt: bool = True
) -> str:
    """A SOSI text: a standard header, the dedented body and .SLUTT."""
    text = HEADER.format(charset=charset, origin=origin, unit=unit)
    text += textwrap.dedent(body).strip("\n") + "\n"
    return text + ".SLUTT\n" if slutt else text


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "t.sos") -> Path:
    """Write a SOSI text in the given Python codec."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line containing needle."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def by_serial(features: list[SosiFeature]) -> dict[int, SosiFeature]:
    """Index features by serial number."""
    return {feature.serial: feature for feature in features}


def coords(feature: SosiFeature) -> list[tuple[float, ...]]:
    """The coordinates of a line or point feature as tuples."""
    assert feature.geometry is not None
    return [tuple(point) for point in shapely.get_coordinates(feature.geometry)]


# --- the stored fixture -------------------------------------------------------


def test_header_of_fixture() -> None:
    header = read_header(PLAN)
    assert header.encoding == "UTF-8"
    assert header.koordsys == 22
    assert header.epsg == 25832
    assert header.unit == 0.01
    assert (header.origin_n, header.origin_e) == (0.0, 0.0)
    assert header.sosi_version == "4.5"
    assert header.raw["SOSI-NIVÅ"] == "4"
    assert header.raw["OMRÅDE"] == {
        "MIN-NØ": ("6630000", "589000"),
        "MAX-NØ": ("6632000", "591000"),
    }
    assert header.raw["INNHOLD"] == {"PRODUKTSPEK": "Reguleringsplan 4.5"}


def test_fixture_order_defers_forward_references() -> None:
    # FLATE 1 references curves further down, so it comes after .SLUTT;
    # FLATE 7 follows its curves and streams out in place.
    features = list(iter_features(PLAN))
    assert [(f.object_type, f.serial, f.line) for f in features] == [
        ("FLATE", 7, 65),
        ("PUNKT", 8, 76),
        ("TEKST", 9, 80),
        ("FLATE", 1, 16),
    ]


def test_fixture_attributes() -> None:
    flate = by_serial(list(iter_features(PLAN)))[1]
    assert flate.attributes == {
        "OBJTYPE": "RpArealformålOmråde",
        "AREALFORMÅL": "1300",
        "FELTNAVN": "BN 1",  # quoted: the blank stays
        "EIERFORM": "3",
        "BESKRIVELSE": NORWEGIAN,
        "UTNYTT": {"UTNTYP": "16", "UTNTALL": "60"},
        "NASJONALAREALPLANID": {"KOMM": "3203", "PLANID": "2021-004"},
        "KVALITET": ("82", "200"),  # the trailing comment is gone
        "INFORMASJON": ["første", "andre linje"],  # repeated; single quotes
    }


def test_fixture_polygon_with_reversed_curve_and_hole() -> None:
    flate = by_serial(list(iter_features(PLAN)))[1]
    polygon = flate.geometry
    assert polygon is not None
    assert polygon.geom_type == "Polygon"
    # ..REF :2 :-3: curve 2 as stored, then curve 3 backwards, joints once.
    assert list(polygon.exterior.coords) == [
        (590000.0, 6631000.0),
        (590200.0, 6631000.0),
        (590200.0, 6631200.0),
        (590000.0, 6631200.0),
        (590000.0, 6631000.0),
    ]
    assert len(polygon.interiors) == 1
    assert shapely.Polygon(polygon.interiors[0]).area == 2500.0
    assert polygon.area == 40000.0 - 2500.0
    assert polygon.is_valid


def test_fixture_multiline_ref_with_arc() -> None:
    flate = by_serial(list(iter_features(PLAN)))[7]
    assert flate.attributes["FELTNAVN"] == "BI 2"
    polygon = flate.geometry
    assert polygon is not None
    # A half disc of radius 100 m north of the chord, as a fine polygon.
    assert polygon.area == pytest.approx(math.pi * 100**2 / 2, rel=1e-3)
    assert polygon.bounds == pytest.approx((590300.0, 6631000.0, 590500.0, 6631100.0), abs=1e-6)
    assert polygon.is_valid


def test_fixture_points_and_text() -> None:
    features = by_serial(list(iter_features(PLAN)))
    punkt, tekst = features[8], features[9]
    assert punkt.geometry is not None
    assert punkt.geometry.equals(shapely.Point(590150, 6631150))
    assert not punkt.geometry.has_z  # ..NØH: the height is dropped
    assert tekst.attributes["STRENG"] == NORWEGIAN
    assert coords(tekst) == [(590110.0, 6631110.0)]


def test_fixture_curves_when_asked() -> None:
    features = by_serial(list(iter_features(PLAN, include_curves=True)))
    assert [f.object_type for f in features.values()] == [
        "KURVE", "KURVE", "KURVE", "BUEP", "KURVE", "FLATE", "PUNKT", "TEKST", "FLATE"
    ]  # fmt: skip
    # Curve 2 has ...KP 1 on its first point and a second ..NØ block.
    assert coords(features[2]) == [
        (590000.0, 6631000.0),
        (590200.0, 6631000.0),
        (590200.0, 6631200.0),
    ]
    # Curve 6 gives two coordinate pairs on one line.
    assert coords(features[6]) == [(590500.0, 6631000.0), (590300.0, 6631000.0)]
    assert features[2].attributes == {"OBJTYPE": "RpGrense"}


def test_read_sosi_collects_header_and_features() -> None:
    result = read_sosi(PLAN)
    assert result.path == PLAN
    assert result.header == read_header(PLAN)
    assert [f.serial for f in result.features] == [7, 8, 9, 1]


# --- character sets ---------------------------------------------------------


def _nd7(text: str) -> bytes:
    return text.translate(str.maketrans("ÆØÅæøå", "[\\]{|}")).encode("ascii")


@pytest.mark.parametrize(
    ("charset", "codec"),
    [
        ("UTF-8", "utf-8"),
        ("ISO8859-10", "iso8859_10"),
        ("ISO8859-1", "latin-1"),
        ("ANSI", "cp1252"),
        ("DOSN8", "cp865"),
        ("ND7", None),
    ],
)
def test_charsets_read_back_identically(tmp_path: Path, charset: str, codec: str | None) -> None:
    text = PLAN.read_text(encoding="utf-8").replace("TEGNSETT UTF-8", f"TEGNSETT {charset}")
    data = _nd7(text) if codec is None else text.encode(codec)
    if charset != "UTF-8":
        assert data != text.encode("utf-8")  # the test really changes the bytes
    path = tmp_path / f"plan-{charset}.sos"
    path.write_bytes(data)

    header = read_header(path)
    assert header.encoding == charset
    assert header.raw["SOSI-NIVÅ"] == "4"
    features = by_serial(list(iter_features(path)))
    assert features[9].attributes["STRENG"] == NORWEGIAN
    assert features[1].attributes["OBJTYPE"] == "RpArealformålOmråde"
    reference = list(iter_features(PLAN))
    assert [(f.serial, f.attributes) for f in features.values()] == [
        (f.serial, f.attributes) for f in reference
    ]
    assert all(
        f.geometry is not None and g.geometry is not None and f.geometry.equals_exact(g.geometry, 0)
        for f, g in zip(features.values(), reference, strict=True)
    )


def test_charset_name_variants_and_bom(tmp_path: Path) -> None:
    text = sosi(f'.TEKST 1:\n..STRENG "{NORWEGIAN}"\n..NØ\n1 2\n', charset="iso-8859-10")
    path = write(tmp_path, text, "iso8859_10")
    assert next(iter_features(path)).attributes["STRENG"] == NORWEGIAN

    bom = tmp_path / "bom.sos"
    bom.write_bytes(b"\xef\xbb\xbf" + sosi('.TEKST 1:\n..STRENG "Å"\n..NØ\n1 2\n').encode())
    assert next(iter_features(bom)).attributes["STRENG"] == "Å"


def test_encoding_override(tmp_path: Path) -> None:
    text = sosi('.TEKST 1:\n..STRENG "Ø"\n..NØ\n1 2\n').replace("..TEGNSETT UTF-8\n", "")
    path = write(tmp_path, text, "cp865")
    assert next(iter_features(path, encoding="DOSN8")).attributes["STRENG"] == "Ø"
    assert read_header(path, encoding="DOSN8").encoding == "DOSN8"


# --- coordinates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "origin", "stored", "expected"),
    [
        ("1", "0 0", "6631000 590000", (590000.0, 6631000.0)),
        ("0.01", "0 0", "663100012 59000034", (590000.34, 6631000.12)),
        ("0.1", "6600000 500000", "12345 6789", (500678.9, 6601234.5)),
        ("0.001", "6600000 500000", "-1 2", (500000.002, 6599999.999)),
        ("10", "0 0", "663100 59000", (590000.0, 6631000.0)),
        ("0.01", "0 0", "663100012.5 59000034", (590000.34, 6631000.125)),
    ],
)
def test_origin_and_unit_scaling(
    tmp_path: Path, unit: str, origin: str, stored: str, expected: tuple[float, float]
) -> None:
    path = write(tmp_path, sosi(f".PUNKT 1:\n..NØ\n{stored}\n", unit=unit, origin=origin))
    point = next(iter_features(path)).geometry
    assert point is not None
    # North comes first in the file, east first (x) in the geometry.
    assert (point.x, point.y) == pytest.approx(expected, abs=1e-9)


def test_decimal_units_are_exact(tmp_path: Path) -> None:
    # 663100012 * 0.01 is 6631000.12000000001 in floats; dividing is exact.
    path = write(tmp_path, sosi(".PUNKT 1:\n..NØ\n663100012 59000034\n", unit="0.01"))
    point = next(iter_features(path)).geometry
    assert point is not None
    assert (point.x, point.y) == (590000.34, 6631000.12)


def test_coordinates_on_the_element_line_and_kp_mid_block(tmp_path: Path) -> None:
    # Not how fyba writes it, but unambiguous: accept coordinates after ...KP.
    body = """
        .KURVE 1:
        ..NØ 0 0 ...KP 1
        0 10 ...KP 2 ! comment after the point attribute
        10 10 ! comment after coordinates
        .KURVE 2:
        ..NØH
        0 0 5 10 0 6
    """
    features = list(iter_features(write(tmp_path, sosi(body)), include_curves=True))
    assert coords(features[0]) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
    assert coords(features[1]) == [(0.0, 0.0), (0.0, 10.0)]


# --- FLATE assembly -------------------------------------------------------------

SQUARE_CURVES = """
    .KURVE 1:
    ..NØ
    0 0
    0 100
    .KURVE 2:
    ..NØ
    100 0
    100 100
    0 100
    .KURVE 3:
    ..NØ
    100 0
    0 0
    .KURVE 4:
    ..NØ
    10 10
    10 20
    20 20
    20 10
    10 10
    .KURVE 5:
    ..NØ
    50 50
    50 60
    60 60
    .KURVE 6:
    ..NØ
    60 60
    60 50
    50 50
"""


@pytest.mark.parametrize(
    "ref",
    [
        "..REF :1 :-2 :3",
        "..REF 1 -2 3",
        "..REF :1\n:-2\n:3",
        "..REF :1 :-2 :3 ( :4 ) ( :5 :6 )",
        "..REF :1 :-2 :3\n(:4) (:5\n:6)",
        "..REF :1 :-2 :3 (:-4) (:-6 :-5)",
    ],
)
def test_ref_variants(tmp_path: Path, ref: str) -> None:
    body = SQUARE_CURVES + f".FLATE 9:\n{ref}\n..NØ\n50 50\n"
    flate = next(f for f in iter_features(write(tmp_path, sosi(body))) if f.serial == 9)
    polygon = flate.geometry
    assert polygon is not None
    assert shapely.Polygon(polygon.exterior).area == 10000.0
    assert len(polygon.interiors) == ref.count("(")
    assert polygon.area == 10000.0 - 100.0 * ref.count("(")
    assert polygon.is_valid


def test_flate_before_and_after_its_curves(tmp_path: Path) -> None:
    body = ".FLATE 8:\n..REF :1 :-2 :3\n" + SQUARE_CURVES + ".FLATE 9:\n..REF :1 :-2 :3\n"
    assert [f.serial for f in iter_features(write(tmp_path, sosi(body)))] == [9, 8]


def test_flate_ignores_its_representative_point(tmp_path: Path) -> None:
    body = SQUARE_CURVES + ".FLATE 9:\n..REF :1 :-2 :3\n..NØ\n5000 5000\n"
    flate = next(f for f in iter_features(write(tmp_path, sosi(body))) if f.serial == 9)
    assert flate.geometry is not None
    assert flate.geometry.bounds == (0.0, 0.0, 100.0, 100.0)
    assert "NØ" not in flate.attributes and "REF" not in flate.attributes


# --- arcs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "centre", "radius", "side"),
    [
        # start, middle, end as north east; the arc must pass the middle's side
        ("0 300 100 400 0 500", (400.0, 0.0), 100.0, "north"),
        ("0 300 -100 400 0 500", (400.0, 0.0), 100.0, "south"),
        ("0 500 100 400 0 300", (400.0, 0.0), 100.0, "north"),
        ("663100000 59030000 663103000 59035000 663110000 59040000", None, None, None),
    ],
)
def test_buep_points_lie_on_the_circle(
    tmp_path: Path,
    stored: str,
    centre: tuple[float, float] | None,
    radius: float | None,
    side: str | None,
) -> None:
    unit = "1" if centre else "0.01"
    path = write(tmp_path, sosi(f".BUEP 1:\n..NØ\n{stored}\n", unit=unit))
    arc = next(iter_features(path, include_curves=True))
    points = coords(arc)
    values = [float(v) * float(unit) for v in stored.split()]
    start, middle, end = (values[1], values[0]), (values[3], values[2]), (values[5], values[4])
    assert points[0] == start and points[-1] == end  # exact, so joints match
    if centre is None or radius is None:  # circle through the three points
        ax, ay = start
        bx, by = middle[0] - ax, middle[1] - ay
        cx, cy = end[0] - ax, end[1] - ay
        d = 2 * (bx * cy - by * cx)
        ux = (cy * (bx * bx + by * by) - by * (cx * cx + cy * cy)) / d
        uy = (bx * (cx * cx + cy * cy) - cx * (bx * bx + by * by)) / d
        centre, radius = (ax + ux, ay + uy), math.hypot(ux, uy)
    for x, y in points:
        assert math.hypot(x - centre[0], y - centre[1]) == pytest.approx(radius, abs=1e-6)
    assert len(points) > 10
    line = shapely.LineString(points)
    # The interpolated arc passes within a chord's sagitta of the middle point.
    assert line.distance(shapely.Point(middle)) < radius * (1 - math.cos(math.radians(1))) + 1e-6
    if side == "north":
        assert min(y for _, y in points) >= 0.0
    elif side == "south":
        assert max(y for _, y in points) <= 0.0


def test_buep_on_a_line_is_straight(tmp_path: Path) -> None:
    path = write(tmp_path, sosi(".BUEP 1:\n..NØ\n0 0\n0 5\n0 10\n"))
    assert coords(next(iter_features(path, include_curves=True))) == [
        (0.0, 0.0),
        (5.0, 0.0),
        (10.0, 0.0),
    ]


def test_uninterpolated_arc_types(tmp_path: Path) -> None:
    body = ".BUE 1:\n..RADIUS 50\n..NØ\n0 0\n0 100\n"
    features = list(iter_features(write(tmp_path, sosi(body)), include_curves=True))
    assert [(f.object_type, f.geometry, f.attributes) for f in features] == [("BUE", None, {"RADIUS": "50"})]
    assert list(iter_features(write(tmp_path, sosi(body), name="u.sos"))) == []


# --- attributes, quoting, comments ----------------------------------------


def test_attribute_shapes(tmp_path: Path) -> None:
    body = """
        ! a whole-line comment with "quotes" and ..DOTS
        .PUNKT 1:   ! comment after the serial
        ..OBJTYPE RpPåskrift
        ..PLANNAVN Holmen næringsområde
        ..TOM ""
        ..FLAGG
        ..MIX 'a b' c "d ! e ..F"
        ..KOPIDATA
        ...OMRÅDEID 3203
        ...ORIGINALDATAVERT "Asker kommune"
        ...KOPIDATO 20240101
        ..IDENT
        ...LOKALID "abc"
        ...NIVÅ3
        ....NIVÅ4 x
        ....NIVÅ4 y
        ..UTNYTT
        ...UTNTYP 16
        ...UTNTALL 60
        ..UTNYTT
        ...UTNTYP 18
        ...UTNTALL 120
        ..NØ
        1 2
    """
    feature = next(iter_features(write(tmp_path, sosi(body))))
    assert feature.attributes == {
        "OBJTYPE": "RpPåskrift",
        "PLANNAVN": ("Holmen", "næringsområde"),  # unquoted words stay apart
        "TOM": "",
        "FLAGG": (),
        "MIX": ("a b", "c", "d ! e ..F"),
        "KOPIDATA": {
            "OMRÅDEID": "3203",
            "ORIGINALDATAVERT": "Asker kommune",
            "KOPIDATO": "20240101",
        },
        "IDENT": {"LOKALID": "abc", "NIVÅ3": {"NIVÅ4": ["x", "y"]}},
        "UTNYTT": [
            {"UTNTYP": "16", "UTNTALL": "60"},
            {"UTNTYP": "18", "UTNTALL": "120"},
        ],
    }


def test_values_keep_leading_zeros(tmp_path: Path) -> None:
    body = ".PUNKT 1:\n..NASJONALAREALPLANID\n...KOMM 0301\n...PLANID 0042\n..NØ\n1 2\n"
    feature = next(iter_features(write(tmp_path, sosi(body))))
    assert feature.attributes["NASJONALAREALPLANID"] == {"KOMM": "0301", "PLANID": "0042"}


def test_sverm_and_extra_text_points(tmp_path: Path) -> None:
    body = ".SVERM 1:\n..NØ\n0 0\n1 1\n2 2\n.TEKST 2:\n..STRENG x\n..NØ\n5 5\n6 6\n"
    sverm, tekst = list(iter_features(write(tmp_path, sosi(body))))
    assert sverm.geometry is not None and sverm.geometry.geom_type == "MultiPoint"
    assert len(coords(sverm)) == 3
    assert coords(tekst) == [(5.0, 5.0)]


def test_schema_sections_are_skipped(tmp_path: Path) -> None:
    body = ".DEF\n..OBJTYPE T32\n.PUNKT 1:\n..NØ\n1 2\n"
    assert [f.serial for f in iter_features(write(tmp_path, sosi(body)))] == [1]


# --- streaming and memory ----------------------------------------------------


def test_features_stream_out_before_a_later_error(tmp_path: Path) -> None:
    body = ".PUNKT 1:\n..NØ\n1 2\n.PUNKT 2:\n..NØ\n1 x\n"
    features = iter_features(write(tmp_path, sosi(body)))
    assert next(features).serial == 1
    with pytest.raises(SosiError, match="'x'"):
        next(features)


def _big_file(path: Path, objects: int, kind: str) -> int:
    """Write a file of many PUNKTs or many 20-vertex KURVEs; return its size."""
    with path.open("w", encoding="utf-8") as out:
        out.write(sosi("", slutt=False))
        for serial in range(1, objects + 1):
            out.write(f".{kind} {serial}:\n..OBJTYPE RpGrense\n")
            out.write('..IDENT\n...LOKALID "a1b2c3d4-e5f6"\n..KVALITET 82 200\n..NØ\n')
            vertices = 1 if kind == "PUNKT" else 20
            out.writelines(f"{663100000 + i * 7} {59000000 + serial}\n" for i in range(vertices))
        out.write(".SLUTT\n")
    return path.stat().st_size


def _peak_memory(path: Path) -> int:
    tracemalloc.start()
    try:
        for _ in iter_features(path):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_for_points(tmp_path: Path) -> None:
    size = _big_file(tmp_path / "points.sos", 30_000, "PUNKT")
    assert size > 3_000_000
    # Nothing needs keeping but a bitmap of serial numbers.
    assert _peak_memory(tmp_path / "points.sos") < size / 20


def test_memory_for_curves_stays_below_the_file_size(tmp_path: Path) -> None:
    size = _big_file(tmp_path / "curves.sos", 10_000, "KURVE")
    assert size > 4_000_000
    # Curves are kept (a FLATE may come later) as packed floats only.
    assert _peak_memory(tmp_path / "curves.sos") < size


# --- errors -----------------------------------------------------------------

ERROR_CASES: dict[str, tuple[str, str, str]] = {
    # name: (file text, needle on the offending line, fragment of the reason)
    "no HODE": ("! comment\n.KURVE 1:\n..NØ\n0 0\n0 1\n.SLUTT\n", ".KURVE", "start with .HODE"),
    "only comments": ("! one\n! two\n", "! two", "no .HODE"),
    "truncated": (sosi(".PUNKT 1:\n..NØ\n1 2\n", slutt=False), "1 2", "without .SLUTT"),
    "non-numeric coordinate": (sosi(".PUNKT 1:\n..NØ\n6631000 59O000\n"), "59O000", "'59O000'"),
    "odd coordinate count": (sosi(".KURVE 1:\n..NØ\n1 2\n3\n"), "3", "1 coordinate value"),
    "odd count before KP": (sosi(".KURVE 1:\n..NØ\n1 2 3 ...KP 1\n"), "KP", "3 coordinate"),
    "NaN": (sosi(".PUNKT 1:\n..NØ\nNaN 12\n"), "NaN", "'NaN' is not a plain decimal"),
    "inf": (sosi(".PUNKT 1:\n..NØ\n12 -inf\n"), "-inf", "'-inf'"),
    "lone sign": (sosi(".PUNKT 1:\n..NØ\n12 -\n"), "12 -", "'-'"),
    "unknown TEGNSETT": (sosi("", charset="KLINGON"), "TEGNSETT", "unknown ..TEGNSETT 'KLINGON'"),
    "missing TEGNSETT": (sosi("").replace("..TEGNSETT UTF-8\n", ""), ".HODE", "TEGNSETT missing"),
    "missing TRANSPAR": (
        ".HODE\n..TEGNSETT UTF-8\n..SOSI-VERSJON 4.5\n.SLUTT\n",
        ".HODE",
        "no ..TRANSPAR",
    ),
    "missing ENHET": (sosi("").replace("...ENHET 1\n", ""), "..TRANSPAR", "no ...ENHET"),
    "bad ENHET": (sosi("", unit="nan"), "ENHET", "...ENHET 'nan' is not a number"),
    "zero ENHET": (sosi("", unit="0"), "ENHET", "must be positive"),
    "bad ORIGO": (sosi("", origin="1"), "ORIGO", "needs north and east"),
    "bad KOORDSYS": (sosi("").replace("KOORDSYS 22", "KOORDSYS x"), "KOORDSYS", "not a code"),
    "second HODE": (sosi(".HODE 0:\n..TEGNSETT UTF-8\n"), ".HODE 0:", "a second .HODE"),
    "coordinates in HODE": (
        sosi("").replace("..SOSI-VERSJON", "..NØ\n1 2\n..SOSI-VERSJON"),
        "..NØ",
        "inside .HODE",
    ),
    "ring not closed": (
        sosi(".KURVE 1:\n..NØ\n0 0\n0 10\n10 10\n.FLATE 5:\n..REF :1\n"),
        ".FLATE",
        "FLATE 5: ring not closed: it starts at (E 0.000, N 0.000)",
    ),
    "curves do not join": (
        sosi(".FLATE 5:\n..REF :1 :2\n.KURVE 1:\n..NØ\n0 0\n0 10\n.KURVE 2:\n..NØ\n0 0\n10 0\n"),
        ".FLATE",
        "FLATE 5: ring not closed: curve :2 starts at (E 0.000, N 0.000)",
    ),
    "too few vertices": (
        sosi(".KURVE 1:\n..NØ\n0 0\n0 10\n.FLATE 5:\n..REF :1 :-1\n"),
        ".FLATE",
        "FLATE 5: ring has only 3 vertices",
    ),
    "missing curve": (
        sosi(".FLATE 5:\n..REF :1 ( :9 )\n.KURVE 1:\n..NØ\n0 0\n0 10\n10 0\n0 0\n"),
        ".FLATE",
        "FLATE 5: ..REF :9: no curve 9 in the file",
    ),
    "reference to uninterpolated arc": (
        sosi(".BUE 1:\n..NØ\n0 0\n0 10\n.FLATE 5:\n..REF :1\n"),
        ".FLATE",
        "FLATE 5: ..REF :1 is a BUE",
    ),
    "FLATE without REF": (sosi(".FLATE 5:\n..NØ\n1 2\n"), ".FLATE", "FLATE 5: no ..REF"),
    "bad REF value": (sosi(".FLATE 5:\n..REF :1\n:x\n"), ":x", "bad ..REF value ':x'"),
    "unclosed hole": (sosi(".FLATE 5:\n..REF :1 (:2\n:3\n"), ":3", "'(' without ')'"),
    "unopened hole": (sosi(".FLATE 5:\n..REF :1 :2)\n"), "REF", "')' without '('"),
    "nested hole": (sosi(".FLATE 5:\n..REF :1 ((:2))\n"), "REF", "nested '('"),
    "empty hole": (sosi(".FLATE 5:\n..REF :1 ( )\n"), "REF", "empty '( )'"),
    "only holes": (sosi(".FLATE 5:\n..REF (:1)\n"), "REF", "no outer boundary"),
    "quoted REF": (sosi('.FLATE 5:\n..REF ":1"\n'), "REF", "quoted value ':1' in ..REF"),
    "sub-element of REF": (sosi(".FLATE 5:\n..REF :1\n...X 2\n"), "...X", "sub-element of ..REF"),
    "unterminated quote": (sosi('.PUNKT 1:\n..NAVN "BN 1\n..NØ\n1 2\n'), "NAVN", "unterminated"),
    "level jump": (sosi(".PUNKT 1:\n..UTNYTT\n....UTNTYP 16\n..NØ\n1 2\n"), "UTNTYP", "no parent"),
    "values and children": (
        sosi(".PUNKT 1:\n..UTNYTT 5\n...UTNTYP 16\n..NØ\n1 2\n"),
        "UTNYTT",
        "both values and sub-elements",
    ),
    "missing serial": (sosi(".PUNKT\n..NØ\n1 2\n"), ".PUNKT", "needs a serial number"),
    "bad serial": (sosi(".PUNKT x:\n..NØ\n1 2\n"), ".PUNKT", "found x:"),
    "duplicate serial": (
        sosi(".PUNKT 1:\n..NØ\n1 2\n.PUNKT 2:\n..NØ\n1 2\n.KURVE 1:\n..NØ\n1 2\n3 4\n"),
        ".KURVE 1:",
        "serial number 1 used twice",
    ),
    "PUNKT without coordinates": (sosi(".PUNKT 3:\n..OBJTYPE X\n"), ".PUNKT", "PUNKT 3: no ..NØ"),
    "PUNKT with two points": (sosi(".PUNKT 3:\n..NØ\n1 2\n3 4\n"), ".PUNKT", "2 points"),
    "curve with one point": (sosi(".KURVE 3:\n..NØ\n1 2\n"), ".KURVE", "KURVE 3: 1 point(s)"),
    "BUEP with two points": (sosi(".BUEP 3:\n..NØ\n1 2\n3 4\n"), ".BUEP", "BUEP 3: 2 point(s)"),
    "BUEP with coinciding points": (
        sosi(".BUEP 3:\n..NØ\n1 2\n3 4\n1 2\n"),
        ".BUEP",
        "arc points coincide",
    ),
    "unknown object type": (sosi(".FOO 3:\n..NØ\n1 2\n"), ".FOO", "unsupported object type .FOO"),
    "extra values after the serial": (sosi(".PUNKT 1: 2:\n..NØ\n1 2\n"), ".PUNKT", "found 1: 2:"),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_errors_name_file_line_and_reason(tmp_path: Path, case: str) -> None:
    text, needle, reason = ERROR_CASES[case]
    path = write(tmp_path, text)
    line = line_of(text, needle)
    with pytest.raises(SosiError) as caught:
        list(iter_features(path, include_curves=True))
    error = caught.value
    assert error.line == line, str(error)
    assert reason in error.reason
    assert str(error) == f"{path}:{line}: {error.reason}"


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    with pytest.raises(SosiError, match=r":1: file is empty$"):
        read_header(path)


def test_invalid_bytes_for_the_declared_charset(tmp_path: Path) -> None:
    text = sosi(f'.TEKST 1:\n..STRENG "{NORWEGIAN}"\n..NØ\n1 2\n')
    # Declared UTF-8, but the text line is Latin-1.
    data = text.encode("utf-8").replace(NORWEGIAN.encode("utf-8"), NORWEGIAN.encode("latin-1"))
    path = tmp_path / "bad.sos"
    path.write_bytes(data)
    with pytest.raises(SosiError) as caught:
        list(iter_features(path))
    assert caught.value.line == line_of(text, "STRENG")
    assert "byte(s) e6 at column 12 are not valid UTF-8" in caught.value.reason


def test_invalid_bytes_in_nd7_and_ansi(tmp_path: Path) -> None:
    nd7 = tmp_path / "nd7.sos"
    nd7.write_bytes(sosi(".PUNKT 1:\n..NAVN \xe6\n..NØ\n1 2\n", charset="ND7").encode("latin-1"))
    with pytest.raises(SosiError, match=r"not valid ND7"):
        list(iter_features(nd7))
    ansi = tmp_path / "ansi.sos"
    ansi.write_bytes(sosi(".PUNKT 1:\n..NAVN \x81\n..NØ\n1 2\n", charset="ANSI").encode("latin-1"))
    with pytest.raises(SosiError, match=r":\d+: byte\(s\) 81 at column 8 are not valid ANSI"):
        list(iter_features(ansi))


def test_bom_with_another_charset(tmp_path: Path) -> None:
    path = tmp_path / "bom.sos"
    path.write_bytes(b"\xef\xbb\xbf" + sosi("", charset="ISO8859-10").encode("latin-1"))
    with pytest.raises(SosiError, match=r":1: UTF-8 byte-order mark"):
        read_header(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SosiError, match=r"nope\.sos: cannot read file"):
        read_header(tmp_path / "nope.sos")


def test_unknown_override(tmp_path: Path) -> None:
    with pytest.raises(SosiError, match=r"unknown ..TEGNSETT 'EBCDIC'"):
        read_header(write(tmp_path, sosi("")), encoding="EBCDIC")


def test_unknown_koordsys_gives_no_epsg(tmp_path: Path) -> None:
    header = read_header(write(tmp_path, sosi("").replace("KOORDSYS 22", "KOORDSYS 99")))
    assert (header.koordsys, header.epsg) == (99, None)


def test_error_survives_pickling() -> None:
    error = SosiError("a.sos", 3, "bad")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.line, copy.reason, str(copy)) == ("a.sos", 3, "bad", "a.sos:3: bad")


# --- cross-check with GDAL ---------------------------------------------------


def _gdal_with_sosi() -> tuple[str, str] | None:
    ogr2ogr, ogrinfo = shutil.which("ogr2ogr"), shutil.which("ogrinfo")
    if ogr2ogr is None or ogrinfo is None:
        return None
    formats = subprocess.run([ogrinfo, "--formats"], capture_output=True, text=True, check=False)
    return (ogr2ogr, ogrinfo) if "SOSI" in formats.stdout else None


def test_matches_gdal_on_an_iso8859_10_copy(tmp_path: Path) -> None:
    gdal = _gdal_with_sosi()
    if gdal is None:
        pytest.skip("ogr2ogr with GDAL's SOSI driver is not installed")
    ogr2ogr = gdal[0]
    # GDAL's SOSI driver cannot read UTF-8 files, so convert a copy.
    text = PLAN.read_text(encoding="utf-8").replace("TEGNSETT UTF-8", "TEGNSETT ISO8859-10")
    copy = write(tmp_path, text, "iso8859_10", name="plan-iso.sos")

    def layer(name: str) -> list[dict[str, object]]:
        out = tmp_path / f"{name}.geojson"
        subprocess.run(
            [ogr2ogr, "-f", "GeoJSON", str(out), str(copy), name],
            capture_output=True,
            check=True,
        )
        features: list[dict[str, object]] = json.loads(out.read_text(encoding="utf-8"))["features"]
        return features

    ours = list(iter_features(copy, include_curves=True))
    flates = {str(f.attributes["FELTNAVN"]): f for f in ours if f.object_type == "FLATE"}
    polygons = layer("polygons")
    assert len(polygons) == len(flates) == 2
    for theirs in polygons:
        props = theirs["properties"]
        assert isinstance(props, dict)
        flate = flates[props["feltbetegnelse"]]
        attrs = flate.attributes
        nasjonal = attrs["NASJONALAREALPLANID"]
        assert isinstance(nasjonal, dict)
        assert props["objekttypenavn"] == attrs["OBJTYPE"]
        assert props["AREALFORMÅL"] == attrs["AREALFORMÅL"]
        assert props["kommunenummer"] == int(str(nasjonal["KOMM"]))
        assert props["planidentifikasjon"] == nasjonal["PLANID"]
        geometry = shapely.geometry.shape(theirs["geometry"])
        assert flate.geometry is not None
        # GDAL 3.6 interpolates a BUEP mirrored across its chord (it swaps
        # north and east); the half disc's area is the same either way.
        assert geometry.area == pytest.approx(flate.geometry.area, rel=1e-3)
        assert geometry.bounds[::2] == pytest.approx(flate.geometry.bounds[::2])
        if props["feltbetegnelse"] == "BN 1":
            assert geometry.symmetric_difference(flate.geometry).area < 1e-6
            utnytt = attrs["UTNYTT"]
            assert isinstance(utnytt, dict)
            assert props["utnyttingstype"] == int(str(utnytt["UTNTYP"]))
            assert props["utnyttingstall"] == float(str(utnytt["UTNTALL"]))
            assert props["beskrivelse"] == attrs["BESKRIVELSE"] == NORWEGIAN
            assert props["eierformType"] == int(str(attrs["EIERFORM"]))
            assert (str(props["målemetode"]), str(props["nøyaktighet"])) == attrs["KVALITET"]

    # GDAL lines, minus its own BUEP interpolation, against our KURVEs.
    their_lines = [f["geometry"] for f in layer("lines")]
    straight = [
        [tuple(p) for p in g["coordinates"]]
        for g in their_lines
        if isinstance(g, dict) and len(g["coordinates"]) <= 5
    ]
    assert straight == [coords(f) for f in ours if f.object_type == "KURVE"]

    (point,) = layer("points")
    (punkt,) = [f for f in ours if f.object_type == "PUNKT"]
    assert shapely.geometry.shape(point["geometry"]).equals(punkt.geometry)
    (text_feature,) = layer("text")
    props = text_feature["properties"]
    assert isinstance(props, dict)
    (tekst,) = [f for f in ours if f.object_type == "TEKST"]
    assert props["generellTekststreng"] == tekst.attributes["STRENG"] == NORWEGIAN
    assert shapely.geometry.shape(text_feature["geometry"]).geoms[0].equals(tekst.geometry)
