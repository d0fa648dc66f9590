"""The job queue's boundary: what a job is, what a queue promises (`JobQueue`), and the
errors and limits a front end maps to answers. `LocalJobQueue` (`jobs.py`) is one
queue; a distributed one implements the same protocol against the same table."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol

from pydantic import BaseModel, ConfigDict

from sakuga.engines.base import RequestData, read_model
from sakuga.errors import SakugaError, SpecError
from sakuga.studio.library.library import Generation

if TYPE_CHECKING:
    from sakuga.studio.service.studio import Plan

#: Output pixels (n × width × height) one job may ask for, and all waiting jobs together:
#: the defaults allow ten 1024² images or four 2048² ones per job.
MAX_JOB_PIXELS: Final = 16 * 1024 * 1024
MAX_QUEUED_PIXELS: Final = 256 * 1024 * 1024


class JobTooLargeError(SpecError):
    """A job asks for more output pixels than the queue allows one job."""


class CellData(BaseModel):
    """One cell of a grid's job: its place on the axes and its plan, as JSON."""

    model_config = ConfigDict(extra="forbid")

    at: list[int]
    engine: str | None = None
    request: RequestData
    parent_id: str | None = None
    character_id: str | None = None


class GridData(BaseModel):
    """A grid's job (#38): its axes as written, and every cell."""

    model_config = ConfigDict(extra="forbid")

    axes: list[dict[str, Any]]
    cells: list[CellData]
    set: str | None = None  # a set's kind ("stickers"), when the grid is one
    data: dict[str, Any] | None = None  # what the set keeps beside (a story's script)


class JobPayload(BaseModel):
    """What a queue carries from the front end that planned a job to the worker that
    runs it: a `Plan`, as JSON. A grid's job carries its cells in ``grid``; its own
    ``request`` is its first cell's (what the queue's estimates go by)."""

    model_config = ConfigDict(extra="forbid")

    engine: str | None = None
    request: RequestData
    parent_id: str | None = None
    character_id: str | None = None
    grid: GridData | None = None

    @classmethod
    def read(cls, payload: JobPayload | Mapping[str, Any]) -> JobPayload:
        """``payload`` checked as a job payload: the one place a queue reads one (a
        front end's dict, a row's JSON); `SpecError` says what is wrong with it."""
        return read_model(cls, payload, "a job payload")

    def as_json(self) -> dict[str, Any]:
        """The payload as stored and shown: JSON, with only the keys it was given."""
        return self.model_dump(mode="json", exclude_unset=True)

    def image_size(self) -> tuple[int, int]:
        """The size each image will have: ``output_size`` as recorded (for an older
        payload: the asked size, else the use's, else the default)."""
        from sakuga.engines.base import DEFAULT_SIZE
        from sakuga.prompt.uses import get_use

        request = self.request
        size = request.output_size or request.size
        if size:
            return (int(size[0]), int(size[1]))
        use = request.spec.get("use")
        return get_use(use).size if use else DEFAULT_SIZE

    def pixels(self) -> int:
        """The output pixels the job asks for: n × its images' size, over every cell of
        a grid (the per-job cap holds for a grid's cells together)."""
        if self.grid is not None:
            return sum(_cell_job(cell).pixels() for cell in self.grid.cells)
        width, height = self.image_size()
        return self.request.n * width * height

    def images(self) -> int:
        """How many images the job makes (a grid's layout not counted)."""
        if self.grid is not None:
            return sum(cell.request.n for cell in self.grid.cells)
        return self.request.n

    def kind(self) -> tuple[str, str, int]:
        """Jobs alike in time: the engine as asked ("" for the automatic choice), the
        task, and each image's megapixels rounded up."""
        width, height = self.image_size()
        return (self.engine or "", self.request.task.value, -(-width * height // 1_000_000))


def _cell_job(cell: CellData) -> JobPayload:
    return JobPayload(engine=cell.engine, request=cell.request)


STATUSES: Final = ("queued", "running", "done", "failed", "cancelled")


@dataclass(frozen=True)
class Outcome:
    """What a job that ended done hands its waiting submitter (`take_outcome`)."""

    generations: list[Generation]
    images: list[bytes]  # each generation's stored PNG, so the answer needs no read


class Preview(NamedTuple):
    """A running job's latest preview image, and where the engine was when it made it."""

    number: int  # the how-manyth preview of the job this is
    png: bytes
    step: int  # the engine's step when it made this one …
    total: int  # … of this many (0: the engine does not count steps)


def checked_pixels(payload: JobPayload, max_job_pixels: int) -> int:
    """The output pixels ``payload`` asks for, after checking it asks for no more than
    ``max_job_pixels`` (`JobTooLargeError` says how much it asks)."""
    pixels = payload.pixels()
    if pixels > max_job_pixels:
        raise JobTooLargeError(
            f"this job asks for {pixels / 1e6:.1f} megapixels of output (n × width × "
            f"height); this server makes at most {max_job_pixels / 1e6:.1f} per job"
        )
    return pixels


class QueueFullError(SakugaError):
    """Too many jobs waiting; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check_backlog(
    waiting: int,
    queued_pixels: int,
    pixels: int,
    *,
    max_queued: int,
    max_queued_pixels: int,
    retry_after: Callable[[], float],
) -> None:
    """Every queue's room check: `QueueFullError` when ``max_queued`` jobs wait already,
    or when ``pixels`` more would take the waiting jobs' output past
    ``max_queued_pixels`` (a job alone always fits), told to come back after
    ``retry_after()`` seconds."""
    if waiting >= max_queued:
        raise QueueFullError(
            f"{waiting} jobs are waiting already; try again shortly", retry_after=retry_after()
        )
    if pixels and queued_pixels and queued_pixels + pixels > max_queued_pixels:
        raise QueueFullError(
            f"the waiting jobs ask for {queued_pixels / 1e6:.0f} megapixels already; "
            "try again shortly",
            retry_after=retry_after(),
        )


@dataclass(frozen=True)
class Job:
    id: str
    status: str
    payload: dict[str, Any]
    progress: float
    message: str | None
    error: str | None
    result: list[str]
    created_at: float
    started_at: float | None
    finished_at: float | None
    #: A failed job's kind of failure (`sakuga.errors.failure_code`).
    error_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class JobQueue(Protocol):
    """What the server asks of a job queue: exactly the calls it makes, so another queue
    (a distributed one) can take `LocalJobQueue`'s place."""

    def start(self) -> JobQueue: ...
    def shutdown(self, grace: float = 10.0) -> None: ...
    def check_room(self, pixels: int = 0) -> None: ...
    def submit(
        self,
        payload: JobPayload | Mapping[str, Any],
        on_end: Callable[[], None] | None = None,
        *,
        durable: bool = True,
        plan: Plan | None = None,
    ) -> Job: ...
    def get(self, job_id: str) -> Job: ...
    def cancel(self, job_id: str) -> Job: ...
    def preview(self, job_id: str) -> Preview | None: ...
    def estimate(self, payload: JobPayload | Mapping[str, Any]) -> float | None: ...
    def take_outcome(self, job_id: str) -> Outcome | None: ...
    def healthy(self) -> dict[str, Any]: ...
    def capabilities(self) -> dict[str, dict[str, Any]] | None: ...
    def wait(self, job_id: str, timeout: float = 60.0) -> Job: ...
    def find(self, status: str | None = None, limit: int = 100) -> list[Job]: ...


def find_jobs(db: Any, status: str | None = None, limit: int = 100) -> list[Job]:
    """The newest ``limit`` jobs of the table (``status``'s only, if given): every
    queue's `find`, as both keep their jobs in the one table."""
    from sqlalchemy import select

    from sakuga.studio.library.db import jobs

    query = select(jobs).order_by(jobs.c.created_at.desc()).limit(limit)
    if status is not None:
        query = query.where(jobs.c.status == status)
    with db.connect() as conn:
        return [job_from_row(r) for r in conn.execute(query)]


def ended_row(job: Job) -> dict[str, Any]:
    """The row of an in-memory job that ended, as its worker left it in memory."""
    return {
        "id": job.id,
        "status": job.status,
        "payload": json.dumps(job.payload),
        "progress": job.progress,
        "error": job.error,
        "error_code": job.error_code,
        # A job answered but then not recorded ends failed: its ids name nothing.
        "result": json.dumps(job.result) if job.status == "done" else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _json_or(text: Any, fallback: Any) -> Any:
    """A stored JSON column, or ``fallback`` when the text is not JSON (a damaged row
    is shown as such, never a 500)."""
    try:
        return json.loads(text) if text else fallback
    except (TypeError, ValueError):
        return fallback


def job_from_row(row: Any) -> Job:
    return Job(
        id=row.id,
        status=row.status,
        payload=_json_or(row.payload, {}),
        progress=row.progress,
        message=row.message,
        error=row.error,
        result=_json_or(row.result, []),
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        error_code=row.error_code,
    )
