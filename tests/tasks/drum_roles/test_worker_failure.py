"""A Ray Data worker killed mid-scoring: its task is retried, every row is still accounted for."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import psutil
import pytest

from rayscore.pipeline.score import score
from rayscore.pipeline.stage import Batch, Stage
from rayscore.tasks.drum_roles.task import DrumRolesTask

pytestmark = pytest.mark.slow


def _slow(batch: Batch) -> Batch:
    time.sleep(0.25)  # long enough per batch for the test to find and kill the worker
    return batch


class SlowDrumRoles(DrumRolesTask):
    """Drum roles plus a pause per batch; everything else is the real pipeline."""

    def stages(self, cfg, model=None):
        return [*super().stages(cfg, model), Stage("pause", _slow, {}, cfg.resources.dsp)]


def _ray_data_workers() -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter(["cmdline"]):
        cmd = p.info["cmdline"] or []
        if cmd and cmd[0].startswith("ray::MapBatches"):
            found.append(p)
    return found


def test_killed_worker_mid_scoring_loses_no_row(ray_local, tmp_path):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    task = SlowDrumRoles()
    cfg = task.load_config(overrides=["fusion.alpha=1.0", "resources.dsp.batch_size=4"])
    manifest = task.generate(tmp_path / "drums", n=60, seed=9, cfg=cfg)
    killed: list[int] = []

    def killer() -> None:
        deadline = time.time() + 60
        while not killed and time.time() < deadline:
            for proc in _ray_data_workers():
                os.kill(proc.pid, signal.SIGKILL)
                killed.append(proc.pid)
                return
            time.sleep(0.01)

    thread = threading.Thread(target=killer)
    thread.start()
    result = score(task, cfg, manifest, tmp_path / "out")
    thread.join()
    assert killed, "no Ray Data worker was seen running"
    s = result.summary
    assert s["rows_in"] == 60 == s["rows_ok"] + s["rows_error"]
    assert s["rows_ok"] == 60  # the killed worker's batch was re-run, not dropped
    assert sorted(result.predictions["id"]) == sorted(manifest.df["id"])
