"""Simple references fitted on the same rows and folds as a task's model.

A model that does not beat a one-line reference has not earned its complexity,
so every sweep summary, evaluation report and model card shows these beside it:

- ``majority``: always the most frequent training label;
- ``uniform`` / ``prior``: a label drawn at random, uniformly or by the training
  labels' frequencies (seeded; the seeds' "random" baselines);
- ``tfidf_lr``: character n-gram TF-IDF of the ``text`` column + logistic regression;
- ``logreg``: standardised logistic regression on the task's feature vectors;
- ``knn``: k nearest neighbours on the standardised feature vectors
  (anomaly tasks: distance to the section's nearest normal clips);
- ``knn_domain`` (anomaly): that distance z-scored by each domain's own normals
  (per-domain normalisation), the lower of the domains kept.

The feature vectors are the columns the task's encoders produce (scalars and
vectors flattened side by side), so a reference sees exactly what the model
sees. Fitted references are plain arrays (safetensors in the registry), never
pickles; :func:`load` rebuilds them.

Example:
    >>> refs = fit_references(task, cfg, train_rows)           # doctest: +SKIP
    >>> scores = compare(task, cfg, refs, test_rows)           # doctest: +SKIP
    >>> scores["majority"]["macro_f1"]                         # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from rayscore.config import StrictModel
from rayscore.textfeatures import logistic_regression, sublinear_tfidf
from rayscore.textfeatures import texts as text_column

ReferenceName = Literal["majority", "uniform", "prior", "tfidf_lr", "logreg", "knn", "knn_domain"]


class ReferencesConfig(StrictModel):
    """Which simple references are fitted beside the model, and how."""

    names: list[ReferenceName] = Field(
        default_factory=lambda: ["majority", "logreg", "knn"],
        description="References shown beside the model in sweeps, evaluations and model cards.",
    )
    knn_k: int = Field(5, ge=1, description="Neighbours of the knn references (anomaly: nearest normals).")
    c: float = Field(1.0, gt=0, description="Inverse regularisation of the logistic regressions.")
    ngram_max: int = Field(3, ge=1, le=6, description="tfidf_lr: character n-grams of 1..ngram_max.")
    text_column: str = Field("text", description="tfidf_lr: the column it reads (W5: the marked sentence).")
    hash_features: int = Field(2**16, ge=256, description="tfidf_lr: hashed n-gram dimensions.")
    folds: int = Field(5, ge=2, description="Cross-validation folds where no sweep supplies them.")
    seed: int = 0


# ---------------------------------------------------------------------------------- inputs

def feature_matrix(rows: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The columns side by side as one float matrix (vector cells flattened)."""
    parts = []
    for col in columns:
        values = rows[col].to_numpy()
        if len(values) and isinstance(values[0], (np.ndarray, list, tuple)):
            parts.append(np.stack([np.asarray(v, dtype=np.float64).reshape(-1) for v in values]))
        else:
            parts.append(np.asarray(values, dtype=np.float64)[:, None])
    x = np.concatenate(parts, axis=1) if parts else np.zeros((len(rows), 0))
    return np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)


def _standardize(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x.mean(axis=0), np.maximum(x.std(axis=0), 1e-9)


def _sqdist(x: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """Squared Euclidean distances, rows of ``x`` to rows of ``bank`` (no n x m x d temporary)."""
    d = (x**2).sum(1)[:, None] + (bank**2).sum(1)[None, :] - 2.0 * x @ bank.T
    return np.maximum(d, 0.0)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _hasher(cfg: ReferencesConfig):
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(analyzer="char_wb", ngram_range=(1, cfg.ngram_max), n_features=cfg.hash_features,
                             alternate_sign=False, norm=None)


def _tfidf(values: list[str], idf: np.ndarray, cfg: ReferencesConfig):
    return sublinear_tfidf(_hasher(cfg).transform(values), idf)


# ---------------------------------------------------------------------------------- fitted

@dataclass
class Reference:
    """A fitted reference: its name, the labels it knows and its arrays."""

    name: str
    kind: Literal["classification", "anomaly"]
    labels: list[str]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    cfg: ReferencesConfig = field(default_factory=ReferencesConfig)

    # -- classification ------------------------------------------------------------------
    def proba(self, rows: pd.DataFrame, columns: list[str]) -> np.ndarray:
        a, n = self.arrays, len(rows)
        if self.name == "uniform":
            return np.full((n, len(self.labels)), 1.0 / len(self.labels))
        if self.name in ("majority", "prior") or "coef" not in a and "bank" not in a:
            return np.repeat(a["prior"][None, :], n, axis=0)
        if self.name == "tfidf_lr":
            z = np.asarray(_tfidf(text_column(rows, self.cfg.text_column), a["idf"], self.cfg) @ a["coef"].T)
            z = z + a["intercept"]
            return self._spread(z)
        x = (feature_matrix(rows, columns) - a["mu"]) / a["sd"]
        if self.name == "logreg":
            return self._spread(x @ a["coef"].T + a["intercept"])
        d = _sqdist(x, a["bank"])  # knn
        k = min(self.cfg.knn_k, a["bank"].shape[0])
        nearest = np.argsort(d, axis=1)[:, :k]
        votes = np.zeros((n, len(self.labels)))
        for j in range(k):
            votes[np.arange(n), a["bank_y"][nearest[:, j]]] += 1.0
        return (votes + 1e-3 * a["prior"][None, :]) / (votes.sum(1, keepdims=True) + 1e-3)

    def _spread(self, z: np.ndarray) -> np.ndarray:
        """Logits over the classes seen in training -> probabilities over every label."""
        classes = self.arrays["classes"].astype(int)
        if z.shape[1] == 1 and len(classes) == 2:  # scikit-learn's binary form
            z = np.concatenate([-z / 2, z / 2], axis=1)
        out = np.zeros((z.shape[0], len(self.labels)))
        out[:, classes] = _softmax(z)
        return out

    # -- anomaly ---------------------------------------------------------------------------
    def anomaly_scores(self, rows: pd.DataFrame, columns: list[str]) -> np.ndarray:
        x = feature_matrix(rows, columns)
        groups = rows["group"].astype(str).to_numpy()
        out = np.full(len(rows), np.nan)
        for g in np.unique(groups):
            mine = groups == g
            per_domain = []
            for d in ("source", "target", "all"):
                key = f"{g}::{d}"
                if f"{key}::bank" not in self.arrays:
                    continue
                bank, (mu, sd) = self.arrays[f"{key}::bank"], self.arrays[f"{key}::stats"]
                xs = (x[mine] - self.arrays[f"{g}::mu"]) / self.arrays[f"{g}::sd"]
                dist = np.sqrt(_sqdist(xs, bank))
                k = min(self.cfg.knn_k, bank.shape[0])
                score = np.sort(dist, axis=1)[:, :k].mean(1)
                per_domain.append((score - mu) / sd)
            if per_domain:  # normal if close to the normals of either domain
                out[mine] = np.min(np.stack(per_domain), axis=0)
        return out

    def predict(self, rows: pd.DataFrame, columns: list[str], prediction_column: str) -> pd.DataFrame:
        """``rows`` with the task's prediction columns from this reference."""
        if self.kind == "anomaly":
            return rows.assign(**{prediction_column: self.anomaly_scores(rows, columns)})
        p = self.proba(rows, columns)
        top = p.argmax(1)
        if self.name in ("uniform", "prior"):  # drawn, not the argmax: what a random guesser scores
            rng = np.random.default_rng(self.cfg.seed)
            top = rng.choice(len(self.labels), size=len(rows), p=p[0] / p[0].sum()) if len(rows) else top
        cols = {prediction_column: [self.labels[i] for i in top], "confidence": p.max(1)}
        cols |= {f"p_{lab}": p[:, i] for i, lab in enumerate(self.labels)}
        return rows.assign(**cols)

    def tensors(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}{self.name}::{k}": np.asarray(v) for k, v in self.arrays.items()}


def _fit_classification(name: str, rows: pd.DataFrame, columns: list[str], labels: list[str],
                        cfg: ReferencesConfig) -> Reference:
    from sklearn.linear_model import LogisticRegression

    index = {lab: i for i, lab in enumerate(labels)}
    y = np.array([index[v] for v in rows["label"]])
    prior = np.bincount(y, minlength=len(labels)).astype(np.float64) + 1e-6
    arrays: dict[str, np.ndarray] = {"prior": prior / prior.sum()}
    classes = np.unique(y)
    if name in ("majority", "uniform", "prior") or len(classes) < 2:
        return Reference(name if name in ("uniform", "prior") else "majority", "classification", labels, arrays, cfg)
    if name == "tfidf_lr":
        from sklearn.feature_extraction.text import TfidfTransformer

        counts = _hasher(cfg).transform(text_column(rows, cfg.text_column))
        idf = TfidfTransformer(sublinear_tf=True).fit(counts).idf_.astype(np.float32)
        x = _tfidf(text_column(rows, cfg.text_column), idf, cfg)
        classes, coef, intercept = logistic_regression(x, y, cfg.c * 10, max_iter=2000)  # sparse: less shrinkage
        arrays |= {"idf": idf, "coef": coef.astype(np.float32), "intercept": intercept, "classes": classes}
        return Reference(name, "classification", labels, arrays, cfg)
    x = feature_matrix(rows, columns)
    mu, sd = _standardize(x)
    xs = (x - mu) / sd
    arrays |= {"mu": mu, "sd": sd}
    if name == "logreg":
        lr = LogisticRegression(C=cfg.c, max_iter=2000).fit(xs, y)
        arrays |= {"coef": lr.coef_, "intercept": lr.intercept_, "classes": lr.classes_}
    else:  # knn
        arrays |= {"bank": xs, "bank_y": y}
    return Reference(name, "classification", labels, arrays, cfg)


def _fit_anomaly(name: str, rows: pd.DataFrame, columns: list[str], cfg: ReferencesConfig) -> Reference:
    """Per section: standardise on its normals; bank per domain (knn_domain) or one bank (knn)."""
    normals = rows[rows["label"] == "normal"]
    if "split" in normals:
        normals = normals[normals["split"] == "train"]
    arrays: dict[str, np.ndarray] = {}
    for g, grows in normals.groupby("group"):
        x = feature_matrix(grows, columns)
        if len(x) < 2:
            continue
        mu, sd = _standardize(x)
        arrays |= {f"{g}::mu": mu, f"{g}::sd": sd}
        xs = (x - mu) / sd
        doms = grows["domain"].astype(str).to_numpy() if "domain" in grows else np.full(len(grows), "target")
        banks = {d: xs[doms == d] for d in ("source", "target")} if name == "knn_domain" else {"all": xs}
        for d, bank in banks.items():
            if len(bank) < 2 and name == "knn_domain":
                continue
            dist = np.sqrt(_sqdist(bank, bank))
            np.fill_diagonal(dist, np.inf)
            k = min(cfg.knn_k, len(bank) - 1) or 1
            loo = np.sort(dist, axis=1)[:, :k].mean(1)
            stats = (np.array([loo.mean(), max(loo.std(), 1e-6)]) if name == "knn_domain" and np.isfinite(loo).all()
                     else np.array([0.0, 1.0]))
            arrays |= {f"{g}::{d}::bank": bank, f"{g}::{d}::stats": stats}
    return Reference(name, "anomaly", ["normal", "anomaly"], arrays, cfg)


# ---------------------------------------------------------------------------------- API

def fit_references(task: Any, cfg: Any, rows: pd.DataFrame) -> list[Reference]:
    """The task's configured references, fitted on ``rows`` (the rows its model is fitted on)."""
    rcfg: ReferencesConfig = cfg.references
    columns = task.reference_columns(cfg)
    labels = task.label_names(cfg)
    if task.reference_kind == "anomaly":
        return [_fit_anomaly(n, rows, columns, rcfg) for n in rcfg.names if n in ("knn", "knn_domain")]
    usable = rows[rows["label"].isin(labels)]
    names = [n for n in rcfg.names if n != "knn_domain" and (n != "tfidf_lr" or rcfg.text_column in rows)]
    return [_fit_classification(n, usable, columns, labels, rcfg) for n in names]


def score_references(task: Any, cfg: Any, refs: list[Reference], rows: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each reference's metrics on ``rows`` (scalars only), judged as the task judges its model."""
    columns = task.reference_columns(cfg)
    out = {}
    for ref in refs:
        metrics = task.evaluate(ref.predict(rows, columns, task.prediction_column), cfg)
        out[ref.name] = {k: v for k, v in metrics.items() if isinstance(v, (int, float)) or v is None}
    return out


def cross_validate_references(task: Any, cfg: Any, rows: pd.DataFrame,
                              folds: list[tuple[np.ndarray, np.ndarray]], metric: str) -> dict[str, dict[str, Any]]:
    """Mean, spread and per-fold ``metric`` of each reference over the same folds as the model."""
    scores: dict[str, list[float]] = {}
    for train, valid in folds:
        fitted = fit_references(task, cfg, rows.iloc[train])
        for name, m in score_references(task, cfg, fitted, rows.iloc[valid]).items():
            if m.get(metric) is not None:
                scores.setdefault(name, []).append(float(m[metric]))
    return {name: {metric: float(np.mean(v)), f"{metric}_std": float(np.std(v)), "folds": v}
            for name, v in scores.items()}


def tensors(refs: list[Reference]) -> dict[str, np.ndarray]:
    """All references' arrays for one safetensors file (``ref::<name>::<array>``)."""
    out: dict[str, np.ndarray] = {}
    for ref in refs:
        out |= ref.tensors("ref::")
    return out


def load(task: Any, cfg: Any, arrays: dict[str, np.ndarray]) -> list[Reference]:
    """References back from :func:`tensors`' arrays."""
    grouped: dict[str, dict[str, np.ndarray]] = {}
    for key, value in arrays.items():
        if key.startswith("ref::"):
            _, name, rest = key.split("::", 2)
            grouped.setdefault(name, {})[rest] = value
    kind = task.reference_kind
    labels = task.label_names(cfg) if kind == "classification" else ["normal", "anomaly"]
    return [Reference(name, kind, labels, arrs, cfg.references) for name, arrs in grouped.items()]
