"""Eight painted backgrounds, drawn procedurally; details placed by a seed.

Soft light (bokeh, glows, lamps) uses radial gradients rather than blur filters:
it looks the same and renders many times faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.backgrounds.events import festival, shrine, stage
from sakuga.engines.draw.backgrounds.outdoor import beach, forest, plain, sakura, sky, space
from sakuga.engines.draw.backgrounds.town import cafe, city, classroom

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter

PAINTERS = {
    "plain": plain,
    "city": city,
    "sakura": sakura,
    "classroom": classroom,
    "sky": sky,
    "forest": forest,
    "beach": beach,
    "cafe": cafe,
    "space": space,
    "festival": festival,
    "stage": stage,
    "shrine": shrine,
}


def paint_background(p: Painter, kind: str, seed: int, hue: float) -> str:
    rng = np.random.default_rng(seed)
    return "".join(PAINTERS[kind](p, rng, hue))
