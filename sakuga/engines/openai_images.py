"""The `openai` engine: GPT Image models through the OpenAI Images API.

Text → image goes to ``images.generate``; photo → anime, masked edits and text →
image with reference pictures go to ``images.edit``. What the models get wrong,
Sakuga fixes on its side:

- sizes: the use's exact size is made from the closest size the model allows
  (any multiple of 16 for the gpt-image-2 family, three fixed sizes for older
  models), then cropped and resized;
- masked edits repaint the whole frame, so the protocol pastes the original back
  outside the mask (`Engine.run`), and the input is padded rather than stretched
  to the model's size so the edit lands exactly where the mask is;
- no seed: the recipe stores the full request and the model's reply (size,
  quality, usage) instead of pretending a seed exists.

Settings (environment): ``OPENAI_API_KEY`` (required), ``OPENAI_BASE_URL`` (read by
the SDK), ``SAKUGA_OPENAI_MODEL`` (default ``gpt-image-2``), ``SAKUGA_OPENAI_TIMEOUT``
seconds per request (default 300), ``SAKUGA_OPENAI_RETRIES`` (default 2; the SDK
backs off and honours ``Retry-After`` / ``retry-after-ms``).
"""

from __future__ import annotations

import base64
import io
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from PIL import Image

from sakuga.engines.base import (
    Availability,
    Engine,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    Task,
    wants_previews,
)
from sakuga.engines.prices import estimate_cost
from sakuga.errors import (
    ContentPolicyError,
    EngineAuthError,
    EngineError,
    EngineRequestError,
    ImageError,
    ModelError,
    RateLimitError,
    UpstreamError,
)
from sakuga.imaging.faces import find_faces
from sakuga.imaging.geometry import Box, crop_box_for_aspect, union_box
from sakuga.imaging.io import decode_image
from sakuga.imaging.masks import mask_array
from sakuga.spec.attention import plain_text

if TYPE_CHECKING:
    import openai

DEFAULT_MODEL: Final = "gpt-image-2"
DEFAULT_TIMEOUT: Final = 300.0
DEFAULT_RETRIES: Final = 2

#: Models the API no longer serves, and what to use instead (from the SDK's model list).
RETIRED: Final[Mapping[str, str]] = {
    "gpt-image-1": "was shut down on 2026-10-23",
    "dall-e-2": "was retired on 2026-05-12",
    "dall-e-3": "was retired on 2026-05-12",
}
_RETIRED_SNAPSHOT = re.compile(r"^(gpt-image-1|dall-e-[23])-\d{4}-\d{2}-\d{2}$")

#: The sizes every GPT image model takes; models outside the gpt-image-2 family take only these.
FIXED_SIZES: Final = ((1024, 1024), (1536, 1024), (1024, 1536))
#: gpt-image-2 family: both sides multiples of 16, aspect 1:3 … 3:1, at most 3840 px a
#: side and 8,294,400 px in all; above 2560×1440 the API calls sizes experimental, so
#: Sakuga asks for at most that many pixels and resizes up (a 3000×3000 cover is made
#: at 1920×1920). Below about 655,360 px the API refuses, so small uses are made larger.
SIZE_STEP: Final = 16
MAX_EDGE: Final = 3840
MIN_PIXELS: Final = 655_360
MAX_PIXELS: Final = 2560 * 1440
MAX_ASPECT: Final = 3.0

QUALITIES: Final = frozenset({"low", "medium", "high", "auto", "xhigh", "max"})
MODERATION: Final = frozenset({"low", "auto"})
OUTPUT_FORMATS: Final = frozenset({"png", "webp", "jpeg"})
#: The API takes up to 16 input images per edit (the photo or the image being edited first).
MAX_INPUT_IMAGES: Final = 16
MAX_PROMPT: Final = 32_000
#: Models that take ``input_fidelity="high"`` (the SDK's docs: supported on gpt-image-1.5;
#: gpt-image-1-mini only takes low; for gpt-image-2 the parameter must be omitted).
HIGH_FIDELITY_MODELS: Final = ("gpt-image-1.5", "chatgpt-image-latest")


@dataclass(frozen=True)
class OpenAISettings:
    """The engine's settings, read from the environment when the engine runs."""

    api_key: str | None
    model: str
    timeout: float
    retries: int

    @classmethod
    def from_env(cls) -> OpenAISettings:
        return cls(
            api_key=os.environ.get("OPENAI_API_KEY") or None,
            model=os.environ.get("SAKUGA_OPENAI_MODEL") or DEFAULT_MODEL,
            timeout=_env_number("SAKUGA_OPENAI_TIMEOUT", DEFAULT_TIMEOUT),
            retries=int(_env_number("SAKUGA_OPENAI_RETRIES", DEFAULT_RETRIES)),
        )


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise EngineError(f"{name} must be a number, got {raw!r}") from None
    if value < 0 or not math.isfinite(value):
        raise EngineError(f"{name} must be zero or more, got {raw!r}")
    return value


def check_model(model: str) -> str:
    """``model`` if the API still serves it; a clear error for retired models."""
    name = model.strip()
    retired = RETIRED.get(name) or (
        RETIRED.get(name.rsplit("-", 3)[0]) if _RETIRED_SNAPSHOT.match(name) else None
    )
    if retired:
        raise ModelError(
            f"{name} {retired}; use gpt-image-2 (or gpt-image-1.5, gpt-image-1-mini) "
            "with --model or SAKUGA_OPENAI_MODEL"
        )
    if not name:
        raise ModelError("the OpenAI model name is empty")
    return name


def flexible_sizes(model: str) -> bool:
    """Whether ``model`` takes any size (the gpt-image-2 family) or only `FIXED_SIZES`."""
    return model.startswith("gpt-image-2")


def api_size(model: str, want: tuple[int, int]) -> tuple[int, int]:
    """The size to ask ``model`` for, closest to ``want`` in aspect and at least as large
    where the model allows it."""
    width, height = want
    aspect = width / height
    if not flexible_sizes(model):
        return min(FIXED_SIZES, key=lambda s: abs(math.log((s[0] / s[1]) / aspect)))
    aspect = min(max(aspect, 1 / MAX_ASPECT), MAX_ASPECT)
    pixels = min(max(width * height, MIN_PIXELS), MAX_PIXELS)
    w = math.sqrt(pixels * aspect)
    h = w / aspect
    scale = min(1.0, MAX_EDGE / max(w, h))
    w, h = w * scale, h * scale
    out_w = max(SIZE_STEP, round(w / SIZE_STEP) * SIZE_STEP)
    out_h = max(SIZE_STEP, round(h / SIZE_STEP) * SIZE_STEP)
    # Rounding can step just outside the pixel range: move the longer side one step.
    while out_w * out_h > MAX_PIXELS:
        if out_w >= out_h:
            out_w -= SIZE_STEP
        else:
            out_h -= SIZE_STEP
    while out_w * out_h < MIN_PIXELS:
        if out_w <= out_h:
            out_w += SIZE_STEP
        else:
            out_h += SIZE_STEP
    return (out_w, out_h)


@dataclass(frozen=True)
class Framed:
    """An input image placed on the model's canvas: where it sits, to take it back out."""

    image: Image.Image
    box: Box  # where the input lies on the canvas, in canvas pixels


def frame_for_api(image: Image.Image, size: tuple[int, int]) -> Framed:
    """``image`` scaled to fit ``size`` and padded (edge pixels repeated), never stretched
    nor cropped, so every output pixel maps back to one input pixel."""
    width, height = size
    scale = min(width / image.width, height / image.height)
    inner_w = max(1, min(width, round(image.width * scale)))
    inner_h = max(1, min(height, round(image.height * scale)))
    x0, y0 = (width - inner_w) // 2, (height - inner_h) // 2
    inner = np.asarray(image.resize((inner_w, inner_h), Image.Resampling.LANCZOS))
    pad: list[tuple[int, int]] = [(y0, height - inner_h - y0), (x0, width - inner_w - x0)]
    pad += [(0, 0)] * (inner.ndim - 2)
    canvas = np.pad(inner, pad, mode="edge")
    return Framed(Image.fromarray(canvas, image.mode), (x0, y0, x0 + inner_w, y0 + inner_h))


def unframe(output: Image.Image, framed: Framed, canvas: tuple[int, int]) -> Image.Image:
    """The part of ``output`` that shows the framed input (scaled if the model answered
    at another size than asked)."""
    sx, sy = output.width / canvas[0], output.height / canvas[1]
    x0, y0, x1, y1 = framed.box
    box = (round(x0 * sx), round(y0 * sy), round(x1 * sx), round(y1 * sy))
    return output.crop(box)


def api_mask(mask: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Sakuga's mask (white = change) as the API's: RGBA, transparent where to edit."""
    change = mask_array(mask, size)
    rgba = np.zeros((size[1], size[0], 4), dtype=np.uint8)
    rgba[..., 3] = np.where(change, 0, 255).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def png_file(image: Image.Image, name: str) -> tuple[str, bytes, str]:
    """An upload for the SDK: (filename, PNG bytes, content type)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return (name, buffer.getvalue(), "image/png")


class OpenAIEngine(Engine):
    name = "openai"
    title = "OpenAI GPT Image (needs OPENAI_API_KEY)"
    options = frozenset({"quality", "moderation", "output_format", "background"})
    tasks = frozenset({Task.TEXT_TO_IMAGE, Task.PHOTO_TO_ANIME, Task.MASKED_EDIT, Task.VARIATION})
    references = True
    deterministic = False
    seeded = False  # GPT image models take no seed
    priority = (
        7  # above draw for prompts when a key is set; the offline toon stays first for photos
    )

    def __init__(self, settings: OpenAISettings | None = None) -> None:
        self._settings = settings

    @property
    def settings(self) -> OpenAISettings:
        return self._settings or OpenAISettings.from_env()

    def availability(self, request: EngineRequest | None = None) -> Availability:
        try:
            import openai  # noqa: F401
        except ImportError:
            return Availability.no("the openai package is missing: pip install 'sakuga[openai]'")
        if not self.settings.api_key:
            return Availability.no("OPENAI_API_KEY is not set")
        return Availability.yes()

    def check_model(self, model: str) -> None:
        check_model(model)

    def model_for(self, request: EngineRequest) -> str:
        return check_model(request.model or self.settings.model)

    def _client(self) -> openai.OpenAI:
        import openai

        settings = self.settings
        # The SDK reads OPENAI_BASE_URL itself; retries and timeout are Sakuga's settings.
        return openai.OpenAI(
            api_key=settings.api_key, timeout=settings.timeout, max_retries=settings.retries
        )

    def _generate(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        model = self.model_for(request)
        call = _Call.plan(request, model)
        progress(Progress(0, request.n, f"asking {model} for {request.n} image(s)"))
        reply = _send(self._client(), call, request.n, progress, wants_previews(progress))
        images = [_take_back(img, call) for img in reply.images]
        progress(Progress(request.n, request.n, "done"))
        usage = dict(reply.usage) if reply.usage else {}
        cost = estimate_cost(model, usage)
        if cost is not None:
            usage["estimated_cost_usd"] = cost
        params: dict[str, Any] = {
            "Steps": None,
            "Quality": reply.quality or call.args.get("quality", "auto"),
            "API size": reply.size or call.args["size"],
        }
        if "input_fidelity" in call.args:
            params["Input fidelity"] = call.args["input_fidelity"]
        return EngineResult(
            images=images,
            engine=self.name,
            model=model,
            seeds=[None] * len(images),
            params=params,
            usage=usage or None,
            prompt=call.args["prompt"],
            dialect="natural",
        )


@dataclass
class _Call:
    """One API call: which endpoint, its arguments and input files, and the framing."""

    endpoint: str  # "generate" or "edit"
    args: dict[str, Any]
    canvas: tuple[int, int]
    framed: Framed | None

    @classmethod
    def plan(cls, request: EngineRequest, model: str) -> _Call:
        options = request.options
        canvas = api_size(model, request.output_size)
        prompt = _prompt(request)
        if len(prompt) > MAX_PROMPT:
            raise EngineRequestError(
                f"prompt: {len(prompt)} characters, more than the API's {MAX_PROMPT}"
            )
        args: dict[str, Any] = {
            "model": model,
            "prompt": prompt,
            "n": request.n,
            "size": f"{canvas[0]}x{canvas[1]}",
            "output_format": _choice(options, "output_format", OUTPUT_FORMATS, "png"),
        }
        if quality := _choice(options, "quality", QUALITIES, None):
            args["quality"] = quality
        transparent = request.spec.use == "sticker" or options.get("background") == "transparent"
        if transparent:
            if args["output_format"] == "jpeg":
                raise EngineRequestError("background: transparent needs png or webp output")
            args["background"] = "transparent"
        references = list(request.references)
        framed = None
        if request.task is Task.TEXT_TO_IMAGE and not references:
            if moderation := _choice(options, "moderation", MODERATION, None):
                args["moderation"] = moderation
            return cls("generate", args, canvas, None)
        inputs: list[Image.Image] = []
        if request.image is not None:
            source = request.image
            if request.task is Task.PHOTO_TO_ANIME:
                source = _crop_to_aspect(source, request.output_size)
            framed = frame_for_api(_rgb_or_rgba(source), canvas)
            inputs.append(framed.image)
            if model.startswith(HIGH_FIDELITY_MODELS) and request.task is Task.PHOTO_TO_ANIME:
                args["input_fidelity"] = "high"  # keeps facial features
        inputs.extend(_rgb_or_rgba(r) for r in references)
        if len(inputs) > MAX_INPUT_IMAGES:
            raise EngineRequestError(
                f"image: {len(inputs)} input images, the API takes at most {MAX_INPUT_IMAGES}"
            )
        args["image"] = [png_file(img, f"image-{i}.png") for i, img in enumerate(inputs)]
        if request.task is Task.MASKED_EDIT:
            assert request.mask is not None and framed is not None and request.image is not None
            mask = api_mask(request.mask, request.image.size)
            # The mask goes through the same framing as the image, so the two line up
            # exactly (the padding is cropped off the answer again).
            args["mask"] = png_file(frame_for_api(mask, canvas).image, "mask.png")
        return cls("edit", args, canvas, framed)


def _choice(
    options: Mapping[str, Any], key: str, allowed: frozenset[str], default: str | None
) -> str | None:
    value = options.get(key)
    if value is None:
        return default
    text = str(value).lower()
    if text not in allowed:
        raise EngineRequestError(
            f"{key}: must be one of {', '.join(sorted(allowed))}, got {value!r}"
        )
    return text


def _prompt(request: EngineRequest) -> str:
    """The prompt for the task. GPT image models take no negative prompt, so the things
    to avoid are said in words. GPT image models read natural language: A1111 weighting
    syntax in the person's text is reduced to its plain words, nothing else is changed."""
    spec = request.spec
    words = plain_text(request.text)
    if request.task is Task.PHOTO_TO_ANIME:
        style = spec.preset
        look = style.prompt[0] if style else "clean modern anime illustration"
        text = (
            f"Redraw this photo as {look}. Keep every person recognizable: the same face "
            "shape, eye shape and colour, hairstyle and hair colour, skin tone, expression, "
            "pose, clothing and framing. Anime line art with cel shading."
        )
        if request.prompt or spec.parts():
            text += f" {words}."
    elif request.task is Task.MASKED_EDIT:
        text = (
            f"Change only the transparent region of the mask: {words}. Match the "
            "existing art style, line weight, colours and lighting so no edge shows."
        )
    elif request.task is Task.VARIATION:
        text = f"A new version of this anime picture, same layout and colours: {words}"
    else:
        text = words
    if request.references:
        text += (
            " The reference images show the character: keep their face, hair, outfit "
            "and colours exactly."
        )
    return f"{text}\nAvoid: {plain_text(request.negative)}."


def _rgb_or_rgba(image: Image.Image) -> Image.Image:
    return image if image.mode in ("RGB", "RGBA") else image.convert("RGB")


def _crop_to_aspect(photo: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The photo cropped to the use's aspect around its faces (the model then sees what
    the creator will get, not a squeezed frame)."""
    rgb = np.asarray(photo.convert("RGB"))
    focus = union_box(find_faces(rgb))
    return photo.crop(crop_box_for_aspect(photo.size, size[0] / size[1], focus))


def _take_back(image: Image.Image, call: _Call) -> Image.Image:
    if call.framed is None:
        return image
    return unframe(image, call.framed, call.canvas)


@dataclass
class _Reply:
    images: list[Image.Image]
    usage: dict[str, Any] | None
    size: str | None
    quality: str | None


def _send(
    client: openai.OpenAI,
    call: _Call,
    n: int,
    progress: ProgressCallback,
    previews: bool,
) -> _Reply:
    """Make the call and turn every way it can fail into one of Sakuga's errors."""
    import openai

    method = client.images.generate if call.endpoint == "generate" else client.images.edit
    args = dict(call.args)
    if previews:
        args.update(stream=True, partial_images=2)
    try:
        if previews:
            return _read_stream(method(**args), n, progress)
        response = method(**args)
    except openai.APIStatusError as exc:
        raise _status_error(exc) from None
    except openai.APITimeoutError:
        raise UpstreamError(
            "the OpenAI API did not answer in time (after retries); "
            "try again, or raise SAKUGA_OPENAI_TIMEOUT"
        ) from None
    except openai.APIConnectionError as exc:
        raise UpstreamError(
            f"cannot reach the OpenAI API ({exc.message}); check the network"
        ) from None
    data = response.data or []
    images = [_decode(item.b64_json, i) for i, item in enumerate(data)]
    if not images:
        raise EngineError("the OpenAI API answered with no images (empty data); nothing was saved")
    usage = response.usage.model_dump() if response.usage else None
    return _Reply(images, usage, response.size, response.quality)


def _read_stream(events: Iterable[Any], n: int, progress: ProgressCallback) -> _Reply:
    images: list[Image.Image] = []
    usage: dict[str, Any] | None = None
    size = quality = None
    for event in _events(events):
        kind = getattr(event, "type", "")
        if kind.endswith(".partial_image"):
            preview = _decode(event.b64_json, len(images))
            progress(Progress(len(images), n, "preview", preview=preview))
        elif kind.endswith(".completed"):
            images.append(_decode(event.b64_json, len(images)))
            usage = _add_usage(usage, event.usage.model_dump() if event.usage else None)
            size, quality = event.size, event.quality
            progress(Progress(len(images), n, f"image {len(images)} of {n}"))
    if not images:
        raise EngineError("the OpenAI API stream ended with no images; nothing was saved")
    return _Reply(images, usage, size, quality)


def _events(events: Iterable[Any]) -> Iterator[Any]:
    """The stream's events, with errors raised mid-stream turned into Sakuga's."""
    import openai

    try:
        yield from events
    except openai.APIStatusError as exc:
        raise _status_error(exc) from None
    except openai.APIError as exc:
        raise UpstreamError(f"the OpenAI API stream failed: {exc.message}") from None


def _add_usage(total: dict[str, Any] | None, more: dict[str, Any] | None) -> dict[str, Any] | None:
    if more is None:
        return total
    if total is None:
        return more
    out = dict(total)
    for key, value in more.items():
        if isinstance(value, int) and isinstance(out.get(key), int):
            out[key] += value
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _add_usage(out[key], value)
    return out


def _decode(b64: str | None, index: int) -> Image.Image:
    if not b64:
        raise EngineError(f"the OpenAI API sent image {index + 1} without data")
    try:
        raw = base64.b64decode(b64, validate=True)
        return decode_image(raw, f"OpenAI image {index + 1}")
    except (ValueError, ImageError) as exc:
        raise EngineError(
            f"the OpenAI API sent image {index + 1} that cannot be read: {exc}"
        ) from None


def _status_error(exc: openai.APIStatusError) -> EngineError:
    """One distinct, actionable error per kind of refusal."""
    detail = _error_body(exc.body)
    message = str(detail.get("message") or exc.message)
    code = str(detail.get("code") or exc.code or "")
    param = detail.get("param") or exc.param
    status = exc.status_code
    if status in (401, 403):
        return EngineAuthError(
            f"the OpenAI API refused the key ({status}: {message}); check OPENAI_API_KEY"
        )
    if status == 429:
        wait = _retry_after(exc.response.headers)
        when = f"retry in {wait:g} s" if wait is not None else "retry in a minute"
        return RateLimitError(f"OpenAI rate limit reached after retries ({message}); {when}", wait)
    if code in ("moderation_blocked", "content_policy_violation") or "safety" in code:
        return ContentPolicyError(f"the OpenAI API refused the request (moderation): {message}")
    if status >= 500:
        return UpstreamError(f"the OpenAI API failed ({status}) after retries: {message}")
    where = f"{param}: " if param else ""
    return EngineRequestError(f"the OpenAI API rejected the request ({status}): {where}{message}")


def _error_body(body: object) -> dict[str, Any]:
    if isinstance(body, dict):
        inner = body.get("error")
        return inner if isinstance(inner, dict) else body
    return {}


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(header)
        if value is None:
            continue
        try:
            return max(0.0, float(value) / divisor)
        except ValueError:
            continue
    return None
