"""Generation jobs: queued, running, done, failed or cancelled, persisted in the library.

`JobQueue` is the boundary: the in-process `LocalJobQueue` runs jobs on a bounded
pool of worker threads; a distributed queue (Celery with Redis, Ray) can take its
place by implementing the same `JobQueue` methods against the same ``jobs`` table.

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

import json
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import select, update

from sakuga.engines.base import Engine
from sakuga.engines.registry import get_engine
from sakuga.studio.jobs.base import (
    MAX_JOB_PIXELS,
    MAX_QUEUED_PIXELS,
    STATUSES,
    Job,
    JobPayload,
    JobQueue,
    JobTooLargeError,
    Outcome,
    QueueFullError,
    check_backlog,
    checked_pixels,
    find_jobs,
    job_from_row,
)
from sakuga.studio.jobs.local_workers import INSERT_JOB, SELECT_JOB, Held, Workers
from sakuga.studio.library.db import jobs, transaction
from sakuga.studio.library.library import Library, NotFoundError, new_id
from sakuga.studio.service.studio import Plan, Studio

__all__ = [
    "MAX_JOB_PIXELS",
    "MAX_QUEUED_PIXELS",
    "STATUSES",
    "Job",
    "JobPayload",
    "JobQueue",
    "JobTooLargeError",
    "LocalJobQueue",
    "Outcome",
    "QueueFullError",
]


#: The longest a job may run (seconds) before it is stopped and failed: a slow GPU
#: makes a 3000² cover with a hires pass in minutes, not half an hour.
MAX_JOB_SECONDS: float = 1800.0
#: How long past the limit a job may run (its engine between two steps) before health
#: reports its worker as wedged.
STUCK_GRACE: float = 60.0


class LocalJobQueue(Workers):
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
        max_job_seconds: float = MAX_JOB_SECONDS,
    ) -> None:
        self.library = library
        #: A running job that reports progress past this is stopped and failed.
        self.max_job_seconds = max_job_seconds
        self.max_queued = max_queued
        self.max_job_pixels = max_job_pixels
        self.max_queued_pixels = max_queued_pixels
        self._engine_factory = engine_factory
        self._todo: queue.Queue[str | None] = queue.Queue()
        self._engines: dict[str, Engine] = {}
        #: Every job this queue holds something for, by id (see `Held`).
        self._held: dict[str, Held] = {}
        self._reserved = 0  # submits between their room check and their queue put
        self._reserved_pixels = 0
        #: The waiting jobs' output pixels, kept as they come and go (a request's room
        #: check is then one addition, not a walk over every held job).
        self._waiting_pixels = 0
        self._running: dict[str, float] = {}
        self._job_seconds: float | None = None  # moving average of a job's wall time
        self._per_image: dict[tuple[str, str, int], float] = {}  # for `estimate`
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
        payload: JobPayload | Mapping[str, Any],
        on_end: Callable[[], None] | None = None,
        *,
        durable: bool = True,
        plan: Plan | None = None,
    ) -> Job:
        """Queue a job. ``on_end`` (registered before the job can start, so it cannot be
        missed) is called from the worker when the job ends, with the job's generations
        then waiting in `take_outcome`.

        ``durable=False``: the job is kept in memory, not written, until it ends (for a
        caller that waits on it; see the module's docstring). Such a submit touches no
        database, so an event loop may call it directly.

        ``plan``: the payload's plan as the caller made it (`Studio.stored`); the worker
        runs it as it is instead of reading the payload's images back and decoding them."""
        job_payload = JobPayload.read(payload)
        pixels = checked_pixels(job_payload, self.max_job_pixels)
        stored = job_payload.as_json()
        with self._lock:
            self._check_room(pixels)
            self._reserved += 1  # a place in the backlog, held until the job is queued
            self._reserved_pixels += pixels
        try:
            job_id = new_id()
            job = Job(job_id, "queued", stored, 0.0, None, None, [], time.time(), None, None)
            if durable:
                with transaction(self.library.db) as conn:
                    conn.execute(
                        INSERT_JOB,
                        {
                            "id": job_id,
                            "status": "queued",
                            "payload": json.dumps(stored),
                            "progress": 0.0,
                            "created_at": job.created_at,
                        },
                    )
            with self._lock:
                held = self._hold(job_id)
                held.payload = stored
                held.plan = plan
                held.pixels = pixels
                self._waiting_pixels += pixels
                if not durable:
                    held.live = job
                if on_end is not None:
                    held.callbacks.append(on_end)
                    held.wants_outcome = True
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
        with self._lock:  # the workers change the held jobs while this counts them
            self._check_room(pixels)

    def _check_room(self, pixels: int) -> None:
        """`check_room`, with the lock held."""
        check_backlog(
            self._waiting(),
            self._waiting_pixels + self._reserved_pixels,
            pixels,
            max_queued=self.max_queued,
            max_queued_pixels=self.max_queued_pixels,
            retry_after=self.retry_after,
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
            held = self._held.get(job_id)
            live = held.live if held is not None else None
            unrecorded = held.unrecorded if held is not None else None
        if live is not None:
            return live
        with self.library.db.connect() as conn:
            row = conn.execute(SELECT_JOB, {"job_id": job_id}).first()
        if row is None:
            raise NotFoundError(f"no job with id {job_id!r}")
        if unrecorded is not None:
            status, error = unrecorded
            return replace(job_from_row(row), status=status, error=error)
        return job_from_row(row)

    def healthy(self) -> dict[str, Any]:
        """Whether every worker runs, none is wedged on a job past the time limit, and
        every ended job is recorded."""
        limit = time.monotonic() - self.max_job_seconds - STUCK_GRACE
        with self._lock:
            unrecorded = sum(
                h.unrecorded is not None or h.unwritten is not None for h in self._held.values()
            )
            stuck = sum(started < limit for started in self._running.values())
        alive = sum(t.is_alive() for t in self._threads)
        return {
            "ok": alive == len(self._threads) and unrecorded == 0 and stuck == 0,
            "workers": len(self._threads),
            "workers_alive": alive,
            "unrecorded_jobs": unrecorded,
            # Running past the time limit without a step to stop at: a wedged engine.
            "jobs_past_limit": stuck,
        }

    def capabilities(self) -> dict[str, dict[str, Any]] | None:
        """None: this process runs the jobs, with the engines ready here."""
        return None

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        if job.status in ("done", "failed", "cancelled"):
            return job
        with self._lock:
            held = self._hold(job_id)
            held.cancelled = True
            if held.live is not None:  # its worker ends it, and writes its row
                return held.live
        with transaction(self.library.db) as conn:
            conn.execute(
                update(jobs)
                .where((jobs.c.id == job_id) & (jobs.c.status == "queued"))
                .values(status="cancelled", finished_at=time.time())
            )
        return self.get(job_id)

    def find(self, status: str | None = None, limit: int = 100) -> list[Job]:
        return find_jobs(self.library.db, status, limit)

    def on_end(self, job_id: str, callback: Callable[[], None]) -> None:
        """Call ``callback`` (from a worker thread) when this queue's worker ends the job.
        Register first, then read the job: a job that ended in between is seen there."""
        with self._lock:
            self._hold(job_id).callbacks.append(callback)

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job ends. Woken at once by this queue's workers; a job run by
        another process is noticed by polling."""
        deadline = time.monotonic() + timeout
        ended = threading.Event()
        self.on_end(job_id, ended.set)
        try:
            while True:
                job = self.get(job_id)
                left = deadline - time.monotonic()
                if job.status in ("done", "failed", "cancelled") or left <= 0:
                    return job
                ended.wait(min(0.5, left))
        finally:
            with self._lock:
                held = self._held.get(job_id)
                if held is not None and ended.set in held.callbacks:
                    held.callbacks.remove(ended.set)
                self._release(job_id)

    def shutdown(self, grace: float = 10.0) -> None:
        """Stop the workers: each ends after its current job; after ``grace`` seconds in
        all, shutdown returns anyway (the workers are daemon threads)."""
        for _ in self._threads:
            self._todo.put(None)
        if self._started:
            deadline = time.monotonic() + grace
            for thread in self._threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
