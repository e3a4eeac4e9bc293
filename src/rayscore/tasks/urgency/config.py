"""Config of emergency-call urgency (seed 000, "UrgencySense")."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from rayscore.config import StageResources, StrictModel
from rayscore.media.audio import AudioLoadConfig
from rayscore.references import ReferencesConfig
from rayscore.tasks.base import TaskConfig
from rayscore.training.args import TrainArgs

LEVELS = ("하", "중", "상")  # low, medium, high: ordinal 0, 1, 2


def _audio() -> AudioLoadConfig:
    return AudioLoadConfig(target_sr=16000, max_duration_sec=60.0, trim_silence=False, peak_normalize=False,
                           min_duration_sec=0.3, max_read_sec=120.0)


class AudioFeatures(StrictModel):
    """The seed's five librosa features (duration, speech ratio, energy, peak, peak-to-RMS)."""

    silence_top_db: float = Field(30.0, gt=0, description="Frames this far below the peak are silence.")
    frame_length: int = Field(1024, ge=64)
    hop_length: int = Field(256, ge=16)


class LogMel(StrictModel):
    n_mels: int = Field(64, ge=8)
    n_fft: int = 1024
    hop_length: int = 512


class AudioEncoder(StrictModel):
    name: Literal["dsp", "hf"] = Field(
        "dsp", description="dsp: the five features + log-mel statistics (no weights); hf: a transformers model."
    )
    model_id: str = Field("facebook/data2vec-audio-base", description="HF id or local directory (name: hf).")
    device: str = "auto"
    logmel: LogMel = Field(default_factory=LogMel)


class TextEncoder(StrictModel):
    name: Literal["tfidf", "hf"] = Field(
        "tfidf", description="tfidf: character n-grams + SVD fitted with the model (no weights); hf: a transformer."
    )
    model_id: str = Field("jhgan/ko-sroberta-multitask", description="HF id or local directory (name: hf).")
    max_length: int = Field(384, ge=8)
    device: str = "auto"
    ngram_min: int = Field(1, ge=1)
    ngram_max: int = Field(3, ge=1)
    hash_features: int = Field(16384, ge=256, description="Hashed n-gram space (no vocabulary to store).")
    svd_dim: int = Field(128, ge=2)


class LinearHead(StrictModel):
    """The linear model: transcript n-grams + acoustics -> class-weighted logistic regression."""

    c: float = Field(10.0, gt=0, description="Inverse L2 regularisation (sparse n-grams need little).")
    char_min: int = Field(2, ge=1, description="Character n-grams (across word boundaries) from ...")
    char_max: int = Field(5, ge=1, description="... to this length.")
    word_max: int = Field(3, ge=1, description="Word 1..word_max-grams.")
    negation: bool = Field(True, description="Mark words in a negation's scope (안/못 before, 않/없 after).")
    audio_weight: float = Field(0.5, ge=0, description="Scale of the standardised acoustic block (0: text only).")
    hash_features: int = Field(2**17, ge=1024, description="Hashed dimensions of each n-gram space.")
    class_weight: Literal["balanced", "sqrt", "none"] = Field("sqrt", description="Rarer levels weigh more.")


class ModelConfig(StrictModel):
    """The model: ``linear`` (the offline default) or the seed's CrossAttentionFusionOrdinal (``fusion``)."""

    kind: Literal["linear", "fusion"] = Field(
        "linear", description="linear: n-grams + acoustics, logistic regression; fusion: the seed's network.")
    linear: LinearHead = Field(default_factory=LinearHead)

    hidden: int = Field(768, ge=8, description="Projection size of each modality and the encoder width.")
    heads: int = Field(8, ge=1)
    layers: int = Field(3, ge=1)
    feedforward: int = Field(2048, ge=8)
    proj_dropout: float = Field(0.4, ge=0, lt=1)
    attn_dropout: float = Field(0.2, ge=0, lt=1)
    head_hidden: int = Field(512, ge=4)
    head_dropout: float = Field(0.4, ge=0, lt=1)

    @model_validator(mode="after")
    def _divisible(self) -> ModelConfig:
        if self.hidden % self.heads:
            raise ValueError(f"hidden ({self.hidden}) must be divisible by heads ({self.heads})")
        return self


class LossMix(StrictModel):
    """The probability of each loss being drawn for a step; they must sum to 1."""

    kl: float = Field(0.25, ge=0, le=1, description="KL divergence to ordinal soft labels.")
    focal: float = Field(0.40, ge=0, le=1, description="Ordinal focal loss.")
    ce: float = Field(0.35, ge=0, le=1, description="Class-weighted cross-entropy.")

    @model_validator(mode="after")
    def _sums_to_one(self) -> LossMix:
        total = self.kl + self.focal + self.ce
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"loss_mix must sum to 1, got {total:.6f}")
        return self


class TrainConfig(TrainArgs):
    """The shared training arguments (the seed's: AdamW 3e-5, CosineAnnealingWarmRestarts(10, 2), clip 1.0,
    50 epochs, early stopping on macro-F1 with patience 10) plus the fusion network's loss mix."""

    loss_mix: LossMix = Field(default_factory=LossMix)
    smoothing: float = Field(0.2, ge=0, lt=1, description="Soft labels: 1 - s on the level, s/2 on each neighbour.")
    focal_gamma: float = Field(2.0, ge=0)


class ResourcesConfig(StrictModel):
    decode: StageResources = Field(default_factory=lambda: StageResources(batch_size=8))
    audio_model: StageResources = Field(
        default_factory=lambda: StageResources(batch_size=4, concurrency=1, memory_gb=2.0),
        description="Actor pool of the HF audio encoder.",
    )
    text_model: StageResources = Field(
        default_factory=lambda: StageResources(batch_size=16, concurrency=1, memory_gb=2.0),
        description="Actor pool of the HF text encoder.",
    )
    model: StageResources = Field(
        default_factory=lambda: StageResources(batch_size=64, concurrency=1, memory_gb=1.0),
        description="Actor pool of the fusion model.",
    )


class UrgencyConfig(TaskConfig):
    task: Literal["urgency"] = "urgency"
    audio: AudioLoadConfig = Field(default_factory=_audio)
    features: AudioFeatures = Field(default_factory=AudioFeatures)
    audio_encoder: AudioEncoder = Field(default_factory=AudioEncoder)
    text_encoder: TextEncoder = Field(default_factory=TextEncoder)
    model: ModelConfig = Field(default_factory=ModelConfig)
    train: TrainConfig = Field(default_factory=TrainConfig)
    references: ReferencesConfig = Field(
        default_factory=lambda: ReferencesConfig(names=["majority", "tfidf_lr", "logreg", "knn"]),
        description="Simple references fitted beside the model on the same rows and folds.")
    resources: ResourcesConfig = Field(default_factory=ResourcesConfig)
