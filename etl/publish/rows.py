"""A reader's batch as checked, converted rows: the geometry parsed and flagged for repair,
each field converted, derived columns computed (for the stage or a direct COPY)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from etl.publish.values import convert_field, parse_and_check
from etl.readers.layer_choice import feature_namer
from etl.readers.spreadsheet import SheetInfo
from etl.readers.vector import VectorInfo
from etl.sources import Derived, Field, SourceSpec


def checked_batch(batch: pa.RecordBatch, spec: SourceSpec, fields: Sequence[Field],
                  derived: Sequence[Derived], mapping: dict[str, str], info: VectorInfo,
                  unknown: dict[str, int]) -> tuple[list[list[Any]], np.ndarray, np.ndarray,
                                                     np.ndarray]:
    """A batch's converted columns, its WKB, the repair mask and the parsed geometries."""
    fids = batch.column("fid").to_numpy(zero_copy_only=False)
    keys = batch.column(mapping[spec.key]).to_pylist() if spec.key in mapping else None
    word = info.feature_word if isinstance(info, SheetInfo) else "feature"

    named = feature_namer(info.path, info.layer)  # reads gml:ids only when a message needs one

    def feature(i: int) -> str:
        what = f" ({spec.key}={keys[i]!r})" if keys is not None else ""
        if isinstance(info, SheetInfo):
            return f"{info.path.name}: {word} {fids[i]}{what}"
        return f"{named(int(fids[i]))}{what}"

    wkb = batch.column("geometry").to_numpy(zero_copy_only=False)
    geoms, needs_repair = parse_and_check(wkb, spec.geometry, feature)
    values = {f.column: convert_field(batch.column(mapping[f.column]), f, feature)
              for f in fields}
    columns = [values[f.column] for f in fields]
    columns += [derive(d, values[d.source], unknown) for d in derived]
    return columns, wkb, needs_repair, geoms


def derive(derived: Derived, source_values: list[Any], unknown: dict[str, int]) -> list[Any]:
    """The derived column, remembering unknown codes for the load's warnings."""
    cache: dict[Any, Any] = {}
    out = []
    for value in source_values:
        if value not in cache:
            cache[value] = None if value is None else derived.function(value)
        result = cache[value]
        if derived.warn_unknown and value is not None and result is None:
            message = f"unknown {derived.warn_unknown} {value!r}"
            unknown[message] = unknown.get(message, 0) + 1
        out.append(result)
    return out
