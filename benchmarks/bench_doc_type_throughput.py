"""W3 throughput, as ratios measured in one run on this machine:

1. Ray Data image scoring vs a plain loop over the same stages (decode + resize in tasks,
   the model in an actor pool) on a generated competition folder (target >= 1.7x on 2 cores);
2. Serve on POST /v1/doc_type/predict with dynamic batching (max_batch_size 16) vs without
   (1), 32 concurrent clients, every request must come back 200 (target >= 2x).

``--kind offline`` (the default model: descriptors + OCR + the fitted model) or ``--kind neural``
(a timm backbone at the given input size; weights random unless --weights: they do not change
the arithmetic), fitted on the folder's train/ (one epoch for neural) and registered like any
model. On CPU, torch already spreads one forward pass over every core, so the plain loop of
the neural path is parallel too; OCR (single-threaded tesseract per page) is where tasks win.

    python benchmarks/bench_doc_type_throughput.py --kind offline --n 40 --no-serve
    python benchmarks/bench_doc_type_throughput.py --kind neural [--backbone convnext_atto] [--size 224] [--n 300]
    python benchmarks/bench_doc_type_throughput.py --kind neural --no-scoring --gpus 1   # where Ray sees a GPU
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))


def _timed(fn) -> float:
    start = time.perf_counter()
    rows = sum(len(b) for b in fn())
    return time.perf_counter() - start, rows


def scoring_ratio(args: argparse.Namespace, test, stages) -> dict:
    """Ray Data vs a plain loop over the same stages, images per second (median of the repeats)."""
    from rayscore.pipeline.runner import iter_local, iter_ray
    from rayscore.runtime import init_ray

    for _ in iter_local(test.iloc[:16], stages):
        pass
    plain = [_timed(lambda: iter_local(test, stages)) for _ in range(args.repeats)]
    init_ray()
    import ray

    cpus = int(ray.cluster_resources().get("CPU", 0))
    for _ in iter_ray(test.iloc[:64], stages):
        pass

    def settle() -> None:  # the last run's actors give their CPUs back
        for _ in range(100):
            if ray.available_resources().get("CPU", 0) >= cpus:
                return
            time.sleep(0.1)

    settle()
    on_ray = []
    for _ in range(args.repeats):
        on_ray.append(_timed(lambda: iter_ray(test, stages)))
        settle()
    assert all(n == len(test) for _, n in plain + on_ray), "a run lost rows"
    plain_ips = len(test) / float(np.median([t for t, _ in plain]))
    ray_ips = len(test) / float(np.median([t for t, _ in on_ray]))
    what = f"{args.backbone} @ {args.size}px" if args.kind == "neural" else "offline: descriptors + OCR + model"
    print(f"scoring {len(test)} images ({what}, {cpus} CPUs): plain loop "
          f"{plain_ips:.1f} img/s, Ray Data {ray_ips:.1f} img/s -> {ray_ips / plain_ips:.2f}x (target >= 1.7x)",
          flush=True)
    return {"plain_loop_images_per_s": round(plain_ips, 2), "ray_data_images_per_s": round(ray_ips, 2),
            "ratio": round(ray_ips / plain_ips, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", choices=["offline", "neural"], default="neural")
    ap.add_argument("--serve", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--backbone", default="convnext_atto")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--weights", default="none")
    ap.add_argument("--n", type=int, default=400, help="test images scored")
    ap.add_argument("--requests", type=int, default=None, help="requests per variant (offline 96: OCR is slow)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--gpus", type=float, default=0.0,
                    help="GPUs for the model (its scoring actors and the Serve replica): where batching pays")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--passes", type=int, default=1,
                    help="score the test images this many times over in one run (a longer run on the same files: "
                         "the actors' start, seconds, weighs on a short one as it would not on a real corpus)")
    ap.add_argument("--variants", nargs="+", choices=["batched", "unbatched"], default=["batched", "unbatched"])
    ap.add_argument("--scoring", action=argparse.BooleanOptionalAction, default=True,
                    help="--no-scoring: only the Serve comparison")
    ap.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                    help="config overrides for scoring, e.g. resources.model.num_cpus=1")
    ap.add_argument("--out", type=Path, default=Path("runs/bench/doc_type_throughput"))
    args = ap.parse_args()
    args.requests = args.requests or (96 if args.kind == "offline" else 400)

    from bench_serve import compare_batching

    from rayscore.registry import ModelRegistry
    from rayscore.runtime import init_ray
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.competition import import_competition
    from rayscore.tasks.doc_type.synth import write_competition

    task = get_task("doc_type")
    out = args.out.absolute()
    folder = out / f"docs_{args.n}"
    if not (folder / "train.csv").is_file():
        write_competition(folder, n_train=68, n_test=args.n, seed=5)
    frame = import_competition(folder).resolve()
    overrides = ["resources.model.batch_size=16"]
    if args.kind == "neural":
        overrides += ["model.kind=neural", f"model.neural.backbone.name={args.backbone}",
                      f"model.neural.backbone.input_size={args.size}", f"model.neural.backbone.weights={args.weights}",
                      "ocr.enabled=false", "train.epochs=1", "model.neural.tta=none"]
    cfg = task.load_config(overrides=overrides)
    registry = ModelRegistry(out / f"models_{args.kind}")
    if not registry.versions("doc_type"):
        from rayscore.pipeline.embed import embed

        train = frame[task.trainable(frame, cfg)].reset_index(drop=True)
        if args.kind == "offline":  # descriptors + OCR of the training pages first
            from rayscore.corpus.manifest import Manifest

            # one process: Ray starts fresh for the timed runs, with every CPU free
            train = embed(task, cfg, Manifest(train.drop(columns=["_row"], errors="ignore")), engine="local").ok
        model = list(task.fit(cfg, train))[-1]
        registry.register("doc_type", cfg, {}, task.label_names(cfg), tensors=task.model_tensors(model),
                          model_args=task.model_args(model))
    version = registry.resolve("doc_type:1")
    gpu = [f"resources.model.num_gpus={args.gpus}"] if args.gpus else []
    cfg = task.load_config(version.config_path, overrides=[*gpu, *args.set])
    test = frame[frame["split"] == "test"]
    test = pd.concat([test] * args.passes, ignore_index=True)
    test["_row"] = np.arange(len(test))
    stages = task.stages(cfg, version)

    result: dict = {"images": len(test), "kind": args.kind, "backbone": args.backbone, "input_size": args.size}
    if args.scoring:
        result["scoring"] = scoring_ratio(args, test, stages)
    init_ray()
    import ray

    cpus = result["cpus"] = int(ray.cluster_resources().get("CPU", 0))

    out.mkdir(parents=True, exist_ok=True)
    if not args.serve:
        (out / f"throughput_{args.kind}.json").write_text(json.dumps(result, indent=2))
        return 0
    payloads = [(Path(p).name, Path(p).read_bytes()) for p in test["path"][:64]]
    # One replica given every core in both variants, deployed one after the other: a batch's pages
    # are read at once (ocr.workers auto), a lone request's page alone.
    result["gpus"] = args.gpus
    result |= compare_batching(registry.root, "doc_type", {"default_model": "1", "num_cpus": cpus,
                                                           "num_gpus": args.gpus,
                                                           "batch_wait_timeout_s": 0.01, "max_ongoing_requests": 64,
                                                           "max_queued_requests": 2000},
                               payloads, args.requests, args.clients, port=8766, variants=tuple(args.variants),
                               content_type="image/jpeg", timeout=900, warmup=8, app={"request_timeout_s": 900})
    ray.shutdown()
    (out / f"throughput_{args.kind}.json").write_text(json.dumps(result, indent=2))
    ok = all(result[n]["ok_200"] == args.requests for n in args.variants)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
