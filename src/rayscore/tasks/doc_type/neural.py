"""The seed's image model: a timm backbone by name, trained on the shared loop.

- Backbones through ``timm.create_model`` (ConvNeXt, EfficientNet, MaxViT, ViT incl.
  DINOv2 / SigLIP, ``hf-hub:<id>``, ``local-dir:<folder>``); weights: ``none`` (random
  init: this machine cannot download), ``pretrained`` (timm's source: the Hub, or the
  local folder) or a local file (safetensors or a torch checkpoint read with
  ``weights_only``). The input size is an integer, or ``auto`` / ``auto-long`` from the
  model's pretrained config (:func:`rayscore.media.image.resolve_data_config`).
- Training: pixels resized to the input size (uint8, squashed: a page keeps all its
  margins), the per-group augmentation of :mod:`.augment` on the fly inside the
  network wrapper, the loss of :mod:`rayscore.training.losses`, a stratified validation
  share plus its fixed robust copies; the :class:`~rayscore.training.Trainer` keeps the
  best-by-monitor, best-loss and best-F1 weights (``neural.keep`` picks which one predicts).
- Prediction: TTA (none, flip, or the 8 dihedral views), mean of logits over views.

Example:
    >>> for model in fit_neural(cfg, rows):    # one yield per epoch   # doctest: +SKIP
    ...     pass
    >>> model.predict_proba(rows, cfg)                                  # doctest: +SKIP
"""

from __future__ import annotations

import os
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from rayscore.config import ConfigError
from rayscore.media.image import DataConfig, ImageLoadConfig, load_image, resolve_data_config
from rayscore.tasks.doc_type.augment import GROUPS, augment, minority_classes, robust_copy
from rayscore.tasks.doc_type.classes import CLASSES, GROUP
from rayscore.tasks.doc_type.config import AugmentConfig, BackboneConfig
from rayscore.tasks.doc_type.pixels import PIXELS_COL, to_pixels
from rayscore.training.split import split_validation

N = len(CLASSES)


# ---- the network ----------------------------------------------------------------------------

class DocNet(nn.Module):
    """The backbone plus its input normalisation; augments (per class group) in training mode."""

    def __init__(self, backbone: nn.Module, dc: DataConfig, aug: AugmentConfig) -> None:
        super().__init__()
        self.backbone, self.aug = backbone, aug
        self.register_buffer("mean", torch.tensor(dc.mean, dtype=torch.float32).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(dc.std, dtype=torch.float32).view(1, 3, 1, 1))

    def forward(self, x: torch.Tensor, group: torch.Tensor | None = None,
                minority: torch.Tensor | None = None) -> torch.Tensor:
        x = x.float() / 255.0 if x.dtype == torch.uint8 else x
        if self.training and group is not None:
            # torch's global stream (seeded, and saved in checkpoints): a resumed run draws the same
            heavy = minority.bool().cpu() & (torch.rand(len(x)) < self.aug.heavy_prob)
            x = augment(x, group.cpu(), heavy, self.aug)
        return self.backbone((x - self.mean) / self.std)


def create_backbone(b: BackboneConfig) -> nn.Module:
    """``timm.create_model`` with 17 outputs; weights as configured, one-line errors when they cannot load."""
    import timm

    kwargs: dict[str, Any] = {"num_classes": N, **b.model_kwargs}
    if b.drop_rate:
        kwargs["drop_rate"] = b.drop_rate
    if b.drop_path_rate:
        kwargs["drop_path_rate"] = b.drop_path_rate
    pretrained = b.weights != "none"
    if pretrained and b.weights != "pretrained":
        path = Path(b.weights).expanduser()
        if not path.is_file():
            raise ConfigError(f"model.neural.backbone.weights: no such file {path} (none, pretrained or a file)")
        kwargs["pretrained_cfg_overlay"] = {"file": str(path.absolute())}
    try:
        if isinstance(b.input_size, int) and "img_size" not in kwargs:
            try:  # ViT-like models build their position embeddings for the input size
                return timm.create_model(b.name, pretrained=pretrained, img_size=b.input_size, **kwargs)
            except TypeError:
                pass  # convolutional models take any size
        return timm.create_model(b.name, pretrained=pretrained, **kwargs)
    except RuntimeError as exc:
        if "Unknown model" in str(exc):
            raise ConfigError(f"model.neural.backbone.name: timm has no model '{b.name}'") from None
        raise ConfigError(f"backbone {b.name}: weights could not be loaded ({' '.join(str(exc).split())[:200]}); "
                          "set model.neural.backbone.weights=none or to a local file") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"backbone {b.name}: weights could not be loaded ({' '.join(str(exc).split())[:200]}); "
                          "this machine cannot download: set model.neural.backbone.weights to a local file "
                          "or use local-dir:<folder>") from None
    except TypeError as exc:
        raise ConfigError(f"backbone {b.name}: {exc} (model.neural.backbone.model_kwargs)") from None


def data_config(b: BackboneConfig, net: nn.Module) -> DataConfig:
    """The model's mean/std and input size (auto: its pretrained config's), squashed (no crop)."""
    dc = resolve_data_config(input_size=b.input_size, pretrained_cfg=dict(getattr(net, "pretrained_cfg", {}) or {}))
    return dc.model_copy(update={"crop_mode": "squash", "crop_pct": 1.0})


# ---- pixels -----------------------------------------------------------------------------------

class _PixelCache:
    """Least-recently-used decoded images, bounded by bytes: tuning predicts the same validation
    images every epoch, and 2048 images at 518 px (DINOv2) would be 1.6 GB by count alone."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.bytes = max_bytes, 0
        self.items: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self.lock = threading.Lock()  # load_pixels decodes in threads

    def get(self, key: tuple, make) -> np.ndarray:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self.lock:
            if key not in self.items and value.nbytes <= self.max_bytes:
                self.items[key] = value
                self.bytes += value.nbytes
                while self.bytes > self.max_bytes:
                    self.bytes -= self.items.popitem(last=False)[1].nbytes
        return value


_PIXELS = _PixelCache(512 * 2**20)


def _pixels_of(path: str, side: tuple[int, int], interpolation: str, robust: bool = False) -> np.ndarray:
    def make() -> np.ndarray:
        rgb = load_image(path, ImageLoadConfig())
        if robust:
            rgb = robust_copy(rgb, seed=zlib.crc32(os.path.basename(path).encode()))  # same copy in every process
        return to_pixels(rgb, side, interpolation)

    return _PIXELS.get((path, side, interpolation, robust), make)


def load_pixels(rows: pd.DataFrame, dc: DataConfig, threads: int = 4, robust: bool = False) -> np.ndarray:
    """(rows, 3, H, W) uint8 from the decode stage's column, or decoded from ``path``."""
    side = tuple(dc.input_size[1:])
    if PIXELS_COL in rows and not robust:
        return np.stack([np.asarray(p, np.uint8).reshape(3, *side) for p in rows[PIXELS_COL]])
    paths = [str(p) for p in rows["path"]]
    with ThreadPoolExecutor(max(1, threads)) as pool:
        return np.stack(list(pool.map(lambda p: _pixels_of(p, side, dc.interpolation, robust), paths)))


# ---- the fitted model -------------------------------------------------------------------------

def _views(x: torch.Tensor, tta: str) -> list[torch.Tensor]:
    if tta == "none":
        return [x]
    if tta == "flip":
        return [x, x.flip(3)]
    turns = [torch.rot90(x, k, dims=(2, 3)) for k in range(4)]
    return turns + [t.flip(3) for t in turns]


@dataclass
class NeuralDocModel:
    net: DocNet
    args: dict[str, Any]  # backbone config + resolved data config: rebuilds the network
    history: list[dict[str, Any]] = field(default_factory=list)
    trainer: Any = None  # the Trainer while fitting (its state is the epoch checkpoint)

    @property
    def dc(self) -> DataConfig:
        return DataConfig.model_validate(self.args["data_config"])

    def checkpoint(self) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
        return self.trainer.state()

    def model_args(self) -> dict[str, Any]:
        return {"kind": "neural", **self.args, "classes": list(CLASSES)}

    @torch.inference_mode()
    def logits(self, pixels: np.ndarray, tta: str, batch_size: int = 32) -> np.ndarray:
        """Mean logits over the TTA views of (B, 3, H, W) uint8 pixels."""
        device = next(self.net.parameters()).device
        self.net.eval()
        out = []
        for i in range(0, len(pixels), batch_size):
            x = torch.from_numpy(pixels[i:i + batch_size]).to(device)
            views = _views(x, tta)
            if views[0].shape[2] != views[-1].shape[2]:  # non-square input: squash turned views back
                views = [torch.nn.functional.interpolate(v.float(), size=x.shape[2:], mode="bilinear") for v in views]
            out.append(torch.stack([self.net(v).float() for v in views]).mean(0).cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, N), np.float32)

    def predict_proba(self, rows: pd.DataFrame, cfg: Any) -> np.ndarray:
        if rows.empty:
            return np.zeros((0, N), np.float32)
        n = cfg.model.neural
        z = self.logits(load_pixels(rows, self.dc, n.loader_threads), n.tta, cfg.train.batch_size)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return (z / z.sum(axis=1, keepdims=True)).astype(np.float32)

    def tensors(self) -> dict[str, np.ndarray]:
        return {f"neural.{k}": v.detach().cpu().numpy() for k, v in self.net.state_dict().items()}

    @classmethod
    def from_tensors(cls, cfg: Any, tensors: dict[str, np.ndarray], model_args: dict[str, Any]) -> NeuralDocModel:
        from rayscore.training.loop import resolve_device

        b = BackboneConfig.model_validate(model_args["backbone"]).model_copy(update={"weights": "none"})
        dc = DataConfig.model_validate(model_args["data_config"])
        net = DocNet(create_backbone(b), dc, AugmentConfig())
        net.load_state_dict({k.removeprefix("neural."): torch.from_numpy(np.array(v)) for k, v in tensors.items()
                             if k.startswith("neural.")})
        return cls(net.to(resolve_device(cfg.train.device)).eval(), dict(model_args))


def fit_neural(cfg: Any, rows: pd.DataFrame, resume: Any = None) -> Iterator[NeuralDocModel]:
    """Train on labelled rows; yield the kept best model after every epoch (``resume``: a
    yielded model's :meth:`NeuralDocModel.checkpoint`, to continue from that epoch)."""
    from rayscore.training import Trainer
    from rayscore.training.loop import seed_everything
    from rayscore.training.losses import make_loss

    n, t = cfg.model.neural, cfg.train
    seed_everything(t.seed, t.deterministic)
    backbone = create_backbone(n.backbone)
    dc = data_config(n.backbone, backbone)
    net = DocNet(backbone, dc, n.augment)
    y = rows["label"].map({c: i for i, c in enumerate(CLASSES)}).to_numpy(np.int64, copy=True)
    tr, va = split_validation(y, t.val_fraction, t.seed)
    counts = np.bincount(y[tr], minlength=N)
    group = torch.tensor([GROUPS.index(GROUP[CLASSES[i]]) for i in y])
    minority = torch.from_numpy(minority_classes(counts, n.augment.minority_share)[y])
    x = torch.from_numpy(load_pixels(rows, dc, n.loader_threads))
    y_t = torch.from_numpy(y)

    def part(idx: np.ndarray, pixels: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return pixels, group[idx], minority[idx], y_t[idx]

    extra = {}
    if n.augment.robust_copies:
        extra["robust"] = part(va, torch.from_numpy(load_pixels(rows.iloc[va], dc, n.loader_threads, robust=True)))
    trainer = Trainer(net, t, make_loss(n.loss, counts), train=part(tr, x[tr]), valid=part(va, x[va]),
                      n_classes=N, extra_valid=extra)
    if resume is not None:
        trainer.restore(*resume)
    model = NeuralDocModel(trainer.best_module(), {"backbone": n.backbone.model_dump(mode="json"),
                                                   "data_config": dc.model_dump(mode="json")})
    model.trainer = trainer
    for result in trainer.epochs():
        model.net = trainer.best_module(None if n.keep == "monitor" else n.keep)
        model.history.append({"epoch": result.epoch, "train_loss": result.train_loss, "val_loss": result.val_loss,
                              "val_macro_f1": result.val_macro_f1, "lr": result.lr,
                              **{f"{k}_{m}": v for k, d in result.extra.items() for m, v in d.items()}})
        yield model
