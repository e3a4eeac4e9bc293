"""Config of Korean relation extraction (W5, seed 004, KLUE-RE)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rayscore.config import StageResources, StrictModel
from rayscore.references import ReferencesConfig
from rayscore.tasks.base import TaskConfig
from rayscore.training.args import EarlyStopping, LossConfig, TrainArgs


class OfflineModel(StrictModel):
    """Entity-aware n-grams (segments around the marked pair) -> class-weighted logistic regression."""

    c: float = Field(20.0, gt=0, description="Inverse L2 regularisation.")
    char_min: int = Field(1, ge=1, description="Character n-grams of each segment, from ...")
    char_max: int = Field(4, ge=1, description="... to this length.")
    typed_ngrams: bool = Field(True, description="Also the segments' n-grams conjoined with the entity types.")
    entity_words: bool = Field(True, description="Character n-grams and endings of the two entities' own words "
                                                 "(대학교, 전자, 냉장고: what kind of organisation or thing).")
    cues: bool = Field(True, description="Korean cue words of each relation (설립자, 본명, 출신: rayscore.tasks."
                                         "relation.cues) between and after the pair, with the types, the direction "
                                         "and whose attribute the cue is: what an unseen phrasing still says.")
    unseen_phrasing_weight: float = Field(
        1.0, ge=0, le=4, description="Training rows are also seen without their phrasing (only types, direction, "
                                     "particles, negation, clause breaks, entity words), at this weight: a "
                                     "phrasing training never saw falls back on those (0: off).")
    two_stage: bool = Field(True, description="P(a relation holds) from one model, P(which | one holds) from a "
                                              "second fitted on the related pairs only: an unseen phrasing of a "
                                              "well-formed pair is not no_relation by default.")
    hash_features: int = Field(2**18, ge=1024, description="Hashed feature space (no vocabulary to store; the "
                                                        "coefficients are 30 x this float32).")
    class_weight: Literal["none", "inverse", "sqrt", "effective"] = Field(
        "sqrt", description="Rarer relations weigh more (no_relation is about half of KLUE).")
    class_weight_power: float = Field(1.0, ge=0, le=2, description="Weights are raised to this (0: none).")


class TransformerModel(StrictModel):
    """The seed's model: a pretrained encoder + classification head, fine-tuned with entity markers."""

    model_id: str = Field("klue/roberta-base", description="Hugging Face id or a local folder "
                                                          "(transformers' AutoModelForSequenceClassification).")
    markers: Literal["plain", "typed", "punct"] = Field(
        "plain", description="plain: [E1]..[/E1] [E2]..[/E2]; typed: [E1:PER]..; punct: @ * PER * .. @ "
                             "(no new tokens). New markers are special tokens; the embeddings are resized.")
    max_length: int = Field(256, ge=16, le=4096, description="Tokens; longer sentences are cut around the pair.")
    loss: LossConfig = Field(default_factory=lambda: LossConfig(kind="ce", class_weight="sqrt"),
                             description="Class-weighted cross-entropy (class_weight: inverse, sqrt, none, ...).")
    dropout: float | None = Field(None, ge=0, lt=1, description="Classifier dropout (None: the model's own).")
    device: str = "auto"
    batch_size: int = Field(32, ge=1, description="Inference batch size (rows are sorted by length first).")


class ModelConfig(StrictModel):
    kind: Literal["offline", "transformer"] = Field(
        "offline", description="offline: entity-aware n-grams + LR (no weights); transformer: model.transformer.")
    offline: OfflineModel = Field(default_factory=OfflineModel)
    transformer: TransformerModel = Field(default_factory=TransformerModel)


class ResourcesConfig(StrictModel):
    """Tokenising and the offline features are light (tasks); the model runs in an actor pool
    (give it num_gpus 1 on a GPU machine: concurrency = GPUs)."""

    prepare: StageResources = Field(default_factory=lambda: StageResources(batch_size=256, num_cpus=0.5))
    model: StageResources = Field(default_factory=lambda: StageResources(batch_size=256, num_cpus=0.5))


class RelationConfig(TaskConfig):
    model: ModelConfig = Field(default_factory=ModelConfig)
    train: TrainArgs = Field(default_factory=lambda: TrainArgs(
        epochs=5, batch_size=32, lr=5e-5, weight_decay=0.01, warmup_epochs=0.5, scheduler="cosine_warmup_restarts", restart_period=5, restart_mult=1,
        early_stopping=EarlyStopping(monitor="f1", patience=2), val_fraction=0.1), description="Fine-tuning of model.kind=transformer (the shared loop's arguments).")
    references: ReferencesConfig = Field(default_factory=lambda: ReferencesConfig(
        names=["majority", "uniform", "prior", "tfidf_lr"], text_column="marked", ngram_max=4))
    errors_shown: int = Field(50, ge=0, description="Error samples written by evaluate (most confident first).")
    resources: ResourcesConfig = Field(default_factory=ResourcesConfig)
