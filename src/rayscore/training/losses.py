"""Classification losses for imbalanced classes, one config for every neural task.

- ``ce`` / ``label_smoothing``: cross-entropy, optionally class-weighted and smoothed;
- ``focal``: ``alpha_y (1 - p_t)^gamma CE`` (Lin et al.), alpha from the class weights;
- logit adjustment (Menon et al.): ``tau * log prior`` added to the logits while training
  only, so the fitted model's plain logits are balanced at prediction time.

Class weights: ``inverse`` (N / (C n_c)), ``sqrt`` (its square root), ``effective``
(class-balanced, (1 - beta) / (1 - beta^n_c), Cui et al.), or ``none``; normalised to mean 1
over the classes present.

Example:
    >>> import numpy as np, torch
    >>> loss = make_loss(LossConfig(kind="focal", class_weight="effective"), np.array([90, 10]))
    >>> float(loss(torch.zeros(2, 2), torch.tensor([0, 1]), None)) > 0
    True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from rayscore.training.args import LossConfig


def class_weights(counts: np.ndarray, how: str, beta: float = 0.999, power: float = 1.0) -> np.ndarray:
    """One weight per class from training counts, raised to ``power``; absent classes get 1 (they are
    never drawn)."""
    counts = np.asarray(counts, np.float64)
    w = np.ones(len(counts))
    present = counts > 0
    if how == "none" or not present.any():
        return w
    n, c = counts[present].sum(), present.sum()
    if how == "inverse":
        w[present] = n / (c * counts[present])
    elif how == "sqrt":
        w[present] = np.sqrt(n / (c * counts[present]))
    elif how == "effective":
        w[present] = (1 - beta) / (1 - np.power(beta, counts[present]))
    else:
        raise ValueError(f"unknown class_weight '{how}' (none, inverse, sqrt, effective)")
    w[present] /= w[present].mean()
    return w ** power


def make_loss(cfg: LossConfig, counts: np.ndarray) -> Callable[[torch.Tensor, torch.Tensor, object], torch.Tensor]:
    """``loss(logits, y, rng)`` for the Trainer, from the config and the training rows' class counts."""
    counts = np.asarray(counts, np.float64)
    weight = torch.tensor(class_weights(counts, cfg.class_weight, cfg.cb_beta, cfg.class_weight_power),
                          dtype=torch.float32)
    prior = np.clip(counts / max(counts.sum(), 1.0), 1e-8, None)
    shift = torch.tensor(cfg.logit_adjust_tau * np.log(prior), dtype=torch.float32)
    weighted = cfg.class_weight != "none"

    def loss(logits: torch.Tensor, y: torch.Tensor, rng: object = None) -> torch.Tensor:
        logits = logits.float()
        if cfg.logit_adjust_tau:
            logits = logits + shift.to(logits.device)
        w = weight.to(logits.device) if weighted else None
        if cfg.kind == "focal":
            ce = F.cross_entropy(logits, y, reduction="none")
            p_t = torch.exp(-ce)
            alpha = w[y] if w is not None else 1.0
            return (alpha * (1 - p_t) ** cfg.focal_gamma * ce).mean()
        smoothing = cfg.label_smoothing if cfg.kind == "label_smoothing" else 0.0
        return F.cross_entropy(logits, y, weight=w, label_smoothing=smoothing)

    return loss
