"""The customer data contract (seed 003, section 2) and the DCASE Task 2 layout, as manifests.

A package is a folder with ``audio/`` and ``metadata.csv``:

================  ===========  ==========================================================
column            level        meaning
================  ===========  ==========================================================
file              required     path of the clip, relative to the package (audio/...)
machine_type      required     fan, bearing, valve, gearbox, ...
section           required     the asset (``asset_id`` and ``section_id`` are accepted)
is_normal         required     true for clips known to be normal, false for anomalies,
                               empty for clips to score
recorded_at       recommended  when it was recorded (roughly)
domain            recommended  source (history, other sites) or target (this site; default)
noise_only        recommended  true for background noise with the machine off
mic_position      recommended  microphone position id
condition         recommended  operating condition bucket (low / mid / high speed ...)
speed, load,      optional     reliable operating metadata (engine C needs it)
mode, installation,
noise_type
split             optional     train or test (default: normal clips train, the rest test)
================  ===========  ==========================================================

Every row becomes a manifest row; a row whose metadata is unusable carries an
``import_error`` saying which field to fix, and is reported, never dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rayscore.corpus.manifest import IMPORT_ERROR, Manifest, ManifestError

REQUIRED = ("file", "machine_type", "section", "is_normal")
RECOMMENDED = ("recorded_at", "domain", "noise_only", "mic_position", "condition")
OPTIONAL = ("speed", "load", "mode", "installation", "noise_type", "split")
ALIASES = {"asset_id": "section", "section_id": "section", "path": "file", "filename": "file"}
TRUE = {"true", "1", "yes", "y", "t", "normal"}
FALSE = {"false", "0", "no", "n", "f", "anomaly", "anomalous"}


def _flag(value: object) -> bool | None:
    """true / false / None (empty); raises ValueError for anything else."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(value)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _row(rec: dict) -> dict:
    problems: list[str] = []
    out: dict = {}
    for col in ("machine_type", "section"):
        out[col] = _text(rec.get(col))
        if out[col] is None:
            problems.append(f"{col} is empty")
    try:
        normal = _flag(rec.get("is_normal"))
    except ValueError:
        normal = None
        problems.append(f"is_normal must be true or false, got {rec.get('is_normal')!r}")
    try:
        noise_only = bool(_flag(rec.get("noise_only")))
    except ValueError:
        noise_only = False
        problems.append(f"noise_only must be true or false, got {rec.get('noise_only')!r}")
    domain = (_text(rec.get("domain")) or "target").lower()
    if domain not in ("source", "target"):
        problems.append(f"domain must be source or target, got {domain!r}")
    split = (_text(rec.get("split")) or ("train" if normal and not noise_only else "test")).lower()
    if split not in ("train", "test"):
        problems.append(f"split must be train or test, got {split!r}")
    out |= {
        "label": None if noise_only or normal is None else ("normal" if normal else "anomaly"),
        "domain": domain,
        "split": split,
        "noise_only": noise_only,
        IMPORT_ERROR: ("metadata.csv: " + "; ".join(problems)) if problems else None,
    }
    for col in ("recorded_at", "mic_position", "condition", "speed", "load", "mode", "installation", "noise_type"):
        out[col] = _text(rec.get(col))
    return out


def _finish(rows: list[dict], root: Path) -> Manifest:
    for r in rows:  # from the dicts: a DataFrame would already have turned None into NaN
        r["group"] = f"{r['machine_type']}/{r['section']}" if r.get("machine_type") and r.get("section") else None
    return Manifest(pd.DataFrame(rows), root=root)


def import_package(source: str | Path) -> Manifest:
    """A customer package (``audio/`` + ``metadata.csv``) as a manifest."""
    root = Path(source)
    meta = root / "metadata.csv"
    if not meta.is_file():
        raise ManifestError(f"{root}: no metadata.csv (a package is audio/ plus metadata.csv)")
    table = pd.read_csv(meta, dtype=str, keep_default_na=False)
    table = table.rename(columns={c: ALIASES.get(c.strip().lower(), c.strip().lower()) for c in table.columns})
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise ManifestError(
            f"{meta}: missing required column(s) {missing}; found {list(table.columns)}. "
            f"Required: {list(REQUIRED)}; recommended: {list(RECOMMENDED)}"
        )
    rows, seen = [], {}
    for line, rec in enumerate(table.to_dict("records"), start=2):  # line 1 is the header
        path = rec["file"].strip()
        row = {"id": path, "path": path, **_row(rec)}
        if path in seen:  # keep the row (ids stay unique), but say it repeats
            row["id"] = f"{path}#line{line}"
            again = f"metadata.csv lists {path} again (first on line {seen[path]}); keep one row"
            row[IMPORT_ERROR] = f"{row[IMPORT_ERROR]}; {again}" if row[IMPORT_ERROR] else again
        else:
            seen[path] = line
        rows.append(row)
    if not rows:
        raise ManifestError(f"{meta} lists no clips")
    return _finish(rows, root)


_DCASE = re.compile(
    r"^section_(?P<section>\d+)_(?:(?P<domain>source|target)_)?(?P<split>train|test)?_?"
    r"(?:(?P<label>normal|anomaly)_)?(?P<index>\d+)(?:_(?P<attrs>.*))?\.wav$"
)


def import_dcase(source: str | Path) -> Manifest:
    """The DCASE Task 2 layout: ``<machine>/<train|test>/section_XX_<domain>_<split>_<label>_NNNN_<attrs>.wav``.

    Evaluation sets without labels (``section_00_0000.wav``) are imported unlabelled.
    """
    root = Path(source)
    files = sorted(root.glob("*/*/section_*.wav"))
    if not files:
        raise ManifestError(f"no <machine>/<train|test>/section_*.wav files under {root}")
    rows = []
    for f in files:
        rel = f.relative_to(root)
        machine, folder = rel.parts[0], rel.parts[1]
        m = _DCASE.match(f.name)
        rec: dict = {"id": rel.as_posix(), "path": rel.as_posix(), "machine_type": machine}
        if m is None:
            rec |= {"section": None, "label": None, "domain": None, "split": folder, "noise_only": False,
                    IMPORT_ERROR: f"file name does not follow the DCASE pattern: {f.name}"}
        else:
            label = m["label"]
            rec |= {"section": m["section"], "label": label, "domain": m["domain"] or "target",
                    "split": m["split"] or folder, "noise_only": False, "attributes": m["attrs"],
                    IMPORT_ERROR: None}
        rows.append(rec)
    return _finish(rows, root)
