"""Files per second of drum-role scoring: Ray Data vs a plain single-process loop.

Both paths run the same stage functions over the same generated corpus, in
one process run, so the ratio is meaningful on any machine. Ray start-up and
worker warm-up are excluded (a small warm-up pass runs first on both sides).

    python benchmarks/bench_scoring.py [--n 1000] [--repeats 2] [--min-ratio 1.5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np


def timed(fn) -> tuple[float, int]:
    start = time.perf_counter()
    rows = sum(len(b) for b in fn())
    return time.perf_counter() - start, rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="files in the generated corpus")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per path (the median is reported)")
    ap.add_argument("--min-ratio", type=float, default=1.5, help="fail below this Ray/plain ratio")
    ap.add_argument("--out", type=Path, default=Path("runs/bench"))
    args = ap.parse_args()

    from rayscore.corpus.manifest import Manifest
    from rayscore.pipeline.runner import iter_local, iter_ray
    from rayscore.runtime import init_ray
    from rayscore.tasks import get_task

    task = get_task("drum_roles")
    cfg = task.load_config(overrides=["fusion.alpha=1.0"])  # DSP path: no weights needed
    corpus = args.out / f"corpus_{args.n}"
    if not (corpus / "manifest.parquet").is_file():
        print(f"generating {args.n} one-shots in {corpus} ...", flush=True)
        task.generate(corpus, n=args.n, seed=0, cfg=cfg).write(corpus / "manifest.parquet")
    frame = Manifest.read(corpus / "manifest.parquet").resolve()
    frame["_row"] = np.arange(len(frame))
    stages = task.stages(cfg)

    for _ in iter_local(frame.iloc[:64], stages):  # imports, FFT plans, numba caches
        pass
    plain = [timed(lambda: iter_local(frame, stages)) for _ in range(args.repeats)]

    init_ray()
    import ray

    cpus = int(ray.cluster_resources().get("CPU", 0))
    warm = frame.iloc[: 2 * cpus * stages[0].resources.batch_size]
    for _ in iter_ray(warm, stages):  # start a worker per CPU and import in each
        pass
    on_ray = [timed(lambda: iter_ray(frame, stages)) for _ in range(args.repeats)]

    best_plain = len(frame) / float(np.median([t for t, _ in plain]))
    best_ray = len(frame) / float(np.median([t for t, _ in on_ray]))
    ratio = best_ray / best_plain
    result = {
        "files": len(frame),
        "cpus": cpus,
        "os_cpus": os.cpu_count(),
        "plain_loop_files_per_s": round(best_plain, 1),
        "ray_data_files_per_s": round(best_ray, 1),
        "ratio": round(ratio, 2),
        "plain_seconds": [round(t, 3) for t, _ in plain],
        "ray_seconds": [round(t, 3) for t, _ in on_ray],
        "min_ratio": args.min_ratio,
    }
    assert all(n == len(frame) for _, n in plain + on_ray), "a run lost rows"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scoring.json").write_text(json.dumps(result, indent=2))
    print(f"corpus: {len(frame)} generated one-shots; Ray CPUs: {cpus}")
    print(f"plain loop : {best_plain:8.1f} files/s  (runs: {result['plain_seconds']} s)")
    print(f"Ray Data   : {best_ray:8.1f} files/s  (runs: {result['ray_seconds']} s)")
    print(f"ratio      : {ratio:.2f}x  (target >= {args.min_ratio}x)  -> {args.out / 'scoring.json'}")
    return 0 if ratio >= args.min_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
