"""W1 end to end on a real local Ray: embed (tiny data2vec + RoBERTa in actor pools, cached) ->
sweep over the loss mix with ASHA on epochs -> train the winner -> batch-score with bad calls ->
the served predict route (audio upload + transcript)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import requests

from rayscore.config import validate
from rayscore.corpus.manifest import Manifest
from rayscore.encoders import get_encoder
from rayscore.pipeline.embed import FeatureCache, embed
from rayscore.pipeline.evaluate import evaluate
from rayscore.pipeline.score import score
from rayscore.pipeline.train import train
from rayscore.registry import ModelRegistry
from rayscore.tasks import get_task
from rayscore.tasks.urgency.synth import generate_calls
from rayscore.tune.config import SweepConfig
from rayscore.tune.driver import run_sweep
from tests.conftest import deploy, wav_bytes, write_bad_files

pytestmark = pytest.mark.slow
TASK = get_task("urgency")
SMALL = ["model.hidden=32", "model.heads=4", "model.layers=1", "model.feedforward=64", "model.head_hidden=32",
         "train.lr=0.003", "train.epochs=6", "train.early_stopping.patience=3", "text_encoder.svd_dim=16"]


@pytest.fixture(scope="module")
def calls(tmp_path_factory) -> Manifest:
    return generate_calls(tmp_path_factory.mktemp("calls"), n=60, seed=2)


@pytest.fixture(scope="module")
def hf(tiny_data2vec_dir, tiny_korean_roberta_dir) -> list[str]:
    return ["audio_encoder.name=hf", f"audio_encoder.model_id={tiny_data2vec_dir}",
            "text_encoder.name=hf", f"text_encoder.model_id={tiny_korean_roberta_dir}", "text_encoder.max_length=64"]


def test_hf_encoders_match_the_seed_recipe(tiny_data2vec_dir, tiny_korean_roberta_dir):
    import torch
    from transformers import AutoModel, AutoTokenizer

    audio = get_encoder("hf_audio", model_id=str(tiny_data2vec_dir))
    rng = np.random.default_rng(0)
    short, long_ = rng.standard_normal(16000).astype(np.float32), rng.standard_normal(40000).astype(np.float32)
    alone, together = audio.embed_audio([short], 16000), audio.embed_audio([short, long_], 16000)
    np.testing.assert_array_equal(alone[0], together[0])  # no padding leaks between calls of a batch
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    text = get_encoder("hf_text", model_id=str(tiny_korean_roberta_dir), max_length=64)
    sentences = ["사람이 쓰러졌어요 빨리 와주세요", "문이 잠겨서 집에 못 들어가요"]
    got = text.embed_text(sentences)
    tok = AutoTokenizer.from_pretrained(tiny_korean_roberta_dir)
    model = AutoModel.from_pretrained(tiny_korean_roberta_dir).eval()
    with torch.no_grad():
        cls = model(**tok(sentences[:1], return_tensors="pt")).last_hidden_state[0, 0]
    ln = (cls - cls.mean()) / torch.sqrt(cls.var(unbiased=False) + 1e-5)  # LayerNorm, no learned affine
    np.testing.assert_allclose(got[0], (ln / ln.norm()).numpy(), atol=1e-5)
    long_text = text.embed_text(["불이 났어요 " * 200])  # truncated at max_length, not an error
    assert long_text.shape == (1, 32)


def test_embeddings_run_on_ray_actor_pools_once(ray_local, calls, hf, tmp_path):
    cfg = TASK.load_config(overrides=hf)
    specs = {s.name: s for s in TASK.encoders(cfg)}
    assert set(specs) == {"acoustic", "hf_audio", "hf_text"}
    assert specs["hf_audio"].stages[-1].is_actor and specs["hf_text"].stages[-1].is_actor
    cache = FeatureCache(tmp_path / "cache")
    first = embed(TASK, cfg, calls, cache=cache)
    assert len(first.errors) == 0
    assert {k: v["computed"] for k, v in first.stats.items()} == dict.fromkeys(specs, len(calls))
    ok = first.ok
    assert ok["emb_hf_audio"].map(len).eq(32).all() and ok["emb_hf_text"].map(len).eq(32).all()
    assert ok["feat_call"].map(len).eq(5).all()
    second = embed(TASK, cfg, calls, cache=cache)
    assert all(v["computed"] == 0 and v["cached"] == len(calls) for v in second.stats.values())


def test_sweep_tunes_the_loss_mix_then_trains_scores_and_serves(ray_local, serve_url, calls, hf, tmp_path):
    cache = FeatureCache(tmp_path / "cache")
    doc = {
        "task": "urgency", "name": "urg", "overrides": [*SMALL, *hf],
        "data": {"input": str(calls.root), "format": "aihub"},
        "folds": {"k": 2, "strategy": "stratified", "seed": 0},
        "search": {"num_samples": 3, "max_concurrent": 2, "seed": 0},
        "scheduler": {"type": "asha", "grace_period": 2, "reduction_factor": 2},
        "storage_path": str(tmp_path / "tune"),
        "space": {"train.loss_mix": {"type": "simplex", "components": ["kl", "focal", "ce"]},
                  "train.lr": {"type": "loguniform", "low": 1e-3, "high": 1e-2},
                  "model.proj_dropout": {"type": "uniform", "low": 0.0, "high": 0.5},
                  "model.hidden": {"type": "categorical", "choices": [16, 32]},
                  "model.layers": {"type": "int", "low": 1, "high": 2}},
    }
    result = run_sweep(validate(SweepConfig, doc), cache=cache)
    assert len(result.trials) == 3
    mix = result.best["params"]
    assert sum(mix[f"train.loss_mix.{k}"] for k in ("kl", "focal", "ce")) == pytest.approx(1.0)
    # ASHA saw one result per epoch: the trials report epochs, not folds
    assert result.trials["steps"].max() <= 6 and result.trials["steps"].min() >= 1
    best_cfg = TASK.load_config(result.best_config_path)
    assert best_cfg.train.loss_mix.kl == pytest.approx(mix["train.loss_mix.kl"])

    reg = ModelRegistry(tmp_path / "models")
    version = train(TASK, sweep_dir=result.run_dir, registry=reg, cache=cache)
    assert (version.path / "weights.safetensors").is_file() and "cv" in version.metrics()
    reg.promote("urgency", version.version, "production")

    # batch scoring on Ray Data, with broken calls among good ones: rows in = scored + errored
    bad = write_bad_files(tmp_path / "bad")
    good = calls.df.assign(path=[str(calls.root / p) for p in calls.df["path"]])
    extra = pd.DataFrame({"id": list(bad), "path": [str(tmp_path / "bad" / b) for b in bad],
                          "text": "사람이 쓰러졌어요", "label": None})
    extra.loc[len(extra)] = ["no_text", good["path"].iloc[0], "  ", None]
    both = Manifest(pd.concat([good[["id", "path", "text", "label"]], extra], ignore_index=True), root=None)
    cfg = TASK.load_config(version.config_path)
    scored = score(TASK, cfg, both, tmp_path / "out", model=version)
    s = scored.summary
    assert s["rows_in"] == len(both) == s["rows_ok"] + s["rows_error"]
    errors = scored.errors.set_index("id")
    assert errors.loc["no_text", "error_stage"] == "text" and "empty transcript" in errors.loc["no_text", "error"]
    assert errors.loc["not_audio.wav", "error_stage"] == "decode"
    preds = scored.predictions.set_index("id")
    assert set(preds["prediction"].dropna()) <= {"하", "중", "상"}
    p = preds[["p_하", "p_중", "p_상"]].dropna()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["rows_in"] == len(both)

    # the served route answers what the batch job answered, for the same call
    deploy("urg", "/urg", {"registry": str(reg.root), "auth_token_env": None, "tasks": {"urgency": {}}})
    url = f"{serve_url}/urg/v1/urgency/predict"
    first = calls.df.iloc[0]
    audio = (calls.root / first["path"]).read_bytes()
    r = requests.post(url, files={"file": ("call.wav", audio, "audio/wav")},
                      data={"transcript": first["text"], "id": "call-1"}, timeout=120)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == "call-1" and body["model"] == "urgency:1" and body["level"] in ("하", "중", "상")
    assert body["level_index"] == ("하", "중", "상").index(body["level"])
    assert sum(body["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)
    row = preds.loc[first["id"]]
    assert body["level"] == row["prediction"]
    assert body["probabilities"]["상"] == pytest.approx(row["p_상"], abs=1e-5)

    def post(files, data):
        return requests.post(url, files=files, data=data, timeout=60)

    empty = post({"file": ("c.wav", audio, "audio/wav")}, {"transcript": "   "})
    assert empty.status_code == 422 and "empty transcript" in empty.json()["detail"]
    assert post({"file": ("c.wav", audio, "audio/wav")}, {}).status_code == 422  # transcript is required
    garbage = post({"file": ("c.wav", b"RIFF not really", "audio/wav")}, {"transcript": "불이 났어요"})
    assert garbage.status_code == 422 and "decode" in garbage.json()["detail"]
    text_file = post({"file": ("c.txt", b"hello", "text/plain")}, {"transcript": "불이 났어요"})
    assert text_file.status_code == 415
    short = post({"file": ("c.wav", wav_bytes(np.zeros(800, np.float32)), "audio/wav")}, {"transcript": "불이 났어요"})
    assert short.status_code == 422
    unknown = requests.post(url + "?model=99", files={"file": ("c.wav", audio, "audio/wav")},
                            data={"transcript": "불이 났어요"}, timeout=60)
    assert unknown.status_code == 404


@pytest.mark.slow
def test_fold_models_register_as_one_ensemble_that_scores_and_serves(ray_local, tmp_path):
    """train --sweep --ensemble: K fold models, one registry version, averaged probabilities."""
    from typer.testing import CliRunner

    from rayscore.cli import app
    from rayscore.ensemble import EnsembleModel

    corpus = TASK.generate(tmp_path / "calls", n=36, seed=3, cfg=TASK.load_config())
    sweep = {"task": "urgency", "name": "ens", "data": {"input": str(corpus.root)},
             "folds": {"k": 3, "strategy": "stratified", "seed": 0}, "scheduler": {"type": "fifo"},
             "search": {"num_samples": 1, "max_concurrent": 1, "seed": 0}, "storage_path": str(tmp_path / "tune"),
             "space": {"model.linear.c": {"type": "loguniform", "low": 1.0, "high": 10.0}}}
    import yaml

    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sweep))
    env = {"RAYSCORE_CACHE_DIR": str(tmp_path / "cache")}
    run = CliRunner(env=env).invoke
    assert run(app, ["tune", "urgency", "-c", str(tmp_path / "s.yaml")]).exit_code == 0
    res = run(app, ["train", "urgency", "--sweep", str(tmp_path / "tune" / "ens"), "--ensemble", "mean_logits",
                    "--registry", str(tmp_path / "models")])
    assert res.exit_code == 0, res.output
    version = ModelRegistry(tmp_path / "models").resolve("urgency:1")
    cfg = TASK.load_config(version.config_path)
    model = TASK.load_version(cfg, version)
    assert isinstance(model, EnsembleModel) and len(model.members) == 3 and model.combine == "mean_logits"
    assert version.model_args()["ensemble"]["members"][0] == {"kind": "linear"}
    metrics, result = evaluate(TASK, cfg, corpus, tmp_path / "eval", model=version)  # Ray Data, one model
    assert result.summary["rows_ok"] == len(corpus) and metrics["macro_f1"] > 0.5
    assert (tmp_path / "tune" / "ens" / "oof.parquet").is_file()
