"""A real `sakuga serve` app on 127.0.0.1 in a thread, for SDK and browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from sakuga.server.app import create_app
from sakuga.server.security import ServerSettings, uvicorn_config
from sakuga.studio.library.library import Library


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(
    folder: Path, token: str | None = None, model_map: dict[str, str] | None = None
) -> Iterator[str]:
    port = free_port()
    settings = ServerSettings(port=port, token=token, model_map=model_map or {})
    config = uvicorn_config(
        create_app(settings, Library.open(folder)), settings, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
