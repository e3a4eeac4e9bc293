"""The crashes a new user met, on public-layout data and a real local Ray, as regression tests:
DCASE folders of every naming train and evaluate; evaluation sets (normal clips only) train;
engine C without other sections falls back instead of leaving assets unscored; evaluate lists the
rows it could not judge."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.embed import FeatureCache
from rayscore.pipeline.evaluate import evaluate
from rayscore.pipeline.score import load_input, score
from rayscore.pipeline.train import train
from rayscore.registry import ModelRegistry
from rayscore.tasks import get_task
from tests import public_layouts as pl


@pytest.fixture
def anomaly():
    return get_task("anomaly")


@pytest.mark.slow
@pytest.mark.parametrize("year", [2020, 2021, 2024])
def test_dcase_dev_sets_train_and_evaluate(ray_local, tmp_path, anomaly, year):
    pl.dcase_dev(tmp_path / "dev", year, n_train=8, n_test=6)
    reg = ModelRegistry(tmp_path / "models")
    version = train(anomaly, source=tmp_path / "dev", registry=reg, cache=FeatureCache(tmp_path / "cache"))
    cfg = anomaly.load_config(version.config_path)
    metrics, result = evaluate(anomaly, cfg, tmp_path / "dev", tmp_path / "eval", model=version)
    s = result.summary
    # the READMEs (and 2024+ attribute tables, read into the clips) are skipped rows, counted
    assert s["rows_error"] == s["rows_skipped"] == (4 if year >= 2024 else 2)
    assert not result.errors["error"].str.contains("unknown asset").any()
    assert metrics["hmean"] is not None and metrics["hmean"] > 0.6  # the fixture's faults are loud
    assert metrics["rows"]["evaluated"] == (2 if year >= 2023 else 4) * 6


@pytest.mark.slow
def test_an_evaluation_set_trains_on_its_normal_clips_only(ray_local, tmp_path, anomaly):
    truth = pl.dcase_eval(tmp_path / "eval", 2023, n_train=8, n_test=8)
    reg = ModelRegistry(tmp_path / "models")
    version = train(anomaly, source=tmp_path / "eval", registry=reg, cache=FeatureCache(tmp_path / "cache"))
    assert version.metrics()["hmean"] is None  # nothing labelled to rank: said, not a crash
    assert "n/a" in (version.path / "MODEL_CARD.md").read_text()
    cfg = anomaly.load_config(version.config_path)
    result = score(anomaly, cfg, tmp_path / "eval", tmp_path / "scored", model=version)
    scored = result.predictions.set_index("id")
    assert set(truth) <= set(scored.index) and scored["score"].notna().all()
    # with the evaluator's answers beside the clips, the same set evaluates
    pl.dcase_eval(tmp_path / "answers", 2023, n_train=8, n_test=8, ground_truth=True)
    metrics, _ = evaluate(anomaly, cfg, tmp_path / "answers", tmp_path / "judged", model=version)
    assert metrics["rows"]["evaluated"] == 8 and metrics["hmean"] is not None


@pytest.mark.slow
def test_engine_c_without_other_sections_falls_back_and_every_asset_scores(ray_local, tmp_path, anomaly):
    pl.dcase_dev(tmp_path / "dev", 2025, machines=("fan", "valve"), n_train=8, n_test=4)
    reg = ModelRegistry(tmp_path / "models")
    version = train(anomaly, overrides=["engine=C"], source=tmp_path / "dev", registry=reg,
                    cache=FeatureCache(tmp_path / "cache"))
    notes = version.metrics()["model_notes"]
    assert set(notes) == {"fan/00", "valve/00"}
    assert all("engine C needs other sections" in n and "so engine B" in n for n in notes.values())
    cfg = anomaly.load_config(version.config_path)
    result = score(anomaly, cfg, tmp_path / "dev", tmp_path / "scored", model=version)
    assert result.summary["rows_error"] == result.summary["rows_skipped"]  # no "unknown asset" rows
    assert set(result.predictions["engine"]) == {"B"}


@pytest.mark.slow
def test_evaluate_lists_the_rows_it_could_not_judge(ray_local, tmp_path):
    task = get_task("drum_roles")
    cfg = task.load_config(overrides=["fusion.alpha=1.0"])
    pl.sample_pack(tmp_path / "pack", per_role=2)
    manifest = load_input(task, cfg, tmp_path / "pack")
    df = manifest.df.copy()
    first_ok = df.index[df["skipped"].isna()][0]
    df.loc[first_ok, "label"] = "COWBELL_FX"  # a label the task does not know
    metrics, result = evaluate(task, cfg, Manifest(df, root=manifest.root), tmp_path / "eval")
    unjudged = pd.read_csv(tmp_path / "eval" / "unjudged.csv").set_index("id")
    assert unjudged.loc[df.loc[first_ok, "id"], "reason"].startswith("label 'COWBELL_FX' is not one of drum_roles")
    assert metrics["rows"]["unknown_label"] == 1
    assert metrics["rows"]["evaluated"] == result.summary["rows_ok"] - len(unjudged)
    doc = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert doc["rows"]["without_known_label"] == len(unjudged)
