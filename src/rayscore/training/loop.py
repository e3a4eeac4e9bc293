"""One readable epoch loop for every neural task (nanoGPT's ``train.py``, as a class).

Top to bottom, one epoch: draw the epoch's batches (class-weighted sampling when
asked), and for each batch: forward under autocast (bf16/fp16 on GPU, nothing on
CPU), the task's loss, backward (through a grad scaler only for fp16), and every
``grad_accum`` batches: clip, step, set the learning rate from
:meth:`TrainArgs.lr_factor` (a pure function of the step) and update the EMA.
Then validate (the EMA weights when on), remember the best epoch by the
early-stopping monitor, and yield an :class:`EpochResult`.

Everything that decides what happens next is in :meth:`Trainer.state`, so a
checkpointed trainer resumes exactly where it stopped (weights, EMA, optimiser,
scaler, schedule position, early-stopping memory, random streams).

Example:
    >>> trainer = Trainer(net, args, loss_fn, train=(x, y), valid=(x_va, y_va))   # doctest: +SKIP
    >>> for result in trainer.epochs():                                          # doctest: +SKIP
    ...     print(result.epoch, result.val_macro_f1)
    >>> best = trainer.best_module()                                             # doctest: +SKIP
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import f1_score
from torch import nn

from rayscore.training.args import TrainArgs

#: loss_fn(logits, y, rng) -> scalar loss; ``rng`` is the trainer's, so resumed runs draw the same.
LossFn = Callable[[torch.Tensor, torch.Tensor, np.random.Generator], torch.Tensor]


def resolve_device(device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def seed_everything(seed: int, deterministic: bool) -> None:
    torch.manual_seed(seed)
    np.random.seed(seed % 2**32)
    if deterministic:
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.benchmark = False


@dataclass
class EpochResult:
    epoch: int  # 1-based
    train_loss: float
    val_loss: float | None
    val_macro_f1: float | None
    lr: float
    improved: bool  # this epoch is the new best
    best_epoch: int
    stop: bool  # early stopping fired: no epoch follows
    extra: dict[str, dict[str, float]] = field(default_factory=dict)  # other validation sets: loss, macro_f1


@dataclass
class _Memory:
    """Early stopping's memory (part of the checkpoint)."""

    epoch: int = 0
    step: int = 0
    best_epoch: int = 0
    best_loss: float = float("inf")
    best_f1: float = float("-inf")
    stale: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    # the lowest loss and highest F1 seen, each on its own (their epochs' weights are kept too)
    top_loss: float = float("inf")
    top_loss_epoch: int = 0
    top_f1: float = float("-inf")
    top_f1_epoch: int = 0


class Trainer:
    """Fits ``module`` on in-memory tensors ``(*inputs, y)``, one epoch per :meth:`epochs` step."""

    def __init__(self, module: nn.Module, args: TrainArgs, loss_fn: LossFn,
                 train: tuple[torch.Tensor, ...], valid: tuple[torch.Tensor, ...] | None = None,
                 sample_weights: np.ndarray | None = None, n_classes: int | None = None,
                 extra_valid: dict[str, tuple[torch.Tensor, ...]] | None = None) -> None:
        seed_everything(args.seed, args.deterministic)
        self.args, self.loss_fn, self.train, self.valid = args, loss_fn, train, valid
        self.extra_valid = extra_valid or {}
        self.device = resolve_device(args.device)
        self.module = module.to(self.device)
        self.ema = copy.deepcopy(self.module).eval() if args.ema_decay else None
        self.best = copy.deepcopy(self.ema or self.module).eval()
        # best-loss and best-F1 weights, whatever the early-stopping monitor (the seed keeps both per fold)
        self.best_by = {k: copy.deepcopy(self.best) for k in ("loss", "f1")} if valid is not None else {}
        self.optimizer = torch.optim.AdamW(self.module.parameters(), lr=args.lr, weight_decay=args.weight_decay)
        self.dtype = args.autocast_dtype(self.device)
        self.scaler = torch.amp.GradScaler("cuda") if self.dtype == torch.float16 else None
        self.sample_weights = sample_weights
        self.n_classes = n_classes or int(train[-1].max()) + 1
        self.generator = torch.Generator().manual_seed(args.seed)
        self.rng = np.random.default_rng(args.seed)
        self.memory = _Memory()

    # -- one epoch -------------------------------------------------------------------------
    def _order(self) -> np.ndarray:
        n = len(self.train[-1])
        if self.sample_weights is None:
            return torch.randperm(n, generator=self.generator).numpy()
        w = torch.as_tensor(self.sample_weights, dtype=torch.double)
        return torch.multinomial(w, n, replacement=True, generator=self.generator).numpy()

    def _autocast(self):
        return torch.autocast("cuda", dtype=self.dtype) if self.dtype is not None else nullcontext()

    def _train_epoch(self) -> tuple[float, float]:
        a, m = self.args, self.memory
        order = self._order()
        steps_per_epoch = max(1, -(-len(order) // (a.batch_size * a.grad_accum)))
        self.module.train()
        total, lr = 0.0, a.lr
        batches = [order[i:i + a.batch_size] for i in range(0, len(order), a.batch_size)]
        for k, b in enumerate(batches):
            *inputs, y = (t[b].to(self.device) for t in self.train)
            with self._autocast():
                loss = self.loss_fn(self.module(*inputs), y, self.rng)
            total += float(loss.detach()) * len(b)
            loss = loss / a.grad_accum
            (self.scaler.scale(loss) if self.scaler else loss).backward()
            if (k + 1) % a.grad_accum and k + 1 < len(batches):
                continue
            lr = a.lr * a.lr_factor(m.step, steps_per_epoch)
            for group in self.optimizer.param_groups:
                group["lr"] = lr
            if self.scaler:
                self.scaler.unscale_(self.optimizer)
            if a.grad_clip:
                nn.utils.clip_grad_norm_(self.module.parameters(), a.grad_clip)
            if self.scaler:
                self.scaler.step(self.optimizer)
                self.scaler.update()
            else:
                self.optimizer.step()
            self.optimizer.zero_grad(set_to_none=True)
            m.step += 1
            if self.ema is not None:
                with torch.no_grad():
                    for p_ema, p in zip(self.ema.parameters(), self.module.parameters(), strict=True):
                        p_ema.lerp_(p.detach(), 1.0 - a.ema_decay)
        return total / max(1, len(order)), lr

    @torch.inference_mode()
    def _validate(self, tensors: tuple[torch.Tensor, ...] | None) -> tuple[float | None, float | None]:
        if tensors is None:
            return None, None
        net = (self.ema or self.module).eval()
        *inputs, y = tensors
        step = max(1, self.args.batch_size * 4)
        parts = []
        for i in range(0, len(y), step):
            with self._autocast():
                parts.append(net(*(t[i:i + step].to(self.device) for t in inputs)).float())
        logits, y = torch.cat(parts), y.to(self.device)
        loss = float(F.cross_entropy(logits, y))
        f1 = float(f1_score(y.cpu().numpy(), logits.argmax(-1).cpu().numpy(), average="macro", zero_division=0))
        return loss, f1

    def _better(self, loss: float | None, f1: float | None) -> bool:
        es, m = self.args.early_stopping, self.memory
        if loss is None:  # nothing to validate on: the latest epoch is the best
            return True
        by_loss = loss < m.best_loss - es.min_delta_loss
        by_f1 = f1 > m.best_f1 + es.min_delta_f1
        return {"loss": by_loss, "f1": by_f1, "both": by_loss and by_f1, "either": by_loss or by_f1}[es.monitor]

    def epochs(self) -> Iterator[EpochResult]:
        """Train epoch after epoch (from where a restored state stopped); one result per epoch."""
        a, m = self.args, self.memory
        while m.epoch < a.epochs and (not m.history or not m.history[-1]["stop"]):
            train_loss, lr = self._train_epoch()
            val_loss, val_f1 = self._validate(self.valid)
            extra = {name: dict(zip(("loss", "macro_f1"), self._validate(t), strict=True))
                     for name, t in self.extra_valid.items()}
            m.epoch += 1
            self._keep_tops(val_loss, val_f1)
            improved = self._better(val_loss, val_f1)
            if improved:
                m.best_epoch, m.stale = m.epoch, 0
                m.best_loss = val_loss if val_loss is not None else m.best_loss
                m.best_f1 = val_f1 if val_f1 is not None else m.best_f1
                self.best.load_state_dict((self.ema or self.module).state_dict())
            else:
                m.stale += 1
            result = EpochResult(m.epoch, train_loss, val_loss, val_f1, lr, improved, m.best_epoch,
                                 stop=m.stale >= a.early_stopping.patience, extra=extra)
            m.history.append(asdict(result))
            yield result

    def _keep_tops(self, loss: float | None, f1: float | None) -> None:
        m, current = self.memory, (self.ema or self.module)
        if loss is not None and loss < m.top_loss:
            m.top_loss, m.top_loss_epoch = loss, m.epoch
            self.best_by["loss"].load_state_dict(current.state_dict())
        if f1 is not None and f1 > m.top_f1:
            m.top_f1, m.top_f1_epoch = f1, m.epoch
            self.best_by["f1"].load_state_dict(current.state_dict())

    def best_module(self, by: str | None = None) -> nn.Module:
        """The weights of the best epoch so far (the EMA's when on), in eval mode: by the early-stopping
        monitor, or ``by="loss"`` / ``by="f1"`` (the lowest validation loss / highest macro-F1 alone)."""
        return self.best if by is None or not self.best_by else self.best_by[by]

    # -- checkpoint ------------------------------------------------------------------------
    def state(self) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
        """(tensors, JSON-able meta): everything needed to resume this trainer exactly."""
        tensors = {f"model.{k}": v for k, v in self.module.state_dict().items()}
        tensors |= {f"best.{k}": v for k, v in self.best.state_dict().items()}
        for by, net in self.best_by.items():
            tensors |= {f"best_{by}.{k}": v for k, v in net.state_dict().items()}
        if self.ema is not None:
            tensors |= {f"ema.{k}": v for k, v in self.ema.state_dict().items()}
        opt = self.optimizer.state_dict()
        for idx, st in opt["state"].items():
            tensors |= {f"opt.{idx}.{name}": torch.as_tensor(v) for name, v in st.items()}
        tensors["generator"] = self.generator.get_state()
        # dropout, drop-path and on-the-fly augmentation draw from torch's global streams
        tensors["torch_rng"] = torch.get_rng_state()
        if torch.cuda.is_available() and self.device.startswith("cuda"):
            tensors["cuda_rng"] = torch.cuda.get_rng_state()
        meta = {"memory": asdict(self.memory), "param_groups": opt["param_groups"],
                "rng": self.rng.bit_generator.state,
                "scaler": self.scaler.state_dict() if self.scaler else None}
        # copies: the live weights go on changing in place after this call
        return {k: v.detach().cpu().clone() for k, v in tensors.items()}, json.loads(json.dumps(meta))

    def restore(self, tensors: dict[str, torch.Tensor], meta: dict[str, Any]) -> None:
        """Continue from :meth:`state`'s output."""
        def part(prefix: str) -> dict[str, torch.Tensor]:
            return {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}

        self.module.load_state_dict(part("model."))
        self.best.load_state_dict(part("best."))
        for by, net in self.best_by.items():
            if part(f"best_{by}."):
                net.load_state_dict(part(f"best_{by}."))
        if self.ema is not None:
            self.ema.load_state_dict(part("ema."))
        opt_state: dict[int, dict[str, torch.Tensor]] = {}
        for k, v in part("opt.").items():
            idx, name = k.split(".", 1)
            opt_state.setdefault(int(idx), {})[name] = v
        self.optimizer.load_state_dict({"state": opt_state, "param_groups": meta["param_groups"]})
        self.generator.set_state(tensors["generator"])
        if "torch_rng" in tensors:
            torch.set_rng_state(tensors["torch_rng"])
        if "cuda_rng" in tensors and torch.cuda.is_available() and self.device.startswith("cuda"):
            torch.cuda.set_rng_state(tensors["cuda_rng"])
        self.rng.bit_generator.state = meta["rng"]
        if self.scaler and meta.get("scaler"):
            self.scaler.load_state_dict(meta["scaler"])
        self.memory = _Memory(**meta["memory"])
