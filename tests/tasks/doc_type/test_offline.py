"""The offline model's two halves on inputs the tests build: the page found in a photo, and a text
model that learns from bad readings."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFilter

from rayscore.tasks.doc_type.classes import CLASSES
from rayscore.tasks.doc_type.vision import VIEWS, _hog, compose, copies_of, describe, dihedral, dim, focus


def _page_on_a_desk(tilt: float, stamp: bool = False, seed: int = 0) -> np.ndarray:
    page = Image.new("RGB", (300, 400), (245, 245, 240))
    d = ImageDraw.Draw(page)
    for i in range(14 - 4 * stamp):  # text lines
        d.rectangle([30, 40 + 24 * i, 270 - (i % 3) * 40, 48 + 24 * i], fill=(20, 20, 20))
    if stamp:  # a block at the bottom right: no turn or mirror of the page looks like another
        d.rectangle([180, 300, 270, 370], fill=(40, 40, 40))
    grain = np.random.default_rng(seed).normal(128, 30, (800, 900)).clip(0, 255).astype(np.uint8)
    desk = Image.fromarray(grain).filter(ImageFilter.GaussianBlur(3)).convert("RGB")
    turned = page.rotate(tilt, expand=True, fillcolor=(0, 0, 0))
    mask = Image.new("L", page.size, 255).rotate(tilt, expand=True)
    desk.paste(turned, (420, 250), mask)
    return np.asarray(desk)


def test_focus_levels_the_page_and_crops_the_desk_away():
    for tilt in (0, 17, -28, 101):
        page = focus(_page_on_a_desk(tilt))
        h, w = page.shape[:2]
        assert max(h, w) < 520 and min(h, w) > 200, (tilt, page.shape)  # the page, not the 900x800 photo
        dark = (page.mean(axis=2) < 100).mean(axis=1 if h > w else 0)  # ink per line, along the lines
        assert dark.max() > 0.5, (tilt, dark.max())  # level lines: a row that is mostly ink


def _faint_scan(noise: float) -> np.ndarray:
    """A scan filling the frame: thin grey lines of words inside wide blank margins, sensor noise of ``noise``."""
    page = Image.new("L", (600, 800), 235)
    d, r = ImageDraw.Draw(page), np.random.default_rng(0)
    for i in range(22):
        x, y = 60, 120 + 28 * i
        while x < 520 - (i % 3) * 60:
            n = int(r.integers(20, 70))
            d.rectangle([x, y, x + n, y + 3], fill=150)
            x += n + 12
    grey = np.asarray(page, np.float32) + r.normal(0, noise, (800, 600))
    return np.repeat(np.clip(grey, 0, 255).astype(np.uint8)[..., None], 3, axis=2)


def test_a_noisy_page_is_framed_by_its_text_not_by_its_noise():
    from rayscore.tasks.doc_type.ocr import _small, ink_box, sheet_ink

    clean = focus(_faint_scan(0)).shape[:2]
    assert clean[0] < 720 and clean[1] < 560  # the blank margins are cut off
    for noise in (30, 45):
        rgb = _faint_scan(noise)
        small = _small(Image.fromarray(rgb).convert("L"))
        plain = ink_box(Image.fromarray(sheet_ink(small)), (600, 800))
        assert plain[2] - plain[0] > 580  # without smoothing, noise is "ink" from edge to edge ...
        framed = focus(rgb).shape[:2]  # ... and focus smooths it away first
        assert abs(framed[0] - clean[0]) <= 12 and abs(framed[1] - clean[1]) <= 12, (noise, framed, clean)


def _lines(shift: int = 0, seed: int = 0, light: float = 1.0) -> np.ndarray:
    """A 128 px grey page, 0..1: nine text lines over its top three quarters, sensor noise everywhere."""
    page = Image.new("L", (128, 128), 240)
    d = ImageDraw.Draw(page)
    for i in range(9):
        d.rectangle([10 + shift, 8 + shift + 10 * i, 110 + shift - (i % 3) * 20, 11 + shift + 10 * i], fill=20)
    noisy = np.asarray(page, np.float32) + np.random.default_rng(seed).normal(0, 3, (128, 128))
    return noisy * light / 255.0


def test_gradient_histograms_hold_still_under_small_shifts_light_and_noise():
    page = _hog(_lines(), 16)
    change = [np.linalg.norm(_hog(_lines(shift, seed=1), 16) - page) / np.linalg.norm(page) for shift in (1, 2, 3)]
    assert max(change) < 0.45, change  # hard 8 px cells: ~0.5 from one pixel (soft cells: 0.24-0.36)
    darker = _hog(_lines(light=0.5), 16)
    assert np.linalg.norm(darker - page) / np.linalg.norm(page) < 0.01  # normalised: light-invariant
    cells = np.linalg.norm(page.reshape(16, 16, 9), axis=2)
    # the blank bottom margin's noise stays small beside the lines (by its own norm: ~1 like a line)
    assert cells[13:].mean() < 0.4 * cells[2:10, 3:12].mean(), (cells[13:].mean(), cells[2:10, 3:12].mean())


def test_descriptors_describe_the_image_and_its_corrupted_copies():
    rgb = _page_on_a_desk(10)
    d = describe(rgb, copies=2)
    assert d.shape == (3 * VIEWS, dim()) and np.isfinite(d).all()
    np.testing.assert_array_equal(describe(rgb, copies=0), d[:VIEWS])  # prediction's views are the image's
    a, b = copies_of(rgb, 2), copies_of(rgb, 2)
    assert all(np.array_equal(x, y) and g == h for (x, g), (y, h) in zip(a, b, strict=True))  # run after run
    assert not np.array_equal(a[0][0], a[1][0])


def test_a_copys_views_are_stored_in_the_originals_order():
    """Row k of every 8 is view k of the original, whichever way the copy was turned and mirrored:
    the model labels rows with their orientation."""
    grid = np.arange(12).reshape(3, 4)
    for g in range(VIEWS):  # compose: view k of view g of a page is view compose(k, g) of the page
        for k in range(VIEWS):
            np.testing.assert_array_equal(dihedral(dihedral(grid, g), k), dihedral(grid, compose(k, g)))
    right = []
    for seed in range(3):  # each copy's view k is nearest to the original's view k (a copy levelled the
        # wrong way round on a grainy desk now and then aside: ~1 in 12; in the wrong order, 7 in 8 rows)
        d = describe(_page_on_a_desk(5, stamp=True, seed=seed), copies=3).reshape(4, VIEWS, -1)
        unit = d / np.linalg.norm(d, axis=2, keepdims=True)
        right += [((copy @ unit[0].T).argmax(axis=1) == np.arange(VIEWS)).mean() for copy in unit[1:]]
    assert np.mean(right) >= 0.8, right


def test_the_image_model_learns_each_orientation_of_a_class():
    """A class whose look flips with the page's turn (XOR of two descriptor dimensions): no single
    linear boundary fits every orientation at once; one per orientation does."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import OfflineDocModel

    rng = np.random.default_rng(0)

    def vision(label: str) -> np.ndarray:
        v = np.zeros((VIEWS, dim()), np.float32)  # (noise in every dimension would separate 40 rows by itself)
        turn = np.where(np.arange(VIEWS) % 2 == 0, 3.0, -3.0)  # the orientation shows in dimension 1
        v[:, 1] = turn + rng.normal(0, 0.5, VIEWS)
        v[:, 0] = turn * (1 if label == CLASSES[0] else -1) + rng.normal(0, 0.5, VIEWS)  # the class flips with it
        return v.ravel()

    labels = [CLASSES[0], CLASSES[1]] * 20
    rows = pd.DataFrame({"label": labels, "text": ["같은 글"] * len(labels), "emb_vision": [vision(c) for c in labels]})
    test = pd.DataFrame({"label": labels[:10], "text": ["같은 글"] * 10, "emb_vision": [vision(c) for c in labels[:10]]})
    right = {}
    for orientations in (True, False):
        cfg = get_task("doc_type").load_config(overrides=[
            "model.offline.calibrate=false", "model.offline.text_weight=0", "model.offline.vision_c=1",
            "model.offline.vision_hidden=0", f"model.offline.vision_orientations={str(orientations).lower()}"])
        model = OfflineDocModel.fit(cfg, rows)
        assert model.vision_coef.shape[0] == len(CLASSES) * (VIEWS if orientations else 1)
        pred = [CLASSES[i] for i in model.predict_proba(test, cfg).argmax(axis=1)]
        right[orientations] = np.mean([p == t for p, t in zip(pred, test["label"], strict=True)])
    assert right[True] == 1.0 and right[False] <= 0.7, right


def test_the_hidden_layer_learns_what_no_linear_boundary_can_and_travels_with_the_model():
    """A class that is one descriptor high and the other low, or the other way round (XOR; the same in
    every view, so orientations do not help): the logistic regression cannot fit it, the image model
    with a hidden layer does, predicts the same after the registry's round trip, and a model saved
    before the hidden layer existed (no ``offline.hidden_*``) is read as the linear model it was."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import OfflineDocModel

    rng = np.random.default_rng(0)

    def vision(label: str, k: int) -> np.ndarray:
        v = np.zeros((VIEWS, dim()), np.float32)
        a, b = (1.0, 1.0) if k % 2 else (-1.0, -1.0)
        if label == CLASSES[1]:
            b = -b
        v[:, 0], v[:, 1] = a * 2 + rng.normal(0, 0.3, VIEWS), b * 2 + rng.normal(0, 0.3, VIEWS)
        return v.ravel()

    labels = [CLASSES[0], CLASSES[1]] * 40
    rows = pd.DataFrame({"label": labels, "text": [""] * len(labels),
                         "emb_vision": [vision(c, k // 2) for k, c in enumerate(labels)]})
    right, fitted = {}, {}
    for hidden in (0, 32):
        cfg = get_task("doc_type").load_config(overrides=[
            "model.offline.calibrate=false", "model.offline.text_weight=0", "model.offline.vision_orientations=false",
            f"model.offline.vision_hidden={hidden}", "model.offline.vision_train.epochs=60",
            "model.offline.vision_train.lr=0.01"])
        fitted[hidden] = model = OfflineDocModel.fit(cfg, rows)
        assert model.hidden_bias.shape == (hidden,)
        right[hidden] = (model.image_log_proba(rows).argmax(axis=1) == [0, 1] * 40).mean()
        again = OfflineDocModel.from_tensors(model.tensors())
        np.testing.assert_allclose(again.image_log_proba(rows), model.image_log_proba(rows), atol=1e-5)
    assert right[32] == 1.0 and right[0] <= 0.75, right
    old = {k: v for k, v in fitted[0].tensors().items() if not k.startswith("offline.hidden_")}
    np.testing.assert_allclose(OfflineDocModel.from_tensors(old).image_log_proba(rows),
                               fitted[0].image_log_proba(rows), atol=1e-5)


def test_the_fits_own_folds_judge_each_row_by_a_model_that_did_not_see_it():
    """``train``'s report takes the model's CV from the folds its fit made to calibrate the fusion. On
    labels that no feature predicts, the image half still knows its own rows (a pattern per row to
    memorise), and those folds must score like chance: a row judged by a model that saw it -- or that
    started from one that did -- would not. With a real signal they score it."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import OfflineDocModel

    rng = np.random.default_rng(0)
    task = get_task("doc_type")
    cfg = task.load_config(overrides=["model.offline.vision_hidden=0", "model.offline.vision_orientations=false",
                                      "model.offline.vision_c=100"])
    n = 40
    own = rng.normal(0, 3, (n, 1, dim())).astype(np.float32)  # each row's own pattern, in every view
    views = rng.normal(0, 1, (n, VIEWS, dim())).astype(np.float32) + own
    noise = rng.permutation([CLASSES[0], CLASSES[1]] * (n // 2))
    signal = np.array([CLASSES[0], CLASSES[1]] * (n // 2))
    right = {}
    for name, labels in (("noise", noise), ("signal", signal)):
        v = views.copy()
        if name == "signal":
            v[:, :, :20] += np.where(labels == CLASSES[0], 4.0, -4.0)[:, None, None]
        rows = pd.DataFrame({"label": labels, "text": [""] * n, "emb_vision": list(v.reshape(n, -1))})
        model = OfflineDocModel.fit(cfg, rows)
        truth = rows["label"].map(CLASSES.index).to_numpy()
        seen = (model.image_log_proba(rows).argmax(axis=1) == truth).mean()
        crossed = task.out_of_fold(model, cfg, rows)
        assert sorted(crossed["fold"].unique()) == [0, 1, 2, 3, 4] and len(crossed) == n
        right[name] = seen, (crossed["prediction"] == rows["label"]).mean()
    assert right["noise"][0] == 1.0 and right["noise"][1] <= 0.7, right
    assert right["signal"][1] >= 0.9, right
    # a model read back from the registry made no folds: the report cross-validates it instead
    assert task.out_of_fold(OfflineDocModel.from_tensors(model.tensors()), cfg, rows) is None


def test_without_any_ocr_text_the_model_fits_on_the_image_half():
    """ocr.enabled=false (no tesseract): every page's text is empty, the text half is the class prior
    and the image half decides (it crashed on an empty text matrix)."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import OfflineDocModel

    rng = np.random.default_rng(0)
    labels = [CLASSES[0], CLASSES[1]] * 10

    def vision(label: str) -> np.ndarray:
        v = rng.normal(0, 0.3, (VIEWS, dim())).astype(np.float32)
        v[:, 0] += 3.0 if label == CLASSES[0] else -3.0
        return v.ravel()

    cfg = get_task("doc_type").load_config(overrides=["ocr.enabled=false"])
    rows = pd.DataFrame({"label": labels, "emb_vision": [vision(c) for c in labels]})
    model = OfflineDocModel.fit(cfg, rows)
    assert not model.text_coef.any()
    pred = [CLASSES[i] for i in model.predict_proba(rows.drop(columns="label"), cfg).argmax(axis=1)]
    assert pred == labels


def test_the_text_model_learns_from_corrupted_copies_readings():
    """Pages read cleanly in training and badly at test: only the copies' readings teach the model
    what the bad readings of each class look like."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import OfflineDocModel

    rng = np.random.default_rng(0)
    a, b = CLASSES[0], CLASSES[1]
    clean = {a: "통장 사본 예금주 계좌번호", b: "임신 출산 진료비 지급 신청서"}
    bad = {a: "뚱잠 샤뵨", b: "잉싄 츌산"}  # what a blurred page of each class reads as
    labels = [a, b] * 12
    rows = pd.DataFrame({"label": labels, "text": [clean[c] for c in labels],
                         "emb_vision": [rng.normal(size=3 * VIEWS * dim()).astype(np.float32) for _ in labels]})
    test = pd.DataFrame({"label": [a, b], "text": [bad[a], bad[b]],
                         "emb_vision": [rng.normal(size=VIEWS * dim()).astype(np.float32) for _ in range(2)]})
    cfg = get_task("doc_type").load_config(overrides=["model.offline.calibrate=false",
                                                      "model.offline.vision_weight=0"])
    plain = OfflineDocModel.fit(cfg, rows)
    taught = OfflineDocModel.fit(cfg, rows.assign(ocr_degraded=[bad[c] for c in labels]))
    assert (plain.predict_proba(test, cfg).max(axis=1) < 0.6).all()  # it has never seen such readings
    assert [CLASSES[i] for i in taught.predict_proba(test, cfg).argmax(axis=1)] == [a, b]


def test_held_out_pages_are_judged_as_their_corrupted_copy_reads_in_every_orientation():
    """The fusion is calibrated on held-out pages as test pages come: a corrupted copy's reading, and
    for model.offline.reading surest|known that copy's every orientation's reading (had it kept the
    clean page's, or none, surest would pick among readings the calibration never saw)."""
    from rayscore.tasks.doc_type.model import as_degraded, readings
    from rayscore.tasks.doc_type.stages import READING_SEP as S

    rows = pd.DataFrame({"text": ["page", "other", "old"], "ocr_readings": [f"page{S}egap", f"other{S}rehto", f"old{S}dlo"],
                         "ocr_degraded": ["copy", "", "old copy"],
                         "ocr_degraded_readings": [f"ypoc{S}copy", "", None]})
    judged = as_degraded(rows)
    assert list(judged["text"]) == ["copy", "other", "old copy"]
    # a copy's readings; a page with no copy as it is; a copy read before they were kept: its kept reading
    assert readings(judged) == [["ypoc", "copy"], ["other", "rehto"], ["old copy"]]


def test_jamo_ngrams_keep_most_of_a_misread_syllable():
    """확인서 read as 왁인서: the syllable n-grams lose every n-gram with the first syllable, the jamo
    n-grams only those with its first consonant."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import _hasher, jamo_text

    assert jamo_text("확 인") == "\u1112\u116a\u11a8\u110b\u1175\u11ab"  # ㅎㅘㄱ ㅇㅣㄴ, spaces dropped

    cfg = get_task("doc_type").load_config(overrides=["model.offline.jamo=true", "model.offline.ngrams=letters"])
    letters, jamo = _hasher(cfg.model.offline).parts

    def overlap(hasher) -> float:
        a, b = (hasher.transform([t]).toarray()[0] > 0 for t in ("입퇴원 확인서", "입퇴원 왁인서"))
        return (a & b).sum() / (a | b).sum()

    assert overlap(jamo) > overlap(letters) + 0.15, (overlap(jamo), overlap(letters))


def test_per_class_fusion_trusts_each_half_where_it_knows_the_class():
    """Class 0 is told by the text half alone and class 1 by the image half alone (the other half
    is noise there): the per-class weights say so, and fuse to a better log-loss than the two
    global temperatures; a model saved before per-class fusion (no ``fusion`` tensor) still predicts."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import N, OfflineDocModel, _log_softmax, _per_class

    rng = np.random.default_rng(0)
    y = np.tile(np.arange(N), 30)
    text, image = rng.normal(0, 1, (len(y), N)), rng.normal(0, 1, (len(y), N))
    for half, told in ((text, 0), (image, 1)):  # each half knows one class: high when it is, low when not
        half[:, told] += np.where(y == told, 3.0, -1.0)
    w = _per_class(text, image, y, np.ones(2), l2=0.001)
    assert w.shape == (3, N)
    assert w[0, 0] > w[1, 0] and w[1, 1] > w[0, 1], w[:2, :2]  # text for class 0, image for class 1

    def log_loss(z: np.ndarray) -> float:
        return float(-_log_softmax(z)[np.arange(len(y)), y].mean())

    assert log_loss(w[0] * text + w[1] * image + w[2]) < log_loss(text + image) - 0.05

    cfg = get_task("doc_type").load_config(overrides=["model.offline.vision_weight=0"])
    rows = pd.DataFrame({"label": [CLASSES[0], CLASSES[1]] * 10, "text": ["통장 사본", "임신 출산 진료비"] * 10,
                         "emb_vision": [rng.normal(size=VIEWS * dim()).astype(np.float32) for _ in range(20)]})
    model = OfflineDocModel.fit(cfg, rows)
    assert model.fusion.shape == (3, N)
    old = {k: v for k, v in model.tensors().items() if k != "offline.fusion"}
    again = OfflineDocModel.from_tensors(old)
    assert again.fusion.shape == (0, N)
    assert (again.predict_proba(rows, cfg).argmax(axis=1) == [0, 1] * 10).all()


def test_the_descriptor_power_travels_with_the_model_and_old_models_keep_theirs():
    """The image half standardises sign(x)|x|^vision_power; the power is saved beside the weights, so a
    model predicts the same after the registry's round trip, and one saved before the power existed
    (no ``offline.power``) is read with power 1, as it was fitted."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import OfflineDocModel

    rng = np.random.default_rng(0)
    labels = [CLASSES[0], CLASSES[1]] * 10

    def vision(label: str) -> np.ndarray:
        v = rng.gamma(0.5, 1.0, (VIEWS, dim())).astype(np.float32)  # heavy-tailed, as gradient bins are
        v[:, :20] *= 3.0 if label == CLASSES[0] else 1.0
        return v.ravel()

    rows = pd.DataFrame({"label": labels, "text": [""] * len(labels), "emb_vision": [vision(c) for c in labels]})
    fitted = {}
    for power in (0.5, 1.0):
        cfg = get_task("doc_type").load_config(overrides=[
            "model.offline.calibrate=false", "model.offline.text_weight=0", f"model.offline.vision_power={power}"])
        fitted[power] = OfflineDocModel.fit(cfg, rows)
        assert fitted[power].power.tolist() == [power]
        again = OfflineDocModel.from_tensors(fitted[power].tensors())
        np.testing.assert_allclose(again.image_log_proba(rows), fitted[power].image_log_proba(rows), atol=1e-5)
    # the two fits standardise different numbers: the power is not a no-op
    assert not np.allclose(fitted[0.5].mean, fitted[1.0].mean)
    old = {k: v for k, v in fitted[1.0].tensors().items() if k != "offline.power"}
    np.testing.assert_allclose(OfflineDocModel.from_tensors(old).image_log_proba(rows),
                               fitted[1.0].image_log_proba(rows), atol=1e-5)


def _grey_page(kind: str, rng: np.random.Generator) -> np.ndarray:
    """(PAGE_SIDE, PAGE_SIDE) uint8: lines of text across the page, or a ruled table, shifted and noisy."""
    from rayscore.tasks.doc_type.vision import PAGE_SIDE

    page = Image.new("L", (PAGE_SIDE, PAGE_SIDE), 235)
    d = ImageDraw.Draw(page)
    x0, y0 = rng.integers(3, 10, 2)
    for i in range(8):
        y = y0 + 6 * i
        d.line([(x0, y), (PAGE_SIDE - 8, y)], fill=40, width=2)
        if kind == "table":
            d.line([(x0 + 7 * i, y0), (x0 + 7 * i, y0 + 42)], fill=40, width=2)
    return np.clip(np.asarray(page, np.float32) + rng.normal(0, 12, (PAGE_SIDE, PAGE_SIDE)), 0, 255).astype(np.uint8)


def test_the_page_network_tells_pages_apart_in_any_orientation_and_travels_with_the_model():
    """Lines of text against a ruled table, where the descriptors say nothing (all zero): the page
    network, trained on upright pages only, tells them apart turned and mirrored, predicts the same
    after the registry's round trip, and a model saved before it existed is read without it."""
    import pytest

    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import PAGE_COL, OfflineDocModel

    rng = np.random.default_rng(0)
    kinds = {CLASSES[0]: "lines", CLASSES[1]: "table"}

    def rows(n: int, copies: int, turned: bool) -> pd.DataFrame:
        labels = [CLASSES[i % 2] for i in range(n)]
        pages = [np.stack([dihedral(_grey_page(kinds[c], rng), int(rng.integers(VIEWS)) if turned else 0)
                           for _ in range(1 + copies)]).ravel().astype(np.float32) for c in labels]
        return pd.DataFrame({"label": labels, "text": [""] * n, PAGE_COL: pages,
                             "emb_vision": [np.zeros(VIEWS * (1 + copies) * dim(), np.float32)] * n})

    cfg = get_task("doc_type").load_config(overrides=[
        "model.offline.calibrate=false", "model.offline.text_weight=0", "model.offline.vision_hidden=0",
        "model.offline.page_width=8", "model.offline.page_weight=1", "model.offline.page_train.epochs=15",
        "model.offline.page_train.warmup_epochs=1", "model.offline.page_train.restart_period=15"])
    model = OfflineDocModel.fit(cfg, rows(40, 2, turned=False))
    test = rows(40, 0, turned=True)
    lv = model.image_log_proba(test)
    assert (lv.argmax(axis=1) == [0, 1] * 20).mean() >= 0.9
    again = OfflineDocModel.from_tensors(model.tensors())
    np.testing.assert_allclose(again.image_log_proba(test), lv, atol=1e-5)
    with pytest.raises(ValueError, match="no found pages"):
        model.image_log_proba(test.drop(columns=[PAGE_COL]))
    old = OfflineDocModel.from_tensors({k: v for k, v in model.tensors().items() if ".page" not in k})
    assert not old.page and np.isfinite(old.image_log_proba(test.drop(columns=[PAGE_COL]))).all()
