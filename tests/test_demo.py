"""`rayscore demo` without the Debian drum kits: it says so and runs on generated drums."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rayscore.tasks.drum_roles.task as drum_task
from rayscore.demo import run_demo


@pytest.mark.slow
def test_demo_falls_back_to_generated_drums(ray_local, tmp_path, monkeypatch):
    monkeypatch.setattr(drum_task, "DEBIAN_DRUMKITS", tmp_path / "no-kits-here")
    lines: list[str] = []
    metrics = run_demo("drum_roles", tmp_path / "demo", echo=lines.append)
    text = "\n".join(lines)
    assert "generated drums (400 samples)" in text and "not installed" in text
    assert "fusion.alpha=1.0" in text  # CLAP weights are not available offline
    assert "rows in 400 = scored 400 + errored 0" in text
    assert metrics["n"] == 400
    out = Path(tmp_path / "demo")
    for name in ["predictions.parquet", "errors.parquet", "metrics.json", "confusion_matrix.png",
                 "report.html", "role_pools.json", "manifest.parquet"]:
        assert (out / name).is_file(), name
    assert json.loads((out / "summary.json").read_text())["rows_in"] == 400
    # the tuned model beside the seed's defaults, on hits neither saw
    assert "seed defaults vs the tuned model (drum_roles:1)" in text
    assert any(line.strip().startswith("tuned model") and "macro-F1" in line for line in lines)
