"""Statistics: SSB JSON-stat 2.0 and the plain CSV into `statistic`, with the fixed indicator ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import load_source
from etl.loaders.statistics.indicators import map_indicator
from gis.db import libpq_dsn

SRID = 25832


def _dataset(values: list[Any], years: tuple[str, ...] = ("2022", "2023"),
             contents: tuple[tuple[str, str], ...] = (("SysselArbsted", "Sysselsatte etter arbeidssted"),
                                                      ("Innpendling", "Innpendling")),
             **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": "2.0", "class": "dataset", "label": "11616: Sysselsatte og pendling",
        "source": "Statistisk sentralbyrå",
        "id": ["Region", "ContentsCode", "Tid"], "size": [1, len(contents), len(years)],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "dimension": {
            "Region": {"label": "region", "category": {"index": {"K-3203": 0},
                                                       "label": {"K-3203": "Asker"}}},
            "ContentsCode": {"label": "statistikkvariabel", "category": {
                "index": {c: i for i, (c, _) in enumerate(contents)},
                "label": dict(contents),
                "unit": {c: {"base": "personer", "decimals": 0} for c, _ in contents}}},
            "Tid": {"label": "år", "category": {"index": list(years)}},
        },
        "extension": {"px": {"tableid": "11616"}},
        "value": values,
    }
    data.update(extra)
    return data


def _write(tmp_path: Path, data: Any, name: str = "ssb_11616.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _statistics(db_url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        return conn.execute(
            "SELECT table_id, indicator, region, region_type, year, value::float8, unit, kind, "
            "fictional, comparator, source FROM statistic "
            "ORDER BY table_id, indicator, region, year, kind").fetchall()


def test_jsonstat_loads_with_contract_ids_and_missing_values_kept(engine: Engine, db_url: str,
                                                                  tmp_path: Path) -> None:
    path = _write(tmp_path, _dataset([37000, None, 15000, 15500]))
    result = load_source(engine, "statistics", path, storage_srid=SRID)
    assert (result.rows_read, result.rows_written) == (4, 4)
    assert _statistics(db_url) == [
        ("11616", "innpendling", "3203", "kommune", 2022, 15000.0, "personer", "result", False, "=",
         "Statistisk sentralbyrå"),
        ("11616", "innpendling", "3203", "kommune", 2023, 15500.0, "personer", "result", False, "=",
         "Statistisk sentralbyrå"),
        ("11616", "sysselsatte_arbeidssted", "3203", "kommune", 2022, 37000.0, "personer", "result",
         False, "=", "Statistisk sentralbyrå"),
        ("11616", "sysselsatte_arbeidssted", "3203", "kommune", 2023, None, "personer", "result",
         False, "=", "Statistisk sentralbyrå"),
    ]


def test_unknown_contents_are_kept_under_their_code_and_fiction_is_flagged(
        engine: Engine, db_url: str, tmp_path: Path) -> None:
    data = _dataset([1.5, 2.5], years=("2023",),
                    contents=(("Sysselsatte2", "Sysselsatte 15-74 år"), ("Lonn", "Månedslønn")),
                    extension={"px": {"tableid": "11616"}, "fictional": True})
    result = load_source(engine, "statistics", _write(tmp_path, data), storage_srid=SRID)
    assert any("Lonn, Sysselsatte2 are not in the indicator mapping" in w for w in result.warnings)
    rows = _statistics(db_url)
    assert [(r[1], r[5], r[8]) for r in rows] == [("Lonn", 2.5, True), ("Sysselsatte2", 1.5, True)]


def test_a_new_delivery_of_a_table_replaces_its_rows(engine: Engine, db_url: str,
                                                     tmp_path: Path) -> None:
    load_source(engine, "statistics", _write(tmp_path, _dataset([1, 2, 3, 4])), storage_srid=SRID)
    newer = _dataset([5, 6], years=("2024",))
    load_source(engine, "statistics", _write(tmp_path, newer, "v2.json"), storage_srid=SRID)
    assert [(r[1], r[4], r[5]) for r in _statistics(db_url)] == [
        ("innpendling", 2024, 6.0), ("sysselsatte_arbeidssted", 2024, 5.0)]


def test_population_summed_over_extra_dimensions_with_a_warning(engine: Engine, db_url: str,
                                                                tmp_path: Path) -> None:
    data = {
        "version": "2.0", "class": "dataset", "label": "07459: Befolkning",
        "id": ["Region", "Kjonn", "ContentsCode", "Tid"], "size": [1, 2, 1, 2],
        "dimension": {
            "Region": {"category": {"index": ["3203"]}},
            "Kjonn": {"category": {"index": {"1": 0, "2": 1}}},
            "ContentsCode": {"category": {"index": ["Personer1"], "label": {"Personer1": "Personer"}}},
            "Tid": {"category": {"index": ["2023", "2024"]}},
        },
        "value": {"0": 48000, "1": 48500, "2": 47000, "3": None},
    }
    result = load_source(engine, "statistics", _write(tmp_path, data, "befolkning.json"),
                         storage_srid=SRID)
    assert any("summed over Kjonn" in w for w in result.warnings)
    assert [(r[0], r[1], r[4], r[5]) for r in _statistics(db_url)] == [
        ("07459", "befolkning", 2023, 95000.0), ("07459", "befolkning", 2024, None)]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(value=[1, 2, 3]),
     "ssb.json: 'size' gives 4 cells (1 × 2 × 2) but 'value' holds 3 values"),
    (lambda d: d.update(size=[1, 3, 2]),
     "ssb.json: dimension 'ContentsCode' has 2 categories but 'size' says 3"),
    (lambda d: d.update(id=["Region", "ContentsCode"]), "'id' names 2 dimensions but 'size' gives 3"),
    (lambda d: d["dimension"].pop("Tid"), "dimension 'Tid' is listed in 'id' but not described"),
    (lambda d: d.update(version="1.0"), "JSON-stat version '1.0'; 2.0 is needed"),
    (lambda d: d.update(value=[1, 2, "tre", 4]), "value 2 is 'tre', not a number or null"),
    (lambda d: (d.pop("role"), d.update(id=["Region", "Statistikk", "Tid"]),
                d["dimension"].update(Statistikk=d["dimension"].pop("ContentsCode"))),
     "no metric dimension"),
    (lambda d: d["dimension"]["Tid"]["category"].update(index=["2022", "i fjor"]),
     "time category 'i fjor' does not start with a year"),
    (lambda d: d["dimension"].update(Region="Asker"), "dimension 'Region' has no category index"),
    (lambda d: d["dimension"]["Tid"]["category"].update(index={"2022": "a", "2023": 1}),
     "ssb.json: not a well-formed JSON-stat 2.0 dataset (TypeError"),
])
def test_bad_jsonstat_is_rejected(engine: Engine, db_url: str, tmp_path: Path, change: Any,
                                  message: str) -> None:
    load_source(engine, "statistics", _write(tmp_path, _dataset([1, 2, 3, 4])), storage_srid=SRID)
    before = _statistics(db_url)
    data = _dataset([1, 2, 3, 4])
    change(data)
    with pytest.raises(LoadError) as raised:
        load_source(engine, "statistics", _write(tmp_path, data, "ssb.json"), storage_srid=SRID)
    assert message in str(raised.value), str(raised.value)
    assert _statistics(db_url) == before


def test_truncated_jsonstat_is_rejected(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(_dataset([1, 2, 3, 4]))[:200])
    with pytest.raises(LoadError, match=r"cut\.json: not valid JSON \(line 1, .*truncated\?"):
        load_source(engine, "statistics", path, storage_srid=SRID)


CSV_HEADER = "indicator;region;region_type;year;value;unit;source;fictional;kind;comparator;region_name"


def _csv(tmp_path: Path, lines: list[str], name: str = "statistikk.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([CSV_HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_plain_csv_maps_names_and_keeps_real_and_fictional_apart(engine: Engine, db_url: str,
                                                                 tmp_path: Path) -> None:
    path = _csv(tmp_path, [
        "arbeidsplasser;0201;tettsted;2024;14 535;antall;Fiktive demodata;true;result;=;Asker",
        "nho_kommune_nm_rangering;3203;kommune;2019;13;rangering;Temaplan;false;result;=;Asker",
        "nho_kommune_nm_rangering;3203;kommune;2024;10;rangering;Temaplan;false;ambition;<=;Asker",
        "andel_bor_og_arbeider_i_kommunen;3203;kommune;2019;41,4;prosent;Temaplan;false;result;=;",
        "arbeidsplasser;3203;kommune;;37000;antall;Temaplan;false;result;~;Asker",
        "egendekning;0627;kommune;2019;49;prosent;Temaplan;false;result;=;Røyken",
    ])
    result = load_source(engine, "statistics", path, storage_srid=SRID)
    assert any("line(s) 6 have no year" in w for w in result.warnings), result.warnings
    assert any("egendekning are not in the indicator mapping" in w for w in result.warnings)
    rows = [(r[1], r[2], r[3], r[4], r[5], r[7], r[8], r[9]) for r in _statistics(db_url)]
    assert rows == [
        ("arbeidsplasser", "Asker", "tettsted", 2024, 14535.0, "result", True, "="),
        ("egendekning", "0627", "kommune", 2019, 49.0, "result", False, "="),
        ("nho_rank", "3203", "kommune", 2019, 13.0, "result", False, "="),
        ("nho_rank", "3203", "kommune", 2024, 10.0, "ambition", False, "<="),
        ("share_living_working", "3203", "kommune", 2019, 41.4, "result", False, "="),
    ]


@pytest.mark.parametrize(("line", "message"), [
    ("nho_rank;3203;kommune;2019;13;rangering;NHO;false;mål;=;Asker",
     "line 2, column kind: 'mål' is not one of result, ambition"),
    ("nho_rank;3203;kommune;2019;tretten;rangering;NHO;false;result;=;Asker",
     "line 2, column value: 'tretten' is not a number"),
    ("nho_rank;3203;kommune;19;13;rangering;NHO;false;result;=;Asker",
     "line 2, column year: '19' is not a year"),
    ("nho_rank;3203;bydel;2019;13;rangering;NHO;false;result;=;Asker",
     "line 2, column region_type: 'bydel' is not one of"),
    (";3203;kommune;2019;13;rangering;NHO;false;result;=;Asker",
     "line 2, column indicator: required value is empty"),
    ("nho_rank;3203;kommune;2019;13;rangering;NHO;kanskje;result;=;Asker",
     "line 2, column fictional: 'kanskje' is not true or false"),
])
def test_bad_csv_lines_name_line_and_column(engine: Engine, tmp_path: Path, line: str,
                                            message: str) -> None:
    with pytest.raises(LoadError) as raised:
        load_source(engine, "statistics", _csv(tmp_path, [line]), storage_srid=SRID)
    assert str(raised.value).startswith(f"statistikk.csv: {message}"), str(raised.value)


def test_repeated_values_in_one_file_are_rejected(engine: Engine, tmp_path: Path) -> None:
    line = "nho_rank;3203;kommune;2019;13;rangering;NHO;false;result;=;Asker"
    with pytest.raises(LoadError, match=r"line 3 repeats nho_rank for 3203 2019 .* at line 2"):
        load_source(engine, "statistics", _csv(tmp_path, [line, line]), storage_srid=SRID)


def test_the_indicator_contract_ids() -> None:
    assert map_indicator("ssb", "11616", "X", "Bosatte sysselsatte") == "sysselsatte_bosted"
    assert map_indicator("ssb", "11616", "X", "Utpendlere") == "utpendling"
    assert map_indicator("ssb", "11616", "BoArbeid") == "bor_og_arbeider"
    assert map_indicator("ssb", "07459", "X", "Personer") == "befolkning"
    assert map_indicator("csv", "x", "omdisponert_dyrka_jord") == "rezoned_cultivated_daa"
    assert map_indicator("csv", "x", "arbeidsplassvekst_andel_av_befolkningsvekst") == \
        "workplace_growth_share"
    assert map_indicator("csv", "x", "ukjent") is None


def test_the_datasets_own_date_is_kept_as_the_source_date(engine: Engine, db_url: str,
                                                          tmp_path: Path) -> None:
    path = _write(tmp_path, _dataset([37000, 37100, 15000, 15500],
                                     updated="2024-05-14T06:00:00Z"))
    load_source(engine, "statistics", path, storage_srid=SRID)
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        dates = conn.execute("SELECT DISTINCT source_date::text FROM statistic").fetchall()
    assert dates == [("2024-05-14",)]
