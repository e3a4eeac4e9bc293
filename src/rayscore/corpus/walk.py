"""Walk a folder so that nothing it holds goes missing without a word.

Every entry the walk meets ends up in exactly one place: an input file, an
error row (a folder that cannot be read, a file name that is not UTF-8), or a
*skipped* row saying why it is not an input (a text file beside the audio,
a hidden file, a macOS resource fork). Skipped and error rows travel in the
manifest like any other row, so ``rows in = scored + errored`` still counts
them, and the run summary lists them by reason.

Example:
    >>> w = walk("samples/", lambda rel: None if rel.endswith(".wav") else "not a WAV file")  # doctest: +SKIP
    >>> w.files[:2], [r["skipped"] for r in w.rows][:1]                                        # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rayscore.corpus.manifest import IMPORT_ERROR, SKIPPED

#: Folders that never hold inputs: macOS resource forks and hidden (dot) folders.
_JUNK_DIRS = ("__MACOSX",)


def printable(rel: str) -> str:
    """A path as text that any file format can hold (undecodable bytes shown as \\xNN)."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.walk hands back undecodable bytes as surrogates
        return False
    return True


@dataclass
class Walk:
    """What a walk found: input files (relative POSIX paths) and rows for everything else."""

    files: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    def skip(self, rel: str, reason: str) -> None:
        self.rows.append({"id": printable(rel), "path": None, SKIPPED: reason, IMPORT_ERROR: None})

    def error(self, rel: str, reason: str) -> None:
        self.rows.append({"id": printable(rel), "path": None, SKIPPED: None, IMPORT_ERROR: reason})


def walk(root: str | Path, accept: Callable[[str], str | None]) -> Walk:
    """Every file under ``root``: ``accept(rel)`` returns None to take it, or why it is skipped."""
    base = os.path.abspath(root)
    out = Walk()

    def unreadable(err: OSError) -> None:
        rel = os.path.relpath(err.filename or base, base)
        out.error(rel if rel != "." else printable(base), f"cannot read folder: {err.strerror or err}")

    for folder, dirs, files in os.walk(base, onerror=unreadable):
        rel_folder = os.path.relpath(folder, base)
        rel_folder = "" if rel_folder == "." else rel_folder
        keep = []
        for d in sorted(dirs):
            rel = os.path.join(rel_folder, d)
            if d.startswith(".") or d in _JUNK_DIRS:
                out.skip(rel + "/", "hidden or system folder (not scanned)")
            elif not _is_utf8(d):
                out.error(rel + "/", "folder name is not valid UTF-8: rename it to read the files inside")
            elif os.path.islink(os.path.join(folder, d)):  # could loop, or leave the corpus root
                out.skip(rel + "/", "symbolic link to a folder (not followed)")
            else:
                keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            rel = os.path.join(rel_folder, name)
            if not _is_utf8(name):
                out.error(rel, "file name is not valid UTF-8: rename the file")
            elif name.startswith("."):
                out.skip(rel, "hidden file")
            elif (reason := accept(Path(rel).as_posix())) is not None:
                out.skip(rel, reason)
            else:
                out.files.append(Path(rel).as_posix())
    return out


def by_extension(extensions: tuple[str, ...] | list[str] | set[str], kind: str) -> Callable[[str], str | None]:
    """An ``accept`` for :func:`walk`: take files with one of ``extensions``."""
    exts = {e.lower() for e in extensions}

    def accept(rel: str) -> str | None:
        suffix = Path(rel).suffix.lower()
        return None if suffix in exts else f"not {kind} file ({suffix or 'no extension'})"

    return accept
