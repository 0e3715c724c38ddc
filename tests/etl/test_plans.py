"""Plans from SOSI, GML, GeoJSON, GeoPackage and Shapefile into plan and plan_area."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import load_source
from gis.db import libpq_dsn
from tests.etl import plan_files as pf

SRID = 25832


def _query(db_url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def _plans(db_url: str) -> list[tuple[Any, ...]]:
    return _query(db_url, "SELECT nasjonal_arealplan_id, version, is_current, plannavn, "
                          "ST_AsEWKB(geom) FROM plan ORDER BY id")


def _areas(db_url: str) -> list[tuple[Any, ...]]:
    return _query(db_url, "SELECT p.nasjonal_arealplan_id, a.code, a.code_list, a.code_name, "
                          "a.category, a.code_known, a.feltnavn, a.utnytting_type, "
                          "a.utnytting_tall, a.eierform, a.arealbruksstatus, round(ST_Area(a.geom)) "
                          "FROM plan_area a JOIN plan p ON p.id = a.plan_id "
                          "WHERE p.is_current ORDER BY a.feltnavn")


def test_sosi_reguleringsplan(engine: Engine, db_url: str, tmp_path: Path) -> None:
    result = load_source(engine, "plans", pf.sosi_plan(tmp_path / "rp.sos"), storage_srid=SRID)
    assert result.status == "published"
    plan = _query(db_url, "SELECT nasjonal_arealplan_id, kommunenummer, planidentifikasjon, "
                          "plannavn, plantype, planstatus, ikrafttredelsesdato::text, "
                          "vedtaksdato::text, version, is_current, round(ST_Area(geom)) FROM plan")
    assert plan == [("32032024001", "3203", "2024001", "Detaljregulering for Testøya næringsområde",
                     35, 3, "2023-04-12", "2023-04-10", 1, True, 10000)]
    assert _areas(db_url) == [
        ("32032024001", "1300", "rp2008", "Næringsbebyggelse", "naering", True, "BN1", 16,
         60, "3", None, 5000),
        ("32032024001", "2011", "rp2008", "Kjøreveg", "samferdsel", True, "o_SKV1", None,
         None, "1", None, 5000)]


def test_sosi_in_iso8859_10_reads_the_same(engine: Engine, db_url: str, tmp_path: Path) -> None:
    path = pf.sosi_plan(tmp_path / "rp.sos", charset="ISO8859-10")
    load_source(engine, "plans", path, storage_srid=SRID)
    assert _plans(db_url)[0][3] == "Detaljregulering for Testøya næringsområde"


def test_national_gml_plan_keeps_leading_zeros(engine: Engine, db_url: str, tmp_path: Path) -> None:
    path = pf.gml_plan(tmp_path / "rp.gml")
    load_source(engine, "plans", path, storage_srid=SRID)
    assert [p[:4] for p in _plans(db_url)] == [("03012016007", 1, True, "Slemmestad vest")]
    areas = _areas(db_url)
    assert [(a[1], a[2], a[4], a[6], a[7], a[8]) for a in areas] == [
        ("1810", "rp2008", "kombinert_naering", "BKB1", 18, 120),
        ("3040", "rp2008", "gronn", "GF1", None, None)]
    assert not list(tmp_path.glob("*.gfs")), "reading must not write a .gfs beside the file"


def test_plan_gml_5_follows_xlinks_to_the_arealplan(engine: Engine, db_url: str,
                                                   tmp_path: Path) -> None:
    result = load_source(engine, "plans", pf.gml_plan_5(tmp_path / "forslag.gml"),
                         storage_srid=SRID)
    assert result.status == "published"
    assert _query(db_url, "SELECT nasjonal_arealplan_id, kommunenummer, plannavn, plantype, "
                          "planstatus, vedtaksdato::text, round(ST_Area(geom)) FROM plan") == [
        ("054120190012", "0541", "Etnedal næringspark", 35, 3, "2021-03-18", 10000)]
    assert [(a[0], a[1], a[6], a[11]) for a in _areas(db_url)] == [
        ("054120190012", "1300", "BN1", 5000), ("054120190012", "2011", "o_SKV1", 5000)]


def _geojson_areas(top_level: dict[str, Any] | None) -> dict[str, Any]:
    features = [{"type": "Feature", "properties": {"arealformal": code, "feltnavn": name},
                 "geometry": {"type": "Polygon", "coordinates": [list(geom.exterior.coords)]}}
                for code, name, geom in (("1300", "BN1", pf.left()), ("2011", "SKV1", pf.right()))]
    document: dict[str, Any] = {"type": "FeatureCollection", "crs": {
        "type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": features}
    if top_level:
        document["arealplan"] = top_level
    return document


def test_geojson_plan_id_from_the_top_level_plan_object(engine: Engine, db_url: str,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "plan.geojson"
    path.write_text(json.dumps(_geojson_areas({
        "nasjonalArealplanId": {"kommunenummer": "3203", "planidentifikasjon": "2023005"},
        "plannavn": "Nesbru næring", "plantype": 35, "planstatus": 3})), encoding="utf-8")
    load_source(engine, "plans", path, storage_srid=SRID)
    assert [p[:4] for p in _plans(db_url)] == [("32032023005", 1, True, "Nesbru næring")]
    assert len(_areas(db_url)) == 2


def test_geojson_without_plan_id_takes_it_from_the_option(engine: Engine, db_url: str,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(_geojson_areas(None)), encoding="utf-8")
    with pytest.raises(LoadError, match="NasjonalArealplanId"):
        load_source(engine, "plans", path, storage_srid=SRID)
    with pytest.raises(LoadError, match="KOMMUNENUMMER/PLANIDENTIFIKASJON"):
        load_source(engine, "plans", path, storage_srid=SRID, plan_id="3203-2023005")
    load_source(engine, "plans", path, storage_srid=SRID, plan_id="3203/2023005")
    assert [p[:3] for p in _plans(db_url)] == [("32032023005", 1, True)]
    assert [a[1] for a in _areas(db_url)] == ["1300", "2011"]


def test_geojson_1985_plan_boundary_is_the_union_of_its_areas(
        engine: Engine, db_url: str, tmp_path: Path) -> None:
    frame = pf.flat_areas(pf.rb_1985_rows(), [pf.left(), pf.right()])
    path = tmp_path / "rb.geojson"
    frame.to_file(path, driver="GeoJSON")
    load_source(engine, "plans", path, storage_srid=SRID)
    assert _query(db_url, "SELECT round(ST_Area(geom)), ikrafttredelsesdato::text FROM plan") == [
        (10000, "1988-05-19")]
    assert [(a[1], a[2], a[4]) for a in _areas(db_url)] == [("140", "rb1985", "naering"),
                                                           ("110", "rb1985", "bolig")]


@pytest.mark.parametrize(("suffix", "driver"), [(".gpkg", "GPKG"), (".shp", "ESRI Shapefile")])
def test_kpa_from_geopackage_and_shapefile(engine: Engine, db_url: str, tmp_path: Path,
                                           suffix: str, driver: str) -> None:
    rows = [{"komm": "3203", "planid": "2020001", "plannavn": "KPA", "plantype": 20,
             "arealforma": code, "arealst": status, "feltnavn": name}
            for code, status, name in ((1300, 2, "N1"), (5100, 1, "L1"))]
    path = tmp_path / f"kpa{suffix}"
    pf.flat_areas(rows, [pf.left(), pf.right()]).to_file(path, driver=driver)
    load_source(engine, "plans", path, storage_srid=SRID)
    assert [(a[1], a[2], a[4], a[10]) for a in _areas(db_url)] == [
        ("5100", "kpa2008", "lnfr", 1), ("1300", "kpa2008", "naering", 2)]


def test_unknown_code_is_kept_flagged_and_warned(engine: Engine, db_url: str,
                                                 tmp_path: Path) -> None:
    frame = pf.flat_areas(pf.rb_1985_rows(codes=(140, 555)), [pf.left(), pf.right()])
    path = tmp_path / "rb.gpkg"
    frame.to_file(path, driver="GPKG")
    result = load_source(engine, "plans", path, storage_srid=SRID)
    unknown = [a for a in _areas(db_url) if a[1] == "555"]
    assert [(a[2], a[3], a[4], a[5]) for a in unknown] == [("rb1985", None, "other", False)]
    assert any("555" in w for w in result.warnings)
    assert "warning" in result.describe()
    stored = _query(db_url, "SELECT warnings FROM load_run ORDER BY id DESC LIMIT 1")[0][0]
    assert any("555" in w for w in stored)


def test_new_version_replaces_the_old_and_keeps_history(engine: Engine, db_url: str,
                                                        tmp_path: Path) -> None:
    first = pf.sosi_plan(tmp_path / "v1.sos")
    load_source(engine, "plans", first, storage_srid=SRID)
    second = pf.sosi_plan(tmp_path / "v2.sos", left_code="1150", name="Endret plan")
    load_source(engine, "plans", second, storage_srid=SRID)
    rows = _query(db_url, "SELECT version, is_current, replaced_at IS NOT NULL, plannavn, "
                          "(SELECT count(*) FROM plan_area a WHERE a.plan_id = plan.id) "
                          "FROM plan ORDER BY version")
    assert rows == [(1, False, True, "Detaljregulering for Testøya næringsområde", 2),
                    (2, True, False, "Endret plan", 2)]
    assert sorted(a[1] for a in _areas(db_url)) == ["1150", "2011"]


def test_same_file_twice_is_a_no_op_that_says_so(engine: Engine, db_url: str,
                                                  tmp_path: Path) -> None:
    path = pf.sosi_plan(tmp_path / "rp.sos")
    load_source(engine, "plans", path, storage_srid=SRID)
    before = _plans(db_url)
    again = load_source(engine, "plans", path, storage_srid=SRID)
    assert again.status == "unchanged" and "already loaded" in again.describe()
    assert _plans(db_url) == before


def test_bow_tie_area_is_repaired_and_counted(engine: Engine, db_url: str,
                                              tmp_path: Path) -> None:
    e, n = pf.E0, pf.N0
    bow_tie = [[e, n], [e + 50, n + 100], [e + 50, n], [e, n + 100], [e, n]]
    row = pf.rb_1985_rows()[0]
    path = pf.geojson(tmp_path / "bow.geojson", [{"type": "Feature", "properties": row,
                                                  "geometry": {"type": "Polygon",
                                                               "coordinates": [bow_tie]}}])
    result = load_source(engine, "plans", path, storage_srid=SRID)
    assert result.rows_repaired == 1
    assert _query(db_url, "SELECT bool_and(ST_IsValid(geom)), sum(ST_Area(geom))::int "
                          "FROM plan_area") == [(True, 2500)]
    # The bow tie's two triangles cancel out in the signed area before the repair.
    assert [w for w in result.warnings if "repaired" in w] == [
        "bow.geojson: feature 0 (layer bow): repaired self-intersection at 580025 6630050, "
        "area 0.0 → 2,500.0 m²"]


def _nan_geojson(tmp_path: Path) -> Path:
    feature = {"type": "Feature", "properties": pf.rb_1985_rows()[0], "geometry": {
        "type": "Polygon", "coordinates": [[[pf.E0, pf.N0], [pf.E0 + 50, pf.N0],
                                            [float("nan"), pf.N0 + 9], [pf.E0, pf.N0]]]}}
    path = tmp_path / "nan.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature], "crs": {
        "type": "name", "properties": {"name": "EPSG:25832"}}}))
    return path


def _swapped_geojson(tmp_path: Path) -> Path:
    ring = [[y, x] for x, y in pf.left().exterior.coords]
    return pf.geojson(tmp_path / "swapped.geojson", [
        {"type": "Feature", "properties": pf.rb_1985_rows()[0],
         "geometry": {"type": "Polygon", "coordinates": [ring]}}])


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.sos"
    path.write_bytes(b"")
    return path


def _truncated_gml(tmp_path: Path) -> Path:
    path = pf.gml_plan(tmp_path / "full.gml")
    cut = tmp_path / "cut.gml"
    cut.write_bytes(path.read_bytes()[:1500])
    return cut


def _broken_tag_gml(tmp_path: Path) -> Path:
    path = pf.gml_plan_5(tmp_path / "full.gml")
    broken = tmp_path / "broken.gml"
    broken.write_text(path.read_text(encoding="utf-8").replace(
        "<app:feltnavn>o_SKV1</app:feltnavn>", "<app:feltnavn>o_SKV1</app:feltnav>"),
        encoding="utf-8")
    return broken


def _wrong_encoding(tmp_path: Path) -> Path:
    path = pf.sosi_plan(tmp_path / "latin.sos")
    path.write_bytes(path.read_bytes().replace("Testøya".encode(), "Testøya".encode("latin-1")))
    return path


def _no_plan_id(tmp_path: Path) -> Path:
    rows = pf.rb_1985_rows()
    for row in rows:
        del row["planidentifikasjon"]
    path = tmp_path / "noid.gpkg"
    pf.flat_areas(rows, [pf.left(), pf.right()]).to_file(path, driver="GPKG")
    return path


BAD_FILES = {
    "truncated SOSI": (lambda p: pf.sosi_plan(p / "cut.sos", truncate=True), "truncated"),
    "wrong encoding": (_wrong_encoding, "latin.sos"),
    "empty file": (_empty, "empty"),
    "truncated GML": (_truncated_gml, "cut.gml"),
    "broken GML tag": (_broken_tag_gml, "broken.gml: line 4, column"),
    "NaN coordinates": (_nan_geojson, "NaN"),
    "swapped axes": (_swapped_geojson, "swapped axes"),
    "no plan id": (_no_plan_id, "NasjonalArealplanId"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_input_is_rejected_and_changes_nothing(engine: Engine, db_url: str, tmp_path: Path,
                                                   case: str) -> None:
    load_source(engine, "plans", pf.sosi_plan(tmp_path / "good.sos"), storage_srid=SRID)
    before = (_plans(db_url), _areas(db_url))
    make, expected = BAD_FILES[case]
    with pytest.raises(LoadError) as raised:
        load_source(engine, "plans", make(tmp_path), storage_srid=SRID)
    assert expected in str(raised.value)
    assert (_plans(db_url), _areas(db_url)) == before
    assert _query(db_url, "SELECT status, error FROM load_run ORDER BY id DESC LIMIT 1") == [
        ("failed", str(raised.value))]
