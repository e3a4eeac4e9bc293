"""The neural path's image preparation, PIL only: Ray Data's decode tasks run it, and a decode
worker that imported torch (and timm) for it paid seconds of CPU per process on a 2-core machine.

- :func:`to_pixels`: the whole page squashed to the model's input size, (3, H, W) uint8;
- :func:`restore`: the restoration presets stage 2 re-scores uncertain pages on.
"""

from __future__ import annotations

import numpy as np

PIXELS_COL = "_pixels"  # uint8 (3 * H * W) at the model's input size, from the decode stage
RESTORED_COL = "_pixels_restored"  # the same, of the restored copy (two-stage routing)


def to_pixels(rgb: np.ndarray, side: tuple[int, int], interpolation: str = "bicubic") -> np.ndarray:
    """(3, H, W) uint8: the whole image squashed to the input size."""
    from PIL import Image

    from rayscore.media.image import resampling

    img = Image.fromarray(rgb).resize((side[1], side[0]), resampling(interpolation))
    return np.ascontiguousarray(np.asarray(img, np.uint8).transpose(2, 0, 1))


PRESETS: dict[str, tuple[str, ...]] = {"none": (), "deskew": ("deskew",), "denoise": ("denoise",),
                                       "contrast": ("contrast",), "doc_restore_bal": ("denoise", "contrast"),
                                       "doc_restore_max": ("deskew", "denoise", "contrast", "sharpen")}


def restore(rgb: np.ndarray, preset: str) -> np.ndarray:
    """Apply a restoration preset to an (H, W, 3) uint8 image (stage 2 re-scores uncertain rows on it)."""
    from PIL import Image, ImageFilter, ImageOps

    img = Image.fromarray(rgb)
    for step in PRESETS[preset]:
        if step == "deskew":
            from rayscore.tasks.doc_type.ocr import deskew_angle

            small = img.copy()
            small.thumbnail((400, 400))
            angle = deskew_angle(np.asarray(small.convert("L"), np.float32), max_skew=15.0)
            angle = angle if abs(angle) <= 15 else angle - 90  # only the skew: turns are the TTA's job
            if abs(angle) >= 0.5:
                img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255))
        elif step == "denoise":
            img = img.filter(ImageFilter.MedianFilter(3))
        elif step == "contrast":
            img = ImageOps.autocontrast(img, cutoff=1)
        elif step == "sharpen":
            img = img.filter(ImageFilter.UnsharpMask(radius=2, percent=80, threshold=2))
    return np.asarray(img)
