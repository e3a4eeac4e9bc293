"""W5's streaming stages: check the pair (and tokenise it) in tasks, the model in an actor pool."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from rayscore.errors import RowError
from rayscore.pipeline.stage import Batch, map_rows, predict_probabilities
from rayscore.tasks.relation.config import RelationConfig
from rayscore.tasks.relation.klue import entity_problem
from rayscore.tasks.relation.labels import LABELS

IDS_COL = "_input_ids"  # token ids of the marked sentence (transformer models), private
MARKED_COL = "marked"  # the sentence with [E1]..[/E1] [E2]..[/E2]: an output, and the TF-IDF reference's input


def _entity(row: dict, side: str) -> dict[str, Any]:
    def value(k: str) -> Any:
        v = row.get(f"{side}_{k}")
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else v

    start, end = value("start"), value("end")
    return {"word": value("word"), "start_idx": int(start) if start is not None else None,
            "end_idx": int(end) if end is not None else None, "type": value("type")}


def check_pair(row: dict) -> None:
    """A RowError naming what is wrong with the row's sentence or spans (the 422 of the route)."""
    sentence = row.get("text")
    if not isinstance(sentence, str) or not sentence.strip():
        raise RowError("sentence is missing or empty", stage="prepare")
    for side, name in (("subj", "subject"), ("obj", "object")):
        problem = entity_problem(sentence, _entity(row, side), name)
        if problem:
            raise RowError(problem, stage="prepare")
    s0, s1, o0, o1 = (int(row[k]) for k in ("subj_start", "subj_end", "obj_start", "obj_end"))
    if not (s1 < o0 or o1 < s0):
        raise RowError("subject and object spans overlap", stage="prepare")


def prepare_stage(batch: Batch, cfg: RelationConfig, tokenize: bool = True) -> Batch:
    """Check every pair and mark its sentence; for a transformer (and ``tokenize``), also its token ids
    (the tokenizer is loaded once per worker)."""
    from rayscore.tasks.relation.markers import Pair, mark

    def marked(row: dict) -> dict:
        check_pair(row)
        return {MARKED_COL: mark(Pair.of_row(row))}

    if not tokenize or cfg.model.kind != "transformer":
        return map_rows(batch, "prepare", marked, {MARKED_COL: None})
    from rayscore.tasks.relation.transformer import encode

    t = cfg.model.transformer
    tok = _tokenizer(t.model_id, t.markers)

    def one(row: dict) -> dict:
        return marked(row) | {IDS_COL: np.asarray(encode(tok, [Pair.of_row(row)], cfg.model.transformer)[0],
                                                   np.int64)}

    return map_rows(batch, "prepare", one, {MARKED_COL: None, IDS_COL: np.zeros(0, np.int64)})


@lru_cache(maxsize=4)
def _tokenizer(model_id: str, markers: str) -> Any:
    from rayscore.tasks.relation.config import TransformerModel
    from rayscore.tasks.relation.transformer import load_tokenizer

    return load_tokenizer(TransformerModel(model_id=model_id, markers=markers))


def prediction_columns(probs: np.ndarray) -> dict[str, np.ndarray]:
    top = probs.argmax(axis=1)
    cols = {"prediction": np.array([LABELS[i] for i in top], dtype=object),
            "label_id": top.astype(np.float64), "confidence": probs.max(axis=1).astype(np.float64)}
    return cols | {f"p_{lab}": probs[:, i].astype(np.float64) for i, lab in enumerate(LABELS)}


def probabilities(model: Any, rows: Any) -> np.ndarray:
    if IDS_COL in rows and hasattr(model, "logits_of_ids"):
        return model.predict_proba(rows, [list(np.asarray(x, np.int64)) for x in rows[IDS_COL]])
    return model.predict_proba(rows)


class Predict:
    """The relation model, loaded once per actor (from the registry when given a version)."""

    def __init__(self, cfg: RelationConfig, model: Any) -> None:
        from rayscore.tasks import get_task

        self.cfg, self.model = cfg, get_task("relation").in_memory(cfg, model)

    def __call__(self, batch: Batch) -> Batch:
        out = predict_probabilities(batch, lambda rows: probabilities(self.model, rows), len(LABELS),
                                    prediction_columns)
        out.pop(IDS_COL, None)
        return out

