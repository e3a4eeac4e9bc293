"""Config of document-type classification (W3, seed 002)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rayscore.config import StageResources, StrictModel
from rayscore.media.image import ImageLoadConfig
from rayscore.references import ReferencesConfig
from rayscore.tasks.base import TaskConfig


class OcrConfig(StrictModel):
    """Tesseract reading of the page (Debian's tesseract-ocr + tesseract-ocr-kor)."""

    enabled: bool = Field(True, description="Read the text (false: image descriptors only, no tesseract needed).")
    lang: str = Field("kor", description="Tesseract languages ('kor' reads Latin and digits too; "
                                        "'kor+eng' reads passports' MRZ better at twice the time).")
    psm: int = Field(11, ge=0, le=13, description="Page segmentation: 11 (sparse text) finds forms' table cells.")
    max_side: int = Field(1400, ge=200, description="Pages are scaled so their longer side is at most this ...")
    upscale_below: int = Field(900, ge=0, description="... and doubled (to max_side) when smaller than this.")
    orientations: Literal["lines", "none"] = Field(
        "lines", description="lines: the text-line direction leaves 2 rotations x mirror, the most confident "
                             "reading wins (4 readings); none: read as it comes (1 reading).")
    timeout_sec: float = Field(60.0, gt=0)


class VisionConfig(StrictModel):
    """The image descriptors (no weights): 8 dihedral views of each image, and of degraded copies."""

    corrupted_copies: int = Field(1, ge=0, le=4, description="Degraded copies (crop, blur, noise, light, JPEG) "
                                                             "described beside each image, for training on test-like images.")


class OfflineModel(StrictModel):
    """OCR text n-grams and dihedral image descriptors, each a logistic regression, fused by weight."""

    text_c: float = Field(3.0, gt=0, description="Inverse regularisation of the text model.")
    char_min: int = Field(1, ge=1)
    char_max: int = Field(3, ge=1, description="Character n-grams of the OCR text (Hangul syllables, title words).")
    hash_features: int = Field(2**18, ge=1024)
    vision_c: float = Field(0.003, gt=0, description="Inverse regularisation of the image model.")
    text_weight: float = Field(1.0, ge=0, description="Weight of the text model's log-probabilities ...")
    vision_weight: float = Field(0.5, ge=0, description="... and of the image model's (their sum is the logit).")
    calibrate: bool = Field(True, description="Divide each half's log-probabilities by a temperature fitted on "
                                              "out-of-fold predictions of the training rows (5 more fits).")
    min_text_chars: int = Field(12, ge=0, description="Readings shorter than this count for less, in proportion.")
    class_weight: Literal["balanced", "none"] = "balanced"
    reading: Literal["kept", "known", "surest"] = Field(
        "kept", description="Which orientation's reading the text model uses: kept (tesseract's most confident), "
                             "known (the one made of most n-grams training pages had) or surest (the one the "
                             "text model is surest of).")


class ModelConfig(StrictModel):
    kind: Literal["offline"] = Field("offline", description="offline: OCR text + image descriptors (no weights).")
    offline: OfflineModel = Field(default_factory=OfflineModel)


class SubmissionConfig(StrictModel):
    file: str = Field("submission.csv", description="Written by `score` for rows of the competition's test folder.")


class ResourcesConfig(StrictModel):
    decode: StageResources = Field(default_factory=lambda: StageResources(batch_size=4))
    ocr: StageResources = Field(default_factory=lambda: StageResources(batch_size=2))
    model: StageResources = Field(default_factory=lambda: StageResources(batch_size=32, concurrency=1))


class DocTypeConfig(TaskConfig):
    image: ImageLoadConfig = Field(default_factory=ImageLoadConfig)
    ocr: OcrConfig = Field(default_factory=OcrConfig)
    vision: VisionConfig = Field(default_factory=VisionConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    submission: SubmissionConfig = Field(default_factory=SubmissionConfig)
    references: ReferencesConfig = Field(default_factory=lambda: ReferencesConfig(names=["majority", "logreg",
                                                                                         "tfidf_lr"]))
    resources: ResourcesConfig = Field(default_factory=ResourcesConfig)
