"""Package QA finds every problem and says what to fix."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import soundfile as sf

from rayscore.tasks import get_task
from rayscore.tasks.anomaly.contract import import_package
from rayscore.tasks.anomaly.synth import Counts, generate_package

TASK = get_task("anomaly")


@pytest.fixture()
def package(tmp_path):
    root = tmp_path / "pkg"
    generate_package(root, seed=1, machines=("fan", "valve"), sections=1, counts=Counts(3, 2, 0, 1), seconds=3.0)
    audio = root / "audio" / "fan" / "00"
    sf.write(audio / "short.wav", np.random.default_rng(0).normal(0, 0.1, 4000).astype(np.float32), 16000)
    sf.write(audio / "silent.wav", np.zeros(48000, np.float32), 16000)
    loud = np.clip(np.random.default_rng(1).normal(0, 2.0, 48000), -1, 1).astype(np.float32)
    sf.write(audio / "clipped.wav", loud, 16000)
    (audio / "broken.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    shutil.copy(audio / "train_source_normal_000.wav", audio / "copy.wav")
    rows = [f"audio/fan/00/{n}.wav,fan,00,true,source,false,train,m1,mid,1.0,2026-01-01T00:00:00"
            for n in ("short", "silent", "clipped", "broken", "copy", "missing")]
    rows.append("audio/valve/00/test_source_normal_000.wav,valve,,yes please,source,false,test,,,,")
    with open(root / "metadata.csv", "a") as f:
        f.write("\n".join(rows) + "\n")
    return root


@pytest.mark.slow
def test_qa_names_every_problem_and_its_fix(ray_local, package, tmp_path):
    result = TASK.qa(import_package(package), TASK.load_config(), tmp_path / "qa")
    issues = result["issues"]
    found = {(r["check"], r["where"].rsplit("/", 1)[-1]) for r in issues.to_dict("records")}
    for expected in [("too_short", "short.wav"), ("silent", "silent.wav"), ("clipped", "clipped.wav"),
                     ("unreadable", "broken.wav"), ("unreadable", "missing.wav"), ("no_noise_only", "package")]:
        assert expected in found, expected
    assert any(c == "duplicate" for c, _ in found)
    meta = issues[issues["check"] == "metadata"]
    assert meta["detail"].str.contains("section is empty").any()
    assert meta["detail"].str.contains("is_normal must be true or false").any()
    assert issues[issues["check"] == "clipped"]["fix"].str.contains("input gain").all()
    s = result["summary"]
    assert s["errors"] == 3 and not s["ready"] and s["clips"] == s["readable"] + 3
    doc = json.loads((tmp_path / "qa" / "qa.json").read_text())
    assert doc["summary"] == s and len(doc["issues"]) == len(issues)
    html = (tmp_path / "qa" / "qa_report.html").read_text()
    assert "What to fix" in html and "input gain" in html
    assert (tmp_path / "qa" / "qa_issues.csv").is_file() and (tmp_path / "qa" / "qa_clips.csv").is_file()
