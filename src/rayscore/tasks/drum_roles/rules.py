"""Rule scoring (seed 001, ``dsp/rule_scoring.py``): weighted linear formulas per role.

Example:
    >>> raw, p = rule_scores(features, RuleScoringConfig())   # doctest: +SKIP
    >>> p.argmax()                                              # doctest: +SKIP
    <Role.CORE: 'CORE'>
"""

from __future__ import annotations

import numpy as np

from rayscore.tasks.drum_roles.config import RuleScoringConfig
from rayscore.tasks.drum_roles.types import ROLES, DSPFeatures, Role, ScoreVector


def terms(f: DSPFeatures) -> dict[str, float]:
    """Every quantity a rule formula may weight (see ``config.Term``)."""
    return {
        "L": f.low_ratio,
        "M": f.mid_ratio,
        "H": f.high_ratio,
        "E": f.energy,
        "S": f.sharpness,
        "A": f.attack_time,
        "D": f.decay_time,
        "F": f.spectral_flatness,
        "Z": f.zero_crossing_rate,
        "A_fast": 1.0 - f.attack_time,
        "D_short": 1.0 - f.decay_time,
        "one_minus_S": 1.0 - f.sharpness,
        "one_minus_E": 1.0 - f.energy,
        "L_plus_M": f.low_ratio + f.mid_ratio,
    }


def softmax(x: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = np.asarray(x, dtype=np.float64) / temperature
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def rule_scores(f: DSPFeatures, cfg: RuleScoringConfig) -> tuple[dict[str, float], ScoreVector]:
    """Raw per-role scores (after the texture penalty) and their softmax, ``p_rule``."""
    t = terms(f)
    raw = {r.value: sum(w * t[name] for name, w in cfg.weights[r].items()) for r in ROLES}
    pen = cfg.texture_penalty
    if pen.enabled:
        # Percussive hits must not land in TEXTURE; neither should tonal, non-noisy sounds.
        if f.sharpness > pen.transient_S_threshold and f.decay_time < pen.decay_short_threshold:
            raw[Role.TEXTURE.value] -= pen.penalty
        if f.spectral_flatness < pen.flatness_threshold:
            raw[Role.TEXTURE.value] -= pen.flatness_penalty
    p = softmax(np.array([raw[r.value] for r in ROLES]), cfg.temperature)
    return raw, ScoreVector(p)
