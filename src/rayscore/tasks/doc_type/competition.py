"""The document competition's layout, as it comes, in and out.

In::

    DIR/train.csv             ID,target       (ID with or without its extension)
    DIR/meta.csv              target,class_name
    DIR/train/<ID>            training images
    DIR/test/<ID>             test images (unlabelled)
    DIR/sample_submission.csv ID,target       (the order the submission must keep)

Every image the CSVs name and every file in the folders is a row: a CSV line whose
image is missing is an error row; an image no CSV names is imported unlabelled; a
target outside meta.csv is an error row; files that are not images are skipped
with a reason. Generated corpora (and graders) may add ``test_answers.csv`` (ID,target):
its targets label the test rows, which are judged and never trained on. Out: ``submission.csv`` (ID,target) in sample_submission's order.

Example:
    >>> m = import_competition("data/")          # doctest: +SKIP
    >>> m.df.groupby("split").size()             # doctest: +SKIP
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from rayscore.corpus.manifest import IMPORT_ERROR, SKIPPED, Manifest, ManifestError
from rayscore.corpus.walk import by_extension, walk
from rayscore.media.image import IMAGE_EXTENSIONS
from rayscore.tasks.doc_type.classes import CLASSES


def _read_csv(path: Path) -> list[dict[str, str]]:
    for enc in ("utf-8-sig", "cp949"):
        try:
            with open(path, newline="", encoding=enc) as fh:
                return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]
        except UnicodeDecodeError:
            continue
    raise ManifestError(f"{path.name}: neither UTF-8 nor CP949 text")


def class_names(root: Path) -> list[str]:
    """meta.csv's class names by target (the competition's 17 when meta.csv is absent)."""
    meta = root / "meta.csv"
    if not meta.is_file():
        return list(CLASSES)
    rows = _read_csv(meta)
    if not rows or not {"target", "class_name"} <= set(rows[0]):
        raise ManifestError(f"{meta}: needs columns target,class_name")
    names = {int(r["target"]): r["class_name"] for r in rows if r["target"].lstrip("-").isdigit()}
    unknown = sorted(set(names.values()) - set(CLASSES))
    if unknown:
        raise ManifestError(f"{meta}: class names outside the task's 17: {', '.join(unknown[:5])}")
    return [names.get(i, CLASSES[i]) for i in range(len(CLASSES))]


def _stem_index(files: list[str], folder: str) -> dict[str, str]:
    """ID -> relative path, by full name and by stem (IDs come with or without '.jpg')."""
    index: dict[str, str] = {}
    for rel in files:
        if rel.startswith(folder + "/") and rel.count("/") == 1:
            name = rel.split("/", 1)[1]
            index.setdefault(name, rel)
            index.setdefault(Path(name).stem, rel)
    return index


def import_competition(source: str | Path, answers: bool = True) -> Manifest:
    root = Path(source)
    if not root.is_dir():
        raise ManifestError(f"not a folder: {root}")
    if not (root / "train.csv").is_file() and not (root / "test").is_dir():
        raise ManifestError(f"{root} is not in the competition layout: no train.csv and no test/ folder "
                            "(a folder of class sub-folders imports with `import doc_type folder`)")
    names = class_names(root)
    meta = "|".join(names)  # the submission's targets follow this folder's meta.csv, whatever its order
    found = walk(root, by_extension(IMAGE_EXTENSIONS, "an image"))
    rows: list[dict] = []
    seen: set[str] = set()
    answer_file = root / "test_answers.csv"
    answer_of = {e["ID"]: e.get("target", "") for e in _read_csv(answer_file)} \
        if answers and answer_file.is_file() else {}
    for split in ("train", "test"):
        index = _stem_index(found.files, split)
        listed = root / ("train.csv" if split == "train" else "sample_submission.csv")
        entries = _read_csv(listed) if listed.is_file() else []
        if entries and "ID" not in entries[0]:
            raise ManifestError(f"{listed.name}: needs an ID column (has {', '.join(entries[0])})")
        for order, e in enumerate(entries):
            image_id = e["ID"]
            rel = index.get(image_id) or index.get(Path(image_id).stem)
            row = {"id": f"{split}/{image_id}", "path": rel or f"{split}/{image_id}", "split": split,
                   "image_id": image_id, "order": order, "label": None, "meta_classes": meta}
            if rel is None:
                row[IMPORT_ERROR] = f"{listed.name} names {image_id} but {split}/ has no such image"
            elif split == "train" or image_id in answer_of:
                t = e.get("target", "") if split == "train" else answer_of[image_id]
                if not t.lstrip("-").isdigit() or not 0 <= int(t) < len(names):
                    row[IMPORT_ERROR] = (f"{listed.name if split == 'train' else answer_file.name}: target {t!r} of {image_id} "
                                        f"is not a class of meta.csv (0-{len(names) - 1})")
                else:
                    row["label"] = names[int(t)]
            if rel is not None:
                if rel in seen:
                    row[IMPORT_ERROR] = f"{listed.name} names {image_id} twice"
                    row["id"] = f"{row['id']}#{order}"
                seen.add(rel)
            rows.append(row)
    for rel in found.files:  # images no CSV names: scored, unlabelled
        if rel not in seen:
            split = rel.split("/", 1)[0] if "/" in rel else None
            rows.append({"id": rel, "path": rel, "split": split if split in ("train", "test") else "other",
                         "image_id": Path(rel).name, "order": None, "label": None})
    for r in found.rows:
        if not r.get(SKIPPED) or r["id"] not in ("train.csv", "meta.csv", "sample_submission.csv", answer_file.name):
            rows.append(r)
    if not rows:
        raise ManifestError(f"no images under {root}")
    return Manifest(pd.DataFrame(rows), root=root)


def write_submission(predictions: pd.DataFrame, out: Path) -> Path | None:
    """``ID,target`` for the competition's test rows, in sample_submission's order.

    A test image that could not be scored still gets a line (target of the most
    frequent prediction), so the file is complete; its error is in errors.parquet.
    """
    if "split" not in predictions or "order" not in predictions:
        return None
    test = predictions[(predictions["split"] == "test") & predictions["order"].notna()]
    if test.empty:
        return None
    test = test.sort_values("order")
    target = pd.to_numeric(test.get("target"), errors="coerce")
    if "meta_classes" in test and "prediction" in test:  # meta.csv's numbering, by class name
        target = pd.Series([m.split("|").index(p) if isinstance(p, str) and isinstance(m, str) and p in m.split("|")
                            else np.nan for p, m in zip(test["prediction"], test["meta_classes"], strict=True)],
                           index=test.index, dtype=float)
    fallback = int(target.mode().iloc[0]) if target.notna().any() else 0
    pd.DataFrame({"ID": test["image_id"].to_numpy(), "target": target.fillna(fallback).astype(int).to_numpy()}) \
        .to_csv(out, index=False)
    return out
