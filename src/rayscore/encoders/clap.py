"""CLAP audio and text embeddings through transformers' ``ClapModel``.

Example:
    >>> enc = ClapEncoder("laion/clap-htsat-unfused")          # doctest: +SKIP
    >>> enc.embed_audio([np.zeros(16000, np.float32)], sr=16000).shape   # doctest: +SKIP
    (1, 512)
"""

from __future__ import annotations

import librosa
import numpy as np

from rayscore.encoders import register_encoder
from rayscore.encoders._hf import model_fingerprint, resolve_device


def _pooled(out: object) -> np.ndarray:
    # transformers >= 5 returns a model output whose pooler_output is the projected
    # embedding; older versions return the tensor itself.
    tensor = getattr(out, "pooler_output", out)
    return tensor.detach().float().cpu().numpy()


def _l2(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


@register_encoder("clap")
class ClapEncoder:
    """Loads a CLAP model by Hugging Face id or local directory."""

    def __init__(self, model_id: str, device: str = "auto") -> None:
        import torch
        from transformers import ClapModel, ClapProcessor

        self.model_id = model_id
        self.device = resolve_device(device)
        self.processor = ClapProcessor.from_pretrained(model_id)
        self.model = ClapModel.from_pretrained(model_id).to(self.device).eval()
        self.identity = model_fingerprint(model_id, self.model.config)
        fe = self.processor.feature_extractor
        self.sampling_rate = int(fe.sampling_rate)
        self.window = int(fe.nb_max_samples)
        self._torch = torch

    def embed_text(self, texts: list[str]) -> np.ndarray:
        """L2-normalised text embeddings, one row per text."""
        inputs = self.processor(text=texts, return_tensors="pt", padding=True)
        inputs = {k: v.to(self.device) for k, v in inputs.items()}
        with self._torch.inference_mode():
            return _l2(_pooled(self.model.get_text_features(**inputs)))

    def embed_audio(self, audios: list[np.ndarray], sr: int) -> np.ndarray:
        """L2-normalised audio embeddings, one row per clip.

        Clips are resampled to the model's rate; a clip longer than the model's
        window is embedded window by window and the windows are averaged.
        """
        windows, owner = [], []
        for i, y in enumerate(audios):
            y = np.asarray(y, dtype=np.float32)
            if sr != self.sampling_rate:
                y = librosa.resample(y, orig_sr=sr, target_sr=self.sampling_rate, res_type="soxr_hq")
            for start in range(0, max(len(y), 1), self.window):
                windows.append(y[start : start + self.window])
                owner.append(i)
        inputs = self.processor(audio=windows, sampling_rate=self.sampling_rate, return_tensors="pt")
        inputs = {k: v.to(self.device) for k, v in inputs.items()}
        with self._torch.inference_mode():
            emb = _l2(_pooled(self.model.get_audio_features(**inputs)))
        owner_arr = np.asarray(owner)
        pooled = np.stack([emb[owner_arr == i].mean(axis=0) for i in range(len(audios))])
        return _l2(pooled)
