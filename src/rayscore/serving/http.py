"""The HTTP surface: routes, upload limits, auth, and clear 4xx/5xx answers.

Routes (one per served task, built from the task's declared :class:`RequestSpec`):

- ``POST /v1/<task>/<route>``: multipart upload ``file`` (audio or image) plus the
  task's declared form fields (``transcript``, ``asset_id``, ...) and an optional
  ``id``; tasks without a file take their fields as a JSON body.
  ``?model=<version|alias>`` or header ``X-Model`` picks the registry version
  (default: the task's ``default_model``, e.g. ``production``).
- ``GET /v1/models``: registered versions and aliases of the served tasks.
- ``GET /healthz``: every model server answers.
- ``GET /docs``, ``GET /openapi.json``: OpenAPI.

Errors: 401 missing/wrong bearer token, 404 unknown model (or what the row names),
413 upload over the limit, 415 not the file kind the route takes, 422 an unusable
item or field, 503 overloaded or a replica restarting, 504 over the request
timeout. A row error's status comes from its kind (:data:`KIND_STATUS`).
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import uuid
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Body, FastAPI, File, Form, Header, HTTPException, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, create_model
from pydantic import Field as PydField
from ray.exceptions import ActorUnavailableError, RayActorError
from ray.serve.exceptions import BackPressureError, DeploymentUnavailableError, ReplicaUnavailableError

from rayscore import __version__
from rayscore.pipeline.embed import stale_features
from rayscore.registry import RegistryError
from rayscore.serving.spec import CONTENT_TYPES, RequestField, RequestSpec
from rayscore.tasks import get_task

if TYPE_CHECKING:
    from rayscore.serving.deployments import Gateway

# Overload (bounded queues full) or a replica that died and is being replaced: retryable.
UNAVAILABLE = (BackPressureError, DeploymentUnavailableError, ReplicaUnavailableError,
               RayActorError, ActorUnavailableError)


class BodySizeLimit:
    """ASGI middleware: 413 before a request body over ``max_bytes`` is buffered.

    Checks Content-Length first, then counts streamed bytes (chunked uploads).
    """

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, send: Any) -> None:
        body = (b'{"detail":"upload too large: the limit is %d bytes"}' % self.max_bytes)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await self._reject(send)
        seen = 0
        started = False

        async def counting_receive() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _TooLarge
            return message

        async def tracking_send(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._reject(send)


class _TooLarge(Exception):
    pass


def _error(status: int, detail: str, **extra: Any) -> HTTPException:
    return HTTPException(status_code=status, detail=detail, headers=extra.get("headers"))


def _check_auth(gw: Gateway, authorization: str | None) -> None:
    if gw.token is None:
        return
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), gw.token.encode()):
        raise _error(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


def _resolve(gw: Gateway, task: str, model: str | None) -> str:
    ref = model or gw.args.tasks[task].default_model
    try:
        return gw.registry.resolve(ref, task=task).ref
    except RegistryError as exc:
        raise _error(404, str(exc)) from None


async def _call(gw: Gateway, task: str, ref: str, row: dict[str, Any]) -> dict[str, Any]:
    handle = gw.models[task].options(multiplexed_model_id=ref)
    timeout = gw.args.tasks[task].request_timeout_s or gw.args.request_timeout_s
    try:
        return await asyncio.wait_for(handle.predict.remote(row), timeout=timeout)
    except TimeoutError:
        raise _error(504, f"no answer within {timeout} s") from None
    except UNAVAILABLE:
        raise _error(503, "model server overloaded or restarting; retry shortly",
                     headers={"Retry-After": "1"}) from None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "bearer token required"}, 404: {"description": "unknown model (or asset)"},
    413: {"description": "upload too large"}, 415: {"description": "not the kind of file this route takes"},
    422: {"description": "the item cannot be used (undecodable, silent, empty field, ...)"},
    503: {"description": "overloaded"},
}
#: The HTTP status of a row error, by its kind (rayscore.errors.ErrorKind), never by the stage it came from.
KIND_STATUS = {"input": 422, "not_found": 404, "unsupported": 415, "internal": 500}


async def _read_upload(file: UploadFile, kind: str) -> bytes:
    content_type = (file.content_type or "application/octet-stream").lower()
    if not content_type.startswith(CONTENT_TYPES[kind]):
        raise _error(415, f"expected an {kind} upload, got content type {content_type}")
    data = await file.read()
    if not data:
        raise _error(422, "empty upload (0 bytes)")
    return data


async def _answer(gw: Gateway, task: str, ref: str, row: dict[str, Any]) -> dict[str, Any]:
    """The model server's answer for one row, or its row error as an HTTP error of the error's kind."""
    result = await _call(gw, task, ref, row)
    if not result["ok"]:
        raise _error(KIND_STATUS.get(result.get("kind") or "input", 500), result["error"])
    return result["body"]


def _field_param(f: RequestField, body: str) -> inspect.Parameter:
    """A declared field as an endpoint parameter (a form field beside an upload)."""
    constraints = {k: v for k, v in (("max_length", f.max_length), ("ge", f.ge), ("le", f.le)) if v is not None}
    annotation = Annotated[f.python_type() if f.required else f.python_type() | None,
                           Form(description=f.description, **constraints)]
    return inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                             default=inspect.Parameter.empty if f.required else None)


def _json_model(task_name: str, spec: RequestSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {"id": (str | None, PydField(None, description="Your id for this item (echoed back)."))}
    for f in spec.fields:
        constraints = {k: v for k, v in (("max_length", f.max_length), ("ge", f.ge), ("le", f.le)) if v is not None}
        fields[f.name] = (f.python_type() if f.required else f.python_type() | None,
                          PydField(... if f.required else None, description=f.description, **constraints))
    return create_model(f"{task_name.title().replace('_', '')}Request", **fields)


def add_task_route(app: FastAPI, gw: Gateway, task_name: str) -> None:
    """POST /v1/<task>/<route>, built from the task's declared :class:`RequestSpec`."""
    task = get_task(task_name)
    spec: RequestSpec = task.request
    P = inspect.Parameter
    params = []
    if spec.file != "none":
        params.append(P("file", P.KEYWORD_ONLY, annotation=Annotated[
            UploadFile, File(description=f"The {spec.file} file ({'wav, flac, ogg, mp3, m4a, ...' if spec.file == 'audio' else 'jpeg, png, webp, tiff, bmp'}).")]))
        params += [_field_param(f, spec.body) for f in spec.fields]
        params.append(P("id", P.KEYWORD_ONLY, default=None,
                        annotation=Annotated[str | None, Form(description="Your id for this item (echoed back).")]))
    else:
        params.append(P("body", P.KEYWORD_ONLY, annotation=Annotated[_json_model(task_name, spec), Body()]))
    params += [
        P("model", P.KEYWORD_ONLY, default=None,
          annotation=Annotated[str | None, Query(description="Registry version or alias.")]),
        P("x_model", P.KEYWORD_ONLY, default=None,
          annotation=Annotated[str | None, Header(description="Registry version or alias.")]),
        P("authorization", P.KEYWORD_ONLY, default=None, annotation=Annotated[str | None, Header()]),
    ]

    async def endpoint(**kwargs: Any) -> dict[str, Any]:
        _check_auth(gw, kwargs["authorization"])
        if spec.file == "none":
            values = kwargs["body"].model_dump(mode="json")
        else:
            values = {f.name: kwargs.get(f.name) for f in spec.fields} | {"id": kwargs.get("id")}
        for f in spec.fields:  # limits pydantic does not express: a text that is only whitespace
            value = values.get(f.name)
            if f.min_length and isinstance(value, str) and len(value.strip()) < f.min_length:
                raise _error(422, f"empty {f.name}: {f.description or 'send a value'}")
        row: dict[str, Any] = {"id": values.get("id") or uuid.uuid4().hex, **task.request_row(values)}
        if spec.file != "none":
            file: UploadFile = kwargs["file"]
            row |= {"path": file.filename, "media": await _read_upload(file, spec.file)}
        ref = _resolve(gw, task_name, kwargs["model"] or kwargs["x_model"])
        return {"id": row["id"], "model": ref, **(await _answer(gw, task_name, ref, row))}

    endpoint.__signature__ = inspect.Signature(params)  # what FastAPI reads: declared, not hand-written
    endpoint.__name__ = f"{task_name}_{task.serve_route}"
    app.post(f"/v1/{task_name}/{task.serve_route}", response_model=task.response_model,
             summary=f"{task_name}: {spec.summary}", tags=[task_name], responses=ERROR_RESPONSES)(endpoint)


def build_http_app(gw: Gateway) -> FastAPI:
    """The FastAPI app of a :class:`~rayscore.serving.deployments.Gateway` replica."""
    app = FastAPI(
        title="rayscore",
        version=__version__,
        description="Batch-scoring models served on Ray Serve. Pick a model version per request "
        "with ?model=<version|alias> or the X-Model header.",
    )
    app.add_middleware(BodySizeLimit, max_bytes=int(gw.args.max_upload_mb * 1024 * 1024))

    @app.get("/healthz", tags=["service"], summary="Every model server answers")
    async def healthz() -> JSONResponse:
        status = {}
        for task, handle in gw.models.items():
            try:
                await asyncio.wait_for(handle.ping.remote(), timeout=5)
                status[task] = "ok"
            except Exception as exc:  # noqa: BLE001 - any failure is "not healthy"
                status[task] = f"unavailable: {type(exc).__name__}"
        healthy = all(v == "ok" for v in status.values())
        return JSONResponse({"status": "ok" if healthy else "degraded", "tasks": status},
                            status_code=200 if healthy else 503)

    @app.get("/v1/models", tags=["service"], summary="Registered versions of the served tasks")
    async def models() -> dict[str, Any]:
        out = []
        for task, cfg in gw.args.tasks.items():
            spec = get_task(task)
            for v in gw.registry.versions(task):
                drift = stale_features(spec, v)
                out.append({"model": v.ref, "task": task, "version": v.version, "aliases": v.aliases,
                            "created": v.meta.get("created"), spec.metric: v.metrics().get(spec.metric),
                            "default": cfg.default_model in (*v.aliases, str(v.version)),
                            # None: registered before features were recorded
                            "features_current": None if "features" not in v.meta else not drift,
                            **({"features_changed": drift} if drift else {})})
        return {"models": out}

    for task_name in gw.args.tasks:
        add_task_route(app, gw, task_name)
    return app
