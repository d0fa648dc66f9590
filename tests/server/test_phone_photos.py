"""#32 through the API: phone photos (point 6) — the original file kept (a 12 MP JPEG
is not grown into a 19 MB PNG), HEIC read, an over-size upload refused in words — and a
/v1 edit that keeps what it does not name (point 1)."""

from __future__ import annotations

import hashlib
import io
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from sakuga.studio.library.library import Library


def _phone_jpeg() -> bytes:
    from skimage import data

    photo = Image.fromarray(data.astronaut()).resize((4000, 3000), Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def heic(size: tuple[int, int] = (512, 512)) -> bytes:
    import pillow_heif
    from skimage import data

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.fromarray(data.chelsea()).resize(size).save(buffer, format="HEIF", quality=80)
    return buffer.getvalue()


def _wait(client: TestClient, job_id: str) -> dict:
    for _ in range(600):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError("the job did not end")


def test_a_phone_jpeg_is_kept_as_its_file(client: TestClient, library: Library) -> None:
    data = _phone_jpeg()
    answer = client.post("/api/uploads", files={"file": ("IMG_0001.jpg", data, "image/jpeg")})
    assert answer.status_code == 201
    body = answer.json()
    assert (body["width"], body["height"]) == (4000, 3000)
    assert body["id"] == hashlib.sha256(data).hexdigest()  # the hash of the file's bytes
    assert library.store.read(body["id"], "jpg") == data  # not a PNG several times larger
    assert not library.store.exists(body["id"], "png")
    assert library.input_image(body["id"]).size == (4000, 3000)


def test_a_heic_photo_is_read_shown_and_turned_to_anime(
    client: TestClient, library: Library
) -> None:
    data = heic()
    answer = client.post("/api/uploads", files={"file": ("IMG_0002.HEIC", data, "image/heic")})
    assert answer.status_code == 201, answer.text
    digest = answer.json()["id"]
    assert library.store.read(digest, "heic") == data
    preview = client.get(f"/api/uploads/{digest}", params={"size": 192})
    assert preview.headers["content-type"] == "image/webp"
    assert max(Image.open(io.BytesIO(preview.content)).size) == 192
    job = client.post(
        "/api/jobs", json={"kind": "anime", "upload": digest, "n": 1, "engine": "fake"}
    ).json()
    assert _wait(client, job["id"])["status"] == "done"


def test_the_cli_reads_heic(tmp_path: Path) -> None:
    from tests.test_cli import sakuga

    photo = tmp_path / "IMG_0003.heic"
    photo.write_bytes(heic((256, 256)))
    done = sakuga("anime", str(photo), "--engine", "fake", "-o", str(tmp_path / "out.png"))
    assert done.returncode == 0, done.stderr
    assert Image.open(tmp_path / "out.png").size[0] > 0


@pytest.mark.parametrize("chunked", [False, True])
def test_an_upload_over_the_limit_is_refused_in_words(client: TestClient, chunked: bool) -> None:
    big = b"\xff\xd8\xff\xe0" + bytes(26 * 1024 * 1024)
    if chunked:
        answer = client.post(
            "/api/uploads",
            content=iter([big[i : i + 1 << 20] for i in range(0, len(big), 1 << 20)]),
            headers={"Content-Type": "application/octet-stream"},
        )
    else:
        answer = client.post("/api/uploads", files={"file": ("big.jpg", big, "image/jpeg")})
    assert answer.status_code == 413
    assert re.search(r"the photo is over \d+ MB", answer.json()["detail"])
    assert "bytes" not in answer.text


def test_the_default_limit_is_said_as_25_mb() -> None:
    from sakuga.server.security import ServerSettings, _too_big

    said = _too_big("/api/uploads", ServerSettings().max_body)
    assert said.startswith("the photo is over 25 MB")
    assert _too_big("/api/jobs", ServerSettings().max_body) == "the request is over 25 MB"


def test_a_v1_edit_of_a_sakuga_png_keeps_its_parts(client: TestClient, tmp_path: Path) -> None:
    """#32 point 1 on /v1: an image Sakuga drew carries its recipe, so an edit's prompt
    adds a ribbon and keeps the long pink hair and the sailor uniform."""
    import base64

    from sakuga.imaging.metadata import read_recipe
    from tests.test_cli import sakuga

    made = sakuga(
        "create", "a girl with long pink hair in a sailor uniform", "--engine", "draw",
        "--seed", "5", "--size", "512x512", "-o", str(tmp_path / "girl.png"),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    mask = Image.new("RGBA", (512, 512), (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), (140, 20, 372, 220))  # transparent: the hair, to edit
    buffer = io.BytesIO()
    mask.save(buffer, format="PNG")
    answer = client.post(
        "/v1/images/edits",
        data={"prompt": "a red ribbon in her hair", "model": "draw"},
        files={
            "image": ("girl.png", (tmp_path / "girl.png").read_bytes(), "image/png"),
            "mask": ("mask.png", buffer.getvalue(), "image/png"),
        },
    )
    assert answer.status_code == 200, answer.text
    edited = Image.open(io.BytesIO(base64.b64decode(answer.json()["data"][0]["b64_json"])))
    before = read_recipe(Image.open(tmp_path / "girl.png"))
    after = read_recipe(edited)
    assert before is not None and after is not None
    assert after.params["Hair"] == before.params["Hair"]
    assert after.params["Outfit"] == before.params["Outfit"]
