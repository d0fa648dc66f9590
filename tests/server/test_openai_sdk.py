"""The official openai SDK, pointed at a running Sakuga on 127.0.0.1."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.server.live import live_server

openai = pytest.importorskip("openai")


def test_sdk_generations_and_edits(tmp_path: Path) -> None:
    with live_server(tmp_path / "lib") as base:
        client = openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0, timeout=120)
        result = client.images.generate(
            model="fake", prompt="anime girl, pink twin tails", n=2, size="64x64"
        )
        assert len(result.data) == 2
        image = Image.open(io.BytesIO(base64.b64decode(result.data[0].b64_json)))
        assert image.size == (64, 64)

        from skimage import data

        photo = io.BytesIO()
        Image.fromarray(data.astronaut()).save(photo, format="PNG")
        photo.seek(0)
        edited = client.images.edit(
            model="toon",
            image=("astronaut.png", photo, "image/png"),
            prompt="cinematic anime portrait",
        )
        out = Image.open(io.BytesIO(base64.b64decode(edited.data[0].b64_json)))
        assert out.size == (512, 512)
        assert np.abs(np.asarray(out.convert("RGB"), int) - data.astronaut().astype(int)).mean() > 5

        with pytest.raises(openai.BadRequestError) as caught:
            client.images.generate(model="fake", prompt="x", n=11)
        assert "n must be between 1 and 10" in str(caught.value)


def test_sdk_with_a_token(tmp_path: Path) -> None:
    with live_server(tmp_path / "lib", token="s3cret") as base:
        denied = openai.OpenAI(base_url=f"{base}/v1", api_key="wrong", max_retries=0)
        with pytest.raises(openai.AuthenticationError):
            denied.images.generate(model="fake", prompt="x", size="64x64")
        allowed = openai.OpenAI(base_url=f"{base}/v1", api_key="s3cret", max_retries=0)
        assert len(allowed.images.generate(model="fake", prompt="x", size="64x64").data) == 1


def test_sdk_through_sakuga_to_the_openai_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GPT image model name is passed through to the openai engine (here a fake API)."""
    from tests.engines.fake_openai import USAGE, FakeOpenAI

    upstream = FakeOpenAI().start()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.setenv("OPENAI_BASE_URL", upstream.base_url)
    try:
        with live_server(tmp_path / "lib") as base:
            client = openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0)
            result = client.images.generate(
                model="gpt-image-1.5", prompt="anime fox girl", n=2, size="1536x1024"
            )
            assert len(result.data) == 2
            assert upstream.seen[-1].fields["model"] == "gpt-image-1.5"
            # The client's prompt goes upstream as written: no "Avoid: …" appended (#35).
            assert upstream.seen[-1].fields["prompt"] == "anime fox girl"
            assert upstream.seen[-1].fields["n"] == 2
            assert result.usage is not None
            assert result.usage.output_tokens == 2 * USAGE["output_tokens"]
            client.images.generate(model="openai:gpt-image-1-mini", prompt="x", size="1024x1024")
            assert upstream.seen[-1].fields["model"] == "gpt-image-1-mini"
            calls = len(upstream.seen)
            client.images.generate(model="draw", prompt="x", size="64x64")
            assert len(upstream.seen) == calls  # offline engines stay offline
    finally:
        upstream.stop()


@pytest.mark.parametrize(
    ("upstream_status", "upstream_code", "answer", "status", "code"),
    [
        (400, "moderation_blocked", "BadRequestError", 400, "moderation_blocked"),
        (400, None, "BadRequestError", 400, "invalid_value"),
        (500, None, "APIStatusError", 502, "upstream_error"),
    ],
)
def test_a_failing_job_is_answered_as_the_api_would_and_sent_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    upstream_status: int,
    upstream_code: str | None,
    answer: str,
    status: int,
    code: str,
) -> None:
    """#35: a job that failed answers with the status and code the API gives that kind
    of failure (the service's moderation 400 ``moderation_blocked``, a rejected
    argument 400, an outage 502) and ``x-should-retry: false``, so the SDK (which
    retries 5xx twice by default) sends it once: one job, one upstream call."""
    from tests.engines.fake_openai import FakeOpenAI

    fake = FakeOpenAI().start()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("SAKUGA_OPENAI_RETRIES", "0")  # the engine's own retries: none here
    try:
        fake.fail(upstream_status, "Your request was rejected.", code=upstream_code, times=5)
        with live_server(tmp_path / "lib") as base:
            client = openai.OpenAI(base_url=f"{base}/v1", api_key="unused")  # default retries
            with pytest.raises(getattr(openai, answer)) as failed:
                client.images.generate(model="gpt-image-1.5", prompt="x", size="1024x1024")
            assert failed.value.status_code == status
            assert failed.value.response.headers["x-should-retry"] == "false"
            assert failed.value.code == code
            assert len(fake.seen) == 1  # one job: the SDK did not send it again
    finally:
        fake.stop()


@pytest.fixture
def upstream(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A fake OpenAI Images API that the ``openai`` engine calls."""
    from tests.engines.fake_openai import FakeOpenAI

    fake = FakeOpenAI().start()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    try:
        yield fake
    finally:
        fake.stop()


def test_a_clients_own_arguments_go_upstream_as_written(tmp_path: Path, upstream: Any) -> None:
    """#35: moderation, the end user's ids, complexity and quality reach the real API
    as the client sent them; a call the client did not stream is not streamed upstream,
    and one it streamed asks for the client's partial images; the end user's id is in
    no recipe."""
    with live_server(tmp_path / "lib") as base:
        client = openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0)
        long_prompt = "a fox girl in a red scarf under lanterns. " * 250  # 10,500 characters
        result = client.images.generate(
            model="gpt-image-2",
            prompt=long_prompt,
            size="1024x1024",
            moderation="low",
            quality="xhigh",
            complexity="high",
            user="legacy-user",
            safety_identifier="hashed-user-7",
        )
        sent = upstream.seen[-1].fields
        assert sent["prompt"] == long_prompt  # whole: GPT image models take 32,000
        assert sent["moderation"] == "low" and sent["quality"] == "xhigh"
        assert sent["complexity"] == "high"
        assert (sent["user"], sent["safety_identifier"]) == ("legacy-user", "hashed-user-7")
        assert "stream" not in sent and "partial_images" not in sent
        image_bytes = base64.b64decode(result.data[0].b64_json or "")
        assert b"hashed-user-7" not in image_bytes and b"legacy-user" not in image_bytes

        events = list(
            client.images.generate(
                model="gpt-image-2", prompt="x", size="1024x1024", stream=True, partial_images=1
            )
        )
        assert events[-1].type == "image_generation.completed"
        streamed = upstream.seen[-1].fields
        assert streamed["stream"] is True and streamed["partial_images"] == 1

        photo = io.BytesIO()
        Image.new("RGB", (256, 256), (200, 150, 120)).save(photo, format="PNG")
        photo.seek(0)
        client.images.edit(
            model="gpt-image-1.5",
            image=("me.png", photo.getvalue(), "image/png"),
            prompt="as anime",
            input_fidelity="low",
            safety_identifier="hashed-user-7",
        )
        edit = upstream.seen[-1].fields
        assert edit["input_fidelity"] == "low"  # the client's, not Sakuga's "high"
        assert edit["safety_identifier"] == "hashed-user-7"
        assert str(edit.get("stream", "false")).lower() == "false"


def test_what_the_v1_reference_allows_and_refuses_by_name(tmp_path: Path) -> None:
    """#35: values as the reference has them (quality xhigh and max, quality always in
    the answer, jpeg at compression 100 by default); parameters refused by name with
    the API's codes; a long prompt refused for an engine that reads 4,000 characters."""
    with live_server(tmp_path / "lib") as base:
        client = openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0)
        made = client.images.generate(model="draw", prompt="a girl", size="64x64")
        assert made.quality == "high"  # auto, on an engine with one quality
        made = client.images.generate(model="draw", prompt="a girl", size="64x64", quality="max")
        assert made.quality == "max"
        jpeg = client.images.generate(
            model="draw", prompt="a girl", size="64x64", output_format="jpeg"
        )
        image = Image.open(io.BytesIO(base64.b64decode(jpeg.data[0].b64_json or "")))
        tables = image.quantization  # type: ignore[attr-defined]
        assert all(v == 1 for table in tables.values() for v in table)  # quality 100

        refused = {
            "style": ({"style": "vivid"}, "unsupported_parameter"),
            "frame_count": ({"extra_body": {"frame_count": 4}}, "unsupported_parameter"),
            "moderation": ({"moderation": "low"}, "unsupported_parameter"),
            "seed": ({"extra_body": {"seed": 1}}, "unknown_parameter"),
            "complexity": ({"complexity": "huge"}, "invalid_value"),
        }
        for param, (extra, code) in refused.items():
            with pytest.raises(openai.BadRequestError) as failed:
                client.images.generate(model="draw", prompt="a girl", size="64x64", **extra)
            assert (failed.value.param, failed.value.code) == (param, code), param
        with pytest.raises(openai.BadRequestError) as failed:
            client.images.generate(model="draw", prompt="x " * 2500, size="64x64")
        assert failed.value.code == "string_above_max_length"
        assert "4000" in failed.value.message and "32000" in failed.value.message


def test_models_are_listed_and_read_one_by_one(tmp_path: Path) -> None:
    """#35: every entry has ``created``; ``GET /v1/models/{id}`` answers each listed
    model and 404s (``model_not_found``) any other; a mapped name is listed."""
    with live_server(tmp_path / "lib", model_map={"gpt-image-2": "draw"}) as base:
        client = openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0)
        listed = {m.id: m for m in client.models.list()}
        assert {"draw", "toon", "gpt-image-2"} <= set(listed)
        assert all(isinstance(m.created, int) and m.created > 0 for m in listed.values())
        assert client.models.retrieve("draw").id == "draw"
        assert client.models.retrieve("gpt-image-2").owned_by == "sakuga"
        with pytest.raises(openai.NotFoundError) as missing:
            client.models.retrieve("no-such-model")
        assert missing.value.code == "model_not_found"


def test_a_checkpoint_in_the_model_folder_is_listed_as_diffusers_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#35: with no default model, ``diffusers`` alone is not servable, but each
    checkpoint in the model folder is, as ``diffusers:NAME`` (created: its file's time)."""
    from tests.conftest import require_diffusers

    require_diffusers()
    from sakuga.server.openai_models import model_list

    folder = tmp_path / "models"
    (folder / "my-anime-ckpt").mkdir(parents=True)
    (folder / "my-anime-ckpt" / "model_index.json").write_text("{}")
    monkeypatch.setattr("sakuga.engines.models.models_dir", lambda: folder)
    monkeypatch.delenv("SAKUGA_DIFFUSERS_MODEL", raising=False)
    listed = {m["id"]: m for m in model_list({})}
    assert "diffusers:my-anime-ckpt" in listed and "diffusers" not in listed
    made = int((folder / "my-anime-ckpt").stat().st_mtime)
    assert listed["diffusers:my-anime-ckpt"]["created"] == made
