"""A fake OpenAI Images API on 127.0.0.1 that speaks the real HTTP protocol.

JSON for ``POST /v1/images/generations``, multipart (``image[]``, ``mask``) for
``POST /v1/images/edits``, Server-Sent Events when ``stream`` is true, and scripted
failures (any status, body and headers) taken in order before the default answer.
The real ``openai`` SDK and real HTTP are exercised end to end.

Edits are answered by a deliberately careless model: it changes every pixel of the
frame (as GPT image edits are known to do) and paints the masked region magenta, so
tests can see both that the edit landed inside the mask and that Sakuga pasted the
original back outside it.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
from PIL import Image

from sakuga.engines.fake import gradient

EDIT_COLOUR = (255, 0, 255)
USAGE = {
    "input_tokens": 60,
    "input_tokens_details": {"text_tokens": 50, "image_tokens": 10},
    "output_tokens": 1056,
    "total_tokens": 1116,
}


@dataclass
class Scripted:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    """One request as the server parsed it."""

    path: str
    headers: dict[str, str]
    fields: dict[str, Any]
    images: list[Image.Image] = field(default_factory=list)
    mask: Image.Image | None = None


class FakeOpenAI:
    def __init__(self) -> None:
        self.script: deque[Scripted] = deque()
        self.seen: list[Seen] = []
        self.empty_data = False
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def fail(
        self,
        status: int,
        message: str = "scripted failure",
        *,
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Answer the next ``times`` requests with ``status`` and an OpenAI error body."""
        body = {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": param,
                "code": code,
            }
        }
        for _ in range(times):
            self.script.append(Scripted(status, body, dict(headers or {}), delay))

    # --- the default answers --------------------------------------------------------

    def answer(self, seen: Seen) -> tuple[list[Image.Image], str]:
        size = str(seen.fields.get("size", "1024x1024"))
        width, height = (int(v) for v in size.split("x"))
        n = int(seen.fields.get("n", 1))
        if seen.path.endswith("/edits"):
            images = [self._edit(seen, (width, height), i) for i in range(n)]
        else:
            images = [gradient((width, height), len(self.seen) * 10 + i) for i in range(n)]
        return images, size

    def _edit(self, seen: Seen, size: tuple[int, int], index: int) -> Image.Image:
        source = seen.images[0].convert("RGB").resize(size)
        # Every pixel changes: inverted, plus a little noise per version.
        rng = np.random.default_rng(index)
        pixels = 255 - np.asarray(source, dtype=np.int16)
        pixels = np.clip(pixels + rng.integers(1, 8, pixels.shape), 0, 255).astype(np.uint8)
        if seen.mask is not None:
            alpha = np.asarray(seen.mask.convert("RGBA").resize(size))[..., 3]
            pixels[alpha == 0] = EDIT_COLOUR
        return Image.fromarray(pixels, "RGB")


def _b64_png(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, Any], list[Image.Image], Image.Image | None]:
    message: Message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, Any] = {}
    images: list[Image.Image] = []
    mask = None
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if part.get_filename():
            picture = Image.open(io.BytesIO(payload))
            picture.load()
            if name == "mask":
                mask = picture
            else:
                assert name in ("image", "image[]"), name
                images.append(picture)
        else:
            fields[name] = payload.decode()
    return fields, images, mask


def _handler(server: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            return None

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            if self.path.endswith("/images/generations"):
                seen = Seen(self.path, headers, json.loads(body))
            elif self.path.endswith("/images/edits"):
                fields, images, mask = _parse_multipart(headers["content-type"], body)
                seen = Seen(self.path, headers, fields, images, mask)
            else:
                self._json(
                    404, {"error": {"message": "not found", "type": "invalid_request_error"}}
                )
                return
            server.seen.append(seen)
            if server.script:
                scripted = server.script.popleft()
                time.sleep(scripted.delay)
                self._json(scripted.status, scripted.body, scripted.headers)
                return
            images, size = server.answer(seen)
            stream = str(seen.fields.get("stream", "false")).lower() == "true"
            if stream:
                self._stream(seen, images, size)
                return
            data = [] if server.empty_data else [{"b64_json": _b64_png(i)} for i in images]
            usage = {**USAGE, "output_tokens": USAGE["output_tokens"] * len(images)}
            usage["total_tokens"] = usage["input_tokens"] + usage["output_tokens"]
            self._json(
                200,
                {
                    "created": int(time.time()),
                    "data": data,
                    "size": size,
                    "quality": seen.fields.get("quality", "medium"),
                    "output_format": "png",
                    "usage": usage,
                },
            )

        def _stream(self, seen: Seen, images: list[Image.Image], size: str) -> None:
            prefix = "image_edit" if seen.path.endswith("/edits") else "image_generation"
            partials = int(seen.fields.get("partial_images", 0))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            common = {
                "background": "opaque",
                "created_at": int(time.time()),
                "output_format": "png",
                "quality": "medium",
                "size": size,
            }
            for image in images:
                for k in range(partials):
                    blurred = image.resize((32, 32)).resize(image.size)
                    event = {
                        **common,
                        "type": f"{prefix}.partial_image",
                        "b64_json": _b64_png(blurred),
                        "partial_image_index": k,
                    }
                    self._event(event)
                self._event(
                    {
                        **common,
                        "type": f"{prefix}.completed",
                        "b64_json": _b64_png(image),
                        "usage": USAGE,
                    }
                )
            self.close_connection = True

        def _event(self, event: dict[str, Any]) -> None:
            data = json.dumps(event)
            self.wfile.write(f"event: {event['type']}\ndata: {data}\n\n".encode())
            self.wfile.flush()

        def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(raw)

    return Handler
