"""Benchmark: departures per stop place from a GTFS zip, ours against an in-memory pandas reference.

Generates a synthetic weekday feed (default 2,000,000 stop_times on 20,000 stops), then measures in
separate processes (so each peak memory is its own):
  (a) `naeringskart load transit` (etl.loaders.gtfs through etl.load: zip checks, representative day,
      streamed aggregation, COPY, publish, and whatever refresh runs after a transit load);
  (b) the same counts the usual way: pandas reads stop_times.txt whole, merges trips and routes,
      drops each trip's last stop and groups (no database, no validation).
Also (c) etl.loaders.gtfs's reading and counting alone, without the database. Prints stop_times/s for
each, the ratio (a) against (b), and the peak memory (RSS) of each process.

Run: `.venv/bin/python bench/etl_gtfs.py` (or `make bench`). Options: --stop-times, --keep.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STOPS_PER_TRIP = 20
N_STOPS = 20_000


def generate(path: Path, stop_times: int) -> None:
    """A weekday feed: trips of 20 consecutive stops, departures spread over 05-23."""
    trips = stop_times // STOPS_PER_TRIP
    rng = random.Random(1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("stops.txt", "stop_id,stop_name,stop_lat,stop_lon,parent_station\n" + "".join(
            f"S{i},Stop {i},{59 + i / 100000:.5f},{10 + i / 100000:.5f},\n" for i in range(N_STOPS)))
        archive.writestr("routes.txt", "route_id,route_type\nR1,3\nR2,109\n")
        archive.writestr("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,"
                         "saturday,sunday,start_date,end_date\nW,1,1,1,1,1,0,0,20260105,20261231\n")
        archive.writestr("trips.txt", "route_id,service_id,trip_id\n" + "".join(
            f"R{1 + i % 2},W,T{i}\n" for i in range(trips)))
        with archive.open("stop_times.txt", "w") as handle:
            text = io.TextIOWrapper(handle, "utf-8", newline="")
            text.write("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
            for i in range(trips):
                start, first = rng.randrange(5 * 3600, 23 * 3600), rng.randrange(N_STOPS - 20)
                for k in range(STOPS_PER_TRIP):
                    t = start + 90 * k
                    hms = f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"
                    text.write(f"T{i},{hms},{hms},S{first + k},{k + 1}\n")
            text.flush()


def ours(path: Path) -> dict[str, float]:
    """The project's loader into a scratch database."""
    from sqlalchemy import create_engine

    from etl.load import load_source
    from gis import migrate
    from gis.cluster import LocalCluster
    from gis.config import PROJECT_ROOT
    from gis.db import drop_database, ensure_database

    cluster = LocalCluster(PROJECT_ROOT / "var" / "pg")
    cluster.up()
    url = cluster.url("nk_bench_gtfs")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, 25832)
    started = time.perf_counter()
    result = load_source(engine, "transit", path, storage_srid=25832)
    seconds = time.perf_counter() - started
    engine.dispose()
    drop_database(url)
    return {"seconds": seconds, "rows": float(result.rows_written)}


def aggregate(path: Path) -> dict[str, float]:
    """Our reading and counting alone (no database): where the load's own time goes."""
    from etl.loaders.gtfs.departures import count_departures, stop_rows
    from etl.loaders.gtfs.feed import Feed
    from etl.readers.safezip import open_checked_zip

    started = time.perf_counter()
    with open_checked_zip(path) as archive:
        feed = Feed(path, archive)
        _, services, _ = feed.representative_day()
        stops = feed.stop_places()
        trips, modes, directions = feed.active_trips(services)
        day, window = count_departures(feed, trips, modes, directions, stops)
    rows = stop_rows(stops, day, window)
    return {"seconds": time.perf_counter() - started, "rows": float(len(rows))}


def reference(path: Path) -> dict[str, float]:
    """Everything in memory with pandas: the straightforward way."""
    import pandas as pd

    started = time.perf_counter()
    with zipfile.ZipFile(path) as archive:
        trips = pd.read_csv(archive.open("trips.txt"), dtype=str)
        routes = pd.read_csv(archive.open("routes.txt"), dtype={"route_type": int, "route_id": str})
        times = pd.read_csv(archive.open("stop_times.txt"),
                            dtype={"trip_id": str, "stop_id": str, "departure_time": str})
    hms = times["departure_time"].str.split(":", expand=True).astype(int)
    times["secs"] = hms[0] * 3600 + hms[1] * 60 + hms[2]
    last = times.groupby("trip_id")["stop_sequence"].transform("max")
    times = times[times["stop_sequence"] < last].merge(trips, on="trip_id").merge(routes,
                                                                                on="route_id")
    times["window"] = (times["secs"] >= 6 * 3600) & (times["secs"] < 20 * 3600)
    counts = times.groupby(["stop_id", "route_type"]).agg(day=("secs", "size"),
                                                          window=("window", "sum"))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": float(len(counts))}


def main() -> None:
    """Generate, measure both in their own process, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stop-times", type=int, default=2_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated zip")
    parser.add_argument("--only", choices=("ours", "aggregate", "reference"), help=argparse.SUPPRESS)
    parser.add_argument("--feed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        measured = {"ours": ours, "aggregate": aggregate, "reference": reference}[args.only](args.feed)
        measured["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(measured))
        return
    feed = Path("/tmp") / f"naeringskart_bench_gtfs_{args.stop_times}.zip"
    if not feed.exists():
        generate(feed, args.stop_times)
    results = {}
    for kind in ("ours", "aggregate", "reference"):
        out = subprocess.run([sys.executable, __file__, "--only", kind, "--feed", str(feed)],
                             check=True, capture_output=True, text=True).stdout
        results[kind] = json.loads(out.strip().splitlines()[-1])
    n = args.stop_times
    for kind, label in (("ours", "naeringskart load transit"),
                        ("aggregate", "  of which etl.loaders.gtfs alone"),
                        ("reference", "pandas in memory")):
        r = results[kind]
        print(f"{label:<27} {r['seconds']:7.1f} s  {n / r['seconds']:>10,.0f} stop_times/s  "
              f"peak {r['peak_mb']:6.0f} MB  ({r['rows']:.0f} stop/mode rows)")
    ratio = results["reference"]["seconds"] / results["ours"]["seconds"]
    print(f"ratio (ours / pandas, speed): {ratio:.2f}x")
    if not args.keep:
        feed.unlink()


if __name__ == "__main__":
    main()
