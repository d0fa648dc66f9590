"""Jobs on a distributed queue: Celery with a Redis broker, GPU workers on other machines.

``sakuga serve --queue redis://…`` queues and no longer generates; ``sakuga worker
--queue redis://…`` (one process per GPU) takes jobs for the engines it has and runs
them. Servers and workers share one library: its database (PostgreSQL for several
machines) and its files (object storage, `sakuga.studio.objects`).

What travels where:

- The job is a row in the library's ``jobs`` table, written by the server before the
  message is sent; the Celery message carries only its id, as JSON (no pickle is ever
  accepted). The worker reads the row's payload and validates it (`JobPayload`, extra
  keys refused) before it runs anything.
- Queues by capability: a job that names its engine goes to ``sakuga.ENGINE``, one that
  does not to ``sakuga.any``, and one that names a model that some worker announced it
  serves to ``sakuga.ENGINE.MODEL``. A worker listens on the queues of the engines ready
  on its machine and of the models they can load there, and announces them in Redis
  (renewed every 10 s, gone 30 s after the worker), so a job only reaches a worker
  that can run it.
- A worker claims a job with a conditional update (queued → running, with its name and a
  lease) and renews the lease from a heartbeat thread while it runs, however long a
  step takes: a slow worker's job is never taken from it. If the worker dies (SIGKILL,
  a lost machine), its lease runs out and a server's reaper puts the job back in the
  queue for another worker. The images and the job's ``done`` mark are written in one
  transaction that only commits while this worker still holds the job, so a job redone
  elsewhere ends with exactly one set of images.
- Cancel: a queued job is cancelled in its row; a running one gets ``cancel_requested``,
  which the worker's heartbeat reads, and the engine stops at its next step.
- Celery settings for GPU work: ``worker_prefetch_multiplier=1``, ``task_acks_late`` with
  ``task_reject_on_worker_lost``, the solo pool with one job at a time. The lease (not
  the broker's redelivery) is what recovers a dead worker's job, so the broker's
  visibility timeout is left long.

- Previews: a worker leaves the engine's latest preview in the broker's Redis (a hash
  per job, expiring, removed when the job ends), and a server reads it from there.

- Time estimates come from the jobs done like it (the median seconds per image of the
  last 20 with the same engine and task).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Final

from sqlalchemy import insert, select, update

from sakuga.engines.base import Progress
from sakuga.errors import CancelledError, SakugaError, SpecError
from sakuga.settings import settings
from sakuga.studio.db import jobs, transaction
from sakuga.studio.ids import _new_id
from sakuga.studio.library import Library
from sakuga.studio.queueing import (
    Job,
    JobPayload,
    Outcome,
    Preview,
    QueueFullError,
    checked_pixels,
    find_jobs,
    job_from_row,
)
from sakuga.studio.running import JobProgress, run_plan

log = logging.getLogger(__name__)

TASK: Final = "sakuga.run_job"
ANY_QUEUE: Final = "sakuga.any"
ENDED: Final = ("done", "failed", "cancelled")


def lease_seconds() -> float:
    """How long a claim on a job lasts without a heartbeat (``SAKUGA_JOB_LEASE``, 30 s):
    the time a dead worker's job waits before another worker takes it."""
    return settings().lease


class QueueUnavailableError(SakugaError):
    """The broker could not be reached: the job was not accepted."""


#: Seconds a preview stays in Redis after its last update (a job's end removes it).
PREVIEW_TTL: Final = 120


def preview_key(job_id: str) -> str:
    return f"sakuga:preview:{job_id}"


def redis_client(url: str) -> Any:
    """A Redis client for the broker at ``url`` (previews travel through it)."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


#: Seconds a worker's announcement lasts unless renewed (it renews every third of it).
ANNOUNCE_TTL: Final = 30
ANNOUNCE_PREFIX: Final = "sakuga:worker:"


def queue_for(payload: JobPayload, announced: set[str] | frozenset[str] = frozenset()) -> str:
    """The queue of the workers that can run ``payload``: the queue of its engine and
    model when a worker announced that it serves that model, else its engine's, else
    ``sakuga.any``."""
    engine, model = payload.engine, payload.request.model
    if not engine:
        return ANY_QUEUE
    if model and model_queue(engine, model) in announced:
        return model_queue(engine, model)
    return f"sakuga.{engine}"


def model_queue(engine: str, model: str) -> str:
    """The queue of the workers that serve ``model`` on ``engine``."""
    slug = "".join(c if c.isalnum() or c in "._-" else "_" for c in model)[:120]
    return f"sakuga.{engine}.{slug}"


def make_celery(url: str) -> Any:
    """The Celery app for the broker at ``url`` (``redis://:PASSWORD@HOST:6379/0``, or
    ``rediss://`` for TLS), with the settings GPU jobs need."""
    try:
        from celery import Celery
    except ImportError:
        from sakuga.install import install_hint

        raise QueueUnavailableError(
            f"a distributed queue needs Celery: {install_hint('queue')}"
        ) from None
    from sakuga.studio.broker import safe_transport

    app = Celery("sakuga", broker=url, set_as_current=False)
    app.conf.update(
        # A bad entry in a queue is logged and skipped, not the end of the worker.
        broker_transport=safe_transport(),
        task_serializer="json",
        accept_content=["json"],  # a worker never unpickles a message
        result_serializer="json",
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_concurrency=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 12 * 3600},
        task_default_queue=ANY_QUEUE,
    )
    return app


# ---- the server's side ---------------------------------------------------------------


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
        #: The queued jobs and their output pixels, as last read (`_read_backlog`).
        self._backlog: tuple[int, int] = (0, 0)

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
        if waiting >= self.max_queued:
            raise QueueFullError(
                f"{waiting} jobs are waiting already; try again shortly", retry_after=5.0
            )
        if pixels and queued and queued + pixels > self.max_queued_pixels:
            raise QueueFullError(
                f"the waiting jobs ask for {queued / 1e6:.0f} megapixels already; "
                "try again shortly",
                retry_after=5.0,
            )

    def _read_backlog(self) -> tuple[int, int]:
        """The queued jobs in the table (every server's): how many, and their output
        pixels (a payload that cannot be read counts as none; `reap` fails it)."""
        with self.library.db.connect() as conn:
            rows = conn.execute(select(jobs.c.payload).where(jobs.c.status == "queued")).all()
        pixels = 0
        for row in rows:
            try:
                pixels += JobPayload.read(json.loads(row.payload)).pixels()
            except (ValueError, TypeError):  # SpecError is a ValueError
                continue
        self._backlog = (len(rows), pixels)
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
        job_id = _new_id()
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
                f"the job queue at {_safe(self.url)} is unavailable; try again shortly"
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
            per_image.append((row.finished_at - row.started_at) / done.request.n)
            if len(per_image) == 20:
                break
        if not per_image:
            return None
        return sorted(per_image)[len(per_image) // 2] * asked.request.n

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
            "queue": _safe(self.url),
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


def broker_job_ids(url: str) -> set[str] | None:
    """The job ids whose messages the broker holds: waiting in a ``sakuga*`` queue, or
    delivered to a worker and not yet acknowledged (kombu's ``unacked`` hash). None when
    the broker cannot be asked."""
    import redis

    try:
        client = redis_client(url)
        raw: list[bytes] = []
        for key in client.scan_iter(match="sakuga*", count=500):
            if client.type(key) == b"list":
                raw.extend(client.lrange(key, 0, -1))
        raw.extend(client.hvals("unacked"))
    except redis.exceptions.RedisError as exc:
        log.warning("cannot list the broker's messages: %s", exc)
        return None
    found: set[str] = set()
    for entry in raw:
        found |= _message_job_ids(entry)
    return found


def _message_job_ids(raw: bytes) -> set[str]:
    """The job ids in one kombu message as Redis keeps it (an envelope, or an unacked
    ``[envelope, exchange, routing key]``); an entry that is not one gives none."""
    import base64

    try:
        envelope = json.loads(raw)
        if isinstance(envelope, list):
            envelope = envelope[0]
        body = envelope["body"]
        if envelope.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args = json.loads(body)[0]
    except (ValueError, KeyError, IndexError, TypeError):
        return set()
    return {a for a in args if isinstance(a, str)} if isinstance(args, list) else set()


def broker_warnings(url: str) -> list[str]:
    """What an operator should know about the broker at start: no password on a
    broker beyond this machine, and no persistence (a restart loses the messages of
    queued jobs; the server then sends them again, after a lease)."""
    from urllib.parse import urlsplit

    import redis

    warnings = []
    parts = urlsplit(url)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not parts.password and not loopback:
        warnings.append(
            f"the broker at {_safe(url)} is used without a password: anyone who reaches it "
            "can queue jobs; give one in the URL (redis://:PASSWORD@HOST:6379/0)"
        )
    try:
        config = redis_client(url).config_get("appendonly")
    except redis.exceptions.RedisError:
        return warnings  # CONFIG may be disabled on a managed Redis: nothing to tell
    value = next(iter(config.values()), b"")
    if (value.decode() if isinstance(value, bytes) else str(value)) == "no":
        warnings.append(
            f"the broker at {_safe(url)} keeps no append-only file: a restart loses the "
            f"messages of queued jobs, which this server sends again after "
            f"{lease_seconds():g} s (SAKUGA_JOB_LEASE); set appendonly yes to keep them"
        )
    return warnings


def _safe(url: str) -> str:
    """``url`` without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


# ---- the worker's side ---------------------------------------------------------------


class Worker:
    """Runs jobs claimed from the library's ``jobs`` table: one at a time, with a lease
    renewed by a heartbeat thread, ended only while it still holds the job."""

    def __init__(self, library: Library, name: str | None = None, url: str | None = None) -> None:
        from sakuga.studio.service import Studio

        self.library = library
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.studio = Studio(library)
        #: Where previews go (the broker's Redis); None: no previews.
        self.previews = redis_client(url) if url else None

    def run(self, job_id: str) -> str:
        """Run the job if this worker can claim it; its status afterwards (or why it
        was left alone)."""
        lease = lease_seconds()
        now = time.time()
        with transaction(self.library.db) as conn:
            claimed = conn.execute(
                update(jobs)
                .where((jobs.c.id == job_id) & (jobs.c.status == "queued"))
                .values(
                    status="running",
                    worker=self.name,
                    lease_until=now + lease,
                    started_at=now,
                    progress=0.0,
                    message=None,
                    cancel_requested=0,
                )
            ).rowcount
        if not claimed:
            with self.library.db.connect() as conn:
                status = conn.execute(
                    select(jobs.c.status).where(jobs.c.id == job_id)
                ).scalar_one_or_none()
            if status is None:
                log.warning("job %s: a message for no job in the library; dropped", job_id)
                return "unknown job"
            return "not queued"  # ended, cancelled, or held by a live worker (a duplicate)
        stop = threading.Event()
        cancelled = threading.Event()
        beat = threading.Thread(
            target=self._heartbeat, args=(job_id, lease, stop, cancelled), daemon=True
        )
        beat.start()
        try:
            return self._run_claimed(job_id, cancelled)
        finally:
            stop.set()
            beat.join(timeout=5)
            if self.previews is not None:  # previews live while the job runs
                try:
                    self.previews.delete(preview_key(job_id))
                except Exception as exc:
                    log.warning("job %s preview: %s", job_id, exc)

    def _heartbeat(
        self, job_id: str, lease: float, stop: threading.Event, cancelled: threading.Event
    ) -> None:
        while not stop.wait(lease / 3):
            try:
                with transaction(self.library.db) as conn:
                    conn.execute(
                        update(jobs)
                        .where(self._mine(job_id))
                        .values(lease_until=time.time() + lease)
                    )
                with self.library.db.connect() as conn:
                    asked = conn.execute(
                        select(jobs.c.cancel_requested).where(jobs.c.id == job_id)
                    ).scalar_one_or_none()
                if asked:
                    cancelled.set()
            except Exception as exc:  # keep beating: the next beat may get through
                log.warning("job %s heartbeat: %s", job_id, exc)

    def _mine(self, job_id: str) -> Any:
        return (jobs.c.id == job_id) & (jobs.c.worker == self.name) & (jobs.c.status == "running")

    def _run_claimed(self, job_id: str, cancelled: threading.Event) -> str:
        with self.library.db.connect() as conn:
            payload = json.loads(
                conn.execute(select(jobs.c.payload).where(jobs.c.id == job_id)).scalar_one()
            )
        shown = [0]

        def show(p: Progress) -> None:
            shown[0] += 1
            self._show(job_id, p, shown[0])

        def write(fraction: float, message: str) -> None:
            with transaction(self.library.db) as conn:
                conn.execute(
                    update(jobs)
                    .where(self._mine(job_id))
                    .values(progress=fraction, message=message)
                )

        progress = JobProgress(
            write, cancelled=cancelled.is_set, show=show if self.previews is not None else None
        )
        try:
            plan = self.studio.from_payload(payload)  # validated: extra keys refused
            pending = run_plan(self.studio, plan, progress).pending
        except CancelledError:
            return self._end(job_id, "cancelled", None)
        except SakugaError as exc:
            return self._end(job_id, "failed", str(exc))
        except Exception as exc:
            return self._end(job_id, "failed", f"{type(exc).__name__}: {exc}")

        def finish(conn: Any, ids: list[str]) -> None:
            done = conn.execute(
                update(jobs)
                .where(self._mine(job_id))
                .values(
                    status="done",
                    progress=1.0,
                    result=json.dumps(ids),
                    finished_at=time.time(),
                    lease_until=None,
                )
            ).rowcount
            if not done:  # the lease was lost: another worker has the job now
                raise LeaseLostError(f"job {job_id}: no longer held by {self.name}")

        try:
            self.library.commit_record(pending, finish)
        except LeaseLostError as exc:
            log.warning("%s; its images are not recorded", exc)
            return "lease lost"
        except SakugaError as exc:
            return self._end(job_id, "failed", str(exc))
        return "done"

    def _show(self, job_id: str, p: Any, number: int) -> None:
        """Leave the engine's latest preview where the servers read it."""
        import io

        buffer = io.BytesIO()
        p.preview.convert("RGB").save(buffer, format="PNG", compress_level=1)
        key = preview_key(job_id)
        try:
            assert self.previews is not None
            self.previews.hset(
                key,
                mapping={"png": buffer.getvalue(), "number": number, "step": p.step,
                         "total": p.total},
            )  # fmt: skip
            self.previews.expire(key, PREVIEW_TTL)
        except Exception as exc:  # a preview is never worth failing a job
            log.warning("job %s preview: %s", job_id, exc)

    def _end(self, job_id: str, status: str, error: str | None) -> str:
        with transaction(self.library.db) as conn:
            conn.execute(
                update(jobs)
                .where(self._mine(job_id))
                .values(status=status, error=error, finished_at=time.time(), lease_until=None)
            )
        return status


class LeaseLostError(SakugaError):
    """This worker no longer holds the job it was finishing."""


def worker_queues() -> list[str]:
    """The queues this machine's worker listens on: ``any``, each ready engine's, and
    each model's that an engine can load here (a diffusers checkpoint in the model
    folder), so a job for a model goes to a worker that has it."""
    from sakuga.engines.registry import all_engines

    queues = [ANY_QUEUE]
    for engine in all_engines():
        try:
            models = engine.models()
        except Exception:  # an engine that cannot list its models still runs jobs
            models = []
        if engine.availability().ok or models:
            queues.append(f"sakuga.{engine.name}")
            queues += [model_queue(engine.name, m) for m in models]
    return queues


def engines_served(queues: list[str]) -> dict[str, list[str]]:
    """The engines a worker on ``queues`` runs jobs for, each with the models it can
    load here (what the servers' engine list shows the page)."""
    from sakuga.engines.registry import engine_names, get_engine

    served: dict[str, list[str]] = {}
    for name in engine_names():
        if f"sakuga.{name}" not in queues:
            continue
        try:
            served[name] = get_engine(name).models()
        except Exception:  # an engine that cannot list its models still runs jobs
            served[name] = []
    return served


def announce(url: str, name: str, queues: list[str], stop: threading.Event) -> None:
    """Say, every third of `ANNOUNCE_TTL`, that worker ``name`` listens on ``queues``."""
    client = redis_client(url)
    key = f"{ANNOUNCE_PREFIX}{name}"
    body = json.dumps(
        {
            "name": name,
            "queues": queues,
            "engines": engines_served(queues),
            "host": socket.gethostname(),
        }
    )
    while True:
        try:
            client.set(key, body, ex=ANNOUNCE_TTL)
        except Exception as exc:
            log.warning("announcing worker %s: %s", name, exc)
        if stop.wait(ANNOUNCE_TTL / 3):
            break
    with contextlib.suppress(Exception):  # gone with the worker: expiry is the fallback
        client.delete(key)


def wait_for_broker(url: str, every: float = 2.0, tries: int | None = None) -> bool:
    """Return once the broker at ``url`` answers. While it does not, say so in one line
    (once, not one multi-line log per try) and retry quietly every ``every`` seconds;
    with ``tries``, give up after that many and return False."""
    said = False
    attempt = 0
    while True:
        attempt += 1
        try:
            redis_client(url).ping()
            if said:
                log.warning("the broker at %s answers now", _safe(url))
            return True
        except Exception as exc:
            if not said:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                log.warning(
                    "no broker at %s (%s): retrying every %.0f s", _safe(url), reason, every
                )
                said = True
        if tries is not None and attempt >= tries:
            return False
        time.sleep(every)


def run_worker(url: str, library: Library, queues: list[str] | None = None) -> None:
    """A Celery worker (the solo pool: one job at a time, in this process) for ``url``."""
    app = make_celery(url)
    worker = Worker(library, url=url)

    @app.task(name=TASK, acks_late=True, reject_on_worker_lost=True)
    def run_job(job_id: str) -> str:
        if not isinstance(job_id, str) or len(job_id) > 64:
            raise ValueError("a job id is a short string")
        return worker.run(job_id)

    listen = queues or worker_queues()
    wait_for_broker(url)
    log.info("worker %s listening on %s", worker.name, ", ".join(listen))
    stop = threading.Event()
    threading.Thread(
        target=announce, args=(url, worker.name, listen, stop), name="announce", daemon=True
    ).start()
    try:
        _run_celery(app, worker, listen)
    finally:
        stop.set()


def _run_celery(app: Any, worker: Worker, listen: list[str]) -> None:
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--prefetch-multiplier=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            f"--hostname=sakuga-{worker.name}@%h",
            "-Q",
            ",".join(listen),
        ]
    )
