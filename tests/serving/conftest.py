"""Serving fixtures: one Serve instance on 127.0.0.1, a registry with two drum-role versions."""

from __future__ import annotations

import io
import socket

import numpy as np
import pytest
import soundfile as sf

from rayscore.registry import ModelRegistry
from rayscore.tasks import get_task
from tests.conftest import decaying_sine

TEST_TOKEN_ENV = "RAYSCORE_TEST_SERVE_TOKEN"
TEST_TOKEN = "s3cret-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wav_bytes(y: np.ndarray, sr: int = 16000, fmt: str = "WAV") -> bytes:
    buf = io.BytesIO()
    sf.write(buf, y, sr, format=fmt)
    return buf.getvalue()


@pytest.fixture(scope="session")
def serve_url(ray_local) -> str:
    from ray import serve

    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port, "request_timeout_s": 60})
    yield f"http://127.0.0.1:{port}"
    serve.shutdown()


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> str:
    """v1: the seed rules (production); v2: a strong prior against CORE."""
    task = get_task("drum_roles")
    reg = ModelRegistry(tmp_path_factory.mktemp("models"))
    v1 = reg.register("drum_roles", task.load_config(overrides=["fusion.alpha=1.0"]), {}, ["CORE"])
    reg.register("drum_roles", task.load_config(overrides=["fusion.alpha=1.0", "fusion.role_bias={CORE: -8}"]),
                 {}, ["CORE"])
    reg.promote("drum_roles", v1.version, "production")
    return str(reg.root)


_deployed: list[str] = []


def deploy(name: str, prefix: str, args: dict) -> None:
    """Deploy an app for this module; ``undeploy`` removes it so the next module has the CPUs."""
    from ray import serve

    from ray_apps.app import build_app

    serve.run(build_app(args), name=name, route_prefix=prefix)
    _deployed.append(name)


@pytest.fixture(scope="module", autouse=True)
def undeploy():
    yield
    from ray import serve

    while _deployed:
        serve.delete(_deployed.pop())


@pytest.fixture(scope="session")
def kick() -> bytes:
    return wav_bytes(decaying_sine(60, 0.05))
