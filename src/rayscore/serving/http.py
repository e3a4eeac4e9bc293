"""The HTTP surface: routes, upload limits, auth, and clear 4xx/5xx answers.

Routes (one predict route per served task):

- ``POST /v1/<task>/<route>``: multipart upload ``file`` (+ optional ``id``);
  ``?model=<version|alias>`` or header ``X-Model`` picks the registry version
  (default: the task's ``default_model``, e.g. ``production``).
- ``POST /v1/<task>/predict`` of audio + text tasks (urgency): ``file`` + ``transcript``.
- ``GET /v1/models``: registered versions and aliases of the served tasks.
- ``GET /healthz``: every model server answers.
- ``GET /docs``, ``GET /openapi.json``: OpenAPI.

Errors: 401 missing/wrong bearer token, 404 unknown model, 413 upload over the
limit, 415 not an audio upload, 422 undecodable audio, 503 overloaded or a
replica restarting, 504 over the request timeout.
"""

from __future__ import annotations

import asyncio
import hmac
import uuid
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, File, Form, Header, HTTPException, Query, UploadFile
from fastapi.responses import JSONResponse
from ray.exceptions import ActorUnavailableError, RayActorError
from ray.serve.exceptions import BackPressureError, DeploymentUnavailableError, ReplicaUnavailableError

from rayscore import __version__
from rayscore.registry import RegistryError
from rayscore.tasks import get_task

if TYPE_CHECKING:
    from rayscore.serving.deployments import Gateway

AUDIO_TYPES = ("audio/", "application/octet-stream")
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
    try:
        return await asyncio.wait_for(handle.predict.remote(row), timeout=gw.args.request_timeout_s)
    except TimeoutError:
        raise _error(504, f"no answer within {gw.args.request_timeout_s} s") from None
    except UNAVAILABLE:
        raise _error(503, "model server overloaded or restarting; retry shortly",
                     headers={"Retry-After": "1"}) from None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "bearer token required"}, 404: {"description": "unknown model"},
    413: {"description": "upload too large"}, 415: {"description": "not audio"},
    422: {"description": "audio cannot be decoded"}, 503: {"description": "overloaded"},
}
#: Which HTTP status a row error of each stage becomes.
STAGE_STATUS = {"decode": 422, "text": 422, "lookup": 404}


async def _read_audio(file: UploadFile) -> bytes:
    content_type = (file.content_type or "application/octet-stream").lower()
    if not content_type.startswith(AUDIO_TYPES):
        raise _error(415, f"expected an audio upload, got content type {content_type}")
    data = await file.read()
    if not data:
        raise _error(422, "empty upload (0 bytes)")
    return data


async def _score_upload(gw: Gateway, task: str, file: UploadFile, item_id: str | None, version: str | None,
                        authorization: str | None, **fields: Any) -> dict[str, Any]:
    """What every upload route does: auth, read the audio, pick the model version, score one row."""
    _check_auth(gw, authorization)
    data = await _read_audio(file)
    ref = _resolve(gw, task, version)
    row = {"id": item_id or uuid.uuid4().hex, "path": file.filename, "media": data, **fields}
    return {"id": row["id"], "model": ref, **(await _answer(gw, task, ref, row))}


async def _answer(gw: Gateway, task: str, ref: str, row: dict[str, Any]) -> dict[str, Any]:
    """The model server's answer for one row, or its row error as an HTTP error."""
    result = await _call(gw, task, ref, row)
    if not result["ok"]:
        raise _error(STAGE_STATUS.get(result["stage"], 500), result["error"])
    return result["body"]


def _add_audio_route(app: FastAPI, gw: Gateway, task_name: str) -> None:
    task = get_task(task_name)

    async def predict(
        file: Annotated[UploadFile, File(description="An audio file: wav, flac, ogg, aiff, mp3, ...")],
        id: Annotated[str | None, Form(description="Your id for this item (echoed back).")] = None,
        model: Annotated[str | None, Query(description="Registry version or alias.")] = None,
        x_model: Annotated[str | None, Header(description="Registry version or alias.")] = None,
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        return await _score_upload(gw, task_name, file, id, model or x_model, authorization)

    app.post(
        f"/v1/{task_name}/{task.serve_route}",
        response_model=task.response_model,
        summary=f"{task_name}: score one upload",
        tags=[task_name],
        responses=ERROR_RESPONSES,
    )(predict)


def _add_audio_asset_route(app: FastAPI, gw: Gateway, task_name: str) -> None:
    """One clip of one asset: ``file`` + ``asset_id`` (``<machine_type>/<section>``, or the section
    with ``machine_type``)."""
    task = get_task(task_name)

    async def score(
        file: Annotated[UploadFile, File(description="An audio clip of the asset (10 s at best).")],
        asset_id: Annotated[str, Form(description="The asset: <machine_type>/<section>, or a section id.")],
        machine_type: Annotated[str | None, Form(description="Needed when asset_id is a bare section id.")] = None,
        id: Annotated[str | None, Form(description="Your id for this clip (echoed back).")] = None,
        model: Annotated[str | None, Query(description="Registry version or alias.")] = None,
        x_model: Annotated[str | None, Header(description="Registry version or alias.")] = None,
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        group = asset_id if "/" in asset_id or not machine_type else f"{machine_type}/{asset_id}"
        return await _score_upload(gw, task_name, file, id, model or x_model, authorization, group=group)

    app.post(
        f"/v1/{task_name}/{task.serve_route}",
        response_model=task.response_model,
        summary=f"{task_name}: score one clip of an asset",
        tags=[task_name],
        responses=ERROR_RESPONSES | {404: {"description": "unknown model, or an asset the model does not cover"}},
    )(score)


def _add_audio_text_route(app: FastAPI, gw: Gateway, task_name: str) -> None:
    """One recording and what was said in it: ``file`` + ``transcript``."""
    task = get_task(task_name)

    async def predict(
        file: Annotated[UploadFile, File(description="The call audio: wav, flac, ogg, mp3, ...")],
        transcript: Annotated[str, Form(description="What was said (the call's transcript).")],
        id: Annotated[str | None, Form(description="Your id for this call (echoed back).")] = None,
        model: Annotated[str | None, Query(description="Registry version or alias.")] = None,
        x_model: Annotated[str | None, Header(description="Registry version or alias.")] = None,
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        if not transcript.strip():
            _check_auth(gw, authorization)  # an unauthorised caller learns nothing about its input
            raise _error(422, "empty transcript: send what was said in the call as `transcript`")
        return await _score_upload(gw, task_name, file, id, model or x_model, authorization, text=transcript)

    app.post(
        f"/v1/{task_name}/{task.serve_route}",
        response_model=task.response_model,
        summary=f"{task_name}: score one recording with its transcript",
        tags=[task_name],
        responses=ERROR_RESPONSES | {422: {"description": "audio cannot be decoded, or an empty transcript"}},
    )(predict)


ROUTE_BUILDERS = {"audio": _add_audio_route, "audio_asset": _add_audio_asset_route,
                  "audio_text": _add_audio_text_route}


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
            metric = get_task(task).metric
            for v in gw.registry.versions(task):
                out.append({"model": v.ref, "task": task, "version": v.version, "aliases": v.aliases,
                            "created": v.meta.get("created"), metric: v.metrics().get(metric),
                            "default": cfg.default_model in (*v.aliases, str(v.version))})
        return {"models": out}

    for task_name in gw.args.tasks:
        kind = get_task(task_name).serve_kind
        ROUTE_BUILDERS[kind](app, gw, task_name)
    return app
