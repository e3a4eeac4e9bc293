"""W1 building blocks: the five features, the offline text encoder, the losses, the training loop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from rayscore.registry import ModelRegistry
from rayscore.tasks import get_task
from rayscore.tasks.urgency.config import LEVELS, AudioFeatures, TextEncoder
from rayscore.tasks.urgency.features import FEATURES, call_features
from rayscore.tasks.urgency.model import (
    UrgencyModel,
    class_weights,
    fit_model,
    kl_loss,
    ordinal_focal_loss,
    ordinal_soft_labels,
)
from rayscore.tasks.urgency.scenarios import phrases
from rayscore.tasks.urgency.text import TfidfSVD, _hasher

TASK = get_task("urgency")
SR = 16000


def test_five_features_on_known_signals():
    t = np.arange(2 * SR) / SR
    y = (0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    y[SR:] = 0.0  # one second of tone, one of silence
    f = dict(zip(FEATURES, call_features(y, SR, AudioFeatures()), strict=True))
    assert f["duration_sec"] == pytest.approx(2.0)
    assert f["speech_ratio"] == pytest.approx(0.5, abs=0.02)
    assert f["energy_mean"] == pytest.approx(0.5**2 / 2 / 2, rel=0.01)  # sine power, half the time
    assert f["peak_amp"] == pytest.approx(0.5, rel=1e-3)
    assert f["peak_to_rms"] == pytest.approx(0.5 / np.sqrt(0.0625), rel=0.01)
    silent = call_features(np.zeros(SR, np.float32), SR, AudioFeatures())
    assert silent.tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]


def test_tfidf_svd_reproduces_scikit_learn_from_its_saved_arrays():
    cfg = TextEncoder(svd_dim=8, hash_features=2048)
    texts = phrases()
    lsa = TfidfSVD.fit(texts[:20], cfg, seed=0)
    counts = _hasher(cfg).transform(texts[:20])
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    svd = TruncatedSVD(n_components=8, random_state=0).fit(tfidf.transform(counts))
    unseen = texts[20:]
    expected = normalize(svd.transform(tfidf.transform(_hasher(cfg).transform(unseen))))
    np.testing.assert_allclose(lsa.transform(unseen), expected, atol=1e-5)


def test_ordinal_soft_labels_and_losses():
    y = torch.tensor([0, 1, 2])
    soft = ordinal_soft_labels(y, 0.2)
    np.testing.assert_allclose(soft[1].numpy(), [0.1, 0.8, 0.1], atol=1e-6)
    np.testing.assert_allclose(soft[0].numpy(), [0.8 / 0.9, 0.1 / 0.9, 0.0], atol=1e-6)
    assert torch.allclose(soft.sum(1), torch.ones(3))
    logits = torch.tensor([[2.0, 0.0, -1.0], [0.0, 0.0, 3.0], [0.0, 1.0, 0.5]])
    w = torch.tensor([1.0, 2.0, 3.0])
    p = torch.softmax(logits, -1)
    # by hand: (1 - p_t)^2 * (1 + |y - argmax|) * w_y * -log p_t
    pt = p[torch.arange(3), y]
    dist = torch.tensor([0.0, 1.0, 1.0])
    manual = ((1 - pt) ** 2 * (1 + dist) * w[y] * -torch.log(pt)).mean()
    assert torch.isclose(ordinal_focal_loss(logits, y, w, 2.0), manual)
    manual_kl = (soft * (torch.log(soft.clamp_min(1e-12)) - torch.log(p))).sum(1).mean()
    assert torch.isclose(kl_loss(logits, y, 0.2), manual_kl, atol=1e-6)
    np.testing.assert_allclose(class_weights(np.array([0] * 6 + [1] * 3 + [2] * 1)),
                               np.sqrt(10 / (3 * np.array([6, 3, 1]))))
    assert class_weights(np.array([0, 0, 1]))[2] == 1.0  # an absent class is never drawn


def _rows(n: int = 120, seed: int = 0) -> pd.DataFrame:
    """Encoded rows where the level shows in both the audio and the transcript."""
    rng = np.random.default_rng(seed)
    levels = rng.choice(3, size=n, p=[0.3, 0.5, 0.2])
    by_level = [phrases(lvl) for lvl in range(3)]
    texts = [by_level[lvl][rng.integers(len(by_level[lvl]))] for lvl in levels]
    return pd.DataFrame({
        "id": [f"c{i}" for i in range(n)],
        "label": [("하", "중", "상")[lvl] for lvl in levels],
        "text": texts,
        "feat_call": [rng.normal(lvl, 1.0, 5).astype(np.float32) for lvl in levels],
        "emb_logmel": [rng.normal(lvl * 0.5, 1.0, 16).astype(np.float32) for lvl in levels],
    })


SMALL = ["model.kind=fusion", "model.hidden=32", "model.heads=4", "model.layers=1", "model.feedforward=64", "model.head_hidden=32",
         "text_encoder.svd_dim=16", "text_encoder.hash_features=4096", "train.lr=0.003"]


def test_fit_yields_the_best_model_each_epoch_and_stops_early():
    cfg = TASK.load_config(overrides=[*SMALL, "train.epochs=40", "train.early_stopping.patience=3"])
    rows = _rows()
    seen = []
    for model in fit_model(cfg, rows):
        seen.append(model.history[-1]["best_val_macro_f1"])
    h = model.history
    assert len(h) < 40  # early stopping fired
    best_epoch = max(range(len(h)), key=lambda i: h[i]["val_macro_f1"])
    assert len(h) - 1 - best_epoch == 3  # exactly `patience` epochs without a better score
    assert seen == sorted(seen) and h[-1]["best_val_macro_f1"] == max(e["val_macro_f1"] for e in h)
    assert TASK.evaluate(TASK.predict(model, cfg, rows), cfg)["macro_f1"] > 0.7  # it learned (chance: 0.33)


def test_each_step_draws_one_loss_from_the_mix():
    only_kl = TASK.load_config(overrides=[*SMALL, "train.epochs=3", "train.loss_mix={kl: 1.0, focal: 0.0, ce: 0.0}"])
    h = list(fit_model(only_kl, _rows()))[-1].history
    assert sum(e["losses_drawn"]["kl"] for e in h) == sum(sum(e["losses_drawn"].values()) for e in h) > 0
    mixed = TASK.load_config(overrides=[*SMALL, "train.epochs=20", "train.early_stopping.patience=20", "train.batch_size=8"])
    h = list(fit_model(mixed, _rows(300)))[-1].history
    drawn = {k: sum(e["losses_drawn"][k] for e in h) for k in ("kl", "focal", "ce")}
    total = sum(drawn.values())
    assert drawn["focal"] / total == pytest.approx(0.40, abs=0.05)
    assert drawn["kl"] / total == pytest.approx(0.25, abs=0.05)


def test_loss_mix_must_sum_to_one():
    from rayscore.config import ConfigError

    with pytest.raises(ConfigError, match="loss_mix must sum to 1"):
        TASK.load_config(overrides=["train.loss_mix.kl=0.9"])


def test_weights_round_trip_through_the_registry(tmp_path):
    # Through the registry's own safetensors writer: the SVD components come out of scikit-learn
    # Fortran-ordered, which a raw-buffer writer would scramble.
    cfg = TASK.load_config(overrides=[*SMALL, "train.epochs=3"])
    rows = _rows()
    model = list(fit_model(cfg, rows))[-1]
    version = ModelRegistry(tmp_path).register("urgency", cfg, {}, list(LEVELS), TASK.model_tensors(model))
    again = TASK.load_model(TASK.load_config(version.config_path), version.tensors())
    assert isinstance(again, UrgencyModel) and again.lsa is not None
    np.testing.assert_allclose(again.predict_proba(rows, cfg), model.predict_proba(rows, cfg), atol=1e-6)


def test_negation_scope_is_marked():
    from rayscore.tasks.urgency.linear import mark_negation

    assert mark_negation("숨을 안 쉬어요") == "숨을 안 쉬어요 NEG_쉬어요"
    assert "NEG_의식이" in mark_negation("의식이 없어요")
    assert "NEG_" not in mark_negation("숨은 잘 쉬어요")


def test_linear_model_learns_facts_and_round_trips_through_the_registry(tmp_path):
    """The default model: n-grams with negation scope + acoustics; weights survive the registry."""
    from rayscore.tasks.urgency.linear import LinearUrgency

    cfg = TASK.load_config()
    rows = _rows(150)
    (model,) = list(fit_model(cfg, rows))
    assert isinstance(model, LinearUrgency)
    assert TASK.evaluate(TASK.predict(model, cfg, rows), cfg)["macro_f1"] > 0.9
    version = ModelRegistry(tmp_path).register("urgency", cfg, {}, list(LEVELS), TASK.model_tensors(model))
    again = TASK.load_model(TASK.load_config(version.config_path), version.tensors())
    np.testing.assert_allclose(again.predict_proba(rows, cfg), model.predict_proba(rows, cfg), atol=1e-6)
    # minimum functionality: the same words, negated, move the level
    probe = rows.iloc[:2].copy()
    probe["text"] = ["아이가 숨을 안 쉬어요 빨리 와주세요", "아이가 숨을 잘 쉬어요 빨리 와주세요"]
    p = model.predict_proba(probe, cfg)
    assert p[0, 2] > p[1, 2]  # "not breathing" is more urgent than "breathing well"
