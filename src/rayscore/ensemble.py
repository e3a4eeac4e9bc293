"""Fold models registered as one ensemble: mean of probabilities, or of logits.

A sweep's K fold models (each fitted on its fold's training rows with the winning
config) are one registry version: their tensors side by side (``fold<i>::``), their
architecture arguments in ``model_args.json``. Batch scoring and serving load the
version as one model whose ``predict_proba`` combines the members'.

``mean_logits`` is the softmax of the members' mean log-probabilities: a member's
log-probabilities differ from its logits by a constant per row, so this equals the
softmax of the mean logits.

Example:
    >>> model = load(task, cfg, version)      # an EnsembleModel when the version is one  # doctest: +SKIP
    >>> model.predict_proba(rows, cfg)                                                     # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Combine = Literal["mean_proba", "mean_logits"]


@dataclass
class EnsembleModel:
    members: list[Any]
    combine: Combine = "mean_proba"

    def predict_proba(self, rows: Any, cfg: Any) -> np.ndarray:
        probs = np.stack([np.asarray(m.predict_proba(rows, cfg), dtype=np.float64) for m in self.members])
        if self.combine == "mean_proba":
            return probs.mean(axis=0).astype(np.float32)
        z = np.log(np.clip(probs, 1e-12, 1.0)).mean(axis=0)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return (z / z.sum(axis=1, keepdims=True)).astype(np.float32)


def tensors(task: Any, members: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, m in enumerate(members):
        out |= {f"fold{i}::{k}": v for k, v in task.model_tensors(m).items()}
    return out


def model_args(task: Any, members: list[Any], combine: Combine) -> dict[str, Any]:
    return {"ensemble": {"combine": combine, "members": [task.model_args(m) for m in members]}}


def load(task: Any, cfg: Any, version: Any) -> Any:
    """The registered model: an :class:`EnsembleModel` of its fold models, or the single model."""
    args = version.model_args() or {}
    tensors = version.tensors()
    if "ensemble" not in args:
        return task.load_model(cfg, tensors, args or None)
    spec = args["ensemble"]
    members = []
    for i, member_args in enumerate(spec["members"]):
        own = {k.removeprefix(f"fold{i}::"): v for k, v in tensors.items() if k.startswith(f"fold{i}::")}
        members.append(task.load_model(cfg, own, member_args or None))
    return EnsembleModel(members, spec["combine"])
