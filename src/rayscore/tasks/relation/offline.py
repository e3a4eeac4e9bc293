"""The offline relation model: entity-aware n-grams and a class-weighted logistic regression.

No weights to download. What decides a relation is where the words are relative to
the *marked* pair, so every feature says which segment it came from. Two blocks, each
normalised on its own; the first does not depend on how the fact is worded:

- the entity types and the direction (``PER>ORG``, subject first or not);
- the particle right after each entity (``은``, ``의``, ``에서``: who is the topic, whose
  attribute it is), alone and with the type pair;
- negation in the second entity's clause (않/없/아니), with the type pair; how many clause breaks
  separate the two entities (a relation of another pair in the same sentence sits
  across a comma);
- how a non-person entity ends (대학교, 전자: what kind of organisation or thing);
- Korean cue words of each relation (:mod:`rayscore.tasks.relation.cues`) between and
  after the pair, with the types, the direction and whose attribute the cue is.

The second block is the wording itself:

- character 1-4-grams and words of the text between the entities, by direction and
  with the type pair (``의 아버지`` between PER and PER, subject first, is a parent);
- character n-grams and words of the rest of the second entity's clause (the
  predicate: ``에서 근무``, ``출신``), with the type pair; the last word before the pair.

Every training row is also fitted with its first block alone, so a phrasing training never
saw is read through the types, the structure and its cue words; normalising the blocks
apart keeps that block at the same weight whether the wording is familiar or not.

Hashed (nothing to store but the IDF vector and the coefficients: safetensors).

Example:
    >>> model = OfflineRelationModel.fit(rows, cfg.model.offline)     # doctest: +SKIP
    >>> model.predict_proba(rows).shape                                # doctest: +SKIP
    (n, 30)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from rayscore.tasks.relation.config import OfflineModel
from rayscore.tasks.relation.cues import find_cues
from rayscore.tasks.relation.labels import LABELS
from rayscore.tasks.relation.markers import Pair, Segments, segments
from rayscore.textfeatures import logistic_regression, sublinear_tfidf

#: The feature layout the coefficients index; a model of another layout is refused, not misread.
#: 2: cue words, the two blocks normalised apart.
LAYOUT = 2
_NEGATION = re.compile(r"않|없|아니|아닌|못")
_BREAKS = re.compile(r", |며 |고 |\. ")


def _chars(prefix: str, text: str, lo: int, hi: int) -> list[str]:
    t = f"<{text}>"
    return [f"{prefix}{t[i:i + n]}" for n in range(lo, hi + 1) for i in range(max(0, len(t) - n + 1))]


def pair_features(p: Pair, cfg: OfflineModel) -> tuple[list[str], list[str]]:
    """The feature strings of one marked pair (hashed by the model), in two blocks: what does not
    depend on the phrasing (types, direction, particles, negation, clause breaks, the entities'
    words, cue words) and the phrasing's own n-grams."""
    seg = segments(p)
    d = "S" if seg.subject_first else "O"
    types = f"{p.s_type}>{p.o_type}"
    between = seg.between.strip()
    words_between = between.split()
    clause = seg.after
    breaks = min(2, len(_BREAKS.findall(seg.between)))
    negated = bool(_NEGATION.search(clause)) or (not seg.subject_first and bool(_NEGATION.search(between)) and not breaks)
    feats = [f"T:{types}", f"D:{d}", f"TD:{types}:{d}", f"PS:{seg.after_subject}", f"PO:{seg.after_object}",
             f"PST:{types}:{seg.after_subject}", f"POT:{types}:{seg.after_object}",
             f"PSO:{d}:{seg.after_subject}:{seg.after_object}", f"BR:{breaks}", f"BRT:{types}:{breaks}",
             f"NEG:{negated}", f"NEGT:{types}:{negated}", f"NEGB:{negated}:{breaks}",
             f"LEN:{min(6, len(words_between))}"]
    if cfg.entity_words:  # how a non-person entity ends says what kind it is: 대학교, 전자, 냉장고, 교
        for side, etype, word in (("S", p.s_type, p.sentence[p.s_start:p.s_end + 1]),
                                  ("O", p.o_type, p.sentence[p.o_start:p.o_end + 1])):
            if etype != "PER":  # a person's name says nothing a model should learn
                feats += [f"{side}E1:{etype}:{word[-1:]}", f"{side}E2:{etype}:{word[-2:]}",
                          f"{side}E3:{etype}:{word[-3:]}", f"{side}EW:{etype}:{word.split()[-1]}"]
    if cfg.cues:
        feats += cue_features(seg, types, d)
    words = [f"L:{w}" for w in seg.before.split()[-1:]]
    lo, hi = cfg.char_min, cfg.char_max
    words += _chars(f"B{d}:", between, lo, hi)
    words += _chars(f"BT{types}{d}:", between, lo, hi) if cfg.typed_ngrams else []
    words += [f"BW{d}:{w}" for w in words_between] + [f"BWT{types}:{w}" for w in words_between]
    words += [f"BW2{d}:{a}_{b}" for a, b in zip(words_between, words_between[1:], strict=False)]
    words += _chars("A:", clause.strip(), lo, hi)
    words += _chars(f"AT{types}:", clause.strip(), lo, hi) if cfg.typed_ngrams else []
    words += [f"AW:{w}" for w in clause.split()[:4]] + [f"AWT{types}:{w}" for w in clause.split()[:4]]
    if not breaks:  # the pair shares a clause: its predicate words decide, with who comes first
        words += [f"AWD{types}{d}:{w}" for w in clause.split()[:3]]
    return feats, words


_OWNED = re.compile(r"의\s?$")


def cue_features(seg: Segments, types: str, d: str) -> list[str]:
    """The relations the connecting words may state (:mod:`cues`), with the types, the direction,
    where the cue sits (between the pair or after it) and whose attribute it is: "F의 <cue>" right
    after the first entity or "G의 <cue>" right after the second (``S``/``O``), else ``-``."""
    first, second = ("S", "O") if d == "S" else ("O", "S")
    out: list[str] = []
    for where, text, entity in (("B", seg.between, first), ("A", seg.after, second)):
        for at, _, rels in find_cues(text):
            owner = entity if _OWNED.fullmatch(text[:at]) else "-"
            for rel in rels:
                out += [f"C:{rel}", f"CT:{types}:{rel}", f"CD:{types}:{d}:{rel}", f"CW:{types}:{rel}:{where}",
                        f"CO:{types}:{rel}:{owner}"]
    return out


def _hasher(cfg: OfflineModel) -> HashingVectorizer:
    return HashingVectorizer(analyzer=lambda feats: feats, n_features=cfg.hash_features, alternate_sign=False,
                             norm=None)


def _design(pairs: list[Pair], cfg: OfflineModel, idf: np.ndarray | None = None) -> tuple:
    """(rows, the same rows' phrasing-free block alone, idf). Each block is normalised on its own, so the
    phrasing-free block weighs the same whether a row's wording is familiar, unseen or left out."""
    blocks = [pair_features(p, cfg) for p in pairs]
    hasher = _hasher(cfg)
    fixed, words = hasher.transform([b[0] for b in blocks]), hasher.transform([b[1] for b in blocks])
    if idf is None:
        idf = TfidfTransformer(sublinear_tf=True).fit(fixed + words).idf_.astype(np.float32)
    bare = sublinear_tfidf(fixed, idf)
    return (bare + sublinear_tfidf(words, idf)).tocsr(), bare, idf


def _pairs(rows: pd.DataFrame) -> list[Pair]:
    cols = [rows[c].tolist() for c in ("text", "subj_start", "subj_end", "subj_type", "obj_start", "obj_end", "obj_type")]
    return [Pair(t, int(a), int(b), str(ta), int(c), int(d), str(tb)) for t, a, b, ta, c, d, tb in zip(*cols, strict=True)]


def _logreg(x: sp.csr_matrix, y: np.ndarray, n_classes: int, weights: np.ndarray, c: float,
            sample_weight: np.ndarray | None = None) -> tuple:
    """(coef (n_classes, d), intercept (n_classes,)) of a class-weighted LR; absent classes get -inf-ish bias."""
    present = np.unique(y)
    coef = np.zeros((n_classes, x.shape[1]), np.float32)
    intercept = np.full(n_classes, -30.0, np.float32)  # never seen in training: never predicted
    if len(present) == 1:
        intercept[present[0]] = 0.0
        return coef, intercept
    _, w, b = logistic_regression(x, y, c, class_weight={int(k): float(weights[k]) for k in present},
                                  sample_weight=sample_weight)
    coef[present], intercept[present] = w, b
    return coef, intercept


def _softmax(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


@dataclass
class OfflineRelationModel:
    """``coef`` / ``intercept``: one multinomial LR over the 30 relations, or (``two_stage``) rows 0-1
    the related-or-not model and rows 2.. the which-relation model over the 29 relations."""

    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    cfg: OfflineModel

    def features(self, rows: pd.DataFrame) -> sp.csr_matrix:
        return _design(_pairs(rows), self.cfg, self.idf)[0]

    @classmethod
    def fit(cls, rows: pd.DataFrame, cfg: OfflineModel) -> OfflineRelationModel:
        from rayscore.training.losses import class_weights

        y = rows["label"].map({lab: i for i, lab in enumerate(LABELS)}).to_numpy(np.int64)
        x, bare, idf = _design(_pairs(rows), cfg)
        sw = np.ones(len(y))
        if cfg.unseen_phrasing_weight > 0:
            # Each row again without its phrasing: what to say about a pair worded as training never
            # saw (types, direction, particles, negation, clause breaks, entities and cue words decide).
            x, y = sp.vstack([x, bare]).tocsr(), np.concatenate([y, y])
            sw = np.concatenate([sw, np.full(len(bare.indptr) - 1, cfg.unseen_phrasing_weight)])

        def weights(labels: np.ndarray, n: int) -> np.ndarray:
            return class_weights(np.bincount(labels, minlength=n), cfg.class_weight, power=cfg.class_weight_power)

        if not cfg.two_stage:
            coef, intercept = _logreg(x, y, len(LABELS), weights(y, len(LABELS)), cfg.c, sw)
            return cls(idf, coef, intercept, cfg)
        related = (y != 0).astype(np.int64)
        c1, b1 = _logreg(x, related, 2, weights(related, 2), cfg.c, sw)
        pos = related == 1
        c2, b2 = _logreg(x[pos], y[pos] - 1, len(LABELS) - 1, weights(y[pos] - 1, len(LABELS) - 1), cfg.c, sw[pos])
        return cls(idf, np.vstack([c1, c2]), np.concatenate([b1, b2]), cfg)

    def predict_proba(self, rows: pd.DataFrame) -> np.ndarray:
        if rows.empty:
            return np.zeros((0, len(LABELS)), np.float32)
        x = self.features(rows)
        cols = np.unique(x.indices)  # the columns these rows use: coef is 30 x 2^18, the product a few
        z = np.asarray(x[:, cols] @ self.coef[:, cols].T) + self.intercept
        if self.coef.shape[0] == len(LABELS):
            return _softmax(z).astype(np.float32)
        related = _softmax(z[:, :2])[:, 1:2]
        return np.hstack([1.0 - related, related * _softmax(z[:, 2:])]).astype(np.float32)

    def tensors(self) -> dict[str, np.ndarray]:
        return {f"offline.{k}": getattr(self, k) for k in ("idf", "coef", "intercept")} | {
            "offline.layout": np.array([LAYOUT], np.int64)}

    @classmethod
    def from_tensors(cls, tensors: dict[str, np.ndarray], cfg: OfflineModel) -> OfflineRelationModel:
        from rayscore.registry import RegistryError

        layout = int(np.asarray(tensors.get("offline.layout", [1])).ravel()[0])
        if layout != LAYOUT:  # the coefficients index hashed features of another layout: scores would be noise
            raise RegistryError(f"this relation model was fitted on feature layout {layout}; this rayscore reads "
                                f"layout {LAYOUT}: train it again (rayscore train relation ...)")
        return cls(**{k.removeprefix("offline."): np.asarray(v) for k, v in tensors.items()
                      if k.startswith("offline.") and k != "offline.layout"}, cfg=cfg)
