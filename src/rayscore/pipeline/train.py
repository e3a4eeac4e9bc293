"""``rayscore train``: fit a task config on all labelled rows and register the model.

Training uses the task's own ``fit`` (the same one tuning trials call) on
cached encoder outputs, scores the fitted model on the data it saw, and
writes a registry version. A sweep's folder can stand in for the config and
data: its best config is trained on its data, with its CV and hold-out
scores recorded beside the fit metrics.

Example:
    >>> version = train(get_task("drum_roles"), sweep_dir="runs/tune/drum_roles_dsp")  # doctest: +SKIP
    >>> version.ref                                                                   # doctest: +SKIP
    'drum_roles:1'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from rayscore.config import ConfigError
from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.embed import FeatureCache, embed, feature_keys
from rayscore.pipeline.score import load_input
from rayscore.references import cross_validate_references, fit_references, score_references
from rayscore.references import tensors as reference_tensors
from rayscore.registry import ModelRegistry, ModelVersion
from rayscore.tasks.base import Task
from rayscore.tune.trial import last_model


def metric_text(value: Any) -> str:
    """A metric for people: 4 decimals, or why there is none (e.g. AUC without labelled anomalies)."""
    if isinstance(value, (int, float)) and value == value:
        return f"{value:.4f}"
    return "n/a (undefined on this data, e.g. no labelled anomalies to rank)"


def _sweep_inputs(task: Task, sweep_dir: Path) -> tuple[Path, Any, dict[str, Any]]:
    """A sweep's (or a per-value sweep set's) best config, data and headline scores."""
    from rayscore.tune.driver import load_sweep

    sweep = load_sweep(sweep_dir / "sweep.yaml")
    if sweep.task != task.name:
        raise ConfigError(f"{sweep_dir} is a sweep of '{sweep.task}', not '{task.name}'")
    if (sweep_dir / "sweeps.json").is_file():  # one sweep per value of data.per
        doc = json.loads((sweep_dir / "sweeps.json").read_text())
        if not doc.get("best_config"):
            raise ConfigError(f"{sweep_dir}: a sweep per {doc['per']} without data.merge_into has no single "
                              f"best config; train one of its sweeps ({', '.join(doc['sweeps'])})")
        cv = {v: d["best"] for v, d in doc["sweeps"].items()}
        return Path(doc["best_config"]), sweep.data, {"cv": cv, "holdout": {}}
    summary = json.loads((sweep_dir / "summary.json").read_text())
    return sweep_dir / "best_config.yaml", sweep.data, {"cv": summary["best"], "holdout": summary.get("holdout", {})}


def train(
    task: Task,
    config: str | Path | None = None,
    overrides: list[str] | None = None,
    source: str | Path | Manifest | list[str | Path] | None = None,
    sweep_dir: str | Path | None = None,
    registry: ModelRegistry | None = None,
    cache: FeatureCache | None = None,
    engine: str = "ray",
) -> ModelVersion:
    """Fit ``config`` (or a sweep's best config) on ``source`` (or the sweep's data) and register it."""
    from rayscore.tune.driver import sweep_manifest

    provenance: dict[str, Any] = {}
    sweep_metrics: dict[str, Any] = {}
    sweep_data = None
    if sweep_dir is not None:
        sweep_dir = Path(sweep_dir)
        best_path, sweep_data, sweep_metrics = _sweep_inputs(task, sweep_dir)
        config = config or best_path
        provenance["sweep"] = str(sweep_dir.resolve())
    if source is None and sweep_data is None:
        raise ConfigError("train needs --input (or --sweep, whose data it then uses)")
    cfg = task.load_config(config, overrides or [])
    task.preflight(cfg)
    if isinstance(source, Manifest):
        manifest = source
    elif isinstance(source, (list, tuple)):
        from rayscore.corpus.manifest import concat

        manifest = concat([load_input(task, cfg, s) for s in source])
        source = " + ".join(map(str, source))
    elif source is not None:
        manifest = load_input(task, cfg, source)
    else:  # the sweep's own rows (its format and filter)
        manifest = sweep_manifest(task, cfg, sweep_data)
        source = sweep_data.input
    emb = embed(task, cfg, manifest, cache=cache if cache is not None else FeatureCache.default(), engine=engine)
    rows = emb.ok[task.trainable(emb.ok, cfg)].reset_index(drop=True)
    if rows.empty:
        raise ConfigError(f"no labelled rows to train on in {source}")
    model = last_model(task.fit(cfg, rows, None))
    fit_metrics = task.evaluate(task.predict(model, cfg, rows), cfg)
    refs = fit_references(task, cfg, rows)  # fitted on exactly the model's rows, stored beside it
    beside = compare_on_training_rows(task, cfg, rows, refs, sweep_metrics, fit_metrics, model)
    notes = task.model_notes(model)
    metrics = {
        task.metric: fit_metrics.get(task.metric),
        "fit_data": fit_metrics,
        "rows": {"in": len(emb.frame), "trained_on": len(rows), "errored": len(emb.errors)},
        **({"model_notes": notes} if notes else {}),
        "beside_references": beside,
        **sweep_metrics,
    }
    data_name = str(manifest.root) if isinstance(source, Manifest) else str(source)
    provenance |= {"data": data_name, "config": str(config) if config else "task defaults",
                   "overrides": overrides or []}
    card = f"Fitted on {len(rows)} labelled rows of {data_name}; {task.metric} on that data: " + \
        f"{metric_text(fit_metrics.get(task.metric))}."
    cv = sweep_metrics.get("cv", {})
    if task.metric in cv:
        card += f" Sweep CV {task.metric}: {cv[task.metric]:.4f} ± {cv[f'{task.metric}_std']:.4f}."
    elif cv:  # a sweep per value
        card += " Sweep winners: " + ", ".join(f"{v} {b.get(task.metric, float('nan')):.4f}" for v, b in cv.items()) + "."
    if sweep_metrics.get("holdout"):
        card += f" Hold-out {task.metric}: {sweep_metrics['holdout']['best'][task.metric]:.4f}."
    if notes:
        card += "\n\n## The fitted model\n\n" + "\n".join(f"- {k}: {v}" for k, v in notes.items())
    card += "\n\n" + beside_table(task.metric, beside)
    reg = registry or ModelRegistry()
    return reg.register(task.name, cfg, metrics, task.label_names(cfg), task.model_tensors(model), provenance, card,
                        extra_tensors={"references": reference_tensors(refs)}, model_args=task.model_args(model),
                        features=feature_keys(task.encoders(cfg)))


def compare_on_training_rows(task: Task, cfg: Any, rows: Any, refs: list, sweep_metrics: dict,
                             fit_metrics: dict, model: Any = None) -> dict[str, Any]:
    """Model and references judged the same way on the training rows' folds.

    Classification: K-fold CV (grouped when the rows have enough groups) for every
    reference, and for the model when its fit is cheap -- from the out-of-fold
    predictions ``model``'s fit made already, where it made some (``Task.out_of_fold``);
    a neural model's CV comes from its sweep. Anomaly: fitted on the training normals,
    judged on the test split.
    """
    from rayscore.tune.config import FoldsConfig
    from rayscore.tune.folds import make_folds
    from rayscore.tune.trial import SweepData, cross_validate

    metric = task.metric
    if task.reference_kind == "anomaly":
        return {"protocol": "fitted on the training normals, judged on the test split", "model": fit_metrics.get(metric),
                **{name: m.get(metric) for name, m in score_references(task, cfg, refs, rows).items()}}
    k = cfg.references.folds
    groups = rows["group"].dropna().nunique() if "group" in rows else 0
    counts = rows["label"].value_counts()
    if len(counts) < 2 or counts.min() < 2:
        return {"protocol": "too few rows per label for cross-validation"}
    k = min(k, int(counts.min()))
    strategy = "group" if groups >= k and task.cv_strategy == "auto" else "stratified"
    folds = make_folds(rows, FoldsConfig(k=k, strategy=strategy, seed=cfg.references.seed))
    out: dict[str, Any] = {"protocol": f"{k}-fold {strategy} CV on the training rows"}
    cv = sweep_metrics.get("cv", {})
    crossed = task.out_of_fold(model, cfg, rows) if model is not None and task.cheap_fit(cfg) else None
    if crossed is not None:  # the fit's own folds: the references are judged on them too
        ids = crossed["fold"].to_numpy()
        folds = [(np.flatnonzero(ids != i), np.flatnonzero(ids == i)) for i in np.unique(ids)]
        scores = [task.evaluate(crossed.iloc[valid], cfg)[metric] for _, valid in folds]
        out = {"protocol": f"{len(folds)}-fold CV on the training rows (the folds the model's fit made to calibrate "
                           "itself: each fold's model, calibrated on the other folds' out-of-fold predictions)",
               "model": float(np.mean(scores)), "model_std": float(np.std(scores))}
    elif task.cheap_fit(cfg):
        data = SweepData(rows, {}, folds)
        summary = cross_validate(task, cfg, _Preencoded(data), metric=metric)
        out["model"] = summary[metric]
        out["model_std"] = summary[f"{metric}_std"]
    elif metric in cv:
        out["model"], out["model_std"] = cv[metric], cv.get(f"{metric}_std")
        out["model_protocol"] = "the sweep's CV"
    for name, r in cross_validate_references(task, cfg, rows, folds, metric).items():
        out[name], out[f"{name}_std"] = r[metric], r[f"{metric}_std"]
    return out


class _Preencoded:
    """SweepData whose rows already carry every encoder column (training rows after embed)."""

    def __init__(self, data: Any) -> None:
        self.rows, self.folds = data.rows, data.folds

    def features(self, specs: list) -> Any:
        return self.rows


def beside_table(metric: str, beside: dict[str, Any]) -> str:
    """The model card's 'model beside references' section (Markdown)."""
    lines = ["## Beside simple references", "", f"{beside.get('protocol', '')}:", "",
             f"| | {metric} |", "|---|---|"]
    for name, value in beside.items():
        if name in ("protocol", "model_protocol") or name.endswith("_std"):
            continue
        std = beside.get(f"{name}_std")
        shown = "n/a" if value is None else f"{value:.4f}" + (f" ± {std:.4f}" if std is not None else "")
        label = f"**{name}**" if name == "model" else f"reference: {name}"
        lines.append(f"| {label} | {shown} |")
    if "model" not in beside:
        lines.append("| **model** | see its sweep (`rayscore train --sweep`) |")
    return "\n".join(lines)


def train_ensemble(
    task: Task,
    sweep_dir: str | Path,
    combine: str = "mean_proba",
    registry: ModelRegistry | None = None,
    cache: FeatureCache | None = None,
    engine: str = "ray",
) -> ModelVersion:
    """Fit the sweep's best config on each of its folds and register the K models as one ensemble."""
    from rayscore import ensemble
    from rayscore.tune.driver import load_sweep, prepare_data
    from rayscore.tune.space import sweep_base

    sweep_dir = Path(sweep_dir)
    best_path, _, sweep_metrics = _sweep_inputs(task, sweep_dir)
    sweep = load_sweep(sweep_dir / "sweep.yaml")
    cfg = task.load_config(best_path)
    task.preflight(cfg)
    base = sweep_base(task, sweep)
    data, _, stats = prepare_data(task, base, sweep, cache if cache is not None else FeatureCache.default(), engine)
    feats = data.features(task.encoders(cfg))
    members = [last_model(task.fit(cfg, feats.iloc[tr], feats.iloc[va])) for tr, va in data.folds]
    if not all(hasattr(m, "predict_proba") for m in members):
        raise ConfigError(f"{task.name}'s models give no class probabilities to average: train it without --ensemble")
    model = ensemble.EnsembleModel(members, combine)  # type: ignore[arg-type]
    fit_metrics = task.evaluate(task.predict(model, cfg, feats), cfg)
    metrics = {task.metric: fit_metrics.get(task.metric), "fit_data": fit_metrics,
               "rows": {"in": stats["rows_in"], "trained_on": len(feats), "errored": stats["rows_error"]},
               "ensemble": {"members": len(members), "combine": combine}, **sweep_metrics}
    cv = sweep_metrics.get("cv", {})
    card = (f"An ensemble of the {len(members)} fold models of sweep {sweep_dir} ({combine}), each fitted on its "
            f"fold's training rows with the sweep's best config.")
    if task.metric in cv:
        card += f" Sweep CV {task.metric}: {cv[task.metric]:.4f} ± {cv[f'{task.metric}_std']:.4f}."
    reg = registry or ModelRegistry()
    return reg.register(task.name, cfg, metrics, task.label_names(cfg), ensemble.tensors(task, members),
                        {"sweep": str(sweep_dir.resolve()), "ensemble": combine}, card,
                        model_args=ensemble.model_args(task, members, combine),
                        features=feature_keys(task.encoders(cfg)))
