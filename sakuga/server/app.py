"""`sakuga serve`: the HTTP API, the OpenAI-compatible image endpoints, and the studio page.

What a studio handler needs comes through a dependency (`get_library`, `get_queue`),
so tests swap services with ``app.dependency_overrides``; the two OpenAI-compatible
routes, which run under load, read them from the app's state (see `_services`).
Generation runs as jobs on the library's bounded `LocalJobQueue`; a full queue
answers 429 with Retry-After at the door. Files are served by generation id only.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any, Final

from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from PIL import Image
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from sakuga import __version__
from sakuga.engines.base import Engine
from sakuga.errors import (
    EngineUnavailableError,
    ImageError,
    ImageTooLargeError,
    MaskError,
    ModelError,
    SakugaError,
    SpecError,
)
from sakuga.imaging.io import decode_image, normalise_mode
from sakuga.server.security import SecurityMiddleware, ServerSettings
from sakuga.spec.artspec import ArtSpec
from sakuga.spec.critique import critique
from sakuga.spec.limits import MAX_IMAGES, MAX_PROMPT_LENGTH, MAX_SEED
from sakuga.spec.uses import parse_size
from sakuga.studio.jobs import (
    Job,
    JobQueue,
    JobTooLargeError,
    LocalJobQueue,
    Outcome,
    QueueFullError,
)
from sakuga.studio.library import Library, NotFoundError, character_traits
from sakuga.studio.service import Studio

MAX_PROMPT: Final = MAX_PROMPT_LENGTH
JOB_WAIT: float = 300.0


# The dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency in
# its thread pool, a thread hop per dependency per request for an attribute read.
async def get_library(request: Request) -> Library:
    return request.app.state.library


async def get_queue(request: Request) -> JobQueue:
    return request.app.state.queue


def _services(request: Request) -> tuple[Library, JobQueue]:
    """The library and queue, for the OpenAI-compatible routes, which run under load:
    read from the app's state, without FastAPI's dependency solving (~15% of their
    time on the event loop). These two routes are therefore not swapped by
    ``dependency_overrides``; tests give `create_app` the library instead."""
    return request.app.state.library, request.app.state.queue


LibraryDep = Annotated[Library, Depends(get_library)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]


class OpenAIError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        param: str | None = None,
        kind: str = "invalid_request_error",
    ):
        super().__init__(message)
        self.status, self.message, self.param, self.kind = status, message, param, kind


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


#: Event streams (/api/jobs/{id}/events) one client address may hold open at once.
STREAMS_PER_CLIENT: Final = 8
#: Below this much free space where the library keeps its files, /api/health says so.
MIN_FREE_BYTES: Final = 64 * 1024 * 1024


def _server_engine(name: str) -> Engine:
    """Engines as a server runs them: draw renders in a helper process, since resvg
    holds the interpreter's lock while it renders and would stall every request."""
    from sakuga.engines.draw import DrawEngine
    from sakuga.engines.registry import get_engine

    return DrawEngine(render_elsewhere=True) if name == "draw" else get_engine(name)


def create_app(
    settings: ServerSettings | None = None,
    library: Library | None = None,
) -> FastAPI:
    settings = settings or ServerSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        lib = library or Library.open()
        app.state.library = lib
        queue: JobQueue = LocalJobQueue(
            lib,
            workers=settings.workers,
            max_queued=settings.max_queued,
            max_job_pixels=settings.max_job_pixels,
            max_queued_pixels=settings.max_queued_pixels,
            engine_factory=_server_engine,
        ).start()
        app.state.queue = queue
        _warm_up()
        try:
            yield
        finally:
            app.state.queue.shutdown()

    # /docs is served below from local assets: FastAPI's own page loads Swagger UI from a
    # CDN, which the Content-Security-Policy (rightly) blocks.
    app = FastAPI(
        title="Sakuga", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.settings = settings

    @app.exception_handler(SakugaError)
    async def sakuga_error(request: Request, exc: SakugaError) -> JSONResponse:
        status = _status_for(exc)
        if request.url.path.startswith("/v1"):
            param = "size" if isinstance(exc, JobTooLargeError) else None
            return _openai_error(OpenAIError(status, str(exc), param))
        return JSONResponse({"detail": str(exc)}, status_code=status)

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
        return _queue_full(request.url.path, exc)

    @app.exception_handler(OpenAIError)
    async def openai_error(_: Request, exc: OpenAIError) -> JSONResponse:
        return _openai_error(exc)

    # The OpenAI-compatible routes first: the router tries routes in order, and these
    # are the ones under load.
    _openai_routes(app)
    _api_routes(app)
    _page_routes(app)
    app.add_middleware(_ShedWhenFull)  # inside the security checks, before any routing
    app.add_middleware(SecurityMiddleware, settings=settings)
    return app


def _queue_full(path: str, exc: QueueFullError) -> JSONResponse:
    # Retry-After is whole seconds (RFC 9110); retry-after-ms, which the OpenAI SDKs
    # read first, carries the estimate itself.
    headers = {
        "Retry-After": str(max(1, math.ceil(exc.retry_after))),
        "retry-after-ms": str(round(exc.retry_after * 1000)),
    }
    if path.startswith("/v1"):
        return _openai_error(OpenAIError(429, str(exc), kind="rate_limit_error"), headers)
    return JSONResponse({"detail": str(exc)}, status_code=429, headers=headers)


# The requests that queue a job: refused at the door while the queue is full.
_QUEUEING: Final = frozenset({"/v1/images/generations", "/v1/images/edits", "/api/jobs"})


class _ShedWhenFull:
    """Answers 429 to a request that would queue a job while the queue is full, before
    its body is read or a route is matched: refusing must cost far less than serving,
    or refused clients coming back take the time the served ones need. `submit`
    checks again, for a queue that filled while the request was parsed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in _QUEUEING:
            queue = getattr(scope["app"].state, "queue", None)
            try:
                if queue is not None:
                    queue.check_room()
            except QueueFullError as exc:
                await _queue_full(scope["path"], exc)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _warm_up() -> None:
    """Pay the one-time costs at start instead of in the first request (the engine
    registry reads every installed package's entry points, about a second here; the
    prompt parser compiles its patterns), then move everything alive now into the
    garbage collector's permanent generation: a full collection then scans only what
    requests create, not the whole startup heap (it paused every thread for ~80 ms,
    a few times a minute under load)."""
    from sakuga.engines.registry import engine_names

    engine_names()
    ArtSpec.from_text("warm up")
    if not gc.get_freeze_count():  # once a process: what a later app leaves stays collectable
        gc.collect()
        gc.freeze()


def _openai_error(exc: OpenAIError, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"message": exc.message, "type": exc.kind, "param": exc.param, "code": None}}
    return JSONResponse(body, status_code=exc.status, headers=headers)


# --- uploads and the REST API ---------------------------------------------------------


def _decode_upload(data: bytes, name: str) -> Image.Image:
    """Decode through the safe path; the stored copy is re-encoded, never the raw bytes."""
    return normalise_mode(decode_image(data, name))


class JobIn(BaseModel):
    kind: str = Field(pattern="^(anime|create|edit|vary)$")
    prompt: str | None = Field(None, max_length=MAX_PROMPT)
    upload: str | None = Field(None, pattern="^[0-9a-f]{64}$")
    mask: str | None = Field(None, pattern="^[0-9a-f]{64}$")
    generation: str | None = Field(None, max_length=40)
    style: str | None = None
    use: str | None = None
    n: int = Field(1, ge=1, le=MAX_IMAGES)
    seed: int | None = Field(None, ge=0, le=MAX_SEED)
    engine: str | None = Field(None, max_length=40)
    character: str | None = Field(None, max_length=100)


class CharacterIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(min_length=1, max_length=MAX_PROMPT)
    style: str | None = None
    engine: str | None = Field(None, max_length=40)
    seed: int | None = Field(None, ge=0, le=MAX_SEED)
    refs: list[str] = Field(default_factory=list, max_length=16)


class ExportIn(BaseModel):
    use: str
    title: str | None = Field(None, max_length=200)
    subtitle: str | None = Field(None, max_length=200)
    credits: str | None = Field(None, max_length=200)
    font: str | None = None


def _job_payload(body: JobIn, library: Library) -> dict[str, Any]:
    """The studio builds the job; this only translates the body into its call."""
    studio = Studio(library)
    spec = ArtSpec.from_text(body.prompt) if body.prompt else ArtSpec()
    # The body's n and seed win over the prompt's own count: and seed: lines.
    count = body.n if "n" in body.model_fields_set else None
    spec = spec.merged(style=body.style, use=body.use, seed=body.seed, count=count)
    if body.character and body.kind != "create":
        raise SpecError("a saved character is for 'create' jobs (a scene with the character)")
    if body.kind == "create":
        plan = studio.create(spec, engine=body.engine, character=body.character)
    elif body.kind == "anime":
        if not body.upload:
            raise SpecError("photo to anime needs an uploaded photo ('upload')")
        plan = studio.anime(body.upload, spec, engine=body.engine)
    elif body.kind == "edit":
        if not body.mask:
            raise MaskError("an edit needs a mask upload ('mask'): white = change")
        if not body.generation and not body.upload:
            raise SpecError("an edit needs a 'generation' or an 'upload' to edit")
        plan = studio.edit(
            body.mask,
            spec,
            image=None if body.generation else body.upload,
            parent=body.generation,
            engine=body.engine,
        )
    else:  # vary
        if not body.generation:
            raise SpecError("vary needs a 'generation'")
        plan = studio.vary(body.generation, count=body.n, seed=body.seed)
    return studio.payload(plan)


def _api_routes(app: FastAPI) -> None:
    @app.get("/api/health")
    def health(request: Request, library: LibraryDep) -> JSONResponse:
        """200 when the library reads, every worker runs, every ended job is recorded
        and the disk has room; 503 (with what is wrong) otherwise."""
        workers = request.app.state.queue.healthy()
        free = library.store.free_bytes()
        disk_ok = free is None or free >= MIN_FREE_BYTES
        ok = bool(library.healthy() and workers["ok"] and disk_ok)
        body = {
            "ok": ok,
            "version": __version__,
            **{k: v for k, v in workers.items() if k != "ok"},
            "disk_ok": disk_ok,
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.post("/api/uploads", status_code=201)
    async def upload(library: LibraryDep, file: UploadFile = File(...)) -> dict[str, Any]:
        data = await file.read()
        image = _decode_upload(data, "upload")
        digest = library.put_input(image)
        return {"id": digest, "width": image.width, "height": image.height}

    @app.post("/api/critique")
    def critique_prompt(body: dict[str, str]) -> dict[str, Any]:
        text = body.get("text", "")
        if len(text) > MAX_PROMPT:
            raise HTTPException(400, f"text is over {MAX_PROMPT} characters")
        return critique(text).as_dict()

    @app.post("/api/jobs", status_code=202)
    def start_job(body: JobIn, library: LibraryDep, queue: QueueDep) -> dict[str, Any]:
        return queue.submit(_job_payload(body, library)).as_dict()

    @app.get("/api/jobs/{job_id}")
    def job(job_id: str, queue: QueueDep) -> dict[str, Any]:
        return queue.get(job_id).as_dict()

    @app.post("/api/jobs/{job_id}/cancel")
    def cancel(job_id: str, queue: QueueDep) -> dict[str, Any]:
        return queue.cancel(job_id).as_dict()

    @app.get("/api/jobs/{job_id}/preview")
    def preview(job_id: str, queue: QueueDep) -> Response:
        queue.get(job_id)  # 404 for an unknown job
        shown = queue.preview(job_id)
        if shown is None:
            return Response(status_code=204)
        return Response(shown[1], media_type="image/png", headers={"Cache-Control": "no-store"})

    open_streams: dict[str, int] = {}  # per client address; only the event loop touches it

    @app.get("/api/jobs/{job_id}/events")
    async def events(job_id: str, request: Request, queue: QueueDep) -> StreamingResponse:
        queue.get(job_id)  # 404 before the stream starts
        # Each stream polls its job: a client holding hundreds would slow every reader.
        client = request.client.host if request.client else "?"
        if open_streams.get(client, 0) >= STREAMS_PER_CLIENT:
            raise HTTPException(
                429,
                f"{STREAMS_PER_CLIENT} event streams are open from this client already",
                headers={"Retry-After": "5"},
            )
        open_streams[client] = open_streams.get(client, 0) + 1

        async def stream() -> AsyncIterator[bytes]:
            try:
                async for chunk in job_events():
                    yield chunk
            finally:
                open_streams[client] -= 1
                if not open_streams[client]:
                    del open_streams[client]

        async def job_events() -> AsyncIterator[bytes]:
            last = None
            deadline = time.monotonic() + JOB_WAIT
            while time.monotonic() < deadline:
                current = await asyncio.to_thread(queue.get, job_id)
                shown = queue.preview(job_id)
                previews = shown[0] if shown else 0
                state = (current.status, round(current.progress, 3), current.message, previews)
                if state != last:
                    last = state
                    # `previews` counts the engine's preview images so far; the latest
                    # is at /api/jobs/{id}/preview while the job runs.
                    data = {**current.as_dict(), "previews": previews}
                    yield f"data: {json.dumps(data)}\n\n".encode()
                if current.status in ("done", "failed", "cancelled"):
                    return
                await asyncio.sleep(0.1)

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )

    @app.get("/api/generations")
    def generations(
        library: LibraryDep,
        kept: bool | None = None,
        character: str | None = None,
        style: str | None = None,
        engine: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
    ) -> list[dict[str, Any]]:
        found = library.find(
            kept=kept, character=character, style=style, engine=engine, limit=limit, offset=offset
        )
        return [g.as_dict() for g in found]

    @app.get("/api/generations/{gen_id}")
    def generation(gen_id: str, library: LibraryDep) -> dict[str, Any]:
        return library.get(gen_id).as_dict()

    @app.post("/api/generations/{gen_id}/keep")
    def keep(gen_id: str, library: LibraryDep) -> dict[str, Any]:
        return library.keep(gen_id).as_dict()

    @app.post("/api/generations/{gen_id}/reject")
    def reject(gen_id: str, library: LibraryDep) -> dict[str, Any]:
        return library.reject(gen_id).as_dict()

    @app.post("/api/generations/{gen_id}/rating/{stars}")
    def rate(gen_id: str, stars: int, library: LibraryDep) -> dict[str, Any]:
        return library.rate(gen_id, stars).as_dict()

    @app.get("/api/images/{gen_id}")
    def image(gen_id: str, library: LibraryDep) -> FileResponse:
        gen = library.get(gen_id)  # ids only: a client never names a path
        return FileResponse(
            library.image_path(gen),
            media_type="image/png",
            headers={"Cache-Control": "private, max-age=3600"},
        )

    @app.post("/api/generations/{gen_id}/export", status_code=201)
    def export(gen_id: str, body: ExportIn, library: LibraryDep) -> dict[str, Any]:
        done = Studio(library).export(
            body.use,
            parent=gen_id,
            title=body.title,
            subtitle=body.subtitle,
            credits=body.credits,
            font=body.font,
        )
        layout, recorded = done.layout, done.generation
        return {**recorded.as_dict(), "warnings": layout.warnings, "contrast": layout.contrast}

    @app.get("/api/characters")
    def characters(library: LibraryDep) -> list[dict[str, Any]]:
        return [c.__dict__ | {"refs": list(c.refs)} for c in library.characters()]

    @app.post("/api/characters", status_code=201)
    def create_character(body: CharacterIn, library: LibraryDep) -> dict[str, Any]:
        spec = ArtSpec.from_text(body.description)
        traits = character_traits(spec)
        if not traits:
            raise SpecError("describe the character: who, hair, outfit or expression")
        refs = [library.input_image(h) for h in body.refs]
        saved = library.create_character(
            body.name,
            traits,
            style=body.style or spec.style,
            engine=body.engine,
            seed=body.seed,
            refs=refs,
        )
        return saved.__dict__ | {"refs": list(saved.refs)}


# --- OpenAI-compatible endpoints ------------------------------------------------------


def _engine_for(model: str | None, default: str, task: str) -> tuple[str, str | None]:
    """The Sakuga engine and engine model a request's ``model`` names; 400 when none can do it.

    ``toon`` names an engine; ``openai:gpt-image-1.5`` or ``diffusers:NAME`` an engine and
    its model; a GPT image model name goes to the ``openai`` engine when it is configured,
    else (like the SDK's legacy defaults) to this server's default engine.
    """
    from sakuga.engines.base import Task
    from sakuga.engines.models import served_names
    from sakuga.engines.registry import engine_class, engine_names, get_engine

    if model is not None and not isinstance(model, str):
        raise OpenAIError(400, f"model must be a string, got {type(model).__name__}", "model")
    name, _, engine_model = (model or default).partition(":")
    chosen: str | None = engine_model or None
    if name.startswith(("gpt-image-", "chatgpt-image")):
        openai_ok = "openai" in engine_names() and get_engine("openai").availability().ok
        name, chosen = ("openai", name) if openai_ok else (default, None)
    elif name in ("dall-e-2", "dall-e-3"):
        name = default
    if name not in engine_names():
        raise OpenAIError(
            400, f"unknown model {model!r}; models: {', '.join(engine_names())}", "model"
        )
    if Task(task) not in engine_class(name).tasks:
        raise OpenAIError(400, f"model {name!r} cannot do {task}", "model")
    if not chosen and not (available := get_engine(name).availability()).ok:
        raise OpenAIError(400, f"model {name!r} is not available here: {available.reason}", "model")
    if chosen and name != "openai" and chosen not in served_names():
        # Over HTTP a model is a name this server lists, never a path: a path would let a
        # client probe the file system (and opening the library's database file from
        # this process would cost the library its WAL).
        listed = ", ".join(f"{name}:{n}" for n in served_names()) or "none"
        pathlike = any(c in chosen for c in "/\\") or chosen.startswith((".", "~"))
        what = "a path" if pathlike else repr(chosen)
        raise OpenAIError(
            400,
            f"unknown model {what} for {name}: over HTTP a model is a name this server "
            f"lists, not a path; its models: {listed}",
            "model",
        )
    if chosen:
        try:
            get_engine(name).check_model(chosen)
        except ModelError as exc:
            raise OpenAIError(400, str(exc), "model") from None
    return name, chosen


def _json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a 400: not JSON, NaN/Infinity, numbers past the
    interpreter's digit limit, nesting too deep to parse, or not an object."""

    def no_constants(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    try:
        body = json.loads(raw, parse_constant=no_constants)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise OpenAIError(400, "the body must be JSON") from None
    if not isinstance(body, dict):
        raise OpenAIError(400, "the body must be a JSON object")
    return body


def _check_n(n: Any, *, text: bool = True) -> int:
    """``n`` as the OpenAI API takes it: an integer (JSON), or its digits (a form field)."""
    if isinstance(n, bool) or not (
        isinstance(n, int) or (text and isinstance(n, str) and n.isascii() and n.isdigit())
    ):
        raise OpenAIError(400, f"n must be an integer, got {str(n)[:20]!r}", "n")
    if isinstance(n, str) and len(n) > 3:
        raise OpenAIError(400, f"n must be between 1 and 10, got {n[:20]!r}", "n")
    value = int(n)
    if not 1 <= value <= MAX_IMAGES:
        raise OpenAIError(400, f"n must be between 1 and 10, got {value}", "n")
    return value


def _check_size(size: str | None) -> list[int] | None:
    if size in (None, "", "auto"):
        return None
    try:
        width, height = parse_size(str(size))
    except SpecError as exc:
        raise OpenAIError(400, str(exc), "size") from None
    if width % 16 or height % 16:
        raise OpenAIError(
            400, f"width and height must be multiples of 16, got {width}x{height}", "size"
        )
    return [width, height]


def _check_prompt(prompt: Any) -> str:
    if not isinstance(prompt, str) or not prompt.strip():
        raise OpenAIError(400, "prompt is required", "prompt")
    if len(prompt) > MAX_PROMPT:
        raise OpenAIError(
            400, f"prompt is {len(prompt)} characters; at most {MAX_PROMPT}", "prompt"
        )
    if not _encodable(prompt):
        raise OpenAIError(400, "prompt holds a lone surrogate (not valid Unicode)", "prompt")
    return prompt


def _printable(text: str) -> str:
    """``text`` with anything that cannot be UTF-8 (a lone surrogate) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Waiter:
    """Wakes one request's coroutine from the worker thread that ends its job."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.ended: asyncio.Future[None] = self.loop.create_future()

    def _resolve(self) -> None:
        if not self.ended.done():
            self.ended.set_result(None)

    def wake(self) -> None:
        self.loop.call_soon_threadsafe(self._resolve)


async def _submit_and_wait(queue: JobQueue, payload: dict[str, Any]) -> tuple[str, Job | Outcome]:
    """Queue a job and wait for it without holding a thread. The job lives in memory
    until it ends (``durable=False``: its caller is this request, and a job whose
    caller is gone is not worth re-running after a crash), so submitting it touches no
    database and runs on the event loop. A job that ends done hands its generations
    over in memory; a failed one is read back."""
    waiter = _Waiter()
    job = queue.submit(payload, waiter.wake, durable=False)
    try:
        try:
            # Only this process runs an in-memory job, and its worker always calls
            # `wake` when it ends: no polling, one deadline.
            async with asyncio.timeout(JOB_WAIT):
                await waiter.ended
        except TimeoutError:  # answered 504: nobody waits for the job now
            return job.id, await asyncio.to_thread(queue.cancel, job.id)
        outcome = queue.take_outcome(job.id)
        if outcome is not None:
            return job.id, outcome
        return job.id, await asyncio.to_thread(queue.get, job.id)
    finally:
        queue.take_outcome(job.id)  # never leave an outcome behind (client gone, timeout)


async def _run_and_respond(
    queue: JobQueue, library: Library, payload: dict[str, Any]
) -> JSONResponse:
    """Run a job for an OpenAI-compatible request and answer with its images."""
    started = time.time()
    job_id, ended = await _submit_and_wait(queue, payload)
    if isinstance(ended, Job):  # read back from the database: off the event loop
        return await asyncio.to_thread(_respond, library, job_id, ended, started)
    return _respond(library, job_id, ended, started)  # in memory: no read at all


def _respond(library: Library, job_id: str, ended: Job | Outcome, started: float) -> JSONResponse:
    if isinstance(ended, Job):
        if ended.status != "done":
            raise OpenAIError(
                500 if ended.status == "failed" else 504,
                ended.error or f"job {ended.status}",
                kind="server_error",
            )
        generations = library.get_many(ended.result)
        images = [library.image_path(g).read_bytes() for g in generations]
    else:
        generations, images = ended.generations, ended.images
    data = []
    usage = {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}
    for index, (generation, image) in enumerate(zip(generations, images, strict=True)):
        data.append({"b64_json": base64.b64encode(image).decode("ascii")})
        # A job is one engine call, and each of its images carries that call's usage.
        if index == 0 and generation.usage:
            usage = {k: int(generation.usage.get(k, 0)) for k in usage}
    body = {"created": int(started), "data": data, "usage": usage}
    # The job behind the response, for tracing it in the library (and the load benchmark).
    return JSONResponse(body, headers={"X-Sakuga-Job": job_id})


def _edit_payload(
    library: Library,
    photos: list[bytes],
    mask: bytes | None,
    prompt: str,
    n: int,
    size: list[int] | None,
    engine: str,
    model: str | None,
) -> dict[str, Any]:
    """An edit's uploads decoded and checked, then the studio's job for them (which
    stores them): photo → anime without a mask, a masked edit with one."""
    decoded = [_decode_upload(data, "image") for data in photos]
    first = decoded[0]
    drawn = None
    if mask is not None:
        drawn = _decode_upload(mask, "mask")
        if drawn.size != first.size:
            raise OpenAIError(
                400,
                f"mask must be the size of the image ({first.width}x{first.height}), "
                f"got {drawn.width}x{drawn.height}",
                "mask",
            )
        # OpenAI's convention: transparent = edit. Sakuga's: white = change.
        if drawn.mode == "RGBA":
            drawn = Image.eval(drawn.getchannel("A"), lambda v: 255 - v)
    studio = Studio(library)
    spec = ArtSpec.from_text(prompt).merged(count=n)
    shape = (size[0], size[1]) if size else None
    common: dict[str, Any] = {"size": shape, "engine": engine, "model": model}
    common |= {"references": decoded[1:], "verbatim": prompt}
    if drawn is None:
        plan = studio.anime(first, spec, **common)
    else:
        plan = studio.edit(drawn.convert("RGB"), spec, image=first, count=n, **common)
    return studio.payload(plan)


def _openai_routes(app: FastAPI) -> None:
    @app.post("/v1/images/generations")
    async def generations(request: Request) -> JSONResponse:
        library, queue = _services(request)
        body = _json_object(await request.body())
        prompt = _check_prompt(body.get("prompt"))
        n = _check_n(body.get("n", 1), text=False)
        size = _check_size(body.get("size"))
        if body.get("response_format", "b64_json") != "b64_json":
            raise OpenAIError(
                400, "only response_format=b64_json is served (no URLs)", "response_format"
            )
        engine, engine_model = _engine_for(body.get("model"), "draw", "text-to-image")
        studio = Studio(library)
        plan = studio.create(
            ArtSpec.from_text(prompt).merged(count=n),
            size=(size[0], size[1]) if size else None,
            engine=engine,
            model=engine_model,
            verbatim=prompt,  # an OpenAI client's prompt is sent as it is
        )
        return await _run_and_respond(queue, library, studio.payload(plan))

    @app.post("/v1/images/edits")
    async def edits(request: Request) -> JSONResponse:
        library, queue = _services(request)
        form = await request.form(max_files=17, max_fields=50)
        prompt = _check_prompt(form.get("prompt"))
        n = _check_n(form.get("n", 1))
        size = _check_size(form.get("size"))  # type: ignore[arg-type]
        images = [
            f for key in ("image", "image[]") for f in form.getlist(key) if not isinstance(f, str)
        ]
        if not images:
            raise OpenAIError(400, "an image file is required", "image")
        mask_file = form.get("mask")
        photos = [await f.read() for f in images]
        mask = (
            await mask_file.read()
            if mask_file is not None and not isinstance(mask_file, str)
            else None
        )
        # Every check before anything is stored: a refused request leaves no file, no row.
        task = "masked-edit" if mask is not None else "photo-to-anime"
        engine, engine_model = _engine_for(str(form.get("model") or ""), "toon", task)
        # Decoding, re-encoding and storing photos is tens of milliseconds of work each:
        # on a thread, not on the event loop that serves every other request.
        payload = await asyncio.to_thread(
            _edit_payload, library, photos, mask, prompt, n, size, engine, engine_model
        )
        return await _run_and_respond(queue, library, payload)

    @app.get("/v1/models")
    def models() -> dict[str, Any]:
        from sakuga.engines.registry import all_engines

        return {
            "object": "list",
            "data": [
                {"id": e.name, "object": "model", "owned_by": "sakuga"}
                for e in all_engines()
                if e.availability().ok
            ],
        }


# --- the studio page ----------------------------------------------------------------------


def _page_routes(app: FastAPI) -> None:
    static = resources.files("sakuga.server") / "static"

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return Response((static / "index.html").read_bytes(), media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return Response((static / "docs.html").read_bytes(), media_type="text/html; charset=utf-8")

    @app.get("/docs/assets/{name}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        kinds = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}
        if name not in kinds:  # two known files, never a path from the client
            raise HTTPException(404, "not found")
        try:  # the fastapi-offline wheel ships Swagger UI 5 (OpenAPI 3.1)
            assets = resources.files("fastapi_offline") / "static"
        except ModuleNotFoundError:
            raise HTTPException(404, "pip install 'sakuga[server]' for the API docs") from None
        return Response((assets / name).read_bytes(), media_type=kinds[name])

    @app.get("/static/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        types = {
            "app.js": "text/javascript; charset=utf-8",
            "docs.js": "text/javascript; charset=utf-8",
            "style.css": "text/css; charset=utf-8",
        }
        if name not in types:  # a fixed list: no path from the client reaches the disk
            raise HTTPException(404, "not found")
        return Response((static / name).read_bytes(), media_type=types[name])
