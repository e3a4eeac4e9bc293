"""Stacking: the meta-model learns which model to trust for which class (beats each model and
the geometric mean on out-of-fold predictions where each model knows half of the classes), and
`rayscore stack` writes predictions and the task's own outputs (a doc_type submission)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score
from typer.testing import CliRunner

from rayscore.cli import app
from rayscore.stacking import features, fit_stacker, geometric_mean
from rayscore.tasks.doc_type.classes import CLASSES


def _two_experts(n: int, seed: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Model A is right on classes 0-8 and guesses on the rest; model B the other way round."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(CLASSES), n)
    out = []
    for knows in (lambda c: c < 9, lambda c: c >= 9):
        p = rng.dirichlet(np.ones(len(CLASSES)), n)
        sure = np.array([knows(c) for c in y])
        p[sure] *= 0.2
        p[sure, y[sure]] += 0.8
        out.append(p / p.sum(axis=1, keepdims=True))
    return y, out


def test_meta_model_beats_each_model_and_the_geometric_mean():
    y, probs = _two_experts(600, 0)
    assert features(probs, "both").shape == (600, 4 * len(CLASSES))
    stacker, scores = fit_stacker(probs, y, "both", cv_k=3)
    assert scores[stacker.c] == max(scores.values())
    y_new, new = _two_experts(400, 1)
    stacked = f1_score(y_new, stacker.predict_proba(new, len(CLASSES)).argmax(1), average="macro")
    singles = [f1_score(y_new, p.argmax(1), average="macro") for p in new]
    geo = f1_score(y_new, geometric_mean(new).argmax(1), average="macro")
    assert stacked > max(singles) + 0.1 and stacked >= geo


def _frame(y: np.ndarray, p: np.ndarray, split: str) -> pd.DataFrame:
    ids = [f"{split}/{i:04d}.jpg" for i in range(len(y))]
    frame = pd.DataFrame({"id": ids, "label": [CLASSES[i] for i in y], "prediction": [CLASSES[i] for i in p.argmax(1)],
                          "confidence": p.max(1)} | {f"p_{c}": p[:, i] for i, c in enumerate(CLASSES)})
    if split == "test":  # as score writes them for a competition's test/ folder
        frame = frame.assign(split="test", image_id=[i.split("/")[1] for i in ids], order=np.arange(len(y)),
                             meta_classes="|".join(CLASSES))
    return frame


def test_stack_command_writes_predictions_and_a_submission(tmp_path):
    y, oof = _two_experts(300, 2)
    y_t, test = _two_experts(120, 3)
    args = ["stack", "doc_type", "--output", str(tmp_path / "out"), "--cv-k", "3"]
    for k in range(2):
        _frame(y, oof[k], "train").to_parquet(tmp_path / f"oof{k}.parquet")
        # the second model's rows come in another order: stacking aligns them by id
        _frame(y_t, test[k], "test").sample(frac=1.0, random_state=k).to_parquet(tmp_path / f"pred{k}.parquet")
        args += ["--oof", str(tmp_path / f"oof{k}.parquet"), "--predictions", str(tmp_path / f"pred{k}.parquet")]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "out" / "stacking.json").read_text())
    assert summary["cv_macro_f1"] > max(summary["oof_macro_f1"].values())
    stacked = pd.read_parquet(tmp_path / "out" / "stacked" / "predictions.parquet")
    assert len(stacked) == 120 and f1_score(stacked["label"], stacked["prediction"], average="macro") > 0.8
    sub = pd.read_csv(tmp_path / "out" / "stacked" / "submission.csv")
    assert list(sub.columns) == ["ID", "target"] and len(sub) == 120
    assert (pd.read_csv(tmp_path / "out" / "geomean" / "submission.csv")["ID"] == sub["ID"]).all()
    bad = CliRunner().invoke(app, ["stack", "doc_type", "--oof", str(tmp_path / "oof0.parquet"), "--predictions",
                                   str(tmp_path / "nope.parquet")])
    assert bad.exit_code == 2 and "no such file" in bad.output
