-- Every network vertex within walking reach of each stop's entry vertices (pgRouting, one
-- bounded Dijkstra per start vertex over the undirected edges near the stops). The start
-- column is read by name through jsonb: pgRouting 3.4 calls it from_v, 3.6+ start_vid.
INSERT INTO walk_reach (start_vid, node, agg_cost)
SELECT coalesce(j ->> 'start_vid', j ->> 'from_v')::bigint, (j ->> 'node')::bigint,
       (j ->> 'agg_cost')::float8
FROM pgr_drivingDistance(
    'SELECT e.id, e.source, e.target, e.cost, e.cost AS reverse_cost FROM walk_edge e '
    'WHERE e.id IN (SELECT n.id FROM pg_temp.walk_stop s '
    'JOIN walk_edge n ON ST_DWithin(n.geom, s.geom, s.reach_m))',
    ARRAY(SELECT DISTINCT v FROM walk_stop s CROSS JOIN LATERAL (VALUES (s.source), (s.target)) x(v)),
    %(reach_m)s::float8, directed => false) d
CROSS JOIN LATERAL to_jsonb(d) j
