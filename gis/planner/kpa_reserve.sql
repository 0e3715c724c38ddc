-- The kommuneplan's reserve of business land: current KPA/kommunedelplan areas with a business
-- purpose (naering, kombinert_naering), less what current regulation plans already cover and
-- less building footprints; and how much of that reserve the site register already holds.
WITH kpa AS (
    SELECT pa.category, pa.geom
    FROM plan_area pa JOIN plan p ON p.id = pa.plan_id
    WHERE p.is_current AND p.plantype IN (20, 21, 22)
      AND pa.category IN ('naering', 'kombinert_naering')
),
taken AS (
    SELECT ST_Union(geom) AS geom FROM (
        SELECT geom FROM plan WHERE is_current AND plantype >= 30 AND geom IS NOT NULL
        UNION ALL
        SELECT f.geom FROM building_footprint f
        WHERE EXISTS (SELECT 1 FROM kpa WHERE kpa.geom && f.geom)
    ) t
),
registered AS (
    SELECT ST_Union(geom) AS geom FROM site
    WHERE archived_at IS NULL AND status IN ('ledig', 'reservert')
),
reserve AS (
    SELECT kpa.category,
           CASE WHEN taken.geom IS NULL THEN kpa.geom
                ELSE ST_Difference(kpa.geom, taken.geom) END AS geom
    FROM kpa CROSS JOIN taken
)
SELECT reserve.category,
       count(*) FILTER (WHERE NOT ST_IsEmpty(reserve.geom)) AS areas,
       coalesce(sum(ST_Area(reserve.geom)), 0) AS reserve_m2,
       coalesce(sum(ST_Area(ST_Intersection(reserve.geom, registered.geom)))
                FILTER (WHERE registered.geom IS NOT NULL), 0) AS in_register_m2
FROM reserve CROSS JOIN registered
GROUP BY reserve.category
ORDER BY reserve.category
