"""GPU utilisation of an image-encoder stage on Ray Data (prints "no GPU" where there is none).

Decode + prepare run in CPU tasks; a timm backbone (randomly initialised: weights do not
change the arithmetic) runs in an actor pool with ``num_gpus`` per actor. While the
dataset streams, the GPU's utilisation is sampled (NVML through torch); the run reports
images per second and the mean / p90 utilisation, with the pool at 1 actor per GPU and
with fractional GPUs (several actors sharing one).

    python benchmarks/bench_gpu_encoder.py [--model convnext_tiny] [--n 2000] [--batch 64]
    python benchmarks/bench_gpu_encoder.py --task doc_type --model convnext_base --size 384

With ``--task doc_type`` the stages are W3's own (decode + resize tasks, the registered
neural model with TTA in the actor pool), on a randomly initialised model of that backbone.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import numpy as np


class Encode:
    def __init__(self, model: str, size: int) -> None:
        import timm
        import torch

        self.torch = torch
        self.size = size
        self.net = timm.create_model(model, pretrained=False, num_classes=0).cuda().eval().half()

    def __call__(self, batch):
        x = np.stack([p.reshape(3, self.size, self.size) for p in batch["_pixels"]])
        with self.torch.inference_mode():
            emb = self.net(self.torch.from_numpy(x).cuda().half()).float().cpu().numpy()
        return {"id": batch["id"], "emb": list(emb)}


def doc_type_stages(args, gpus: float, pool: int) -> list:
    """W3's own scoring stages on a registered, randomly initialised neural model of ``args.model``."""
    import tempfile
    from dataclasses import replace

    from rayscore.config import StageResources
    from rayscore.registry import ModelRegistry
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.neural import DocNet, NeuralDocModel, create_backbone, data_config

    task = get_task("doc_type")
    cfg = task.load_config(overrides=["model.kind=neural", f"model.neural.backbone.name={args.model}",
                                      f"model.neural.backbone.input_size={args.size}", "ocr.enabled=false",
                                      f"resources.model.batch_size={args.batch}"])
    backbone = create_backbone(cfg.model.neural.backbone)
    dc = data_config(cfg.model.neural.backbone, backbone)
    model = NeuralDocModel(DocNet(backbone, dc, cfg.model.neural.augment),
                           {"backbone": cfg.model.neural.backbone.model_dump(mode="json"),
                            "data_config": dc.model_dump(mode="json")})
    registry = ModelRegistry(Path(tempfile.mkdtemp(prefix="gpu-bench-")))
    version = registry.register("doc_type", cfg, {}, task.label_names(cfg), tensors=model.tensors(),
                                model_args=model.model_args())
    stages = task.stages(cfg, version)
    stages[-1] = replace(stages[-1], resources=StageResources(batch_size=args.batch, num_cpus=1, num_gpus=gpus,
                                                              concurrency=pool))
    return stages


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="convnext_tiny")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--task", choices=["encoder", "doc_type"], default="encoder",
                    help="encoder: a bare timm encoder; doc_type: W3's scoring stages and model")
    ap.add_argument("--out", type=Path, default=Path("runs/bench/gpu_encoder.json"))
    args = ap.parse_args()
    import torch

    if not torch.cuda.is_available():
        print("no GPU: nothing to measure (this benchmark runs where Ray sees a GPU)")
        return 0
    import pandas as pd
    from PIL import Image

    from rayscore.config import StageResources
    from rayscore.media.image import DataConfig, ImageLoadConfig, decode_stage
    from rayscore.pipeline.runner import run_stages
    from rayscore.pipeline.stage import Stage
    from rayscore.runtime import init_ray

    folder = args.out.parent / "gpu_images"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(64):
        if not (folder / f"{i}.jpg").is_file():
            Image.fromarray(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)).save(folder / f"{i}.jpg")
    frame = pd.DataFrame({"id": [str(i) for i in range(args.n)], "path": [str(folder / f"{i % 64}.jpg")
                                                                         for i in range(args.n)]})
    init_ray()
    dc = DataConfig(input_size=(3, args.size, args.size))
    results = {}
    for label, gpus, pool in (("1 actor / GPU", 1.0, 1), ("2 actors share a GPU", 0.5, 2)):
        samples: list[float] = []
        stop = threading.Event()

        def sample(samples: list[float] = samples, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                samples.append(float(torch.cuda.utilization()))
                time.sleep(0.2)

        stages = [Stage("decode", decode_stage, {"load": ImageLoadConfig(), "data": dc},
                        StageResources(batch_size=args.batch, num_cpus=1)),
                  Stage("encode", Encode, {"model": args.model, "size": args.size},
                        StageResources(batch_size=args.batch, num_cpus=1, num_gpus=gpus, concurrency=pool))]
        if args.task == "doc_type":
            stages = doc_type_stages(args, gpus, pool)
        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        start = time.perf_counter()
        out = run_stages(frame, stages, "ray")
        seconds = time.perf_counter() - start
        stop.set()
        thread.join()
        util = np.array(samples or [0.0])
        results[label] = {"images_per_s": round(len(out) / seconds, 1), "gpu_util_mean": round(float(util.mean()), 1),
                          "gpu_util_p90": round(float(np.percentile(util, 90)), 1), "seconds": round(seconds, 1)}
        print(f"{label:<24} {results[label]['images_per_s']:>8} img/s   GPU util mean "
              f"{results[label]['gpu_util_mean']}%  p90 {results[label]['gpu_util_p90']}%")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"model": args.model, "n": args.n, "batch": args.batch, **results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
