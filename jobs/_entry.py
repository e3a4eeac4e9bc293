"""Shared by the job scripts: run a `rayscore` CLI command from a `ray job submit` working dir.

`ray job submit --working-dir .` uploads this repository; the package lives in
src/, so it is put on the path here when rayscore is not installed on the cluster.
"""

from __future__ import annotations

import sys
from pathlib import Path


def run(command: str) -> None:
    src = Path(__file__).resolve().parents[1] / "src"
    if src.is_dir() and str(src) not in sys.path:
        sys.path.insert(0, str(src))
    from rayscore.cli import app

    app([command, *sys.argv[1:]], prog_name=f"jobs/{command}.py")
