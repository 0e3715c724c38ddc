-- Plan areas of current, adopted plans in EPSG:3857, simplified for one zoom band.
-- Kommuneplan areas are written before regulation plans so that detailed plans draw on top.
INSERT INTO {table} (plan_area_id, plantype, planstatus, plannavn, planidentifikasjon, code,
                     code_list, code_name, category, arealbruksstatus, feltnavn, utnytting_type,
                     utnytting_tall, geom3857)
SELECT a.id, p.plantype, p.planstatus, p.plannavn, p.planidentifikasjon, a.code, a.code_list,
       a.code_name, a.category, a.arealbruksstatus, a.feltnavn, a.utnytting_type,
       a.utnytting_tall, g.geom
FROM plan_area a
JOIN plan p ON p.id = a.plan_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN %(tolerance)s > 0
                THEN ST_SimplifyPreserveTopology(ST_Transform(a.geom, 3857), %(tolerance)s)
                ELSE ST_Transform(a.geom, 3857) END AS geom
) g
WHERE p.is_current
  AND coalesce(p.planstatus, 3) IN (3, 6)
  AND ST_Area(a.geom) >= %(min_area)s
  AND NOT ST_IsEmpty(g.geom)
ORDER BY coalesce(p.plantype, 0), a.id
