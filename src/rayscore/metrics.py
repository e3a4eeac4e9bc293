"""Metrics, computed with scikit-learn so their definitions are the standard ones.

Example:
    >>> m = classification_metrics(["a", "b", "b"], ["a", "b", "a"], ["a", "b"])
    >>> round(m["accuracy"], 3), round(m["macro_f1"], 3)
    (0.667, 0.667)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)


def classification_metrics(
    y_true: Sequence[Any], y_pred: Sequence[Any], labels: Sequence[str]
) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class P/R/F1 and the confusion matrix (rows: true, cols: predicted).

    Macro-F1 averages over the classes that occur in either ``y_true`` or
    ``y_pred`` (scikit-learn's default), so a class absent from a corpus and
    never predicted does not count as a zero.
    """
    y_true = np.asarray([str(v) for v in y_true], dtype=object)
    y_pred = np.asarray([str(v) for v in y_pred], dtype=object)
    labels = list(labels)
    if len(y_true) == 0:
        raise ValueError("no labelled rows to evaluate")
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    cm = confusion_matrix(y_true, y_pred, labels=labels)
    return {
        "n": int(len(y_true)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "per_class": {
            lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, lab in enumerate(labels)
        },
        "confusion_matrix": {"labels": labels, "matrix": cm.tolist()},
    }


def _auc(y: np.ndarray, s: np.ndarray, max_fpr: float | None = None) -> float | None:
    from sklearn.metrics import roc_auc_score

    if y.min() == y.max():  # one class only: undefined
        return None
    return float(roc_auc_score(y, s, max_fpr=max_fpr))


def _hmean(values: Sequence[float]) -> float | None:
    from scipy.stats import hmean

    vals = [v for v in values if v is not None]
    return float(hmean(np.maximum(vals, np.finfo(float).eps))) if vals else None


def _prf(y: np.ndarray, decided: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum(decided & y))
    prec = tp / max(float(decided.sum()), np.finfo(float).eps)
    rec = tp / max(float(y.sum()), np.finfo(float).eps)
    return prec, rec, 2 * prec * rec / max(prec + rec, np.finfo(float).eps)


def dcase_metrics(frame: Any, score: str = "score", alarm: str | None = "alarm", max_fpr: float = 0.1) -> dict[str, Any]:
    """DCASE Task 2 metrics, as its official evaluator computes them.

    Per machine type and section: AUC for each domain over that domain's normal
    clips and *all* anomalous clips of the section; pAUC over every clip of the
    section with ``max_fpr`` (scikit-learn's standardised partial AUC, which the
    evaluator uses); precision/recall/F1 of the alarm decisions per domain. The
    official score is the harmonic mean of every AUC (source and target) and
    pAUC over all sections.
    """
    df = frame[frame["label"].isin(["normal", "anomaly"])]
    sections = []
    for (machine, section), g in df.groupby(["machine_type", "section"], sort=True):
        y = (g["label"] == "anomaly").to_numpy()
        s = g[score].to_numpy(dtype=float)
        dom = g["domain"].to_numpy()
        row: dict[str, Any] = {"machine_type": machine, "section": section, "n": len(g),
                               "anomalies": int(y.sum())}
        for d in ("source", "target"):
            keep = (dom == d) | y
            row[f"auc_{d}"] = _auc(y[keep], s[keep]) if ((dom == d) & ~y).any() else None
            if alarm and alarm in g:
                decided = g[alarm].to_numpy(dtype=bool)
                in_d = dom == d
                p, r, f = _prf(y[in_d], decided[in_d])
                row |= {f"precision_{d}": p, f"recall_{d}": r, f"f1_{d}": f}
        row["pauc"] = _auc(y, s, max_fpr=max_fpr)
        sections.append(row)
    aucs_s = [r["auc_source"] for r in sections]
    aucs_t = [r["auc_target"] for r in sections]
    paucs = [r["pauc"] for r in sections]
    allv = [v for v in aucs_s + aucs_t + paucs if v is not None]
    machines = {}
    for m in sorted({r["machine_type"] for r in sections}):
        mine = [r for r in sections if r["machine_type"] == m]
        machines[m] = {
            "hmean": _hmean([r[k] for r in mine for k in ("auc_source", "auc_target", "pauc")]),
            "auc_source": float(np.mean([r["auc_source"] for r in mine if r["auc_source"] is not None] or [np.nan])),
            "auc_target": float(np.mean([r["auc_target"] for r in mine if r["auc_target"] is not None] or [np.nan])),
            "pauc": float(np.mean([r["pauc"] for r in mine if r["pauc"] is not None] or [np.nan])),
        }
    out: dict[str, Any] = {
        "hmean": _hmean(allv),
        "amean": float(np.mean(allv)) if allv else None,
        "auc_source_hmean": _hmean(aucs_s),
        "auc_target_hmean": _hmean(aucs_t),
        "pauc_hmean": _hmean(paucs),
        "n": len(df),
        "machines": machines,
        "sections": sections,
    }
    f1 = [r[k] for r in sections for k in ("f1_source", "f1_target") if k in r]
    if f1:
        out["f1_mean"] = float(np.mean(f1))
    return out
