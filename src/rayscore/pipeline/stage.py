"""Stages: the unit of work of every pipeline, run unchanged by Ray Data or a plain loop.

A stage is a function ``fn(batch, **kwargs) -> batch`` (stateless, runs as Ray
tasks) or a callable class built once per actor (models, loaded in ``__init__``).
Batches are ``dict[str, np.ndarray]``, Ray Data's ``numpy`` batch format.

Row accounting lives here: every batch carries an ``error`` column. A row that
fails in a stage gets a readable reason there and is skipped by later stages,
so a bad file never takes its block down with it (we never rely on Ray's
``max_errored_blocks``, which would drop whole blocks).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rayscore.config import StageResources
from rayscore.errors import RowError

Batch = dict[str, np.ndarray]

ERROR = "error"
ERROR_STAGE = "error_stage"
#: The kind of each row error (input, not_found, unsupported, internal): private, read by serving.
ERROR_KIND = "_error_kind"
#: Bytes uploaded with a request (serving); batch rows read ``path`` instead.
MEDIA = "media"
#: Columns starting with this prefix travel between stages but are never written out.
PRIVATE = "_"


def describe_error(exc: BaseException) -> str:
    """A one-line, bounded reason for an exception raised while processing one row."""
    if isinstance(exc, RowError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text[:500]


@dataclass(frozen=True)
class Stage:
    """One step of a pipeline and the resources Ray Data gives it."""

    name: str
    fn: Callable[..., Batch] | type
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    resources: StageResources = field(default_factory=StageResources)

    @property
    def is_actor(self) -> bool:
        """Callable classes hold state (a model) and run in an actor pool."""
        return isinstance(self.fn, type)

    def build(self) -> Callable[[Batch], Batch]:
        """The callable to apply in-process (plain loop, serving)."""
        if self.is_actor:
            return self.fn(**self.kwargs)
        return functools.partial(self.fn, **self.kwargs)


def media_of(row: Mapping[str, Any]) -> Any:
    """What a decoding stage reads: uploaded bytes when the row has them, else its file path."""
    media = row.get(MEDIA)
    return media if isinstance(media, (bytes, bytearray)) else row["path"]


def row_count(batch: Batch) -> int:
    return len(next(iter(batch.values()))) if batch else 0


def ensure_error_columns(batch: Batch) -> Batch:
    n = row_count(batch)
    for col in (ERROR, ERROR_STAGE, ERROR_KIND):
        if col not in batch:
            batch[col] = np.full(n, None, dtype=object)
        else:
            # Arrow hands an all-null column back as NaN floats: normalise to None.
            values = [v if is_error(v) else None for v in batch[col]]
            batch[col] = np.array(values, dtype=object)
    return batch


def is_error(value: Any) -> bool:
    """An ``error`` cell marks a failed row when it holds a reason (None/NaN/'' do not)."""
    return isinstance(value, str) and value != ""


def ok_mask(batch: Batch) -> np.ndarray:
    """True for rows that have not failed in an earlier stage."""
    errors = batch.get(ERROR)
    if errors is None:
        return np.ones(row_count(batch), dtype=bool)
    return np.array([not is_error(e) for e in errors], dtype=bool)


def _column(values: list[Any], default: Any) -> np.ndarray:
    if isinstance(default, float):
        return np.asarray(values, dtype=np.float64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def map_rows(
    batch: Batch,
    stage: str,
    fn: Callable[[dict[str, Any]], Mapping[str, Any]],
    outputs: Mapping[str, Any],
    drop: tuple[str, ...] = (),
    workers: int = 1,
) -> Batch:
    """Apply ``fn`` to each healthy row; record failures instead of raising.

    ``outputs`` maps each column ``fn`` returns to the value errored rows get
    (``nan`` for floats, ``None`` for strings, an empty array for audio).
    ``workers`` > 1 runs rows in that many threads: for row work that leaves the
    GIL (image ops, a subprocess), so a Serve replica given several CPUs uses them.
    """
    batch = ensure_error_columns(dict(batch))
    n = row_count(batch)
    healthy = ok_mask(batch)
    cols = {k: [v] * n for k, v in outputs.items()}
    keys = list(batch)

    def attempt(i: int) -> tuple[Any, BaseException | None]:
        try:
            return fn({k: batch[k][i] for k in keys}), None
        except Exception as exc:  # noqa: BLE001 - any per-row failure becomes an error row
            return None, exc

    todo = [i for i in range(n) if healthy[i]]
    if workers > 1 and len(todo) > 1:
        with ThreadPoolExecutor(min(workers, len(todo))) as pool:
            done = list(pool.map(attempt, todo))
    else:
        done = [attempt(i) for i in todo]
    for i, (result, exc) in zip(todo, done, strict=True):
        if exc is not None:
            fail_row(batch, i, getattr(exc, "stage", None) or stage, describe_error(exc), error_kind(exc))
            continue
        for k in cols:
            cols[k][i] = result[k]
    for k, values in cols.items():
        batch[k] = _column(values, outputs[k])
    for k in drop:
        batch.pop(k, None)
    return batch


def error_kind(exc: BaseException) -> str:
    """A RowError says what kind of problem it is; anything else escaped the checks: internal."""
    return getattr(exc, "kind", "input") if isinstance(exc, RowError) else "internal"


def fail_row(batch: Batch, i: int, stage: str, reason: str, kind: str = "input") -> None:
    """Mark row ``i`` as failed in ``stage`` with ``reason`` (in place)."""
    ensure_error_columns(batch)
    batch[ERROR][i] = reason
    batch[ERROR_STAGE][i] = stage
    batch[ERROR_KIND][i] = kind


def map_batched(
    batch: Batch,
    stage: str,
    fn: Callable[[list[Any]], Any],
    source: str,
    output: str,
    drop: tuple[str, ...] = (),
) -> Batch:
    """Apply a batched model ``fn`` (list of inputs -> one output row each) to the healthy rows.

    ``batch[source]`` holds the inputs and ``batch[output]`` gets the results
    (an empty array for failed rows). When the batch as a whole fails, rows are
    retried one by one so only the culprit becomes an error row.
    """
    batch = ensure_error_columns(dict(batch))
    n = row_count(batch)
    col = np.empty(n, dtype=object)
    col[:] = [np.zeros(0, dtype=np.float32)] * n
    idx = np.flatnonzero(ok_mask(batch))
    if idx.size:
        try:
            out = fn([batch[source][i] for i in idx])
            for j, i in enumerate(idx):
                col[i] = out[j]
        except Exception:  # noqa: BLE001 - one by one, to find the row at fault
            for i in idx:
                try:
                    col[i] = fn([batch[source][i]])[0]
                except Exception as exc:  # noqa: BLE001
                    fail_row(batch, i, stage, describe_error(exc), error_kind(exc))
    batch[output] = col
    for k in drop:
        batch.pop(k, None)
    return batch


def predict_probabilities(batch: Batch, predict_proba: Callable[[pd.DataFrame], np.ndarray], n_classes: int,
                          columns: Callable[[np.ndarray], dict[str, np.ndarray]]) -> Batch:
    """A model's stage body: ``columns(probabilities)`` for each healthy row, from ``predict_proba`` on
    the rows as a frame; a row that failed before (or in) the model gets null prediction columns."""
    frame = pd.DataFrame({k: list(v) for k, v in batch.items()})
    if frame.empty:
        return dict(batch) | columns(np.zeros((0, n_classes)))
    batch = dict(batch) | {"_at": np.arange(len(frame))}
    batch = map_batched(batch, "predict", lambda rows: predict_proba(frame.iloc[rows]), "_at", "_probs",
                        drop=("_at",))
    probs = np.stack([p if len(p) else np.zeros(n_classes) for p in batch.pop("_probs")])
    cols = columns(np.nan_to_num(probs, nan=0.0))
    failed = ~ok_mask(batch)
    cols["prediction"][failed] = None
    for k in cols:
        if k != "prediction":
            cols[k][failed] = np.nan
    return batch | cols
