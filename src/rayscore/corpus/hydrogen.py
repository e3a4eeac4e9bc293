"""Import Hydrogen drumkits (``drumkit.xml`` + samples), as shipped by Debian's
``hydrogen-drumkits`` and ``hydrogen-data`` packages.

Each sample layer becomes a row labelled from its instrument's name through
``labeler``; the group is the kit, so grouped folds never split a kit.

Example:
    >>> m = import_hydrogen("/usr/share/hydrogen/data/drumkits", labeler)   # doctest: +SKIP
    >>> m.df.groupby("group").size().head(3)                                # doctest: +SKIP
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from rayscore.corpus.manifest import Manifest, ManifestError

DEBIAN_DRUMKITS = Path("/usr/share/hydrogen/data/drumkits")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # drop the XML namespace


def _child_text(node: ET.Element, name: str) -> str | None:
    for child in node:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return None


def read_drumkit(xml_path: Path) -> tuple[str, list[dict]]:
    """The kit's name and its (instrument, sample file) pairs; each file is listed once."""
    try:
        root = ET.parse(xml_path).getroot()
    except ET.ParseError as exc:
        raise ManifestError(f"{xml_path}: invalid drumkit.xml: {exc}") from exc
    kit_dir = xml_path.parent
    seen: set[str] = set()
    rows = []
    for inst in root.iter():
        if _local(inst.tag) != "instrument":
            continue
        name = _child_text(inst, "name") or ""
        for node in inst.iter():
            if _local(node.tag) != "filename" or not (node.text or "").strip():
                continue
            filename = node.text.strip()
            if filename in seen:  # one file may back several instruments: keep the first
                continue
            seen.add(filename)
            rows.append({"instrument": name, "file": filename, "kit_dir": kit_dir.name})
    return _child_text(root, "name") or kit_dir.name, rows


def import_hydrogen(source: str | Path, labeler: Callable[[str], str | None]) -> Manifest:
    """A manifest of a kit folder (with ``drumkit.xml``) or a folder of kits."""
    src = Path(source)
    if (src / "drumkit.xml").is_file():
        kits, root = [src / "drumkit.xml"], src.parent
    else:
        kits, root = sorted(src.glob("*/drumkit.xml")), src
    if not kits:
        raise ManifestError(f"no drumkit.xml in {src} or its sub-folders")
    rows = []
    for xml_path in kits:
        kit, layers = read_drumkit(xml_path)
        for r in layers:
            rel = f"{r['kit_dir']}/{r['file']}"
            rows.append(
                {
                    "id": rel,
                    "path": rel,
                    "label": labeler(r["instrument"]) if r["instrument"] else None,
                    "group": r["kit_dir"],
                    "instrument": r["instrument"],
                    "kit": kit,
                }
            )
    return Manifest(pd.DataFrame(rows), root=root)
