"""W2: drum-hit role assignment (seed 001)."""

from rayscore.tasks.drum_roles.task import DrumRolesTask

__all__ = ["DrumRolesTask"]
