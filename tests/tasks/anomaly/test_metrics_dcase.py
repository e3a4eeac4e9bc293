"""DCASE metrics against an independent computation (ranks and a hand-built ROC)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rayscore.metrics import dcase_metrics


def auc_by_ranks(y: np.ndarray, s: np.ndarray) -> float:
    """Mann-Whitney: the share of (anomaly, normal) pairs ranked right, ties half."""
    pos, neg = s[y], s[~y]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return wins / (len(pos) * len(neg))


def pauc_mcclish(y: np.ndarray, s: np.ndarray, max_fpr: float) -> float:
    """Partial AUC up to max_fpr by walking the ROC, then McClish's standardisation."""
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    tps, fps = np.cumsum(y), np.cumsum(~y)
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]  # one point per distinct threshold
    tpr = np.r_[0.0, tps[last] / y.sum()]
    fpr = np.r_[0.0, fps[last] / (~y).sum()]
    i = np.searchsorted(fpr, max_fpr, side="right")
    x = np.r_[fpr[:i], max_fpr]
    t = np.r_[tpr[:i], np.interp(max_fpr, fpr[i - 1 : i + 1], tpr[i - 1 : i + 1])]
    area = np.sum(np.diff(x) * (t[1:] + t[:-1]) / 2)
    lo, hi = max_fpr**2 / 2, max_fpr
    return 0.5 * (1 + (area - lo) / (hi - lo))


def test_matches_an_independent_computation():
    rng = np.random.default_rng(7)
    rows = []
    for machine in ("fan", "valve"):
        for section in ("00", "01"):
            for domain, shift in (("source", 0.0), ("target", 0.4)):
                for label, mean, n in (("normal", 0.0, 30), ("anomaly", 1.0, 12)):
                    scores = np.round(rng.normal(mean + shift, 1.0, n), 1)  # rounding makes ties
                    rows += [{"machine_type": machine, "section": section, "domain": domain, "label": label,
                              "score": v, "alarm": v > 1.0} for v in scores]
    df = pd.DataFrame(rows + [{"machine_type": "fan", "section": "00", "domain": "source", "label": None,
                               "score": 99.0, "alarm": True}])  # unlabelled: ignored
    got = dcase_metrics(df)
    expected_all = []
    for (machine, section), g in df[df["label"].notna()].groupby(["machine_type", "section"]):
        y = (g["label"] == "anomaly").to_numpy()
        s = g["score"].to_numpy()
        dom = g["domain"].to_numpy()
        row = next(r for r in got["sections"] if (r["machine_type"], r["section"]) == (machine, section))
        for d in ("source", "target"):
            keep = (dom == d) | y  # that domain's normals and every anomaly of the section
            assert row[f"auc_{d}"] == pytest.approx(auc_by_ranks(y[keep], s[keep]), abs=1e-12)
            expected_all.append(auc_by_ranks(y[keep], s[keep]))
            in_d = dom == d
            decided = g["alarm"].to_numpy()[in_d]
            tp = (decided & y[in_d]).sum()
            assert row[f"precision_{d}"] == pytest.approx(tp / decided.sum())
            assert row[f"recall_{d}"] == pytest.approx(tp / y[in_d].sum())
        assert row["pauc"] == pytest.approx(pauc_mcclish(y, s, 0.1), abs=1e-9)
        expected_all.append(pauc_mcclish(y, s, 0.1))
    # the official score: harmonic mean of every AUC (source, target) and pAUC
    assert got["hmean"] == pytest.approx(len(expected_all) / sum(1 / v for v in expected_all), abs=1e-9)
    assert got["amean"] == pytest.approx(np.mean(expected_all))
    assert got["n"] == len(rows)


def test_undefined_entries_are_left_out():
    df = pd.DataFrame({"machine_type": "fan", "section": "00", "domain": ["source"] * 4,
                       "label": ["normal", "normal", "anomaly", "anomaly"], "score": [0.1, 0.2, 0.9, 0.8]})
    got = dcase_metrics(df, alarm=None)
    row = got["sections"][0]
    assert row["auc_source"] == 1.0 and row["auc_target"] is None  # no target normals
    assert got["hmean"] == pytest.approx(1.0)
