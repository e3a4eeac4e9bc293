"""The sweep report: optimisation history, parameter importances, best trial's folds (PNG in HTML)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rayscore.report.html import image, table, write_report
from rayscore.report.plots import pyplot, save_figure

if TYPE_CHECKING:
    from rayscore.tasks.base import Task
    from rayscore.tune.config import SweepConfig
    from rayscore.tune.driver import SweepResult


def history_png(trials, metric: str, mode: str, path: Path) -> Path:
    plt = pyplot()
    done = trials[trials[metric].notna()].reset_index(drop=True)
    values = done[metric].to_numpy(dtype=float)
    full = done["full"].to_numpy(dtype=bool)
    # Best so far among trials that saw every fold: early-stopped means are not comparable.
    worst = -np.inf if mode == "max" else np.inf
    acc = np.maximum.accumulate if mode == "max" else np.minimum.accumulate
    best = acc(np.where(full, values, worst))
    best[~np.isfinite(best)] = np.nan
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.scatter(np.flatnonzero(full), values[full], s=18, label="trial (all folds)")
    ax.scatter(np.flatnonzero(~full), values[~full], s=18, marker="x", label="stopped early by ASHA")
    ax.plot(best, color="tab:red", label="best so far")
    if done["start_config"].any():
        i = int(np.flatnonzero(done["start_config"].to_numpy())[0])
        ax.axhline(values[i], color="gray", ls="--", lw=1, label="start config")
    ax.set_xlabel("trial (completion order)")
    ax.set_ylabel(f"{metric} (mean over folds)")
    ax.legend(fontsize=8)
    return save_figure(fig, path, "Optimisation history")


def importance_png(storage_url: str, study_name: str, path: Path) -> Path | None:
    """Optuna's fANOVA importances of the study as stored (None with too few trials)."""
    import optuna

    try:
        study = optuna.load_study(study_name=study_name, storage=storage_url)
        importances = optuna.importance.get_param_importances(study)
    except (RuntimeError, ValueError):
        return None
    plt = pyplot()
    names = list(importances)[:20][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(names) + 1.2))
    ax.barh(names, [importances[n] for n in names])
    ax.set_xlabel("importance (fANOVA)")
    return save_figure(fig, path, "Parameter importances")


def folds_png(folds: list[float], metric: str, path: Path) -> Path:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.bar([f"fold {i}" for i in range(len(folds))], folds)
    ax.axhline(float(np.mean(folds)), color="tab:red", lw=1, label=f"mean {np.mean(folds):.3f}")
    ax.set_ylabel(metric)
    ax.legend(fontsize=8)
    return save_figure(fig, path, "Best trial per fold")


def write_sweep_report(result: SweepResult, task: Task, sweep: SweepConfig) -> Path:
    metric = result.metric
    trials = result.trials.copy()
    trials["full"] = trials["steps"] >= result.full_steps
    plots = result.run_dir / "plots"
    plots.mkdir(exist_ok=True)
    sections: list[tuple[str, str]] = []
    best = result.best
    start = trials[trials["start_config"]]
    summary: list[dict[str, Any]] = [
        {"": "trials", "value": len(trials)},
        {"": f"best {metric} (CV mean)", "value": best[metric]},
        {"": f"best {metric} (CV std)", "value": best[f"{metric}_std"]},
    ]
    if len(start):
        summary.append({"": f"start config {metric} (CV mean)", "value": float(start[metric].iloc[0])})
    for name in ("start", "best"):
        if name in result.holdout:
            summary.append({"": f"{name} config {metric} on hold-out", "value": result.holdout[name].get(metric)})
    sections.append(("Summary", table(summary)))
    beside = [{"": "best trial (the model)", f"{metric} mean": best[metric], f"{metric} std": best[f"{metric}_std"]}]
    beside += [{"": f"reference: {name}", f"{metric} mean": r[metric], f"{metric} std": r[f"{metric}_std"]}
               for name, r in result.references.items()]
    for name, m in result.holdout.get("references", {}).items():
        beside.append({"": f"reference: {name} (hold-out)", f"{metric} mean": m.get(metric), f"{metric} std": None})
    sections.append(("Model beside simple references (same folds)", table(beside)))
    if result.holdout:
        groups = ", ".join(map(str, result.holdout.get("groups", [])))
        sections.append(("Hold-out", f"<p>{result.holdout['rows']} rows from groups: {groups}</p>"))
    sections.append(("Optimisation history", image(history_png(trials, metric, result.mode,
                                                                plots / "history.png"))))
    from rayscore.tune.driver import storage_url

    imp = importance_png(storage_url(sweep), sweep.search.study_name or sweep.name, plots / "importance.png")
    if imp is not None:
        sections.append(("Parameter importances", image(imp)))
    if best["folds"]:
        sections.append(("Best trial per fold", image(folds_png(best["folds"], metric, plots / "best_folds.png"))))
    sections.append(("Best parameters", table([{"parameter": k, "value": v} for k, v in best["params"].items()])))
    top = trials.sort_values(metric, ascending=result.mode == "min").head(15)
    cols = ["trial_id", "status", "steps", metric, f"{metric}_std", "start_config"]
    sections.append(("Top trials", table(top[cols].to_dict("records"))))
    return write_report(result.run_dir / "report.html", f"{task.name} sweep: {sweep.name}", sections)
