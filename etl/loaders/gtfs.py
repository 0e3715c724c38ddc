"""Public transport from a GTFS zip (Entur): departures per stop place and mode on a normal weekday.

The representative weekday is the Tuesday–Thursday date with the most active services (calendar
and calendar_dates). stop_times.txt is streamed in Arrow blocks and aggregated with numpy into
arrays sized by trips and stop places, so a national feed (~10M stop times) needs little memory.
A trip's last stop is an arrival, not a departure, and is not counted.

Each operator's feed (its agency ids) is kept apart: loading a second operator adds its stops,
loading a new version of one operator's feed replaces only that operator's rows. The headway
is that of the busiest direction (trips.txt direction_id), so a terminus, whose departures all
go one way, gets the same headway as the stops along the line.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.errors import LoadError
from etl.job import LoadJob, Staged
from etl.readers.safezip import ZipLimits, open_checked_zip

MODES = ("rail", "bus", "tram", "metro", "ferry", "other")
# direction_id 0, 1, or none given (trips without one count half in each direction).
DIRECTIONS = 3
WINDOW = (6 * 3600, 20 * 3600)  # 06:00-20:00: departures per hour are counted in this window
GTFS_LIMITS = ZipLimits()
REQUIRED = {
    "stops.txt": ("stop_id", "stop_name", "stop_lat", "stop_lon"),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_id", "stop_sequence", "departure_time"),
}
_TIME = r"^\s*(?P<h>\d{1,3}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)\s*$"
_BLOCK_SIZE = 4 << 20
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def route_mode(route_type: int) -> str:
    """GTFS route_type (basic or extended) to rail|bus|tram|metro|ferry|other."""
    basic = {0: "tram", 1: "metro", 2: "rail", 3: "bus", 4: "ferry", 11: "bus", 12: "other"}
    if route_type in basic:
        return basic[route_type]
    ranges = ((100, 117, "rail"), (200, 209, "bus"), (400, 405, "metro"), (700, 717, "bus"),
              (800, 800, "bus"), (900, 906, "tram"), (1000, 1000, "ferry"), (1200, 1200, "ferry"))
    return next((mode for low, high, mode in ranges if low <= route_type <= high), "other")


@dataclass(frozen=True)
class StopPlace:
    """Stop places (parents, or stops without one) and which place each stop belongs to."""

    ids: pa.Array  # every stop_id in stops.txt
    place_of_stop: np.ndarray  # index into places, per stop_id
    places: pd.DataFrame  # stop_id, name, lat, lon


def load_gtfs(job: LoadJob) -> Staged:
    """Custom loader for source `transit`: the GTFS zip to one row per stop place and mode."""
    path = job.path
    with open_checked_zip(path, GTFS_LIMITS) as archive:
        feed = _Feed(path, archive)
        day, services, how = feed.representative_day()
        stops = feed.stop_places()
        trips, trip_mode, trip_direction = feed.active_trips(services)
        if not len(trips):
            raise LoadError(f"{path.name}: no trips run on {day:%Y-%m-%d}")
        day_counts, window_counts = feed.count_departures(trips, trip_mode, trip_direction,
                                                          stops)
        rows_read = feed.stop_times_read
        feed_key = feed.key()
    rows = _rows(stops, day_counts, window_counts)
    if not rows:
        raise LoadError(f"{path.name}: no departures on {day:%Y-%m-%d}")
    written = _publish(job, rows, feed_key)
    warnings = [f"{path.name}: representative weekday {day:%A %Y-%m-%d} ({how}); departures "
                f"per hour are the mean for 06:00-20:00 that day", f"{path.name}: feed {feed_key} "
                "(its agencies): replaces this feed's stops, other feeds' stops stay"]
    idle = len(stops.places) - len({row[0] for row in rows})
    if idle:
        warnings.append(f"{path.name}: {idle} stop place(s) have no departures that day and are "
                        "left out")
    return Staged(rows_read, written, 0, tuple(warnings))


class _Feed:
    """The members of one GTFS zip, read as the load needs them."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path, self.archive = path, archive
        names = set(archive.namelist())
        missing = [n for n in REQUIRED if n not in names]
        if "calendar.txt" not in names and "calendar_dates.txt" not in names:
            missing.append("calendar.txt or calendar_dates.txt")
        if missing:
            raise LoadError(f"{path.name}: not a complete GTFS feed; missing {', '.join(missing)}")
        self.names = names
        self.stop_times_read = 0

    # -- reading -----------------------------------------------------------------------
    def _open(self, member: str) -> IO[bytes]:
        return self.archive.open(member)

    def _header(self, member: str) -> list[str]:
        with self._open(member) as handle:
            first = handle.readline().decode("utf-8-sig", "replace").strip()
        return [c.strip().strip('"') for c in first.split(",")] if first else []

    def _columns(self, member: str, wanted: tuple[str, ...], optional: tuple[str, ...] = ()
                 ) -> list[str]:
        header = self._header(member)
        if not header:
            raise LoadError(f"{self.path.name}: {member} is empty")
        missing = [c for c in REQUIRED.get(member, wanted) if c not in header]
        if member == "stop_times.txt" and "departure_time" in missing and "arrival_time" in header:
            missing.remove("departure_time")
        if missing:
            raise LoadError(f"{self.path.name}: {member} line 1: required column(s) missing: "
                            f"{', '.join(missing)}")
        return [c for c in (*wanted, *optional) if c in header]

    def _table(self, member: str, wanted: tuple[str, ...], optional: tuple[str, ...] = ()
               ) -> pd.DataFrame:
        """A small member (not stop_times) as strings; absent optional columns are empty."""
        columns = self._columns(member, wanted, optional)
        try:
            with self._open(member) as handle:
                table = pacsv.read_csv(handle, convert_options=pacsv.ConvertOptions(
                    include_columns=columns, column_types=dict.fromkeys(columns, pa.string()),
                    strings_can_be_null=False))
        except (pa.ArrowInvalid, zipfile.BadZipFile, OSError) as exc:
            raise LoadError(f"{self.path.name}: {member} cannot be read: {exc}") from exc
        frame = table.to_pandas()
        for column in (*wanted, *optional):
            if column not in frame:
                frame[column] = ""
        return frame.apply(lambda s: s.str.strip())

    def _bad(self, member: str, row: int, message: str) -> LoadError:
        return LoadError(f"{self.path.name}: {member} line {row + 2}: {message}")

    def key(self) -> str:
        """The feed's operator: its agency ids (else names) from agency.txt, else the file name."""
        if "agency.txt" in self.names and self._header("agency.txt"):
            agencies = self._table("agency.txt", (), ("agency_id", "agency_name"))
            ids = sorted({a or n for a, n in zip(agencies["agency_id"], agencies["agency_name"],
                                                 strict=True) if a or n})
            if ids:
                return "agency:" + ",".join(ids)
        return "file:" + self.path.name

    # -- calendar ----------------------------------------------------------------------
    def representative_day(self) -> tuple[dt.date, set[str], str]:
        """The Tuesday–Thursday with the most active services, and those services."""
        calendar = (self._table("calendar.txt", ("service_id", *_WEEKDAYS, "start_date",
                                                 "end_date"))
                    if "calendar.txt" in self.names else None)
        exceptions = (self._table("calendar_dates.txt", ("service_id", "date", "exception_type"))
                      if "calendar_dates.txt" in self.names else None)
        bounds: list[dt.date] = []
        if calendar is not None and len(calendar):
            calendar["start"] = self._dates(calendar["start_date"], "calendar.txt", "start_date")
            calendar["end"] = self._dates(calendar["end_date"], "calendar.txt", "end_date")
            for day_name in _WEEKDAYS:
                bad = ~calendar[day_name].isin(["0", "1"])
                if bad.any():
                    row = int(np.flatnonzero(bad.to_numpy())[0])
                    raise self._bad("calendar.txt", row, f"{day_name} = "
                                    f"{calendar[day_name].iloc[row]!r} is not 0 or 1")
            bounds += [calendar["start"].min(), calendar["end"].max()]
        if exceptions is not None and len(exceptions):
            exceptions["day"] = self._dates(exceptions["date"], "calendar_dates.txt", "date")
            bad = ~exceptions["exception_type"].isin(["1", "2"])
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                raise self._bad("calendar_dates.txt", row, "exception_type = "
                                f"{exceptions['exception_type'].iloc[row]!r} is not 1 or 2")
            bounds += [exceptions["day"].min(), exceptions["day"].max()]
        if not bounds:
            raise LoadError(f"{self.path.name}: the calendar holds no services")
        best: tuple[int, dt.date, set[str]] | None = None
        day = min(bounds)
        while day <= max(bounds):
            if day.weekday() in (1, 2, 3):  # Tuesday, Wednesday, Thursday
                active = self._active(day, calendar, exceptions)
                if best is None or len(active) > best[0]:
                    best = (len(active), day, active)
            day += dt.timedelta(days=1)
        if best is None or best[0] == 0:
            raise LoadError(f"{self.path.name}: no service runs on any Tuesday, Wednesday or "
                            "Thursday in the feed's calendar")
        count, chosen, active = best
        return chosen, active, f"{count} active service(s), the most of any Tuesday-Thursday"

    def _dates(self, values: pd.Series, member: str, column: str) -> pd.Series:
        parsed = pd.to_datetime(values, format="%Y%m%d", errors="coerce")
        bad = parsed.isna().to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise self._bad(member, row, f"{column} = {values.iloc[row]!r} is not a date "
                            "(YYYYMMDD)")
        return parsed.dt.date

    @staticmethod
    def _active(day: dt.date, calendar: pd.DataFrame | None,
                exceptions: pd.DataFrame | None) -> set[str]:
        active: set[str] = set()
        if calendar is not None and len(calendar):
            runs = ((calendar[_WEEKDAYS[day.weekday()]] == "1") & (calendar["start"] <= day)
                    & (calendar["end"] >= day))
            active = set(calendar.loc[runs, "service_id"])
        if exceptions is not None and len(exceptions):
            today = exceptions[exceptions["day"] == day]
            active |= set(today.loc[today["exception_type"] == "1", "service_id"])
            active -= set(today.loc[today["exception_type"] == "2", "service_id"])
        return active

    # -- stops, routes, trips -----------------------------------------------------------
    def stop_places(self) -> StopPlace:
        """Each stop's stop place (its parent_station, else itself), with name and position."""
        stops = self._table("stops.txt", REQUIRED["stops.txt"], ("parent_station",))
        if not len(stops):
            raise LoadError(f"{self.path.name}: stops.txt holds no stops")
        duplicated = stops["stop_id"].duplicated().to_numpy()
        if duplicated.any():
            row = int(np.flatnonzero(duplicated)[0])
            raise self._bad("stops.txt", row, f"stop_id {stops['stop_id'].iloc[row]!r} occurs twice")
        place_ids = stops["parent_station"].where(stops["parent_station"] != "", stops["stop_id"])
        position = pd.Index(stops["stop_id"])
        place_rows = position.get_indexer(place_ids)
        if (place_rows < 0).any():
            row = int(np.flatnonzero(place_rows < 0)[0])
            raise self._bad("stops.txt", row, f"parent_station {place_ids.iloc[row]!r} is not a "
                            "stop in stops.txt")
        unique_rows, place_of_stop = np.unique(place_rows, return_inverse=True)
        places = stops.iloc[unique_rows][["stop_id", "stop_name", "stop_lat", "stop_lon"]]
        lat = pd.to_numeric(places["stop_lat"], errors="coerce")
        lon = pd.to_numeric(places["stop_lon"], errors="coerce")
        bad = (lat.isna() | lon.isna() | (lat.abs() > 90) | (lon.abs() > 180)).to_numpy()
        if bad.any():
            row = int(unique_rows[np.flatnonzero(bad)[0]])
            raise self._bad("stops.txt", row, "stop_lat/stop_lon "
                            f"({stops['stop_lat'].iloc[row]!r}, {stops['stop_lon'].iloc[row]!r}) "
                            "is not a position")
        frame = pd.DataFrame({"stop_id": places["stop_id"].to_numpy(),
                              "name": places["stop_name"].to_numpy(),
                              "lat": lat.to_numpy(), "lon": lon.to_numpy()})
        return StopPlace(pa.array(stops["stop_id"].to_numpy(), pa.string()),
                         place_of_stop.astype(np.int64), frame)

    def active_trips(self, services: set[str]) -> tuple[pa.Array, np.ndarray, np.ndarray]:
        """trip_ids running on the day, each one's mode index and direction (0, 1, 2 = none)."""
        routes = self._table("routes.txt", REQUIRED["routes.txt"])
        route_types = pd.to_numeric(routes["route_type"], errors="coerce")
        bad = (route_types.isna() | (route_types % 1 != 0)).to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise self._bad("routes.txt", row, f"route_type {routes['route_type'].iloc[row]!r} "
                            "is not a number")
        mode_of_route = dict(zip(routes["route_id"],
                                 (MODES.index(route_mode(int(t))) for t in route_types),
                                 strict=True))
        trips = self._table("trips.txt", REQUIRED["trips.txt"], ("direction_id",))
        running = trips[trips["service_id"].isin(services)]
        modes = running["route_id"].map(mode_of_route)
        if modes.isna().any():
            row = int(np.flatnonzero(trips.index.isin(running.index[modes.isna()]))[0])
            raise self._bad("trips.txt", row, f"route_id {trips['route_id'].iloc[row]!r} is not "
                            "in routes.txt")
        if running["trip_id"].duplicated().any():
            trip_id = running.loc[running["trip_id"].duplicated(), "trip_id"].iloc[0]
            raise LoadError(f"{self.path.name}: trips.txt: trip_id {trip_id!r} occurs twice")
        direction = running["direction_id"]
        bad_direction = ~direction.isin(["", "0", "1"])
        if bad_direction.any():
            row = int(np.flatnonzero(trips.index.isin(running.index[bad_direction]))[0])
            raise self._bad("trips.txt", row, f"direction_id {trips['direction_id'].iloc[row]!r} "
                            "is not 0 or 1")
        directions = direction.map({"0": 0, "1": 1, "": 2}).to_numpy(np.int64)
        return (pa.array(running["trip_id"].to_numpy(), pa.string()), modes.to_numpy(np.int64),
                directions)

    # -- stop_times, streamed -------------------------------------------------------------
    def count_departures(self, trips: pa.Array, trip_mode: np.ndarray, trip_direction: np.ndarray,
                         stops: StopPlace) -> tuple[np.ndarray, np.ndarray]:
        """Departures per (stop place, mode) for the whole day, and per (stop place, mode,
        direction) within 06:00-20:00 (window_counts has DIRECTIONS entries per slot)."""
        slots = len(stops.places) * len(MODES)
        day_counts = np.zeros(slots, np.int64)
        window_counts = np.zeros(slots * DIRECTIONS, np.int64)
        # Per trip: highest stop_sequence seen, and where/when it was (its last stop).
        last_seq = np.full(len(trips), -1, np.int64)
        last_slot = np.zeros(len(trips), np.int64)
        last_secs = np.full(len(trips), -1, np.int64)
        for offset, batch in self._stop_time_batches():
            trip_index = pc.index_in(batch.column("trip_id"), value_set=trips)
            keep = pc.is_valid(trip_index)
            if not pc.any(keep).as_py():
                continue
            rows = np.flatnonzero(keep.to_numpy(zero_copy_only=False))
            batch = batch.filter(keep)
            trip = trip_index.filter(keep).to_numpy().astype(np.int64)
            stop_index = pc.index_in(batch.column("stop_id"), value_set=stops.ids)
            if stop_index.null_count:
                bad = int(np.flatnonzero(pc.is_null(stop_index).to_numpy(zero_copy_only=False))[0])
                raise self._bad("stop_times.txt", offset + int(rows[bad]),
                                f"stop_id {batch.column('stop_id')[bad].as_py()!r} is not in "
                                "stops.txt")
            place = stops.place_of_stop[stop_index.to_numpy()]
            seq = self._sequence(batch, rows, offset)
            secs = self._seconds(batch, rows, offset)
            slot = place * len(MODES) + trip_mode[trip]
            day_counts += np.bincount(slot, minlength=slots)
            in_window = (secs >= WINDOW[0]) & (secs < WINDOW[1])
            directed = slot * DIRECTIONS + trip_direction[trip]
            window_counts += np.bincount(directed[in_window], minlength=slots * DIRECTIONS)
            # The last row of each trip in this batch, then keep it if it beats earlier batches.
            order = np.lexsort((seq, trip))
            ends = order[np.r_[trip[order][1:] != trip[order][:-1], True]]
            better = seq[ends] > last_seq[trip[ends]]
            chosen = ends[better]
            last_seq[trip[chosen]] = seq[chosen]
            last_slot[trip[chosen]] = directed[chosen]
            last_secs[trip[chosen]] = secs[chosen]
        seen = last_seq >= 0
        day_counts -= np.bincount(last_slot[seen] // DIRECTIONS, minlength=slots)
        last_in_window = seen & (last_secs >= WINDOW[0]) & (last_secs < WINDOW[1])
        window_counts -= np.bincount(last_slot[last_in_window], minlength=slots * DIRECTIONS)
        return day_counts, window_counts

    def _stop_time_batches(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        member = "stop_times.txt"
        columns = self._columns(member, ("trip_id", "stop_id", "stop_sequence"),
                                ("departure_time", "arrival_time"))
        handle = self._open(member)
        try:
            reader = pacsv.open_csv(handle, read_options=pacsv.ReadOptions(block_size=_BLOCK_SIZE),
                                    convert_options=pacsv.ConvertOptions(
                                        include_columns=columns,
                                        column_types=dict.fromkeys(columns, pa.string()),
                                        strings_can_be_null=False))
            offset = 0
            for batch in reader:
                yield offset, batch
                offset += batch.num_rows
                self.stop_times_read = offset
        except pa.ArrowInvalid as exc:
            raise LoadError(f"{self.path.name}: {member} is malformed: {exc}") from exc
        finally:
            handle.close()

    def _sequence(self, batch: pa.RecordBatch, rows: np.ndarray, offset: int) -> np.ndarray:
        values = batch.column("stop_sequence")
        try:
            return pc.cast(pc.utf8_trim_whitespace(values), pa.int64()).to_numpy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            numbers = pd.to_numeric(pd.Series(values.to_pylist()), errors="coerce")
            bad = int(np.flatnonzero(numbers.isna().to_numpy())[0])
            raise self._bad("stop_times.txt", offset + int(rows[bad]),
                            f"stop_sequence {values[bad].as_py()!r} is not a whole number") from None

    def _seconds(self, batch: pa.RecordBatch, rows: np.ndarray, offset: int) -> np.ndarray:
        """Departure (else arrival) time as seconds after midnight; -1 where the stop is untimed."""
        names = batch.schema.names
        text = batch.column("departure_time") if "departure_time" in names else None
        if "arrival_time" in names:
            arrival = batch.column("arrival_time")
            text = arrival if text is None else pc.if_else(pc.equal(pc.utf8_trim_whitespace(text), ""),
                                                           arrival, text)
        assert text is not None
        parts = pc.extract_regex(text, _TIME)
        valid = pc.is_valid(parts).to_numpy(zero_copy_only=False)
        empty = pc.equal(pc.utf8_trim_whitespace(text), "").to_numpy(zero_copy_only=False)
        bad = ~valid & ~empty
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise self._bad("stop_times.txt", offset + int(rows[row]),
                            f"time {text[row].as_py()!r} is not HH:MM:SS")
        seconds = np.full(len(text), -1, np.int64)
        if valid.any():
            # Unmatched rows have "" in every group: read them as 0 (they become -1 below).
            hours, minutes, secs = (
                pc.cast(pc.if_else(pc.equal(pc.struct_field(parts, i), ""), "0",
                                   pc.struct_field(parts, i)), pa.int64())
                .to_numpy(zero_copy_only=False) for i in range(3))
            seconds = np.where(valid, hours * 3600 + minutes * 60 + secs, -1)
        return seconds


def _rows(stops: StopPlace, day_counts: np.ndarray, window_counts: np.ndarray
          ) -> list[tuple[Any, ...]]:
    """One row per stop place and mode with departures that day."""
    hours = (WINDOW[1] - WINDOW[0]) / 3600
    slots = np.flatnonzero(day_counts > 0)
    place, mode = np.divmod(slots, len(MODES))
    by_direction = window_counts.reshape(-1, DIRECTIONS)[slots]
    per_hour = by_direction.sum(axis=1) / hours
    # The headway is the busiest direction's (ARE counts per direction): at a terminus every
    # departure goes one way. Trips without direction_id are split over both directions, as
    # ARE's 60 × 2 / departures does for a stop served both ways.
    undirected = by_direction[:, 2] / 2
    busiest = np.maximum(by_direction[:, 0] + undirected, by_direction[:, 1] + undirected) / hours
    ids = stops.places["stop_id"].to_numpy()[place]
    names = stops.places["name"].to_numpy()[place]
    lons, lats = stops.places["lon"].to_numpy()[place], stops.places["lat"].to_numpy()[place]
    return [(ids[i], names[i] or ids[i], MODES[mode[i]], round(float(per_hour[i]), 3),
             round(60 / float(busiest[i]), 2) if busiest[i] else None,
             int(day_counts[slots[i]]), float(lons[i]), float(lats[i])) for i in range(len(slots))]


def _publish(job: LoadJob, rows: list[tuple[Any, ...]], feed_key: str) -> int:
    """Replace this feed's transit stops (and any loaded before feeds were told apart) via a
    COPY-filled stage; other operators' feeds stay."""
    conn = job.conn
    conn.execute("CREATE TEMP TABLE stage_transit_stop (stop_id text, name text, mode text, "
                 "departures_per_hour float8, mean_headway_min float8, departures_per_day int8, "
                 "lon float8, lat float8) ON COMMIT DROP")
    with conn.cursor().copy("COPY stage_transit_stop FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["text", "text", "text", "float8", "float8", "int8", "float8", "float8"])
        for row in rows:
            copy.write_row(row)
    conn.execute("DELETE FROM transit_stop WHERE feed IN (%s, '')", (feed_key,))
    cursor = conn.execute(
        "INSERT INTO transit_stop (feed, stop_id, name, mode, departures_per_hour, "
        "mean_headway_min, departures_per_day, load_id, geom) SELECT %s, stop_id, name, mode, "
        "departures_per_hour, mean_headway_min, departures_per_day, %s, "
        "ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), %s) FROM stage_transit_stop",
        (feed_key, job.run_id, job.storage_srid))
    return cursor.rowcount
