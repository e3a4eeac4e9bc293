"""Image descriptors that need no pretrained weights, for each of the 8 orientations.

Pages are photographed: tilted, small in the frame, on a desk or cloth. So the page is
found first (:func:`focus`: its text lines levelled, the frame cropped to where the ink
is), and the descriptors describe the page, not the desk (image-half macro-F1 on a corpus
we did not make: 0.28 -> 0.37 from this alone).

A page may arrive rotated or flipped, so every image is described in all eight of
its dihedral views (4 rotations x mirror), always in the same order: row k of every 8 is
view k of the original (a corrupted copy, turned and mirrored, knows how, and its views are
put in that order). Training labels each view with its class and orientation, so the model
learns every orientation of every class from upright examples; prediction averages over the
views (test-time augmentation, as the seed's flip + 90/180/270 TTA).

Per view: histograms of oriented gradients (soft cells, each normalised by its neighbourhood)
on a 16x16, 8x8 and 4x4 grid (layout: where text lines, tables, gauges and photos sit), a 12x12
grey thumbnail and the aspect ratio; per image: an HSV colour histogram and edge and ink
densities. The same, coarser (8x8 and 4x4 grids of a 64 px copy), of the whole frame: how the
page sits in the photo (a card small on a desk, a page filling the frame), which the found page
no longer shows.
Training also describes degraded copies (:func:`corrupt`: smaller, turned, tilted,
mirrored, cropped, blurred, noisy, JPEG'd), found the same way as test pages are.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.ndimage import uniform_filter

SIDE = 128
# The whole frame, coarser than the page (at the page's 128 px and 16x16 grid: fused 0.56 -> 0.54, mean of 3 seeds).
FRAME_SIDE, FRAME_CELLS = 64, (8, 4)
CELLS = (16, 8, 4)  # HOG grids (16 added: 0.42 -> 0.45 image-half macro-F1 on that corpus)
VIEWS = 8
# The found page as the page network (model.offline.page_width) reads it: grey, squashed to a square
# (image half of seeds 11 / 9 of a corpus we did not make, network alone: 96 px 0.701 / 0.672, 64 px
# 0.711 / 0.682 at half the fit).
PAGE_SIDE = 64
_BINS = 9
# Soft cells (sigma, in cells) -- image-half macro-F1 on the corpus we did not make, 20/class, seeds
# 7 / 9 / 8: hard cells 0.403 / 0.464 / 0.414 -> 0.433 / 0.470 / 0.460 (seed 7 chose it).
_SOFT = 0.5
# Normalised by the 3x3 neighbourhood's energy plus this share of the median's: seeds 7 / 9 / 8,
# image half, 0.433 / 0.470 / 0.460 (each cell by its own norm) -> 0.497 / 0.499 / 0.454
# (seed 7 chose it, over 0.1 / 0.5 / 1.0 and no floor, 0.488).
_FLOOR = 0.2


@functools.cache
def _cell_weights(n: int, cells: int) -> np.ndarray:
    """(n, cells): how much of pixel row (or column) ``i`` goes to each cell -- a Gaussian of half a
    cell around the cell centres, each pixel's weights summing to 1."""
    u = (np.arange(n) + 0.5) * cells / n - 0.5  # the pixel's centre, in cells
    w = np.exp(-((u[:, None] - np.arange(cells)) ** 2) / (2 * _SOFT**2))
    return (w / w.sum(axis=1, keepdims=True)).astype(np.float32)


def _hog(gray: np.ndarray, cells: int) -> np.ndarray:
    gy, gx = np.gradient(gray)
    mag = np.hypot(gx, gy).astype(np.float32)
    ang = (np.arctan2(gy, gx) % np.pi) / np.pi * _BINS
    idx = np.minimum(ang.astype(np.int64), _BINS - 1)
    per_bin = (idx[..., None] == np.arange(_BINS)) * mag[..., None]  # (H, W, bins)
    # Soft cells: a gradient near a border counts in both cells, so a page a few pixels off
    # (tilt, crop, a found page's margin) moves the histograms a little, not from cell to cell.
    rows, cols = _cell_weights(gray.shape[0], cells), _cell_weights(gray.shape[1], cells)
    out = np.einsum("yi,yxb,xj->ijb", rows, per_bin, cols, optimize=True)
    # Each cell over the gradient energy of its 3x3 neighbourhood (light-invariant, as HOG's blocks),
    # plus a fifth of the page's median one: on a page mostly of ink, a blank margin's JPEG and sensor
    # noise stays small instead of being scaled up to look like a line of text, as its own norm would.
    energy = np.maximum(uniform_filter((out**2).sum(axis=2), size=3, mode="nearest"), 0.0)
    block = np.sqrt(energy)
    out /= block[..., None] + _FLOOR * np.median(block) + 1e-3
    return out.ravel()


def _thumbnail(gray: np.ndarray) -> np.ndarray:
    """12x12 grey thumbnail, standardised (weighted down beside the gradient histograms)."""
    from PIL import Image

    thumb = np.asarray(Image.fromarray(gray.astype(np.uint8)).resize((12, 12), Image.Resampling.BOX), np.float32)
    return ((thumb - thumb.mean()) / (thumb.std() + 1e-3)).ravel() * 0.3


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


def corrupt(rgb: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """A copy as test pages come: smaller, a quarter turn and a tilt, maybe mirrored, then :func:`degrade`d;
    and the view (:func:`dihedral`'s index) of the original it is, tilt aside."""
    from PIL import Image

    img = Image.fromarray(rgb)
    f = rng.uniform(0.45, 0.8)
    img = img.resize((max(1, int(img.size[0] * f)), max(1, int(img.size[1] * f))), Image.Resampling.BILINEAR)
    fill = tuple(int(v) for v in np.median(rgb.reshape(-1, 3), axis=0))
    turns = int(rng.integers(4))
    img = img.rotate(90 * turns + rng.uniform(-25, 25), expand=True, resample=Image.Resampling.BILINEAR, fillcolor=fill)
    mirrored = bool(rng.random() < 0.5)
    if mirrored:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return degrade(np.asarray(img), rng), turns + 4 * mirrored


def compose(k: int, g: int) -> int:
    """The view of the original that view ``k`` of its view ``g`` is (mirroring reverses the turns)."""
    turns, mirrored = g % 4, g >= 4
    return ((-(k % 4) if mirrored else k % 4) + turns) % 4 + 4 * ((k >= 4) ^ mirrored)


def copies_of(rgb: np.ndarray, n: int) -> list[tuple[np.ndarray, int]]:
    """``n`` :func:`corrupt` copies and the view each is, the same ones for the same image, run after run."""
    seed = int.from_bytes(rgb[::7, ::7].tobytes()[:4096].ljust(8, b"\0")[:8], "little") ^ rgb.size
    rng = np.random.default_rng(seed)
    return [corrupt(rgb, rng) for _ in range(n)]


def focus(rgb: np.ndarray, margin: float = 0.06) -> np.ndarray:
    """The page in the photo: text lines levelled (quarter turns are left to the views) and the
    frame cropped to where the ink is (the 3rd to 97th percentile of ink, plus a margin). On a desk,
    only the sheet's ink counts (as for OCR: a grid or striped desk otherwise levels and frames the
    desk; image-half macro-F1 0.606 -> 0.626 and 0.594 -> 0.626 on two seeds of a corpus we did not make)."""
    from PIL import Image

    from rayscore.tasks.doc_type.ocr import ink_box, level_angle, sheet_ink

    img = Image.fromarray(rgb)
    scale = 300 / max(img.size)
    small = img.resize((max(1, round(img.size[0] * scale)), max(1, round(img.size[1] * scale))))
    gray = np.asarray(small.convert("L"), np.float32)
    marks = sheet_ink(gray, smooth_noise=True)  # a noisy photo's noise is not ink
    angle = level_angle(marks, max_skew=45.0, step=2.0)  # +-45 around 0 and 90: any direction of lines
    angle = (angle + 45.0) % 90.0 - 45.0  # only the tilt
    fill = tuple(int(v) for v in np.median(rgb.reshape(-1, 3), axis=0))
    turned = img.rotate(angle, expand=True, resample=Image.Resampling.BILINEAR, fillcolor=fill)
    box = ink_box(Image.fromarray(marks).rotate(angle, expand=True), turned.size, margin)
    return np.asarray(turned.crop(box) if box else turned)  # no ink to go by: the whole (levelled) frame


def describe(rgb: np.ndarray, copies: int = 0) -> np.ndarray:
    """(8 * (1 + copies), D) float32: each dihedral view of the page found in ``rgb`` (H, W, 3
    uint8), then of ``copies`` corrupted copies (training sees test-like images; prediction uses
    the first 8). Row ``k`` of every 8 is view ``k`` of the original, so the model can learn each
    class in each orientation (a copy's own views are put in that order)."""
    return describe_with_pages(rgb, copies)[0]


def describe_with_pages(rgb: np.ndarray, copies: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """:func:`describe`'s views, and the found page of the image and of each copy as the page
    network reads it: (1 + copies, PAGE_SIDE, PAGE_SIDE) uint8 grey, each copy turned back to the
    original's orientation (tilt aside), so a copy is a test-like version of the same upright page."""
    views, page = _describe(rgb)
    out, pages = [views], [page]
    for img, g in copies_of(rgb, copies):
        own, page = _describe(img)
        order = np.argsort([compose(k, g) for k in range(VIEWS)])  # the copy's view of each original view
        out.append(own[order])
        pages.append(dihedral(page, int(order[0])))  # the copy's view that is the original as it came
    return np.concatenate(out), np.stack(pages)


def _describe(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(8, D): each dihedral view of the page found in ``rgb``, and of the whole frame; and the
    found page, grey, at PAGE_SIDE."""
    from PIL import Image

    page = focus(rgb)
    grey = np.asarray(Image.fromarray(page).convert("L").resize((PAGE_SIDE, PAGE_SIDE), Image.Resampling.BILINEAR))
    views = np.concatenate([_views(page, SIDE, CELLS, page=True), _views(rgb, FRAME_SIDE, FRAME_CELLS)], axis=1)
    return views, grey


def _views(rgb: np.ndarray, side: int, cells: tuple[int, ...], page: bool = False) -> np.ndarray:
    """Each dihedral view of ``rgb`` at ``side`` px: HOG on ``cells`` grids and colour statistics;
    for the found page (``page``) also a grey thumbnail and the aspect ratio."""
    from PIL import Image

    h, w = rgb.shape[:2]
    small = np.asarray(Image.fromarray(rgb).resize((side, side), Image.Resampling.BILINEAR))
    gray = small.astype(np.float32).mean(axis=2)
    glob = _global_features(small)
    views = []
    for k in range(VIEWS):
        view = dihedral(gray, k)
        parts = [_hog(view / 255.0, c) for c in cells]
        if page:
            parts += [_thumbnail(view), [np.log((h / w) if k % 2 == 0 else (w / h))]]
        views.append(np.concatenate([*parts, glob]))
    return np.stack(views).astype(np.float32)


@functools.cache
def dim() -> int:
    """Length of one view's descriptor (fixed by the code; ~60 ms to work out, and every model
    batch and encoder key asks)."""
    return _describe(np.zeros((32, 24, 3), np.uint8))[0].shape[1]
