"""Search spaces: validation against the task's config model, Optuna define-by-run, configs.

Parameters are named by the dotted config key they set (``fusion.alpha``);
a simplex ``train.loss_mix`` over ``[kl, focal, ce]`` sets ``train.loss_mix.kl``
and its siblings to values that sum to 1.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from rayscore.config import ConfigError, check_key, set_dotted, validate
from rayscore.tasks.base import Task
from rayscore.tune.config import (
    Branch,
    Categorical,
    IntRange,
    LogUniform,
    ParamSpec,
    Simplex,
    SweepConfig,
    Uniform,
)


def param_keys(key: str, spec: ParamSpec) -> list[str]:
    """The config keys one parameter sets (a branch: its own and those of every sub-space)."""
    if isinstance(spec, Simplex):
        return [f"{key}.{c}" for c in spec.components]
    if isinstance(spec, Branch):
        subs = {k for sub in spec.choices.values() for sk, ss in sub.items() for k in param_keys(sk, ss)}
        return [key, *sorted(subs)]
    return [key]


def apply_params(base: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with each dotted key of ``params`` set."""
    data = copy.deepcopy(dict(base))
    for key, value in params.items():
        set_dotted(data, key, value)
    return data


def build_config(task: Task, base: Mapping[str, Any], params: Mapping[str, Any]) -> Any:
    return validate(task.config_cls, apply_params(base, params), "trial config")


def probe_params(key: str, spec: ParamSpec, probe: Any) -> dict[str, Any]:
    if isinstance(spec, Simplex):
        return {f"{key}.{c}": v for c, v in probe.items()}
    return {key: probe}


def validate_space(task: Task, base: Mapping[str, Any], space: Mapping[str, ParamSpec], where: str = "space") -> None:
    """Every key must be a real config key and every bound a value the config accepts."""
    for key, spec in space.items():
        for k in param_keys(key, spec):
            try:
                check_key(task.config_cls, k)
            except ConfigError as exc:
                raise ConfigError(f"{where}.{key}: {exc}") from None
        for probe in spec.probes():
            try:
                build_config(task, base, probe_params(key, spec, probe))
            except ConfigError as exc:
                detail = str(exc).split("invalid config:", 1)[-1].strip()
                raise ConfigError(f"{where}.{key}: value {probe!r} is not accepted by the task config: {detail}") from None
        if isinstance(spec, Branch):  # each sub-space, with its branch value in place
            for choice, sub in spec.choices.items():
                validate_space(task, apply_params(base, {key: choice}), sub, f"{where}.{key}.choices.{choice}")


class DefineByRun:
    """An Optuna define-by-run function drawing every parameter of ``space``.

    A class rather than a closure: Ray Tune pickles the searcher, this included,
    into the experiment state that ``--resume`` restores.
    """

    def __init__(self, space: Mapping[str, ParamSpec]) -> None:
        self.space = dict(space)

    def __call__(self, trial: Any) -> dict[str, Any]:
        return _draw(trial, self.space)  # returned values replace the raw draws in the trial config


def _draw(trial: Any, space: Mapping[str, ParamSpec]) -> dict[str, Any]:
    normalized: dict[str, Any] = {}
    for key, spec in space.items():
        if isinstance(spec, LogUniform):
            trial.suggest_float(key, spec.low, spec.high, log=True)
        elif isinstance(spec, Uniform):
            trial.suggest_float(key, spec.low, spec.high)
        elif isinstance(spec, IntRange):
            trial.suggest_int(key, spec.low, spec.high, step=spec.step)
        elif isinstance(spec, Categorical):
            trial.suggest_categorical(key, spec.choices)
        elif isinstance(spec, Branch):  # only the chosen branch's parameters are drawn
            choice = trial.suggest_categorical(key, list(spec.choices))
            normalized |= _draw(trial, spec.choices[choice])
        else:  # Simplex: free weights in [0, 1], normalised to sum to 1
            raw = {f"{key}.{c}": trial.suggest_float(f"{key}.{c}", 0.0, 1.0) for c in spec.components}
            total = sum(raw.values())
            normalized |= {k: (v / total if total > 0 else 1.0 / len(raw)) for k, v in raw.items()}
    return normalized


def leaf_specs(space: Mapping[str, ParamSpec]) -> dict[str, ParamSpec]:
    """Every parameter's spec by the config key it sets, branches flattened."""
    out: dict[str, ParamSpec] = {}
    for key, spec in space.items():
        out[key] = spec
        if isinstance(spec, Branch):
            for sub in spec.choices.values():
                out |= leaf_specs(sub)
        elif isinstance(spec, Simplex):
            out |= {k: spec for k in param_keys(key, spec)}
    return out


def coerce_params(space: Mapping[str, ParamSpec], params: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the space declares them (a table turns 4 into 4.0 and True into numpy.bool_)."""
    specs = leaf_specs(space)
    out = {}
    for key, value in params.items():
        spec = specs.get(key)
        if isinstance(spec, IntRange):
            value = int(value)
        elif isinstance(spec, (Categorical, Branch)):
            value = next((c for c in spec.probes() if c == value), value)
        elif hasattr(value, "item"):
            value = value.item()
        out[key] = value
    return out


def get_dotted(data: Mapping[str, Any], key: str) -> Any:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def start_point(space: Mapping[str, ParamSpec], base: Mapping[str, Any]) -> tuple[dict | None, str]:
    """The start config as a point of ``space``, or None and why it is not in the space.

    Keys missing from the start config (an unset role bias, a rule term not
    used) read as 0, which is what they mean there.
    """
    point: dict[str, Any] = {}
    for key, spec in space.items():
        if isinstance(spec, Branch):
            value = get_dotted(base, key)
            if value not in spec.choices:
                return None, f"{key}={value!r} is not one of the branches {list(spec.choices)}"
            sub, why = start_point(spec.choices[value], base)
            if sub is None:
                return None, why
            point |= {key: value, **sub}
            continue
        for k in param_keys(key, spec):
            value = get_dotted(base, k)
            if value is None:
                value = 0.0 if isinstance(spec, Simplex) else None  # e.g. an unset role bias
            if isinstance(spec, (Uniform, IntRange)) and value is None:
                value = 0.0 if spec.low <= 0.0 <= spec.high else None
            ok = (
                value is not None
                and (not isinstance(spec, (Uniform, IntRange)) or spec.low <= value <= spec.high)
                and (not isinstance(spec, Categorical) or value in spec.choices)
                and (not isinstance(spec, Simplex) or 0.0 <= value <= 1.0)
            )
            if not ok:
                return None, f"{k}={value!r} lies outside the search space"
            point[k] = value
    return point, ""


def sweep_base(task: Task, sweep: SweepConfig) -> dict[str, Any]:
    """The resolved start config of a sweep, as plain data."""
    cfg = task.load_config(sweep.task_config, sweep.overrides)
    return cfg.model_dump(mode="json")
