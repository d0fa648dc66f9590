"""A server behind a distributed queue whose database is slow (#33): while `/v1` submits
a job — a room check, a row written, a message sent — the event loop goes on answering
everyone else. `/api/health` stays under 50 ms."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import event

from sakuga.server.app import create_app
from sakuga.server.security import ServerSettings, uvicorn_config
from sakuga.studio.library.library import Library
from tests.server.live import free_port

# The slow lane (redis-server and a live server): `pytest -m "not slow"` leaves it out.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("redis-server") is None and not os.environ.get("SAKUGA_REQUIRE_REDIS"),
        reason="no redis-server (apt-get install redis-server)",
    ),
]
DELAY = 0.6  # seconds per statement that touches the jobs table


def test_health_answers_at_once_while_v1_submits_to_a_slow_database(tmp_path: Path) -> None:
    from tests.studio.test_distributed import Redis

    redis = Redis(tmp_path / "redis", persist=False).start()
    library = Library.open(tmp_path / "lib")
    port = free_port()
    settings = ServerSettings(port=port, queue_url=redis.url)
    server = uvicorn.Server(
        uvicorn_config(create_app(settings, library), settings, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with httpx.Client(base_url=base, timeout=10) as client:
            assert client.get("/api/health").status_code in (200, 503)  # warm

        def slow(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            if "jobs" in statement:  # the queue's rows; the health check's probe is not
                time.sleep(DELAY)

        event.listen(library.db, "before_cursor_execute", slow)
        submitted: list[int] = []

        def submit() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                try:
                    answer = client.post(
                        "/v1/images/generations", json={"prompt": "a girl", "model": "draw"}
                    )
                    submitted.append(answer.status_code)
                except httpx.ReadTimeout:  # no worker runs the job: nobody answers it
                    submitted.append(0)

        threading.Thread(target=submit, daemon=True).start()
        time.sleep(0.1)  # the submit is in its first slow statement now
        slowest = 0.0
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(8):
                started = time.monotonic()
                client.get("/api/health")
                slowest = max(slowest, time.monotonic() - started)
                time.sleep(DELAY / 4)
        # The job's row was written meanwhile: the submit did run.
        with library.db.connect() as conn:
            from sqlalchemy import func, select

            from sakuga.studio.library.db import jobs

            event.remove(library.db, "before_cursor_execute", slow)
            assert conn.execute(select(func.count()).select_from(jobs)).scalar_one() == 1
        assert slowest < 0.05, f"/api/health took {slowest * 1000:.0f} ms"
    finally:
        server.should_exit = server.force_exit = True  # the /v1 request waits on no one
        thread.join(timeout=20)
        redis.kill()
