"""The server's front door (SECURITY.md): Host and Origin checks, bearer token, body cap,
and headers on every response. A plain ASGI middleware, so it runs before routing
and before any body is parsed.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Final

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_log = logging.getLogger("sakuga.server")

LOOPBACK: Final = ("127.0.0.1", "localhost", "[::1]", "::1")
UNSAFE_METHODS: Final = {"POST", "PUT", "PATCH", "DELETE"}
SECURITY_HEADERS: Final = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
        b"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
]


@dataclass
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 7860
    token: str | None = None
    max_body: int = 25 * 1024 * 1024  # bytes in one request
    max_queued: int = 32
    max_job_pixels: int = 16 * 1024 * 1024  # n × width × height one job may ask for
    max_queued_pixels: int = 256 * 1024 * 1024  # all waiting jobs together
    workers: int = 2
    #: Image work done inside requests at once (uploads, control maps, exports, sheets):
    #: as many as a small machine has cores, so the rest of the server stays quick.
    max_heavy: int = 2
    #: A job running longer than this (seconds) is stopped at its next step and failed.
    max_job_seconds: float = 1800.0
    extra_hosts: tuple[str, ...] = ()  # more Host names to accept (--allowed-host)
    extra_origins: tuple[str, ...] = ()  # more Origins for state-changing requests
    #: OpenAI model names the operator maps to Sakuga engines (``gpt-image-2`` → ``draw``).
    model_map: dict[str, str] = field(default_factory=dict)
    #: A broker URL (``redis://…``): jobs go to `sakuga worker` processes through it,
    #: and this server generates nothing itself (`sakuga.studio.jobs.celery_server`).
    queue_url: str | None = None
    allowed_hosts: set[str] = field(init=False)
    allowed_origins: set[str] = field(init=False)

    def __post_init__(self) -> None:
        # The bind address names this server when it is concrete (not 0.0.0.0 or ::).
        bound = () if self.host in ("0.0.0.0", "::", "[::]", "") else (self.host,)
        names = {*LOOPBACK, *bound, *self.extra_hosts}
        self.allowed_hosts = names | {f"{n}:{self.port}" for n in names}
        # Only this server's own origins: scheme, host and port. "http://127.0.0.1"
        # (port 80) is another site on the same machine, not this server.
        origins = {f"{s}://{n}:{self.port}" for s in ("http", "https") for n in names}
        if self.port == 80:
            origins |= {f"http://{n}" for n in names}
        if self.port == 443:
            origins |= {f"https://{n}" for n in names}
        self.allowed_origins = origins | {o.rstrip("/").lower() for o in self.extra_origins}

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK

    def allowed_origin(self, origin: str) -> bool:
        return origin.lower() in self.allowed_origins


#: The shortest token a server takes: a guessable one is no lock.
MIN_TOKEN_LENGTH: Final = 16


def check_bind(settings: ServerSettings) -> None:
    """Refuse to start with a short token, or to listen beyond this machine without one."""
    if settings.token is not None and len(settings.token) < MIN_TOKEN_LENGTH:
        raise ValueError(
            f"the token must be at least {MIN_TOKEN_LENGTH} characters, got "
            f"{len(settings.token)}; make one with: python -c "
            "'import secrets; print(secrets.token_urlsafe(24))'"
        )
    if not settings.loopback and not settings.token:
        raise ValueError(
            f"refusing to listen on {settings.host} without a token: anyone on the network could "
            "use this machine; pass --token or keep the default --host 127.0.0.1"
        )


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: ServerSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived = time.perf_counter()
        raw = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"]]
        headers = dict(raw)
        path: str = scope["path"]
        # The API and its schema (which lists every route) are behind the token.
        api = path.startswith(("/api", "/v1")) or path == "/openapi.json"
        named = [k for k, _ in raw if k in ("host", "origin")]
        if len(named) != len(set(named)):
            # Two Host or Origin headers: which one a proxy checked is anyone's guess.
            await _reply(send, 400, "duplicate Host or Origin header", path)
            return
        host = headers.get("host", "")
        authority = _target_authority(scope)
        if authority is not None and authority.lower() not in self.settings.allowed_hosts:
            # An absolute-form request line (`GET http://elsewhere/ HTTP/1.1`) names its
            # host in the target, which HTTP says wins over the Host header.
            await _reply(send, 400, "request target names another host", path)
            return
        if host not in self.settings.allowed_hosts:
            await _reply(send, 400, "unknown Host header", path)
            return
        method = scope["method"]
        origin = headers.get("origin")
        if (
            method in UNSAFE_METHODS
            and origin is not None
            and not self.settings.allowed_origin(origin)
        ):
            await _reply(send, 403, "cross-origin request refused", path)
            return
        if api and self.settings.token:
            given = headers.get("authorization", "")
            expected = f"Bearer {self.settings.token}"
            if not secrets.compare_digest(given.encode(), expected.encode()):
                await _reply(send, 401, "missing or wrong token (Authorization: Bearer …)", path)
                return
        length = headers.get("content-length")
        too_big = _too_big(path, self.settings.max_body)
        if length is not None and (not length.isdigit() or int(length) > self.settings.max_body):
            await _reply(send, 413, too_big, path)
            return
        if method in UNSAFE_METHODS:
            # Read the body up to the cap before the app sees it: a body without
            # Content-Length (chunked) is refused as soon as it passes the cap.
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.settings.max_body:
                    await _reply(send, 413, too_big, path)
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            replayed = False
            upstream = receive  # the server's own; `receive` is rebound below

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                # After the body: what the server says next (a disconnect, which a
                # streamed response listens for). Calling `receive` here would call
                # this function again, forever.
                return await upstream()

            receive = replay

        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                # Server-Timing (a standard header): the server's own time for this
                # request, from its arrival here to the response's start, so a load test
                # can tell the server's time from its own scheduling delays.
                spent = (time.perf_counter() - arrived) * 1000
                timing = (b"server-timing", f"app;dur={spent:.1f}".encode())
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS, timing]
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            # A bug: logged with its traceback, answered 500 in the route's error shape
            # and with the security headers, never with the exception's text.
            _log.exception("unhandled error on %s %s", method, path)
            if not started:
                await _reply(send, 500, "internal server error", path)


TARGET_KEY: Final = "sakuga.request_target"


def _target_authority(scope: Scope) -> str | None:
    """The host an absolute-form request target names, or None for the usual `/path`.

    httptools drops the scheme and authority before the app sees the request, so
    `ServerProtocol` keeps the raw target in the scope; h11 leaves it in `raw_path`.
    """
    target: bytes = scope.get(TARGET_KEY) or scope.get("raw_path") or b"/"
    if target.startswith(b"/") or target == b"*":
        return None
    _scheme, sep, rest = target.partition(b"://")
    if not sep:
        return ""  # neither a path nor a URL: no host of ours
    return rest.split(b"/", 1)[0].split(b"?", 1)[0].decode("latin-1")


def server_protocol() -> type:
    """uvicorn's httptools protocol, keeping each request's raw target for the checks above."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class ServerProtocol(HttpToolsProtocol):
        def on_headers_complete(self) -> None:
            target = bytes(self.url)
            super().on_headers_complete()
            # The request's cycle holds this same scope and has not run yet.
            self.scope[TARGET_KEY] = target  # type: ignore[typeddict-unknown-key]

    return ServerProtocol


def uvicorn_config(app: ASGIApp, settings: ServerSettings, **options: Any) -> Any:
    """The one uvicorn set-up, for `sakuga serve` and the live-server tests alike.

    No X-Forwarded-* rewriting (nothing here reads the client's address, and a header
    should not change it) and no Server header naming the stack.
    """
    import uvicorn

    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=server_protocol(),
        proxy_headers=False,
        server_header=False,
        **options,
    )


async def _reply(send: Send, status: int, message: str, path: str) -> None:
    if path.startswith("/v1"):
        from sakuga.server.errors import OPENAI_CODES

        kind = {
            401: "authentication_error",
            413: "invalid_request_error",
            500: "server_error",
        }.get(status, "invalid_request_error")
        payload: dict[str, Any] = {
            "error": {
                "message": message,
                "type": kind,
                "param": None,
                "code": OPENAI_CODES.get(status),
            }
        }
    else:
        payload = {"detail": message}
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_big(path: str, limit: int) -> str:
    """What a 413 says, in words: "the photo is over 25 MB" on an upload."""
    size = f"{limit / (1024 * 1024):.0f} MB"
    if path.startswith("/api/uploads") or path.startswith("/v1/images/edits"):
        return f"the photo is over {size}: make it smaller (or export it as JPEG) and try again"
    return f"the request is over {size}"
