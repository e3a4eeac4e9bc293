"""``rayscore tune``: embed once, then Ray Tune + Optuna (TPE, SQLite) + ASHA across CV folds.

Example:
    >>> sweep = load_sweep("configs/tune/drum_roles_dsp.yaml")        # doctest: +SKIP
    >>> result = run_sweep(sweep)                                     # doctest: +SKIP
    >>> result.best["macro_f1"], result.best_config_path              # doctest: +SKIP
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from rayscore.config import ConfigError, dump_yaml, load_config, set_dotted, validate
from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.embed import HASH, EncoderSpec, FeatureCache, embed
from rayscore.pipeline.score import load_input
from rayscore.references import cross_validate_references, fit_references, score_references
from rayscore.tables import write_csv, write_parquet
from rayscore.tasks import get_task
from rayscore.tasks.base import Task
from rayscore.tune.config import IntRange, SweepConfig, Uniform
from rayscore.tune.folds import make_folds, split_holdout
from rayscore.tune.space import (
    DefineByRun,
    build_config,
    coerce_params,
    param_keys,
    probe_params,
    start_point,
    sweep_base,
    validate_space,
)
from rayscore.tune.trial import SweepData, last_model, trainable


class SweepInterrupted(RuntimeError):
    """The sweep stopped before its budget was spent (Ctrl+C); ``--resume`` continues it."""


@dataclass
class SweepResult:
    run_dir: Path
    trials: pd.DataFrame
    best: dict[str, Any]
    best_config_path: Path
    holdout: dict[str, Any] = field(default_factory=dict)
    embed_stats: dict[str, Any] = field(default_factory=dict)
    metric: str = ""
    mode: str = "max"
    full_steps: int = 1  # steps of a trial that ran to the end (folds, or 1 for epoch tasks)
    report_path: Path | None = None
    references: dict[str, Any] = field(default_factory=dict)  # name -> CV mean/std/folds, same folds


def load_sweep(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> SweepConfig:
    """A sweep YAML; a relative ``task_config`` is found from the working directory, else from the
    sweep file's folder or its parents (``configs/tasks/x.yaml`` next to ``configs/tune/``)."""
    sweep = load_config(SweepConfig, path, overrides)
    tc = sweep.task_config
    if tc and not Path(tc).is_absolute() and not Path(tc).exists():
        for folder in Path(path).absolute().parents:
            if (folder / tc).is_file():
                return sweep.model_copy(update={"task_config": str(folder / tc)})
    return sweep


def objective(task: Task, sweep: SweepConfig) -> tuple[str, str]:
    """The metric the sweep optimises and its direction (the task's unless the sweep says)."""
    return sweep.search.metric or task.metric, sweep.search.mode or task.metric_mode


def sweep_manifest(task: Task, cfg: Any, data: Any) -> Manifest:
    """The sweep's rows: ``data.input`` (read by ``data.format``), filtered by ``data.where``."""
    manifest = load_input(task, cfg, data.input, fmt=data.format)
    if data.extra:
        from rayscore.corpus.manifest import concat

        manifest = concat([manifest, *(load_input(task, cfg, s.input, fmt=s.format) for s in data.extra)])
    df = manifest.df
    for col, wanted in data.where.items():
        if col not in df.columns:
            raise ConfigError(f"data.where: no column '{col}'; columns: {', '.join(df.columns)}")
        values = [wanted] if isinstance(wanted, str) else wanted
        df = df[df[col].astype(str).isin(values)]
    if df.empty:
        raise ConfigError(f"data.where {data.where} keeps no rows of {data.input}")
    return Manifest(df, root=manifest.root)


def _is_remote(uri: str) -> bool:
    return "://" in uri


def run_paths(sweep: SweepConfig) -> tuple[str, Path]:
    """(Ray Tune experiment path, local folder for this sweep's own artifacts)."""
    if _is_remote(sweep.storage_path):
        return f"{sweep.storage_path.rstrip('/')}/{sweep.name}", Path("runs/tune") / sweep.name
    local = Path(sweep.storage_path).absolute() / sweep.name
    return str(local), local


def plan_encoders(task: Task, base: dict[str, Any], sweep: SweepConfig) -> list[EncoderSpec]:
    """Every encoder any trial can need, each once.

    A continuous parameter may switch an encoder on or off (``fusion.alpha``
    decides whether CLAP is used) but must not change what an encoder computes:
    embeddings are made once per sweep, not once per trial.
    """
    specs: dict[str, EncoderSpec] = {s.key_hash: s for s in task.encoders(validate(task.config_cls, base))}
    for key, spec in sweep.space.items():
        seen: dict[str, set[str]] = {}
        for probe in spec.probes():
            for enc in task.encoders(build_config(task, base, probe_params(key, spec, probe))):
                specs.setdefault(enc.key_hash, enc)
                seen.setdefault(enc.name, set()).add(enc.key_hash)
        changed = [name for name, hashes in seen.items() if len(hashes) > 1]
        if changed and isinstance(spec, (Uniform, IntRange)):
            raise ConfigError(
                f"space.{key} changes what the '{changed[0]}' encoder computes; embeddings are "
                "made once per sweep, so only a categorical parameter may do that"
            )
    return list(specs.values())


def prepare_data(
    task: Task, base: dict[str, Any], sweep: SweepConfig, cache: FeatureCache | None, engine: str
) -> tuple[SweepData, SweepData, dict[str, Any]]:
    """Embed (through the cache), keep labelled rows, split hold-out, make folds."""
    cfg = validate(task.config_cls, base)
    manifest = sweep_manifest(task, cfg, sweep.data)
    specs = plan_encoders(task, base, sweep)
    emb = embed(task, cfg, manifest, encoders=specs, cache=cache, engine=engine)
    ok = emb.ok
    labelled = ok[task.trainable(ok, cfg)]
    rows = labelled[[*manifest.df.columns, HASH]].reset_index(drop=True)
    encoded = {s.key_hash: labelled.drop_duplicates(HASH)[[HASH, *s.columns]] for s in specs}
    sweep_rows, held = split_holdout(rows, sweep.holdout)
    stats = {
        "rows_in": len(emb.frame),
        "rows_error": len(emb.errors),
        "rows_unlabelled": len(ok) - len(labelled),
        "rows_sweep": len(sweep_rows),
        "rows_holdout": len(held),
        "holdout_groups": sorted(held["group"].dropna().unique().tolist()),
        "encoders": emb.stats,
    }
    data = SweepData(sweep_rows, encoded, make_folds(sweep_rows, sweep.folds))
    return data, SweepData(held, encoded, []), stats


def storage_url(sweep: SweepConfig) -> str:
    """Where the Optuna study lives: the configured database, or SQLite in the run folder."""
    return sweep.search.storage or f"sqlite:///{run_paths(sweep)[1] / 'optuna.db'}"


def _searcher(task: Task, sweep: SweepConfig, base: dict[str, Any]):
    import optuna
    from ray.tune.search.optuna import OptunaSearch

    optuna.logging.set_verbosity(optuna.logging.WARNING)  # Tune's table and our summary say what happened
    metric, mode = objective(task, sweep)
    points = []
    if sweep.search.evaluate_start_config:
        point, _ = start_point(sweep.space, base)
        points = [point] if point else []
    return OptunaSearch(
        space=DefineByRun(sweep.space),
        metric=metric,
        mode=mode,
        sampler=optuna.samplers.TPESampler(seed=sweep.search.seed),
        storage=optuna.storages.RDBStorage(storage_url(sweep)),
        study_name=sweep.search.study_name or sweep.name,
        points_to_evaluate=points,
    )


def _scheduler(task: Task, sweep: SweepConfig, cfg: Any, folds: int):
    from ray.tune.schedulers import ASHAScheduler, FIFOScheduler

    if sweep.scheduler.type == "fifo":
        return FIFOScheduler()
    max_t = folds if task.progress_unit == "fold" else task.max_epochs(cfg)
    return ASHAScheduler(
        time_attr="training_iteration",
        max_t=max_t,
        grace_period=min(sweep.scheduler.grace_period, max_t),
        reduction_factor=sweep.scheduler.reduction_factor,
    )


def trial_dirname(trial: Any) -> str:
    """Short trial folders (Ray's default spells out every parameter)."""
    return f"trial_{trial.trial_id}"


def _check_resume(sweep: SweepConfig, run_dir: Path, experiment: str, resume: bool) -> None:
    from ray import tune

    exists = tune.Tuner.can_restore(experiment)
    stored = run_dir / "sweep.yaml"
    if resume and not exists and not stored.is_file():
        raise ConfigError(f"nothing to resume at {experiment}")
    if not resume and exists:
        raise ConfigError(f"a sweep named '{sweep.name}' exists at {experiment}: use --resume, or another name")
    if resume and stored.is_file():
        before = yaml.safe_load(stored.read_text())
        if before != sweep.model_dump(mode="json"):
            raise ConfigError(f"--resume: the sweep config differs from the interrupted run's {stored}")


def run_sweep(
    sweep: SweepConfig,
    resume: bool = False,
    cache: FeatureCache | None = None,
    engine: str = "ray",
    task: Task | None = None,
    progress: Callable[[str], None] | None = None,
) -> SweepResult:
    """Run (or resume) a sweep and write trials, the best config, hold-out scores and a report.

    ``task`` defaults to the registered task named by the sweep; passing an
    instance lets a program sweep a task it defined itself. ``progress`` hears
    about each phase (the CLI prints it).
    """
    from ray import tune

    from rayscore.runtime import init_ray
    from rayscore.tune.report import write_sweep_report

    task = task or get_task(sweep.task)
    base = sweep_base(task, sweep)
    validate_space(task, base, sweep.space)
    start_cfg = validate(task.config_cls, base)
    task.preflight(start_cfg)
    experiment, run_dir = run_paths(sweep)
    _check_resume(sweep, run_dir, experiment, resume)
    run_dir.mkdir(parents=True, exist_ok=True)
    dump_yaml(sweep, run_dir / "sweep.yaml")

    init_ray()
    cache = cache if cache is not None else FeatureCache.default()
    say = progress or (lambda text: None)
    say(f"sweep '{sweep.name}': embedding its data through the feature cache ({cache.root})")
    try:
        data, held, stats = prepare_data(task, base, sweep, cache, engine)
    except KeyboardInterrupt:
        raise SweepInterrupted(
            f"sweep '{sweep.name}' stopped while embedding, before its first trial (0 of "
            f"{sweep.search.num_samples} trials run); features computed so far are cached: rerun with "
            "--resume to continue") from None
    # Ray Tune restores an experiment it has checkpointed; one stopped before Tune began starts afresh.
    resume = resume and tune.Tuner.can_restore(experiment)
    metric, mode = objective(task, sweep)
    full_steps = len(data.folds) if task.progress_unit == "fold" else 1
    execution = sweep.folds.execution if task.progress_unit == "epoch" else "lockstep"
    per_fold = {"CPU": sweep.resources.cpu, "GPU": sweep.resources.gpu}
    fn = tune.with_parameters(trainable, task=task, base=base, data=data, metric=metric, execution=execution,
                              fold_resources=per_fold)
    if execution == "parallel":  # a bundle per fold (its share of CPUs/GPUs) beside the trial's driver
        from ray.tune import PlacementGroupFactory

        fn = tune.with_resources(fn, PlacementGroupFactory([{"CPU": 0.01}] + [per_fold] * len(data.folds)))
    else:
        fn = tune.with_resources(fn, {"cpu": sweep.resources.cpu, "gpu": sweep.resources.gpu})
    if resume:
        tuner = tune.Tuner.restore(experiment, trainable=fn, resume_errored=True)
    else:
        tuner = tune.Tuner(
            fn,
            tune_config=tune.TuneConfig(
                metric=metric,
                mode=mode,
                search_alg=_searcher(task, sweep, base),
                scheduler=_scheduler(task, sweep, start_cfg, len(data.folds)),
                num_samples=sweep.search.num_samples,
                max_concurrent_trials=sweep.search.max_concurrent,
                trial_dirname_creator=trial_dirname,
                reuse_actors=True,  # no new worker process (and imports) per trial
            ),
            run_config=tune.RunConfig(
                name=sweep.name,
                storage_path=experiment.rsplit("/", 1)[0],
                failure_config=tune.FailureConfig(max_failures=sweep.max_failures),
                checkpoint_config=tune.CheckpointConfig(num_to_keep=1),  # epoch states: the latest is enough
                verbose=1,
            ),
        )
    references = cross_validate_references(task, start_cfg, data.features(task.encoders(start_cfg)), data.folds,
                                           metric)
    say(f"sweep '{sweep.name}': {stats['rows_sweep']} rows, {len(data.folds)} folds, "
        f"{sweep.search.num_samples} trials; references on the same folds: "
        + ", ".join(f"{k} {v[metric]:.4f}" for k, v in references.items()))
    grid = tuner.fit()

    # What Tune saved is what --resume continues from: a trial that Ctrl+C cut short is RUNNING or
    # PENDING there (and reruns), even where the in-memory result grid already calls it terminated.
    saved = saved_statuses(experiment)
    trials = trials_table(grid, sweep, base, metric, saved)
    write_parquet(trials, run_dir / "trials.parquet")
    write_csv(trials, run_dir / "trials.csv")
    finished = int((trials["status"] != "INTERRUPTED").sum()) if len(trials) else 0  # what trials.csv shows
    if finished < sweep.search.num_samples:
        raise SweepInterrupted(
            f"sweep '{sweep.name}' stopped after {finished} of {sweep.search.num_samples} trials "
            f"({sweep.search.num_samples - finished} to go); continue it with --resume (state in {experiment})"
        )
    best = pick_best(trials, metric, mode, full_steps)
    _keep_oof(grid, best["trial_id"], run_dir)
    best["params"] = coerce_params(sweep.space, best["params"])
    best_cfg = build_config(task, base, best["params"])
    best_path = dump_yaml(best_cfg, run_dir / "best_config.yaml")
    holdout = evaluate_holdout(task, data, held, {"start": start_cfg, "best": best_cfg})
    summary = {"task": task.name, "metric": metric, "mode": mode, "trials": len(trials), "best": best,
               "references": references, "holdout": holdout, "data": stats, "full_steps": full_steps}
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    result = SweepResult(run_dir, trials, best, best_path, holdout, stats, metric=metric, mode=mode,
                         full_steps=full_steps, references=references)
    result.report_path = write_sweep_report(result, task, sweep)
    return result


@dataclass
class SweepSet:
    """One sweep per value of ``data.per`` (e.g. per machine type), and their combined winner."""

    run_dir: Path
    results: dict[str, SweepResult]
    best_config_path: Path | None


def _nested(params: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        set_dotted(out, key, value)
    return out


def run_sweeps(
    sweep: SweepConfig,
    resume: bool = False,
    cache: FeatureCache | None = None,
    engine: str = "ray",
    task: Task | None = None,
    progress: Callable[[str], None] | None = None,
) -> SweepResult | SweepSet:
    """A sweep, or with ``data.per`` one sweep per value (``<name>_<value>``) plus a combined config.

    With ``data.merge_into`` the winners become one task config: each value's
    best parameters under ``<merge_into>.<value>`` (for anomaly: ``per_machine``).
    """
    if not sweep.data.per:
        return run_sweep(sweep, resume, cache, engine, task, progress)
    task = task or get_task(sweep.task)
    base = sweep_base(task, sweep)
    manifest = sweep_manifest(task, validate(task.config_cls, base), sweep.data)
    per = sweep.data.per
    if per not in manifest.df.columns:
        raise ConfigError(f"data.per: no column '{per}'; columns: {', '.join(manifest.df.columns)}")
    values = sorted(manifest.df[per].dropna().astype(str).unique())
    _, parent = run_paths(sweep)
    parent.mkdir(parents=True, exist_ok=True)
    dump_yaml(sweep, parent / "sweep.yaml")
    results = {}
    for value in values:
        data = sweep.data.model_copy(update={"where": {**sweep.data.where, per: value}, "per": None,
                                             "merge_into": None})
        child = sweep.model_copy(update={"name": f"{sweep.name}_{value}", "data": data})
        results[value] = run_sweep(child, resume, cache, engine, task, progress)
    combined = None
    if sweep.data.merge_into:
        merged = copy.deepcopy(base)
        for value, res in results.items():
            set_dotted(merged, f"{sweep.data.merge_into}.{value}", _nested(res.best["params"]))
        combined = dump_yaml(validate(task.config_cls, merged, "combined winners"), parent / "best_config.yaml")
    metric, _ = objective(task, sweep)
    doc = {"task": task.name, "per": per, "metric": metric, "best_config": str(combined) if combined else None,
           "sweeps": {v: {"name": f"{sweep.name}_{v}", "run_dir": str(r.run_dir), "best": r.best,
                          "holdout": r.holdout} for v, r in results.items()}}
    (parent / "sweeps.json").write_text(json.dumps(doc, indent=2, default=str))
    return SweepSet(parent, results, combined)


def saved_statuses(experiment: str) -> dict[str, str]:
    """Trial id -> status as Ray Tune saved the experiment (what a restore will see)."""
    from ray.tune import ExperimentAnalysis

    return {t.trial_id: t.status for t in ExperimentAnalysis(experiment).trials}


def trials_table(grid: Any, sweep: SweepConfig, base: dict[str, Any], metric: str,
                 saved: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per trial: parameters, mean/spread, per-fold scores, status (OK, ERROR, INTERRUPTED)."""
    start, _ = start_point(sweep.space, base)
    keys = [k for key, spec in sweep.space.items() for k in param_keys(key, spec)]

    def same(a: Any, b: Any) -> bool:
        return bool(np.isclose(float(a), float(b))) if isinstance(b, float) and a is not None else a == b

    rows = []
    for res in grid:
        if res.config is None:  # never started (an interrupted sweep's pending trials)
            continue
        m = res.metrics or {}
        params = {k: res.config.get(k) for k in keys}  # None: a branch this trial did not take
        # the id from the trial's own folder (trial_dirname): with reused actors, a result reported just
        # before Ctrl+C can carry the previous trial's id in its metrics
        row: dict[str, Any] = {"trial_id": Path(res.path).name.removeprefix("trial_") if res.path
                               else m.get("trial_id")}
        row["status"] = "ERROR" if res.error else "OK"
        if saved is not None and saved.get(row["trial_id"]) not in ("TERMINATED", "ERROR"):
            # cut short by Ctrl+C, or started after Tune last saved the experiment (absent from it):
            # either way not counted as finished, and --resume runs it again
            row["status"] = "INTERRUPTED"
        row["error"] = str(res.error).splitlines()[0][:300] if res.error else None
        row["steps"] = m.get("training_iteration", 0)
        row[metric] = m.get(metric)
        row[f"{metric}_std"] = m.get(f"{metric}_std")
        row |= {k: v for k, v in m.items() if k.startswith("fold_")}
        row["start_config"] = bool(start) and all(same(params[k], v) for k, v in start.items())
        row["seconds"] = m.get("time_total_s")
        row |= {f"param.{k}": v for k, v in params.items()}
        rows.append(row)
    return pd.DataFrame(rows)


def _keep_oof(grid: Any, trial_id: str, run_dir: Path) -> None:
    """The best trial's out-of-fold predictions, as the sweep's ``oof.parquet``."""
    import shutil

    for res in grid:
        if res.path and Path(res.path).name.removeprefix("trial_") == trial_id:
            src = Path(res.path) / "oof.parquet"
            if src.is_file():
                shutil.copyfile(src, run_dir / "oof.parquet")
            return


def pick_best(trials: pd.DataFrame, metric: str, mode: str, full_steps: int) -> dict[str, Any]:
    """Best mean score among trials that ran every step (ASHA-stopped ones saw fewer folds)."""
    ok = trials[(trials["status"] == "OK") & trials[metric].notna()]
    full = ok[ok["steps"] >= full_steps]
    ok = full if len(full) else ok
    if ok.empty:
        raise RuntimeError("no trial finished: see the errors in trials.csv")
    row = ok.sort_values(metric, ascending=mode == "min").iloc[0]
    params = {c.removeprefix("param."): row[c] for c in trials.columns if c.startswith("param.")}
    folds = [row[c] for c in trials.columns if c.startswith("fold_") and pd.notna(row[c])]
    return {
        "trial_id": row["trial_id"],
        metric: float(row[metric]),
        f"{metric}_std": float(row[f"{metric}_std"]),
        "folds": [float(f) for f in folds],
        # parameters of branches the winner did not take are not part of its config
        "params": {k: (v.item() if hasattr(v, "item") else v) for k, v in params.items()
                   if v is not None and not (isinstance(v, float) and np.isnan(v))},
    }


def evaluate_holdout(task: Task, train: SweepData, test: SweepData, configs: dict[str, Any]) -> dict[str, Any]:
    """Fit each config on all sweep rows and score it on the held-out rows."""
    if test.rows.empty:
        return {}
    out: dict[str, Any] = {"rows": len(test.rows), "groups": sorted(test.rows["group"].dropna().unique().tolist())}
    for name, cfg in configs.items():
        specs = task.encoders(cfg)
        model = last_model(task.fit(cfg, train.features(specs), None))
        metrics = task.evaluate(task.predict(model, cfg, test.features(specs)), cfg)
        out[name] = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
    start = configs["start"]
    specs = task.encoders(start)
    refs = fit_references(task, start, train.features(specs))  # fitted on the same sweep rows
    out["references"] = score_references(task, start, refs, test.features(specs))
    return out
