"""One tuning trial = the task's own fit/predict, cross-validated, reported step by step.

A step is a fold for tasks whose fit is cheap (ASHA can drop a bad trial after
its first folds) and an epoch for neural tasks: every fold advances one epoch,
the mean validation score is reported, and the folds' training states go with
the report as a checkpoint, so a failed or interrupted trial resumes from its
last epoch instead of from zero. Folds run in one process (``lockstep``) or each
in its own Ray actor with its share of the trial's CPUs/GPUs (``parallel``).
The validation rows' predictions of every fold are kept (out-of-fold, ``oof``).
"""

from __future__ import annotations

import json
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rayscore.config import ConfigError
from rayscore.pipeline.embed import HASH, EncoderSpec
from rayscore.tasks.base import Task
from rayscore.tune.space import build_config

Report = Callable[[dict[str, Any]], None]


@dataclass
class SweepData:
    """What every trial shares: the rows, their cached encoder outputs and the folds."""

    rows: pd.DataFrame  # id, label, group, content_hash (+ metadata)
    encoded: dict[str, pd.DataFrame]  # EncoderSpec.key_hash -> content_hash + columns
    folds: list[tuple[np.ndarray, np.ndarray]]

    def features(self, specs: list[EncoderSpec]) -> pd.DataFrame:
        frame = self.rows
        for spec in specs:
            if spec.key_hash not in self.encoded:
                raise ConfigError(
                    f"encoder '{spec.name}' with this trial's settings was not embedded before the "
                    "sweep: a search-space key changes what it computes"
                )
            frame = frame.merge(self.encoded[spec.key_hash], on=HASH, how="left", validate="many_to_one")
        return frame


def _summary(metric: str, scores: list[float]) -> dict[str, Any]:
    out: dict[str, Any] = {metric: float(np.mean(scores)), f"{metric}_std": float(np.std(scores))}
    out["folds_done"] = len(scores)
    out |= {f"fold_{i}_{metric}": float(s) for i, s in enumerate(scores)}
    return out


def _score(task: Task, model: Any, cfg: Any, valid: pd.DataFrame, metric: str) -> tuple[float, pd.DataFrame]:
    predicted = task.predict(model, cfg, valid)
    value = task.evaluate(predicted, cfg).get(metric)
    if value is None:
        raise ValueError(f"metric '{metric}' is undefined on this fold (e.g. no anomalies to rank)")
    return float(value), predicted


def last_model(models: Iterator[Any]) -> Any:
    """Run a fit to the end and keep what it yielded last."""
    tail = deque(models, maxlen=1)
    return tail[0] if tail else None


def _oof_part(task: Task, cfg: Any, predicted: pd.DataFrame, fold: int) -> pd.DataFrame:
    keep = ["id", "label", "group", task.prediction_column, "confidence",
            *(f"p_{lab}" for lab in task.label_names(cfg))]
    return predicted[[c for c in keep if c in predicted]].assign(fold=fold)


class FoldRun:
    """One fold's fit, advanced an epoch at a time; runs in-process or as a Ray actor."""

    def __init__(self, task: Task, cfg: Any, train: pd.DataFrame, valid: pd.DataFrame, metric: str,
                 resume: Any = None) -> None:
        self.task, self.cfg, self.valid, self.metric = task, cfg, valid, metric
        kwargs = {"resume": resume} if resume is not None else {}
        self.run = task.fit(cfg, train, valid, **kwargs)
        self.model, self.score, self.predicted, self.done = None, None, None, False

    def step(self) -> tuple[float | None, bool]:
        """One more epoch: (the fold's validation score, whether it has finished)."""
        if not self.done:
            model = next(self.run, None)
            if model is None:
                self.done = True
            else:
                self.model = model
                self.score, self.predicted = _score(self.task, model, self.cfg, self.valid, self.metric)
        return self.score, self.done

    def checkpoint(self) -> Any:
        """The fold's training state (None when its models cannot resume)."""
        fn = getattr(self.model, "checkpoint", None)
        return fn() if fn is not None and getattr(self.model, "trainer", None) is not None else None

    def oof(self, fold: int) -> pd.DataFrame | None:
        return None if self.predicted is None else _oof_part(self.task, self.cfg, self.predicted, fold)


def _save_progress(folder: Path, epoch: int, runs: list[Any], states: list[Any], scores: list[float | None],
                   done: list[bool]) -> None:
    from rayscore.training.checkpoint import save

    for i, state in enumerate(states):
        if state is not None:
            save(folder, f"fold{i}", *state)
    (folder / "progress.json").write_text(json.dumps({"epoch": epoch, "scores": scores, "done": done}))


def _load_progress(folder: Path, n: int) -> tuple[dict[str, Any], list[Any]]:
    from rayscore.training.checkpoint import exists, load

    progress = json.loads((folder / "progress.json").read_text())
    states = [load(folder, f"fold{i}") if exists(folder, f"fold{i}") else None for i in range(n)]
    return progress, states


def cross_validate(
    task: Task, cfg: Any, data: SweepData, report: Report | None = None, metric: str | None = None,
    execution: str = "lockstep", checkpoint: Callable[[Callable[[Path], None]], None] | None = None,
    resume_dir: Path | None = None, fold_resources: dict[str, float] | None = None, oof_in_reports: bool = False,
) -> dict[str, Any]:
    """Mean, spread and per-fold scores of ``cfg``; ``report`` is called after every step.

    Epoch-unit tasks: ``checkpoint(write)`` is called after every epoch with a function that
    writes the folds' states into a folder, and ``resume_dir`` holds such a folder to continue
    from. The summary's ``oof`` is every fold's validation predictions (with ``oof_in_reports``, each
    report carries those so far too).
    """
    metric = metric or task.metric
    feats = data.features(task.encoders(cfg))
    splits = [(feats.iloc[tr], feats.iloc[va]) for tr, va in data.folds]
    if task.progress_unit == "fold":
        scores: list[float] = []
        oof = []
        for i, (train, valid) in enumerate(splits):
            score, predicted = _score(task, last_model(task.fit(cfg, train, valid)), cfg, valid, metric)
            scores.append(score)
            oof.append(_oof_part(task, cfg, predicted, i))
            summary = _summary(metric, scores)
            if report:
                report(summary | ({"oof": pd.concat(oof, ignore_index=True)} if oof_in_reports else {}))
        return summary | {"oof": pd.concat(oof, ignore_index=True)}

    progress, states = ({"epoch": 0, "scores": [None] * len(splits), "done": [False] * len(splits)},
                        [None] * len(splits))
    if resume_dir is not None and (Path(resume_dir) / "progress.json").is_file():
        progress, states = _load_progress(Path(resume_dir), len(splits))
    runs = _start_folds(task, cfg, splits, metric, states, execution, fold_resources)
    scores, done = list(progress["scores"]), list(progress["done"])
    epoch = progress["epoch"]
    summary: dict[str, Any] = {}
    while True:
        results = _call_all(runs, "step", execution)
        progressed = False
        for i, (score, finished) in enumerate(results):
            if not done[i] and not finished:
                progressed = True
            if score is not None:
                scores[i] = score
            done[i] = done[i] or finished
        if not progressed:
            break
        epoch += 1
        summary = _summary(metric, [s for s in scores if s is not None]) | {"epoch": epoch}
        if checkpoint is not None:
            fold_states = _call_all(runs, "checkpoint", execution)
            checkpoint(lambda folder, st=fold_states, e=epoch: _save_progress(folder, e, runs, st, scores, done))
        if report:
            report(summary | ({"oof": _gather_oof(runs, execution)} if oof_in_reports else {}))
    if not summary:  # resumed after the last epoch: nothing left to run
        summary = _summary(metric, [s for s in scores if s is not None]) | {"epoch": epoch}
    return summary | {"oof": _gather_oof(runs, execution)}


def _gather_oof(runs: list[Any], execution: str) -> pd.DataFrame:
    parts = [p for p in _call_all(runs, "oof", execution, list(range(len(runs)))) if p is not None]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _start_folds(task: Task, cfg: Any, splits: list, metric: str, states: list, execution: str,
                 resources: dict[str, float] | None) -> list[Any]:
    if execution == "lockstep":
        return [FoldRun(task, cfg, tr, va, metric, st) for (tr, va), st in zip(splits, states, strict=True)]
    import ray
    from ray.util.placement_group import get_current_placement_group
    from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy

    res = resources or {"CPU": 1.0, "GPU": 0.0}
    pg = get_current_placement_group()
    actor = ray.remote(FoldRun)
    runs = []
    for i, ((tr, va), st) in enumerate(zip(splits, states, strict=True)):
        options: dict[str, Any] = {"num_cpus": res.get("CPU", 1.0), "num_gpus": res.get("GPU", 0.0)}
        if pg is not None and len(pg.bundle_specs) > i + 1:  # the trial's bundle for this fold
            options["scheduling_strategy"] = PlacementGroupSchedulingStrategy(pg, placement_group_bundle_index=i + 1)
        runs.append(actor.options(**options).remote(task, cfg, tr, va, metric, st))
    return runs


def _call_all(runs: list[Any], method: str, execution: str, args: list[Any] | None = None) -> list[Any]:
    args = args if args is not None else [None] * len(runs)
    if execution == "lockstep":
        return [getattr(r, method)(*([] if a is None else [a])) for r, a in zip(runs, args, strict=True)]
    import ray

    return ray.get([getattr(r, method).remote(*([] if a is None else [a])) for r, a in zip(runs, args, strict=True)])


def trainable(params: dict[str, Any], task: Task, base: dict[str, Any], data: SweepData, metric: str,
              execution: str = "lockstep", fold_resources: dict[str, float] | None = None) -> None:
    """The Ray Tune function trainable (bound with ``tune.with_parameters``)."""
    from ray import tune
    from ray.tune import Checkpoint

    cfg = build_config(task, base, params)
    resume_dir = None
    restored = tune.get_checkpoint()
    holder = tempfile.TemporaryDirectory()  # lives as long as the trial's function
    if restored is not None:
        resume_dir = Path(restored.to_directory(str(Path(holder.name) / "restored")))
    pending: list[Callable[[Path], None]] = []

    def report(summary: dict[str, Any]) -> None:
        # Out-of-fold predictions so far, written before reporting: a trial stopped at this report
        # (ASHA, or the last epoch reaching max_t) never runs the code after it.
        oof = summary.pop("oof", None)
        if oof is not None and len(oof):
            from rayscore.tables import write_parquet

            write_parquet(oof, Path(tune.get_context().get_trial_dir()) / "oof.parquet")
        if pending:  # the states of this step go with this report
            folder = Path(tempfile.mkdtemp(dir=holder.name))
            pending.pop()(folder)
            tune.report(summary, checkpoint=Checkpoint.from_directory(str(folder)))
        else:
            tune.report(summary)

    cross_validate(task, cfg, data, report=report, metric=metric, execution=execution,
                   checkpoint=pending.append if task.progress_unit == "epoch" else None,
                   resume_dir=resume_dir, fold_resources=fold_resources, oof_in_reports=True)
