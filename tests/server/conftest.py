from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from sakuga.server.app import create_app
from sakuga.server.security import ServerSettings
from sakuga.studio.library.library import Library


@pytest.fixture()
def client(library: Library) -> Iterator[TestClient]:
    settings = ServerSettings(extra_hosts=("testserver",), max_body=2_000_000, max_queued=4)
    with TestClient(create_app(settings, library)) as test_client:
        yield test_client


def png(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 120, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
