"""Stacking several models' probabilities: a logistic-regression meta-model fitted on their
out-of-fold predictions (a sweep's ``oof.parquet``), applied to their predictions on new rows
(``score``'s ``predictions.parquet``). The seed's ``ensemble.py``, for any classifier task.

Features per model: ``proba``, ``logproba`` or ``both``, standardised; the meta-model's C
is chosen by an inner stratified CV on macro-F1. The geometric mean of the models'
probabilities is computed beside it, as the alternative that needs no fitting.

Example:
    >>> result = stack(task, cfg, [oof_a, oof_b], [pred_a, pred_b], "runs/stack")   # doctest: +SKIP
    >>> result["cv_macro_f1"]                                                         # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from rayscore.config import ConfigError

Feature = Literal["proba", "logproba", "both"]


def _probs(frame: pd.DataFrame, labels: list[str], name: str) -> np.ndarray:
    cols = [f"p_{lab}" for lab in labels]
    missing = [c for c in cols if c not in frame]
    if missing:
        raise ConfigError(f"{name}: no probability column(s) {', '.join(missing[:3])} (a sweep's oof.parquet or "
                          "score's predictions.parquet has them)")
    p = frame[cols].to_numpy(np.float64)
    return p / np.clip(p.sum(axis=1, keepdims=True), 1e-12, None)


def features(probs: list[np.ndarray], mode: Feature) -> np.ndarray:
    parts = []
    for p in probs:
        if mode in ("proba", "both"):
            parts.append(p)
        if mode in ("logproba", "both"):
            parts.append(np.log(np.clip(p, 1e-6, 1.0)))
    return np.hstack(parts)


def geometric_mean(probs: list[np.ndarray]) -> np.ndarray:
    z = np.mean([np.log(np.clip(p, 1e-12, 1.0)) for p in probs], axis=0)
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


@dataclass
class _Given:
    """Probabilities computed already, as a model ``Task.predict`` can call."""

    probs: np.ndarray

    def predict_proba(self, rows: pd.DataFrame, cfg: Any) -> np.ndarray:
        return self.probs[rows.index.to_numpy()]


@dataclass
class Stacker:
    mode: Feature
    c: float
    mean: np.ndarray
    std: np.ndarray
    model: Any  # sklearn LogisticRegression

    def predict_proba(self, probs: list[np.ndarray], n_classes: int) -> np.ndarray:
        p = self.model.predict_proba((features(probs, self.mode) - self.mean) / self.std)
        out = np.zeros((len(p), n_classes))
        out[:, self.model.classes_] = p
        return out


def fit_stacker(probs: list[np.ndarray], y: np.ndarray, mode: Feature = "both", c_grid: tuple[float, ...] = (
        0.01, 0.03, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0), cv_k: int = 5, seed: int = 42) -> tuple[Stacker, dict[float, float]]:
    """The meta-model with the C of best inner-CV macro-F1, and every C's score."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    x = features(probs, mode)
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    xs = (x - mean) / std
    k = max(2, min(cv_k, int(np.bincount(y)[np.bincount(y) > 0].min())))
    folds = StratifiedKFold(k, shuffle=True, random_state=seed)
    scores = {}
    for c in c_grid:
        pred = cross_val_predict(LogisticRegression(C=c, max_iter=5000), xs, y, cv=folds)
        scores[c] = float(f1_score(y, pred, average="macro"))
    best = max(scores, key=lambda c: (scores[c], -c))  # ties: the stronger regularisation
    return Stacker(mode, best, mean, std, LogisticRegression(C=best, max_iter=5000).fit(xs, y)), scores


def _aligned(frames: list[pd.DataFrame], names: list[str]) -> list[pd.DataFrame]:
    """The frames restricted to the ids all of them have, in the first one's order."""
    ids = frames[0]["id"].astype(str)
    common = set(ids)
    for f in frames[1:]:
        common &= set(f["id"].astype(str))
    if not common:
        raise ConfigError(f"{', '.join(names)}: no row id is in all of them (stack predictions of the same rows)")
    order = [i for i in ids if i in common]
    return [f.assign(id=f["id"].astype(str)).drop_duplicates("id").set_index("id").loc[order].reset_index()
            for f in frames]


def stack(task: Any, cfg: Any, oof: list[Path], predictions: list[Path], out_dir: Path, mode: Feature = "both",
          cv_k: int = 5) -> dict[str, Any]:
    """Fit the meta-model on the ``oof`` files, apply it (and the geometric mean) to ``predictions``
    (one per model, same order); write predictions, the task's outputs and a summary."""
    from sklearn.metrics import f1_score

    from rayscore.tables import write_csv, write_parquet

    if len(oof) < 1 or len(oof) != len(predictions):
        raise ConfigError(f"give one --predictions per --oof, in the same order (got {len(oof)} and {len(predictions)})")
    labels = task.label_names(cfg)
    oofs = _aligned([pd.read_parquet(p) for p in oof], [str(p) for p in oof])
    y = oofs[0]["label"].map({lab: i for i, lab in enumerate(labels)})
    if y.isna().any():
        raise ConfigError(f"{oof[0]}: labels outside {task.name}'s classes")
    y = y.to_numpy(np.int64)
    oof_p = [_probs(f, labels, str(p)) for f, p in zip(oofs, oof, strict=True)]
    stacker, c_scores = fit_stacker(oof_p, y, mode, cv_k=cv_k)
    preds = _aligned([pd.read_parquet(p) for p in predictions], [str(p) for p in predictions])
    new_p = [_probs(f, labels, str(p)) for f, p in zip(preds, predictions, strict=True)]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {
        "mode": mode, "c": stacker.c, "cv_macro_f1": c_scores[stacker.c], "c_grid": {str(k): v for k, v in c_scores.items()},
        "oof_macro_f1": {str(p): float(f1_score(y, q.argmax(1), average="macro")) for p, q in zip(oof, oof_p, strict=True)},
        "oof_geomean_macro_f1": float(f1_score(y, geometric_mean(oof_p).argmax(1), average="macro")),
        "rows": len(preds[0]), "outputs": {}}
    base = preds[0].reset_index(drop=True)
    for name, p in (("stacked", stacker.predict_proba(new_p, len(labels))), ("geomean", geometric_mean(new_p))):
        frame = task.predict(_Given(p), cfg, base)  # the task's own prediction columns, from these probabilities
        folder = out_dir / name
        folder.mkdir(exist_ok=True)
        write_parquet(frame, folder / "predictions.parquet")
        write_csv(frame, folder / "predictions.csv")
        summary["outputs"][name] = {"predictions": str(folder / "predictions.parquet")} | {
            k: str(v) for k, v in task.finalize(frame, cfg, folder).items()}
    (out_dir / "stacking.json").write_text(json.dumps(summary, indent=2))
    return summary
