"""Ray Data stages of W1: decode + acoustic features (tasks), the HF audio and text encoders
and the fusion model (actor pools). Serving runs the same stages in-process."""

from __future__ import annotations

from typing import Any

import numpy as np

from rayscore.encoders.logmel import logmel_stats
from rayscore.errors import RowError
from rayscore.media.audio import load_audio
from rayscore.pipeline.stage import Batch, map_batched, map_rows, media_of, predict_probabilities
from rayscore.tasks.urgency.config import LEVELS, UrgencyConfig
from rayscore.tasks.urgency.features import call_features
from rayscore.tasks.urgency.model import FEATURES_COL, TEXT_COLUMN, load_model

AUDIO = "_audio"
_EMPTY = np.zeros(0, dtype=np.float32)


def transcript(row: dict[str, Any]) -> str:
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RowError("empty transcript: urgency needs the call's text as well as its audio", stage="text")
    return text


def decode(batch: Batch, cfg: UrgencyConfig, keep_audio: bool) -> Batch:
    """16 kHz mono call audio -> the five features (+ log-mel statistics for the offline encoder)."""
    dsp = cfg.audio_encoder.name == "dsp"

    def one(row: dict) -> dict:
        transcript(row)
        y = load_audio(media_of(row), cfg.audio)
        sr = cfg.audio.target_sr
        out = {FEATURES_COL: call_features(y, sr, cfg.features), AUDIO: y if keep_audio else _EMPTY}
        if dsp:
            out["emb_logmel"] = logmel_stats(y, sr, **cfg.audio_encoder.logmel.model_dump())
        return out

    outputs: dict = {FEATURES_COL: _EMPTY, AUDIO: _EMPTY}
    if dsp:
        outputs["emb_logmel"] = _EMPTY
    return map_rows(batch, "decode", one, outputs, drop=() if keep_audio else (AUDIO,))


def _standardize(y: np.ndarray) -> np.ndarray:
    """Zero mean, unit variance: the seed normalises the waveform before data2vec."""
    y = np.asarray(y, dtype=np.float32)
    return (y - y.mean()) / (y.std() + 1e-7)


class AudioEmbed:
    """data2vec-audio (or any transformers audio model) embeddings, loaded once per actor."""

    def __init__(self, cfg: UrgencyConfig) -> None:
        from rayscore.encoders import get_encoder

        e = cfg.audio_encoder
        self.encoder = get_encoder("hf_audio", model_id=e.model_id, device=e.device, normalize=True)
        self.sr = cfg.audio.target_sr

    def __call__(self, batch: Batch) -> Batch:
        return map_batched(batch, "encode_audio",
                           lambda clips: self.encoder.embed_audio([_standardize(y) for y in clips], self.sr),
                           AUDIO, "emb_hf_audio", drop=(AUDIO,))


class TextEmbed:
    """ko-sroberta (or any transformers text model) [CLS] embeddings, loaded once per actor."""

    def __init__(self, cfg: UrgencyConfig) -> None:
        from rayscore.encoders import get_encoder

        e = cfg.text_encoder
        self.encoder = get_encoder("hf_text", model_id=e.model_id, device=e.device, max_length=e.max_length)

    def __call__(self, batch: Batch) -> Batch:
        return map_batched(batch, "encode_text", self.encoder.embed_text, "text", TEXT_COLUMN)


def prediction_columns(probs: np.ndarray) -> dict[str, np.ndarray]:
    top = probs.argmax(axis=1)
    cols = {"prediction": np.array([LEVELS[i] for i in top], dtype=object),
            "level_index": top.astype(np.float64), "confidence": probs.max(axis=1).astype(np.float64)}
    cols |= {f"p_{lab}": probs[:, i].astype(np.float64) for i, lab in enumerate(LEVELS)}
    return cols


class Predict:
    """The fusion model, rebuilt from its registry tensors once per actor."""

    def __init__(self, cfg: UrgencyConfig, model: Any) -> None:
        from rayscore.tasks import get_task

        self.cfg = cfg
        model = get_task("urgency").in_memory(cfg, model)
        self.model = load_model(cfg, model) if isinstance(model, dict) else model

    def __call__(self, batch: Batch) -> Batch:
        return predict_probabilities(batch, lambda rows: self.model.predict_proba(rows, self.cfg), len(LEVELS),
                                     prediction_columns)
