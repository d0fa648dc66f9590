"""What the OpenAI Images API accepts, and how Sakuga meets it: models (retired ones
refused), sizes (the model's own, then cropped to the use's), inputs framed rather
than stretched, masks in the API's convention."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import Image

from sakuga.errors import ModelError
from sakuga.imaging.geometry import Box
from sakuga.imaging.masks import mask_array

DEFAULT_MODEL: Final = "gpt-image-2"

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
COMPLEXITIES: Final = frozenset({"low", "medium", "high"})
FIDELITIES: Final = frozenset({"low", "high"})
#: The end user a call is for (``safety_identifier`` replaces the deprecated ``user``):
#: sent upstream as an OpenAI client gave them, never recorded.
END_USER_IDS: Final = ("user", "safety_identifier")
OUTPUT_FORMATS: Final = frozenset({"png", "webp", "jpeg"})
#: The API takes up to 16 input images per edit (the photo or the image being edited first).
MAX_INPUT_IMAGES: Final = 16
MAX_PROMPT: Final = 32_000
#: Models that take ``input_fidelity="high"`` (the SDK's docs: supported on gpt-image-1.5;
#: gpt-image-1-mini only takes low; for gpt-image-2 the parameter must be omitted).
HIGH_FIDELITY_MODELS: Final = ("gpt-image-1.5", "chatgpt-image-latest")


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
