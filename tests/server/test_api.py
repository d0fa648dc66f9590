from __future__ import annotations

import base64
import io
import time

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from sakuga.studio.library.library import Library
from tests.conftest import requires_fonts
from tests.server.conftest import png


def wait(client: TestClient, job_id: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


@requires_fonts
def test_upload_create_keep_edit_export(client: TestClient) -> None:
    up = client.post("/api/uploads", files={"file": ("p.png", png(), "image/png")})
    assert up.status_code == 201
    job = client.post(
        "/api/jobs",
        json={"kind": "anime", "upload": up.json()["id"], "n": 2, "seed": 3, "engine": "fake"},
    ).json()
    done = wait(client, job["id"])
    assert done["status"] == "done" and len(done["result"]) == 2
    first = done["result"][0]
    image = client.get(f"/api/images/{first}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.headers["x-content-type-options"] == "nosniff"
    assert client.post(f"/api/generations/{first}/keep").json()["kept"] is True
    kept = client.get("/api/generations", params={"kept": True}).json()
    assert [g["id"] for g in kept] == [first]
    mask = Image.new("L", (64, 48), 0)
    mask.paste(255, (10, 10, 30, 30))
    buffer = io.BytesIO()
    mask.save(buffer, format="PNG")
    mask_id = client.post(
        "/api/uploads", files={"file": ("m.png", buffer.getvalue(), "image/png")}
    ).json()["id"]
    edit = wait(
        client,
        client.post(
            "/api/jobs",
            json={"kind": "edit", "generation": first, "mask": mask_id, "prompt": "pink hair"},
        ).json()["id"],
    )
    assert edit["status"] == "done"
    child = client.get(f"/api/generations/{edit['result'][0]}").json()
    assert child["parent_id"] == first and child["task"] == "masked-edit"
    export = client.post(
        f"/api/generations/{first}/export", json={"use": "thumbnail", "title": "NEON"}
    )
    assert export.status_code == 201 and export.json()["width"] == 1280


def test_create_from_a_prompt_with_the_draw_engine(client: TestClient) -> None:
    job = client.post(
        "/api/jobs",
        json={"kind": "create", "prompt": "anime girl, pink twin tails", "n": 1, "seed": 2},
    ).json()
    done = wait(client, job["id"])
    assert done["status"] == "done"
    assert client.get(f"/api/generations/{done['result'][0]}").json()["engine"] == "draw"


def test_events_stream_progress_to_the_end(client: TestClient) -> None:
    job = client.post(
        "/api/jobs", json={"kind": "create", "prompt": "boy", "engine": "fake"}
    ).json()
    with client.stream("GET", f"/api/jobs/{job['id']}/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line for line in response.iter_lines() if line.startswith("data: ")]
    assert '"status": "done"' in events[-1]


def test_critique_endpoint(client: TestClient) -> None:
    result = client.post("/api/critique", json={"text": "anime boy in a city"}).json()
    assert result["score"] < 40 and "hair" in result["missing"]


def test_bad_input_is_4xx_not_500(client: TestClient) -> None:
    assert (
        client.post(
            "/api/uploads", files={"file": ("x.png", b"<html><script>1</script>", "image/png")}
        ).status_code
        == 415
    )
    assert (
        client.post("/api/uploads", files={"file": ("x.png", b"", "image/png")}).status_code == 415
    )
    assert client.post("/api/jobs", json={"kind": "anime"}).status_code == 400
    assert client.post("/api/jobs", json={"kind": "hack"}).status_code == 422
    assert client.post("/api/jobs", json={"kind": "create", "n": 11}).status_code == 422
    assert client.get("/api/generations/nope").status_code == 404
    assert client.get("/api/images/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/api/images/../../etc/passwd").status_code == 404
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/app.py").status_code == 404


def test_uploads_are_re_encoded(client: TestClient, library: Library) -> None:
    # A PNG with junk after IEND (a polyglot trick) comes back as a clean PNG. The
    # original file is what is kept (#32: a phone's JPEG is not grown into a PNG), and
    # its id is the hash of its bytes; it is never served as it came.
    import hashlib

    data = png() + b"<script>alert(1)</script>"
    digest = client.post("/api/uploads", files={"file": ("p.png", data, "image/png")}).json()["id"]
    assert digest == hashlib.sha256(data).hexdigest()
    served = client.get(f"/api/uploads/{digest}")
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert b"<script>" not in served.content
    assert served.headers["x-content-type-options"] == "nosniff"
    preview = client.get(f"/api/uploads/{digest}", params={"size": 192})
    assert preview.headers["content-type"] == "image/webp" and b"<script>" not in preview.content
    assert client.get(f"/api/uploads/{digest}", params={"size": 100}).status_code == 400


def test_queue_full_answers_429_with_retry_after(client: TestClient) -> None:
    body = {"kind": "create", "prompt": "boy", "engine": "fake", "n": 10}
    codes = []
    for _ in range(12):
        response = client.post("/api/jobs", json={**body})
        codes.append(response.status_code)
        if response.status_code == 429:
            assert int(response.headers["retry-after"]) >= 1  # whole seconds, per HTTP
            assert 50 <= int(response.headers["retry-after-ms"]) <= 60_000
            break
    assert 429 in codes


def test_a_full_queue_refuses_an_openai_request_before_reading_it(client: TestClient) -> None:
    from sakuga.studio.jobs.local import QueueFullError

    queue = client.app.state.services.queue  # type: ignore[attr-defined]
    slow = {"task": "text-to-image", "spec": {}, "n": 1, "size": [16, 16]}
    payload = {"engine": "fake", "request": {**slow, "options": {"delay": 3.0}}}
    # First every worker busy with a slow job, so none can take a waiting one and make
    # room between filling the queue and the request below (a race CI once lost).
    busy = [queue.submit(payload) for _ in range(len(queue._threads))]
    deadline = time.monotonic() + 20
    while any(queue.get(job.id).status != "running" for job in busy):
        assert time.monotonic() < deadline, "the workers did not start the slow jobs"
        time.sleep(0.01)
    waiting = []
    with pytest.raises(QueueFullError):
        for _ in range(10):
            waiting.append(queue.submit(payload))
    assert len(waiting) == 4  # the bound (max_queued=4), exactly
    # Not even valid JSON: a full queue answers first, in OpenAI's error shape.
    refused = client.post(
        "/v1/images/generations", content=b"{", headers={"content-type": "application/json"}
    )
    assert refused.status_code == 429
    assert refused.json()["error"]["type"] == "rate_limit_error"
    assert int(refused.headers["retry-after"]) >= 1
    assert 50 <= int(refused.headers["retry-after-ms"]) <= 60_000
    assert refused.headers["x-content-type-options"] == "nosniff"
    # Refused at the door, but behind the security checks: a foreign page learns nothing.
    foreign = client.post(
        "/v1/images/generations", json={"prompt": "x"}, headers={"Origin": "http://evil.example"}
    )
    assert foreign.status_code == 403
    for job in busy + waiting:
        queue.cancel(job.id)


def test_openai_generations_shape_and_errors(client: TestClient) -> None:
    ok = client.post(
        "/v1/images/generations",
        json={"prompt": "anime girl, pink hair", "model": "fake", "n": 2, "size": "64x64"},
    )
    assert ok.status_code == 200, ok.text
    data = ok.json()
    assert set(data) == {
        "created",
        "data",
        "usage",
        "size",
        "background",
        "output_format",
        "quality",
    }
    assert len(data["data"]) == 2
    assert (data["size"], data["background"], data["output_format"]) == ("64x64", "opaque", "png")
    image = Image.open(io.BytesIO(base64.b64decode(data["data"][0]["b64_json"])))
    assert image.size == (64, 64)
    for body, param in (
        ({"prompt": "x", "n": 0}, "n"),
        ({"prompt": "x", "n": 11}, "n"),
        ({"prompt": "x", "size": "1000x1000"}, "size"),
        ({"prompt": "x" * 5000}, "prompt"),
        ({"n": 1}, "prompt"),
        ({"prompt": "x", "model": "diffusers:nope"}, "model"),
        ({"prompt": "x", "model": "toon"}, "model"),  # toon needs a photo
    ):
        bad = client.post("/v1/images/generations", json=body)
        assert bad.status_code == 400, body
        assert bad.json()["error"]["param"] == param
        assert set(bad.json()["error"]) == {"message", "type", "param", "code"}


def test_an_openai_edit_decodes_and_stores_its_upload_once(
    client: TestClient, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upload is decoded and stored once; the worker runs the request as decoded
    (no read back) and records the stored input by its hash (no second encoding)."""
    from sakuga.studio.library import library as library_module
    from sakuga.studio.library import requests
    from sakuga.studio.storage import files

    reads: list[str] = []
    encodes: list[object] = []
    read, encode = requests.RequestStore.input_image, files.stored_image
    monkeypatch.setattr(
        requests.RequestStore, "input_image", lambda self, h: reads.append(h) or read(self, h)
    )

    def spy(image: Image.Image, recipe: object = None) -> tuple[str, str, bytes]:
        encodes.append(recipe)
        return encode(image, recipe)  # type: ignore[arg-type]

    # Every image the library stores is encoded by `stored_image`: directly, or through
    # `put_image`.
    monkeypatch.setattr(files, "stored_image", spy)
    monkeypatch.setattr(library_module, "stored_image", spy)
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 120, 90)).save(buffer, format="PNG")
    response = client.post(
        "/v1/images/edits",
        data={"prompt": "anime", "model": "fake"},
        files={"image": ("p.png", buffer.getvalue(), "image/png")},
    )
    assert response.status_code == 200, response.text
    assert reads == []
    # One encoding for the stored photo, one for the output image (which has a recipe).
    assert [recipe is None for recipe in encodes] == [True, False]
    # The library's copy is written just after the answer.
    deadline = time.monotonic() + 10
    while not library.find() and time.monotonic() < deadline:
        time.sleep(0.02)
    (generation,) = library.find()
    assert generation.source_hash is not None
    assert library.input_image(generation.source_hash).size == (48, 32)


def test_openai_edits_keep_pixels_outside_the_mask(client: TestClient) -> None:
    photo = np.random.default_rng(0).integers(0, 255, (64, 96, 3), np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(photo).save(buffer, format="PNG")
    mask = Image.new("RGBA", (96, 64), (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), (20, 10, 40, 30))  # transparent = edit (OpenAI's convention)
    mbuf = io.BytesIO()
    mask.save(mbuf, format="PNG")
    response = client.post(
        "/v1/images/edits",
        data={"prompt": "pink", "model": "fake"},
        files={
            "image": ("p.png", buffer.getvalue(), "image/png"),
            "mask": ("m.png", mbuf.getvalue(), "image/png"),
        },
    )
    assert response.status_code == 200, response.text
    out = np.asarray(
        Image.open(io.BytesIO(base64.b64decode(response.json()["data"][0]["b64_json"]))).convert(
            "RGB"
        )
    )
    keep = np.ones((64, 96), bool)
    keep[6:34, 16:44] = False
    assert np.array_equal(out[keep], photo[keep])
    wrong = Image.new("L", (10, 10))
    wbuf = io.BytesIO()
    wrong.save(wbuf, format="PNG")
    bad = client.post(
        "/v1/images/edits",
        data={"prompt": "x", "model": "fake"},
        files={
            "image": ("p.png", buffer.getvalue(), "image/png"),
            "mask": ("m.png", wbuf.getvalue(), "image/png"),
        },
    )
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "mask"


def test_page_is_served_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "Sakuga" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200


def test_services_swap_through_dependency_overrides(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The library a handler sees comes from a dependency, so tests can swap it."""
    from sakuga.server.app import create_app
    from sakuga.server.deps import get_library
    from sakuga.server.security import ServerSettings

    default = Library.open(tmp_path / "default")
    other = Library.open(tmp_path / "other")
    app = create_app(ServerSettings(extra_hosts=("testserver",)), default)
    app.dependency_overrides[get_library] = lambda: other
    with TestClient(app) as client:
        digest = client.post("/api/uploads", files={"file": ("p.png", png(), "image/png")}).json()[
            "id"
        ]
    assert other.store.path(digest, "png").exists()
    assert not default.store.path(digest, "png").exists()


def test_characters_through_the_api(client: TestClient) -> None:
    made = client.post(
        "/api/characters",
        json={
            "name": "Mika",
            "description": "girl with short teal hair, red hoodie",
            "style": "webtoon",
            "seed": 3,
        },
    )
    assert made.status_code == 201 and made.json()["traits"]["hair"] == "short teal hair"
    assert (
        client.post("/api/characters", json={"name": "Mika", "description": "girl"}).status_code
        == 400
    )
    assert (
        client.post("/api/characters", json={"name": "X", "description": "zzz"}).status_code == 400
    )
    job = client.post(
        "/api/jobs", json={"kind": "create", "prompt": "laughing on a beach", "character": "Mika"}
    ).json()
    done = wait(client, job["id"])
    assert done["status"] == "done", done["error"]
    gen = client.get(f"/api/generations/{done['result'][0]}").json()
    assert (
        gen["request"]["spec"]["hair"] == "short teal hair"
        and gen["character_id"] == made.json()["id"]
    )
    assert [c["name"] for c in client.get("/api/characters").json()] == ["Mika"]

    # Two saved characters in one scene, each drawn as themselves (#34).
    client.post("/api/characters", json={"name": "Ren", "description": "boy with silver hair"})
    pair = client.post(
        "/api/jobs",
        json={"kind": "create", "prompt": "on a beach", "characters": ["Mika", "Ren"]},
    ).json()
    done = wait(client, pair["id"])
    assert done["status"] == "done", done["error"]
    gen = client.get(f"/api/generations/{done['result'][0]}").json()
    assert gen["params"]["Characters"] == "Mika, Ren"
    too_many = {"kind": "create", "prompt": "x", "characters": ["a", "b", "c", "d"]}
    assert client.post("/api/jobs", json=too_many).status_code == 422

    # The critique of a scene for Mika: her hair and outfit are not missing.
    alone = client.post("/api/critique", json={"text": "laughing on a beach"}).json()
    assert {"hair", "outfit"} <= set(alone["missing"])
    scene = client.post(
        "/api/critique", json={"text": "laughing on a beach", "character": "Mika"}
    ).json()
    assert not {"hair", "outfit"} & set(scene["missing"]) and scene["score"] > alone["score"]
    assert scene["from_character"]["hair"] == "short teal hair"
    assert "hair" not in scene["said"] and scene["said"]["expression"] == "laughing"
    unknown = client.post("/api/critique", json={"text": "a beach", "character": "Nobody"})
    assert unknown.status_code == 404

    sheet = client.post("/api/characters/Mika/sheet")
    assert sheet.status_code == 201, sheet.text
    assert sheet.json()["use"] == "sheet" and sheet.json()["character_id"] == made.json()["id"]


def test_previews_over_events_and_by_url(client: TestClient) -> None:
    job = client.post(
        "/api/jobs", json={"kind": "create", "prompt": "boy", "engine": "fake", "n": 2}
    ).json()
    with client.stream("GET", f"/api/jobs/{job['id']}/events") as response:
        events = [line for line in response.iter_lines() if line.startswith("data: ")]
    assert all('"previews": ' in e for e in events)
    # Once the job is done its previews are gone: 204, no body; unknown jobs are 404.
    assert client.get(f"/api/jobs/{job['id']}/preview").status_code == 204
    assert client.get("/api/jobs/nope/preview").status_code == 404


def test_responses_say_the_servers_own_time(client: TestClient) -> None:
    timing = client.get("/api/health").headers["server-timing"]
    assert timing.startswith("app;dur=") and float(timing.split("dur=")[1]) >= 0


def test_an_openai_request_past_its_deadline_is_504_and_its_job_cancelled(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sakuga.server.v1 as server_v1

    monkeypatch.setattr(server_v1, "JOB_WAIT", 0.3)
    monkeypatch.setenv("SAKUGA_FAKE_DELAY", "1.0")  # the fake engine's time per image
    late = client.post(
        "/v1/images/generations", json={"prompt": "girl", "model": "fake", "size": "16x16"}
    )
    assert late.status_code == 504
    assert late.json()["error"]["type"] == "server_error"
    queue = client.app.state.services.queue  # type: ignore[attr-defined]
    deadline = time.monotonic() + 20
    while not queue.find(status="cancelled"):  # its row, written once the worker stops it
        assert time.monotonic() < deadline, "the job nobody waits for was not cancelled"
        time.sleep(0.05)
    assert client.app.state.services.library.count() == 0  # type: ignore[attr-defined]


def test_prompt_directives_count_unless_the_body_sets_them(client: TestClient) -> None:
    prompt = "a girl in the rain\nseed: 42\ncount: 2"
    job = client.post("/api/jobs", json={"kind": "create", "prompt": prompt, "engine": "fake"})
    done = wait(client, job.json()["id"])
    assert done["status"] == "done" and len(done["result"]) == 2
    seeds = [client.get(f"/api/generations/{g}").json()["seed"] for g in done["result"]]
    assert seeds == [42, 43]
    body = {"kind": "create", "prompt": prompt, "engine": "fake", "n": 1, "seed": 7}
    done = wait(client, client.post("/api/jobs", json=body).json()["id"])
    assert [client.get(f"/api/generations/{g}").json()["seed"] for g in done["result"]] == [7]
    bad = client.post("/api/jobs", json={"kind": "create", "prompt": "seed: 1\nseed: 2"})
    assert bad.status_code == 400 and "seed twice" in bad.json()["detail"]


def test_a_character_from_an_uploaded_photo(client: TestClient, astronaut: Image.Image) -> None:
    buffer = io.BytesIO()
    astronaut.save(buffer, "PNG")
    photo = client.post(
        "/api/uploads", files={"file": ("me.png", buffer.getvalue(), "image/png")}
    ).json()["id"]
    made = client.post("/api/characters", json={"name": "Eileen", "photo": photo})
    assert made.status_code == 201, made.text
    saved = made.json()
    assert saved["traits"]["hair"] == "brown short hair" and len(saved["refs"]) == 1
    # Nothing to go on: neither a description nor a photo.
    assert client.post("/api/characters", json={"name": "X"}).status_code == 400


def test_an_empty_prompt_is_refused_not_drawn_as_a_generic_girl(client: TestClient) -> None:
    for prompt in ("", "   "):
        refused = client.post("/api/jobs", json={"kind": "create", "prompt": prompt})
        assert refused.status_code == 400
        assert "prompt is empty" in refused.json()["detail"]


def test_thumbnails_keep_the_aspect_and_are_made_once(client: TestClient) -> None:
    made = client.post(
        "/api/jobs", json={"kind": "create", "prompt": "anime girl, poster", "n": 1}
    ).json()
    for _ in range(200):
        job = client.get(f"/api/jobs/{made['id']}").json()
        if job["status"] == "done":
            break
        time.sleep(0.05)
    gen_id = job["result"][0]
    original = Image.open(io.BytesIO(client.get(f"/api/images/{gen_id}").content))
    first = client.get(f"/api/images/{gen_id}?size=384")
    assert first.status_code == 200 and first.headers["content-type"] == "image/webp"
    thumb = Image.open(io.BytesIO(first.content))
    assert max(thumb.size) == 384
    assert abs(thumb.width / thumb.height - original.width / original.height) < 0.02
    assert len(first.content) < len(client.get(f"/api/images/{gen_id}").content) / 4
    assert client.get(f"/api/images/{gen_id}?size=384").content == first.content
    assert client.get(f"/api/images/{gen_id}?size=500").status_code == 400


def test_the_library_filters_searches_tags_and_traces_lineage(client: TestClient) -> None:
    def make(prompt: str, **extra: object) -> list[str]:
        body = {"kind": "create", "prompt": prompt, "n": 1, "seed": 1, "engine": "fake", **extra}
        done = wait(client, client.post("/api/jobs", json=body).json()["id"])
        assert done["status"] == "done", done
        return list(done["result"])

    (city,) = make("anime girl in a rainy city at night", style="cinematic")
    (beach,) = make("anime boy on a sunny beach, 100% cheerful", use="avatar")
    page = client.get("/api/generations", params={"search": "RAINY night"}).json()
    assert [g["id"] for g in page] == [city]
    # A typed % is a literal character, not LIKE's wildcard.
    assert [g["id"] for g in client.get("/api/generations", params={"search": "100%"}).json()] == [
        beach
    ]
    assert client.get("/api/generations", params={"search": "0%c"}).json() == []
    assert [g["id"] for g in client.get("/api/generations", params={"use": "avatar"}).json()] == [
        beach
    ]
    assert [
        g["id"] for g in client.get("/api/generations", params={"style": "cinematic"}).json()
    ] == [city]
    made = client.get(f"/api/generations/{city}").json()["created_at"]
    assert client.get("/api/generations", params={"until": made}).json() == []
    assert {g["id"] for g in client.get("/api/generations", params={"since": made}).json()} == {
        city,
        beach,
    }

    tagged = client.post(f"/api/generations/{beach}/tags", json={"add": ["Summer", "draft"]})
    assert tagged.json()["tags"] == ["draft", "summer"]
    assert client.get("/api/tags").json() == ["draft", "summer"]
    assert [g["id"] for g in client.get("/api/generations", params={"tag": "summer"}).json()] == [
        beach
    ]
    untagged = client.post(f"/api/generations/{beach}/tags", json={"remove": ["draft"]})
    assert untagged.json()["tags"] == ["summer"]
    assert client.post(f"/api/generations/{beach}/rating/4").json()["rating"] == 4
    assert client.post(f"/api/generations/{beach}/rating/9").status_code == 400

    # Lineage: a variation and a re-run of the city image hang under it.
    (varied,) = make("", kind="vary", generation=city, n=1)
    (again,) = make("", kind="rerun", generation=city)
    tree = client.get(f"/api/generations/{varied}/lineage").json()
    assert tree["id"] == city
    assert [c["id"] for c in tree["children"]] == [varied, again]
    rerun = client.get(f"/api/generations/{again}").json()
    assert rerun["prompt"] == client.get(f"/api/generations/{city}").json()["prompt"]
    assert rerun["seed"] == client.get(f"/api/generations/{city}").json()["seed"]


def test_control_maps_and_uploads_by_hash(client: TestClient, astronaut: Image.Image) -> None:
    buffer = io.BytesIO()
    astronaut.save(buffer, format="PNG")
    up = client.post("/api/uploads", files={"file": ("a.png", buffer.getvalue(), "image/png")})
    made = client.post("/api/control-maps", json={"upload": up.json()["id"], "kind": "canny"})
    assert made.status_code == 201 and (made.json()["width"], made.json()["height"]) == (512, 512)
    got = client.get(f"/api/uploads/{made.json()['id']}")
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    edges = np.asarray(Image.open(io.BytesIO(got.content)).convert("L"))
    assert set(np.unique(edges)) <= {0, 255} and 0.02 < (edges > 0).mean() < 0.25
    assert client.get("/api/uploads/" + "0" * 64).status_code == 404
    assert client.get("/api/uploads/../../etc/passwd").status_code == 404
    assert (
        client.post("/api/control-maps", json={"upload": up.json()["id"], "kind": "depth"})
    ).status_code == 422
    # A control on a job: checked by the API, turned into the engine's option.
    bad = client.post(
        "/api/jobs",
        json={"kind": "create", "prompt": "x", "controls": [{"kind": "canny", "model": ""}]},
    )
    assert bad.status_code == 422


def test_generations_by_their_ids_in_one_request(client: TestClient, library: Library) -> None:
    """The page's kept work is read in one request: the ids asked, those that exist."""
    job = client.post(
        "/api/jobs", json={"kind": "create", "prompt": "boy", "engine": "fake", "n": 3}
    ).json()
    done = wait(client, job["id"])
    wanted = [*done["result"][:2], "abcdef123456"]  # the last was never made
    answer = client.get("/api/generations", params={"ids": ",".join(wanted)})
    assert sorted(g["id"] for g in answer.json()) == sorted(done["result"][:2])
    assert answer.headers["x-total-count"] == "2"
    assert client.get("/api/generations", params={"ids": "../x"}).status_code == 422
