"""What a handler needs from the app: its `Services` (library, studio, job queue), the
limits."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated, Final

from fastapi import Depends, Request

from sakuga.engines.base import Engine
from sakuga.studio.jobs.base import (
    JobQueue,
    QueueFullError,
)
from sakuga.studio.library.library import Library
from sakuga.studio.service.services import Services
from sakuga.studio.service.studio import Studio

JOB_WAIT: float = 300.0


def server_engine(name: str) -> Engine:
    """Engines as a server runs them (its job queue, and the work done inside requests,
    such as sheets): draw renders in a helper process, since resvg holds the
    interpreter's lock while it renders and would stall every request."""
    from sakuga.engines.draw import DrawEngine
    from sakuga.engines.registry import get_engine

    return DrawEngine(render_elsewhere=True) if name == "draw" else get_engine(name)


# The dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency in
# its thread pool, a thread hop per dependency per request for an attribute read. Each
# is a part of the one `Services` the app's lifespan built.
async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_library(request: Request) -> Library:
    library: Library = request.app.state.services.library
    return library


async def get_studio(request: Request, library: Annotated[Library, Depends(get_library)]) -> Studio:
    """The app's studio — or, where a test overrides the library, one over that library
    (with the same engines)."""
    studio: Studio = request.app.state.services.studio
    return studio if studio.library is library else Studio(library, engines=studio.engines)


async def get_queue(request: Request) -> JobQueue:
    queue: JobQueue = request.app.state.services.queue
    return queue


ServicesDep = Annotated[Services, Depends(get_services)]
LibraryDep = Annotated[Library, Depends(get_library)]
StudioDep = Annotated[Studio, Depends(get_studio)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]


#: Seconds a client refused for a busy server waits before it asks again.
HEAVY_RETRY_AFTER: Final = 2.0


def heavy_gate(at_once: int) -> threading.BoundedSemaphore:
    """The places for image work done inside requests (uploads, control maps, exports,
    characters from a photo, sheets): ``at_once`` of them together, the rest refused."""
    return threading.BoundedSemaphore(at_once)


@contextmanager
def heavy_work(request: Request) -> Iterator[None]:
    """Hold one place of the server's image work, or refuse with 429 and Retry-After:
    a burst of 40 MP uploads or control maps must not take the server's memory and
    threads (the work itself runs in a worker thread, never on the event loop)."""
    gate: threading.BoundedSemaphore = request.app.state.heavy
    if not gate.acquire(blocking=False):
        raise QueueFullError(
            "the server is busy with other images; try again shortly",
            retry_after=HEAVY_RETRY_AFTER,
        )
    try:
        yield
    finally:
        gate.release()


async def heavy_slot(request: Request) -> AsyncIterator[None]:
    """`heavy_work` for a whole request (a route whose work is all image work)."""
    with heavy_work(request):
        yield


HeavySlot = Annotated[None, Depends(heavy_slot)]
