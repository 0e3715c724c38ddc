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
--    cultivated polygons the lower arealtype, then the lower id, wins. That is settled once per
--    land-cover delivery in jordvern_cultivated (jordvern_cultivated.sql), not on every run.

-- name: lock
SELECT pg_advisory_xact_lock(hashtext('naeringskart.jordvern'));

-- name: drop_work_tables
-- A second refresh inside one outer transaction (a loader hook) finds the first one's tables.
DROP TABLE IF EXISTS pg_temp.jv_prior_piece, pg_temp.jv_piece, pg_temp.jv_net,
    pg_temp.jv_overlap, pg_temp.jv_area;

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
-- An incremental update (gis/jordvern.py, update()) reads only the plans in scope; ranks stay
-- global, so the order between plans is the same as in a full refresh.
WHERE (%(scope)s::integer[] IS NULL OR r.id = ANY(%(scope)s::integer[]))
  AND NOT (
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

-- name: overlaps
-- Pairs whose interiors overlap (touching neighbours are the rule and cost nothing later): a
-- lower-id area of the same plan, or an area of an earlier counted plan.
CREATE TEMP TABLE jv_overlap ON COMMIT DROP AS
SELECT a.plan_area_id, b.plan_id = a.plan_id AS own, b.geom
FROM jv_area a
JOIN jv_area b ON b.geom && a.geom
WHERE ((b.plan_id = a.plan_id AND b.plan_area_id < a.plan_area_id)
       OR (a.counted AND b.counted AND b.plan_rank < a.plan_rank))
  AND (%(affected)s::integer[] IS NULL OR a.plan_id = ANY(%(affected)s::integer[]))
  AND ST_Relate(a.geom, b.geom, '2********');

-- name: area_pieces
-- gross: the area minus lower-id areas of the same plan; net: gross minus earlier plans' areas;
-- prior: the part of gross that earlier plans already rezoned (only for the gross figure).
-- Only the few areas with overlaps are unioned and cut; the rest pass through unchanged.
CREATE TEMP TABLE jv_net ON COMMIT DROP AS
WITH m AS (
    SELECT plan_area_id, ST_Union(geom) FILTER (WHERE own) AS own,
           ST_Union(geom) FILTER (WHERE NOT own) AS prior
    FROM jv_overlap GROUP BY plan_area_id
)
SELECT a.plan_area_id, a.plan_id, a.category, a.code, a.plannavn, a.status, a.year, a.counted,
       CASE WHEN m.prior IS NULL THEN g.gross_geom
            ELSE ST_CollectionExtract(ST_Difference(g.gross_geom, m.prior), 3) END AS net_geom,
       CASE WHEN m.prior IS NULL THEN NULL
            ELSE ST_CollectionExtract(ST_Intersection(g.gross_geom, m.prior), 3) END AS prior_geom
FROM jv_area a
LEFT JOIN m ON m.plan_area_id = a.plan_area_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN m.own IS NULL THEN a.geom
                ELSE ST_CollectionExtract(ST_Difference(a.geom, m.own), 3) END AS gross_geom
) g
WHERE %(affected)s::integer[] IS NULL OR a.plan_id = ANY(%(affected)s::integer[]);

-- name: pieces
-- jv_net is only ever the outer, sequentially scanned side of the joins below (the AR5 side
-- has the index), so it gets neither a spatial index nor statistics: both cost time, no plan
-- uses them (EXPLAIN in bench/jordvern.py).
-- Where the AR5 polygon covers the area (or the other way round) the smaller one is the piece
-- as it is; only partial overlaps need ST_Intersection. The covers tests reuse the prepared
-- geometry of the repeated side, so they cost far less than an overlay.
CREATE TEMP TABLE jv_piece ON COMMIT DROP AS
SELECT n.plan_area_id, n.plan_id, n.category, n.code, n.plannavn, n.status, n.year, n.counted,
       c.land_cover_id, c.arealtype, c.whole, g.net, ST_Area(g.net) AS net_m2
FROM jv_net n
JOIN jordvern_cultivated c ON c.geom && n.net_geom
CROSS JOIN LATERAL (
    SELECT CASE WHEN ST_Covers(n.net_geom, c.geom) THEN c.geom
                WHEN ST_Covers(c.geom, n.net_geom) THEN n.net_geom
                ELSE ST_CollectionExtract(ST_Intersection(c.geom, n.net_geom), 3) END AS net
) g
WHERE ST_Intersects(n.net_geom, c.geom);

-- name: prior_pieces
-- Cultivated land in a plan's areas that an earlier plan already rezoned (gross figure only).
CREATE TEMP TABLE jv_prior_piece ON COMMIT DROP AS
SELECT n.plan_id, c.arealtype, ST_Area(ST_Intersection(c.geom, n.prior_geom)) AS m2
FROM jv_net n
JOIN jordvern_cultivated c ON c.geom && n.prior_geom
WHERE n.prior_geom IS NOT NULL AND ST_Intersects(n.prior_geom, c.geom);

-- name: clear_pieces
DELETE FROM jordvern_piece
WHERE %(affected)s::integer[] IS NULL OR plan_id = ANY(%(affected)s::integer[]);

-- name: store_pieces
INSERT INTO jordvern_piece (plan_id, plan_area_id, land_cover_id, plannavn, category, code,
                            arealtype, arealtype_name, status, year, counted, area_m2, daa,
                            year_class, fill, geom)
SELECT p.plan_id, p.plan_area_id, p.land_cover_id, p.plannavn, p.category, p.code, p.arealtype,
       CASE p.arealtype WHEN 21 THEN 'Fulldyrka jord' WHEN 22 THEN 'Overflatedyrka jord'
                        ELSE 'Innmarksbeite' END,
       p.status, p.year, p.counted, p.net_m2, round((p.net_m2 / 1000)::numeric, 1),
       coalesce(k.key, ''), coalesce(k.fill, ''), p.net
FROM (
    SELECT plan_area_id, plan_id, category, code, plannavn, status, year, counted,
           land_cover_id, arealtype, net_m2, ST_Multi(net) AS net
    FROM jv_piece WHERE whole AND net_m2 > 0.01
    UNION ALL
    -- The parts of a subdivided AR5 polygon become one piece per area again.
    SELECT plan_area_id, plan_id, category, code, plannavn, status, year, counted,
           land_cover_id, arealtype, sum(net_m2),
           ST_Multi(ST_CollectionExtract(ST_Collect(net), 3))
    FROM jv_piece WHERE NOT whole
    GROUP BY plan_area_id, plan_id, category, code, plannavn, status, year, counted,
             land_cover_id, arealtype
    HAVING sum(net_m2) > 0.01
) p
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
) k ON true;

-- name: clear_plans
DELETE FROM jordvern_plan
WHERE %(affected)s::integer[] IS NULL OR plan_id = ANY(%(affected)s::integer[]);

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
    WHERE %(affected)s::integer[] IS NULL OR a.plan_id = ANY(%(affected)s::integer[])
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
  AND (%(affected)s::integer[] IS NULL OR p.id = ANY(%(affected)s::integer[]))
  AND coalesce(p.geom, o.geom) IS NOT NULL;
