"""The seed's model path with a tiny randomly initialised RoBERTa and a tokenizer built here: markers
as special tokens (embeddings resized), truncation that keeps both entities, fine-tuning on the
shared loop, and a registered model that predicts exactly as the one in memory."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rayscore.tasks import get_task
from rayscore.tasks.relation.klue import import_klue
from rayscore.tasks.relation.markers import Pair
from tests.tasks.relation.layout import write_klue_files


def _cfg(model_dir, *more):
    return get_task("relation").load_config(overrides=[
        "model.kind=transformer", f"model.transformer.model_id={model_dir}", "model.transformer.max_length=48",
        "train.epochs=2", "train.batch_size=16", "train.lr=1e-3", *more])


def test_markers_are_special_tokens_and_long_sentences_keep_both_entities(tiny_klue_roberta_dir):
    from rayscore.tasks.relation.transformer import encode, load_tokenizer

    t = _cfg(tiny_klue_roberta_dir).model.transformer
    tok = load_tokenizer(t)
    assert tok.convert_tokens_to_ids("[E1]") not in (None, tok.unk_token_id)
    filler = "아주 긴 문장이 이어진다 " * 30
    sentence = filler + "김철수는 삼성전자에서 일한다. " + filler
    s0 = sentence.index("김철수")
    o0 = sentence.index("삼성전자")
    [ids] = encode(tok, [Pair(sentence, s0, s0 + 2, "PER", o0, o0 + 3, "ORG")], t)
    assert len(ids) <= 48
    tokens = tok.convert_ids_to_tokens(ids)
    for marker in ("[E1]", "[/E1]", "[E2]", "[/E2]"):
        assert marker in tokens
    typed = _cfg(tiny_klue_roberta_dir, "model.transformer.markers=typed").model.transformer
    assert "[E1:PER]" in load_tokenizer(typed).convert_ids_to_tokens(encode(load_tokenizer(typed), [
        Pair("김철수는 삼성전자에서 일한다.", 0, 2, "PER", 5, 8, "ORG")], typed)[0])


def test_fine_tune_register_and_reload(tiny_klue_roberta_dir, tmp_path):
    task = get_task("relation")
    write_klue_files(tmp_path / "klue", n_train=64)
    df = import_klue(tmp_path / "klue").df
    rows = df[task.trainable(df, task.load_config()) & df.get("import_error", pd.Series(None, index=df.index)).isna()]
    cfg = _cfg(tiny_klue_roberta_dir)
    models = list(task.fit(cfg, rows.reset_index(drop=True)))
    assert len(models) == 2 and models[-1].history[-1]["epoch"] == 2
    model = models[-1]
    tok_size = model.vocab_size
    assert model.net.hf.get_input_embeddings().num_embeddings == tok_size  # resized for the markers
    probs = task.predict(model, cfg, rows.iloc[:10])
    assert probs["prediction"].notna().all()
    assert np.allclose(probs[[c for c in probs if c.startswith("p_")]].sum(1), 1.0, atol=1e-5)
    # safetensors + model_args back into a model: the same probabilities
    from rayscore.registry import ModelRegistry

    registry = ModelRegistry(tmp_path / "models")
    version = registry.register("relation", cfg, {}, task.label_names(cfg), tensors=task.model_tensors(model),
                                model_args=task.model_args(model))
    again = task.load_version(task.load_config(version.config_path), version)
    p2 = task.predict(again, cfg, rows.iloc[:10])
    assert list(p2["prediction"]) == list(probs["prediction"])
    assert np.allclose(p2["confidence"], probs["confidence"], atol=1e-5)
    # resuming from the first epoch's checkpoint reproduces the second epoch
    first = next(iter(task.fit(cfg, rows.reset_index(drop=True))))
    state = first.checkpoint()
    resumed = list(task.fit(cfg, rows.reset_index(drop=True), resume=state))
    assert resumed[-1].history[-1]["train_loss"] == pytest.approx(models[-1].history[-1]["train_loss"], rel=1e-5)
