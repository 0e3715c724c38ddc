"""stop_times.txt streamed in Arrow blocks and counted with numpy into arrays sized by trips
and stop places (a trip's last stop is an arrival, not counted), then one row per stop place
and mode published into transit_stop for this feed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.errors import LoadError
from etl.job import LoadJob
from etl.loaders.gtfs.feed import DIRECTIONS, MODES, WINDOW, Feed, StopPlace

_TIME = r"^\s*(?P<h>\d{1,3}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)\s*$"
_BLOCK_SIZE = 4 << 20


def count_departures(feed: Feed, trips: pa.Array, trip_mode: np.ndarray,
                     trip_direction: np.ndarray, stops: StopPlace) -> tuple[np.ndarray, np.ndarray]:
    """Departures per (stop place, mode) for the whole day, and per (stop place, mode,
    direction) within 06:00-20:00 (window_counts has DIRECTIONS entries per slot)."""
    slots = len(stops.places) * len(MODES)
    day_counts = np.zeros(slots, np.int64)
    window_counts = np.zeros(slots * DIRECTIONS, np.int64)
    # Per trip: highest stop_sequence seen, and where/when it was (its last stop).
    last_seq = np.full(len(trips), -1, np.int64)
    last_slot = np.zeros(len(trips), np.int64)
    last_secs = np.full(len(trips), -1, np.int64)
    for offset, batch in _stop_time_batches(feed):
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
            raise feed.bad("stop_times.txt", offset + int(rows[bad]),
                           f"stop_id {batch.column('stop_id')[bad].as_py()!r} is not in "
                           "stops.txt")
        place = stops.place_of_stop[stop_index.to_numpy()]
        seq = _sequence(feed, batch, rows, offset)
        secs = _seconds(feed, batch, rows, offset)
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

def _stop_time_batches(feed: Feed) -> Iterator[tuple[int, pa.RecordBatch]]:
    member = "stop_times.txt"
    columns = feed.columns(member, ("trip_id", "stop_id", "stop_sequence"),
                           ("departure_time", "arrival_time"))
    handle = feed.open_member(member)
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
            feed.stop_times_read = offset
    except pa.ArrowInvalid as exc:
        raise LoadError(f"{feed.path.name}: {member} is malformed: {exc}") from exc
    finally:
        handle.close()

def _sequence(feed: Feed, batch: pa.RecordBatch, rows: np.ndarray, offset: int) -> np.ndarray:
    values = batch.column("stop_sequence")
    try:
        return pc.cast(pc.utf8_trim_whitespace(values), pa.int64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = pd.to_numeric(pd.Series(values.to_pylist()), errors="coerce")
        bad = int(np.flatnonzero(numbers.isna().to_numpy())[0])
        raise feed.bad("stop_times.txt", offset + int(rows[bad]),
                       f"stop_sequence {values[bad].as_py()!r} is not a whole number") from None

def _seconds(feed: Feed, batch: pa.RecordBatch, rows: np.ndarray, offset: int) -> np.ndarray:
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
        raise feed.bad("stop_times.txt", offset + int(rows[row]),
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


def stop_rows(stops: StopPlace, day_counts: np.ndarray, window_counts: np.ndarray
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


def publish(job: LoadJob, rows: list[tuple[Any, ...]], feed_key: str) -> int:
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
