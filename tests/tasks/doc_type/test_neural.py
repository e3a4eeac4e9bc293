"""W3's timm path on CPU with tiny randomly initialised models the tests build: weights from a
local file, input sizes from pretrained configs, training on the shared loop (robust validation,
best-loss / best-F1 weights, exact resume), augmentation, TTA and two-stage routing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from rayscore.config import ConfigError
from rayscore.media.image import load_image
from rayscore.tasks import get_task
from rayscore.tasks.doc_type.augment import augment, robust_copy
from rayscore.tasks.doc_type.classes import CLASSES
from rayscore.tasks.doc_type.competition import import_competition
from rayscore.tasks.doc_type.config import AugmentConfig, BackboneConfig, RouteConfig
from rayscore.tasks.doc_type.neural import create_backbone, data_config, fit_neural
from rayscore.tasks.doc_type.pixels import restore
from rayscore.tasks.doc_type.routing import confidence, predict_routed, route_mask
from tests.tasks.doc_type.layout import write_layout

TINY = {"dims": [8, 16, 32, 64], "depths": [1, 1, 1, 1]}


def tiny_overrides(extra: tuple[str, ...] = ()) -> list[str]:
    return ["model.kind=neural", "model.neural.backbone.name=convnext_atto", "model.neural.backbone.input_size=32",
            "model.neural.backbone.model_kwargs={dims: [8, 16, 32, 64], depths: [1, 1, 1, 1]}", "ocr.enabled=false",
            "train.epochs=3", "train.batch_size=8", "train.lr=0.003", *extra]


@pytest.fixture(scope="module")
def comp(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(training rows, readable test rows) of the hand-drawn competition folder."""
    root = tmp_path_factory.mktemp("comp")
    write_layout(root, per_class=6, n_test=6)
    df = import_competition(root).resolve()
    task = get_task("doc_type")
    train = df[task.trainable(df, task.load_config())].reset_index(drop=True)

    def readable(p) -> bool:
        try:
            load_image(p)
            return True
        except Exception:  # noqa: BLE001 - the fixture's broken files
            return False

    test = df[(df["split"] == "test") & df["path"].map(lambda p: isinstance(p, str) and readable(p))]
    return train, test.reset_index(drop=True)


def test_weights_from_a_local_file_and_input_sizes(tmp_path):
    import timm
    from safetensors.torch import save_file

    torch.manual_seed(1)
    saved = timm.create_model("convnext_atto", num_classes=5, **TINY)
    save_file(saved.state_dict(), str(tmp_path / "tiny.safetensors"))
    b = BackboneConfig(name="convnext_atto", weights=str(tmp_path / "tiny.safetensors"), model_kwargs=TINY)
    net = create_backbone(b)
    assert torch.equal(net.stem[0].weight, saved.stem[0].weight)  # the file's weights, a fresh 17-class head
    assert net.head.fc.out_features == len(CLASSES)
    assert not torch.equal(create_backbone(b.model_copy(update={"weights": "none"})).stem[0].weight,
                           saved.stem[0].weight)
    # sizes: the pretrained config's input size, its test size, or an integer
    assert data_config(b, net).input_size == (3, 224, 224)
    assert data_config(b.model_copy(update={"input_size": "auto-long"}), net).input_size == (3, 288, 288)
    assert data_config(b.model_copy(update={"input_size": 64}), net).input_size == (3, 64, 64)
    vit = BackboneConfig(name="vit_tiny_patch16_224", input_size=48,
                         model_kwargs={"depth": 1, "embed_dim": 32, "num_heads": 2})
    assert create_backbone(vit)(torch.zeros(1, 3, 48, 48)).shape == (1, len(CLASSES))  # pos. embeddings resized


def test_backbone_mistakes_are_one_line_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="timm has no model 'convnext_nope'"):
        create_backbone(BackboneConfig(name="convnext_nope"))
    with pytest.raises(ConfigError, match="no such file"):
        create_backbone(BackboneConfig(name="convnext_atto", weights=str(tmp_path / "missing.safetensors")))
    with pytest.raises(ConfigError, match="model_kwargs"):
        create_backbone(BackboneConfig(name="convnext_atto", model_kwargs={"wings": 2}))


def test_training_keeps_best_weights_validates_robust_copies_and_resumes_exactly(comp):
    train, test = comp
    task = get_task("doc_type")
    cfg = task.load_config(overrides=tiny_overrides())
    models = list(fit_neural(cfg, train))
    model = models[-1]
    assert [h["epoch"] for h in model.history] == [1, 2, 3]
    assert all(0 <= h["robust_macro_f1"] <= 1 and h["robust_loss"] > 0 for h in model.history)
    tr = model.trainer
    assert tr.memory.top_f1 == max(h["val_macro_f1"] for h in model.history)
    assert tr.memory.top_loss == min(h["val_loss"] for h in model.history)
    assert tr.best_module("loss") is not tr.best_module("f1")

    # resume from epoch 2's state: epoch 3 comes out as the uninterrupted run's
    cfg4 = task.load_config(overrides=tiny_overrides(("train.epochs=4",)))
    run = fit_neural(cfg4, train)
    next(run)
    state = next(run).checkpoint()
    straight = [m.history[-1] for m in run]
    resumed = [m.history[-1] for m in fit_neural(cfg4, train, resume=state)]
    assert [h["epoch"] for h in resumed] == [3, 4]
    assert resumed[0]["train_loss"] == pytest.approx(straight[0]["train_loss"], rel=1e-4)

    # registry round trip: the same probabilities from the saved tensors and arguments
    again = task.load_model(cfg, model.tensors(), model.model_args())
    assert np.allclose(again.predict_proba(test, cfg), model.predict_proba(test, cfg), atol=1e-5)
    assert model.predict_proba(test, cfg).shape == (len(test), len(CLASSES))


def test_augmentation_by_group_and_fixed_robust_copies():
    x = torch.rand(6, 3, 32, 32)
    group, heavy = torch.tensor([0, 0, 1, 1, 2, 2]), torch.tensor([0, 1, 0, 1, 0, 1]).bool()
    off = AugmentConfig(strength=0.0)
    assert torch.equal(augment(x, group, heavy, off), x)
    cfg = AugmentConfig(overlay_prob=1.0)
    a = augment(x, group, heavy, cfg, torch.Generator().manual_seed(3))
    b = augment(x, group, heavy, cfg, torch.Generator().manual_seed(3))
    assert torch.equal(a, b) and a.min() >= 0 and a.max() <= 1 and not torch.equal(a, x)
    rgb = (np.random.default_rng(0).random((40, 30, 3)) * 255).astype(np.uint8)
    assert np.array_equal(robust_copy(rgb, 7), robust_copy(rgb, 7)) and not np.array_equal(robust_copy(rgb, 7), rgb)
    for preset in ("deskew", "denoise", "contrast", "doc_restore_bal", "doc_restore_max"):
        assert restore(rgb, preset).dtype == np.uint8


def test_routing_gates_and_blends_only_uncertain_rows(comp):
    p = np.array([[0.9, 0.05, 0.05], [0.4, 0.35, 0.25], [0.5, 0.45, 0.05]])
    assert confidence(p, "margin") == pytest.approx([0.85, 0.05, 0.05])
    assert confidence(p, "pred") == pytest.approx([0.9, 0.4, 0.5])
    assert route_mask(p, RouteConfig(enabled=True, mode="pred", gate=0.6)).tolist() == [False, True, True]
    assert route_mask(p, RouteConfig(enabled=True, mode="pred", gate=0.6, limit=1)).tolist() == [False, True, False]
    assert route_mask(p, RouteConfig(enabled=True, gate=0.6, classes=[CLASSES[1]])).tolist() == [False, False, False]

    train, test = comp
    task = get_task("doc_type")
    cfg = task.load_config(overrides=tiny_overrides(("train.epochs=1",)))
    model = list(fit_neural(cfg, train))[-1]
    stage1, routed = predict_routed(model, test, cfg)
    assert not routed.any()
    every = task.load_config(overrides=tiny_overrides(("train.epochs=1", "model.neural.route.enabled=true",
                                                       "model.neural.route.gate=1.0", "model.neural.route.blend=0.5")))
    blended, routed = predict_routed(model, test, every)
    assert routed.all()
    from rayscore.tasks.doc_type.routing import restored_pixels

    stage2 = model.predict_proba(test.assign(_pixels=restored_pixels(test, model, "doc_restore_bal")), every)
    assert blended == pytest.approx(0.5 * stage1 + 0.5 * stage2, abs=1e-5)
    out = task.predict(model, every, test)
    assert out["routed"].eq(1.0).all() and out["prediction"].isin(CLASSES).all()



def test_validation_split_holds_every_class_even_when_the_share_is_small():
    from rayscore.training.split import split_validation

    y = np.repeat(np.arange(17), 4)  # 68 rows: a 20 % share (14) is fewer than the 17 classes
    tr, va = split_validation(y, 0.2, 0)
    assert set(y[va]) == set(range(17)) and not set(tr) & set(va) and len(tr) + len(va) == 68
    y = np.array([0] * 20 + [1])  # a class with one row cannot be stratified
    tr, va = split_validation(y, 0.2, 0)
    assert len(tr) + len(va) == 21


def test_decoded_image_cache_is_bounded_by_bytes():
    import numpy as np

    from rayscore.tasks.doc_type.neural import _PixelCache

    cache, made = _PixelCache(max_bytes=3000), []

    def make(i):
        made.append(i)
        return np.zeros(1000, np.uint8)

    for i in (1, 2, 3, 1, 4):  # 1 is used again, so 2 is the least recent when 4 arrives
        cache.get((i,), lambda i=i: make(i))
    assert made == [1, 2, 3, 4] and cache.bytes <= 3000 and set(cache.items) == {(1,), (3,), (4,)}
    cache.get((9,), lambda: np.zeros(5000, np.uint8))  # larger than the whole budget: not kept
    assert (9,) not in cache.items and cache.bytes == 3000
