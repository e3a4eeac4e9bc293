"""The training vocabulary and epoch loop shared by every neural task.

- :class:`~rayscore.training.args.TrainArgs`: typed arguments (schedule, precision, EMA,
  early stopping, seeding, device), validated at load like every config;
- :class:`~rayscore.training.loop.Trainer`: one readable epoch loop that yields a result
  per epoch and whose whole state (weights, EMA, optimiser, schedule, early-stopping
  memory, random streams) is a checkpoint;
- :mod:`~rayscore.training.checkpoint`: that state as safetensors + JSON, never a pickle.
"""

from rayscore.training.args import EarlyStopping, LossConfig, TrainArgs
from rayscore.training.loop import EpochResult, Trainer

__all__ = ["EarlyStopping", "EpochResult", "LossConfig", "TrainArgs", "Trainer"]
