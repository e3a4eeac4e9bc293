"""Neural trials on the shared training loop: a checkpoint every epoch, a trial killed mid-run resumes
from its last epoch (not from zero), folds run in lockstep or in parallel actors, and out-of-fold
predictions are written by the sweep."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from rayscore.config import validate
from rayscore.pipeline.embed import FeatureCache
from rayscore.tasks import get_task
from rayscore.tasks.drum_roles.synth import generate_corpus
from rayscore.tasks.drum_roles.task import DrumRolesTask, RoleNamer
from rayscore.training import TrainArgs, Trainer
from rayscore.tune.config import SweepConfig
from rayscore.tune.driver import run_sweep

pytestmark = pytest.mark.slow
ROLES = ["CORE", "ACCENT", "MOTION", "FILL", "TEXTURE"]
FEATURES = ["energy", "sharpness", "attack_time", "decay_time", "low_ratio", "mid_ratio", "high_ratio",
            "spectral_flatness", "zero_crossing_rate"]


@dataclass
class NetModel:
    net: nn.Module
    trainer: Trainer | None = None
    history: list = field(default_factory=list)

    def checkpoint(self):
        return self.trainer.state()


class NeuralDrumRoles(DrumRolesTask):
    """Drum roles by a small network on the nine DSP features, trained on the shared Trainer.
    The first fit of fold 0 dies at its second epoch, as a preempted node would."""

    progress_unit = "epoch"
    log = ""
    crash_marker = ""

    def max_epochs(self, cfg):
        return 4

    def fit(self, cfg, train, valid=None, resume=None):
        x = torch.tensor(train[FEATURES].to_numpy(np.float32))
        y = torch.tensor([ROLES.index(v) for v in train["label"]])
        torch.manual_seed(0)
        net = nn.Sequential(nn.Linear(len(FEATURES), 16), nn.ReLU(), nn.Linear(16, len(ROLES)))
        args = TrainArgs(epochs=4, batch_size=16, lr=0.01, early_stopping={"patience": 10, "monitor": "loss"})
        trainer = Trainer(net, args, lambda logits, yy, rng: nn.functional.cross_entropy(logits, yy),
                          train=(x, y), valid=(x, y), n_classes=len(ROLES))
        if resume is not None:
            trainer.restore(*resume)
        first_fold = bool(len(train) % 2)  # tell the folds apart without more plumbing
        with open(self.log, "a") as f:
            f.write(json.dumps({"fold_odd": first_fold, "start_epoch": trainer.memory.epoch}) + "\n")
        for result in trainer.epochs():
            if result.epoch == 2 and self.crash_marker:
                try:
                    os.close(os.open(self.crash_marker, os.O_CREAT | os.O_EXCL))
                    raise RuntimeError("node lost (injected)")
                except FileExistsError:
                    pass
            yield NetModel(trainer.best_module(), trainer)

    def predict(self, model, cfg, features):
        with torch.no_grad():
            p = torch.softmax(model.net(torch.tensor(features[FEATURES].to_numpy(np.float32))), -1).numpy()
        top = p.argmax(1)
        return features.assign(role=[ROLES[i] for i in top], confidence=p.max(1),
                               **{f"p_{r}": p[:, i] for i, r in enumerate(ROLES)})


@pytest.fixture(scope="module")
def drums(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("epoch-drums")
    namer = RoleNamer(get_task("drum_roles").load_config().labels.name_to_role)
    return generate_corpus(root / "corpus", n=60, seed=5, labeler=namer, n_kits=3).write(root / "m.parquet")


def _sweep(drums: Path, tmp: Path, name: str, **extra) -> SweepConfig:
    doc = {"task": "drum_roles", "name": name, "overrides": ["fusion.alpha=1.0"], "data": {"input": str(drums)},
           "folds": {"k": 2, "strategy": "stratified", "seed": 0}, "scheduler": {"type": "fifo"},
           "search": {"num_samples": 1, "max_concurrent": 1, "seed": 0}, "storage_path": str(tmp / "tune"),
           "space": {"rule_scoring.temperature": {"type": "uniform", "low": 0.1, "high": 0.3}}} | extra
    return validate(SweepConfig, doc)


def _task(tmp: Path, crash: bool) -> NeuralDrumRoles:
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    task = NeuralDrumRoles()
    tmp.mkdir(parents=True, exist_ok=True)
    task.log = str(tmp / "starts.jsonl")
    task.crash_marker = str(tmp / "crashed-once") if crash else ""
    return task


def test_a_trial_killed_mid_run_resumes_from_its_last_epoch(ray_local, drums, tmp_path):
    task = _task(tmp_path, crash=True)
    result = run_sweep(_sweep(drums, tmp_path, "resume_epochs", max_failures=1), task=task,
                       cache=FeatureCache(tmp_path / "cache"))
    assert Path(task.crash_marker).exists()  # it did die ...
    starts = [json.loads(line)["start_epoch"] for line in Path(task.log).read_text().splitlines()]
    # ... after epoch 1 was reported with both folds' states: the retry starts there, not at 0
    assert starts == [0, 0, 1, 1], starts
    (trial,) = result.trials.to_dict("records")
    assert trial["status"] == "OK" and trial["steps"] == 4
    oof = pd.read_parquet(result.run_dir / "oof.parquet")  # plain pandas: written by the sweep
    assert len(oof) == 60 and set(oof["fold"]) == {0, 1} and {"p_CORE", "role", "label"} <= set(oof.columns)


def test_folds_in_parallel_actors_score_as_in_lockstep(ray_local, drums, tmp_path):
    scores = {}
    for execution in ("lockstep", "parallel"):
        sweep = _sweep(drums, tmp_path, f"folds_{execution}",
                       folds={"k": 2, "strategy": "stratified", "seed": 0, "execution": execution},
                       resources={"cpu": 0.5, "gpu": 0})
        result = run_sweep(sweep, task=_task(tmp_path / execution, crash=False), cache=FeatureCache(tmp_path / "c"))
        scores[execution] = result.best["macro_f1"]
    assert scores["parallel"] == pytest.approx(scores["lockstep"], abs=1e-9)
