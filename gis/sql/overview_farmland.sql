-- AR5 farmland (fulldyrka, overflatedyrka, innmarksbeite), simplified for low zooms.
INSERT INTO {table} (arealtype, arealtype_name, geom3857)
SELECT arealtype, arealtype_name, ST_SimplifyPreserveTopology(geom3857, %(tolerance)s)
FROM land_cover
WHERE arealtype IN (21, 22, 23) AND ST_Area(geom) >= %(min_area)s
ORDER BY id
