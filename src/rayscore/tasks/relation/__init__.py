"""W5: Korean relation extraction (KLUE-RE). Importing registers the task."""

from rayscore.tasks.relation.task import RelationTask

__all__ = ["RelationTask"]
