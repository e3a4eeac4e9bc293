"""Real sweeps on a local Ray: improvement over a bad start, interruption and resume, retries."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import optuna
import pandas as pd
import pytest
import yaml

from rayscore.config import validate
from rayscore.pipeline.embed import FeatureCache
from rayscore.tasks import get_task
from rayscore.tasks.drum_roles.synth import generate_corpus
from rayscore.tasks.drum_roles.task import DrumRolesTask, RoleNamer
from rayscore.tune.config import SweepConfig
from rayscore.tune.driver import run_sweep

pytestmark = pytest.mark.slow
TASK = get_task("drum_roles")
ROLES = ["CORE", "ACCENT", "MOTION", "FILL", "TEXTURE"]


@pytest.fixture(scope="module")
def drums(tmp_path_factory) -> Path:
    """100 generated one-shots in 5 kits; kit04 is held out of the sweeps."""
    root = tmp_path_factory.mktemp("sweep-drums")
    namer = RoleNamer(TASK.load_config().labels.name_to_role)
    manifest = generate_corpus(root / "corpus", n=100, seed=11, labeler=namer, n_kits=5)
    return manifest.write(root / "manifest.parquet")


def sweep_dict(drums: Path, tmp: Path, name: str, samples: int, **extra) -> dict:
    doc = {
        "task": "drum_roles",
        "name": name,
        # Deliberately bad start: a strong prior for TEXTURE over the percussive roles (~0.19 macro-F1).
        "overrides": ["fusion.alpha=1.0", "fusion.role_bias={TEXTURE: 1.5, CORE: -1.5, MOTION: -1.5, ACCENT: -1.5}"],
        "data": {"input": str(drums)},
        "holdout": {"groups": ["kit04"]},
        "folds": {"k": 3, "strategy": "group", "seed": 0},
        "search": {"num_samples": samples, "max_concurrent": 2, "seed": 0},
        "scheduler": {"type": "asha", "grace_period": 1, "reduction_factor": 2},
        "storage_path": str(tmp / "tune"),
        "space": {f"fusion.role_bias.{r}": {"type": "uniform", "low": -1.5, "high": 1.5} for r in ROLES},
    }
    doc.update(extra)
    return doc


def test_sweep_beats_a_bad_start_config(ray_local, drums, tmp_path):
    sweep = validate(SweepConfig, sweep_dict(drums, tmp_path, "beat", samples=10))
    result = run_sweep(sweep, cache=FeatureCache(tmp_path / "cache"))
    trials = result.trials
    assert len(trials) == 10 and (trials["status"] == "OK").all()
    start = trials[trials["start_config"]]
    assert len(start) == 1  # the start config ran first, as a trial of the budget
    start_cv = float(start["macro_f1"].iloc[0])
    assert result.best["macro_f1"] > start_cv + 0.1
    assert len(result.best["folds"]) == 3
    assert {"fold_0_macro_f1", "fold_1_macro_f1", "fold_2_macro_f1"} <= set(trials.columns)
    # hold-out kit, never seen by the sweep: the winner beats the start there too
    assert result.holdout["groups"] == ["kit04"]
    assert result.holdout["best"]["macro_f1"] > result.holdout["start"]["macro_f1"]
    # the best config is a complete task YAML that loads back with the winning values
    best = TASK.load_config(result.best_config_path)
    for r in ROLES:
        assert best.fusion.role_bias[r] == pytest.approx(result.best["params"][f"fusion.role_bias.{r}"])
    assert best.guards == TASK.load_config().guards  # untouched keys keep the start config's values
    # Optuna's study lives in SQLite inside the run directory
    study = optuna.load_study(study_name="beat", storage=f"sqlite:///{result.run_dir / 'optuna.db'}")
    assert len(study.trials) == 10
    html = (result.run_dir / "report.html").read_text()
    assert html.count("data:image/png;base64") == 3  # history, importances, best trial's folds
    assert pd.read_csv(result.run_dir / "trials.csv").shape[0] == 10


def _completed(db: Path, study: str) -> int:
    """Completed trials of ``study``, read-only: opening Optuna's storage from here would race the
    sweep process creating the schema (both insert the alembic version row)."""
    if not db.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as con:
            (n,) = con.execute("SELECT COUNT(*) FROM trials JOIN studies USING (study_id) "
                               "WHERE study_name = ? AND state = 'COMPLETE'", (study,)).fetchone()
    except sqlite3.OperationalError:  # schema not there yet, or the writer holds the lock
        return 0
    return n


def test_interrupted_sweep_resumes_without_rerunning_trials(ray_local, drums, tmp_path):
    doc = sweep_dict(drums, tmp_path, "resume", samples=8)
    doc["search"]["max_concurrent"] = 1
    doc["scheduler"] = {"type": "fifo"}
    cfg_path = tmp_path / "sweep.yaml"
    cfg_path.write_text(yaml.safe_dump(doc))
    env = os.environ | {"RAYSCORE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "rayscore.cli", "tune", "drum_roles", "--config", str(cfg_path)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    db = tmp_path / "tune" / "resume" / "optuna.db"
    deadline = time.time() + 240
    while _completed(db, "resume") < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, proc.stdout.read()
    proc.send_signal(signal.SIGINT)  # Ctrl+C: Tune saves its state and stops
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, out
    assert "continue it with --resume" in out
    done_before = _completed(db, "resume")
    assert 2 <= done_before < 8

    result = run_sweep(validate(SweepConfig, doc), resume=True, cache=FeatureCache(tmp_path / "cache"))
    trials = result.trials
    assert len(trials) == 8 and trials["trial_id"].is_unique and (trials["status"] == "OK").all()
    study = optuna.load_study(study_name="resume", storage=f"sqlite:///{db}")
    assert len(study.trials) == 8  # no trial was asked for twice ...
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in study.trials)
    dirs = [p for p in (tmp_path / "tune" / "resume").iterdir() if p.name.startswith("trial_")]
    assert len(dirs) == 8  # ... or run twice


class FlakyDrumRoles(DrumRolesTask):
    """Drum roles whose very first fit fails, as a node crash or a flaky read would."""

    marker = ""

    def fit(self, cfg, train, valid=None):
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))  # only the first caller gets here
        except FileExistsError:
            yield from super().fit(cfg, train, valid)
            return
        raise RuntimeError("injected failure")


def test_a_failed_trial_is_retried(ray_local, drums, tmp_path):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    task = FlakyDrumRoles()
    task.marker = str(tmp_path / "failed-once")
    doc = sweep_dict(drums, tmp_path, "retry", samples=3, max_failures=1)
    result = run_sweep(validate(SweepConfig, doc), cache=FeatureCache(tmp_path / "cache"), task=task)
    assert Path(task.marker).exists()  # the failure did happen ...
    assert len(result.trials) == 3 and (result.trials["status"] == "OK").all()  # ... and was retried
    assert (result.trials["steps"] >= 1).all()


def test_resume_and_fresh_start_guard_the_run_name(ray_local, drums, tmp_path):
    from rayscore.config import ConfigError

    doc = sweep_dict(drums, tmp_path, "guard", samples=2)
    with pytest.raises(ConfigError, match="nothing to resume"):
        run_sweep(validate(SweepConfig, doc), resume=True, cache=FeatureCache(tmp_path / "cache"))
    run_sweep(validate(SweepConfig, doc), cache=FeatureCache(tmp_path / "cache"))
    with pytest.raises(ConfigError, match="exists"):
        run_sweep(validate(SweepConfig, doc), cache=FeatureCache(tmp_path / "cache"))
    changed = doc | {"search": {**doc["search"], "num_samples": 3}}
    with pytest.raises(ConfigError, match="differs"):
        run_sweep(validate(SweepConfig, changed), resume=True, cache=FeatureCache(tmp_path / "cache"))


def test_storage_path_can_be_a_uri(ray_local, drums, tmp_path, monkeypatch):
    """s3:// and gs:// go through pyarrow filesystems; file:// takes the same path, locally."""
    monkeypatch.chdir(tmp_path)
    doc = sweep_dict(drums, tmp_path, "uri", samples=2, storage_path=f"file://{tmp_path}/remote")
    result = run_sweep(validate(SweepConfig, doc), cache=FeatureCache(tmp_path / "cache"))
    assert result.run_dir == Path("runs/tune/uri")  # our artifacts (and SQLite) stay local
    assert (tmp_path / "runs/tune/uri/optuna.db").is_file() and (tmp_path / "runs/tune/uri/report.html").is_file()
    assert any((tmp_path / "remote" / "uri").glob("experiment_state-*.json"))  # Tune's state went to the URI
