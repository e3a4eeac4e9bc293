"""Serving fixtures: one Serve instance on 127.0.0.1, a registry with two drum-role versions."""

from __future__ import annotations

import pytest

from rayscore.pipeline.embed import feature_keys
from rayscore.registry import ModelRegistry
from rayscore.tasks import get_task
from tests.conftest import decaying_sine, deploy, free_port, wav_bytes  # noqa: F401 - shared helpers

TEST_TOKEN_ENV = "RAYSCORE_TEST_SERVE_TOKEN"
TEST_TOKEN = "s3cret-test-token"


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> str:
    """v1: the seed rules (production); v2: a strong prior against CORE, recorded as trained on
    features of an older extraction code."""
    task = get_task("drum_roles")
    reg = ModelRegistry(tmp_path_factory.mktemp("models"))
    cfg1 = task.load_config(overrides=["fusion.alpha=1.0"])
    v1 = reg.register("drum_roles", cfg1, {}, ["CORE"], features=feature_keys(task.encoders(cfg1)))
    cfg2 = task.load_config(overrides=["fusion.alpha=1.0", "fusion.role_bias={CORE: -8}"])
    older = feature_keys(task.encoders(cfg2))
    older["dsp"] = {"hash": "0" * 16, "key": older["dsp"]["key"] | {"version": 0}}
    reg.register("drum_roles", cfg2, {}, ["CORE"], features=older)
    reg.promote("drum_roles", v1.version, "production")
    return str(reg.root)


@pytest.fixture(scope="session")
def kick() -> bytes:
    return wav_bytes(decaying_sine(60, 0.05))
