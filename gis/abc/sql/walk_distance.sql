-- Walking distance along the network from each snapped target to each snapped stop within
-- reach: snapping distances + the way along the edges to the nearest vertices + the routed
-- cost between vertices; or straight along the edge when both meet the same edge. A target
-- meeting several edges takes the shortest. NULL when the network gives no way within reach
-- (the stop is then out of reach).
CREATE TEMP TABLE walk_distance ON COMMIT DROP AS
WITH stop_entry AS (
    SELECT stop_pk, source AS vertex, snap_m + frac * cost AS cost FROM walk_stop
    UNION ALL
    SELECT stop_pk, target, snap_m + (1 - frac) * cost FROM walk_stop
), site_entry AS (
    SELECT site_id, source AS vertex, min(snap_m + lo * cost) AS cost
    FROM walk_site GROUP BY 1, 2
    UNION ALL
    SELECT site_id, target, min(snap_m + (1 - hi) * cost) FROM walk_site GROUP BY 1, 2
), routed AS (
    SELECT se.stop_pk, te.site_id, min(se.cost + r.agg_cost + te.cost) AS dist_m
    FROM stop_entry se
    JOIN walk_reach r ON r.start_vid = se.vertex
    JOIN site_entry te ON te.vertex = r.node
    GROUP BY se.stop_pk, te.site_id
), pairs AS (
    SELECT w.site_id, s.stop_pk,
           min(CASE WHEN w.edge_id = s.edge_id
                    THEN w.snap_m + s.snap_m
                         + greatest(0, w.lo - s.frac, s.frac - w.hi) * w.cost END) AS along_m
    FROM walk_site w
    JOIN walk_stop s ON ST_DWithin(s.geom, w.geom, %(reach_m)s::float8)
    GROUP BY w.site_id, s.stop_pk
)
SELECT p.site_id, p.stop_pk, least(p.along_m, r.dist_m) AS dist_m
FROM pairs p
LEFT JOIN routed r ON r.site_id = p.site_id AND r.stop_pk = p.stop_pk
