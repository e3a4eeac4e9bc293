"""Arrow tables in and out of rayscore: batches for Ray Data, files anyone can open.

Two problems live here, once:

- **Blocks that disagree.** Ray Data's numpy batch format turns a column that
  is all-null in one block (Arrow ``null``) into float NaNs, and the next
  block's strings then cannot be merged with them ("Field import_error has
  incompatible types: string vs float"). Stages therefore exchange Arrow tables
  converted here: an all-None column stays ``null``, which merges with any type.
- **Files that need Ray to be read.** Ray's tensor extension types leak into
  Parquet written from its blocks and plain pandas cannot read them. Vectors
  are written as fixed-size lists of float32 (variable-length lists when rows
  differ), which pandas, pyarrow, DuckDB and Polars all read; CSV gets them as
  JSON arrays.

Example:
    >>> batch = {"id": np.array(["a", "b"], dtype=object), "v": np.ones((2, 3), np.float32)}
    >>> table_to_batch(batch_to_table(batch))["v"][0]
    array([1., 1., 1.], dtype=float32)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _vector_array(values: list[Any], float32: bool) -> pa.Array:
    """Rows of 1-D arrays (None for missing) -> fixed-size list when all have one length."""
    arrays = [None if _is_missing(v) else np.asarray(v).reshape(-1) for v in values]
    present = [a for a in arrays if a is not None]
    dtype = np.result_type(*present) if present else np.float32
    if float32 and np.issubdtype(dtype, np.floating):
        dtype = np.float32
    lengths = {a.size for a in present}
    if len(lengths) == 1 and len(present) == len(arrays) and lengths != {0}:
        flat = np.concatenate(present).astype(dtype, copy=False)
        return pa.FixedSizeListArray.from_arrays(pa.array(flat), lengths.pop())
    value_type = pa.from_numpy_dtype(dtype)
    return pa.array([None if a is None else a.astype(dtype, copy=False) for a in arrays],
                    type=pa.list_(value_type))


def to_arrow_array(values: np.ndarray | pd.Series | list[Any], float32_vectors: bool = False) -> pa.Array:
    """One column as Arrow: numbers as they are, objects typed by their values.

    All-missing object columns become Arrow ``null`` (merges with any type);
    columns of arrays become lists; anything pyarrow cannot type is written as text.
    """
    if isinstance(values, pd.Series):
        if not pd.api.types.is_object_dtype(values.dtype) and not pd.api.types.is_string_dtype(values.dtype):
            return pa.Array.from_pandas(values)
        values = values.to_numpy(dtype=object)
    arr = np.asarray(values) if not isinstance(values, np.ndarray) else values
    if arr.ndim > 1:
        return _vector_array(list(arr), float32_vectors)
    if arr.dtype != object:
        return pa.array(arr)
    items = list(arr)
    if all(_is_missing(v) for v in items):
        return pa.nulls(len(items))
    if any(isinstance(v, (np.ndarray, list, tuple)) for v in items):
        return _vector_array(items, float32_vectors)
    try:
        return pa.array(items, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds (numbers and text): keep them as text
        return pa.array([None if _is_missing(v) else str(v) for v in items], type=pa.string())


def batch_to_table(batch: Mapping[str, np.ndarray]) -> pa.Table:
    """A stage's numpy batch as an Arrow table (see the module docstring)."""
    return pa.table({k: to_arrow_array(v) for k, v in batch.items()})


def _column_to_numpy(col: pa.ChunkedArray) -> np.ndarray:
    if pa.types.is_null(col.type):
        return np.full(len(col), None, dtype=object)
    if pa.types.is_list(col.type) or pa.types.is_large_list(col.type) or pa.types.is_fixed_size_list(col.type):
        out = np.empty(len(col), dtype=object)
        out[:] = [None if v is None else np.asarray(v) for v in col.to_numpy(zero_copy_only=False)]
        return out
    text = pa.types.is_string(col.type) or pa.types.is_large_string(col.type)
    if text or (pa.types.is_boolean(col.type) and col.null_count):
        out = np.empty(len(col), dtype=object)
        out[:] = col.to_pylist()
        return out
    if isinstance(col.type, pa.ExtensionType):  # e.g. a tensor column from someone else's Ray job
        return _column_to_numpy(pa.chunked_array([c.storage for c in col.chunks], type=col.type.storage_type))
    return col.to_numpy()


def table_to_batch(table: pa.Table) -> dict[str, np.ndarray]:
    """An Arrow table as the ``dict[str, np.ndarray]`` batch every stage takes.

    Strings and booleans with gaps are object arrays holding None; lists are object
    arrays of 1-D arrays; numbers with gaps are floats with NaN (pandas' rules).
    """
    return {name: _column_to_numpy(table.column(name)) for name in table.column_names}


def frame_to_table(df: pd.DataFrame, float32_vectors: bool = True) -> pa.Table:
    """A DataFrame as an Arrow table with plain types only (no extension types)."""
    return pa.table({str(c): to_arrow_array(df[c], float32_vectors) for c in df.columns})


def write_parquet(df: pd.DataFrame, path: str | Path, metadata: Mapping[bytes, bytes] | None = None,
                  float32_vectors: bool = True) -> Path:
    """Write ``df`` as Parquet that plain pandas / pyarrow / DuckDB read without Ray."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    table = frame_to_table(df, float32_vectors)
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
    tmp = p.with_name(f".{p.name}.tmp")
    pq.write_table(table, tmp)
    tmp.replace(p)  # a reader never sees half a file
    return p


def _csv_cell(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return json.dumps([round(float(x), 7) for x in value.reshape(-1)])
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), default=str)
    return value


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` as CSV; vectors become JSON arrays (numpy's repr would elide them with '...')."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object and out[c].map(lambda v: isinstance(v, (np.ndarray, list, tuple))).any():
            out[c] = out[c].map(_csv_cell)
    out.to_csv(p, index=False)
    return p
