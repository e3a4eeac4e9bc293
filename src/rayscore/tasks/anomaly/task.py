"""W4, machine-sound anomaly detection ("ALP") as the platform sees it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from rayscore.config import ConfigError, dump_yaml
from rayscore.corpus.manifest import Manifest
from rayscore.metrics import dcase_metrics
from rayscore.pipeline.embed import EncoderSpec
from rayscore.pipeline.runner import run_stages
from rayscore.pipeline.stage import Stage
from rayscore.serving.spec import RequestField, RequestSpec
from rayscore.tasks import register_task
from rayscore.tasks.anomaly import stages
from rayscore.tasks.anomaly.config import AnomalyConfig
from rayscore.tasks.anomaly.contract import import_auto, import_dcase, import_package
from rayscore.tasks.anomaly.model import AnomalyModel, embedding_column, fit_model
from rayscore.tasks.anomaly.synth import MACHINES, Counts, generate_package
from rayscore.tasks.base import Importer, Task


class AnomalyScore(BaseModel):
    """A served anomaly score."""

    id: str
    model: str = Field(description="The registered model that answered, anomaly:<version>.")
    asset_id: str = Field(description="<machine_type>/<section> of the scored clip.")
    score: float = Field(description="Higher is more anomalous.")
    threshold: float = Field(description="The alarm threshold from the operating policy (false alarms per day).")
    alarm: bool
    engine: str = Field(description="A (few-shot), B (memory banks), C (meta-learned) or D (domain-aligned ensemble).")


@register_task
class AnomalyTask(Task):
    name = "anomaly"
    config_cls = AnomalyConfig
    prediction_column = "score"
    folder_importer = "auto"
    needs_model = True
    metric = "hmean"
    request = RequestSpec(file="audio", summary="score one clip of an asset", fields=[
        RequestField(name="asset_id", description="The asset: <machine_type>/<section>, or a section id.",
                     max_length=200),
        RequestField(name="machine_type", required=False, max_length=100,
                     description="Needed when asset_id is a bare section id.")])
    serve_route = "score"
    response_model = AnomalyScore
    reference_kind = "anomaly"

    def label_names(self, cfg: AnomalyConfig) -> list[str]:
        return ["normal", "anomaly"]

    def importers(self) -> dict[str, Importer]:
        return {"package": lambda source, cfg: import_package(source), "dcase": lambda source, cfg: import_dcase(source),
                "auto": lambda source, cfg: import_auto(source)}

    def generate(self, out_dir: Path, n: int, seed: int, cfg: AnomalyConfig) -> Manifest:
        g = cfg.generator
        if n >= 400:  # the full shape: four machine types, two assets each (recorded ones when installed)
            counts = Counts(source_train=g.source_train, target_train=g.target_train, test=g.test)
            recorded = {"auto": None, "yes": True, "no": False}[g.recorded]
            return generate_package(out_dir, seed, counts=counts, recorded=recorded, layout=g.layout, shift=g.shift)
        per_section = max(1, n // 4)  # small corpora for tests and the smoke run: two machine types, one asset each
        counts = Counts(source_train=max(3, per_section // 2), target_train=3, noise_only=1,
                        test=max(2, per_section // 4))
        return generate_package(out_dir, seed, machines=MACHINES[::2], sections=1, counts=counts, seconds=4.0,
                                recorded=False, layout=g.layout)

    def _machine_cfgs(self, cfg: AnomalyConfig) -> list[AnomalyConfig]:
        return [cfg, *(cfg.for_machine(m) for m in cfg.per_machine)]

    def _uses(self, cfg: AnomalyConfig, encoder: str) -> bool:
        return any(c.encoder.name == encoder for c in self._machine_cfgs(cfg))

    def preflight(self, cfg: AnomalyConfig) -> None:
        from rayscore.encoders._hf import model_available

        model_id = cfg.encoder.hf.model_id
        if self._uses(cfg, "hf_audio") and not model_available(model_id):
            raise ConfigError(
                f"encoder.hf.model_id '{model_id}' is neither a local model folder nor in the Hugging Face "
                "cache; download it, point encoder.hf.model_id at a local copy, or use "
                "encoder.name=logmel_stats (no weights needed)"
            )

    def encoders(self, cfg: AnomalyConfig) -> list[EncoderSpec]:
        audio = cfg.audio.model_dump(mode="json")
        res = cfg.resources
        specs = []
        if self._uses(cfg, "logmel_stats"):
            specs.append(EncoderSpec(
                name="logmel_stats",
                key={"version": 1, "audio": audio, "logmel": cfg.encoder.logmel.model_dump(mode="json")},
                stages=[Stage("decode", stages.decode, {"cfg": cfg, "logmel": True, "keep_audio": False}, res.decode)],
                columns=[embedding_column("logmel_stats")],
            ))
        if self._uses(cfg, "hf_audio"):
            from rayscore.encoders._hf import model_fingerprint

            specs.append(EncoderSpec(
                name="hf_audio",
                key={"version": 1, "audio": audio, "model": model_fingerprint(cfg.encoder.hf.model_id),
                     "normalize": cfg.encoder.hf.normalize},
                stages=[Stage("decode", stages.decode, {"cfg": cfg, "logmel": False, "keep_audio": True}, res.decode),
                        Stage("encode", stages.HFEmbed, {"cfg": cfg}, res.encoder)],
                columns=[embedding_column("hf_audio")],
            ))
        return specs

    def stages(self, cfg: AnomalyConfig, model: Any = None) -> list[Stage]:
        if model is None:
            raise ConfigError(
                "anomaly scoring needs a fitted model: `rayscore train anomaly --input <package>` fits one "
                "on the package's normal clips; then pass --model anomaly:<version|alias>"
            )
        fitted = model if isinstance(model, AnomalyModel) else self.load_version(cfg, model)
        hf = self._uses(cfg, "hf_audio")
        res = cfg.resources
        pipeline = [Stage("decode", stages.decode, {"cfg": cfg, "logmel": self._uses(cfg, "logmel_stats"),
                                                    "keep_audio": hf}, res.decode)]
        if hf:
            pipeline.append(Stage("encode", stages.HFEmbed, {"cfg": cfg}, res.encoder))
        pipeline.append(Stage("score", stages.score, {"cfg": cfg, "model": fitted}, res.decode))
        return pipeline

    def fit(self, cfg: AnomalyConfig, train: pd.DataFrame, valid: pd.DataFrame | None = None):
        # The contract's training split: test clips, normal ones included, are for evaluation only.
        rows = train[train["split"] == "train"] if "split" in train else train
        yield fit_model(cfg, rows)

    def predict(self, model: AnomalyModel, cfg: AnomalyConfig, features: pd.DataFrame) -> pd.DataFrame:
        return run_stages(features, [Stage("score", stages.score, {"cfg": cfg, "model": model})], engine="local")

    def model_tensors(self, model: AnomalyModel) -> dict[str, Any]:
        return model.tensors()

    def model_notes(self, model: AnomalyModel) -> dict[str, str]:
        return dict(model.notes)

    def load_model(self, cfg: AnomalyConfig, tensors: dict[str, Any], model_args: dict[str, Any] | None = None
                   ) -> AnomalyModel:
        return AnomalyModel.from_tensors(tensors)

    def judged(self, df: pd.DataFrame, cfg: AnomalyConfig) -> pd.Series:
        # Training normals score low by construction: only labelled test clips judge a model.
        labelled = super().judged(df, cfg)
        return labelled & (df["split"] == "test") if "split" in df else labelled

    def evaluate(self, predictions: pd.DataFrame, cfg: AnomalyConfig) -> dict[str, Any]:
        test = predictions[predictions["split"] == "test"] if "split" in predictions else predictions
        return dcase_metrics(test if len(test) else predictions)

    def report_sections(self, predictions: pd.DataFrame, metrics: dict[str, Any], out_dir: Path) -> list[tuple[str, str]]:
        from rayscore.report.html import image, table
        from rayscore.report.plots import roc_curves_png

        test = predictions[predictions["split"] == "test"] if "split" in predictions else predictions
        curves = {f"{m}/{s}": ((g["label"] == "anomaly").to_numpy(), g["score"].to_numpy(float))
                  for (m, s), g in test.groupby(["machine_type", "section"])}
        png = roc_curves_png(curves, Path(out_dir) / "roc_curves.png", "ROC per asset (test clips)", max_fpr=0.1)
        machines = [{"machine_type": m, **v} for m, v in metrics.get("machines", {}).items()]
        return [("Per machine type", table(machines)), ("Per asset", table(metrics.get("sections", []))),
                ("ROC curves", image(png, "ROC curves"))]

    def request_row(self, values: dict[str, Any]) -> dict[str, Any]:
        asset, machine = values["asset_id"], values.get("machine_type")
        return {"group": asset if "/" in asset or not machine else f"{machine}/{asset}"}

    def response(self, row: dict[str, Any], cfg: AnomalyConfig) -> dict[str, Any]:
        return {"asset_id": row["group"], "score": float(row["score"]), "threshold": float(row["threshold"]),
                "alarm": bool(row["alarm"]), "engine": row["engine"]}

    def finalize(self, predictions: pd.DataFrame, cfg: AnomalyConfig, out_dir: Path) -> dict[str, Path]:
        out = Path(out_dir)
        cols = [c for c in ("id", "path", "machine_type", "section", "domain", "split", "label", "score",
                            "threshold", "alarm", "engine") if c in predictions]
        predictions[cols].to_csv(out / "scores.csv", index=False)
        outputs = {"scores": out / "scores.csv"}
        if predictions["label"].isin(["normal", "anomaly"]).any():
            metrics = self.evaluate(predictions, cfg)
            metrics["config"] = cfg.model_dump(mode="json")
            (out / "metrics.json").write_text(json.dumps(metrics, indent=2, default=str))
            outputs["metrics"] = out / "metrics.json"
        return outputs

    def demo_training_corpus(self, out_dir: Path, cfg: AnomalyConfig, scored: Manifest) -> tuple[Manifest, str]:
        # A package holds its own training split (normal clips only); the demo scores its test split.
        return scored, "the package's training split (normal clips)"

    def qa(self, manifest: Manifest, cfg: AnomalyConfig, out_dir: Path, engine: str = "ray") -> dict[str, Any]:
        from rayscore.tasks.anomaly.qa import run_qa

        result = run_qa(manifest, cfg, out_dir, engine)
        dump_yaml(cfg, Path(out_dir) / "config.yaml")
        return {"summary": result.summary, "issues": result.issues, "report": result.report}
