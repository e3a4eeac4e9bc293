"""Stage resources against the machine: actor pools that cannot all start are scaled (embedded
Ray) or reported (cluster); a GPU stage without a GPU is a config error naming the stage."""

from __future__ import annotations

import pytest

from rayscore.config import ConfigError, StageResources
from rayscore.pipeline.runner import fit_to_cluster
from rayscore.pipeline.stage import Stage


class Model:  # an actor stage (a class)
    def __call__(self, batch):
        return batch


def decode(batch):  # a task stage (a function)
    return batch


def _stages(gpus: float = 0.0) -> list[Stage]:
    return [Stage("decode", decode, resources=StageResources(num_cpus=1)),
            Stage("audio", Model, resources=StageResources(num_cpus=1, concurrency=1, num_gpus=gpus)),
            Stage("text", Model, resources=StageResources(num_cpus=1, concurrency=1)),
            Stage("predict", Model, resources=StageResources(num_cpus=1, concurrency=1))]


def test_pools_that_fit_are_left_alone():
    stages = _stages()
    assert fit_to_cluster(stages, cpus=8, gpus=0, embedded=True) is stages


def test_embedded_ray_scales_cpu_requests_so_every_pool_starts():
    fitted = fit_to_cluster(_stages(), cpus=2, gpus=0, embedded=True)
    pools = sum(s.resources.num_cpus for s in fitted if s.is_actor)
    task = max(s.resources.num_cpus for s in fitted if not s.is_actor)
    assert pools + task <= 2 and all(s.resources.num_cpus == 0.5 for s in fitted)
    assert [s.name for s in fitted] == ["decode", "audio", "text", "predict"]


def test_a_cluster_keeps_the_requests_for_its_autoscaler():
    stages = _stages()
    assert fit_to_cluster(stages, cpus=2, gpus=0, embedded=False) is stages


def test_a_gpu_stage_on_a_machine_without_gpus_names_the_stage():
    with pytest.raises(ConfigError, match="stage 'audio' asks for 1.0 GPU"):
        fit_to_cluster(_stages(gpus=1), cpus=8, gpus=0, embedded=True)


def test_pool_sizes_validate_and_autoscale():
    assert StageResources(concurrency=[1, 4]).pool_min == 1 and StageResources(concurrency=3).pool_min == 3
    from rayscore.config import ConfigError, validate

    with pytest.raises(ConfigError, match="concurrency"):
        validate(StageResources, {"concurrency": [3, 1]})
    assert StageResources(num_gpus=0.25).num_gpus == 0.25  # several actors share one GPU


class Tag:  # an actor stage that says which actor scored each row
    def __init__(self):
        import os

        self.pid = os.getpid()

    def __call__(self, batch):
        import numpy as np

        batch["pid"] = np.full(len(batch["id"]), self.pid)
        return batch


@pytest.mark.slow
def test_an_autoscaling_actor_pool_runs_on_ray_data(ray_local):
    import pandas as pd

    from rayscore.pipeline.runner import map_batches_kwargs, run_stages

    stage = Stage("tag", Tag, resources=StageResources(batch_size=2, num_cpus=0.5, concurrency=[1, 2]))
    kw = map_batches_kwargs(stage)
    assert (kw["compute"].min_size, kw["compute"].max_size) == (1, 2)
    out = run_stages(pd.DataFrame({"id": [str(i) for i in range(20)]}), [stage], "ray")
    assert len(out) == 20 and out["pid"].nunique() in (1, 2)


def where(batch):  # a task stage that says which process ran it and how many CPUs Ray gave it
    import os

    import numpy as np

    from rayscore.runtime import worker_cpus

    batch["task_pid"] = np.full(len(batch["id"]), os.getpid())
    batch["task_cpus"] = np.full(len(batch["id"]), worker_cpus())
    return batch


def test_task_stages_are_not_fused_into_the_actor_pool_they_feed(ray_local):
    """With equal requests Ray Data would run the decode work inside the pool's one actor,
    one batch at a time (W3 read pages serially so); it must stay in its own tasks."""
    import pandas as pd

    from rayscore.pipeline.runner import run_stages

    same = StageResources(batch_size=2, num_cpus=1)
    stages = [Stage("where", where, resources=same),
              Stage("tag", Tag, resources=same.model_copy(update={"concurrency": 1}))]
    out = run_stages(pd.DataFrame({"id": [str(i) for i in range(8)]}), stages, "ray")
    assert len(out) == 8 and out["pid"].nunique() == 1
    assert not set(out["task_pid"]) & set(out["pid"]), "the task stage ran inside the actor"
    assert set(out["task_cpus"]) == {1}
    from rayscore.runtime import worker_cpus

    assert worker_cpus(outside_ray=3) == 3  # the driver, Ray running: nothing assigned to it


def test_map_rows_in_threads_keeps_row_order_and_per_row_errors():
    import threading

    import numpy as np

    from rayscore.pipeline.stage import map_rows

    together = threading.Barrier(2, timeout=10)  # passes only if two rows run at the same time

    def one(row: dict) -> dict:
        if row["id"] == 2:
            raise ValueError("row two is bad")
        if row["id"] < 2:
            together.wait()
        return {"double": 2.0 * row["id"]}

    out = map_rows({"id": np.arange(5)}, "double", one, {"double": np.nan}, workers=2)
    assert list(out["double"][[0, 1, 3, 4]]) == [0.0, 2.0, 6.0, 8.0] and np.isnan(out["double"][2])
    assert out["error"][2] == "ValueError: row two is bad" and not out["error"][0]
