"""The worker side of `LocalJobQueue`: the threads that claim, run, record and end jobs,
and what they keep about each job in memory (`Held`)."""

from __future__ import annotations

import io
import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Final

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from sakuga.engines.base import Engine, Progress
from sakuga.errors import CancelledError, SakugaError, SpecError, TimeLimitError, failure_code
from sakuga.studio.jobs.base import Job, JobPayload, Outcome, Preview, ended_row
from sakuga.studio.library.db import jobs, transaction
from sakuga.studio.library.library import Library
from sakuga.studio.service.running import JobProgress, run_plan
from sakuga.studio.service.studio import Plan, Studio

logger = logging.getLogger(__name__)

#: How often an idle worker retries writing job ends that could not be written.
RETRY_SECONDS: Final = 2.0

# The statements every job runs, built once (SQLAlchemy caches their compiled forms).
INSERT_JOB = insert(jobs)
_CLAIM = (
    update(jobs)
    .where((jobs.c.id == bindparam("job_id")) & (jobs.c.status == "queued"))
    .values(status="running", started_at=bindparam("claimed_at"), progress=0.0)
)
_FINISH = (
    update(jobs)
    .where(jobs.c.id == bindparam("job_id"))
    .values(
        status="done",
        progress=1.0,
        result=bindparam("ids"),
        finished_at=bindparam("at"),
    )
)
_END = (
    update(jobs)
    .where(jobs.c.id == bindparam("job_id"))
    .values(
        status=bindparam("to_status"),
        error=bindparam("to_error"),
        error_code=bindparam("to_code"),
        finished_at=bindparam("at"),
    )
)
SELECT_JOB = select(jobs).where(jobs.c.id == bindparam("job_id"))


@dataclass
class Held:
    """All this queue keeps in memory about one job, from its submit (or first mention)
    until nothing is left to hand out: its end written, its outcome taken."""

    payload: dict[str, Any] | None = None  # None: queued before this process started
    plan: Plan | None = None  # the payload's plan, as its submitter made it
    pixels: int = 0  # output pixels while it waits for a worker (0 once taken)
    live: Job | None = None  # a job submitted durable=False: its state, until written
    cancelled: bool = False
    callbacks: list[Callable[[], None]] = field(default_factory=list)
    wants_outcome: bool = False
    outcome: Outcome | None = None
    preview: Preview | None = None  # the latest, while it runs
    ended: bool = False
    unrecorded: tuple[str, str | None] | None = None  # an end that could not be written
    #: An answered job's images and row that could not be written (a full disk): the
    #: library record and how to finish it, written once there is room.
    unwritten: tuple[Any, Callable[[Connection, list[str]], None]] | None = None


#: Output pixels from which a job says that it is saving (about four 1024² images).
SAVING_SAYS_SO: Final = 4_000_000


class Workers:
    """The workers of a `LocalJobQueue` (its base class; the fields are set there)."""

    library: Library
    studio: Studio
    _todo: queue.Queue[str | None]
    _held: dict[str, Held]
    _lock: threading.Lock
    _engines: dict[str, Engine]
    _engine_factory: Callable[[str], Engine]
    _job_seconds: float | None
    max_job_seconds: float
    _waiting_pixels: int
    _running: dict[str, float]  # job id → when a worker took it (monotonic)
    _per_image: dict[tuple[str, str, int], float]  # seconds per image, by kind of job

    def get(self, job_id: str) -> Job:
        raise NotImplementedError

    # ---- the workers -----------------------------------------------------------------

    def _engine(self, name: str) -> Engine:
        """One engine instance per name for the queue's life, so engines that load
        models (diffusers) keep them between jobs; engines guard their own state."""
        with self._lock:
            if name not in self._engines:
                self._engines[name] = self._engine_factory(name)
            return self._engines[name]

    def _hold(self, job_id: str) -> Held:
        """The job's entry, made on its first mention (call with the lock held)."""
        held = self._held.get(job_id)
        if held is None:
            held = self._held[job_id] = Held()
        return held

    def _release(self, job_id: str) -> None:
        """Drop the job's entry once nothing is left in it (lock held): no one waiting, no
        outcome, no unwritten end, no cancel or payload still to act on."""
        held = self._held.get(job_id)
        if held is None:
            return
        if held == Held(ended=held.ended):  # nothing in it but (perhaps) its end
            del self._held[job_id]

    def take_outcome(self, job_id: str) -> Outcome | None:
        """The generations of a job that ended done, kept in memory for whoever asked
        to be told of its end (`on_end`), once; None otherwise."""
        with self._lock:
            held = self._held.get(job_id)
            if held is None:
                return None
            outcome, held.outcome = held.outcome, None
            held.preview = None
            self._release(job_id)
            return outcome

    def preview(self, job_id: str) -> Preview | None:
        """The latest preview of a running job, or None."""
        with self._lock:
            held = self._held.get(job_id)
            return held.preview if held is not None else None

    def _keep_preview(self, job_id: str, p: Progress) -> None:
        """Keep a running job's newest preview (in memory, the latest only)."""
        assert p.preview is not None
        buffer = io.BytesIO()
        p.preview.convert("RGB").save(buffer, format="PNG", compress_level=1)
        with self._lock:
            held = self._held.get(job_id)
            if held is not None:
                count = held.preview.number + 1 if held.preview else 1
                held.preview = Preview(count, buffer.getvalue(), p.step, p.total)

    def _cancelled(self, job_id: str) -> bool:
        with self._lock:
            held = self._held.get(job_id)
            return held is not None and held.cancelled

    def estimate(self, payload: JobPayload | Mapping[str, Any]) -> float | None:
        """Seconds a job of ``payload`` should take, from recent jobs like it (its engine,
        as asked, task and image size): their time per image times its count. None until
        one ran, and for a payload that cannot be read."""
        try:
            job = JobPayload.read(payload)
        except SpecError:
            return None
        with self._lock:
            per_image = self._per_image.get(job.kind())
        return None if per_image is None else per_image * job.images()

    def _learn(self, payload: Mapping[str, Any], seconds: float, images: int) -> None:
        """Fold a finished job's time per image into its kind's moving average."""
        kind, took = JobPayload.read(payload).kind(), seconds / max(1, images)
        with self._lock:
            average = self._per_image.get(kind)
            self._per_image[kind] = took if average is None else 0.7 * average + 0.3 * took

    def _progress(self, job_id: str, fraction: float, message: str) -> None:
        with self._lock:
            held = self._held.get(job_id)
            if held is not None and held.live is not None:
                held.live = replace(held.live, progress=fraction, message=message)
                return
        with transaction(self.library.db) as conn:
            conn.execute(
                update(jobs).where(jobs.c.id == job_id).values(progress=fraction, message=message)
            )

    def _end(
        self, job_id: str, status: str, error: str | None = None, code: str | None = None
    ) -> None:
        """Mark a job failed or cancelled: its row updated, or (in-memory job) written,
        and the in-memory job shows its end at once to whoever reads it next."""
        with self._lock:
            held = self._held.get(job_id)
            live = held.live if held is not None else None
            if held is not None and live is not None:
                live = held.live = replace(
                    live, status=status, error=error, error_code=code, finished_at=time.time()
                )
        with transaction(self.library.db) as conn:
            if live is None:
                conn.execute(
                    _END,
                    {
                        "job_id": job_id,
                        "to_status": status,
                        "to_error": error,
                        "to_code": code,
                        "at": time.time(),
                    },
                )
            else:
                conn.execute(INSERT_JOB, ended_row(live))

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
                held = self._hold(job_id)
                self._waiting_pixels -= held.pixels
                held.pixels = 0  # taken: no longer waiting
            started = time.monotonic()
            with self._lock:
                self._running[job_id] = started
            try:
                self._run(job_id)
            except Exception as exc:  # a worker must survive any one job
                if self._answered(job_id):  # its caller has the images; the library not
                    logger.warning("job %s answered, but not recorded: %s", job_id, exc)
                message = f"{type(exc).__name__}: {exc}"
                try:
                    self._end(job_id, "failed", message, failure_code(exc))
                except Exception as record_error:  # even its end cannot be written
                    logger.error(
                        "job %s failed; its end is not recorded yet: %s", job_id, record_error
                    )
                    with self._lock:
                        self._hold(job_id).unrecorded = ("failed", message)
            finally:
                self._wake(job_id)
                with self._lock:
                    self._running.pop(job_id, None)
                    held = self._hold(job_id)
                    if held.unwritten is None:
                        held.live = None  # its row is written by now
                    held.cancelled = False
                    held.payload = None
                    held.plan = None
                    held.ended = True
                    self._release(job_id)
                    took = time.monotonic() - started
                    average = self._job_seconds
                    self._job_seconds = took if average is None else 0.8 * average + 0.2 * took

    def _record_pending_ends(self) -> None:
        """Write the ends, and the answered jobs' images, that could not be written
        before (once the disk has room)."""
        with self._lock:
            # Answered jobs' images first, then ends; each write with the field it clears.
            pending: list[tuple[str, str, Callable[[], object]]] = [
                (i, "unwritten", partial(self.library.commit_record, *h.unwritten))
                for i, h in self._held.items()
                if h.unwritten
            ]
            pending += [
                (i, "unrecorded", partial(self._end, i, *h.unrecorded))
                for i, h in self._held.items()
                if h.unrecorded
            ]
        for job_id, slot, write in pending:
            try:
                write()
            except Exception:
                return  # still no room: the next round tries again
            with self._lock:
                held = self._held.get(job_id)
                if held is not None:
                    setattr(held, slot, None)
                    self._release(job_id)

    def _wake(self, job_id: str) -> None:
        """Call whoever waits on the job's end (once)."""
        with self._lock:
            held = self._held.get(job_id)
            callbacks: list[Callable[[], None]] = []
            if held is not None:
                callbacks, held.callbacks = held.callbacks, []
                if held.outcome is None:  # else kept with it, for a stream's last partial
                    held.preview = None
                held.wants_outcome = False
        for callback in callbacks:
            callback()

    def _answered(self, job_id: str) -> bool:
        """Whether an in-memory job's caller was already handed its images."""
        with self._lock:
            held = self._held.get(job_id)
            return held is not None and held.live is not None and held.live.status == "done"

    def _claim(self, job_id: str) -> bool:
        """Mark the job running; False if it was cancelled or another worker took it."""
        with self._lock:
            held = self._hold(job_id)
            live = held.live
            if live is not None and not held.cancelled:
                held.live = replace(live, status="running", started_at=time.time())
                return True
        if live is None:
            with transaction(self.library.db) as conn:
                return bool(
                    conn.execute(_CLAIM, {"job_id": job_id, "claimed_at": time.time()}).rowcount
                )
        self._end(job_id, "cancelled")  # an in-memory job cancelled while it waited
        return False

    def _run(self, job_id: str) -> None:
        if not self._claim(job_id):
            return
        with self._lock:
            held = self._hold(job_id)
            payload, plan = held.payload, held.plan
        if payload is None:  # queued before this process started: read it back
            payload = self.get(job_id).payload
        if plan is None:
            plan = self.studio.from_payload(payload)
        started = time.perf_counter()
        progress = JobProgress(
            partial(self._progress, job_id),
            cancelled=partial(self._cancelled, job_id),
            show=partial(self._keep_preview, job_id),
            max_seconds=self.max_job_seconds,
        )
        try:
            prepared = run_plan(self.studio, plan, progress)
        except TimeLimitError as exc:  # a time limit is a failure; a cancel is not
            self._end(job_id, "failed", str(exc), failure_code(exc))
            return
        except CancelledError:
            self._end(job_id, "cancelled")
            return
        except SakugaError as exc:
            self._end(job_id, "failed", str(exc), failure_code(exc))
            return
        result, pending = prepared.result, prepared.pending
        pixels = sum(image.width * image.height for image in result.images)
        if pixels >= SAVING_SAYS_SO:
            # Encoding and storing big images takes seconds (ten 3000² covers, 11 s):
            # say so, rather than sit at the engine's last figure. Small jobs skip the
            # write: they are saved before anyone could read it.
            count = len(result.images)
            self._progress(job_id, 0.97, f"saving {count} image{'s' * (count != 1)} to the library")

        def finish(conn: Connection, ids: list[str]) -> None:
            with self._lock:
                live = self._hold(job_id).live
            if live is None:
                conn.execute(
                    _FINISH,
                    {"job_id": job_id, "ids": json.dumps(ids), "at": time.time()},
                )
            else:
                conn.execute(INSERT_JOB, ended_row(live))

        outcome = Outcome(pending.generations, pending.images)
        with self._lock:
            held = self._hold(job_id)
            live = held.live
            if live is not None:
                # An in-memory job's caller has its images before the library's copy is
                # written: the answer does not wait on the disk (see the module's
                # docstring), and the row that follows says when they were ready.
                ids = [g.id for g in pending.generations]
                held.live = replace(
                    live, status="done", progress=1.0, result=ids, finished_at=time.time()
                )
                if held.wants_outcome:
                    held.outcome = outcome
        if live is not None:
            self._wake(job_id)
            try:
                self.library.commit_record(pending, finish)
            except (SakugaError, OSError, SQLAlchemyError) as exc:
                # Its caller has the images: keep them, and the row, for when the disk
                # has room (`_record_pending_ends`), rather than lose them from the library.
                logger.warning("job %s answered; recorded once there is room: %s", job_id, exc)
                with self._lock:
                    ended = self._hold(job_id).live
                    assert ended is not None

                    def finish_later(conn: Connection, ids: list[str]) -> None:
                        conn.execute(INSERT_JOB, ended_row(ended))

                    self._hold(job_id).unwritten = (pending, finish_later)
                return
        else:
            self.library.commit_record(pending, finish)
        if live is None:
            with self._lock:
                held = self._hold(job_id)
                if held.wants_outcome:  # its submitter waits: spare a read back
                    held.outcome = outcome
        self._learn(payload, time.perf_counter() - started, len(result.images))
