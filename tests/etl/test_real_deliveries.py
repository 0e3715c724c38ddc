"""Files shaped like what Norway's data owners deliver, warts included: SYMBOLs with direction
points, local KOORDSYS codes, mislabelled character sets, a CRS declared one way and given
another, national kommune files, plan GML tied together by xlinks, plan ids outside features."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import load_source
from etl.sources import SOURCES
from gis.db import libpq_dsn
from tests.conftest import demo_file
from tests.etl import plan_files as pf

SRID = 25832
E0, N0 = pf.E0, pf.N0


def _query(db_url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def _current_areas(db_url: str) -> list[tuple[Any, ...]]:
    return _query(db_url, "SELECT p.nasjonal_arealplan_id, p.plannavn, a.feltnavn, a.code "
                          "FROM plan_area a JOIN plan p ON p.id = a.plan_id WHERE p.is_current "
                          "ORDER BY 1, a.feltnavn")


def _sosi_with(path: Path, before_slutt: str = "", *, header: dict[str, str] | None = None,
               encoding: str = "utf-8", bom: bool = False) -> Path:
    """pf.sosi_plan's text with extra objects before .SLUTT and header lines replaced."""
    text = pf.sosi_plan(path).read_text(encoding="utf-8")
    for old, new in (header or {}).items():
        text = text.replace(old, new)
    text = text.replace(".SLUTT", before_slutt + ".SLUTT")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def _ne(e: float, n: float) -> str:
    return f"{round(n * 100)} {round(e * 100)}"


# A kommune's export: a legal point with position and two direction points, and a bad object.
SYMBOL = ("\n".join([".SYMBOL 20:", "..OBJTYPE RpJuridiskPunkt", "..RPJURPUNKT 1211",
                     "..NØ", _ne(E0 + 20, N0 + 20), _ne(E0 + 21, N0 + 20), _ne(E0 + 20, N0 + 21)])
          + "\n")
POINT_WITHOUT_COORDINATES = ".PUNKT 21:\n..OBJTYPE RpPåskrift\n"


def test_symbol_with_direction_points_and_an_odd_object_do_not_block_the_plan(
        engine: Engine, db_url: str, tmp_path: Path) -> None:
    path = _sosi_with(tmp_path / "rp.sos", SYMBOL + POINT_WITHOUT_COORDINATES)
    result = load_source(engine, "plans", path, storage_srid=SRID)
    assert [a[2] for a in _current_areas(db_url)] == ["BN1", "o_SKV1"]
    line = path.read_text(encoding="utf-8").splitlines().index(".PUNKT 21:") + 1
    assert f"rp.sos:{line}: left out: PUNKT 21: no ..NØ coordinates" in result.warnings


def test_a_local_koordsys_is_named_not_called_missing(engine: Engine, db_url: str,
                                                      tmp_path: Path) -> None:
    path = _sosi_with(tmp_path / "lokal.sos", header={"...KOORDSYS 22": "...KOORDSYS 215"})
    with pytest.raises(LoadError, match="KOORDSYS 215 is not supported") as raised:
        load_source(engine, "plans", path, storage_srid=SRID)
    assert "declares no" not in str(raised.value)
    assert _query(db_url, "SELECT count(*) FROM plan") == [(0,)]
    # Told the grid, the load goes ahead.
    load_source(engine, "plans", path, storage_srid=SRID, srs="EPSG:25832")
    assert len(_current_areas(db_url)) == 2


def _load_asker(engine: Engine) -> None:
    load_source(engine, "kommune", demo_file("asker_kommune_3203_2024.geojson"), storage_srid=SRID)


def test_a_plan_read_in_the_wrong_utm_zone_is_refused(engine: Engine, db_url: str,
                                                      tmp_path: Path) -> None:
    """Zone 32 coordinates declared as zone 35 land in Finland: inside Norway's lon/lat box,
    hundreds of kilometres from the kommune."""
    _load_asker(engine)
    path = _sosi_with(tmp_path / "sone.sos", header={"...KOORDSYS 22": "...KOORDSYS 25"})
    with pytest.raises(LoadError, match=r"sone.sos: read as EPSG:25835, the data lies [\d,]+ km "
                                        r"from Asker") as raised:
        load_source(engine, "plans", path, storage_srid=SRID)
    assert _query(db_url, "SELECT count(*) FROM plan") == [(0,)]
    assert _query(db_url, "SELECT status, rows_written, error FROM load_run ORDER BY id DESC "
                          "LIMIT 1") == [("failed", 0, str(raised.value))]


def test_utf8_bytes_under_an_iso8859_label_are_read_as_utf8(engine: Engine, db_url: str,
                                                           tmp_path: Path) -> None:
    for bom in (False, True):
        path = _sosi_with(tmp_path / f"utf8-{bom}.sos", bom=bom,
                          header={"..TEGNSETT UTF-8": "..TEGNSETT ISO8859-10"})
        result = load_source(engine, "plans", path, storage_srid=SRID)
        assert any("..TEGNSETT says ISO8859-10" in w and "read as UTF-8" in w
                   for w in result.warnings), result.warnings
    names = {row[1] for row in _current_areas(db_url)}
    assert names == {"Detaljregulering for Testøya næringsområde"}


def test_encoding_option_reads_a_file_whose_label_is_wrong(engine: Engine, db_url: str,
                                                           tmp_path: Path) -> None:
    path = _sosi_with(tmp_path / "latin.sos", encoding="iso8859_10")  # says UTF-8, is not
    with pytest.raises(LoadError, match="not valid UTF-8"):
        load_source(engine, "plans", path, storage_srid=SRID)
    load_source(engine, "plans", path, storage_srid=SRID, encoding="ISO8859-10")
    assert {row[1] for row in _current_areas(db_url)} == {
        "Detaljregulering for Testøya næringsområde"}


def _geojson_plan(path: Path, crs: str | None, **top: Any) -> Path:
    features = [{"type": "Feature", "properties": {"arealformål": code, "feltnavn": name},
                 "geometry": json.loads(json.dumps(geom.__geo_interface__))}
                for code, name, geom in ((1300, "BN1", pf.left()), (2011, "o_SKV1", pf.right()))]
    document: dict[str, Any] = {"type": "FeatureCollection", **top, "features": features}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


PLAN_OBJECT = {"arealplan": {"nasjonalArealplanId": {"kommunenummer": "3203",
                                                    "planidentifikasjon": "2024009"},
                             "plannavn": "Hvalstad næringspark", "plantype": 35,
                             "planstatus": 3, "vedtakEndeligPlanDato": "2024-05-02"}}


def test_srs_that_contradicts_the_file_is_refused_unless_forced(engine: Engine, db_url: str,
                                                                tmp_path: Path) -> None:
    path = _geojson_plan(tmp_path / "rp.geojson", "urn:ogc:def:crs:EPSG::25832", **PLAN_OBJECT)
    with pytest.raises(LoadError, match="declares EPSG:25832, but --srs says EPSG:25833; give "
                                        "--force-srs"):
        load_source(engine, "plans", path, storage_srid=SRID, srs="EPSG:25833")
    assert _query(db_url, "SELECT count(*) FROM plan") == [(0,)]
    # The same CRS written another way is no contradiction.
    load_source(engine, "plans", path, storage_srid=SRID, srs="EPSG:25832")
    forced = load_source(engine, "plans", path, storage_srid=SRID, srs="EPSG:25833",
                         force_srs=True)
    assert forced.status == "published"


def test_the_same_file_read_with_other_options_is_a_new_load(engine: Engine, db_url: str,
                                                             tmp_path: Path) -> None:
    path = _sosi_with(tmp_path / "rp.sos")
    assert load_source(engine, "plans", path, storage_srid=SRID).status == "published"
    assert load_source(engine, "plans", path, storage_srid=SRID).status == "unchanged"
    again = load_source(engine, "plans", path, storage_srid=SRID, encoding="UTF-8")
    assert again.status == "published"
    assert load_source(engine, "plans", path, storage_srid=SRID,
                       encoding="UTF-8").status == "unchanged"
    assert _query(db_url, "SELECT options FROM load_run WHERE status = 'published' "
                          "ORDER BY id") == [({},), ({"encoding": "UTF-8"},)]


def test_plan_object_at_the_top_of_a_geojson_file_names_its_areas(engine: Engine, db_url: str,
                                                                  tmp_path: Path) -> None:
    path = _geojson_plan(tmp_path / "rp.geojson", "EPSG:25832", **PLAN_OBJECT)
    load_source(engine, "plans", path, storage_srid=SRID)
    assert _current_areas(db_url) == [("32032024009", "Hvalstad næringspark", "BN1", "1300"),
                                      ("32032024009", "Hvalstad næringspark", "o_SKV1", "2011")]


def test_plan_id_option_for_areas_that_carry_none(engine: Engine, db_url: str,
                                                  tmp_path: Path) -> None:
    path = _geojson_plan(tmp_path / "omrader.geojson", "EPSG:25832")
    with pytest.raises(LoadError, match="give the plan with --plan-id"):
        load_source(engine, "plans", path, storage_srid=SRID)
    with pytest.raises(LoadError, match="expected KOMMUNENUMMER/PLANIDENTIFIKASJON"):
        load_source(engine, "plans", path, storage_srid=SRID, plan_id="Asker-2019")
    load_source(engine, "plans", path, storage_srid=SRID, plan_id="3203/2019012")
    assert [row[0] for row in _current_areas(db_url)] == ["32032019012", "32032019012"]


def _arealplan_gml(path: Path, plans: list[tuple[str, str, str, float]], broken: bool = False) -> Path:
    """Arealplan 5.0 GML as a plan system exports it: Arealplan without geometry, RpOmråde and
    RpArealformålOmråde tied to it by xlink:href only; features in no particular order."""
    def polygon(x: float, gid: str) -> str:
        ring = [(E0 + x, N0), (E0 + x + 50, N0), (E0 + x + 50, N0 + 100), (E0 + x, N0 + 100),
                (E0 + x, N0)]
        coords = " ".join(f"{e:.2f} {n:.2f} 0.00" for e, n in ring)
        return (f'<gml:Polygon gml:id="{gid}" srsName="urn:ogc:def:crs:EPSG::25832" '
                'srsDimension="3"><gml:exterior><gml:LinearRing>'
                f"<gml:posList>{coords}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>")

    members = []
    for key, planid, name, x in plans:
        members.append(
            f'<app:RpArealformålOmråde gml:id="{key}-f1"><app:område>{polygon(x, key + "-g1")}'
            "</app:område><app:arealformål>1300</app:arealformål>"
            f'<app:feltnavn>BN-{key}</app:feltnavn><app:planområde xlink:href="#{key}-omr"/>'
            "</app:RpArealformålOmråde>")
        members.append(
            f'<app:RpOmråde gml:id="{key}-omr"><app:område>{polygon(x, key + "-g0")}</app:område>'
            f'<app:arealplan xlink:href="#{key}-plan"/></app:RpOmråde>')
        members.append(
            f'<app:Arealplan gml:id="{key}-plan"><app:identifikasjon><app:Identifikasjon>'
            f"<app:lokalId>{key}</app:lokalId><app:navnerom>https://data.asker.kommune.no"
            "</app:navnerom></app:Identifikasjon></app:identifikasjon>"
            "<app:nasjonalArealplanId><app:NasjonalArealplanId><app:administrativEnhet>"
            "<app:AdministrativEnhetskode><app:kommunenummer>3203</app:kommunenummer>"
            "</app:AdministrativEnhetskode></app:administrativEnhet>"
            f"<app:planidentifikasjon>{planid}</app:planidentifikasjon>"
            "</app:NasjonalArealplanId></app:nasjonalArealplanId>"
            f"<app:plannavn>{name}</app:plannavn><app:plantype>35</app:plantype>"
            "<app:planstatus>3</app:planstatus>"
            "<app:vedtakEndeligPlanDato>2023-03-01</app:vedtakEndeligPlanDato>"
            f'<app:område xlink:href="#{key}-omr"/></app:Arealplan>')
    body = "\n".join(f"<gml:featureMember>{m}</gml:featureMember>" for m in members)
    if broken:
        body = body.replace("</app:feltnavn>", "</app:feltnavn", 1)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gml:FeatureCollection '
        'xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:app="https://skjema.geonorge.no/SOSI/produktspesifikasjon/Reguleringsplanforslag/5.0" '
        f'gml:id="fc">\n{body}\n</gml:FeatureCollection>\n', encoding="utf-8")
    return path


def test_plan_gml_areas_reach_their_plan_by_xlink(engine: Engine, db_url: str,
                                                  tmp_path: Path) -> None:
    path = _arealplan_gml(tmp_path / "planforslag.gml", [
        ("a", "2023001", "Hvalstad øst", 0), ("b", "2023002", "Hvalstad vest", 50)])
    result = load_source(engine, "plans", path, storage_srid=SRID)  # no --layer
    assert result.status == "published"
    assert _current_areas(db_url) == [("32032023001", "Hvalstad øst", "BN-a", "1300"),
                                      ("32032023002", "Hvalstad vest", "BN-b", "1300")]
    assert _query(db_url, "SELECT nasjonal_arealplan_id, round(ST_Area(geom)) FROM plan "
                          "ORDER BY 1") == [("32032023001", 5000), ("32032023002", 5000)]


def test_a_broken_gml_tag_is_reported_with_its_line(engine: Engine, db_url: str,
                                                    tmp_path: Path) -> None:
    path = _arealplan_gml(tmp_path / "brudd.gml", [("a", "2023001", "Hvalstad", 0)], broken=True)
    with pytest.raises(LoadError, match=r"brudd.gml: line 3, column \d+: the XML is broken") as raised:
        load_source(engine, "plans", path, storage_srid=SRID)
    assert "holds no features" not in str(raised.value)


def _kommuner(path: Path, numbers: list[Any]) -> Path:
    """A national kommune file (as from Geonorge): many kommuner, kommunenummer as text or number."""
    features = []
    for i, number in enumerate(numbers):
        x = 560_000 + i * 30_000
        features.append({"type": "Feature",
                         "properties": {"kommunenummer": number, "kommunenavn": f"Kommune {number}"},
                         "geometry": {"type": "MultiPolygon", "coordinates": [[[
                             [x, 6_600_000], [x + 20_000, 6_600_000], [x + 20_000, 6_640_000],
                             [x, 6_640_000], [x, 6_600_000]]]]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {
        "name": "urn:ogc:def:crs:EPSG::25832"}}, "features": features}), encoding="utf-8")
    return path


def test_a_national_kommune_file_keeps_the_configured_kommune(engine: Engine, db_url: str,
                                                              tmp_path: Path) -> None:
    path = _kommuner(tmp_path / "kommuner.geojson", ["0301", 3203, "3201"])
    result = load_source(engine, "kommune", path, storage_srid=SRID, kommuner=["3203"])
    assert _query(db_url, "SELECT kommunenummer, name FROM kommune") == [("3203", "Kommune 3203")]
    assert "kept kommune 3203 of the 3 kommuner in the file" in " ".join(result.warnings)
    other = _kommuner(tmp_path / "viken.geojson", ["3201", "3205"])
    with pytest.raises(LoadError, match=r"kommune 3203 .* is not in the file; it holds 2"):
        load_source(engine, "kommune", other, storage_srid=SRID, kommuner=["3203"])


def test_a_national_kommune_file_keeps_every_kommune_the_instance_serves(
        engine: Engine, db_url: str, tmp_path: Path) -> None:
    path = _kommuner(tmp_path / "kommuner.geojson", ["0301", 3203, "3201", 4601])
    result = load_source(engine, "kommune", path, storage_srid=SRID,
                         kommuner=["3203", "3201", "0301"])
    assert _query(db_url, "SELECT kommunenummer FROM kommune ORDER BY 1") == [
        ("0301",), ("3201",), ("3203",)]
    assert "kept kommune 0301, 3201, 3203 of the 4 kommuner" in " ".join(result.warnings)


def test_load_help_lists_every_source() -> None:
    from webmap.cli import main

    result = CliRunner().invoke(main, ["load", "--help"])
    assert result.exit_code == 0, result.output
    for name, spec in SOURCES.items():
        assert name in result.output
        assert spec.description.split()[0] in result.output
    for option in ("--force-srs", "--encoding", "--plan-id"):
        assert option in result.output
