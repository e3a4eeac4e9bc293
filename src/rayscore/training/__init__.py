"""The training vocabulary and epoch loop shared by every neural task.

- :class:`~rayscore.training.args.TrainArgs`: typed arguments (schedule, precision, EMA,
  early stopping, seeding, device), validated at load like every config;
- :class:`~rayscore.training.loop.Trainer`: one readable epoch loop that yields a result
  per epoch and whose whole state (weights, EMA, optimiser, schedule, early-stopping
  memory, random streams) is a checkpoint;
- :mod:`~rayscore.training.checkpoint`: that state as safetensors + JSON, never a pickle.
"""

from typing import Any

from rayscore.training.args import EarlyStopping, LossConfig, TrainArgs


def __getattr__(name: str) -> Any:
    # The loop imports torch (~2-4 s): configs import the arguments, and a Ray Data task or actor
    # of a model without torch (the offline W3 model, page tasks) must not pay for it.
    if name in ("EpochResult", "Trainer"):
        from rayscore.training import loop

        return getattr(loop, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["EarlyStopping", "EpochResult", "LossConfig", "TrainArgs", "Trainer"]
