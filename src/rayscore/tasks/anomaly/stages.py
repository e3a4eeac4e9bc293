"""Ray Data stages of W4: decode (+ log-mel statistics) in tasks, the HF audio model in an actor
pool, scoring in tasks. Serving runs the same stages in-process."""

from __future__ import annotations

import numpy as np

from rayscore.media.audio import load_audio
from rayscore.pipeline.stage import Batch, map_batched, map_rows, media_of
from rayscore.tasks.anomaly.config import AnomalyConfig
from rayscore.tasks.anomaly.model import AnomalyModel, embedding_column, score_row

AUDIO = "_audio"
_EMPTY = np.zeros(0, dtype=np.float32)


def decode(batch: Batch, cfg: AnomalyConfig, logmel: bool, keep_audio: bool) -> Batch:
    """16 kHz mono 10 s clips; log-mel statistics right here when a machine type uses them."""
    from rayscore.encoders.logmel import logmel_stats

    def one(row: dict) -> dict:
        y = load_audio(media_of(row), cfg.audio)
        out = {AUDIO: y if keep_audio else _EMPTY}
        if logmel:
            out[embedding_column("logmel_stats")] = logmel_stats(y, cfg.audio.target_sr, **cfg.encoder.logmel.model_dump())
        return out

    outputs: dict = {AUDIO: _EMPTY}
    if logmel:
        outputs[embedding_column("logmel_stats")] = _EMPTY
    return map_rows(batch, "decode", one, outputs, drop=() if keep_audio else (AUDIO,))


class HFEmbed:
    """Embeddings of a transformers audio model (AST by default), loaded once per actor."""

    def __init__(self, cfg: AnomalyConfig) -> None:
        from rayscore.encoders import get_encoder

        h = cfg.encoder.hf
        self.encoder = get_encoder("hf_audio", model_id=h.model_id, device=h.device, normalize=h.normalize)
        self.sr = cfg.audio.target_sr

    def __call__(self, batch: Batch) -> Batch:
        return map_batched(batch, "encode", lambda clips: self.encoder.embed_audio(clips, self.sr), AUDIO,
                           embedding_column("hf_audio"), drop=(AUDIO,))


def score(batch: Batch, cfg: AnomalyConfig, model: AnomalyModel) -> Batch:
    """Score, threshold and alarm of each clip from its asset's scorer."""
    outputs = {"score": float("nan"), "threshold": float("nan"), "alarm": None, "engine": None}
    return map_rows(batch, "score", lambda row: score_row(model, cfg, row), outputs)
