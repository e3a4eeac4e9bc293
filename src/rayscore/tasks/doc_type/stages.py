"""Ray Data stages of W3: image descriptors and OCR (tasks, one row at a time), the model
(an actor pool that loads the registered version once). Serving runs the same stages."""

from __future__ import annotations

from typing import Any

import numpy as np

from rayscore.media.image import load_image
from rayscore.pipeline.stage import Batch, map_rows, media_of, predict_probabilities
from rayscore.tasks.doc_type.classes import CLASSES
from rayscore.tasks.doc_type.config import DocTypeConfig
from rayscore.tasks.doc_type.model import THUMB_COL, VISION_COL
from rayscore.tasks.doc_type.ocr import read_page
from rayscore.tasks.doc_type.vision import describe

_EMPTY = np.zeros(0, dtype=np.float32)
OCR_COLUMNS = ["text", "ocr_readings", "ocr_confidence", "ocr_rotation", "ocr_mirrored"]
#: Separates the readings of each orientation in ``ocr_readings`` (ASCII record separator).
READING_SEP = "\x1e"


def thumbnail(rgb: np.ndarray, side: int = 32) -> np.ndarray:
    """The 32x32 colour thumbnail the simplest reference is fitted on."""
    from PIL import Image

    return (np.asarray(Image.fromarray(rgb).resize((side, side), Image.Resampling.BOX), np.float32) / 255.0).ravel()


def describe_stage(batch: Batch, cfg: DocTypeConfig) -> Batch:
    def one(row: dict) -> dict:
        rgb = load_image(media_of(row), cfg.image)
        return {VISION_COL: describe(rgb, copies=cfg.vision.corrupted_copies).ravel(),
                THUMB_COL: thumbnail(rgb)}

    return map_rows(batch, "describe", one, {VISION_COL: _EMPTY, THUMB_COL: _EMPTY})


def ocr_stage(batch: Batch, cfg: DocTypeConfig) -> Batch:
    o = cfg.ocr

    def one(row: dict) -> dict:
        rgb = load_image(media_of(row), cfg.image)
        page = read_page(rgb, lang=o.lang, psm=o.psm, max_side=o.max_side, upscale_below=o.upscale_below,
                         orientations=o.orientations, timeout=o.timeout_sec)
        return {"text": page.text, "ocr_readings": READING_SEP.join(page.readings),
                "ocr_confidence": page.confidence, "ocr_rotation": float(page.rotation),
                "ocr_mirrored": float(page.mirrored)}

    return map_rows(batch, "ocr", one, {"text": None, "ocr_readings": None, "ocr_confidence": np.nan,
                                        "ocr_rotation": np.nan, "ocr_mirrored": np.nan})


def prediction_columns(probs: np.ndarray) -> dict[str, np.ndarray]:
    top = probs.argmax(axis=1)
    cols = {"prediction": np.array([CLASSES[i] for i in top], dtype=object), "target": top.astype(np.float64),
            "confidence": probs.max(axis=1).astype(np.float64)}
    return cols | {f"p_{c}": probs[:, i].astype(np.float64) for i, c in enumerate(CLASSES)}


class Predict:
    """The document model, loaded once per actor (from the registry when given a version)."""

    def __init__(self, cfg: DocTypeConfig, model: Any) -> None:
        from rayscore.registry import ModelVersion

        if isinstance(model, ModelVersion):
            from rayscore.tasks import get_task

            model = get_task("doc_type").load_version(cfg, model)
        self.cfg, self.model = cfg, model

    def __call__(self, batch: Batch) -> Batch:
        return predict_probabilities(batch, lambda rows: self.model.predict_proba(rows, self.cfg), len(CLASSES),
                                     prediction_columns)
