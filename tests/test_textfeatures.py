"""The linear text models fit their logistic regressions on the columns the training rows use: the
same solution as a fit on every hashed column (an unused column keeps a zero weight under L2)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from rayscore.textfeatures import logistic_regression


@pytest.mark.parametrize("sparse", [True, False])
@pytest.mark.parametrize("n_classes", [2, 5])
def test_leaving_unused_columns_out_gives_the_full_fit(sparse, n_classes):
    rng = np.random.default_rng(0)
    y = np.arange(60) % n_classes * 3
    dense = np.zeros((60, 400))
    cols = rng.choice(400, 40, replace=False)  # most columns unused, as with hashed n-grams
    dense[:, cols] = rng.random((60, 40)) * (rng.random((60, 40)) < 0.3) + 0.5 * (y[:, None] == cols % 15)
    x = sp.csr_matrix(dense) if sparse else dense
    weights = rng.random(60) + 0.5
    classes, coef, intercept = logistic_regression(x, y, c=10.0, class_weight="balanced", sample_weight=weights)
    full = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced").fit(dense, y, sample_weight=weights)
    w, b = full.coef_, full.intercept_
    if n_classes == 2:  # a row per class: scikit-learn's single row as -w/2, +w/2
        w, b = np.vstack([-w / 2, w / 2]), np.array([-b[0] / 2, b[0] / 2])
    assert coef.shape == (n_classes, 400) and list(classes) == list(full.classes_)
    assert not coef[:, np.setdiff1d(np.arange(400), cols)].any()
    np.testing.assert_allclose(coef, w, atol=2e-3)
    np.testing.assert_allclose(intercept, b, atol=2e-3)
