"""Search-space parsing and validation against the task's config model."""

from __future__ import annotations

import optuna
import pytest

from rayscore.config import ConfigError, validate
from rayscore.tasks import get_task
from rayscore.tune.config import SweepConfig
from rayscore.tune.driver import plan_encoders
from rayscore.tune.space import DefineByRun, build_config, start_point, validate_space

TASK = get_task("drum_roles")
BASE = TASK.load_config(overrides=["fusion.alpha=1.0"]).model_dump(mode="json")


def sweep(space: dict) -> SweepConfig:
    return validate(SweepConfig, {"task": "drum_roles", "name": "t", "data": {"input": "x"}, "space": space})


def check(space: dict) -> None:
    validate_space(TASK, BASE, sweep(space).space)


def test_a_valid_space_passes():
    check({
        "fusion.alpha": {"type": "uniform", "low": 0.5, "high": 1.0},
        "rule_scoring.temperature": {"type": "loguniform", "low": 0.05, "high": 0.5},
        "fusion.role_bias.FILL": {"type": "uniform", "low": -1, "high": 1},
        "rule_scoring.weights.FILL.L": {"type": "uniform", "low": 0, "high": 1},
        "dsp.n_fft": {"type": "categorical", "choices": [512, 1024]},
        "pool.max_sizes.CORE": {"type": "int", "low": 1, "high": 8},
    })


@pytest.mark.parametrize(
    "space,message",
    [
        ({"fusion.alpah": {"type": "uniform", "low": 0, "high": 1}}, r"space\.fusion\.alpah: unknown key"),
        ({"fusion.alpha": {"type": "uniform", "low": 0.5, "high": 1.5}}, r"space\.fusion\.alpha: value 1\.5"),
        ({"fusion.role_bias.KICK": {"type": "uniform", "low": 0, "high": 1}}, r"space\.fusion\.role_bias\.KICK"),
        ({"rule_scoring.weights.CORE.Q": {"type": "uniform", "low": 0, "high": 1}}, r"weights\.CORE\.Q"),
        ({"dsp.n_fft": {"type": "categorical", "choices": [1024, 8]}}, r"space\.dsp\.n_fft: value 8"),
        ({"rule_scoring.temperature": {"type": "uniform", "low": 0.0, "high": 1.0}}, r"temperature: value 0\.0"),
    ],
)
def test_names_and_bounds_are_checked_against_the_task_config(space, message):
    with pytest.raises(ConfigError, match=message):
        check(space)


@pytest.mark.parametrize(
    "spec,message",
    [
        ({"type": "uniform", "low": 1.0, "high": 0.5}, "low"),
        ({"type": "loguniform", "low": 0.0, "high": 1.0}, "low > 0"),
        ({"type": "int", "low": 3, "high": 3}, "low"),
        ({"type": "categorical", "choices": []}, "choices"),
        ({"type": "simplex", "components": ["a"]}, "components"),
        ({"type": "normal", "mu": 0}, "type"),
    ],
)
def test_malformed_parameters_are_rejected(spec, message):
    with pytest.raises(ConfigError, match=message):
        sweep({"fusion.alpha": spec})


def test_simplex_draws_sum_to_one_and_set_each_component():
    space = sweep({"fusion.role_bias": {"type": "simplex", "components": ["CORE", "FILL", "TEXTURE"]}}).space
    validate_space(TASK, BASE, space)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    define = DefineByRun(space)
    for _ in range(5):
        trial = study.ask()
        values = define(trial)
        assert set(values) == {"fusion.role_bias.CORE", "fusion.role_bias.FILL", "fusion.role_bias.TEXTURE"}
        assert sum(values.values()) == pytest.approx(1.0)
        cfg = build_config(TASK, BASE, values)
        assert sum(cfg.fusion.role_bias.values()) == pytest.approx(1.0)
        study.tell(trial, 0.0)


def test_start_point_is_the_start_config_when_inside_the_space():
    space = sweep({"fusion.alpha": {"type": "uniform", "low": 0.5, "high": 1.0},
                   "fusion.role_bias.FILL": {"type": "uniform", "low": -1, "high": 1}}).space
    point, why = start_point(space, BASE)
    assert point == {"fusion.alpha": 1.0, "fusion.role_bias.FILL": 0.0} and why == ""
    narrow = sweep({"fusion.alpha": {"type": "uniform", "low": 0.2, "high": 0.6}}).space
    point, why = start_point(narrow, BASE)
    assert point is None and "fusion.alpha=1.0" in why


def test_encoder_planning():
    # alpha switches CLAP on and off: both encoders are embedded up front
    s = sweep({"fusion.alpha": {"type": "uniform", "low": 0.5, "high": 1.0}})
    cfg_base = TASK.load_config(overrides=["fusion.alpha=1.0", "clap.model_id=/m"]).model_dump(mode="json")
    assert sorted(e.name for e in plan_encoders(TASK, cfg_base, s)) == ["clap", "dsp"]
    # a categorical change of what an encoder computes: each choice is embedded
    s = sweep({"dsp.n_fft": {"type": "categorical", "choices": [512, 1024, 2048]}})
    assert len(plan_encoders(TASK, BASE, s)) == 3
    # a continuous one cannot be: embeddings are made once per sweep
    s = sweep({"dsp.attack_window_sec": {"type": "uniform", "low": 0.02, "high": 0.2}})
    with pytest.raises(ConfigError, match=r"space\.dsp\.attack_window_sec changes what the 'dsp' encoder"):
        plan_encoders(TASK, BASE, s)
