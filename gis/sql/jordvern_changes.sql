-- Which plans an incremental jordvern update must recompute (gis/jordvern.py, update()).
-- A plan's figures depend on its own areas and on the counted areas of earlier regulation
-- plans that overlap it (never on kommuneplaner, which neither mask nor are masked, and never on
-- other plans' results), so a change reaches exactly: the changed plans, and the regulation
-- plans whose counted areas meet a changed plan's counted areas, old or new.

-- name: drop_work_tables
DROP TABLE IF EXISTS pg_temp.jv_input, pg_temp.jv_changed, pg_temp.jv_affected;

-- name: inputs
-- Row versions (xmin) change with every insert and update; ids vanish with deletes. Cheap: no
-- geometry is read except the boxes of counted areas.
CREATE TEMP TABLE jv_input ON COMMIT DROP AS
SELECT p.id AS plan_id,
       md5(concat_ws('|', p.id, p.xmin::text, a.rows)) AS signature,
       a.boxes
FROM plan p
LEFT JOIN LATERAL (
    SELECT string_agg(concat_ws(':', x.id, x.xmin::text), ',' ORDER BY x.id) AS rows,
           ST_Multi(ST_Collect(ST_Envelope(x.geom)) FILTER (
               WHERE x.code_list IN ('rp2008', 'rb1985') AND coalesce(p.plantype, 30) >= 30
           )) AS boxes
    FROM plan_area x WHERE x.plan_id = p.id
) a ON true;

-- name: changed
CREATE TEMP TABLE jv_changed ON COMMIT DROP AS
SELECT coalesce(n.plan_id, o.plan_id) AS plan_id, n.boxes AS new_boxes, o.boxes AS old_boxes
FROM jv_input n
FULL JOIN jordvern_plan_input o ON o.plan_id = n.plan_id
WHERE n.signature IS DISTINCT FROM o.signature;

-- name: affected
CREATE TEMP TABLE jv_affected ON COMMIT DROP AS
WITH boxes AS MATERIALIZED (
    SELECT (ST_Dump(new_boxes)).geom AS box FROM jv_changed WHERE new_boxes IS NOT NULL
    UNION ALL
    SELECT (ST_Dump(old_boxes)).geom FROM jv_changed WHERE old_boxes IS NOT NULL
)
SELECT plan_id FROM jv_changed
UNION
SELECT a.plan_id
FROM boxes b
JOIN plan_area a ON a.geom && b.box
JOIN plan p ON p.id = a.plan_id
WHERE a.code_list IN ('rp2008', 'rb1985') AND coalesce(p.plantype, 30) >= 30;

-- name: scope
-- The affected plans plus the regulation plans that may mask them (the earlier ones among
-- those whose counted areas meet theirs): the areas the refresh statements need to read.
WITH boxes AS MATERIALIZED (
    SELECT (ST_Dump(i.boxes)).geom AS box
    FROM jv_input i
    WHERE i.boxes IS NOT NULL AND i.plan_id IN (SELECT plan_id FROM jv_affected)
)
SELECT array_agg(plan_id) FROM (
    SELECT plan_id FROM jv_affected
    UNION
    SELECT a.plan_id
    FROM boxes b
    JOIN plan_area a ON a.geom && b.box
    JOIN plan p ON p.id = a.plan_id
    WHERE a.code_list IN ('rp2008', 'rb1985') AND coalesce(p.plantype, 30) >= 30
) s;
