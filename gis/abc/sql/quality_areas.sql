-- Transit-quality areas: for every class X the area in which some stop gives X or better,
-- minus the better areas, so that every point lies in exactly one class; one row per class
-- and method.
-- Stops on the walking network (pg_temp.walk_stop, with every vertex within reach in
-- pg_temp.walk_reach; both empty when no network is loaded) reach along it: the parts of the
-- edges whose walking distance from the stop (snapping distance included) is within the
-- class's ring, partial edges cut at the remaining distance, buffered by the snap tolerance
-- (the distance a site may lie off the network and still be measured along it).
-- Other stops keep straight-line rings (radius = walking radius / detour factor); where they
-- overlap a network area, the network area is drawn.
-- Only stops that reach the kommune count when a kommune boundary is loaded: a national stop
-- set would otherwise take minutes to union.
INSERT INTO transit_quality_area (quality_class, method, geom)
WITH rules AS (
    SELECT * FROM unnest(%(cls_categories)s::text[], %(cls_rings)s::float8[],
                         %(cls_classes)s::text[]) AS r(category, ring_m, quality_class)
), reach AS (
    SELECT q.stop_pk, q.geom, c.cls, max(r.ring_m) AS ring_m,
           EXISTS (SELECT 1 FROM pg_temp.walk_stop w WHERE w.stop_pk = q.stop_pk) AS on_network
    FROM transit_stop_quality q
    JOIN rules r ON r.category = q.category
    JOIN unnest(ARRAY['A', 'B', 'C', 'D']) AS c(cls) ON r.quality_class <= c.cls
    WHERE NOT EXISTS (SELECT 1 FROM kommune)
       OR EXISTS (SELECT 1 FROM pg_temp.walk_stop w WHERE w.stop_pk = q.stop_pk)
       OR EXISTS (SELECT 1 FROM kommune k
                  WHERE ST_DWithin(k.geom, q.geom, %(reach_m)s::float8 / %(detour)s::float8))
    GROUP BY q.stop_pk, q.geom, c.cls
), stop_entry AS (
    SELECT stop_pk, source AS vertex, snap_m + frac * cost AS cost FROM pg_temp.walk_stop
    UNION ALL
    SELECT stop_pk, target, snap_m + (1 - frac) * cost FROM pg_temp.walk_stop
), vertex_m AS (
    -- Each stop's walking distance to every vertex within reach.
    SELECT se.stop_pk, r.node, min(se.cost + r.agg_cost) AS dist_m
    FROM stop_entry se
    JOIN pg_temp.walk_reach r ON r.start_vid = se.vertex
    GROUP BY se.stop_pk, r.node
), touched AS (
    -- Every edge with an end within reach of a stop (two equi-joins: an OR join could not hash).
    SELECT v.stop_pk, e.id FROM vertex_m v JOIN walk_edge e ON e.source = v.node
    UNION
    SELECT v.stop_pk, e.id FROM vertex_m v JOIN walk_edge e ON e.target = v.node
), edge_ends AS (
    -- ... and the walking distance from the stop to each of its ends (NULL: out of reach).
    SELECT t.stop_pk, e.id, e.cost, e.geom, s.dist_m AS source_m, g.dist_m AS target_m
    FROM touched t
    JOIN walk_edge e ON e.id = t.id
    LEFT JOIN vertex_m s ON s.stop_pk = t.stop_pk AND s.node = e.source
    LEFT JOIN vertex_m g ON g.stop_pk = t.stop_pk AND g.node = e.target
), pieces AS (
    -- From the source end, from the target end, and both ways from the stop on its own edge.
    SELECT r.cls, ST_LineSubstring(e.geom, 0, least(1, (r.ring_m - e.source_m) / e.cost)) AS geom
    FROM edge_ends e JOIN reach r ON r.stop_pk = e.stop_pk
    WHERE e.source_m <= r.ring_m
    UNION ALL
    SELECT r.cls, ST_LineSubstring(e.geom, greatest(0, 1 - (r.ring_m - e.target_m) / e.cost), 1)
    FROM edge_ends e JOIN reach r ON r.stop_pk = e.stop_pk
    WHERE e.target_m <= r.ring_m
    UNION ALL
    SELECT r.cls, ST_LineSubstring(e.geom,
                                   greatest(0, w.frac - (r.ring_m - w.snap_m) / w.cost),
                                   least(1, w.frac + (r.ring_m - w.snap_m) / w.cost))
    FROM pg_temp.walk_stop w
    JOIN walk_edge e ON e.id = w.edge_id
    JOIN reach r ON r.stop_pk = w.stop_pk
    WHERE w.snap_m <= r.ring_m
), network AS (
    -- At least 1 m, so that a zero snap tolerance still draws the reached lines.
    SELECT cls, ST_Buffer(ST_Collect(geom), greatest(%(snap_m)s::float8, 1.0), 8) AS geom
    FROM pieces GROUP BY cls
), straight AS (
    SELECT cls, ST_Union(ST_Buffer(geom, ring_m / %(detour)s::float8, 8)) AS geom
    FROM reach WHERE NOT on_network GROUP BY cls
), cumulative AS (
    SELECT c.cls, n.geom AS network, s.geom AS straight,
           CASE WHEN n.geom IS NULL THEN s.geom WHEN s.geom IS NULL THEN n.geom
                ELSE ST_Union(n.geom, s.geom) END AS geom
    FROM unnest(ARRAY['A', 'B', 'C', 'D']) AS c(cls)
    LEFT JOIN network n ON n.cls = c.cls
    LEFT JOIN straight s ON s.cls = c.cls
), exclusive AS (
    SELECT c.cls, %(network_method)s::text AS method,
           CASE WHEN better.geom IS NULL THEN c.network
                ELSE ST_Difference(c.network, better.geom) END AS geom
    FROM cumulative c
    LEFT JOIN cumulative better ON better.cls = chr(ascii(c.cls) - 1)
    WHERE c.network IS NOT NULL
    UNION ALL
    SELECT c.cls, %(distance_method)s::text,
           CASE WHEN better.geom IS NULL AND c.network IS NULL THEN c.straight
                WHEN better.geom IS NULL THEN ST_Difference(c.straight, c.network)
                WHEN c.network IS NULL THEN ST_Difference(c.straight, better.geom)
                ELSE ST_Difference(c.straight, ST_Union(better.geom, c.network)) END
    FROM cumulative c
    LEFT JOIN cumulative better ON better.cls = chr(ascii(c.cls) - 1)
    WHERE c.straight IS NOT NULL
)
SELECT cls, method, ST_Multi(ST_CollectionExtract(geom, 3)) FROM exclusive
WHERE NOT ST_IsEmpty(ST_CollectionExtract(geom, 3))
