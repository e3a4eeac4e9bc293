"""Batch scoring: manifest (or folder) in; predictions, errors and task outputs out.

Every input row comes out exactly once, either in ``predictions.parquet`` or
in ``errors.parquet`` with a reason; the run fails loudly if that ever stops
being true.

Example:
    >>> task = get_task("drum_roles")
    >>> cfg = task.load_config(overrides=["fusion.alpha=1.0"])
    >>> result = score(task, cfg, "samples/", "runs/score")     # doctest: +SKIP
    >>> result.summary["rows_in"] == result.summary["rows_ok"] + result.summary["rows_error"]
    True
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rayscore.config import ConfigError, dump_yaml
from rayscore.corpus.manifest import SKIP_STAGE, Manifest, ManifestError, root_metadata
from rayscore.pipeline.runner import ROW, run_stages
from rayscore.pipeline.stage import ERROR, ERROR_STAGE, PRIVATE, is_error
from rayscore.registry import ModelVersion
from rayscore.tables import write_csv, write_parquet
from rayscore.tasks.base import Task

LEADING = ("id", "path", "text", "label", "group")


@dataclass
class ScoreResult:
    summary: dict[str, Any]
    predictions: pd.DataFrame
    errors: pd.DataFrame
    outputs: dict[str, Path] = field(default_factory=dict)


def load_input(
    task: Task, cfg: Any, source: str | Path, out_dir: Path | None = None, fmt: str | None = None
) -> Manifest:
    """A manifest from a ``.parquet`` manifest, a folder, or ``source`` read by importer ``fmt``.

    A folder or a format import is saved as ``out_dir/manifest.parquet`` when given.
    """
    src = Path(source)
    if fmt is not None:
        importers = task.importers()
        if fmt not in importers:
            raise ManifestError(f"unknown format '{fmt}' for {task.name}; valid formats: {', '.join(sorted(importers))}")
        manifest = importers[fmt](src, cfg)
        if out_dir is not None:
            manifest.write(out_dir / "manifest.parquet")
        return manifest
    if src.is_dir() or (src.is_file() and src.suffix.lower() in task.input_suffixes):
        manifest = task.importers()[task.folder_importer](src, cfg)
        if out_dir is not None:
            manifest.write(out_dir / "manifest.parquet")
        return manifest
    if not src.exists():
        raise ManifestError(f"--input {src} does not exist")
    if src.suffix == ".parquet":
        return Manifest.read(src)
    files = "".join(f", a {x} file" for x in task.input_suffixes)
    raise ManifestError(f"--input must be a folder{files} or a .parquet manifest, got {src}")


def output_folder(out_dir: str | Path, flag: str = "--output") -> Path:
    """The run's output folder, created; a path that names a file is a user error, not a traceback."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{flag} {out} is a file; give a folder to write into")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{flag} {out}: cannot create the folder ({exc.strerror or exc})") from None
    return out


def _order(df: pd.DataFrame, first: list[str], last: list[str] = ()) -> pd.DataFrame:
    """``first`` columns, then the rest as they came, then ``last``; private ones dropped."""
    head = [c for c in first if c in df.columns]
    tail = [c for c in last if c in df.columns and c not in head]
    middle = [c for c in df.columns if c not in head and c not in tail]
    return df[[c for c in head + middle + tail if not c.startswith(PRIVATE)]]


def score(
    task: Task,
    cfg: Any,
    source: str | Path | Manifest,
    out_dir: str | Path,
    engine: str = "ray",
    model: ModelVersion | None = None,
    split: str | None = None,
) -> ScoreResult:
    """Score ``source`` (its rows of ``split``, when given) with ``task`` (and a registered
    ``model``): predictions, errors, task outputs."""
    task.preflight(cfg)  # config problems first, before touching inputs or Ray
    out = output_folder(out_dir)
    manifest = source if isinstance(source, Manifest) else load_input(task, cfg, source, out)
    manifest = manifest.only_split(split)
    frame = manifest.resolve()
    frame[ROW] = np.arange(len(frame))
    stages = task.stages(cfg, model)
    if engine == "ray":
        from rayscore.runtime import init_ray

        init_ray()  # start-up is not scoring time
    start = time.perf_counter()
    results = run_stages(frame, stages, engine)
    seconds = time.perf_counter() - start

    failed = results[ERROR].map(is_error).astype(bool)
    # Convention for classifiers: the label, its confidence, then p_<label> per class.
    probs = [f"p_{label}" for label in task.label_names(cfg)]
    first = list(LEADING) + [task.prediction_column, "confidence", *probs]
    metadata = [c for c in manifest.df.columns if c not in LEADING]  # task metadata goes last
    predictions = _order(results[~failed].drop(columns=[ERROR, ERROR_STAGE]), first, metadata)
    # Error rows as the manifest had them (its paths, its root), so errors.parquet is the input of a retry.
    errors = manifest.df.loc[failed.to_numpy()].assign(
        **{ERROR_STAGE: results.loc[failed, ERROR_STAGE].to_numpy(), ERROR: results.loc[failed, ERROR].to_numpy()})
    errors = _order(errors, list(LEADING))
    predictions = predictions.reset_index(drop=True)
    errors = errors.reset_index(drop=True)

    write_parquet(predictions, out / "predictions.parquet")
    write_csv(predictions, out / "predictions.csv")
    write_parquet(errors, out / "errors.parquet", root_metadata(manifest.root))
    outputs = {
        "predictions": out / "predictions.parquet",
        "predictions_csv": out / "predictions.csv",
        "errors": out / "errors.parquet",
        "config": dump_yaml(cfg, out / "config.yaml"),
    }
    outputs |= task.finalize(predictions, cfg, out)

    summary = {
        "task": task.name,
        "engine": engine,
        "model": model.ref if model else None,
        "rows_in": len(frame),
        "rows_ok": len(predictions),
        "rows_error": len(errors),
        "rows_skipped": int((errors[ERROR_STAGE] == SKIP_STAGE).sum()) if len(errors) else 0,
        "seconds": round(seconds, 3),
        "rows_per_second": round(len(frame) / seconds, 2) if seconds > 0 else None,
        "errors_by_stage": errors[ERROR_STAGE].value_counts().to_dict() if len(errors) else {},
        "skipped_by_reason": (errors.loc[errors[ERROR_STAGE] == SKIP_STAGE, ERROR].value_counts().head(20).to_dict()
                              if len(errors) else {}),
        "outputs": {k: str(v) for k, v in outputs.items()},
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    outputs["summary"] = out / "summary.json"
    return ScoreResult(summary, predictions, errors, outputs)


def summary_line(summary: dict[str, Any]) -> str:
    """``rows in 861 = scored 850 + errored 11 (2 skipped) | 142.3 files/s``."""
    skipped = summary.get("rows_skipped", 0)
    return (
        f"rows in {summary['rows_in']} = scored {summary['rows_ok']} + errored "
        f"{summary['rows_error']}{f' ({skipped} skipped)' if skipped else ''} | {summary['rows_per_second']} "
        f"files/s ({summary['seconds']} s, {summary['engine']})"
    )
