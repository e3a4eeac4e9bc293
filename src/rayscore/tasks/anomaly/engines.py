"""The three ALP engines (seed 003): each turns a section's normal embeddings into a scorer.

- A, few-shot: distance to a handful of normal embeddings (k nearest).
- B, memory banks: source and target normal banks, the few target normals
  enriched by MemMixup, each bank's distances z-scored by its own spread
  (domain normalisation) so a site with a different level scale is comparable.
- C, meta-learning: a small embedding network trained with Reptile over the
  machine's sections and operating conditions (tasks), so that a prototype of
  k normal clips separates a new section's normals from everything else.

A score is higher for more anomalous clips. Every engine's state is plain
numpy arrays (saved as safetensors), and scoring needs no torch.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import norm

from rayscore.tasks.anomaly.config import AnomalyConfig, EngineC, ThresholdConfig

ENGINES = ("A", "B", "C", "D")


def pairwise(x: np.ndarray, bank: np.ndarray, metric: str) -> np.ndarray:
    if metric == "cosine":
        xn = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        bn = bank / np.maximum(np.linalg.norm(bank, axis=1, keepdims=True), 1e-12)
        return 1.0 - xn @ bn.T
    d2 = (x**2).sum(1)[:, None] + (bank**2).sum(1)[None, :] - 2 * x @ bank.T
    return np.sqrt(np.maximum(d2, 0.0))


def knn_distance(x: np.ndarray, bank: np.ndarray, k: int, metric: str, leave_one_out: bool = False) -> np.ndarray:
    """Mean distance to the k nearest bank items (excluding the item itself when x is the bank)."""
    d = pairwise(x, bank, metric)
    if leave_one_out:
        np.fill_diagonal(d, np.inf)
    k = max(1, min(k, d.shape[1] - (1 if leave_one_out else 0)))
    return np.sort(d, axis=1)[:, :k].mean(axis=1)


def threshold_from(normal_scores: np.ndarray, cfg: ThresholdConfig) -> float:
    """Alarm threshold from the scores of known-normal clips and the operating policy."""
    s = np.asarray(normal_scores, dtype=float)
    if cfg.policy == "quantile":
        return float(np.quantile(s, 1.0 - cfg.decision_quantile))
    # At most `false_alarms_per_day` of `clips_per_day` normal clips may cross it. That quantile lies
    # far beyond the few normals we have, so it comes from a Gaussian fitted to their scores.
    p = min(cfg.false_alarms_per_day / cfg.clips_per_day, 0.5)
    spread = float(np.std(s, ddof=1)) if s.size > 1 else 0.0
    return float(np.mean(s) + norm.ppf(1.0 - p) * spread)


@dataclass
class SectionModel:
    """A fitted scorer for one asset (section)."""

    engine: str
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    k: int = 1
    metric: str = "cosine"
    threshold: float = float("inf")

    def score(self, x: np.ndarray) -> np.ndarray:
        a = self.arrays
        if self.engine == "A":
            return knn_distance(x, a["bank"], self.k, self.metric)
        if self.engine == "B":
            parts = []
            for name in ("source", "target"):
                if a[f"{name}_bank"].shape[0]:
                    d = knn_distance(x, a[f"{name}_bank"], self.k, self.metric)
                    mu, sd = a[f"{name}_stats"]
                    parts.append((d - mu) / sd)
            return np.min(np.stack(parts), axis=0)  # normal if close to either domain's normals
        if self.engine == "D":
            from rayscore.tasks.anomaly.engine_d import score_d

            return score_d(a, self.k, x)
        z = mlp_forward((x - a["mu"]) / a["sd"], a)
        return np.linalg.norm(z - a["prototype"], axis=1)


def _support(x: np.ndarray, domain: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Up to n normals, this site's (target) first: few-shot onboarding uses what the site recorded."""
    order = np.concatenate([rng.permutation(np.flatnonzero(domain == "target")),
                            rng.permutation(np.flatnonzero(domain != "target"))])
    return x[order[:n]]


def fit_a(x: np.ndarray, domain: np.ndarray, cfg: AnomalyConfig, rng: np.random.Generator) -> tuple[SectionModel, np.ndarray]:
    e = cfg.engine_a
    bank = _support(x, domain, e.support_n, rng)
    model = SectionModel("A", {"bank": bank}, k=e.k, metric=e.distance)
    return model, knn_distance(bank, bank, e.k, e.distance, leave_one_out=True)


def _knn_excluding(xq: np.ndarray, bank: np.ndarray, exclude: np.ndarray | None, k: int, metric: str) -> np.ndarray:
    """Mean distance to the k nearest bank rows not excluded for that query (NaN if none is left)."""
    if not len(bank) or not len(xq):
        return np.full(len(xq), np.nan)
    d = pairwise(xq, bank, metric)
    if exclude is not None:
        d[exclude] = np.inf
    d = np.sort(d, axis=1)[:, :k]
    with np.errstate(invalid="ignore"):
        out = np.where(np.isfinite(d), d, np.nan)
    return np.nanmean(out, axis=1) if out.size else np.full(len(xq), np.nan)


def fit_b(x: np.ndarray, domain: np.ndarray, cfg: AnomalyConfig, rng: np.random.Generator) -> tuple[SectionModel, np.ndarray]:
    e = cfg.engine_b
    source, target = x[domain == "source"], x[domain != "source"]
    owner = np.arange(len(target))  # which target normal each target-bank row comes from
    bank_t = target
    if len(source) and len(target) and e.memmixup_per_target:
        picks = rng.integers(0, len(source), size=(len(target), e.memmixup_per_target))
        mixed = e.memmixup_lambda * target[:, None, :] + (1 - e.memmixup_lambda) * source[picks]
        bank_t = np.concatenate([target, mixed.reshape(-1, x.shape[1])])
        owner = np.concatenate([owner, np.repeat(np.arange(len(target)), e.memmixup_per_target)])
    self_s = np.eye(len(source), dtype=bool)  # a source normal is not its own neighbour ...
    self_t = owner[None, :] == np.arange(len(target))[:, None]  # ... nor is a target one, or its mixups

    # Domain normalisation: each bank's leave-one-out distances set its scale.
    stats = {}
    for name, own_x, bank, excl in (("source", source, source, self_s), ("target", target, bank_t, self_t)):
        d = _knn_excluding(own_x, bank, excl, e.k, e.distance)
        ok = d[np.isfinite(d)]
        stats[name] = np.array([ok.mean(), max(ok.std(), 1e-6)]) if e.domain_normalization and ok.size > 1 \
            else np.array([0.0, 1.0])
    arrays = {"source_bank": source, "target_bank": bank_t,
              "source_stats": stats["source"], "target_stats": stats["target"]}
    model = SectionModel("B", arrays, k=e.k, metric=e.distance)

    def z(xq: np.ndarray, name: str, excl: np.ndarray | None) -> np.ndarray:
        bank = source if name == "source" else bank_t
        mu, sd = stats[name]
        return (_knn_excluding(xq, bank, excl, e.k, e.distance) - mu) / sd

    # Threshold scores: every known normal, scored against the banks without itself.
    normal_scores = np.concatenate([
        np.fmin(z(source, "source", self_s), z(source, "target", None)),
        np.fmin(z(target, "source", None), z(target, "target", self_t)),
    ])
    return model, normal_scores[np.isfinite(normal_scores)]


# ----------------------------------------------------------------------------------- engine C


def mlp_forward(x: np.ndarray, a: dict[str, np.ndarray]) -> np.ndarray:
    h = np.maximum(x @ a["w1"].T + a["b1"], 0.0)
    return h @ a["w2"].T + a["b2"]


def _net(dim: int, e: EngineC):
    import torch

    return torch.nn.Sequential(torch.nn.Linear(dim, e.hidden), torch.nn.ReLU(), torch.nn.Linear(e.hidden, e.embed_dim))


def _inner(net, own, others, e: EngineC, steps: int, gen) -> None:
    """A few SGD steps pulling a task's clips to their prototype and pushing other tasks' away."""
    import torch

    opt = torch.optim.SGD(net.parameters(), lr=e.inner_lr)
    for _ in range(steps):
        perm = torch.randperm(len(own), generator=gen)
        support, query = own[perm[: e.k_shot]], own[perm[e.k_shot :]] if len(own) > e.k_shot else own
        neg = others[torch.randint(len(others), (max(2 * e.k_shot, len(query)),), generator=gen)]
        proto = net(support).mean(0)
        pull = ((net(query) - proto) ** 2).sum(1).mean()
        push = torch.relu(e.margin - torch.linalg.norm(net(neg) - proto, dim=1)).pow(2).mean()
        opt.zero_grad()
        (pull + push).backward()
        opt.step()


def meta_train(tasks: dict[str, np.ndarray], mu: np.ndarray, sd: np.ndarray, e: EngineC):
    """Reptile: adapt a copy to one task, then move the shared weights a step towards the copy."""
    import torch

    gen = torch.Generator().manual_seed(e.seed)
    torch.manual_seed(e.seed)
    data = {k: torch.tensor((v - mu) / sd, dtype=torch.float32) for k, v in tasks.items()}
    keys = [k for k, v in data.items() if len(v) >= 2]
    net = _net(len(mu), e)
    for it in range(e.meta_iterations):
        key = keys[it % len(keys)] if it < len(keys) else keys[int(torch.randint(len(keys), (1,), generator=gen))]
        others = torch.cat([data[k] for k in data if k != key])
        fast = copy.deepcopy(net)
        _inner(fast, data[key], others, e, e.inner_steps, gen)
        with torch.no_grad():
            for p, q in zip(net.parameters(), fast.parameters(), strict=True):
                p.add_(e.meta_lr * (q - p))
    return net


def standardizer(tasks: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    every = np.concatenate(list(tasks.values()))
    return every.mean(0), np.maximum(every.std(0), 1e-6)


def fit_c(x: np.ndarray, others: np.ndarray, meta_net, mu: np.ndarray, sd: np.ndarray, cfg: AnomalyConfig,
          rng: np.random.Generator, domain: np.ndarray) -> tuple[SectionModel, np.ndarray]:
    """Adapt the machine type's meta-learned network to one section from its k-shot normals."""
    import torch

    e = cfg.engine_c
    net = copy.deepcopy(meta_net)
    support = _support(x, domain, e.k_shot, rng)
    own = torch.tensor((support - mu) / sd, dtype=torch.float32)
    if e.adapt_steps and len(others):
        neg = torch.tensor((others - mu) / sd, dtype=torch.float32)
        _inner(net, own, neg, e, e.adapt_steps, torch.Generator().manual_seed(e.seed + 1))
    sd_ = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    arrays = {"mu": mu, "sd": sd, "w1": sd_["0.weight"], "b1": sd_["0.bias"], "w2": sd_["2.weight"], "b2": sd_["2.bias"]}
    arrays["prototype"] = mlp_forward((support - mu) / sd, arrays).mean(0)
    model = SectionModel("C", arrays)
    return model, model.score(x)  # the section's own normals: the spread around its prototype


def choose_engine(cfg: AnomalyConfig, n_source: int, metadata_coverage: float, n_tasks: int) -> str:
    """`engine: auto`: D (the domain-aligned ensemble) when the asset has enough normals for it,
    else the seed's rule (section 4): A by default, B when source data exists, C when the
    metadata is reliable as well."""
    if cfg.engine != "auto":
        return cfg.engine
    a = cfg.auto
    if a.prefer_d and n_source >= a.min_source_normals:
        return "D"
    if n_source >= a.min_source_normals and metadata_coverage >= a.metadata_coverage and n_tasks >= a.min_tasks:
        return "C"
    if n_source >= a.min_source_normals:
        return "B"
    return "A"
