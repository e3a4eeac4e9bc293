"""W3 end to end on a real local Ray: the competition folder (built by the tests) imported with
the CLI, trained, scored into a submission, and served over HTTP with the same predictor."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import requests
from typer.testing import CliRunner

from rayscore.cli import app
from tests.conftest import deploy
from tests.tasks.doc_type.layout import QUICK_TRAINING, jpeg, page, serve_and_post, write_layout


@pytest.mark.slow
def test_import_train_score_submit_and_serve(ray_local, serve_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    info = write_layout(tmp_path / "comp", per_class=5, n_test=6)
    run = CliRunner().invoke
    res = run(app, ["import", "doc_type", "competition", str(tmp_path / "comp"), "--out", "m.parquet"])
    assert res.exit_code == 0, res.output
    res = run(app, ["train", "doc_type", "--input", "m.parquet", "--registry", "models",
                    *(x for o in QUICK_TRAINING for x in ("--set", o))])
    assert res.exit_code == 0, res.output
    # the card's CV of the model is the fit's own calibration folds, the references judged on the same
    beside = json.loads((tmp_path / "models" / "doc_type" / "v1" / "metrics.json").read_text())["beside_references"]
    assert "calibrate itself" in beside["protocol"] and 0 <= beside["model"] <= 1 and "tfidf_lr" in beside
    res = run(app, ["score", "doc_type", "-m", "doc_type:1", "--registry", "models", "--input", "m.parquet",
                    "--output", "out"])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    manifest = pd.read_parquet("m.parquet")
    assert summary["rows_in"] == len(manifest) == summary["rows_ok"] + summary["rows_error"]
    sub = pd.read_csv(tmp_path / "out" / "submission.csv")
    assert list(sub["ID"]) == info["order"] and sub["target"].between(0, 16).all()
    preds = pd.read_parquet(tmp_path / "out" / "predictions.parquet").set_index("id")
    # the model's inputs are not outputs; the references' thumbnail is (evaluate judges them)
    assert "emb_page" not in preds and "emb_vision" not in preds and "emb_thumb" in preds
    # the hand-drawn test pages are easy: dashboards, passports and diagnoses apart
    clean = preds[preds["split"].eq("test") & preds["prediction"].notna()]
    truth = {i: ("diagnosis", "car_dashboard", "passport")[k % 3] for k, i in enumerate(sorted(clean.index))}
    assert len(clean) == 6 and sum(clean.loc[i, "prediction"] == truth[i] for i in clean.index) >= 4

    # --split test: only test/ is read (no OCR of the training pages again), the same submission
    res = run(app, ["score", "doc_type", "-m", "doc_type:1", "--registry", "models", "--input", "m.parquet",
                    "--output", "out_test", "--split", "test"])
    assert res.exit_code == 0, res.output
    only = json.loads((tmp_path / "out_test" / "summary.json").read_text())
    assert only["rows_in"] == int((manifest["split"] == "test").sum()) == only["rows_ok"] + only["rows_error"]
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "out_test" / "submission.csv"), sub)
    res = run(app, ["score", "doc_type", "-m", "doc_type:1", "--registry", "models", "--input", "m.parquet",
                    "--output", "out_x", "--split", "valid"])
    assert res.exit_code == 2 and "no rows in that split (the manifest has: test, train)" in res.output

    url, body = serve_and_post(deploy, serve_url, tmp_path / "models", "docs",
                               tmp_path / "comp" / "test" / "te001.jpg")
    row = preds.loc["test/te001.jpg"]
    assert body["class_name"] == row["prediction"] and body["target"] == int(row["target"])
    assert body["probabilities"][body["class_name"]] == pytest.approx(row["confidence"], abs=1e-5)
    broken = requests.post(url, files={"file": ("d.jpg", jpeg(page(4, 1))[:300], "image/jpeg")}, timeout=60)
    assert broken.status_code == 422 and "image" in broken.json()["detail"]
    pdf = requests.post(url, files={"file": ("d.jpg", b"%PDF-1.4 nope", "image/jpeg")}, timeout=60)
    assert pdf.status_code == 415 and "not an image" in pdf.json()["detail"]
