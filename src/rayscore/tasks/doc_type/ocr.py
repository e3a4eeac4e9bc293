"""Reading a document's text with Debian's tesseract (``tesseract-ocr`` + ``tesseract-ocr-kor``).

Test copies come rotated by 90/180/270, tilted and flipped, and OCR of a page on
its side (or 10 degrees off) is noise, so the page is levelled first: the angle
(any tilt) whose row ink profile is spikiest makes its text lines horizontal, and
the page is cropped to its ink (a photographed page's desk is not read, and a page
small in the frame is scaled up); that leaves upright or upside down, each maybe
mirrored, and the reading with the most Hangul read most confidently wins (text
half macro-F1 0.407 -> 0.459, fused 0.682 -> 0.719 on a held-out seed of a corpus
we did not make, against the whole frame levelled by up to 20 degrees). A sheet on a
desk is found first (the largest bright, paper-shaped region) and only its ink counts:
a ruled or striped desk otherwise levels and frames the desk (text half 0.459 -> 0.474
and 0.430 -> 0.461 on two seeds; fused 0.719 -> 0.710 and 0.676 -> 0.690). The top of the kept
view (``title``) is then read again as one block and appended: the title that tells medical forms
apart is often lost in the noise by the sparse whole-page reading (:func:`read_views`). Tesseract runs as a subprocess
(one thread each: Ray runs several at once); no Python binding is needed.

Example:
    >>> page = read_page(load_image("scan.jpg"))     # doctest: +SKIP
    >>> page.text[:20], page.rotation, page.mirrored  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace

import numpy as np

from rayscore.errors import RowError


@dataclass(frozen=True)
class Page:
    text: str
    confidence: float  # mean word confidence of the kept reading, 0-100
    rotation: float  # degrees counter-clockwise applied to put it upright (quarter turns + deskew)
    mirrored: bool
    tried: int  # readings tried
    readings: tuple[str, ...] = ()  # every orientation's reading: the model picks the one it understands
    title: str = ""  # the kept view's title band read as a block (also appended to text and its reading)


def tesseract_languages() -> set[str]:
    """Installed tesseract languages (empty when tesseract is missing)."""
    exe = shutil.which("tesseract")
    if not exe:
        return set()
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    return {line.strip() for line in out.stdout.splitlines()[1:] if line.strip()}


def run_tesseract(views: list, lang: str, psm: int, timeout: float) -> list[tuple[str, float, int]]:
    """Text, mean word confidence and word count of each view, read by one tesseract process.

    One process reads every view (a list file), so the Korean model loads once per call.
    """
    with tempfile.TemporaryDirectory(prefix="rayscore-ocr-") as tmp:
        paths = []
        for i, view in enumerate(views):
            paths.append(os.path.join(tmp, f"{i}.bmp"))  # uncompressed: PNG encoding cost a quarter of the OCR time
            view.save(paths[-1])
        listing = os.path.join(tmp, "pages.txt")
        with open(listing, "w") as fh:
            fh.write("\n".join(paths) + "\n")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        try:
            out = subprocess.run(["tesseract", listing, "stdout", "-l", lang, "--psm", str(psm), "tsv"],
                                 capture_output=True, timeout=timeout * len(views), env=env)
        except FileNotFoundError:
            raise RowError("tesseract is not installed (make debs-test installs tesseract-ocr tesseract-ocr-kor)",
                           stage="ocr") from None
        except subprocess.TimeoutExpired:
            raise RowError(f"OCR took longer than {timeout:g} s per reading", stage="ocr") from None
    pages: dict[int, dict] = {i: {"lines": [], "line": [], "last": None, "confs": []} for i in range(len(views))}
    for row in out.stdout.decode("utf-8", "replace").splitlines():
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[1].isdigit():
            continue
        page = pages.get(int(parts[1]) - 1)
        if page is None:
            continue
        key = tuple(parts[2:5])  # block, paragraph, line: newlines where tesseract saw them
        if page["last"] is not None and key != page["last"] and page["line"]:
            page["lines"].append(" ".join(page["line"]))
            page["line"] = []
        page["last"] = key
        word = parts[11].strip()
        if word:
            page["line"].append(word)
            page["confs"].append(float(parts[10]))
    results = []
    for i in range(len(views)):
        p = pages[i]
        lines = p["lines"] + ([" ".join(p["line"])] if p["line"] else [])
        results.append(("\n".join(lines), float(np.mean(p["confs"])) if p["confs"] else 0.0, len(p["confs"])))
    return results


def ink(gray: np.ndarray) -> np.ndarray:
    """(H, W) uint8, 255 where a pixel is darker than its surroundings: strokes, not a dark desk
    or the black corners a rotated scan gets."""
    from PIL import Image, ImageFilter

    g = Image.fromarray(np.clip(gray, 0, 255).astype(np.uint8))
    local = np.asarray(g.filter(ImageFilter.BoxBlur(4)), np.float32)
    return ((local - np.asarray(g, np.float32)) > 12).astype(np.uint8) * 255


def deskew_angle(gray: np.ndarray, max_skew: float = 20.0, step: float = 1.0) -> float:
    """The rotation (degrees, counter-clockwise) that makes the text lines of ``gray`` horizontal."""
    return level_angle(ink(gray), max_skew, step)


def level_angle(marks: np.ndarray, max_skew: float = 20.0, step: float = 1.0) -> float:
    """The rotation (degrees, counter-clockwise) that makes the lines of the ink mask ``marks``
    (:func:`ink`, maybe with a desk blanked out) horizontal.

    Text lines make the row profile of ink spiky when they are level; the angle whose
    rotated page has the most varied row profile wins. Angles near 90 cover pages on
    their side, so this also decides the lines' direction (0/180 vs 90/270 is left).
    """
    from PIL import Image

    img = Image.fromarray(marks)
    best, best_var = 0.0, -1.0
    for base in (0.0, 90.0):
        for a in np.arange(-max_skew, max_skew + 1e-6, step):
            rows = np.asarray(img.rotate(base + a, expand=True), np.float32).mean(axis=1)
            var = float(np.var(np.diff(rows)))
            if var > best_var:
                best, best_var = base + a, var
    return float(best)


def ink_box(levelled_mask, size: tuple[int, int], margin: float = 0.06,
            lo: float = 3.0) -> tuple[int, int, int, int] | None:
    """Where the ink is in a levelled page of ``size`` (W, H), from its small levelled ink mask (PIL):
    the ``lo``-th to ``100 - lo``-th percentile of ink pixels (not a speck of noise at the edge) plus
    ``margin``; None with too little ink to go by."""
    ys, xs = np.nonzero(np.asarray(levelled_mask))
    if len(ys) < 50:
        return None
    f = size[0] / levelled_mask.size[0]
    (y0, y1), (x0, x1) = np.percentile(ys, [lo, 100 - lo]) * f, np.percentile(xs, [lo, 100 - lo]) * f
    h, w = y1 - y0, x1 - x0
    box = (max(0, int(x0 - margin * w)), max(0, int(y0 - margin * h)),
           min(size[0], int(x1 + margin * w)), min(size[1], int(y1 + margin * h)))
    return box if box[2] - box[0] >= 16 and box[3] - box[1] >= 16 else None


def _small(img, side: int = 300) -> np.ndarray:
    scale = side / max(img.size)
    return np.asarray(img.resize((max(1, int(img.size[0] * scale)), max(1, int(img.size[1] * scale)))), np.float32)


def _otsu(values: np.ndarray) -> float | None:
    """The grey level that best splits ``values`` in two (Otsu's between-class variance); None for
    a page of one grey (blank, black), which has no two parts."""
    hist, edges = np.histogram(values, 64, (0, 255))
    mids = (edges[:-1] + edges[1:]) / 2
    below, mass = np.cumsum(hist), np.cumsum(hist * mids)
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mass[-1] * below / below[-1] - mass) ** 2 / (below * (below[-1] - below))
    return float(mids[np.nanargmax(between)]) if np.isfinite(between).any() else None


def page_region(small: np.ndarray, least: float = 0.06, most: float = 0.9, square: float = 0.8) -> np.ndarray | None:
    """(H, W) bool: a sheet of paper photographed on a desk, found as the largest bright region
    (Otsu on the blurred page, holes where the print is filled) that covers ``least``-``most`` of
    the frame and fills ``square`` of its tightest turned rectangle; shrunk by 1 % so that the
    desk beside its edge is not ink. None where there is no such sheet (a scan that fills the
    frame, a car, a dim photo): the whole frame is read then."""
    from scipy import ndimage

    blurred = ndimage.gaussian_filter(small, 2)
    level = _otsu(blurred)
    if level is None:
        return None
    bright = ndimage.binary_opening(blurred > level, iterations=2)  # cut thin bridges to the desk
    labels, n = ndimage.label(bright)
    if not n:
        return None
    sizes = ndimage.sum(bright, labels, range(1, n + 1))
    sheet = ndimage.binary_fill_holes(labels == int(np.argmax(sizes)) + 1)
    if not least < sheet.mean() < most:
        return None
    ys, xs = np.nonzero(sheet)
    turns = np.deg2rad(np.arange(0, 90, 2))[:, None]  # the tightest box over turns of 2 degrees
    u, v = xs * np.cos(turns) + ys * np.sin(turns), ys * np.cos(turns) - xs * np.sin(turns)
    box = ((np.ptp(u, axis=1) + 1) * (np.ptp(v, axis=1) + 1)).min()
    if len(ys) / box < square:
        return None
    return ndimage.binary_erosion(sheet, iterations=max(1, round(0.01 * max(small.shape))))


_LAPLACE_DIFF = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)
# Grey levels of noise (at the 300 px of a small page) above which the ink mask is taken after smoothing.
NOISY = 3.0


def noise_sigma(gray: np.ndarray) -> float:
    """The standard deviation of a grey image's pixel noise (Immerkaer's fast estimate: a Laplacian
    difference that cancels smooth shading and most edges)."""
    from scipy import ndimage

    h, w = gray.shape
    if h < 3 or w < 3:
        return 0.0
    lap = ndimage.convolve(np.asarray(gray, np.float32), _LAPLACE_DIFF)[1:-1, 1:-1]
    return float(np.sqrt(np.pi / 2) * np.abs(lap).sum() / (6 * (w - 2) * (h - 2)))


def sheet_ink(small: np.ndarray, smooth_noise: bool = False) -> np.ndarray:
    """The ink mask (:func:`ink`) of a small grey page, only the found sheet's on a desk (:func:`page_region`).

    ``smooth_noise``: on a noisy page (over :data:`NOISY` grey levels) the mask is taken after a
    Gaussian of 1-1.4 px, as :func:`ink`'s fixed 12-level threshold otherwise marks the noise as ink
    all over the frame, which then levels and frames the noise, not the text. Used by the image half
    (:func:`rayscore.tasks.doc_type.vision.focus`): on a corpus we did not make, 40/class, image half
    macro-F1 (mean of 3 network seeds) 0.695 -> 0.700 on seed 11 (its noisiest sixth of test pages
    right on 52 -> 57 %), 0.650 -> 0.657 on seed 9 (never tuned on); fused 0.756 -> 0.765,
    0.731 -> 0.744 and 0.717 -> 0.737 on seeds 11 / 9 / 8 (threshold 3: the first guess, untuned;
    models registered before it get the drift warning of a new vision key). The OCR keeps the plain
    mask: re-reading seed 11's 136 test pages it changes (40 %: a dense page's own strokes count as
    noise too) took the text half 0.526 -> 0.536 but the fused model 0.756 -> 0.753 (its fusion
    calibrated on readings made the plain way)."""
    if smooth_noise and (sigma := noise_sigma(small)) > NOISY:
        from scipy import ndimage

        small = ndimage.gaussian_filter(np.asarray(small, np.float32), np.sqrt(min(2.0, sigma / NOISY)))
    sheet, marks = page_region(small), ink(small)
    on_sheet = marks if sheet is None else marks * sheet.astype(np.uint8)
    # a "sheet" with next to none of the ink is a blank stretch of a scan that fills the frame (a form's
    # empty lower half): levelled on it, the page was turned by whatever angle came first
    return on_sheet if np.count_nonzero(on_sheet) >= 0.05 * np.count_nonzero(marks) else marks


def _focused(gray) -> tuple:
    """The page levelled (its text lines horizontal, whatever the tilt) and cropped to its ink, and
    the angle it was turned by: a page photographed on a desk, or shrunk into a corner by a crop,
    then fills the reading's pixels (tesseract reads 20-px letters, not 8-px ones). On a desk, only
    the sheet's ink counts (``page_region``): a grid or striped desk otherwise levels and frames
    the desk, not the text."""
    from PIL import Image

    small = _small(gray)
    marks = sheet_ink(small)
    angle = level_angle(marks, max_skew=45.0)  # around 0 and 90 degrees: any direction of lines
    fill = int(np.median(small))
    levelled = gray.rotate(angle, expand=True, fillcolor=fill, resample=Image.Resampling.BICUBIC)
    box = ink_box(Image.fromarray(marks).rotate(angle, expand=True), levelled.size, lo=1.0)
    return (levelled.crop(box) if box else levelled), angle


def page_views(rgb: np.ndarray, max_side: int = 1400, upscale_below: int = 900,
               orientations: str = "lines", page: str = "focus") -> tuple[list[tuple[float, bool]], list]:
    """The orientations worth reading (rotation, mirrored) and the page turned to each, ready for tesseract.

    ``page``: ``frame`` reads the image as it comes, levelled by up to 20 degrees; ``focus`` (with
    ``orientations: lines``) levels the page at any tilt and crops it to its ink first (then
    scaled as a frame is: a small crop doubled)."""
    from PIL import Image, ImageFilter, ImageOps

    img = Image.fromarray(rgb).convert("L")
    angle = None
    if page == "focus" and orientations == "lines":
        img, angle = _focused(img)
    side = max(img.size)
    if side > max_side or side < upscale_below:
        f = (max_side if side > max_side else min(2 * side, max_side)) / side
        img = img.resize((max(1, int(img.size[0] * f)), max(1, int(img.size[1] * f))), Image.Resampling.BICUBIC)
    img = ImageOps.autocontrast(img.filter(ImageFilter.MedianFilter(3)), cutoff=1)  # test copies are noisy
    if angle is not None:  # levelled already: upright or upside down, each maybe mirrored (exact turns)
        upside = img.transpose(Image.Transpose.ROTATE_180)
        return [(angle + r, m) for r in (0.0, 180.0) for m in (False, True)], [
            img, ImageOps.mirror(img), upside, ImageOps.mirror(upside)]
    candidates: list[tuple[float, bool]] = [(0.0, False)]
    if orientations == "lines":
        angle = deskew_angle(_small(img))  # level lines (photographed pages are tilted); 180 and mirror are left
        candidates = [(angle + r, m) for r in (0.0, 180.0) for m in (False, True)]
    views = []
    for rot, mirror in candidates:
        view = img.rotate(rot, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC) if rot else img
        views.append(ImageOps.mirror(view) if mirror else view)
    return candidates, views


def pick_reading(candidates: list[tuple[float, bool]], results: list[tuple[str, float, int]]) -> Page:
    """The most confident reading with the most Hangul, among one page's orientations."""
    best: Page | None = None
    best_score = -1.0
    readings = tuple(text for text, _, _ in results)
    for (rot, mirror), (text, conf, _) in zip(candidates, results, strict=True):
        # Confident and Hangul: upside down or mirrored, tesseract reads unsure fragments, digits, symbols.
        score = conf * np.log1p(sum("가" <= ch <= "힣" for ch in text))
        if best is None or score > best_score:
            best, best_score = Page(text, conf, rot, mirror, len(candidates), readings), score
    assert best is not None
    return best


TITLE_PSM = 6  # the title band read as one block of text: sparse-text mode (11) splits spaced title letters


def read_views(pages: list[tuple[list[tuple[float, bool]], list]], lang: str = "kor", psm: int = 11,
               timeout: float = 60.0, title: float = 0.3, title_views: str = "kept") -> list[Page]:
    """Each page's most confident reading (:func:`page_views`' candidates and views, read by one
    tesseract process), with the top ``title`` of its kept view read again as a block of text.

    Why the second reading: medical forms that share every field differ by their title, and on a
    noisy test page the whole-page reading (sparse text) often misses it where a block reading of
    the title band finds it: appended to the kept reading, it raised the title keyword found on
    test pages 0.37 -> 0.41 and the text half 0.474 -> 0.520 and 0.461 -> 0.511 on two seeds of a
    corpus we did not make, for one more small reading (~0.2 s) per page."""
    views = [v for _, vs in pages for v in vs]
    results = run_tesseract(views, lang, psm, timeout)
    picked, at = [], 0
    for candidates, vs in pages:
        picked.append(pick_reading(candidates, results[at:at + len(vs)]))
        at += len(vs)
    if title <= 0 or not pages:
        return picked
    kept = [candidates.index((page.rotation, page.mirrored)) for (candidates, _), page in zip(pages, picked, strict=True)]
    # title_views all: every orientation's band too -- the kept orientation is wrong on some noisy pages,
    # and model.offline.reading surest|known picks among the readings (kept, the default, uses the kept one only)
    read = [list(range(len(vs))) if title_views == "all" else [k] for (_, vs), k in zip(pages, kept, strict=True)]
    bands = [vs[i].crop((0, 0, vs[i].size[0], max(1, int(vs[i].size[1] * title))))
             for (_, vs), which in zip(pages, read, strict=True) for i in which]
    titles = iter(run_tesseract(bands, lang, TITLE_PSM, timeout))
    out = []
    for page, k, which in zip(picked, kept, read, strict=True):
        found = {i: next(titles)[0] for i in which}
        readings = tuple(r + "\n" + found[i] if found.get(i) else r for i, r in enumerate(page.readings))
        if found.get(k):
            page = replace(page, text=page.text + "\n" + found[k], title=found[k])
        out.append(replace(page, readings=readings))
    return out


def read_page(rgb: np.ndarray, lang: str = "kor", psm: int = 11, max_side: int = 1400, upscale_below: int = 900,
              orientations: str = "lines", page: str = "focus", timeout: float = 60.0, title: float = 0.3,
              title_views: str = "kept") -> Page:
    """The most confident reading of ``rgb`` over the orientations its text lines allow."""
    return read_views([page_views(rgb, max_side, upscale_below, orientations, page)], lang, psm, timeout, title,
                      title_views)[0]
