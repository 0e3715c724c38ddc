-- Where each target (id, geom) meets the walking network: every edge within the snap
-- tolerance, the snapping distance, and the stretch of the edge (fractions lo..hi) where the
-- target meets it: the part inside a polygon that the edge crosses, else the closest point. A
-- large site crossed by several paths is reached from the nearest of them, not from one
-- arbitrary crossing point.
-- Targets farther away are left out: they fall back to straight line × detour factor.
CREATE TEMP TABLE walk_site ON COMMIT DROP AS
WITH targets AS ({targets})
SELECT t.id AS site_id, t.geom, w.id AS edge_id, w.source, w.target, w.cost,
       ST_Distance(w.geom, t.geom) AS snap_m, m.lo, m.hi
FROM targets t
JOIN walk_edge w ON ST_DWithin(w.geom, t.geom, %(snap_m)s::float8)
CROSS JOIN LATERAL (
    SELECT min(ST_LineLocatePoint(w.geom, p.geom)) AS lo,
           max(ST_LineLocatePoint(w.geom, p.geom)) AS hi
    FROM ST_DumpPoints(CASE WHEN ST_Intersects(w.geom, t.geom)
                            THEN ST_Intersection(w.geom, t.geom)
                            ELSE ST_ClosestPoint(w.geom, t.geom) END) p) m
WHERE m.lo IS NOT NULL
