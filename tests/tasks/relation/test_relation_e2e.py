"""W5 end to end on a real local Ray: KLUE-RE files (built by the tests, broken records included)
imported with the CLI, trained with the offline default, scored by Ray Data, evaluated as KLUE
(micro-F1, AUPRC, confusion matrix, error samples) beside the seed's baselines, and served as JSON."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import requests
from typer.testing import CliRunner

from rayscore.cli import app
from tests.conftest import deploy
from tests.tasks.relation.layout import write_klue_files


@pytest.mark.slow
def test_import_train_evaluate_score_and_serve(ray_local, serve_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    info = write_klue_files(tmp_path / "klue", n_train=96, n_dev=32)
    run = CliRunner().invoke
    res = run(app, ["import", "relation", "klue", "klue/klue-re-v1.1_train.json", "--out", "train.parquet"])
    assert res.exit_code == 0, res.output
    res = run(app, ["import", "relation", "klue", "klue/klue-re-v1.1_dev.jsonl", "--out", "dev.parquet"])
    assert res.exit_code == 0, res.output
    res = run(app, ["train", "relation", "--input", "train.parquet", "--registry", "models"])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "models" / "relation" / "v1" / "labels.json").read_text())["labels"][0] == "no_relation"

    res = run(app, ["evaluate", "relation", "-m", "relation:1", "--registry", "models", "--input", "dev.parquet",
                    "--output", "eval"])
    assert res.exit_code == 0, res.output
    metrics = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert metrics["rows"]["evaluated"] == info["dev"]
    assert {"micro_f1", "auprc", "accuracy", "macro_f1"} <= set(metrics)
    refs = metrics["references"]
    assert {"majority", "uniform", "prior", "tfidf_lr"} <= set(refs)
    assert metrics["micro_f1"] > max(refs["majority"], refs["uniform"], refs["prior"])
    for name in ("confusion_matrix.png", "error_samples.csv", "metrics_summary.json", "report.html"):
        assert (tmp_path / "eval" / name).is_file(), name

    res = run(app, ["score", "relation", "-m", "relation:1", "--registry", "models", "--input", "klue",
                    "--output", "out"])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    total = info["train"] + info["broken"] + info["dev"] + info["test"]
    assert summary["rows_in"] == total == summary["rows_ok"] + summary["rows_error"]
    assert summary["rows_error"] == info["broken"]
    preds = pd.read_parquet(tmp_path / "out" / "predictions.parquet").set_index("id")

    deploy("relation", "/relation", {"registry": str(tmp_path / "models"), "auth_token_env": None,
                                     "tasks": {"relation": {"default_model": "1"}}})
    url = f"{serve_url}/relation/v1/relation/predict"
    raw = json.loads((tmp_path / "klue" / "klue-re-v1.1_test.json").read_text())[0]
    body = {k: raw[k] for k in ("sentence", "subject_entity", "object_entity")}
    r = requests.post(url, json=body, timeout=60)
    assert r.status_code == 200, r.text
    answer = r.json()
    row = preds.loc[raw["guid"]]
    assert answer["label"] == row["prediction"] and answer["confidence"] == pytest.approx(row["confidence"], abs=1e-6)
    assert len(answer["probabilities"]) == 30
    wrong = dict(body, subject_entity=dict(body["subject_entity"], end_idx=body["subject_entity"]["end_idx"] + 1))
    r = requests.post(url, json=wrong, timeout=60)
    assert r.status_code == 422 and "not its word" in r.json()["detail"]
    r = requests.post(url, json=dict(body, object_entity={"word": "x"}), timeout=60)
    assert r.status_code == 422  # missing span fields: the schema says which
