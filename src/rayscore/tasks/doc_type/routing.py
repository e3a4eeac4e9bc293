"""Two-stage inference (the seed's routing): stage 1 scores every row (fold ensemble + TTA);
rows it is unsure of are scored again on a restored copy of their image (deskew, denoise,
contrast) and the two are blended (``blend`` 1: stage 2 only, 0: stage 1 kept).

Confidence per row, by ``mode``: ``entropy`` 1 - H(p) / log C; ``margin`` top-1 minus
top-2; ``pred`` top-1; ``sum`` the mean of the three. A row is routed when its
confidence is below ``gate`` (and, when ``classes`` is set, its stage-1 class is one of
them); ``limit`` keeps only the least confident of each batch.

Example:
    >>> import numpy as np
    >>> from rayscore.tasks.doc_type.config import RouteConfig
    >>> route_mask(np.array([[0.9, 0.1], [0.55, 0.45]]), RouteConfig(enabled=True, gate=0.6)).tolist()
    [False, True]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rayscore.tasks.doc_type.classes import CLASSES
from rayscore.tasks.doc_type.config import RouteConfig
from rayscore.tasks.doc_type.neural import load_pixels
from rayscore.tasks.doc_type.pixels import PIXELS_COL, RESTORED_COL, restore, to_pixels


def confidence(p: np.ndarray, mode: str) -> np.ndarray:
    top = np.sort(p, axis=1)[:, ::-1]
    pred, margin = top[:, 0], top[:, 0] - top[:, 1]
    ent = 1.0 - (-(p * np.log(np.clip(p, 1e-12, 1))).sum(axis=1)) / np.log(p.shape[1])
    return {"pred": pred, "margin": margin, "entropy": ent, "sum": (pred + margin + ent) / 3}[mode]


def route_mask(p: np.ndarray, r: RouteConfig) -> np.ndarray:
    conf = confidence(p, r.mode)
    mask = conf < r.gate
    if r.classes:
        wanted = [CLASSES.index(c) if c in CLASSES else int(c) for c in r.classes]
        mask &= np.isin(p.argmax(axis=1), wanted)
    if r.limit is not None and mask.sum() > r.limit:
        keep = np.argsort(np.where(mask, conf, np.inf))[: r.limit]
        mask = np.zeros_like(mask)
        mask[keep] = True
    return mask


def _data_config(model: Any):
    members = getattr(model, "members", None)
    return (members[0] if members else model).dc


def restored_pixels(rows: pd.DataFrame, model: Any, preset: str) -> list[np.ndarray]:
    """Restored copies of ``rows``' images at the model's input size (rows without the decode
    stage's column: tuning folds, evaluation of cached rows)."""
    from rayscore.media.image import load_image

    dc = _data_config(model)
    return [to_pixels(restore(load_image(str(p)), preset), tuple(dc.input_size[1:]), dc.interpolation).ravel()
            for p in rows["path"]]


def predict_routed(model: Any, rows: pd.DataFrame, cfg: Any) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, routed mask) of ``model`` (one model or a fold ensemble) on ``rows``."""
    r = cfg.model.neural.route
    if PIXELS_COL not in rows and len(rows):  # decode once for both stages
        rows = rows.assign(**{PIXELS_COL: list(load_pixels(rows, _data_config(model)).reshape(len(rows), -1))})
    p1 = model.predict_proba(rows, cfg)
    routed = np.zeros(len(rows), bool)
    if not r.enabled or not len(rows):
        return p1, routed
    routed = route_mask(p1, r)
    if routed.any():
        sub = rows[routed]
        again = list(sub[RESTORED_COL]) if RESTORED_COL in sub else restored_pixels(sub, model, r.preset)
        p2 = model.predict_proba(sub.assign(**{PIXELS_COL: again}), cfg)
        p1 = p1.copy()
        p1[routed] = (1 - r.blend) * p1[routed] + r.blend * p2
    return p1, routed
