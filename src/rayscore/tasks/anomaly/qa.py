"""Package QA (seed 003, step 1): what is wrong with the recordings, and what to do about it.

Every clip is inspected on Ray Data (readable? length, level, clipping,
content hash); the package is then checked as a whole (enough normals per
asset, noise-only clips, recommended metadata, duplicates). The report says,
for each problem, what the customer should fix.

Example:
    >>> result = run_qa(manifest, cfg, Path("runs/qa"))     # doctest: +SKIP
    >>> result.summary["errors"], result.report              # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rayscore.corpus.manifest import SKIP_STAGE, Manifest
from rayscore.errors import RowError
from rayscore.media.audio import decode
from rayscore.pipeline.runner import run_stages
from rayscore.pipeline.stage import ERROR, ERROR_STAGE, Batch, Stage, is_error, map_rows, media_of
from rayscore.report.html import table, write_report
from rayscore.tasks.anomaly.config import AnomalyConfig
from rayscore.tasks.anomaly.contract import RECOMMENDED

LEVELS = ("error", "warning", "info")


def inspect(batch: Batch, clip_level: float) -> Batch:
    """Stage: duration, rate, channels, level and clipping of each clip, and its content hash."""

    def one(row: dict) -> dict:
        source = media_of(row)
        data, sr = decode(source, max_read_sec=600.0)  # "file not found", "cannot decode ..." as row errors
        if data.size == 0:
            raise RowError("no audio samples (zero-length audio)")
        raw = bytes(source) if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
        rms = float(np.sqrt(np.mean(np.square(data, dtype=np.float64))))
        return {
            "duration_sec": float(data.shape[0] / sr),
            "sample_rate": float(sr),
            "channels": float(data.shape[1]),
            "rms_dbfs": 20 * np.log10(max(rms, 1e-12)),
            "clipped_fraction": float(np.mean(np.abs(data) >= clip_level)),
            "sha256": hashlib.sha256(raw).hexdigest(),
        }

    nan = float("nan")
    outputs = {"duration_sec": nan, "sample_rate": nan, "channels": nan, "rms_dbfs": nan,
               "clipped_fraction": nan, "sha256": None}
    return map_rows(batch, "read", one, outputs)


@dataclass
class QAResult:
    clips: pd.DataFrame
    issues: pd.DataFrame
    summary: dict[str, Any]
    report: Path


def _issue(level: str, check: str, where: str, detail: str, fix: str) -> dict:
    return {"level": level, "check": check, "where": where, "detail": detail, "fix": fix}


def _clip_issues(clips: pd.DataFrame, cfg: AnomalyConfig) -> list[dict]:
    q, out = cfg.qa, []
    for r in clips.to_dict("records"):
        if is_error(r[ERROR]):
            if r[ERROR_STAGE] == SKIP_STAGE:
                out.append(_issue("info", "not_a_clip", r["id"], r[ERROR],
                                  "nothing to do if it is not a recording; else add it to metadata.csv"))
            elif r[ERROR_STAGE] == "import":
                out.append(_issue("error", "metadata", r["id"], r[ERROR], "correct this row of metadata.csv"))
            else:
                out.append(_issue("error", "unreadable", r["id"], r[ERROR],
                                  "re-export the clip as 16-bit PCM WAV (or FLAC) and check it plays"))
            continue
        if r["duration_sec"] < q.min_duration_sec:
            out.append(_issue("warning", "too_short", r["id"], f"{r['duration_sec']:.2f} s long",
                              f"record at least {cfg.audio.max_duration_sec:g} s per clip"))
        if r["rms_dbfs"] < q.silence_dbfs:
            out.append(_issue("warning", "silent", r["id"], f"level {r['rms_dbfs']:.1f} dBFS",
                              "check the microphone, its cable and the input gain; re-record"))
        if r["clipped_fraction"] > q.clip_fraction:
            out.append(_issue("warning", "clipped", r["id"], f"{100 * r['clipped_fraction']:.2f}% of samples at full scale",
                              "lower the recorder's input gain so peaks stay below full scale; re-record"))
        if cfg.audio.max_duration_sec and r["duration_sec"] > 1.5 * cfg.audio.max_duration_sec:
            out.append(_issue("info", "long", r["id"], f"{r['duration_sec']:.0f} s long",
                              f"only the first {cfg.audio.max_duration_sec:g} s are used: split long recordings "
                              f"into {cfg.audio.max_duration_sec:g} s clips for more training data"))
    ok = clips[~clips[ERROR].map(is_error).astype(bool)]
    for _, g in ok.groupby("sha256"):
        if len(g) > 1:
            ids = g["id"].tolist()
            out.append(_issue("warning", "duplicate", ids[0], f"identical content: {', '.join(ids)}",
                              "remove the copies: duplicates overweight one recording"))
    return out


def _package_issues(clips: pd.DataFrame, cfg: AnomalyConfig) -> list[dict]:
    q, out = cfg.qa, []
    usable = clips[~clips[ERROR].map(is_error).astype(bool)]
    train_normals = usable[(usable["label"] == "normal") & (usable["split"] == "train")]
    for key in sorted(clips["group"].dropna().unique()):
        n = int((train_normals["group"] == key).sum())
        if n < q.min_normals_per_section:
            out.append(_issue("warning", "few_normals", key, f"{n} usable normal training clips",
                              f"record at least {q.min_normals_per_section} (better 10) normal clips of this asset"))
    if not bool(clips["noise_only"].fillna(False).astype(bool).any()):
        out.append(_issue("info", "no_noise_only", "package", "no noise-only clips",
                          "record 30-120 s of background noise at each site with the machine off "
                          "(noise_only=true): it separates site noise from machine sound"))
    for col in RECOMMENDED:
        missing = int(clips[col].isna().sum()) if col in clips else len(clips)
        if missing:
            out.append(_issue("info", "metadata", col, f"missing for {missing} of {len(clips)} clips (recommended)",
                              f"fill in '{col}' in metadata.csv"))
    cond = float(train_normals["condition"].notna().mean()) if len(train_normals) else 0.0
    if cond < cfg.auto.metadata_coverage:
        out.append(_issue("info", "engine_c", "package", f"operating condition known for {100 * cond:.0f}% of normals",
                          "engine C (metadata-aware) needs reliable condition/speed metadata on "
                          f"{100 * cfg.auto.metadata_coverage:.0f}% of clips"))
    rates = sorted({int(r) for r in usable["sample_rate"].dropna()})
    if rates and rates != [cfg.audio.target_sr]:
        out.append(_issue("info", "sample_rate", "package", f"sample rates {rates} Hz",
                          f"fine: clips are resampled to {cfg.audio.target_sr} Hz mono"))
    return out


def run_qa(manifest: Manifest, cfg: AnomalyConfig, out_dir: str | Path, engine: str = "ray") -> QAResult:
    """Inspect every clip, check the package, write qa.json, qa_issues.csv and qa_report.html."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame = manifest.resolve()
    for col, default in (("machine_type", None), ("section", None), ("domain", "target"), ("split", None),
                         ("noise_only", False), ("condition", None)):  # manifests that are not packages
        if col not in frame:
            frame[col] = default
    clips = run_stages(frame, [Stage("inspect", inspect, {"clip_level": cfg.qa.clip_level})], engine)
    issues = pd.DataFrame(_clip_issues(clips, cfg) + _package_issues(clips, cfg),
                          columns=["level", "check", "where", "detail", "fix"])
    issues["rank"] = issues["level"].map(LEVELS.index)
    issues = issues.sort_values(["rank", "check"], kind="stable").drop(columns="rank").reset_index(drop=True)
    counts = issues["level"].value_counts()
    summary = {
        "clips": len(clips),
        "readable": int((~clips[ERROR].map(is_error).astype(bool)).sum()),
        "assets": int(clips["group"].nunique()),
        "machine_types": sorted(clips["machine_type"].dropna().unique().tolist()),
        "errors": int(counts.get("error", 0)),
        "warnings": int(counts.get("warning", 0)),
        "notes": int(counts.get("info", 0)),
        "ready": int(counts.get("error", 0)) == 0,
    }
    (out / "qa.json").write_text(json.dumps({"summary": summary, "issues": issues.to_dict("records")}, indent=2))
    issues.to_csv(out / "qa_issues.csv", index=False)
    keep = ["id", "group", "label", "domain", "split", "duration_sec", "sample_rate", "channels", "rms_dbfs",
            "clipped_fraction", ERROR]
    clips[[c for c in keep if c in clips]].to_csv(out / "qa_clips.csv", index=False)
    fixes = issues.groupby(["level", "check", "fix"], sort=False).size().reset_index(name="clips or items")
    report = write_report(out / "qa_report.html", "Package QA", [
        ("Summary", table([{"": k, "value": ", ".join(v) if isinstance(v, list) else v} for k, v in summary.items()])),
        ("What to fix", table(fixes.to_dict("records"))),
        ("All findings", table(issues.to_dict("records"))),
    ])
    return QAResult(clips, issues, summary, report)
