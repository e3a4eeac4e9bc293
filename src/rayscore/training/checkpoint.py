"""Checkpoints as files anyone can open: tensors in safetensors, the rest in JSON. No pickle.

Example:
    >>> save(folder, "fold0", *trainer.state())                     # doctest: +SKIP
    >>> trainer.restore(*load(folder, "fold0"))                     # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch


def save(folder: str | Path, name: str, tensors: dict[str, torch.Tensor], meta: dict[str, Any]) -> None:
    from safetensors.torch import save_file

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(out / f"{name}.safetensors"))
    (out / f"{name}.json").write_text(json.dumps(meta))


def load(folder: str | Path, name: str) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    from safetensors.torch import load_file

    folder = Path(folder)
    return load_file(str(folder / f"{name}.safetensors")), json.loads((folder / f"{name}.json").read_text())


def exists(folder: str | Path, name: str) -> bool:
    folder = Path(folder)
    return (folder / f"{name}.safetensors").is_file() and (folder / f"{name}.json").is_file()
