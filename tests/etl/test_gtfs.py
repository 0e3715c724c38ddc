"""GTFS: departures per stop place and mode on the representative weekday, and bad feeds."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

from etl.errors import LoadError
from etl.load import load_source
from etl.loaders.gtfs.feed import route_mode
from etl.readers.safezip import ZipLimits, check_zip
from gis.db import libpq_dsn

SRID = 25832


def _feed_tables() -> dict[str, list[list[Any]]]:
    """A tiny feed whose counts are worked out by hand in the test below."""
    stop_times: list[list[Any]] = [
        # R2's last stop comes first: the last-stop rule must not depend on row order.
        ["R2", "08:20:00", "08:20:00", "S3", 3],
        ["R1", "07:00:00", "07:00:00", "Q1a", 1],
        ["R1", "07:10:00", "07:10:00", "S2", 2],
        ["R2", "08:00:00", "08:00:00", "S2", 1],
        ["R2", "08:10:00", "08:10:00", "Q1b", 2],
        ["R3", "21:00:00", "21:00:00", "Q1a", 1],
        ["R3", "21:05:00", "21:05:00", "S2", 2],
        ["B1", "05:59:59", "05:59:59", "S2", 1],
        ["B1", "06:30:00", "", "Q1a", 2],  # departure empty: the arrival time is used
        ["B1", "06:40:00", "06:40:00", "S3", 3],
        ["SAT1", "10:00:00", "10:00:00", "Q1a", 1],
        ["SAT1", "10:10:00", "10:10:00", "S2", 2],
    ]
    trips = [["RAIL", "WK", "R1"], ["RAIL", "WK", "R2"], ["RAIL", "EXTRA", "R3"],
             ["BUS", "WK", "B1"], ["BUS", "SAT", "SAT1"]]
    # A bus every 10 minutes 06:00-19:50 from S3 to S2: 84 departures at S3, 6 an hour.
    for n in range(84):
        minutes = 6 * 60 + 10 * n
        trip = f"T{n}"
        trips.append(["BUS", "WK", trip])
        stop_times.append([trip, f"{minutes // 60:02d}:{minutes % 60:02d}:00",
                           f"{minutes // 60:02d}:{minutes % 60:02d}:00", "S3", 1])
        stop_times.append([trip, "", "", "S2", 2])
    return {
        "agency.txt": [["agency_id", "agency_name", "agency_url", "agency_timezone"],
                       ["A", "Test", "https://example.no", "Europe/Oslo"]],
        "stops.txt": [["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type",
                       "parent_station"],
                      ["P1", "Sentrum stasjon", "59.83", "10.43", "1", ""],
                      ["Q1a", "Sentrum stasjon spor 1", "59.8301", "10.4301", "0", "P1"],
                      ["Q1b", "Sentrum stasjon spor 2", "59.8302", "10.4302", "0", "P1"],
                      ["S2", "Torget", "59.84", "10.44", "0", ""],
                      ["S3", "Bryggen", "59.85", "10.45", "0", ""],
                      ["S4", "Ubrukt", "59.86", "10.46", "0", ""]],
        "routes.txt": [["route_id", "agency_id", "route_short_name", "route_type"],
                       ["RAIL", "A", "L1", "109"], ["BUS", "A", "200", "3"]],
        "trips.txt": [["route_id", "service_id", "trip_id"], *trips],
        "stop_times.txt": [["trip_id", "arrival_time", "departure_time", "stop_id",
                            "stop_sequence"], *stop_times],
        "calendar.txt": [["service_id", "monday", "tuesday", "wednesday", "thursday", "friday",
                          "saturday", "sunday", "start_date", "end_date"],
                         ["WK", 1, 1, 1, 1, 1, 0, 0, "20260105", "20260130"],
                         ["SAT", 0, 0, 0, 0, 0, 1, 0, "20260105", "20260130"]],
        # EXTRA runs on Wednesday 14 January only, which makes that the busiest midweek day.
        "calendar_dates.txt": [["service_id", "date", "exception_type"],
                               ["EXTRA", "20260114", 1], ["WK", "20260113", 2]],
    }


def _zip(tmp_path: Path, tables: dict[str, list[list[Any]]], name: str = "gtfs.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, rows in tables.items():
            text = "\n".join(",".join(str(v) for v in row) for row in rows) + "\n"
            archive.writestr(member, "\ufeff" + text if member == "stops.txt" else text)
    return path


def _stops(db_url: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        rows = conn.execute(
            "SELECT stop_id, mode, name, departures_per_hour::float8, mean_headway_min::float8, "
            "departures_per_day, ST_X(ST_Transform(geom, 4326)) FROM transit_stop").fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


@pytest.mark.parametrize("block_size", [16 << 20, 256])
def test_departures_per_stop_place_and_mode_match_a_hand_count(
        engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        block_size: int) -> None:
    # Tiny read blocks split trips over many batches: the counts must not change.
    monkeypatch.setattr("etl.loaders.gtfs.departures._BLOCK_SIZE", block_size)
    result = load_source(engine, "transit", _zip(tmp_path, _feed_tables()), storage_srid=SRID)
    assert any("2026-01-14" in w and "Wednesday" in w for w in result.warnings), result.warnings
    stops = _stops(db_url)
    # Rail at P1 (quays Q1a/Q1b): R1 07:00, R2 08:10 in the window, R3 21:00 outside it.
    # The feed gives no direction_id: departures count as split over both directions (ARE),
    # so the headway per direction is 60 × 2 / departures an hour.
    assert stops[("P1", "rail")][:4] == ("Sentrum stasjon", pytest.approx(2 / 14, abs=1e-3),
                                         pytest.approx(840, abs=0.5), 3)
    assert stops[("P1", "rail")][4] == pytest.approx(10.43)  # the parent's position
    # Rail at S2: only R2 08:00; R1 and R3 end there (arrivals).
    assert stops[("S2", "rail")][1:4] == (pytest.approx(1 / 14, abs=1e-3),
                                          pytest.approx(1680, abs=1), 1)
    # Bus at S2: B1 at 05:59:59, before the window; the 84 T-trips end there.
    assert stops[("S2", "bus")][1:4] == (0, None, 1)
    assert stops[("P1", "bus")][1:4] == (pytest.approx(1 / 14, abs=1e-3),
                                         pytest.approx(1680, abs=1), 1)
    assert stops[("S3", "bus")][1:4] == (6, 20, 84)
    # S3 has no rail departures (R2 ends there); S4 has none at all; SAT1 does not run.
    assert set(stops) == {("P1", "rail"), ("S2", "rail"), ("S2", "bus"), ("P1", "bus"),
                          ("S3", "bus")}
    assert any("1 stop place(s) have no departures" in w for w in result.warnings)
    assert result.rows_read == len(_feed_tables()["stop_times.txt"]) - 1


def test_a_new_feed_replaces_the_old_one(engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_source(engine, "transit", _zip(tmp_path, _feed_tables()), storage_srid=SRID)
    tables = _feed_tables()
    tables["routes.txt"][1][3] = "1200"  # the "rail" route is now a ferry
    load_source(engine, "transit", _zip(tmp_path, tables, "v2.zip"), storage_srid=SRID)
    assert {mode for _, mode in _stops(db_url)} == {"ferry", "bus"}


@pytest.mark.parametrize(("route_type", "mode"), [
    (0, "tram"), (1, "metro"), (2, "rail"), (3, "bus"), (4, "ferry"), (6, "other"), (100, "rail"),
    (109, "rail"), (117, "rail"), (401, "metro"), (700, "bus"), (717, "bus"), (900, "tram"),
    (1000, "ferry"), (1200, "ferry"), (1300, "other")])
def test_route_types_map_to_modes(route_type: int, mode: str) -> None:
    assert route_mode(route_type) == mode


def _rejected(engine: Engine, db_url: str, tmp_path: Path, bad: Path, *patterns: str) -> None:
    load_source(engine, "transit", _zip(tmp_path, _feed_tables(), "good.zip"), storage_srid=SRID)
    before = _stops(db_url)
    with pytest.raises(LoadError) as raised:
        load_source(engine, "transit", bad, storage_srid=SRID)
    for pattern in patterns:
        assert pattern in str(raised.value), str(raised.value)
    assert _stops(db_url) == before


def test_zip_bomb_is_refused_before_reading(engine: Engine, db_url: str, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, rows in _feed_tables().items():
            archive.writestr(member, "\n".join(",".join(map(str, r)) for r in rows))
        archive.writestr("shapes.txt", b"0" * (40 << 20))
    assert bomb.stat().st_size < 1 << 20
    _rejected(engine, db_url, tmp_path, bomb, "bomb.zip: shapes.txt is compressed",
              "refused as a zip bomb")


def test_declared_sizes_over_the_limits_are_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path, _feed_tables())
    with zipfile.ZipFile(path) as archive:
        with pytest.raises(LoadError, match=r"would unpack to .* bytes .*refused as a zip bomb"):
            check_zip(path, archive, ZipLimits(max_total_bytes=1000))
        with pytest.raises(LoadError, match=r"stop_times\.txt would unpack to"):
            check_zip(path, archive, ZipLimits(max_member_bytes=2000))
        with pytest.raises(LoadError, match="holds 7 files"):
            check_zip(path, archive, ZipLimits(max_members=5))


@pytest.mark.parametrize(("change", "patterns"), [
    (lambda t: t.pop("stop_times.txt"), ("not a complete GTFS feed; missing stop_times.txt",)),
    (lambda t: (t.pop("calendar.txt"), t.pop("calendar_dates.txt")),
     ("missing calendar.txt or calendar_dates.txt",)),
    (lambda t: t["stop_times.txt"].__setitem__(3, ["R1", "7:1:00", "7:1:00", "S2", 2]),
     ("stop_times.txt line 4: time '7:1:00' is not HH:MM:SS",)),
    (lambda t: t["stop_times.txt"].__setitem__(2, ["R1", "07:00:00", "07:00:00", "NOPE", 1]),
     ("stop_times.txt line 3: stop_id 'NOPE' is not in stops.txt",)),
    (lambda t: t["stop_times.txt"].__setitem__(2, ["R1", "07:00:00", "07:00:00", "Q1a", "én"]),
     ("stop_times.txt line 3: stop_sequence 'én' is not a whole number",)),
    (lambda t: t["calendar.txt"].__setitem__(1, ["WK", 1, 1, 1, 1, 1, 0, 0, "2026-01-05",
                                                 "20260130"]),
     ("calendar.txt line 2: start_date = '2026-01-05' is not a date",)),
    (lambda t: t["stops.txt"].__setitem__(2, ["Q1a", "x", "59.8", "10.4", "0", "P9"]),
     ("stops.txt line 3: parent_station 'P9' is not a stop",)),
    (lambda t: t["stops.txt"].__setitem__(4, ["S2", "Torget", "", "10.44", "0", ""]),
     ("stops.txt line 5: stop_lat/stop_lon", "is not a position")),
    (lambda t: t["routes.txt"].__setitem__(2, ["BUS", "A", "200", "buss"]),
     ("routes.txt line 3: route_type 'buss' is not a number",)),
    (lambda t: t["stop_times.txt"].__setitem__(0, ["trip_id", "arrival_time", "stop_id"]),
     ("stop_times.txt line 1: required column(s) missing: stop_sequence",)),
])
def test_bad_feeds_are_rejected_naming_file_and_line(engine: Engine, db_url: str, tmp_path: Path,
                                                     change: Any, patterns: tuple[str, ...]
                                                     ) -> None:
    tables = _feed_tables()
    change(tables)
    _rejected(engine, db_url, tmp_path, _zip(tmp_path, tables, "bad.zip"), "bad.zip: ", *patterns)


def test_not_a_zip_is_rejected(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "feed.zip"
    path.write_bytes(io.BytesIO(b"stop_id,stop_name\n").getvalue())
    with pytest.raises(LoadError, match=r"feed\.zip: not a readable zip archive"):
        load_source(engine, "transit", path, storage_srid=SRID)


def _line_feed(agency: str, prefix: str, *, with_directions: bool = True,
               every_min: int = 10) -> dict[str, list[list[Any]]]:
    """One bus line T–M–E of operator `agency`, every `every_min` minutes each way 06:00-20:00:
    outbound trips (direction_id 0) start at the terminus T, inbound ones (1) end there."""
    tables = _feed_tables()
    stops = [f"{prefix}T", f"{prefix}M", f"{prefix}E"]
    trips: list[list[Any]] = []
    stop_times: list[list[Any]] = []
    for n in range((20 - 6) * 60 // every_min):
        start = 6 * 60 + every_min * n
        for direction, order in ((0, stops), (1, stops[::-1])):
            trip = f"{prefix}{direction}-{n}"
            trips.append([f"{prefix}L", "WK", trip, direction if with_directions else ""])
            for seq, stop in enumerate(order, start=1):
                minutes = start + 5 * (seq - 1)
                clock = f"{minutes // 60:02d}:{minutes % 60:02d}:00"
                stop_times.append([trip, clock, clock, stop, seq])
    tables["agency.txt"] = [tables["agency.txt"][0],
                            [agency, f"Operatør {agency}", "https://example.no", "Europe/Oslo"]]
    tables["stops.txt"] = [tables["stops.txt"][0][:4],
                           *([s, f"Holdeplass {s}", f"59.8{i}", f"10.4{i}"]
                             for i, s in enumerate(stops))]
    tables["routes.txt"] = [tables["routes.txt"][0], [f"{prefix}L", agency, "1", "3"]]
    tables["trips.txt"] = [["route_id", "service_id", "trip_id", "direction_id"], *trips]
    tables["stop_times.txt"] = [tables["stop_times.txt"][0], *stop_times]
    return tables


def test_terminus_headway_is_per_direction(engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_source(engine, "transit", _zip(tmp_path, _line_feed("RUT", "N")), storage_srid=SRID)
    stops = _stops(db_url)
    # The terminus: 6 departures an hour, all outbound; a stop along the line: 6 each way.
    assert stops[("NT", "bus")][1:3] == (6, 10)
    assert stops[("NM", "bus")][1:3] == (12, 10)


def test_operators_feeds_combine_and_each_reload_replaces_only_its_own(
        engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_source(engine, "transit", _zip(tmp_path, _line_feed("RUT", "N"), "ruter.zip"),
                storage_srid=SRID)
    result = load_source(engine, "transit", _zip(tmp_path, _line_feed("VYB", "V"), "vy.zip"),
                         storage_srid=SRID)
    assert any("feed agency:VYB" in w for w in result.warnings)
    assert {stop for stop, _ in _stops(db_url)} == {"NT", "NM", "NE", "VT", "VM", "VE"}
    # Ruter's new timetable (every 20 minutes) replaces Ruter's stops only.
    load_source(engine, "transit",
                _zip(tmp_path, _line_feed("RUT", "N", every_min=20), "ruter-2026.zip"),
                storage_srid=SRID)
    stops = _stops(db_url)
    assert set(stops) == {(s, "bus") for s in ("NT", "NM", "NE", "VT", "VM", "VE")}
    assert stops[("NT", "bus")][1:3] == (3, 20)
    assert stops[("VT", "bus")][1:3] == (6, 10)


def test_stops_outside_norway_are_refused(engine: Engine, db_url: str, tmp_path: Path) -> None:
    """An export with latitude and longitude swapped puts Asker's stops in the Indian Ocean."""
    tables = _feed_tables()
    tables["stops.txt"] = [tables["stops.txt"][0]] + [
        [stop_id, name, lon, lat, *rest] for stop_id, name, lat, lon, *rest in tables["stops.txt"][1:]]
    _rejected(engine, db_url, tmp_path, _zip(tmp_path, tables, "byttet.zip"),
              "byttet.zip: coordinates", "do not lie in Norway")
