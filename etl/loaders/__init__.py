"""Per-source loaders: the generic vector loader and the sources with their own format (plans,
GTFS, statistics, FKB buildings). They get an etl.job.LoadJob; none imports etl.load."""
