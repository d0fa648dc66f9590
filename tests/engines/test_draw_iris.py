"""An anime iris reaches up under the upper lid in every style: white between the lid
and the iris's top is a startled stare (kept for "surprised" alone). Cute's high lid
arch left a band of white over the iris (judge T2: "staring" eyes)."""

from __future__ import annotations

import colorsys
import re

import numpy as np
import pytest

from sakuga.engines.draw.character import Variation
from sakuga.engines.draw.svg import el, render_svg
from sakuga.engines.draw.traits import Traits
from sakuga.engines.toon.features import PortraitFeatures
from sakuga.prompt.styles import STYLES, get_style

IRIS = (40, 90, 200)  # a blue no white, lid or skin is


def _eye(style: str, expression: str) -> np.ndarray:
    painter = PortraitFeatures(
        Traits(
            hair_color=(90, 60, 40), eye_color=IRIS, skin=(240, 200, 180), expression=expression
        ),
        get_style(style).draw,
        Variation(),
    )
    eye = painter.eye(200, 200, 120, 120, -1, False)  # (its gradient joins the defs)
    return _drawn(painter, eye).astype(int)


def _drawn(painter: PortraitFeatures, part: str) -> np.ndarray:
    """``part`` (with the painter's defs) drawn alone on a 400-pixel transparent square."""
    svg = el(
        "svg",
        [el("defs", painter.defs), part],
        xmlns="http://www.w3.org/2000/svg",
        width="400",
        height="400",
        viewBox="0 0 400 400",
    )
    return np.asarray(render_svg(svg, (400, 400)))


def _white_over_iris(image: np.ndarray) -> int:
    """Rows of near-white between the lash and the iris, down the eye's middle column."""
    column = image[:, 200]
    opaque = column[:, 3] > 200
    rgb = column[:, :3]
    white = opaque & (rgb.min(axis=1) > 200) & (np.ptp(rgb, axis=1) < 20)  # (lid-shaded too)
    blue = opaque & (column[:, 2] - column[:, 0] > 40)
    assert blue.any()
    top = int(np.argmax(blue))  # the iris's first row
    return int(white[:top].sum())


@pytest.mark.parametrize("style", list(STYLES))
def test_the_iris_reaches_up_under_the_lid(style: str) -> None:
    assert _white_over_iris(_eye(style, "happy")) <= 1


def test_a_surprised_eye_still_shows_white_over_the_iris() -> None:
    assert _white_over_iris(_eye("cinematic", "surprised")) > 4


@pytest.mark.parametrize("style", list(STYLES))
def test_a_lens_rounds_the_eye_as_the_style_draws_it(style: str) -> None:
    """Glasses over a toon face are as tall as the eye the style draws (cute's is
    rounder, its lid arched higher): the lid and iris stay inside the frame, not cut off
    above it (judge T3, on Hopper)."""
    from sakuga.engines.toon.features import LENS_ROOM

    painter = PortraitFeatures(
        Traits(hair_color=(90, 60, 40), eye_color=IRIS, skin=(240, 200, 180)),
        get_style(style).draw,
        Variation(),
    )
    w = h = 120.0
    eye = painter.eye(200, 200, w, h, -1, False)
    lens = painter.glasses(w, h * painter.params.eye.height * LENS_ROOM, 200, (40, 36, 44))

    def top(part: str) -> int:
        alpha = _drawn(painter, part)[..., 3] > 128
        return int(np.nonzero(alpha.any(axis=1))[0][0])

    assert top(eye) >= top(lens), (top(eye), top(lens))


def _fills(svg: str) -> list[tuple[int, int, int]]:
    """The solid fills of the ellipses in the eye's clipped group, in drawing order."""
    group = svg[svg.index("<g") : svg.index("</g>")]
    return [
        (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
        for h in re.findall(r'<ellipse[^>]*fill="#([0-9a-f]{6})"', group)
    ]


@pytest.mark.parametrize("style", list(STYLES))
def test_no_pale_ghost_over_the_pupil(style: str) -> None:
    """Judge T4: cute and fantasy eyes had "a ghost photo eye": the iris's lower glow, a
    pale ellipse mixed towards white, was drawn over the pupil's foot. It goes under
    the pupil now (the pupil is the last and darkest shape in the iris), in the iris's
    own hue, still saturated."""
    painter = PortraitFeatures(
        Traits(hair_color=(90, 60, 40), eye_color=(120, 80, 40), skin=(240, 200, 180)),
        get_style(style).draw,
        Variation(),
    )
    fills = _fills(painter.eye(200, 200, 120, 120, -1, False))
    lum = [0.299 * r + 0.587 * g + 0.114 * b for r, g, b in fills]
    assert len(fills) >= 2 and lum[-1] == min(lum)
    glow = fills[-2]
    assert colorsys.rgb_to_hsv(*(c / 255 for c in glow))[1] > 0.35


def test_features_over_a_photo_keep_the_toon_grade_alone() -> None:
    """Drawn over the toon's painted face, `draw`'s own pastel and grade washed the eyes
    out against the skin (judge T4: "translucent", "washed"); a pastel style's light
    ink drew faded lids."""
    from sakuga.engines.toon.features import FIRM_INK, drawn_over_photo

    for style in STYLES:
        params = drawn_over_photo(get_style(style).draw)
        assert params.pastel == 0 and params.grade is None
        r, g, b = params.ink
        assert (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 <= FIRM_INK + 0.01
    cute = drawn_over_photo(get_style("cute").draw).ink
    assert cute[0] > cute[1]  # darkened, not turned black: still cute's plum
