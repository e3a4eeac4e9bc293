"""``TrainArgs``: one training vocabulary for every neural task (litgpt-style typed args).

Derived values are methods, cross-field rules are validators, so a sweep can move any
field and still get a schedule that makes sense.

Example:
    >>> args = TrainArgs(epochs=10, warmup_epochs=1, scheduler="cosine_warmup_restarts")
    >>> round(args.lr_factor(step=0, steps_per_epoch=10), 3), args.lr_factor(step=10, steps_per_epoch=10)
    (0.1, 1.0)
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from rayscore.config import StrictModel


class EarlyStopping(StrictModel):
    """Stop when the monitored validation scores stop improving (and keep the best epoch)."""

    monitor: Literal["loss", "f1", "both", "either"] = Field(
        "f1", description="loss: validation loss; f1: macro-F1; both: an epoch counts as better only if both "
                          "improve; either: if one of them does.")
    patience: int = Field(10, ge=1, description="Epochs without a better epoch before stopping.")
    min_delta_loss: float = Field(0.0, ge=0, description="A loss must drop by more than this to count.")
    min_delta_f1: float = Field(0.0, ge=0, description="A macro-F1 must rise by more than this to count.")


class LossConfig(StrictModel):
    """The training loss (prediction always reads the plain logits)."""

    kind: Literal["ce", "label_smoothing", "focal"] = Field(
        "label_smoothing", description="ce; label_smoothing (CE with smoothed targets); focal (down-weights "
                                       "examples the model already gets right).")
    label_smoothing: float = Field(0.1, ge=0, lt=1, description="Target mass spread over the other classes.")
    focal_gamma: float = Field(1.8, ge=0, le=5, description="Focal loss focusing parameter (1.5-2.0 typical).")
    class_weight: Literal["none", "inverse", "sqrt", "effective"] = Field(
        "none", description="Per-class weights (focal: alpha): inverse frequency, its square root, the "
                            "class-balanced effective number of samples, or none.")
    cb_beta: float = Field(0.999, ge=0, lt=1, description="beta of the effective number of samples.")
    class_weight_power: float = Field(1.0, ge=0, le=2, description="The class weights raised to this (a sweep "
                                                                  "moves from none, 0, through sqrt-like, to full).")
    logit_adjust_tau: float = Field(0.0, ge=0, description="Logit adjustment: tau * log(prior) added to the "
                                                           "logits in training (0: off; 1.0 is the usual value).")


class TrainArgs(StrictModel):
    """Epochs, batches, optimiser, schedule, precision, EMA, early stopping, seeding, device."""

    epochs: int = Field(50, ge=1)
    batch_size: int = Field(32, ge=1)
    grad_accum: int = Field(1, ge=1, description="Batches whose gradients add up before one optimiser step.")
    lr: float = Field(3e-5, gt=0, description="Peak learning rate (AdamW).")
    weight_decay: float = Field(0.01, ge=0)
    warmup_epochs: float = Field(0.0, ge=0, description="Linear warm-up at the start of each cycle (epochs).")
    scheduler: Literal["cosine_annealing_warm_restarts", "cosine_warmup_restarts", "constant"] = Field(
        "cosine_annealing_warm_restarts",
        description="cosine_annealing_warm_restarts: torch's (T_0, T_mult); cosine_warmup_restarts: the same "
                    "cycles, each starting with warm-up; constant: lr throughout (after warm-up).")
    restart_period: int = Field(10, ge=1, description="Epochs of the first cosine cycle (T_0).")
    restart_mult: int = Field(2, ge=1, description="Each cycle is this many times longer than the last (T_mult).")
    min_lr_ratio: float = Field(0.0, ge=0, le=1, description="The cosine's floor, as a share of lr.")
    grad_clip: float | None = Field(1.0, gt=0, description="Clip the gradient norm (None: no clipping).")
    precision: Literal["auto", "bf16", "fp16", "fp32"] = Field(
        "auto", description="Mixed precision on GPU (auto: bf16 where supported, else fp16); always fp32 on CPU.")
    ema_decay: float | None = Field(None, gt=0, lt=1, description="Keep an exponential moving average of the "
                                                                   "weights and validate / keep it (None: off).")
    early_stopping: EarlyStopping = Field(default_factory=EarlyStopping)
    val_fraction: float = Field(0.2, gt=0, lt=1, description="Stratified validation share when none is given.")
    seed: int = 42
    deterministic: bool = Field(False, description="torch deterministic algorithms (slower; for reproducibility).")
    device: str = Field("auto", description="auto (cuda when available), cpu, cuda, cuda:1, ...")

    @model_validator(mode="after")
    def _warmup_fits(self) -> TrainArgs:
        if self.scheduler == "cosine_warmup_restarts" and self.warmup_epochs >= self.restart_period:
            raise ValueError(f"warmup_epochs ({self.warmup_epochs}) must be shorter than restart_period "
                             f"({self.restart_period}): each cycle starts with the warm-up")
        return self

    def cycle(self, epoch: float) -> tuple[float, float]:
        """(position in the current cosine cycle, its length), both in epochs."""
        period, start = float(self.restart_period), 0.0
        while epoch >= start + period:
            start += period
            period *= self.restart_mult
        return epoch - start, period

    def lr_factor(self, step: int, steps_per_epoch: int) -> float:
        """The learning rate at optimiser ``step``, as a share of ``lr``: a pure function of the step."""
        epoch = step / max(1, steps_per_epoch)
        if self.scheduler == "constant":
            return min(1.0, (epoch + 1 / steps_per_epoch) / self.warmup_epochs) if self.warmup_epochs else 1.0
        if self.scheduler == "cosine_annealing_warm_restarts" and epoch < self.warmup_epochs:
            return (epoch + 1 / steps_per_epoch) / self.warmup_epochs
        pos, length = self.cycle(epoch)
        if self.scheduler == "cosine_warmup_restarts" and pos < self.warmup_epochs:
            return (pos + 1 / steps_per_epoch) / self.warmup_epochs
        if self.scheduler == "cosine_warmup_restarts":
            pos, length = pos - self.warmup_epochs, length - self.warmup_epochs
        cosine = 0.5 * (1 + math.cos(math.pi * pos / length))
        return self.min_lr_ratio + (1 - self.min_lr_ratio) * cosine

    def autocast_dtype(self, device: str):
        """The autocast dtype on ``device``, or None for full precision (always on CPU)."""
        import torch

        if not device.startswith("cuda") or self.precision == "fp32":
            return None
        if self.precision == "fp16" or (self.precision == "auto" and not torch.cuda.is_bf16_supported()):
            return torch.float16
        return torch.bfloat16
