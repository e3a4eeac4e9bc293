"""``CrossAttentionFusionOrdinal`` and its training: the seed's model, losses and schedule.

Example:
    >>> for model in fit_model(cfg, rows):   # one yield per epoch: the best model so far
    ...     pass                             # doctest: +SKIP
    >>> model.predict_proba(rows, cfg)       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from sklearn.model_selection import train_test_split
from torch import nn

from rayscore.tasks.urgency.config import LEVELS, ModelConfig, UrgencyConfig
from rayscore.tasks.urgency.text import TfidfSVD

FEATURES_COL = "feat_call"  # the five acoustic features
LOSSES = ("kl", "focal", "ce")


def audio_column(cfg: UrgencyConfig) -> str:
    return "emb_logmel" if cfg.audio_encoder.name == "dsp" else "emb_hf_audio"


TEXT_COLUMN = "emb_hf_text"


class CrossAttentionFusionOrdinal(nn.Module):
    """Audio and text projected to ``hidden``, attending to each other as a 2-token sequence.

    The head reads the interaction features ``[a, t, |a - t|, a * t]`` of the two
    encoded tokens and outputs one logit per level.
    """

    def __init__(self, audio_dim: int, text_dim: int, m: ModelConfig, n_classes: int = len(LEVELS)) -> None:
        super().__init__()
        h = m.hidden

        def project(d: int) -> nn.Sequential:
            return nn.Sequential(nn.Linear(d, h), nn.LayerNorm(h), nn.GELU(), nn.Dropout(m.proj_dropout))

        self.audio_proj, self.text_proj = project(audio_dim), project(text_dim)
        layer = nn.TransformerEncoderLayer(h, m.heads, m.feedforward, m.attn_dropout, activation="gelu",
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, m.layers, enable_nested_tensor=False)
        self.head = nn.Sequential(nn.Linear(4 * h, m.head_hidden), nn.LayerNorm(m.head_hidden), nn.GELU(),
                                  nn.Dropout(m.head_dropout), nn.Linear(m.head_hidden, n_classes))

    def forward(self, audio: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        tokens = self.encoder(torch.stack([self.audio_proj(audio), self.text_proj(text)], dim=1))
        a, t = tokens[:, 0], tokens[:, 1]
        return self.head(torch.cat([a, t, (a - t).abs(), a * t], dim=-1))


# ---- losses -------------------------------------------------------------------------------

def class_weights(y: np.ndarray, n_classes: int = len(LEVELS)) -> np.ndarray:
    """w_c = sqrt(N / (C n_c)); a class absent from training gets 1 (it is never drawn)."""
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    w = np.ones(n_classes)
    present = counts > 0
    w[present] = np.sqrt(len(y) / (n_classes * counts[present]))
    return w


def ordinal_soft_labels(y: torch.Tensor, smoothing: float, n_classes: int = len(LEVELS)) -> torch.Tensor:
    """1 - s on the level, s/2 on each neighbouring level (renormalised at the ends)."""
    target = torch.zeros(len(y), n_classes, device=y.device)
    target[torch.arange(len(y)), y] = 1.0 - smoothing
    for step in (-1, 1):
        nb = y + step
        ok = (nb >= 0) & (nb < n_classes)
        target[torch.arange(len(y))[ok], nb[ok]] = smoothing / 2
    return target / target.sum(dim=1, keepdim=True)


def kl_loss(logits: torch.Tensor, y: torch.Tensor, smoothing: float) -> torch.Tensor:
    return F.kl_div(F.log_softmax(logits, dim=-1), ordinal_soft_labels(y, smoothing), reduction="batchmean")


def ordinal_focal_loss(logits: torch.Tensor, y: torch.Tensor, w: torch.Tensor, gamma: float) -> torch.Tensor:
    """(1 - p_t)^gamma * (1 + |y - argmax|) * w_y * CE: hard and far-off mistakes weigh more."""
    ce = F.cross_entropy(logits, y, reduction="none")
    p_t = torch.exp(-ce)
    distance = (logits.argmax(dim=-1) - y).abs().float()
    return ((1 - p_t) ** gamma * (1 + distance) * w[y] * ce).mean()


def mixed_loss(kind: str, logits: torch.Tensor, y: torch.Tensor, w: torch.Tensor, cfg: UrgencyConfig) -> torch.Tensor:
    if kind == "kl":
        return kl_loss(logits, y, cfg.train.smoothing)
    if kind == "focal":
        return ordinal_focal_loss(logits, y, w, cfg.train.focal_gamma)
    return F.cross_entropy(logits, y, weight=w)


# ---- the fitted model ---------------------------------------------------------------------

@dataclass
class UrgencyModel:
    """The network plus what turns encoded rows into its inputs (audio standardiser, text LSA)."""

    net: CrossAttentionFusionOrdinal
    audio_mean: np.ndarray
    audio_std: np.ndarray
    lsa: TfidfSVD | None  # the offline text encoder; None with an HF text encoder
    history: list[dict[str, Any]] = field(default_factory=list)
    trainer: Any = None  # the Trainer while fitting (its state is the epoch checkpoint)

    def checkpoint(self) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
        """The training state to resume from (``fit_model(..., resume=...)``)."""
        return self.trainer.state()

    def model_args(self) -> dict[str, Any]:
        """Architecture arguments saved beside the weights and read back (never inferred from shapes)."""
        first = self.net.audio_proj[0]
        return {"kind": "fusion", "audio_dim": int(first.in_features),
                "text_dim": int(self.net.text_proj[0].in_features)}

    def inputs(self, rows: pd.DataFrame, cfg: UrgencyConfig) -> tuple[np.ndarray, np.ndarray]:
        audio = (audio_matrix(rows, cfg) - self.audio_mean) / self.audio_std
        if self.lsa is not None:
            text = self.lsa.transform([str(t) for t in rows["text"]])
        else:
            text = np.stack([np.asarray(v, np.float32) for v in rows[TEXT_COLUMN]])
        return audio.astype(np.float32), text.astype(np.float32)

    @torch.inference_mode()
    def predict_proba(self, rows: pd.DataFrame, cfg: UrgencyConfig, batch_size: int = 256) -> np.ndarray:
        if rows.empty:
            return np.zeros((0, len(LEVELS)), np.float32)
        audio, text = self.inputs(rows, cfg)
        device = next(self.net.parameters()).device
        self.net.eval()
        out = [torch.softmax(self.net(torch.from_numpy(audio[i:i + batch_size]).to(device),
                                      torch.from_numpy(text[i:i + batch_size]).to(device)), dim=-1).cpu().numpy()
               for i in range(0, len(audio), batch_size)]
        return np.concatenate(out)

    def tensors(self) -> dict[str, np.ndarray]:
        out = {f"net.{k}": v.detach().cpu().numpy() for k, v in self.net.state_dict().items()}
        out |= {"audio_mean": self.audio_mean, "audio_std": self.audio_std}
        if self.lsa is not None:
            out |= {"lsa.idf": self.lsa.idf, "lsa.components": self.lsa.components}
        return out

    @classmethod
    def from_tensors(cls, cfg: UrgencyConfig, tensors: dict[str, np.ndarray],
                     model_args: dict[str, Any] | None = None) -> UrgencyModel:
        state = {k.removeprefix("net."): torch.from_numpy(np.array(v)) for k, v in tensors.items()
                 if k.startswith("net.")}
        if model_args is None:  # registries written before architecture arguments were saved
            model_args = {"audio_dim": state["audio_proj.0.weight"].shape[1],
                          "text_dim": state["text_proj.0.weight"].shape[1]}
        net = CrossAttentionFusionOrdinal(model_args["audio_dim"], model_args["text_dim"], cfg.model)
        net.load_state_dict(state)
        lsa = TfidfSVD(tensors["lsa.idf"], tensors["lsa.components"], cfg.text_encoder) if "lsa.idf" in tensors else None
        from rayscore.encoders._hf import resolve_device

        return cls(net.to(resolve_device(cfg.train.device)).eval(), tensors["audio_mean"], tensors["audio_std"], lsa)


def audio_matrix(rows: pd.DataFrame, cfg: UrgencyConfig) -> np.ndarray:
    """The five features beside the audio embedding, one row per call (the seed's hstack)."""
    return np.stack([np.concatenate([np.asarray(f, np.float32), np.asarray(e, np.float32)])
                     for f, e in zip(rows[FEATURES_COL], rows[audio_column(cfg)], strict=True)])


def _split(y: np.ndarray, cfg: UrgencyConfig) -> tuple[np.ndarray, np.ndarray]:
    """Stratified train/validation indices (the seed's 80/20); tiny sets validate on themselves."""
    idx = np.arange(len(y))
    if len(y) < 10:
        return idx, idx
    counts = np.bincount(y, minlength=len(LEVELS))
    stratify = y if counts[counts > 0].min() >= 2 else None
    return train_test_split(idx, test_size=cfg.train.val_fraction, stratify=stratify, random_state=cfg.train.seed)


def load_model(cfg: UrgencyConfig, tensors: dict[str, np.ndarray], model_args: dict[str, Any] | None = None) -> Any:
    """The model the tensors hold: the linear one or the fusion network."""
    if any(k.startswith("linear.") for k in tensors):
        from rayscore.tasks.urgency.linear import LinearUrgency

        return LinearUrgency.from_tensors(tensors)
    return UrgencyModel.from_tensors(cfg, tensors, model_args)


def fit_model(cfg: UrgencyConfig, rows: pd.DataFrame, resume: Any = None) -> Iterator[Any]:
    """Train on labelled encoded rows; yield the best model (by validation macro-F1) after each epoch.

    The linear model fits in one step. The fusion network trains on the shared
    :class:`~rayscore.training.Trainer`; validation is a stratified share of ``rows``
    (``train.val_fraction``), so a tuning fold's own validation rows are never used
    for early stopping. ``resume`` is a yielded model's :meth:`UrgencyModel.checkpoint`:
    training continues from that epoch (the split and text encoder are refitted the
    same way from the same rows).
    """
    if cfg.model.kind == "linear":
        from rayscore.tasks.urgency.linear import LinearUrgency

        yield LinearUrgency.fit(cfg, rows)
        return
    from rayscore.training import Trainer
    from rayscore.training.loop import resolve_device, seed_everything

    t = cfg.train
    seed_everything(t.seed, t.deterministic)
    device = resolve_device(t.device)
    y_all = rows["label"].map({lab: i for i, lab in enumerate(LEVELS)}).to_numpy(dtype=np.int64)
    tr, va = _split(y_all, cfg)
    audio = audio_matrix(rows, cfg)
    mean, std = audio[tr].mean(axis=0), audio[tr].std(axis=0) + 1e-6
    lsa = None
    if cfg.text_encoder.name == "tfidf":
        lsa = TfidfSVD.fit([str(x) for x in rows["text"].iloc[tr]], cfg.text_encoder, seed=t.seed)
    model = UrgencyModel(None, mean.astype(np.float32), std.astype(np.float32), lsa)  # type: ignore[arg-type]
    a_all, x_all = model.inputs(rows, cfg)
    net = CrossAttentionFusionOrdinal(a_all.shape[1], x_all.shape[1], cfg.model)

    w_np = class_weights(y_all[tr])
    w = torch.tensor(w_np, dtype=torch.float32, device=device)
    mix = np.array([t.loss_mix.kl, t.loss_mix.focal, t.loss_mix.ce])
    drawn = dict.fromkeys(LOSSES, 0)

    def loss_fn(logits: torch.Tensor, y: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
        kind = LOSSES[rng.choice(len(LOSSES), p=mix)]  # one loss per step, drawn from the mix
        drawn[kind] += 1
        return mixed_loss(kind, logits.float(), y, w, cfg)

    def tensors(idx: np.ndarray) -> tuple[torch.Tensor, ...]:
        return torch.from_numpy(a_all[idx]), torch.from_numpy(x_all[idx]), torch.from_numpy(y_all[idx])

    trainer = Trainer(net, t, loss_fn, train=tensors(tr), valid=tensors(va), sample_weights=w_np[y_all[tr]],
                      n_classes=len(LEVELS))
    if resume is not None:
        trainer.restore(*resume)
    model.trainer = trainer
    for result in trainer.epochs():
        model.net = trainer.best_module()
        model.history.append({"epoch": result.epoch, "train_loss": result.train_loss, "val_macro_f1": result.val_macro_f1,
                              "val_loss": result.val_loss, "best_val_macro_f1": trainer.memory.best_f1,
                              "lr": result.lr, "losses_drawn": dict(drawn)})
        drawn.update(dict.fromkeys(LOSSES, 0))
        yield model
