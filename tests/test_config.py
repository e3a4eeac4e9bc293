"""Every YAML under configs/ validates; bad keys fail with a message naming them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rayscore.config import ConfigError, load_config, parse_override
from rayscore.tasks import get_task, list_tasks

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def _task_yamls() -> list[Path]:
    return sorted((CONFIGS / "tasks").glob("*.yaml"))


def test_every_task_has_a_yaml_and_every_yaml_a_task():
    assert sorted(p.stem for p in _task_yamls()) == list_tasks()


@pytest.mark.parametrize("path", _task_yamls(), ids=lambda p: p.stem)
def test_task_yaml_validates_and_equals_the_model_defaults(path: Path):
    task = get_task(path.stem)
    from_yaml = task.load_config(path)
    # The YAML documents the defaults; the model holds them. They must not drift apart.
    assert from_yaml == task.load_config()


def _tune_yamls() -> list[Path]:
    return sorted((CONFIGS / "tune").glob("*.yaml"))


@pytest.mark.parametrize("path", _tune_yamls(), ids=lambda p: p.stem)
def test_sweep_yaml_validates_against_its_task(path: Path, monkeypatch):
    from rayscore.tune.driver import load_sweep, plan_encoders
    from rayscore.tune.space import sweep_base, validate_space

    monkeypatch.chdir(CONFIGS.parent)  # task_config paths are relative to the repository
    sweep = load_sweep(path)
    task = get_task(sweep.task)
    base = sweep_base(task, sweep)
    validate_space(task, base, sweep.space)
    assert plan_encoders(task, base, sweep)


def _tuned_yamls() -> list[Path]:
    return sorted((CONFIGS / "tuned").glob("*.yaml"))


@pytest.mark.parametrize("path", _tuned_yamls(), ids=lambda p: p.stem)
def test_tuned_yaml_validates_for_its_task(path: Path):
    assert get_task(path.stem).load_config(path).task == path.stem


def test_every_yaml_under_configs_is_loaded_by_a_test():
    covered = set(_task_yamls()) | set(_tune_yamls()) | set(_tuned_yamls()) | {CONFIGS / "serve.yaml"}
    assert set(CONFIGS.rglob("*.yaml")) <= covered, "a config file has no validating test"


def test_unknown_top_level_key_is_named(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("task: drum_roles\nfusoin:\n  alpha: 0.5\n")
    with pytest.raises(ConfigError, match=r"unknown key 'fusoin'.*did you mean 'fusion'"):
        get_task("drum_roles").load_config(bad)


def test_unknown_nested_key_in_yaml_is_named(tmp_path: Path):
    data = yaml.safe_load((CONFIGS / "tasks" / "drum_roles.yaml").read_text())
    data["guards"]["texture_suppress"]["multipy"] = 0.5
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=r"guards\.texture_suppress\.multipy"):
        get_task("drum_roles").load_config(bad)


def test_mistyped_value_names_the_key():
    with pytest.raises(ConfigError, match=r"'fusion\.alpha'"):
        get_task("drum_roles").load_config(overrides=["fusion.alpha=lots"])


def test_override_sets_a_value_and_keeps_siblings():
    cfg = get_task("drum_roles").load_config(overrides=["fusion.alpha=0.8", "rule_scoring.weights.CORE.L=0.5"])
    assert cfg.fusion.alpha == 0.8
    assert cfg.rule_scoring.weights["CORE"]["L"] == 0.5
    assert cfg.rule_scoring.weights["CORE"]["A_fast"] == 0.25  # sibling kept
    assert cfg.fusion.confidence_margin_threshold == 0.12


def test_override_unknown_key_suggests_the_right_one():
    with pytest.raises(ConfigError, match=r"unknown key 'fusion\.alpah'.*did you mean 'alpha'"):
        get_task("drum_roles").load_config(overrides=["fusion.alpah=0.8"])


def test_override_unknown_rule_term_is_rejected():
    with pytest.raises(ConfigError, match=r"rule_scoring\.weights\.CORE\.Q"):
        get_task("drum_roles").load_config(overrides=["rule_scoring.weights.CORE.Q=0.5"])


def test_override_parses_yaml_values():
    assert parse_override("pool.required_roles=[CORE, ACCENT]") == ("pool.required_roles", ["CORE", "ACCENT"])
    assert parse_override("guards.enabled=false") == ("guards.enabled", False)
    with pytest.raises(ConfigError, match="key.path=value"):
        parse_override("fusion.alpha")


def test_config_for_another_task_is_rejected(tmp_path: Path):
    bad = tmp_path / "other.yaml"
    bad.write_text("task: urgency\n")
    with pytest.raises(ConfigError, match="task"):
        get_task("drum_roles").load_config(bad)


def test_invalid_regex_in_name_rules_is_reported():
    with pytest.raises(ConfigError, match="invalid regular expression"):
        load_config(get_task("drum_roles").config_cls,
                    overrides=['labels.name_to_role=[{pattern: "kick(", role: CORE}]'])
