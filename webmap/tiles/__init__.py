"""Vector tiles: /tiles/<layer>/<z>/<x>/<y>.mvt from PostGIS, with ETag and a data version.

pools     the tiles' own connection pools (primary and replicas)
versions  each tile layer's data version and versioned URL (the map page and /api/layers)
cache     the per-process cache of finished tiles
reply     one tile's answer (status, headers, body), shared by the two paths below
views     the Flask view and the OpenAPI part
fastpath  WSGI middleware answering plain tile GETs before Flask (installed by create_app)
"""
