"""The layer registry: unique ids, and every table and column exists in the schema."""

from __future__ import annotations

import psycopg

from gis.db import libpq_dsn
from layers import all_layers, get_layer


def test_layer_ids_are_unique_and_include_the_skeleton_layers() -> None:
    ids = [layer.id for layer in all_layers()]
    assert len(ids) == len(set(ids))
    assert {"kommune", "sites"} <= set(ids)
    assert get_layer("sites").table == "site_map"


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
        if layer.delivery == "mvt":
            # Each zoom band reads its own table (raw data or an overview).
            for source in layer.tile_sources:
                assert source.table in columns, (layer.id, source.table)
                wanted = set(source.identifiers()) - {source.table}
                assert wanted <= columns[source.table], (layer.id, wanted - columns[source.table])
            assert set(layer.version_tables) <= set(columns), layer.id
            continue
        wanted = {layer.key_column, *layer.properties, "geom"}
        if layer.label_column:
            wanted.add(layer.label_column)
        assert wanted <= columns[layer.table], (layer.id, wanted - columns[layer.table])


def test_tile_layers_cover_their_zoom_range_and_overviews_match_their_versions() -> None:
    from gis.tiles import get_overview

    tiled = [layer for layer in all_layers() if layer.delivery == "mvt"]
    assert {"zoning", "buildings", "farmland"} <= {layer.id for layer in tiled}
    for layer in tiled:
        for zoom in range(layer.min_zoom, layer.max_zoom + 1):
            assert layer.tile_source(zoom) is not None, (layer.id, zoom)
        assert layer.tile_source(layer.min_zoom - 1) is None
        for source in layer.tile_sources:
            overview = get_overview(source.table)
            if overview:
                # The tile URL's version must be the version the overview is built from.
                assert set(overview.sources) == set(layer.version_tables), (layer.id, source.table)
        assert layer.legend, f"{layer.id} has no legend"


def test_a_tile_layer_with_a_gap_in_its_zoom_bands_is_refused() -> None:
    import pytest

    from layers import Layer, Text, TileSource

    with pytest.raises(ValueError, match="gap"):
        Layer(id="x", table="t", title=Text("x", "x"), source=Text("x", "x"), properties=(),
              delivery="mvt", min_zoom=10, max_zoom=22, version_tables=("t",),
              tile_sources=(TileSource("t", (), 10, 11), TileSource("t", (), 13, 22)))


def test_every_layer_has_titles_and_source_in_both_languages() -> None:
    for layer in all_layers():
        assert layer.title.nb and layer.title.en and layer.source.nb and layer.source.en
