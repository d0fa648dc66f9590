"""Celery's standard tools on Sakuga's distributed queue (#35 item 8): `celery -A
sakuga.worker` finds an app, a worker answers ``inspect`` while it runs a job, task
events are on for Flower, and a worker listens only on the queues of the engines that
can run here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sakuga.install import installed
from sakuga.studio.jobs.celery_common import TASK, make_celery, model_queue
from sakuga.studio.jobs.celery_worker import tools_app, worker_queues
from sakuga.studio.library.library import Library
from tests.studio import test_distributed as distributed
from tests.studio.test_distributed import Redis, Workers, _payload, _queue, _row, _wait_for

# The loopback redis-server, the shared library and the `sakuga worker` processes of
# the distributed tests, as fixtures here too.
redis_server = distributed.redis_server
shared = distributed.shared
workers = distributed.workers

needs_redis = pytest.mark.skipif(
    shutil.which("redis-server") is None and not os.environ.get("SAKUGA_REQUIRE_REDIS"),
    reason="no redis-server (apt-get install redis-server)",
)


def _celery(url: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """Celery's own command line, on the broker at ``url`` as a deployment names it."""
    env = {**os.environ, "SAKUGA_QUEUE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "celery", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
@needs_redis
def test_celery_inspect_shows_the_job_a_worker_is_running(
    redis_server: Redis, shared: Library, workers: Workers
) -> None:
    workers.start(1)
    queue = _queue(shared, redis_server.url)
    try:
        job_id = queue.submit(_payload(n=10, delay=1.0)).id
        _wait_for(lambda: _row(shared, job_id).status == "running")
        active = _celery(redis_server.url, "-A", "sakuga.worker", "inspect", "active", "--json")
        ping = _celery(redis_server.url, "-A", "sakuga.worker:app", "inspect", "ping", "--json")
        still = _row(shared, job_id).status
        queue.cancel(job_id)
        ended = queue.wait(job_id, timeout=30)
    finally:
        queue.shutdown()
    assert active.returncode == 0, active.stdout + active.stderr
    tasks = [task for node in json.loads(active.stdout).values() for task in node]
    assert [(task["name"], task["args"]) for task in tasks] == [(TASK, [job_id])]
    assert ping.returncode == 0, ping.stdout + ping.stderr
    assert list(json.loads(ping.stdout).values()) == [{"ok": "pong"}]
    assert still == "running"  # both answered while the job ran, not after it
    assert ended.status == "cancelled"


def test_task_events_are_on_for_flower_on_both_sides() -> None:
    from sakuga.worker import app

    server = make_celery("redis://127.0.0.1:6379/0")
    for conf in (app.conf, server.conf):
        assert conf.worker_send_task_events is True
        assert conf.task_send_sent_event is True


def test_the_tools_app_runs_the_workers_task_and_reads_its_broker_when_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sakuga.worker import app as module_app

    monkeypatch.delenv("SAKUGA_QUEUE_URL", raising=False)
    app = tools_app()  # made with no broker set: nothing is read yet
    monkeypatch.setenv("SAKUGA_QUEUE_URL", "redis://:secret@127.0.0.1:6390/3")
    assert app.conf.broker_url == "redis://:secret@127.0.0.1:6390/3"
    assert TASK in app.tasks and TASK in module_app.tasks
    assert app.conf.task_acks_late and app.conf.worker_prefetch_multiplier == 1
    assert app.conf.worker_pool == "threads" and app.conf.worker_concurrency == 1


@pytest.mark.skipif(not installed("openai"), reason="the openai package is not installed")
def test_a_worker_without_an_openai_key_does_not_listen_for_openai_jobs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    keyless = worker_queues()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    keyed = worker_queues()
    assert [q for q in keyless if q.startswith("sakuga.openai")] == []
    assert "sakuga.openai" in keyed and model_queue("openai", "gpt-image-2") in keyed


@pytest.mark.skipif(not installed("diffusers", "torch"), reason="diffusers is not installed")
def test_a_worker_listens_for_the_diffusers_checkpoints_in_its_model_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No default model (not ready on its own), but a model in the folder it can load:
    the engine's queue and that model's."""
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path))
    monkeypatch.delenv("SAKUGA_DIFFUSERS_MODEL", raising=False)
    assert "sakuga.diffusers" not in worker_queues()
    folder = tmp_path / "models" / "tiny-anime"
    folder.mkdir(parents=True)
    (folder / "model_index.json").write_text("{}")
    queues = worker_queues()
    assert "sakuga.diffusers" in queues and model_queue("diffusers", "tiny-anime") in queues


def test_sakuga_worker_without_a_broker_says_which_setting_names_one() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SAKUGA_QUEUE_URL"}
    ran = subprocess.run(
        [sys.executable, "-m", "sakuga", "worker"], env=env, capture_output=True, text=True
    )
    assert ran.returncode == 2 and "SAKUGA_QUEUE_URL" in ran.stderr, ran.stderr
