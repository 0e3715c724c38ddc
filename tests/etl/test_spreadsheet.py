"""The sites spreadsheet template: CSV and Excel, WKT or lat/lon, errors by row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import psycopg
import pytest
import shapely
from pyproj import Transformer
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import load_source
from etl.readers.spreadsheet import read_sheet
from etl.sources import get_source
from gis.db import libpq_dsn
from tests.conftest import demo_file

SRID = 25832
HEADER = ["site_id", "name", "area_m2", "status", "last_verified", "published", "wkt", "lat",
          "lon"]
SQUARE_WKT = "POLYGON ((580000 6630000, 580100 6630000, 580100 6630050, 580000 6630050, 580000 6630000))"


def _row(site_id: str, **values: Any) -> list[Any]:
    base: dict[str, Any] = {"site_id": site_id, "name": f"Tomt {site_id}", "area_m2": "",
                            "status": "ledig", "last_verified": "2025-03-01", "published": "true",
                            "wkt": SQUARE_WKT, "lat": "", "lon": ""}
    base.update(values)
    return [base[h] for h in HEADER]


def _csv(tmp_path: Path, rows: list[list[Any]], name: str = "sites.csv", sep: str = ";",
         bom: bool = False, header: list[str] = HEADER) -> Path:
    def quote(value: Any) -> str:
        text = str(value)
        return f'"{text}"' if sep in text or '"' in text else text

    lines = [sep.join(header)] + [sep.join(quote(v) for v in row) for row in rows]
    path = tmp_path / name
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "sites.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    path = tmp_path / name
    workbook.save(path)
    return path


def _sites(db_url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        return conn.execute(
            "SELECT site_key, area_m2::float8, round(ST_Area(geom)), ST_GeometryType(geom), "
            "last_verified::text, published FROM site ORDER BY site_key").fetchall()


@pytest.mark.parametrize(("sep", "bom"), [(";", False), (",", True)])
def test_csv_with_wkt_loads_and_computes_a_missing_area(engine: Engine, db_url: str,
                                                        tmp_path: Path, sep: str,
                                                        bom: bool) -> None:
    path = _csv(tmp_path, [_row("S-1"), _row("S-2", area_m2="4 800,5", published="nei")],
                sep=sep, bom=bom)
    result = load_source(engine, "sites", path, storage_srid=SRID)
    assert (result.status, result.rows_written) == ("published", 2)
    assert _sites(db_url) == [("S-1", 5000.0, 5000, "ST_MultiPolygon", "2025-03-01", True),
                              ("S-2", 4800.5, 5000, "ST_MultiPolygon", "2025-03-01", False)]


def test_lat_lon_row_becomes_an_approximate_square_and_warns(engine: Engine, db_url: str,
                                                             tmp_path: Path) -> None:
    path = _csv(tmp_path, [_row("S-1"), _row("P-1", wkt="", lat="59.8333", lon="10.4333",
                                             area_m2="2500")])
    result = load_source(engine, "sites", path, storage_srid=SRID)
    assert any("rows 3 have only a point" in w and "approximate square" in w
               for w in result.warnings), result.warnings
    assert "warning:" in result.describe()
    rows = {r[0]: r for r in _sites(db_url)}
    assert rows["P-1"][1:3] == (2500.0, 2500)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        lon, lat, stored = conn.execute(
            "SELECT ST_X(c), ST_Y(c), (SELECT warnings FROM load_run ORDER BY id DESC LIMIT 1) "
            "FROM (SELECT ST_Transform(ST_Centroid(geom), 4326) c FROM site "
            "WHERE site_key = 'P-1') s").fetchone() or (0, 0, [])
    assert abs(lon - 10.4333) < 1e-5 and abs(lat - 59.8333) < 1e-5
    assert stored == list(result.warnings)


def test_excel_workbook_loads_typed_cells(engine: Engine, db_url: str, tmp_path: Path) -> None:
    import datetime as dt

    path = _xlsx(tmp_path, [_row("X-1", last_verified=dt.datetime(2024, 5, 2), published=True,
                                 area_m2=5000),
                            _row("X-2", wkt="", lat=59.84, lon=10.44, area_m2=10000)])
    result = load_source(engine, "sites", path, storage_srid=SRID)
    assert result.rows_written == 2
    rows = _sites(db_url)
    assert rows[0] == ("X-1", 5000.0, 5000, "ST_MultiPolygon", "2024-05-02", True)
    assert rows[1][:3] == ("X-2", 10000.0, 10000)


def test_wkt_in_another_crs_via_srs_column(engine: Engine, db_url: str, tmp_path: Path) -> None:
    header = [*HEADER, "srs"]
    wkt_4326 = "POLYGON ((10.43 59.83, 10.432 59.83, 10.432 59.832, 10.43 59.832, 10.43 59.83))"
    path = _csv(tmp_path, [[*_row("S-1"), ""], [*_row("S-2", wkt=wkt_4326), "EPSG:4326"]],
                header=header)
    load_source(engine, "sites", path, storage_srid=SRID)
    rows = {r[0]: r for r in _sites(db_url)}
    assert 20_000 < rows["S-2"][2] < 30_000


@pytest.mark.parametrize(("rows", "expected"), [
    ([_row("S-1"), _row("S-2", area_m2="mye")], "row 3, column area_m2 (C): 'mye' is not a number"),
    ([_row("S-1", name="")], "row 2, column name (B): required value is empty"),
    ([_row("S-1", last_verified="i fjor")], "row 2, column last_verified (E): 'i fjor' is not a date"),
    ([_row("S-1", published="kanskje")], "row 2, column published (F): 'kanskje' is not yes/no"),
    ([_row("S-1", wkt="POLYGON ((1 2, 3")], "row 2, column wkt (G): not valid WKT"),
    ([_row("S-1", wkt="", lat="10.43", lon="59.83", area_m2="100")],
     "row 2, column lat (H): the position does not lie in Norway; are lat and lon swapped?"),
    ([_row("S-1", wkt="", lat="59.83", lon="10.43")], "row 2, column area_m2: a row with only a point"),
    ([_row("S-1", wkt="")], "row 2: no geometry"),
    ([_row("S-1", wkt="POLYGON ((10.43 59.83, 10.44 59.83, 10.44 59.84, 10.43 59.83))")],
     "row 2, column wkt (G): the position does not lie in Norway; is it really EPSG:25832?"),
])
def test_bad_rows_are_named_by_row_and_column(engine: Engine, db_url: str, tmp_path: Path,
                                              rows: list[list[Any]], expected: str) -> None:
    good = _csv(tmp_path, [_row("OK-1")], name="good.csv")
    load_source(engine, "sites", good, storage_srid=SRID)
    before = _sites(db_url)
    bad = _csv(tmp_path, rows, name="bad.csv")
    with pytest.raises(LoadError) as raised:
        load_source(engine, "sites", bad, storage_srid=SRID)
    assert str(raised.value).startswith("bad.csv: "), str(raised.value)
    assert expected in str(raised.value), str(raised.value)
    assert _sites(db_url) == before


def test_excel_errors_use_excel_row_numbers(engine: Engine, tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [_row("X-1"), [None] * len(HEADER), _row("X-3", status="solgt")])
    with pytest.raises(LoadError,
                       match=r"sites\.xlsx: row 4, column status \(D\): 'solgt' is not one of ledig"):
        load_source(engine, "sites", path, storage_srid=SRID)


def test_unreadable_spreadsheets_are_rejected(engine: Engine, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(";".join(HEADER).encode() + b"\nS-1;T\xf8mt;;ledig;;;" +
                       SQUARE_WKT.encode() + b";;\n")
    with pytest.raises(LoadError, match=r"latin1\.csv: line 2 is not UTF-8"):
        load_source(engine, "sites", latin1, storage_srid=SRID)
    header_only = _csv(tmp_path, [], name="header.csv")
    with pytest.raises(LoadError, match="header but no rows"):
        load_source(engine, "sites", header_only, storage_srid=SRID)
    no_geometry = _csv(tmp_path, [["S-1", "T", "1", "ledig"]], name="nogeom.csv",
                       header=HEADER[:4])
    with pytest.raises(LoadError, match=r"nogeom\.csv: row 1: the sheet needs a 'wkt' column"):
        load_source(engine, "sites", no_geometry, storage_srid=SRID)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(LoadError, match=r"broken\.xlsx"):
        load_source(engine, "sites", broken, storage_srid=SRID)
    too_many = _csv(tmp_path, [[*_row("S-1"), "extra"]], name="extra.csv")
    with pytest.raises(LoadError, match=r"extra\.csv: row 2 has 10 values but the header has 9"):
        load_source(engine, "sites", too_many, storage_srid=SRID)


def test_excel_sheet_chosen_with_layer(engine: Engine, db_url: str, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    help_sheet = workbook.active
    assert help_sheet is not None
    help_sheet.title = "veiledning"
    help_sheet.append(["kolonne", "forklaring"])
    sheet = workbook.create_sheet("arealer")
    sheet.append(HEADER)
    sheet.append([None if v == "" else v for v in _row("L-1")])
    path = tmp_path / "mal.xlsx"
    workbook.save(path)
    load_source(engine, "sites", path, storage_srid=SRID, layer="arealer")
    assert [r[0] for r in _sites(db_url)] == ["L-1"]
    other = tmp_path / "mal2.xlsx"
    other.write_bytes(path.read_bytes())
    with pytest.raises(LoadError, match=r"mal2\.xlsx: no sheet 'ark1' \(sheets: veiledning, arealer\)"):
        load_source(engine, "sites", other, storage_srid=SRID, layer="ark1")


def test_a_workbook_that_is_a_zip_bomb_is_refused(engine: Engine, tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (30 << 20))
    with pytest.raises(LoadError, match=r"bomb\.xlsx: xl/worksheets/sheet1\.xml is compressed "
                                        r".*refused as a zip bomb"):
        load_source(engine, "sites", path, storage_srid=SRID)


def test_a_sheet_in_the_wrong_utm_zone_is_refused(engine: Engine, db_url: str,
                                                  tmp_path: Path) -> None:
    """Zone 32 WKT declared as zone 35 lands in Finland: in Norway's lon/lat box, but far from
    the kommune."""
    load_source(engine, "kommune", demo_file("asker_kommune_3203_2024.geojson"), storage_srid=SRID)
    path = _csv(tmp_path, [_row("S-1")], name="sone35.csv")
    with pytest.raises(LoadError, match=r"sone35.csv: the data lies [\d,]+ km "
                                        r"from Asker"):
        load_source(engine, "sites", path, storage_srid=SRID, srs="EPSG:25835")
    assert _sites(db_url) == []


def test_wkt_without_srs_is_in_the_kommunes_own_projection(tmp_path: Path) -> None:
    """A kommune in UTM zone 33 (storage EPSG:25833) fills the template in its own coordinates:
    nothing says 25832, so nothing assumes it."""
    zone33 = Transformer.from_crs(25832, 25833, always_xy=True)
    ring = shapely.from_wkt(SQUARE_WKT)
    square_33 = shapely.transform(ring, lambda xy: np.column_stack(zone33.transform(xy[:, 0],
                                                                                      xy[:, 1])))
    path = _csv(tmp_path, [_row("S-1", wkt=square_33.wkt)], name="sone33.csv")
    info = read_sheet(path, get_source("sites"), storage_srid=25833)
    assert info.epsg == 25833 and info.problems == ()
    assert read_sheet(path, get_source("sites"), storage_srid=25832).epsg == 25832
