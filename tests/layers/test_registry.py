"""The layer registry: unique ids, and every table and column exists in the schema."""

from __future__ import annotations

import psycopg

from gis.db import libpq_dsn
from layers import all_layers, get_layer


def test_layer_ids_are_unique_and_include_the_skeleton_layers() -> None:
    ids = [layer.id for layer in all_layers()]
    assert len(ids) == len(set(ids))
    assert {"kommune", "sites"} <= set(ids)
    assert get_layer("sites").table == "site"


def test_every_layer_names_real_tables_and_columns(db_url: str) -> None:
    with psycopg.connect(libpq_dsn(db_url)) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public'").fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    for layer in all_layers():
        assert layer.table in columns, layer.id
        wanted = {layer.key_column, *layer.properties, "geom"}
        if layer.label_column:
            wanted.add(layer.label_column)
        assert wanted <= columns[layer.table], (layer.id, wanted - columns[layer.table])


def test_every_layer_has_titles_and_source_in_both_languages() -> None:
    for layer in all_layers():
        assert layer.title.nb and layer.title.en and layer.source.nb and layer.source.en
