"""W5's transformer path end to end on a real local Ray, with a tiny randomly initialised RoBERTa:
a sweep (lr, marker style) with ASHA on epochs over stratified folds, the winner registered, scored
by Ray Data (tokenised in tasks, the model in an actor pool) and served as JSON by the same predictor."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import requests
import yaml
from typer.testing import CliRunner

from rayscore.cli import app
from tests.conftest import deploy
from tests.tasks.relation.layout import write_klue_files


@pytest.mark.slow
def test_sweep_register_score_and_serve_a_transformer(ray_local, serve_url, tiny_klue_roberta_dir, tmp_path,
                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    info = write_klue_files(tmp_path / "klue", n_train=64, n_dev=16)
    tiny = ["model.kind=transformer", f"model.transformer.model_id={tiny_klue_roberta_dir}",
            "model.transformer.max_length=48", "train.epochs=2", "train.batch_size=16"]
    sweep = {"task": "relation", "name": "rel", "overrides": tiny,
             "data": {"format": "klue", "input": str(tmp_path / "klue" / "klue-re-v1.1_train.json")},
             "folds": {"k": 2, "strategy": "stratified", "seed": 42},
             "search": {"num_samples": 2, "max_concurrent": 1, "seed": 0},
             "scheduler": {"type": "asha", "grace_period": 1, "reduction_factor": 2},
             "resources": {"cpu": 1, "gpu": 0}, "storage_path": str(tmp_path / "tune"),
             "space": {"train.lr": {"type": "loguniform", "low": 3e-4, "high": 3e-3},
                       "model.transformer.markers": {"type": "categorical", "choices": ["plain", "typed"]}}}
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(sweep))
    run = CliRunner().invoke
    res = run(app, ["tune", "relation", "--config", "sweep.yaml"])
    assert res.exit_code == 0, res.output
    trials = pd.read_csv(tmp_path / "tune" / "rel" / "trials.csv")
    assert len(trials) == 2 and trials["micro_f1"].notna().all() and trials["steps"].max() == 2

    res = run(app, ["train", "relation", "--sweep", "tune/rel", "--registry", "models"])
    assert res.exit_code == 0, res.output
    args = json.loads((tmp_path / "models" / "relation" / "v1" / "model_args.json").read_text())
    assert args["kind"] == "transformer" and args["vocab_size"] > 400  # the markers were added

    res = run(app, ["score", "relation", "-m", "relation:1", "--registry", "models", "--input",
                    "klue/klue-re-v1.1_dev.jsonl", "--output", "out"])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["rows_in"] == info["dev"] == summary["rows_ok"]
    preds = pd.read_parquet(tmp_path / "out" / "predictions.parquet").set_index("id")
    assert "_input_ids" not in preds and preds["prediction"].notna().all()

    deploy("relation_tf", "/relation_tf", {"registry": str(tmp_path / "models"), "auth_token_env": None,
                                           "tasks": {"relation": {"default_model": "1"}}})
    raw = json.loads((tmp_path / "klue" / "klue-re-v1.1_dev.jsonl").read_text().splitlines()[0])
    r = requests.post(f"{serve_url}/relation_tf/v1/relation/predict",
                      json={k: raw[k] for k in ("sentence", "subject_entity", "object_entity")}, timeout=120)
    assert r.status_code == 200, r.text
    row = preds.loc[raw["guid"]]
    assert r.json()["label"] == row["prediction"]
    assert r.json()["confidence"] == pytest.approx(row["confidence"], abs=1e-4)
