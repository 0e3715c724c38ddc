-- Accessibility of every target (id, geom in the storage SRID): transit quality class from the
-- stop rings, nearest stop and rail station, road access, centre, and the ABC class with its
-- reasons as data. Distances to stops are walking distances: along the network where the
-- target and the stop meet it (pg_temp.walk_distance, filled by gis.abc.network), otherwise
-- straight line × detour factor, from the nearest point of the target; road and centre
-- distances are straight lines. Each stop distance carries its own method: the nearest rail
-- station is often beyond the routed reach while the class-giving stop is routed.
-- Thresholds are inclusive: a target exactly 300 m from a stop is in the 300 m ring.
-- Nearest-neighbour lookups take the 5 nearest by the GiST index (ORDER BY <-> alone, so the
-- index is used) and then break exact ties by name, so results are stable.
WITH targets AS ({targets}),
rules AS (
    SELECT * FROM unnest(%(cls_categories)s::text[], %(cls_rings)s::float8[],
                         %(cls_classes)s::text[]) AS r(category, ring_m, quality_class)
),
loaded AS (
    SELECT EXISTS (SELECT 1 FROM transit_stop) AS stops,
           EXISTS (SELECT 1 FROM centre) AS centres,
           EXISTS (SELECT 1 FROM road_junction j
                   WHERE cardinality(%(roads)s::text[]) = 0
                      OR j.vegnummer = ANY(%(roads)s::text[])) AS junctions
),
measured AS (
    SELECT t.id, loaded.stops, loaded.centres, loaded.junctions,
           (ws.site_id IS NOT NULL) AS snapped, best.method AS best_method,
           best.name AS best_name, best.category AS best_category,
           best.quality_class AS transit_class, best.dist_m AS best_m,
           near.name AS near_name, near.dist_m AS near_m, near.method AS near_method,
           rail.name AS rail_name, rail.dist_m AS rail_m, rail.method AS rail_method,
           road.name AS road_name, road.vegnummer AS road_vegnummer, road.dist_m AS road_m,
           cen.name AS centre_name, cen.level AS centre_level, cen.dist_m AS centre_m,
           cen.inside AS centre_inside,
           acen.name AS a_centre_name, acen.level AS a_centre_level, acen.dist_m AS a_centre_m
    FROM targets t
    CROSS JOIN loaded
    LEFT JOIN LATERAL (SELECT w.site_id FROM pg_temp.walk_site w WHERE w.site_id = t.id
                       LIMIT 1) ws ON true
    LEFT JOIN LATERAL (
        SELECT q.name, q.category, r.quality_class, d.dist_m, d.method
        FROM transit_stop_quality q
        LEFT JOIN pg_temp.walk_distance w ON w.site_id = t.id AND w.stop_pk = q.stop_pk
        CROSS JOIN LATERAL (
            SELECT CASE WHEN w.site_id IS NOT NULL THEN w.dist_m
                        ELSE ST_Distance(q.geom, t.geom) * %(detour)s::float8 END AS dist_m,
                   CASE WHEN w.site_id IS NOT NULL THEN %(network_method)s::text
                        ELSE %(distance_method)s::text END AS method) d
        JOIN rules r ON r.category = q.category AND d.dist_m <= r.ring_m
        -- A walk along the network is never shorter than the straight line.
        WHERE ST_DWithin(q.geom, t.geom, %(reach_m)s::float8
                         / CASE WHEN ws.site_id IS NULL THEN %(detour)s::float8 ELSE 1 END)
        ORDER BY r.quality_class, d.dist_m, q.name
        LIMIT 1) best ON true
    LEFT JOIN LATERAL (
        SELECT k.name, coalesce(w.dist_m, k.straight_m) AS dist_m,
               CASE WHEN w.site_id IS NOT NULL THEN %(network_method)s::text
                    ELSE %(distance_method)s::text END AS method FROM (
            SELECT q.stop_pk, q.name, ST_Distance(q.geom, t.geom) * %(detour)s::float8 AS straight_m
            FROM transit_stop_quality q
            ORDER BY q.geom <-> t.geom LIMIT 5) k
        LEFT JOIN pg_temp.walk_distance w ON w.site_id = t.id AND w.stop_pk = k.stop_pk
        WHERE w.site_id IS NULL OR w.dist_m IS NOT NULL
        ORDER BY 2, k.name LIMIT 1) near ON true
    LEFT JOIN LATERAL (
        SELECT k.name, coalesce(w.dist_m, k.straight_m) AS dist_m,
               CASE WHEN w.site_id IS NOT NULL THEN %(network_method)s::text
                    ELSE %(distance_method)s::text END AS method FROM (
            SELECT q.stop_pk, q.name, ST_Distance(q.geom, t.geom) * %(detour)s::float8 AS straight_m
            FROM transit_stop_quality q
            WHERE q.mode = 'rail'
            ORDER BY q.geom <-> t.geom LIMIT 5) k
        LEFT JOIN pg_temp.walk_distance w ON w.site_id = t.id AND w.stop_pk = k.stop_pk
        WHERE w.site_id IS NULL OR w.dist_m IS NOT NULL
        ORDER BY 2, k.name LIMIT 1) rail ON true
    LEFT JOIN LATERAL (
        SELECT k.* FROM (
            SELECT j.name, j.vegnummer, ST_Distance(j.geom, t.geom) AS dist_m
            FROM road_junction j
            WHERE cardinality(%(roads)s::text[]) = 0 OR j.vegnummer = ANY(%(roads)s::text[])
            ORDER BY j.geom <-> t.geom LIMIT 5) k
        ORDER BY k.dist_m, k.name LIMIT 1) road ON true
    LEFT JOIN LATERAL (
        SELECT k.* FROM (
            SELECT c.name, c.level, ST_Distance(c.geom, t.geom) AS dist_m,
                   ST_Intersects(c.geom, t.geom) AS inside
            FROM centre c
            ORDER BY c.geom <-> t.geom LIMIT 5) k
        ORDER BY k.dist_m, k.name LIMIT 1) cen ON true
    LEFT JOIN LATERAL (
        SELECT k.* FROM (
            SELECT c.name, c.level, ST_Distance(c.geom, t.geom) AS dist_m
            FROM centre c
            WHERE c.level = ANY(%(a_levels)s::text[])
            ORDER BY c.geom <-> t.geom LIMIT 5) k
        ORDER BY k.dist_m, k.name LIMIT 1) acen ON true
),
decided AS (
    SELECT m.*,
           (m.transit_class = ANY(%(a_classes)s::text[])
            AND m.a_centre_m <= %(a_centre_max_m)s::float8) AS a_ok,
           (m.transit_class = ANY(%(b_classes)s::text[])
            AND m.road_m <= %(b_road_max_m)s::float8) AS b_ok,
           (m.road_m <= %(c_road_max_m)s::float8) AS c_ok
    FROM measured m
)
SELECT d.id,
       CASE WHEN NOT d.stops THEN NULL
            WHEN d.a_ok THEN 'A' WHEN d.b_ok THEN 'B' WHEN d.c_ok THEN 'C' END AS abc_class,
       d.transit_class,
       d.best_name AS transit_stop_name, d.best_category AS transit_stop_category,
       round(d.best_m::numeric, 1) AS transit_stop_distance_m,
       d.near_name AS nearest_stop_name, round(d.near_m::numeric, 1) AS nearest_stop_distance_m,
       d.rail_name AS nearest_rail_name, round(d.rail_m::numeric, 1) AS nearest_rail_distance_m,
       d.road_name AS road_junction_name, d.road_vegnummer,
       round(d.road_m::numeric, 1) AS road_distance_m,
       d.centre_name, d.centre_level, round(d.centre_m::numeric, 1) AS centre_distance_m,
       d.centre_inside,
       d.best_method AS transit_stop_method, d.near_method AS nearest_stop_method,
       d.rail_method AS nearest_rail_method,
       CASE WHEN d.snapped AND coalesce(d.best_method, %(network_method)s::text)
                               = %(network_method)s::text
            THEN %(network_method)s::text ELSE %(distance_method)s::text END AS distance_method,
       %(detour)s::numeric AS detour_factor,
       (SELECT coalesce(jsonb_agg(reason) FILTER (WHERE reason IS NOT NULL), '[]'::jsonb)
        FROM unnest(ARRAY[
            CASE WHEN NOT d.stops THEN jsonb_build_object('code', 'no_stops') END,
            CASE WHEN d.stops AND d.transit_class IS NOT NULL THEN jsonb_build_object(
                'code', 'transit', 'class', d.transit_class, 'stop', d.best_name,
                'category', d.best_category, 'distance_m', round(d.best_m::numeric, 1),
                'method', d.best_method) END,
            CASE WHEN d.stops AND d.transit_class IS NULL THEN jsonb_build_object(
                'code', 'transit_none', 'reach_m', %(reach_m)s::float8) END,
            CASE WHEN d.rail_name IS NOT NULL THEN jsonb_build_object(
                'code', 'rail', 'stop', d.rail_name,
                'distance_m', round(d.rail_m::numeric, 1), 'method', d.rail_method) END,
            CASE WHEN d.a_centre_name IS NOT NULL THEN jsonb_build_object(
                'code', 'centre', 'name', d.a_centre_name, 'level', d.a_centre_level,
                'distance_m', round(d.a_centre_m::numeric, 1),
                'max_m', %(a_centre_max_m)s::float8) END,
            CASE WHEN NOT d.centres THEN jsonb_build_object('code', 'no_centres') END,
            CASE WHEN d.road_name IS NOT NULL THEN jsonb_build_object(
                'code', 'road', 'junction', d.road_name, 'vegnummer', d.road_vegnummer,
                'distance_m', round(d.road_m::numeric, 1)) END,
            CASE WHEN NOT d.junctions THEN jsonb_build_object('code', 'no_junctions') END,
            CASE WHEN d.stops THEN jsonb_build_object(
                'code', 'abc',
                'class', CASE WHEN d.a_ok THEN 'A' WHEN d.b_ok THEN 'B' WHEN d.c_ok THEN 'C' END,
                'a', coalesce(d.a_ok, false), 'b', coalesce(d.b_ok, false),
                'c', coalesce(d.c_ok, false)) END
        ]) AS reason) AS reasons
FROM decided d
