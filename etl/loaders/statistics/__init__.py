"""Statistics into `statistic`: SSB JSON-stat 2.0 (PxWebApi v2) files and a plain `;` CSV.

Indicator ids are a fixed contract other parts of the system compute from (see
etl/data/statistic_indicators.csv and the README): SSB ContentsCodes (by code, else by label) and
the CSV's indicator names map to them; anything unknown is kept under its own code, with a
warning. A load replaces the rows of the same table (SSB table id, or the CSV's file name).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from etl.errors import LoadError
from etl.job import LoadJob, Staged
from etl.loaders.statistics.indicators import Statistic
from etl.loaders.statistics.jsonstat import read_jsonstat
from etl.loaders.statistics.table_csv import read_statistics_csv


def load_statistics(job: LoadJob) -> Staged:
    """Custom loader for source `statistics`: .json is JSON-stat 2.0, .csv the plain table."""
    suffix = job.path.suffix.lower()
    if suffix == ".json":
        statistics, warnings = read_jsonstat(job.path)
    elif suffix == ".csv":
        statistics, warnings = read_statistics_csv(job.path)
    else:
        raise LoadError(f"{job.path.name}: statistics load from JSON-stat (.json) or CSV (.csv)")
    if not statistics:
        raise LoadError(f"{job.path.name}: the file holds no values")
    _check_unique(job.path, statistics)
    written = _publish(job.conn, job.run_id, statistics)
    return Staged(len(statistics), written, 0, tuple(warnings))


def _check_unique(path: Path, statistics: list[Statistic]) -> None:
    seen: dict[tuple[Any, ...], str] = {}
    for s in statistics:
        key = (s.table_id, s.indicator, s.region, s.year, s.kind)
        if key in seen:
            raise LoadError(f"{path.name}: {s.origin} repeats {s.indicator} for {s.region} "
                            f"{s.year} ({s.kind}) already given at {seen[key]}")
        seen[key] = s.origin


def _publish(conn: psycopg.Connection, run_id: int, statistics: list[Statistic]) -> int:
    """Replace the rows of the tables this file delivers (COPY into a stage, then one swap)."""
    conn.execute(
        "CREATE TEMP TABLE stage_statistic (LIKE statistic INCLUDING DEFAULTS) ON COMMIT DROP")
    with conn.cursor().copy(
            "COPY stage_statistic (source, table_id, indicator, region, region_type, year, value, "
            "unit, kind, fictional, comparator, region_name, note, source_date) FROM STDIN"
    ) as copy:
        for statistic in statistics:
            copy.write_row(statistic.row())
    conn.execute("DELETE FROM statistic WHERE table_id IN "
                 "(SELECT DISTINCT table_id FROM stage_statistic)")
    cursor = conn.execute(
        "INSERT INTO statistic (source, table_id, indicator, region, region_type, year, value, "
        "unit, kind, fictional, comparator, region_name, note, source_date, load_id) "
        "SELECT source, table_id, indicator, region, region_type, year, value, unit, kind, "
        "fictional, comparator, region_name, note, source_date, %s FROM stage_statistic",
        (run_id,))
    return cursor.rowcount
