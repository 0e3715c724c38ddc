-- Cultivated AR5 land (21/22/23) without overlaps, prepared once per land-cover delivery
-- (gis/jordvern.py runs it when land_cover's data version changed; the ledger refresh reads it).
-- Overlapping AR5 polygons: built (11) and road (12) win over cultivated land; among cultivated
-- polygons the lower arealtype, then the lower id, wins. Polygons above 256 vertices are
-- subdivided so the refresh's intersections stay small and index-friendly.

-- name: clear
DELETE FROM jordvern_cultivated;

-- name: fill
INSERT INTO jordvern_cultivated (land_cover_id, arealtype, whole, geom)
SELECT d.id, d.arealtype, count(*) OVER (PARTITION BY d.id) = 1, d.geom
FROM (
    SELECT c.id, c.arealtype, (ST_Dump(ST_Subdivide(
               CASE WHEN o.geom IS NULL THEN c.geom
                    ELSE ST_CollectionExtract(ST_Difference(c.geom, o.geom), 3) END, 256))).geom
    FROM land_cover c
    LEFT JOIN LATERAL (
        SELECT ST_Union(b.geom) AS geom
        FROM land_cover b
        WHERE b.geom && c.geom AND b.id <> c.id
          AND (b.arealtype IN (11, 12)
               OR (b.arealtype IN (21, 22, 23) AND (b.arealtype, b.id) < (c.arealtype, c.id)))
          AND ST_Relate(c.geom, b.geom, '2********')
    ) o ON true
    WHERE c.arealtype IN (21, 22, 23)
) d;

-- name: analyze
ANALYZE jordvern_cultivated;
