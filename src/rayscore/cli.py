"""``rayscore`` command line: each command parses options and calls one library function."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import typer

from rayscore.config import ConfigError
from rayscore.corpus.manifest import ManifestError
from rayscore.registry import RegistryError
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


def _engine(value: str) -> str:
    if value not in ("ray", "local"):
        raise typer.BadParameter(f"'{value}' is not one of 'ray', 'local'")
    return value


EngineOpt = Annotated[
    str, typer.Option(help="'ray' (Ray Data; RAY_ADDRESS or local) or 'local' (one process).", callback=_engine)
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", help="Registered model <task>:<version|alias> (instead of --config)."),
]
SplitOpt = Annotated[
    str | None, typer.Option(help="Only the manifest's rows of this split, e.g. 'test' (a competition's test/ pages).")
]
RegistryOpt = Annotated[
    Path | None, typer.Option(help="Model registry folder (default: $RAYSCORE_REGISTRY or ./models).")
]


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def _interrupted(message: str) -> None:
    """Exit 130 (128 + SIGINT) with one line, after letting Ray's workers go quietly."""
    import logging
    import os

    # Ray Data's streaming thread may still report metrics after the shutdown below and logs the
    # failure with a traceback (seen once in CI-like runs); the line below is all a user should see.
    logging.disable(logging.CRITICAL)
    if "ray" in sys.modules:
        import ray

        if ray.is_initialized():
            try:
                ray.shutdown()
            except BaseException:  # noqa: BLE001 - a second Ctrl+C while shutting down: just leave
                pass
    # Only now: Ray's core worker logs (C++, straight to stderr) until shutdown returns, and in CI
    # one such line landed after ours, so the line a user reads last was not the one that explains.
    sys.stdout.flush()
    typer.secho(f"interrupted: {message}", fg=typer.colors.YELLOW, err=True)
    sys.stderr.flush()
    # Interpreter teardown with Ray Data's streaming threads still alive can crash (SIGSEGV);
    # everything worth keeping is on disk, so leave without it.
    os._exit(130)


def _guard(fn):
    """Turn user errors (bad config, manifest, task name) into one line and exit code 2."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ConfigError, ManifestError, RegistryError, UnknownTaskError, FileNotFoundError,
                ConnectionError) as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _interrupted("stopped by Ctrl+C; outputs written so far are kept")

    return run


def _beside_line(beside: dict) -> str:
    """``beside references (protocol): model 0.7512 ± 0.0130 | tfidf_lr 0.5400 | ...``."""
    def one(name: str, v: object) -> str:
        if not isinstance(v, (int, float)):
            return f"{name} n/a"
        spread = beside.get(f"{name}_std")
        return f"{name} {v:.4f}" + (f" ± {spread:.4f}" if isinstance(spread, (int, float)) else "")

    return f"beside references ({beside.get('protocol', '')}): " + " | ".join(
        one(k, v) for k, v in beside.items() if k != "protocol" and not k.endswith("_std"))


def _config_or_model(task, config, overrides, model, registry):
    """The config to run with: a registered model's, or defaults < --config; then --set."""
    if model is None:
        return task.load_config(config, overrides or []), None
    if config is not None:
        _fail("give either --config or --model, not both (--set still applies to a model's config)")
    from rayscore.registry import ModelRegistry

    version = ModelRegistry(registry).resolve(model, task=task.name)
    typer.echo(f"model {version.ref} ({', '.join(version.aliases) or 'no alias'}) from {version.path}")
    cfg = task.load_config(version.config_path, overrides or [])
    from rayscore.pipeline.embed import drift_warning

    if warning := drift_warning(task, version, cfg):
        typer.echo(warning, err=True)
    return cfg, version


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
    from rayscore.pipeline.score import load_input

    t = get_task(task)
    manifest = load_input(t, t.load_config(config, overrides or []), source, fmt=fmt)
    manifest.write(out)
    labelled = int(manifest.df["label"].notna().sum())
    typer.echo(f"wrote {out}: {len(manifest)} rows, {labelled} labelled, root {manifest.root}")


@app.command("generate")
@_guard
def generate_cmd(
    task: TaskArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the corpus into.")],
    n: Annotated[int, typer.Option("--n", min=1, help="Number of items.")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    config: ConfigOpt = None,
    overrides: SetOpt = None,
) -> None:
    """Generate a synthetic corpus for TASK (and its manifest.parquet)."""
    from rayscore.pipeline.score import output_folder

    t = get_task(task)
    output_folder(out, "--out")
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
    model: ModelOpt = None,
    registry: RegistryOpt = None,
    split: SplitOpt = None,
) -> None:
    """Score a corpus with TASK: predictions (Parquet + CSV), errors.parquet, task outputs."""
    from rayscore.pipeline.score import score, summary_line

    t = get_task(task)
    cfg, version = _config_or_model(t, config, overrides, model, registry)
    result = score(t, cfg, input, output, engine=engine, model=version, split=split)
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
    model: ModelOpt = None,
    registry: RegistryOpt = None,
    split: SplitOpt = None,
) -> None:
    """Score a labelled corpus and report accuracy, macro-F1, per-class scores, confusion matrix."""
    from rayscore.pipeline.evaluate import evaluate, metrics_text
    from rayscore.pipeline.score import summary_line

    t = get_task(task)
    cfg, version = _config_or_model(t, config, overrides, model, registry)
    metrics, result = evaluate(t, cfg, input, output, engine=engine, model=version, split=split)
    typer.echo(summary_line(result.summary))
    typer.echo(metrics_text(metrics))
    if "references" in metrics:
        typer.echo(_beside_line(metrics["references"]))
    rows = metrics["rows"]
    if rows["without_known_label"]:
        unknown = f", {rows['unknown_label']} of them with a label {task} does not know" if rows["unknown_label"] else ""
        typer.secho(f"not judged: {rows['without_known_label']} scored rows{unknown}; reasons in "
                    f"{output / 'unjudged.csv'}", fg=typer.colors.YELLOW)
    shown = [f"{name}: {output / f}" for name, f in (("metrics", "metrics.json"), ("report", "report.html"),
             ("confusion matrix", "confusion_matrix.png"), ("ROC curves", "roc_curves.png")) if (output / f).is_file()]
    typer.echo("  ".join(shown))


@app.command("stack")
@_guard
def stack_cmd(
    task: TaskArg,
    oof: Annotated[list[Path], typer.Option("--oof", help="A model's out-of-fold predictions (a sweep's oof.parquet); repeat per model.")],
    predictions: Annotated[list[Path], typer.Option("--predictions", "-p", help="The same model's predictions.parquet on the rows to stack (same order as --oof).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path("runs/stack"),
    feature: Annotated[str, typer.Option(help="Meta-model features: proba, logproba or both.")] = "both",
    cv_k: Annotated[int, typer.Option(help="Inner CV folds choosing the meta-model's C (macro-F1).")] = 5,
    config: ConfigOpt = None,
    overrides: SetOpt = None,
) -> None:
    """Stack models: a logistic-regression meta-model on their out-of-fold probabilities (and their geometric mean)."""
    from rayscore.stacking import stack

    if feature not in ("proba", "logproba", "both"):
        _fail(f"--feature '{feature}' is not one of proba, logproba, both")
    for path in [*oof, *predictions]:
        if not path.is_file():
            _fail(f"no such file: {path}")
    t = get_task(task)
    result = stack(t, t.load_config(config, overrides or []), oof, predictions, output, feature, cv_k)  # type: ignore[arg-type]
    typer.echo(f"meta-model C={result['c']}: inner-CV macro-F1 {result['cv_macro_f1']:.4f}; out-of-fold macro-F1 of "
               + ", ".join(f"{Path(k).parent.name or k} {v:.4f}" for k, v in result["oof_macro_f1"].items())
               + f"; geometric mean {result['oof_geomean_macro_f1']:.4f}")
    for name, files in result["outputs"].items():
        typer.echo(f"{name}: " + "  ".join(f"{k} {v}" for k, v in files.items()))


@app.command("embed")
@_guard
def embed_cmd(
    task: TaskArg,
    input: Annotated[Path, typer.Option("--input", "-i", help="Folder or .parquet manifest.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write features.parquet here.")] = None,
    config: ConfigOpt = None,
    overrides: SetOpt = None,
    engine: EngineOpt = "ray",
) -> None:
    """Compute TASK's encoder outputs for a corpus into the feature cache (once per content)."""
    from rayscore.corpus.manifest import root_metadata
    from rayscore.pipeline.embed import FeatureCache, embed
    from rayscore.pipeline.score import load_input, output_folder
    from rayscore.tables import write_parquet

    t = get_task(task)
    cfg = t.load_config(config, overrides or [])
    t.preflight(cfg)
    cache = FeatureCache.default()
    if output is not None:
        output_folder(output)
    manifest = load_input(t, cfg, input)
    result = embed(t, cfg, manifest, cache=cache, engine=engine)
    for name, s in result.stats.items():
        typer.echo(f"{name:<8} cached {s['cached']}  computed {s['computed']}  failed {s['failed']}")
    typer.echo(f"rows in {len(result.frame)} = ok {len(result.ok)} + errored {len(result.errors)}; cache {cache.root}")
    if output is not None:
        private = [c for c in result.frame if c.startswith("_")]
        write_parquet(result.ok.drop(columns=private), output / "features.parquet")
        write_parquet(result.errors.drop(columns=private), output / "errors.parquet", root_metadata(manifest.root))
        typer.echo(f"wrote {output / 'features.parquet'} and {output / 'errors.parquet'}")


@app.command("tune")
@_guard
def tune_cmd(
    task: TaskArg,
    config: Annotated[Path, typer.Option("--config", "-c", help="Sweep YAML (configs/tune/<task>.yaml).")],
    overrides: SetOpt = None,
    resume: Annotated[bool, typer.Option(help="Continue an interrupted sweep of the same name.")] = False,
) -> None:
    """Search TASK's hyperparameters: Ray Tune + Optuna TPE + ASHA over CV folds."""
    from rayscore.tune.driver import SweepInterrupted, SweepSet, load_sweep, run_sweeps

    sweep = load_sweep(config, overrides or [])
    if sweep.task != task:
        _fail(f"{config} is a sweep of '{sweep.task}', not '{task}'")
    try:
        result = run_sweeps(sweep, resume=resume, progress=typer.echo)
    except SweepInterrupted as exc:
        _interrupted(str(exc))
    if isinstance(result, SweepSet):
        for value, res in result.results.items():
            typer.echo(f"{sweep.data.per}={value}:")
            _print_sweep(res)
        if result.best_config_path:
            typer.echo(f"combined best config: {result.best_config_path}")
        typer.echo(f"sweep set: {result.run_dir}")
        return
    _print_sweep(result)


def _print_sweep(result) -> None:
    best, metric = result.best, result.metric
    typer.echo(f"trials: {len(result.trials)}  best {metric}: {best[metric]:.4f} ± {best[metric + '_std']:.4f} "
               f"(trial {best['trial_id']})")
    start = result.trials[result.trials["start_config"]]
    if len(start):
        typer.echo(f"start config {metric} (CV): {float(start[metric].iloc[0]):.4f}")
    if result.references:
        typer.echo("references (same folds): " + ", ".join(
            f"{name} {r[metric]:.4f} ± {r[metric + '_std']:.4f}" for name, r in result.references.items()))
    if result.holdout:
        h = result.holdout
        refs = ", ".join(f"{n} {m.get(metric, float('nan')):.4f}" for n, m in h.get("references", {}).items())
        typer.echo(f"hold-out ({h['rows']} rows; {', '.join(h['groups'])}): start {h['start'][metric]:.4f} "
                   f"-> best {h['best'][metric]:.4f}" + (f" | references: {refs}" if refs else ""))
    typer.echo(f"best config: {result.best_config_path}\nreport: {result.report_path}\n"
               f"trials: {result.run_dir / 'trials.parquet'}")


@app.command("train")
@_guard
def train_cmd(
    task: TaskArg,
    input: Annotated[list[Path] | None, typer.Option(
        "--input", "-i", help="Labelled folder or manifest (repeat to join several sources).")] = None,
    config: ConfigOpt = None,
    overrides: SetOpt = None,
    sweep: Annotated[Path | None, typer.Option(help="A sweep folder: train its best config on its data.")] = None,
    promote: Annotated[str | None, typer.Option(help="Also point this alias at the new version.")] = None,
    registry: RegistryOpt = None,
    engine: EngineOpt = "ray",
    ensemble: Annotated[str | None, typer.Option(
        help="With --sweep: register its fold models as one ensemble, mean_proba or mean_logits.")] = None,
) -> None:
    """Fit TASK on all labelled data (or a sweep's folds, as an ensemble) and register a model version."""
    from rayscore.pipeline.train import train, train_ensemble
    from rayscore.registry import ModelRegistry

    reg = ModelRegistry(registry)
    t = get_task(task)
    if ensemble is not None:
        if sweep is None or ensemble not in ("mean_proba", "mean_logits"):
            _fail("--ensemble needs --sweep, and is mean_proba or mean_logits")
        version = train_ensemble(t, sweep, ensemble, reg, engine=engine)
    else:
        version = train(t, config, overrides or [], input or None, sweep, reg, engine=engine)
    from rayscore.pipeline.train import metric_text

    metric = metric_text(version.metrics().get(t.metric))
    typer.echo(f"registered {version.ref} at {version.path} ({t.metric} on its data: {metric})")
    beside = version.metrics().get("beside_references") or {}
    if "model" in beside:  # the fit on its own data flatters; this is the figure to expect
        typer.echo(_beside_line(beside))
    if promote:
        reg.promote(task, version.version, promote)
        typer.echo(f"{task}:{promote} -> v{version.version}")


models_app = typer.Typer(help="The model registry: list, promote, show.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
@_guard
def models_list(
    task: Annotated[str | None, typer.Argument(help="Only this task.")] = None, registry: RegistryOpt = None
) -> None:
    """List registered versions with their aliases and headline metric (and features that changed since)."""
    from rayscore.pipeline.embed import stale_features
    from rayscore.registry import ModelRegistry

    reg = ModelRegistry(registry)
    versions = reg.all(task)
    if not versions:
        typer.echo(f"no models in {reg.root}")
    for v in versions:
        task = get_task(v.task)
        value = v.metrics().get(task.metric)
        shown = f"{task.metric} {value:.4f}" if isinstance(value, float) else ""
        aliases = f" [{', '.join(v.aliases)}]" if v.aliases else ""
        drift = stale_features(task, v)
        stale = f"  features changed: {'; '.join(drift)}" if drift else ""
        typer.echo(f"{v.ref:<20}{aliases:<16} {v.meta.get('created', '')}  {shown}{stale}")


@models_app.command("promote")
@_guard
def models_promote(
    task: TaskArg,
    version: Annotated[int, typer.Argument(help="Version number.")],
    alias: Annotated[str, typer.Option(help="Alias to point at it.")] = "production",
    registry: RegistryOpt = None,
) -> None:
    """Point ALIAS (default: production) at TASK's VERSION."""
    from rayscore.registry import ModelRegistry

    v = ModelRegistry(registry).promote(task, version, alias)
    typer.echo(f"{task}:{alias} -> v{v.version} ({v.path})")


@models_app.command("show")
@_guard
def models_show(
    ref: Annotated[str, typer.Argument(help="<task>:<version|alias>")], registry: RegistryOpt = None
) -> None:
    """Print a version's model card."""
    from rayscore.registry import ModelRegistry

    v = ModelRegistry(registry).resolve(ref)
    typer.echo((v.path / "MODEL_CARD.md").read_text())


@app.command("runs")
@_guard
def runs_cmd(root: Annotated[Path, typer.Argument(help="Folder holding runs.")] = Path("runs")) -> None:
    """List score/evaluate runs and sweeps under ROOT with their headline numbers."""
    import json

    found = 0
    for summary in sorted(root.rglob("summary.json")):
        d = json.loads(summary.read_text())
        folder = summary.parent
        if (folder / "sweep.yaml").is_file():
            best = d.get("best", {})
            metric = d.get("metric", "")
            line = f"sweep   {d.get('task', '?'):<12} {d.get('trials', '?')} trials, best {metric} {best.get(metric, float('nan')):.4f}"
        elif "rows_in" in d:
            metrics = folder / "metrics.json"
            extra = ""
            if metrics.is_file():
                m = json.loads(metrics.read_text())
                extra = f", macro-F1 {m['macro_f1']:.4f}" if "macro_f1" in m else ""
            line = (f"score   {d.get('task', '?'):<12} {d['rows_in']} rows = {d['rows_ok']} ok + "
                    f"{d['rows_error']} errors{extra}")
        else:
            continue
        found += 1
        typer.echo(f"{line:<72} {folder}")
    if not found:
        typer.echo(f"no runs under {root}")


@app.command("serve")
@_guard
def serve_cmd(
    config: Annotated[Path, typer.Option("--config", "-c", help="Ray Serve config file.")] = Path("configs/serve.yaml"),
    host: Annotated[str | None, typer.Option(help="Bind address (default: the config's, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: the config's, 8000).")] = None,
    registry: RegistryOpt = None,
) -> None:
    """Start the Serve application of CONFIG locally (RAY_ADDRESS: on that cluster) and block."""
    from rayscore.serving.launch import serve_forever

    serve_forever(config, host=host, port=port, registry=registry, echo=typer.echo)


@app.command("qa")
@_guard
def qa_cmd(
    task: TaskArg,
    input: Annotated[Path, typer.Option("--input", "-i", help="Package folder or .parquet manifest.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where the QA report goes.")] = Path("runs/qa"),
    config: ConfigOpt = None,
    overrides: SetOpt = None,
    engine: EngineOpt = "ray",
) -> None:
    """Check a corpus against TASK's data contract and say what to fix (report + issues CSV)."""
    from rayscore.pipeline.score import load_input

    t = get_task(task)
    cfg = t.load_config(config, overrides or [])
    try:
        result = t.qa(load_input(t, cfg, input), cfg, output, engine=engine)
    except NotImplementedError as exc:
        _fail(str(exc))
    s, issues = result["summary"], result["issues"]
    typer.echo(f"{s['clips']} clips ({s['readable']} readable), {s['assets']} assets: "
               f"{s['errors']} errors, {s['warnings']} warnings, {s['notes']} notes"
               + ("" if s["ready"] else "  -- fix the errors before training"))
    for row in issues.drop_duplicates(["level", "check"]).head(12).to_dict("records"):
        n = int(((issues["level"] == row["level"]) & (issues["check"] == row["check"])).sum())
        typer.echo(f"  {row['level']:<8}{row['check']:<14}x{n:<4} {row['detail'][:60]:<60}  fix: {row['fix']}")
    typer.echo(f"report: {result['report']}")


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


def main() -> None:
    """The console entry: usage mistakes are one line and exit 2, like every other user error."""
    try:  # typer >= 0.20 vendors click; older ones use click itself
        from typer._click.exceptions import UsageError
    except ImportError:  # pragma: no cover
        from click.exceptions import UsageError

    try:
        code = app(standalone_mode=False)
    except UsageError as exc:
        where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        typer.secho(f"error: {exc.format_message()}{where}", fg=typer.colors.RED, err=True)
        sys.exit(2)
    except typer.Abort:
        typer.secho("interrupted", fg=typer.colors.YELLOW, err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
