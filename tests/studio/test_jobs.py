from __future__ import annotations

import time

import pytest
from sqlalchemy import insert

from sakuga.studio.jobs.local import LocalJobQueue, QueueFullError
from sakuga.studio.library.db import jobs, transaction
from sakuga.studio.library.library import Library


def payload(seed: int = 1, n: int = 2, engine: str = "fake", delay: float = 0.0) -> dict:
    request = {
        "task": "text-to-image",
        "spec": {"hair": "pink"},
        "size": [32, 32],
        "n": n,
        "seed": seed,
        "options": {"delay": delay},
    }
    return {"engine": engine, "request": request}


def test_a_job_runs_and_records_its_images(library: Library) -> None:
    queue = LocalJobQueue(library, workers=1).start()
    job = queue.wait(queue.submit(payload(seed=4)).id)
    queue.shutdown()
    assert job.status == "done" and job.progress == 1.0 and len(job.result) == 2
    assert [library.get(i).seed for i in job.result] == [4, 5]


def test_failure_is_recorded_not_raised(library: Library) -> None:
    queue = LocalJobQueue(library, workers=1).start()
    job = queue.wait(queue.submit(payload(engine="nope")).id)
    queue.shutdown()
    assert job.status == "failed" and "unknown engine" in (job.error or "")


def test_cancel_a_running_job(library: Library) -> None:
    queue = LocalJobQueue(library, workers=1).start()
    job = queue.submit(payload(n=10, delay=0.2))
    deadline = time.monotonic() + 10
    while queue.get(job.id).status != "running" and time.monotonic() < deadline:
        time.sleep(0.01)
    queue.cancel(job.id)
    ended = queue.wait(job.id)
    queue.shutdown()
    assert ended.status == "cancelled" and library.count() == 0


def test_a_full_queue_says_when_to_retry(library: Library) -> None:
    queue = LocalJobQueue(library, workers=1, max_queued=2)  # not started: jobs stay queued
    queue.submit(payload())
    queue.submit(payload())
    with pytest.raises(QueueFullError) as caught:
        queue.submit(payload())
    assert caught.value.retry_after > 0
    cancelled = queue.cancel(queue.find(status="queued")[0].id)
    assert cancelled.status == "cancelled"


def test_retry_after_follows_how_long_jobs_take(library: Library) -> None:
    queue = LocalJobQueue(library, workers=1, max_queued=8).start()
    assert queue.retry_after() == 5.0  # no job ran yet: a cautious guess
    for seed in range(3):
        assert queue.wait(queue.submit(payload(seed=seed, n=1, delay=0.1)).id).status == "done"
    queue.shutdown()
    # Once jobs have run: the time to get through what waits (here one job, ~0.1 s).
    assert 0.1 <= queue.retry_after() < 1.0
    idle = LocalJobQueue(library, workers=1, max_queued=8)  # not started: jobs stay queued
    idle._job_seconds = 0.1
    for seed in range(6):
        idle.submit(payload(seed=seed))
    assert 0.55 <= idle.retry_after() <= 0.65  # six waiting, 0.1 s each, one worker


def test_the_bound_holds_for_submits_at_the_same_time(library: Library) -> None:
    from concurrent.futures import ThreadPoolExecutor

    queue = LocalJobQueue(library, workers=1, max_queued=5)  # not started: jobs stay queued

    def submit(_: int) -> bool:
        try:
            queue.submit(payload())
        except QueueFullError:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        accepted = sum(pool.map(submit, range(40)))
    assert accepted == 5 and len(queue.find(status="queued")) == 5
    with pytest.raises(QueueFullError):
        queue.check_room()  # the cheap check a server makes before parsing a request


def test_jobs_interrupted_by_a_crash_are_requeued(library: Library) -> None:
    import json

    with transaction(library.db) as conn:
        conn.execute(
            insert(jobs).values(
                id="crashed",
                status="running",
                payload=json.dumps(payload()),
                progress=0.4,
                created_at=time.time(),
                started_at=time.time(),
            )
        )
    queue = LocalJobQueue(library, workers=1).start()
    job = queue.wait("crashed")
    queue.shutdown()
    assert job.status == "done" and len(job.result) == 2


def test_previews_of_a_running_job(library: Library) -> None:
    import io

    from PIL import Image

    queue = LocalJobQueue(library, workers=1).start()
    job = queue.submit(payload(n=4, delay=0.3))
    seen = None
    deadline = time.monotonic() + 10
    while seen is None and time.monotonic() < deadline:
        seen = queue.preview(job.id)
        time.sleep(0.02)
    assert seen is not None
    assert seen.number >= 1 and Image.open(io.BytesIO(seen.png)).size == (4, 4)  # 32 px / 8
    # Labelled with the engine's step: the fake engine counts 4 steps per image.
    assert 1 <= seen.step <= seen.total
    ended = queue.wait(job.id)
    queue.shutdown()
    assert ended.status == "done"
    assert queue.preview(job.id) is None  # previews live only while the job runs


def test_the_queue_keeps_one_engine_per_name(library: Library) -> None:
    """Engines that load models (diffusers) keep them between a server's jobs."""
    from sakuga.engines.registry import get_engine

    made: list[str] = []

    def factory(name: str):  # type: ignore[no-untyped-def]
        made.append(name)
        return get_engine(name)

    queue = LocalJobQueue(library, workers=2, engine_factory=factory).start()
    ids = [queue.submit(payload(seed=s)).id for s in range(4)]
    ended = [queue.wait(i) for i in ids]
    queue.shutdown()
    assert all(job.status == "done" for job in ended)
    assert made == ["fake"]


def test_a_waiter_gets_the_outcome_in_memory_once(library: Library) -> None:
    import threading

    queue = LocalJobQueue(library, workers=1).start()
    woken = threading.Event()
    waited = queue.submit(payload(seed=7, n=2), on_end=woken.set)
    unwatched = queue.submit(payload(seed=9))
    assert woken.wait(10)
    queue.wait(unwatched.id)
    outcome = queue.take_outcome(waited.id)
    assert outcome is not None and [g.seed for g in outcome.generations] == [7, 8]
    assert [g.id for g in outcome.generations] == queue.get(waited.id).result
    # The images as stored, so an answer needs no read of its own.
    assert outcome.images == [library.image_path(g).read_bytes() for g in outcome.generations]
    assert queue.take_outcome(waited.id) is None  # handed over once
    assert queue.take_outcome(unwatched.id) is None  # nobody waited: nothing kept
    queue.shutdown()


def test_the_queue_forgets_a_job_once_nothing_is_left_to_hand_out(library: Library) -> None:
    """One entry per job in memory, dropped when the job has ended, its waiters were
    woken and its outcome taken: a long-running server does not grow."""
    import threading

    queue = LocalJobQueue(library, workers=1).start()
    woken = threading.Event()
    watched = queue.submit(payload(seed=3), on_end=woken.set)
    plain = queue.submit(payload(seed=4))
    live = queue.submit(payload(seed=5), durable=False)
    failing = queue.submit(payload(engine="nope"))
    for job in (plain, live, failing):
        queue.wait(job.id)
    assert woken.wait(10)
    assert set(queue._held) == {watched.id}  # its outcome waits to be taken
    assert queue.take_outcome(watched.id) is not None
    assert queue._held == {}
    queue.wait(watched.id)  # waiting on an ended job leaves nothing behind either
    assert queue._held == {}
    queue.shutdown()


def test_an_in_memory_job_is_written_once_when_it_ends(library: Library) -> None:
    idle = LocalJobQueue(library, workers=1)  # not started: the job stays queued
    job = idle.submit(payload(seed=3), durable=False)
    assert idle.get(job.id).status == "queued"  # known to its queue...
    assert idle.find() == []  # ...but not written
    queue = LocalJobQueue(library, workers=1).start()  # a restart has nothing to re-run
    assert queue.find() == []
    live = queue.submit(payload(seed=3), durable=False)
    ended = queue.wait(live.id)
    queue.shutdown()
    assert ended.status == "done" and len(ended.result) == 2
    assert ended.created_at <= ended.started_at <= ended.finished_at  # type: ignore[operator]
    assert [j.id for j in queue.find()] == [live.id]  # one row, the ended job's
    assert [library.get(i).seed for i in ended.result] == [3, 4]


def test_an_in_memory_job_answers_before_its_images_are_written(library: Library) -> None:
    import threading

    queue = LocalJobQueue(library, workers=1).start()
    may_write = threading.Event()
    commit = library.commit_record

    def held_commit(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert may_write.wait(10)
        return commit(*args, **kwargs)

    library.commit_record = held_commit  # type: ignore[method-assign]
    woken = threading.Event()
    job = queue.submit(payload(seed=5), on_end=woken.set, durable=False)
    assert woken.wait(10)  # woken while the library's copy is still held back
    outcome = queue.take_outcome(job.id)
    assert outcome is not None and len(outcome.images) == 2
    assert outcome.images[0].startswith(b"\x89PNG")
    assert queue.get(job.id).status == "done"  # from memory: its row is not written yet
    assert queue.find() == [] and library.find() == []
    may_write.set()
    queue.shutdown()
    assert [j.status for j in queue.find()] == ["done"]
    stored = [library.image_path(g).read_bytes() for g in outcome.generations]
    assert stored == outcome.images  # what the caller got is what the library keeps


def test_in_memory_jobs_that_fail_or_are_cancelled_leave_their_row(library: Library) -> None:
    queue = LocalJobQueue(library, workers=1).start()
    running = queue.submit(payload(delay=0.5, n=1), durable=False)
    waiting = queue.submit(payload(), durable=False)
    assert queue.cancel(waiting.id).status == "queued"  # its worker ends it
    failing = queue.submit(payload(engine="nope"), durable=False)
    assert queue.wait(running.id).status == "done"
    assert queue.wait(waiting.id).status == "cancelled"
    failed = queue.wait(failing.id)
    queue.shutdown()
    assert failed.status == "failed" and "nope" in (failed.error or "")
    assert {j.status for j in queue.find()} == {"done", "cancelled", "failed"}


def test_an_answered_job_whose_copy_cannot_be_written_waits_for_room(
    library: Library, caplog: pytest.LogCaptureFixture
) -> None:
    """Its caller has the images; the library's copy is kept in memory and written once
    there is room (#30: it used to be marked failed and lost), and health says so."""
    import threading

    from sakuga.errors import OutputError

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OutputError("no space left on device")

    library.commit_record = full_disk  # type: ignore[method-assign]
    queue = LocalJobQueue(library, workers=1).start()
    woken = threading.Event()
    job = queue.submit(payload(seed=2), on_end=woken.set, durable=False)
    assert woken.wait(10)
    outcome = queue.take_outcome(job.id)
    assert outcome is not None and len(outcome.images) == 2  # the caller has its images
    import time

    deadline = time.monotonic() + 10  # the copy is tried after the caller is woken
    while queue.healthy()["unrecorded_jobs"] != 1:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    queue.shutdown()
    ended = queue.get(job.id)
    assert ended.status == "done"  # as its caller was told
    assert "recorded once there is room" in caplog.text
    assert library.find() == []  # the disk is still full


def test_an_in_memory_job_reads_as_ended_when_its_waiter_wakes(library: Library) -> None:
    import threading

    queue = LocalJobQueue(library, workers=1).start()
    submitted = threading.Event()
    ids: list[str] = []
    seen = []

    def on_end() -> None:  # runs on the worker, at the wake, before its tidying up
        submitted.wait(10)
        seen.append(queue.get(ids[0]))

    ids.append(queue.submit(payload(engine="nope"), on_end=on_end, durable=False).id)
    submitted.set()
    queue.shutdown()
    assert [job.status for job in seen] == ["failed"]
    assert "nope" in (seen[0].error or "")


def test_a_big_job_says_it_is_saving_a_small_one_spends_no_write_on_it(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sakuga.studio.jobs.local_workers import Workers

    said: list[tuple[float, str]] = []
    original = Workers._progress

    def spy(self: Workers, job_id: str, fraction: float, message: str) -> None:
        said.append((fraction, message))
        original(self, job_id, fraction, message)

    monkeypatch.setattr(Workers, "_progress", spy)
    queue = LocalJobQueue(library, workers=1).start()
    big = payload(n=2)
    big["request"]["size"] = [1536, 1536]  # 4.7 MP in all
    done = queue.wait(queue.submit(big).id)
    assert done.status == "done"
    assert (0.97, "saving 2 images to the library") in said
    said.clear()
    assert queue.wait(queue.submit(payload(n=2)).id).status == "done"  # 32x32
    queue.shutdown()
    assert not any("saving" in message for _, message in said)


def test_a_job_is_estimated_from_recent_jobs_like_it(library: Library) -> None:
    queue = LocalJobQueue(library, workers=1).start()
    try:
        assert queue.estimate(payload(n=4, delay=0.2)) is None  # nothing ran yet
        queue.wait(queue.submit(payload(n=2, delay=0.2)).id)
        per_image = queue.estimate(payload(n=1, delay=0.2))
        assert per_image is not None and 0.2 <= per_image < 1.0
        assert queue.estimate(payload(n=6, delay=0.2)) == pytest.approx(6 * per_image)
        # Another engine, or a bigger picture, is another kind of job.
        assert queue.estimate(payload(n=2, engine="draw")) is None
        big = payload(n=2, delay=0.2)
        big["request"]["size"] = [2048, 2048]
        assert queue.estimate(big) is None
    finally:
        queue.shutdown()
