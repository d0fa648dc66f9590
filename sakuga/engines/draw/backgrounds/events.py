"""Backgrounds of events: a summer festival at night and a concert stage."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.backgrounds.common import radial, sky_gradient
from sakuga.engines.draw.backgrounds.outdoor import SEASONAL_TREES
from sakuga.engines.draw.svg import el, fmt, light, shade

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter


def festival(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """Evening sky with fireworks, strings of red paper lanterns, stalls below."""
    out = [sky_gradient(p, [(0, (14, 16, 52)), (0.6, (40, 30, 90)), (1, (120, 60, 110))], hue)]
    w = p.width
    # Fireworks: bursts of short rays with a soft glow, in festival colours.
    for _ in range(int(rng.integers(3, 5))):
        cx, cy = rng.uniform(w * 0.05, w * 0.95), rng.uniform(80, 420)
        colour = [(255, 120, 160), (255, 220, 110), (130, 220, 255), (190, 140, 255)][
            int(rng.integers(4))
        ]
        r = rng.uniform(90, 160)
        out.append(
            el("circle", cx=fmt(cx), cy=fmt(cy), r=fmt(r * 1.3), fill=radial(p, colour, 0.35))
        )
        rays = []
        for k in range(28):
            a = k * math.tau / 28 + rng.uniform(-0.05, 0.05)
            r0, r1 = r * rng.uniform(0.3, 0.45), r * rng.uniform(0.85, 1.05)
            rays.append(
                f"M {fmt(cx + math.cos(a) * r0)} {fmt(cy + math.sin(a) * r0)} "
                f"L {fmt(cx + math.cos(a) * r1)} {fmt(cy + math.sin(a) * r1)}"
            )
        out.append(
            el(
                "path",
                d=" ".join(rays),
                stroke=p.colour(light(colour, 0.3)),
                stroke_width="5",
                stroke_linecap="round",
                fill="none",
            )
        )
    # Stalls: dark roofs with warm openings along the bottom.
    for i in range(5):
        x0 = i * w / 5 + rng.uniform(-20, 20)
        out.append(
            el(
                "rect",
                x=fmt(x0),
                y="760",
                width=fmt(w / 5 - 16),
                height="240",
                fill=p.colour((50, 30, 40)),
            )
        )
        out.append(
            el(
                "rect",
                x=fmt(x0 + 14),
                y="800",
                width=fmt(w / 5 - 44),
                height="90",
                fill=p.colour((255, 196, 120)),
            )
        )
        stripes = (200, 40, 50) if i % 2 else (240, 240, 235)
        out.append(
            el(
                "rect",
                x=fmt(x0 - 6),
                y="740",
                width=fmt(w / 5 - 4),
                height="34",
                fill=p.colour(stripes),
            )
        )
    # Strings of paper lanterns, sagging between posts.
    for row, (y0, sag) in enumerate(((560, 70), (660, 50))):
        out.append(
            el(
                "path",
                d=f"M 0 {y0} Q {fmt(w / 2)} {y0 + sag * 2} {fmt(w)} {y0}",
                stroke=p.colour((40, 30, 30)),
                stroke_width="3",
                fill="none",
            )
        )
        count = 9 + row * 2
        for k in range(count):
            t = (k + 0.5) / count
            x = t * w
            y = y0 + sag * 2 * 2 * t * (1 - t) + 26
            red = (232, 72, 60) if (k + row) % 3 else (250, 240, 220)
            out.append(
                el("circle", cx=fmt(x), cy=fmt(y), r="46", fill=radial(p, (255, 180, 110), 0.45))
            )
            out.append(
                el(
                    "ellipse",
                    cx=fmt(x),
                    cy=fmt(y),
                    rx="22",
                    ry="28",
                    fill=p.colour(red),
                    stroke=p.colour(shade(red, 0.4)),
                    stroke_width="3",
                )
            )
    return out


def stage(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A concert stage: dark hall, coloured spotlight beams, a glowing floor, the crowd's lights."""
    out = [sky_gradient(p, [(0, (12, 8, 30)), (0.7, (30, 16, 60)), (1, (60, 24, 80))], hue)]
    w = p.width
    colours = [(255, 90, 200), (90, 200, 255), (255, 230, 120), (180, 120, 255)]
    for k in range(6):
        x = w * (k + 0.5) / 6 + rng.uniform(-30, 30)
        spread = rng.uniform(120, 220)
        colour = colours[(k + int(rng.integers(4))) % 4]
        out.append(
            el(
                "path",
                d=f"M {fmt(x - 14)} 0 L {fmt(x + 14)} 0 L {fmt(x + spread)} 1000 L {fmt(x - spread)} 1000 Z",
                fill=p.colour(colour),
                opacity="0.22",
            )
        )
        out.append(el("circle", cx=fmt(x), cy="0", r="60", fill=radial(p, colour, 0.9)))
    out.append(el("rect", x="0", y="820", width=fmt(w), height="180", fill=p.colour((40, 20, 60))))
    out.append(
        el("rect", x="0", y="820", width=fmt(w), height="10", fill=p.colour((255, 150, 230)))
    )
    for _ in range(70):  # penlights in the crowd
        colour = colours[int(rng.integers(4))]
        out.append(
            el(
                "circle",
                cx=fmt(rng.uniform(0, w)),
                cy=fmt(rng.uniform(880, 1000)),
                r=fmt(rng.uniform(3, 7)),
                fill=p.colour(colour),
            )
        )
    return out


def shrine(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A shrine's approach: a red torii gate against the sky, stone lanterns, trees."""
    out = [
        sky_gradient(
            p,
            [(0, (120, 175, 235)), (0.7, (205, 228, 245)), (1, (240, 240, 232))],
            hue,
            open_sky=True,
        )
    ]
    w = p.width
    # The trees behind in the season's colours said (red maples, gold ginkgo, snow).
    look = SEASONAL_TREES.get(p.traits.trees or "")
    crowns = look.crown if look is not None else ((70, 120, 80),) * 2
    for i in range(7):  # trees behind
        x = rng.uniform(0, w)
        r = rng.uniform(120, 200)
        out.append(
            el(
                "circle",
                cx=fmt(x),
                cy=fmt(rng.uniform(520, 640)),
                r=fmt(r),
                fill=p.colour(crowns[i % 2]),
            )
        )
    out.append(
        el("rect", x="0", y="700", width=fmt(w), height="300", fill=p.colour((200, 190, 170)))
    )
    red, dark = (214, 58, 40), (40, 34, 36)
    cx = w / 2
    steps = "steps" in p.traits.features
    if steps:  # the gate stands at the top of its stone steps
        out += _stone_steps(p, cx)
    for side in (-1, 1):  # pillars
        out.append(
            el(
                "rect",
                x=fmt(cx + side * 330 - 26),
                y="190",
                width="52",
                height=str(STEPS_TOP - 190 if steps else 620),
                fill=p.colour(red),
            )
        )
    out.append(  # kasagi: the curved top lintel, black over red
        el(
            "path",
            d=f"M {fmt(cx - 470)} 150 Q {fmt(cx)} 200 {fmt(cx + 470)} 150 L {fmt(cx + 450)} 200 "
            f"Q {fmt(cx)} 240 {fmt(cx - 450)} 200 Z",
            fill=p.colour(dark),
        )
    )
    out.append(el("rect", x=fmt(cx - 430), y="205", width="860", height="40", fill=p.colour(red)))
    out.append(el("rect", x=fmt(cx - 400), y="300", width="800", height="34", fill=p.colour(red)))
    for side in (-1, 1):  # stone lanterns at the sides
        x = cx + side * 520
        out.append(
            el(
                "rect",
                x=fmt(x - 30),
                y="640",
                width="60",
                height="140",
                fill=p.colour((150, 150, 145)),
            )
        )
        out.append(
            el(
                "rect",
                x=fmt(x - 50),
                y="600",
                width="100",
                height="50",
                fill=p.colour((170, 168, 160)),
            )
        )
        out.append(
            el(
                "rect",
                x=fmt(x - 22),
                y="612",
                width="44",
                height="26",
                fill=p.colour((255, 214, 140)),
            )
        )
    return out


#: Where a shrine's stone steps end, at the gate (canvas units), and where they start.
STEPS_TOP, STEPS_BOTTOM = 705, 900


def _stone_steps(p: Painter, cx: float) -> list[str]:
    """Stone steps up to the shrine's gate: each a pale tread over a shaded riser,
    wider towards the viewer, a little worn at their edges."""
    stone = (186, 182, 172)
    ink = p.colour((88, 82, 78))
    n = 7
    rise = (STEPS_BOTTOM - STEPS_TOP) / n
    out = []
    for k in range(n):  # from the top down: each nearer step drawn over the one above
        y = STEPS_TOP + k * rise
        half = 360 + k * 34
        tread = (
            f"M {fmt(cx - half)} {fmt(y)} H {fmt(cx + half)} "
            f"L {fmt(cx + half + 17)} {fmt(y + rise * 0.45)} H {fmt(cx - half - 17)} Z"
        )
        riser = (
            f"M {fmt(cx - half - 17)} {fmt(y + rise * 0.45)} H {fmt(cx + half + 17)} "
            f"V {fmt(y + rise)} H {fmt(cx - half - 17)} Z"
        )
        out.append(el("path", d=tread, fill=p.colour(light(stone, 0.12)), stroke=ink,
                      stroke_width="2.5", stroke_linejoin="round"))  # fmt: skip
        out.append(el("path", d=riser, fill=p.colour(shade(stone, 0.22)), stroke=ink,
                      stroke_width="2.5", stroke_linejoin="round"))  # fmt: skip
    return out
