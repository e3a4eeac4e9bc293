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
