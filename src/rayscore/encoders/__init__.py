"""Encoder registry: pretrained models (and weight-free DSP encoders) by name.

Encoders turn decoded media into embeddings. Each module in this package
registers its classes with :func:`register_encoder`; heavy imports (torch,
transformers) happen when an encoder is built, never at import time.

Example:
    >>> from rayscore.encoders import get_encoder, list_encoders
    >>> "clap" in list_encoders()
    True
    >>> enc = get_encoder("clap", model_id="laion/clap-htsat-unfused")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

_REGISTRY: dict[str, type] = {}
_discovered = False


def register_encoder(name: str):
    """Class decorator registering an encoder under ``name``."""

    def wrap(cls: type) -> type:
        if name in _REGISTRY and _REGISTRY[name] is not cls:
            raise ValueError(f"encoder '{name}' is already registered")
        _REGISTRY[name] = cls
        return cls

    return wrap


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        for mod in pkgutil.iter_modules(__path__):
            if not mod.name.startswith("_"):
                importlib.import_module(f"{__name__}.{mod.name}")


def list_encoders() -> list[str]:
    _discover()
    return sorted(_REGISTRY)


def get_encoder(name: str, **kwargs: Any) -> Any:
    """Build the encoder registered as ``name`` with ``kwargs``."""
    _discover()
    if name not in _REGISTRY:
        raise KeyError(f"unknown encoder '{name}'; valid encoders: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name](**kwargs)
