"""The offline text encoder: character n-gram TF-IDF reduced with truncated SVD (LSA).

It is fitted with the model on the training transcripts (so a cross-validation
fold never sees its validation texts) and saved as two arrays (idf, SVD
components) in the model's safetensors; hashing the n-grams means there is no
vocabulary to store. :meth:`TfidfSVD.transform` reproduces scikit-learn's
``HashingVectorizer -> TfidfTransformer -> TruncatedSVD`` from those arrays.

Example:
    >>> lsa = TfidfSVD.fit(["불이 났어요", "문이 잠겼어요", "숨을 안 쉬어요"], TextEncoder(svd_dim=2))
    >>> lsa.transform(["불이 났어요"]).shape
    (1, 2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from rayscore.tasks.urgency.config import TextEncoder


def _hasher(cfg: TextEncoder) -> HashingVectorizer:
    # char_wb: n-grams inside word boundaries, robust to Korean spacing and particles.
    return HashingVectorizer(analyzer="char_wb", ngram_range=(cfg.ngram_min, cfg.ngram_max),
                             n_features=cfg.hash_features, alternate_sign=False, norm=None)


@dataclass
class TfidfSVD:
    idf: np.ndarray  # (hash_features,)
    components: np.ndarray  # (k, hash_features)
    cfg: TextEncoder

    @classmethod
    def fit(cls, texts: list[str], cfg: TextEncoder, seed: int = 0) -> TfidfSVD:
        counts = _hasher(cfg).transform(texts)
        tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
        x = tfidf.transform(counts)
        k = max(1, min(cfg.svd_dim, x.shape[0] - 1, x.shape[1] - 1))
        svd = TruncatedSVD(n_components=k, random_state=seed).fit(x)
        return cls(tfidf.idf_.astype(np.float32), svd.components_.astype(np.float32), cfg)

    def transform(self, texts: list[str]) -> np.ndarray:
        """L2-normalised LSA vectors, one row per text."""
        x = _hasher(self.cfg).transform(texts).astype(np.float64)
        x.data = 1.0 + np.log(x.data)  # sublinear tf
        x = normalize(x.multiply(self.idf[None, :]).tocsr())
        z = np.asarray(x @ self.components.T, dtype=np.float32)
        return normalize(z).astype(np.float32)
