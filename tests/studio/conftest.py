"""What the studio's tests share: a test client of the app over a fresh library."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sakuga.studio.library.library import Library


@pytest.fixture()
def client(library: Library) -> Iterator[TestClient]:
    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    settings = ServerSettings(extra_hosts=("testserver",), max_queued=4)
    with TestClient(create_app(settings, library)) as test_client:
        yield test_client
