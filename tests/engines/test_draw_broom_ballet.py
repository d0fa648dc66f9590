"""A witch flying on her broom: the broom level under her, her hands on its handle,
the pair high over the ground, and "riding"/"flying" drawn, not reported."""

from __future__ import annotations

import numpy as np
import pytest

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine
from sakuga.engines.draw.things import find_things
from sakuga.prompt.artspec import ArtSpec


def _draw(prompt: str) -> tuple[np.ndarray, list[str]]:
    request = EngineRequest(
        Task.TEXT_TO_IMAGE, spec=ArtSpec.from_text(prompt), prompt=prompt, seed=1, size=(192, 192)
    )
    result = DrawEngine().run(request)
    return np.asarray(result.images[0].convert("RGB"), dtype=np.int16), list(result.not_drawn)


@pytest.mark.parametrize(
    "prompt",
    [
        "witch girl with purple hair riding a broom over a town at night, full moon",
        "pls draw a witch on her broom in the sky",
        "a witch flying on a broomstick",
    ],
)
def test_a_broom_said_ridden_is_mounted(prompt: str) -> None:
    broom = [p for p in find_things(prompt) if p.vector.name == "broom"]
    assert broom and broom[0].where == "mount"


@pytest.mark.parametrize(
    "prompt",
    [
        "witch girl with purple hair riding a broom over a town at night, full moon",
        "pls draw a witch on her broom in the sky",
        "a witch flying on a broomstick",
    ],
)
def test_riding_a_broom_is_drawn_not_reported(prompt: str) -> None:
    _, missed = _draw(prompt)
    assert not any("riding" in m or "broom" in m or "flying" in m for m in missed), missed


def test_the_broom_flies_level_and_high() -> None:
    flying, _ = _draw("witch riding a broom in the sky")
    standing, _ = _draw("witch holding a broom in the sky")

    # The bristles' orange-yellow, level with her hips (the middle band), not on the
    # ground; and under her feet only sky.
    def bristles(img: np.ndarray) -> np.ndarray:
        r, g, b = img[..., 0], img[..., 1], img[..., 2]
        return (r > 200) & (g > 140) & (g < 215) & (b < 110)

    rows = np.nonzero(bristles(flying).any(axis=1))[0]
    assert rows.size and 0.3 * 192 < rows.mean() < 0.7 * 192
    cols = np.nonzero(bristles(flying).any(axis=0))[0]
    assert cols.max() - cols.min() > 12  # lying along, not standing on its head
    assert not bristles(flying)[int(0.8 * 192) :].any()
    assert not np.array_equal(flying, standing)
