"""Serve deployments: one multiplexed, batching model server per task, and the HTTP gateway.

``ModelServer`` loads registry versions on demand (Serve model multiplexing:
requests for ``drum_roles:3`` go to a replica that has v3 loaded) and scores
requests in dynamic batches (``@serve.batch``) with :class:`TaskPredictor`.
``Gateway`` is the FastAPI ingress (routes in :mod:`rayscore.serving.http`).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from ray import serve

from rayscore.registry import ModelRegistry
from rayscore.serving.predictor import TaskPredictor
from rayscore.tasks import get_task


@serve.deployment
class ModelServer:
    def __init__(self, task: str, registry: str, max_batch_size: int, batch_wait_timeout_s: float,
                 max_models_per_replica: int) -> None:
        self.task = get_task(task)
        self.registry = ModelRegistry(registry)
        self._predict_batch.set_max_batch_size(max_batch_size)
        self._predict_batch.set_batch_wait_timeout_s(batch_wait_timeout_s)

        async def load(ref: str) -> TaskPredictor:
            version = self.registry.resolve(ref, task=self.task.name)
            cfg = self.task.load_config(version.config_path)
            return await asyncio.to_thread(TaskPredictor, self.task, cfg, version)

        # An LRU of loaded versions per replica; Serve routes each model id to replicas
        # holding it. Wired up here (a plain function) so the cache size comes from config.
        self.get_model = serve.multiplexed(max_num_models_per_replica=max_models_per_replica)(load)

    async def predict(self, row: dict[str, Any]) -> dict[str, Any]:
        return await self._predict_batch(row, serve.get_multiplexed_model_id())

    @serve.batch(max_batch_size=16, batch_wait_timeout_s=0.01)
    async def _predict_batch(self, rows: list[dict[str, Any]], refs: list[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [{}] * len(rows)
        for ref in dict.fromkeys(refs):  # a batch may mix versions: one predictor call per version
            idx = [i for i, r in enumerate(refs) if r == ref]
            predictor = await self.get_model(ref)
            # Off the event loop, so the replica keeps accepting requests (and health checks).
            results = await asyncio.to_thread(predictor.predict, [rows[i] for i in idx])
            for i, res in zip(idx, results, strict=True):
                out[i] = res
        return out

    def ping(self) -> dict[str, Any]:
        return {"task": self.task.name, "registry": str(self.registry.root)}

    def check_health(self) -> None:
        """Serve restarts a replica whose health check raises."""
        if not self.registry.root.is_dir():
            raise RuntimeError(f"model registry {self.registry.root} is not reachable")


@serve.deployment
@serve.ingress()
class Gateway:
    """FastAPI ingress: auth, size and type checks, model resolution, error mapping."""

    def __init__(self, args: dict[str, Any], models: dict[str, Any]) -> None:
        from rayscore.serving.app import ServeArgs

        self.args = ServeArgs.model_validate(args)
        self.models = models  # task -> DeploymentHandle of its ModelServer
        self.registry = ModelRegistry(self.args.registry)
        env = self.args.auth_token_env
        self.token = os.environ.get(env) if env else None

    def __serve_build_asgi_app__(self):
        from rayscore.serving.http import build_http_app

        return build_http_app(self)
