"""Issue #15: what a hostile client found. Each test failed before its fix."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sakuga.engines.models import served_names
from sakuga.engines.weights import guard_library
from sakuga.errors import ModelError
from sakuga.server.app import create_app
from sakuga.server.security import ServerSettings
from sakuga.studio.library.library import Library

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("SAKUGA_TEST_DATABASE_URL")), reason="SQLite's WAL hazard"
)


def _generate(client: TestClient, n: int) -> None:
    for _ in range(n):
        answer = client.post("/v1/images/generations", json={"prompt": "a girl", "model": "fake"})
        assert answer.status_code == 200, answer.text


def test_naming_the_library_database_cannot_cost_it_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("SAKUGA_HOME", str(home))
    library = Library.open(home)
    settings = ServerSettings(extra_hosts=("testserver",))
    with TestClient(create_app(settings, library)) as client:
        _generate(client, 2)
        for model in (f"diffusers:{home / 'library.db'}", f"animegan:{home}", "diffusers:/etc"):
            answer = client.post("/v1/images/generations", json={"prompt": "x", "model": model})
            assert answer.status_code == 400, answer.text
            assert answer.json()["error"]["param"] == "model"
            assert str(home) not in answer.text and "/etc" not in answer.text.split("model")[0]
        # Another process uses the same library, as `sakuga library list` would ...
        assert _count_from_another_process(home) == 2
        _generate(client, 3)
        # ... and still sees what the server writes after that. Before the fix it saw 2:
        # the server had opened library.db (the weights check read it), which dropped its
        # POSIX locks; the other process then removed the WAL the server kept writing to.
        assert _count_from_another_process(home) == 5
    library.db.dispose()
    assert Library.open(home).count() == 5


def _count_from_another_process(home: Path) -> int:
    code = "from sakuga.studio.library.library import Library; lib = Library.open(); print(lib.count())"
    other = subprocess.run(
        [sys.executable, "-c", code + "; lib.db.dispose()"],
        env={**os.environ, "SAKUGA_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr
    return int(other.stdout.split()[-1])


def test_the_model_resolver_never_opens_library_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("SAKUGA_HOME", str(home))
    Library.open(home).db.dispose()
    for path in (home / "library.db", home / "library.db-wal", home, tmp_path):
        with pytest.raises(ModelError, match="library"):
            guard_library(path)
    (home / "models").mkdir()
    guard_library(home / "models" / "x.safetensors")  # the model folder is fine
    assert served_names() == []


BAD_GENERATIONS = [
    ('{"prompt": "x", "size": "\\u00b2x\\u00b2"}', "size"),
    ('{"prompt": "x", "model": 123}', "model"),
    ('{"prompt": "x", "model": ["draw"]}', "model"),
    ('{"prompt": "x", "model": {}}', "model"),
    ('{"prompt": "x", "n": Infinity}', None),
    ('{"prompt": "x", "n": ' + "9" * 5000 + "}", None),
    ('{"prompt": "a \\ud800 girl"}', "prompt"),
    ("[" * 5000 + "]" * 5000, None),
    ('{"prompt": "x", "model": "openai"}', "model"),
    ('{"prompt": "x", "n": "10"}', "n"),
    ('{"prompt": "x", "n": 1.9}', "n"),
    ('{"prompt": "x", "n": true}', "n"),
]


@pytest.fixture()
def client(library: Library) -> Iterator[TestClient]:
    settings = ServerSettings(extra_hosts=("testserver",), max_queued=4)
    with TestClient(create_app(settings, library), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(("body", "param"), BAD_GENERATIONS)
def test_bad_openai_input_is_a_400_naming_the_param(
    client: TestClient, body: str, param: str | None
) -> None:
    answer = client.post(
        "/v1/images/generations", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["param"] == param
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/jobs", '{"kind": "create", "prompt": "a \\ud800 girl"}'),
        ("/api/characters", '{"name": "x\\ud800", "description": "a girl"}'),
        ("/api/characters", '{"name": "ok", "description": "a \\ud800 girl"}'),
        ("/api/critique", '{"text": "a \\ud800 girl"}'),
    ],
)
def test_lone_surrogates_are_a_4xx_not_a_500(client: TestClient, path: str, body: str) -> None:
    answer = client.post(path, content=body, headers={"content-type": "application/json"})
    assert answer.status_code in (400, 422), answer.text
    assert answer.json()["detail"]


def test_out_of_range_queries_are_a_422(client: TestClient) -> None:
    for query in ("offset=9223372036854775808", "limit=0", "limit=100000", "offset=-1"):
        answer = client.get(f"/api/generations?{query}")
        assert answer.status_code == 422, (query, answer.text)


def test_a_bug_still_answers_with_the_security_headers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sakuga.studio.service.studio import Studio

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(Studio, "critique", broken)
    answer = client.post("/api/critique", json={"text": "a girl"})
    assert answer.status_code == 500
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in answer.headers
    assert "secret detail" not in answer.text


def test_remote_mode_accepts_the_hosts_the_operator_names(library: Library) -> None:
    # Only Host and Origin headers are sent: the test client never leaves this process.
    settings = ServerSettings(host="0.0.0.0", token="t", extra_hosts=("studio.lan",))
    auth = {"Authorization": "Bearer t"}
    with TestClient(create_app(settings, library)) as client:
        ok = client.get("/api/health", headers={**auth, "Host": "studio.lan:7860"})
        assert ok.status_code == 200
        assert (
            client.get("/api/health", headers={**auth, "Host": "0.0.0.0:7860"}).status_code == 400
        )
        post = client.post(
            "/api/critique",
            json={"text": "x"},
            headers={**auth, "Host": "studio.lan:7860", "Origin": "http://studio.lan:7860"},
        )
        assert post.status_code == 200
    concrete = ServerSettings(host="192.0.2.7", token="t")  # a documentation address
    assert "192.0.2.7:7860" in concrete.allowed_hosts
    assert concrete.allowed_origin("http://192.0.2.7:7860")
    assert not concrete.allowed_origin("http://192.0.2.7")
    listed = ServerSettings(extra_origins=("https://Studio.Example/",))
    assert listed.allowed_origin("https://studio.example")


def test_a_starting_server_repairs_at_once_but_waits_for_writers(tmp_path: Path) -> None:
    import threading
    import time

    from sakuga.studio.jobs.local import LocalJobQueue

    library = Library.open(tmp_path / "lib")
    from sakuga.studio.storage.files import put_bytes

    orphan = put_bytes(library.store, b"\x89PNG not referenced by any row", "png")
    leftover = library.store.root / "ab" / ".x.png.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"half")
    # A live repair keeps recent files: another process may be about to commit them.
    assert library.repair().orphan_files == 0
    assert library.store.path(orphan[0], "png").exists() and leftover.exists()
    # A writer mid-commit holds the writers' lock: the startup repair waits for it.
    released = threading.Event()
    holding = threading.Event()

    def writer() -> None:
        with library.store.writing():
            holding.set()
            released.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    holding.wait(5)
    queue = LocalJobQueue(library, workers=1)
    starting = threading.Thread(target=queue.start)
    starting.start()
    time.sleep(0.3)
    assert starting.is_alive()  # waiting for the writer
    released.set()
    starting.join(10)
    thread.join(10)
    try:
        assert not library.store.path(orphan[0], "png").exists()
        assert not leftover.exists()
    finally:
        queue.shutdown()


def _wait_status(client: TestClient, job_id: str, statuses: tuple[str, ...]) -> dict:
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job stayed {job['status']}")


def test_a_full_disk_does_not_kill_the_workers(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import time

    from sakuga.studio.jobs import local_workers as jobs_module

    monkeypatch.setattr(jobs_module, "RETRY_SECONDS", 0.2)
    disk = {"full": True}

    def enospc() -> None:
        if disk["full"]:
            raise OSError(errno.ENOSPC, "No space left on device")

    settings = ServerSettings(extra_hosts=("testserver",), workers=1)
    with TestClient(create_app(settings, library)) as client:
        queue = client.app.state.services.queue  # type: ignore[attr-defined]
        real_commit, real_end = library.commit_record, queue._end
        monkeypatch.setattr(
            library, "commit_record", lambda *a, **k: (enospc(), real_commit(*a, **k))[1]
        )
        monkeypatch.setattr(queue, "_end", lambda *a, **k: (enospc(), real_end(*a, **k))[1])
        job = client.post(
            "/api/jobs", json={"kind": "create", "prompt": "a girl", "engine": "fake"}
        )
        failed = _wait_status(client, job.json()["id"], ("failed",))
        assert "No space left" in failed["error"]
        health = client.get("/api/health")
        assert health.status_code == 503 and health.json()["unrecorded_jobs"] == 1
        assert health.json()["workers_alive"] == 1  # the worker survived its own end failing
        disk["full"] = False  # space returns
        deadline = time.monotonic() + 10
        while client.get("/api/health").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/api/health").status_code == 200
        assert queue.find(status="failed")[0].id == job.json()["id"]  # the row says failed
        again = client.post(
            "/api/jobs", json={"kind": "create", "prompt": "a boy", "engine": "fake"}
        )
        assert _wait_status(client, again.json()["id"], ("done", "failed"))["status"] == "done"
        monkeypatch.setattr(library.store, "free_bytes", lambda: 1024)
        low = client.get("/api/health")
        assert low.status_code == 503 and low.json()["disk_ok"] is False


def test_a_refused_edit_leaves_no_file_and_no_row(client: TestClient, library: Library) -> None:
    from tests.server.conftest import png

    before = len(library.store.all_files())
    for form in ({"prompt": "x", "model": "nope"}, {"prompt": "x", "model": "diffusers:/etc"}):
        answer = client.post(
            "/v1/images/edits", data=form, files={"image": ("p.png", png(), "image/png")}
        )
        assert answer.status_code == 400, answer.text
    assert len(library.store.all_files()) == before


def test_pixel_caps_per_job_and_per_queue(library: Library) -> None:
    settings = ServerSettings(
        extra_hosts=("testserver",), max_job_pixels=4 * 1024 * 1024, max_queued_pixels=10**7
    )
    with TestClient(create_app(settings, library)) as client:
        big = {"prompt": "x", "model": "fake", "size": "8192x8192"}
        answer = client.post("/v1/images/generations", json=big)
        assert answer.status_code == 400 and answer.json()["error"]["param"] == "size"
        many = {"prompt": "x", "model": "fake", "size": "1024x1024", "n": 5}
        assert client.post("/v1/images/generations", json=many).status_code == 400
        ok = {"prompt": "x", "model": "fake", "size": "1024x1024", "n": 2}
        assert client.post("/v1/images/generations", json=ok).status_code == 200
        job = client.post(
            "/api/jobs", json={"kind": "create", "prompt": "anime girl", "use": "cover", "n": 1}
        )
        assert job.status_code == 400 and "megapixels" in job.json()["detail"]  # 3000² > 4 MP
    from sakuga.studio.jobs.local import LocalJobQueue, QueueFullError

    queue = LocalJobQueue(library, workers=1, max_queued_pixels=3 * 1024 * 1024)  # not started
    payload = {"request": {"task": "text-to-image", "size": [1024, 1024], "n": 2}}
    queue.submit(payload, durable=False)
    with pytest.raises(QueueFullError, match="megapixels"):
        queue.submit(payload, durable=False)  # 4 MP waiting would pass the queue's 3 MP


def test_event_streams_per_client_are_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    from contextlib import ExitStack

    import httpx

    from sakuga.engines.fake import FakeEngine
    from sakuga.server.api import STREAMS_PER_CLIENT
    from tests.server.live import live_server

    release = threading.Event()
    real = FakeEngine._generate

    def slow(self, request, progress):  # type: ignore[no-untyped-def]
        release.wait(20)  # a job that runs until the test lets it end
        return real(self, request, progress)

    monkeypatch.setattr(FakeEngine, "_generate", slow)
    with live_server(tmp_path / "lib") as base, httpx.Client(base_url=base, timeout=10) as c:
        job_id = c.post("/api/jobs", json={"kind": "create", "prompt": "x", "engine": "fake"})
        job_id = job_id.json()["id"]
        with ExitStack() as streams:
            statuses = []
            for _ in range(STREAMS_PER_CLIENT + 1):
                client = streams.enter_context(httpx.Client(base_url=base, timeout=10))
                response = streams.enter_context(client.stream("GET", f"/api/jobs/{job_id}/events"))
                statuses.append(response.status_code)
            release.set()
        assert statuses == [200] * STREAMS_PER_CLIENT + [429]
        # Ended streams give their places back.
        import time

        deadline = time.monotonic() + 10
        while c.get(f"/api/jobs/{job_id}/events").status_code == 429:
            assert time.monotonic() < deadline
            time.sleep(0.1)


def test_errors_never_show_the_library_path(client: TestClient, library: Library) -> None:
    root = str(library.store.root.parent)
    answer = client.post(
        "/api/characters", json={"name": "eve", "description": "a girl", "refs": ["ab" * 32]}
    )
    assert answer.status_code == 404 and root not in answer.text
    job = client.post("/api/jobs", json={"kind": "anime", "upload": "cd" * 32, "engine": "fake"})
    assert root not in job.text


def test_shutdown_ends_within_its_grace_period(library: Library) -> None:
    import threading
    import time

    from sakuga.engines.fake import FakeEngine
    from sakuga.studio.jobs.local import LocalJobQueue

    stuck = threading.Event()

    class Stuck(FakeEngine):
        def _generate(self, request, progress):  # type: ignore[no-untyped-def]
            stuck.set()
            time.sleep(30)  # an engine that will not stop soon
            return super()._generate(request, progress)

    queue = LocalJobQueue(library, workers=1, engine_factory=lambda name: Stuck()).start()
    queue.submit({"engine": "fake", "request": {"task": "text-to-image", "n": 1}})
    assert stuck.wait(10)
    started = time.monotonic()
    queue.shutdown(grace=0.5)
    assert time.monotonic() - started < 3


def test_limits_are_the_same_everywhere(client: TestClient) -> None:
    from sakuga.prompt.artspec import ArtSpec
    from sakuga.prompt.limits import MAX_IMAGES, MAX_PROMPT_LENGTH, MAX_SEED

    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    job, character = schemas["JobIn"]["properties"], schemas["CharacterIn"]["properties"]
    assert job["n"]["maximum"] == MAX_IMAGES
    seeds = [s for s in (job["seed"], character["seed"]) for s in s.get("anyOf", [s])]
    assert {s["maximum"] for s in seeds if "maximum" in s} == {MAX_SEED}
    assert character["description"]["maxLength"] == MAX_PROMPT_LENGTH
    assert ArtSpec.model_fields["count"].metadata[-1].le == MAX_IMAGES  # type: ignore[attr-defined]
    # A character's seed may use the whole range, as every other seed does.
    made = client.post(
        "/api/characters", json={"name": "max", "description": "a girl", "seed": MAX_SEED}
    )
    assert made.status_code == 201 and made.json()["seed"] == MAX_SEED


def test_an_openai_model_name_is_served_only_when_it_can_be(library: Library) -> None:
    settings = ServerSettings(extra_hosts=("testserver",), model_map={"gpt-image-2": "fake"})
    with TestClient(create_app(settings, library)) as client:
        for model in ("gpt-image-1.5", "dall-e-3"):
            refused = client.post("/v1/images/generations", json={"prompt": "x", "model": model})
            assert refused.status_code == 400, refused.text
            error = refused.json()["error"]
            assert (error["param"], error["code"]) == ("model", "model_not_found")
            assert "--map-model" in error["message"]
        mapped = client.post(
            "/v1/images/generations", json={"prompt": "x", "model": "gpt-image-2", "size": "64x64"}
        )
        assert mapped.status_code == 200 and mapped.headers["x-sakuga-engine"] == "fake"


def test_serve_refuses_a_bad_model_mapping() -> None:
    from tests.test_cli import sakuga

    out = sakuga("serve", "--map-model", "gpt-image-2=nope")
    assert out.returncode == 2 and "NAME=ENGINE" in " ".join(out.stderr.split())


@pytest.mark.parametrize("quiet", [False, True])
def test_serve_logs_each_request_unless_quiet(tmp_path: Path, quiet: bool) -> None:
    """`sakuga serve` as a person runs it: one access-log line per request (method,
    path, status), none with --quiet."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.server.live import free_port

    port = free_port()
    env = {**os.environ, "SAKUGA_HOME": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "sakuga", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, *(["--quiet"] if quiet else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    logged = [line for line in output.splitlines() if "GET /api/health" in line]
    if quiet:
        assert logged == [], output
    else:
        assert logged and "200" in logged[-1], output
