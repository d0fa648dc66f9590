"""The `JobQueue` conformance suite (#33): what every queue promises, run against the
in-process `LocalJobQueue` and the `DistributedJobQueue` (on Debian's redis-server on
loopback). No queue here has workers running, so a submitted job stays queued: the
suite checks the queue itself — submit, get, find, wait, cancel, both caps, the
estimate — and that its door (`check_room`, called on the server's event loop) never
waits on the database."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from sakuga.studio.jobs.base import JobQueue, JobTooLargeError, QueueFullError
from sakuga.studio.library.library import Library

#: One payload's output: 2 images of 32 × 32.
PIXELS = 2 * 32 * 32


def _payload(seed: int = 1) -> dict[str, Any]:
    request = {
        "task": "text-to-image",
        "spec": {"hair": "pink"},
        "size": [32, 32],
        "n": 2,
        "seed": seed,
        "options": {},
    }
    return {"engine": "fake", "request": request}


def _redis_missing() -> bool:
    return shutil.which("redis-server") is None and not os.environ.get("SAKUGA_REQUIRE_REDIS")


@pytest.fixture(params=["local", "distributed"])
def make_queue(
    request: pytest.FixtureRequest, library: Library, tmp_path: Path
) -> Iterator[Callable[..., JobQueue]]:
    """A factory of queues of the parametrized kind, on ``library``, with no workers."""
    made: list[Any] = []
    redis = None
    if request.param == "distributed":
        if _redis_missing():
            pytest.skip("no redis-server (apt-get install redis-server)")
        from tests.studio.test_distributed import Redis

        redis = Redis(tmp_path / "redis", persist=False).start()

    def make(**limits: int) -> JobQueue:
        queue: Any
        if request.param == "local":
            from sakuga.studio.jobs.local import LocalJobQueue

            queue = LocalJobQueue(library, workers=1, **limits)  # never started: no worker
        else:
            from sakuga.studio.jobs.celery_server import DistributedJobQueue

            assert redis is not None
            queue = DistributedJobQueue(library, redis.url, poll=0.05, **limits).start()
        made.append(queue)
        return queue  # type: ignore[no-any-return]

    yield make
    for queue in made:
        queue.shutdown(grace=1)
    if redis is not None:
        redis.kill()


def test_submit_get_find_wait_and_cancel(make_queue: Callable[..., JobQueue]) -> None:
    queue = make_queue()
    job = queue.submit(_payload())
    assert job.status == "queued"
    assert queue.get(job.id).status == "queued"
    assert queue.get(job.id).payload["request"]["seed"] == 1
    assert job.id in [j.id for j in queue.find("queued")]
    assert job.id not in [j.id for j in queue.find("done")]
    started = time.monotonic()
    assert queue.wait(job.id, timeout=0.3).status == "queued"  # no worker: still waiting
    assert time.monotonic() - started < 5
    assert queue.cancel(job.id).status == "cancelled"
    assert queue.wait(job.id, timeout=5).status == "cancelled"
    assert job.id in [j.id for j in queue.find("cancelled")]


def test_the_count_cap(make_queue: Callable[..., JobQueue]) -> None:
    queue = make_queue(max_queued=2)
    queue.submit(_payload(1))
    queue.submit(_payload(2))
    with pytest.raises(QueueFullError, match="2 jobs are waiting"):
        queue.submit(_payload(3))


def test_the_pixel_cap_of_all_waiting_jobs(make_queue: Callable[..., JobQueue]) -> None:
    """``max_queued_pixels`` bounds the waiting jobs' output together (the distributed
    queue stored it and never looked: `--max-queued-megapixels` did nothing there)."""
    queue = make_queue(max_queued_pixels=int(PIXELS * 2.5))
    first, second = queue.submit(_payload(1)), queue.submit(_payload(2))
    with pytest.raises(QueueFullError, match="megapixels"):
        queue.submit(_payload(3))
    # A job alone always fits, however large, up to the per-job cap.
    queue.cancel(first.id)
    queue.cancel(second.id)
    alone = make_queue(max_queued_pixels=PIXELS // 2)
    alone.submit(_payload(4))


def test_the_pixel_cap_of_one_job(make_queue: Callable[..., JobQueue]) -> None:
    queue = make_queue(max_job_pixels=PIXELS - 1)
    with pytest.raises(JobTooLargeError, match="megapixels"):
        queue.submit(_payload())
    assert queue.find("queued") == []


def test_no_estimate_before_any_job_ran(make_queue: Callable[..., JobQueue]) -> None:
    assert make_queue().estimate(_payload()) is None


def test_the_door_never_waits_on_the_database(
    make_queue: Callable[..., JobQueue], library: Library
) -> None:
    """`check_room` runs on the server's event loop for every job-queueing request:
    with a database that takes 0.4 s a statement, it still answers — room or no room
    — in under 50 ms (the distributed queue counted its rows in SQL there)."""
    queue = make_queue(max_queued=2, max_queued_pixels=int(PIXELS * 10))
    queue.submit(_payload(1))

    def slow(*_args: object) -> None:
        time.sleep(0.4)

    event.listen(library.db, "before_cursor_execute", slow)
    try:
        for pixels in (0, PIXELS):
            started = time.monotonic()
            queue.check_room(pixels)
            assert time.monotonic() - started < 0.05
    finally:
        event.remove(library.db, "before_cursor_execute", slow)
    queue.submit(_payload(2))
    time.sleep(0.3)  # the distributed queue's loop reads the backlog every 0.05 s
    started = time.monotonic()
    event.listen(library.db, "before_cursor_execute", slow)
    try:
        with pytest.raises(QueueFullError):
            queue.check_room()
        assert time.monotonic() - started < 0.05
    finally:
        event.remove(library.db, "before_cursor_execute", slow)


def test_a_payload_that_is_no_job_is_refused_in_words(make_queue: Callable[..., JobQueue]) -> None:
    """Every queue reads a payload one way (`JobPayload.read`): a dict that is not a job
    payload is refused before anything is stored or sent."""
    from sakuga.errors import SpecError

    queue = make_queue()
    with pytest.raises(SpecError, match="not a job payload: request"):
        queue.submit({"engine": "fake"})
    with pytest.raises(SpecError, match="not a job payload: surprise"):
        queue.submit({**_payload(), "surprise": 1})
    with pytest.raises(SpecError, match=r"not a job payload: request\.n"):
        queue.submit({"engine": "fake", "request": {**_payload()["request"], "n": 0}})
    assert queue.find() == []


def test_jobs_are_alike_in_time_by_the_size_they_make(library: Library) -> None:
    """A job's kind (what its estimate is learnt from) counts the size its images will
    have — the recorded ``output_size`` first — as its pixel cap does."""
    from sakuga.studio.jobs.base import JobPayload

    asked = JobPayload.read(_payload())
    made = JobPayload.read(
        {**_payload(), "request": {**_payload()["request"], "output_size": [2048, 2048]}}
    )
    assert asked.kind() == ("fake", "text-to-image", 1)
    assert made.kind() == ("fake", "text-to-image", 5)
    assert made.pixels() == 2 * 2048 * 2048
