"""W5 serving: POST /v1/relation/predict (JSON) with dynamic batching (max 16) vs without (1),
32 concurrent clients, the offline model trained on a generated KLUE-RE train file; one replica
each, deployed one after the other; every request must come back 200.

    python benchmarks/bench_relation_serve.py [--requests 2000] [--clients 32]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--out", type=Path, default=Path("runs/bench/relation_serve"))
    args = ap.parse_args()

    from bench_serve import compare_batching

    from rayscore.registry import ModelRegistry
    from rayscore.runtime import init_ray
    from rayscore.tasks import get_task
    from rayscore.tasks.relation.offline import OfflineRelationModel
    from rayscore.tasks.relation.synth import generate_relations

    task = get_task("relation")
    cfg = task.load_config()
    out = args.out.absolute()
    df = generate_relations(out / "klue", n=1000, seed=11).df
    registry = ModelRegistry(out / "models")
    if not registry.versions("relation"):
        model = OfflineRelationModel.fit(df[df["split"] == "train"], cfg.model.offline)
        registry.register("relation", cfg, {}, task.label_names(cfg), tensors=task.model_tensors(model),
                          model_args=task.model_args(model))
    raw = json.loads((out / "klue" / "klue-re-synth_test.json").read_text())
    payloads = [{k: r[k] for k in ("sentence", "subject_entity", "object_entity")} for r in raw]
    init_ray()
    import ray

    cpus = int(ray.cluster_resources().get("CPU", 1))
    result = compare_batching(registry.root, "relation", {"default_model": "1", "num_cpus": 1,
                                                          "max_ongoing_requests": 64, "max_queued_requests": 4000},
                              payloads, args.requests, args.clients, port=8767)
    ray.shutdown()
    result["cpus"] = cpus
    out.mkdir(parents=True, exist_ok=True)
    (out / "serve.json").write_text(json.dumps(result, indent=2))
    return 0 if all(result[n]["ok_200"] == args.requests for n in ("batched", "unbatched")) else 1


if __name__ == "__main__":
    sys.exit(main())
