"""The ground seen from above, for a figure lying on it: grass with flowers or petals,
sand, or a floor, by the scene the prompt names."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.svg import RGB, el, fmt, light, shade

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter

INDOORS = frozenset(
    {"classroom", "cafe", "library", "train", "castle", "station", "stage", "bedroom"}
)


#: Places whose ground is paved: asphalt and paving stones under one lying there.
PAVED = frozenset({"city", "shops", "platform", "rooftop", "airport"})


def ground_from_above(p: Painter, kind: str, seed: int, indoors: bool = False) -> str:
    """The ground under a figure lying on it: sand, a floor (``indoors``, or a room),
    paving in a city, else grass."""
    rng = np.random.default_rng(seed)
    w = p.width
    if kind in PAVED and not indoors:
        stone: RGB = (128, 130, 138)
        out = [el("rect", x="0", y="0", width=fmt(w), height="1000", fill=p.colour(stone))]
        for row in range(0, 1000, 160):  # paving slabs, each row offset from the last
            out.append(el("rect", x="0", y=fmt(row), width=fmt(w), height="5",
                          fill=p.colour(shade(stone, 0.25))))  # fmt: skip
            for col in np.arange((row // 160) % 2 * 120, w, 240):
                out.append(el("rect", x=fmt(col), y=fmt(row), width="5", height="160",
                              fill=p.colour(shade(stone, 0.25))))  # fmt: skip
        return "".join(out)
    if kind == "beach":
        sand: RGB = (236, 214, 170)
        out = [el("rect", x="0", y="0", width=fmt(w), height="1000", fill=p.colour(sand))]
        for _ in range(18):  # ripples left by the wind
            y = rng.uniform(0, 1000)
            out.append(
                el(
                    "path",
                    d=f"M 0 {fmt(y)} Q {fmt(w / 2)} {fmt(y + rng.uniform(-30, 30))} {fmt(w)} {fmt(y)}",
                    stroke=p.colour(shade(sand, 0.12)),
                    stroke_width="6",
                    fill="none",
                    opacity="0.5",
                )
            )
        return "".join(out)
    if kind in INDOORS or kind == "plain" or indoors:
        wood: RGB = (176, 128, 86) if kind != "castle" else (130, 130, 146)
        out = [el("rect", x="0", y="0", width=fmt(w), height="1000", fill=p.colour(wood))]
        for board in range(0, 1000, 110):  # boards (or flagstones) running across
            out.append(
                el(
                    "rect",
                    x="0",
                    y=fmt(board),
                    width=fmt(w),
                    height="6",
                    fill=p.colour(shade(wood, 0.2)),
                )
            )
            for x in np.arange(rng.uniform(0, 300), w, 420):
                out.append(
                    el(
                        "rect",
                        x=fmt(x),
                        y=fmt(board),
                        width="6",
                        height="110",
                        fill=p.colour(shade(wood, 0.2)),
                    )
                )
        return "".join(out)
    # Grass, with what the scene scatters on it: petals under cherry trees, flowers in a
    # field, leaves in a forest.
    grass: RGB = (110, 168, 84)
    out = [el("rect", x="0", y="0", width=fmt(w), height="1000", fill=p.colour(grass))]
    for _ in range(700):
        x, y = rng.uniform(0, w), rng.uniform(0, 1000)
        tone = light(grass, 0.2) if rng.uniform() < 0.5 else shade(grass, 0.15)
        out.append(
            el(
                "path",
                d=f"M {fmt(x)} {fmt(y)} l {fmt(rng.uniform(-6, 6))} {fmt(-rng.uniform(12, 26))}",
                stroke=p.colour(tone),
                stroke_width="3",
            )
        )
    scatter: list[RGB] = {
        "sakura": [(255, 200, 215), (250, 180, 200)],
        "flowers": [(250, 150, 190), (255, 220, 90), (255, 255, 255), (200, 150, 240)],
        "forest": [(200, 140, 60), (170, 90, 40)],
    }.get(kind, [(255, 255, 255), (255, 230, 120)])
    for _ in range(90 if kind in ("flowers", "sakura") else 40):
        colour = scatter[int(rng.integers(len(scatter)))]
        x, y, r = rng.uniform(0, w), rng.uniform(0, 1000), rng.uniform(5, 11)
        out.append(el("circle", cx=fmt(x), cy=fmt(y), r=fmt(r), fill=p.colour(colour)))
        if kind == "flowers":
            out.append(
                el("circle", cx=fmt(x), cy=fmt(y), r=fmt(r * 0.35), fill=p.colour((250, 200, 60)))
            )
    return "".join(out)


def body_shadow(x: float, y: float, scale: float, angle: float) -> str:
    """A soft shadow on the ground under a lying figure whose head is at (x, y) and
    whose body runs along ``angle`` (as the figure is turned), offset a little down
    and right as by a light from above."""
    length = 2330 * scale
    return el(
        "rect",
        x=fmt(-215 * scale),
        y=fmt(-240 * scale),
        width=fmt(480 * scale),
        height=fmt(length),
        rx=fmt(200 * scale),
        fill="#000000",
        opacity="0.18",
        transform=f"translate({fmt(x + 10)} {fmt(y + 14)}) rotate({angle:g})",
    )


def sofa_from_above(
    p: Painter, at: tuple[float, float], scale: float, angle: float, colour: RGB
) -> str:
    """A sofa under a figure lying on it, head at ``at``, body along ``angle``: its seat
    cushions in ``colour``, the back along one side, an arm at the head and one under
    the knees (the feet over it), and its shadow on the floor."""
    x, y = at
    s = scale

    def box(left: float, top: float, width: float, height: float, fill: RGB, r: float) -> str:
        return el("rect", x=fmt(left * s), y=fmt(top * s), width=fmt(width * s),
                  height=fmt(height * s), rx=fmt(r * s), fill=p.colour(fill))  # fmt: skip

    parts = [
        box(-470, -420, 980, 2180, shade(colour, 0.55), 70),  # its shadow
        box(-500, -440, 980, 2140, shade(colour, 0.2), 60),  # the frame
        box(-500, -440, 200, 2140, shade(colour, 0.1), 60),  # the back, along one side
        box(-500, -440, 980, 190, light(colour, 0.05), 60),  # the arm at the head
        box(-500, 1510, 980, 190, light(colour, 0.05), 60),  # the arm under the knees
        box(-290, -240, 740, 870, colour, 40),  # the seat's two cushions
        box(-290, 640, 740, 860, colour, 40),
    ]
    return el("g", parts, transform=f"translate({fmt(x + 10)} {fmt(y + 14)}) rotate({angle:g})")


def bed_from_above(
    p: Painter, at: tuple[float, float], scale: float, angle: float, seed: int
) -> str:
    """A bed under a figure lying on it, head at ``at``, body along ``angle``: the
    mattress in its sheet, a pillow under the head, the cover under the legs, and the
    bed's shadow on the floor."""
    x, y = at
    rng = np.random.default_rng(seed)
    blanket: RGB = [(150, 180, 220), (236, 170, 180), (170, 205, 170), (220, 200, 150)][
        int(rng.integers(4))
    ]
    sheet: RGB = (240, 242, 248)
    s = scale

    def box(left: float, top: float, width: float, height: float, fill: str, r: float) -> str:
        return el(
            "rect",
            x=fmt(left * s),
            y=fmt(top * s),
            width=fmt(width * s),
            height=fmt(height * s),
            rx=fmt(r * s),
            fill=fill,
        )

    parts = [
        box(-500, -560, 1040, 2980, p.colour(shade(sheet, 0.6)), 60),  # its shadow
        box(-500, -580, 1000, 2960, p.colour(shade(sheet, 0.12)), 50),
        box(-470, -550, 940, 2900, p.colour(sheet), 40),
        box(-330, -520, 660, 380, p.colour(light(sheet, 0.5)), 90),  # the pillow
        box(-480, 1100, 960, 1290, p.colour(blanket), 40),  # the cover under the legs
        box(-480, 1100, 960, 110, p.colour(light(blanket, 0.25)), 30),  # its turned edge
    ]
    return el("g", parts, transform=f"translate({fmt(x + 10)} {fmt(y + 14)}) rotate({angle:g})")
