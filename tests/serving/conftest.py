"""Serving fixtures: one Serve instance on 127.0.0.1, a registry with two drum-role versions."""

from __future__ import annotations

import pytest

from rayscore.registry import ModelRegistry
from rayscore.tasks import get_task
from tests.conftest import decaying_sine, deploy, free_port, wav_bytes  # noqa: F401 - shared helpers

TEST_TOKEN_ENV = "RAYSCORE_TEST_SERVE_TOKEN"
TEST_TOKEN = "s3cret-test-token"


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


@pytest.fixture(scope="session")
def kick() -> bytes:
    return wav_bytes(decaying_sine(60, 0.05))
