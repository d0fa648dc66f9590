"""How an OpenAI-compatible request wants its images back: the format, compression,
background and quality it asked for, as one response or as a stream of events.

Each option is honoured where Sakuga can, or refused with the OpenAI-shaped 400 that
names its ``param``; none is silently ignored:

- ``output_format`` png, jpeg or webp, and ``output_compression`` (0–100) for the
  last two: the image is re-encoded, its recipe carried in the new file;
- ``background``: opaque (or auto); transparent in a PNG or WEBP, never a JPEG:
  ``draw`` renders the figure alone on transparency, and any other engine's picture
  is cut out as a sticker is (the library keeps the picture as drawn);
- ``quality`` low, medium, high, xhigh, max or auto: passed to the engine (the
  ``openai`` engine bills and renders by it) and answered with the quality the image
  was made at: the upstream model's own answer, else the one asked, else ``high`` (the
  offline engines have one quality, their best);
- ``output_compression`` 0–100 for jpeg and webp, 100 when not given (the API's default);
- ``stream`` with ``partial_images`` (0–3): server-sent events as the SDK reads them,
  a ``…partial_image`` event per preview the engine makes, then ``…completed``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from PIL import Image

from sakuga.imaging.metadata import encode_image, read_recipe
from sakuga.server.errors import OpenAIError

FORMATS: Final = ("png", "jpeg", "webp")
QUALITIES: Final = ("low", "medium", "high", "xhigh", "max", "auto")
#: What a response says of an image made at ``auto`` by an engine that reports none.
_ONE_QUALITY: Final = "high"
#: The API's ``output_compression`` when a client sends none.
DEFAULT_COMPRESSION: Final = 100


@dataclass(frozen=True)
class Output:
    format: str = "png"
    compression: int | None = None
    background: str = "auto"  # auto, opaque or transparent
    quality: str = "auto"
    stream: bool = False
    partial_images: int = 0

    @property
    def transparent(self) -> bool:
        return self.background == "transparent"

    def made_at(self, recorded: Any) -> str:
        """The quality an image was made at: the engine's record of it (the upstream
        model's answer), else the one asked, else the offline engines' one."""
        if recorded in QUALITIES and recorded != "auto":
            return str(recorded)
        return self.quality if self.quality != "auto" else _ONE_QUALITY

    def fields(self, size: tuple[int, int] | None, quality: Any = None) -> dict[str, Any]:
        """The response's own account of what it is: size, quality (``quality`` as the
        engine recorded it), background, format."""
        out: dict[str, Any] = {
            "background": "transparent" if self.transparent else "opaque",
            "output_format": self.format,
            "quality": self.made_at(quality),
        }
        if size is not None:
            out["size"] = f"{size[0]}x{size[1]}"
        return out

    def event_fields(self, size: tuple[int, int] | None, quality: Any = None) -> dict[str, Any]:
        """A stream event's account of itself: the same, but every field present, as
        the SDK's event types require (``auto`` where there is nothing to say yet: a
        partial image's)."""
        return {
            **self.fields(size, quality),
            "quality": self.made_at(quality) if size else self.quality,
            "size": f"{size[0]}x{size[1]}" if size else "auto",
        }

    def encode(self, png: bytes) -> bytes:
        """The stored PNG as the format asked, its recipe carried over; on transparency
        when asked (an engine that drew on it keeps its own alpha; any other picture
        is cut out as a sticker is: the person, else the subject GrabCut finds, else a
        rounded frame)."""
        if self.format == "png" and not self.transparent:
            return png
        image: Image.Image = Image.open(io.BytesIO(png))
        image.load()
        recipe = read_recipe(image)
        if self.transparent:
            from sakuga.compose.sticker import cutout

            mask, _ = cutout(image)
            image = image.convert("RGBA")
            image.putalpha(Image.fromarray(mask).convert("L"))
        compression = DEFAULT_COMPRESSION if self.compression is None else self.compression
        return encode_image(image, recipe, self.format, quality=compression)


def _flag(value: Any, param: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise OpenAIError(400, f"{param} must be true or false", param)


def _integer(value: Any, param: str, low: int, high: int) -> int:
    text = value if isinstance(value, str) else None
    if isinstance(value, bool) or not (
        isinstance(value, int) or (text and text.isascii() and text.isdigit() and len(text) < 4)
    ):
        raise OpenAIError(400, f"{param} must be an integer from {low} to {high}", param)
    number = int(value)
    if not low <= number <= high:
        raise OpenAIError(400, f"{param} must be from {low} to {high}, got {number}", param)
    return number


def read_output(fields: Mapping[str, Any]) -> Output:
    """The output options of a request (JSON body or form), checked; 400 naming the
    ``param`` for one that cannot be honoured."""
    fmt = str(fields.get("output_format") or "png").lower()
    if fmt not in FORMATS:
        raise OpenAIError(
            400, f"output_format must be png, jpeg or webp, got {fmt[:20]!r}", "output_format"
        )
    compression = None
    if fields.get("output_compression") is not None:
        compression = _integer(fields["output_compression"], "output_compression", 0, 100)
        if fmt == "png":
            raise OpenAIError(
                400,
                "output_compression applies to jpeg and webp, not png",
                "output_compression",
            )
    background = str(fields.get("background") or "auto").lower()
    if background not in ("auto", "opaque", "transparent"):
        raise OpenAIError(400, "background must be transparent, opaque or auto", "background")
    if background == "transparent" and fmt == "jpeg":
        raise OpenAIError(400, "a JPEG has no transparency: use png or webp", "background")
    quality = str(fields.get("quality") or "auto").lower()
    if quality not in QUALITIES:
        raise OpenAIError(
            400, f"quality must be one of {', '.join(QUALITIES)}", "quality", code="invalid_value"
        )
    stream = _flag(fields.get("stream", False), "stream")
    partial = 0
    if fields.get("partial_images") is not None:
        partial = _integer(fields["partial_images"], "partial_images", 0, 3)
    return Output(fmt, compression, background, quality, stream, partial)


def usage_of(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """Usage as the SDK's ``ImagesResponse.Usage`` requires it (the details included)."""
    raw = raw or {}
    inputs = raw.get("input_tokens_details") or {}
    outputs = raw.get("output_tokens_details") or {}
    return {
        "input_tokens": int(raw.get("input_tokens", 0)),
        "output_tokens": int(raw.get("output_tokens", 0)),
        "total_tokens": int(raw.get("total_tokens", 0)),
        "input_tokens_details": {
            "text_tokens": int(inputs.get("text_tokens", 0)),
            "image_tokens": int(inputs.get("image_tokens", 0)),
        },
        "output_tokens_details": {
            "text_tokens": int(outputs.get("text_tokens", 0)),
            "image_tokens": int(outputs.get("image_tokens", raw.get("output_tokens", 0))),
        },
    }


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
