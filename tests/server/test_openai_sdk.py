"""The official openai SDK, pointed at a running Sakuga on 127.0.0.1."""

from __future__ import annotations

import base64
import io
from pathlib import Path

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


def test_a_failing_job_is_sent_once_by_the_sdk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#35: a job that failed answers 500 with ``x-should-retry: false``, so the SDK
    (which retries 5xx twice by default) sends it once: one job, one upstream call."""
    from tests.engines.fake_openai import FakeOpenAI

    upstream = FakeOpenAI().start()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.setenv("OPENAI_BASE_URL", upstream.base_url)
    try:
        upstream.fail(400, "Your request was rejected by the safety system.", times=5)
        with live_server(tmp_path / "lib") as base:
            client = openai.OpenAI(base_url=f"{base}/v1", api_key="unused")  # default retries
            with pytest.raises(openai.InternalServerError) as failed:
                client.images.generate(model="gpt-image-1.5", prompt="x", size="1024x1024")
            assert failed.value.response.headers["x-should-retry"] == "false"
            assert failed.value.code == "job_failed"
            assert len(upstream.seen) == 1  # one job: the SDK did not send it again
    finally:
        upstream.stop()
