"""Value types of the drum-role workload (seed 001): roles, features, scores, results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import Enum

import numpy as np


class Role(str, Enum):
    """Musical role of a drum one-shot."""

    CORE = "CORE"  # kick / bass drum
    ACCENT = "ACCENT"  # snare / clap
    MOTION = "MOTION"  # hi-hat / cymbal
    FILL = "FILL"  # tom / percussion
    TEXTURE = "TEXTURE"  # ambience / FX

    def __str__(self) -> str:
        return self.value


ROLES: tuple[Role, ...] = tuple(Role)
ROLE_NAMES: tuple[str, ...] = tuple(r.value for r in ROLES)


@dataclass(frozen=True)
class DSPFeatures:
    """One-shot descriptors, each in [0, 1]."""

    energy: float
    sharpness: float
    attack_time: float
    decay_time: float
    low_ratio: float
    mid_ratio: float
    high_ratio: float
    spectral_flatness: float
    zero_crossing_rate: float

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_mapping(cls, row: dict) -> DSPFeatures:
        return cls(**{name: float(row[name]) for name in cls.names()})


@dataclass(frozen=True)
class ScoreVector:
    """A probability (or score) per role, in :data:`ROLES` order."""

    values: np.ndarray

    @classmethod
    def from_dict(cls, scores: dict) -> ScoreVector:
        return cls(np.array([float(scores[r.value]) for r in ROLES]))

    def __getitem__(self, role: Role | str) -> float:
        return float(self.values[ROLES.index(Role(role))])

    def argmax(self) -> Role:
        return ROLES[int(np.argmax(self.values))]

    def sorted(self) -> list[tuple[Role, float]]:
        order = np.argsort(-self.values, kind="stable")
        return [(ROLES[i], float(self.values[i])) for i in order]

    def margin(self) -> float:
        """Top-1 minus top-2: how clearly the winner wins."""
        top = np.sort(self.values)[::-1]
        return float(top[0] - top[1])

    def as_dict(self) -> dict[str, float]:
        return {r.value: float(v) for r, v in zip(ROLES, self.values, strict=True)}


@dataclass(frozen=True)
class ScoreBundle:
    """Rule, CLAP and final probabilities and the confidence of the final choice."""

    rule: ScoreVector
    clap: ScoreVector | None
    final: ScoreVector
    confidence: float  # top-2 margin of ``final``
    confident: bool  # confidence >= fusion.confidence_margin_threshold
    learned: ScoreVector | None = None  # the learned classifier's probabilities (when it is on)


@dataclass(frozen=True)
class SampleResult:
    """The role assigned to one one-shot and everything that led to it."""

    sample_id: str | None
    filepath: str | None
    role: Role
    scores: ScoreBundle
    features: DSPFeatures
    clap_similarities: dict[str, float] | None
    rule_raw_scores: dict[str, float]
    guards_fired: tuple[str, ...] = field(default=())


@dataclass
class PoolEntry:
    """A member of a role pool."""

    id: str
    path: str | None
    confidence: float
    probability: float  # final probability of the pool's role
    assigned_role: Role  # role chosen per sample, before pool rules
    moved: str | None = None  # "promoted" or "rebalanced" when a pool rule put it here

    def as_dict(self) -> dict:
        out = asdict(self)
        out["assigned_role"] = self.assigned_role.value
        return out


@dataclass
class RolePools:
    """Samples grouped by role after the pool rules (required roles, caps)."""

    pools: dict[Role, list[PoolEntry]] = field(default_factory=lambda: {r: [] for r in ROLES})
    notes: list[str] = field(default_factory=list)

    @property
    def core(self) -> list[PoolEntry]:
        return self.pools[Role.CORE]

    @property
    def accent(self) -> list[PoolEntry]:
        return self.pools[Role.ACCENT]

    @property
    def motion(self) -> list[PoolEntry]:
        return self.pools[Role.MOTION]

    @property
    def fill(self) -> list[PoolEntry]:
        return self.pools[Role.FILL]

    @property
    def texture(self) -> list[PoolEntry]:
        return self.pools[Role.TEXTURE]

    def as_dict(self) -> dict:
        return {
            "sizes": {r.value: len(self.pools[r]) for r in ROLES},
            "pools": {r.value: [e.as_dict() for e in self.pools[r]] for r in ROLES},
            "notes": list(self.notes),
        }
