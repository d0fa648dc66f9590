"""Shared fixtures. Tests never reach a network: hub calls fail fast, threads are pinned."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Tests (and the CLI they start) never touch the real library or model folder.
os.environ["SAKUGA_HOME"] = tempfile.mkdtemp(prefix="sakuga-test-home-")

import cv2
import numpy as np
import pytest
from PIL import Image

cv2.setNumThreads(1)


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
