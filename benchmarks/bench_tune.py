"""Trials per minute of a drum-role sweep: cached features vs recomputing features in every trial.

Both sweeps are the same Ray Tune + Optuna sweep (same space, seed, folds,
FIFO scheduler so every trial runs every fold) in one process run; the
second one's task re-decodes and re-extracts the features of the rows it
scores, as a sweep without the embedding cache would.

    python benchmarks/bench_tune.py [--n 400] [--trials 12]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from rayscore.config import validate
from rayscore.pipeline.embed import FeatureCache
from rayscore.pipeline.runner import run_stages
from rayscore.tasks.drum_roles.synth import generate_corpus
from rayscore.tasks.drum_roles.task import DrumRolesTask, RoleNamer
from rayscore.tune.config import SweepConfig
from rayscore.tune.driver import run_sweep


class RecomputingDrumRoles(DrumRolesTask):
    """Drum roles that ignores cached features and computes them again when it predicts."""

    def predict(self, model, cfg, features):
        (dsp,) = [e for e in self.encoders(cfg) if e.name == "dsp"]
        fresh = run_stages(features.drop(columns=dsp.columns), dsp.stages, engine="local")
        return super().predict(model, cfg, fresh)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=400, help="generated one-shots")
    ap.add_argument("--trials", type=int, default=12)
    ap.add_argument("--out", type=Path, default=Path("runs/bench"))
    args = ap.parse_args()

    task = DrumRolesTask()
    corpus = args.out / f"tune_corpus_{args.n}"
    if not (corpus / "manifest.parquet").is_file():
        namer = RoleNamer(task.load_config().labels.name_to_role)
        generate_corpus(corpus, n=args.n, seed=0, labeler=namer, n_kits=5).write(corpus / "manifest.parquet")
    tune_dir = args.out / "tune"
    shutil.rmtree(tune_dir, ignore_errors=True)
    space = {f"fusion.role_bias.{r}": {"type": "uniform", "low": -1.0, "high": 1.0}
             for r in ["CORE", "ACCENT", "MOTION", "FILL", "TEXTURE"]}
    space["rule_scoring.temperature"] = {"type": "loguniform", "low": 0.05, "high": 0.5}

    def sweep(name: str) -> SweepConfig:
        return validate(SweepConfig, {
            "task": "drum_roles", "name": name, "overrides": ["fusion.alpha=1.0"],
            "data": {"input": str(corpus / "manifest.parquet")},
            "folds": {"k": 4, "strategy": "group"},
            "search": {"num_samples": args.trials, "max_concurrent": 2, "seed": 0},
            "scheduler": {"type": "fifo"}, "storage_path": str(tune_dir), "space": space,
        })

    cache = FeatureCache(args.out / "tune_cache")
    timings = {}
    for name, t in [("warmup", task), ("cached", task), ("recompute", RecomputingDrumRoles())]:
        start = time.perf_counter()
        run_sweep(sweep(name), cache=cache, task=t)  # warm-up fills the cache and starts Ray
        timings[name] = time.perf_counter() - start
    per_min = {k: 60 * args.trials / timings[k] for k in ("cached", "recompute")}
    result = {
        "rows": args.n, "trials": args.trials, "folds": 4,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "trials_per_minute_cached": round(per_min["cached"], 1),
        "trials_per_minute_recompute": round(per_min["recompute"], 1),
        "speedup": round(per_min["cached"] / per_min["recompute"], 2),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tune.json").write_text(json.dumps(result, indent=2))
    print(f"sweep of {args.trials} trials x 4 folds on {args.n} generated one-shots")
    print(f"cached features    : {per_min['cached']:6.1f} trials/min ({timings['cached']:.1f} s)")
    print(f"recompute per trial: {per_min['recompute']:6.1f} trials/min ({timings['recompute']:.1f} s)")
    print(f"speed-up           : {result['speedup']:.2f}x  -> {args.out / 'tune.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
