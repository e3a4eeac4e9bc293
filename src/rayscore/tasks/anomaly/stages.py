"""Ray Data stages of W4: decode (+ log-mel statistics) in tasks, the HF audio model in an actor
pool, scoring in tasks. Serving runs the same stages in-process."""

from __future__ import annotations

import numpy as np

from rayscore.media.audio import load_audio
from rayscore.pipeline.stage import (
    Batch,
    describe_error,
    ensure_error_columns,
    fail_row,
    map_rows,
    media_of,
    ok_mask,
    row_count,
)
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
        batch = ensure_error_columns(dict(batch))
        n = row_count(batch)
        col = np.empty(n, dtype=object)
        col[:] = [_EMPTY] * n
        idx = np.flatnonzero(ok_mask(batch))
        if idx.size:
            try:
                emb = self.encoder.embed_audio([batch[AUDIO][i] for i in idx], self.sr)
                for j, i in enumerate(idx):
                    col[i] = emb[j]
            except Exception:  # noqa: BLE001 - one by one, to find the row at fault
                for i in idx:
                    try:
                        col[i] = self.encoder.embed_audio([batch[AUDIO][i]], self.sr)[0]
                    except Exception as exc:  # noqa: BLE001
                        fail_row(batch, i, "encode", describe_error(exc))
        batch[embedding_column("hf_audio")] = col
        batch.pop(AUDIO, None)
        return batch


def score(batch: Batch, cfg: AnomalyConfig, model: AnomalyModel) -> Batch:
    """Score, threshold and alarm of each clip from its asset's scorer."""
    outputs = {"score": float("nan"), "threshold": float("nan"), "alarm": None, "engine": None}
    return map_rows(batch, "score", lambda row: score_row(model, cfg, row), outputs)
