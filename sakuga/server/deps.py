"""What a handler needs from the app: the library and the job queue, the limits."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from sakuga.studio.library import Library
from sakuga.studio.queueing import (
    JobQueue,
)

JOB_WAIT: float = 300.0


# The dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency in
# its thread pool, a thread hop per dependency per request for an attribute read.
async def get_library(request: Request) -> Library:
    return request.app.state.library


async def get_queue(request: Request) -> JobQueue:
    return request.app.state.queue


LibraryDep = Annotated[Library, Depends(get_library)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]
