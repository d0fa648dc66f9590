"""The same action through the CLI and through `/api/jobs` gives the same result (#16):
a toon sticker is an RGBA cut-out from both, a saved character's seed and engine are
used by both, and an edit of an image whose engine cannot edit falls back in both."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from sakuga.engines.base import EngineRequest, EngineResult, Task
from sakuga.server.app import create_app
from sakuga.server.security import ServerSettings
from sakuga.studio.library.library import Library
from tests.test_cli import in_process

pytestmark = pytest.mark.slow


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _wait(client: TestClient, job_id: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed", "cancelled"):
            assert job["status"] == "done", job
            return job
        time.sleep(0.1)
    raise AssertionError("job did not end")


def _cli(home: Path, *args: str) -> dict:
    code, out, err = in_process(*args, "--json", home=home)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.mark.slow
def test_the_same_actions_agree_across_front_ends(home: Path, tmp_path: Path) -> None:
    from skimage import data

    photo = Image.fromarray(data.chelsea()).resize((160, 106))
    photo_file = tmp_path / "cat.png"
    photo.save(photo_file)
    library = Library.open(home)
    library.create_character(
        "eve", {"hair": "long pink hair"}, style="cute", engine="draw", seed=77
    )

    # 1. A toon sticker, from each front end.
    by_cli = _cli(home, "anime", str(photo_file), "--for", "sticker", "--engine", "toon",
                  "--seed", "5", "-o", str(tmp_path / "a"))  # fmt: skip
    cli_sticker = Image.open(by_cli["images"][0]["path"])
    settings = ServerSettings(extra_hosts=("testserver",), workers=1)
    with TestClient(create_app(settings, library)) as client:
        upload = client.post("/api/uploads", files={"file": ("c.png", _png(photo), "image/png")})
        job = client.post("/api/jobs", json={"kind": "anime", "upload": upload.json()["id"],
                                             "use": "sticker", "engine": "toon", "seed": 5})  # fmt: skip
        api_sticker = client.get(f"/api/images/{_wait(client, job.json()['id'])['result'][0]}")
        api_image = Image.open(io.BytesIO(api_sticker.content))
        assert cli_sticker.mode == api_image.mode == "RGBA"
        assert np.array_equal(np.asarray(cli_sticker), np.asarray(api_image))

        # 2. A scene with a saved character: its seed and engine, from each front end.
        by_cli = _cli(home, "create", "at the beach, smiling", "--character", "eve",
                      "-o", str(tmp_path / "b"))  # fmt: skip
        assert by_cli["engine"] == "draw" and by_cli["images"][0]["seed"] == 77
        job = client.post("/api/jobs", json={"kind": "create", "prompt": "at the beach, smiling",
                                             "character": "eve"})  # fmt: skip
        made = client.get(f"/api/generations/{_wait(client, job.json()['id'])['result'][0]}")
        assert (made.json()["engine"], made.json()["seed"]) == ("draw", 77)
        api_scene = client.get(f"/api/images/{made.json()['id']}").content
        assert np.array_equal(
            np.asarray(Image.open(by_cli["images"][0]["path"]).convert("RGB")),
            np.asarray(Image.open(io.BytesIO(api_scene)).convert("RGB")),
        )

        # 3. An edit of an image animegan made (animegan cannot edit): both fall back to the
        # best engine that can, and make the same pixels.
        made_by = EngineResult(images=[photo], engine="animegan", model="x.onnx", seeds=[1])
        request = EngineRequest(Task.PHOTO_TO_ANIME, image=photo, seed=1)
        parent = library.record(request, made_by)[0]
        size = (parent.width, parent.height)
        mask = Image.new("L", size, 0)
        mask.paste(255, (10, 10, 60, 60))
        mask_file = tmp_path / "mask.png"
        mask.save(mask_file)
        by_cli = _cli(home, "edit", parent.id, "--mask", str(mask_file), "--prompt", "a red scarf",
                      "--seed", "3", "-o", str(tmp_path / "c"))  # fmt: skip
        mask_id = client.post(
            "/api/uploads", files={"file": ("m.png", _png(mask.convert("RGB")), "image/png")}
        ).json()["id"]
        job = client.post("/api/jobs", json={"kind": "edit", "generation": parent.id,
                                             "mask": mask_id, "prompt": "a red scarf", "seed": 3})  # fmt: skip
        edited = client.get(f"/api/generations/{_wait(client, job.json()['id'])['result'][0]}")
        assert edited.json()["engine"] == by_cli["engine"] != "animegan"
        api_edit = client.get(f"/api/images/{edited.json()['id']}").content
        assert np.array_equal(
            np.asarray(Image.open(by_cli["images"][0]["path"]).convert("RGB")),
            np.asarray(Image.open(io.BytesIO(api_edit)).convert("RGB")),
        )


def test_vary_and_a_sticker_export_agree_across_front_ends(home: Path, tmp_path: Path) -> None:
    library = Library.open(home)
    first = _cli(home, "create", "a girl with pink twin tails", "--size", "128x128",
                 "--seed", "4", "-o", str(tmp_path / "a"))["images"][0]["id"]  # fmt: skip
    by_cli = _cli(home, "vary", first, "-n", "2", "--seed", "9", "-o", str(tmp_path / "b"))
    settings = ServerSettings(extra_hosts=("testserver",), workers=1)
    with TestClient(create_app(settings, library)) as client:
        job = client.post(
            "/api/jobs", json={"kind": "vary", "generation": first, "n": 2, "seed": 9}
        )
        made = _wait(client, job.json()["id"])["result"]
        api = [client.get(f"/api/generations/{g}").json() for g in made]
        assert [g["seed"] for g in api] == [i["seed"] for i in by_cli["images"]] == [9, 10]
        for cli_image, gen in zip(by_cli["images"], api, strict=True):
            pixels = client.get(f"/api/images/{gen['id']}").content
            assert np.array_equal(
                np.asarray(Image.open(cli_image["path"]).convert("RGB")),
                np.asarray(Image.open(io.BytesIO(pixels)).convert("RGB")),
            )
        # A sticker export of the same generation, from each front end.
        cli_export = _cli(home, "export", first, "--for", "sticker", "-o", str(tmp_path / "s.png"))
        api_export = client.post(f"/api/generations/{first}/export", json={"use": "sticker"})
        assert api_export.status_code == 201, api_export.text
        api_pixels = client.get(f"/api/images/{api_export.json()['id']}").content
        cli_image = Image.open(cli_export["images"][0]["path"])
        api_image = Image.open(io.BytesIO(api_pixels))
        assert cli_image.mode == api_image.mode == "RGBA"
        assert np.array_equal(np.asarray(cli_image), np.asarray(api_image))


def test_a_draft_is_drawn_by_the_services_own_engines(library: Library) -> None:
    """`Studio.draft` makes its draft with the engines the service was given (a server's
    keep draw in a helper process), never with a fresh one of its own."""
    from sakuga.engines.registry import get_engine
    from sakuga.prompt.artspec import ArtSpec
    from sakuga.studio.service.studio import Studio

    asked: list[str] = []

    def engines(name: str):  # type: ignore[no-untyped-def]
        asked.append(name)
        return get_engine(name)

    studio = Studio(library, engines=engines)
    plan = studio.create(ArtSpec.from_text("a girl with pink hair"), size=(32, 32), engine="fake")
    drafted = studio.draft(plan, "fake", 0.5)
    assert asked == ["fake"]
    assert drafted.request.task == Task.VARIATION and drafted.request.image is not None
