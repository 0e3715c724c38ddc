-- Transit-quality areas: for every class X the union of the rings (straight-line radius =
-- walking radius / detour factor) in which some stop gives X or better, minus the better areas,
-- so that every point lies in exactly one class. Only stops that reach the kommune count when
-- a kommune boundary is loaded: a national stop set would otherwise take minutes to union.
INSERT INTO transit_quality_area (quality_class, geom)
WITH rules AS (
    SELECT * FROM unnest(%(cls_categories)s::text[], %(cls_rings)s::float8[],
                         %(cls_classes)s::text[]) AS r(category, ring_m, quality_class)
), reach AS (
    SELECT q.stop_pk, q.geom, c.cls, max(r.ring_m) AS ring_m
    FROM transit_stop_quality q
    JOIN rules r ON r.category = q.category
    JOIN unnest(ARRAY['A', 'B', 'C', 'D']) AS c(cls) ON r.quality_class <= c.cls
    WHERE NOT EXISTS (SELECT 1 FROM kommune)
       OR EXISTS (SELECT 1 FROM kommune k
                  WHERE ST_DWithin(k.geom, q.geom, %(reach_m)s::float8 / %(detour)s::float8))
    GROUP BY q.stop_pk, q.geom, c.cls
), cumulative AS (
    SELECT cls, ST_Union(ST_Buffer(geom, ring_m / %(detour)s::float8, 8)) AS geom
    FROM reach GROUP BY cls
), exclusive AS (
    SELECT c.cls,
           CASE WHEN better.geom IS NULL THEN c.geom
                ELSE ST_CollectionExtract(ST_Difference(c.geom, better.geom), 3) END AS geom
    FROM cumulative c
    LEFT JOIN cumulative better ON better.cls = chr(ascii(c.cls) - 1)
)
SELECT cls, ST_Multi(geom) FROM exclusive WHERE NOT ST_IsEmpty(geom)
