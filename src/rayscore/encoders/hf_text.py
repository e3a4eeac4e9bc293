"""Sentence embeddings from a transformers text model (ko-sroberta by default).

The embedding is the first ([CLS]) token of the last hidden state, layer-normalised
(without learned scale or shift) and L2-normalised, as the W1 seed does.

Example:
    >>> enc = HFTextEncoder("jhgan/ko-sroberta-multitask")        # doctest: +SKIP
    >>> enc.embed_text(["사람이 쓰러졌어요"]).shape                  # doctest: +SKIP
    (1, 768)
"""

from __future__ import annotations

import numpy as np

from rayscore.encoders import register_encoder
from rayscore.encoders._hf import model_fingerprint, resolve_device


@register_encoder("hf_text")
class HFTextEncoder:
    def __init__(self, model_id: str, device: str = "auto", max_length: int = 384) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.device = resolve_device(device)
        self.tokenizer = AutoTokenizer.from_pretrained(model_id)
        self.model = AutoModel.from_pretrained(model_id).to(self.device).eval()
        self.identity = model_fingerprint(model_id, self.model.config)
        self.max_length = max_length
        self.dim = int(self.model.config.hidden_size)
        self._torch = torch

    def embed_text(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text; longer texts are truncated to ``max_length`` tokens."""
        import torch.nn.functional as F

        inputs = self.tokenizer(list(texts), max_length=self.max_length, truncation=True, padding=True,
                                return_tensors="pt")
        inputs = {k: v.to(self.device) for k, v in inputs.items()}
        with self._torch.inference_mode():
            cls = self.model(**inputs).last_hidden_state[:, 0].float()
            cls = F.layer_norm(cls, (cls.shape[-1],))
            return F.normalize(cls, dim=-1).cpu().numpy()
