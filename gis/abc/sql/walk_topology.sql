-- The routing topology of the loaded walking network, set-based. Coordinates are snapped to a
-- 1 cm grid so that lines that meet match exactly. A vertex is made at every line end and at
-- every point shared by two or more lines (so an export whose ways run on through junctions,
-- as OSM ways do, is split there), and each line is cut at its vertices into edges, costed by
-- length in metres. Lines that cross without a shared point (a bridge over a road) stay apart.
CREATE TEMP TABLE walk_point ON COMMIT DROP AS
SELECT p.id AS path_id, d.path[1] AS part, dp.path[1] AS idx,
       ST_X(dp.geom) AS x, ST_Y(dp.geom) AS y,
       count(*) OVER (PARTITION BY p.id, d.path[1]) AS n
FROM walk_path p
CROSS JOIN LATERAL ST_Dump(ST_SnapToGrid(p.geom, 0.01)) d
CROSS JOIN LATERAL ST_DumpPoints(d.geom) dp
WHERE ST_GeometryType(d.geom) = 'ST_LineString';

CREATE TEMP TABLE walk_end ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY x, y) AS id, x, y
FROM walk_point
GROUP BY x, y
HAVING bool_or(idx = 1 OR idx = n) OR count(DISTINCT (path_id, part)) > 1;

CREATE TEMP TABLE walk_part ON COMMIT DROP AS
WITH marked AS (
    SELECT w.path_id, w.part, w.idx, w.x, w.y, e.id IS NOT NULL AS junction,
           count(e.id) OVER (PARTITION BY w.path_id, w.part ORDER BY w.idx) AS piece
    FROM walk_point w
    LEFT JOIN walk_end e ON e.x = w.x AND e.y = w.y
), member AS (
    -- Every point belongs to its piece, and a junction also ends the piece before it.
    SELECT path_id, part, idx, x, y, piece FROM marked
    UNION ALL
    SELECT path_id, part, idx, x, y, piece - 1 FROM marked WHERE junction AND piece > 1
), pieces AS (
    SELECT path_id, part, piece,
           ST_SetSRID(ST_MakeLine(array_agg(ST_MakePoint(x, y) ORDER BY idx)),
                      (SELECT ST_SRID(geom) FROM walk_path LIMIT 1)) AS geom
    FROM member
    GROUP BY path_id, part, piece
    HAVING count(*) >= 2
)
SELECT path_id, part, piece, geom,
       ST_X(ST_StartPoint(geom)) AS sx, ST_Y(ST_StartPoint(geom)) AS sy,
       ST_X(ST_EndPoint(geom)) AS ex, ST_Y(ST_EndPoint(geom)) AS ey
FROM pieces
WHERE ST_Length(geom) > 0;

INSERT INTO walk_vertex (id, geom)
SELECT id, ST_SetSRID(ST_MakePoint(x, y), (SELECT ST_SRID(geom) FROM walk_path LIMIT 1))
FROM walk_end;

INSERT INTO walk_edge (id, path_id, source, target, cost, geom)
SELECT row_number() OVER (ORDER BY p.path_id, p.part, p.piece), p.path_id, s.id, t.id,
       ST_Length(p.geom), p.geom
FROM walk_part p
JOIN walk_end s ON s.x = p.sx AND s.y = p.sy
JOIN walk_end t ON t.x = p.ex AND t.y = p.ey
