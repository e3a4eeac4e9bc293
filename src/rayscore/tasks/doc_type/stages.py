"""Ray Data stages of W3: image descriptors and OCR (tasks, one row at a time), the model
(an actor pool that loads the registered version once). Serving runs the same stages."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from typing import Any

import numpy as np

from rayscore.media.image import DataConfig, load_image
from rayscore.pipeline.stage import Batch, map_rows, media_of, predict_probabilities, row_count
from rayscore.runtime import worker_cpus
from rayscore.tasks.doc_type import ocr
from rayscore.tasks.doc_type.classes import CLASSES, HELD_OUT_SPLIT
from rayscore.tasks.doc_type.config import DocTypeConfig
from rayscore.tasks.doc_type.model import PAGE_COL, THUMB_COL, VISION_COL
from rayscore.tasks.doc_type.ocr import page_views
from rayscore.tasks.doc_type.vision import copies_of, describe_with_pages

_EMPTY = np.zeros(0, dtype=np.float32)
#: The OCR columns and the value an errored row gets in each.
_OCR_OUTPUTS = {"text": None, "ocr_readings": None, "ocr_confidence": np.nan, "ocr_rotation": np.nan,
                "ocr_mirrored": np.nan}
# the encoder's: training pages' corrupted copies' kept readings, and the first copy's every orientation's
OCR_COLUMNS = [*_OCR_OUTPUTS, "ocr_degraded", "ocr_degraded_readings"]
#: Separates the readings of each orientation in ``ocr_readings`` (ASCII record separator).
READING_SEP = "\x1e"


def thumbnail(rgb: np.ndarray, side: int = 32) -> np.ndarray:
    """The 32x32 colour thumbnail the simplest reference is fitted on."""
    from PIL import Image

    return (np.asarray(Image.fromarray(rgb).resize((side, side), Image.Resampling.BOX), np.float32) / 255.0).ravel()


def _threads(cfg: DocTypeConfig) -> int:
    """Pages worked on at once in a batch: the worker's whole CPUs (a Serve replica given 2 CPUs
    describes and reads 2 pages of a request batch at once; a Ray Data task at 1 CPU, one)."""
    return worker_cpus() if cfg.ocr.workers == "auto" else cfg.ocr.workers


def _descriptors(rgb: np.ndarray, cfg: DocTypeConfig, scoring: bool) -> dict:
    # the corrupted copies' views are for training: a scored page is described as it is
    copies = 0 if scoring else cfg.vision.corrupted_copies
    views, pages = describe_with_pages(rgb, copies=copies)
    return {VISION_COL: views.ravel(), PAGE_COL: pages.ravel().astype(np.float32), THUMB_COL: thumbnail(rgb)}


_DESCRIPTOR_OUTPUTS = {VISION_COL: _EMPTY, PAGE_COL: _EMPTY, THUMB_COL: _EMPTY}


def describe_stage(batch: Batch, cfg: DocTypeConfig, scoring: bool = False) -> Batch:
    """Image descriptors only: the vision encoder, and scoring with OCR off."""
    return map_rows(batch, "describe", lambda row: _descriptors(load_image(media_of(row), cfg.image), cfg, scoring),
                    _DESCRIPTOR_OUTPUTS, workers=_threads(cfg))


def _now(fn, *args) -> Future:
    """``fn(*args)`` run here, as a finished future (its exception kept for the rows it concerns)."""
    done: Future = Future()
    try:
        done.set_result(fn(*args))
    except Exception as exc:  # noqa: BLE001 - raised again by .result() for its pages only
        done.set_exception(exc)
    return done


def ocr_stage(batch: Batch, cfg: DocTypeConfig) -> Batch:
    """Each page's text only: the OCR encoder (its readings are cached apart from the descriptors)."""
    return _read_pages(batch, cfg, describe_too=False)


def page_stage(batch: Batch, cfg: DocTypeConfig) -> Batch:
    """Scoring and serving: each page decoded once, its descriptors computed while tesseract reads it."""
    return _read_pages(batch, cfg, describe_too=True)


_PAGES_A_RUN = 4  # one worker: pages a tesseract process reads


def _training_copies(row: dict, cfg: DocTypeConfig, encoding: bool) -> int:
    """Corrupted copies to read of this page: training pages (labelled, not of the held-out test
    split) while encoding, so the text model also learns from readings as bad as test pages give."""
    trains = encoding and row.get("label") in CLASSES and row.get("split") != HELD_OUT_SPLIT  # as Task.trainable
    return cfg.ocr.training_copies if trains else 0


def _read_pages(batch: Batch, cfg: DocTypeConfig, describe_too: bool) -> Batch:
    """This thread decodes each page, turns it to its orientations and hands it to one of
    ``ocr.workers`` tesseract processes (a page a run, to whichever process is free: pages differ
    10x in reading time, so fixed shares left a core idle at the end of a batch), then describes it
    while the processes read: the image work (which holds the GIL) stays in one thread and the
    cores read. With one worker (a Ray Data task at 1 CPU, the plain loop) it is all sequential in
    this thread, a few pages a process (the Korean model loads once for them, ~0.1 s; the turned
    pages wait in memory, ~8 MB each): Ray Data's parallelism is its tasks.

    The OCR encoder (``describe_too`` false) also reads training pages' corrupted copies
    (``ocr.training_copies``): their kept readings, joined, are ``ocr_degraded``; the first copy's
    reading of every orientation is ``ocr_degraded_readings`` (the fit judges its held-out pages as
    test pages read, by model.offline.reading)."""
    o = cfg.ocr
    workers = _threads(cfg)
    per_run = min(row_count(batch), _PAGES_A_RUN) if workers == 1 else 1
    pages: list[tuple[list, list]] = []  # per page read: candidates and views
    readings: list[tuple[Future, int]] = []  # per page read: its run's pages and which one it is
    owned: list[list[int]] = []  # per row: its pages (the page itself, then its corrupted copies)
    start = 0

    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
        def flush() -> None:
            nonlocal start
            if start < len(pages):
                args = (ocr.read_views, pages[start:], o.lang, o.psm, o.timeout_sec, o.title, o.title_views)
                run = pool.submit(*args) if pool else _now(*args)
                readings.extend((run, i) for i in range(len(pages) - start))
                start = len(pages)

        def turn(row: dict) -> dict:
            rgb = load_image(media_of(row), cfg.image)
            mine = []
            for img in [rgb, *(c for c, _ in copies_of(rgb, _training_copies(row, cfg, not describe_too)))]:
                pages.append(page_views(img, o.max_side, o.upscale_below, o.orientations, o.page))
                mine.append(len(pages) - 1)
                if len(pages) - start >= per_run:
                    flush()
            owned.append(mine)
            return {"_ocr_page": len(owned) - 1} | (_descriptors(rgb, cfg, scoring=True) if describe_too else {})

        batch = map_rows(batch, "describe" if describe_too else "ocr", turn,
                         {"_ocr_page": np.nan} | (_DESCRIPTOR_OUTPUTS if describe_too else {}))
        flush()

        def read(k: int) -> ocr.Page:
            run, i = readings[k]
            return run.result()[i]  # a failed process: its pages

        def one(row: dict) -> dict:
            page, *copies = [read(k) for k in owned[int(row["_ocr_page"])]]
            out = {"text": page.text, "ocr_readings": READING_SEP.join(page.readings),
                   "ocr_confidence": page.confidence, "ocr_rotation": float(page.rotation),
                   "ocr_mirrored": float(page.mirrored)}
            if describe_too:
                return out
            return out | {"ocr_degraded": READING_SEP.join(c.text for c in copies),
                          "ocr_degraded_readings": READING_SEP.join(copies[0].readings) if copies else ""}

        degraded = {"ocr_degraded": None, "ocr_degraded_readings": None}
        return map_rows(batch, "ocr", one, _OCR_OUTPUTS | ({} if describe_too else degraded),
                        drop=("_ocr_page",))


def pixels_stage(batch: Batch, cfg: DocTypeConfig, dc: DataConfig) -> Batch:
    """Decode + resize for the neural model (uint8 at its input size), and the restored copy
    stage 2 re-scores when routing is on: image work stays in Ray Data tasks."""
    from rayscore.tasks.doc_type.pixels import PIXELS_COL, RESTORED_COL, restore, to_pixels

    side, preset = tuple(dc.input_size[1:]), cfg.model.neural.route

    def one(row: dict) -> dict:
        rgb = load_image(media_of(row), cfg.image)
        out = {PIXELS_COL: to_pixels(rgb, side, dc.interpolation).ravel()}
        if preset.enabled:
            out[RESTORED_COL] = to_pixels(restore(rgb, preset.preset), side, dc.interpolation).ravel()
        return out

    empty = np.zeros(0, np.uint8)
    return map_rows(batch, "decode", one, {PIXELS_COL: empty} | ({RESTORED_COL: empty} if preset.enabled else {}))


def probabilities(model: Any, rows: Any, cfg: DocTypeConfig) -> np.ndarray:
    """(rows, 17 + 1): class probabilities and whether stage 2 re-scored the row (neural models)."""
    if cfg.model.kind == "neural":
        from rayscore.tasks.doc_type.routing import predict_routed

        probs, routed = predict_routed(model, rows, cfg)
    else:
        probs, routed = model.predict_proba(rows, cfg), np.zeros(len(rows))
    return np.column_stack([probs, routed]) if len(rows) else np.zeros((0, len(CLASSES) + 1))


def prediction_columns(probs: np.ndarray) -> dict[str, np.ndarray]:
    """Output columns from :func:`probabilities` (a last column, when present, is the routed flag)."""
    routed = probs[:, len(CLASSES)] if probs.shape[1] > len(CLASSES) else np.zeros(len(probs))
    probs = probs[:, :len(CLASSES)]
    top = probs.argmax(axis=1)
    cols = {"prediction": np.array([CLASSES[i] for i in top], dtype=object), "target": top.astype(np.float64),
            "confidence": probs.max(axis=1).astype(np.float64), "routed": routed.astype(np.float64)}
    return cols | {f"p_{c}": probs[:, i].astype(np.float64) for i, c in enumerate(CLASSES)}


class Predict:
    """The document model, loaded once per actor (from the registry when given a version)."""

    def __init__(self, cfg: DocTypeConfig, model: Any) -> None:
        from rayscore.tasks import get_task

        self.cfg, self.model = cfg, get_task("doc_type").in_memory(cfg, model)

    def __call__(self, batch: Batch) -> Batch:
        out = predict_probabilities(batch, lambda rows: probabilities(self.model, rows, self.cfg), len(CLASSES) + 1,
                                    prediction_columns)
        # The model's inputs are not outputs: pixels, the page (16 KB a row) and the descriptors of 8
        # views (130 KB a row; 340 KB in predictions.csv). The thumbnail stays: `evaluate` judges the
        # references on it.
        for col in ("_pixels", "_pixels_restored", PAGE_COL, VISION_COL):
            out.pop(col, None)
        return out
