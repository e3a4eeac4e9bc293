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

from rayscore.corpus.manifest import Manifest, ManifestError

Labeler = Callable[[str], "str | None"]


def import_folder(
    root: str | Path,
    extensions: Iterable[str],
    labeler: Labeler | None = None,
) -> Manifest:
    """A manifest of every file under ``root`` whose extension is in ``extensions``."""
    base = Path(root)
    if not base.is_dir():
        raise ManifestError(f"not a folder: {base}")
    exts = {e.lower() for e in extensions}
    rows = []
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base)
        if any(part.startswith(".") for part in rel.parts) or path.suffix.lower() not in exts:
            continue
        if path.is_dir():
            continue
        folder = rel.parts[-2] if len(rel.parts) >= 2 else None
        rows.append(
            {
                "id": rel.as_posix(),
                "path": rel.as_posix(),
                "label": (labeler(folder) if labeler else folder) if folder else None,
                "group": rel.parts[0] if len(rel.parts) >= 3 else None,
                "source_label": folder,
            }
        )
    if not rows:
        raise ManifestError(f"no files with extensions {sorted(exts)} under {base}")
    return Manifest(pd.DataFrame(rows), root=base)
