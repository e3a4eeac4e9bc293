"""The same lifecycle for every registered task: generate -> train (register) -> evaluate with the
registered model on Ray Data. A new workload gets this test by registering itself."""

from __future__ import annotations

import pytest

from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.embed import FeatureCache
from rayscore.pipeline.evaluate import evaluate
from rayscore.pipeline.train import train
from rayscore.registry import ModelRegistry
from rayscore.tasks import get_task, list_tasks
from tests.tasks.doc_type.layout import QUICK_TRAINING

#: Settings that keep a task's lifecycle quick here; the stages, the model and the registry path are the same.
QUICK = {"doc_type": list(QUICK_TRAINING)}


@pytest.mark.slow
@pytest.mark.parametrize("name", list_tasks())
def test_task_lifecycle_on_local_ray(ray_local, name, tmp_path):
    task = get_task(name)
    offline, _ = task.demo_overrides(task.load_config())  # e.g. no downloadable weights in CI
    offline = [*offline, *QUICK.get(name, [])]
    cfg = task.load_config(overrides=offline)
    manifest = task.generate(tmp_path / "corpus", n=40, seed=0, cfg=cfg)
    registry = ModelRegistry(tmp_path / "models")
    version = train(task, overrides=offline, source=manifest, registry=registry,
                    cache=FeatureCache(tmp_path / "cache"))
    assert version.ref == f"{name}:1" and task.metric in version.metrics()
    # judged on the rows it trained on (a generated test file, where a task writes one, is held out)
    trained = Manifest(manifest.df[task.trainable(manifest.df, cfg)].reset_index(drop=True), manifest.root)
    metrics, result = evaluate(task, task.load_config(version.config_path), trained, tmp_path / "out",
                               model=version)
    s = result.summary
    assert s["rows_in"] == len(trained) == s["rows_ok"] + s["rows_error"]
    assert s["rows_ok"] > 0 and metrics["rows"]["evaluated"] > 0
    # The registered model scores its training rows as the model in memory did: weights, config
    # and preprocessing survive the registry, and batch scoring takes the same path as training.
    assert metrics[task.metric] == pytest.approx(version.metrics()["fit_data"][task.metric], abs=1e-6)
    assert (tmp_path / "out" / "metrics.json").is_file() and (tmp_path / "out" / "report.html").is_file()
