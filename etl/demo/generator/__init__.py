"""The FICTIONAL demo data generator, one module per theme (run ``python etl/demo/generate.py``).

Shared: ``kommune`` (number, name, projection and texts from the kommune TOML), ``common`` (seed,
stable ids, projections), ``writers`` (byte-stable GeoJSON, GeoPackage and ZIP), ``shapes``,
``world`` (boundary and named places), ``topology`` and ``sosi`` (shared-boundary SOSI FLATEs),
``sosi_reader`` (to validate what was written).

Themes, in the order ``run`` builds them: ``roads``, ``tettsteder``, ``plan_layouts``, ``kpa``,
``site_specs``/``sites``/``station_site``/``template``, ``buildings``, ``ar5``, ``gtfs``,
``walking``; then the files: ``plan_files`` (SOSI, SOSI-GML, GeoJSON), ``ssb`` (JSON-stat),
``statistics``, ``validate`` and ``readme``. The place-anchored layouts in the theme modules
(roads, plans, zones, sites, bus lines) are Asker's demo world.
"""
