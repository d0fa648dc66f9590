"""Generation jobs: queued, running, done, failed or cancelled, persisted in the library.

`JobQueue` is the boundary: the in-process `LocalJobQueue` runs jobs on a bounded
pool of worker threads; a distributed queue (Celery with Redis, Ray) can take its
place by implementing the same four methods against the same ``jobs`` table.

On start, jobs a crash left ``running`` go back to ``queued``: every accepted job
is finished or re-queued. A job's images and its ``done`` mark are written in one
transaction, so a re-run job never leaves duplicates behind.

A job submitted with ``durable=False`` is one a caller waits on (an OpenAI-compatible
request): it lives in memory until it ends and its row is written once, with its
images. If the process dies, the caller's connection dies with it, and nobody would
want the job re-run at the next start. Its caller is also woken as soon as its images
are encoded, before the library's copy is written: the answer carries the images,
so it need not wait on the disk. A crash in those few milliseconds loses the
library's copy of images the caller already has, never a row naming a missing file.
"""

from __future__ import annotations

import io
import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Final, Protocol

from sqlalchemy import bindparam, insert, select, update

from sakuga.engines.base import Engine, Progress
from sakuga.engines.registry import get_engine
from sakuga.errors import CancelledError, SakugaError, SpecError
from sakuga.studio.db import FastConnection, FastStatement, fast_transaction, jobs, transaction
from sakuga.studio.library import Generation, Library, LibraryError, NotFoundError, _new_id
from sakuga.studio.service import Studio

logger = logging.getLogger(__name__)

#: How often an idle worker retries writing job ends that could not be written.
RETRY_SECONDS: Final = 2.0
#: Output pixels (n × width × height) one job may ask for, and all waiting jobs together:
#: the defaults allow ten 1024² images or four 2048² ones per job.
MAX_JOB_PIXELS: Final = 16 * 1024 * 1024
MAX_QUEUED_PIXELS: Final = 256 * 1024 * 1024


class JobTooLargeError(SpecError):
    """A job asks for more output pixels than the queue allows one job."""


def payload_pixels(payload: dict[str, Any]) -> int:
    """The output pixels a job asks for: n × its size (the asked size, else the use's,
    else the default; an image task without either counts as the default size)."""
    from sakuga.engines.base import DEFAULT_SIZE
    from sakuga.spec.uses import get_use

    request = payload.get("request", {})
    size = request.get("size")
    use = (request.get("spec") or {}).get("use")
    if size:
        width, height = int(size[0]), int(size[1])
    elif use:
        width, height = get_use(use).size
    else:
        width, height = DEFAULT_SIZE
    return max(1, int(request.get("n", 1))) * width * height


STATUSES: Final = ("queued", "running", "done", "failed", "cancelled")
PROGRESS_EVERY: Final = 0.25  # seconds between progress writes

# The statements every job runs, compiled once (see FastStatement).
_INSERT = FastStatement(insert(jobs), keys=("id", "status", "payload", "progress", "created_at"))
_CLAIM = FastStatement(
    update(jobs)
    .where((jobs.c.id == bindparam("job_id")) & (jobs.c.status == "queued"))
    .values(status="running", started_at=bindparam("started_at"), progress=0.0)
)
_FINISH = FastStatement(
    update(jobs)
    .where(jobs.c.id == bindparam("job_id"))
    .values(
        status="done",
        progress=1.0,
        result=bindparam("result"),
        finished_at=bindparam("finished_at"),
    )
)
# An in-memory job's one row, written when it ends.
_INSERT_ENDED = FastStatement(
    insert(jobs),
    keys=(
        "id",
        "status",
        "payload",
        "progress",
        "error",
        "result",
        "created_at",
        "started_at",
        "finished_at",
    ),
)
_END = FastStatement(
    update(jobs)
    .where(jobs.c.id == bindparam("job_id"))
    .values(status=bindparam("status"), error=bindparam("error"), finished_at=bindparam("at"))
)
_SELECT = select(jobs).where(jobs.c.id == bindparam("job_id"))


@dataclass(frozen=True)
class Outcome:
    """What a job that ended done hands its waiting submitter (`take_outcome`)."""

    generations: list[Generation]
    images: list[bytes]  # each generation's stored PNG, so the answer needs no read


class QueueFullError(SakugaError):
    """Too many jobs waiting; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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
        payload: dict[str, Any],
        on_end: Callable[[], None] | None = None,
        *,
        durable: bool = True,
    ) -> Job: ...
    def get(self, job_id: str) -> Job: ...
    def cancel(self, job_id: str) -> Job: ...
    def preview(self, job_id: str) -> tuple[int, bytes] | None: ...
    def take_outcome(self, job_id: str) -> Outcome | None: ...
    def healthy(self) -> dict[str, Any]: ...


def _ended_row(job: Job) -> dict[str, Any]:
    """The row of an in-memory job that ended, as its worker left it in memory."""
    return {
        "id": job.id,
        "status": job.status,
        "payload": json.dumps(job.payload),
        "progress": job.progress,
        "error": job.error,
        # A job answered but then not recorded ends failed: its ids name nothing.
        "result": json.dumps(job.result) if job.status == "done" else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _job(row: Any) -> Job:
    return Job(
        id=row.id,
        status=row.status,
        payload=json.loads(row.payload),
        progress=row.progress,
        message=row.message,
        error=row.error,
        result=json.loads(row.result) if row.result else [],
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


class _JobProgress:
    """A job's progress callback: checks for cancel, writes progress to the job row at
    most every `PROGRESS_EVERY` seconds, and keeps the latest preview image."""

    wants_previews = True

    def __init__(self, jobs: LocalJobQueue, job_id: str) -> None:
        self._jobs = jobs
        self._job_id = job_id
        # The first write waits a full interval too: short jobs then cost no progress
        # write at all (the claim wrote 0 and the finish writes 1).
        self._last = time.monotonic()

    def __call__(self, p: Progress) -> None:
        jobs = self._jobs
        with jobs._lock:
            if self._job_id in jobs._cancelled:
                raise CancelledError("cancelled")
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY:
            self._last = now
            if p.preview is not None:
                jobs._keep_preview(self._job_id, p.preview)
            jobs._progress(self._job_id, p.fraction, p.message)


class LocalJobQueue:
    """Jobs run in this process by ``workers`` threads; at most ``max_queued`` wait.

    A payload is ``{"request": <EngineRequest JSON with inputs>, "engine": name|None,
    "parent_id": id|None, "character_id": id|None}``.
    """

    def __init__(
        self,
        library: Library,
        *,
        workers: int = 2,
        max_queued: int = 64,
        max_job_pixels: int = MAX_JOB_PIXELS,
        max_queued_pixels: int = MAX_QUEUED_PIXELS,
        engine_factory: Callable[[str], Engine] = get_engine,
    ) -> None:
        self.library = library
        self.max_queued = max_queued
        self.max_job_pixels = max_job_pixels
        self.max_queued_pixels = max_queued_pixels
        self._job_pixels: dict[str, int] = {}  # the output pixels of each waiting job
        self._engine_factory = engine_factory
        self._todo: queue.Queue[str | None] = queue.Queue()
        self._cancelled: set[str] = set()
        self._on_end: dict[str, list[Callable[[], None]]] = {}
        # The latest preview of each running job: (how many so far, PNG bytes). Kept in
        # memory only; a preview is gone when its job ends.
        self._previews: dict[str, tuple[int, bytes]] = {}
        self._engines: dict[str, Engine] = {}
        # The generations of finished jobs someone waits on (see take_outcome).
        self._outcomes: dict[str, Outcome] = {}
        self._want_outcome: set[str] = set()
        # The payloads of jobs submitted here, so a worker need not read them back.
        self._payloads: dict[str, dict[str, Any]] = {}
        # Jobs submitted with durable=False, until their row is written at their end.
        self._live: dict[str, Job] = {}
        self._reserved = 0  # submits between their room check and their queue put
        self._reserved_pixels = 0
        self._job_seconds: float | None = None  # moving average of a job's wall time
        # Ends (status, error) that could not be written (a full disk), retried by the
        # workers; meanwhile `get` shows them and `healthy` says so.
        self._unrecorded: dict[str, tuple[str, str | None]] = {}
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]
        self._started = False
        #: Runs the jobs' plans, with this queue's engines.
        self.studio = Studio(library, engines=self._engine)

    # ---- the interface -------------------------------------------------------------------

    def start(self) -> LocalJobQueue:
        """Clean up after a crash (orphan files, interrupted jobs re-queued), then start
        the workers."""
        self.library.repair(at_start=True)
        with transaction(self.library.db) as conn:
            conn.execute(
                update(jobs)
                .where(jobs.c.status == "running")
                .values(status="queued", started_at=None)
            )
            waiting = [
                r.id
                for r in conn.execute(
                    select(jobs.c.id).where(jobs.c.status == "queued").order_by(jobs.c.created_at)
                )
            ]
        for job_id in waiting:
            self._todo.put(job_id)
        for thread in self._threads:
            thread.start()
        self._started = True
        return self

    def submit(
        self,
        payload: dict[str, Any],
        on_end: Callable[[], None] | None = None,
        *,
        durable: bool = True,
    ) -> Job:
        """Queue a job. ``on_end`` (registered before the job can start, so it cannot be
        missed) is called from the worker when the job ends, with the job's generations
        then waiting in `take_outcome`.

        ``durable=False``: the job is kept in memory, not written, until it ends (for a
        caller that waits on it; see the module's docstring). Such a submit touches no
        database, so an event loop may call it directly."""
        if "request" not in payload:
            raise LibraryError("a job payload needs a 'request'")
        pixels = payload_pixels(payload)
        if pixels > self.max_job_pixels:
            raise JobTooLargeError(
                f"this job asks for {pixels / 1e6:.1f} megapixels of output (n × width × "
                f"height); this server makes at most {self.max_job_pixels / 1e6:.1f} per job"
            )
        with self._lock:
            self.check_room(pixels)
            self._reserved += 1  # a place in the backlog, held until the job is queued
            self._reserved_pixels += pixels
        try:
            job_id = _new_id()
            job = Job(job_id, "queued", payload, 0.0, None, None, [], time.time(), None, None)
            if durable:
                with fast_transaction(self.library.db) as conn:
                    conn.run(
                        _INSERT,
                        {
                            "id": job_id,
                            "status": "queued",
                            "payload": json.dumps(payload),
                            "progress": 0.0,
                            "created_at": job.created_at,
                        },
                    )
            with self._lock:
                self._payloads[job_id] = payload
                self._job_pixels[job_id] = pixels
                if not durable:
                    self._live[job_id] = job
                if on_end is not None:
                    self._on_end.setdefault(job_id, []).append(on_end)
                    self._want_outcome.add(job_id)
            self._todo.put(job_id)
        finally:
            with self._lock:
                self._reserved -= 1
                self._reserved_pixels -= pixels
        return job  # as written, without reading it back

    def check_room(self, pixels: int = 0) -> None:
        """Raise `QueueFullError` when ``max_queued`` jobs wait already, or when ``pixels``
        more would take the waiting jobs' output past ``max_queued_pixels`` (a job alone
        always fits). The bound is this queue's own backlog, counted in memory: a full
        queue answers at once, without touching the database, so a server can refuse
        before it parses a request."""
        waiting = self._waiting()
        if waiting >= self.max_queued:
            raise QueueFullError(
                f"{waiting} jobs are waiting already; try again shortly",
                retry_after=self.retry_after(),
            )
        queued = sum(self._job_pixels.values()) + self._reserved_pixels
        if pixels and queued and queued + pixels > self.max_queued_pixels:
            raise QueueFullError(
                f"the waiting jobs ask for {queued / 1e6:.0f} megapixels already; "
                "try again shortly",
                retry_after=self.retry_after(),
            )

    def retry_after(self) -> float:
        """Seconds for the workers to get through the jobs waiting now: a client told to
        come back then finds room, where "after one job" would bring every refused client
        back at once for one free place. A job's time is a moving average of recent jobs
        (5 s before any ran); the answer is kept between 0.05 s and 60 s."""
        per_job = self._job_seconds if self._job_seconds is not None else 5.0
        return min(60.0, max(0.05, max(1, self._waiting()) * per_job / len(self._threads)))

    def _waiting(self) -> int:
        """Jobs in this queue's backlog, with the places submits hold for theirs."""
        return self._todo.qsize() + self._reserved

    def get(self, job_id: str) -> Job:
        with self._lock:
            live = self._live.get(job_id)
            unrecorded = self._unrecorded.get(job_id)
        if live is not None:
            return live
        with self.library.db.connect() as conn:
            row = conn.execute(_SELECT, {"job_id": job_id}).first()
        if row is None:
            raise NotFoundError(f"no job with id {job_id!r}")
        if unrecorded is not None:
            status, error = unrecorded
            return replace(_job(row), status=status, error=error)
        return _job(row)

    def healthy(self) -> dict[str, Any]:
        """Whether every worker runs and every ended job is recorded."""
        with self._lock:
            unrecorded = len(self._unrecorded)
        alive = sum(t.is_alive() for t in self._threads)
        return {
            "ok": alive == len(self._threads) and unrecorded == 0,
            "workers": len(self._threads),
            "workers_alive": alive,
            "unrecorded_jobs": unrecorded,
        }

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        if job.status in ("done", "failed", "cancelled"):
            return job
        with self._lock:
            self._cancelled.add(job_id)
            if job_id in self._live:  # its worker ends it, and writes its row
                return self._live[job_id]
        with transaction(self.library.db) as conn:
            conn.execute(
                update(jobs)
                .where((jobs.c.id == job_id) & (jobs.c.status == "queued"))
                .values(status="cancelled", finished_at=time.time())
            )
        return self.get(job_id)

    def find(self, status: str | None = None, limit: int = 100) -> list[Job]:
        query = select(jobs).order_by(jobs.c.created_at.desc()).limit(limit)
        if status is not None:
            query = query.where(jobs.c.status == status)
        with self.library.db.connect() as conn:
            return [_job(r) for r in conn.execute(query)]

    def on_end(self, job_id: str, callback: Callable[[], None]) -> None:
        """Call ``callback`` (from a worker thread) when this queue's worker ends the job.
        Register first, then read the job: a job that ended in between is seen there."""
        with self._lock:
            self._on_end.setdefault(job_id, []).append(callback)

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job ends. Woken at once by this queue's workers; a job run by
        another process is noticed by polling."""
        deadline = time.monotonic() + timeout
        ended = threading.Event()
        self.on_end(job_id, ended.set)
        while True:
            job = self.get(job_id)
            left = deadline - time.monotonic()
            if job.status in ("done", "failed", "cancelled") or left <= 0:
                return job
            ended.wait(min(0.5, left))

    def shutdown(self, grace: float = 10.0) -> None:
        """Stop the workers: each ends after its current job; after ``grace`` seconds in
        all, shutdown returns anyway (the workers are daemon threads)."""
        for _ in self._threads:
            self._todo.put(None)
        if self._started:
            deadline = time.monotonic() + grace
            for thread in self._threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))

    # ---- the workers -----------------------------------------------------------------

    def _engine(self, name: str) -> Engine:
        """One engine instance per name for the queue's life, so engines that load
        models (diffusers) keep them between jobs; engines guard their own state."""
        with self._lock:
            if name not in self._engines:
                self._engines[name] = self._engine_factory(name)
            return self._engines[name]

    def take_outcome(self, job_id: str) -> Outcome | None:
        """The generations of a job that ended done, kept in memory for whoever asked
        to be told of its end (`on_end`), once; None otherwise."""
        with self._lock:
            return self._outcomes.pop(job_id, None)

    def preview(self, job_id: str) -> tuple[int, bytes] | None:
        """The latest preview of a running job (count, PNG), or None."""
        with self._lock:
            return self._previews.get(job_id)

    def _keep_preview(self, job_id: str, image: Any) -> None:
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", compress_level=1)
        with self._lock:
            count = self._previews.get(job_id, (0, b""))[0] + 1
            self._previews[job_id] = (count, buffer.getvalue())

    def _progress(self, job_id: str, fraction: float, message: str) -> None:
        with self._lock:
            live = self._live.get(job_id)
            if live is not None:
                self._live[job_id] = replace(live, progress=fraction, message=message)
                return
        with transaction(self.library.db) as conn:
            conn.execute(
                update(jobs).where(jobs.c.id == job_id).values(progress=fraction, message=message)
            )

    def _end(self, job_id: str, status: str, error: str | None = None) -> None:
        """Mark a job failed or cancelled: its row updated, or (in-memory job) written,
        and the in-memory job shows its end at once to whoever reads it next."""
        with self._lock:
            live = self._live.get(job_id)
            if live is not None:
                live = self._live[job_id] = replace(
                    live, status=status, error=error, finished_at=time.time()
                )
        with fast_transaction(self.library.db) as conn:
            if live is None:
                conn.run(
                    _END,
                    {"job_id": job_id, "status": status, "error": error, "at": time.time()},
                )
            else:
                conn.run(_INSERT_ENDED, _ended_row(live))

    def _work(self) -> None:
        while True:
            self._record_pending_ends()
            try:
                job_id = self._todo.get(timeout=RETRY_SECONDS)
            except queue.Empty:
                continue
            if job_id is None:
                return
            with self._lock:
                self._job_pixels.pop(job_id, None)  # taken: no longer waiting
            started = time.monotonic()
            try:
                self._run(job_id)
            except Exception as exc:  # a worker must survive any one job
                if self._answered(job_id):  # its caller has the images; the library not
                    logger.warning("job %s answered, but not recorded: %s", job_id, exc)
                message = f"{type(exc).__name__}: {exc}"
                try:
                    self._end(job_id, "failed", message)
                except Exception as record_error:  # even its end cannot be written
                    logger.error(
                        "job %s failed; its end is not recorded yet: %s", job_id, record_error
                    )
                    with self._lock:
                        self._unrecorded[job_id] = ("failed", message)
            finally:
                self._wake(job_id)
                with self._lock:
                    self._live.pop(job_id, None)  # its row is written by now
                    self._cancelled.discard(job_id)
                    self._payloads.pop(job_id, None)
                    took = time.monotonic() - started
                    average = self._job_seconds
                    self._job_seconds = took if average is None else 0.8 * average + 0.2 * took

    def _record_pending_ends(self) -> None:
        """Write the ends that could not be written before (once the disk has room)."""
        with self._lock:
            pending = dict(self._unrecorded)
        for job_id, (status, error) in pending.items():
            try:
                self._end(job_id, status, error)
            except Exception:
                return  # still no room: the next round tries again
            with self._lock:
                self._unrecorded.pop(job_id, None)

    def _wake(self, job_id: str) -> None:
        """Call whoever waits on the job's end (once)."""
        with self._lock:
            callbacks = self._on_end.pop(job_id, [])
            self._previews.pop(job_id, None)
            self._want_outcome.discard(job_id)
        for callback in callbacks:
            callback()

    def _answered(self, job_id: str) -> bool:
        """Whether an in-memory job's caller was already handed its images."""
        with self._lock:
            live = self._live.get(job_id)
            return live is not None and live.status == "done"

    def _claim(self, job_id: str) -> bool:
        """Mark the job running; False if it was cancelled or another worker took it."""
        with self._lock:
            live = self._live.get(job_id)
            if live is not None and job_id not in self._cancelled:
                self._live[job_id] = replace(live, status="running", started_at=time.time())
                return True
        if live is None:
            with fast_transaction(self.library.db) as conn:
                return bool(conn.run(_CLAIM, {"job_id": job_id, "started_at": time.time()}))
        self._end(job_id, "cancelled")  # an in-memory job cancelled while it waited
        return False

    def _run(self, job_id: str) -> None:
        if not self._claim(job_id):
            return
        with self._lock:
            payload = self._payloads.get(job_id)
        if payload is None:  # queued before this process started: read it back
            payload = self.get(job_id).payload
        plan = self.studio.from_payload(payload)
        request = plan.request
        progress = _JobProgress(self, job_id)
        started = time.perf_counter()
        try:
            result = self.studio.make(plan, progress)
        except CancelledError:
            self._end(job_id, "cancelled")
            return
        except SakugaError as exc:
            self._end(job_id, "failed", str(exc))
            return

        def finish(conn: FastConnection, ids: list[str]) -> None:
            with self._lock:
                live = self._live.get(job_id)
            if live is None:
                conn.run(
                    _FINISH,
                    {"job_id": job_id, "result": json.dumps(ids), "finished_at": time.time()},
                )
            else:
                conn.run(_INSERT_ENDED, _ended_row(live))

        pending = self.library.prepare_record(
            request,
            result,
            parent_id=payload.get("parent_id"),
            character_id=payload.get("character_id"),
            seconds=time.perf_counter() - started,
        )
        outcome = Outcome(pending.generations, pending.images)
        with self._lock:
            live = self._live.get(job_id)
            if live is not None:
                # An in-memory job's caller has its images before the library's copy is
                # written: the answer does not wait on the disk (see the module's
                # docstring), and the row that follows says when they were ready.
                ids = [g.id for g in pending.generations]
                self._live[job_id] = replace(
                    live, status="done", progress=1.0, result=ids, finished_at=time.time()
                )
                if job_id in self._want_outcome:
                    self._outcomes[job_id] = outcome
        if live is not None:
            self._wake(job_id)
        self.library.commit_record(pending, finish)
        if live is None:
            with self._lock:
                if job_id in self._want_outcome:  # its submitter waits: spare a read back
                    self._outcomes[job_id] = outcome
