"""Where Ray runs: a cluster when ``RAY_ADDRESS`` is set, an embedded local instance otherwise."""

from __future__ import annotations

import logging
import os


def init_ray(num_cpus: int | None = None) -> None:
    """Connect to ``RAY_ADDRESS`` or start a local Ray; a no-op when Ray is already up.

    Library functions call this, never ``ray.init`` directly, so tests and jobs
    that started Ray themselves keep their instance.
    """
    # Ray Data logs every execution at INFO; keep the terminal for progress bars and results.
    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "WARNING")
    import ray

    if ray.is_initialized():
        return
    address = os.environ.get("RAY_ADDRESS")
    if address:
        try:
            ray.init(address=address, logging_level=logging.WARNING)
        except ConnectionError as exc:
            hint = ""
            if os.environ.get("RAY_AUTH_MODE") != "token":
                hint = (
                    " If the cluster uses token authentication (the default for `ray start` "
                    "since Ray 2.59), export RAY_AUTH_MODE=token and provide its token "
                    "(~/.ray/auth_token or RAY_AUTH_TOKEN)."
                )
            raise ConnectionError(f"cannot reach the Ray cluster at RAY_ADDRESS={address}.{hint}") from exc
    else:
        ray.init(num_cpus=num_cpus, include_dashboard=False, logging_level=logging.WARNING)
    quiet_ray_logs()


def quiet_ray_logs() -> None:
    """Keep Ray Data's progress bars but drop its per-run INFO chatter."""
    for name in ("ray.data", "ray.tune", "ray.serve"):
        logging.getLogger(name).setLevel(logging.WARNING)


def worker_cpus(outside_ray: int = 1) -> int:
    """Whole CPUs Ray gave the worker this runs in (a task, an actor, a Serve replica), at least 1.

    Work that fans out inside one worker (OCR subprocesses) sizes itself by this rather
    than by the machine's cores, which Ray has already shared out among workers. In a
    process Ray did not start (the plain loop, the driver) it is ``outside_ray``.
    """
    import ray

    if not ray.is_initialized():
        return outside_ray
    try:
        cpus = ray.get_runtime_context().get_assigned_resources().get("CPU", 0.0)
    except AssertionError:  # the driver (Ray started, the plain loop running here): Ray assigned it nothing
        return outside_ray
    return max(1, round(cpus)) if cpus else outside_ray
