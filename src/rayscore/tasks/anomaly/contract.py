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

import os
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
    from rayscore.corpus.walk import walk

    listed = {os.path.normpath(r["path"]) for r in rows}
    found = walk(root, lambda rel: None if rel == "metadata.csv" or os.path.normpath(rel) in listed
                 else "not listed in metadata.csv")
    for r in found.rows:
        r.setdefault("noise_only", False)
    return _finish(rows + found.rows, root)


# DCASE Task 2 file names, 2020-2025 (dev: labelled; eval: the test clips carry no label).
_DCASE_NAMES = (
    # 2021-2025 dev, 2023+ eval train: section_00_source_train_normal_0000_<attributes>.wav
    re.compile(r"^section_(?P<section>\d+)_(?:(?P<domain>source|target)_)?(?P<split>train|test)_"
               r"(?P<label>normal|anomaly)_(?P<index>\d+)(?:_(?P<attrs>.+))?\.wav$"),
    # 2021 eval test: section_03_source_test_0000.wav
    re.compile(r"^section_(?P<section>\d+)_(?:(?P<domain>source|target)_)?(?P<split>train|test)_"
               r"(?P<index>\d+)(?:_(?P<attrs>.+))?\.wav$"),
    # 2022-2025 eval test: section_00_0000.wav
    re.compile(r"^section_(?P<section>\d+)_(?P<index>\d+)(?:_(?P<attrs>.+))?\.wav$"),
    # 2020 dev and eval train: normal_id_00_00000000.wav, anomaly_id_00_00000000.wav
    re.compile(r"^(?P<label>normal|anomaly)_id_(?P<section>\d+)_(?P<index>\d+)\.wav$"),
    # 2020 eval test: id_05_00000000.wav
    re.compile(r"^id_(?P<section>\d+)_(?P<index>\d+)\.wav$"),
)
#: Folders DCASE puts clips in; the split of a clip whose name does not say comes from here.
_SPLIT_FOLDERS = {"train": "train", "test": "test", "source_test": "test", "target_test": "test",
                  "supplemental": "train"}
_GROUND_TRUTH = re.compile(r"^ground_truth_(?P<machine>.+)_section_(?P<section>\d+)_test\.csv$")
_ATTRIBUTES = re.compile(r"^attributes_(?P<section>\d+)\.csv$")
_NO_ATTRIBUTES = {"noattribute", "noattributes"}


def _parse_dcase_name(name: str) -> dict | None:
    for pattern in _DCASE_NAMES:
        m = pattern.match(name)
        if m:
            return {k: v for k, v in m.groupdict().items() if v is not None}
    return None


def _csv_rows(path: Path) -> list[list[str]]:
    import csv

    with open(path, newline="", encoding="utf-8-sig") as f:
        return [row for row in csv.reader(f) if row]


def _attribute_tables(root: Path, tables: list[str]) -> dict[tuple[str, str], str]:
    """``attributes_XX.csv`` (2024+): (machine, file name) -> ``d1p=v;d1v=...`` from its columns."""
    out: dict[tuple[str, str], str] = {}
    for rel in tables:
        rows = _csv_rows(root / rel)
        if not rows:
            continue
        header, machine = rows[0], Path(rel).parent.name
        for row in rows[1:]:
            pairs = [f"{h}={v}" for h, v in zip(header[1:], row[1:], strict=False) if v.strip()]
            out[(machine, Path(row[0]).name)] = ";".join(pairs)
    return out


def _ground_truth(root: Path, files: list[str]) -> dict[tuple[str, str, str], dict]:
    """The evaluator's answer files: (machine, section, clip) -> label / domain / full dev name."""
    truth: dict[tuple[str, str, str], dict] = {}
    for rel in files:
        m = _GROUND_TRUTH.match(Path(rel).name)
        kind = Path(rel).parent.name  # ground_truth_data | ground_truth_domain | ground_truth_attributes
        for row in _csv_rows(root / rel):
            if len(row) < 2:
                continue
            entry = truth.setdefault((m["machine"], m["section"], row[0].strip()), {})
            value = row[1].strip()
            if kind.endswith("attributes"):
                entry.update({k: v for k, v in (_parse_dcase_name(value + ".wav") or {}).items()
                              if k in ("label", "domain", "attrs")})
            elif kind.endswith("domain"):
                entry["domain"] = "target" if value == "1" else "source"
            else:
                entry["label"] = "anomaly" if value == "1" else "normal"
    return truth


def import_dcase(source: str | Path) -> Manifest:
    """The DCASE Task 2 layouts of 2020-2025, dev and eval, as they unpack.

    Clips sit in ``<machine>/<train|test|source_test|target_test>/``; their names
    (see ``_DCASE_NAMES``) give section, domain, split, label and attributes. Eval
    test clips (``section_00_0000.wav``) import unlabelled, unless the evaluator's
    ``ground_truth_*`` CSVs lie somewhere under the folder; ``attributes_XX.csv``
    tables (2024+) add their columns to the clips' attributes. The attributes are
    the clip's operating condition (engine C's tasks). Every other file is a
    skipped row with its reason.
    """
    from rayscore.corpus.walk import walk

    root = Path(source)
    if not root.is_dir():
        raise ManifestError(f"not a folder: {root}")

    def accept(rel: str) -> str | None:
        parts = rel.split("/")
        name = parts[-1]
        if name.lower().endswith(".wav") and len(parts) >= 3 and parts[-2] in _SPLIT_FOLDERS:
            return None
        if _ATTRIBUTES.match(name) or _GROUND_TRUTH.match(name):
            return None
        if name.lower().endswith(".wav"):
            return "not in a <machine>/<train|test>/ folder"
        return f"not a DCASE clip or table ({Path(name).suffix or 'no extension'})"

    found = walk(root, accept)
    clips = [r for r in found.files if r.lower().endswith(".wav")]
    tables = [r for r in found.files if _ATTRIBUTES.match(Path(r).name)]
    answers = [r for r in found.files if _GROUND_TRUTH.match(Path(r).name)]
    attributes = _attribute_tables(root, tables)
    truth = _ground_truth(root, answers)
    for rel in tables:  # read, not scored: reported like every other file that is not a clip
        found.skip(rel, "DCASE attribute table (read into the clips' attributes)")
    for rel in answers:
        found.skip(rel, "DCASE ground truth (read into the clips' labels and domains)")
    if not clips:
        raise ManifestError(f"no <machine>/<train|test>/*.wav clips under {root} (the DCASE Task 2 layout)")
    rows = []
    for rel in clips:
        parts = rel.split("/")
        machine, folder, name = parts[-3], parts[-2], parts[-1]
        parsed = _parse_dcase_name(name)
        rec: dict = {"id": rel, "path": rel, "machine_type": machine, "split": _SPLIT_FOLDERS[folder],
                     "noise_only": False, "dcase_file": name}
        if parsed is None:
            rec |= {"section": None, "label": None, "domain": None,
                    IMPORT_ERROR: f"file name does not follow a DCASE Task 2 pattern: {name}"}
            rows.append(rec)
            continue
        section = parsed["section"]
        parsed = {**parsed, **truth.get((machine, section, name), {})}
        attrs = parsed.get("attrs")
        table = attributes.get((machine, name))
        condition = table or (attrs if attrs and attrs.lower() not in _NO_ATTRIBUTES else None)
        rec |= {"section": section, "label": parsed.get("label"), "domain": parsed.get("domain", "target"),
                "split": parsed.get("split", rec["split"]), "attributes": attrs, "condition": condition,
                IMPORT_ERROR: None}
        rows.append(rec)
    for r in found.rows:  # skipped files and unreadable folders keep the contract's columns
        r.setdefault("noise_only", False)
    return _finish(rows + found.rows, root)


def import_auto(source: str | Path) -> Manifest:
    """A folder as it comes: a package when it has ``metadata.csv``, else the DCASE layout."""
    root = Path(source)
    if (root / "metadata.csv").is_file():
        return import_package(root)
    if any(root.glob("*/*/*.wav")) or any(root.glob("*/*/*/*.wav")):
        return import_dcase(root)
    raise ManifestError(f"{root}: neither a package (audio/ + metadata.csv) nor the DCASE layout "
                        "(<machine>/<train|test>/*.wav)")
