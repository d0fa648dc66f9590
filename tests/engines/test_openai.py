"""The `openai` engine against a fake OpenAI Images API on 127.0.0.1 (real SDK, real HTTP)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.openai_api import (
    FIXED_SIZES,
    MAX_EDGE,
    MAX_PIXELS,
    MIN_PIXELS,
    api_size,
    frame_for_api,
    unframe,
)
from sakuga.engines.openai_images import OpenAIEngine
from sakuga.engines.prices import estimate_cost, price_table, rates_for
from sakuga.errors import (
    ContentPolicyError,
    EngineAuthError,
    EngineError,
    EngineRequestError,
    ModelError,
    RateLimitError,
    UpstreamError,
)
from sakuga.imaging.masks import DEFAULT_SEAM, mask_array, seam_alpha
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.uses import USES
from tests.engines.contract import EngineContract, Previews
from tests.engines.fake_openai import EDIT_COLOUR, USAGE, FakeOpenAI
from tests.test_cli import sakuga


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI().start()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("SAKUGA_OPENAI_RETRIES", "2")
    monkeypatch.setenv("SAKUGA_OPENAI_TIMEOUT", "20")
    monkeypatch.delenv("SAKUGA_OPENAI_MODEL", raising=False)
    yield fake
    fake.stop()


def mask_for(size: tuple[int, int], box: tuple[int, int, int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    mask.paste(255, box)
    return mask


class TestOpenAIContract(EngineContract):
    @pytest.fixture()
    def engine(self, server: FakeOpenAI) -> OpenAIEngine:
        return OpenAIEngine()


def test_unavailable_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    available = OpenAIEngine().availability()
    assert not available.ok and "OPENAI_API_KEY" in available.reason


@pytest.mark.parametrize("model", ["gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-2.5-flare"])
def test_flexible_sizes_follow_the_api_rules(model: str) -> None:
    wants = [u.size for u in USES.values()] + [(72, 40), (5000, 500), (300, 2000), (3000, 3000)]
    for want in wants:
        w, h = api_size(model, want)
        assert w % 16 == 0 and h % 16 == 0, (want, w, h)
        assert 1 / 3 <= w / h <= 3, (want, w, h)
        assert MIN_PIXELS <= w * h <= MAX_PIXELS and max(w, h) <= MAX_EDGE, (want, w, h)
        clamped = min(max(want[0] / want[1], 1 / 3), 3)
        assert abs(math.log((w / h) / clamped)) < 0.03, (want, w, h)
    assert api_size(model, (1920, 1080)) == (1920, 1088)
    assert api_size(model, (1024, 1024)) == (1024, 1024)


def test_fixed_size_models_get_the_closest_standard_size() -> None:
    assert api_size("gpt-image-1.5", (1920, 1080)) == (1536, 1024)
    assert api_size("gpt-image-1-mini", (1080, 1350)) == (1024, 1536)
    assert api_size("gpt-image-1.5", (512, 512)) == (1024, 1024)
    assert all(api_size("gpt-image-1.5", u.size) in FIXED_SIZES for u in USES.values())


def test_framing_pads_and_takes_back_exactly() -> None:
    image = Image.fromarray(np.random.default_rng(0).integers(0, 256, (37, 101, 3), np.uint8))
    framed = frame_for_api(image, (1536, 1024))
    assert framed.image.size == (1536, 1024)
    back = unframe(framed.image, framed, (1536, 1024))
    assert back.size[0] / back.size[1] == pytest.approx(101 / 37, rel=0.01)


def test_generate_sends_the_composed_prompt_size_and_options(server: FakeOpenAI) -> None:
    spec = ArtSpec.from_text("a girl with long pink hair in a school uniform, smiling").merged(
        style="cute", use="wallpaper"
    )
    request = EngineRequest(
        Task.TEXT_TO_IMAGE, spec=spec, n=3, options={"quality": "high", "moderation": "low"}
    )
    result = OpenAIEngine().run(request)
    sent = server.seen[-1]
    assert sent.path == "/v1/images/generations"
    assert sent.fields["model"] == "gpt-image-2"
    assert sent.fields["n"] == 3 and sent.fields["size"] == "1920x1088"
    assert sent.fields["quality"] == "high" and sent.fields["moderation"] == "low"
    assert sent.fields["output_format"] == "png"
    assert "long pink hair" in sent.fields["prompt"] and "Avoid:" in sent.fields["prompt"]
    assert "seed" not in sent.fields
    assert [i.size for i in result.images] == [(1920, 1080)] * 3
    assert result.seeds == [None, None, None]
    assert result.model == "gpt-image-2"
    assert result.params["API size"] == "1920x1088"


def test_two_characters_are_sent_as_a_layout_each_with_their_own_look(
    server: FakeOpenAI,
) -> None:
    """#34: GPT image models read a layout best — who stands where, each with their own
    hair and clothes, then the scene — not one run of words where traits mix."""
    ship = (
        "can u draw my ship Aki x Hana hugging at the airport?? Aki has short black hair "
        "and a denim jacket, Hana has long blonde hair and a yellow sundress, both crying "
        "happy tears"
    )
    OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, spec=ArtSpec.from_text(ship)))
    sent = server.seen[-1].fields["prompt"]
    assert sent.startswith("Two characters, side by side.")
    left, right = sent.split("On the left, Aki: ")[1].split("On the right, Hana: ")
    assert "short black hair" in left and "denim jacket" in left
    assert "blonde" not in left and "sundress" not in left
    assert "long blonde hair" in right.split("The scene:")[0] and "yellow sundress" in right
    assert "airport" in sent.split("The scene:")[1] and "my ship" not in sent
    # People who are not named are said by what they are.
    seawall = ArtSpec.from_text("a boy and a girl sitting on a seawall at golden hour")
    OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, spec=seawall))
    sent = server.seen[-1].fields["prompt"]
    assert "On the left: boy" in sent and "On the right: girl" in sent
    # A prompt sent as given (an OpenAI client's) goes as written.
    OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, spec=ArtSpec.from_text(ship), prompt=ship))
    assert server.seen[-1].fields["prompt"].startswith(ship)


def test_stickers_ask_for_a_transparent_background(server: FakeOpenAI) -> None:
    request = EngineRequest(Task.TEXT_TO_IMAGE, spec=ArtSpec(character="cat girl", use="sticker"))
    OpenAIEngine().run(request)
    assert server.seen[-1].fields["background"] == "transparent"
    with pytest.raises(EngineRequestError, match="png or webp"):
        OpenAIEngine().run(
            EngineRequest(
                Task.TEXT_TO_IMAGE,
                spec=ArtSpec(use="sticker"),
                options={"output_format": "jpeg"},
            )
        )


def test_bad_options_are_refused_before_any_call(server: FakeOpenAI) -> None:
    with pytest.raises(EngineRequestError, match="quality"):
        OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, options={"quality": "ultra"}))
    assert not server.seen


def test_model_from_setting_and_request(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAKUGA_OPENAI_MODEL", "gpt-image-1-mini")
    OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, size=(1920, 1080)))
    assert server.seen[-1].fields["model"] == "gpt-image-1-mini"
    assert server.seen[-1].fields["size"] == "1536x1024"
    OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, model="gpt-image-1.5"))
    assert server.seen[-1].fields["model"] == "gpt-image-1.5"


@pytest.mark.parametrize("model", ["gpt-image-1", "dall-e-3", "gpt-image-1-2025-04-15"])
def test_retired_models_say_so(server: FakeOpenAI, model: str) -> None:
    with pytest.raises(ModelError, match=r"shut down on 2026-10-23|retired on 2026-05-12"):
        OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, model=model))
    assert not server.seen


@pytest.mark.slow
def test_photo_to_anime_sends_the_photo_to_edits(
    server: FakeOpenAI, astronaut: Image.Image
) -> None:
    request = EngineRequest(
        Task.PHOTO_TO_ANIME, spec=ArtSpec(style="cinematic", use="avatar"), image=astronaut, n=2
    )
    result = OpenAIEngine().run(request)
    sent = server.seen[-1]
    assert sent.path == "/v1/images/edits"
    assert len(sent.images) == 1 and sent.mask is None
    assert "input_fidelity" not in sent.fields  # gpt-image-2 takes none
    assert "recognizable" in sent.fields["prompt"]
    assert [i.size for i in result.images] == [(1024, 1024)] * 2
    OpenAIEngine().run(
        EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut, model="gpt-image-1.5", size=(512, 512))
    )
    assert server.seen[-1].fields["input_fidelity"] == "high"


@pytest.mark.parametrize(
    ("model", "size"),
    [
        ("gpt-image-2", (101, 37)),
        ("gpt-image-2", (333, 333)),
        ("gpt-image-1.5", (37, 101)),
        ("gpt-image-1.5", (640, 359)),
    ],
)
def test_masked_edit_keeps_outside_exactly_and_edits_inside(
    server: FakeOpenAI, model: str, size: tuple[int, int]
) -> None:
    rng = np.random.default_rng(size[0])
    image = Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))
    w, h = size
    box = (w // 4, h // 3, w // 4 + max(6, w // 3), h // 3 + max(6, h // 3))
    mask = mask_for(size, box)
    request = EngineRequest(
        Task.MASKED_EDIT, image=image, mask=mask, prompt="a red ribbon", model=model
    )
    (out,) = OpenAIEngine().run(request).images
    sent = server.seen[-1]
    # The API's convention: RGBA, the size of the first image, transparent = edit.
    assert sent.mask is not None and sent.mask.mode == "RGBA"
    assert sent.mask.size == sent.images[0].size
    assert sent.fields["size"] == f"{sent.images[0].width}x{sent.images[0].height}"
    keep = seam_alpha(mask_array(mask, size), DEFAULT_SEAM) == 0
    original, edited = np.asarray(image), np.asarray(out.convert("RGB"))
    assert out.size == size
    assert np.array_equal(edited[keep], original[keep])
    # Inside the mask (away from its edge) the model's edit shows, in the right place.
    inner = np.zeros_like(keep)
    inner[box[1] + 2 : box[3] - 2, box[0] + 2 : box[2] - 2] = True
    colour = np.array(EDIT_COLOUR)
    assert np.abs(edited[inner].astype(int) - colour).max(axis=1).mean() < 40


def test_references_go_along_with_the_prompt(
    server: FakeOpenAI, astronaut: Image.Image, cat: Image.Image
) -> None:
    refs = (astronaut, cat, astronaut.resize((100, 100)))
    request = EngineRequest(
        Task.TEXT_TO_IMAGE, spec=ArtSpec(character="space girl"), references=refs
    )
    OpenAIEngine().run(request)
    sent = server.seen[-1]
    assert sent.path == "/v1/images/edits" and len(sent.images) == 3
    assert "reference images" in sent.fields["prompt"]
    # Saved characters' references are said by name, in the order they are sent (#34).
    named = EngineRequest(
        Task.TEXT_TO_IMAGE,
        spec=ArtSpec.from_text("Aki and Hana at the airport"),
        references=(astronaut, cat),
        options={"reference_names": ["Aki", "Hana"]},
    )
    OpenAIEngine().run(named)
    assert "(image 1: Aki; image 2: Hana)" in server.seen[-1].fields["prompt"]
    too_many = EngineRequest(Task.TEXT_TO_IMAGE, references=(cat,) * 17)
    with pytest.raises(EngineRequestError, match="at most 16"):
        OpenAIEngine().run(too_many)


@pytest.mark.parametrize("task", [Task.TEXT_TO_IMAGE, Task.PHOTO_TO_ANIME])
def test_streaming_previews_when_wanted(
    server: FakeOpenAI, photo_small: Image.Image, task: Task
) -> None:
    callback = Previews()
    image = photo_small if task is Task.PHOTO_TO_ANIME else None
    result = OpenAIEngine().run(EngineRequest(task, n=2, image=image), callback)
    sent = server.seen[-1]
    assert sent.fields["stream"] in (True, "true") and int(sent.fields["partial_images"]) == 2
    previews = [p.preview for p in callback.seen if p.preview is not None]
    assert len(previews) == 4
    assert len(result.images) == 2
    assert result.usage is not None and result.usage["output_tokens"] == 2 * USAGE["output_tokens"]
    # A plain callback does not pay for a stream.
    OpenAIEngine().run(EngineRequest(task, image=image), lambda _: None)
    assert "stream" not in server.seen[-1].fields


def test_usage_and_estimated_cost(server: FakeOpenAI) -> None:
    result = OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, n=2))
    assert result.usage is not None
    assert result.usage["output_tokens"] == 2 * USAGE["output_tokens"]
    rates = price_table()["models"]["gpt-image-2"]
    expected = (50 * rates["text_input"] + 10 * rates["image_input"]) / 1e6
    expected += 2 * USAGE["output_tokens"] * rates["image_output"] / 1e6
    assert result.usage["estimated_cost_usd"] == pytest.approx(expected)


def test_price_table_is_dated_and_snapshots_use_their_model() -> None:
    table = price_table()
    assert table["as_of"] and table["currency"] == "USD"
    assert rates_for("gpt-image-2-2026-04-21") == rates_for("gpt-image-2")
    assert rates_for("some-other-model") is None
    assert estimate_cost("some-other-model", dict(USAGE)) is None


# --- every failure its own clear error --------------------------------------------------


def test_400_names_the_parameter(server: FakeOpenAI) -> None:
    server.fail(400, "Invalid size '1000x1000'.", param="size", code="invalid_value")
    with pytest.raises(EngineRequestError, match=r"size: Invalid size"):
        OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE))


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failures_point_at_the_key(server: FakeOpenAI, status: int) -> None:
    server.fail(status, "Incorrect API key provided.")
    with pytest.raises(EngineAuthError, match="check OPENAI_API_KEY"):
        OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE))
    assert len(server.seen) == 1  # never retried


def test_rate_limit_is_retried_honouring_retry_after(server: FakeOpenAI) -> None:
    server.fail(429, "Rate limit reached", headers={"retry-after-ms": "20"})
    result = OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE))
    assert len(result.images) == 1 and len(server.seen) == 2


def test_rate_limit_after_retries_says_when(server: FakeOpenAI) -> None:
    server.fail(429, "Rate limit reached", headers={"retry-after-ms": "30"}, times=3)
    with pytest.raises(RateLimitError, match=r"retry in 0\.03 s") as caught:
        OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE))
    assert caught.value.retry_after == pytest.approx(0.03)
    assert len(server.seen) == 3  # one try and two retries, then it stops


def test_server_errors_are_retried_then_reported(server: FakeOpenAI) -> None:
    server.fail(500, "The server had an error", headers={"retry-after-ms": "10"}, times=3)
    with pytest.raises(UpstreamError, match="500"):
        OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE))
    assert len(server.seen) == 3


def test_timeouts_are_retried_then_reported(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAKUGA_OPENAI_TIMEOUT", "0.2")
    monkeypatch.setenv("SAKUGA_OPENAI_RETRIES", "1")
    server.fail(200, "slow", delay=1.0, times=2)
    with pytest.raises(UpstreamError, match="did not answer in time"):
        OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE))


def test_moderation_refusal_is_its_own_error(server: FakeOpenAI) -> None:
    server.fail(400, "Your request was rejected by the safety system.", code="moderation_blocked")
    with pytest.raises(ContentPolicyError, match="rejected by the safety system"):
        OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE))


def test_empty_data_is_an_error_never_an_empty_success(server: FakeOpenAI) -> None:
    server.empty_data = True
    with pytest.raises(EngineError, match="no images"):
        OpenAIEngine().run(EngineRequest(Task.TEXT_TO_IMAGE))


# --- the CLI, end to end --------------------------------------------------------------


@pytest.mark.slow
def test_cli_create_anime_edit_with_json(server: FakeOpenAI, tmp_path: Path) -> None:
    out = sakuga(
        "create", "a girl with short black hair", "--engine", "openai", "-n", "2",
        "--for", "thumbnail", "--quality", "low", "-o", str(tmp_path / "create"), "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    assert made["engine"] == "openai" and made["model"] == "gpt-image-2"
    assert [(i["width"], i["height"]) for i in made["images"]] == [(1280, 720)] * 2
    assert all(i["seed"] is None for i in made["images"])
    assert server.seen[-1].fields["quality"] == "low"

    out = sakuga(
        "anime", "sample:astronaut", "--engine", "openai", "--for", "avatar",
        "-o", str(tmp_path / "anime"), "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    photo = json.loads(out.stdout)["images"][0]
    assert (photo["width"], photo["height"]) == (1024, 1024)

    source = Path(photo["path"])
    mask_path = tmp_path / "mask.png"
    mask_for((1024, 1024), (300, 300, 600, 500)).save(mask_path)
    out = sakuga(
        "edit", str(source), "--mask", str(mask_path), "--prompt", "a gold hairpin",
        "--engine", "openai", "-o", str(tmp_path / "edit.png"), "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    edited = Image.open(json.loads(out.stdout)["images"][0]["path"]).convert("RGB")
    keep = seam_alpha(mask_array(Image.open(mask_path), (1024, 1024)), DEFAULT_SEAM) == 0
    before = np.asarray(Image.open(source).convert("RGB"))
    assert np.array_equal(np.asarray(edited)[keep], before[keep])

    shown = sakuga("info", str(tmp_path / "edit.png"), "--json")
    recipe = json.loads(shown.stdout)
    assert recipe["sakuga"]["usage"]["estimated_cost_usd"] > 0


@pytest.mark.parametrize(
    ("status", "code", "headers", "expected"),
    [
        (400, "invalid_value", {}, "size: bad size"),
        (401, None, {}, "check OPENAI_API_KEY"),
        (429, None, {"retry-after-ms": "10"}, "rate limit reached after retries"),
        (500, None, {"retry-after-ms": "10"}, "failed (500) after retries"),
        (400, "moderation_blocked", {}, "(moderation): bad size"),
    ],
)
def test_cli_failures_are_one_clear_line(
    server: FakeOpenAI,
    tmp_path: Path,
    status: int,
    code: str | None,
    headers: dict[str, str],
    expected: str,
) -> None:
    server.fail(status, "bad size", code=code, param="size", headers=headers, times=3)
    out = sakuga("create", "a fox girl", "--engine", "openai", "-o", str(tmp_path))
    assert out.returncode == 1
    assert expected in out.stderr and "Traceback" not in out.stderr
    assert not list(tmp_path.glob("*.png"))


def test_cli_refuses_gpt_image_1(server: FakeOpenAI, tmp_path: Path) -> None:
    out = sakuga("create", "a fox girl", "--engine", "openai", "--model", "gpt-image-1")
    assert out.returncode == 1 and "shut down on 2026-10-23" in out.stderr
