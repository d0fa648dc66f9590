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


@pytest.fixture()
def big_png() -> bytes:
    """A 6320² photo in 39 KB: flat colour compresses to nothing, decodes to 40 MP."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (6320, 6320), (180, 140, 120)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


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
    real = api._decode_upload

    def spy(data: bytes, what: str) -> object:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return real(data, what)

    monkeypatch.setattr(api, "_decode_upload", spy)
    settings = ServerSettings(extra_hosts=("testserver",), max_body=2_000_000)
    with TestClient(create_app(settings, library)) as client:
        answer = client.post("/api/uploads", files={"file": ("big.png", big_png, "image/png")})
        assert answer.status_code == 201
    assert on_loop == [False]
