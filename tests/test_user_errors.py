"""User mistakes exit 2 with one line naming the problem, never a traceback.

The sweep below is the list of hostile inputs the CLI met; each case is the command, what the
one line must say, and nothing else may be printed after it (no traceback, no second line).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from rayscore.cli import app
from tests import public_layouts as pl

DSP = ["--set", "fusion.alpha=1.0"]  # no CLAP weights offline: reach the error under test


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    pl.write_wav(root / "drums" / "Kicks" / "k.wav", pl.drum_hit("kick"))
    pl.aihub_calls(root / "calls", n=3, broken=False)
    pl.dcase_eval(root / "eval", 2023, n_train=3, n_test=2)  # unlabelled test clips
    (root / "empty").mkdir()
    (root / "notes.txt").write_text("x\n")
    (root / "fake.parquet").write_text("id,path\na,b\n")
    (root / "m.csv").write_text("id,path\na,b\n")
    (root / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (root / "list.yaml").write_text("- a\n- b\n")
    pq.write_table(pa.table({"file": ["a.wav"]}), root / "noid.parquet")
    (root / "sweep.yaml").write_text("task: drum_roles\nname: s\ndata: {input: drums}\n"
                                     "space: {fusion.alpha: {type: uniform, low: 0.5, high: 1.0}}\n")
    return root


CASES = [
    (["score", "drum_roles", "-i", "drums", "-o", "notes.txt", *DSP], "--output notes.txt is a file"),
    (["score", "drum_roles", "-i", "fake.parquet", "-o", "o", *DSP], "fake.parquet is not a readable Parquet file"),
    (["score", "drum_roles", "-i", "noid.parquet", "-o", "o", *DSP], "has no 'id' column"),
    (["score", "drum_roles", "-i", "m.csv", "-o", "o", *DSP], "--input must be a folder or a .parquet manifest"),
    (["score", "drum_roles", "-i", "nowhere", "-o", "o", *DSP], "--input nowhere does not exist"),
    (["score", "drum_roles", "-i", "empty", "-o", "o", *DSP], "no audio files under empty"),
    (["score", "drum_roles", "-i", "drums", "-o", "o", "-c", "binary.yaml"], "binary.yaml is not a text file"),
    (["score", "drum_roles", "-i", "drums", "-o", "o", "-c", "list.yaml"], "expected a mapping at the top level"),
    (["score", "drum_roles", "-i", "drums", "-o", "o", "--set", "fusion.alpha=abc"],
     "'fusion.alpha': Input should be a valid number"),
    (["score", "drum_roles", "-i", "drums", "-o", "o", "--set", "fusion.alpah=0.5"], "did you mean 'alpha'"),
    (["score", "drum_roles", "-i", "drums", "-o", "o"], "clap.model_id 'laion/clap-htsat-unfused' is neither"),
    (["score", "urgency", "-i", "calls", "-o", "o"], "urgency scoring needs a trained model"),
    (["evaluate", "drum_roles", "-i", "calls", "-o", "o", *DSP], "nothing to evaluate"),
    (["evaluate", "anomaly", "-i", "eval", "-o", "o"], "nothing to evaluate"),
    (["evaluate", "urgency", "-i", "calls", "-o", "o", "-m", "urgency:3"], "no registered versions of 'urgency'"),
    (["evaluate", "urgency", "-i", "calls", "-o", "o", "-m", "drum_roles:1"], "belongs to task 'drum_roles'"),
    (["train", "urgency"], "train needs --input"),
    (["train", "urgency", "-i", "empty"], "no JSON label files under"),
    (["train", "anomaly", "-i", "calls"], "neither a package"),
    (["import", "urgency", "aihub", "notes.txt", "--out", "x.parquet"], "not a folder"),
    (["import", "anomaly", "dcase", "empty", "--out", "x.parquet"], "no <machine>/<train|test>/*.wav clips"),
    (["import", "drum_roles", "midi", "drums", "--out", "x.parquet"], "valid formats: folder, hydrogen"),
    (["qa", "urgency", "-i", "calls"], "task 'urgency' has no QA step"),
    (["tune", "urgency", "-c", "sweep.yaml"], "is a sweep of 'drum_roles', not 'urgency'"),
    (["tune", "drum_roles", "-c", "nowhere.yaml"], "config file not found: nowhere.yaml"),
    (["tune", "drum_roles", "-c", "sweep.yaml", "--resume", "--set", "overrides=[fusion.alpha=1.0]"],
     "nothing to resume"),
    (["generate", "drum_roles", "--out", "notes.txt", "--n", "2"], "--out notes.txt is a file"),
    (["models", "promote", "urgency", "1", "--alias", "9x"], "invalid alias '9x'"),
    (["serve", "-c", "nowhere.yaml"], "serve config not found"),
    (["config", "nosuch"], "unknown task 'nosuch'; valid tasks:"),
]


@pytest.mark.parametrize("args,message", CASES, ids=[" ".join(a[:2]) + f" [{i}]" for i, (a, _) in enumerate(CASES)])
def test_user_mistakes_are_one_line_and_exit_2(place, monkeypatch, args, message):
    monkeypatch.chdir(place)
    monkeypatch.setenv("RAYSCORE_REGISTRY", str(place / "models"))
    if args[0] == "tune":
        args = [*args, "--set", f"storage_path={place / 'tune'}"]
    res = CliRunner().invoke(app, args, catch_exceptions=False)
    lines = [line for line in res.output.splitlines() if line.strip() and not line.startswith("model ")]
    assert res.exit_code == 2, res.output
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], res.output


@pytest.mark.parametrize("args,message", [
    (["generate", "drum_roles", "--out", "g", "--n", "0"], "Invalid value for '--n'"),
    (["score", "drum_roles", "-i", "x", "-o", "y", "--engine", "spark"], "'spark' is not one of 'ray', 'local'"),
    (["score", "drum_roles"], "Missing option '--input'"),
    (["nosuch"], "No such command 'nosuch'"),
])
def test_usage_mistakes_through_the_console_script_are_one_line(tmp_path, args, message):
    code = "import sys; from rayscore.cli import main; sys.argv = ['rayscore', *sys.argv[1:]]; main()"
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = [line for line in (out.stdout + out.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
