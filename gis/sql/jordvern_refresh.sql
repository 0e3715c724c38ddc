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
DROP TABLE IF EXISTS pg_temp.jv_prior_piece, pg_temp.jv_piece, pg_temp.jv_ar5, pg_temp.jv_net,
    pg_temp.jv_area;

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
-- gross: the area minus lower-id areas of the same plan; net: gross minus earlier plans' areas;
-- prior: the part of gross that earlier plans already rezoned (only for the gross figure).
CREATE TEMP TABLE jv_net ON COMMIT DROP AS
SELECT a.plan_area_id, a.plan_id, a.category, a.code, a.plannavn, a.status, a.year, a.counted,
       CASE WHEN m.prior IS NULL THEN g.gross_geom
            ELSE ST_CollectionExtract(ST_Difference(g.gross_geom, m.prior), 3) END AS net_geom,
       CASE WHEN m.prior IS NULL THEN NULL
            ELSE ST_CollectionExtract(ST_Intersection(g.gross_geom, m.prior), 3) END AS prior_geom
FROM jv_area a
LEFT JOIN LATERAL (
    SELECT ST_Union(b.geom) FILTER (WHERE b.plan_id = a.plan_id) AS own,
           ST_Union(b.geom) FILTER (WHERE b.plan_id <> a.plan_id) AS prior
    FROM jv_area b
    WHERE b.geom && a.geom
      AND ((b.plan_id = a.plan_id AND b.plan_area_id < a.plan_area_id)
           OR (a.counted AND b.counted AND b.plan_rank < a.plan_rank))
      AND ST_Relate(a.geom, b.geom, '2********')
) m ON true
CROSS JOIN LATERAL (
    SELECT CASE WHEN m.own IS NULL THEN a.geom
                ELSE ST_CollectionExtract(ST_Difference(a.geom, m.own), 3) END AS gross_geom
) g;

-- name: net_index
CREATE INDEX ON jv_net USING gist (net_geom);

-- name: prior_index
CREATE INDEX ON jv_net USING gist (prior_geom) WHERE prior_geom IS NOT NULL;

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
  AND (EXISTS (SELECT 1 FROM jv_net n WHERE n.net_geom && c.geom)
       OR EXISTS (SELECT 1 FROM jv_net n WHERE n.prior_geom && c.geom));

-- name: cultivated_index
CREATE INDEX ON jv_ar5 USING gist (geom);

-- name: cultivated_analyze
ANALYZE jv_ar5;

-- name: pieces
CREATE TEMP TABLE jv_piece ON COMMIT DROP AS
SELECT n.plan_area_id, n.plan_id, n.category, n.code, n.plannavn, n.status, n.year, n.counted,
       c.id AS land_cover_id, c.arealtype, g.net, ST_Area(g.net) AS net_m2
FROM jv_ar5 c
JOIN jv_net n ON n.net_geom && c.geom
-- ST_Intersects first: c.geom repeats along the inner loop, so GEOS prepares it once.
CROSS JOIN LATERAL (
    SELECT ST_CollectionExtract(ST_Intersection(c.geom, n.net_geom), 3) AS net
) g
WHERE ST_Intersects(c.geom, n.net_geom);

-- name: prior_pieces
-- Cultivated land in a plan's areas that an earlier plan already rezoned (gross figure only).
CREATE TEMP TABLE jv_prior_piece ON COMMIT DROP AS
SELECT n.plan_id, c.arealtype, ST_Area(ST_Intersection(c.geom, n.prior_geom)) AS m2
FROM jv_ar5 c
JOIN jv_net n ON n.prior_geom && c.geom
WHERE n.prior_geom IS NOT NULL AND ST_Intersects(c.geom, n.prior_geom);

-- name: clear_pieces
DELETE FROM jordvern_piece;

-- name: store_pieces
INSERT INTO jordvern_piece (plan_id, plan_area_id, land_cover_id, plannavn, category, code,
                            arealtype, arealtype_name, status, year, counted, area_m2, daa,
                            year_class, fill, geom)
SELECT p.plan_id, p.plan_area_id, p.land_cover_id, p.plannavn, p.category, p.code, p.arealtype,
       CASE p.arealtype WHEN 21 THEN 'Fulldyrka jord' WHEN 22 THEN 'Overflatedyrka jord'
                        ELSE 'Innmarksbeite' END,
       p.status, p.year, p.counted, p.net_m2, round((p.net_m2 / 1000)::numeric, 1),
       coalesce(k.key, ''), coalesce(k.fill, ''), ST_Multi(p.net)
FROM jv_piece p
-- The colour classes come from gis/jordvern.py (YEAR_CLASSES) as bound arrays.
LEFT JOIN LATERAL (
    SELECT k.key, k.fill
    FROM unnest(%(keys)s::text[], %(fills)s::text[], %(firsts)s::integer[],
                %(lasts)s::integer[]) AS k(key, fill, first, last)
    WHERE CASE WHEN p.status = 'forslag' THEN k.key = %(proposal)s
               WHEN p.year IS NULL THEN k.first IS NULL AND k.last IS NULL
               ELSE (k.first IS NOT NULL OR k.last IS NOT NULL)
                    AND p.year BETWEEN coalesce(k.first, -9999) AND coalesce(k.last, 9999) END
    LIMIT 1
) k ON true
WHERE p.net_m2 > 0.01;

-- name: clear_plans
DELETE FROM jordvern_plan;

-- name: store_plans
INSERT INTO jordvern_plan (plan_id, nasjonal_arealplan_id, plannavn, plantype, planstatus,
                           status, adopted_on, year, counted, gross_m2, rezoned_m2,
                           fulldyrka_m2, overflatedyrka_m2, innmarksbeite_m2, rezoned_daa,
                           gross_daa, status_label, geom)
WITH net AS (
    SELECT plan_id,
           sum(net_m2) AS rezoned_m2,
           coalesce(sum(net_m2) FILTER (WHERE arealtype = 21), 0) AS m2_21,
           coalesce(sum(net_m2) FILTER (WHERE arealtype = 22), 0) AS m2_22,
           coalesce(sum(net_m2) FILTER (WHERE arealtype = 23), 0) AS m2_23
    FROM jv_piece GROUP BY plan_id
), prior AS (
    SELECT plan_id, sum(m2) AS m2 FROM jv_prior_piece GROUP BY plan_id
), sums AS (
    SELECT coalesce(n.plan_id, p.plan_id) AS plan_id,
           coalesce(n.rezoned_m2, 0) + coalesce(p.m2, 0) AS gross_m2, n.rezoned_m2,
           n.m2_21, n.m2_22, n.m2_23
    FROM net n FULL JOIN prior p ON p.plan_id = n.plan_id
), outline AS (
    -- Only plans delivered without their own outline (RpOmråde/KpOmråde) need the union.
    SELECT a.plan_id, ST_Multi(ST_Union(a.geom)) AS geom
    FROM plan_area a JOIN plan p ON p.id = a.plan_id AND p.geom IS NULL
    GROUP BY a.plan_id
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
       CASE WHEN p.planstatus IN (1, 2) THEN 'Planforslag / proposal'
            WHEN coalesce(p.vedtaksdato, p.ikrafttredelsesdato) IS NULL THEN 'Vedtatt / adopted'
            ELSE 'Vedtatt / adopted '
                 || extract(year FROM coalesce(p.vedtaksdato, p.ikrafttredelsesdato)) END,
       coalesce(p.geom, o.geom)
FROM plan p
LEFT JOIN sums s ON s.plan_id = p.id
LEFT JOIN outline o ON o.plan_id = p.id
WHERE p.is_current AND p.planstatus IN (1, 2, 3, 4, 5, 6, 8)
  AND coalesce(p.geom, o.geom) IS NOT NULL;
