"""The official openai SDK against a live `sakuga serve` on 127.0.0.1: options honoured
or refused by name, streaming, variations, and errors in OpenAI's shape (and never
retried when they are the client's)."""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Iterator

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.server.live import live_server

openai = pytest.importorskip("openai")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("lib")) as base:
        yield base


class Counting(httpx.Client):
    """An HTTP client that counts the requests the SDK makes (retries included)."""

    def __init__(self) -> None:
        self.sent = 0

        def count(_: httpx.Request) -> None:
            self.sent += 1

        super().__init__(event_hooks={"request": [count]}, timeout=120)


def sdk(base: str, retries: int = 0) -> tuple[openai.OpenAI, Counting]:
    http = Counting()
    client = openai.OpenAI(
        base_url=f"{base}/v1", api_key="unused", max_retries=retries, http_client=http
    )
    return client, http


def decode(b64: str | None) -> Image.Image:
    assert b64 is not None
    return Image.open(io.BytesIO(base64.b64decode(b64)))


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def astronaut(size: int = 128) -> Image.Image:
    from skimage import data

    return Image.fromarray(data.astronaut()).resize((size, size))


def test_generate_honours_n_size_format_compression_and_quality(server: str) -> None:
    client, _ = sdk(server)
    result = client.images.generate(model="fake", prompt="anime girl", n=2, size="64x64")
    assert len(result.data or []) == 2
    assert (result.size, result.output_format, result.background) == ("64x64", "png", "opaque")
    # usage validates against the SDK's own model, details and all.
    assert result.usage is not None and result.usage.input_tokens_details is not None
    openai.types.ImagesResponse.model_validate(result.model_dump())
    for fmt, pil in (("jpeg", "JPEG"), ("webp", "WEBP")):
        small = client.images.generate(
            model="fake", prompt="x", size="64x64", output_format=fmt, output_compression=20
        )
        big = client.images.generate(
            model="fake", prompt="x", size="64x64", output_format=fmt, output_compression=95
        )
        image = decode((small.data or [])[0].b64_json)
        assert image.format == pil and small.output_format == fmt
        small_bytes = len((small.data or [])[0].b64_json or "")
        assert small_bytes < len((big.data or [])[0].b64_json or ""), "compression is used"
    low = client.images.generate(model="fake", prompt="x", size="64x64", quality="low")
    assert low.quality == "low"


def test_a_transparent_background_where_the_engine_draws_on_it(server: str) -> None:
    client, http = sdk(server, retries=2)
    result = client.images.generate(
        model="draw", prompt="anime girl, pink hair", size="256x256", background="transparent"
    )
    image = decode((result.data or [])[0].b64_json)
    alpha = np.asarray(image.convert("RGBA"))[:, :, 3]
    assert result.background == "transparent"
    assert (alpha == 0).mean() > 0.2 and (alpha == 255).mean() > 0.1
    # Any other engine's picture is cut out, as a sticker is.
    edited = client.images.edit(
        model="toon",
        image=("astronaut.png", png(astronaut(256)), "image/png"),
        prompt="anime portrait",
        background="transparent",
        output_format="webp",
    )
    alpha = np.asarray(decode((edited.data or [])[0].b64_json).convert("RGBA"))[:, :, 3]
    assert edited.background == "transparent" and (alpha == 0).mean() > 0.1
    assert (alpha == 255).mean() > 0.2, "the person stays"
    # A JPEG has no transparency: refused by name, once.
    sent = http.sent
    with pytest.raises(openai.BadRequestError) as refused:
        client.images.generate(
            model="draw", prompt="x", size="64x64", background="transparent", output_format="jpeg"
        )
    body = refused.value.body
    assert isinstance(body, dict) and body["param"] == "background"
    assert body["type"] == "invalid_request_error"
    assert http.sent == sent + 1, "a 400 is not retried"


def test_streaming_generations_and_edits_send_partial_and_completed_events(server: str) -> None:
    client, _ = sdk(server)
    events = list(
        client.images.generate(
            model="fake", prompt="anime girl", size="64x64", stream=True, partial_images=2
        )
    )
    kinds = [e.type for e in events]
    assert "image_generation.partial_image" in kinds, kinds  # fake makes a real preview
    assert kinds[-1] == "image_generation.completed"
    completed = events[-1]
    assert decode(completed.b64_json).size == (64, 64)
    assert completed.usage is not None
    edited = list(
        client.images.edit(
            model="toon",
            image=("astronaut.png", png(astronaut()), "image/png"),
            prompt="anime portrait",
            stream=True,
        )
    )
    assert [e.type for e in edited][-1] == "image_edit.completed"
    assert decode(edited[-1].b64_json).size[0] > 0


def test_variations_of_an_uploaded_image(server: str) -> None:
    client, _ = sdk(server)
    with warnings.catch_warnings():  # the SDK marks DALL·E 2's endpoint deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        result = client.images.create_variation(
            image=("astronaut.png", png(astronaut()), "image/png"), n=2, model="toon"
        )
    images = [decode(d.b64_json) for d in result.data or []]
    assert len(images) == 2
    a, b = (np.asarray(i.convert("RGB"), int) for i in images)
    assert np.abs(a - b).mean() > 1, "two versions, not one twice"


def test_edit_errors_are_the_clients_and_openai_shaped(server: str) -> None:
    client, http = sdk(server, retries=2)
    photo = astronaut(64)
    opaque = Image.new("RGBA", (64, 64), (0, 0, 0, 255))  # nothing transparent: no area
    no_alpha = Image.new("L", (64, 64), 255)
    cases = [
        ({"mask": ("m.png", png(opaque), "image/png")}, "mask"),
        ({"mask": ("m.png", png(no_alpha), "image/png")}, "mask"),
        ({"response_format": "url"}, "response_format"),
    ]
    for extra, param in cases:
        sent = http.sent
        with pytest.raises(openai.BadRequestError) as refused:
            client.images.edit(
                model="toon" if param != "mask" else "fake",
                image=("p.png", png(photo), "image/png"),
                prompt="x",
                **extra,  # type: ignore[arg-type]
            )
        body = refused.value.body
        assert isinstance(body, dict) and body["param"] == param, body
        assert refused.value.status_code == 400
        assert http.sent == sent + 1, "a 400 is not retried"
    # Two images to an engine that uses one: refused, not half-ignored.
    with pytest.raises(openai.BadRequestError) as refused:
        client.images.edit(
            model="toon",
            image=[("a.png", png(photo), "image/png"), ("b.png", png(photo), "image/png")],
            prompt="x",
        )
    assert isinstance(refused.value.body, dict) and refused.value.body["param"] == "image"


def test_every_v1_error_is_openai_shaped(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as http:
        for method, path, status in (
            ("GET", "/v1/nowhere", 404),
            ("GET", "/v1/images/generations", 405),
            ("DELETE", "/v1/images/edits", 405),
        ):
            response = http.request(method, path)
            assert response.status_code == status
            error = response.json()["error"]
            assert set(error) == {"message", "type", "param", "code"}
            assert error["type"] == "invalid_request_error"


def test_what_sakuga_writes_round_trips_through_the_sdk_models(server: str) -> None:
    """Raw bodies validate against the SDK's pydantic models, not just the SDK's parse."""
    with httpx.Client(base_url=server, timeout=120) as http:
        raw = http.post(
            "/v1/images/generations",
            json={"model": "fake", "prompt": "x", "size": "64x64", "output_format": "webp"},
        ).json()
    parsed = openai.types.ImagesResponse.model_validate(raw)
    assert parsed.output_format == "webp" and parsed.usage is not None


def test_edit_honours_n_size_format_compression_and_quality(server: str) -> None:
    client, _ = sdk(server)
    result = client.images.edit(
        model="fake",
        image=("p.png", png(astronaut(64)), "image/png"),
        prompt="x",
        n=2,
        size="64x64",
        output_format="jpeg",
        output_compression=50,
        quality="high",
    )
    images = [decode(d.b64_json) for d in result.data or []]
    assert [(i.format, i.size) for i in images] == [("JPEG", (64, 64))] * 2
    assert (result.output_format, result.quality, result.size) == ("jpeg", "high", "64x64")
