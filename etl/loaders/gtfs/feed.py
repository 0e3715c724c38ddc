"""The members of one GTFS zip, read and checked: the operator, the representative weekday and
its services, the stop places, and the trips running that day with their mode and direction."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from etl.errors import LoadError
from etl.readers.safezip import ZipLimits

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


class Feed:
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
    def open_member(self, member: str) -> IO[bytes]:
        return self.archive.open(member)

    def _header(self, member: str) -> list[str]:
        with self.open_member(member) as handle:
            first = handle.readline().decode("utf-8-sig", "replace").strip()
        return [c.strip().strip('"') for c in first.split(",")] if first else []

    def columns(self, member: str, wanted: tuple[str, ...], optional: tuple[str, ...] = ()
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
        columns = self.columns(member, wanted, optional)
        try:
            with self.open_member(member) as handle:
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

    def bad(self, member: str, row: int, message: str) -> LoadError:
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
                    raise self.bad("calendar.txt", row, f"{day_name} = "
                                   f"{calendar[day_name].iloc[row]!r} is not 0 or 1")
            bounds += [calendar["start"].min(), calendar["end"].max()]
        if exceptions is not None and len(exceptions):
            exceptions["day"] = self._dates(exceptions["date"], "calendar_dates.txt", "date")
            bad = ~exceptions["exception_type"].isin(["1", "2"])
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                raise self.bad("calendar_dates.txt", row, "exception_type = "
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
            raise self.bad(member, row, f"{column} = {values.iloc[row]!r} is not a date "
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
            raise self.bad("stops.txt", row, f"stop_id {stops['stop_id'].iloc[row]!r} occurs twice")
        place_ids = stops["parent_station"].where(stops["parent_station"] != "", stops["stop_id"])
        position = pd.Index(stops["stop_id"])
        place_rows = position.get_indexer(place_ids)
        if (place_rows < 0).any():
            row = int(np.flatnonzero(place_rows < 0)[0])
            raise self.bad("stops.txt", row, f"parent_station {place_ids.iloc[row]!r} is not a "
                           "stop in stops.txt")
        unique_rows, place_of_stop = np.unique(place_rows, return_inverse=True)
        places = stops.iloc[unique_rows][["stop_id", "stop_name", "stop_lat", "stop_lon"]]
        lat = pd.to_numeric(places["stop_lat"], errors="coerce")
        lon = pd.to_numeric(places["stop_lon"], errors="coerce")
        bad = (lat.isna() | lon.isna() | (lat.abs() > 90) | (lon.abs() > 180)).to_numpy()
        if bad.any():
            row = int(unique_rows[np.flatnonzero(bad)[0]])
            raise self.bad("stops.txt", row, "stop_lat/stop_lon "
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
            raise self.bad("routes.txt", row, f"route_type {routes['route_type'].iloc[row]!r} "
                           "is not a number")
        mode_of_route = dict(zip(routes["route_id"],
                                 (MODES.index(route_mode(int(t))) for t in route_types),
                                 strict=True))
        trips = self._table("trips.txt", REQUIRED["trips.txt"], ("direction_id",))
        running = trips[trips["service_id"].isin(services)]
        modes = running["route_id"].map(mode_of_route)
        if modes.isna().any():
            row = int(np.flatnonzero(trips.index.isin(running.index[modes.isna()]))[0])
            raise self.bad("trips.txt", row, f"route_id {trips['route_id'].iloc[row]!r} is not "
                           "in routes.txt")
        if running["trip_id"].duplicated().any():
            trip_id = running.loc[running["trip_id"].duplicated(), "trip_id"].iloc[0]
            raise LoadError(f"{self.path.name}: trips.txt: trip_id {trip_id!r} occurs twice")
        direction = running["direction_id"]
        bad_direction = ~direction.isin(["", "0", "1"])
        if bad_direction.any():
            row = int(np.flatnonzero(trips.index.isin(running.index[bad_direction]))[0])
            raise self.bad("trips.txt", row, f"direction_id {trips['direction_id'].iloc[row]!r} "
                           "is not 0 or 1")
        directions = direction.map({"0": 0, "1": 1, "": 2}).to_numpy(np.int64)
        return (pa.array(running["trip_id"].to_numpy(), pa.string()), modes.to_numpy(np.int64),
                directions)
