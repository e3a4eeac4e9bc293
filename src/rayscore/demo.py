"""``rayscore demo``: the main job end to end on the embedded local Ray."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rayscore.pipeline.evaluate import evaluate, metrics_text
from rayscore.pipeline.score import summary_line
from rayscore.tasks import get_task


def run_demo(
    task_name: str,
    out_dir: str | Path,
    config: str | Path | None = None,
    overrides: list[str] | None = None,
    echo: Callable[[str], Any] = print,
) -> dict[str, Any]:
    """Import the task's demo corpus (training a model first when scoring needs one), score it on
    Ray Data, evaluate it, say where it all is."""
    task = get_task(task_name)
    out = Path(out_dir)
    cfg = task.load_config(config, overrides or [])
    extra, why = task.demo_overrides(cfg)
    if extra:
        echo(f"note: {why}")
        cfg = task.load_config(config, [*extra, *(overrides or [])])
    manifest, what = task.demo_corpus(out, cfg)
    echo(f"corpus: {what}")
    manifest.write(out / "manifest.parquet")
    model = None
    if task.needs_model:  # fit one first, on data the scored corpus does not contain
        from rayscore.pipeline.train import train
        from rayscore.registry import ModelRegistry

        train_set, what = task.demo_training_corpus(out, cfg, manifest)
        echo(f"training on {what} ...")
        model = train(task, overrides=[*extra, *(overrides or [])], config=config, source=train_set,
                      registry=ModelRegistry(out / "models"))
        echo(f"registered {model.ref} in {out / 'models'}")
    metrics, result = evaluate(task, cfg, manifest, out, model=model)
    echo(summary_line(result.summary))
    echo(metrics_text(metrics))
    echo(f"outputs in {out}/:")
    for name in ("predictions.parquet", "predictions.csv", "errors.parquet", "metrics.json",
                 "confusion_matrix.png", "report.html", "summary.json"):
        echo(f"  {out / name}")
    for name, path in result.outputs.items():
        if path.name not in {"predictions.parquet", "predictions.csv", "errors.parquet",
                             "summary.json", "config.yaml"}:
            echo(f"  {path}  ({name})")
    task.demo_after(out, cfg, echo)
    return metrics
