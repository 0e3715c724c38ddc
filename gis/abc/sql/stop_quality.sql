-- Each stop's group (rail hub, rail line, bus/tram), mean headway and ÖV-Güteklassen category.
-- The headway (minutes, per direction as in ARE) is 60 × directions / departures_per_hour,
-- or the ETL's mean_headway_min when the kommune chose that.
-- The category is that of the first headway interval whose upper limit exceeds the headway.
INSERT INTO transit_stop_quality (stop_pk, name, mode, stop_group, headway_min, category, geom)
SELECT s.id, s.name, s.mode, g.stop_group, h.headway_min,
       nullif((SELECT r.category
               FROM unnest(%(cat_groups)s::text[], %(cat_limits)s::float8[],
                           %(cat_categories)s::text[]) AS r(grp, limit_min, category)
               WHERE r.grp = g.stop_group AND h.headway_min < r.limit_min
               ORDER BY r.limit_min LIMIT 1), '') AS category,
       s.geom
FROM transit_stop s
CROSS JOIN LATERAL (
    SELECT CASE WHEN %(use_mean_headway)s::boolean AND s.mean_headway_min IS NOT NULL
                THEN s.mean_headway_min::float8
                ELSE 60.0 * %(directions)s::float8 / nullif(s.departures_per_hour::float8, 0)
           END AS headway_min) h
CROSS JOIN LATERAL (
    SELECT CASE
             WHEN s.mode = 'rail' AND (lower(s.name) = ANY(%(hubs)s::text[])
                                       OR lower(s.stop_id) = ANY(%(hubs)s::text[])
                                       OR (%(hub_min_dph)s::float8 > 0
                                           AND s.departures_per_hour >= %(hub_min_dph)s::float8))
               THEN 'rail_hub'
             ELSE (SELECT m.grp FROM unnest(%(group_modes)s::text[], %(group_names)s::text[])
                                     AS m(mode, grp)
                   WHERE m.mode = s.mode)
           END AS stop_group) g
