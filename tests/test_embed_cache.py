"""Embed once, tune many: the feature cache is keyed by content and encoder, and is really used."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import rayscore.tasks.drum_roles.stages as drum_stages
from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.embed import HASH, FeatureCache, embed
from rayscore.tasks import get_task
from tests.conftest import write_bad_files

TASK = get_task("drum_roles")
CFG = TASK.load_config(overrides=["fusion.alpha=1.0"])


@pytest.fixture()
def corpus(tmp_path):
    manifest = TASK.generate(tmp_path / "drums", n=12, seed=5, cfg=CFG)
    first = manifest.df.iloc[0]
    # Same bytes under another name: encoded once, used twice.
    shutil.copy(manifest.root / first["path"], manifest.root / "copy_of_first.wav")
    bad = write_bad_files(tmp_path / "drums" / "bad")
    extra = pd.DataFrame({"id": ["copy", "gone", *bad], "path": ["copy_of_first.wav", "nowhere.wav",
                                                              *[f"bad/{b}" for b in bad]],
                          "label": [first["label"], "CORE", *([None] * len(bad))]})
    df = pd.concat([manifest.df, extra], ignore_index=True)
    return Manifest(df, root=manifest.root), bad


def test_second_embed_reads_the_cache(ray_local, corpus, tmp_path):
    manifest, bad = corpus
    cache = FeatureCache(tmp_path / "cache")
    first = embed(TASK, CFG, manifest, cache=cache)
    n_bad = sum(v != "ok" for v in bad.values())
    # 12 generated + 9 broken-or-odd files, each content once (the copy shares the first's hash)
    assert first.stats["dsp"] == {"cached": 0, "computed": 12 + len(bad), "failed": n_bad}
    assert len(first.frame) == len(manifest) == len(first.ok) + len(first.errors)
    assert first.frame.set_index("id").loc["gone", "error"].startswith("file not found")
    ok = first.ok.set_index("id")
    assert ok.loc["copy", "energy"] == ok.loc[manifest.df["id"][0], "energy"]
    assert ok.loc["copy", HASH] == ok.loc[manifest.df["id"][0], HASH]

    second = embed(TASK, CFG, manifest, cache=cache)
    # Only what failed is tried again; every success comes from the cache.
    assert second.stats["dsp"] == {"cached": 12 + len(bad) - n_bad, "computed": n_bad, "failed": n_bad}
    pd.testing.assert_frame_equal(first.frame, second.frame, check_dtype=False)


def test_cached_rows_never_run_the_extractor(corpus, tmp_path, monkeypatch):
    manifest, _ = corpus
    good = Manifest(manifest.df.iloc[:12], root=manifest.root)
    cache = FeatureCache(tmp_path / "cache")
    embed(TASK, CFG, good, cache=cache, engine="local")

    def boom(*a, **k):
        raise AssertionError("features were recomputed")

    monkeypatch.setattr(drum_stages, "extract_features", boom)
    again = embed(TASK, CFG, good, cache=cache, engine="local")
    assert again.stats["dsp"] == {"cached": 12, "computed": 0, "failed": 0}
    assert len(again.ok) == 12


def test_encoder_config_is_part_of_the_key(corpus, tmp_path):
    manifest, _ = corpus
    good = Manifest(manifest.df.iloc[:12], root=manifest.root)
    cache = FeatureCache(tmp_path / "cache")
    embed(TASK, CFG, good, cache=cache, engine="local")
    other = TASK.load_config(overrides=["fusion.alpha=1.0", "dsp.n_fft=2048"])
    res = embed(TASK, other, good, cache=cache, engine="local")
    assert res.stats["dsp"]["computed"] == 12  # a different DSP config is a different encoder
    # ... but a parameter the encoder does not read (rules, guards) shares the cache
    rules = TASK.load_config(overrides=["fusion.alpha=1.0", "rule_scoring.temperature=0.5"])
    assert embed(TASK, rules, good, cache=cache, engine="local").stats["dsp"]["computed"] == 0
    assert len(list((tmp_path / "cache" / "drum_roles").glob("dsp-*"))) == 2


def test_clap_encoder_is_cached_separately(corpus, tmp_path, tiny_clap_dir):
    manifest, _ = corpus
    good = Manifest(manifest.df.iloc[:6], root=manifest.root)
    cfg = TASK.load_config(overrides=[f"clap.model_id={tiny_clap_dir}", f"clap.cache_dir={tmp_path / 'p'}",
                                      "fusion.alpha=0.5"])
    cache = FeatureCache(tmp_path / "cache")
    res = embed(TASK, cfg, good, cache=cache, engine="local")
    assert set(res.stats) == {"dsp", "clap"}
    assert res.ok[[c for c in res.ok if c.startswith("clap_sim_")]].notna().all().all()
    again = embed(TASK, cfg, good, cache=cache, engine="local")
    assert again.stats["clap"]["computed"] == 0 and again.stats["dsp"]["computed"] == 0


def test_the_cache_key_covers_every_column_an_encoder_reads(tmp_path):
    """One sentence, two entity pairs (KLUE-RE style): two cache entries, not one reused twice."""
    import pandas as pd

    from rayscore.corpus.manifest import Manifest
    from rayscore.pipeline.embed import EncoderSpec, FeatureCache, embed
    from rayscore.pipeline.stage import Stage, map_rows

    def encode(batch):  # what a relation encoder sees: the sentence with its marked pair
        return map_rows(batch, "encode", lambda r: {"marked": f"{r['text']}|{r['subj']}|{r['obj']}"}, {"marked": None})

    spec = EncoderSpec("pair", {"version": 1}, [Stage("encode", encode)], ["marked"], inputs=("subj", "obj"))

    class PairTask:
        name = "pairs"

        def encoders(self, cfg):
            return [spec]

    sentence = "이순신은 조선의 장군이다."
    m = Manifest(pd.DataFrame({"id": ["a", "b", "c"], "text": [sentence] * 3,
                               "subj": ["이순신", "이순신", "이순신"], "obj": ["조선", "장군", "조선"]}))
    cache = FeatureCache(tmp_path / "cache")
    first = embed(PairTask(), None, m, cache=cache, engine="local")
    assert first.stats["pair"] == {"cached": 0, "computed": 2, "failed": 0}  # a and c share everything
    assert first.frame.set_index("id")["marked"].to_dict() == {
        "a": f"{sentence}|이순신|조선", "b": f"{sentence}|이순신|장군", "c": f"{sentence}|이순신|조선"}
    again = embed(PairTask(), None, m, cache=cache, engine="local")
    assert again.stats["pair"] == {"cached": 2, "computed": 0, "failed": 0}
