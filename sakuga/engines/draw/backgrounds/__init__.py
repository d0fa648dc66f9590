"""Painted backgrounds, drawn procedurally; details placed by a seed.

Soft light (bokeh, glows, lamps) uses radial gradients rather than blur filters:
it looks the same and renders many times faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from sakuga.engines.draw.backgrounds.common import on_light_side, path_box
from sakuga.engines.draw.backgrounds.events import festival, shrine, stage
from sakuga.engines.draw.backgrounds.garage import garage
from sakuga.engines.draw.backgrounds.home import bedroom, kitchen, living, washitsu
from sakuga.engines.draw.backgrounds.leisure import amusement, art_room
from sakuga.engines.draw.backgrounds.outdoor import (
    beach,
    forest,
    hill,
    lone_tree,
    moon,
    pier,
    plain,
    sakura,
    sky,
    space,
)
from sakuga.engines.draw.backgrounds.places import (
    castle,
    flowers,
    library,
    platform,
    ramparts,
    rooftop,
    station,
    train,
)
from sakuga.engines.draw.backgrounds.town import cafe, city, classroom
from sakuga.engines.draw.backgrounds.travel import airport, lighthouse
from sakuga.engines.draw.backgrounds.venues import (
    desert,
    gym,
    hallway,
    hangar,
    hospital,
    office,
    ruins,
    shops,
    underwater,
)
from sakuga.engines.draw.catalogue import PLACES
from sakuga.engines.draw.svg import el, fmt

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
    "rooftop": rooftop,
    "train": train,
    "library": library,
    "castle": castle,
    "flowers": flowers,
    "station": station,
    "living": living,
    "bedroom": bedroom,
    "washitsu": washitsu,
    "kitchen": kitchen,
    "platform": platform,
    "hallway": hallway,
    "gym": gym,
    "hangar": hangar,
    "garage": garage,
    "office": office,
    "underwater": underwater,
    "ruins": ruins,
    "desert": desert,
    "shops": shops,
    "airport": airport,
    "lighthouse": lighthouse,
    "ramparts": ramparts,
    "pier": pier,
    "hospital": hospital,
    "hill": hill,
    "tree": lone_tree,
    "moon": moon,
    "amusement": amusement,
    "art room": art_room,
}


#: Landscapes under an open sky: the time of day grades everything below the sky
#: (sea, sand, grass, trees, gates), which the sky's own colours do not reach.
UNDER_OPEN_SKY: Final = frozenset(e.name for e in PLACES if "open sky" in e.implies)
#: The forest has no open sky: the whole of it is graded.
GRADED_WHOLE: Final = frozenset({"forest"})
#: Rooms, indoors: lit by the moon alone when moonlight is the light said.
ROOMS: Final = frozenset(e.name for e in PLACES if "indoors" in e.implies)
#: Rooms lit only by their windows: dim after dark (a cafe has its lamps).
UNLIT_ROOMS: Final = frozenset(e.name for e in PLACES if "unlit" in e.implies)
#: Per time of day, a colour matrix (sRGB): each channel's gain, then its offset.
TIME_GRADES: Final[dict[str, tuple[tuple[float, float], ...]]] = {
    "dawn": ((0.92, 0.05), (0.8, 0.03), (0.84, 0.06)),
    "golden": ((0.96, 0.06), (0.82, 0.03), (0.6, 0.0)),
    "sunset": ((0.86, 0.07), (0.6, 0.02), (0.5, 0.02)),
    "dusk": ((0.5, 0.05), (0.44, 0.02), (0.66, 0.1)),
    "moonlit": ((0.36, 0.0), (0.44, 0.02), (0.62, 0.1)),
    "night": ((0.28, 0.01), (0.32, 0.02), (0.5, 0.08)),
}


def paint_background(p: Painter, kind: str, seed: int, hue: float) -> str:
    rng = np.random.default_rng(seed)
    parts = PAINTERS[kind](p, rng, hue)
    time = p.traits.time
    if time in ("dusk", "night", "moonlit") and kind in UNLIT_ROOMS:
        # A room with no lamps after dark: dim, at half the grade of the open air.
        return el("g", parts, filter=_grade(p, time, strength=0.55))
    if time == "moonlit" and kind in ROOMS:
        # A room lit by the moon through its window ("moonlight through window"): dim,
        # the window's pale light slanting down across the floor.
        return el("g", parts, filter=_grade(p, time, strength=0.55)) + _moonbeams(p)
    if time not in TIME_GRADES or kind not in UNDER_OPEN_SKY | GRADED_WHOLE:
        return "".join(parts)
    keep = 1 if kind in UNDER_OPEN_SKY else 0  # the sky (with its sun or moon) as it is
    # A light the place has of its own (a lighthouse's lamp, `LIT`) shines as it is,
    # over the graded land.
    lit = [part for part in parts[keep:] if LIT in part]
    graded = [part for part in parts[keep:] if LIT not in part]
    return "".join(parts[:keep]) + el("g", graded, filter=_grade(p, time)) + "".join(lit)


def room_after_dark(p: Painter, parts: list[str]) -> str:
    """A room seen from above under a figure lying in it (its floor, its bed), dim
    after dark at the grade of a room without lamps, with the moon's light through
    the window falling across it at night."""
    time = p.traits.time
    if time not in ("dusk", "night", "moonlit"):
        return "".join(parts)
    dimmed = el("g", parts, filter=_grade(p, time, strength=0.55))
    if time == "dusk":
        return dimmed
    w = p.width
    # The window's shape cast slanting across the bed: four pale panes.
    panes = []
    for col in range(2):
        for row in range(2):
            x0, y0 = w * (0.42 + 0.2 * col) - 60 * row, 90 + 210 * row
            panes.append(
                f"M {fmt(x0)} {fmt(y0)} L {fmt(x0 + w * 0.18)} {fmt(y0)} "
                f"L {fmt(x0 + w * 0.18 - 55)} {fmt(y0 + 190)} L {fmt(x0 - 55)} {fmt(y0 + 190)} Z"
            )
    light = el("path", d=" ".join(panes), fill=p.colour((206, 222, 255)), opacity="0.3")
    return dimmed + light


def _moonbeams(p: Painter) -> str:
    """The moon's pale light from each of the room's windows, slanting to the floor."""
    beams = []
    for d in p.windows:
        x0, _, x1, y1 = path_box(d)
        lean = 220.0 if on_light_side(p, 0.0) < 0.5 else -220.0
        beams.append(
            f"M {fmt(x0)} {fmt(y1)} L {fmt(x1)} {fmt(y1)} L {fmt(x1 + lean)} 1000 "
            f"L {fmt(x0 + lean)} 1000 Z"
        )
    if not beams:
        return ""
    return el("path", d=" ".join(beams), fill=p.colour((196, 214, 255)), opacity="0.22")


#: Marks a painter's part as a light of its own, left out of the time of day's grade.
LIT: Final = 'data-lit="1"'


def _grade(p: Painter, time: str, strength: float = 1.0) -> str:
    """A filter that lights the land as the time of day does (dim and blue at night,
    warm at sunset), at ``strength`` (1: in full)."""
    fid = p.uid("time")
    grade = [(1 + (gain - 1) * strength, offset * strength) for gain, offset in TIME_GRADES[time]]
    rows = [
        " ".join([*(f"{gain:.3f}" if i == c else "0" for i in range(3)), "0", f"{offset:.3f}"])
        for c, (gain, offset) in enumerate(grade)
    ]
    matrix = el("feColorMatrix", type="matrix", values=" ".join([*rows, "0 0 0 1 0"]))
    p.defs.append(el("filter", [matrix], id=fid, color_interpolation_filters="sRGB"))
    return f"url(#{fid})"
