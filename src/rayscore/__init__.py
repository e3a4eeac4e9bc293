"""rayscore: Ray-based batch scoring, tuning and serving."""

__version__ = "0.1.0"
