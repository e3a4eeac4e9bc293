"""The seed's model: a pretrained encoder + classification head (``klue/roberta-base``), fine-tuned.

``AutoModelForSequenceClassification`` from a Hugging Face id or a local folder; the
entity markers are added to the tokenizer as special tokens and the embeddings resized
for them. Fine-tuning runs on the shared :class:`~rayscore.training.Trainer` (AdamW,
warm-up + cosine, class-weighted loss, early stopping, exact resume). A registered model
is its safetensors weights plus ``model_args`` (model id, markers, vocabulary size): the
tokenizer is rebuilt from the model id with the same markers, so ids match.

Example:
    >>> for model in fit_transformer(cfg, rows):   # one yield per epoch: the best model so far
    ...     pass                                   # doctest: +SKIP
    >>> model.predict_proba(rows).shape            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from rayscore.config import ConfigError
from rayscore.tasks.relation.config import TransformerModel
from rayscore.tasks.relation.labels import LABELS
from rayscore.tasks.relation.markers import Pair, mark, special_tokens, window
from rayscore.training.loop import resolve_device


def load_tokenizer(t: TransformerModel):
    """The model's tokenizer with the marker tokens added (the same ids every time)."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(t.model_id)
    extra = special_tokens(t.markers)
    if extra:
        tok.add_special_tokens({"additional_special_tokens": extra})
    return tok


def encode(tok: Any, pairs: list[Pair], t: TransformerModel) -> list[list[int]]:
    """Token ids of each marked sentence, at most ``max_length``; a long sentence is cut around its
    pair (never through an entity) until it fits."""
    out = []
    for p in pairs:
        chars = len(p.sentence)
        while True:
            ids = tok(mark(p, t.markers), truncation=False, add_special_tokens=True)["input_ids"]
            if len(ids) <= t.max_length or chars <= 1:
                break
            chars = max(1, int(chars * t.max_length / len(ids) * 0.95))
            p = window(p, chars)
        if len(ids) > t.max_length:  # the two entities alone are longer than max_length
            ids = ids[:t.max_length - 1] + ids[-1:]
        out.append(ids)
    return out


def pad(ids: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    n = max((len(x) for x in ids), default=1)
    x = torch.full((len(ids), n), pad_id, dtype=torch.long)
    mask = torch.zeros((len(ids), n), dtype=torch.long)
    for i, row in enumerate(ids):
        x[i, :len(row)] = torch.tensor(row, dtype=torch.long)
        mask[i, :len(row)] = 1
    return x, mask


class RelationNet(nn.Module):
    """The classifier as the Trainer sees it: ``(input_ids, attention_mask) -> logits``, each batch
    cut to its longest row (the corpus is padded to its own longest once)."""

    def __init__(self, hf: nn.Module) -> None:
        super().__init__()
        self.hf = hf

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        n = int(attention_mask.sum(1).max()) if attention_mask.numel() else 1
        return self.hf(input_ids=input_ids[:, :n], attention_mask=attention_mask[:, :n]).logits


def build_network(t: TransformerModel, vocab_size: int, pretrained: bool) -> RelationNet:
    """The classifier from the model's weights (training) or its config alone (loading a registered model)."""
    from transformers import AutoConfig, AutoModelForSequenceClassification

    kwargs: dict[str, Any] = {"num_labels": len(LABELS), "id2label": dict(enumerate(LABELS)),
                              "label2id": {lab: i for i, lab in enumerate(LABELS)}}
    if t.dropout is not None:
        kwargs["classifier_dropout"] = t.dropout
    try:
        if pretrained:
            hf = AutoModelForSequenceClassification.from_pretrained(t.model_id, **kwargs)
        else:
            hf = AutoModelForSequenceClassification.from_config(AutoConfig.from_pretrained(t.model_id, **kwargs))
    except OSError as exc:
        raise ConfigError(f"model.transformer.model_id '{t.model_id}' cannot be loaded here ({str(exc)[:160]}); "
                          "point it at a local folder or use model.kind=offline (no weights needed)") from None
    if hf.get_input_embeddings().num_embeddings != vocab_size:
        hf.resize_token_embeddings(vocab_size)
    return RelationNet(hf)


@dataclass
class TransformerRelationModel:
    net: RelationNet
    t: TransformerModel
    vocab_size: int
    history: list[dict[str, Any]] = field(default_factory=list)
    trainer: Any = None  # the Trainer while fitting (its state is the epoch checkpoint)
    _tok: Any = None

    @property
    def tokenizer(self) -> Any:
        if self._tok is None:
            self._tok = load_tokenizer(self.t)
        return self._tok

    def checkpoint(self) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
        return self.trainer.state()

    def model_args(self) -> dict[str, Any]:
        return {"kind": "transformer", "transformer": self.t.model_dump(mode="json"), "vocab_size": self.vocab_size,
                "history": self.history}

    @torch.inference_mode()
    def logits_of_ids(self, ids: list[list[int]]) -> np.ndarray:
        """Logits in input order; rows are batched by length (little padding)."""
        device = resolve_device(self.t.device)
        net = self.net.to(device).eval()
        order = np.argsort([len(x) for x in ids], kind="stable")
        out = np.zeros((len(ids), len(LABELS)), np.float32)
        for i in range(0, len(ids), self.t.batch_size):
            idx = order[i:i + self.t.batch_size]
            x, mask = pad([ids[j] for j in idx], self.tokenizer.pad_token_id or 0)
            out[idx] = net(x.to(device), mask.to(device)).float().cpu().numpy()
        return out

    def predict_proba(self, rows: pd.DataFrame, ids: list[list[int]] | None = None) -> np.ndarray:
        if ids is None:
            ids = encode(self.tokenizer, [Pair.of_row(r) for r in rows.to_dict("records")], self.t)
        if not ids:
            return np.zeros((0, len(LABELS)), np.float32)
        return torch.softmax(torch.from_numpy(self.logits_of_ids(ids)), -1).numpy()

    def tensors(self) -> dict[str, np.ndarray]:
        return {f"transformer.{k}": v.detach().cpu().contiguous()
                for k, v in self.net.state_dict().items()}

    @classmethod
    def from_tensors(cls, t: TransformerModel, tensors: dict[str, Any], model_args: dict[str, Any]) -> TransformerRelationModel:
        # the architecture as trained; where and how fast it runs as configured now
        t = TransformerModel.model_validate({**model_args.get("transformer", {}), "device": t.device,
                                             "batch_size": t.batch_size})
        net = build_network(t, int(model_args["vocab_size"]), pretrained=False)
        state = {k.removeprefix("transformer."): torch.as_tensor(np.asarray(v)) for k, v in tensors.items()
                 if k.startswith("transformer.")}
        net.load_state_dict(state)
        return cls(net.eval(), t, int(model_args["vocab_size"]), list(model_args.get("history", [])))


def fit_transformer(cfg: Any, rows: pd.DataFrame, resume: Any = None) -> Iterator[TransformerRelationModel]:
    """Fine-tune on labelled rows; yield the best model so far after every epoch."""
    from rayscore.training import Trainer
    from rayscore.training.loop import seed_everything
    from rayscore.training.losses import make_loss
    from rayscore.training.split import split_validation

    t, args = cfg.model.transformer, cfg.train
    # one warm-up + cosine cycle over the whole run, however many epochs a sweep gives it
    args = args.model_copy(update={"scheduler": "cosine_warmup_restarts", "restart_period": args.epochs,
                                   "restart_mult": 1, "warmup_epochs": min(args.warmup_epochs, args.epochs * 0.5)})
    seed_everything(args.seed, args.deterministic)
    tok = load_tokenizer(t)
    net = build_network(t, len(tok), pretrained=True)
    y = rows["label"].map({lab: i for i, lab in enumerate(LABELS)}).to_numpy(np.int64, copy=True)
    x, mask = pad(encode(tok, [Pair.of_row(r) for r in rows.to_dict("records")], t), tok.pad_token_id or 0)
    tr, va = split_validation(y, args.val_fraction, args.seed)
    y_t = torch.from_numpy(y)
    counts = np.bincount(y[tr], minlength=len(LABELS))
    trainer = Trainer(net, args, make_loss(t.loss, counts), train=(x[tr], mask[tr], y_t[tr]),
                      valid=(x[va], mask[va], y_t[va]), n_classes=len(LABELS))
    if resume is not None:
        trainer.restore(*resume)
    model = TransformerRelationModel(trainer.best_module(), t, len(tok), _tok=tok)
    model.trainer = trainer
    for result in trainer.epochs():
        model.net = trainer.best_module()
        model.history.append({"epoch": result.epoch, "train_loss": result.train_loss, "val_loss": result.val_loss,
                              "val_macro_f1": result.val_macro_f1, "lr": result.lr})
        yield model
