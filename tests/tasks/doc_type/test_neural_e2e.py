"""W3's neural path end to end on a real local Ray, with a tiny randomly initialised ViT: a sweep
with ASHA on epochs over stratified folds (checkpoints every epoch, out-of-fold predictions), the
winner's fold models registered as one ensemble, scored by Ray Data with TTA and two-stage routing
into a submission, and served over HTTP by the same predictor."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from rayscore.cli import app
from rayscore.registry import ModelRegistry
from rayscore.serving.predictor import TaskPredictor
from rayscore.tasks import get_task
from tests.conftest import deploy
from tests.tasks.doc_type.layout import serve_and_post, write_layout

TINY_VIT = ["model.kind=neural", "model.neural.backbone.name=vit_tiny_patch16_224",
            "model.neural.backbone.input_size=32", "model.neural.backbone.drop_path_rate=0.0",
            "model.neural.backbone.model_kwargs={depth: 1, embed_dim: 32, num_heads: 2, patch_size: 8}",
            "ocr.enabled=false", "train.epochs=2", "train.batch_size=8", "model.neural.tta=flip"]


@pytest.mark.slow
def test_vit_sweep_ensemble_routed_scoring_and_serving(ray_local, serve_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    info = write_layout(tmp_path / "comp", per_class=6, n_test=6)
    sweep = {"task": "doc_type", "name": "vit", "overrides": TINY_VIT,
             "data": {"format": "competition", "input": str(tmp_path / "comp")},
             "folds": {"k": 2, "strategy": "stratified", "seed": 42},
             "search": {"num_samples": 2, "max_concurrent": 1, "seed": 0},
             "scheduler": {"type": "asha", "grace_period": 1, "reduction_factor": 2},
             "resources": {"cpu": 1, "gpu": 0}, "storage_path": str(tmp_path / "tune"),
             "space": {"train.lr": {"type": "loguniform", "low": 1e-4, "high": 3e-3},
                       "model.neural.loss.kind": {"type": "categorical", "choices": ["focal", "label_smoothing"]}}}
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(sweep))
    run = CliRunner().invoke
    res = run(app, ["tune", "doc_type", "--config", "sweep.yaml"])
    assert res.exit_code == 0, res.output
    trials = pd.read_csv(tmp_path / "tune" / "vit" / "trials.csv")
    assert len(trials) == 2 and trials["macro_f1"].notna().all()
    assert trials["steps"].max() == 2  # a step per epoch; ASHA may stop others earlier
    oof = pd.read_parquet(tmp_path / "tune" / "vit" / "oof.parquet")
    assert len(oof) == 18 and set(oof["fold"]) == {0, 1}

    res = run(app, ["train", "doc_type", "--sweep", "tune/vit", "--ensemble", "mean_logits", "--registry", "models"])
    assert res.exit_code == 0, res.output
    args = json.loads((tmp_path / "models" / "doc_type" / "v1" / "model_args.json").read_text())
    members = args["ensemble"]["members"]
    assert len(members) == 2 and all(m["kind"] == "neural" for m in members)
    assert members[0]["data_config"]["input_size"] == [3, 32, 32]

    res = run(app, ["score", "doc_type", "-m", "doc_type:1", "--registry", "models", "--input", "comp",
                    "--output", "out", "--set", "model.neural.route.enabled=true", "--set",
                    "model.neural.route.gate=1.0"])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["rows_in"] == summary["rows_ok"] + summary["rows_error"] and summary["rows_error"] >= 3
    preds = pd.read_parquet(tmp_path / "out" / "predictions.parquet")
    assert preds["routed"].eq(1.0).all() and "_pixels" not in preds and "_pixels_restored" not in preds
    sub = pd.read_csv(tmp_path / "out" / "submission.csv")
    assert list(sub["ID"]) == info["order"] and sub["target"].between(0, 16).all()

    _, body = serve_and_post(deploy, serve_url, tmp_path / "models", "docs_neural",
                             tmp_path / "comp" / "test" / "te001.jpg")
    assert body["routed"] is False  # served with the version's own config: routing off
    # ... and exactly what the batch predictor answers with that config, in this process
    task = get_task("doc_type")
    version = ModelRegistry(tmp_path / "models").resolve("doc_type:1")
    image = (tmp_path / "comp" / "test" / "te001.jpg").read_bytes()
    here = TaskPredictor(task, task.load_config(version.config_path), version).predict(
        [{"id": "te001", "media": image}])[0]
    assert here["ok"] and here["body"]["class_name"] == body["class_name"]
    for name, p in here["body"]["probabilities"].items():
        assert body["probabilities"][name] == pytest.approx(p, abs=1e-4)
