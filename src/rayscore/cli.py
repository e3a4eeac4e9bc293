"""``rayscore`` command line: each command parses options and calls one library function."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import typer

from rayscore.config import ConfigError
from rayscore.corpus.manifest import ManifestError
from rayscore.tasks import UnknownTaskError, get_task, list_tasks

app = typer.Typer(
    help="Ray-based batch scoring, tuning and serving. Runs on RAY_ADDRESS, or an embedded local Ray.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

TaskArg = Annotated[str, typer.Argument(help="Task name (see `rayscore tasks`).")]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Task YAML (default: the task's built-in defaults)."),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", help="Override a config key, e.g. --set fusion.alpha=0.8 (repeatable)."),
]
EngineOpt = Annotated[
    str, typer.Option(help="'ray' (Ray Data; RAY_ADDRESS or local) or 'local' (one process).")
]


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def _guard(fn):
    """Turn user errors (bad config, manifest, task name) into one line and exit code 2."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ConfigError, ManifestError, UnknownTaskError, FileNotFoundError, ConnectionError) as exc:
            _fail(str(exc))

    return run


@app.command("tasks")
def tasks_cmd() -> None:
    """List the registered tasks."""
    for name in list_tasks():
        typer.echo(name)


@app.command("config")
@_guard
def config_cmd(task: TaskArg, config: ConfigOpt = None, overrides: SetOpt = None) -> None:
    """Print the resolved config of TASK as YAML (defaults < --config < --set)."""
    import yaml

    cfg = get_task(task).load_config(config, overrides or [])
    typer.echo(yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False, allow_unicode=True))


@app.command("import")
@_guard
def import_cmd(
    task: TaskArg,
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="Source format, e.g. folder, hydrogen.")],
    source: Annotated[Path, typer.Argument(help="Folder or file to import.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Manifest to write (.parquet).")],
    config: ConfigOpt = None,
    overrides: SetOpt = None,
) -> None:
    """Import SOURCE in FORMAT into a Parquet manifest for TASK."""
    t = get_task(task)
    importers = t.importers()
    if fmt not in importers:
        _fail(f"unknown format '{fmt}' for {task}; valid formats: {', '.join(sorted(importers))}")
    manifest = importers[fmt](source, t.load_config(config, overrides or []))
    manifest.write(out)
    labelled = int(manifest.df["label"].notna().sum())
    typer.echo(f"wrote {out}: {len(manifest)} rows, {labelled} labelled, root {manifest.root}")


@app.command("generate")
@_guard
def generate_cmd(
    task: TaskArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the corpus into.")],
    n: Annotated[int, typer.Option("--n", help="Number of items.")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    config: ConfigOpt = None,
    overrides: SetOpt = None,
) -> None:
    """Generate a synthetic corpus for TASK (and its manifest.parquet)."""
    t = get_task(task)
    manifest = t.generate(out, n, seed, t.load_config(config, overrides or []))
    path = manifest.write(out / "manifest.parquet")
    typer.echo(f"wrote {len(manifest)} items and {path}")


@app.command("score")
@_guard
def score_cmd(
    task: TaskArg,
    input: Annotated[Path, typer.Option("--input", "-i", help="Folder or .parquet manifest.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")],
    config: ConfigOpt = None,
    overrides: SetOpt = None,
    engine: EngineOpt = "ray",
) -> None:
    """Score a corpus with TASK: predictions (Parquet + CSV), errors.parquet, task outputs."""
    from rayscore.pipeline.score import score, summary_line

    t = get_task(task)
    result = score(t, t.load_config(config, overrides or []), input, output, engine=engine)
    typer.echo(summary_line(result.summary))
    for name, path in result.outputs.items():
        typer.echo(f"  {name:<16} {path}")


@app.command("evaluate")
@_guard
def evaluate_cmd(
    task: TaskArg,
    input: Annotated[Path, typer.Option("--input", "-i", help="Labelled .parquet manifest or folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path("runs/evaluate"),
    config: ConfigOpt = None,
    overrides: SetOpt = None,
    engine: EngineOpt = "ray",
) -> None:
    """Score a labelled corpus and report accuracy, macro-F1, per-class scores, confusion matrix."""
    from rayscore.pipeline.evaluate import evaluate, metrics_text
    from rayscore.pipeline.score import summary_line

    t = get_task(task)
    metrics, result = evaluate(t, t.load_config(config, overrides or []), input, output, engine=engine)
    typer.echo(summary_line(result.summary))
    typer.echo(metrics_text(metrics))
    typer.echo(f"metrics: {output / 'metrics.json'}  report: {output / 'report.html'}  "
               f"confusion matrix: {output / 'confusion_matrix.png'}")


@app.command("demo")
@_guard
def demo_cmd(
    task: Annotated[str, typer.Argument(help="Task to demo.")] = "drum_roles",
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path("runs/demo"),
    config: ConfigOpt = None,
    overrides: SetOpt = None,
) -> None:
    """Run TASK's main job end to end on the embedded local Ray (or RAY_ADDRESS)."""
    from rayscore.demo import run_demo

    run_demo(task, output, config, overrides or [], echo=typer.echo)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
