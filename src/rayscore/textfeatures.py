"""Hashed n-gram TF-IDF helpers shared by the linear text models and the references.

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
