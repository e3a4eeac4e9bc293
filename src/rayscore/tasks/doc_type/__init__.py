"""W3: document-type classification of Korean document images (seed 002)."""

from rayscore.tasks.doc_type.task import DocTypeTask

__all__ = ["DocTypeTask"]
