"""Shared fixtures. Tests never reach a network: hub calls fail fast, threads are pinned."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# The test setting that serves the test-only `fake` engine (never served otherwise).
os.environ["SAKUGA_TEST_ENGINES"] = "1"
# Tests (and the CLI they start) never touch the real library or model folder.
os.environ["SAKUGA_HOME"] = tempfile.mkdtemp(prefix="sakuga-test-home-")
# No test may reach the real OpenAI API: the openai engine's tests set a fake server.
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("OPENAI_BASE_URL", None)
os.environ.pop("SAKUGA_OPENAI_MODEL", None)

import cv2
import numpy as np
import pytest
from PIL import Image

if TYPE_CHECKING:
    from sakuga.studio.library.library import Library

cv2.setNumThreads(1)


def require_diffusers() -> None:
    """Skip the calling test module on a bare machine without diffusers and torch (fail
    instead where CI sets SAKUGA_REQUIRE_DIFFUSERS: it installs them), and pin torch to
    one thread. Called at a module's top, before it imports them."""
    try:
        import diffusers  # noqa: F401
        import torch
    except ImportError:
        if os.environ.get("SAKUGA_REQUIRE_DIFFUSERS"):
            raise
        pytest.skip("diffusers and torch not installed", allow_module_level=True)
    torch.set_num_threads(1)


def _needs(what: str, present: bool, env: str, how: str) -> pytest.MarkDecorator:
    """Skip on a bare machine without ``what``; fail instead when ``env`` is set (CI)."""
    if not present and os.environ.get(env):
        raise RuntimeError(f"{what} missing but {env} is set: {how}")
    return pytest.mark.skipif(not present, reason=f"{what} not installed: {how}")


def _fonts_present() -> bool:
    from sakuga.compose.fonts import FONTS

    return all(font.path is not None for font in FONTS.values())


requires_fonts = _needs(
    "fonts",
    _fonts_present(),
    "SAKUGA_REQUIRE_FONTS",
    "pip install matplotlib matplotlib-fontja (or Debian's fonts-dejavu-core fonts-ipaexfont-gothic)",
)
requires_chromium = _needs(
    "chromium",
    os.path.exists("/usr/bin/chromium"),
    "SAKUGA_REQUIRE_BROWSER",
    "apt-get install chromium",
)


@pytest.fixture()
def library(tmp_path: Path) -> Iterator[Library]:
    """A fresh library: SQLite in the test's folder, or, when SAKUGA_TEST_DATABASE_URL
    names a PostgreSQL database (`.ci/run` starts one), a schema of its own there."""
    from sakuga.studio.library.library import Library

    url = os.environ.get("SAKUGA_TEST_DATABASE_URL")
    if not url:
        yield Library.open(tmp_path / "lib")
        return
    from sqlalchemy import create_engine, text

    schema = f"test_{tmp_path.name.lower().replace('-', '_')[:40]}_{os.urandom(4).hex()}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    library = Library.open(
        tmp_path / "lib", url=f"{url}{separator}options=-csearch_path%3D{schema}"
    )
    try:
        yield library
    finally:
        library.db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def astronaut() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.astronaut(), "RGB")


@pytest.fixture(scope="session")
def cat() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.chelsea(), "RGB")


@pytest.fixture()
def photo_small() -> Image.Image:
    """A small deterministic 'photo': a gradient with shapes, odd and non-square."""
    h, w = 61, 83
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.dstack([x * 3 % 256, y * 4 % 256, (x + y) * 2 % 256]).astype(np.uint8)
    cv2.circle(rgb, (40, 30), 12, (250, 220, 200), -1)
    return Image.fromarray(rgb, "RGB")
