-- Where each stop of the query `near` (stop_pk, geom, reach_m) meets the walking network: the nearest
-- edge within the snap tolerance, the snapping distance and the fraction along the edge.
-- Stops farther from every edge are left out (straight line × detour factor instead).
CREATE TEMP TABLE walk_stop ON COMMIT DROP AS
WITH near AS ({near})
SELECT n.stop_pk, n.geom, n.reach_m, e.id AS edge_id, e.source, e.target, e.cost, e.snap_m,
       e.frac
FROM near n
CROSS JOIN LATERAL (
    SELECT k.* FROM (
        SELECT w.id, w.source, w.target, w.cost, ST_Distance(w.geom, n.geom) AS snap_m,
               ST_LineLocatePoint(w.geom, ST_ClosestPoint(w.geom, n.geom)) AS frac
        FROM walk_edge w
        ORDER BY w.geom <-> n.geom LIMIT 5) k
    ORDER BY k.snap_m, k.id LIMIT 1) e
WHERE e.snap_m <= %(snap_m)s::float8
