"""Typed configuration: YAML is data, pydantic models are the schema.

Every YAML under ``configs/`` validates into a :class:`StrictModel` subclass.
Unknown keys are errors, and every error names the dotted key that caused it,
so a typo such as ``fusion.alpah`` fails loudly instead of being ignored.

Example:
    >>> from rayscore.tasks import get_task
    >>> task = get_task("drum_roles")
    >>> cfg = load_config(task.config_cls, overrides=["fusion.alpha=0.8"])
    >>> cfg.fusion.alpha
    0.8
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the offending key."""


class StrictModel(BaseModel):
    """Base for every config model: unknown keys are rejected."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class StageResources(StrictModel):
    """Resources of one Ray Data stage, passed to ``map_batches`` as they are."""

    batch_size: int = Field(32, ge=1, description="Rows per batch handed to the stage.")
    num_cpus: float = Field(1.0, ge=0, description="CPUs reserved per task or actor.")
    num_gpus: float = Field(0.0, ge=0, description="GPUs per actor (0 runs on CPU).")
    concurrency: int | tuple[int, int] | None = Field(
        None, description="Actor pool size, [min, max] to autoscale the pool, or the cap on parallel tasks "
                          "(None: no cap).")
    memory_gb: float | None = Field(
        None, gt=0, description="Memory reserved per task or actor, in GiB (None: unreserved)."
    )


    @field_validator("concurrency")
    @classmethod
    def _pool(cls, v: int | tuple[int, int] | None) -> int | tuple[int, int] | None:
        low, high = (v, v) if isinstance(v, int) else (v or (1, 1))
        if low < 1 or high < low:
            raise ValueError(f"concurrency must be >= 1, or [min, max] with 1 <= min <= max; got {v}")
        return v

    @property
    def pool_min(self) -> int:
        """Actors an actor stage starts with (and keeps)."""
        c = self.concurrency
        return 1 if c is None else c if isinstance(c, int) else c[0]


def load_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML mapping; a missing file or a non-mapping is a ConfigError."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file not found: {p}")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{p} is not a text file (not UTF-8): a config is YAML") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config {p}: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: invalid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: expected a mapping at the top level, got {type(data).__name__}")
    return data


def _unknown_key_message(dotted: str, valid: Iterable[str]) -> str:
    valid = sorted(valid)
    leaf = dotted.rsplit(".", 1)[-1]
    guess = difflib.get_close_matches(leaf, valid, n=1)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    parent = dotted.rsplit(".", 1)[0] if "." in dotted else "<top level>"
    return f"unknown key '{dotted}'{hint}; valid keys under {parent}: {', '.join(valid)}"


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel class inside an annotation such as ``Foo`` or ``Foo | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _nested_model(arg)
        if found is not None and get_origin(annotation) is not dict:
            return found
    return None


def check_key(model: type[BaseModel], dotted: str) -> None:
    """Raise ConfigError unless ``dotted`` names a real field path of ``model``.

    Keys inside free-form mappings (``dict[...]`` fields) are accepted here and
    checked by validation, which knows their value types.
    """
    current: type[BaseModel] | None = model
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if current is None:
            return
        fields = current.model_fields
        if part not in fields:
            raise ConfigError(_unknown_key_message(".".join(parts[: i + 1]), fields))
        annotation = fields[part].annotation
        if get_origin(annotation) is dict:
            return
        current = _nested_model(annotation)


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``key.path=value``; the value is parsed as YAML (``0.8``, ``[a, b]``, ``true``)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(f"override '{text}' is not of the form key.path=value")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError as exc:
        raise ConfigError(f"override '{text}': value is not valid YAML: {exc}") from exc
    return key, value


def set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``data[a][b][c] = value`` for ``a.b.c``, creating mappings on the way."""
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def format_validation_error(exc: ValidationError, source: str) -> str:
    """One line per problem, each naming the dotted key."""
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "<top level>"
        if err["type"] == "extra_forbidden":
            lines.append(f"unknown key '{key}'")
        else:
            lines.append(f"'{key}': {err['msg']} (got {err.get('input')!r})")
    return f"{source}: invalid config: " + "; ".join(lines)


def validate(model: type[M], data: Mapping[str, Any], source: str = "config") -> M:
    """Validate ``data`` into ``model``; errors become a ConfigError naming each key."""
    for key in data:  # name a top-level typo with a suggestion before pydantic's terser message
        if key not in model.model_fields:
            raise ConfigError(f"{source}: " + _unknown_key_message(str(key), model.model_fields))
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, source)) from exc


def load_config(
    model: type[M],
    path: str | Path | None = None,
    overrides: Iterable[str] = (),
    base: Mapping[str, Any] | None = None,
) -> M:
    """Build a config from defaults, an optional YAML file and ``key=value`` overrides.

    Later sources win: model defaults < ``base`` < the YAML file < overrides.
    Mappings are merged key by key, so ``--set rule_scoring.weights.CORE.L=0.5``
    changes one weight and keeps the others; lists are replaced whole.
    """
    data: dict[str, Any] = dict(base or {})
    try:
        data = model.model_validate(data).model_dump(mode="json")
    except ValidationError:
        pass  # a model with required fields has no complete defaults to start from
    source = "defaults"
    if path is not None:
        data = deep_merge(data, load_yaml(path))
        source = str(path)
    overrides = list(overrides)
    if overrides:
        source += " + --set overrides"
    for text in overrides:
        key, value = parse_override(text)
        try:
            check_key(model, key)
        except ConfigError as exc:
            raise ConfigError(f"--set {text}: {exc}") from None
        set_dotted(data, key, value)
    return validate(model, data, source)


def deep_merge(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def dump_yaml(cfg: BaseModel, path: str | Path) -> Path:
    """Write a config as YAML that :func:`load_config` reads back to an equal model."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False, allow_unicode=True))
    return p
