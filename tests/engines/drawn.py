"""A prompt drawn by the `draw` engine, small, for tests that check its pixels."""

from __future__ import annotations

import numpy as np

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine, figure_heads
from sakuga.prompt.artspec import ArtSpec

SIZE = (256, 256)


def picture(prompt: str, seed: int = 1) -> np.ndarray:
    """The drawing's RGB pixels (ints), at `SIZE`."""
    spec = ArtSpec.from_text(prompt)
    result = DrawEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, spec=spec, seed=seed, size=SIZE))
    return np.asarray(result.images[0].convert("RGB")).astype(int)


def head_box(prompt: str, seed: int = 1) -> tuple[int, int, int, int]:
    """Where the (first) figure's head is in the drawing, in pixels."""
    (_, box), *_ = figure_heads(ArtSpec.from_text(prompt), SIZE, seed)
    assert box is not None
    return box
