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
