"""What a served request holds, declared by each task (the generic route does the rest).

A task says which file it takes (audio, image, or none), which further fields come
with it (form fields beside an upload, or a JSON body when there is no file), with
their types and limits, and which row column each fills. The HTTP layer builds one
route per task from this declaration: OpenAPI, validation (422 naming the field),
content-type checks (415) and limits come from here, not from per-task code.

Example:
    >>> RequestSpec(file="audio", fields=[RequestField(name="transcript", max_length=5000, into="text")])
    RequestSpec(file='audio', fields=[...], ...)
"""

from __future__ import annotations

from typing import Any, Literal, Type

from pydantic import BaseModel, Field


class RequestField(BaseModel):
    """One field of a request."""

    name: str
    type: Literal["str", "int", "float", "bool", "object"] = "str"
    # typing.Type: the field ``type`` above shadows the builtin inside this class body
    model: Type[BaseModel] | None = Field(None, description="type object: the JSON object's pydantic model.")  # noqa: UP006
    required: bool = True
    description: str = ""
    max_length: int | None = Field(None, ge=1, description="Longest accepted text (str fields).")
    min_length: int | None = Field(None, ge=0, description="Shortest accepted text after stripping (str fields).")
    ge: float | None = None
    le: float | None = None
    into: str | None = Field(None, description="The row column it fills (default: its own name).")

    def python_type(self) -> type:
        if self.type == "object":
            if self.model is None:
                raise ValueError(f"request field '{self.name}' is an object without a model")
            return self.model
        return {"str": str, "int": int, "float": float, "bool": bool}[self.type]


class RequestSpec(BaseModel):
    """A task's request: the uploaded file kind and the fields beside it."""

    file: Literal["audio", "image", "none"] = "audio"
    fields: list[RequestField] = Field(default_factory=list)
    summary: str = "score one item"

    @property
    def body(self) -> Literal["form", "json"]:
        """An upload comes as multipart form data; without a file the fields are a JSON body."""
        return "json" if self.file == "none" else "form"

    def row(self, values: dict[str, Any]) -> dict[str, Any]:
        """The declared fields as row columns."""
        return {(f.into or f.name): values.get(f.name) for f in self.fields if f.name in values}


#: Content types accepted per file kind (application/octet-stream: clients that do not say).
CONTENT_TYPES = {"audio": ("audio/", "application/octet-stream", "video/mp4"),
                 "image": ("image/", "application/octet-stream")}
