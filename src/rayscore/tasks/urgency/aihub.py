"""The AI Hub layout of 119 emergency calls: JSON labels (``TL_*``) beside WAV audio (``TS_*``).

Each JSON file describes one call::

    {"file_id": "광주_구조_000123", "urgencyLevel": "상", "audioPath": "TS_광주_구조/광주_구조_000123.wav",
     "utterances": [{"text": "사람이 쓰러졌어요", ...}, ...], ...}

The transcript is the utterances' texts joined by spaces; the audio is the file
``audioPath`` names, else the audio file whose stem is the call's ``file_id``
(``_id`` or the JSON's own stem when ``file_id`` is missing), found anywhere under
the source folder. Real downloads hold more than calls, and every file is
accounted for:

- a call that cannot be used (no audio, an empty transcript, unreadable JSON,
  ``utterances`` that is not a list) is a row with its reason in ``import_error``;
- a call without ``urgencyLevel`` is unlabelled (it can be scored); an unknown
  level is kept as its label, so ``evaluate`` lists it as a label it cannot judge;
- audio without a label file is an error row (urgency needs the transcript);
- other JSON (``kit_info.json``, metadata) and other files are *skipped* rows.

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
from rayscore.corpus.walk import walk
from rayscore.media.audio import AUDIO_EXTENSIONS

#: Keys that make a JSON file a call label (AI Hub's 119 call schema).
CALL_KEYS = ("utterances", "urgencyLevel", "file_id", "audioPath")


def _transcript(doc: dict[str, Any]) -> tuple[str, str | None]:
    """The joined utterance texts, and a problem when ``utterances`` has the wrong shape."""
    utterances = doc.get("utterances")
    if utterances is None:
        return "", None
    if not isinstance(utterances, list):
        return "", f"utterances is a {type(utterances).__name__}, not a list"
    texts = [u.get("text") for u in utterances if isinstance(u, dict)]
    return " ".join(str(t).strip() for t in texts if t is not None and str(t).strip()), None


def _group(rel: str) -> str:
    """The label folder without its ``TL_`` prefix (``광주_구조``): region and call type."""
    parts = rel.split("/")
    top = parts[0] if len(parts) > 1 else ""
    return top.removeprefix("TL_").removeprefix("TL")


def _read(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # Korean Windows tools still save CP949 (EUC-KR)
        text = raw.decode("cp949")
    doc = json.loads(text)
    if not isinstance(doc, dict):
        raise ValueError(f"top level is a {type(doc).__name__}, not an object")
    return doc


def _row(rel: str, doc: dict[str, Any], source: Path, audio: dict[str, list[str]], used: set[str]) -> dict[str, Any]:
    file_id = str(doc.get("file_id") or doc.get("_id") or Path(rel).stem)
    text, problem = _transcript(doc)
    level = doc.get("urgencyLevel")
    level = str(level).strip() if level is not None and str(level).strip() else None
    row: dict[str, Any] = {"id": file_id, "path": None, "text": text or None, "label": level,
                           "group": _group(rel), "label_file": rel, IMPORT_ERROR: None}
    problems = [problem] if problem else []
    if not text and not problem:
        problems.append("empty transcript (no utterances[].text)")
    named = doc.get("audioPath")
    named = str(named).replace("\\", "/") if isinstance(named, str) and named.strip() else None
    matches = [named] if named and (source / named).is_file() else audio.get(file_id, [])
    if not matches:
        where = f"audioPath {named} is not there and " if named else ""
        problems.append(f"{where}no audio file named {file_id}.* under {source}")
    elif len(matches) > 1:
        problems.append(f"{len(matches)} audio files named {file_id}: {', '.join(matches[:3])}")
    else:
        row["path"] = matches[0]
        used.add(matches[0])
    if problems:
        row[IMPORT_ERROR] = "; ".join(problems)
    return row


def import_aihub(source: Path) -> Manifest:
    """Every call label under ``source`` becomes a row (audio + transcript + level); see the module doc."""
    source = Path(source).absolute()
    if not source.is_dir():
        raise ManifestError(f"not a folder: {source}")
    audio_ext = {e.lower() for e in AUDIO_EXTENSIONS}
    found = walk(source, lambda rel: None if Path(rel).suffix.lower() in audio_ext | {".json"}
                 else f"not a call label (.json) or audio file ({Path(rel).suffix or 'no extension'})")
    audio: dict[str, list[str]] = defaultdict(list)
    for rel in found.files:
        if Path(rel).suffix.lower() in audio_ext:
            audio[Path(rel).stem].append(rel)
    labels = [rel for rel in found.files if rel.lower().endswith(".json")]
    if not labels:
        raise ManifestError(f"no JSON label files under {source} (expected the AI Hub TL_*/ folders)")
    rows: list[dict[str, Any]] = []
    used: set[str] = set()
    for rel in labels:
        try:
            doc = _read(source / rel)
        except (OSError, ValueError) as exc:
            rows.append({"id": rel, "path": None, "group": _group(rel), "label_file": rel,
                         IMPORT_ERROR: f"unreadable label file {rel}: {' '.join(str(exc).split())[:200]}"})
            continue
        if not any(k in doc for k in CALL_KEYS):
            found.skip(rel, f"JSON without a call ({', '.join(CALL_KEYS)} absent)")
            continue
        rows.append(_row(rel, doc, source, audio, used))
    for rel in sorted(r for paths in audio.values() for r in paths if r not in used):
        rows.append({"id": rel, "path": rel, "group": None, "label_file": None,
                     IMPORT_ERROR: "audio without a label file (TL_*/<file_id>.json): urgency needs the transcript"})
    df = pd.DataFrame(rows + found.rows)
    # Two label files claiming one call: keep both rows, make the ids unique, flag the copies.
    dup = df["id"].duplicated(keep="first")
    if dup.any():
        df.loc[dup, IMPORT_ERROR] = [f"duplicate id '{i}' (first seen in another file)" for i in df.loc[dup, "id"]]
        df.loc[dup, "id"] = [f"{i}#{n}" for n, i in enumerate(df.loc[dup, "id"], start=2)]
    return Manifest(df, root=source)
