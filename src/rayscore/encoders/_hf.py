"""Helpers shared by encoders that load Hugging Face models."""

from __future__ import annotations

import hashlib
from pathlib import Path


def resolve_device(device: str) -> str:
    """'auto' picks CUDA when this process can see a GPU (a Ray actor with num_gpus > 0)."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def model_fingerprint(model_id: str, config: object | None = None) -> str:
    """A string that changes when the weights behind ``model_id`` change.

    Hub models carry their commit hash; local directories are fingerprinted by
    the names, sizes and modification times of their files.
    """
    path = Path(model_id)
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(path.rglob("*")):
            if f.is_file():
                st = f.stat()
                h.update(f"{f.relative_to(path)}:{st.st_size}:{st.st_mtime_ns}".encode())
        return f"{path.resolve()}@{h.hexdigest()[:16]}"
    commit = getattr(config, "_commit_hash", None)
    return f"{model_id}@{commit or 'unknown'}"


def model_available(model_id: str) -> bool:
    """True when ``model_id`` loads without a download: a local folder or the HF cache."""
    if Path(model_id).is_dir():
        return (Path(model_id) / "config.json").is_file()
    try:
        from huggingface_hub import try_to_load_from_cache

        return isinstance(try_to_load_from_cache(model_id, "config.json"), str)
    except Exception:  # noqa: BLE001 - a malformed id is simply not available
        return False
