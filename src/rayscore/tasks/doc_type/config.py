"""Config of document-type classification (W3, seed 002)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from rayscore.config import StageResources, StrictModel
from rayscore.media.image import ImageLoadConfig
from rayscore.references import ReferencesConfig
from rayscore.tasks.base import TaskConfig
from rayscore.training.args import EarlyStopping, LossConfig, TrainArgs


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
    page: Literal["focus", "frame"] = Field(
        "focus", description="focus (with orientations: lines): level the page at any tilt and crop it to its ink "
                             "before scaling (a page photographed small on a desk gets the reading's pixels); "
                             "frame: read the whole image, levelled by up to 20 degrees.")
    training_copies: int = Field(
        1, ge=0, le=4, description="Training pages (labelled, not of the test split) are also read as this many "
                                   "corrupted copies (smaller, turned, tilted, blurred, JPEG'd), so the text model "
                                   "learns what survives a bad reading (each costs one more OCR of the page).")
    title: float = Field(
        0.3, ge=0, lt=1, description="The top of the kept view (this share of its height) is read again as a "
                                     "block of text and appended to the reading: forms that differ by title are "
                                     "told apart by it (one more small reading per page; 0: off).")
    title_views: Literal["kept", "all"] = Field(
        "kept", description="Whose title band is read: the kept orientation's, or every orientation's, each appended "
                            "to its own reading (for model.offline.reading: surest|known, which pick among them: on "
                            "seed 11 of a corpus we did not make, with surest the text half went 0.522 -> 0.558 and "
                            "the fused model 0.768 -> 0.767; 3 more small readings, +30 % OCR time).")
    timeout_sec: float = Field(60.0, gt=0)
    workers: Annotated[int, Field(ge=1)] | Literal["auto"] = Field(
        "auto", description="Pages of a batch described and read at once (threads; tesseract runs one thread per "
                            "page). auto: the whole CPUs Ray gave the worker (a Serve replica with num_cpus 4 works "
                            "on 4 pages of a request batch at once), 1 outside Ray.")


class VisionConfig(StrictModel):
    """The image descriptors (no weights): 8 dihedral views of each image, and of degraded copies."""

    corrupted_copies: int = Field(2, ge=0, le=4, description="Corrupted copies (smaller, turned, tilted, mirrored, "
                                                             "cropped, blurred, noisy, JPEG'd) described beside each "
                                                             "image, for training on test-like images.")


def _one_cycle(epochs: int, batch_size: int, lr: float, weight_decay: float) -> TrainArgs:
    """One cosine cycle over all ``epochs``, warming up for the first tenth, no gradient clipping."""
    return TrainArgs(epochs=epochs, batch_size=batch_size, lr=lr, weight_decay=weight_decay,
                     warmup_epochs=epochs // 10, scheduler="cosine_warmup_restarts", restart_period=epochs,
                     restart_mult=1, grad_clip=None)


class OfflineModel(StrictModel):
    """OCR text n-grams and dihedral image descriptors, each a logistic regression, fused by weight."""

    text_c: float = Field(10.0, gt=0, description="Inverse regularisation of the text model.")
    char_min: int = Field(1, ge=1)
    char_max: int = Field(3, ge=1, description="Character n-grams of the OCR text (Hangul syllables, title words).")
    ngrams: Literal["letters", "words", "both"] = Field(
        "both", description="letters: n-grams of the letters with spaces dropped (진 단 서 = 진단서); words: "
                            "n-grams within words (an OCR error spoils one word only); both side by side.")
    hash_features: int = Field(2**18, ge=1024)
    jamo: bool = Field(True, description="Also n-grams of the letters' jamo (a misread syllable keeps most of them).")
    vision_c: float = Field(0.01, gt=0, description="Inverse regularisation of the image model when it is linear "
                                                          "(vision_hidden: 0).")
    vision_power: float = Field(
        0.5, gt=0, le=1, description="Each image descriptor x becomes sign(x) |x|^power before it is standardised "
                                     "(0.5: a square root, as for Fisher vectors and RootSIFT; 1: as computed).")
    vision_hidden: int = Field(
        256, ge=0, description="The image model: a hidden ReLU layer of this many units between the descriptors and "
                               "the classes, trained on the shared loop (vision_train); 0: a logistic regression "
                               "(vision_c).")
    vision_dropout: float = Field(0.3, ge=0, lt=1, description="Dropout of that hidden layer (the descriptors "
                                                                "themselves get a fixed 0.2).")
    vision_train: TrainArgs = Field(
        default_factory=lambda: _one_cycle(epochs=40, batch_size=256, lr=1e-3, weight_decay=0.01),
        description="How the image model with a hidden layer is trained (one cosine cycle; no validation: the last "
                    "epoch is kept).")
    vision_orientations: bool = Field(
        True, description="The image model learns each class in each of the 8 orientations (17 x 8 outputs, summed "
                          "over orientation when predicting): one linear boundary need not fit every turn of a page.")
    page_width: int = Field(
        32, ge=0, description="The image half's second model: a small network over the found page in grey "
                              "(vision.PAGE_SIDE px), four stages of width/2 .. 4 width channels, from scratch; its "
                              "log-probabilities are added to the descriptors' model's (0: none). On a corpus we did "
                              "not make, 40/class, image half macro-F1 of seeds 11 / 9: descriptors 0.704 / 0.662, "
                              "network 0.711 / 0.682, both 0.751 / 0.711 (page_weight 0.5); fused, seeds 9 / 8 / "
                              "10: 0.744 / 0.737 / 0.744 -> 0.780 / 0.776 / 0.776.")
    page_weight: float = Field(0.5, ge=0, description="The page network's weight beside the descriptors' model "
                                                      "(seed 11 of that corpus: 0.3 / 0.5 / 1.0: 0.749 / 0.751 / "
                                                      "0.744).")
    page_train: TrainArgs = Field(
        default_factory=lambda: _one_cycle(epochs=60, batch_size=64, lr=2e-3, weight_decay=0.05),
        description="How the page network is trained (one cosine cycle; the last epoch is kept). 30 epochs "
                    "instead of 60: seeds 11 / 9 network alone 0.640 / 0.585 at 96 px.")
    text_weight: float = Field(1.0, ge=0, description="Weight of the text model's log-probabilities ...")
    vision_weight: float = Field(1.0, ge=0, description="... and of the image model's (their sum is the logit).")
    calibrate: bool = Field(True, description="Divide each half's log-probabilities by a temperature fitted on "
                                              "out-of-fold predictions of the training rows (5 more fits).")
    fusion: Literal["global", "per_class"] = Field(
        "per_class", description="global: one temperature per half; per_class: each class's own weight of each "
                                 "half and a bias, fitted on the same out-of-fold predictions (a dashboard is told "
                                 "by its look, forms that differ by title by their text). Needs calibrate.")
    fusion_l2: float = Field(0.001, ge=0, description="How strongly per-class weights are pulled to the global "
                                                       "temperatures (0: not at all).")
    min_text_chars: int = Field(12, ge=0, description="Readings shorter than this count for less, in proportion.")
    class_weight: Literal["balanced", "none"] = Field(
        "balanced", description="Class weights of the text model and of a linear image model (the hidden-layer "
                                "image model is trained unweighted, as it was measured).")
    reading: Literal["kept", "known", "surest"] = Field(
        "kept", description="Which orientation's reading the text model uses: kept (tesseract's most confident), "
                             "known (the one made of most n-grams training pages had) or surest (the one the "
                             "text model is surest of). On seed 11 of a corpus we did not make, with ocr.title_views "
                             "all, fused / text half macro-F1: kept 0.768 / 0.522, surest 0.767 / 0.558, known "
                             "0.724 / 0.415.")


class AugmentConfig(StrictModel):
    """Training augmentation (per class group) and the validation's robust copies."""

    strength: float = Field(1.0, ge=0, le=3, description="Scales every magnitude (0: no augmentation).")
    dihedral: bool = Field(True, description="Random 90/180/270 turns and flips (test pages come that way).")
    heavy_prob: float = Field(0.5, ge=0, le=1, description="Chance a minority-class row gets the heavy variant.")
    minority_share: float = Field(0.75, gt=0, le=1, description="A class with fewer rows than this share of the "
                                                                "median class count is a minority class.")
    overlay_prob: float = Field(0.25, ge=0, le=1, description="Documents: chance of a faint page overlaid ...")
    overlay_self: float = Field(0.3, ge=0, le=1, description="... taken from the row itself (else from the pool).")
    robust_copies: bool = Field(True, description="Also validate on fixed degraded copies (noise, JPEG, "
                                                  "downscale) of the validation rows.")


class BackboneConfig(StrictModel):
    """Which timm model, with which weights, at which input size."""

    name: str = Field("convnext_nano", description="A timm model name (convnext_base, efficientnet_b4, "
                                                   "maxvit_base_tf_512, vit_base_patch16_siglip_512, "
                                                   "vit_base_patch14_dinov2, ...), hf-hub:<id> or local-dir:<folder>.")
    weights: str = Field("none", description="none (random init), pretrained (timm's source: the Hub or the "
                                             "local-dir folder) or a path to a weights file.")
    input_size: int | Literal["auto", "auto-long"] = Field(
        "auto", description="Square input side, or auto / auto-long from the model's pretrained config.")
    drop_rate: float = Field(0.0, ge=0, lt=1)
    drop_path_rate: float = Field(0.1, ge=0, lt=1, description="Stochastic depth (models that have it).")
    model_kwargs: dict[str, Any] = Field(default_factory=dict, description="More timm.create_model arguments "
                                                                          "(e.g. a small model's dims and depths).")


class RouteConfig(StrictModel):
    """Two-stage inference: uncertain rows re-scored on a restored copy of the image and blended."""

    enabled: bool = False
    mode: Literal["entropy", "margin", "pred", "sum"] = Field(
        "margin", description="Confidence per row: 1 - entropy / log C, top-1 minus top-2, top-1, or their "
                              "mean (sum); rows below the gate are routed.")
    gate: float = Field(0.60, ge=0, le=1)
    classes: list[str] | None = Field(None, description="Route only rows predicted as these classes.")
    limit: int | None = Field(None, ge=1, description="At most this many routed rows per model batch "
                                                      "(the least confident).")
    preset: Literal["deskew", "denoise", "contrast", "doc_restore_bal", "doc_restore_max"] = "doc_restore_bal"
    blend: float = Field(0.5, ge=0, le=1, description="Weight of stage 2 (1: stage 2 only, 0: keep stage 1).")


class NeuralModel(StrictModel):
    backbone: BackboneConfig = Field(default_factory=BackboneConfig)
    loss: LossConfig = Field(default_factory=LossConfig)
    augment: AugmentConfig = Field(default_factory=AugmentConfig)
    keep: Literal["monitor", "loss", "f1"] = Field(
        "monitor", description="Which best epoch predicts: the early-stopping monitor's, the lowest "
                               "validation loss's or the highest macro-F1's (all three are in checkpoints).")
    tta: Literal["none", "flip", "dihedral"] = Field("dihedral", description="Views averaged at prediction: "
                                                                             "none, flip, or 4 turns x flip.")
    route: RouteConfig = Field(default_factory=RouteConfig)
    loader_threads: int = Field(4, ge=1, description="Threads decoding training images.")


class ModelConfig(StrictModel):
    kind: Literal["offline", "neural"] = Field(
        "offline", description="offline: OCR text + image descriptors (no weights needed); neural: a timm "
                               "backbone trained on the images (model.neural, train).")
    offline: OfflineModel = Field(default_factory=OfflineModel)
    neural: NeuralModel = Field(default_factory=NeuralModel)


class SubmissionConfig(StrictModel):
    file: str = Field("submission.csv", description="Written by `score` for rows of the competition's test folder.")


class ResourcesConfig(StrictModel):
    """The offline model is a few matrix products: its actor takes a quarter CPU and the page tasks
    0.8 each, so two OCR tasks and the model fit on 2 cores (with a full CPU each, the idle model
    actor held one of the two and pages were read one at a time). A neural model on a GPU: model
    num_gpus 1 (concurrency = GPUs); on CPU give it num_cpus 1 or more."""

    decode: StageResources = Field(default_factory=lambda: StageResources(batch_size=4, num_cpus=0.8))
    # The neural path's decode + resize is ~15 ms a page: tasks of 4 spent their time being
    # scheduled (1,600 pages: 23 -> 30 images/s on 2 cores with 32 a task).
    pixels: StageResources = Field(default_factory=lambda: StageResources(batch_size=32, num_cpus=0.8))
    ocr: StageResources = Field(default_factory=lambda: StageResources(batch_size=2, num_cpus=0.8))
    model: StageResources = Field(default_factory=lambda: StageResources(batch_size=32, num_cpus=0.25))


class DocTypeConfig(TaskConfig):
    image: ImageLoadConfig = Field(default_factory=ImageLoadConfig)
    ocr: OcrConfig = Field(default_factory=OcrConfig)
    vision: VisionConfig = Field(default_factory=VisionConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    submission: SubmissionConfig = Field(default_factory=SubmissionConfig)
    train: TrainArgs = Field(default_factory=lambda: TrainArgs(
        epochs=30, batch_size=32, lr=3e-4, weight_decay=0.05, warmup_epochs=1, scheduler="cosine_warmup_restarts",
        restart_period=30, restart_mult=1, early_stopping=EarlyStopping(monitor="either", patience=10,
                                                                        min_delta_loss=0.001, min_delta_f1=0.0005)),
        description="Training of model.kind=neural (the shared loop's arguments).")
    references: ReferencesConfig = Field(default_factory=lambda: ReferencesConfig(names=["majority", "logreg",
                                                                                         "tfidf_lr"]))
    resources: ResourcesConfig = Field(default_factory=ResourcesConfig)
