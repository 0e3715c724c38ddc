"""A GTFS weekday timetable for rail and bus."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from etl.demo.generator.common import FIXED_ZIP_TIME, TO_WGS84, XY, rng_for
from etl.demo.generator.world import World, offset

SERVICE_ID = "DEMO:DayType:Hverdag"
# Weekday public holidays in 2026 (Easter Sunday is 5 April): no weekday service.
HOLIDAYS_2026 = [
    "20260101",
    "20260402",
    "20260403",
    "20260406",
    "20260501",
    "20260514",
    "20260525",
    "20261225",
]
RAIL_LINES = [  # id, short, long, route_type, stations, departures per hour and direction
    (
        "L1",
        "L1",
        "Spikkestad - Asker - Billingstad",
        109,
        [
            "Spikkestad stasjon",
            "Røyken stasjon",
            "Heggedal stasjon",
            "Asker stasjon",
            "Vakås stasjon",
            "Hvalstad stasjon",
            "Billingstad stasjon",
        ],
        2,
    ),
    (
        "R13",
        "R13",
        "Spikkestad - Asker - Billingstad (fiktiv ekspress)",
        2,
        ["Spikkestad stasjon", "Asker stasjon", "Billingstad stasjon"],
        2,
    ),
]
BUS_STOPS = [  # name, place, dx, dy
    ("Asker bussterminal", "Asker stasjon", 60, -70),
    ("Vakås", "Vakås stasjon", 50, 40),
    ("Hvalstad", "Hvalstad stasjon", -50, 40),
    ("Billingstad", "Billingstad", 40, -60),
    ("Holmen senter", "Holmen", -40, -40),
    ("Drengsrud", "E18 Asker (Drengsrud)", -150, 120),
    ("Gjellum", "E18 Gjellum", 150, 150),
    ("Heggedal torg", "Heggedal", 40, 40),
    ("Vollen", "Vollen", -40, 30),
    ("Slemmestad sentrum", "Slemmestad", -40, -40),
    ("Røyken sentrum", "Røyken sentrum (Midtbygda)", 40, -40),
    ("Spikkestad sentrum", "Spikkestad", 60, 40),
    ("Kjekstad", "E134 Kjekstad", -120, 150),
    ("Sætre sentrum", "Sætre", -40, 40),
    ("Verpen", "E134 Verpen (Hurum)", -150, -120),
    ("Filtvet", "Filtvet", -60, 30),
    ("Tofte", "Tofte", -60, 60),
    ("Holmsbu", "Holmsbu", 60, 30),
]
BUS_LINES = [  # short name, long name, main stops, departures per hour and direction (06-20)
    ("210", "Asker - Vakås - Billingstad", ["Asker bussterminal", "Vakås", "Hvalstad", "Billingstad"], 2),
    (
        "220",
        "Asker - Holmen - Billingstad",
        ["Asker bussterminal", "Drengsrud", "Holmen senter", "Billingstad"],
        6,
    ),
    ("225", "Holmen - Vollen - Slemmestad", ["Holmen senter", "Vollen", "Slemmestad sentrum"], 3),
    (
        "230",
        "Asker - Heggedal - Røyken",
        ["Asker bussterminal", "Gjellum", "Heggedal torg", "Røyken sentrum"],
        3,
    ),
    ("240", "Røyken - Spikkestad", ["Røyken sentrum", "Spikkestad sentrum"], 2),
    ("250", "Slemmestad - Røyken - Kjekstad", ["Slemmestad sentrum", "Røyken sentrum", "Kjekstad"], 1),
    ("260", "Røyken - Kjekstad - Sætre", ["Røyken sentrum", "Kjekstad", "Sætre sentrum"], 2),
    ("270", "Sætre - Verpen - Tofte", ["Sætre sentrum", "Verpen", "Filtvet", "Tofte"], 1),
    ("280", "Sætre - Holmsbu", ["Sætre sentrum", "Holmsbu"], 1),
]
STOP_SUFFIXES = ["skole", "kirke", "gård", "krysset", "nord", "sør", "øst", "vest"]


@dataclass
class StopPlace:
    stop_id: str
    name: str
    x: float
    y: float
    quays: list[tuple[str, str, float, float]]  # (quay id, platform code, x, y)


def _onto_land(allowed: BaseGeometry, x: float, y: float) -> XY:
    """Move a stop that fell in the fjord or on a motorway to the nearest allowed spot."""
    p = Point(x, y)
    if allowed.contains(p):
        return (x, y)
    q = nearest_points(allowed, p)[0]
    return (q.x, q.y)


def build_stops(world: World, corridors: BaseGeometry) -> tuple[dict[str, StopPlace], dict[str, list[str]]]:
    """Stop places with two quays each (one per direction); bus lines get extra
    stops every ~2.5 km between their main stops."""
    allowed = world.land.buffer(-60).difference(corridors.buffer(12))
    shapely.prepare(allowed)
    stops: dict[str, StopPlace] = {}

    def add(name: str, num: int, x: float, y: float, codes: tuple[str, str], along: float) -> None:
        x, y = _onto_land(allowed, x, y)
        a = math.radians(along + 90)
        quays = [
            (f"NSR:Quay:{num}{k + 1}", code, x + s * 12 * math.cos(a), y + s * 12 * math.sin(a))
            for k, (code, s) in enumerate(zip(codes, (1, -1), strict=True))
        ]
        stops[name] = StopPlace(f"NSR:StopPlace:{num}", name, x, y, quays)

    for i, st in enumerate(world.of_kind("rail_station")):
        add(st.name, 990101 + i, st.x, st.y, ("1", "2"), 51)
    for i, (name, place, dx, dy) in enumerate(BUS_STOPS):
        add(name, 990201 + i, *offset(world, place, dx, dy), ("A", "B"), 0)
    lines: dict[str, list[str]] = {}
    segment_stops: dict[tuple[str, str], list[str]] = {}
    num = 990201 + len(BUS_STOPS)
    used_names = {n for n in stops}
    for short, _, main, _ in BUS_LINES:
        seq = [main[0]]
        for a, b in pairwise(main):
            key = (a, b) if a < b else (b, a)
            if key not in segment_stops:
                pa, pb = stops[key[0]], stops[key[1]]
                n = min(2, int(math.hypot(pb.x - pa.x, pb.y - pa.y) // 2500))
                names = []
                for k in range(1, n + 1):
                    x = pa.x + (pb.x - pa.x) * k / (n + 1)
                    y = pa.y + (pb.y - pa.y) * k / (n + 1)
                    near = min((pa, pb), key=lambda s: math.hypot(s.x - x, s.y - y))
                    base = near.name.split()[0]
                    # Name by compass direction from the nearer main stop, then by landmark.
                    bearing = math.degrees(math.atan2(x - near.x, y - near.y)) % 360
                    compass = ["nord", "øst", "sør", "vest"][int((bearing + 45) % 360 // 90)]
                    name = next(
                        f"{base} {suf}"
                        for suf in [compass, *STOP_SUFFIXES]
                        if f"{base} {suf}" not in used_names
                    )
                    used_names.add(name)
                    add(name, num, x, y, ("A", "B"), 0)
                    num += 1
                    names.append(name)
                segment_stops[key] = names
            mids = segment_stops[key]
            seq += (mids if key == (a, b) else mids[::-1]) + [b]
        lines[short] = seq
    return stops, lines


def _hms(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def build_gtfs(world: World, corridors: BaseGeometry) -> dict[str, list[list[Any]]]:
    rng = rng_for("gtfs")
    stops, bus_seq = build_stops(world, corridors)
    tables: dict[str, list[list[Any]]] = {
        "agency.txt": [
            ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
            [
                "DEMO:Authority:TOG",
                "Tog (fiktivt demoselskap)",
                "https://example.no/tog",
                "Europe/Oslo",
                "no",
            ],
            [
                "DEMO:Authority:BUSS",
                "Buss (fiktivt demoselskap)",
                "https://example.no/buss",
                "Europe/Oslo",
                "no",
            ],
        ],
        "stops.txt": [
            [
                "stop_id",
                "stop_name",
                "stop_desc",
                "stop_lat",
                "stop_lon",
                "location_type",
                "parent_station",
                "platform_code",
            ]
        ],
        "routes.txt": [["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"]],
        "trips.txt": [["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"]],
        "stop_times.txt": [["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"]],
        "calendar.txt": [
            [
                "service_id",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "start_date",
                "end_date",
            ],
            [SERVICE_ID, 1, 1, 1, 1, 1, 0, 0, "20260101", "20261231"],
        ],
        "calendar_dates.txt": [["service_id", "date", "exception_type"]]
        + [[SERVICE_ID, d, 2] for d in HOLIDAYS_2026],
        "feed_info.txt": [
            [
                "feed_publisher_name",
                "feed_publisher_url",
                "feed_lang",
                "feed_start_date",
                "feed_end_date",
                "feed_version",
            ],
            ["Næringskart (fiktive demodata)", "https://example.no", "no", "20260101", "20261231", "demo-1"],
        ],
    }

    def lonlat(x: float, y: float) -> tuple[float, float]:
        lon, lat = TO_WGS84.transform(x, y)
        return round(lat, 6), round(lon, 6)

    for s in stops.values():
        kind = "Jernbanestasjon" if s.name.endswith("stasjon") else "Bussholdeplass"
        tables["stops.txt"].append([s.stop_id, s.name, f"{kind} (fiktiv)", *lonlat(s.x, s.y), 1, "", ""])
        for qid, code, qx, qy in s.quays:
            tables["stops.txt"].append([qid, s.name, "", *lonlat(qx, qy), 0, s.stop_id, code])

    lines = [
        (f"DEMO:Line:{rid}", "DEMO:Authority:TOG", short, long, rtype, seq, per_hour, 1000.0)
        for rid, short, long, rtype, seq, per_hour in RAIL_LINES
    ]
    lines += [
        (f"DEMO:Line:{short}", "DEMO:Authority:BUSS", short, long, 3, bus_seq[short], per_hour, 450.0)
        for short, long, _, per_hour in BUS_LINES
    ]
    for route_id, agency, short, long, rtype, seq, per_hour, metres_per_min in lines:
        tables["routes.txt"].append([route_id, agency, short, long, rtype])
        headway = 60 // per_hour
        start = rng.randrange(headway)
        for direction in (0, 1):
            order = seq if direction == 0 else seq[::-1]
            places = [stops[n] for n in order]
            legs = [
                max(1, round(math.hypot(b.x - a.x, b.y - a.y) * 1.3 / metres_per_min))
                for a, b in pairwise(places)
            ]
            t = 5 * 60 + (start + (headway // 2) * direction) % headway
            n = 0
            while t < 24 * 60:
                n += 1
                trip_id = f"DEMO:ServiceJourney:{short}-{direction}-{n:03d}"
                tables["trips.txt"].append([route_id, SERVICE_ID, trip_id, places[-1].name, direction])
                clock = t
                for k, sp in enumerate(places):
                    if k:
                        clock += legs[k - 1]
                    tables["stop_times.txt"].append(
                        [trip_id, _hms(clock), _hms(clock), sp.quays[direction][0], k + 1]
                    )
                t += headway if 6 * 60 <= t < 20 * 60 else 2 * headway  # thinner mornings/evenings
    return tables


def write_gtfs(out: Path, tables: dict[str, list[list[Any]]]) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(tables):
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(tables[name])
            zi = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, buf.getvalue().encode("utf-8"))
    (out / "gtfs_asker.zip").write_bytes(archive.getvalue())
