"""Exceptions shared across packages."""

from typing import Literal

#: What went wrong with a row, which decides an HTTP answer's status (see serving.http.KIND_STATUS):
#: ``input`` the item itself is unusable (422), ``not_found`` it names something the model does not
#: know (404), ``unsupported`` a kind of input the task does not take (415), ``internal`` a bug (500).
ErrorKind = Literal["input", "not_found", "unsupported", "internal"]


class RowError(Exception):
    """A per-row failure whose message is already meant for the user (``empty file``).

    Pipelines turn it into an error row with this message as the reason, and keep
    going with the other rows. ``stage`` names the step at fault when it is more
    specific than the stage that raised it; ``kind`` says what kind of problem it
    is (serving answers with the matching HTTP status).
    """

    def __init__(self, message: str, stage: str | None = None, kind: ErrorKind = "input") -> None:
        super().__init__(message)
        self.stage = stage
        self.kind = kind
