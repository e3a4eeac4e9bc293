"""The offline document model: what the page says, and what it looks like.

- **Text**: character 1-3-grams of the OCR reading (hashed, sublinear TF-IDF) and a
  class-weighted logistic regression, fitted on the training pages' readings and on
  their corrupted copies' (``ocr_degraded``: test pages read badly, and the model learns
  which n-grams survive that). Medical forms that share every field but the title are
  told apart here.
- **Image**: the dihedral descriptors of :mod:`rayscore.tasks.doc_type.vision`,
  square-rooted (``vision_power``) and standardised, and a network of one hidden ReLU layer
  (``vision_hidden``; 0: a logistic regression) trained on the shared loop on all eight views of every
  training image and of its corrupted copies, each labelled with its class *and* orientation
  (17 x 8 outputs: a linear model that must give one class to every turn of a page fits none
  well; 0.43 -> 0.50 image-half macro-F1 on a corpus we did not make); prediction sums a class
  over orientations and averages its log-probabilities over the views (TTA). Beside it, a small
  convolutional network from scratch (``page_width``) reads the found page itself in grey, 64 px,
  trained on the image and its corrupted copies in random dihedral views; its view-averaged
  log-probabilities are added (``page_weight``): the two err on different pages (on a corpus we
  did not make, 40/class, seeds 9 / 8 / 10: image half 0.662 / 0.648 / 0.682 -> 0.697 / 0.677 /
  0.689, fused 0.744 / 0.737 / 0.744 -> 0.780 / 0.776 / 0.776).
  Dashboards, plates, ID cards and passports are told apart here.
- **Fusion**: ``a_c * text_weight * log p_text + b_c * vision_weight * log p_image + bias_c``
  per class c (the text model's weight shrinks with readings shorter than ``min_text_chars``),
  softmaxed. Both are fitted on out-of-fold predictions of the training rows (both halves judged
  on the corrupted copies, as test images come): first one temperature per half (a = 1/T_text,
  b = 1/T_image: the image model, fitted on 24 views per image, is far surer of itself than it
  is right), then, with ``fusion: per_class``, each class's own a, b and bias, pulled towards
  those by ``fusion_l2``: a dashboard is told by its look, forms that differ by title by their
  text (fused macro-F1 0.465 -> 0.517 and 0.571 -> 0.587 on two held-out seeds of a corpus we
  did not make).

Everything is a few arrays (IDF, coefficients, scaler, the page network's weights by name): the registry's
safetensors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from rayscore.tasks.doc_type.classes import CLASSES
from rayscore.tasks.doc_type.config import DocTypeConfig, OfflineModel
from rayscore.tasks.doc_type.vision import PAGE_SIDE, VIEWS, dim
from rayscore.textfeatures import logistic_regression, sublinear_tfidf
from rayscore.textfeatures import texts as text_column

VISION_COL = "emb_vision"
PAGE_COL = "emb_page"  # the found page in grey, of the image and of its corrupted copies (vision.PAGE_SIDE)
THUMB_COL = "emb_thumb"
N = len(CLASSES)


class _Ngrams:
    """Character n-grams of the OCR text: of the letters alone (spacing inside titles varies by
    issuer) and/or within words (an OCR error spoils one word's n-grams, not its neighbours')."""

    def __init__(self, m: OfflineModel) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        def hasher(analyzer: str, pre, ngrams: tuple[int, int] = (m.char_min, m.char_max)):
            return HashingVectorizer(analyzer=analyzer, ngram_range=ngrams,
                                     n_features=m.hash_features, alternate_sign=False, norm=None, preprocessor=pre)

        self.parts = {"letters": [hasher("char", normalize_text)], "words": [hasher("char_wb", spaced_text)],
                      "both": [hasher("char", normalize_text), hasher("char_wb", spaced_text)]}[m.ngrams]
        if m.jamo:  # letters' n-grams of jamo: a misread syllable (확 as 왁) keeps most of its jamo
            self.parts.append(hasher("char", jamo_text, (2, m.char_max + 1)))

    def transform(self, values: list[str]) -> sp.csr_matrix:
        return sp.hstack([h.transform(values) for h in self.parts]).tocsr()


def _hasher(m: OfflineModel) -> _Ngrams:
    return _Ngrams(m)


def spaced_text(text: str) -> str:
    return " ".join(str(text).lower().split())


def jamo_text(text: str) -> str:
    """The letters as jamo (Unicode NFD splits a Hangul syllable into its 2-3 jamo)."""
    import unicodedata

    return unicodedata.normalize("NFD", normalize_text(text))


def normalize_text(text: str) -> str:
    """Spacing inside titles varies by issuer (진 단 서 / 진단서): n-grams see the letters only."""
    return "".join(ch for ch in str(text).lower() if not ch.isspace())


def views(rows: pd.DataFrame) -> np.ndarray:
    """(rows, 8 * (1 + copies), D) descriptors from the flat cached column."""
    flat = np.stack([np.asarray(v, np.float32) for v in rows[VISION_COL]])
    return flat.reshape(len(rows), -1, dim())


def _column(rows: pd.DataFrame, name: str):
    """``rows[name]``, or a None per row where the column is missing (rows of an older cache, tests)."""
    return rows[name] if name in rows else [None] * len(rows)


def readings(rows: pd.DataFrame) -> list[list[str]]:
    """Each row's readings, one per orientation tried (the kept ``text`` when there are none)."""
    from rayscore.tasks.doc_type.stages import READING_SEP

    texts = text_column(rows)
    col = _column(rows, "ocr_readings")
    return [r.split(READING_SEP) if isinstance(r, str) and r else [t] for r, t in zip(col, texts, strict=True)]


def degraded_readings(rows: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    """The kept readings of training pages' corrupted copies (``ocr_degraded``) and each one's row."""
    from rayscore.tasks.doc_type.stages import READING_SEP

    col = _column(rows, "ocr_degraded")
    found = [(t, i) for i, r in enumerate(col) if isinstance(r, str) and r for t in r.split(READING_SEP)]
    return [t for t, _ in found], np.array([i for _, i in found], np.int64)


def as_degraded(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as their first corrupted copy reads, every orientation's reading too where the encoder
    kept them (``ocr_degraded_readings``: model.offline.reading surest|known picks among them as among
    a test page's); as they are where there is no copy."""
    texts, at = degraded_readings(rows)
    first = {int(i): t for t, i in zip(reversed(texts), reversed(at), strict=True)}
    if not first:
        return rows
    out = rows.copy()
    out["text"] = [first.get(i, t) for i, t in enumerate(text_column(rows))]
    # a copy read before its orientations were kept has none: readings() then takes its kept ``text``
    out["ocr_readings"] = [c if i in first else p for i, (p, c) in enumerate(
        zip(_column(rows, "ocr_readings"), _column(rows, "ocr_degraded_readings"), strict=True))]
    return out


def _power(v: np.ndarray, power: float) -> np.ndarray:
    """sign(v) |v|^power: a square root evens out descriptors whose few large entries (a page's dense
    ink, the strongest gradient bins) would otherwise outweigh the many small ones a linear model
    needs (fused macro-F1 0.582 / 0.601 / 0.530 -> 0.624 / 0.656 / 0.568 on three seeds of a corpus
    we did not make, 20/class, two of them never tuned on)."""
    return v if power == 1 else np.sign(v) * np.abs(v) ** power


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _lr(x, y: np.ndarray, c: float, balanced: bool, outputs: int = N) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients and biases with a row per output."""
    classes, w, b = logistic_regression(x, y, c, class_weight="balanced" if balanced else None)
    coef = np.zeros((outputs, x.shape[1]), np.float32)
    bias = np.full(outputs, -30.0, np.float32)  # a class never seen in training is never predicted
    coef[classes], bias[classes] = w, b
    return coef, bias


def _mlp(x: np.ndarray, y: np.ndarray, outputs: int, m: OfflineModel) -> tuple[np.ndarray, ...]:
    """A hidden ReLU layer between the standardised descriptors and the outputs, trained on the shared
    loop: (hidden weights, hidden biases, output weights, output biases). HOG cells are not linearly
    separable by class across photos, tilts and crops. On a corpus we did not make, 40/class, image half /
    fused macro-F1: seed 11 (chose 256 units over 64 / 128 / 512: 0.650 / 0.703 / 0.703) 0.626 / 0.735 ->
    0.696 / 0.764; seed 10, never tuned on, 0.629 / 0.722 -> 0.656 / 0.753. A fit takes about as long as
    the logistic regression it replaces (72 s against its 69 s of L-BFGS over 136 outputs, 620 pages)."""
    import torch

    def net() -> torch.nn.Module:
        return torch.nn.Sequential(torch.nn.Dropout(0.2), torch.nn.Linear(x.shape[1], m.vision_hidden),
                                   torch.nn.ReLU(), torch.nn.Dropout(m.vision_dropout),
                                   torch.nn.Linear(m.vision_hidden, outputs))

    trained = _train(net, torch.from_numpy(np.ascontiguousarray(x, np.float32)), y, outputs, m.vision_train)
    state = [t.detach().cpu().numpy().astype(np.float32) for t in trained.state_dict().values()]
    return tuple(state)  # Linear 1's weight and bias, Linear 2's (Dropout and ReLU have none)


def _train(net, x, y: np.ndarray, outputs: int, args):
    """``net()`` (built after seeding: the initial weights too, run after run) trained on the shared loop
    on ``x`` (torch) and labels ``y`` with label-smoothed cross-entropy, all epochs, no validation: the
    last epoch's module."""
    import torch

    from rayscore.training.args import LossConfig
    from rayscore.training.loop import Trainer, seed_everything
    from rayscore.training.losses import make_loss

    seed_everything(args.seed, args.deterministic)
    module = net()
    loss = make_loss(LossConfig(kind="label_smoothing", label_smoothing=0.1), np.bincount(y, minlength=outputs))
    trainer = Trainer(module, args, loss, train=(x, torch.from_numpy(y.astype(np.int64))), n_classes=outputs)
    for _ in trainer.epochs():
        pass
    return trainer.best_module()


def page_pixels(rows: pd.DataFrame) -> np.ndarray | None:
    """(rows, 1 + copies, PAGE_SIDE, PAGE_SIDE) grey pages; None where a row has none (a cache from
    before the page network: the image half is then the descriptors' alone)."""
    if PAGE_COL not in rows or any(np.size(v) == 0 for v in rows[PAGE_COL]):
        return None
    flat = np.stack([np.asarray(v, np.float32) for v in rows[PAGE_COL]])
    return flat.reshape(len(rows), -1, PAGE_SIDE, PAGE_SIDE)


def _dihedral(x, k: int):
    """View ``k`` of 8 of a (n, 1, H, W) batch, as :func:`rayscore.tasks.doc_type.vision.dihedral` of one page."""
    import torch

    x = torch.rot90(x, k % 4, (2, 3))
    return torch.flip(x, (3,)) if k >= 4 else x


def page_net(width: int):
    """A small convolutional network over the grey page, from scratch: four stride-2 stages of two
    3x3 convolutions (width/2, width, 2 width, 4 width channels), a 2x2 average pool (where on the
    page, coarsely) and a linear layer to the classes."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Jitter(nn.Module):
        """Training only: the batch in a random one of the 8 dihedral views (test pages come turned and
        mirrored), shifted and scaled a little (a found page's margins vary)."""

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if not self.training:
                return x
            x = _dihedral(x, int(torch.randint(VIEWS, ())))
            theta = torch.zeros(len(x), 2, 3)
            theta[:, 0, 0] = theta[:, 1, 1] = 1 + 0.1 * (torch.rand(len(x)) - 0.5)
            theta[:, :, 2] = 0.08 * (torch.rand(len(x), 2) - 0.5)
            grid = F.affine_grid(theta, list(x.shape), align_corners=False).to(x)
            return F.grid_sample(x, grid, padding_mode="border", align_corners=False)

    def stage(i: int, o: int) -> nn.Sequential:
        return nn.Sequential(nn.Conv2d(i, o, 3, 2, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(),
                             nn.Conv2d(o, o, 3, 1, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU())

    return nn.Sequential(Jitter(), stage(1, width // 2), stage(width // 2, width), stage(width, 2 * width),
                         stage(2 * width, 4 * width), nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Dropout(0.3),
                         nn.Linear(16 * width, N))


def _standardise_pages(pages: np.ndarray):
    """(n, S, S) grey -> (n, 1, S, S) torch, each page to zero mean and unit spread (light and contrast vary)."""
    import torch

    x = torch.from_numpy(np.ascontiguousarray(pages, np.float32))[:, None]
    return (x - x.mean((2, 3), keepdim=True)) / (x.std((2, 3), keepdim=True) + 5.0)


def _fit_page_net(pages: np.ndarray, y: np.ndarray, m: OfflineModel) -> dict[str, np.ndarray]:
    """The page network (:func:`page_net`) trained on the shared loop on every version (the image and
    its corrupted copies) of every training page; its weights by name."""
    x = _standardise_pages(pages.reshape(-1, PAGE_SIDE, PAGE_SIDE))
    trained = _train(lambda: page_net(m.page_width), x, np.repeat(y, pages.shape[1]), N, m.page_train)
    return {k: v.detach().cpu().numpy() for k, v in trained.state_dict().items()}


def _page_log_proba(state: dict[str, np.ndarray], pages: np.ndarray) -> np.ndarray:
    """(n, classes) log-probabilities of the page network, averaged over the 8 dihedral views (TTA)."""
    import torch

    width = state["1.0.weight"].shape[0] * 2  # the first stage has width / 2 channels
    net = page_net(width)
    net.load_state_dict({k: torch.from_numpy(np.asarray(v)) for k, v in state.items()})
    net.eval()
    x = _standardise_pages(pages)
    out = []
    with torch.inference_mode():
        for k in range(VIEWS):
            out.append(torch.log_softmax(net(_dihedral(x, k)), 1).numpy())
    return _log_softmax(np.mean(out, axis=0))


@dataclass
class OfflineDocModel:
    idf: np.ndarray
    text_coef: np.ndarray
    text_bias: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    vision_coef: np.ndarray
    vision_bias: np.ndarray
    temperature: np.ndarray = field(default_factory=lambda: np.ones(2, np.float32))  # text, image
    # (3, classes): each class's weight of the text half, of the image half, and its bias; empty:
    # the temperatures alone (fusion: global, and models registered before per-class fusion)
    fusion: np.ndarray = field(default_factory=lambda: np.zeros((0, N), np.float32))
    # the power the image descriptors were raised to (vision_power); models registered before it: 1
    power: np.ndarray = field(default_factory=lambda: np.ones(1, np.float32))
    # the image model's hidden layer (vision_hidden; vision_coef then maps it to the outputs); empty: linear
    hidden_coef: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    hidden_bias: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    # the page network's weights by name (page_width; empty: none, and models registered before it) and
    # its weight in the image half beside the descriptors' model
    page: dict[str, np.ndarray] = field(default_factory=dict)
    page_weight: np.ndarray = field(default_factory=lambda: np.zeros(1, np.float32))
    history: list[dict] = field(default_factory=list)
    # the fit's out-of-fold predictions (not saved: a CV of the fit for its report, cross_fitted_proba)
    folds: Folds | None = field(default=None, repr=False, compare=False)

    @classmethod
    def fit(cls, cfg: DocTypeConfig, rows: pd.DataFrame) -> OfflineDocModel:
        """Fit on ``rows``. The out-of-fold fits that calibrate the fusion start from scratch: started
        from the model fitted on all rows they had ended near it, held-out rows and all, wherever
        L-BFGS stopped early (a test memorises noise labels and shows it)."""
        from sklearn.feature_extraction.text import TfidfTransformer

        m = cfg.model.offline
        y = rows["label"].map({c: i for i, c in enumerate(CLASSES)}).to_numpy(np.int64)
        # the pages as read, and as their corrupted copies read (test pages come like those)
        degraded, owner = degraded_readings(rows)
        counts = _hasher(m).transform(text_column(rows) + degraded)
        idf = TfidfTransformer(sublinear_tf=True).fit(counts).idf_.astype(np.float32)
        balanced = m.class_weight == "balanced"
        tc, tb = _lr(sublinear_tfidf(counts, idf), np.concatenate([y, y[owner]]), m.text_c, balanced)
        v = views(rows)  # every view of every image and of its degraded copies, with the image's label
        flat = _power(v.reshape(-1, v.shape[2]), m.vision_power)
        mean, std = flat.mean(0), flat.std(0) + 1e-3
        yv = np.repeat(y, v.shape[1])
        if m.vision_orientations:  # row k of every 8 views is orientation k (vision.describe): class x orientation
            yv = yv * VIEWS + np.tile(np.arange(v.shape[1]) % VIEWS, len(y))
        outputs = N * VIEWS if m.vision_orientations else N
        if m.vision_hidden:
            hc, hb, vc, vb = _mlp((flat - mean) / std, yv, outputs, m)
        else:
            hc, hb = np.zeros((0, flat.shape[1]), np.float32), np.zeros(0, np.float32)
            vc, vb = _lr((flat - mean) / std, yv, m.vision_c, balanced, outputs)
        pages = page_pixels(rows) if m.page_width and m.page_weight else None
        model = cls(idf, tc, tb, mean.astype(np.float32), std.astype(np.float32), vc, vb,
                    power=np.array([m.vision_power], np.float32), hidden_coef=hc, hidden_bias=hb,
                    page=_fit_page_net(pages, y, m) if pages is not None else {},
                    page_weight=np.array([m.page_weight if pages is not None else 0.0], np.float32))
        model.folds = _out_of_fold(cfg, rows, y) if m.calibrate else None
        if model.folds is not None:
            model.temperature, model.fusion = model.folds.calibration(m, y, np.ones(len(y), bool))
        return model

    def cross_fitted_proba(self, cfg: DocTypeConfig, y: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Each training row's fold and its class probabilities from that fold's model, calibrated on the
        other folds' out-of-fold predictions: a CV of this fit from the fits it has made already (None:
        it made none -- uncalibrated, or read from the registry). Approximate in one way: the other
        folds' models, whose predictions fit the calibration, saw this fold's rows."""
        if self.folds is None or len(self.folds.fold) != len(y):
            return None
        m, f = cfg.model.offline, self.folds
        probs = np.zeros((len(y), N), np.float32)
        for i in np.unique(f.fold):
            held = f.fold == i
            probs[held] = _fuse(*f.calibration(m, y, ~held), m, f.clean_t[held], f.clean_v[held], f.clean_trust[held])
        return f.fold, probs

    def image_log_proba(self, rows: pd.DataFrame, first: int = 0) -> np.ndarray:
        """The image half: log-probabilities averaged over the 8 views from ``first`` (0: the image itself)."""
        v = views(rows)
        if v.shape[2] != self.mean.shape[0]:
            raise ValueError(f"this doc_type model was trained on {self.mean.shape[0]} image descriptors and this "
                             f"version computes {v.shape[2]}: train it again")
        v = (_power(v[:, first:first + VIEWS], float(self.power[0])) - self.mean) / self.std
        if len(self.hidden_bias):
            v = np.maximum(v @ self.hidden_coef.T + self.hidden_bias, 0.0)
        lv = _log_softmax((v @ self.vision_coef.T + self.vision_bias).reshape(len(rows) * VIEWS, -1))
        if lv.shape[1] == N * VIEWS:  # a class in any orientation (models before 2026-12 have 17 outputs)
            lv = np.logaddexp.reduce(lv.reshape(-1, N, VIEWS), axis=2)
        lv = _log_softmax(lv.reshape(len(rows), VIEWS, N).mean(axis=1))
        if not self.page:
            return lv
        pages = page_pixels(rows)
        if pages is None:
            raise ValueError("this doc_type model has a page network and these rows have no found pages "
                             f"({PAGE_COL}): describe them again with this version")
        # the two models' log-probabilities added: their errors differ (one sees gradient statistics in
        # cells, the other learns its own filters), so each outvotes the other where it is unsure
        return _log_softmax(lv + float(self.page_weight[0]) * _page_log_proba(self.page, pages[:, first // VIEWS]))

    def parts(self, rows: pd.DataFrame, cfg: DocTypeConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Log-probabilities of the text model and of the image model (view-averaged), and each row's text weight."""
        m = cfg.model.offline
        # Of the readings of each orientation, the one the text model is surest of: a page read upside
        # down or mirrored is noise the model has no opinion on.
        options = readings(rows) if m.reading != "kept" else [[t] for t in text_column(rows)]
        flat = [t for opts in options for t in opts]
        counts = _hasher(m).transform(flat)
        every = _log_softmax(np.asarray(sublinear_tfidf(counts, self.idf) @ self.text_coef.T) + self.text_bias)
        # known: how many of a reading's n-grams the training pages had (a page read the wrong way
        # round is made of n-grams no training page had).
        known = np.asarray(counts[:, self.idf < self.idf.max() - 1e-6].sum(axis=1)).ravel()
        lt = np.zeros((len(rows), N))
        texts, at = [], 0
        for i, opts in enumerate(options):
            block = every[at:at + len(opts)]
            k = int(known[at:at + len(opts)].argmax() if m.reading == "known" else block.max(axis=1).argmax())
            lt[i], at = block[k], at + len(opts)
            texts.append(opts[k])
        lv = self.image_log_proba(rows)
        length = np.array([len(normalize_text(t)) for t in texts], np.float64)
        trust = np.minimum(1.0, length / m.min_text_chars) if m.min_text_chars else np.ones(len(rows))
        return lt, lv, trust

    def predict_proba(self, rows: pd.DataFrame, cfg: DocTypeConfig) -> np.ndarray:
        if rows.empty:
            return np.zeros((0, N), np.float32)
        return _fuse(self.temperature, self.fusion, cfg.model.offline, *self.parts(rows, cfg))

    def tensors(self) -> dict[str, np.ndarray]:
        return {f"offline.{k}": getattr(self, k) for k in
                ("idf", "text_coef", "text_bias", "mean", "std", "vision_coef", "vision_bias", "temperature", "fusion",
                 "power", "hidden_coef", "hidden_bias", "page_weight")} | {
            f"offline.page.{k}": v for k, v in self.page.items()}

    @classmethod
    def from_tensors(cls, tensors: dict[str, np.ndarray]) -> OfflineDocModel:
        if not any(k.startswith("offline.") for k in tensors):
            raise ValueError("the registered doc_type version has no offline model weights (weights.safetensors)")
        page = {k.removeprefix("offline.page."): np.asarray(v) for k, v in tensors.items()
                if k.startswith("offline.page.")}
        return cls(**{k.removeprefix("offline."): np.asarray(v) for k, v in tensors.items()
                      if k.startswith("offline.") and not k.startswith("offline.page.")}, page=page)


@dataclass
class Folds:
    """Out-of-fold predictions of a fit's training rows: each row's fold, the text and image halves'
    log-probabilities judged as test pages come (the corrupted copies, where there are any) and the
    text's weight, and the same for the clean rows (as a CV of the fit judges them)."""

    fold: np.ndarray
    t: np.ndarray
    v: np.ndarray
    trust: np.ndarray
    clean_t: np.ndarray
    clean_v: np.ndarray
    clean_trust: np.ndarray

    def calibration(self, m: OfflineModel, y: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the two halves' temperatures, the per-class fusion or nothing) fitted on rows ``keep``."""
        t, v, trust, yk = self.t[keep], self.v[keep], self.trust[keep], y[keep]
        temperature = np.array([_temperature(t, yk), _temperature(v, yk)], np.float32)
        if m.fusion != "per_class":
            return temperature, np.zeros((0, N), np.float32)
        # the halves as predict_proba weighs them
        return temperature, _per_class(m.text_weight * trust[:, None] * t, m.vision_weight * v, yk, 1 / temperature,
                                       m.fusion_l2)


def _out_of_fold(cfg: DocTypeConfig, rows: pd.DataFrame, y: np.ndarray) -> Folds | None:
    """The fit's out-of-fold predictions (:class:`Folds`); None when a class has too few rows to
    cross-validate."""
    from sklearn.model_selection import StratifiedKFold

    counts = np.bincount(y, minlength=N)
    folds = min(5, int(counts[counts > 0].min())) if len(y) else 0
    if folds < 2:
        return None
    plain = cfg.model_copy(update={"model": cfg.model.model_copy(update={
        "offline": cfg.model.offline.model_copy(update={"calibrate": False})})})
    out = Folds(np.zeros(len(y), np.int64), *(np.zeros((len(y), N)) for _ in range(2)), np.ones(len(y)),
                *(np.zeros((len(y), N)) for _ in range(2)), np.ones(len(y)))
    splits = StratifiedKFold(folds, shuffle=True, random_state=42).split(np.zeros(len(y)), y)
    for i, (train, valid) in enumerate(splits):
        fold = OfflineDocModel.fit(plain, rows.iloc[train].reset_index(drop=True))
        held = rows.iloc[valid].reset_index(drop=True)
        out.fold[valid] = i
        out.t[valid], _, out.trust[valid] = fold.parts(as_degraded(held), plain)
        out.v[valid] = fold.image_log_proba(held, first=VIEWS if views(held).shape[1] > VIEWS else 0)
        out.clean_t[valid], out.clean_v[valid], out.clean_trust[valid] = fold.parts(held, plain)
    return out


def _fuse(temperature: np.ndarray, fusion: np.ndarray, m: OfflineModel, lt: np.ndarray, lv: np.ndarray,
          trust: np.ndarray) -> np.ndarray:
    """Class probabilities from the two halves' log-probabilities, weighed per class (``fusion``) or
    by the halves' temperatures alone (no per-class fusion)."""
    a, b, bias = fusion if len(fusion) else (1 / temperature[0], 1 / temperature[1], 0.0)
    z = a * m.text_weight * trust[:, None] * lt + b * m.vision_weight * lv + bias
    return np.exp(_log_softmax(z)).astype(np.float32)


def _temperature(z: np.ndarray, y: np.ndarray) -> float:
    """The temperature that best fits log-probabilities ``z`` to labels ``y`` (log-loss, on a grid)."""
    grid = np.exp(np.linspace(np.log(0.05), np.log(50.0), 80))
    nll = [-_log_softmax(z / t)[np.arange(len(y)), y].mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def _per_class(text: np.ndarray, image: np.ndarray, y: np.ndarray, start: np.ndarray, l2: float) -> np.ndarray:
    """(3, classes): each class's weight of the text half and of the image half, and its bias, that
    minimise the log-loss of ``a * text + b * image + bias`` plus ``l2`` times their squared distance
    from the global weights ``start`` (1/T_text, 1/T_image) and from no bias."""
    from scipy.optimize import minimize

    onehot = np.eye(N)[y]
    prior = np.concatenate([np.full(N, start[0]), np.full(N, start[1]), np.zeros(N)])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        a, b, bias = w.reshape(3, N)
        logp = _log_softmax(a * text + b * image + bias)
        g = (np.exp(logp) - onehot) / len(y)  # d loss / d logit
        grad = np.concatenate([(g * text).sum(0), (g * image).sum(0), g.sum(0)]) + 2 * l2 * (w - prior)
        return float(-(logp * onehot).sum() / len(y) + l2 * ((w - prior) ** 2).sum()), grad

    fitted = minimize(loss, prior, jac=True, method="L-BFGS-B").x.reshape(3, N)
    unseen = np.bincount(y, minlength=N) == 0  # no rows to fit them on: the global weights
    fitted[:, unseen] = prior.reshape(3, N)[:, unseen]
    return fitted.astype(np.float32)
