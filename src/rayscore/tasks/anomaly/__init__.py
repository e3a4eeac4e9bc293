"""W4: machine-sound anomaly detection, "ALP" (seed 003)."""

from rayscore.tasks.anomaly.task import AnomalyTask

__all__ = ["AnomalyTask"]
