"""What held-out judge 35 found on one-character prompts (#31): a city street was always
the neon night (a bright summer day and an autumn walk became a purple night city),
falling maple leaves were dropped without a word, and a puppy beside a figure lying in
the grass was silently left out (nothing beside a lying figure was drawn)."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine, drawing_svg, traits_from_spec
from sakuga.engines.draw.report import report
from sakuga.prompt.artspec import ArtSpec


def _draw(prompt: str, seed: int = 1) -> np.ndarray:
    spec = ArtSpec.from_text(prompt)
    result = DrawEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, spec=spec, seed=seed, size=(256, 256))
    )
    return np.asarray(result.images[0].convert("RGB"))


def _sky(rgb: np.ndarray) -> tuple[float, float]:
    """The top band's median lightness and how much bluer than red it is."""
    top = rgb[: rgb.shape[0] // 8].reshape(-1, 3).astype(np.float32)
    lab = cv2.cvtColor(top.reshape(1, -1, 3) / 255, cv2.COLOR_RGB2Lab)[0]
    return float(np.median(lab[:, 0])), float(np.median(top[:, 2] - top[:, 0]))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_city_by_day_is_in_daylight_and_after_dark_is_its_neon_night(seed: int) -> None:
    for prompt in (
        "a boy on a busy city street on a sunny afternoon",
        "woman in a red coat, tokyo street, noon",
    ):
        assert traits_from_spec(ArtSpec.from_text(prompt)).background == "city"
        lightness, blue = _sky(_draw(prompt, seed))
        assert lightness > 55 and blue > 20, (prompt, lightness, blue)
    lightness, _ = _sky(_draw("a girl on a city street at night", seed))
    assert lightness < 30
    # Neon said with no time: the neon street, as before.
    lightness, _ = _sky(_draw("a girl in a neon-lit city street", seed))
    assert lightness < 30


def test_falling_leaves_said_with_words_between_are_drawn() -> None:
    for prompt in (
        "a girl walking through the park with falling red maple leaves",
        "a boy at the bus stop, autumn, leaves drifting down",
        "momiji leaves swirling around a shrine maiden",
    ):
        traits = traits_from_spec(ArtSpec.from_text(prompt))
        assert "leaves" in traits.weather, prompt
    assert "leaves" not in traits_from_spec(ArtSpec.from_text("a girl holding a leaf")).weather


def test_what_lies_beside_a_lying_figure_is_drawn_and_what_stands_is_reported() -> None:
    prompt = "a boy lying on the grass, a sleeping kitten next to him, under an oak tree"
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert traits.stance == "lie" and traits.things[0].vector.name == "cat"
    cat = re.findall(r' d="([^"]{12,})"', traits.things[0].vector.body)[0]  # its first shape
    for seed in (1, 2, 3):
        # The cat's own shapes are in the picture (they were left out: nothing by a
        # lying figure was drawn, and the report said it was).
        assert cat in drawing_svg(spec, (256, 256), seed)
    drawn, missed = report(spec, traits)
    assert "kitten" in [d["phrase"] for d in drawn] and "kitten" not in missed
    assert "tree" in missed, missed  # seen from above: the grass, no tree


def test_a_trench_coat_and_a_long_coat_reach_the_knees() -> None:
    """A trench coat was drawn as a hip-length jacket (so were a duffle coat, a raincoat
    and "a long brown coat"): now its skirts hang open over the legs to the knees."""
    for said in ("a beige trench coat", "a long brown coat", "a yellow raincoat"):
        assert traits_from_spec(ArtSpec.from_text(f"a woman in {said}")).long_coat, said
    for said in ("a denim jacket", "a puffer jacket", "a hoodie", "a winter coat"):
        assert not traits_from_spec(ArtSpec.from_text(f"a woman in {said}")).long_coat, said

    def red_below_hips(prompt: str) -> float:
        rgb = _draw(prompt, 4).astype(int)
        low = rgb[rgb.shape[0] // 2 : rgb.shape[0] * 4 // 5]
        red = (low[..., 0] > 150) & (low[..., 1] < 90) & (low[..., 2] < 90)
        return float(red.mean())

    coat = red_below_hips("a woman in a red trench coat standing in a white room, full body")
    jacket = red_below_hips("a woman in a red jacket standing in a white room, full body")
    assert coat > jacket + 0.02, (coat, jacket)
