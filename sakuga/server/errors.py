"""Errors → HTTP: a client's bad input is a 4xx in the route's error shape, never a 500."""

from __future__ import annotations

import logging
import math
import re
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sakuga.errors import (
    EngineUnavailableError,
    ImageError,
    ImageTooLargeError,
    OutputError,
    SakugaError,
    StorageFullError,
)
from sakuga.studio.jobs.base import (
    JobTooLargeError,
    QueueFullError,
)
from sakuga.studio.library.library import NotFoundError

_log = logging.getLogger("sakuga.server")


class OpenAIError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        param: str | None = None,
        kind: str = "invalid_request_error",
        code: str | None = None,
        retry: bool | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.param, self.kind = status, message, param, kind
        self.code = code
        #: Whether a client should send it again (the SDKs read ``x-should-retry``);
        #: None: their own rule (they retry 408, 409, 429 and 5xx).
        self.retry = retry


#: An error's ``code`` when nothing more exact is said: the API's own code where it has
#: one for the status (``invalid_api_key``, ``rate_limit_exceeded`` …), else a name of
#: the same kind, so a client always has a code to branch on.
OPENAI_CODES: Final = {
    400: "invalid_value",
    401: "invalid_api_key",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    415: "invalid_image_format",
    429: "rate_limit_exceeded",
    500: "server_error",
    503: "server_unavailable",
    504: "timeout",
    507: "insufficient_storage",
}

#: The server's own troubles, answered without their text (it names server paths):
#: status and what a client is told.
_SERVER_SIDE: Final = {
    "full": (507, "the server has no room left to store this; try again later"),
    "storage": (503, "the server's storage is unavailable; try again shortly"),
    "queue": (503, "the job queue is unavailable; try again shortly"),
    "database": (503, "the library's database is unavailable; try again shortly"),
}


def _server_side(exc: BaseException) -> str | None:
    """Which of the server's own troubles ``exc`` is, if it is one."""
    from sakuga.studio.jobs.celery_common import QueueUnavailableError
    from sakuga.studio.storage.objects import StorageUnavailableError

    if isinstance(exc, StorageFullError):
        return "full"
    if isinstance(exc, StorageUnavailableError):
        return "storage"
    if isinstance(exc, QueueUnavailableError):
        return "queue"
    if isinstance(exc, OutputError):
        return "storage"
    return None


#: An absolute path on this machine: a slash that starts no word, URL or relative path,
#: nor one of this server's own routes.
_SERVER_PATH: Final = re.compile(r"(?<![\w:/.~-])/(?!v1/|api/)(?:[^\s/'\"]+/)+([^\s/'\",;)]*)")


def redacted(message: str) -> str:
    """``message`` with each absolute path on this machine cut to its last part: a
    client learns which model or file, never where the server keeps it
    (``…directory /srv/sakuga/models/broken-sd`` → ``…directory broken-sd``)."""
    return _SERVER_PATH.sub(lambda m: m.group(1) or "/", message)


def _status_for(exc: SakugaError) -> int:
    """A client's bad input is a 4xx, never a 500."""
    if isinstance(exc, ImageTooLargeError):
        return 413
    if isinstance(exc, ImageError):
        return 415
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, EngineUnavailableError):
        return 503
    return 400


def queue_full_answer(path: str, exc: QueueFullError) -> JSONResponse:
    # Retry-After is whole seconds (RFC 9110); retry-after-ms, which the OpenAI SDKs
    # read first, carries the estimate itself.
    headers = {
        "Retry-After": str(max(1, math.ceil(exc.retry_after))),
        "retry-after-ms": str(round(exc.retry_after * 1000)),
    }
    if path.startswith("/v1"):
        return _openai_error(OpenAIError(429, str(exc), kind="rate_limit_error"), headers)
    return JSONResponse({"detail": str(exc)}, status_code=429, headers=headers)


def error_body(exc: OpenAIError) -> dict[str, Any]:
    """The API's ``error`` object for ``exc`` (a response's body, a stream's error
    event): its code, else the status's; its message without server paths."""
    code = exc.code or OPENAI_CODES.get(exc.status)
    return {"message": redacted(exc.message), "type": exc.kind, "param": exc.param, "code": code}


def _openai_error(exc: OpenAIError, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": error_body(exc)}
    headers = dict(headers or {})
    if exc.retry is not None:
        headers["x-should-retry"] = "true" if exc.retry else "false"
    return JSONResponse(body, status_code=exc.status, headers=headers)


def _printable(text: str) -> str:
    """``text`` with anything that cannot be UTF-8 (a lone surrogate) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _trouble(request: Request, trouble: str, exc: BaseException) -> JSONResponse:
    """The server's own trouble as 507 or 503, logged in full, told without paths."""
    status, message = _SERVER_SIDE[trouble]
    _log.warning("%s %s: %s (%s)", request.method, request.url.path, message, exc)
    headers = {"Retry-After": "30"}
    if request.url.path.startswith("/v1"):
        return _openai_error(OpenAIError(status, message, kind="server_error"), headers)
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def add_error_handlers(app: FastAPI) -> None:
    """Map Sakuga's errors, validation errors, a full queue and OpenAI-shaped errors."""
    from sqlalchemy.exc import OperationalError

    @app.exception_handler(OperationalError)
    async def database_trouble(request: Request, exc: OperationalError) -> JSONResponse:
        full = "full" in str(exc.orig).lower()  # SQLite: "database or disk is full"
        return _trouble(request, "full" if full else "database", exc)

    @app.exception_handler(SakugaError)
    async def sakuga_error(request: Request, exc: SakugaError) -> JSONResponse:
        if (trouble := _server_side(exc)) is not None:
            return _trouble(request, trouble, exc)
        status = _status_for(exc)
        message = redacted(str(exc))
        if request.url.path.startswith("/v1"):
            param = "size" if isinstance(exc, JobTooLargeError) else None
            return _openai_error(OpenAIError(status, message, param))
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes the input back, which fails (500) on a lone
        # surrogate and repeats whatever a client sent; say where and what, not the input.
        errors = [
            {
                "loc": [str(p) for p in error.get("loc", ())],
                "msg": _printable(str(error.get("msg", ""))),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors()
        ]
        if request.url.path.startswith("/v1"):
            first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
            param = first["loc"][-1] if first["loc"] else None
            return _openai_error(OpenAIError(400, str(first["msg"]), param))
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(QueueFullError)
    async def queue_full(request: Request, exc: QueueFullError) -> JSONResponse:
        return queue_full_answer(request.url.path, exc)

    @app.exception_handler(OpenAIError)
    async def openai_error(_: Request, exc: OpenAIError) -> JSONResponse:
        return _openai_error(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Under /v1 every error is OpenAI-shaped, an unknown path (404) or method (405)
        # included, so an SDK reads it as it reads the API's own.
        headers = dict(exc.headers or {})
        if request.url.path.startswith("/v1"):
            message = {404: f"no route {request.url.path}", 405: "method not allowed"}.get(
                exc.status_code, str(exc.detail)
            )
            kind = "invalid_request_error" if exc.status_code < 500 else "server_error"
            return _openai_error(OpenAIError(exc.status_code, message, kind=kind), headers)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
