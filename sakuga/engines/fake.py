"""The `fake` engine: exact, instant solid colours and gradients keyed by the seed.

For studio and server tests (as httpx's MockTransport is for HTTP clients): every
output is a pure function of the request, so tests can assert exact pixels.
"""

from __future__ import annotations

import time

import numpy as np
from PIL import Image

from sakuga.engines.base import (
    Engine,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    Setting,
    Task,
    wants_previews,
)
from sakuga.settings import settings

#: The longest simulated engine time per image, in seconds.
MAX_DELAY: float = 60.0
#: How often a delayed image reports progress, which is where a cancel is heard.
_SLICE: float = 0.05


def seed_colour(seed: int) -> tuple[int, int, int]:
    """The colour the fake engine paints for ``seed``."""
    rng = np.random.default_rng(seed)
    r, g, b = (int(c) for c in rng.integers(0, 256, size=3))
    return (r, g, b)


def gradient(size: tuple[int, int], seed: int) -> Image.Image:
    """A vertical gradient from ``seed_colour(seed)`` to its complement."""
    width, height = size
    top = np.array(seed_colour(seed), dtype=np.float32)
    bottom = 255.0 - top
    t = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    rows = np.rint(top * (1 - t) + bottom * t).astype(np.uint8)
    return Image.fromarray(np.repeat(rows, width, axis=1), "RGB")


class FakeEngine(Engine):
    name = "fake"
    title = "Fake (tests)"
    tasks = frozenset(Task)
    references = True
    priority = -1  # never chosen by default
    options = frozenset({"delay"})
    option_fields = (
        Setting("delay", "float", "Delay", "seconds per image (tests)", 0, MAX_DELAY, 0.1),
    )

    def _generate(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        size = request.output_size
        images = []
        # A simulated engine time, so tests can interrupt jobs mid-run and load tests
        # can give the fake engine a real engine's pace (SAKUGA_FAKE_DELAY, seconds per image).
        delay = float(request.options.get("delay", settings().fake_delay or 0.0))
        delay = min(delay, MAX_DELAY) if delay > 0 else 0.0  # NaN compares false: 0
        previews = wants_previews(progress)
        for i, seed in enumerate(request.seeds()):
            progress(Progress(i, request.n, f"image {i + 1} of {request.n}"))
            # In slices, reporting progress: a cancel (raised from `progress`) is heard
            # within one slice, not after the whole delay.
            end = time.monotonic() + delay
            while (left := end - time.monotonic()) > 0:
                time.sleep(min(_SLICE, left))
                progress(Progress(i, request.n, f"image {i + 1} of {request.n}"))
            if request.task is Task.MASKED_EDIT:
                images.append(Image.new("RGB", size, seed_colour(seed)))
            else:
                images.append(gradient(size, seed))
            if previews:  # the image just made, small, as a real engine's step preview
                preview = images[-1].resize((max(1, size[0] // 8), max(1, size[1] // 8)))
                progress(Progress(i + 1, request.n, "preview", preview=preview))
        progress(Progress(request.n, request.n, "done"))
        return EngineResult(images=images, engine=self.name, model="fake", params={"Steps": 1})
