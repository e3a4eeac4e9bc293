"""CLAP role scoring (seed 001, ``clap/scoring.py``): audio vs. role-prompt similarity.

Prompt embeddings are computed once per (model, prompts) and cached on disk as
safetensors, so actors after the first start without touching the text tower.

Example:
    >>> scorer = ClapRoleScorer(ClapConfig(model_id="/models/tiny-clap"))  # doctest: +SKIP
    >>> sims = scorer.similarities([y], sr=16000)                          # doctest: +SKIP
    >>> scorer.probabilities(sims)[0].sum()                                # doctest: +SKIP
    1.0
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

from rayscore.encoders import get_encoder
from rayscore.tasks.drum_roles.config import ClapConfig
from rayscore.tasks.drum_roles.rules import softmax
from rayscore.tasks.drum_roles.types import ROLES


class ClapRoleScorer:
    """Cosine similarity of each clip to each role's prompts, and their softmax."""

    def __init__(self, cfg: ClapConfig) -> None:
        self.cfg = cfg
        self.encoder = get_encoder("clap", model_id=cfg.model_id, device=cfg.device)
        self.role_embeddings = self._role_embeddings()  # (n_roles, dim)

    def _cache_path(self) -> Path:
        prompts = {r.value: self.cfg.prompts[r] for r in ROLES}
        key = json.dumps({"model": self.encoder.identity, "prompts": prompts}, sort_keys=True)
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        return Path(self.cfg.cache_dir).expanduser() / f"{digest}.safetensors"

    def _role_embeddings(self) -> np.ndarray:
        path = self._cache_path()
        if self.cfg.cache_text_embeddings and path.is_file():
            return load_file(str(path))["roles"]
        rows = []
        for role in ROLES:
            emb = self.encoder.embed_text(list(self.cfg.prompts[role])).mean(axis=0)
            rows.append(emb / max(np.linalg.norm(emb), 1e-12))
        roles = np.stack(rows).astype(np.float32)
        if self.cfg.cache_text_embeddings:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{np.random.randint(1 << 30)}.tmp")
            save_file({"roles": roles}, str(tmp))
            tmp.replace(path)  # atomic: several actors may race to write the same entry
        return roles

    def similarities(self, audios: list[np.ndarray], sr: int) -> np.ndarray:
        """(n_clips, n_roles) cosine similarities."""
        return self.encoder.embed_audio(audios, sr) @ self.role_embeddings.T

    def probabilities(self, similarities: np.ndarray) -> np.ndarray:
        """``p_clap``: softmax of similarities at temperature ``tau_clap``."""
        return softmax(similarities, self.cfg.tau_clap)
