"""Start the rayscore Serve application from a Serve config file (``rayscore serve``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from rayscore.config import ConfigError


def load_serve_config(path: str | Path) -> Any:
    """Validate a Serve config file with Ray's own schema (the one `serve deploy` uses)."""
    from pydantic import ValidationError as V2Error
    from ray.serve.schema import ServeDeploySchema

    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"serve config not found: {p}")
    try:
        return ServeDeploySchema.parse_obj(yaml.safe_load(p.read_text()))
    except (V2Error, ValueError, TypeError) as exc:
        raise ConfigError(f"{p}: invalid Serve config: {exc}") from None


def serve_forever(
    config: str | Path,
    host: str | None = None,
    port: int | None = None,
    registry: str | Path | None = None,
    echo: Callable[[str], Any] = print,
    block: bool = True,
) -> str:
    """Deploy the config's rayscore application; returns its base URL (blocks unless told not to)."""
    from ray import serve

    from rayscore.config import validate
    from rayscore.runtime import init_ray
    from rayscore.serving.app import ServeArgs, build_app

    schema = load_serve_config(config)
    apps = [a for a in schema.applications if a.import_path == "ray_apps.app:build_app"]
    if not apps:
        raise ConfigError(f"{config}: no application with import_path ray_apps.app:build_app")
    app_cfg = apps[0]
    args = validate(ServeArgs, app_cfg.args or {}, f"{config}: applications[{app_cfg.name}].args")
    if registry is not None:
        args = args.model_copy(update={"registry": str(registry)})
    http = schema.http_options
    bind_host, bind_port = host or http.host or "127.0.0.1", port or http.port or 8000
    init_ray()
    serve.start(http_options={"host": bind_host, "port": bind_port,
                              "request_timeout_s": http.request_timeout_s})
    run_app(build_app(args), app_cfg.name, app_cfg.route_prefix or "/")
    url = f"http://{bind_host}:{bind_port}{(app_cfg.route_prefix or '/').rstrip('/')}"
    echo(f"serving {', '.join(args.tasks)} at {url}  (docs: {url}/docs; Ctrl+C stops)")
    for warning in _drift_warnings(args):
        echo(warning)
    if block:
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            serve.shutdown()
    return url


def run_app(app: Any, name: str, route_prefix: str, timeout_s: float = 600) -> None:
    """``serve.run`` that gives up: Serve waits without end for replicas the cluster has no room for
    (a config asking more CPUs or GPUs than there are hung silently; so did a test, for CI's 90 min).
    After ``timeout_s`` the app is taken down and the error names what it waited for."""
    import ray
    from ray import serve
    from ray.serve.api import RunTarget, _run_many

    _run_many([RunTarget(target=app, name=name, route_prefix=route_prefix)], wait_for_applications_running=False)
    deadline = time.monotonic() + timeout_s
    while (state := serve.status().applications[name]).status != "RUNNING":
        if state.status == "DEPLOY_FAILED" or time.monotonic() > deadline:
            serve.delete(name)
            free = {k: v for k, v in ray.available_resources().items() if k in ("CPU", "GPU")}
            raise ConfigError(f"serve app {name!r} not running after {timeout_s:.0f} s "
                              f"({state.status.value}{': ' + state.message if state.message else ''}); "
                              f"free on the cluster: {free} -- does it ask for more num_cpus/num_gpus than that?")
        time.sleep(0.5)


def _drift_warnings(args: Any) -> list[str]:
    """A line per default model that this code would feed other features than it was trained on."""
    from rayscore.pipeline.embed import drift_warning
    from rayscore.registry import ModelRegistry, RegistryError
    from rayscore.tasks import get_task

    registry = ModelRegistry(args.registry)
    out = []
    for name, served in args.tasks.items():
        task = get_task(name)
        try:
            version = registry.resolve(served.default_model, task=name)
        except RegistryError:
            continue  # requests then get the registry's own 404; nothing is served wrong
        if warning := drift_warning(task, version):
            out.append(warning)
    return out
