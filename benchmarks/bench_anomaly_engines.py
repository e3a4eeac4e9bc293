"""W4: each engine and the tuned config, beside the references, on packages the tuning never saw.

Packages are generated in the DCASE layout from real machine recordings when Debian's
openttd-opensfx is installed (`make debs-bench`), with domain shift (speed, microphone
colour and resonance, background) and five kinds of fault, three target normals per asset.
The offline sweep (`configs/tune/anomaly_offline.yaml`, per machine type) runs on the
tuning seed's package; every engine, `auto`, the tuned config and the references are then
fitted on each held-out package's training normals (as ALP onboards a new customer) and
scored on its test split with the official DCASE score (harmonic mean of AUCs and pAUC).

    python benchmarks/bench_anomaly_engines.py [--seeds 1 2 3 4] [--trials 30]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

SEED_TOY = {"A": 0.665, "B": 0.55, "C": 0.425}  # seed 003's toy run, macro AUC


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4], help="the first is tuned on")
    ap.add_argument("--trials", type=int, default=30, help="sweep trials per machine type (0: no sweep)")
    ap.add_argument("--out", type=Path, default=Path("runs/bench/anomaly"))
    args = ap.parse_args()

    from rayscore.corpus.manifest import Manifest
    from rayscore.pipeline.embed import FeatureCache, embed
    from rayscore.references import fit_references, score_references
    from rayscore.runtime import init_ray
    from rayscore.tasks import get_task
    from rayscore.tune.driver import load_sweep, run_sweeps
    from rayscore.tune.trial import last_model

    task = get_task("anomaly")
    out = args.out.absolute()
    cache = FeatureCache(out / "cache")
    init_ray()

    def package(seed: int) -> Manifest:
        folder = out / f"dcase_seed{seed}"
        if not (folder / "manifest.parquet").is_file():
            cfg = task.load_config(overrides=["generator.layout=dcase"])
            task.generate(folder, 400, seed, cfg).write(folder / "manifest.parquet")
        return Manifest.read(folder / "manifest.parquet")

    tune_seed, held = args.seeds[0], args.seeds[1:]
    configs = {f"engine {e}": task.load_config(overrides=[f"engine={e}"]) for e in ("A", "B", "C", "D")}
    configs["auto (default)"] = task.load_config()
    sweep_s = 0.0
    if args.trials:
        pkg = package(tune_seed)
        sweep = load_sweep(Path(__file__).parent.parent / "configs/tune/anomaly_offline.yaml", [
            f"data.input={pkg.root}", "data.format=dcase", f"search.num_samples={args.trials}",
            f"storage_path={out / 'tune'}", f"name=anomaly_seed{tune_seed}"])
        start = time.perf_counter()
        result = run_sweeps(sweep, resume=(out / "tune" / sweep.name / "sweeps.json").is_file(), cache=cache)
        sweep_s = time.perf_counter() - start
        configs["tuned per machine"] = task.load_config(result.best_config_path)

    scores: dict[str, dict[int, float]] = {}
    for seed in held:
        manifest = package(seed)
        for name, cfg in configs.items():
            rows = embed(task, cfg, manifest, cache=cache).ok
            model = last_model(task.fit(cfg, rows))
            scores.setdefault(name, {})[seed] = task.evaluate(task.predict(model, cfg, rows), cfg)["hmean"]
        cfg = configs["auto (default)"]
        rows = embed(task, cfg, manifest, cache=cache).ok
        for ref, m in score_references(task, cfg, fit_references(task, cfg, rows), rows).items():
            scores.setdefault(f"reference: {ref}", {})[seed] = m["hmean"]
    report = {"tuning_seed": tune_seed, "sweep_seconds": round(sweep_s, 1), "seed_toy_macro_auc": SEED_TOY,
              "held_out": {n: {"per_seed": s, "mean": float(np.mean(list(s.values()))),
                               "std": float(np.std(list(s.values())))} for n, s in scores.items()}}
    out.mkdir(parents=True, exist_ok=True)
    (out / "anomaly_engines.json").write_text(json.dumps(report, indent=2))
    print(f"official DCASE score (hmean) on packages of seeds {held}, never tuned on (mean ± sd):")
    for name, r in report["held_out"].items():
        per = "  ".join(f"{v:.3f}" for v in r["per_seed"].values())
        print(f"  {name:<22} {r['mean']:.3f} ± {r['std']:.3f}   ({per})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
