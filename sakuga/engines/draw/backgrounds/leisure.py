"""Places of a day out and of making: an amusement park (a ferris wheel, a roller
coaster's track, bunting) and an art room (big windows, easels with their canvases,
jars of paint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.backgrounds.common import (
    back_wall,
    clouded_pane,
    furniture,
    light_through,
    sky_gradient,
    window_view,
)
from sakuga.engines.draw.svg import el, fmt

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter

#: Bunting's flags, in turn.
_FLAGS = ((236, 72, 88), (255, 200, 60), (70, 160, 230), (110, 200, 120))
#: Where the amusement park's ground begins.
_PARK_GROUND = 780.0


def amusement(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """An amusement park: a ferris wheel and a roller coaster's track against the sky,
    a carousel's tent, bunting strung across, a paved ground."""
    w = p.width
    out = [sky_gradient(p, [(0, (120, 190, 245)), (1, (220, 238, 252))], hue, open_sky=True)]
    wheel_x = w * (0.74 if rng.random() < 0.5 else 0.26)
    # The coaster's track: a rolling line on its trestles, on the wheel's far side.
    side = -1.0 if wheel_x > w / 2 else 1.0
    x0 = w / 2 - side * w * 0.02
    pts = [(x0 + side * t * w * 0.5, 420 + 150 * np.sin(t * 9.0) * (1 - t)) for t in
           np.linspace(0, 1, 24)]  # fmt: skip
    track = "M " + " L ".join(f"{fmt(x)} {fmt(y)}" for x, y in pts)
    for x, y in pts[::3]:
        out.append(p.stroke(f"M {fmt(x)} {fmt(y)} L {fmt(x)} {fmt(_PARK_GROUND)}",
                            p.colour((170, 176, 190)), 6))  # fmt: skip
    out.append(p.stroke(track, p.colour((226, 60, 70)), 12))
    out.append(furniture(p, "ferris-wheel", wheel_x, _PARK_GROUND + 10, 520))
    out.append(furniture(p, "circus-tent", w / 2 + side * w * 0.34, _PARK_GROUND + 10, 230))
    out.append(
        el("rect", x="0", y=fmt(_PARK_GROUND), width=fmt(w), height=fmt(1000 - _PARK_GROUND),
           fill=p.gradient([(0, (214, 196, 170)), (1, (190, 170, 146))]))
    )  # fmt: skip
    # Bunting strung across the top of the frame.
    for k, (left, right) in enumerate(((0.0, w * 0.5), (w * 0.5, w))):
        sag = 70.0
        out.append(p.stroke(f"M {fmt(left)} 90 Q {fmt((left + right) / 2)} {fmt(90 + 2 * sag)} "
                            f"{fmt(right)} 90", "#6a5a50", 3))  # fmt: skip
        for i in range(1, 8):
            t = i / 8
            x = left + (right - left) * t
            y = 90 + 2 * sag * 2 * t * (1 - t)
            colour = _FLAGS[(i + k) % len(_FLAGS)]
            out.append(el("path", d=f"M {fmt(x - 16)} {fmt(y)} L {fmt(x + 16)} {fmt(y)} "
                          f"L {fmt(x)} {fmt(y + 36)} Z", fill=p.colour(colour)))  # fmt: skip
    return out


#: Where the art room's floor begins.
_STUDIO_FLOOR = 760.0


def art_room(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """An art room: big windows along the back wall, easels with canvases on them,
    shelves of paint jars, a wooden floor spattered with paint."""
    w = p.width
    out = [back_wall(p, (236, 228, 214))]
    pane, _ = window_view(p, [(0, (130, 190, 240)), (1, (214, 236, 252))], hue)
    for wx in np.arange(w * 0.04, w - 200, w * 0.32):
        out.append(el("rect", x=fmt(wx), y="90", width=fmt(w * 0.28), height="480", fill=pane))
        p.windows.append(f"M {fmt(wx)} 90 h {fmt(w * 0.28)} v 480 h {fmt(-w * 0.28)} Z")
        out.append(clouded_pane(p, p.windows[-1], rng))
        out.append(el("rect", x=fmt(wx), y="90", width=fmt(w * 0.28), height="480", fill="none",
                      stroke="#8a7a68", stroke_width="12"))  # fmt: skip
        out.append(el("path", d=f"M {fmt(wx + w * 0.14)} 90 V 570 M {fmt(wx)} 330 "
                      f"H {fmt(wx + w * 0.28)}", stroke="#8a7a68", stroke_width="8"))  # fmt: skip
    out.append(
        el("rect", x="0", y=fmt(_STUDIO_FLOOR), width=fmt(w), height=fmt(1000 - _STUDIO_FLOOR),
           fill=p.colour((184, 146, 104)))
    )  # fmt: skip
    out.append(light_through(p, w * 0.04, w * 0.9, 570, 1000))
    # A shelf of paint jars low on the wall.
    shelf = 640.0
    out.append(
        el("rect", x="0", y=fmt(shelf), width=fmt(w), height="14", fill=p.colour((150, 110, 76)))
    )
    for jx in np.arange(30.0, w, 46.0):
        colour = _FLAGS[int(rng.integers(len(_FLAGS)))]
        out.append(el("rect", x=fmt(jx), y=fmt(shelf - 40), width="30", height="40", rx="5",
                      fill=p.colour((236, 240, 244)), opacity="0.9"))  # fmt: skip
        out.append(el("rect", x=fmt(jx + 2), y=fmt(shelf - 26), width="26", height="24", rx="4",
                      fill=p.colour(colour)))  # fmt: skip
    # Easels with their canvases, by the walls either side of the figure.
    for ex in (w * 0.1, w * 0.9):
        out.append(easel(p, ex, _STUDIO_FLOOR + 60, 300, _FLAGS[int(rng.integers(len(_FLAGS)))]))
    # Paint spatters on the floor.
    for _ in range(8):
        out.append(el("ellipse", cx=fmt(rng.uniform(0, w)), cy=fmt(rng.uniform(800, 990)),
                      rx=fmt(rng.uniform(8, 22)), ry=fmt(rng.uniform(4, 9)),
                      fill=p.colour(_FLAGS[int(rng.integers(len(_FLAGS)))]), opacity="0.7"))  # fmt: skip
    return out


def easel(p: Painter, x: float, foot: float, height: float, paint: tuple[int, int, int]) -> str:
    """A wooden easel standing at ``x`` on ``foot``, ``height`` tall, a canvas on it with
    a stroke of ``paint``."""
    wood = p.colour((150, 104, 66))
    top = foot - height
    legs = (
        f"M {fmt(x)} {fmt(top)} L {fmt(x - height * 0.22)} {fmt(foot)} "
        f"M {fmt(x)} {fmt(top)} L {fmt(x + height * 0.22)} {fmt(foot)} "
        f"M {fmt(x)} {fmt(top)} L {fmt(x)} {fmt(foot - 10)}"
    )
    cw, ch = height * 0.5, height * 0.42
    cy = top + height * 0.08
    return "".join(
        [
            p.stroke(legs, wood, height * 0.035),
            el("rect", x=fmt(x - cw / 2), y=fmt(cy), width=fmt(cw), height=fmt(ch),
               fill="#fbf8f2", stroke=p.colour((120, 100, 80)), stroke_width=fmt(p.line_width)),
            p.stroke(f"M {fmt(x - cw * 0.3)} {fmt(cy + ch * 0.65)} Q {fmt(x)} {fmt(cy + ch * 0.2)} "
                     f"{fmt(x + cw * 0.3)} {fmt(cy + ch * 0.5)}", p.colour(paint), height * 0.03),
            el("rect", x=fmt(x - cw * 0.6), y=fmt(cy + ch), width=fmt(cw * 1.2),
               height=fmt(height * 0.03), fill=wood),
        ]
    )  # fmt: skip
