"""Every command, for every task, on a corpus in its public layout whose Ray Data blocks hold only
error rows, only good rows, and a mix, with metadata columns that are all-null in some blocks.

One bad row never breaks a job: each command exits 0 (or 2 with one line where the task has no such
step), rows in = rows scored + rows errored, the bad rows are the error rows (with reasons), a run's
errors.parquet is the input of a retry, and every Parquet/CSV file written opens with plain pandas in
a process that never imported Ray. A new task gets this test by adding its corpus to CORPORA.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from rayscore.cli import app
from rayscore.corpus.manifest import Manifest
from rayscore.tasks import get_task, list_tasks
from rayscore.tasks.base import Task
from tests import public_layouts as pl

BLOCK = 4  # rows per Ray Data block (the first stage's batch size, set by each corpus' overrides)


@dataclass
class Corpus:
    source: Path
    fmt: str
    bad: set[str]  # ids that must end as error rows (import errors, skipped files, undecodable audio)
    overrides: list[str]
    space: dict
    folds: dict
    sweep: dict = field(default_factory=dict)


def _corrupt(path: Path, how: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if how == "empty":
        path.write_bytes(b"")
    elif how == "text":
        path.write_text("this is not audio\n" * 40)
    else:  # a RIFF header cut short
        path.write_bytes(b"RIFF\x24\x08\x00\x00WAVEfmt \x10\x00")


def drum_corpus(root: Path) -> Corpus:
    expect = pl.sample_pack(root, per_role=3)
    for rel, how in (("Kicks/kick_empty.wav", "empty"), ("Snares/snare_text.wav", "text"),
                     ("Toms/tom_cut.wav", "cut")):
        _corrupt(root / rel, how)
        expect[rel] = how
    bad = {k for k, v in expect.items() if v != "ok"}
    return Corpus(root, "folder", bad, ["fusion.alpha=1.0", f"resources.dsp.batch_size={BLOCK}"],
                  {"rule_scoring.temperature": {"type": "loguniform", "low": 0.05, "high": 0.5}},
                  {"k": 2, "strategy": "stratified", "seed": 0})


def urgency_corpus(root: Path) -> Corpus:
    expect = pl.aihub_calls(root, n=12)
    victim = next(k for k, v in expect.items() if v == "ok" and k != "null_text")
    _corrupt(next(root.glob(f"TS_*/{victim}.wav")), "text")
    expect[victim] = "cannot decode"
    bad = {k for k, v in expect.items() if v != "ok"}
    return Corpus(root, "aihub", bad,
                  ["train.epochs=2", f"resources.decode.batch_size={BLOCK}", f"resources.model.batch_size={BLOCK}"],
                  {"train.lr": {"type": "loguniform", "low": 1e-4, "high": 1e-3}},
                  {"k": 2, "strategy": "stratified", "seed": 0}, {"scheduler": {"type": "fifo"}})


def anomaly_corpus(root: Path) -> Corpus:
    pl.dcase_dev(root, 2023, machines=("fan", "valve"), n_train=6, n_test=4)
    _corrupt(root / "fan/test/section_00_source_test_anomaly_0090_vel_8.wav", "empty")
    _corrupt(root / "valve/test/section_00_target_test_normal_0091_vel_8.wav", "cut")
    pl.write_wav(root / "valve/test/take_2_final.wav", pl.machine_clip(5))  # no DCASE name: import error
    bad = {"fan/README.md", "valve/README.md", "fan/test/section_00_source_test_anomaly_0090_vel_8.wav",
           "valve/test/section_00_target_test_normal_0091_vel_8.wav", "valve/test/take_2_final.wav"}
    return Corpus(root, "dcase", bad, ["engine=A", f"resources.decode.batch_size={BLOCK}"],
                  {"engine_a.k": {"type": "int", "low": 1, "high": 3}}, {"strategy": "split"},
                  {"scheduler": {"type": "fifo"}})


def doc_corpus(root: Path) -> Corpus:
    from tests.tasks.doc_type.layout import QUICK_TRAINING, write_layout

    write_layout(root, per_class=4, n_test=4)
    bad = {"train/missing_image.jpg", "train/bad_target.jpg", "test/truncated.jpg", "test/empty.jpg",
           "test/not_an_image.jpg", "README.txt"}
    return Corpus(root, "competition", bad,
                  [*QUICK_TRAINING, f"resources.decode.batch_size={BLOCK}", f"resources.ocr.batch_size={BLOCK}"],
                  {"model.offline.text_c": {"type": "loguniform", "low": 1.0, "high": 10.0}},
                  {"k": 2, "strategy": "stratified", "seed": 0}, {"scheduler": {"type": "fifo"}})


def relation_corpus(root: Path) -> Corpus:
    from tests.tasks.relation.layout import write_klue_files

    info = write_klue_files(root, n_train=24, n_dev=8)
    with open(root / "klue-re-v1.1_dev.jsonl", "a", encoding="utf-8") as fh:
        fh.write("{not json\n")  # a line an export cut short
    bad = {*info["broken_ids"], "klue-re-v1.1_dev:8"}
    return Corpus(root, "klue", bad, [f"resources.prepare.batch_size={BLOCK}"],
                  {"model.offline.c": {"type": "loguniform", "low": 1.0, "high": 30.0}},
                  {"k": 2, "strategy": "stratified", "seed": 0}, {"scheduler": {"type": "fifo"}})


CORPORA: dict[str, Callable[[Path], Corpus]] = {
    "drum_roles": drum_corpus, "urgency": urgency_corpus, "anomaly": anomaly_corpus, "doc_type": doc_corpus,
    "relation": relation_corpus,
}


def test_every_task_has_a_public_layout_corpus():
    assert set(CORPORA) == set(list_tasks()), "add a corpus in its public layout for the new task"


def arrange_blocks(manifest: Manifest, bad: set[str], path: Path) -> Manifest:
    """Rows ordered so the blocks are: only errors | only good rows | a mix; plus columns that are
    all-null in some blocks (``note`` only in the last block, ``gain_db`` absent from the first)."""
    df = manifest.df
    errors, good = df[df["id"].isin(bad)], df[~df["id"].isin(bad)]
    assert len(errors) >= BLOCK + 1 and len(good) >= BLOCK + 2, (len(errors), len(good))
    head, middle = errors.iloc[:BLOCK], good.iloc[::max(1, len(good) // BLOCK)].iloc[:BLOCK]
    rest = pd.concat([errors.iloc[BLOCK:], good.drop(middle.index)]).sample(frac=1, random_state=0)
    ordered = pd.concat([head, middle, rest], ignore_index=True)
    ordered["note"] = [None] * (2 * BLOCK) + ["checked"] * (len(ordered) - 2 * BLOCK)
    ordered["gain_db"] = [None] * BLOCK + [0.5] * (len(ordered) - BLOCK)
    out = Manifest(ordered, root=manifest.root)
    out.write(path)
    return out


def _run(*args) -> object:
    res = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in res.output, res.output[-3000:]
    return res


def _ok(res) -> str:
    assert res.exit_code == 0, res.output[-3000:]
    return res.output


def _sets(overrides: list[str]) -> list[str]:
    return [x for o in overrides for x in ("--set", o)]


@pytest.mark.slow
@pytest.mark.parametrize("name", list_tasks())
def test_every_command_on_blocks_of_errors_good_rows_and_a_mix(ray_local, tmp_path, monkeypatch, name):
    monkeypatch.setenv("RAYSCORE_CACHE_DIR", str(tmp_path / "out" / "cache"))
    out = tmp_path / "out"
    task = get_task(name)
    c = CORPORA[name](tmp_path / "corpus")
    sets = _sets(c.overrides)
    reg = ["--registry", out / "models"]

    # import: every file of the folder is a row, the bad ones with their reasons
    _ok(_run("import", name, c.fmt, c.source, "--out", out / "imported.parquet", *sets))
    manifest = Manifest.read(out / "imported.parquet")
    assert c.bad <= set(manifest.df["id"])
    blocks = arrange_blocks(manifest, c.bad, out / "blocks.parquet")
    n, n_bad = len(blocks), len(c.bad)

    # embed: the feature cache and features.parquet
    text = _ok(_run("embed", name, "--input", out / "blocks.parquet", "--output", out / "embed", *sets))
    assert f"rows in {n} = ok {n - n_bad} + errored {n_bad}" in text

    # train (registers v1), then score and evaluate with it on Ray Data
    _ok(_run("train", name, "--input", out / "blocks.parquet", *reg, *sets))
    model = ["--model", f"{name}:1", *reg, *sets]
    text = _ok(_run("score", name, "--input", out / "blocks.parquet", "--output", out / "score", *model))
    assert f"rows in {n} = scored {n - n_bad} + errored {n_bad}" in text
    errors = pd.read_parquet(out / "score" / "errors.parquet")
    assert set(errors["id"]) == c.bad and errors["error"].str.len().gt(0).all()
    summary = json.loads((out / "score" / "summary.json").read_text())
    assert summary["rows_in"] == summary["rows_ok"] + summary["rows_error"] == n
    _ok(_run("evaluate", name, "--input", out / "blocks.parquet", "--output", out / "evaluate", *model))
    assert (out / "evaluate" / "metrics.json").is_file() and (out / "evaluate" / "unjudged.csv").is_file()

    # retry: the errors of a run are the input of the next one (and fail again, for the same reasons)
    text = _ok(_run("score", name, "--input", out / "score" / "errors.parquet", "--output", out / "retry", *model))
    assert f"rows in {n_bad} = scored 0 + errored {n_bad}" in text
    again = pd.read_parquet(out / "retry" / "errors.parquet").set_index("id")["error"]
    assert again.sort_index().tolist() == errors.set_index("id")["error"].sort_index().tolist()

    # tune: two trials over the same blocks
    sweep = {"task": name, "name": f"{name}_blocks", "overrides": c.overrides,
             "data": {"input": str(out / "blocks.parquet")}, "folds": c.folds,
             "search": {"num_samples": 2, "max_concurrent": 1, "seed": 0}, "resources": {"cpu": 1, "gpu": 0},
             "max_failures": 0, "storage_path": str(out / "tune"), "space": c.space, **c.sweep}
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(sweep))
    text = _ok(_run("tune", name, "--config", tmp_path / "sweep.yaml"))
    assert "trials: 2" in text

    # qa: the task's data contract check, or one line saying it has none
    res = _run("qa", name, "--input", out / "blocks.parquet", "--output", out / "qa", *sets)
    if type(task).qa is not Task.qa:
        assert res.exit_code == 0, res.output[-3000:]
        assert f"{n} clips ({n - n_bad} readable)" in res.output and (out / "qa" / "qa_report.html").is_file()
    else:
        assert res.exit_code == 2 and res.output.strip() == f"error: task '{name}' has no QA step"

    assert_files_open_without_ray(out)


def assert_files_open_without_ray(root: Path) -> None:
    """Every Parquet and CSV under ``root`` reads with plain pandas in a process without Ray."""
    files = sorted(str(p) for p in root.rglob("*") if p.suffix in (".parquet", ".csv") and p.is_file())
    assert any(f.endswith("predictions.parquet") for f in files)
    code = textwrap.dedent("""
        import json, sys
        import pandas as pd
        rows = {}
        for path in json.loads(sys.argv[1]):
            df = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)
            rows[path] = len(df)
        assert "ray" not in sys.modules, "reading imported Ray"
        print(len(rows))
    """)
    out = subprocess.run([sys.executable, "-c", code, json.dumps(files)], capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if not k.startswith("RAY_")})
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == str(len(files))
