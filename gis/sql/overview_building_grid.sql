-- Building counts in square cells (EPSG:3857 units), with the most common building group.
INSERT INTO {table} (n, dominant_group, geom3857)
SELECT count(*)::integer,
       mode() WITHIN GROUP (ORDER BY coalesce(bygningsgruppe, 'ukjent')),
       ST_MakeEnvelope(cx, cy, cx + %(size)s, cy + %(size)s, 3857)
FROM (
    SELECT bygningsgruppe,
           floor(ST_X(c) / %(size)s) * %(size)s AS cx,
           floor(ST_Y(c) / %(size)s) * %(size)s AS cy
    FROM (SELECT bygningsgruppe, ST_PointOnSurface(geom3857) AS c FROM building_footprint) b
) cells
GROUP BY cx, cy
ORDER BY cx, cy
