"""Run a list of stages over a resolved manifest: on Ray Data, or in a plain loop.

Both engines feed the stages identical ``numpy`` batches, so the plain loop is
a faithful single-process baseline for benchmarks and a debugging aid.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from rayscore.pipeline.stage import Batch, Stage
from rayscore.tables import batch_to_table, frame_to_table, table_to_batch

log = logging.getLogger(__name__)
GIB = 1024**3
#: Row index added to every frame before a run; results are checked and sorted by it.
ROW = "_row"


class AccountingError(RuntimeError):
    """Rows went missing or were duplicated between input and output: a bug, never data."""


def _arrow_function(fn):
    """A task stage that takes and returns Arrow tables (see :mod:`rayscore.tables` for why)."""

    def run(table, **kwargs):
        return batch_to_table(fn(table_to_batch(table), **kwargs))

    run.__name__ = getattr(fn, "__name__", "stage")  # Ray names the operator after it
    return run


class _ArrowActor:
    """An actor stage behind the same Arrow boundary; the model loads once in ``__init__``."""

    def __init__(self, impl: type, kwargs: dict) -> None:
        self.impl = impl(**kwargs)

    def __call__(self, table):
        return batch_to_table(self.impl(table_to_batch(table)))


def ray_callable(stage: Stage):
    """What ``map_batches`` runs for ``stage``: its function or class behind an Arrow boundary."""
    if stage.is_actor:
        return type(stage.fn.__name__, (_ArrowActor,), {})
    return _arrow_function(stage.fn)


def map_batches_kwargs(stage: Stage) -> dict:
    """The ``Dataset.map_batches`` arguments of a stage, from its configured resources."""
    res = stage.resources
    kw: dict = {
        "batch_size": res.batch_size,
        "batch_format": "pyarrow",
        "num_cpus": res.num_cpus,
    }
    if res.num_gpus:
        kw["num_gpus"] = res.num_gpus
    if res.memory_gb:
        kw["memory"] = res.memory_gb * GIB
    if stage.is_actor:
        import ray.data

        c = res.concurrency or 1
        kw["compute"] = (ray.data.ActorPoolStrategy(size=c) if isinstance(c, int)  # [min, max]: autoscaling
                         else ray.data.ActorPoolStrategy(min_size=c[0], max_size=c[1]))
        kw["fn_constructor_kwargs"] = {"impl": stage.fn, "kwargs": dict(stage.kwargs)}
        # Ray Data's own default for pool actors (restart on failure), said out loud for one reason:
        # it fuses a task stage into the next actor stage when their remote arguments are equal
        # (every stage at 1 CPU, say), and the decode work then runs in the pool's few actors, one
        # batch at a time, instead of in as many tasks as there are free CPUs (W3 read pages one
        # by one so: 0.4 pages/s on 2 cores). An argument only the actor stage has keeps them apart.
        kw["max_restarts"] = -1
    else:
        kw["fn_kwargs"] = dict(stage.kwargs)
        if res.concurrency:  # tasks: a cap on how many run at once
            c = res.concurrency
            kw["concurrency"] = c if isinstance(c, int) else c[1]
    return kw


def fit_to_cluster(stages: list[Stage], cpus: float, gpus: float, embedded: bool) -> list[Stage]:
    """Stages whose actor pools can all start on this cluster, with room left for one task.

    Actor pools hold their CPUs for the whole run, so a pipeline with more pools
    than a small machine has cores would wait forever. On an embedded local Ray
    (whose size is fixed) the logical CPU requests are scaled down to fit, with a
    warning; on a cluster the autoscaler may add nodes, so it only warns. A GPU
    stage on a machine without GPUs is a config error, named by its stage.
    """
    from rayscore.config import ConfigError

    for s in stages:
        if s.resources.num_gpus > gpus and embedded:
            raise ConfigError(f"stage '{s.name}' asks for {s.resources.num_gpus} GPU(s) per actor and this "
                              f"machine has {gpus:g}: set its resources num_gpus to 0 (resources.* in the task config)")
    pools = sum(s.resources.num_cpus * s.resources.pool_min for s in stages if s.is_actor)
    tasks = max([s.resources.num_cpus for s in stages if not s.is_actor], default=0.0)
    need = pools + tasks
    if not any(s.is_actor for s in stages) or need <= cpus:
        return stages
    if not embedded:
        log.warning("the pipeline's actor pools and a task ask for %.2g CPUs and the cluster has %.2g now; "
                    "it waits for the autoscaler (or size resources.* for the cluster)", need, cpus)
        return stages
    f = cpus / need
    log.warning("the pipeline asks for %.2g CPUs and this machine has %.2g: scaling every stage's CPU "
                "request by %.2f so all of them can start", need, cpus, f)
    return [dataclasses.replace(s, resources=s.resources.model_copy(
        update={"num_cpus": round(s.resources.num_cpus * f, 4)})) for s in stages]


def build_dataset(frame: pd.DataFrame, stages: list[Stage]):
    """A lazy Ray Dataset applying ``stages`` to ``frame``.

    The manifest is cut into blocks of the first stage's batch size so that
    decoding spreads over every CPU from the first batch on.
    """
    import ray.data

    embedded = not os.environ.get("RAY_ADDRESS")
    # An embedded Ray may already host long-lived actors (a Serve app): fit into what is free now.
    res = ray.available_resources() if embedded else ray.cluster_resources()
    total = ray.cluster_resources()
    stages = fit_to_cluster(stages, res.get("CPU", 0.0), total.get("GPU", 0.0), embedded=embedded)
    rows = stages[0].resources.batch_size if stages else 256
    # One Arrow schema for the whole frame, then blocks of it: a column that is empty in one
    # block must not get another type there than in the next.
    table = frame_to_table(frame, float32_vectors=False)
    ds = ray.data.from_arrow([table.slice(i, rows) for i in range(0, len(frame), rows)] or [table])
    for stage in stages:
        ds = ds.map_batches(ray_callable(stage), **map_batches_kwargs(stage))
    if not any(s.is_actor for s in stages):
        # Task-only stages fuse into one operator. Per-operator reservations exist to
        # keep operators from starving each other; with a single operator they only
        # hold back half the CPUs (measured: 1.6x faster on 2 cores without them).
        ds.context.op_resource_reservation_enabled = False
    return ds


def iter_ray(frame: pd.DataFrame, stages: list[Stage]) -> Iterator[pd.DataFrame]:
    """Stream result batches back to the driver as they finish."""
    ds = build_dataset(frame, stages)
    for table in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
        # The same conversion the stages use: plain numpy dtypes (float64, object), as the
        # plain loop yields, instead of pyarrow-backed columns.
        yield from_batch(table_to_batch(table))


def from_batch(batch: Batch) -> pd.DataFrame:
    return pd.DataFrame({k: list(v) if v.ndim > 1 else v for k, v in batch.items()})


def iter_local(frame: pd.DataFrame, stages: list[Stage]) -> Iterator[pd.DataFrame]:
    """The same stages, one batch at a time, in this process, across the same Arrow boundaries."""
    built = [s.build() for s in stages]
    rows = stages[0].resources.batch_size if stages else 256
    table = frame_to_table(frame, float32_vectors=False)
    for i in range(0, len(frame), rows):
        batch = table_to_batch(table.slice(i, rows))
        for fn in built:
            batch = table_to_batch(batch_to_table(fn(batch)))
        yield from_batch(batch)


ENGINES = {"ray": iter_ray, "local": iter_local}


def _collect(batches: Iterable[pd.DataFrame], frame: pd.DataFrame) -> pd.DataFrame:
    parts = list(batches)
    out = pd.concat(parts, ignore_index=True) if parts else frame.iloc[:0].copy()
    if ROW not in out:
        raise AccountingError("pipeline dropped the row index column")
    counts = out[ROW].value_counts()
    dup = counts[counts > 1]
    missing = np.setdiff1d(frame[ROW].to_numpy(), out[ROW].to_numpy())
    if len(dup) or len(missing):
        ids = frame.set_index(ROW)["id"]
        raise AccountingError(
            f"{len(missing)} rows missing ({list(ids.loc[missing[:10]])}) and "
            f"{len(dup)} duplicated after the pipeline"
        )
    return out.sort_values(ROW, kind="stable").reset_index(drop=True)


def run_stages(frame: pd.DataFrame, stages: list[Stage], engine: str = "ray",
               on_batch: Callable[[pd.DataFrame], None] | None = None) -> pd.DataFrame:
    """Every row of ``frame`` through ``stages``, back in input order, none lost.

    ``frame`` needs a unique :data:`ROW` column (added here when missing).
    ``on_batch`` sees each result batch as it arrives (the feature cache keeps
    finished work that way, even when the run is interrupted).
    Raises :class:`AccountingError` if the engine loses or duplicates a row.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {sorted(ENGINES)}, got {engine!r}")
    if ROW not in frame:
        frame = frame.assign(**{ROW: np.arange(len(frame))})
    if engine == "ray":
        from rayscore.runtime import init_ray

        init_ray()
    batches = ENGINES[engine](frame, stages)
    if on_batch is not None:
        batches = _tap(batches, on_batch)
    return _collect(batches, frame)


def _tap(batches: Iterable[pd.DataFrame], fn: Callable[[pd.DataFrame], None]) -> Iterator[pd.DataFrame]:
    for batch in batches:
        fn(batch)
        yield batch

