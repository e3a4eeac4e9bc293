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


@pytest.mark.parametrize("n_classes", [2, 5])
def test_a_warm_start_reaches_the_cold_fits_optimum_and_starts_where_it_is_told(n_classes):
    rng = np.random.default_rng(1)
    y = np.arange(80) % n_classes * 3
    x = rng.normal(size=(80, 30)) + (y[:, None] == np.arange(30) % 15)
    _, w_all, b_all = logistic_regression(x, y, c=1.0)
    some = rng.random(80) < 0.8  # a fold: most of the rows, warm-started from the fit on all of them
    _, cold, cold_b = logistic_regression(x[some], y[some], c=1.0)
    _, warm, warm_b = logistic_regression(x[some], y[some], c=1.0, init=(w_all, b_all))
    # the same optimum, up to where L-BFGS stops (the largest weights are ~1.5)
    np.testing.assert_allclose(warm, cold, atol=1e-2)
    np.testing.assert_allclose(warm_b, cold_b, atol=1e-2)
    # Started at the optimum, one iteration leaves it there: the start reaches the solver as given
    # (a row per class; scikit-learn's one row for two classes).
    _, again, again_b = logistic_regression(x, y, c=1.0, max_iter=1, init=(w_all, b_all))
    np.testing.assert_allclose(again, w_all, atol=1e-4)
    np.testing.assert_allclose(again_b, b_all, atol=1e-4)
    _, moved, _ = logistic_regression(x, y, c=1.0, max_iter=1)
    assert np.abs(moved - w_all).max() > 1e-2  # from zero, one iteration does not get there
