"""Exceptions shared across packages."""


class RowError(Exception):
    """A per-row failure whose message is already meant for the user (``empty file``).

    Pipelines turn it into an error row with this message as the reason, and
    keep going with the other rows. ``stage`` names the step at fault when it
    is more specific than the stage that raised it (serving maps ``lookup``,
    an unknown asset or version, to 404).
    """

    def __init__(self, message: str, stage: str | None = None) -> None:
        super().__init__(message)
        self.stage = stage
