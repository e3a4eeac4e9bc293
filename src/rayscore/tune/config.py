"""The sweep config (``configs/tune/<task>.yaml``) and its search-space parameter types.

Every search-space key is a dotted key of the task's config model; a space is
checked against that model (names and bounds) before anything runs, so a
sweep can only ever propose configs the task accepts.

Example YAML::

    task: drum_roles
    data: {format: hydrogen, input: /usr/share/hydrogen/data/drumkits}
    folds: {k: 4, strategy: group}
    search: {num_samples: 60, max_concurrent: 2, seed: 0}
    space:
      fusion.alpha: {type: uniform, low: 0.5, high: 1.0}
      fusion.role_bias.FILL: {type: uniform, low: -1.0, high: 1.0}
      train.loss_mix: {type: simplex, components: [kl, focal, ce]}
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from rayscore.config import StrictModel


class Uniform(StrictModel):
    type: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be < high ({self.high})")
        return self

    def probes(self) -> list[Any]:
        return [self.low, self.high]


class LogUniform(Uniform):
    type: Literal["loguniform"]  # type: ignore[assignment]

    @model_validator(mode="after")
    def _positive(self) -> LogUniform:
        if self.low <= 0:
            raise ValueError(f"loguniform needs low > 0, got {self.low}")
        return self


class IntRange(StrictModel):
    type: Literal["int"]
    low: int
    high: int
    step: int = Field(1, ge=1)

    @model_validator(mode="after")
    def _order(self) -> IntRange:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be < high ({self.high})")
        return self

    def probes(self) -> list[Any]:
        return [self.low, self.high]


class Categorical(StrictModel):
    type: Literal["categorical"]
    choices: list[Any] = Field(min_length=1)

    def probes(self) -> list[Any]:
        return list(self.choices)


class Simplex(StrictModel):
    """Probabilities that sum to 1: ``key.<component>`` for each component."""

    type: Literal["simplex"]
    components: list[str] = Field(min_length=2)

    def probes(self) -> list[Any]:  # each vertex of the simplex
        return [{c: float(c == hot) for c in self.components} for hot in self.components]


LeafSpec = Annotated[Uniform | LogUniform | IntRange | Categorical | Simplex, Field(discriminator="type")]


class Branch(StrictModel):
    """A categorical choice with its own sub-space per value (a space per engine)."""

    type: Literal["branch"]
    choices: dict[str, dict[str, LeafSpec]] = Field(min_length=1)

    def probes(self) -> list[Any]:
        return list(self.choices)

    @model_validator(mode="after")
    def _consistent(self) -> Branch:
        seen: dict[str, Any] = {}
        for sub in self.choices.values():
            for key, spec in sub.items():
                if key in seen and seen[key] != spec:
                    raise ValueError(f"'{key}' appears in several branches with different ranges")
                seen[key] = spec
        return self


ParamSpec = Annotated[Uniform | LogUniform | IntRange | Categorical | Simplex | Branch, Field(discriminator="type")]


class SourceConfig(StrictModel):
    input: str = Field(description="Manifest (.parquet) or folder; with `format`, that importer's source.")
    format: str | None = Field(None, description="Importer to read `input` with (e.g. hydrogen).")


class DataConfig(StrictModel):
    input: str = Field(description="Manifest (.parquet) or folder; with `format`, that importer's source.")
    format: str | None = Field(None, description="Importer to read `input` with (e.g. hydrogen).")
    extra: list[SourceConfig] = Field(
        default_factory=list, description="More sources joined to `input` (e.g. generated audio beside real kits).")
    where: dict[str, str | list[str]] = Field(
        default_factory=dict, description="Keep rows whose column equals (or is in) these values."
    )
    per: str | None = Field(None, description="Run one sweep per value of this column (e.g. machine_type).")
    merge_into: str | None = Field(
        None, description="With `per`: each value's winning parameters go under <merge_into>.<value> of one config."
    )


class HoldoutConfig(StrictModel):
    """Rows kept out of the sweep entirely, to compare the start config and the winner on."""

    groups: list[str] = Field(default_factory=list, description="Groups (kits, sites) held out.")
    fraction: float = Field(0.0, ge=0, lt=1, description="Else: hold out whole groups, about this share of rows.")
    seed: int = 0


class FoldsConfig(StrictModel):
    k: int = Field(5, ge=2, description="Number of cross-validation folds.")
    strategy: Literal["stratified", "group", "split"] = Field(
        "stratified",
        description="'group': a group (kit) never sits in train and validation at once; 'split': one fold, "
        "train on split=train rows, validate on split=test rows (the data's own split).",
    )
    seed: int = 42
    execution: Literal["lockstep", "parallel"] = Field(
        "lockstep", description="Epoch-unit tasks: folds train in one process (lockstep), or each in its own Ray "
                                "actor with `resources` per fold (parallel: a 5-fold trial takes 5 GPUs).")


class SearchConfig(StrictModel):
    num_samples: int = Field(20, ge=1, description="Trial budget, counted across resumes.")
    max_concurrent: int = Field(2, ge=1)
    seed: int = Field(0, description="Seed of Optuna's TPE sampler.")
    storage: str | None = Field(
        None, description="Optuna storage URL; default: SQLite inside the run directory."
    )
    study_name: str | None = None
    evaluate_start_config: bool = Field(
        True, description="Run the starting config as the first trial (when it lies in the space)."
    )
    metric: str | None = Field(None, description="The metric to optimise (default: the task's, e.g. macro_f1).")
    mode: Literal["max", "min"] | None = Field(None, description="Its direction (default: the task's).")


class SchedulerConfig(StrictModel):
    type: Literal["asha", "fifo"] = "asha"
    grace_period: int = Field(1, ge=1, description="Steps (folds or epochs) before a trial can be stopped.")
    reduction_factor: float = Field(2.0, gt=1)


class TrialResources(StrictModel):
    cpu: float = Field(1.0, ge=0)
    gpu: float = Field(0.0, ge=0)


class SweepConfig(StrictModel):
    task: str
    name: str = Field(description="Run name: the run directory is <storage_path>/<name>.")
    task_config: str | None = Field(None, description="Task YAML the sweep starts from (default: task defaults).")
    overrides: list[str] = Field(default_factory=list, description="--set style overrides of task_config.")
    data: DataConfig
    holdout: HoldoutConfig = Field(default_factory=HoldoutConfig)
    folds: FoldsConfig = Field(default_factory=FoldsConfig)
    search: SearchConfig = Field(default_factory=SearchConfig)
    scheduler: SchedulerConfig = Field(default_factory=SchedulerConfig)
    resources: TrialResources = Field(default_factory=TrialResources)
    max_failures: int = Field(2, ge=0, description="Retries of a failed trial.")
    storage_path: str = Field("runs/tune", description="Local folder, s3:// or gs:// URI for Ray Tune.")
    space: dict[str, ParamSpec] = Field(min_length=1)
