-- Rank the available sites for one profile: hard filters, then a score from the stored
-- accessibility. Ties (equal rounded scores) are broken by site_key, so the order is stable.
WITH preferred AS (
    SELECT c.geom FROM centre c WHERE c.name = %(preferred_centre)s::text
), candidates AS (
    SELECT s.id, s.site_key, s.name, s.area_m2, s.readiness, s.zoning_code, s.fictional,
           a.abc_class, a.transit_class, a.transit_stop_name, a.transit_stop_distance_m,
           a.nearest_stop_name, a.nearest_stop_distance_m,
           a.nearest_rail_name, a.nearest_rail_distance_m, a.road_junction_name,
           a.road_distance_m, a.centre_name, a.centre_distance_m, a.reasons,
           a.distance_method, a.detour_factor, a.transit_stop_method, a.nearest_stop_method,
           a.nearest_rail_method,
           (SELECT ST_Distance(p.geom, s.geom) FROM preferred p) AS preferred_distance_m,
           s.geom
    FROM site s
    LEFT JOIN site_accessibility a ON a.site_id = s.id
    WHERE s.published AND s.status = 'ledig'
      AND s.zoning_code = ANY(%(codes)s::text[])
      AND s.area_m2 >= %(min_area_m2)s::float8
), scored AS (
    SELECT c.*,
           %(w_abc)s::float8 * coalesce((
               SELECT f.fit FROM unnest(%(fit_classes)s::text[], %(fit_values)s::float8[])
                                 AS f(cls, fit)
               WHERE f.cls = c.abc_class), 0) AS abc_points,
           %(w_transit)s::float8 * coalesce((
               SELECT t.points FROM unnest(ARRAY['A', 'B', 'C', 'D'],
                                           ARRAY[1.0, 0.75, 0.5, 0.25]::float8[]) AS t(cls, points)
               WHERE t.cls = c.transit_class), 0) AS transit_points,
           %(w_road)s::float8
               * greatest(0, 1 - coalesce(c.road_distance_m::float8, 'Infinity')
                                 / %(road_zero_m)s::float8) AS road_points,
           %(w_readiness)s::float8 * coalesce((
               SELECT r.points FROM unnest(%(ready_names)s::text[], %(ready_points)s::float8[])
                                    AS r(name, points)
               WHERE r.name = c.readiness), 0) AS readiness_points,
           %(w_centre)s::float8
               * greatest(0, 1 - coalesce(c.preferred_distance_m, 'Infinity')
                                 / %(centre_zero_m)s::float8) AS centre_points
    FROM candidates c
)
SELECT s.site_key, s.name, s.area_m2, s.readiness, s.zoning_code, s.fictional,
       s.abc_class, s.transit_class, s.transit_stop_name, s.transit_stop_distance_m,
       s.nearest_stop_name, s.nearest_stop_distance_m, s.nearest_rail_name,
       s.nearest_rail_distance_m, s.road_junction_name, s.road_distance_m, s.centre_name,
       s.centre_distance_m, s.reasons, s.preferred_distance_m, s.distance_method,
       s.detour_factor, s.transit_stop_method, s.nearest_stop_method, s.nearest_rail_method,
       round(s.abc_points::numeric, 1) AS abc_points,
       round(s.transit_points::numeric, 1) AS transit_points,
       round(s.road_points::numeric, 1) AS road_points,
       round(s.readiness_points::numeric, 1) AS readiness_points,
       round(s.centre_points::numeric, 1) AS centre_points,
       round((s.abc_points + s.transit_points + s.road_points + s.readiness_points
              + s.centre_points)::numeric, 1) AS score,
       ST_AsGeoJSON(ST_Transform(s.geom, 4326), 6)::json AS geometry
FROM scored s
ORDER BY score DESC, s.site_key
LIMIT %(limit)s::int
