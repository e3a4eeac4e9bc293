"""KLUE-RE as it comes: the v1.1 JSON files and their JSON-lines variant.

Each record::

    {"guid": "klue-re-v1_train_00000", "sentence": "...",
     "subject_entity": {"word": "비틀즈", "start_idx": 24, "end_idx": 26, "type": "ORG"},
     "object_entity": {...}, "label": "no_relation", "source": "wikipedia"}

``end_idx`` is inclusive (``sentence[start_idx:end_idx + 1] == word``). A file is a JSON
list of records (the official release), ``{"data": [...]}``, or one record per line.
Records without ``label`` (a test split) import unlabelled, for scoring. Every record
is a row: a span that does not match its word, an unknown label or type, a missing
field makes it an error row with the reason, never a dropped one.

Example:
    >>> m = import_klue("klue-re-v1.1_dev.json")          # doctest: +SKIP
    >>> m.df[["text", "subj_word", "obj_word", "label"]].head()   # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from rayscore.corpus.manifest import IMPORT_ERROR, Manifest, ManifestError
from rayscore.tasks.relation.labels import LABELS, TYPES

#: Manifest columns of the two entities (besides id, text, label, group).
ENTITY_COLUMNS = tuple(f"{side}_{k}" for side in ("subj", "obj") for k in ("word", "start", "end", "type"))
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


def _records(path: Path) -> list[Any]:
    raw = path.read_text(encoding="utf-8-sig")
    text = raw.lstrip()
    if not text:
        return []
    if text[0] in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None  # one record per line also starts with "{"
        if isinstance(data, list):
            return data
        if isinstance(data, dict):
            for key in ("data", "examples", "records"):
                if isinstance(data.get(key), list):
                    return data[key]
            if "sentence" in data:
                return [data]
            raise ManifestError(f"{path.name}: a JSON object without a list of records ('data')")
    out: list[Any] = []
    for n, line in enumerate(raw.splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                out.append(ValueError(f"line {n} is not JSON ({exc.msg})"))
    return out


def entity_problem(sentence: str, ent: Any, side: str) -> str | None:
    """Why an entity dict cannot be used with ``sentence`` (None when it can)."""
    if not isinstance(ent, dict):
        return f"{side}_entity is missing or not an object"
    for key in ("word", "start_idx", "end_idx", "type"):
        if key not in ent or ent[key] is None:
            return f"{side}_entity has no {key}"
    word, start, end = ent["word"], ent["start_idx"], ent["end_idx"]
    if not isinstance(word, str) or not word:
        return f"{side}_entity word must be a non-empty string"
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return f"{side}_entity start_idx/end_idx must be integers"
    if ent["type"] not in TYPES:
        return f"{side}_entity type {ent['type']!r} is not one of {', '.join(TYPES)}"
    if not (0 <= start <= end < len(sentence)):
        return f"{side}_entity span {start}..{end} is outside the sentence ({len(sentence)} characters)"
    if sentence[start:end + 1] != word:
        return (f"{side}_entity span {start}..{end} reads {sentence[start:end + 1]!r}, not its word {word!r} "
                "(end_idx is inclusive)")
    return None


def record_row(rec: Any, fallback_id: str, labelled: bool = True) -> dict[str, Any]:
    """One manifest row from one record; problems go to ``import_error``."""
    if isinstance(rec, Exception) or not isinstance(rec, dict):
        return {"id": fallback_id, "text": None, IMPORT_ERROR: str(rec) if isinstance(rec, Exception)
                else "a record must be a JSON object"}
    rid = str(rec.get("guid") if rec.get("guid") not in (None, "") else rec.get("id", fallback_id))
    sentence = rec.get("sentence")
    row: dict[str, Any] = {"id": rid, "text": sentence if isinstance(sentence, str) else None,
                           "group": rec.get("source") if isinstance(rec.get("source"), str) else None}
    problem = None if isinstance(sentence, str) and sentence.strip() else "sentence is missing or empty"
    for side, key in (("subj", "subject_entity"), ("obj", "object_entity")):
        ent = rec.get(key)
        if isinstance(ent, str):  # some exports keep the entity as its Python repr / JSON string
            try:
                ent = json.loads(ent.replace("'", '"'))
            except json.JSONDecodeError:
                pass
        if isinstance(ent, dict):
            row |= {f"{side}_word": ent.get("word"), f"{side}_start": ent.get("start_idx"),
                    f"{side}_end": ent.get("end_idx"), f"{side}_type": ent.get("type")}
        problem = problem or entity_problem(sentence, ent, key.split("_")[0])
    label = rec.get("label")
    if label in (None, "", 100, "100") or not labelled:  # KLUE's unlabelled test split marks labels 100
        label = None
    elif isinstance(label, int) and not isinstance(label, bool) and 0 <= label < len(LABELS):
        label = LABELS[label]  # some exports carry the id
    if label is not None and label not in LABELS:
        problem = problem or f"label {label!r} is not one of KLUE-RE's 30 relations"
        label = None
    row["label"] = label
    if problem:
        row[IMPORT_ERROR] = problem
    return row


def import_klue(source: str | Path) -> Manifest:
    """A KLUE-RE file (or a folder of them: each file's stem becomes the ``split``) as a manifest."""
    src = Path(source)
    files = sorted(p for p in src.iterdir() if p.suffix.lower() in JSON_SUFFIXES) if src.is_dir() else [src]
    if not files:
        raise ManifestError(f"{src}: no .json/.jsonl files")
    rows: list[dict[str, Any]] = []
    for f in files:
        if not f.is_file():
            raise ManifestError(f"{f}: no such file")
        try:
            recs = _records(f)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ManifestError(f"{f.name}: not KLUE-RE JSON ({exc})") from None
        split = _split_of(f)
        for i, rec in enumerate(recs):
            row = record_row(rec, f"{f.stem}:{i}")
            if len(files) > 1 or split:
                row["split"] = split or f.stem
            rows.append(row)
    df = pd.DataFrame(rows, columns=None if rows else ["id"])
    for col in ("text", "label", "group", *ENTITY_COLUMNS):
        if col not in df:
            df[col] = None
    for col in ("subj_start", "subj_end", "obj_start", "obj_end"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    if df["id"].duplicated().any():  # a guid repeated (across files, or by an export): later ones get #2, #3
        df["id"] = df["id"] + df.groupby("id").cumcount().map(lambda k: f"#{k + 1}" if k else "")
    return Manifest(df, root=(src if src.is_dir() else src.parent).absolute())


def _split_of(path: Path) -> str | None:
    stem = path.stem.lower()
    for split in ("train", "dev", "valid", "test"):
        if split in stem.replace("-", "_").split("_") or stem.endswith(split):
            return "dev" if split == "valid" else split
    return None
