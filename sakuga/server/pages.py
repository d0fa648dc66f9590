"""The studio page, its static files and the API docs (served locally)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from sakuga.install import install_hint

router = APIRouter()


STATIC = resources.files("sakuga.server") / "static"


@router.get("/", include_in_schema=False)
def index() -> Response:
    return Response((STATIC / "index.html").read_bytes(), media_type="text/html; charset=utf-8")


@router.get("/docs", include_in_schema=False)
def docs() -> Response:
    return Response((STATIC / "docs.html").read_bytes(), media_type="text/html; charset=utf-8")


@router.get("/docs/assets/{name}", include_in_schema=False)
def docs_asset(name: str) -> Response:
    kinds = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}
    if name not in kinds:  # two known files, never a path from the client
        raise HTTPException(404, "not found")
    try:  # the fastapi-offline wheel ships Swagger UI 5 (OpenAPI 3.1)
        assets = resources.files("fastapi_offline") / "static"
    except ModuleNotFoundError:
        raise HTTPException(404, f"{install_hint('server')} for the API docs") from None
    return Response((assets / name).read_bytes(), media_type=kinds[name])


@router.get("/static/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    types = {
        "app.js": "text/javascript; charset=utf-8",
        "docs.js": "text/javascript; charset=utf-8",
        "style.css": "text/css; charset=utf-8",
    }
    if name not in types:  # a fixed list: no path from the client reaches the disk
        raise HTTPException(404, "not found")
    return Response((STATIC / name).read_bytes(), media_type=types[name])


@router.get("/fonts/ipaexg.ttf", include_in_schema=False)
def japanese_font() -> Response:
    """IPAexGothic, the Japanese font that ships with Sakuga (matplotlib-fontja), as the
    page's web font: typed kanji show as kanji on a machine with no CJK system font."""
    from sakuga.compose.fonts import FONTS

    path = FONTS["gothic-jp"].path
    if path is None:
        raise HTTPException(404, "IPAexGothic is not installed here")
    return Response(
        path.read_bytes(),
        media_type="font/ttf",
        headers={"Cache-Control": "public, max-age=604800"},
    )
