"""Fitting and scoring an anomaly model: one engine-backed scorer per asset (section).

Example:
    >>> model = fit_model(cfg, train_rows)              # rows with embeddings; normals are used
    >>> score_row(model, cfg, test_rows.iloc[0].to_dict())  # doctest: +SKIP
    {'score': 0.31, 'threshold': 0.52, 'alarm': False, 'engine': 'B'}
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rayscore.config import ConfigError
from rayscore.errors import RowError
from rayscore.tasks.anomaly.config import AnomalyConfig
from rayscore.tasks.anomaly.engine_d import fit_d
from rayscore.tasks.anomaly.engines import (
    ENGINES,
    SectionModel,
    choose_engine,
    fit_a,
    fit_b,
    fit_c,
    meta_train,
    standardizer,
    threshold_from,
)

METRICS = ("cosine", "euclidean")


def embedding_column(encoder: str) -> str:
    return f"emb_{encoder}"


@dataclass
class AnomalyModel:
    sections: dict[str, SectionModel] = field(default_factory=dict)  # "fan/00" -> scorer
    notes: dict[str, str] = field(default_factory=dict)  # why an asset has no scorer, or which engine and why

    def tensors(self) -> dict[str, np.ndarray]:
        """Flat arrays for safetensors: ``<asset>::<name>``."""
        out = {}
        for key, sm in self.sections.items():
            out[f"{key}::engine"] = np.array([ENGINES.index(sm.engine)], dtype=np.int8)
            out[f"{key}::k"] = np.array([sm.k], dtype=np.int32)
            out[f"{key}::metric"] = np.array([METRICS.index(sm.metric)], dtype=np.int8)
            out[f"{key}::threshold"] = np.array([sm.threshold], dtype=np.float64)
            out |= {f"{key}::{name}": np.asarray(arr) for name, arr in sm.arrays.items()}
        return out

    @classmethod
    def from_tensors(cls, tensors: dict[str, np.ndarray]) -> AnomalyModel:
        grouped: dict[str, dict[str, np.ndarray]] = {}
        for name, arr in tensors.items():
            key, _, field_name = name.rpartition("::")
            grouped.setdefault(key, {})[field_name] = arr
        sections = {}
        for key, g in grouped.items():
            meta = {n: g.pop(n) for n in ("engine", "k", "metric", "threshold")}
            sections[key] = SectionModel(
                engine=ENGINES[int(meta["engine"][0])], arrays=g, k=int(meta["k"][0]),
                metric=METRICS[int(meta["metric"][0])], threshold=float(meta["threshold"][0]),
            )
        return cls(sections)


def _stack(col: pd.Series) -> np.ndarray:
    return np.stack([np.asarray(v, dtype=np.float64) for v in col])


class AnomalyFitError(ConfigError):
    """Nothing to fit a scorer on: a data problem the user must fix (one line, exit 2), not a crash."""


def _column(rows: pd.DataFrame, name: str, default: object = None) -> pd.Series:
    """A metadata column, or ``default`` on the same index when the manifest has none."""
    if name in rows:
        return rows[name].astype(object).where(rows[name].notna(), default)
    return pd.Series([default] * len(rows), index=rows.index, dtype=object)


def fit_model(cfg: AnomalyConfig, rows: pd.DataFrame) -> AnomalyModel:
    """Fit every asset's scorer on its normal clips (``label == 'normal'``).

    An engine that cannot work with what an asset has (C without other sections or
    conditions to learn from) falls back to B (source normals) or A, and the model's
    notes say so: an asset with two or more normals always gets a scorer.
    """
    normals = rows[rows["label"] == "normal"]
    model = AnomalyModel()
    for machine, mrows in normals.groupby("machine_type", sort=True):
        mcfg = cfg.for_machine(machine)
        x_all = _stack(mrows[embedding_column(mcfg.encoder.name)])
        domain_all = _column(mrows, "domain", "target").to_numpy()
        condition = _column(mrows, "condition")
        coverage = float(condition.notna().mean())
        task_of = (mrows["section"].astype(str) + "|" + condition.fillna(_column(mrows, "domain", "target"))
                   .astype(str)).to_numpy()
        tasks = {t: x_all[task_of == t] for t in sorted(set(task_of))}
        sections = mrows["section"].astype(str).to_numpy()
        meta = None  # engine C's network: meta-trained once per machine type, adapted per section
        for section in sorted(set(sections)):
            key = f"{machine}/{section}"
            mine = sections == section
            x, domain = x_all[mine], domain_all[mine]
            if len(x) < 2:
                model.notes[key] = "no scorer: needs at least 2 normal clips"
                continue
            n_source = int((domain == "source").sum())
            engine = choose_engine(mcfg, n_source, coverage, len(tasks))
            note = ""
            others = x_all[~mine]
            if engine == "C" and (sum(len(v) >= 2 for v in tasks.values()) < 2 or not len(others)):
                engine = "B" if n_source else "A"
                note = (f"; engine C needs other sections of {machine} to learn from (this package has "
                        f"{len(set(sections))}), so engine {engine}")
            rng = np.random.default_rng(zlib.crc32(key.encode()))
            if engine == "C":
                if meta is None:
                    mu, sd = standardizer(tasks)
                    meta = (meta_train(tasks, mu, sd, mcfg.engine_c), mu, sd)
                sm, normal_scores = fit_c(x, others, meta[0], meta[1], meta[2], mcfg, rng, domain)
            elif engine == "B":
                sm, normal_scores = fit_b(x, domain, mcfg, rng)
            elif engine == "D":
                sm, normal_scores = fit_d(x, domain, mcfg, rng)
            else:
                sm, normal_scores = fit_a(x, domain, mcfg, rng)
            normal_scores = np.asarray(normal_scores, dtype=float)
            normal_scores = normal_scores[np.isfinite(normal_scores)]
            sm.threshold = threshold_from(normal_scores, mcfg.threshold) if len(normal_scores) else float("inf")
            model.sections[key] = sm
            model.notes[key] = f"engine {engine} on {len(x)} normal clips ({n_source} source){note}"
    if not model.sections:
        why = "; ".join(f"{k}: {v}" for k, v in model.notes.items()) or "no normal clips with features"
        raise AnomalyFitError(f"no asset could be fitted ({why})")
    return model


def score_row(model: AnomalyModel, cfg: AnomalyConfig, row: dict) -> dict:
    """Score one encoded clip with its asset's scorer."""
    key = row.get("group")
    sm = model.sections.get(key) if key else None
    if sm is None:
        known = ", ".join(sorted(model.sections)) or "none"
        why = model.notes.get(key or "", "not in the training data")
        raise RowError(f"unknown asset '{key}' ({why}); this model scores: {known}", stage="lookup", kind="not_found")
    machine = key.split("/", 1)[0]
    x = np.asarray(row[embedding_column(cfg.for_machine(machine).encoder.name)], dtype=np.float64)
    score = float(sm.score(x[None, :])[0])
    return {"score": score, "threshold": sm.threshold, "alarm": bool(score > sm.threshold), "engine": sm.engine}
