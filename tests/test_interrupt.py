"""Ctrl+C during a sweep: exit 130 with one line (never a traceback or a segfault), the work done so
far kept (features cached), and a count of finished trials that --resume honours exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests import public_layouts as pl

MAIN = "import sys; from rayscore.cli import main; sys.argv = ['rayscore', *sys.argv[1:]]; main()"


class _Run:
    """The CLI in a child process, its output in a file (a pipe nobody reads fills up and stalls it)."""

    def __init__(self, args: list[str], cwd: Path, env: dict, log: Path) -> None:
        self.log = log
        with open(log, "w") as out:
            self.proc = subprocess.Popen([sys.executable, "-c", MAIN, *args], cwd=cwd, env=env, text=True,
                                         stdout=out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, marker: str, timeout: float = 240) -> None:
        end = time.time() + timeout
        while time.time() < end and self.proc.poll() is None:
            if marker in self.output():
                return
            time.sleep(0.2)
        self.proc.kill()
        raise AssertionError(f"never saw {marker!r}:\n" + self.output()[-4000:])

    def finish(self, timeout: float) -> tuple[int, str]:
        return self.proc.wait(timeout=timeout), self.output()


@pytest.mark.slow
def test_ctrl_c_while_embedding_exits_130_and_resume_finishes_the_budget(tmp_path):
    kinds = ("kick", "snare", "hat", "tom")
    folders = {"kick": "Kicks", "snare": "Snares", "hat": "HiHats", "tom": "Toms"}
    for i in range(3200):  # the cache is written every 512 rows: several parts' worth of embedding
        kind = kinds[i % 4]
        pl.write_wav(tmp_path / "pack" / folders[kind] / f"{kind}_{i:04d}.wav", pl.drum_hit(kind, i, 16000)[:4000])
    sweep = {"task": "drum_roles", "name": "interrupted", "overrides": ["fusion.alpha=1.0"],
             "data": {"input": str(tmp_path / "pack")}, "folds": {"k": 2, "strategy": "stratified"},
             "search": {"num_samples": 4, "max_concurrent": 1}, "scheduler": {"type": "fifo"},
             "storage_path": str(tmp_path / "tune"),
             "space": {"rule_scoring.temperature": {"type": "loguniform", "low": 0.05, "high": 0.5}}}
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(sweep))
    env = dict(os.environ, RAYSCORE_CACHE_DIR=str(tmp_path / "cache"))

    run = _Run(["tune", "drum_roles", "-c", "sweep.yaml"], tmp_path, env, tmp_path / "first.log")
    run.wait_for("embedding its data")
    # Ctrl+C once the first 512 rows are cached: Ray Data is mid-stream, most rows still to embed. A
    # fixed sleep raced the embedding (it finished first on a faster machine).
    cached = tmp_path / "cache" / "drum_roles"
    end = time.time() + 240
    while not list(cached.glob("*/part-*.parquet")) and time.time() < end and run.proc.poll() is None:
        time.sleep(0.02)
    run.proc.send_signal(signal.SIGINT)
    code, rest = run.finish(timeout=120)
    assert code == 130, rest[-3000:]
    assert "Traceback" not in rest and "Segmentation" not in rest and "SIGSEGV" not in rest, rest[-3000:]
    last = [line for line in rest.splitlines() if line.strip()][-1]
    assert last.startswith("interrupted: sweep 'interrupted' stopped while embedding") and "0 of 4" in last
    kept = sum(len(pd.read_parquet(part)) for part in cached.glob("*/part-*.parquet"))
    assert 512 <= kept < 3200  # what was embedded before the signal is kept, and only that

    code, out = _Run(["tune", "drum_roles", "-c", "sweep.yaml", "--resume"], tmp_path, env,
                     tmp_path / "resume.log").finish(timeout=600)
    assert code == 0, out[-3000:]
    assert "trials: 4" in out


@pytest.mark.slow
def test_ctrl_c_between_trials_counts_exactly_what_resume_keeps(tmp_path):
    for i in range(200):
        kind = ("kick", "snare", "hat", "tom")[i % 4]
        pl.write_wav(tmp_path / "pack" / kind / f"{kind}_{i:03d}.wav", pl.drum_hit(kind, i, 16000)[:4000])
    budget = 60  # more trials than run before the signal, few enough to resume quickly
    sweep = {"task": "drum_roles", "name": "counted", "overrides": ["fusion.alpha=1.0"],
             "data": {"input": str(tmp_path / "pack")}, "folds": {"k": 2, "strategy": "stratified"},
             "search": {"num_samples": budget, "max_concurrent": 2}, "scheduler": {"type": "fifo"},
             "storage_path": str(tmp_path / "tune"),
             "space": {"rule_scoring.temperature": {"type": "loguniform", "low": 0.05, "high": 0.5}}}
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(sweep))
    # Unbuffered, so Tune's "completed" lines reach the log as they happen: trial folders are no guide
    # (Tune writes them in one burst near the end, when most of the budget is already done).
    env = dict(os.environ, RAYSCORE_CACHE_DIR=str(tmp_path / "cache"), PYTHONUNBUFFERED="1")
    run = _Run(["tune", "drum_roles", "-c", "sweep.yaml"], tmp_path, env, tmp_path / "first.log")
    run.wait_for(f"{budget} trials")
    completed, end = 0, time.time() + 180  # Ctrl+C once a few trials have finished, most still to run
    while completed < 4 and time.time() < end and run.proc.poll() is None:
        time.sleep(0.1)
        completed = run.output().count(" completed after ")
    assert 4 <= completed < budget // 2, f"{completed} trials completed\n" + run.output()[-3000:]
    run.proc.send_signal(signal.SIGINT)
    code, rest = run.finish(timeout=180)
    assert code == 130 and "Traceback" not in rest and "Segmentation" not in rest, rest[-3000:]
    last = [line for line in rest.splitlines() if line.strip()][-1]
    done = int(last.split("stopped after ")[1].split(" of ")[0])
    assert 0 < done < budget and f"({budget - done} to go)" in last
    trials = pd.read_csv(tmp_path / "tune" / "counted" / "trials.csv")
    finished = trials[trials["status"] != "INTERRUPTED"]
    assert len(finished) == done and (finished["steps"] == 2).all()  # every counted trial ran both folds

    code, out = _Run(["tune", "drum_roles", "-c", "sweep.yaml", "--resume"], tmp_path, env,
                     tmp_path / "resume.log").finish(timeout=900)
    assert code == 0, out[-3000:]
    trials = pd.read_csv(tmp_path / "tune" / "counted" / "trials.csv")
    assert len(trials) == budget and set(trials["status"]) == {"OK"}
