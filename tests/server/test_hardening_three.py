"""Issue #30, hardening round three: what a red-team run on loopback found. Each test
failed before its fix."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from sakuga.studio.library import Library


def test_counting_the_backlog_while_jobs_arrive_never_raises(tmp_path: Path) -> None:
    """`check_room` (which the server's shedding middleware calls on every request)
    summed the held jobs without the lock while submits added to them:
    "dictionary changed size during iteration", a 500 under load."""
    from sakuga.studio.jobs import LocalJobQueue

    queue = LocalJobQueue(Library.open(tmp_path / "lib"), workers=1, max_queued=10**9)
    payload = {"request": {"task": "text-to-image", "size": [64, 64], "n": 1}}
    errors: list[BaseException] = []
    done = threading.Event()

    def submit() -> None:
        try:
            for _ in range(6_000):
                queue.submit(payload, durable=False)
        finally:
            done.set()

    def count() -> None:
        while not done.is_set():
            try:
                queue.check_room(64 * 64)
            except RuntimeError as exc:  # pragma: no cover - the failure being tested
                errors.append(exc)
                return

    threads = [threading.Thread(target=submit), threading.Thread(target=count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[0]
