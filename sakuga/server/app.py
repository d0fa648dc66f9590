"""`sakuga serve`: the HTTP API, the OpenAI-compatible image endpoints, and the studio page.

`create_app` puts together the routers (`v1`: the OpenAI-compatible endpoints, matched
first since they run under load; `api`: the studio's REST API for jobs, uploads and
prompts; `library_api`: generations and characters; `pages`: the page, its files and
the docs), the error handlers (`errors`), the security middleware (`security`) and the
one `Services` (library, studio, job queue) its lifespan builds. Every handler gets
what it needs through a dependency (`deps.LibraryDep`, `StudioDep`, `QueueDep`), so
tests swap services with ``app.dependency_overrides``. Generation runs as jobs on the
library's bounded `LocalJobQueue` (any `JobQueue`); a full queue answers 429 with
Retry-After at the door. Files are served by generation id only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from sakuga import __version__
from sakuga.prompt.artspec import ArtSpec
from sakuga.server.api import router as api_router
from sakuga.server.deps import heavy_gate, server_engine
from sakuga.server.errors import add_error_handlers, queue_full_answer
from sakuga.server.library_api import router as library_router
from sakuga.server.pages import router as pages_router
from sakuga.server.security import SecurityMiddleware, ServerSettings
from sakuga.server.v1 import router as v1_router
from sakuga.studio.jobs.local import (
    JobQueue,
    LocalJobQueue,
    QueueFullError,
)
from sakuga.studio.library.library import Library
from sakuga.studio.service.services import Services


def create_app(
    settings: ServerSettings | None = None,
    library: Library | None = None,
) -> FastAPI:
    settings = settings or ServerSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        lib = library or Library.open()
        queue: JobQueue
        if settings.queue_url:
            from sakuga.studio.jobs.celery_server import DistributedJobQueue

            queue = DistributedJobQueue(
                lib,
                settings.queue_url,
                max_queued=settings.max_queued,
                max_job_pixels=settings.max_job_pixels,
                max_queued_pixels=settings.max_queued_pixels,
            ).start()
        else:
            queue = LocalJobQueue(
                lib,
                workers=settings.workers,
                max_queued=settings.max_queued,
                max_job_pixels=settings.max_job_pixels,
                max_queued_pixels=settings.max_queued_pixels,
                engine_factory=server_engine,
                max_job_seconds=settings.max_job_seconds,
            ).start()
            _warm_up()
        # The one studio service of this server: its work inside requests (plans,
        # exports, characters, sheets) runs on the server's engines.
        app.state.services = Services.open(lib, engines=server_engine, queue=queue)
        try:
            yield
        finally:
            queue.shutdown()
            from sakuga.engines.draw.svg import stop_helpers

            stop_helpers()  # the render helpers end with the server

    # /docs is served below from local assets: FastAPI's own page loads Swagger UI from a
    # CDN, which the Content-Security-Policy (rightly) blocks.
    app = FastAPI(
        title="Sakuga", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.settings = settings
    app.state.heavy = heavy_gate(settings.max_heavy)
    app.state.open_streams = {}  # event streams open per client address (see api.events)

    add_error_handlers(app)
    # The OpenAI-compatible routes first: the router tries routes in order, and these
    # are the ones under load.
    app.include_router(v1_router)
    app.include_router(api_router)
    app.include_router(library_router)
    app.include_router(pages_router)
    app.add_middleware(_ShedWhenFull)  # inside the security checks, before any routing
    app.add_middleware(SecurityMiddleware, settings=settings)
    return app


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
            services = getattr(scope["app"].state, "services", None)
            queue = services.queue if services is not None else None
            try:
                if queue is not None:
                    queue.check_room()
            except QueueFullError as exc:
                await queue_full_answer(scope["path"], exc)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _warm_up() -> None:
    """Pay the one-time costs at start instead of in the first request: the engine
    registry reads every installed package's entry points (about a second here) and
    the prompt parser compiles its patterns."""
    from sakuga.engines.registry import engine_names

    engine_names()
    ArtSpec.from_text("warm up")
