-- The stops whose transit-quality areas are drawn along the walking network: every stop with
-- a class-giving category that reaches the kommune (when one is loaded) and lies within the
-- snap tolerance of the network, and where it meets it (as walk_stops.sql does for sites).
CREATE TEMP TABLE walk_stop ON COMMIT DROP AS
WITH rules AS (
    SELECT * FROM unnest(%(cls_categories)s::text[], %(cls_rings)s::float8[],
                         %(cls_classes)s::text[]) AS r(category, ring_m, quality_class)
), near AS (
    SELECT q.stop_pk, q.geom, max(r.ring_m) AS reach_m
    FROM transit_stop_quality q
    JOIN rules r ON r.category = q.category
    WHERE NOT EXISTS (SELECT 1 FROM kommune)
       OR EXISTS (SELECT 1 FROM kommune k
                  WHERE ST_DWithin(k.geom, q.geom, %(reach_m)s::float8))
    GROUP BY q.stop_pk, q.geom
)
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
