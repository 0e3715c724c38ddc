-- The stops within walking reach (straight line: a walk is never shorter) of a snapped target,
-- and where each meets the network, as for the targets.
CREATE TEMP TABLE walk_stop ON COMMIT DROP AS
WITH near AS (
    SELECT DISTINCT q.stop_pk, q.geom
    FROM walk_site w
    JOIN transit_stop_quality q ON ST_DWithin(q.geom, w.geom, %(reach_m)s::float8)
)
SELECT n.stop_pk, n.geom, %(reach_m)s::float8 AS reach_m, e.id AS edge_id, e.source, e.target,
       e.cost, e.snap_m, e.frac
FROM near n
CROSS JOIN LATERAL (
    SELECT k.* FROM (
        SELECT w.id, w.source, w.target, w.cost, ST_Distance(w.geom, n.geom) AS snap_m,
               ST_LineLocatePoint(w.geom, ST_ClosestPoint(w.geom, n.geom)) AS frac
        FROM walk_edge w
        ORDER BY w.geom <-> n.geom LIMIT 5) k
    ORDER BY k.snap_m, k.id LIMIT 1) e
WHERE e.snap_m <= %(snap_m)s::float8
