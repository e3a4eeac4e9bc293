"""The task protocol: what a workload tells the shared machinery.

The machinery (import, embed, score, evaluate, tune, train, serve, report)
only talks to a task through this class and never branches on a task's name.
A task says:

- which config model validates ``configs/tasks/<name>.yaml`` (:attr:`Task.config_cls`);
- how its corpora are read (:meth:`Task.importers`) or generated (:meth:`Task.generate`);
- which cacheable encoders turn a row into features (:meth:`Task.encoders`);
- how a model is fitted on features, one epoch at a time (:meth:`Task.fit`), and
  how it predicts (:meth:`Task.predict`): training, tuning trials and the
  registry all call these two, nothing else;
- which Ray Data stages turn a manifest row into a prediction in one streaming
  pass (:meth:`Task.stages`), built from the same functions;
- what it writes beside the per-row predictions (:meth:`Task.finalize`);
- which metrics judge it (:meth:`Task.evaluate`, :attr:`Task.metric`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, Field

from rayscore.config import StrictModel, load_config
from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.stage import Stage
from rayscore.serving.spec import RequestSpec

if TYPE_CHECKING:
    from rayscore.pipeline.embed import EncoderSpec
    from rayscore.registry import ModelVersion

#: An importer reads a source (folder, file) in a real public format into a manifest.
Importer = Callable[[Path, Any], Manifest]


class Prediction(BaseModel):
    """The answer of a classification route (tasks may answer with a richer model)."""

    id: str = Field(description="The request's id (given, or generated).")
    model: str = Field(description="The registered model that answered, <task>:<version>.")
    prediction: str
    confidence: float
    scores: dict[str, float] = Field(description="Probability per class.")


class TaskConfig(StrictModel):
    """Base of every task config; ``task`` names the task the file belongs to."""

    task: str = Field(description="Name of the task this config is for.")


class Task(ABC):
    """A workload registered by name (see :func:`rayscore.tasks.register_task`)."""

    name: ClassVar[str]
    config_cls: ClassVar[type[TaskConfig]]
    #: The output column holding the predicted label.
    prediction_column: ClassVar[str] = "prediction"
    #: Importer used when ``score --input`` is given a folder instead of a manifest ...
    folder_importer: ClassVar[str] = "folder"
    #: ... or a file with one of these suffixes (W5: KLUE-RE's .json / .jsonl).
    input_suffixes: ClassVar[tuple[str, ...]] = ()
    #: What one step of a tuning trial is: a CV fold (cheap fits) or an epoch (neural).
    progress_unit: ClassVar[Literal["fold", "epoch"]] = "fold"
    #: Scoring needs a trained, registered model (the demo trains one first).
    needs_model: ClassVar[bool] = False
    #: The metric sweeps optimise (a key of :meth:`evaluate`'s result) and its direction.
    metric: ClassVar[str] = "macro_f1"
    metric_mode: ClassVar[Literal["max", "min"]] = "max"
    #: What an HTTP request holds (file kind, fields): the generic route is built from it.
    request: ClassVar[RequestSpec] = RequestSpec(file="audio")
    #: The route is POST /v1/<task>/<serve_route>.
    serve_route: ClassVar[str] = "predict"
    response_model: ClassVar[type[BaseModel]] = Prediction
    #: How training rows are cross-validated where no sweep says: grouped when the data has enough
    #: groups (kits, sites: rows of a group are alike), or always stratified.
    cv_strategy: ClassVar[Literal["auto", "stratified"]] = "auto"
    #: A split whose rows are judged and never trained on (a competition's or KLUE's test file, even
    #: when answers label it); evaluation judges only it when some of its rows carry labels.
    held_out_split: ClassVar[str | None] = None
    #: What the simple references beside the model predict (see :mod:`rayscore.references`).
    reference_kind: ClassVar[Literal["classification", "anomaly"]] = "classification"

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
    def stages(self, cfg: Any, model: ModelVersion | None = None) -> list[Stage]:
        """The streaming pipeline from a resolved manifest row to a prediction row.

        ``model`` is a registered version whose weights the stages load (tasks
        whose config is the whole model ignore it).
        """

    @abstractmethod
    def encoders(self, cfg: Any) -> list[EncoderSpec]:
        """The cacheable feature extractors ``cfg`` needs (see :mod:`rayscore.pipeline.embed`)."""

    @abstractmethod
    def fit(self, cfg: Any, train: pd.DataFrame, valid: pd.DataFrame | None = None) -> Iterator[Any]:
        """Fit on encoded rows; yield the model after every epoch (once, if nothing is trained).

        Tuning reads one yield as one step of progress when ``progress_unit`` is
        ``"epoch"``; training keeps the last (or best) model it yields. Neural tasks
        also take ``resume=`` (a yielded model's ``checkpoint()``) and continue from
        that epoch: a trial that failed resumes instead of starting over.
        """

    @abstractmethod
    def predict(self, model: Any, cfg: Any, features: pd.DataFrame) -> pd.DataFrame:
        """``features`` plus prediction columns (``prediction_column``, confidence, ...)."""

    def cheap_fit(self, cfg: Any) -> bool:
        """Whether a fit is cheap enough to cross-validate at `train` time (for the model card)."""
        return self.progress_unit == "fold"

    def out_of_fold(self, model: Any, cfg: Any, rows: pd.DataFrame) -> pd.DataFrame | None:
        """``predict``'s frame for ``rows``, the rows ``model`` was just fitted on, each predicted by a
        model that did not see it, with a ``fold`` column: when the fit made such predictions already
        (e.g. to calibrate), `train`'s report uses them instead of fitting the model again per fold.
        None: it cross-validates."""
        return None

    def max_epochs(self, cfg: Any) -> int:
        """Most epochs one fit runs (the ASHA horizon of epoch-unit tasks)."""
        raise NotImplementedError(f"{self.name} tunes by epoch but does not say how many epochs at most")

    def model_tensors(self, model: Any) -> dict[str, Any]:
        """Weights to save as safetensors in the registry; none when the config is the model."""
        return {}

    def reference_columns(self, cfg: Any) -> list[str]:
        """The feature columns references are fitted on: by default every encoder's output."""
        cols: list[str] = []
        for spec in self.encoders(cfg):
            cols += [c for c in spec.columns if c not in cols]
        return cols

    def model_notes(self, model: Any) -> dict[str, str]:
        """What a user should know about a fitted model (e.g. which engine each asset got, and why)."""
        return {}

    def model_args(self, model: Any) -> dict[str, Any]:
        """Architecture arguments saved beside the weights (layer sizes, kind), read back by :meth:`load_model`."""
        return {}

    def load_model(self, cfg: Any, tensors: dict[str, Any], model_args: dict[str, Any] | None = None) -> Any:
        """Rebuild a model from its config, the tensors :meth:`model_tensors` saved and its arguments."""
        return cfg

    def load_version(self, cfg: Any, version: ModelVersion) -> Any:
        """A registered version as an in-memory model (fold ensembles as one model)."""
        from rayscore.ensemble import load

        return load(self, cfg, version)

    def in_memory(self, cfg: Any, model: Any) -> Any:
        """``model`` ready to predict: a registered version is loaded here (in the actor of the model
        stage, from the registry's shared storage), anything else is already a model."""
        from rayscore.registry import ModelVersion

        return self.load_version(cfg, model) if isinstance(model, ModelVersion) else model

    def request_row(self, values: dict[str, Any]) -> dict[str, Any]:
        """The declared request fields as row columns (tasks may combine fields)."""
        return self.request.row(values)

    def response(self, row: dict[str, Any], cfg: Any) -> dict[str, Any]:
        """The body of a served prediction, from the row the stages produced."""
        return {
            "prediction": row[self.prediction_column],
            "confidence": float(row["confidence"]),
            "scores": {label: float(row[f"p_{label}"]) for label in self.label_names(cfg)},
        }

    def finalize(self, predictions: pd.DataFrame, cfg: Any, out_dir: Path) -> dict[str, Path]:
        """Write task-level outputs computed over all predictions; returns them by name."""
        return {}

    def report_sections(self, predictions: pd.DataFrame, metrics: dict[str, Any], out_dir: Path) -> list[tuple[str, str]]:
        """Extra (heading, HTML) sections of the evaluation report, beyond the generic ones."""
        return []

    def qa(self, manifest: Manifest, cfg: Any, out_dir: Path, engine: str = "ray") -> dict[str, Any]:
        """Check a corpus before training and say what to fix (tasks with a data contract)."""
        raise NotImplementedError(f"task '{self.name}' has no QA step")

    def trainable(self, df: pd.DataFrame, cfg: Any) -> pd.Series:
        """Which rows training and tuning may fit on: every row with a label of the vocabulary, but
        those of :attr:`held_out_split`."""
        labelled = df["label"].isin(self.label_names(cfg))
        split = self.held_out_split
        return labelled & (df["split"] != split) if split and "split" in df else labelled

    def judged(self, df: pd.DataFrame, cfg: Any) -> pd.Series:
        """Which rows evaluation can judge: those with a label of the task's vocabulary (only the
        :attr:`held_out_split` ones when it has labelled rows)."""
        labelled = df["label"].isin(self.label_names(cfg))
        split = self.held_out_split
        if split and "split" in df and (labelled & (df["split"] == split)).any():
            return labelled & (df["split"] == split)
        return labelled

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

    def demo_training_corpus(self, out_dir: Path, cfg: Any, scored: Manifest) -> tuple[Manifest, str]:
        """What the demo trains on when :attr:`needs_model`: by default a corpus generated with
        another seed, so the demo's scores are on calls the model never saw."""
        manifest = self.generate(out_dir / "train_corpus", n=300, seed=1, cfg=cfg)
        return manifest, f"a generated {self.name} training corpus of {len(manifest)} items (another seed)"

    def demo_after(self, out_dir: Path, cfg: Any, echo: Callable[[str], Any]) -> None:
        """More of the demo after the main job (e.g. a tuned model beside the defaults)."""

    def demo_overrides(self, cfg: Any) -> tuple[list[str], str | None]:
        """Overrides the demo needs on this machine (e.g. no downloadable weights), and why."""
        return [], None
