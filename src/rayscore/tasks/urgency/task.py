"""W1, emergency-call urgency ("UrgencySense") as the platform sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from rayscore.config import ConfigError
from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.embed import EncoderSpec
from rayscore.pipeline.stage import Stage
from rayscore.serving.spec import RequestField, RequestSpec
from rayscore.tasks import register_task
from rayscore.tasks.base import Importer, Task
from rayscore.tasks.urgency import stages
from rayscore.tasks.urgency.aihub import import_aihub
from rayscore.tasks.urgency.config import LEVELS, UrgencyConfig
from rayscore.tasks.urgency.model import FEATURES_COL, TEXT_COLUMN, fit_model, load_model
from rayscore.tasks.urgency.synth import generate_calls


class UrgencyPrediction(BaseModel):
    """A served urgency level."""

    id: str
    model: str = Field(description="The registered model that answered, urgency:<version>.")
    level: str = Field(description="하 (low), 중 (medium) or 상 (high).")
    level_index: int = Field(description="0, 1 or 2: the ordinal level.")
    confidence: float = Field(description="Probability of the predicted level.")
    probabilities: dict[str, float] = Field(description="Probability per level.")


@register_task
class UrgencyTask(Task):
    name = "urgency"
    config_cls = UrgencyConfig
    folder_importer = "aihub"
    progress_unit = "epoch"
    cv_strategy = "stratified"  # AI Hub groups are region x call type: not sources of look-alike calls
    needs_model = True
    request = RequestSpec(file="audio", summary="score one recording with its transcript", fields=[
        RequestField(name="transcript", into="text", min_length=1, max_length=20000,
                     description="What was said in the call (its transcript).")])
    response_model = UrgencyPrediction

    def label_names(self, cfg: UrgencyConfig) -> list[str]:
        return list(LEVELS)

    def importers(self) -> dict[str, Importer]:
        return {"aihub": lambda source, cfg: import_aihub(source)}

    def generate(self, out_dir: Path, n: int, seed: int, cfg: UrgencyConfig) -> Manifest:
        return generate_calls(out_dir, n=n, seed=seed)

    def preflight(self, cfg: UrgencyConfig) -> None:
        from rayscore.encoders._hf import model_available

        for key, enc in (("audio_encoder", cfg.audio_encoder), ("text_encoder", cfg.text_encoder)):
            if enc.name == "hf" and not model_available(enc.model_id):
                offline = "dsp" if key == "audio_encoder" else "tfidf"
                raise ConfigError(
                    f"{key}.model_id '{enc.model_id}' is neither a local model folder nor in the Hugging Face "
                    f"cache; download it, point {key}.model_id at a local copy, or use {key}.name={offline} "
                    "(no weights needed)"
                )

    def encoders(self, cfg: UrgencyConfig) -> list[EncoderSpec]:
        from rayscore.encoders._hf import model_fingerprint

        audio = cfg.audio.model_dump(mode="json")
        res = cfg.resources
        dsp = cfg.audio_encoder.name == "dsp"
        acoustic_key = {"version": 1, "audio": audio, "features": cfg.features.model_dump(mode="json")}
        if dsp:
            acoustic_key["logmel"] = cfg.audio_encoder.logmel.model_dump(mode="json")
        specs = [EncoderSpec(
            name="acoustic", key=acoustic_key,
            stages=[Stage("decode", stages.decode, {"cfg": cfg, "keep_audio": False}, res.decode)],
            columns=[FEATURES_COL, *(["emb_logmel"] if dsp else [])],
        )]
        if not dsp:
            specs.append(EncoderSpec(
                name="hf_audio",
                key={"version": 1, "audio": audio, "model": model_fingerprint(cfg.audio_encoder.model_id)},
                stages=[Stage("decode", stages.decode, {"cfg": cfg, "keep_audio": True}, res.decode),
                        Stage("encode_audio", stages.AudioEmbed, {"cfg": cfg}, res.audio_model)],
                columns=["emb_hf_audio"],
            ))
        if cfg.text_encoder.name == "hf":
            specs.append(EncoderSpec(
                name="hf_text",
                key={"version": 1, "model": model_fingerprint(cfg.text_encoder.model_id),
                     "max_length": cfg.text_encoder.max_length},
                stages=[Stage("encode_text", stages.TextEmbed, {"cfg": cfg}, res.text_model)],
                columns=[TEXT_COLUMN],
            ))
        return specs

    def stages(self, cfg: UrgencyConfig, model: Any = None) -> list[Stage]:
        if model is None:
            raise ConfigError(
                "urgency scoring needs a trained model: `rayscore train urgency --input <corpus>` (or "
                "`--sweep runs/tune/urgency`) registers one; then pass --model urgency:<version|alias>"
            )
        fitted = model  # a registered version loads in the Predict actor's __init__
        res = cfg.resources
        hf_audio = cfg.audio_encoder.name == "hf"
        pipeline = [Stage("decode", stages.decode, {"cfg": cfg, "keep_audio": hf_audio}, res.decode)]
        if hf_audio:
            pipeline.append(Stage("encode_audio", stages.AudioEmbed, {"cfg": cfg}, res.audio_model))
        if cfg.text_encoder.name == "hf":
            pipeline.append(Stage("encode_text", stages.TextEmbed, {"cfg": cfg}, res.text_model))
        pipeline.append(Stage("predict", stages.Predict, {"cfg": cfg, "model": fitted}, res.model))
        return pipeline

    def fit(self, cfg: UrgencyConfig, train: pd.DataFrame, valid: pd.DataFrame | None = None, resume: Any = None):
        # Early stopping uses fit's own stratified split of `train`: a tuning fold's `valid`
        # rows only ever score the model, so cross-validated scores stay honest.
        yield from fit_model(cfg, train, resume)

    def cheap_fit(self, cfg: UrgencyConfig) -> bool:
        return cfg.model.kind == "linear"

    def max_epochs(self, cfg: UrgencyConfig) -> int:
        return cfg.train.epochs

    def predict(self, model: Any, cfg: UrgencyConfig, features: pd.DataFrame) -> pd.DataFrame:
        cols = stages.prediction_columns(model.predict_proba(features, cfg))
        return features.assign(**{k: list(v) if v.dtype == object else v for k, v in cols.items()})

    def model_tensors(self, model: Any) -> dict[str, Any]:
        return model.tensors()

    def model_args(self, model: Any) -> dict[str, Any]:
        return model.model_args() if hasattr(model, "model_args") else {"kind": "linear"}

    def load_model(self, cfg: UrgencyConfig, tensors: dict[str, Any], model_args: dict[str, Any] | None = None) -> Any:
        return load_model(cfg, tensors, model_args)

    def response(self, row: dict[str, Any], cfg: UrgencyConfig) -> dict[str, Any]:
        return {"level": row["prediction"], "level_index": int(row["level_index"]),
                "confidence": float(row["confidence"]),
                "probabilities": {lab: float(row[f"p_{lab}"]) for lab in LEVELS}}
