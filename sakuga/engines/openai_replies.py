"""The OpenAI Images API's answers: sending a call (streamed when previews are wanted),
reading its images and usage, and every way it can fail as one of Sakuga's errors."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image

from sakuga.engines.base import Progress, ProgressCallback
from sakuga.errors import (
    ContentPolicyError,
    EngineAuthError,
    EngineError,
    EngineRequestError,
    ImageError,
    RateLimitError,
    UpstreamError,
)
from sakuga.imaging.io import decode_image

if TYPE_CHECKING:
    import openai

    from sakuga.engines.openai_images import OpenAICall


@dataclass
class _Reply:
    images: list[Image.Image]
    usage: dict[str, Any] | None
    size: str | None
    quality: str | None


def send_reply(
    client: openai.OpenAI,
    call: OpenAICall,
    n: int,
    progress: ProgressCallback,
    partials: int | None,
) -> _Reply:
    """Make the call, streamed with ``partials`` partial images unless that is None,
    and turn every way it can fail into one of Sakuga's errors."""
    import openai

    method = client.images.generate if call.endpoint == "generate" else client.images.edit
    args = dict(call.args)
    if partials is not None:
        args.update(stream=True, partial_images=partials)
    try:
        if partials is not None:
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
