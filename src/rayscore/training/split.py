"""The validation share a neural fit holds out of its training rows."""

from __future__ import annotations

import numpy as np


def split_validation(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified train / validation indices (at least one validation row per class when the
    classes allow it); tiny sets validate on themselves."""
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(y))
    if len(y) < 10:
        return idx, idx
    counts = np.bincount(y)
    present = int((counts > 0).sum())
    n_val = max(int(round(fraction * len(y))), present)
    if counts[counts > 0].min() >= 2 and n_val <= len(y) - present:
        return tuple(train_test_split(idx, test_size=n_val, stratify=y, random_state=seed))
    return tuple(train_test_split(idx, test_size=fraction, random_state=seed))
