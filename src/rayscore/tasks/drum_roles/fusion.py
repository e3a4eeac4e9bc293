"""Fusion of rule and CLAP probabilities, and the five guards (seed 001, ``fusion/``).

Example:
    >>> p = fuse(p_rule, p_clap, FusionConfig(alpha=0.9))     # doctest: +SKIP
    >>> p, fired = apply_guards(p, features, GuardsConfig())  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np

from rayscore.tasks.drum_roles.config import FusionConfig, GuardsConfig
from rayscore.tasks.drum_roles.types import ROLES, DSPFeatures, Role, ScoreVector

_I = {r: i for i, r in enumerate(ROLES)}


def _normalize(p: np.ndarray) -> np.ndarray:
    s = p.sum()
    return p / s if s > 0 else np.full_like(p, 1.0 / len(p))


def fuse(p_rule: ScoreVector, p_clap: ScoreVector | None, cfg: FusionConfig) -> ScoreVector:
    """``alpha * p_rule + (1 - alpha) * p_clap``, then the optional role prior."""
    p = p_rule.values.copy()
    if p_clap is not None and cfg.alpha < 1.0:
        p = cfg.alpha * p + (1.0 - cfg.alpha) * p_clap.values
    if cfg.role_bias:
        bias = np.array([cfg.role_bias.get(r, 0.0) for r in ROLES])
        p = p * np.exp(bias)
    return ScoreVector(_normalize(p))


def motion_condition_met(f: DSPFeatures, cfg: GuardsConfig) -> bool:
    """Guard 3's test: bright and short enough to be a hat or cymbal."""
    g = cfg.motion_min_condition
    return f.high_ratio >= g.high_ratio_min and f.decay_time <= g.decay_max


def sustained_noise(f: DSPFeatures, cfg: GuardsConfig) -> bool:
    """Guard 2's test: long and noisy, unlike a kick or snare."""
    g = cfg.sustained_noise_suppress
    return f.decay_time > g.decay_min and f.spectral_flatness > g.flatness_min


def apply_guards(
    p: ScoreVector, f: DSPFeatures, cfg: GuardsConfig
) -> tuple[ScoreVector, tuple[str, ...]]:
    """Suppress implausible roles; returns the renormalised scores and the guards that fired."""
    if not cfg.enabled:
        return p, ()
    v = p.values.copy()
    fired: list[str] = []

    g1 = cfg.texture_suppress
    if g1.enabled and f.sharpness > g1.transient_S_threshold and f.decay_time < g1.decay_max:
        v[_I[Role.TEXTURE]] *= g1.multiply
        fired.append("texture_suppress")
    g2 = cfg.sustained_noise_suppress
    if g2.enabled and sustained_noise(f, cfg):
        v[_I[Role.CORE]] *= g2.core_multiply
        v[_I[Role.ACCENT]] *= g2.accent_multiply
        fired.append("sustained_noise_suppress")
    if cfg.motion_min_condition.enabled and not motion_condition_met(f, cfg):
        v[_I[Role.MOTION]] *= cfg.motion_min_condition.multiply
        fired.append("motion_min_condition")
    v = _normalize(v)

    # The last two guards judge confidence, so they look at the guarded scores so far.
    ranked = ScoreVector(v).sorted()
    (top, p_top), (second, p_second) = ranked[0], ranked[1]
    margin = p_top - p_second
    g4 = cfg.fill_conservative
    if g4.enabled and top is Role.FILL and not (p_top > g4.p_min and margin > g4.margin_min):
        v[_I[Role.FILL]] *= g4.multiply
        fired.append("fill_conservative")
    g5 = cfg.low_conf_texture_extra
    if (
        g5.enabled
        and top is Role.TEXTURE
        and margin < g5.margin_max
        and second in g5.percussive_roles
    ):
        v[_I[Role.TEXTURE]] *= g5.multiply
        fired.append("low_conf_texture_extra")
    return ScoreVector(_normalize(v)), tuple(fired)
