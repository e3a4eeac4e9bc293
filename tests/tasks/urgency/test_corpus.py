"""W1 corpora: the AI Hub importer (good and broken calls) and the synthetic call generator."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from rayscore.corpus.manifest import IMPORT_ERROR
from rayscore.tasks.urgency import synth
from rayscore.tasks.urgency.aihub import import_aihub
from rayscore.tasks.urgency.synth import generate_calls


def _call(root: Path, file_id: str, level: str, texts: list[str], wav: bool = True, folder: str = "광주_구조") -> None:
    (root / f"TL_{folder}").mkdir(parents=True, exist_ok=True)
    (root / f"TS_{folder}").mkdir(parents=True, exist_ok=True)
    doc = {"file_id": file_id, "urgencyLevel": level, "utterances": [{"text": t} for t in texts]}
    (root / f"TL_{folder}" / f"{file_id}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    if wav:
        sf.write(root / f"TS_{folder}" / f"{file_id}.wav", np.zeros(1600, np.float32), 16000)


def test_aihub_import_joins_utterances_and_flags_every_bad_call(tmp_path):
    _call(tmp_path, "call_ok", "상", ["사람이 쓰러졌어요", "  ", "빨리 와주세요"])
    _call(tmp_path, "call_nowav", "중", ["다리를 다쳤어요"], wav=False)
    _call(tmp_path, "call_badlevel", "최상", ["불이 났어요"])
    _call(tmp_path, "call_empty", "하", ["", " "])
    (tmp_path / "TL_광주_구조" / "broken.json").write_text("{not json", encoding="utf-8")
    # the WAV of a call can live in any folder under the source, matched by file_id
    _call(tmp_path, "call_elsewhere", "하", ["문이 잠겼어요"], wav=False, folder="서울_구급")
    (tmp_path / "misc").mkdir()
    sf.write(tmp_path / "misc" / "call_elsewhere.wav", np.zeros(1600, np.float32), 16000)

    m = import_aihub(tmp_path)
    df = m.df.set_index("id")
    assert len(m) == 6  # every label file is a row: none is lost
    ok = df.loc["call_ok"]
    assert ok["text"] == "사람이 쓰러졌어요 빨리 와주세요" and ok["label"] == "상" and ok[IMPORT_ERROR] is None
    assert ok["path"] == "TS_광주_구조/call_ok.wav" and ok["group"] == "광주_구조"
    assert df.loc["call_elsewhere", "path"] == "misc/call_elsewhere.wav"
    assert "no audio file named call_nowav.*" in df.loc["call_nowav", IMPORT_ERROR]
    # an unknown level is kept as the label: scoring works, evaluate lists it as a label it cannot judge
    assert df.loc["call_badlevel", "label"] == "최상" and df.loc["call_badlevel", IMPORT_ERROR] is None
    assert "empty transcript" in df.loc["call_empty", IMPORT_ERROR]
    assert "unreadable label file" in df.loc["TL_광주_구조/broken.json", IMPORT_ERROR]
    resolved = m.resolve().set_index("id")
    bad = resolved[resolved["error"].notna()]
    assert set(bad.index) == {"call_nowav", "call_empty", "TL_광주_구조/broken.json"}
    assert set(bad["error_stage"]) == {"import"}


def test_aihub_import_keeps_duplicate_file_ids_as_flagged_rows(tmp_path):
    _call(tmp_path, "dup", "상", ["불이 났어요"])
    _call(tmp_path, "dup", "하", ["문이 잠겼어요"], wav=False, folder="서울_구급")
    df = import_aihub(tmp_path).df
    assert len(df) == 2 and df["id"].is_unique
    assert df[IMPORT_ERROR].notna().sum() == 1 and "duplicate id 'dup'" in df[IMPORT_ERROR].dropna().iloc[0]


def test_generator_is_seeded_imbalanced_and_readable_by_the_importer(tmp_path):
    a = generate_calls(tmp_path / "a", n=40, seed=5, speech="plain")
    b = generate_calls(tmp_path / "b", n=40, seed=5, speech="plain")
    assert a.df.drop(columns=["label_file"]).equals(b.df.drop(columns=["label_file"]))
    first = a.df.iloc[0]
    assert (a.root / first["path"]).read_bytes() == (b.root / first["path"]).read_bytes()
    assert a.df[IMPORT_ERROR].isna().all() and a.df["text"].str.len().gt(10).all()
    many = synth.np.random.default_rng(0).choice(3, size=5000, p=synth.LEVEL_SHARE)
    assert np.bincount(many).argmax() == 1  # 중 is the common level, 상 the rare one
    counts = a.df["label"].value_counts()
    assert counts.get("중", 0) > counts.get("상", 0)


def test_louder_faster_calls_at_higher_urgency(tmp_path):
    """The levels differ in prosody (on average), which is what the audio branch can learn."""
    m = generate_calls(tmp_path, n=60, seed=1, speech="plain")
    meta = []
    for _, row in m.df.iterrows():
        doc = json.loads((m.root / row["label_file"]).read_text(encoding="utf-8"))
        meta.append((row["label"], doc["synthetic"]["rate"], doc["synthetic"]["amplitude"]))
    rate = {lvl: np.mean([r for lab, r, _ in meta if lab == lvl]) for lvl in ("하", "상")}
    amp = {lvl: np.mean([a for lab, _, a in meta if lab == lvl]) for lvl in ("하", "상")}
    assert rate["상"] > rate["하"] and amp["상"] > amp["하"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed (make test installs it)")
def test_espeak_speaks_korean_calls(tmp_path):
    m = generate_calls(tmp_path, n=3, seed=0, speech="espeak")
    y, sr = sf.read(m.root / m.df.iloc[0]["path"])
    doc = json.loads((m.root / m.df.iloc[0]["label_file"]).read_text(encoding="utf-8"))
    assert sr == 16000 and doc["synthetic"]["speech"] == "espeak" and len(y) > sr
    spans = [(u["startAt"], u["endAt"]) for u in doc["utterances"]]
    assert all(e > s for s, e in spans) and spans == sorted(spans)


def test_falls_back_to_a_plain_signal_without_espeak(tmp_path, monkeypatch):
    monkeypatch.setattr(synth.shutil, "which", lambda name: None)
    assert synth.speech_backend("auto") == "plain"
    with pytest.raises(RuntimeError, match="espeak-ng is not installed"):
        synth.speech_backend("espeak")
    m = generate_calls(tmp_path, n=2, seed=0)
    doc = json.loads((m.root / m.df.iloc[0]["label_file"]).read_text(encoding="utf-8"))
    y, _ = sf.read(m.root / m.df.iloc[0]["path"])
    assert doc["synthetic"]["speech"] == "plain" and np.abs(y).max() > 0.01
