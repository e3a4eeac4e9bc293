"""W3, document-type classification, as the platform sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from rayscore.config import ConfigError
from rayscore.corpus.folder import import_folder
from rayscore.corpus.manifest import Manifest
from rayscore.media.image import IMAGE_EXTENSIONS, DataConfig
from rayscore.pipeline.embed import EncoderSpec
from rayscore.pipeline.stage import Stage
from rayscore.serving.spec import RequestSpec
from rayscore.tasks import register_task
from rayscore.tasks.base import Importer, Task
from rayscore.tasks.doc_type import stages, vision
from rayscore.tasks.doc_type.classes import CLASSES, HELD_OUT_SPLIT
from rayscore.tasks.doc_type.competition import import_competition, write_submission
from rayscore.tasks.doc_type.config import DocTypeConfig
from rayscore.tasks.doc_type.model import PAGE_COL, THUMB_COL, VISION_COL, OfflineDocModel
from rayscore.tasks.doc_type.synth import write_competition


class DocTypePrediction(BaseModel):
    """A served document type."""

    id: str
    model: str = Field(description="The registered model that answered, doc_type:<version>.")
    target: int = Field(description="The class index (meta.csv's target).")
    class_name: str = Field(description="The document type, e.g. passport.")
    confidence: float
    probabilities: dict[str, float] = Field(description="Probability per class name.")
    ocr_text: str | None = Field(None, description="What OCR read on the page (first 500 characters).")
    routed: bool = Field(False, description="Stage 2 re-scored it on a restored copy (neural model, routing on).")


def _member_args(model: Any) -> dict[str, Any]:
    """The model arguments of a registered version or an in-memory model (a fold ensemble's members
    share their input size)."""
    member = model.members[0] if hasattr(model, "members") else model
    args = member.model_args() or {}
    if "ensemble" in args:
        args = args["ensemble"]["members"][0]
    if args.get("kind") != "neural":
        raise ConfigError(f"model.kind=neural, but the model is {args.get('kind', 'offline')}: score with the "
                          "config it was trained with (--model doc_type:<version>)")
    return args


def _class_folder(name: str) -> str | None:
    """A class sub-folder is named by class name or by target number."""
    if name in CLASSES:
        return name
    return CLASSES[int(name)] if name.isdigit() and int(name) < len(CLASSES) else None


def import_auto(source: Path, cfg: Any = None) -> Manifest:
    """The competition layout when the folder has train.csv or test/, else class sub-folders."""
    source = Path(source)
    if (source / "train.csv").is_file() or (source / "test").is_dir():
        return import_competition(source)
    return import_folder(source, IMAGE_EXTENSIONS, labeler=_class_folder, kind="an image")


@register_task
class DocTypeTask(Task):
    name = "doc_type"
    config_cls = DocTypeConfig
    folder_importer = "auto"
    cv_strategy = "stratified"
    held_out_split = HELD_OUT_SPLIT
    progress_unit = "epoch"  # the neural model trains by epoch; the offline model's fit is one step
    needs_model = True
    request = RequestSpec(file="image", summary="classify one document image")
    response_model = DocTypePrediction

    def label_names(self, cfg: DocTypeConfig) -> list[str]:
        return list(CLASSES)

    def importers(self) -> dict[str, Importer]:
        return {"competition": lambda source, cfg: import_competition(source),
                "folder": lambda source, cfg: import_folder(source, IMAGE_EXTENSIONS, labeler=_class_folder,
                                                            kind="an image"),
                "auto": import_auto}

    def generate(self, out_dir: Path, n: int, seed: int, cfg: DocTypeConfig) -> Manifest:
        write_competition(out_dir, n_train=n, n_test=max(len(CLASSES), n // 2), seed=seed)
        return import_competition(out_dir, answers=False)  # as a competition comes: test/ unlabelled

    def preflight(self, cfg: DocTypeConfig) -> None:
        if cfg.ocr.enabled:
            from rayscore.tasks.doc_type.ocr import tesseract_languages

            have = tesseract_languages()
            missing = [lang for lang in cfg.ocr.lang.split("+") if lang not in have]
            if missing:
                raise ConfigError(
                    f"ocr.lang needs tesseract language(s) {', '.join(missing)}, and this machine has "
                    f"{', '.join(sorted(have)) or 'no tesseract'}: `make debs-test` installs tesseract-ocr and "
                    "tesseract-ocr-kor, or set ocr.enabled=false (image descriptors only)")

    def encoders(self, cfg: DocTypeConfig) -> list[EncoderSpec]:
        res = cfg.resources
        # The neural model reads images itself; OCR then only feeds the OCR reference, beside it.
        ocr = cfg.ocr.enabled and (cfg.model.kind == "offline" or "tfidf_lr" in cfg.references.names)
        # the descriptors' length and the page's side are in the key too: a cache of another layout is
        # never mixed in
        specs = [EncoderSpec(name="vision", key={"version": 11, "dim": vision.dim(), "page": vision.PAGE_SIDE,
                                                  "image": cfg.image.model_dump(mode="json"),
                                                  "vision": cfg.vision.model_dump(mode="json")},
                             stages=[Stage("describe", stages.describe_stage, {"cfg": cfg}, res.decode)],
                             columns=[VISION_COL, PAGE_COL, THUMB_COL])]
        if ocr:
            specs.append(EncoderSpec(name="ocr", key={"version": 8, "ocr": cfg.ocr.model_dump(mode="json")},
                                     stages=[Stage("ocr", stages.ocr_stage, {"cfg": cfg}, res.ocr)],
                                     columns=list(stages.OCR_COLUMNS)))
        return specs

    def stages(self, cfg: DocTypeConfig, model: Any = None) -> list[Stage]:
        if model is None:
            raise ConfigError("doc_type scoring needs a trained model: `rayscore train doc_type --input <corpus>` "
                              "registers one; then pass --model doc_type:<version|alias>")
        res = cfg.resources
        if cfg.model.kind == "neural":
            dc = DataConfig.model_validate(_member_args(model)["data_config"])
            return [Stage("decode", stages.pixels_stage, {"cfg": cfg, "dc": dc}, res.pixels),
                    Stage("predict", stages.Predict, {"cfg": cfg, "model": model}, res.model)]
        # One stage reads and describes each page (one decode; descriptors while tesseract reads):
        # the encoders keep them apart only so their caches are apart.
        pages = (Stage("page", stages.page_stage, {"cfg": cfg}, res.ocr) if cfg.ocr.enabled
                 else Stage("describe", stages.describe_stage, {"cfg": cfg, "scoring": True}, res.decode))
        return [pages, Stage("predict", stages.Predict, {"cfg": cfg, "model": model}, res.model)]

    def fit(self, cfg: DocTypeConfig, train: pd.DataFrame, valid: pd.DataFrame | None = None, resume: Any = None):
        # Early stopping uses fit's own stratified split of `train`: a fold's `valid` rows only score.
        if cfg.model.kind == "neural":
            from rayscore.tasks.doc_type.neural import fit_neural

            yield from fit_neural(cfg, train, resume)
        else:
            yield OfflineDocModel.fit(cfg, train)

    def cheap_fit(self, cfg: DocTypeConfig) -> bool:
        return cfg.model.kind == "offline"

    def out_of_fold(self, model: Any, cfg: DocTypeConfig, rows: pd.DataFrame) -> pd.DataFrame | None:
        # The offline fit already fitted a model per fold to calibrate its fusion: a CV for free
        # (without it, `train`'s report refitted all six models in each of five folds: 32 min for 620 pages).
        y = rows["label"].map({c: i for i, c in enumerate(CLASSES)})
        crossed = model.cross_fitted_proba(cfg, y.to_numpy(np.int64)) if isinstance(model, OfflineDocModel) \
            and not y.isna().any() else None
        if crossed is None:
            return None
        fold, probs = crossed
        return rows.assign(**stages.prediction_columns(probs), fold=fold)

    def max_epochs(self, cfg: DocTypeConfig) -> int:
        return cfg.train.epochs

    def predict(self, model: Any, cfg: DocTypeConfig, features: pd.DataFrame) -> pd.DataFrame:
        return features.assign(**stages.prediction_columns(stages.probabilities(model, features, cfg)))

    def reference_columns(self, cfg: DocTypeConfig) -> list[str]:
        return [THUMB_COL]

    def model_tensors(self, model: Any) -> dict[str, Any]:
        return model.tensors()

    def model_args(self, model: Any) -> dict[str, Any]:
        if hasattr(model, "model_args"):
            return model.model_args()
        return {"kind": "offline", "classes": list(CLASSES)}

    def load_model(self, cfg: DocTypeConfig, tensors: dict[str, Any], model_args: dict[str, Any] | None = None) -> Any:
        if (model_args or {}).get("kind") == "neural":
            from rayscore.tasks.doc_type.neural import NeuralDocModel

            return NeuralDocModel.from_tensors(cfg, tensors, model_args)
        return OfflineDocModel.from_tensors(tensors)

    def response(self, row: dict[str, Any], cfg: DocTypeConfig) -> dict[str, Any]:
        text = row.get("text")
        return {"target": int(row["target"]), "class_name": row["prediction"], "confidence": float(row["confidence"]),
                "routed": bool(row.get("routed") or False),
                "probabilities": {c: float(row[f"p_{c}"]) for c in CLASSES},
                "ocr_text": text[:500] if isinstance(text, str) else None}

    def finalize(self, predictions: pd.DataFrame, cfg: DocTypeConfig, out_dir: Path) -> dict[str, Path]:
        # Test images that failed are in errors.parquet (written just before): they still get a line.
        errors = out_dir / "errors.parquet"
        failed = pd.read_parquet(errors) if errors.is_file() else pd.DataFrame()
        rows = pd.concat([predictions, failed], ignore_index=True) if len(failed) else predictions
        path = write_submission(rows, out_dir / cfg.submission.file)
        return {"submission": path} if path else {}

    def demo_overrides(self, cfg: DocTypeConfig) -> tuple[list[str], str | None]:
        from rayscore.tasks.doc_type.ocr import tesseract_languages

        missing = [lang for lang in cfg.ocr.lang.split("+") if lang not in tesseract_languages()]
        if cfg.ocr.enabled and missing:
            return ["ocr.enabled=false"], (f"tesseract ({'+'.join(missing)}) is not installed: documents are "
                                           "classified by image descriptors only (make debs-demo installs it)")
        return [], None

    def demo_corpus(self, out_dir: Path, cfg: DocTypeConfig) -> tuple[Manifest, str]:
        folder = out_dir / "documents"
        if not (folder / "train.csv").is_file():
            write_competition(folder, n_train=136, n_test=68, seed=0)
        m = import_competition(folder)
        return m, (f"{len(m)} generated Korean document images in the competition layout "
                   f"({folder}: train/, test/, train.csv, meta.csv, sample_submission.csv)")

    def demo_training_corpus(self, out_dir: Path, cfg: DocTypeConfig, scored: Manifest) -> tuple[Manifest, str]:
        return scored, "its train/ folder (train.csv's labels); the test/ folder is scored"
