"""The distributed queue's worker side: `sakuga worker` (`run_worker`) listens on the
queues of the engines and models ready on its machine, announces them, claims each job
with a lease, renews it from a heartbeat while the job runs (`running.run_plan`, as
every queue runs a plan) and records the images only while it still holds the job."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update

from sakuga.engines.base import Progress
from sakuga.errors import CancelledError, SakugaError, failure_code
from sakuga.studio.jobs.celery_common import (
    ANNOUNCE_PREFIX,
    ANNOUNCE_TTL,
    ANY_QUEUE,
    PREVIEW_TTL,
    TASK,
    LeaseLostError,
    lease_seconds,
    make_celery,
    model_queue,
    preview_key,
    redis_client,
    wait_for_broker,
)
from sakuga.studio.library.db import jobs, transaction
from sakuga.studio.library.library import Library
from sakuga.studio.service.running import JobProgress, run_plan

log = logging.getLogger(__name__)


class Worker:
    """Runs jobs claimed from the library's ``jobs`` table: one at a time, with a lease
    renewed by a heartbeat thread, ended only while it still holds the job."""

    def __init__(self, library: Library, name: str | None = None, url: str | None = None) -> None:
        from sakuga.studio.service.studio import Studio

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
            self._drop_preview(job_id)  # however it ended

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
            return self._end(job_id, "failed", str(exc), failure_code(exc))
        except Exception as exc:
            return self._end(job_id, "failed", f"{type(exc).__name__}: {exc}", failure_code(exc))

        self._drop_preview(job_id)  # gone before the job is seen done, not just after

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
            return self._end(job_id, "failed", str(exc), failure_code(exc))
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

    def _drop_preview(self, job_id: str) -> None:
        """Previews live while the job runs: removed as it ends (a server reading one
        after the job's end would show a finished job as still drawing)."""
        if self.previews is None:
            return
        try:
            self.previews.delete(preview_key(job_id))
        except Exception as exc:
            log.warning("job %s preview: %s", job_id, exc)

    def _end(self, job_id: str, status: str, error: str | None, code: str | None = None) -> str:
        self._drop_preview(job_id)
        with transaction(self.library.db) as conn:
            conn.execute(
                update(jobs)
                .where(self._mine(job_id))
                .values(
                    status=status,
                    error=error,
                    error_code=code,
                    finished_at=time.time(),
                    lease_until=None,
                )
            )
        return status


def worker_queues() -> list[str]:
    """The queues this machine's worker listens on: ``any``, each ready engine's, and
    each model's that an engine can load here (a diffusers checkpoint in the model
    folder), so a job for a model goes to a worker that has it (`engines_here`)."""
    from sakuga.engines.registry import engines_here

    queues = [ANY_QUEUE]
    for engine, _, models in engines_here():
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


def register_job_task(app: Any, worker: Callable[[], Worker]) -> Any:
    """Register on ``app`` the one task every Sakuga worker runs (`TASK`): a job id in,
    the job run by ``worker()`` (called per job, so an app can build its worker on
    first use)."""

    @app.task(name=TASK, acks_late=True, reject_on_worker_lost=True)
    def run_job(job_id: str) -> str:
        if not isinstance(job_id, str) or len(job_id) > 64:
            raise ValueError("a job id is a short string")
        return worker().run(job_id)

    return run_job


def tools_app() -> Any:
    """The app Celery's own tools load (`sakuga.worker`): broker ``SAKUGA_QUEUE_URL``,
    the job task registered; its `Worker` (and the library it opens) is built on the
    first job, so making the app reads no setting and connects to nothing."""
    app = make_celery(None)
    lock = threading.Lock()
    made: list[Worker] = []

    def worker() -> Worker:
        with lock:
            if not made:
                made.append(Worker(Library.open(), url=app.conf.broker_url))
            return made[0]

    register_job_task(app, worker)
    return app


def run_worker(url: str, library: Library, queues: list[str] | None = None) -> None:
    """A Celery worker for ``url``: one job at a time, in this process."""
    app = make_celery(url)
    worker = Worker(library, url=url)
    register_job_task(app, lambda: worker)
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
            # One job thread: the consumer's own thread stays free for control commands.
            "--pool=threads",
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
