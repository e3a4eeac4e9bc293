"""The learned role classifier beside the seed's rules ("ML-enhanced", seed 001).

A multinomial logistic regression on standardised descriptors (the rich ones of
:mod:`~rayscore.tasks.drum_roles.descriptors` and/or the nine rule features),
class-balanced because drum libraries hold many hats and few kicks. Its
probabilities are mixed into the rule probabilities before CLAP fusion and the
guards, so the seed's pipeline stays whole: ``p = (1 - w) p_rule + w p_learned``.
A linear model generalises across libraries better than the flexible ones we
tried (k-NN, boosted trees, an MLP), and it is a handful of arrays.

Example:
    >>> clf = RoleClassifier.fit(x, y, ClassifierConfig())     # doctest: +SKIP
    >>> clf.proba(x[:2]).shape                                  # doctest: +SKIP
    (2, 5)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rayscore.tasks.drum_roles.config import ClassifierConfig
from rayscore.tasks.drum_roles.types import ROLE_NAMES, DSPFeatures

#: The descriptor vector column of the ``descriptors`` encoder.
DESCRIPTORS = "desc"


def inputs(rows: pd.DataFrame | dict, cfg: ClassifierConfig) -> np.ndarray:
    """The classifier's input matrix from rows holding ``desc`` and/or the nine DSP features."""
    parts = []
    if cfg.features in ("descriptors", "both"):
        parts.append(np.stack([np.asarray(v, dtype=np.float64) for v in rows[DESCRIPTORS]]))
    if cfg.features in ("dsp", "both"):
        parts.append(np.stack([np.asarray(rows[name], dtype=np.float64) for name in DSPFeatures.names()], axis=1))
    return np.nan_to_num(np.concatenate(parts, axis=1))


@dataclass
class RoleClassifier:
    mu: np.ndarray
    sd: np.ndarray
    coef: np.ndarray  # (classes seen in training, features)
    intercept: np.ndarray
    classes: np.ndarray  # indices into ROLE_NAMES

    @classmethod
    def fit(cls, x: np.ndarray, labels: np.ndarray, cfg: ClassifierConfig) -> RoleClassifier:
        from sklearn.linear_model import LogisticRegression

        y = np.array([ROLE_NAMES.index(v) for v in labels])
        mu, sd = x.mean(0), np.maximum(x.std(0), 1e-9)
        lr = LogisticRegression(C=cfg.c, max_iter=5000,
                                class_weight="balanced" if cfg.class_weight == "balanced" else None)
        lr.fit((x - mu) / sd, y)
        coef, intercept = lr.coef_, lr.intercept_
        if coef.shape[0] == 1:  # two classes: scikit-learn keeps one row
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
        return cls(mu, sd, coef, intercept, lr.classes_.astype(np.int64))

    def proba(self, x: np.ndarray) -> np.ndarray:
        """(rows, 5) probabilities in ROLES order (0 for roles training never saw)."""
        z = ((x - self.mu) / self.sd) @ self.coef.T + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        out = np.zeros((len(x), len(ROLE_NAMES)))
        out[:, self.classes] = z / z.sum(axis=1, keepdims=True)
        return out

    def tensors(self) -> dict[str, np.ndarray]:
        return {f"classifier::{k}": np.asarray(getattr(self, k)) for k in ("mu", "sd", "coef", "intercept", "classes")}

    @classmethod
    def from_tensors(cls, tensors: dict[str, np.ndarray]) -> RoleClassifier | None:
        arrays = {k.removeprefix("classifier::"): v for k, v in tensors.items() if k.startswith("classifier::")}
        return cls(**arrays) if arrays else None
