"""Issue #30, hardening round three: what a red-team run on loopback found. Each test
failed before its fix."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from sakuga.studio.library.library import Library


def test_counting_the_backlog_while_jobs_arrive_never_raises(tmp_path: Path) -> None:
    """`check_room` (which the server's shedding middleware calls on every request)
    summed the held jobs without the lock while submits added to them:
    "dictionary changed size during iteration", a 500 under load."""
    from sakuga.studio.jobs.local import LocalJobQueue

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


@pytest.fixture()
def big_png() -> bytes:
    """A 6320² photo in 39 KB: flat colour compresses to nothing, decodes to 40 MP."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (6320, 6320), (180, 140, 120)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@pytest.mark.slow
def test_a_photo_job_is_capped_by_the_size_it_will_make(library: Library, big_png: bytes) -> None:
    """A photo job with no size makes the photo's size: 4 × 40 MP is 160 MP of output,
    ten times the server's 16 MP per job. It was counted as 4 × 1 MP."""
    from fastapi.testclient import TestClient

    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    settings = ServerSettings(extra_hosts=("testserver",), max_body=2_000_000)
    with TestClient(create_app(settings, library)) as client:
        upload = client.post("/api/uploads", files={"file": ("big.png", big_png, "image/png")})
        assert upload.status_code == 201, upload.text
        digest = upload.json()["id"]
        for body in (
            {"kind": "anime", "upload": digest, "n": 4, "engine": "fake"},
            {"kind": "edit", "upload": digest, "mask": digest, "n": 4, "engine": "fake",
             "prompt": "a ribbon"},
        ):  # fmt: skip
            answer = client.post("/api/jobs", json=body)
            assert answer.status_code == 400, answer.text
            assert "megapixels" in answer.json()["detail"]
        # /v1 edits too (OpenAI's shape: the image, a prompt, n).
        answer = client.post(
            "/v1/images/edits",
            files={"image": ("big.png", big_png, "image/png")},
            data={"prompt": "a ribbon", "n": "4", "model": "fake"},
        )
        assert answer.status_code == 400 and "megapixels" in answer.text, answer.text
        # The same photo at a size the server makes is fine.
        small = {"kind": "anime", "upload": digest, "n": 1, "engine": "fake", "use": "avatar"}
        assert client.post("/api/jobs", json=small).status_code == 202


def test_uploads_are_decoded_off_the_event_loop(
    library: Library, monkeypatch: pytest.MonkeyPatch, big_png: bytes
) -> None:
    """Decoding and re-encoding an upload takes seconds for a large photo; on the event
    loop it stalled every other request (health at 10 s behind four uploads)."""
    import asyncio

    from fastapi.testclient import TestClient

    from sakuga.server import api
    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    on_loop: list[bool] = []
    real = api.decode_upload

    def spy(data: bytes, what: str) -> object:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return real(data, what)

    monkeypatch.setattr(api, "decode_upload", spy)
    settings = ServerSettings(extra_hosts=("testserver",), max_body=2_000_000)
    with TestClient(create_app(settings, library)) as client:
        answer = client.post("/api/uploads", files={"file": ("big.png", big_png, "image/png")})
        assert answer.status_code == 201
    assert on_loop == [False]


def _client(library: Library) -> object:
    from fastapi.testclient import TestClient

    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    return TestClient(create_app(ServerSettings(extra_hosts=("testserver",)), library))


def test_the_fake_engine_is_served_only_under_the_test_setting(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sakuga.engines.registry import engine_names

    monkeypatch.delenv("SAKUGA_TEST_ENGINES")
    assert "fake" not in engine_names() and "draw" in engine_names()
    with _client(library) as client:  # type: ignore[attr-defined]
        answer = client.post("/v1/images/generations", json={"prompt": "x", "model": "fake"})
        assert answer.status_code == 400 and answer.json()["error"]["param"] == "model"
        job = client.post("/api/jobs", json={"kind": "create", "prompt": "x", "engine": "fake"})
        assert job.status_code == 400 and "unknown engine 'fake'" in job.text
        assert "fake" not in {e["name"] for e in client.get("/api/engines").json()}


@pytest.mark.parametrize("delay", [1_000_000, "inf", "nan", -1, True])
def test_engine_options_are_bounded(library: Library, delay: object) -> None:
    """Two requests with "delay": 1000000 wedged both workers of every server."""
    with _client(library) as client:  # type: ignore[attr-defined]
        body = {"kind": "create", "prompt": "x", "engine": "fake", "options": {"delay": delay}}
        answer = client.post("/api/jobs", json=body)
        assert answer.status_code == 400, answer.text
        assert "delay must be" in answer.json()["detail"]
        steps = {"kind": "create", "prompt": "x", "engine": "diffusers", "options": {"steps": 1e9}}
        assert client.post("/api/jobs", json=steps).status_code == 400


def test_a_long_job_stops_at_once_when_cancelled(library: Library) -> None:
    """The fake engine slept its whole delay without hearing a cancel."""
    import time

    with _client(library) as client:  # type: ignore[attr-defined]
        body = {"kind": "create", "prompt": "x", "engine": "fake", "options": {"delay": 30}}
        job = client.post("/api/jobs", json=body).json()
        for _ in range(200):
            if client.get(f"/api/jobs/{job['id']}").json()["status"] == "running":
                break
            time.sleep(0.02)
        started = time.monotonic()
        client.post(f"/api/jobs/{job['id']}/cancel")
        while client.get(f"/api/jobs/{job['id']}").json()["status"] == "running":
            assert time.monotonic() - started < 10, "the job ran on after its cancel"
            time.sleep(0.02)
        assert client.get(f"/api/jobs/{job['id']}").json()["status"] == "cancelled"


def test_a_character_names_a_served_engine_never_a_path(library: Library) -> None:
    with _client(library) as client:  # type: ignore[attr-defined]
        body = {"name": "Mika", "description": "a girl with pink hair", "engine": "../../x"}
        answer = client.post("/api/characters", json=body)
        assert answer.status_code == 400 and "unknown engine" in answer.text
        assert client.post("/api/characters", json={**body, "engine": "draw"}).status_code in (
            200,
            201,
        )


def test_the_cli_prints_hostile_tags_and_prompts_inert(tmp_path: Path) -> None:
    """An OSC 52 clipboard write and Rich link markup in a tag became real in `library
    show`; `library list --json` printed C1 controls and U+202E raw."""
    import json

    from tests.test_cli import in_process

    home = tmp_path / "home"
    code, out, err = in_process(
        "create", "a girl \u202eevil", "--engine", "fake", "--size", "32x32", "-o",
        str(tmp_path / "out"), "--json", home=home,
    )  # fmt: skip
    assert code == 0, err
    gen_id = json.loads(out)["images"][0]["id"]
    library = Library.open(home)
    hostile = ("\x1b]52;c;ZXZpbA==\x07", "[link=https://evil.invalid]x[/link]", "a\x9bb\u202ec")
    library.tag(gen_id, *hostile)
    library.db.dispose()
    code, shown, err = in_process("library", "show", gen_id, home=home)
    assert code == 0, err
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "\u202e" not in shown
    assert "[link=https://evil.invalid]" in shown  # shown as text, not applied
    code, listed, err = in_process("library", "list", "--json", home=home)
    assert code == 0, err
    assert "\x9b" not in listed and "\u202e" not in listed and "\x1b" not in listed
    (entry,) = json.loads(listed)
    assert {h.lower() for h in hostile} <= set(entry["tags"])  # reads back as stored


def test_duplicate_host_or_origin_headers_and_the_schema_without_token(library: Library) -> None:
    from fastapi.testclient import TestClient

    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    token = "t" * 24
    settings = ServerSettings(extra_hosts=("testserver",), token=token)
    auth = ("authorization", f"Bearer {token}")
    with TestClient(create_app(settings, library)) as client:
        two_hosts = [("host", "evil.invalid"), ("host", "127.0.0.1:7860"), auth]
        assert client.get("/api/health", headers=two_hosts).status_code == 400
        two_origins = [("origin", "http://evil.invalid"), ("origin", "http://127.0.0.1:7860")]
        answer = client.post("/api/critique", json={"text": "x"}, headers=[*two_origins, auth])
        assert answer.status_code == 400
        # The schema lists every route: behind the token, as the API is.
        assert client.get("/openapi.json").status_code == 401
        assert client.get("/openapi.json", headers=[auth]).status_code == 200


def _raw_request(port: int, request_line: str, host: str) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"{request_line}\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_an_absolute_form_request_line_to_another_host_is_refused(tmp_path: Path) -> None:
    from tests.server.live import live_server

    with live_server(tmp_path / "lib") as base:
        port = int(base.rsplit(":", 1)[1])
        host = f"127.0.0.1:{port}"
        assert b" 200 " in _raw_request(port, "GET /api/health HTTP/1.1", host)
        # The target's host wins over the Host header (RFC 9112 3.2.2): another one is refused.
        assert b" 400 " in _raw_request(port, "GET http://evil.invalid/api/health HTTP/1.1", host)
        assert b" 400 " in _raw_request(port, "GET http://evil.invalid/ HTTP/1.1", host)
        # Our own host in absolute form is still this server.
        assert b" 200 " in _raw_request(port, f"GET http://{host}/api/health HTTP/1.1", host)


@pytest.mark.parametrize(
    "body",
    [
        {"model": "/etc"},
        {"model": "../../library.db"},
        {"engine": "diffusers", "model": "/proc/self/fd/0"},
        {"controls": [{"kind": "canny", "model": "/etc"}]},
        {"options": {"vae": "/etc/passwd"}},
        {"options": {"loras": ["../x.safetensors:0.5"]}},
        {"options": {"embeddings": ["~/neg.safetensors"]}},
        {"options": {"ip_adapter": "/tmp"}},
        {"options": {"config": "/etc"}},
    ],
)
def test_jobs_name_models_never_paths_and_errors_show_no_server_path(
    library: Library, body: dict[str, object]
) -> None:
    import os

    with _client(library) as client:  # type: ignore[attr-defined]
        answer = client.post("/api/jobs", json={"kind": "create", "prompt": "x", **body})
        assert answer.status_code == 400, answer.text
        detail = answer.json()["detail"]
        for secret in ("/etc", "/proc", "/tmp", os.getcwd(), os.environ["SAKUGA_HOME"]):
            assert secret not in detail, detail


def test_a_full_disk_is_507_and_names_no_server_path(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the disk full, uploads answered 400 with the server's paths, and the
    library's own writes 500."""
    import errno
    import os

    from sqlalchemy.exc import OperationalError

    from sakuga.imaging import io as image_io
    from tests.server.conftest import png

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with _client(library) as client:  # type: ignore[attr-defined]
        with monkeypatch.context() as patch:
            patch.setattr(image_io.os, "fsync", full)
            answer = client.post("/api/uploads", files={"file": ("p.png", png(), "image/png")})
        assert answer.status_code == 507, answer.text
        assert answer.headers["retry-after"]
        assert os.environ["SAKUGA_HOME"] not in answer.text and "/" not in answer.json()["detail"]

        # The database full (SQLite: "database or disk is full") is a 507 too.
        def sqlite_full(*args: object, **kwargs: object) -> None:
            raise OperationalError("INSERT", {}, Exception("database or disk is full"))

        monkeypatch.setattr(library, "tag", sqlite_full)
        tagged = client.post("/api/generations/abc/tags", json={"add": ["x"]})
        assert tagged.status_code == 507, tagged.text
        assert "database or disk" not in tagged.text


def test_an_unreachable_object_store_is_503_and_unhealthy(library: Library) -> None:
    """With S3 down, images answered 400 while health said ok."""
    import socket

    pytest.importorskip("boto3")
    from sakuga.studio.storage.objects import ObjectStore

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    with _client(library) as client:  # type: ignore[attr-defined]
        library.store = ObjectStore(
            "s3://sakuga/lib", library.store.cache, endpoint=f"http://127.0.0.1:{port}"
        )
        health = client.get("/api/health")
        assert health.status_code == 503 and health.json()["storage_ok"] is False
        answer = client.get("/api/uploads/" + "a" * 64)
        assert answer.status_code == 503, answer.text
        assert "127.0.0.1" not in answer.text


def test_image_work_in_requests_is_bounded_with_a_429(library: Library, big_png: bytes) -> None:
    """Control maps, sheets, exports and uploads ran unbounded inside requests (four
    control maps of a 40 MP photo: 105 s and 4.65 GB). A server does a few at once and
    refuses the rest with Retry-After; a map is made from the photo at 2048 px."""
    from fastapi.testclient import TestClient

    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    settings = ServerSettings(extra_hosts=("testserver",), max_body=2_000_000, max_heavy=1)
    app = create_app(settings, library)
    with TestClient(app) as client:
        digest = client.post(
            "/api/uploads", files={"file": ("big.png", big_png, "image/png")}
        ).json()["id"]
        assert app.state.heavy.acquire(blocking=False)  # another request's work, running
        try:
            busy = client.post("/api/control-maps", json={"upload": digest, "kind": "canny"})
            assert busy.status_code == 429 and int(busy.headers["retry-after"]) >= 1
            sheet = client.post("/api/characters/Nobody/sheet")
            assert sheet.status_code == 429
            # /v1 edits and variations decode their photos in a place too (not their wait).
            for route in ("/v1/images/edits", "/v1/images/variations"):
                form = {"prompt": "anime"} if route.endswith("edits") else {}
                refused = client.post(
                    route, data=form, files={"image": ("big.png", big_png, "image/png")}
                )
                assert refused.status_code == 429, (route, refused.text)
                assert refused.json()["error"]["type"] == "rate_limit_error"
        finally:
            app.state.heavy.release()
        made = client.post("/api/control-maps", json={"upload": digest, "kind": "canny"})
        assert made.status_code == 201, made.text
        assert max(made.json()["width"], made.json()["height"]) <= 2048


def test_streamed_partial_images_are_encoded_off_the_event_loop(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A streamed job's partial images (cut out, with a transparent background) were
    encoded on the event loop: health took 14 s behind four streams."""
    import asyncio

    from sakuga.server import openai_output

    on_loop: list[bool] = []
    real = openai_output.Output.encode

    def spy(self: object, *args: object, **kwargs: object) -> object:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(openai_output.Output, "encode", spy)
    with _client(library) as client:  # type: ignore[attr-defined]
        body = {
            "prompt": "a girl", "model": "fake", "size": "64x64", "stream": True,
            "partial_images": 2, "background": "transparent", "output_format": "png", "n": 2,
        }  # fmt: skip
        answer = client.post("/v1/images/generations", json=body)
        assert answer.status_code == 200, answer.text
        assert "partial_image" in answer.text
    assert on_loop and not any(on_loop), on_loop


def test_v1_refuses_parameters_it_does_not_take_and_variations_honour_the_output(
    library: Library,
) -> None:
    import base64
    import io

    from PIL import Image

    from tests.server.conftest import png

    with _client(library) as client:  # type: ignore[attr-defined]
        bogus = client.post(
            "/v1/images/generations", json={"prompt": "x", "model": "fake", "bogus": 1}
        )
        assert bogus.status_code == 400 and bogus.json()["error"]["param"] == "bogus"
        edit = client.post(
            "/v1/images/edits",
            files={"image": ("p.png", png(), "image/png")},
            data={"prompt": "x", "model": "fake", "style": "vivid"},
        )
        assert edit.status_code == 400 and edit.json()["error"]["param"] == "style"
        streamed = client.post(
            "/v1/images/variations",
            files={"image": ("p.png", png(), "image/png")},
            data={"model": "fake", "stream": "true"},
        )
        assert streamed.status_code == 400 and streamed.json()["error"]["param"] == "stream"
        webp = client.post(
            "/v1/images/variations",
            files={"image": ("p.png", png(), "image/png")},
            data={"model": "fake", "output_format": "webp"},
        )
        assert webp.status_code == 200, webp.text
        data = base64.b64decode(webp.json()["data"][0]["b64_json"])
        assert Image.open(io.BytesIO(data)).format == "WEBP"
        assert (
            client.post(
                "/v1/images/generations", json={"prompt": "x", "model": "fake", "user": "u1"}
            ).status_code
            == 200
        )


def test_a_job_past_the_time_limit_is_stopped_and_failed(library: Library) -> None:
    """A job that runs on holds a worker for good; past the limit it stops at its next
    step and fails, and the worker takes the next job."""
    import time

    from fastapi.testclient import TestClient

    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    settings = ServerSettings(extra_hosts=("testserver",), workers=1, max_job_seconds=0.5)
    with TestClient(create_app(settings, library)) as client:
        slow = {"kind": "create", "prompt": "x", "engine": "fake", "options": {"delay": 30}}
        job = client.post("/api/jobs", json=slow).json()
        quick = client.post("/api/jobs", json={"kind": "create", "prompt": "x", "engine": "fake",
                                               "use": "avatar"}).json()  # fmt: skip
        deadline = time.monotonic() + 20
        while client.get(f"/api/jobs/{quick['id']}").json()["status"] != "done":
            assert time.monotonic() < deadline, "the worker stayed wedged"
            time.sleep(0.05)
        ended = client.get(f"/api/jobs/{job['id']}").json()
        assert ended["status"] == "failed" and "limit of 0.5 s" in ended["error"]


def test_event_streams_are_capped_for_the_whole_server(library: Library) -> None:
    """The cap was per address: many addresses could hold thousands of polling streams."""
    from fastapi.testclient import TestClient

    from sakuga.server.api import STREAMS_IN_ALL
    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    app = create_app(ServerSettings(extra_hosts=("testserver",)), library)
    with TestClient(app) as client:
        job = client.post("/api/jobs", json={"kind": "create", "prompt": "x", "engine": "fake"})
        # Streams held open by other clients, one each from many addresses.
        app.state.open_streams.update({f"198.51.100.{i}": 1 for i in range(STREAMS_IN_ALL)})
        answer = client.get(f"/api/jobs/{job.json()['id']}/events")
        assert answer.status_code == 429 and "on this server" in answer.text


def test_health_says_so_when_a_worker_is_wedged_past_the_limit(library: Library) -> None:
    """An engine that never reaches a step again cannot be stopped; health said ok."""
    import threading

    from sakuga.engines.fake import FakeEngine
    from sakuga.studio.jobs import local as jobs_module
    from sakuga.studio.jobs.local import LocalJobQueue

    release = threading.Event()

    class Hung(FakeEngine):
        def _generate(self, request, progress):  # type: ignore[no-untyped-def]
            release.wait(30)  # no progress call: nothing to stop at
            return super()._generate(request, progress)

    queue = LocalJobQueue(library, workers=1, engine_factory=lambda name: Hung(),
                          max_job_seconds=0.0).start()  # fmt: skip
    original = jobs_module.STUCK_GRACE
    jobs_module.STUCK_GRACE = 0.0
    try:
        job = queue.submit({"engine": "fake", "request": {"task": "text-to-image",
                                                          "size": [16, 16], "n": 1}})  # fmt: skip
        import time

        deadline = time.monotonic() + 10
        while queue.get(job.id).status != "running":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.05)
        health = queue.healthy()
        assert health["ok"] is False and health["jobs_past_limit"] == 1
    finally:
        jobs_module.STUCK_GRACE = original
        release.set()
        queue.shutdown()


@pytest.mark.slow
def test_an_answered_job_whose_record_the_full_disk_refused_is_written_later(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A /v1 job answered 200 whose images could not be written (a full disk) was never
    recorded, and health said unrecorded_jobs: 0."""
    import threading
    import time

    from sakuga.errors import StorageFullError
    from sakuga.studio.jobs.local import LocalJobQueue

    real = library.commit_record
    full = {"on": True}

    def commit(*args: object, **kwargs: object) -> object:
        if full["on"]:
            raise StorageFullError("cannot write: No space left on device")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "commit_record", commit)
    queue = LocalJobQueue(library, workers=1).start()
    try:
        ended = threading.Event()
        payload = {"engine": "fake", "request": {"task": "text-to-image", "size": [16, 16], "n": 1}}
        job = queue.submit(payload, ended.set, durable=False)
        assert ended.wait(20)
        outcome = queue.take_outcome(job.id)
        assert outcome is not None and len(outcome.images) == 1  # the caller has its image
        deadline = time.monotonic() + 10
        while queue.healthy()["unrecorded_jobs"] != 1:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert queue.healthy()["ok"] is False and library.count() == 0
        full["on"] = False  # room again
        deadline = time.monotonic() + 30
        # The workers' next round writes it, then counts it written (the record lands
        # a moment before the count: CI caught health between the two).
        while library.count() != 1 or queue.healthy()["unrecorded_jobs"] != 0:
            assert time.monotonic() < deadline, "never written"
            time.sleep(0.05)
        assert library.count() == 1
        assert queue.get(job.id).status == "done"
    finally:
        queue.shutdown()


@pytest.mark.parametrize("ref", ["", "abc", "..", "../../etc/passwd"])
def test_a_reference_that_names_no_stored_file_is_404_not_a_storage_fault(
    library: Library, ref: str
) -> None:
    """Found by the fuzz: a character's ref that no stored file can have answered 503
    ("the server's storage is unavailable"), blaming the server for a client's name."""
    with _client(library) as client:  # type: ignore[attr-defined]
        answer = client.post("/api/characters", json={"name": "Mika", "refs": [ref]})
        assert answer.status_code == 404, answer.text
        assert "/etc" not in answer.text.replace("../../etc/passwd", "")
