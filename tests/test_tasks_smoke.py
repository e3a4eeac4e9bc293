"""The same end-to-end smoke test for every registered task: generate -> score on Ray -> evaluate."""

from __future__ import annotations

import pytest

from rayscore.pipeline.evaluate import evaluate
from rayscore.tasks import get_task, list_tasks


@pytest.mark.slow
@pytest.mark.parametrize("name", list_tasks())
def test_task_end_to_end_on_local_ray(ray_local, name, tmp_path):
    task = get_task(name)
    cfg = task.load_config()
    offline, _ = task.demo_overrides(cfg)  # e.g. no downloadable weights in CI
    cfg = task.load_config(overrides=offline)
    manifest = task.generate(tmp_path / "corpus", n=20, seed=0, cfg=cfg)
    metrics, result = evaluate(task, cfg, manifest, tmp_path / "out")
    s = result.summary
    assert s["rows_in"] == len(manifest) == s["rows_ok"] + s["rows_error"]
    assert s["rows_ok"] > 0
    assert metrics["rows"]["evaluated"] > 0
    assert (tmp_path / "out" / "metrics.json").is_file() and (tmp_path / "out" / "report.html").is_file()
