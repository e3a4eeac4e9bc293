"""``RoleAssigner``: the seed's single-process API, built on the same functions as batch scoring.

Example:
    >>> cfg = DrumRolesConfig(fusion={"alpha": 1.0})   # DSP rules only, no CLAP download
    >>> assigner = RoleAssigner(cfg)
    >>> sr = 16000; t = np.arange(sr) / sr
    >>> kick = np.sin(2 * np.pi * 60 * t) * np.exp(-t / 0.05)
    >>> assigner.assign_audio(kick, sr=sr, sample_id="kick_001").role
    <Role.CORE: 'CORE'>
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rayscore.config import load_config, validate
from rayscore.media.audio import load_audio, standardize
from rayscore.tasks.drum_roles.config import DrumRolesConfig
from rayscore.tasks.drum_roles.features import extract_features
from rayscore.tasks.drum_roles.fusion import apply_guards, fuse
from rayscore.tasks.drum_roles.rules import rule_scores, softmax
from rayscore.tasks.drum_roles.types import (
    ROLES,
    DSPFeatures,
    SampleResult,
    ScoreBundle,
    ScoreVector,
)


def decide(
    features: DSPFeatures,
    clap_similarities: np.ndarray | None,
    cfg: DrumRolesConfig,
    sample_id: str | None = None,
    filepath: str | None = None,
    p_learned: np.ndarray | None = None,
) -> SampleResult:
    """Rules (+ the learned classifier) -> (CLAP) -> fusion -> guards -> role. The one decision path
    for every caller."""
    raw, p_rule = rule_scores(features, cfg.rule_scoring)
    learned = None
    if p_learned is not None:
        learned = ScoreVector(np.asarray(p_learned, dtype=float))
        w = cfg.classifier.weight
        p_base = ScoreVector((1.0 - w) * p_rule.values + w * learned.values)
    else:
        p_base = p_rule
    p_clap = sims = None
    if clap_similarities is not None and cfg.uses_clap:
        sims = {r.value: float(s) for r, s in zip(ROLES, clap_similarities, strict=True)}
        p_clap = ScoreVector(softmax(np.asarray(clap_similarities), cfg.clap.tau_clap))
    elif cfg.uses_clap:
        raise ValueError("fusion.alpha < 1 needs CLAP similarities")
    fused = fuse(p_base, p_clap, cfg.fusion)
    final, fired = apply_guards(fused, features, cfg.guards)
    margin = final.margin()
    bundle = ScoreBundle(
        rule=p_rule,
        clap=p_clap,
        final=final,
        confidence=margin,
        confident=margin >= cfg.fusion.confidence_margin_threshold,
        learned=learned,
    )
    return SampleResult(
        sample_id=sample_id,
        filepath=filepath,
        role=final.argmax(),
        scores=bundle,
        features=features,
        clap_similarities=sims,
        rule_raw_scores=raw,
        guards_fired=fired,
    )


class RoleAssigner:
    """Assigns roles to one-shots in-process; CLAP is loaded only when ``fusion.alpha < 1``."""

    def __init__(self, cfg: DrumRolesConfig | None = None) -> None:
        self.cfg = cfg or DrumRolesConfig()
        self._clap = None

    @classmethod
    def from_yaml(cls, path: str | Path, overrides: Sequence[str] = ()) -> RoleAssigner:
        return cls(load_config(DrumRolesConfig, path, overrides))

    @classmethod
    def from_dict(cls, data: dict) -> RoleAssigner:
        return cls(validate(DrumRolesConfig, data, "dict"))

    @property
    def clap(self):
        if self._clap is None:
            from rayscore.tasks.drum_roles.clap import ClapRoleScorer

            self._clap = ClapRoleScorer(self.cfg.clap)
        return self._clap

    def _assign(self, y: np.ndarray, sample_id: str | None, filepath: str | None) -> SampleResult:
        sr = self.cfg.audio.target_sr
        features = extract_features(y, sr, self.cfg.dsp)
        sims = self.clap.similarities([y], sr)[0] if self.cfg.uses_clap else None
        return decide(features, sims, self.cfg, sample_id, filepath)

    def assign_audio(
        self,
        y: np.ndarray,
        sr: int,
        sample_id: str | None = None,
        filepath: str | None = None,
    ) -> SampleResult:
        """Assign a role to raw samples (mono ``(n,)`` or ``(n, channels)``) at rate ``sr``."""
        data = np.asarray(y, dtype=np.float32)
        data = data[:, None] if data.ndim == 1 else data
        return self._assign(standardize(data, sr, self.cfg.audio), sample_id, filepath)

    def assign_file(self, filepath: str | Path, sample_id: str | None = None) -> SampleResult:
        """Assign a role to an audio file (any format libsndfile reads)."""
        y = load_audio(filepath, self.cfg.audio)
        return self._assign(y, sample_id or Path(filepath).stem, str(filepath))
