"""The distributed queue's server side: `DistributedJobQueue`, the `JobQueue` a server
uses when its jobs run on `sakuga worker` processes (see `celery_common` for how jobs
travel). It writes each job's row and sends its id; reaps jobs whose worker's lease ran
out and resends messages a broker lost; reads previews and estimates."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import insert, select, update

from sakuga.errors import SpecError
from sakuga.studio.jobs.base import (
    Job,
    JobPayload,
    Outcome,
    Preview,
    check_backlog,
    checked_pixels,
    find_jobs,
    job_from_row,
)
from sakuga.studio.jobs.celery_common import (
    ANNOUNCE_PREFIX,
    ENDED,
    TASK,
    QueueUnavailableError,
    broker_job_ids,
    broker_warnings,
    lease_seconds,
    make_celery,
    preview_key,
    queue_for,
    redis_client,
    safe_url,
)
from sakuga.studio.library.db import jobs, transaction
from sakuga.studio.library.ids import new_id
from sakuga.studio.library.library import Library

log = logging.getLogger(__name__)


class DistributedJobQueue:
    """A `JobQueue` whose jobs run on `sakuga worker` processes, through the broker."""

    def __init__(
        self,
        library: Library,
        url: str,
        *,
        max_queued: int = 64,
        max_job_pixels: int = 64_000_000,
        max_queued_pixels: int = 1_000_000_000,
        poll: float = 0.2,
    ) -> None:
        self.library = library
        self.url = url
        self.max_queued = max_queued
        self.max_job_pixels = max_job_pixels
        self.max_queued_pixels = max_queued_pixels
        self.poll = poll
        self._app: Any = None
        self._watch: dict[str, list[Callable[[], None]]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client: Any = None
        self._announced: tuple[float, list[dict[str, Any]]] | None = None
        #: When this server last sent each queued job's message (monotonic seconds).
        self._sent: dict[str, float] = {}
        #: The queued jobs and their output pixels, as last read (`_read_backlog`), and
        #: each queued job's pixels by id (read once per job).
        self._backlog: tuple[int, int] = (0, 0)
        self._queued_pixels: dict[str, int] = {}

    def start(self) -> DistributedJobQueue:
        self._app = make_celery(self.url)
        for warning in broker_warnings(self.url):
            log.warning("%s", warning)
        self._read_backlog()
        self._thread = threading.Thread(target=self._loop, name="sakuga-queue", daemon=True)
        self._thread.start()
        return self

    def shutdown(self, grace: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=grace)

    def check_room(self, pixels: int = 0) -> None:
        """Raise `QueueFullError` when ``max_queued`` jobs wait already, or when ``pixels``
        more would take the waiting jobs' output past ``max_queued_pixels`` (a job alone
        always fits). Answered from memory: the backlog as this server's loop last read
        it (every ``poll`` seconds), so a server's door (`_ShedWhenFull`, on the event
        loop) never waits on the database. `submit` checks the table itself."""
        waiting, queued = self._backlog
        self._refuse(waiting, queued, pixels)

    def _refuse(self, waiting: int, queued: int, pixels: int) -> None:
        check_backlog(
            waiting,
            queued,
            pixels,
            max_queued=self.max_queued,
            max_queued_pixels=self.max_queued_pixels,
            retry_after=lambda: 5.0,
        )

    def _read_backlog(self) -> tuple[int, int]:
        """The queued jobs in the table (every server's): how many, and their output
        pixels (a payload that cannot be read counts as none; `reap` fails it). A
        payload never changes: each is read and counted once, when first seen queued."""
        with self.library.db.connect() as conn:
            queued = conn.execute(select(jobs.c.id).where(jobs.c.status == "queued")).scalars()
            ids = list(queued)
            known = self._queued_pixels
            new = [job_id for job_id in ids if job_id not in known]
            rows = (
                conn.execute(select(jobs.c.id, jobs.c.payload).where(jobs.c.id.in_(new))).all()
                if new
                else []
            )
        counted = {job_id: known[job_id] for job_id in ids if job_id in known}
        for row in rows:
            try:
                counted[row.id] = JobPayload.read(json.loads(row.payload)).pixels()
            except (ValueError, TypeError):  # SpecError is a ValueError
                counted[row.id] = 0
        self._queued_pixels = counted  # replaced whole: the loop and submits both read it
        self._backlog = (len(ids), sum(counted.get(job_id, 0) for job_id in ids))
        return self._backlog

    def submit(
        self,
        payload: JobPayload | Mapping[str, Any],
        on_end: Callable[[], None] | None = None,
        *,
        durable: bool = True,
        plan: Any = None,
    ) -> Job:
        """Write the job's row, then send its id to its workers' queue. Every job is
        durable here (its row is how a worker on another machine sees it); ``plan`` is
        not used (the worker reads the payload)."""
        job = JobPayload.read(payload)
        pixels = checked_pixels(job, self.max_job_pixels)
        stored = job.as_json()
        self._refuse(*self._read_backlog(), pixels)
        job_id = new_id()
        now = time.time()
        with transaction(self.library.db) as conn:
            conn.execute(
                insert(jobs).values(
                    id=job_id,
                    status="queued",
                    payload=json.dumps(stored),
                    progress=0.0,
                    created_at=now,
                )
            )
        if on_end is not None:
            with self._lock:
                self._watch.setdefault(job_id, []).append(on_end)
        try:
            self._send(job_id, job)
        except Exception as exc:
            self._end(job_id, "failed", f"the job queue is unavailable: {exc}")
            with self._lock:
                self._watch.pop(job_id, None)
            raise QueueUnavailableError(
                f"the job queue at {safe_url(self.url)} is unavailable; try again shortly"
            ) from None
        return Job(job_id, "queued", stored, 0.0, None, None, [], now, None, None)

    def _send(self, job_id: str, payload: JobPayload) -> None:
        queues = {q for w in self.workers() for q in w.get("queues", ())}
        self._app.send_task(TASK, args=[job_id], queue=queue_for(payload, queues))

    def capabilities(self) -> dict[str, dict[str, Any]]:
        """What the announced workers run: per engine, how many workers and the models
        they can load (a CPU-only server can offer the GPU workers' engines)."""
        found: dict[str, dict[str, Any]] = {}
        for worker in self.workers():
            for engine, models in (worker.get("engines") or {}).items():
                entry = found.setdefault(engine, {"workers": 0, "models": set()})
                entry["workers"] += 1
                entry["models"].update(models)
        return {
            e: {"workers": v["workers"], "models": sorted(v["models"])} for e, v in found.items()
        }

    def workers(self) -> list[dict[str, Any]]:
        """The workers that announced themselves in the last `ANNOUNCE_TTL` seconds:
        name, the queues they listen on (engines and models), when they last said so.
        Read at most every 2 s."""
        now = time.monotonic()
        cached = self._announced
        if cached is not None and now - cached[0] < 2.0:
            return cached[1]
        found: list[dict[str, Any]] = []
        try:
            client = self._redis()
            for key in client.scan_iter(match=f"{ANNOUNCE_PREFIX}*", count=100):
                raw = client.get(key)
                if raw:
                    found.append(json.loads(raw))
        except Exception as exc:
            log.warning("reading the workers' announcements: %s", exc)
        self._announced = (now, found)
        return found

    def get(self, job_id: str) -> Job:
        from sakuga.errors import NotFoundError

        with self.library.db.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        if row is None:
            raise NotFoundError(f"no job with id {job_id!r}")
        return job_from_row(row)

    def find(self, status: str | None = None, limit: int = 100) -> list[Job]:
        return find_jobs(self.library.db, status, limit)

    def cancel(self, job_id: str) -> Job:
        """A queued job ends cancelled now; a running one is asked to stop, and its
        worker ends it at the engine's next step."""
        job = self.get(job_id)
        if job.status in ENDED:
            return job
        with transaction(self.library.db) as conn:
            done = conn.execute(
                update(jobs)
                .where((jobs.c.id == job_id) & (jobs.c.status == "queued"))
                .values(status="cancelled", finished_at=time.time())
            )
            if done.rowcount == 0:
                conn.execute(
                    update(jobs)
                    .where((jobs.c.id == job_id) & (jobs.c.status == "running"))
                    .values(cancel_requested=1)
                )
        return self.get(job_id)

    def preview(self, job_id: str) -> Preview | None:
        """The running job's latest preview, as its worker left it in Redis."""
        try:
            found = self._redis().hgetall(preview_key(job_id))
        except Exception:  # no preview is better than a failed event stream
            return None
        if not found or b"png" not in found:
            return None
        return Preview(
            int(found[b"number"]), found[b"png"], int(found[b"step"]), int(found[b"total"])
        )

    def _redis(self) -> Any:
        if self._client is None:
            self._client = redis_client(self.url)
        return self._client

    def estimate(self, payload: JobPayload | Mapping[str, Any]) -> float | None:
        """Seconds a job of ``payload`` should take, from the last jobs done like it (the
        same engine as asked, task and image size): their seconds per image times its
        count. None when none ran, and for a payload that cannot be read."""
        try:
            asked = JobPayload.read(payload)
        except SpecError:
            return None
        kind = asked.kind()
        with self.library.db.connect() as conn:
            rows = conn.execute(
                select(jobs.c.payload, jobs.c.started_at, jobs.c.finished_at)
                .where(jobs.c.status == "done")
                .order_by(jobs.c.finished_at.desc())
                .limit(100)
            ).all()
        per_image = []
        for row in rows:
            if row.started_at is None or row.finished_at is None:
                continue
            try:
                done = JobPayload.read(json.loads(row.payload))
            except (TypeError, ValueError):
                continue
            if done.kind() != kind:
                continue
            per_image.append((row.finished_at - row.started_at) / done.images())
            if len(per_image) == 20:
                break
        if not per_image:
            return None
        return sorted(per_image)[len(per_image) // 2] * asked.images()

    def take_outcome(self, job_id: str) -> Outcome | None:
        return None  # the images are read from the library

    def healthy(self) -> dict[str, Any]:
        ok = True
        try:
            with self._app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception:
            ok = False
        return {
            "ok": ok,
            "queue": safe_url(self.url),
            "broker_ok": ok,
            "workers": len(self.workers()) if ok else 0,
        }

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job.status in ENDED or time.monotonic() >= deadline:
                return job
            time.sleep(self.poll)

    # -- the loop: wake waiters, and put a dead worker's jobs back in the queue ----------

    def _loop(self) -> None:
        last_reap = 0.0
        while not self._stop.wait(self.poll):
            try:
                self._wake_ended()
                self._read_backlog()
                if time.monotonic() - last_reap >= lease_seconds() / 3:
                    last_reap = time.monotonic()
                    self.reap()
            except Exception as exc:  # the loop must outlive a database hiccup
                log.warning("job queue loop: %s", exc)

    def _wake_ended(self) -> None:
        with self._lock:
            watched = list(self._watch)
        if not watched:
            return
        with self.library.db.connect() as conn:
            ended = {
                r.id
                for r in conn.execute(
                    select(jobs.c.id).where(jobs.c.id.in_(watched) & jobs.c.status.in_(ENDED))
                )
            }
        for job_id in ended:
            with self._lock:
                callbacks = self._watch.pop(job_id, [])
            for callback in callbacks:
                callback()

    def reap(self) -> list[str]:
        """Jobs whose worker stopped renewing its lease go back to the queue (each by
        exactly one server: the update is conditional), and queued jobs whose message
        the broker lost are sent again (`resend_lost`); their ids. A row whose payload
        cannot be read is failed and logged; the rest go on."""
        now = time.time()
        with self.library.db.connect() as conn:
            rows = conn.execute(
                select(jobs.c.id, jobs.c.payload).where(
                    (jobs.c.status == "running") & (jobs.c.lease_until < now)
                )
            ).all()
        stale = [(job_id, payload) for job_id, payload in self._readable(rows)]
        requeued = []
        for job_id, payload in stale:
            with transaction(self.library.db) as conn:
                taken = conn.execute(
                    update(jobs)
                    .where(
                        (jobs.c.id == job_id)
                        & (jobs.c.status == "running")
                        & (jobs.c.lease_until < now)
                    )
                    .values(status="queued", worker=None, lease_until=None, progress=0.0)
                ).rowcount
            if taken:
                log.warning("job %s: its worker stopped; queued again", job_id)
                self._send(job_id, payload)
                self._sent[job_id] = time.monotonic()
                requeued.append(job_id)
        return requeued + self.resend_lost()

    def _readable(self, rows: Any) -> list[tuple[str, JobPayload]]:
        """The rows' payloads; a row that is not a job payload is failed and logged
        (one poison row must not stop the reaper for every job)."""
        found = []
        for row in rows:
            try:
                payload = JobPayload.read(json.loads(row.payload))
            except (TypeError, ValueError) as exc:  # SpecError is a ValueError
                log.error("job %s: unreadable payload (%s); failed", row.id, exc)
                self._end(row.id, "failed", "the job's stored payload cannot be read")
                continue
            found.append((row.id, payload))
        return found

    def resend_lost(self) -> list[str]:
        """Queued jobs whose message is in no broker queue and with no worker (a broker
        restarted without persistence loses them) are sent again, once a job has waited
        a lease: the jobs table is the truth. A duplicate is harmless, as a worker claims
        a job only while it is queued; so this is exactly once in effect."""
        bound = lease_seconds()
        cutoff = time.time() - bound
        with self.library.db.connect() as conn:
            rows = conn.execute(
                select(jobs.c.id, jobs.c.payload).where(
                    (jobs.c.status == "queued") & (jobs.c.created_at < cutoff)
                )
            ).all()
        recent = time.monotonic() - bound
        with self._lock:  # forget the jobs that left the queue
            self._sent = {r.id: self._sent[r.id] for r in rows if r.id in self._sent}
        waiting = [r for r in rows if self._sent.get(r.id, -1e18) < recent]
        if not waiting:
            return []
        in_flight = broker_job_ids(self.url)
        if in_flight is None:
            return []  # the broker is down: nothing can be sent now anyway
        resent = []
        for job_id, payload in self._readable(r for r in waiting if r.id not in in_flight):
            log.warning("job %s: its message was lost (a broker restart?); sent again", job_id)
            self._send(job_id, payload)
            self._sent[job_id] = time.monotonic()
            resent.append(job_id)
        return resent

    def _end(self, job_id: str, status: str, error: str | None) -> None:
        with transaction(self.library.db) as conn:
            conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id)
                .values(status=status, error=error, finished_at=time.time())
            )
