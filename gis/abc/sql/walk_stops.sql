-- The stops within walking reach (straight line: a walk is never shorter) of a snapped target;
-- snap_stops.sql finds where each meets the network, as walk_snap.sql does for the targets.
SELECT DISTINCT q.stop_pk, q.geom, %(reach_m)s::float8 AS reach_m
FROM walk_site w
JOIN transit_stop_quality q ON ST_DWithin(q.geom, w.geom, %(reach_m)s::float8)
