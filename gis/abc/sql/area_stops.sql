-- The stops whose transit-quality areas are drawn along the walking network: every stop with
-- a class-giving category that reaches the kommune (when one is loaded), with its largest
-- ring as its reach; snap_stops.sql finds where each meets the network.
WITH rules AS (
    SELECT * FROM unnest(%(cls_categories)s::text[], %(cls_rings)s::float8[],
                         %(cls_classes)s::text[]) AS r(category, ring_m, quality_class)
)
SELECT q.stop_pk, q.geom, max(r.ring_m) AS reach_m
FROM transit_stop_quality q
JOIN rules r ON r.category = q.category
WHERE NOT EXISTS (SELECT 1 FROM kommune)
   OR EXISTS (SELECT 1 FROM kommune k
              WHERE ST_DWithin(k.geom, q.geom, %(reach_m)s::float8))
GROUP BY q.stop_pk, q.geom
