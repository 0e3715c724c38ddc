WITH s AS (
    SELECT b.*, e.id AS site_id, e.version AS site_version, to_jsonb(e) - 'geom' AS current,
           e.geom AS current_geom,
           count(*) OVER (PARTITION BY b.site_key) AS key_count,
           CASE WHEN b.geom IS NOT NULL THEN ST_IsValid(b.geom) END AS valid,
           CASE WHEN b.geom IS NOT NULL THEN ST_IsValidReason(b.geom) END AS reason,
           CASE WHEN b.geom IS NOT NULL AND ST_IsValid(b.geom) THEN ST_Area(b.geom) END AS geom_area,
           (SELECT bool_and(ST_CoveredBy(b.geom, ST_Buffer(k.geom, 1))) FROM kommune k
             WHERE k.kommunenummer = %(kommune)s AND b.geom IS NOT NULL
               AND ST_IsValid(b.geom)) AS inside
    FROM bulk_stage b LEFT JOIN site e ON e.site_key = b.site_key
)
SELECT row_no, site_key, site_id, site_version, values, ST_AsEWKT(ST_Multi(geom)) AS ewkt,
       ST_AsGeoJSON(ST_Transform(coalesce(geom, current_geom), 4326), 6)::json AS geojson,
       key_count, valid, reason, geom_area, inside, current,
       CASE WHEN geom IS NULL OR current_geom IS NULL THEN geom IS NOT NULL
            ELSE NOT ST_Equals(ST_SnapToGrid(geom, 0.01), ST_SnapToGrid(current_geom, 0.01))
       END AS geometry_changed,
       CASE WHEN current_geom IS NOT NULL THEN ST_Area(current_geom) END AS current_area
FROM s ORDER BY row_no
