"""Image descriptors that need no pretrained weights, for each of the 8 orientations.

A page may arrive rotated or flipped, so every image is described in all eight of
its dihedral views (4 rotations x mirror). Training fits on all eight views of each
training image with its label, so the model learns every orientation of every
class from upright examples; prediction averages over the views (test-time
augmentation, as the seed's flip + 90/180/270 TTA).

Per view: histograms of oriented gradients on a 8x8 and a 4x4 grid (layout: where
text lines, tables, gauges and photos sit), a 12x12 grey thumbnail and the
aspect ratio; per image: an HSV colour histogram and edge and ink densities.
"""

from __future__ import annotations

import numpy as np

SIDE = 96
VIEWS = 8
_BINS = 9


def _hog(gray: np.ndarray, cells: int) -> np.ndarray:
    gy, gx = np.gradient(gray)
    mag = np.hypot(gx, gy)
    ang = (np.arctan2(gy, gx) % np.pi) / np.pi * _BINS
    idx = np.minimum(ang.astype(np.int64), _BINS - 1)
    s = gray.shape[0] // cells
    out = np.zeros((cells, cells, _BINS), np.float32)
    for b in range(_BINS):
        m = (mag * (idx == b))[: s * cells, : s * cells]
        out[:, :, b] = m.reshape(cells, s, cells, s).sum(axis=(1, 3))
    out /= np.linalg.norm(out, axis=2, keepdims=True) + 1e-3  # per-cell normalisation: light-invariant
    return out.ravel()


def _view_features(gray: np.ndarray, aspect: float) -> np.ndarray:
    from PIL import Image

    thumb = np.asarray(Image.fromarray(gray.astype(np.uint8)).resize((12, 12), Image.Resampling.BOX), np.float32)
    thumb = (thumb - thumb.mean()) / (thumb.std() + 1e-3)
    g = gray.astype(np.float32) / 255.0
    return np.concatenate([_hog(g, 8), _hog(g, 4), thumb.ravel() * 0.3, [np.log(aspect)]]).astype(np.float32)


def _global_features(rgb_small: np.ndarray) -> np.ndarray:
    from PIL import Image

    hsv = np.asarray(Image.fromarray(rgb_small).convert("HSV"), np.float32) / 255.0
    hist, _ = np.histogramdd(hsv.reshape(-1, 3), bins=(8, 3, 3), range=((0, 1), (0, 1), (0, 1)))
    hist = np.sqrt(hist.ravel() / max(hist.sum(), 1))
    gray = rgb_small.mean(axis=2)
    gy, gx = np.gradient(gray)
    edges = np.hypot(gx, gy)
    dark = gray < np.percentile(gray, 50) * 0.7
    return np.concatenate([hist, [edges.mean() / 50, (edges > 40).mean(), dark.mean(), gray.mean() / 255,
                                  gray.std() / 128]]).astype(np.float32)


def dihedral(arr: np.ndarray, k: int) -> np.ndarray:
    """View ``k`` of 8: ``k % 4`` quarter turns counter-clockwise, mirrored when ``k >= 4``."""
    out = np.rot90(arr, k % 4)
    return out[:, ::-1] if k >= 4 else out


def degrade(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A worse copy, as test images come: cropped, blurred, noisy, lighter or darker, JPEG'd."""
    import io

    from PIL import Image, ImageEnhance, ImageFilter

    img = Image.fromarray(rgb)
    w, h = img.size
    img = img.crop((int(w * rng.uniform(0, 0.1)), int(h * rng.uniform(0, 0.1)),
                    w - int(w * rng.uniform(0, 0.1)), h - int(h * rng.uniform(0, 0.1))))
    img = ImageEnhance.Brightness(img).enhance(float(rng.uniform(0.65, 1.35)))
    img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 2.0))))
    arr = np.asarray(img, np.float32) + rng.normal(0, rng.uniform(3, 20), (img.size[1], img.size[0], 3))
    buf = io.BytesIO()
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(buf, format="JPEG", quality=int(rng.integers(40, 90)))
    return np.asarray(Image.open(buf).convert("RGB"))


def describe(rgb: np.ndarray, copies: int = 0) -> np.ndarray:
    """(8 * (1 + copies), D) float32: each dihedral view of ``rgb`` (H, W, 3 uint8), then of
    ``copies`` degraded copies (training sees test-like images; prediction uses the first 8)."""
    out = [_describe(rgb)]
    if copies:
        rng = np.random.default_rng(int.from_bytes(rgb[::7, ::7].tobytes()[:4096].ljust(8, b"\0")[:8], "little")
                                    ^ rgb.size)  # the same copies for the same image, run after run
        out += [_describe(degrade(rgb, rng)) for _ in range(copies)]
    return np.concatenate(out)


def _describe(rgb: np.ndarray) -> np.ndarray:
    from PIL import Image

    h, w = rgb.shape[:2]
    img = Image.fromarray(rgb)
    small = np.asarray(img.resize((SIDE, SIDE), Image.Resampling.BILINEAR))
    gray = small.astype(np.float32).mean(axis=2)
    glob = _global_features(small)
    views = []
    for k in range(VIEWS):
        aspect = (h / w) if k % 2 == 0 else (w / h)
        views.append(np.concatenate([_view_features(dihedral(gray, k), aspect), glob]))
    return np.stack(views).astype(np.float32)


def dim() -> int:
    """Length of one view's descriptor."""
    return _describe(np.zeros((32, 24, 3), np.uint8)).shape[1]
