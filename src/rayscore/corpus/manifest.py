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

ROOT_KEY = b"rayscore.root"
CORE_COLUMNS = ("id", "path", "text", "label", "group")
#: An importer's reason a row is unusable (bad metadata): it becomes an error row, never a lost one.
IMPORT_ERROR = "import_error"


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

    def write(self, path: str | Path) -> Path:
        """Write as Parquet with the root in the schema metadata."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(self.df, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        if self.root is not None:
            meta[ROOT_KEY] = str(self.root).encode()
        pq.write_table(table.replace_schema_metadata(meta), p)
        return p

    @classmethod
    def read(cls, path: str | Path) -> Manifest:
        """Read a manifest; without a stored root, paths are relative to the file's folder."""
        p = Path(path)
        if not p.is_file():
            raise ManifestError(f"manifest not found: {p}")
        table = pq.read_table(p)
        meta = table.schema.metadata or {}
        root = Path(meta[ROOT_KEY].decode()) if ROOT_KEY in meta else p.parent
        return cls(table.to_pandas(), root=root)

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
        if IMPORT_ERROR in df.columns:  # the importer's verdict comes first
            for i, reason in enumerate(df[IMPORT_ERROR]):
                if isinstance(reason, str) and reason:
                    errors[i], stages[i] = reason, "import"
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
            return full, f"path escapes the corpus root {root}: {raw}"
        return full, None


def concat(manifests: list[Manifest]) -> Manifest:
    """Join manifests that share a root (ids must stay unique)."""
    roots = {m.root for m in manifests}
    if len(roots) > 1:
        raise ManifestError(f"cannot join manifests with different roots: {sorted(map(str, roots))}")
    df = pd.concat([m.df for m in manifests], ignore_index=True)
    return Manifest(df, root=roots.pop() if roots else None)
