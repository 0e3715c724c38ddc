"""The FICTIONAL demo data generator, one module per theme (run etl/demo/generate.py)."""
