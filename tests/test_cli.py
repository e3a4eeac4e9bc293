"""The CLI as a user runs it: import, score, evaluate, config errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rayscore.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_tasks_and_config():
    assert "drum_roles" in run("tasks").output
    out = run("config", "drum_roles", "--set", "fusion.alpha=0.7").output
    assert "alpha: 0.7" in out


def test_bad_config_key_exits_2_and_names_it():
    res = run("config", "drum_roles", "--set", "guards.texture_supress.multiply=0.5")
    assert res.exit_code == 2
    assert "unknown key 'guards.texture_supress'" in res.output
    assert "did you mean 'texture_suppress'" in res.output


def test_unknown_task_and_format(tmp_path):
    res = run("score", "drumz", "--input", tmp_path, "--output", tmp_path / "o")
    assert res.exit_code == 2 and "valid tasks: anomaly, doc_type, drum_roles, relation, urgency" in res.output
    res = run("import", "drum_roles", "midi", tmp_path, "--out", tmp_path / "m.parquet")
    assert res.exit_code == 2 and "valid formats: folder, hydrogen" in res.output


@pytest.mark.slow
def test_generate_import_score_evaluate(ray_local, tmp_path):
    res = run("generate", "drum_roles", "--out", tmp_path / "drums", "--n", 15, "--seed", 2)
    assert res.exit_code == 0 and "wrote 15 items" in res.output
    res = run("import", "drum_roles", "folder", tmp_path / "drums", "--out", tmp_path / "m.parquet")
    # the generator's own manifest.parquet sits in the folder: a row, skipped with its reason
    assert "16 rows, 15 labelled" in res.output
    res = run("score", "drum_roles", "--input", tmp_path / "m.parquet", "--output", tmp_path / "scored",
              "--set", "fusion.alpha=1.0")
    assert res.exit_code == 0, res.output
    assert "rows in 16 = scored 15 + errored 1 (1 skipped)" in res.output
    assert (tmp_path / "scored" / "role_pools.json").is_file()
    res = run("evaluate", "drum_roles", "--input", tmp_path / "m.parquet", "--output", tmp_path / "ev",
              "--set", "fusion.alpha=1.0")
    assert res.exit_code == 0 and "macro-F1" in res.output
    metrics = json.loads((tmp_path / "ev" / "metrics.json").read_text())
    assert metrics["n"] == 15 and 0.0 <= metrics["macro_f1"] <= 1.0
    listing = run("runs", tmp_path).output
    assert "16 rows = 15 ok + 1 errors" in listing and "macro-F1" in listing and "scored" in listing


def test_tune_config_must_match_the_task(tmp_path):
    sweep = tmp_path / "s.yaml"
    sweep.write_text("task: drum_roles\nname: x\ndata: {input: m.parquet}\n"
                     "space: {fusion.alpha: {type: uniform, low: 0.5, high: 1.0}}\n")
    res = run("tune", "urgency", "--config", sweep)
    assert res.exit_code == 2 and "is a sweep of 'drum_roles', not 'urgency'" in res.output
    res = run("tune", "drum_roles", "--config", sweep, "--set", "space.x=1")
    assert res.exit_code == 2 and "'space.x'" in res.output


def test_missing_clap_weights_is_a_clear_error(tmp_path):
    res = run("score", "drum_roles", "--input", tmp_path, "--output", tmp_path / "o",
              "--set", "clap.model_id=/nowhere/clap")
    assert res.exit_code == 2
    assert "fusion.alpha=1.0" in res.output
