-- Plan areas of current, adopted plans that cover a site: formål and utnytting by overlay.
-- Slivers (under 1 m² or a hundredth of the site) are boundary noise and left out.
WITH target AS (SELECT geom, ST_Area(geom) AS area FROM site WHERE id = %(site_id)s)
SELECT p.plannavn, p.planidentifikasjon, p.plantype, p.planstatus, p.ikrafttredelsesdato,
       pa.code, pa.code_name, pa.code_list, pa.arealbruksstatus, pa.feltnavn,
       pa.utnytting_type, pa.utnytting_tall::float8 AS utnytting_tall,
       round(ST_Area(ST_Intersection(pa.geom, t.geom)))::int AS overlap_m2,
       -- What the utnytting allows on this site's part of the plan area: a percentage of the
       -- part (percent BYA 16, percent BRA 18), or the area's m² (BYA 15, BRA 17) shared by size.
       round(CASE
           WHEN pa.utnytting_type IN (16, 18)
               THEN ST_Area(ST_Intersection(pa.geom, t.geom)) * pa.utnytting_tall / 100
           WHEN pa.utnytting_type IN (15, 17)
               THEN pa.utnytting_tall * ST_Area(ST_Intersection(pa.geom, t.geom))
                    / nullif(ST_Area(pa.geom), 0)
       END)::int AS allowed_m2,
       round((100 * ST_Area(ST_Intersection(pa.geom, t.geom)) / nullif(t.area, 0))::numeric, 0)::int
           AS share_pct
FROM target t
JOIN plan_area pa ON ST_Intersects(pa.geom, t.geom)
JOIN plan p ON p.id = pa.plan_id
WHERE p.is_current
  AND (p.planstatus IS NULL OR p.planstatus IN (3, 6))
  AND ST_Area(ST_Intersection(pa.geom, t.geom)) >= greatest(1, 0.01 * t.area)
-- Detailed plans (higher plantype) decide over the kommuneplan, so they come first.
ORDER BY p.plantype DESC NULLS LAST, overlap_m2 DESC
