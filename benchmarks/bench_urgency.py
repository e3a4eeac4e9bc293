"""W1: urgency tuned on one generated seed, judged on calls of seeds never tuned on.

Calls come from the fact-based generator (levels follow negations and qualifiers, arousal
only loosely follows urgency, phone band and noise, 5 % label noise). The sweep
(`configs/tune/urgency.yaml`: linear vs the seed's fusion network) runs on the tuning seed's
calls; then the seed's architecture (fusion with the seed's defaults), the default linear model,
the sweep's winner and the references are fitted on the same training calls and scored on the
held-out seeds' calls.

    python benchmarks/bench_urgency.py [--trials 30] [--n 360] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=30)
    ap.add_argument("--n", type=int, default=360, help="calls per seed")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="the first is trained and tuned on")
    ap.add_argument("--out", type=Path, default=Path("runs/bench/urgency"))
    args = ap.parse_args()

    from rayscore.corpus.manifest import Manifest
    from rayscore.pipeline.embed import FeatureCache, embed
    from rayscore.references import fit_references, score_references
    from rayscore.runtime import init_ray
    from rayscore.tasks import get_task
    from rayscore.tune.driver import load_sweep, run_sweep
    from rayscore.tune.trial import last_model

    task = get_task("urgency")
    out = args.out.absolute()
    cache = FeatureCache(out / "cache")
    init_ray()

    def calls(seed: int) -> Manifest:
        folder = out / f"calls_seed{seed}"
        if not (folder / "manifest.parquet").is_file():
            task.generate(folder, args.n, seed, task.load_config()).write(folder / "manifest.parquet")
        return Manifest.read(folder / "manifest.parquet")

    train_seed, held = args.seeds[0], args.seeds[1:]
    train_calls = calls(train_seed)
    sweep = load_sweep(Path(__file__).parent.parent / "configs/tune/urgency.yaml", [
        f"data.input={train_calls.root}", f"search.num_samples={args.trials}", f"storage_path={out / 'tune'}",
        f"name=urgency_seed{train_seed}"])
    start = time.perf_counter()
    result = run_sweep(sweep, resume=(out / "tune" / sweep.name / "summary.json").is_file(), cache=cache)
    sweep_s = time.perf_counter() - start
    configs = {"seed architecture (fusion)": task.load_config(overrides=["model.kind=fusion"]),
               "default (linear)": task.load_config(),
               "tuned (sweep winner)": task.load_config(result.best_config_path)}

    scores: dict[str, dict[int, float]] = {}
    for name, cfg in configs.items():
        rows = embed(task, cfg, train_calls, cache=cache).ok
        rows = rows[rows["label"].isin(task.label_names(cfg))].reset_index(drop=True)
        model = last_model(task.fit(cfg, rows))
        refs = fit_references(task, cfg, rows) if name == "default (linear)" else []
        for seed in held:
            test = embed(task, cfg, calls(seed), cache=cache).ok
            test = test[test["label"].isin(task.label_names(cfg))].reset_index(drop=True)
            scores.setdefault(name, {})[seed] = task.evaluate(task.predict(model, cfg, test), cfg)["macro_f1"]
            for ref, m in score_references(task, cfg, refs, test).items():
                scores.setdefault(f"reference: {ref}", {})[seed] = m["macro_f1"]

    report = {"sweep": {"trials": len(result.trials), "seconds": round(sweep_s, 1), "cv_macro_f1": result.best["macro_f1"],
                        "cv_std": result.best["macro_f1_std"], "best_params": result.best["params"],
                        "references_cv": {k: v["macro_f1"] for k, v in result.references.items()}},
              "held_out": {name: {"per_seed": s, "mean": float(np.mean(list(s.values()))),
                                  "std": float(np.std(list(s.values())))} for name, s in scores.items()}}
    out.mkdir(parents=True, exist_ok=True)
    (out / "urgency.json").write_text(json.dumps(report, indent=2, default=str))
    print(f"sweep on seed {train_seed}: {len(result.trials)} trials in {sweep_s:.0f} s, CV macro-F1 "
          f"{result.best['macro_f1']:.3f} ± {result.best['macro_f1_std']:.3f}; winner {result.best['params']}")
    print(f"macro-F1 on calls of seeds {held} (never tuned on), trained on {len(train_calls)} calls of seed {train_seed}:")
    for name, r in report["held_out"].items():
        per = "  ".join(f"seed {k}: {v:.3f}" for k, v in r["per_seed"].items())
        print(f"  {name:<28} {r['mean']:.3f} ± {r['std']:.3f}   ({per})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
