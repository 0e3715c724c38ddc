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

from etl.errors import LoadError
from etl.job import LoadJob, Staged
from etl.loaders.gtfs.departures import count_departures, publish, stop_rows
from etl.loaders.gtfs.feed import GTFS_LIMITS, Feed
from etl.readers.safezip import open_checked_zip


def load_gtfs(job: LoadJob) -> Staged:
    """Custom loader for source `transit`: the GTFS zip to one row per stop place and mode."""
    path = job.path
    with open_checked_zip(path, GTFS_LIMITS) as archive:
        feed = Feed(path, archive)
        day, services, how = feed.representative_day()
        stops = feed.stop_places()
        trips, trip_mode, trip_direction = feed.active_trips(services)
        if not len(trips):
            raise LoadError(f"{path.name}: no trips run on {day:%Y-%m-%d}")
        day_counts, window_counts = count_departures(feed, trips, trip_mode, trip_direction,
                                                     stops)
        rows_read = feed.stop_times_read
        feed_key = feed.key()
    rows = stop_rows(stops, day_counts, window_counts)
    if not rows:
        raise LoadError(f"{path.name}: no departures on {day:%Y-%m-%d}")
    written = publish(job, rows, feed_key)
    warnings = [f"{path.name}: representative weekday {day:%A %Y-%m-%d} ({how}); departures "
                f"per hour are the mean for 06:00-20:00 that day", f"{path.name}: feed {feed_key} "
                "(its agencies): replaces this feed's stops, other feeds' stops stay"]
    idle = len(stops.places) - len({row[0] for row in rows})
    if idle:
        warnings.append(f"{path.name}: {idle} stop place(s) have no departures that day and are "
                        "left out")
    return Staged(rows_read, written, 0, tuple(warnings))
