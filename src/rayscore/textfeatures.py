"""Hashed n-gram TF-IDF helpers, and the logistic regression fitted on them, shared by the linear
text models and the references.

The vocabulary is hashed (no fitted vocabulary to store: the IDF vector and the
coefficients are the whole model, as safetensors), the term frequency is sublinear
(1 + log tf) and rows are L2-normalised, as ``TfidfTransformer(sublinear_tf=True)``.

Example:
    >>> import numpy as np, scipy.sparse as sp
    >>> sublinear_tfidf(sp.csr_matrix(np.array([[1.0, 0.0], [2.0, 1.0]])), np.ones(2)).toarray().round(3)
    array([[1.   , 0.   ],
           [0.861, 0.509]])
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp


def texts(rows: pd.DataFrame, column: str = "text") -> list[str]:
    """The column as strings (missing text and missing columns as "")."""
    values = rows[column] if column in rows else [""] * len(rows)
    return [t if isinstance(t, str) else "" for t in values]


def sublinear_tfidf(counts: sp.spmatrix, idf: np.ndarray) -> sp.csr_matrix:
    from sklearn.preprocessing import normalize

    x = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    x.data = 1.0 + np.log(x.data)
    return normalize(x.multiply(idf[None, :]).tocsr())


def logistic_regression(x, y: np.ndarray, c: float, max_iter: int = 3000, class_weight=None,
                        sample_weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(classes, coef, intercept) of scikit-learn's L2 ``LogisticRegression`` on ``x`` (sparse or dense):
    a row of ``coef`` per class in ``classes`` (two classes as ``-w/2, +w/2``, softmax-equivalent to
    scikit-learn's single row), ``coef`` as wide as ``x``.

    It fits on the columns some row uses: an unused column keeps a zero weight under the L2 penalty
    (its gradient is zero from a zero start), so the solution is the same, and L-BFGS's cost grows
    with the columns: of 2^18 hashed n-gram columns a corpus uses a few %, and a fit over all of them
    took a minute where this takes a second. Where no row has any feature the fit is the class prior.
    """
    from sklearn.linear_model import LogisticRegression

    used = np.flatnonzero(x.getnnz(axis=0) if sp.issparse(x) else (np.asarray(x) != 0).any(axis=0))
    if not len(used):  # no row has any feature (e.g. no OCR text at all): the (weighted) class prior
        from sklearn.utils.class_weight import compute_sample_weight

        classes, y_idx = np.unique(y, return_inverse=True)
        weight = compute_sample_weight(class_weight, y) * (1.0 if sample_weight is None else np.asarray(sample_weight))
        prior = np.bincount(y_idx, weights=weight, minlength=len(classes)) / weight.sum()
        return classes, np.zeros((len(classes), x.shape[1])), np.log(prior) - np.log(prior).mean()
    lr = LogisticRegression(C=c, max_iter=max_iter, class_weight=class_weight)
    lr.fit(x[:, used], y, sample_weight=sample_weight)
    w, b = lr.coef_, lr.intercept_
    if w.shape[0] == 1:  # scikit-learn's binary form
        w, b = np.vstack([-w / 2, w / 2]), np.array([-b[0] / 2, b[0] / 2])
    coef = np.zeros((len(w), x.shape[1]), w.dtype)
    coef[:, used] = w
    return lr.classes_, coef, b
