"""The learned role classifier beside the rules: descriptors, training, the registry, scoring,
serving's predictor, and behaviour on textbook hits it never saw (public-layout fixtures)."""

from __future__ import annotations

import numpy as np
import pytest

from rayscore.config import ConfigError
from rayscore.pipeline.embed import FeatureCache, embed
from rayscore.pipeline.evaluate import evaluate
from rayscore.pipeline.train import train
from rayscore.registry import ModelRegistry
from rayscore.tasks import get_task
from rayscore.tasks.drum_roles.augment import augment
from rayscore.tasks.drum_roles.descriptors import NAMES, describe
from rayscore.tasks.drum_roles.libraries import LMMS_RULES, SONIC_PI_RULES, _match
from tests import public_layouts as pl

TASK = get_task("drum_roles")
ON = ["fusion.alpha=1.0", "classifier.enabled=true"]


def test_descriptors_are_level_invariant_and_named():
    y = pl.drum_hit("kick", 3, 16000)
    d = describe(y, 16000)
    assert d.shape == (len(NAMES),) and np.isfinite(d).all()
    np.testing.assert_allclose(describe(0.25 * y, 16000), d, atol=1e-3)  # a quieter recording, same sound


def test_augmented_copies_change_the_recording_not_the_sound_kind():
    rng = np.random.default_rng(0)
    y = pl.drum_hit("snare", 1, 44100)
    copies = [augment(y, 44100, rng) for _ in range(5)]
    assert all(c.dtype == np.float32 and np.isfinite(c).all() and 0.25 < np.abs(c).max() <= 0.95 for c in copies)
    assert len({len(c) for c in copies}) > 1  # retuned copies are longer or shorter, as on a sampler


def test_library_name_rules():
    assert _match("bassdrum_acoustic01", LMMS_RULES) == "CORE" and _match("hihat_opened02", LMMS_RULES) == "MOTION"
    assert _match("tabla_na", SONIC_PI_RULES) == "FILL" and _match("ambi_drone", SONIC_PI_RULES) == "TEXTURE"
    assert _match("ambi_piano", SONIC_PI_RULES) is None and _match("loop_amen", SONIC_PI_RULES) is None


def test_scoring_with_the_classifier_needs_a_trained_model():
    with pytest.raises(ConfigError, match="classifier.enabled needs a trained classifier"):
        TASK.stages(TASK.load_config(overrides=ON))


@pytest.mark.slow
def test_classifier_trains_registers_and_scores_unseen_textbook_hits(ray_local, tmp_path):
    cfg = TASK.load_config(overrides=ON)
    corpus = TASK.generate(tmp_path / "gen", n=150, seed=4, cfg=cfg)
    reg = ModelRegistry(tmp_path / "models")
    version = train(TASK, overrides=ON, source=corpus, registry=reg, cache=FeatureCache(tmp_path / "cache"))
    tensors = version.tensors()
    assert {"classifier::coef", "classifier::mu"} <= set(tensors)
    assert "rules + a class-balanced logistic regression" in version.metrics()["model_notes"]["model"]
    assert "Beside simple references" in (version.path / "MODEL_CARD.md").read_text()
    # textbook hits from a pack it never saw (plain synthesis, not its generator)
    pack = tmp_path / "pack"
    pl.sample_pack(pack, per_role=3)
    frame = TASK.importers()["folder"](pack, cfg).df
    frame = frame[frame["skipped"].isna() & frame["label"].notna()]
    from rayscore.corpus.manifest import Manifest

    model_cfg = TASK.load_config(version.config_path)
    metrics, result = evaluate(TASK, model_cfg, Manifest(frame, root=pack), tmp_path / "eval", model=version)
    preds = result.predictions.set_index("id")
    assert {"p_learned_CORE", "p_rule_CORE", "p_CORE"} <= set(preds.columns)
    kicks = preds[preds.index.str.startswith("Kicks/kick_0")]
    assert (kicks["role"] == "CORE").all()  # minimum functionality: a textbook kick is CORE
    assert metrics["macro_f1"] > 0.5 and "references" in metrics
    # the served predictor runs the same stages on uploaded bytes
    from rayscore.serving.predictor import TaskPredictor

    predictor = TaskPredictor(TASK, model_cfg, version)
    path = pack / "Kicks" / "kick_00.wav"
    (answer,) = predictor.predict([{"id": "k", "media": path.read_bytes()}])
    assert answer["ok"] and answer["body"]["role"] == preds.loc["Kicks/kick_00.wav", "role"]
    assert answer["body"]["scores"]["CORE"] == pytest.approx(preds.loc["Kicks/kick_00.wav", "p_CORE"], abs=1e-6)


def test_generator_adds_augmented_copies_under_their_source_kit(tmp_path):
    source_root = tmp_path / "kits"
    for role, kind in (("CORE", "kick"), ("ACCENT", "snare")):
        for i in range(2):
            pl.write_wav(source_root / "MyKit" / role / f"{kind}{i}.wav", pl.drum_hit(kind, i, 44100), 44100)
    cfg = TASK.load_config(overrides=[f"generator.augment_from={source_root}", "generator.augment_format=folder",
                                      "generator.variants=3"])
    m = TASK.generate(tmp_path / "gen", n=10, seed=0, cfg=cfg)
    aug = m.df[m.df["id"].str.contains("/aug_")]
    assert len(aug) == 4 * 3 and set(aug["group"]) == {"MyKit"} and set(aug["label"]) == {"CORE", "ACCENT"}
    assert embed(TASK, TASK.load_config(overrides=ON), m, cache=None, engine="local").errors.empty
