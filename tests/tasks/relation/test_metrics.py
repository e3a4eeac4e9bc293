"""KLUE's micro-F1 and AUPRC against an independent computation (counting and a hand-made PR curve)."""

from __future__ import annotations

import numpy as np
import pytest

from rayscore.tasks.relation.labels import LABELS
from rayscore.tasks.relation.metrics import klue_auprc, klue_micro_f1


def _micro_f1_by_counting(gold, pred):
    tp = sum(g == p != "no_relation" for g, p in zip(gold, pred, strict=True))
    predicted = sum(p != "no_relation" for p in pred)
    actual = sum(g != "no_relation" for g in gold)
    precision, recall = tp / predicted, tp / actual
    return 100 * 2 * precision * recall / (precision + recall)


def _pr_area(target, score):
    """Trapezoids under the precision-recall points, threshold by threshold from the highest
    (KLUE: precision_recall_curve + auc), starting at recall 0, precision 1."""
    points = [(0.0, 1.0)]
    for t in sorted(set(score), reverse=True):
        hit = score >= t
        tp = float((hit & (target == 1)).sum())
        points.append((tp / target.sum(), tp / hit.sum()))
    return sum((r1 - r0) * (p0 + p1) / 2 for (r0, p0), (r1, p1) in zip(points, points[1:], strict=False))


def test_micro_f1_leaves_no_relation_out():
    rng = np.random.default_rng(0)
    gold = list(rng.choice(LABELS[:6], size=200, p=[0.5, 0.1, 0.1, 0.1, 0.1, 0.1]))
    pred = [g if rng.random() < 0.7 else str(rng.choice(LABELS[:6])) for g in gold]
    assert klue_micro_f1(gold, pred) == pytest.approx(_micro_f1_by_counting(gold, pred))
    assert klue_micro_f1(["no_relation"] * 3, ["no_relation"] * 3) == 0.0  # nothing to find, nothing found


def test_auprc_is_the_mean_area_under_each_relations_curve():
    rng = np.random.default_rng(1)
    classes = [0, 4, 6]
    gold_ids = rng.choice(classes, size=60)
    probs = rng.random((60, 30)) + 2.0 * np.eye(30)[gold_ids] * rng.random((60, 1))
    probs /= probs.sum(1, keepdims=True)
    gold = [LABELS[i] for i in gold_ids]
    expected = np.mean([_pr_area((gold_ids == c).astype(int), probs[:, c]) for c in classes]) * 100
    assert klue_auprc(gold, probs) == pytest.approx(expected, rel=1e-9)
    perfect = np.eye(30)[gold_ids]
    assert klue_auprc(gold, perfect) == pytest.approx(100.0)
