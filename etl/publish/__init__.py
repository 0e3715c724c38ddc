"""How staged rows reach the live tables: the stage, checks and repair, the upsert or replace,
the table swap, and the binary COPY fast paths (one or several connections)."""
