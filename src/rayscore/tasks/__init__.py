"""The task registry: every workload is a :class:`~rayscore.tasks.base.Task` found by name.

Built-in tasks are the sub-packages of this package; each registers itself with
:func:`register_task` when imported. Discovery imports them on first lookup, so
adding a workload means adding a package here and nothing else.

Example:
    >>> from rayscore.tasks import get_task, list_tasks
    >>> "drum_roles" in list_tasks()
    True
    >>> get_task("drum_roles").name
    'drum_roles'
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rayscore.tasks.base import Task

_REGISTRY: dict[str, type[Task]] = {}
_discovered = False


class UnknownTaskError(KeyError):
    """Raised for a task name that is not registered; lists the valid names."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


def register_task(cls: type[Task]) -> type[Task]:
    """Class decorator adding a Task subclass to the registry under ``cls.name``."""
    name = getattr(cls, "name", None)
    if not name:
        raise ValueError(f"{cls.__qualname__} has no 'name'")
    existing = _REGISTRY.get(name)
    if existing is not None and existing is not cls:
        raise ValueError(
            f"task '{name}' is already registered by {existing.__module__}.{existing.__qualname__}"
        )
    _REGISTRY[name] = cls
    return cls


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    for mod in pkgutil.iter_modules(__path__):
        if mod.ispkg:
            importlib.import_module(f"{__name__}.{mod.name}")


def list_tasks() -> list[str]:
    """Names of all registered tasks, sorted."""
    _discover()
    return sorted(_REGISTRY)


def get_task(name: str) -> Task:
    """A fresh instance of the task registered as ``name``."""
    if name not in _REGISTRY and name.isidentifier() and importlib.util.find_spec(f"{__name__}.{name}"):
        # Its own package only: a worker scoring documents need not import the other tasks
        # (torch, transformers: seconds of CPU per Ray worker process). Others register on discovery.
        importlib.import_module(f"{__name__}.{name}")
    if name not in _REGISTRY:
        _discover()
    try:
        cls = _REGISTRY[name]
    except KeyError:
        valid = ", ".join(sorted(_REGISTRY)) or "<none>"
        raise UnknownTaskError(f"unknown task '{name}'; valid tasks: {valid}") from None
    return cls()
