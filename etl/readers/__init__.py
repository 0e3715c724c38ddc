"""Format readers: each delivered file format (SOSI, GML, any GDAL vector file, CSV/Excel) as
pyarrow batches of WKB and fields, with its CRS, extent and layer; no database."""
