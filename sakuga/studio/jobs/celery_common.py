"""Jobs on a distributed queue: Celery with a Redis broker, GPU workers on other machines.
What the servers' side (`celery_server`) and the workers' side (`celery_worker`)
share: the queues' names, the Celery app, the broker's Redis, leases and previews.

``sakuga serve --queue redis://…`` queues and no longer generates; ``sakuga worker
--queue redis://…`` (one process per GPU) takes jobs for the engines it has and runs
them. Servers and workers share one library: its database (PostgreSQL for several
machines) and its files (object storage, `sakuga.studio.storage.objects`).

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
  ``task_reject_on_worker_lost``, one job at a time on a pool of one thread (the
  consumer stays free to answer ``inspect``, ``ping`` and the heartbeat while a job
  runs; acks-late with a prefetch of one holds the next message back until the job
  ends). The lease (not the broker's redelivery) is what recovers a dead worker's job,
  so the broker's visibility timeout is left long.
- Celery's own tools (``celery -A sakuga.worker inspect active``, Flower) load the app
  of `sakuga.worker`, whose broker is ``SAKUGA_QUEUE_URL``; task events are on, so
  they see each job sent, started and ended.

- Previews: a worker leaves the engine's latest preview in the broker's Redis (a hash
  per job, expiring, removed when the job ends), and a server reads it from there.

- Time estimates come from the jobs done like it (the median seconds per image of the
  last 20 with the same engine and task).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Final

from sakuga.errors import SakugaError
from sakuga.settings import settings
from sakuga.studio.jobs.base import JobPayload

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


def make_celery(url: str | None) -> Any:
    """The Celery app for the broker at ``url`` (``redis://:PASSWORD@HOST:6379/0``, or
    ``rediss://`` for TLS), with the settings GPU jobs need. None: the broker is
    ``SAKUGA_QUEUE_URL``, read when Celery first reads its configuration (not now)."""
    try:
        from celery import Celery
    except ImportError:
        from sakuga.install import install_hint

        raise QueueUnavailableError(
            f"a distributed queue needs Celery: {install_hint('queue')}"
        ) from None
    from sakuga.studio.jobs.broker import safe_transport

    app = Celery("sakuga", broker=url, set_as_current=False)
    if url is None:
        # A promise: Celery calls it on first use of its configuration, so importing an
        # app (`sakuga.worker`) connects to nothing and reads no setting. Celery's own
        # ``-b``/``CELERY_BROKER_URL`` still come first.
        app.add_defaults(_queue_url_setting)
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
        worker_pool="threads",  # one thread: the consumer answers control while a job runs
        worker_concurrency=1,
        # Events for Flower and `celery events`: a job's sending, start and end.
        worker_send_task_events=True,
        task_send_sent_event=True,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 12 * 3600},
        task_default_queue=ANY_QUEUE,
    )
    return app


def _queue_url_setting() -> dict[str, str]:
    url = settings().queue_url
    return {"broker_url": url} if url else {}


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
            f"the broker at {safe_url(url)} is used without a password: anyone who reaches it "
            "can queue jobs; give one in the URL (redis://:PASSWORD@HOST:6379/0)"
        )
    try:
        config = redis_client(url).config_get("appendonly")
    except redis.exceptions.RedisError:
        return warnings  # CONFIG may be disabled on a managed Redis: nothing to tell
    value = next(iter(config.values()), b"")
    if (value.decode() if isinstance(value, bytes) else str(value)) == "no":
        warnings.append(
            f"the broker at {safe_url(url)} keeps no append-only file: a restart loses the "
            f"messages of queued jobs, which this server sends again after "
            f"{lease_seconds():g} s (SAKUGA_JOB_LEASE); set appendonly yes to keep them"
        )
    return warnings


def safe_url(url: str) -> str:
    """``url`` without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class LeaseLostError(SakugaError):
    """This worker no longer holds the job it was finishing."""


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
                log.warning("the broker at %s answers now", safe_url(url))
            return True
        except Exception as exc:
            if not said:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                log.warning(
                    "no broker at %s (%s): retrying every %.0f s", safe_url(url), reason, every
                )
                said = True
        if tries is not None and attempt >= tries:
            return False
        time.sleep(every)
