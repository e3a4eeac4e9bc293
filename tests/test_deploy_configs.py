"""cluster.yaml against Ray's cluster-launcher schema; configs/serve.yaml against Serve's and ours."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from rayscore.tasks import list_tasks

REPO = Path(__file__).resolve().parents[1]


def test_cluster_yaml_is_a_valid_ray_cluster_config():
    from ray.autoscaler._private.util import prepare_config, validate_config

    raw = yaml.safe_load((REPO / "cluster.yaml").read_text())
    cfg = prepare_config(copy.deepcopy(raw))  # what `ray up` does before validating
    validate_config(cfg)
    gpu = cfg["available_node_types"]["gpu_worker"]
    assert gpu["resources"]["GPU"] >= 1 and gpu["min_workers"] == 0 and gpu["max_workers"] >= 1
    assert cfg["idle_timeout_minutes"] > 0
    assert "GPU" not in cfg["available_node_types"][cfg["head_node_type"]]["resources"]
    assert any("constraints.txt" in c for c in cfg["setup_commands"])  # installs rayscore


def test_cluster_yaml_typos_are_caught():
    import jsonschema
    from ray.autoscaler._private.util import prepare_config, validate_config

    raw = yaml.safe_load((REPO / "cluster.yaml").read_text())
    raw["available_node_types"]["gpu_worker"]["max_wokers"] = 2
    with pytest.raises(jsonschema.ValidationError, match="max_wokers"):
        validate_config(prepare_config(raw))


def test_serve_yaml_validates_with_serve_and_our_args():
    from ray_apps.app import ServeArgs
    from rayscore.config import validate
    from rayscore.serving.launch import load_serve_config

    schema = load_serve_config(REPO / "configs" / "serve.yaml")
    assert schema.http_options.host == "127.0.0.1"  # never bind every interface by default
    (app,) = schema.applications
    assert app.import_path == "ray_apps.app:build_app"
    args = validate(ServeArgs, app.args, "serve args")
    assert set(args.tasks) == set(list_tasks())  # every workload is served
    assert all(t.default_model == "production" for t in args.tasks.values())


def test_serve_args_name_bad_keys():
    from ray_apps.app import ServeArgs
    from rayscore.config import ConfigError, validate

    with pytest.raises(ConfigError, match="tasks.drum_roles.max_batch_sise"):
        validate(ServeArgs, {"tasks": {"drum_roles": {"max_batch_sise": 4}}}, "serve args")
    with pytest.raises(ConfigError, match="unknown task 'drums'"):
        validate(ServeArgs, {"tasks": {"drums": {}}}, "serve args")
