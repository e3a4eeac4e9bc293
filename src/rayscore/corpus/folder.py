"""Import a folder of media files: ``root/[group/][label/]file.ext``.

The label is the name of the file's parent folder (mapped through ``labeler``
when given); the group is the first folder under the root when a file sits
two folders deep (``root/kit/snare/x.wav`` -> group ``kit``, label ``snare``).

Example:
    >>> m = import_folder("samples/", labeler=str.upper)   # doctest: +SKIP
    >>> m.df[["id", "label", "group"]].head(2)              # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from rayscore.corpus.manifest import IMPORT_ERROR, SKIPPED, Manifest, ManifestError
from rayscore.corpus.walk import by_extension, walk

Labeler = Callable[[str], "str | None"]


def import_folder(
    root: str | Path,
    extensions: Iterable[str],
    labeler: Labeler | None = None,
    kind: str = "an audio",
) -> Manifest:
    """A manifest of every file under ``root`` whose extension is in ``extensions``.

    Everything else the walk meets is a row too: skipped with its reason (a README,
    a hidden file) or an error (an unreadable folder, a file name that is not UTF-8).
    """
    base = Path(root)
    if not base.is_dir():
        raise ManifestError(f"not a folder: {base}")
    found = walk(base, by_extension(tuple(extensions), kind))
    if not found.files and not any(r.get(IMPORT_ERROR) for r in found.rows):
        why = f" (skipped {len(found.rows)}: {found.rows[0][SKIPPED]}, ...)" if found.rows else ""
        raise ManifestError(f"no {kind.split(' ', 1)[-1]} files under {base}{why}")
    rows = []
    for rel in found.files:
        parts = rel.split("/")
        folder = parts[-2] if len(parts) >= 2 else None
        rows.append(
            {
                "id": rel,
                "path": rel,
                "label": (labeler(folder) if labeler else folder) if folder else None,
                "group": parts[0] if len(parts) >= 3 else None,
                "source_label": folder,
            }
        )
    return Manifest(pd.DataFrame(rows + found.rows), root=base)
