-- Jordvern: cultivated land (AR5 21/22/23) inside plan areas whose purpose is not agricultural.
-- Each step is one statement; gis/jordvern.py runs them in order inside one transaction.
-- Counting rules (README, "Jordvern"):
--  * only current plan versions; adopted = planstatus 3, 4, 5, 6, 8 (it was adopted once, and
--    KOSTRA counts it in its adoption year even if it was later replaced); in progress = 1, 2;
--  * a point of land counts once: inside one plan the lowest plan_area id wins where areas
--    overlap; between regulation plans the earlier adopted one wins (proposals come after all
--    adopted plans), so a newer plan replacing an older one only adds the land that is new;
--  * kommuneplaner (KPA codes) get their own figure but never count in the ledger and never mask
--    a regulation plan, because KOSTRA counts rezoning in regulation plans;
--  * overlapping AR5 polygons: built (11) and road (12) win over cultivated land; among
--    cultivated polygons the lower arealtype, then the lower id, wins.

-- name: lock
SELECT pg_advisory_xact_lock(hashtext('naeringskart.jordvern'));

-- name: drop_work_tables
-- A second refresh inside one outer transaction (a loader hook) finds the first one's tables.
DROP TABLE IF EXISTS pg_temp.jv_piece, pg_temp.jv_ar5, pg_temp.jv_net, pg_temp.jv_area;

-- name: areas
CREATE TEMP TABLE jv_area ON COMMIT DROP AS
WITH plans AS (
    SELECT p.id, p.nasjonal_arealplan_id, p.plannavn, p.plantype,
           CASE WHEN p.planstatus IN (1, 2) THEN 'forslag' ELSE 'vedtatt' END AS status,
           CASE WHEN p.planstatus IN (1, 2) THEN NULL
                ELSE coalesce(p.vedtaksdato, p.ikrafttredelsesdato) END AS adopted_on
    FROM plan p
    WHERE p.is_current AND p.planstatus IN (1, 2, 3, 4, 5, 6, 8)
), ranked AS (
    SELECT plans.*,
           rank() OVER (ORDER BY (status = 'forslag'), adopted_on NULLS LAST, id) AS plan_rank
    FROM plans
)
SELECT a.id AS plan_area_id, a.plan_id, a.category, a.code, a.code_list,
       r.plannavn, r.status, r.adopted_on,
       extract(year FROM r.adopted_on)::integer AS year,
       (a.code_list IN ('rp2008', 'rb1985') AND coalesce(r.plantype, 30) >= 30) AS counted,
       r.plan_rank, a.geom
FROM ranked r
JOIN plan_area a ON a.plan_id = r.id
WHERE NOT (
    a.category = 'lnfr'
    -- PBL 2008 (KPA and regulation plans): 5xxx is LNFR.
    OR (a.code_list IN ('rp2008', 'kpa2008') AND a.code ~ '^5[0-9]{3}$')
    -- PBL 1985: 2xx is landbruk (regulation plans) or LNF (kommuneplan) ...
    OR (a.code_list IN ('rb1985', 'kp1985') AND a.code ~ '^2[0-9]{2}$')
    -- ... plus reindrift, pelsdyr and gartneri among the 1985 special areas, and LNF in water.
    OR (a.code_list = 'rb1985' AND a.code IN ('680', '681', '685'))
    OR (a.code_list = 'kp1985' AND a.code = '540')
);

-- name: areas_index
CREATE INDEX ON jv_area USING gist (geom);

-- name: areas_analyze
ANALYZE jv_area;

-- name: area_pieces
-- gross: the area minus lower-id areas of the same plan; net: also minus earlier plans' areas.
CREATE TEMP TABLE jv_net ON COMMIT DROP AS
SELECT a.plan_area_id, a.plan_id, a.category, a.code, a.plannavn, a.status, a.year, a.counted,
       CASE WHEN m.own IS NULL THEN a.geom
            ELSE ST_CollectionExtract(ST_Difference(a.geom, m.own), 3) END AS gross_geom,
       m.prior
FROM jv_area a
LEFT JOIN LATERAL (
    SELECT ST_Union(b.geom) FILTER (WHERE b.plan_id = a.plan_id) AS own,
           ST_Union(b.geom) FILTER (WHERE b.plan_id <> a.plan_id) AS prior
    FROM jv_area b
    WHERE b.geom && a.geom
      AND ((b.plan_id = a.plan_id AND b.plan_area_id < a.plan_area_id)
           OR (a.counted AND b.counted AND b.plan_rank < a.plan_rank))
      AND ST_Relate(a.geom, b.geom, '2********')
) m ON true;

-- name: net_index
CREATE INDEX ON jv_net USING gist (gross_geom);

-- name: net_analyze
ANALYZE jv_net;

-- name: cultivated
-- Cultivated AR5 polygons that meet a counted area, minus built/road and overlapping duplicates.
CREATE TEMP TABLE jv_ar5 ON COMMIT DROP AS
SELECT c.id, c.arealtype,
       CASE WHEN o.geom IS NULL THEN c.geom
            ELSE ST_CollectionExtract(ST_Difference(c.geom, o.geom), 3) END AS geom
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
  AND EXISTS (SELECT 1 FROM jv_net n WHERE n.gross_geom && c.geom);

-- name: cultivated_index
CREATE INDEX ON jv_ar5 USING gist (geom);

-- name: cultivated_analyze
ANALYZE jv_ar5;

-- name: pieces
CREATE TEMP TABLE jv_piece ON COMMIT DROP AS
SELECT n.plan_area_id, n.plan_id, n.category, n.code, n.plannavn, n.status, n.year, n.counted,
       c.id AS land_cover_id, c.arealtype, g.gross, ST_Area(g.gross) AS gross_m2,
       CASE WHEN n.prior IS NULL THEN g.gross
            ELSE ST_CollectionExtract(ST_Difference(g.gross, n.prior), 3) END AS net
FROM jv_net n
JOIN jv_ar5 c ON c.geom && n.gross_geom
CROSS JOIN LATERAL (
    SELECT CASE WHEN ST_CoveredBy(c.geom, n.gross_geom) THEN c.geom
                ELSE ST_CollectionExtract(ST_Intersection(c.geom, n.gross_geom), 3) END AS gross
) g
WHERE ST_Intersects(c.geom, n.gross_geom);

-- name: clear_pieces
DELETE FROM jordvern_piece;

-- name: store_pieces
INSERT INTO jordvern_piece (plan_id, plan_area_id, land_cover_id, plannavn, category, code,
                            arealtype, arealtype_name, status, year, counted, area_m2, daa,
                            year_class, fill, geom)
SELECT p.plan_id, p.plan_area_id, p.land_cover_id, p.plannavn, p.category, p.code, p.arealtype,
       CASE p.arealtype WHEN 21 THEN 'Fulldyrka jord' WHEN 22 THEN 'Overflatedyrka jord'
                        ELSE 'Innmarksbeite' END,
       p.status, p.year, p.counted, ST_Area(p.net), round((ST_Area(p.net) / 1000)::numeric, 1),
       '', '', ST_Multi(p.net)
FROM jv_piece p
WHERE NOT ST_IsEmpty(p.net) AND ST_Area(p.net) > 0.01;

-- name: clear_plans
DELETE FROM jordvern_plan;

-- name: store_plans
INSERT INTO jordvern_plan (plan_id, nasjonal_arealplan_id, plannavn, plantype, planstatus,
                           status, adopted_on, year, counted, gross_m2, rezoned_m2,
                           fulldyrka_m2, overflatedyrka_m2, innmarksbeite_m2, rezoned_daa,
                           gross_daa, status_label, geom)
WITH sums AS (
    SELECT plan_id,
           sum(gross_m2) AS gross_m2,
           sum(ST_Area(net)) AS rezoned_m2,
           coalesce(sum(ST_Area(net)) FILTER (WHERE arealtype = 21), 0) AS m2_21,
           coalesce(sum(ST_Area(net)) FILTER (WHERE arealtype = 22), 0) AS m2_22,
           coalesce(sum(ST_Area(net)) FILTER (WHERE arealtype = 23), 0) AS m2_23
    FROM jv_piece GROUP BY plan_id
), outline AS (
    SELECT plan_id, ST_Multi(ST_Union(geom)) AS geom FROM plan_area GROUP BY plan_id
)
SELECT p.id, p.nasjonal_arealplan_id, p.plannavn, p.plantype, p.planstatus,
       CASE WHEN p.planstatus IN (1, 2) THEN 'forslag' ELSE 'vedtatt' END,
       CASE WHEN p.planstatus IN (1, 2) THEN NULL
            ELSE coalesce(p.vedtaksdato, p.ikrafttredelsesdato) END,
       CASE WHEN p.planstatus IN (1, 2) THEN NULL
            ELSE extract(year FROM coalesce(p.vedtaksdato, p.ikrafttredelsesdato))::integer END,
       coalesce(p.plantype, 30) >= 30
           AND EXISTS (SELECT 1 FROM plan_area a WHERE a.plan_id = p.id
                       AND a.code_list IN ('rp2008', 'rb1985')),
       coalesce(s.gross_m2, 0), coalesce(s.rezoned_m2, 0),
       coalesce(s.m2_21, 0), coalesce(s.m2_22, 0), coalesce(s.m2_23, 0),
       round((coalesce(s.rezoned_m2, 0) / 1000)::numeric, 1),
       round((coalesce(s.gross_m2, 0) / 1000)::numeric, 1),
       '', coalesce(p.geom, o.geom)
FROM plan p
LEFT JOIN sums s ON s.plan_id = p.id
LEFT JOIN outline o ON o.plan_id = p.id
WHERE p.is_current AND p.planstatus IN (1, 2, 3, 4, 5, 6, 8)
  AND coalesce(p.geom, o.geom) IS NOT NULL;
