"""A document competition folder as the organisers ship it, built by the tests (not by the
task's generator): hand-drawn pages, IDs with and without extensions, and the mess real
folders have (a README, a CSV line without its image, an image no CSV names, broken files)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from rayscore.tasks.doc_type.classes import CLASSES

FONT = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
#: Three easy classes, drawn three different ways.
#: Training that stays quick in tests beyond tests/tasks/doc_type (one OCR reading a page, no corrupted
#: training copies: test_ocr.py and test_offline.py cover those); the stages and the model are the same.
QUICK_TRAINING = ("ocr.orientations=none", "ocr.training_copies=0", "vision.corrupted_copies=0")
DRAWN = {4: "진단서", 2: None, 9: "PASSPORT 여권"}


def page(target: int, seed: int, size: tuple[int, int] = (360, 480)) -> Image.Image:
    rng = np.random.default_rng(seed)
    if target == 2:  # a dashboard: dark, two round gauges
        img = Image.new("RGB", (480, 320), (20, 20, 30))
        d = ImageDraw.Draw(img)
        for cx in (140, 340):
            d.ellipse([cx - 80, 80, cx + 80, 240], outline=(220, 220, 220), width=4)
            d.line([cx, 160, cx + int(rng.integers(-70, 70)), 100], fill=(255, 50, 0), width=4)
        return img
    img = Image.new("RGB", size, (250, 250, 245) if target == 4 else (220, 200, 235))
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 34) if Path(FONT).is_file() else ImageFont.load_default()
    d.text((size[0] // 2, 40), DRAWN[target], font=font, fill=(10, 10, 10), anchor="ma")
    for i in range(6):
        y = 120 + i * 50 + int(rng.integers(-5, 5))
        d.line([30, y, size[0] - 30, y], fill=(60, 60, 60), width=2)
    if target == 9:
        d.rectangle([30, 120, 140, 260], fill=(180, 160, 150))
    return img


def jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def write_layout(root: Path, per_class: int = 6, n_test: int = 6) -> dict:
    """The layout; returns what the tests check against (ids, the submission order, the bad files)."""
    (root / "train").mkdir(parents=True)
    (root / "test").mkdir()
    train_rows = []
    for t in DRAWN:
        for i in range(per_class):
            name = f"tr{t:02d}{i:02d}.jpg"
            (root / "train" / name).write_bytes(jpeg(page(t, seed=100 * t + i)))
            # the real train.csv names images with their extension; some exports drop it
            train_rows.append((name if i % 2 else name[:-4], t))
    train_rows.append(("missing_image.jpg", 4))  # a CSV line whose image is not there
    (root / "train" / "bad_target.jpg").write_bytes(jpeg(page(4, seed=1)))
    train_rows.append(("bad_target.jpg", 17))  # no class 17
    test_ids = []
    rng = np.random.default_rng(0)
    for i in range(n_test):
        t = list(DRAWN)[i % len(DRAWN)]
        img = page(t, seed=999 + i).rotate(int(rng.choice([0, 90, 180, 270])), expand=True)
        name = f"te{i:03d}.jpg"
        (root / "test" / name).write_bytes(jpeg(img))
        test_ids.append(name)
    good = jpeg(page(4, seed=7))
    (root / "test" / "truncated.jpg").write_bytes(good[: len(good) // 3])
    (root / "test" / "empty.jpg").write_bytes(b"")
    (root / "test" / "not_an_image.jpg").write_bytes(b"%PDF-1.4 this is a PDF")
    test_ids += ["truncated.jpg", "empty.jpg", "not_an_image.jpg"]
    order = list(reversed(test_ids))  # the submission keeps sample_submission's order, not the folder's
    with open(root / "train.csv", "w", newline="") as fh:
        csv.writer(fh).writerows([("ID", "target"), *train_rows])
    with open(root / "sample_submission.csv", "w", newline="") as fh:
        csv.writer(fh).writerows([("ID", "target"), *((i, 0) for i in order)])
    with open(root / "meta.csv", "w", newline="") as fh:
        csv.writer(fh).writerows([("target", "class_name"), *enumerate(CLASSES)])
    (root / "README.txt").write_text("document images; see train.csv")
    (root / "train" / "unlisted.jpg").write_bytes(jpeg(page(9, seed=5)))  # no CSV names it
    return {"order": order, "bad": {"test/truncated.jpg", "test/empty.jpg", "test/not_an_image.jpg"},
            "n_train_ok": per_class * len(DRAWN)}


def serve_and_post(deploy, serve_url: str, registry: Path, name: str, image: Path):
    """Deploy the registry's doc_type v1 as app ``name``, post ``image``; (predict URL, answer body).
    Also checks that a text upload gets 415 (the gateway's type check) on the way."""
    import requests

    deploy(name, f"/{name}", {"registry": str(registry), "auth_token_env": None,
                              "tasks": {"doc_type": {"default_model": "1"}}})
    url = f"{serve_url}/{name}/v1/doc_type/predict"
    r = requests.post(url, files={"file": ("d.jpg", image.read_bytes(), "image/jpeg")}, timeout=120)
    assert r.status_code == 200, r.text
    assert requests.post(url, files={"file": ("d.txt", b"hello", "text/plain")}, timeout=60).status_code == 415
    return url, r.json()
