"""The task protocol: what a workload tells the shared machinery.

The machinery (import, embed, score, evaluate, tune, serve, report) only talks
to a task through this class and never branches on a task's name. A task says:

- which config model validates ``configs/tasks/<name>.yaml`` (:attr:`Task.config_cls`);
- how its corpora are read (:meth:`Task.importers`) or generated (:meth:`Task.generate`);
- which Ray Data stages turn a manifest row into a prediction (:meth:`Task.stages`);
- what it writes beside the per-row predictions (:meth:`Task.finalize`);
- which metrics judge it (:meth:`Task.evaluate`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from pydantic import Field

from rayscore.config import StrictModel, load_config
from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.stage import Stage

#: An importer reads a source (folder, file) in a real public format into a manifest.
Importer = Callable[[Path, Any], Manifest]


class TaskConfig(StrictModel):
    """Base of every task config; ``task`` names the task the file belongs to."""

    task: str = Field(description="Name of the task this config is for.")


class Task(ABC):
    """A workload registered by name (see :func:`rayscore.tasks.register_task`)."""

    name: ClassVar[str]
    config_cls: ClassVar[type[TaskConfig]]
    #: The output column holding the predicted label.
    prediction_column: ClassVar[str] = "prediction"
    #: Importer used when ``score --input`` is given a folder instead of a manifest.
    folder_importer: ClassVar[str] = "folder"

    def load_config(self, path: str | Path | None = None, overrides: Iterable[str] = ()) -> Any:
        """The task's config: model defaults, then ``path``, then ``key=value`` overrides."""
        cfg = load_config(self.config_cls, path, overrides, base={"task": self.name})
        if cfg.task != self.name:
            raise ValueError(f"config is for task '{cfg.task}', not '{self.name}'")
        return cfg

    @abstractmethod
    def label_names(self, cfg: Any) -> list[str]:
        """The label vocabulary, in the order metrics and plots use."""

    @abstractmethod
    def importers(self) -> dict[str, Importer]:
        """Source formats this task can import, by name."""

    @abstractmethod
    def generate(self, out_dir: Path, n: int, seed: int, cfg: Any) -> Manifest:
        """Write a small synthetic corpus of the task's shape and return its manifest."""

    def preflight(self, cfg: Any) -> None:
        """Fail fast, before any Ray work, on a config that cannot run (e.g. missing weights)."""

    @abstractmethod
    def stages(self, cfg: Any) -> list[Stage]:
        """The pipeline from a resolved manifest row to a prediction row."""

    def finalize(self, predictions: pd.DataFrame, cfg: Any, out_dir: Path) -> dict[str, Path]:
        """Write task-level outputs computed over all predictions; returns them by name."""
        return {}

    def evaluate(self, predictions: pd.DataFrame, cfg: Any) -> dict[str, Any]:
        """Metrics of labelled predictions; the default is single-label classification."""
        from rayscore.metrics import classification_metrics

        return classification_metrics(
            predictions["label"], predictions[self.prediction_column], self.label_names(cfg)
        )

    def demo_corpus(self, out_dir: Path, cfg: Any) -> tuple[Manifest, str]:
        """The corpus ``rayscore demo`` runs on, and a sentence saying what it is."""
        manifest = self.generate(out_dir / "corpus", n=200, seed=0, cfg=cfg)
        return manifest, f"a generated {self.name} corpus of {len(manifest)} items"

    def demo_overrides(self, cfg: Any) -> tuple[list[str], str | None]:
        """Overrides the demo needs on this machine (e.g. no downloadable weights), and why."""
        return [], None
