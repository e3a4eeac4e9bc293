"""End-to-end batch scoring on a real local Ray: accounting, outputs, CLAP actor pool."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.score import score
from rayscore.tasks import get_task
from tests.conftest import write_bad_files

pytestmark = pytest.mark.slow
TASK = get_task("drum_roles")
FEATURES = ["energy", "sharpness", "attack_time", "decay_time", "low_ratio", "mid_ratio",
            "high_ratio", "spectral_flatness", "zero_crossing_rate"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Manifest, dict[str, str]]:
    """25 generated one-shots, every kind of broken file, and manifest rows that point nowhere."""
    root = tmp_path_factory.mktemp("drums")
    good = TASK.generate(root, n=25, seed=3, cfg=TASK.load_config())
    expected = {f"bad/{k}": v for k, v in write_bad_files(root / "bad").items()}
    bad_rows = pd.DataFrame({"id": list(expected), "path": list(expected)})
    extra = pd.DataFrame({
        "id": ["missing", "no_path", "escape"],
        "path": ["kit00/CORE/never_written.wav", None, "../outside.wav"],
    })
    expected |= {"missing": "file not found", "no_path": "missing path", "escape": "escapes the corpus root"}
    df = pd.concat([good.df, bad_rows, extra], ignore_index=True)
    return Manifest(df, root=root), expected


def _check_accounting(result, manifest: Manifest, expected: dict[str, str]) -> None:
    s = result.summary
    assert s["rows_in"] == len(manifest) == s["rows_ok"] + s["rows_error"]
    assert sorted(result.predictions["id"].tolist() + result.errors["id"].tolist()) == sorted(manifest.df["id"])
    errors = result.errors.set_index("id")
    for rid, outcome in expected.items():
        if outcome == "ok":
            assert rid in set(result.predictions["id"]), f"{rid} should have been scored"
        else:
            assert outcome in errors.loc[rid, "error"], (rid, errors.loc[rid, "error"])
    assert errors["error_stage"].notna().all()


def test_ray_scoring_accounts_for_every_row(ray_local, corpus, tmp_path: Path):
    manifest, expected = corpus
    cfg = TASK.load_config(overrides=["fusion.alpha=1.0"])
    result = score(TASK, cfg, manifest, tmp_path / "out", engine="ray")
    _check_accounting(result, manifest, expected)
    assert result.summary["rows_ok"] == 25 + 3  # generated + 8ch/96k, 10 ms click, truncated data

    out = tmp_path / "out"
    preds = pd.read_parquet(out / "predictions.parquet")
    assert list(preds.columns[:7]) == ["id", "path", "label", "group", "role", "confidence", "p_CORE"]
    assert set(FEATURES) <= set(preds.columns)
    assert preds["role"].isin(["CORE", "ACCENT", "MOTION", "FILL", "TEXTURE"]).all()
    probs = preds[[f"p_{r}" for r in ["CORE", "ACCENT", "MOTION", "FILL", "TEXTURE"]]]
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)
    assert len(pd.read_csv(out / "predictions.csv")) == len(preds)
    assert len(pd.read_parquet(out / "errors.parquet")) == result.summary["rows_error"]
    pools = json.loads((out / "role_pools.json").read_text())
    members = [e["id"] for g in pools["groups"].values() for p in g["pools"].values() for e in p]
    assert sorted(members) == sorted(preds["id"])  # every scored row sits in exactly one pool
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows_in"] == summary["rows_ok"] + summary["rows_error"] == len(manifest)
    assert TASK.load_config(out / "config.yaml") == cfg  # the run's config is reproducible


def test_ray_and_plain_loop_agree(ray_local, corpus, tmp_path: Path):
    manifest, _ = corpus
    cfg = TASK.load_config(overrides=["fusion.alpha=1.0"])
    a = score(TASK, cfg, manifest, tmp_path / "ray", engine="ray").predictions
    b = score(TASK, cfg, manifest, tmp_path / "local", engine="local").predictions
    assert a["id"].tolist() == b["id"].tolist()
    assert a["role"].tolist() == b["role"].tolist()
    np.testing.assert_allclose(a[FEATURES].to_numpy(), b[FEATURES].to_numpy(), rtol=1e-6)


def test_clap_runs_in_an_actor_pool_and_fuses(ray_local, corpus, tiny_clap_dir, tmp_path: Path):
    manifest, expected = corpus
    cfg = TASK.load_config(overrides=[
        f"clap.model_id={tiny_clap_dir}", f"clap.cache_dir={tmp_path / 'cache'}",
        "fusion.alpha=0.5", "resources.clap.batch_size=8", "resources.clap.concurrency=1",
    ])
    stages = TASK.stages(cfg)
    assert [s.name for s in stages] == ["decode", "clap", "assign"] and stages[1].is_actor
    result = score(TASK, cfg, manifest, tmp_path / "out", engine="ray")
    _check_accounting(result, manifest, expected)
    preds = result.predictions
    clap_p = preds[[f"p_clap_{r}" for r in ["CORE", "ACCENT", "MOTION", "FILL", "TEXTURE"]]].to_numpy()
    np.testing.assert_allclose(clap_p.sum(axis=1), 1.0, rtol=1e-6)
    assert preds[[c for c in preds if c.startswith("clap_sim_")]].notna().all().all()
    assert "_audio" not in preds.columns


def test_folder_input_is_imported_and_saved(ray_local, tmp_path: Path):
    TASK.generate(tmp_path / "in", n=10, seed=1, cfg=TASK.load_config())
    cfg = TASK.load_config(overrides=["fusion.alpha=1.0"])
    result = score(TASK, cfg, tmp_path / "in", tmp_path / "out")
    assert result.summary["rows_in"] == 10 == result.summary["rows_ok"]
    saved = Manifest.read(tmp_path / "out" / "manifest.parquet")
    assert len(saved) == 10 and saved.df["label"].notna().all()
