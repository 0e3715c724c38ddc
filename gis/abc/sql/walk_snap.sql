-- Where each target (id, geom) meets the walking network: the nearest edge within the snap
-- tolerance, the snapping distance and the fraction along the edge of the meeting point.
-- Targets farther away are left out: they fall back to straight line × detour factor.
CREATE TEMP TABLE walk_site ON COMMIT DROP AS
WITH targets AS ({targets})
SELECT t.id AS site_id, t.geom, e.id AS edge_id, e.source, e.target, e.cost, e.snap_m, e.frac
FROM targets t
CROSS JOIN LATERAL (
    SELECT k.* FROM (
        SELECT w.id, w.source, w.target, w.cost, ST_Distance(w.geom, t.geom) AS snap_m,
               ST_LineLocatePoint(w.geom, ST_ClosestPoint(w.geom, t.geom)) AS frac
        FROM walk_edge w
        ORDER BY w.geom <-> t.geom LIMIT 5) k
    ORDER BY k.snap_m, k.id LIMIT 1) e
WHERE e.snap_m <= %(snap_m)s::float8
