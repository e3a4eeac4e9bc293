"""W1: macro-F1 of the seed's loss mix against the tuned mix, on a held-out generated corpus.

Generates a training corpus and a held-out corpus (another seed: other calls,
voices and noise), runs the urgency sweep (configs/tune/urgency.yaml) on the
training corpus, then trains four configurations on the whole training corpus
with several training seeds and scores the held-out calls:

- seed defaults                 (the seed's loss mix 0.25 / 0.40 / 0.35 and its model)
- seed defaults + tuned mix     (only the loss mix changed)
- tuned                         (everything the sweep chose)
- tuned + seed mix              (the sweep's model, the seed's loss mix)

    python benchmarks/bench_urgency_loss_mix.py [--n 400] [--samples 24] [--seeds 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import numpy as np


def _mix_overrides(cfg) -> list[str]:
    m = cfg.train.loss_mix
    return [f"train.loss_mix={{kl: {m.kl}, focal: {m.focal}, ce: {m.ce}}}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=400, help="calls in each corpus")
    ap.add_argument("--samples", type=int, default=24, help="sweep trials")
    ap.add_argument("--seeds", type=int, default=3, help="training seeds per configuration")
    ap.add_argument("--out", type=Path, default=Path("runs/bench/urgency"))
    args = ap.parse_args()

    from rayscore.config import dump_yaml
    from rayscore.pipeline.embed import FeatureCache, embed
    from rayscore.tasks import get_task
    from rayscore.tasks.urgency.aihub import import_aihub
    from rayscore.tune.driver import load_sweep, run_sweep
    from rayscore.tune.trial import last_model

    task = get_task("urgency")
    base = task.load_config("configs/tasks/urgency.yaml")
    corpora = {}
    for name, seed in (("train", 0), ("heldout", 1)):
        folder = args.out / f"{name}_n{args.n}_seed{seed}"
        if not folder.is_dir():
            task.generate(folder, n=args.n, seed=seed, cfg=base)
        corpora[name] = import_aihub(folder)

    sweep_name = f"urgency_bench_n{args.n}_s{args.samples}"
    shutil.rmtree(args.out / "tune" / sweep_name, ignore_errors=True)
    sweep = load_sweep("configs/tune/urgency.yaml", [f"name={sweep_name}", f"data.input={corpora['train'].root}",
                                                     f"search.num_samples={args.samples}",
                                                     f"storage_path={args.out / 'tune'}"])
    cache = FeatureCache(args.out / "cache")
    start = time.perf_counter()
    result = run_sweep(sweep, cache=cache)
    sweep_s = time.perf_counter() - start
    tuned = task.load_config(result.best_config_path)

    configs = {
        "seed defaults": base,
        "seed defaults + tuned mix": task.load_config("configs/tasks/urgency.yaml", _mix_overrides(tuned)),
        "tuned": tuned,
        "tuned + seed mix": task.load_config(result.best_config_path, _mix_overrides(base)),
    }
    train_rows = embed(task, base, corpora["train"], cache=cache, engine="local").ok
    held_rows = embed(task, base, corpora["heldout"], cache=cache, engine="local").ok
    results = {}
    for name, cfg in configs.items():
        scores = []
        for s in range(1, args.seeds + 1):
            run_cfg = cfg.model_copy(update={"train": cfg.train.model_copy(update={"seed": s})})
            model = last_model(task.fit(run_cfg, train_rows))
            scores.append(task.evaluate(task.predict(model, run_cfg, held_rows), run_cfg)["macro_f1"])
        m = cfg.train.loss_mix
        results[name] = {"heldout_macro_f1_mean": float(np.mean(scores)), "heldout_macro_f1_std": float(np.std(scores)),
                         "per_seed": scores, "loss_mix": {"kl": m.kl, "focal": m.focal, "ce": m.ce},
                         "lr": cfg.train.lr, "hidden": cfg.model.hidden, "layers": cfg.model.layers}
    args.out.mkdir(parents=True, exist_ok=True)
    dump_yaml(tuned, args.out / "tuned_config.yaml")
    report = {"train": str(corpora["train"].root), "heldout": str(corpora["heldout"].root),
              "sweep": {"dir": str(result.run_dir), "trials": len(result.trials), "seconds": round(sweep_s, 1),
                        "best_cv_macro_f1": result.best["macro_f1"], "params": result.best["params"]},
              "results": results}
    (args.out / "loss_mix.json").write_text(json.dumps(report, indent=2, default=str))
    print(f"sweep: {len(result.trials)} trials in {sweep_s:.0f} s, best CV macro-F1 {result.best['macro_f1']:.3f}")
    print(f"held-out corpus: {len(held_rows)} calls (seed 1); {args.seeds} training seeds per configuration")
    print(f"{'configuration':<28}{'macro-F1':>10}{'± sd':>8}   loss mix (kl/focal/ce)   lr      hidden layers")
    for name, r in results.items():
        mix = r["loss_mix"]
        print(f"{name:<28}{r['heldout_macro_f1_mean']:>10.3f}{r['heldout_macro_f1_std']:>8.3f}   "
              f"{mix['kl']:.2f}/{mix['focal']:.2f}/{mix['ce']:.2f}          {r['lr']:.1e} {r['hidden']:>6} {r['layers']:>6}")
    print(f"written: {args.out / 'loss_mix.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
