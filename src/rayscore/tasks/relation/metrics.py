"""KLUE-RE's official metrics, as KLUE's own evaluation code computes them.

- ``micro_f1``: micro-averaged F1 over every relation *except* ``no_relation``
  (scikit-learn's ``f1_score(average="micro", labels=...)``), x 100;
- ``auprc``: for each relation, the area under its precision-recall curve on one-hot
  targets (``precision_recall_curve`` + ``auc``), averaged over the relations, x 100.
  KLUE averages over all 30; a relation with no gold row has no curve, so here the
  average is over the relations present (equal to KLUE's on its dev set, where all are).

Example:
    >>> klue_micro_f1(["per:title", "no_relation"], ["per:title", "per:title"])
    66.66666666666666
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import auc, f1_score, precision_recall_curve

from rayscore.tasks.relation.labels import LABELS, NO_RELATION


def klue_micro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    relations = [lab for lab in LABELS if lab != NO_RELATION]
    return float(f1_score(list(gold), list(pred), average="micro", labels=relations, zero_division=0) * 100.0)


def klue_auprc(gold: Sequence[str], probs: np.ndarray) -> float:
    """``probs``: (rows, 30) in :data:`LABELS` order."""
    index = {lab: i for i, lab in enumerate(LABELS)}
    y = np.array([index[g] for g in gold])
    scores = []
    for c in range(len(LABELS)):
        target = (y == c).astype(int)
        if not target.any():
            continue
        precision, recall, _ = precision_recall_curve(target, probs[:, c])
        scores.append(auc(recall, precision))
    return float(np.mean(scores) * 100.0) if scores else float("nan")
