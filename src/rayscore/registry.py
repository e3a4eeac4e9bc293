"""Versioned model artifacts: ``<root>/<task>/v<N>/`` plus aliases such as ``production``.

A version holds the resolved config (``config.yaml``), the label map
(``labels.json``), metrics (``metrics.json``), weights as safetensors when the
model has any (``weights.safetensors``), provenance (``meta.json``) and a short
model card (``MODEL_CARD.md``). Nothing is ever pickled.

Example:
    >>> reg = ModelRegistry("models")
    >>> v = reg.register("drum_roles", cfg, metrics={"macro_f1": 0.5}, labels=["CORE", ...])  # doctest: +SKIP
    >>> reg.promote("drum_roles", v.version, "production")                                   # doctest: +SKIP
    >>> reg.resolve("drum_roles:production").path                                           # doctest: +SKIP
    PosixPath('models/drum_roles/v1')
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from rayscore.config import dump_yaml

ALIAS_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class RegistryError(ValueError):
    """A model reference that does not resolve, or a bad alias."""


@dataclass
class ModelVersion:
    task: str
    version: int
    path: Path
    aliases: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.task}:{self.version}"

    @property
    def config_path(self) -> Path:
        return self.path / "config.yaml"

    def metrics(self) -> dict[str, Any]:
        return json.loads((self.path / "metrics.json").read_text())

    def model_args(self) -> dict[str, Any] | None:
        """Architecture arguments saved beside the weights (None for versions without them)."""
        path = self.path / "model_args.json"
        return json.loads(path.read_text()) if path.is_file() else None

    def labels(self) -> list[str]:
        return json.loads((self.path / "labels.json").read_text())["labels"]

    def tensors(self, name: str = "weights") -> dict[str, Any]:
        """The saved weights (empty when the config is the model), or another tensor file by name."""
        path = self.path / f"{name}.safetensors"
        if not path.is_file():
            return {}
        from safetensors.numpy import load_file

        return load_file(str(path))


class ModelRegistry:
    """A folder of task -> versions; safe to share on a network file system."""

    def __init__(self, root: str | Path | None = None) -> None:
        # Absolute: Ray workers (actors that load the weights) may run in another directory.
        self.root = Path(root or os.environ.get("RAYSCORE_REGISTRY", "models")).absolute()

    def _aliases(self, task: str) -> dict[str, int]:
        path = self.root / task / "aliases.json"
        return json.loads(path.read_text()) if path.is_file() else {}

    def versions(self, task: str) -> list[ModelVersion]:
        folder = self.root / task
        if not folder.is_dir():
            return []
        aliases = self._aliases(task)
        out = []
        for p in folder.glob("v*"):
            if p.is_dir() and p.name[1:].isdigit() and (p / "meta.json").is_file():
                n = int(p.name[1:])
                names = sorted(a for a, v in aliases.items() if v == n)
                out.append(ModelVersion(task, n, p, names, json.loads((p / "meta.json").read_text())))
        return sorted(out, key=lambda v: v.version)

    def all(self, task: str | None = None) -> list[ModelVersion]:
        tasks = [task] if task else sorted(p.name for p in self.root.glob("*") if p.is_dir())
        return [v for t in tasks for v in self.versions(t)]

    def register(
        self,
        task: str,
        cfg: BaseModel,
        metrics: dict[str, Any],
        labels: list[str],
        tensors: dict[str, Any] | None = None,
        source: dict[str, Any] | None = None,
        card: str = "",
        extra_tensors: dict[str, dict[str, Any]] | None = None,
        model_args: dict[str, Any] | None = None,
        features: dict[str, Any] | None = None,
    ) -> ModelVersion:
        """Write a new version (numbers only grow; concurrent writers get distinct ones).

        ``features``: each encoder's cache key (``pipeline.embed.feature_keys``), so scoring and
        serving can tell when they would compute other features than the model was trained on.
        """
        folder = self.root / task
        folder.mkdir(parents=True, exist_ok=True)
        existing = [v.version for v in self.versions(task)]
        n = max(existing, default=0) + 1
        while True:
            path = folder / f"v{n}"
            try:
                path.mkdir()  # atomic claim of the version number
                break
            except FileExistsError:
                n += 1
        dump_yaml(cfg, path / "config.yaml")
        (path / "labels.json").write_text(json.dumps({"labels": labels, "index": {lab: i for i, lab in enumerate(labels)}}, indent=2))
        (path / "metrics.json").write_text(json.dumps(metrics, indent=2, default=str))
        if tensors:
            from safetensors.numpy import save_file

            save_file({k: _numpy(v) for k, v in tensors.items()}, str(path / "weights.safetensors"))
        if model_args:  # read back to rebuild the architecture, never inferred from tensor shapes
            (path / "model_args.json").write_text(json.dumps(model_args, indent=2))
        for name, arrays in (extra_tensors or {}).items():  # e.g. the references fitted beside the model
            if arrays:
                from safetensors.numpy import save_file

                save_file({k: _numpy(v) for k, v in arrays.items()}, str(path / f"{name}.safetensors"))
        meta = {
            "task": task,
            "version": n,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "weights": bool(tensors),
            "source": source or {},
            **({"features": features} if features else {}),
        }
        (path / "MODEL_CARD.md").write_text(_card(task, n, cfg, metrics, labels, meta, card))
        (path / "meta.json").write_text(json.dumps(meta, indent=2, default=str))  # last: marks complete
        return ModelVersion(task, n, path, [], meta)

    def promote(self, task: str, version: int, alias: str) -> ModelVersion:
        if not ALIAS_RE.match(alias) or alias.isdigit():
            raise RegistryError(f"invalid alias '{alias}': use letters, digits, '-' and '_', starting with a letter")
        target = next((v for v in self.versions(task) if v.version == version), None)
        if target is None:
            raise RegistryError(f"{task} has no version {version}; versions: {[v.version for v in self.versions(task)]}")
        aliases = self._aliases(task) | {alias: version}
        tmp = self.root / task / ".aliases.json.tmp"
        tmp.write_text(json.dumps(aliases, indent=2, sort_keys=True))
        tmp.replace(self.root / task / "aliases.json")
        return self.resolve(f"{task}:{alias}")

    def resolve(self, ref: str, task: str | None = None) -> ModelVersion:
        """``task:3``, ``task:production``, ``task:latest``; or ``3`` / an alias given ``task``."""
        name, sep, which = ref.partition(":")
        if not sep:
            if task is None:
                raise RegistryError(f"model reference '{ref}' needs the form <task>:<version|alias>")
            name, which = task, ref
        if task is not None and name != task:
            raise RegistryError(f"model '{ref}' belongs to task '{name}', not '{task}'")
        versions = self.versions(name)
        if not versions:
            raise RegistryError(f"no registered versions of '{name}' in {self.root}")
        if which == "latest":
            return versions[-1]
        number = int(which.lstrip("v")) if which.lstrip("v").isdigit() else self._aliases(name).get(which)
        found = next((v for v in versions if v.version == number), None)
        if found is None:
            known = ", ".join([str(v.version) for v in versions] + sorted(self._aliases(name)))
            raise RegistryError(f"'{ref}' does not exist; {name} has: {known}, latest")
        return found


def _numpy(value: Any) -> np.ndarray:
    array = value.detach().cpu().numpy() if hasattr(value, "detach") else np.asarray(value)
    # safetensors writes the raw buffer: a transposed (Fortran-ordered) view would load scrambled.
    return np.ascontiguousarray(array)


def _card(task: str, n: int, cfg: BaseModel, metrics: dict, labels: list[str], meta: dict, extra: str) -> str:
    flat = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
    lines = [
        f"# {task} v{n}",
        "",
        f"Registered {meta['created']}. Weights: {'weights.safetensors' if meta['weights'] else 'none (the config is the model)'}.",
        "",
        f"Labels: {', '.join(labels)}",
        "",
        "## Metrics",
        "",
        *[f"- {k}: {v:.4f}" if isinstance(v, float) else f"- {k}: {v}" for k, v in flat.items()],
        "",
        "## Provenance",
        "",
        *[f"- {k}: {v}" for k, v in meta["source"].items()],
        "",
        "The full resolved configuration is in config.yaml.",
    ]
    if extra:
        lines += ["", extra]
    return "\n".join(lines) + "\n"
