"""The shared imbalance losses against their textbook definitions (computed independently here)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rayscore.training.args import LossConfig
from rayscore.training.losses import class_weights, make_loss


def test_class_weights_follow_their_formulas():
    counts = np.array([80, 20, 0])
    inv = class_weights(counts, "inverse")
    assert inv[2] == 1.0  # an absent class is never drawn
    raw = np.array([100 / (2 * 80), 100 / (2 * 20)])
    assert inv[:2] == pytest.approx(raw / raw.mean())
    assert class_weights(counts, "sqrt")[:2] == pytest.approx(np.sqrt(raw) / np.sqrt(raw).mean())
    eff = np.array([(1 - 0.9) / (1 - 0.9**80), (1 - 0.9) / (1 - 0.9**20)])
    assert class_weights(counts, "effective", beta=0.9)[:2] == pytest.approx(eff / eff.mean())
    assert (class_weights(counts, "none") == 1).all()


def test_focal_loss_is_the_definition_and_ce_at_gamma_zero():
    torch.manual_seed(0)
    logits, y = torch.randn(16, 4), torch.randint(0, 4, (16,))
    counts = np.array([10, 5, 3, 2])
    focal = make_loss(LossConfig(kind="focal", focal_gamma=2.0, class_weight="inverse"), counts)(logits, y)
    w = class_weights(counts, "inverse")
    p = torch.softmax(logits, -1)[torch.arange(16), y].numpy()
    expected = np.mean([w[c] * (1 - pt) ** 2 * -math.log(pt) for c, pt in zip(y.tolist(), p, strict=True)])
    assert float(focal) == pytest.approx(expected, rel=1e-5)
    plain = make_loss(LossConfig(kind="focal", focal_gamma=0.0), counts)(logits, y)
    assert float(plain) == pytest.approx(float(F.cross_entropy(logits, y)), rel=1e-6)


def test_label_smoothing_and_logit_adjustment():
    logits, y = torch.randn(8, 3), torch.randint(0, 3, (8,))
    counts = np.array([60, 30, 10])
    ls = make_loss(LossConfig(kind="label_smoothing", label_smoothing=0.2), counts)(logits, y)
    assert float(ls) == pytest.approx(float(F.cross_entropy(logits, y, label_smoothing=0.2)), rel=1e-6)
    adjusted = make_loss(LossConfig(kind="ce", logit_adjust_tau=1.0), counts)(logits, y)
    shifted = logits + torch.log(torch.tensor(counts / counts.sum(), dtype=torch.float32))
    assert float(adjusted) == pytest.approx(float(F.cross_entropy(shifted, y)), rel=1e-6)
