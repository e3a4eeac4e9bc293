"""Serving load test: 32 concurrent clients, 1000 requests on the drum-role route,
with dynamic batching and without it, measured in one run.

Two copies of the app are deployed side by side (max_batch_size 16 and 1) and
loaded one after the other with the same requests; every request must come
back 200. Prints p50/p99 latency and throughput of each.

    python benchmarks/bench_serve.py [--requests 1000] [--clients 32]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
import time
from pathlib import Path

import numpy as np


async def load(url: str, payloads: list, n: int, clients: int,
               content_type: str = "audio/wav", timeout: float = 120) -> dict:
    """``payloads``: (file name, bytes) uploads, or dicts sent as JSON bodies (routes without a file)."""
    import httpx

    latencies: list[float] = []
    codes: list[int] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def client(http: httpx.AsyncClient) -> None:
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            payload = payloads[i % len(payloads)]
            start = time.perf_counter()
            if isinstance(payload, dict):
                r = await http.post(url, json=payload)
            else:
                name, data = payload
                r = await http.post(url, files={"file": (name, data, content_type)})
            latencies.append(time.perf_counter() - start)
            codes.append(r.status_code)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
        start = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        wall = time.perf_counter() - start
    lat = np.array(latencies) * 1000
    return {
        "requests": n, "answered": len(codes), "ok_200": codes.count(200),
        "p50_ms": round(float(np.percentile(lat, 50)), 1), "p99_ms": round(float(np.percentile(lat, 99)), 1),
        "throughput_rps": round(n / wall, 3), "seconds": round(wall, 2),
    }


def compare_batching(registry: Path, task: str, route: dict, payloads: list, requests: int, clients: int,
                     port: int, variants: tuple[str, ...] = ("batched", "unbatched"), content_type: str = "audio/wav",
                     timeout: float = 120, warmup: int = 64, app: dict | None = None) -> dict:
    """One replica with dynamic batching (max 16) and one without (1), deployed one after the other on
    Serve (Ray running), each warmed up then loaded by ``clients``; per variant the :func:`load`
    figures, and their throughput ratio when both ran. Prints a line per variant."""
    from ray import serve

    from ray_apps.app import build_app
    from rayscore.serving.launch import run_app

    serve.start(http_options={"host": "127.0.0.1", "port": port})
    result: dict = {}
    for name in variants:
        size = {"batched": 16, "unbatched": 1}[name]
        run_app(build_app({"registry": str(registry), "auth_token_env": None, **(app or {}),
                           "tasks": {task: {**route, "max_batch_size": size}}}), name, f"/{name}")
        url = f"http://127.0.0.1:{port}/{name}/v1/{task}/predict"
        asyncio.run(load(url, payloads, warmup, min(8, clients), content_type, timeout))  # connections, first load
        result[name] = r = asyncio.run(load(url, payloads, requests, clients, content_type, timeout))
        serve.delete(name)
        print(f"serve {name:<10} 200: {r['ok_200']}/{r['requests']}  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  "
              f"{r['throughput_rps']} req/s", flush=True)
    serve.shutdown()
    if len(result) == 2:
        result["ratio_batched_over_unbatched"] = round(result["batched"]["throughput_rps"]
                                                       / result["unbatched"]["throughput_rps"], 2)
        print(f"serve batched/unbatched: {result['ratio_batched_over_unbatched']}x at {clients} clients")
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--out", type=Path, default=Path("runs/bench"))
    args = ap.parse_args()

    import ray
    import soundfile as sf
    from ray import serve

    from ray_apps.app import build_app
    from rayscore.registry import ModelRegistry
    from rayscore.serving.launch import run_app
    from rayscore.tasks import get_task

    task = get_task("drum_roles")
    corpus = args.out / "serve_corpus"
    manifest = task.generate(corpus, n=40, seed=1, cfg=task.load_config())
    payloads = []
    for path in manifest.df["path"]:  # as 16-bit WAV uploads, the common case
        y, sr = sf.read(corpus / path, dtype="float32")
        buf = io.BytesIO()
        sf.write(buf, y, sr, format="WAV", subtype="PCM_16")
        payloads.append((Path(path).name, buf.getvalue()))
    registry = ModelRegistry(args.out / "serve_models")
    if not registry.versions("drum_roles"):
        v = registry.register("drum_roles", task.load_config(overrides=["fusion.alpha=1.0"]), {}, ["CORE"])
        registry.promote("drum_roles", v.version, "production")

    ray.init(include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    serve.start(http_options={"host": "127.0.0.1", "port": 8765})
    variants = {"batched": 16, "unbatched": 1}
    for name, size in variants.items():
        run_app(build_app({"registry": str(registry.root), "auth_token_env": None,
                           "tasks": {"drum_roles": {"max_batch_size": size, "batch_wait_timeout_s": 0.005,
                                                    "max_ongoing_requests": 64, "max_queued_requests": 2000}}}),
                name, f"/{name}")
    results = {}
    for name in variants:
        url = f"http://127.0.0.1:8765/{name}/v1/drum_roles/predict"
        asyncio.run(load(url, payloads, 64, 8))  # warm-up: connections, imports, first model load
        results[name] = asyncio.run(load(url, payloads, args.requests, args.clients))
    serve.shutdown()
    ray.shutdown()

    results["throughput_ratio_batched_over_unbatched"] = round(
        results["batched"]["throughput_rps"] / results["unbatched"]["throughput_rps"], 2)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "serve.json").write_text(json.dumps(results, indent=2))
    print(f"{args.requests} requests, {args.clients} concurrent clients, drum_roles route (DSP model)")
    for name in variants:
        r = results[name]
        print(f"{name:<10} answered {r['answered']}/{r['requests']} (200: {r['ok_200']})  p50 {r['p50_ms']} ms  "
              f"p99 {r['p99_ms']} ms  {r['throughput_rps']} req/s")
    print(f"batched/unbatched throughput: {results['throughput_ratio_batched_over_unbatched']}x "
          f"-> {args.out / 'serve.json'}")
    ok = all(results[n]["ok_200"] == args.requests for n in variants)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
