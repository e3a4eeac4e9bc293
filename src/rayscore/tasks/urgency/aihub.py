"""The AI Hub layout of 119 emergency calls: JSON labels (``TL_*``) beside WAV audio (``TS_*``).

Each JSON file describes one call::

    {"file_id": "광주_구조_000123", "urgencyLevel": "상",
     "utterances": [{"text": "사람이 쓰러졌어요", ...}, ...], ...}

The transcript is the utterances' texts joined by spaces; the audio is the WAV
whose stem is the call's ``file_id`` (``_id`` or the JSON's own stem when
``file_id`` is missing), found anywhere under the source folder. A call that
cannot be used (no WAV, an unknown level, an empty transcript, unreadable
JSON) is still a manifest row, with its reason in ``import_error``: it is
counted, reported and never silently lost.

Example:
    >>> manifest = import_aihub(Path("data/119"))     # doctest: +SKIP
    >>> manifest.df[["id", "label", "text"]].head(1)  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from rayscore.corpus.manifest import IMPORT_ERROR, Manifest, ManifestError
from rayscore.tasks.urgency.config import LEVELS

AUDIO_SUFFIXES = (".wav", ".flac")


def _transcript(doc: dict[str, Any]) -> str:
    utterances = doc.get("utterances") or []
    texts = [str(u.get("text", "")).strip() for u in utterances if isinstance(u, dict)]
    return " ".join(t for t in texts if t)


def _group(json_path: Path, source: Path) -> str:
    """The label folder without its ``TL_`` prefix (``광주_구조``): region and call type."""
    top = json_path.relative_to(source).parts[0] if json_path.parent != source else source.name
    return top.removeprefix("TL_").removeprefix("TL")


def _row(json_path: Path, source: Path, audio: dict[str, list[Path]]) -> dict[str, Any]:
    rel = str(json_path.relative_to(source))
    row: dict[str, Any] = {"id": json_path.stem, "path": None, "text": None, "label": None,
                           "group": _group(json_path, source), "label_file": rel, IMPORT_ERROR: None}
    try:
        doc = json.loads(json_path.read_text(encoding="utf-8-sig"))
        if not isinstance(doc, dict):
            raise ValueError("top level is not an object")
    except (OSError, ValueError) as exc:
        row[IMPORT_ERROR] = f"unreadable label file {rel}: {exc}"
        return row
    file_id = str(doc.get("file_id") or doc.get("_id") or json_path.stem)
    row["id"] = file_id
    row["text"] = _transcript(doc)
    level = str(doc.get("urgencyLevel", "")).strip()
    row["label"] = level if level in LEVELS else None
    matches = audio.get(file_id, [])
    problems = []
    if level not in LEVELS:
        problems.append(f"unknown urgencyLevel '{level}' (expected one of {', '.join(LEVELS)})")
    if not row["text"]:
        problems.append("empty transcript (no utterances[].text)")
    if not matches:
        problems.append(f"no audio file named {file_id}.wav under {source}")
    elif len(matches) > 1:
        problems.append(f"{len(matches)} audio files named {file_id}: {', '.join(str(m) for m in matches[:3])}")
    else:
        row["path"] = str(matches[0].relative_to(source))
    if problems:
        row[IMPORT_ERROR] = "; ".join(problems)
    return row


def import_aihub(source: Path) -> Manifest:
    """Every JSON label file under ``source`` becomes a row (audio + transcript + level)."""
    source = Path(source).absolute()
    if not source.is_dir():
        raise ManifestError(f"not a folder: {source}")
    audio: dict[str, list[Path]] = defaultdict(list)
    for p in source.rglob("*"):
        if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file():
            audio[p.stem].append(p)
    labels = sorted(source.rglob("*.json"))
    if not labels:
        raise ManifestError(f"no JSON label files under {source} (expected the AI Hub TL_*/ folders)")
    rows = [_row(p, source, audio) for p in labels]
    df = pd.DataFrame(rows)
    # Two label files claiming one call: keep both rows, make the ids unique, flag the copies.
    dup = df["id"].duplicated(keep="first")
    if dup.any():
        df.loc[dup, IMPORT_ERROR] = [f"duplicate file_id '{i}' (first seen in another label file)"
                                     for i in df.loc[dup, "id"]]
        df.loc[dup, "id"] = [f"{i}#{n}" for n, i in enumerate(df.loc[dup, "id"], start=2)]
    return Manifest(df, root=source)
