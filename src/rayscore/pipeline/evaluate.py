"""Evaluation: score a labelled corpus, then metrics, confusion matrix and an HTML report.

Example:
    >>> metrics, result = evaluate(task, cfg, "runs/hydrogen.parquet", "runs/eval")  # doctest: +SKIP
    >>> print(metrics_text(metrics))                                                 # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from rayscore.config import ConfigError
from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.score import ScoreResult, load_input, output_folder, score
from rayscore.registry import ModelVersion
from rayscore.report.html import image, table, write_report
from rayscore.report.plots import confusion_matrix_png
from rayscore.tables import write_csv
from rayscore.tasks.base import Task

#: Rows a run scored but evaluation could not judge, with the reason (unknown label, no label).
UNJUDGED = "unjudged.csv"


def unjudged_rows(task: Task, cfg: Any, predictions: pd.DataFrame) -> pd.DataFrame:
    """Scored rows evaluation leaves out, each with why (unknown label, no label, not a test clip)."""
    vocab = task.label_names(cfg)
    out = predictions.loc[~task.judged(predictions, cfg).to_numpy(),
                          [c for c in ("id", "path", "label", "split") if c in predictions]]
    reasons = []
    for lab in out["label"]:
        if lab is None or (isinstance(lab, float) and pd.isna(lab)):
            reasons.append("no label")
        elif lab not in vocab:
            reasons.append(f"label '{lab}' is not one of {task.name}'s labels ({', '.join(vocab)})")
        else:
            reasons.append(f"{task.name} does not judge these rows (e.g. training clips)")
    return out.assign(reason=reasons).reset_index(drop=True)


def check_labels(task: Task, cfg: Any, manifest: Manifest) -> None:
    """Fail before scoring when no row is one the task can judge: there would be nothing to evaluate."""
    if task.judged(manifest.df, cfg).any():
        return
    vocab = task.label_names(cfg)
    seen = sorted({str(v) for v in manifest.df["label"].dropna()})[:8]
    found = f"found labels: {', '.join(seen)}" if seen else "no row has a label"
    raise ConfigError(f"nothing to evaluate: no row of the input is one {task.name} can judge (labels "
                      f"{', '.join(vocab)}); {found}. Use `rayscore score` for unlabelled data")


def references_beside(task: Task, cfg: Any, labelled: pd.DataFrame, model: ModelVersion | None) -> dict[str, Any]:
    """The simple references judged on the same rows as the model.

    A registered model carries references fitted on its own training rows; without
    one (a config that is the whole model), they are cross-validated on these rows.
    """
    from rayscore.references import cross_validate_references, load, score_references

    metric = task.metric
    stored = load(task, cfg, model.tensors("references")) if model is not None else []
    if stored:
        scores = score_references(task, cfg, stored, labelled)
        return {"protocol": "references fitted on the model's training rows, judged on these rows",
                **{name: m.get(metric) for name, m in scores.items()}}
    if task.reference_kind != "classification" or labelled.empty:
        return {}
    counts = labelled["label"].value_counts()
    k = min(cfg.references.folds, int(counts.min())) if len(counts) > 1 else 0
    if k < 2:
        return {"protocol": "too few rows per label to cross-validate references"}
    from rayscore.tune.config import FoldsConfig
    from rayscore.tune.folds import make_folds

    rows = labelled.reset_index(drop=True)
    folds = make_folds(rows, FoldsConfig(k=k, strategy="stratified", seed=cfg.references.seed))
    cv = cross_validate_references(task, cfg, rows, folds, metric)
    return {"protocol": f"no trained model: references {k}-fold cross-validated on these rows",
            **{name: r[metric] for name, r in cv.items()}}


def evaluate_predictions(
    task: Task, cfg: Any, predictions: pd.DataFrame, out_dir: str | Path, rows_error: int = 0,
    model: ModelVersion | None = None,
) -> dict[str, Any]:
    """Metrics of the labelled rows of ``predictions``, written as JSON, PNG and HTML."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    vocab = task.label_names(cfg)
    labelled = predictions[task.judged(predictions, cfg).to_numpy()]
    unjudged = unjudged_rows(task, cfg, predictions)
    write_csv(unjudged, out / UNJUDGED)
    if labelled.empty:
        raise ConfigError(f"nothing to evaluate: none of the {len(predictions)} scored rows has a label of "
                          f"{task.name} ({', '.join(vocab)}); see {out / UNJUDGED}")
    metrics = task.evaluate(labelled, cfg)
    beside = references_beside(task, cfg, labelled, model)
    if beside:
        metrics["references"] = {"model": metrics.get(task.metric), **beside}
    metrics["rows"] = {
        "scored": len(predictions),
        "evaluated": len(labelled),
        "without_known_label": len(unjudged),
        "unknown_label": int((unjudged["label"].notna() & ~unjudged["label"].isin(vocab)).sum()),
        "errored": rows_error,
    }
    # The config snapshot: metrics always say what produced them.
    doc = metrics | {"config": cfg.model_dump(mode="json")}
    (out / "metrics.json").write_text(json.dumps(doc, indent=2, default=str))
    cm = metrics.get("confusion_matrix")
    sections = [
        ("Summary", table([{"metric": k, "value": v} for k, v in metrics.items() if isinstance(v, float)])),
        ("Rows", table([metrics["rows"]])),
    ]
    if "references" in metrics:
        refs = metrics["references"]
        rows = [{"": "the model" if k == "model" else f"reference: {k}", task.metric: v}
                for k, v in refs.items() if k != "protocol"]
        sections.append(("Model beside simple references", f"<p>{refs.get('protocol', '')}</p>" + table(rows)))
    sections += task.report_sections(labelled, metrics, out)
    if "per_class" in metrics:
        rows = [{"class": k, **v} for k, v in metrics["per_class"].items()]
        sections.append(("Per class", table(rows)))
    if cm is not None:
        (out / "confusion_matrix.json").write_text(json.dumps(cm, indent=2))
        png = confusion_matrix_png(cm["matrix"], cm["labels"], out / "confusion_matrix.png", task.name)
        sections.append(("Confusion matrix", image(png, "confusion matrix")))
    write_report(out / "report.html", f"{task.name} evaluation", sections)
    return metrics


def evaluate(
    task: Task,
    cfg: Any,
    source: str | Path | Manifest,
    out_dir: str | Path,
    engine: str = "ray",
    model: ModelVersion | None = None,
    split: str | None = None,
) -> tuple[dict[str, Any], ScoreResult]:
    """Score ``source`` (its rows of ``split``, when given) into ``out_dir`` and evaluate the
    predictions against its labels."""
    task.preflight(cfg)
    manifest = source if isinstance(source, Manifest) else load_input(task, cfg, source, output_folder(out_dir))
    manifest = manifest.only_split(split)
    check_labels(task, cfg, manifest)
    result = score(task, cfg, manifest, out_dir, engine=engine, model=model)
    metrics = evaluate_predictions(task, cfg, result.predictions, out_dir, len(result.errors), model=model)
    return metrics, result


def _table_text(rows: list[dict[str, Any]]) -> list[str]:
    cols = list(rows[0])
    fmt = [(f"{{:>{max(len(c), 8)}.4f}}", max(len(c), 8)) for c in cols]
    lines = ["  ".join(f"{c:>{w}}" for c, (_, w) in zip(cols, fmt, strict=True))]
    for r in rows:
        cells = []
        for c, (f, w) in zip(cols, fmt, strict=True):
            v = r[c]
            cells.append(f.format(v) if isinstance(v, float) else f"{'' if v is None else v!s:>{w}}")
        lines.append("  ".join(cells))
    return lines


def metrics_text(metrics: dict[str, Any]) -> str:
    """A short plain-text view of metrics for the terminal."""
    if "accuracy" not in metrics:  # not a classifier: the scalars, then any per-item table
        lines = [" | ".join(f"{k} {v:.4f}" for k, v in metrics.items() if isinstance(v, float))]
        for key, value in metrics.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                lines += [f"{key}:"] + _table_text(value)
        return "\n".join(lines)
    lines = [f"accuracy {metrics['accuracy']:.4f} | macro-F1 {metrics['macro_f1']:.4f} | n {metrics['n']}"]
    if "micro_f1" in metrics and "auprc" in metrics:  # KLUE-RE's official pair (x 100)
        lines[0] = f"KLUE micro-F1 {metrics['micro_f1']:.2f} | AUPRC {metrics['auprc']:.2f} | " + lines[0]
    if "per_class" in metrics:
        lines.append(f"{'class':<12}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}")
        for name, m in metrics["per_class"].items():
            lines.append(
                f"{name:<12}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{m['support']:>9d}"
            )
    cm = metrics.get("confusion_matrix")
    if cm:
        labels = cm["labels"]
        lines.append("confusion matrix (rows: true, columns: predicted)")
        lines.append(f"{'':<12}" + "".join(f"{lab[:8]:>9}" for lab in labels))
        for lab, row in zip(labels, cm["matrix"], strict=True):
            lines.append(f"{lab[:12]:<12}" + "".join(f"{v:>9d}" for v in row))
    return "\n".join(lines)
