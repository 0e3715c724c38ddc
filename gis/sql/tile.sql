-- One MVT layer of one tile. Identifiers come from the layer registry; z, x, y and the limit
-- are bind parameters. The && test uses the tile plus a 64/4096 margin (the MVT buffer) on the
-- stored EPSG:3857 column; LIMIT is only a safety valve, so there is no ORDER BY.
SELECT ST_AsMVT(t, %(name)s, 4096, 'geom', 'fid')
FROM (
    SELECT {key} AS fid,
           ST_AsMVTGeom({geom}, ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64, true) AS geom{columns}
    FROM {table}
    WHERE {geom} && ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 0.015625)
      AND ({where})
    LIMIT %(limit)s
) t
