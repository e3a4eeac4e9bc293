"""Model registry: versions, aliases, safetensors weights; train -> promote -> score --model."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from rayscore.cli import app
from rayscore.pipeline.embed import feature_drift, feature_keys, stale_features
from rayscore.registry import ModelRegistry, RegistryError
from rayscore.tasks import get_task

TASK = get_task("drum_roles")
CFG = TASK.load_config(overrides=["fusion.alpha=1.0"])
runner = CliRunner()


def test_versions_aliases_and_resolution(tmp_path):
    reg = ModelRegistry(tmp_path)
    v1 = reg.register("drum_roles", CFG, {"macro_f1": 0.4}, ["CORE", "ACCENT"])
    v2 = reg.register("drum_roles", CFG, {"macro_f1": 0.5}, ["CORE", "ACCENT"],
                      tensors={"w": np.arange(6, dtype=np.float32).reshape(2, 3)})
    assert (v1.version, v2.version) == (1, 2)
    assert reg.resolve("drum_roles:latest").version == 2
    assert reg.resolve("drum_roles:1").version == 1 and reg.resolve("v1", task="drum_roles").version == 1
    reg.promote("drum_roles", 1, "production")
    assert reg.resolve("drum_roles:production").version == 1
    reg.promote("drum_roles", 2, "production")  # moving an alias
    assert reg.resolve("production", task="drum_roles").aliases == ["production"]
    assert TASK.load_config(v1.config_path) == CFG
    assert v1.tensors() == {} and v2.labels() == ["CORE", "ACCENT"]
    np.testing.assert_array_equal(v2.tensors()["w"], np.arange(6).reshape(2, 3))
    assert not list(tmp_path.rglob("*.pkl")) and not list(tmp_path.rglob("*.pt"))  # never pickled
    card = (v2.path / "MODEL_CARD.md").read_text()
    assert "drum_roles v2" in card and "weights.safetensors" in card


def test_weights_keep_their_values_whatever_the_memory_order(tmp_path):
    # scikit-learn and torch hand out transposed views; safetensors writes raw buffers.
    fortran = np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4))
    weights = {"fortran": fortran, "view": np.arange(12, dtype=np.float32).reshape(4, 3).T,
               "torch_t": torch.arange(6, dtype=torch.float32).reshape(2, 3).t()}
    loaded = ModelRegistry(tmp_path).register("drum_roles", CFG, {}, ["CORE"], weights).tensors()
    np.testing.assert_array_equal(loaded["fortran"], fortran)
    np.testing.assert_array_equal(loaded["view"], weights["view"])
    np.testing.assert_array_equal(loaded["torch_t"], weights["torch_t"].numpy())


def test_bad_references_are_clear(tmp_path):
    reg = ModelRegistry(tmp_path)
    with pytest.raises(RegistryError, match="no registered versions"):
        reg.resolve("drum_roles:1")
    reg.register("drum_roles", CFG, {}, ["CORE"])
    with pytest.raises(RegistryError, match=r"'drum_roles:7' does not exist; drum_roles has: 1"):
        reg.resolve("drum_roles:7")
    with pytest.raises(RegistryError, match="belongs to task"):
        reg.resolve("urgency:1", task="drum_roles")
    with pytest.raises(RegistryError, match="no version 3"):
        reg.promote("drum_roles", 3, "production")
    with pytest.raises(RegistryError, match="invalid alias"):
        reg.promote("drum_roles", 1, "1st place")


def test_feature_drift_names_what_changed_since_training():
    specs = TASK.encoders(CFG)
    recorded = feature_keys(specs)
    assert feature_drift(recorded, specs) == [] and feature_drift(None, specs) == []  # unrecorded: unchecked
    old = json.loads(json.dumps(recorded))
    old["dsp"]["key"]["version"] = 0  # a model trained before the extraction code changed
    old["dsp"]["hash"] = "0" * 16
    old["gone"] = {"hash": "1" * 16, "key": {}}
    assert feature_drift(old, specs) == ["dsp: version 0 -> 1", "gone is no longer computed"]
    with_clf = TASK.encoders(TASK.load_config(overrides=["fusion.alpha=1.0", "classifier.enabled=true"]))
    assert feature_drift(recorded, with_clf) == ["descriptors is new"]


def test_serve_names_a_default_model_trained_on_other_features(tmp_path):
    from rayscore.serving.app import ServeArgs
    from rayscore.serving.launch import _drift_warnings

    reg = ModelRegistry(tmp_path)
    old = feature_keys(TASK.encoders(CFG))
    old["dsp"] = {"hash": "0" * 16, "key": old["dsp"]["key"] | {"version": 0}}
    reg.promote("drum_roles", reg.register("drum_roles", CFG, {}, ["CORE"], features=old).version, "production")
    args = ServeArgs(registry=str(tmp_path), tasks={"drum_roles": {}})
    assert _drift_warnings(args) == ["warning: drum_roles:1 was trained on other features than this code and config "
                                     "compute (dsp: version 0 -> 1): its scores may be off; train it again"]
    reg.promote("drum_roles", reg.register("drum_roles", CFG, {}, ["CORE"],
                                           features=feature_keys(TASK.encoders(CFG))).version, "production")
    assert _drift_warnings(args) == []


def test_a_version_whose_config_no_longer_loads_is_listed_not_fatal(tmp_path):
    reg = ModelRegistry(tmp_path)
    v = reg.register("drum_roles", CFG, {"macro_f1": 0.5}, ["CORE"], features=feature_keys(TASK.encoders(CFG)))
    v.config_path.write_text(v.config_path.read_text() + "retired_option: 3\n")  # a field this code dropped
    assert stale_features(TASK, v)[0].startswith("its config no longer loads")
    res = runner.invoke(app, ["models", "list", "--registry", str(tmp_path)])
    assert res.exit_code == 0 and "drum_roles:1" in res.output and "features changed: its config" in res.output


@pytest.mark.slow
def test_train_promote_and_score_with_the_model(ray_local, tmp_path, monkeypatch):
    monkeypatch.setenv("RAYSCORE_CACHE_DIR", str(tmp_path / "cache"))
    manifest = TASK.generate(tmp_path / "drums", n=20, seed=4, cfg=CFG).write(tmp_path / "m.parquet")
    reg = str(tmp_path / "models")

    def run(*args):
        res = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        assert res.exit_code == 0, res.output
        return res.output

    out = run("train", "drum_roles", "--input", manifest, "--set", "fusion.alpha=1.0",
              "--set", "guards.enabled=false", "--registry", reg, "--promote", "production")
    assert "registered drum_roles:1" in out and "drum_roles:production -> v1" in out
    version = ModelRegistry(reg).resolve("drum_roles:production")
    metrics = version.metrics()
    assert metrics["rows"]["trained_on"] == 20 and 0 <= metrics["macro_f1"] <= 1
    beside = metrics["beside_references"]
    # the model's CV is printed beside the fit's own figure (which flatters), with the references'
    assert f"beside references ({beside['protocol']}): model {beside['model']:.4f}" in out and "majority" in out
    assert TASK.load_config(version.config_path).guards.enabled is False
    assert "drum_roles:1" in run("models", "list", "--registry", reg)
    out = run("evaluate", "drum_roles", "--model", "drum_roles:production", "--input", manifest,
              "--output", tmp_path / "ev", "--registry", reg)
    assert "model drum_roles:1 (production)" in out
    # scoring with the model is scoring with its config: the same macro-F1 as at training time
    ev = json.loads((tmp_path / "ev" / "metrics.json").read_text())
    assert ev["macro_f1"] == pytest.approx(metrics["macro_f1"])
    assert json.loads((tmp_path / "ev" / "summary.json").read_text())["model"] == "drum_roles:1"
    # the model remembers the features it was trained on; other ones are named before scoring
    assert set(version.meta["features"]) == {spec.name for spec in TASK.encoders(TASK.load_config(version.config_path))}
    assert "features changed" not in run("models", "list", "--registry", reg)
    res = runner.invoke(app, ["score", "drum_roles", "--model", "drum_roles:1", "--input", str(manifest),
                              "--output", str(tmp_path / "s"), "--registry", reg, "--set", "dsp.envelope_smooth_ms=9"])
    assert res.exit_code == 0 and "warning: drum_roles:1 was trained on other features" in res.output
    assert "dsp: dsp.envelope_smooth_ms 5.0 -> 9.0" in res.output
    res = runner.invoke(app, ["score", "drum_roles", "--model", "drum_roles:9", "--input", str(manifest),
                              "--output", str(tmp_path / "x"), "--registry", reg])
    assert res.exit_code == 2 and "does not exist" in res.output
