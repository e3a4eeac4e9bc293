"""Config of the drum-role workload: every default of seed 001 and its published YAML."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from rayscore.config import StageResources, StrictModel
from rayscore.media.audio import AudioLoadConfig
from rayscore.references import ReferencesConfig
from rayscore.tasks.base import TaskConfig
from rayscore.tasks.drum_roles.types import Role

#: Terms a rule formula may weight. L/M/H band ratios, E energy, S sharpness,
#: A attack, D decay, F flatness, Z zero-crossing rate; ``one_minus_X`` = 1 - X,
#: ``A_fast`` = 1 - A, ``D_short`` = 1 - D, ``L_plus_M`` = L + M.
Term = Literal[
    "L", "M", "H", "E", "S", "A", "D", "F", "Z",
    "A_fast", "D_short", "one_minus_S", "one_minus_E", "L_plus_M",
]  # fmt: skip


class BandEdges(StrictModel):
    low: tuple[float, float] = (20.0, 150.0)
    mid: tuple[float, float] = (150.0, 2000.0)
    high: tuple[float, float] = (2000.0, 8000.0)

    @model_validator(mode="after")
    def _ordered(self) -> BandEdges:
        for name in ("low", "mid", "high"):
            lo, hi = getattr(self, name)
            if not 0 <= lo < hi:
                raise ValueError(f"band '{name}' must satisfy 0 <= low < high, got {lo, hi}")
        return self


class DSPConfig(StrictModel):
    n_fft: int = Field(1024, ge=64, description="STFT frame length in samples.")
    hop_length: int = Field(256, ge=16, description="STFT hop in samples.")
    band_edges_hz: BandEdges = Field(default_factory=BandEdges)
    attack_window_sec: float = Field(
        0.08, gt=0, description="Attack time (10%->90% of peak) is divided by this and clipped."
    )
    decay_window_sec: float = Field(
        0.60, gt=0, description="Decay time (peak->30% of peak) is divided by this and clipped."
    )
    envelope_smooth_ms: float = Field(
        5.0, ge=0, description="Moving-average length applied to the amplitude envelope."
    )
    flux_range_db: float = Field(
        80.0, gt=0, description="Dynamic range of the dB spectrum whose rise measures sharpness."
    )


def _weights(**w: float) -> dict[str, float]:
    return dict(w)


class TexturePenalty(StrictModel):
    enabled: bool = True
    transient_S_threshold: float = Field(0.55, description="Sharper than this ...")
    decay_short_threshold: float = Field(0.35, description="... and decaying faster than this.")
    penalty: float = Field(0.18, description="Subtracted from the raw TEXTURE score.")
    flatness_threshold: float = Field(0.18, description="Less noise-like than this ...")
    flatness_penalty: float = Field(0.10, description="... also subtracts this.")


class RuleScoringConfig(StrictModel):
    weights: dict[Role, dict[Term, float]] = Field(
        default_factory=lambda: {
            Role.CORE: _weights(L=0.40, A_fast=0.25, D_short=0.25, one_minus_S=0.10),
            Role.ACCENT: _weights(E=0.35, S=0.35, M=0.20, D_short=0.10),
            Role.MOTION: _weights(H=0.40, one_minus_E=0.20, D_short=0.25, S=0.15),
            Role.FILL: _weights(E=0.30, D=0.35, S=0.25, M=0.10),
            Role.TEXTURE: _weights(D=0.45, one_minus_S=0.25, L_plus_M=0.20, one_minus_E=0.10),
        },
        description="Per role, the weight of each term in its linear score.",
    )
    temperature: float = Field(0.2, gt=0, description="Softmax temperature of rule scores.")
    texture_penalty: TexturePenalty = Field(default_factory=TexturePenalty)

    @field_validator("weights")
    @classmethod
    def _all_roles(cls, v: dict[Role, dict[str, float]]) -> dict[Role, dict[str, float]]:
        missing = [r.value for r in Role if r not in v]
        if missing:
            raise ValueError(f"weights missing for roles: {', '.join(missing)}")
        return v


def _default_prompts() -> dict[Role, list[str]]:
    return {
        Role.CORE: ["kick drum, bass drum"],
        Role.ACCENT: ["snare, clap"],
        Role.MOTION: ["hi-hat, hi hat cymbal"],
        Role.FILL: ["tom, tom drum"],
        Role.TEXTURE: ["reverb tail, ambient, noise"],
    }


class ClapConfig(StrictModel):
    backend: Literal["transformers"] = "transformers"
    model_id: str = Field(
        "laion/clap-htsat-unfused", description="Hugging Face model id or local directory."
    )
    audio_pooling: Literal["mean"] = Field(
        "mean", description="Clips longer than the model window are embedded per window, then averaged."
    )
    tau_clap: float = Field(0.07, gt=0, description="Softmax temperature of cosine similarities.")
    cache_text_embeddings: bool = True
    cache_dir: str = Field(".cache/clap_text", description="Where prompt embeddings are cached.")
    prompts: dict[Role, list[str]] = Field(
        default_factory=_default_prompts,
        description="Text prompts per role; several prompts are averaged.",
    )
    device: str = Field("auto", description="'auto' (GPU when the actor has one), 'cpu', 'cuda'.")

    @field_validator("prompts")
    @classmethod
    def _every_role(cls, v: dict[Role, list[str]]) -> dict[Role, list[str]]:
        missing = [r.value for r in Role if not v.get(r)]
        if missing:
            raise ValueError(f"prompts missing for roles: {', '.join(missing)}")
        return v


class ClassifierConfig(StrictModel):
    """The learned role classifier mixed into the rules (off in the seed's defaults)."""

    enabled: bool = Field(False, description="Train a classifier and mix it into the rule probabilities.")
    features: Literal["descriptors", "dsp", "both"] = Field(
        "both", description="Its inputs: the rich descriptors, the nine rule features, or both.")
    c: float = Field(0.03, gt=0, description="Inverse L2 regularisation of the logistic regression.")
    class_weight: Literal["balanced", "none"] = Field(
        "balanced", description="balanced: every role counts the same, however many samples it has.")
    weight: float = Field(0.8, ge=0, le=1, description="p = (1 - weight) * p_rule + weight * p_learned.")


class GeneratorConfig(StrictModel):
    """`rayscore generate drum_roles`: synthetic hits, plus augmented copies of a real library."""

    augment_from: str | None = Field(
        None, description="A Hydrogen drumkits folder (or a labelled sample folder) to add augmented copies of.")
    augment_format: Literal["hydrogen", "folder"] = "hydrogen"
    variants: int = Field(2, ge=0, le=20, description="Augmented copies per labelled source sample.")


class FusionConfig(StrictModel):
    alpha: float = Field(
        0.9, ge=0, le=1, description="p = alpha * p_rule + (1 - alpha) * p_clap; 1 disables CLAP."
    )
    confidence_margin_threshold: float = Field(
        0.12, ge=0, le=1, description="A top-2 margin at least this is 'confident'."
    )
    role_bias: dict[Role, float] = Field(
        default_factory=dict, description="Log-prior per role: p_r is multiplied by exp(bias_r)."
    )


class TextureSuppress(StrictModel):
    enabled: bool = True
    transient_S_threshold: float = 0.60
    decay_max: float = 0.32
    multiply: float = 0.60


class SustainedNoiseSuppress(StrictModel):
    enabled: bool = True
    decay_min: float = 0.70
    flatness_min: float = 0.25
    core_multiply: float = 0.65
    accent_multiply: float = 0.75


class MotionMinCondition(StrictModel):
    enabled: bool = True
    high_ratio_min: float = 0.33
    decay_max: float = 0.55
    multiply: float = 0.70


class FillConservative(StrictModel):
    enabled: bool = True
    p_min: float = 0.35
    margin_min: float = 0.12
    multiply: float = 0.70


class LowConfidenceTextureExtra(StrictModel):
    enabled: bool = True
    margin_max: float = 0.10
    percussive_roles: list[Role] = Field(
        default_factory=lambda: [Role.CORE, Role.ACCENT, Role.MOTION, Role.FILL]
    )
    multiply: float = 0.80


class GuardsConfig(StrictModel):
    """The five guards of seed 001, applied to the fused probabilities in this order."""

    enabled: bool = True
    texture_suppress: TextureSuppress = Field(default_factory=TextureSuppress)
    sustained_noise_suppress: SustainedNoiseSuppress = Field(default_factory=SustainedNoiseSuppress)
    motion_min_condition: MotionMinCondition = Field(default_factory=MotionMinCondition)
    fill_conservative: FillConservative = Field(default_factory=FillConservative)
    low_conf_texture_extra: LowConfidenceTextureExtra = Field(
        default_factory=LowConfidenceTextureExtra
    )


class PromoteWhenMissing(StrictModel):
    enabled: bool = True
    min_prob: float = Field(0.0, ge=0, le=1, description="A candidate needs at least this p(role).")


class RebalanceWhenExcess(StrictModel):
    enabled: bool = True
    min_margin_keep: float = Field(
        0.08, ge=0, description="Members at least this confident stay even above the cap."
    )


class PoolConfig(StrictModel):
    required_roles: list[Role] = Field(default_factory=lambda: [Role.CORE, Role.ACCENT, Role.MOTION])
    max_sizes: dict[Role, int] = Field(
        default_factory=lambda: {Role.CORE: 4, Role.ACCENT: 4, Role.MOTION: 10}
    )
    promote_when_missing: PromoteWhenMissing = Field(default_factory=PromoteWhenMissing)
    rebalance_when_excess: RebalanceWhenExcess = Field(default_factory=RebalanceWhenExcess)
    per_group: bool = Field(True, description="Build one set of pools per group (drum kit).")


class NameRule(StrictModel):
    pattern: str = Field(description="Regular expression, searched case-insensitively.")
    role: Role

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {v!r}: {exc}") from exc
        return v


def _default_name_rules() -> list[NameRule]:
    # Order matters: the first match wins ("bass drum" before generic "drum").
    rules = [
        (r"kick|bass ?drum|(^|[^a-z])bd([^a-z]|$)|(^|[^a-z])k([^a-z]|$)|cajon thump", Role.CORE),
        (r"snare|clap|rim ?shot|snap|stick|rim ?click|cajon slap|(^|[^a-z])sn([^a-z]|$)", Role.ACCENT),
        (r"hat|(^|[^a-z])[co]?hh|hi-?hat|cymbal|ride|crash|splash|china|shaker|maraca|tambourine|cabasa", Role.MOTION),  # noqa: E501
        (r"tom|conga|bongo|djembe|dunun|sangban|kenkeni|cowbell|agogo|clave|wood ?block|timbale|perc|waterglass|(^|[^a-z])drum ?\d", Role.FILL),  # noqa: E501
        (r"(^|[^a-z])[xy]?fx|ambien|reverb|noise|drone|texture|whistle|zap|sweep|riser|atmos", Role.TEXTURE),
    ]
    return [NameRule(pattern=p, role=r) for p, r in rules]


class LabelsConfig(StrictModel):
    name_to_role: list[NameRule] = Field(
        default_factory=_default_name_rules,
        description="Instrument or folder name -> role; first match wins, no match = unlabelled.",
    )


class ResourcesConfig(StrictModel):
    dsp: StageResources = Field(default_factory=lambda: StageResources(batch_size=64))
    clap: StageResources = Field(
        default_factory=lambda: StageResources(batch_size=16, concurrency=1, memory_gb=2.0),
        description="CLAP actor pool: concurrency is the pool size.",
    )


class DrumRolesConfig(TaskConfig):
    task: Literal["drum_roles"] = "drum_roles"
    audio: AudioLoadConfig = Field(default_factory=AudioLoadConfig)
    dsp: DSPConfig = Field(default_factory=DSPConfig)
    rule_scoring: RuleScoringConfig = Field(default_factory=RuleScoringConfig)
    clap: ClapConfig = Field(default_factory=ClapConfig)
    classifier: ClassifierConfig = Field(default_factory=ClassifierConfig)
    generator: GeneratorConfig = Field(default_factory=GeneratorConfig)
    fusion: FusionConfig = Field(default_factory=FusionConfig)
    guards: GuardsConfig = Field(default_factory=GuardsConfig)
    pool: PoolConfig = Field(default_factory=PoolConfig)
    labels: LabelsConfig = Field(default_factory=LabelsConfig)
    references: ReferencesConfig = Field(
        default_factory=lambda: ReferencesConfig(names=["majority", "logreg", "knn"]),
        description="Simple references fitted beside the model on the same rows and folds.")
    resources: ResourcesConfig = Field(default_factory=ResourcesConfig)

    @property
    def uses_clap(self) -> bool:
        """CLAP is loaded only when it carries weight in the fusion."""
        return self.fusion.alpha < 1.0
