"""Corpus manifests: one Parquet table per corpus, one row per item.

Columns every manifest has:

- ``id``     unique string id of the row
- ``path``   media path relative to the corpus root (audio/image tasks), or
- ``text``   the text itself (text tasks)
- ``label``  the gold label, or null when unlabelled
- ``group``  what grouped folds keep together (drum kit, site, section), or null

Any further columns are task metadata and travel through pipelines untouched.
The corpus root is stored in the Parquet schema metadata; relative paths are
resolved inside it and a path that escapes it is an error row, not a read.

Example:
    >>> m = Manifest(pd.DataFrame({"id": ["a"], "path": ["kick.wav"]}), root=Path("/data"))
    >>> m.write("/tmp/manifest.parquet")        # doctest: +SKIP
    >>> Manifest.read("/tmp/manifest.parquet").root   # doctest: +SKIP
    PosixPath('/data')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from rayscore.pipeline.stage import ERROR, ERROR_STAGE
from rayscore.tables import write_parquet

ROOT_KEY = b"rayscore.root"
CORE_COLUMNS = ("id", "path", "text", "label", "group")
#: An importer's reason a row is unusable (bad metadata): it becomes an error row, never a lost one.
IMPORT_ERROR = "import_error"
#: Why a file an import saw is not an input (a README beside the audio): counted and reported, not scored.
SKIPPED = "skipped"
#: Stage name of skipped rows in ``errors.parquet`` and the run summary.
SKIP_STAGE = "skipped"


class ManifestError(ValueError):
    """The manifest as a whole is unusable (missing columns, duplicate ids)."""


@dataclass
class Manifest:
    """A corpus table plus the root its relative paths live under."""

    df: pd.DataFrame
    root: Path | None = None

    def __post_init__(self) -> None:
        df = self.df
        if "id" not in df.columns:
            raise ManifestError("manifest has no 'id' column")
        if "path" not in df.columns and "text" not in df.columns:
            raise ManifestError("manifest needs a 'path' or a 'text' column")
        df = df.copy()
        df["id"] = df["id"].astype(str)
        dup = df["id"][df["id"].duplicated()].unique()
        if len(dup):
            raise ManifestError(f"duplicate ids in manifest: {', '.join(map(str, dup[:10]))}")
        for col in ("label", "group"):
            if col not in df.columns:
                df[col] = None
        for col in df.columns:  # one missing-value marker: None, never NaN among strings
            if col in ("label", "group") or df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
                df[col] = df[col].astype(object).where(df[col].notna(), None)
        self.df = df.reset_index(drop=True)
        if self.root is not None:
            self.root = Path(self.root).absolute()

    def __len__(self) -> int:
        return len(self.df)

    def only_split(self, split: str | None) -> Manifest:
        """The rows whose ``split`` is ``split`` (all rows for None): e.g. a competition's test/
        pages, scored without its training pages (which would cost the same OCR and feed nothing)."""
        if split is None:
            return self
        if "split" not in self.df.columns:
            raise ManifestError(f"--split {split}: this manifest has no 'split' column")
        keep = self.df["split"] == split
        if not keep.any():
            found = sorted(str(v) for v in self.df["split"].dropna().unique())
            raise ManifestError(f"--split {split}: no rows in that split (the manifest has: {', '.join(found) or 'none'})")
        return Manifest(self.df[keep], self.root)

    def write(self, path: str | Path) -> Path:
        """Write as Parquet with the root in the schema metadata."""
        return write_parquet(self.df, path, root_metadata(self.root), float32_vectors=False)

    @classmethod
    def read(cls, path: str | Path) -> Manifest:
        """Read a manifest; without a stored root, paths are relative to the file's folder.

        A run's ``errors.parquet`` reads back as a manifest of the rows to retry: the
        earlier run's ``error`` and ``error_stage`` describe that run, not this one.
        """
        p = Path(path)
        if not p.is_file():
            raise ManifestError(f"manifest not found: {p}")
        try:
            table = pq.read_table(p)
        except (pa.ArrowException, OSError) as exc:
            raise ManifestError(f"{p} is not a readable Parquet file ({' '.join(str(exc).split())[:200]})") from None
        meta = table.schema.metadata or {}
        # An empty root marks a manifest of absolute paths (sources joined from several places).
        root = (Path(meta[ROOT_KEY].decode()) if meta[ROOT_KEY] else None) if ROOT_KEY in meta else p.parent
        stale = [c for c in (ERROR, ERROR_STAGE) if c in table.column_names]
        df = table.drop_columns(stale).to_pandas()
        if "id" not in df.columns:
            raise ManifestError(f"{p} has no 'id' column: a manifest is what `rayscore import` (or a run's "
                                f"errors.parquet) writes; columns here: {', '.join(df.columns[:12])}")
        return cls(df, root=root)

    def resolve(self) -> pd.DataFrame:
        """Rows ready for a pipeline: absolute ``path`` plus ``error`` for unusable rows.

        A missing path value, one that leaves the corpus root, or an importer's
        :data:`IMPORT_ERROR` becomes an error row here, before any worker runs.
        """
        df = self.df.copy()
        errors: list[str | None] = [None] * len(df)
        stages: list[str | None] = [None] * len(df)
        if "path" in df.columns:
            resolved = [self._resolve_one(v) for v in df["path"]]
            # object dtype keeps None as None (pandas' string dtype would turn it into NaN)
            df["path"] = pd.Series([p for p, _ in resolved], dtype=object, index=df.index)
            for i, (_, error) in enumerate(resolved):
                if error:
                    errors[i], stages[i] = error, "manifest"
        for col, stage in ((IMPORT_ERROR, "import"), (SKIPPED, SKIP_STAGE)):  # the importer's verdict comes first
            if col in df.columns:
                for i, reason in enumerate(df[col]):
                    if isinstance(reason, str) and reason:
                        errors[i], stages[i] = reason, stage
        df[ERROR] = pd.Series(errors, dtype=object, index=df.index)
        df[ERROR_STAGE] = pd.Series(stages, dtype=object, index=df.index)
        return df

    def _resolve_one(self, value: object) -> tuple[str | None, str | None]:
        if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) == "":
            return None, "missing path in manifest"
        raw = str(value)
        if self.root is None:
            return os.path.normpath(os.path.abspath(raw)), None
        root = os.path.normpath(str(self.root))
        full = os.path.normpath(os.path.join(root, raw))  # an absolute raw path replaces root
        if os.path.commonpath([root, full]) != root:
            return full, (f"path escapes the corpus root {root}: {raw} (a manifest of absolute paths from "
                          "several places is written with root=None)")
        return full, None


def root_metadata(root: Path | None) -> dict[bytes, bytes]:
    """Parquet schema metadata that records a corpus root (so a file reads back as a manifest);
    an empty root records that the paths are absolute and belong to no single folder."""
    return {ROOT_KEY: str(root).encode() if root is not None else b""}


def concat(manifests: list[Manifest]) -> Manifest:
    """Join manifests (ids must stay unique). Corpora under different roots are joined with
    absolute paths and no root."""
    roots = {m.root for m in manifests}
    if len(roots) <= 1:
        df = pd.concat([m.df for m in manifests], ignore_index=True)
        return Manifest(df, root=roots.pop() if roots else None)
    parts = []
    for m in manifests:
        df = m.df.copy()
        if "path" in df and m.root is not None:
            df["path"] = [None if p is None else os.path.normpath(os.path.join(str(m.root), str(p))) for p in df["path"]]
        parts.append(df)
    return Manifest(pd.concat(parts, ignore_index=True), root=None)
