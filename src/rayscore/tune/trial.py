"""One tuning trial = the task's own fit/predict, cross-validated, reported step by step.

A step is a fold for tasks whose fit is cheap (ASHA can drop a bad trial after
its first folds) and an epoch for neural tasks (all folds train in lockstep
and the mean validation score is reported after every epoch).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


def _score(task: Task, model: Any, cfg: Any, valid: pd.DataFrame, metric: str) -> float:
    value = task.evaluate(task.predict(model, cfg, valid), cfg).get(metric)
    if value is None:
        raise ValueError(f"metric '{metric}' is undefined on this fold (e.g. no anomalies to rank)")
    return float(value)


def last_model(models: Iterator[Any]) -> Any:
    """Run a fit to the end and keep what it yielded last."""
    tail = deque(models, maxlen=1)
    return tail[0] if tail else None


def cross_validate(
    task: Task, cfg: Any, data: SweepData, report: Report | None = None, metric: str | None = None
) -> dict[str, Any]:
    """Mean, spread and per-fold scores of ``cfg``; ``report`` is called after every step."""
    metric = metric or task.metric
    feats = data.features(task.encoders(cfg))
    splits = [(feats.iloc[tr], feats.iloc[va]) for tr, va in data.folds]
    if task.progress_unit == "fold":
        scores: list[float] = []
        for train, valid in splits:
            scores.append(_score(task, last_model(task.fit(cfg, train, valid)), cfg, valid, metric))
            summary = _summary(metric, scores)
            if report:
                report(summary)
        return summary
    runs = [task.fit(cfg, train, valid) for train, valid in splits]
    latest: list[float | None] = [None] * len(runs)
    epoch = 0
    while True:
        progressed = False
        for i, (run, (_, valid)) in enumerate(zip(runs, splits, strict=True)):
            model = next(run, None)
            if model is not None:
                latest[i] = _score(task, model, cfg, valid, metric)
                progressed = True
        if not progressed:
            return summary
        epoch += 1
        summary = _summary(metric, [s for s in latest if s is not None]) | {"epoch": epoch}
        if report:
            report(summary)


def trainable(params: dict[str, Any], task: Task, base: dict[str, Any], data: SweepData, metric: str) -> None:
    """The Ray Tune function trainable (bound with ``tune.with_parameters``)."""
    from ray import tune

    cfg = build_config(task, base, params)
    cross_validate(task, cfg, data, report=tune.report, metric=metric)
