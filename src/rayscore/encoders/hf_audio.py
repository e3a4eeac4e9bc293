"""Audio embeddings from a transformers audio model (AST, data2vec-audio, wav2vec2, ...).

Loaded by Hugging Face id or local directory through the Auto classes; the
embedding is the mean of the last hidden state over time (optionally
L2-normalised), as the W1 seed pools data2vec and the W4 seed pools AST.

Example:
    >>> enc = HFAudioEncoder("MIT/ast-finetuned-audioset-10-10-0.4593")     # doctest: +SKIP
    >>> enc.embed_audio([y], sr=16000).shape                                  # doctest: +SKIP
    (1, 768)
"""

from __future__ import annotations

import librosa
import numpy as np

from rayscore.encoders import register_encoder
from rayscore.encoders._hf import model_fingerprint, resolve_device


@register_encoder("hf_audio")
class HFAudioEncoder:
    def __init__(self, model_id: str, device: str = "auto", normalize: bool = True) -> None:
        import torch
        from transformers import AutoFeatureExtractor, AutoModel

        self.device = resolve_device(device)
        self.extractor = AutoFeatureExtractor.from_pretrained(model_id)
        self.model = AutoModel.from_pretrained(model_id).to(self.device).eval()
        self.identity = model_fingerprint(model_id, self.model.config)
        self.sampling_rate = int(getattr(self.extractor, "sampling_rate", 16000))
        self.normalize = normalize
        self.dim = int(self.model.config.hidden_size)
        self._torch = torch

    def embed_audio(self, audios: list[np.ndarray], sr: int) -> np.ndarray:
        """One embedding per clip, independent of which clips share its batch.

        Clips of equal length go through the model together; clips of different
        lengths are never padded into one batch, because padding leaks into
        waveform models (data2vec, wav2vec2) through their convolutions, so a
        call would embed differently in a batch job and over HTTP.
        """
        clips = [np.asarray(y, dtype=np.float32) for y in audios]
        if sr != self.sampling_rate:
            clips = [librosa.resample(y, orig_sr=sr, target_sr=self.sampling_rate, res_type="soxr_hq") for y in clips]
        by_length: dict[int, list[int]] = {}
        for i, y in enumerate(clips):
            by_length.setdefault(len(y), []).append(i)
        out = np.zeros((len(clips), self.dim), dtype=np.float32)
        for idx in by_length.values():
            out[idx] = self._embed([clips[i] for i in idx])
        return out

    def _embed(self, clips: list[np.ndarray]) -> np.ndarray:
        inputs = self.extractor(clips, sampling_rate=self.sampling_rate, return_tensors="pt")
        inputs = {k: v.to(self.device) for k, v in inputs.items()}
        with self._torch.inference_mode():
            emb = self.model(**inputs).last_hidden_state.mean(dim=1)  # mean over time (AST: over patches)
        out = emb.float().cpu().numpy()
        if self.normalize:
            out = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out
