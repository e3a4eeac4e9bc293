"""Exceptions shared across packages."""


class RowError(Exception):
    """A per-row failure whose message is already meant for the user (``empty file``).

    Pipelines turn it into an error row with this message as the reason, and
    keep going with the other rows.
    """
