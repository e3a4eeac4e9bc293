"""Embed once, tune many: encoder outputs cached by (content hash, encoder identity, config).

A task describes each of its encoders as an :class:`EncoderSpec`: the stages
that compute it, the columns it produces, and a key (model identity, the
config that shapes its output, a code version) that changes whenever those
outputs would. :func:`embed` hashes every input's bytes, takes what the cache
already holds and runs the encoder stages on Ray Data only for the rest.

Example:
    >>> result = embed(task, cfg, manifest, cache=FeatureCache(".cache/rayscore"))  # doctest: +SKIP
    >>> result.stats["dsp"]                                                       # doctest: +SKIP
    {'cached': 808, 'computed': 0, 'failed': 0}
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rayscore.corpus.manifest import Manifest
from rayscore.errors import RowError
from rayscore.pipeline.runner import ROW, run_stages
from rayscore.pipeline.stage import ERROR, ERROR_STAGE, Batch, Stage, is_error, map_rows
from rayscore.tables import write_parquet

HASH = "content_hash"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class EncoderSpec:
    """One cacheable encoder of a task.

    ``inputs`` names every row column besides the media (``path``) and ``text`` that
    shapes the encoder's input (entity spans, an asset id): they are part of the
    content hash, so rows that share a sentence but mark different spans are cached
    apart.
    """

    name: str
    key: dict[str, Any]  # JSON-serialisable: identity + config + code version
    stages: list[Stage]
    columns: list[str]
    inputs: tuple[str, ...] = ()

    @property
    def key_hash(self) -> str:
        blob = json.dumps({"name": self.name, "key": self.key, "columns": self.columns}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def feature_keys(specs: list[EncoderSpec]) -> dict[str, dict[str, Any]]:
    """What each encoder's output depends on, recorded with a registered model (``meta.json``)."""
    return {s.name: {"hash": s.key_hash, "key": s.key} for s in specs}


def feature_drift(recorded: dict[str, Any] | None, specs: list[EncoderSpec]) -> list[str]:
    """How the features computed now differ from those a model was trained on, one entry per encoder.

    A code change (a descriptor's version bump) or a ``--set`` on an encoder's config can change
    features without changing their length: the model then scores silently wrong inputs. Versions
    registered before features were recorded (``recorded`` None) are not checked.
    """
    if not recorded:
        return []
    out = []
    for spec in specs:
        was = recorded.get(spec.name)
        if was is None:
            out.append(f"{spec.name} is new")
        elif was.get("hash") != spec.key_hash:
            # the key as meta.json holds it (tuples as lists), so only real changes differ
            old, new = _flat(was.get("key", {})), _flat(json.loads(json.dumps(spec.key)))
            changed = [f"{k} {old.get(k)} -> {new.get(k)}" for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
            out.append(f"{spec.name}: {', '.join(changed) or 'its columns changed'}")
    out += [f"{name} is no longer computed" for name in sorted(set(recorded) - {s.name for s in specs})]
    return out


def _flat(key: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested key as dotted paths (``ocr.title``: the setting that changed, not just its section)."""
    out: dict[str, Any] = {}
    for k, v in key.items():
        out |= _flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v}
    return out


def stale_features(task: Any, version: Any, cfg: Any = None) -> list[str]:
    """:func:`feature_drift` of a registered version against its own config (or ``cfg``) here and now;
    a config that no longer loads is named rather than raised (listing the registry must not fail)."""
    from rayscore.config import ConfigError

    if not version.meta.get("features"):
        return []
    try:
        specs = task.encoders(task.load_config(version.config_path) if cfg is None else cfg)
    except ConfigError as exc:
        return [f"its config no longer loads: {exc}"]
    return feature_drift(version.meta["features"], specs)


def drift_warning(task: Any, version: Any, cfg: Any = None) -> str | None:
    """One line for the user when ``version`` would be fed other features than it was trained on
    (with its own config, or ``cfg``: a ``--set`` on it)."""
    drift = stale_features(task, version, cfg)
    if not drift:
        return None
    return (f"warning: {version.ref} was trained on other features than this code and config compute "
            f"({'; '.join(drift)}): its scores may be off; train it again")


def _hash_row(row: dict, inputs: tuple[str, ...] = ()) -> dict:
    h = hashlib.sha256()
    text = row.get("text")
    if isinstance(text, str) and row.get("path") is None:
        h.update(text.encode())
    else:
        path = row["path"]
        if not os.path.isfile(path):
            raise RowError(f"file not found: {path}")
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                h.update(chunk)
        if isinstance(text, str):  # audio + transcript rows: both shape the embedding
            h.update(b"\0" + text.encode())
    for col in inputs:  # every other column an encoder reads (entity spans, ...)
        h.update(b"\0" + col.encode() + b"=" + json.dumps(_plain(row.get(col)), sort_keys=True).encode())
    return {HASH: h.hexdigest()}


def _plain(value: Any) -> Any:
    """A cell as JSON-able data (numpy scalars and arrays included)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def content_hash(batch: Batch, inputs: tuple[str, ...] = ()) -> Batch:
    """Stage: sha256 of each row's media bytes (or text) and of the ``inputs`` columns."""
    return map_rows(batch, "hash", lambda row: _hash_row(row, inputs), {HASH: None})


class FeatureCache:
    """Parquet parts per (task, encoder key) under ``root``; append-only, safe to share."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    @classmethod
    def default(cls) -> FeatureCache:
        return cls(os.environ.get("RAYSCORE_CACHE_DIR", ".cache/rayscore/features"))

    def folder(self, task: str, spec: EncoderSpec) -> Path:
        return self.root / task / f"{spec.name}-{spec.key_hash}"

    def lookup(self, task: str, spec: EncoderSpec, hashes: pd.Series) -> pd.DataFrame:
        """Cached rows (``content_hash`` + the encoder's columns) for ``hashes``."""
        folder = self.folder(task, spec)
        parts = sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []
        if not parts:
            return pd.DataFrame(columns=[HASH, *spec.columns])
        table = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        table = table.drop_duplicates(HASH)
        return table[table[HASH].isin(set(hashes))].reset_index(drop=True)

    def add(self, task: str, spec: EncoderSpec, rows: pd.DataFrame) -> None:
        if rows.empty:
            return
        folder = self.folder(task, spec)
        folder.mkdir(parents=True, exist_ok=True)
        key_file = folder / "key.json"
        if not key_file.exists():  # for humans: what this folder was computed with
            key_file.write_text(json.dumps({"name": spec.name, "key": spec.key}, indent=2))
        # write_parquet is atomic (temp file + rename): readers never see half a part. Vectors keep
        # their dtype here, so a cached feature equals the freshly computed one.
        write_parquet(rows[[HASH, *spec.columns]], folder / f"part-{uuid.uuid4().hex}.parquet", float32_vectors=False)


class CacheWriter:
    """Adds an encoder's healthy result rows to the cache as they arrive, in parts of ``flush_rows``."""

    def __init__(self, cache: FeatureCache | None, task: str, spec: EncoderSpec, flush_rows: int = 512) -> None:
        self.cache, self.task, self.spec, self.flush_rows = cache, task, spec, flush_rows
        self.pending: list[pd.DataFrame] = []

    def add(self, batch: pd.DataFrame) -> None:
        if self.cache is None:
            return
        good = batch[~batch[ERROR].map(is_error).astype(bool)]
        if len(good):
            self.pending.append(good[[HASH, *self.spec.columns]])
        if sum(len(p) for p in self.pending) >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        if self.cache is not None and self.pending:
            self.cache.add(self.task, self.spec, pd.concat(self.pending, ignore_index=True))
        self.pending = []

    def __enter__(self) -> CacheWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()  # also on KeyboardInterrupt: what finished is kept


@dataclass
class EmbedResult:
    """All manifest rows with their encoder columns, or an error and its reason."""

    frame: pd.DataFrame
    stats: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> pd.DataFrame:
        return self.frame[~self.frame[ERROR].map(is_error).astype(bool)].reset_index(drop=True)

    @property
    def errors(self) -> pd.DataFrame:
        return self.frame[self.frame[ERROR].map(is_error).astype(bool)].reset_index(drop=True)


def _fail(frame: pd.DataFrame, mask: pd.Series, stage: pd.Series, reason: pd.Series) -> None:
    frame.loc[mask, ERROR] = reason[mask]
    frame.loc[mask, ERROR_STAGE] = stage[mask]


def embed(
    task: Any,
    cfg: Any,
    manifest: Manifest,
    encoders: list[EncoderSpec] | None = None,
    cache: FeatureCache | None = None,
    engine: str = "ray",
) -> EmbedResult:
    """Encoder columns for every row of ``manifest``, computing only what ``cache`` lacks.

    Identical files are encoded once. With ``cache=None`` everything is computed
    and nothing is stored.
    """
    specs = task.encoders(cfg) if encoders is None else encoders
    frame = manifest.resolve()
    frame[ROW] = np.arange(len(frame))
    inputs = tuple(sorted({c for s in specs for c in s.inputs}))
    frame = run_stages(frame, [Stage("hash", content_hash, {"inputs": inputs})], engine)
    stats: dict[str, dict[str, int]] = {}
    for spec in specs:
        healthy = ~frame[ERROR].map(is_error).astype(bool)
        hashes = frame.loc[healthy, HASH].drop_duplicates()
        cached = cache.lookup(task.name, spec, hashes) if cache else pd.DataFrame(columns=[HASH])
        todo = frame[healthy & ~frame[HASH].isin(set(cached[HASH]))].drop_duplicates(HASH)
        computed = pd.DataFrame(columns=[HASH, *spec.columns, ERROR, ERROR_STAGE])
        if len(todo):
            with CacheWriter(cache, task.name, spec) as writer:  # finished batches survive a Ctrl+C
                out = run_stages(todo.drop(columns=[ROW]), spec.stages, engine, on_batch=writer.add)
            computed = out[[HASH, *spec.columns, ERROR, ERROR_STAGE]]
        failed = computed[ERROR].map(is_error).astype(bool)
        good = computed[~failed]
        # Failures carry over to every row sharing the failed content.
        bad = computed[failed].set_index(HASH)
        hit = frame[HASH].isin(bad.index) & healthy
        _fail(frame, hit, frame[HASH].map(bad[ERROR_STAGE]), frame[HASH].map(bad[ERROR]))
        table = pd.concat([cached, good[[HASH, *spec.columns]]], ignore_index=True)
        frame = frame.merge(table, on=HASH, how="left", validate="many_to_one")
        stats[spec.name] = {"cached": len(cached), "computed": len(todo), "failed": int(failed.sum())}
    return EmbedResult(frame.sort_values(ROW).reset_index(drop=True), stats)
