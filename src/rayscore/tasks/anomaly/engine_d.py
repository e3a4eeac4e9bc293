"""Engine D: domain-aligned distance ensemble (beside the seed's A, B and C).

Per asset (section), fitted on its normal clips:

1. features standardised by the asset's normals;
2. each domain's normals shifted to a common centre (the target domain's mean is
   shrunk towards the source's: a new site has only a few normals);
3. two distances of a clip to the aligned normals: to its nearest neighbours, and
   Mahalanobis under a Ledoit-Wolf covariance (the normals' spread, not just their
   positions);
4. each distance z-scored by the normals' own leave-one-out scores and averaged.

A clip's domain is not needed at scoring time (DCASE evaluation clips do not say
theirs): it is scored as if from each domain, and the lowest score counts.

Example:
    >>> sm, normal_scores = fit_d(x, domain, cfg, rng)     # doctest: +SKIP
    >>> sm.score(x_test)                                   # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np

DOMAINS = ("source", "target")


def _dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sqrt(np.maximum((a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2.0 * a @ b.T, 0.0))


def _raw(q: np.ndarray, bank: np.ndarray, precision: np.ndarray, k: int, exclude: np.ndarray | None = None
         ) -> np.ndarray:
    """(2, len(q)): mean distance to the k nearest bank rows, and the Mahalanobis norm."""
    d = _dist(q, bank)
    if exclude is not None:
        d[np.arange(len(q)), exclude] = np.inf
    knn = np.sort(d, axis=1)[:, : max(1, min(k, bank.shape[0] - (exclude is not None)))].mean(1)
    maha = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", q, precision, q), 0.0))
    return np.stack([knn, maha])


def fit_d(x: np.ndarray, domain: np.ndarray, cfg, rng: np.random.Generator):
    """A SectionModel for engine D and the known normals' (leave-one-out) scores."""
    from sklearn.covariance import LedoitWolf

    from rayscore.tasks.anomaly.engines import SectionModel

    e = cfg.engine_d
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = (x - mu) / sd
    has = [d for d in DOMAINS if (domain == d).any()]
    centre_s = z[domain == "source"].mean(0) if "source" in has else z.mean(0)
    means = {}
    for d in has:
        n = int((domain == d).sum())
        m = z[domain == d].mean(0)
        means[d] = (n * m + e.shrink * centre_s) / (n + e.shrink) if d == "target" else m
    aligned = z.copy()
    for d, m in means.items():
        aligned[domain == d] -= m
    precision = LedoitWolf().fit(aligned).precision_
    weights = np.array([e.knn_weight, 1.0 - e.knn_weight])
    arrays = {"mu": mu, "sd": sd, "bank": aligned, "precision": precision, "weights": weights}
    normal_scores = []
    for d, m in means.items():
        own = np.flatnonzero(domain == d)
        loo = _raw(aligned[own], aligned, precision, e.k, exclude=own)
        stats = np.stack([loo.mean(1), loo.std(1) + 1e-6], axis=1)  # (2 scorers, mean/std)
        arrays[f"{d}_centre"], arrays[f"{d}_stats"] = m, stats
        normal_scores.append(weights @ ((loo - stats[:, :1]) / stats[:, 1:]))
    sm = SectionModel("D", arrays, k=e.k, metric="euclidean")
    return sm, np.concatenate(normal_scores)


def score_d(a: dict[str, np.ndarray], k: int, x: np.ndarray) -> np.ndarray:
    z = (x - a["mu"]) / a["sd"]
    parts = []
    for d in DOMAINS:
        if f"{d}_centre" not in a:
            continue
        raw = _raw(z - a[f"{d}_centre"], a["bank"], a["precision"], k)
        stats = a[f"{d}_stats"]
        parts.append(a["weights"] @ ((raw - stats[:, :1]) / stats[:, 1:]))
    return np.min(np.stack(parts), axis=0)  # normal if it looks normal for either domain
