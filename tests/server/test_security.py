"""SECURITY.md rows that apply to the server."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sakuga.server.app import create_app
from sakuga.server.security import ServerSettings, check_bind
from sakuga.studio.library.library import Library
from tests.server.conftest import png


def test_foreign_origin_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/critique", json={"text": "x"}, headers={"Origin": "http://evil.example"}
    )
    assert response.status_code == 403
    own = "http://127.0.0.1:7860"  # the server's own origin (its default port)
    same = client.post("/api/critique", json={"text": "x"}, headers={"Origin": own})
    assert same.status_code == 200
    # Port-less loopback origins are other sites (ports 80 and 443) on this machine.
    for other in ("http://127.0.0.1", "http://localhost", "https://127.0.0.1", "http://[::1]",
                  "http://127.0.0.1:7861", "null"):  # fmt: skip
        refused = client.post("/api/critique", json={"text": "x"}, headers={"Origin": other})
        assert refused.status_code == 403, other


def test_unknown_host_is_refused(client: TestClient) -> None:
    assert client.get("/api/health", headers={"Host": "rebind.example"}).status_code == 400
    assert client.get("/api/health", headers={"Host": "127.0.0.1:7860"}).status_code == 200


def test_no_wildcard_cors(client: TestClient) -> None:
    response = client.get("/api/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_body_cap_with_and_without_content_length(client: TestClient) -> None:
    big = b"x" * 2_100_000
    assert (
        client.post(
            "/api/uploads", content=big, headers={"Content-Type": "application/octet-stream"}
        ).status_code
        == 413
    )

    def chunks():
        for _ in range(30):
            yield b"y" * 100_000

    assert (
        client.post(
            "/api/uploads", content=chunks(), headers={"Content-Type": "application/octet-stream"}
        ).status_code
        == 413
    )


def test_decompression_bomb_upload(client: TestClient) -> None:
    from tests.imaging.test_io import bomb_png

    response = client.post("/api/uploads", files={"file": ("bomb.png", bomb_png(), "image/png")})
    assert response.status_code == 413 and "megapixels" in response.json()["detail"]


def test_many_fields_are_refused(client: TestClient) -> None:
    fields = {f"f{i}": "x" for i in range(200)}
    response = client.post(
        "/v1/images/edits", data=fields, files={"image": ("p.png", png(), "image/png")}
    )
    assert response.status_code == 400


def test_token_is_required_and_compared(library: Library) -> None:
    settings = ServerSettings(extra_hosts=("testserver",), token="s3cret")
    with TestClient(create_app(settings, library)) as client:
        assert client.get("/api/health").status_code == 401
        assert (
            client.get("/api/health", headers={"Authorization": "Bearer wrong"}).status_code == 401
        )
        assert (
            client.get("/api/health", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        )
        assert (
            client.post("/v1/images/generations", json={"prompt": "x"}).json()["error"]["type"]
            == "authentication_error"
        )
        assert client.get("/").status_code == 200  # the page itself asks for the token


def test_public_bind_needs_a_token() -> None:
    with pytest.raises(ValueError, match="without a token"):
        check_bind(ServerSettings(host="0.0.0.0"))
    check_bind(ServerSettings(host="0.0.0.0", token="t" * 16))
    with pytest.raises(ValueError, match="at least 16 characters"):
        check_bind(ServerSettings(token="short"))
    check_bind(ServerSettings())


def test_serve_refuses_public_bind_from_the_cli() -> None:
    from tests.test_cli import sakuga

    out = sakuga("serve", "--host", "0.0.0.0")
    assert out.returncode == 1 and "without a token" in out.stderr
