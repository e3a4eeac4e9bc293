"""The rayscore Serve application: typed args -> ``Application`` (Ray's app-builder pattern).

``configs/serve.yaml`` points Ray Serve at it through ``ray_apps.app:build_app`` (a
re-export); ``rayscore serve`` calls it too. One model server
deployment per served task (multiplexed over registry versions, batching),
behind one FastAPI gateway.

Example:
    >>> app = build_app({"tasks": {"drum_roles": {"default_model": "production"}}})  # doctest: +SKIP
    >>> serve.run(app, route_prefix="/")                                            # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from rayscore.config import StrictModel, validate


class TaskServeConfig(StrictModel):
    default_model: str = Field("production", description="Version or alias used when a request names none.")
    max_batch_size: int = Field(16, ge=1, description="@serve.batch: most requests scored together.")
    batch_wait_timeout_s: float = Field(0.01, ge=0, description="@serve.batch: longest wait to fill a batch.")
    max_models_per_replica: int = Field(3, ge=1, description="Registry versions kept loaded per replica (LRU).")
    num_replicas: int = Field(1, ge=1)
    max_ongoing_requests: int = Field(32, ge=1, description="Requests a replica works on at once.")
    max_queued_requests: int = Field(
        128, ge=1, description="Waiting requests beyond this get 503 at once (a bounded queue, never a hang)."
    )
    num_cpus: float = Field(1.0, ge=0)
    num_gpus: float = Field(0.0, ge=0, description="GPUs per replica (models on GPU when > 0).")
    request_timeout_s: float | None = Field(
        None, gt=0, description="This route's 504 deadline (default: the application's request_timeout_s); keep "
        "http_options.request_timeout_s above it, or Serve's proxy cuts the request first.")


class ServeArgs(StrictModel):
    registry: str | None = Field(
        None, description="Model registry folder (default: $RAYSCORE_REGISTRY, else ./models)."
    )
    tasks: dict[str, TaskServeConfig] = Field(
        default_factory=lambda: {"drum_roles": TaskServeConfig()}, description="Served tasks."
    )
    max_upload_mb: float = Field(10.0, gt=0, description="Uploads over this get 413.")
    request_timeout_s: float = Field(30.0, gt=0, description="Gateway answers 504 after this.")
    auth_token_env: str | None = Field(
        "RAYSCORE_SERVE_TOKEN",
        description="Environment variable holding a bearer token; when it is set, predict routes need it.",
    )
    gateway_replicas: int = Field(1, ge=1)
    gateway_max_ongoing_requests: int = Field(
        256, ge=1, description="The gateway only awaits model servers: it can hold many requests at once."
    )
    gateway_max_queued_requests: int = Field(512, ge=1)

    @field_validator("tasks")
    @classmethod
    def _known(cls, v: dict[str, TaskServeConfig]) -> dict[str, TaskServeConfig]:
        from rayscore.tasks import UnknownTaskError, get_task

        for name in v:
            try:
                get_task(name)
            except UnknownTaskError as exc:  # pydantic reports ValueErrors with the key
                raise ValueError(str(exc)) from None
        if not v:
            raise ValueError("serve at least one task")
        return v


def build_app(args: dict[str, Any] | ServeArgs):
    """The Serve application for ``args`` (a dict from YAML, or :class:`ServeArgs`)."""
    from rayscore.registry import ModelRegistry
    from rayscore.serving.deployments import Gateway, ModelServer

    cfg = args if isinstance(args, ServeArgs) else validate(ServeArgs, args or {}, "serve args")
    # Absolute, as seen where the app is built: replicas may run in another working directory.
    cfg = cfg.model_copy(update={"registry": str(ModelRegistry(cfg.registry).root.absolute())})
    models = {}
    for task, t in cfg.tasks.items():
        models[task] = ModelServer.options(
            name=f"ModelServer_{task}",
            num_replicas=t.num_replicas,
            max_ongoing_requests=t.max_ongoing_requests,
            max_queued_requests=t.max_queued_requests,
            ray_actor_options={"num_cpus": t.num_cpus, "num_gpus": t.num_gpus},
        ).bind(task, cfg.registry, t.max_batch_size, t.batch_wait_timeout_s, t.max_models_per_replica)
    return Gateway.options(
        num_replicas=cfg.gateway_replicas,
        max_ongoing_requests=cfg.gateway_max_ongoing_requests,
        max_queued_requests=cfg.gateway_max_queued_requests,
        ray_actor_options={"num_cpus": 0},  # I/O-bound: parsing and forwarding
    ).bind(cfg.model_dump(mode="json"), models)
