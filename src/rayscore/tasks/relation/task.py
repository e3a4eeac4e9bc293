"""W5, Korean relation extraction (KLUE-RE), as the platform sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from rayscore.corpus.manifest import Manifest
from rayscore.pipeline.embed import EncoderSpec
from rayscore.pipeline.stage import Stage
from rayscore.serving.spec import RequestField, RequestSpec
from rayscore.tasks import register_task
from rayscore.tasks.base import Importer, Task
from rayscore.tasks.relation import stages
from rayscore.tasks.relation.config import RelationConfig
from rayscore.tasks.relation.klue import ENTITY_COLUMNS, JSON_SUFFIXES, import_klue
from rayscore.tasks.relation.labels import LABELS, NO_RELATION, TYPES
from rayscore.tasks.relation.synth import generate_relations

EntityType = Literal["PER", "ORG", "LOC", "DAT", "POH", "NOH"]
assert set(EntityType.__args__) == set(TYPES)


class Entity(BaseModel):
    """An entity of the sentence, as KLUE-RE writes it (``end_idx`` inclusive)."""

    word: str = Field(min_length=1, description="The entity's text; sentence[start_idx:end_idx + 1] must be it.")
    start_idx: int = Field(ge=0)
    end_idx: int = Field(ge=0, description="Inclusive, as KLUE-RE.")
    type: EntityType


class RelationPrediction(BaseModel):
    """A served relation."""

    id: str
    model: str = Field(description="The registered model that answered, relation:<version>.")
    label: str = Field(description="One of KLUE-RE's 30 relations (no_relation when none holds).")
    label_id: int = Field(description="Its id in KLUE's label order (saved with the model).")
    confidence: float
    probabilities: dict[str, float] = Field(description="Probability per relation.")


@register_task
class RelationTask(Task):
    name = "relation"
    config_cls = RelationConfig
    folder_importer = "klue"
    input_suffixes = JSON_SUFFIXES
    cv_strategy = "stratified"
    held_out_split = "test"  # judged, never trained on (even when answers label it)
    progress_unit = "epoch"  # the transformer trains by epoch; the offline model's fit is one step
    needs_model = True
    metric = "micro_f1"
    request = RequestSpec(file="none", summary="the relation of a marked subject and object in a sentence", fields=[
        RequestField(name="sentence", min_length=1, max_length=5000, into="text", description="The sentence."),
        RequestField(name="subject_entity", type="object", model=Entity, description="The subject."),
        RequestField(name="object_entity", type="object", model=Entity, description="The object."),
    ])
    response_model = RelationPrediction

    def label_names(self, cfg: RelationConfig) -> list[str]:
        return list(LABELS)

    def importers(self) -> dict[str, Importer]:
        return {"klue": lambda source, cfg: import_klue(source)}

    def generate(self, out_dir: Path, n: int, seed: int, cfg: RelationConfig) -> Manifest:
        return generate_relations(out_dir, n=n, seed=seed)

    def preflight(self, cfg: RelationConfig) -> None:
        if cfg.model.kind == "transformer":
            from rayscore.config import ConfigError
            from rayscore.encoders._hf import model_available

            if not model_available(cfg.model.transformer.model_id):
                raise ConfigError(
                    f"model.transformer.model_id '{cfg.model.transformer.model_id}' is neither a local model folder "
                    "nor in the Hugging Face cache; download it, point model.transformer.model_id at a local copy, "
                    "or use model.kind=offline (no weights needed)")

    def request_row(self, values: dict[str, Any]) -> dict[str, Any]:
        row = {"text": values.get("sentence")}
        for side, key in (("subj", "subject_entity"), ("obj", "object_entity")):
            ent = values.get(key) or {}
            row |= {f"{side}_word": ent.get("word"), f"{side}_start": ent.get("start_idx"),
                    f"{side}_end": ent.get("end_idx"), f"{side}_type": ent.get("type")}
        return row

    def encoders(self, cfg: RelationConfig) -> list[EncoderSpec]:
        # The model reads the pair itself: this stage checks every row's spans once (a bad pair is an
        # error row before training, not an exception in it) and marks the sentence (the TF-IDF
        # reference reads the marked sentence, as the seed's baseline did).
        return [EncoderSpec(name="pair", key={"version": 1}, columns=[stages.MARKED_COL], inputs=ENTITY_COLUMNS,
                            stages=[Stage("prepare", stages.prepare_stage, {"cfg": cfg, "tokenize": False},
                                          cfg.resources.prepare)])]

    def stages(self, cfg: RelationConfig, model: Any = None) -> list[Stage]:
        if model is None:
            from rayscore.config import ConfigError

            raise ConfigError("relation scoring needs a trained model: `rayscore train relation --input <klue.json>` "
                              "registers one; then pass --model relation:<version|alias>")
        res = cfg.resources
        return [Stage("prepare", stages.prepare_stage, {"cfg": cfg}, res.prepare),
                Stage("predict", stages.Predict, {"cfg": cfg, "model": model}, res.model)]

    def fit(self, cfg: RelationConfig, train: pd.DataFrame, valid: pd.DataFrame | None = None, resume: Any = None):
        # Early stopping uses fit's own stratified split of `train`: a fold's `valid` rows only score.
        if cfg.model.kind == "transformer":
            from rayscore.tasks.relation.transformer import fit_transformer

            yield from fit_transformer(cfg, train, resume)
        else:
            from rayscore.tasks.relation.offline import OfflineRelationModel

            yield OfflineRelationModel.fit(train, cfg.model.offline)

    def cheap_fit(self, cfg: RelationConfig) -> bool:
        return cfg.model.kind == "offline"

    def max_epochs(self, cfg: RelationConfig) -> int:
        return cfg.train.epochs

    def predict(self, model: Any, cfg: RelationConfig, features: pd.DataFrame) -> pd.DataFrame:
        return features.assign(**stages.prediction_columns(stages.probabilities(model, features)))

    def reference_columns(self, cfg: RelationConfig) -> list[str]:
        return []

    def model_tensors(self, model: Any) -> dict[str, Any]:
        return model.tensors()

    def model_args(self, model: Any) -> dict[str, Any]:
        if hasattr(model, "model_args"):
            return model.model_args()
        return {"kind": "offline", "labels": list(LABELS)}

    def load_model(self, cfg: RelationConfig, tensors: dict[str, Any], model_args: dict[str, Any] | None = None) -> Any:
        if (model_args or {}).get("kind") == "transformer":
            from rayscore.tasks.relation.transformer import TransformerRelationModel

            return TransformerRelationModel.from_tensors(cfg.model.transformer, tensors, model_args)
        from rayscore.tasks.relation.offline import OfflineRelationModel

        return OfflineRelationModel.from_tensors(tensors, cfg.model.offline)

    def response(self, row: dict[str, Any], cfg: RelationConfig) -> dict[str, Any]:
        return {"label": row["prediction"], "label_id": int(row["label_id"]), "confidence": float(row["confidence"]),
                "probabilities": {lab: float(row[f"p_{lab}"]) for lab in LABELS}}

    def evaluate(self, predictions: pd.DataFrame, cfg: RelationConfig) -> dict[str, Any]:
        from rayscore.metrics import classification_metrics
        from rayscore.tasks.relation.metrics import klue_auprc, klue_micro_f1

        gold, pred = predictions["label"].tolist(), predictions[self.prediction_column].astype(str).tolist()
        probs = predictions[[f"p_{lab}" for lab in LABELS]].to_numpy(np.float64)
        m = classification_metrics(gold, pred, LABELS)
        return {"micro_f1": klue_micro_f1(gold, pred), "auprc": klue_auprc(gold, np.nan_to_num(probs)),
                "no_relation_share": float(np.mean([g == NO_RELATION for g in gold])), **m}

    def report_sections(self, predictions: pd.DataFrame, metrics: dict[str, Any], out_dir: Path) -> list[tuple[str, str]]:
        from rayscore.report.html import table
        from rayscore.tables import write_csv

        wrong = predictions[predictions["label"] != predictions[self.prediction_column]]
        wrong = wrong.sort_values("confidence", ascending=False)
        samples = pd.DataFrame({
            "id": wrong["id"], "sentence": wrong["text"], "subject": wrong["subj_word"], "object": wrong["obj_word"],
            "gold": wrong["label"], "predicted": wrong[self.prediction_column], "confidence": wrong["confidence"]})
        write_csv(samples.reset_index(drop=True), out_dir / "error_samples.csv")
        summary = {k: metrics[k] for k in ("micro_f1", "auprc", "accuracy", "macro_f1", "n") if k in metrics}
        (out_dir / "metrics_summary.json").write_text(pd.Series(summary).to_json(indent=2))
        return [("KLUE-RE metrics", table([summary])),
                ("Error samples (most confident first)", table(samples.head(20).to_dict("records")))]

    def demo_corpus(self, out_dir: Path, cfg: RelationConfig) -> tuple[Manifest, str]:
        folder = out_dir / "klue_re"
        m = generate_relations(folder, n=1500, seed=0)
        return m, (f"{len(m)} generated Korean sentences in KLUE-RE's JSON layout ({folder}: "
                   "klue-re-synth_train.json, klue-re-synth_test.json; test names and phrasings held out)")

    def demo_training_corpus(self, out_dir: Path, cfg: RelationConfig, scored: Manifest) -> tuple[Manifest, str]:
        return scored, "its train file (the test file is scored and judged)"
