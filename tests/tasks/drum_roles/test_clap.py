"""The CLAP path on a tiny randomly initialised ClapModel saved to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rayscore.encoders.clap import ClapEncoder
from rayscore.tasks.drum_roles.assigner import RoleAssigner
from rayscore.tasks.drum_roles.clap import ClapRoleScorer
from rayscore.tasks.drum_roles.config import ClapConfig, DrumRolesConfig
from rayscore.tasks.drum_roles.types import ROLES
from tests.conftest import decaying_sine, white_noise


def clap_cfg(model: Path, cache: Path) -> ClapConfig:
    return ClapConfig(model_id=str(model), cache_dir=str(cache), device="cpu")


def test_encoder_embeds_text_and_audio_of_any_length(tiny_clap_dir):
    enc = ClapEncoder(str(tiny_clap_dir), device="cpu")
    text = enc.embed_text(["kick drum", "snare, clap"])
    assert text.shape == (2, 16)
    np.testing.assert_allclose(np.linalg.norm(text, axis=1), 1.0, rtol=1e-5)
    clips = [decaying_sine(60, 0.1), white_noise(seconds=25.0)]  # the second spans 3 windows
    audio = enc.embed_audio(clips, sr=16000)
    assert audio.shape == (2, 16) and np.all(np.isfinite(audio))
    np.testing.assert_allclose(np.linalg.norm(audio, axis=1), 1.0, rtol=1e-5)
    assert not np.allclose(audio[0], audio[1])


def test_scorer_similarities_probabilities_and_prompt_cache(tiny_clap_dir, tmp_path, monkeypatch):
    cfg = clap_cfg(tiny_clap_dir, tmp_path / "cache")
    scorer = ClapRoleScorer(cfg)
    sims = scorer.similarities([decaying_sine(60, 0.1), white_noise()], sr=16000)
    assert sims.shape == (2, len(ROLES)) and np.all(np.abs(sims) <= 1.0 + 1e-5)
    p = scorer.probabilities(sims)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    cached = list((tmp_path / "cache").glob("*.safetensors"))
    assert len(cached) == 1

    def no_text(*a, **k):
        raise AssertionError("prompt embeddings must come from the cache")

    monkeypatch.setattr(ClapEncoder, "embed_text", no_text)
    again = ClapRoleScorer(cfg)
    np.testing.assert_array_equal(again.role_embeddings, scorer.role_embeddings)
    # Different prompts are a different cache entry.
    monkeypatch.undo()
    prompts = {**{r.value: cfg.prompts[r] for r in ROLES}, "CORE": ["808 kick"]}
    other = ClapRoleScorer(cfg.model_copy(update={"prompts": ClapConfig(prompts=prompts).prompts}))
    assert len(list((tmp_path / "cache").glob("*.safetensors"))) == 2
    assert not np.allclose(other.role_embeddings[0], scorer.role_embeddings[0])


def test_assigner_fuses_clap_with_rules(tiny_clap_dir, tmp_path):
    cfg = DrumRolesConfig(clap=clap_cfg(tiny_clap_dir, tmp_path), fusion={"alpha": 0.5},
                          guards={"enabled": False})
    res = RoleAssigner(cfg).assign_audio(decaying_sine(60, 0.05), sr=16000, sample_id="k")
    assert res.scores.clap is not None and res.clap_similarities is not None
    expected = 0.5 * res.scores.rule.values + 0.5 * res.scores.clap.values
    np.testing.assert_allclose(res.scores.final.values, expected / expected.sum())
    # tau_clap: a lower temperature gives sharper CLAP probabilities from the same similarities
    cold = DrumRolesConfig(clap=clap_cfg(tiny_clap_dir, tmp_path).model_copy(update={"tau_clap": 0.01}),
                           fusion={"alpha": 0.5})
    res_cold = RoleAssigner(cold).assign_audio(decaying_sine(60, 0.05), sr=16000)
    assert res_cold.scores.clap.values.max() >= res.scores.clap.values.max()


def test_clap_is_not_loaded_when_alpha_is_one(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("CLAP must not load when fusion.alpha == 1")

    monkeypatch.setattr(ClapRoleScorer, "__init__", boom)
    monkeypatch.setattr(ClapEncoder, "__init__", boom)
    cfg = DrumRolesConfig(fusion={"alpha": 1.0}, clap={"model_id": "/does/not/exist"})
    res = RoleAssigner(cfg).assign_audio(decaying_sine(60, 0.05), sr=16000)
    assert res.role.value == "CORE" and res.scores.clap is None


def test_missing_clap_weights_fail_before_any_work():
    from rayscore.config import ConfigError
    from rayscore.tasks import get_task

    task = get_task("drum_roles")
    cfg = task.load_config(overrides=["clap.model_id=/does/not/exist"])
    with pytest.raises(ConfigError, match=r"fusion\.alpha=1\.0"):
        task.preflight(cfg)
    task.preflight(task.load_config(overrides=["clap.model_id=/does/not/exist", "fusion.alpha=1.0"]))
