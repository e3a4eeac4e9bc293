"""Config of machine-sound anomaly detection, "ALP" (seed 003)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from rayscore.config import StageResources, StrictModel
from rayscore.media.audio import AudioLoadConfig
from rayscore.references import ReferencesConfig
from rayscore.tasks.base import TaskConfig


def _audio() -> AudioLoadConfig:
    # 16 kHz mono 10 s clips, levels untouched: loudness and mic gain carry information here.
    return AudioLoadConfig(target_sr=16000, max_duration_sec=10.0, trim_silence=False,
                           peak_normalize=False, min_duration_sec=1.0, max_read_sec=10.0, pad_mode="repeat")


class LogMelConfig(StrictModel):
    n_mels: int = Field(64, ge=8)
    n_fft: int = Field(1024, ge=128)
    hop_length: int = Field(512, ge=32)
    fmin: float = 20.0
    fmax: float | None = None


class HFAudioConfig(StrictModel):
    model_id: str = Field("MIT/ast-finetuned-audioset-10-10-0.4593", description="HF id or local directory.")
    device: str = "auto"
    normalize: bool = True


class EncoderConfig(StrictModel):
    name: Literal["logmel_stats", "hf_audio"] = Field(
        "logmel_stats", description="logmel_stats needs no weights (the offline default); hf_audio is AST."
    )
    logmel: LogMelConfig = Field(default_factory=LogMelConfig)
    hf: HFAudioConfig = Field(default_factory=HFAudioConfig)


class EngineA(StrictModel):
    """Few-shot, no training: distance to a handful of normal embeddings."""

    support_n: int = Field(10, ge=1, description="Normal clips kept per section (target domain first).")
    k: int = Field(1, ge=1, description="Score = mean distance to the k nearest normals.")
    distance: Literal["cosine", "euclidean"] = "cosine"


class EngineB(StrictModel):
    """Source and target memory banks, MemMixup, domain normalisation."""

    k: int = Field(1, ge=1)
    distance: Literal["cosine", "euclidean"] = "cosine"
    memmixup_lambda: float = Field(0.9, ge=0.0, le=1.0, description="mix = l*target + (1-l)*source.")
    memmixup_per_target: int = Field(5, ge=0, description="Mixed-up samples added per target normal.")
    domain_normalization: bool = Field(True, description="z-score each bank's distances by its own spread.")


class EngineC(StrictModel):
    """Metadata-aware meta-learning: Reptile over machine/condition tasks, prototypes."""

    k_shot: int = Field(3, ge=1, description="Normal clips the prototype of a new section is built from.")
    hidden: int = Field(128, ge=8)
    embed_dim: int = Field(32, ge=4)
    meta_iterations: int = Field(300, ge=1)
    inner_steps: int = Field(5, ge=1)
    inner_lr: float = Field(0.01, gt=0)
    meta_lr: float = Field(0.5, gt=0, le=1)
    margin: float = Field(1.0, gt=0, description="Other tasks' clips are pushed at least this far away.")
    adapt_steps: int = Field(5, ge=0, description="Steps on a section's own k-shot before scoring.")
    seed: int = 0


class EngineD(StrictModel):
    """Domain-aligned distance ensemble: standardise, align domains, k-NN + Mahalanobis, z-score, average."""

    k: int = Field(1, ge=1, description="Nearest aligned normals averaged by the k-NN distance.")
    shrink: float = Field(10.0, ge=0, description="The target domain's mean counts as this many source clips' "
                                                  "worth of prior: few target normals cannot move it far.")
    knn_weight: float = Field(0.5, ge=0, le=1, description="Share of k-NN in the score (the rest: Mahalanobis).")


class AutoSelect(StrictModel):
    """Which engine `engine: auto` picks from what the package holds (seed 003, section 4)."""

    min_source_normals: int = Field(20, ge=1, description="B needs this many source-domain normals.")
    metadata_coverage: float = Field(
        0.9, ge=0, le=1, description="C needs condition metadata on this share of training clips ..."
    )
    min_tasks: int = Field(3, ge=2, description="... and this many machine/condition tasks.")
    prefer_d: bool = Field(True, description="Use engine D wherever B could run (it beat A, B and C on held-out "
                                             "generated packages; false: the seed's A/B/C rule).")


class ThresholdConfig(StrictModel):
    policy: Literal["false_alarms_per_day", "quantile"] = Field(
        "false_alarms_per_day", description="How the alarm threshold comes from normal scores."
    )
    false_alarms_per_day: float = Field(1.0, gt=0, description="Tolerated false alarms per asset per day.")
    clips_per_day: float = Field(8640.0, gt=0, description="Clips scored per asset per day (10 s each: 8640).")
    decision_quantile: float = Field(
        0.05, gt=0, lt=1, description="quantile policy: share of normal clips allowed above the threshold."
    )


class QAConfig(StrictModel):
    min_duration_sec: float = Field(2.0, gt=0, description="Shorter clips are flagged.")
    silence_dbfs: float = Field(-60.0, description="Clips whose RMS is below this are flagged as silent.")
    clip_level: float = Field(0.999, gt=0, le=1, description="|sample| at or above this counts as clipped.")
    clip_fraction: float = Field(0.001, ge=0, description="Flag clips with more clipped samples than this.")
    min_normals_per_section: int = Field(3, ge=1)


class GeneratorConfig(StrictModel):
    """`rayscore generate anomaly`: what the generated package looks like."""

    recorded: Literal["auto", "yes", "no"] = Field(
        "auto", description="Real machine recordings (Debian openttd-opensfx) when installed, or synthetic recipes.")
    layout: Literal["package", "dcase"] = Field("package", description="audio/ + metadata.csv, or DCASE Task 2.")
    source_train: int = Field(30, ge=1, description="Source-domain normal training clips per asset.")
    target_train: int = Field(3, ge=1, description="Target-domain normals: few, as a new site has.")
    test: int = Field(10, ge=1, description="Test clips per domain and label.")
    shift: float = Field(1.0, ge=0, description="How far the target domain is from the source (0: none).")


class ResourcesConfig(StrictModel):
    decode: StageResources = Field(default_factory=lambda: StageResources(batch_size=8))
    encoder: StageResources = Field(
        default_factory=lambda: StageResources(batch_size=8, concurrency=1, memory_gb=2.0),
        description="The hf_audio encoder's actor pool (logmel_stats runs in the decode tasks).",
    )


class AnomalyConfig(TaskConfig):
    task: Literal["anomaly"] = "anomaly"
    audio: AudioLoadConfig = Field(default_factory=_audio)
    encoder: EncoderConfig = Field(default_factory=EncoderConfig)
    engine: Literal["auto", "A", "B", "C", "D"] = "auto"
    engine_a: EngineA = Field(default_factory=EngineA)
    engine_b: EngineB = Field(default_factory=EngineB)
    engine_c: EngineC = Field(default_factory=EngineC)
    engine_d: EngineD = Field(default_factory=EngineD)
    auto: AutoSelect = Field(default_factory=AutoSelect)
    threshold: ThresholdConfig = Field(default_factory=ThresholdConfig)
    per_machine: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Overrides per machine type (a sweep's winners): {fan: {engine: B, engine_b: {k: 3}}}.",
    )
    qa: QAConfig = Field(default_factory=QAConfig)
    generator: GeneratorConfig = Field(default_factory=GeneratorConfig)
    references: ReferencesConfig = Field(
        default_factory=lambda: ReferencesConfig(names=["knn", "knn_domain"], knn_k=1),
        description="Simple references fitted beside the model on the same normal clips.")
    resources: ResourcesConfig = Field(default_factory=ResourcesConfig)

    @field_validator("per_machine")
    @classmethod
    def _overrides_are_valid(cls, v: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for machine, override in v.items():
            fixed = {"task", "per_machine", "audio", "qa", "resources", "references", "generator"}  # shared by every machine type
            bad = sorted((set(override) - set(cls.model_fields)) | (fixed & set(override)))
            if bad:
                raise ValueError(f"per_machine.{machine}: cannot override {bad}")
        return v

    def for_machine(self, machine_type: str) -> AnomalyConfig:
        """This config with ``per_machine[machine_type]`` applied."""
        override = self.per_machine.get(machine_type)
        if not override:
            return self
        from rayscore.config import deep_merge

        data = deep_merge(self.model_dump(mode="json"), override)
        data["per_machine"] = {}
        return AnomalyConfig.model_validate(data)
