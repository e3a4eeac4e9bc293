"""Hold-out split and cross-validation folds (scikit-learn splitters)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from rayscore.config import ConfigError
from rayscore.tune.config import FoldsConfig, HoldoutConfig


def split_holdout(rows: pd.DataFrame, cfg: HoldoutConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sweep rows, held-out rows); whole groups are held out, never single rows of a group."""
    if cfg.groups:
        unknown = sorted(set(cfg.groups) - set(rows["group"].dropna()))
        if unknown:
            raise ConfigError(f"holdout.groups: unknown groups {unknown}")
        held = rows["group"].isin(cfg.groups)
    elif cfg.fraction > 0:
        groups = rows["group"].fillna("<no group>")
        sizes = groups.value_counts()
        order = np.random.default_rng(cfg.seed).permutation(sizes.index.to_numpy())
        chosen, total = [], 0
        for g in order:  # add whole groups until about `fraction` of the rows is held out
            if total >= cfg.fraction * len(rows):
                break
            chosen.append(g)
            total += sizes[g]
        if len(chosen) == len(sizes):
            raise ConfigError("holdout.fraction would hold out every group")
        held = groups.isin(chosen)
    else:
        return rows.reset_index(drop=True), rows.iloc[:0].reset_index(drop=True)
    return rows[~held].reset_index(drop=True), rows[held].reset_index(drop=True)


def make_folds(rows: pd.DataFrame, cfg: FoldsConfig) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train indices, validation indices) per fold, stratified by label (or the data's own split)."""
    if cfg.strategy == "split":
        if "split" not in rows:
            raise ConfigError("folds.strategy=split needs a 'split' column (train / test) in the data")
        split = rows["split"].astype(str).to_numpy()
        train, valid = np.flatnonzero(split == "train"), np.flatnonzero(split == "test")
        if not len(train) or not len(valid):
            raise ConfigError(f"folds.strategy=split: {len(train)} train and {len(valid)} test rows; need both")
        return [(train, valid)]
    y = rows["label"].astype(str).to_numpy()
    if cfg.strategy == "group":
        groups = rows["group"].fillna("<no group>").astype(str).to_numpy()
        n_groups = len(set(groups))
        if n_groups < cfg.k:
            raise ConfigError(f"folds.k={cfg.k} needs at least {cfg.k} groups; the data has {n_groups}")
        splitter = StratifiedGroupKFold(n_splits=cfg.k, shuffle=True, random_state=cfg.seed)
        splits = splitter.split(np.zeros(len(y)), y, groups)
    else:
        splitter = StratifiedKFold(n_splits=cfg.k, shuffle=True, random_state=cfg.seed)
        splits = splitter.split(np.zeros(len(y)), y)
    return [(np.asarray(tr), np.asarray(va)) for tr, va in splits]
