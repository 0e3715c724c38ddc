-- The routing topology of the loaded walking network, set-based: every (Multi)LineString is
-- split into its parts, coordinates are snapped to a 1 cm grid so that endpoints that meet
-- match exactly, each distinct endpoint becomes a vertex, and each part an edge from its start
-- vertex to its end vertex, costed by its length in metres. Lines that cross without sharing
-- an endpoint (a bridge over a road) are not connected.
CREATE TEMP TABLE walk_part ON COMMIT DROP AS
SELECT p.id AS path_id, d.path[1] AS part, d.geom,
       ST_X(ST_StartPoint(d.geom)) AS sx, ST_Y(ST_StartPoint(d.geom)) AS sy,
       ST_X(ST_EndPoint(d.geom)) AS ex, ST_Y(ST_EndPoint(d.geom)) AS ey
FROM walk_path p
CROSS JOIN LATERAL ST_Dump(ST_SnapToGrid(p.geom, 0.01)) d
WHERE ST_GeometryType(d.geom) = 'ST_LineString' AND ST_Length(d.geom) > 0;

CREATE TEMP TABLE walk_end ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY x, y) AS id, x, y
FROM (SELECT sx AS x, sy AS y FROM walk_part UNION SELECT ex, ey FROM walk_part) e;

INSERT INTO walk_vertex (id, geom)
SELECT id, ST_SetSRID(ST_MakePoint(x, y), (SELECT ST_SRID(geom) FROM walk_part LIMIT 1))
FROM walk_end;

INSERT INTO walk_edge (id, path_id, source, target, cost, geom)
SELECT row_number() OVER (ORDER BY p.path_id, p.part), p.path_id, s.id, t.id,
       ST_Length(p.geom), p.geom
FROM walk_part p
JOIN walk_end s ON s.x = p.sx AND s.y = p.sy
JOIN walk_end t ON t.x = p.ex AND t.y = p.ey;
