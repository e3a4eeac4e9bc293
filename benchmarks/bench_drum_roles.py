"""W2: drum roles tuned on Hydrogen + generated audio, judged on libraries it never saw.

1. Generate training audio with seed 0 (synthetic hits + augmented copies of the Hydrogen kits)
   and sweep `configs/tune/drum_roles_dsp.yaml` on Hydrogen + that audio (grouped CV by kit).
2. For the tuning seed and for generator seeds never tuned on, fit the sweep's best config
   (the production model) on Hydrogen + that seed's audio; fit the references on the same rows.
3. Judge the seed's defaults (rules only), the production model and the references on LMMS,
   Sonic Pi and STK one-shots (Debian; `make debs-bench`), which neither training nor tuning saw.

    python benchmarks/bench_drum_roles.py [--trials 40] [--seeds 0 1 2] [--n 600]
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
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="generator seeds; the first is tuned on")
    ap.add_argument("--n", type=int, default=600, help="synthetic hits per seed (plus 2 augmented copies per kit sample)")
    ap.add_argument("--out", type=Path, default=Path("runs/bench/drum_roles"))
    args = ap.parse_args()

    from rayscore.corpus.hydrogen import DEBIAN_DRUMKITS
    from rayscore.corpus.manifest import concat
    from rayscore.pipeline.embed import FeatureCache, embed
    from rayscore.references import fit_references, score_references
    from rayscore.runtime import init_ray
    from rayscore.tasks import get_task
    from rayscore.tasks.drum_roles.libraries import LIBRARIES, library
    from rayscore.tune.driver import load_sweep, run_sweep
    from rayscore.tune.trial import last_model

    if not DEBIAN_DRUMKITS.is_dir():
        print("the Hydrogen drumkits are not installed (make debs-bench)")
        return 1
    task = get_task("drum_roles")
    out = args.out.absolute()
    cache = FeatureCache(out / "cache")
    libs = {name: df for name in LIBRARIES if (df := library(name, out)) is not None}
    if not libs:
        print("no independent library installed (make debs-bench: lmms-common, sonic-pi-samples, stk)")
        return 1
    from rayscore.corpus.manifest import Manifest

    lib_manifests = {name: Manifest(df, root=None) for name, df in libs.items()}
    base = task.load_config(overrides=["fusion.alpha=1.0"])
    hydrogen = task.importers()["hydrogen"](DEBIAN_DRUMKITS, base)
    init_ray()

    def generated(seed: int) -> Manifest:
        folder = out / f"generated_seed{seed}"
        if not (folder / "manifest.parquet").is_file():
            cfg = task.load_config(overrides=["fusion.alpha=1.0", f"generator.augment_from={DEBIAN_DRUMKITS}"])
            task.generate(folder, args.n, seed, cfg).write(folder / "manifest.parquet")
        return Manifest.read(folder / "manifest.parquet")

    # 1. tune on the first seed
    tune_seed = args.seeds[0]
    gen0 = generated(tune_seed)
    sweep = load_sweep(Path(__file__).parent.parent / "configs/tune/drum_roles_dsp.yaml", [
        f"data.extra=[{{input: {gen0.root}/manifest.parquet}}]", f"search.num_samples={args.trials}",
        f"storage_path={out / 'tune'}", f"name=drum_roles_seed{tune_seed}"])
    start = time.perf_counter()
    result = run_sweep(sweep, resume=(out / "tune" / sweep.name / "summary.json").is_file(), cache=cache)
    sweep_s = time.perf_counter() - start
    tuned = task.load_config(result.best_config_path)
    configs = {"seed defaults": base, "production (tuned)": tuned}

    report: dict = {"sweep": {"trials": len(result.trials), "seconds": round(sweep_s, 1),
                              "cv": {"macro_f1": result.best["macro_f1"], "std": result.best["macro_f1_std"]},
                              "references_cv": {k: v["macro_f1"] for k, v in result.references.items()},
                              "best_params": result.best["params"]}, "seeds": {}}
    for seed in args.seeds:
        train_manifest = concat([hydrogen, generated(seed)])
        per: dict = {}
        for name, cfg in configs.items():
            rows = embed(task, cfg, train_manifest, cache=cache).ok
            rows = rows[rows["label"].isin(task.label_names(cfg))].reset_index(drop=True)
            model = last_model(task.fit(cfg, rows))
            refs = fit_references(task, cfg, rows) if name == "production (tuned)" else []
            for lib, m in lib_manifests.items():
                test = embed(task, cfg, m, cache=cache).ok
                score = task.evaluate(task.predict(model, cfg, test), cfg)["macro_f1"]
                per.setdefault(lib, {})[name] = score
                for ref, r in score_references(task, cfg, refs, test).items():
                    per[lib][f"reference: {ref}"] = r["macro_f1"]
        report["seeds"][seed] = per

    held = [s for s in args.seeds if s != tune_seed]
    rows_out = []
    names = list(next(iter(report["seeds"][tune_seed].values())))
    for lib in lib_manifests:
        for name in names:
            vals = [report["seeds"][s][lib][name] for s in held] or [report["seeds"][tune_seed][lib][name]]
            rows_out.append((lib, name, report["seeds"][tune_seed][lib][name], float(np.mean(vals)), float(np.std(vals))))
    report["summary"] = [{"library": a, "model": b, "tuning_seed": c, "held_out_mean": d, "held_out_std": e}
                         for a, b, c, d, e in rows_out]
    out.mkdir(parents=True, exist_ok=True)
    (out / "drum_roles.json").write_text(json.dumps(report, indent=2, default=str))
    print(f"sweep: {report['sweep']['trials']} trials in {sweep_s:.0f} s, grouped-CV macro-F1 "
          f"{result.best['macro_f1']:.3f} ± {result.best['macro_f1_std']:.3f}")
    print(f"macro-F1 on libraries never trained or tuned on (held-out generator seeds {held}: mean ± sd)")
    print(f"{'library':<9}{'model':<24}{'tuning seed':>12}{'held-out':>16}")
    for lib, name, c, d, e in rows_out:
        print(f"{lib:<9}{name:<24}{c:>12.3f}{d:>10.3f} ± {e:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
