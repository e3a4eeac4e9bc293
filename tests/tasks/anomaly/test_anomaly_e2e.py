"""W4 end to end on a real local Ray: train -> score (Ray Data) -> outputs; the AST encoder in an
actor pool; a sweep per machine type with a space per engine; the served score route."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import requests
import yaml

from rayscore.config import validate
from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.embed import FeatureCache, embed
from rayscore.pipeline.score import score
from rayscore.pipeline.train import train
from rayscore.registry import ModelRegistry
from rayscore.tasks import get_task
from rayscore.tasks.anomaly.synth import Counts, generate_package
from rayscore.tune.config import SweepConfig
from rayscore.tune.driver import run_sweeps
from tests.conftest import deploy, write_bad_files

pytestmark = pytest.mark.slow
TASK = get_task("anomaly")


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    root = tmp_path_factory.mktemp("alp")
    generate_package(root, seed=3, machines=("fan", "valve"), sections=2, counts=Counts(8, 3, 1, 4), seconds=3.0)
    return root


def test_train_then_score_on_ray_with_bad_clips(ray_local, package, tmp_path):
    reg = ModelRegistry(tmp_path / "models")
    version = train(TASK, source=package, overrides=["engine=B"], registry=reg, cache=FeatureCache(tmp_path / "c"))
    assert (version.path / "weights.safetensors").is_file() and version.metrics()["hmean"] > 0.5
    manifest = TASK.importers()["package"](package, None)
    bad = write_bad_files(tmp_path / "bad")
    extra = pd.DataFrame({"id": list(bad), "path": [str(tmp_path / "bad" / b) for b in bad],
                          "machine_type": "fan", "section": "00", "group": "fan/00", "domain": "target",
                          "split": "test", "label": None})
    extra.loc[len(extra)] = ["nowhere", str(tmp_path / "nowhere.wav"), "pump", "09", "pump/09", "target", "test", None]
    own = manifest.df.assign(path=[str(package / p) for p in manifest.df["path"]])  # absolute: no common root
    both = Manifest(pd.concat([own, extra], ignore_index=True), root=None)
    cfg = TASK.load_config(version.config_path)
    result = score(TASK, cfg, both, tmp_path / "out", model=version)
    s = result.summary
    assert s["rows_in"] == len(both) == s["rows_ok"] + s["rows_error"]
    errors = result.errors.set_index("id")
    assert "file not found" in errors.loc["nowhere", "error"]
    assert errors.loc["empty.wav", "error_stage"] == "decode"
    scores = pd.read_csv(tmp_path / "out" / "scores.csv")
    assert {"score", "threshold", "alarm", "engine", "section", "domain"} <= set(scores.columns)
    assert len(scores) == s["rows_ok"] and set(scores["engine"]) == {"B"}
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert {"hmean", "pauc_hmean", "auc_source_hmean", "sections", "config"} <= set(metrics)
    assert metrics["config"]["engine"] == "B"


def test_ast_encoder_runs_in_an_actor_pool_and_is_cached(ray_local, package, tiny_ast_dir, tmp_path):
    cfg = TASK.load_config(overrides=["encoder.name=hf_audio", f"encoder.hf.model_id={tiny_ast_dir}",
                                      "engine=A"])
    (spec,) = TASK.encoders(cfg)
    assert spec.name == "hf_audio" and spec.stages[-1].is_actor
    manifest = TASK.importers()["package"](package, cfg)
    cache = FeatureCache(tmp_path / "cache")
    first = embed(TASK, cfg, manifest, cache=cache)
    assert first.stats["hf_audio"]["computed"] == len(manifest) and len(first.errors) == 0
    assert first.ok["emb_hf_audio"].map(len).eq(32).all()
    second = embed(TASK, cfg, manifest, cache=cache)
    assert second.stats["hf_audio"]["computed"] == 0
    model = next(TASK.fit(cfg, second.ok))
    assert TASK.evaluate(TASK.predict(model, cfg, second.ok), cfg)["hmean"] is not None


def test_sweep_per_machine_type_merges_winners_and_trains(ray_local, package, tmp_path):
    doc = {
        "task": "anomaly", "name": "alp", "data": {"input": str(package), "per": "machine_type",
                                                   "merge_into": "per_machine"},
        "folds": {"strategy": "split"}, "scheduler": {"type": "fifo"},
        "search": {"num_samples": 4, "max_concurrent": 2, "seed": 0}, "storage_path": str(tmp_path / "tune"),
        "space": {"engine": {"type": "branch", "choices": {
            "A": {"engine_a.k": {"type": "int", "low": 1, "high": 3}},
            "B": {"engine_b.memmixup_lambda": {"type": "uniform", "low": 0.5, "high": 1.0},
                  "engine_b.domain_normalization": {"type": "categorical", "choices": [True, False]}}}}},
    }
    result = run_sweeps(validate(SweepConfig, doc), cache=FeatureCache(tmp_path / "cache"))
    assert set(result.results) == {"fan", "valve"}
    for res in result.results.values():
        assert len(res.trials) == 4 and res.best["params"]["engine"] in ("A", "B")
        assert set(res.trials["param.engine"]) <= {"A", "B"}
        # a trial only has the parameters of the branch it took
        for t in res.trials.to_dict("records"):
            other = "param.engine_b.memmixup_lambda" if t["param.engine"] == "A" else "param.engine_a.k"
            assert t[other] is None or pd.isna(t[other])
    combined = yaml.safe_load(result.best_config_path.read_text())
    assert set(combined["per_machine"]) == {"fan", "valve"}
    assert combined["per_machine"]["fan"]["engine"] == result.results["fan"].best["params"]["engine"]
    version = train(TASK, sweep_dir=result.run_dir, registry=ModelRegistry(tmp_path / "models"),
                    cache=FeatureCache(tmp_path / "cache"))
    assert TASK.load_config(version.config_path).per_machine == TASK.load_config(result.best_config_path).per_machine
    assert set(version.metrics()["cv"]) == {"fan", "valve"}


def test_served_score_route(ray_local, serve_url, package, tmp_path):
    reg = ModelRegistry(tmp_path / "models")
    version = train(TASK, source=package, registry=reg, cache=FeatureCache(tmp_path / "c"))
    reg.promote("anomaly", version.version, "production")
    deploy("alp", "/alp", {"registry": str(reg.root), "auth_token_env": None, "tasks": {"anomaly": {}}})
    url = f"{serve_url}/alp/v1/anomaly/score"
    clip = (package / "audio/fan/00/test_target_anomaly_000.wav").read_bytes()
    r = requests.post(url, files={"file": ("c.wav", clip, "audio/wav")}, data={"asset_id": "fan/00"}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["asset_id"] == "fan/00" and body["model"] == "anomaly:1"
    assert isinstance(body["alarm"], bool) and body["threshold"] > float("-inf") and body["engine"] in "ABCD"
    # the same clip scored by the batch job gets the same score
    batch = score(TASK, TASK.load_config(version.config_path), package, tmp_path / "batch", model=version)
    row = batch.predictions.set_index("id").loc["audio/fan/00/test_target_anomaly_000.wav"]
    assert body["score"] == pytest.approx(row["score"], rel=1e-9)
    bare = requests.post(url, files={"file": ("c.wav", clip, "audio/wav")},
                         data={"asset_id": "00", "machine_type": "fan"}, timeout=60)
    assert bare.json()["score"] == body["score"]
    unknown = requests.post(url, files={"file": ("c.wav", clip, "audio/wav")}, data={"asset_id": "pump/07"}, timeout=60)
    assert unknown.status_code == 404 and "unknown asset 'pump/07'" in unknown.json()["detail"]
    missing = requests.post(url, files={"file": ("c.wav", clip, "audio/wav")}, timeout=60)
    assert missing.status_code == 422  # asset_id is required
