-- What the fact-sheet map shows around a site, inside a square window centred on it (at least
-- %(window)s m across): current plan areas (clipped), buildings, main roads (clipped), rail and
-- other stops, main-road junctions. Geometries in WGS84 for the web map and in the storage SRID (metres) for the PDF.
WITH target AS (SELECT geom FROM site WHERE id = %(site_id)s),
box AS (
    SELECT ST_Expand(ST_Centroid(ST_Envelope(geom)),
                     greatest(%(window)s / 2.0,
                              (ST_XMax(geom) - ST_XMin(geom)) * 0.75,
                              (ST_YMax(geom) - ST_YMin(geom)) * 0.75)) AS geom
    FROM target
),
parts AS (
    SELECT 'site' AS kind, NULL::text AS name, NULL::text AS code, NULL::text AS code_list,
           NULL::int AS arealbruksstatus, t.geom AS geom
    FROM target t
    UNION ALL
    SELECT 'zoning', p.plannavn, pa.code, pa.code_list, pa.arealbruksstatus,
           ST_Intersection(pa.geom, b.geom)
    FROM box b JOIN plan_area pa ON ST_Intersects(pa.geom, b.geom)
    JOIN plan p ON p.id = pa.plan_id
    WHERE p.is_current AND (p.planstatus IS NULL OR p.planstatus IN (3, 6))
    UNION ALL
    SELECT 'building', NULL, bu.bygningstype, NULL, NULL, bu.geom
    FROM box b JOIN building bu ON ST_Intersects(bu.geom, b.geom)
    UNION ALL
    SELECT CASE WHEN s.mode = 'rail' THEN 'station' ELSE 'stop' END, s.name, s.mode, NULL, NULL,
           s.geom
    FROM box b JOIN transit_stop s ON ST_Intersects(s.geom, b.geom)
    UNION ALL
    SELECT 'road', r.vegnummer, r.vegkategori, NULL, NULL, ST_Intersection(r.geom, b.geom)
    FROM box b JOIN main_road r ON ST_Intersects(r.geom, b.geom)
    UNION ALL
    SELECT 'junction', j.vegnummer || ' ' || j.name, NULL, NULL, NULL, j.geom
    FROM box b JOIN road_junction j ON ST_Intersects(j.geom, b.geom)
)
SELECT kind, name, code, code_list, arealbruksstatus,
       ST_AsGeoJSON(ST_Transform(geom, 4326), 6)::json AS geometry,
       ST_AsGeoJSON(geom, 1)::json AS geometry_m,
       (SELECT ST_AsGeoJSON(geom, 1)::json FROM box) AS window_m
FROM parts
WHERE NOT ST_IsEmpty(geom)
-- Zoning first (drawn underneath), the site last (on top).
ORDER BY CASE kind WHEN 'zoning' THEN 0 WHEN 'road' THEN 1 WHEN 'building' THEN 1
                  WHEN 'site' THEN 3 ELSE 2 END
