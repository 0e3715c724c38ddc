-- Published sites matching the investor's filters, with rail, main-road junction and ferry port
-- distances, ABC class and focus areas.
-- Every value is a bind parameter; a NULL parameter means "no filter".
SELECT s.site_key, s.name, s.area_m2::float8 AS area_m2, s.status, s.readiness, s.planned_use,
       s.zoning_code, s.ownership, s.tettsted, s.description_nb, s.description_en,
       s.last_verified, s.fictional, s.created_at,
       acc.abc_class, acc.transit_class,
       rail.name AS rail_name, round(rail.distance_m)::int AS rail_distance_m,
       junction.name AS road_junction_name, junction.vegnummer AS road_vegnummer,
       round(junction.distance_m)::int AS road_distance_m,
       port.name AS port_name, round(port.distance_m)::int AS port_distance_m,
       coalesce(focus.areas, '[]'::json) AS focus_areas,
       ST_X(ST_Transform(ST_PointOnSurface(s.geom), 4326)) AS lon,
       ST_Y(ST_Transform(ST_PointOnSurface(s.geom), 4326)) AS lat,
       CASE WHEN %(with_geometry)s
            THEN ST_AsGeoJSON(ST_Transform(s.geom, 4326), 6)::json END AS geometry
FROM site s
LEFT JOIN site_accessibility acc ON acc.site_id = s.id
LEFT JOIN LATERAL (
    -- The nearest rail station by the index, then its true distance to the site's edge.
    SELECT t.name, ST_Distance(t.geom, s.geom) AS distance_m
    FROM transit_stop t WHERE t.mode = 'rail'
    ORDER BY t.geom <-> s.geom LIMIT 1
) rail ON true
LEFT JOIN LATERAL (
    -- The nearest junction of the main road network (E-, riks- or fylkesveg), as the crow flies.
    SELECT j.name, j.vegnummer, ST_Distance(j.geom, s.geom) AS distance_m
    FROM road_junction j ORDER BY j.geom <-> s.geom LIMIT 1
) junction ON true
LEFT JOIN LATERAL (
    -- The nearest ferry quay of the loaded public transport: the way to sea transport.
    SELECT t.name, ST_Distance(t.geom, s.geom) AS distance_m
    FROM transit_stop t WHERE t.mode = 'ferry'
    ORDER BY t.geom <-> s.geom LIMIT 1
) port ON true
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('id', f.id, 'name_nb', f.name_nb, 'name_en', f.name_en)
                    ORDER BY f.name_nb) AS areas
    FROM focus_area f WHERE ST_Intersects(f.geom, ST_PointOnSurface(s.geom))
) focus ON true
WHERE s.published
  AND (%(area_min)s::numeric IS NULL OR s.area_m2 >= %(area_min)s::numeric)
  AND (%(area_max)s::numeric IS NULL OR s.area_m2 <= %(area_max)s::numeric)
  AND (%(codes)s::text[] IS NULL OR s.zoning_code = ANY(%(codes)s::text[]))
  AND (%(abc)s::text IS NULL OR acc.abc_class = %(abc)s::text)
  AND (%(tettsted)s::text IS NULL OR s.tettsted = %(tettsted)s::text)
  AND (%(readiness)s::text[] IS NULL OR s.readiness = ANY(%(readiness)s::text[]))
  AND (%(statuses)s::text[] IS NULL OR s.status = ANY(%(statuses)s::text[]))
  AND (%(ownership)s::text IS NULL OR s.ownership = %(ownership)s::text)
  AND (%(rail_max_m)s::float8 IS NULL OR rail.distance_m <= %(rail_max_m)s::float8)
  AND (%(road_max_m)s::float8 IS NULL OR junction.distance_m <= %(road_max_m)s::float8)
  AND (%(focus)s::int IS NULL OR EXISTS (
        SELECT 1 FROM focus_area f
        WHERE f.id = %(focus)s::int AND ST_Intersects(f.geom, ST_PointOnSurface(s.geom))))
  AND (%(keys)s::text[] IS NULL OR s.site_key = ANY(%(keys)s::text[]))
ORDER BY
  CASE WHEN %(sort)s = 'area_desc' THEN s.area_m2 END DESC NULLS LAST,
  CASE WHEN %(sort)s = 'area_asc' THEN s.area_m2 END ASC NULLS LAST,
  CASE WHEN %(sort)s = 'distance' THEN rail.distance_m END ASC NULLS LAST,
  CASE WHEN %(sort)s = 'road' THEN junction.distance_m END ASC NULLS LAST,
  CASE WHEN %(sort)s = 'newest' THEN s.created_at END DESC NULLS LAST,
  CASE WHEN %(sort)s = 'newest' THEN s.id END DESC,
  s.site_key
LIMIT %(limit)s
