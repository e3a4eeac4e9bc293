"""The offline model's two halves on inputs the tests build: the page found in a photo, and a text
model that learns from bad readings."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFilter

from rayscore.tasks.doc_type.classes import CLASSES
from rayscore.tasks.doc_type.vision import VIEWS, copies_of, describe, dim, focus


def _page_on_a_desk(tilt: float) -> np.ndarray:
    page = Image.new("RGB", (300, 400), (245, 245, 240))
    d = ImageDraw.Draw(page)
    for i in range(14):  # text lines
        d.rectangle([30, 40 + 24 * i, 270 - (i % 3) * 40, 48 + 24 * i], fill=(20, 20, 20))
    desk = Image.effect_noise((900, 800), 30).filter(ImageFilter.GaussianBlur(3)).convert("RGB")
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


def test_descriptors_describe_the_image_and_its_corrupted_copies():
    rgb = _page_on_a_desk(10)
    d = describe(rgb, copies=2)
    assert d.shape == (3 * VIEWS, dim()) and np.isfinite(d).all()
    np.testing.assert_array_equal(describe(rgb, copies=0), d[:VIEWS])  # prediction's views are the image's
    a, b = copies_of(rgb, 2), copies_of(rgb, 2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))  # the same copies, run after run
    assert not np.array_equal(a[0], a[1])


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
