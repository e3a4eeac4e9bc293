"""The linear urgency model: sparse n-grams of the transcript beside the call's acoustics.

Urgency is decided by facts said in words, and with a few hundred calls a linear
model on the right features learns them faster than a transformer head on dense
embeddings. The features:

- character 2-5-grams across word boundaries (Korean particles and endings,
  and negations glued to their verb: "안 쉬", "잘 못");
- word 1-3-grams with negation scope marked (a word after 안/못, or before
  않/없/못/아니, also appears as ``NEG_<word>``), so "잘 못 쉬어요" is not
  "잘 쉬어요";
- the five acoustic features and the audio embedding, standardised and scaled
  by ``audio_weight`` (arousal helps, but only loosely follows urgency).

Both n-gram spaces are hashed (nothing to store but the IDF weights), and the
model is a class-weighted multinomial logistic regression: a few arrays in the
model's safetensors.

Example:
    >>> model = LinearUrgency.fit(cfg, rows)            # doctest: +SKIP
    >>> model.predict_proba(rows, cfg).shape            # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from rayscore.tasks.urgency.config import LEVELS, LinearHead, UrgencyConfig
from rayscore.textfeatures import logistic_regression, sublinear_tfidf
from rayscore.textfeatures import texts as text_column

_NEG_BEFORE = ("안", "못")
_NEG_INSIDE = ("않", "없", "못", "아니")


def mark_negation(text: str) -> str:
    """Words in a negation's scope get a NEG_ twin: 안 쉬어요 -> 안 쉬어요 NEG_쉬어요."""
    words = text.split()
    out = []
    for i, w in enumerate(words):
        out.append(w)
        if i > 0 and words[i - 1] in _NEG_BEFORE:
            out.append("NEG_" + w)
        if i > 0 and any(m in w for m in _NEG_INSIDE):
            out.append("NEG_" + words[i - 1])
    return " ".join(out)


def _hashers(h: LinearHead) -> tuple[HashingVectorizer, HashingVectorizer]:
    chars = HashingVectorizer(analyzer="char", ngram_range=(h.char_min, h.char_max), n_features=h.hash_features,
                              alternate_sign=False, norm=None)
    words = HashingVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, h.word_max),
                              preprocessor=mark_negation if h.negation else None, n_features=h.hash_features,
                              alternate_sign=False, norm=None)
    return chars, words


def _class_weights(y: np.ndarray, how: str) -> dict[int, float] | None:
    if how == "none":
        return None
    counts = np.bincount(y, minlength=len(LEVELS)).astype(float)
    present = counts > 0
    w = np.ones(len(LEVELS))
    w[present] = len(y) / (present.sum() * counts[present])
    return {i: float(np.sqrt(w[i]) if how == "sqrt" else w[i]) for i in range(len(LEVELS)) if present[i]}


@dataclass
class LinearUrgency:
    idf_char: np.ndarray
    idf_word: np.ndarray
    audio_mean: np.ndarray
    audio_std: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    classes: np.ndarray
    history: list[dict] = field(default_factory=list)

    def features(self, rows: pd.DataFrame, cfg: UrgencyConfig) -> sp.csr_matrix:
        from rayscore.tasks.urgency.model import audio_matrix

        h = cfg.model.linear
        chars, words = _hashers(h)
        texts = text_column(rows)
        audio = (audio_matrix(rows, cfg) - self.audio_mean) / self.audio_std
        audio = np.nan_to_num(audio) * h.audio_weight / np.sqrt(audio.shape[1])
        return sp.hstack([sublinear_tfidf(chars.transform(texts), self.idf_char), sublinear_tfidf(words.transform(texts), self.idf_word),
                          sp.csr_matrix(audio)]).tocsr()

    @classmethod
    def fit(cls, cfg: UrgencyConfig, rows: pd.DataFrame) -> LinearUrgency:
        from rayscore.tasks.urgency.model import audio_matrix

        h = cfg.model.linear
        y = rows["label"].map({lab: i for i, lab in enumerate(LEVELS)}).to_numpy(dtype=np.int64)
        chars, words = _hashers(h)
        texts = text_column(rows)
        idf_char = TfidfTransformer(sublinear_tf=True).fit(chars.transform(texts)).idf_.astype(np.float32)
        idf_word = TfidfTransformer(sublinear_tf=True).fit(words.transform(texts)).idf_.astype(np.float32)
        audio = audio_matrix(rows, cfg)
        model = cls(idf_char, idf_word, audio.mean(0).astype(np.float32), (audio.std(0) + 1e-6).astype(np.float32),
                    np.zeros((0,)), np.zeros((0,)), np.zeros((0,)))
        classes, coef, intercept = logistic_regression(model.features(rows, cfg), y, h.c, max_iter=5000,
                                                       class_weight=_class_weights(y, h.class_weight))
        model.coef, model.intercept = coef.astype(np.float32), intercept.astype(np.float32)
        model.classes = classes.astype(np.int64)
        return model

    def predict_proba(self, rows: pd.DataFrame, cfg: UrgencyConfig) -> np.ndarray:
        if rows.empty:
            return np.zeros((0, len(LEVELS)), np.float32)
        z = np.asarray(self.features(rows, cfg) @ self.coef.T) + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        out = np.zeros((len(rows), len(LEVELS)), np.float32)
        out[:, self.classes] = z / z.sum(axis=1, keepdims=True)
        return out

    def tensors(self) -> dict[str, np.ndarray]:
        return {f"linear.{k}": getattr(self, k) for k in
                ("idf_char", "idf_word", "audio_mean", "audio_std", "coef", "intercept", "classes")}

    @classmethod
    def from_tensors(cls, tensors: dict[str, np.ndarray]) -> LinearUrgency:
        return cls(**{k.removeprefix("linear."): np.asarray(v) for k, v in tensors.items() if k.startswith("linear.")})
