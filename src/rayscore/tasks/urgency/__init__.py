"""W1: emergency-call urgency from audio + Korean transcript, "UrgencySense" (seed 000)."""

from rayscore.tasks.urgency.task import UrgencyTask

__all__ = ["UrgencyTask"]
