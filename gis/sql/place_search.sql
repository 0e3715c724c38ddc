-- The app's own places whose name (or a site's key) contains the query, best matches first:
-- the very name first, then names that start with it, then names that only contain it.
WITH hits AS (
    SELECT 'site' AS kind, name AS label, site_key AS site_key, geom, 1 AS rank
    FROM site WHERE published AND (name ILIKE %(pattern)s OR site_key ILIKE %(pattern)s)
    UNION ALL
    SELECT 'centre', name, NULL, geom, 2 FROM centre WHERE name ILIKE %(pattern)s
    UNION ALL
    SELECT 'tettsted', name, NULL, geom, 3 FROM tettsted WHERE name ILIKE %(pattern)s
    UNION ALL
    SELECT DISTINCT ON (name) 'stop', name, NULL, geom, 4 FROM transit_stop
    WHERE name ILIKE %(pattern)s
    UNION ALL
    SELECT 'focus_area', name_nb, NULL, geom, 5 FROM focus_area
    WHERE name_nb ILIKE %(pattern)s OR name_en ILIKE %(pattern)s
)
SELECT kind, label, site_key,
       ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lat,
       ST_X(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lon
FROM hits
ORDER BY (lower(label) = lower(%(text)s)) DESC, (label ILIKE %(prefix)s) DESC, rank, length(label), label
LIMIT %(limit)s
