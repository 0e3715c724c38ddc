-- How many published sites each hard filter leaves out (a site can fail several).
SELECT count(*) AS published,
       count(*) FILTER (WHERE s.status <> 'ledig') AS not_available,
       count(*) FILTER (WHERE s.zoning_code IS NULL
                           OR NOT s.zoning_code = ANY(%(codes)s::text[])) AS zoning,
       count(*) FILTER (WHERE s.area_m2 < %(min_area_m2)s::float8) AS too_small,
       EXISTS (SELECT 1 FROM transit_stop) AS stops_loaded,
       EXISTS (SELECT 1 FROM centre WHERE name = %(preferred_centre)s::text) AS centre_known
FROM site s
WHERE s.published
