"""A garage (issue #31): a roll-up door half raised on the day outside, a pegboard of
tools over a workbench, a concrete floor, and a lamp hanging from the rafters that
lights the room warm whatever the hour."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.backgrounds.common import polygon, radial, window_view
from sakuga.engines.draw.svg import RGB, el, fmt, hue_shift, light, shade

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter

DAY_OUTSIDE: list[tuple[float, RGB]] = [(0, (130, 180, 235)), (1, (220, 236, 250))]
FLOOR_Y = 800.0
INK: RGB = (50, 46, 48)


def garage(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """The garage: its door on one side, the workbench and its pegboard on the other,
    the lamp over the middle."""
    w = p.width
    side = 1 if rng.uniform() < 0.5 else -1  # the bench's side; the door is opposite
    wall = hue_shift((196, 190, 176), hue * 0.4)
    out = [
        el("rect", x="0", y="0", width=fmt(w), height=fmt(FLOOR_Y),
           fill=p.gradient([(0, shade(wall, 0.4)), (0.55, shade(wall, 0.08)), (1, wall)]))
    ]  # fmt: skip
    for y in np.arange(70.0, FLOOR_Y, 62):  # the block wall's courses, faint
        out.append(p.stroke(f"M 0 {fmt(y)} H {fmt(w)}", p.colour(shade(wall, 0.14)), 2.5))
    out += _door(p, w / 2 - side * w * 0.3, hue)
    out += _bench(p, rng, w / 2 + side * w * 0.31)
    out += _floor(p, rng, hue)
    out += _lamp(p, w / 2 + side * w * 0.12)
    return out


def _door(p: Painter, cx: float, hue: float) -> list[str]:
    """A roll-up door raised halfway: its ribbed panel above, and under it the way
    out, the day (or the night) on the driveway."""
    dw, top, raised = 420.0, 150.0, 470.0
    x0 = cx - dw / 2
    pane, _ = window_view(p, DAY_OUTSIDE, hue)
    out = [el("rect", x=fmt(x0), y=fmt(raised), width=fmt(dw), height=fmt(FLOOR_Y - raised),
              fill=pane)]  # fmt: skip
    p.windows.append(
        f"M {fmt(x0)} {fmt(raised)} h {fmt(dw)} v {fmt(FLOOR_Y - raised)} h {fmt(-dw)} Z"
    )
    dark = p.traits.time in ("dusk", "night", "moonlit")
    hedge = (40, 56, 60) if dark else (96, 140, 96)
    out.append(
        el("path", d=f"M {fmt(x0)} {fmt(FLOOR_Y - 150)} Q {fmt(cx)} {fmt(FLOOR_Y - 200)} "
           f"{fmt(x0 + dw)} {fmt(FLOOR_Y - 160)} V {fmt(FLOOR_Y)} H {fmt(x0)} Z",
           fill=p.colour(hedge))
    )  # fmt: skip
    drive = (70, 70, 78) if dark else (178, 176, 170)
    out.append(polygon(p, [(x0, FLOOR_Y - 60), (x0 + dw, FLOOR_Y - 60), (x0 + dw, FLOOR_Y),
                           (x0, FLOOR_Y)], drive))  # fmt: skip
    # The door's panel: metal ribs, a handle at its bottom edge.
    metal = hue_shift((214, 216, 218), hue * 0.3)
    out.append(el("rect", x=fmt(x0), y=fmt(top), width=fmt(dw), height=fmt(raised - top),
                  fill=p.colour(metal), stroke=p.colour(INK), stroke_width="5"))  # fmt: skip
    for y in np.arange(top + 40, raised, 40):
        out.append(
            p.stroke(f"M {fmt(x0)} {fmt(y)} H {fmt(x0 + dw)}", p.colour(shade(metal, 0.22)), 4)
        )
        out.append(
            p.stroke(f"M {fmt(x0)} {fmt(y + 4)} H {fmt(x0 + dw)}", p.colour(light(metal, 0.3)), 2)
        )
    out.append(el("rect", x=fmt(cx - 40), y=fmt(raised - 22), width="80", height="12", rx="5",
                  fill=p.colour((70, 70, 76))))  # fmt: skip
    # The frame and its tracks down the sides.
    frame = p.colour(shade(metal, 0.45))
    for x in (x0 - 14, x0 + dw):
        out.append(el("rect", x=fmt(x), y=fmt(top - 14), width="14", height=fmt(FLOOR_Y - top + 14),
                      fill=frame))  # fmt: skip
    out.append(el("rect", x=fmt(x0 - 14), y=fmt(top - 28), width=fmt(dw + 28), height="18",
                  fill=frame))  # fmt: skip
    return out


def _bench(p: Painter, rng: np.random.Generator, cx: float) -> list[str]:
    """A pegboard of tools on the wall, a wooden workbench under it with a vice and a
    red toolbox."""
    bw = 400.0
    x0 = cx - bw / 2
    board = (196, 150, 104)
    out = [el("rect", x=fmt(x0), y="250", width=fmt(bw), height="300",
              fill=p.colour(board), stroke=p.colour(shade(board, 0.4)), stroke_width="6")]  # fmt: skip
    holes = "".join(
        f"M {fmt(x)} {fmt(y)} h 0.1 "
        for x in np.arange(x0 + 20, x0 + bw - 10, 26)
        for y in np.arange(270.0, 540, 26)
    )
    out.append(el("path", d=holes, stroke=p.colour(shade(board, 0.45)), stroke_width="5",
                  stroke_linecap="round"))  # fmt: skip
    steel, grip = (150, 156, 164), (200, 60, 50)
    line = {"stroke": p.colour(INK), "stroke_width": "4", "stroke_linejoin": "round"}
    k = bw / 400
    tools = [
        # A wrench: a shaft and its open jaw.
        polygon(p, [(x0 + 40 * k, 290), (x0 + 56 * k, 290), (x0 + 56 * k, 450), (x0 + 40 * k, 450)],
                steel, **line),
        el("circle", cx=fmt(x0 + 48 * k), cy="290", r="20", fill=p.colour(steel), **line),
        el("rect", x=fmt(x0 + 43 * k), y="268", width=fmt(10 * k), height="22",
           fill=p.colour(board)),
        # A hammer: its handle and head.
        polygon(p, [(x0 + 110 * k, 310), (x0 + 124 * k, 310), (x0 + 124 * k, 480), (x0 + 110 * k, 480)],
                (170, 120, 70), **line),
        polygon(p, [(x0 + 84 * k, 284), (x0 + 152 * k, 284), (x0 + 152 * k, 316), (x0 + 84 * k, 316)],
                (90, 94, 104), **line),
        # Two screwdrivers, handles up.
        polygon(p, [(x0 + 186 * k, 290), (x0 + 206 * k, 290), (x0 + 204 * k, 350), (x0 + 188 * k, 350)],
                grip, **line),
        polygon(p, [(x0 + 194 * k, 350), (x0 + 198 * k, 350), (x0 + 198 * k, 440), (x0 + 194 * k, 440)],
                steel, **line),
        polygon(p, [(x0 + 232 * k, 290), (x0 + 252 * k, 290), (x0 + 250 * k, 340), (x0 + 234 * k, 340)],
                (240, 190, 40), **line),
        polygon(p, [(x0 + 240 * k, 340), (x0 + 244 * k, 340), (x0 + 244 * k, 420), (x0 + 240 * k, 420)],
                steel, **line),
        # A saw, its blade hanging down.
        polygon(p, [(x0 + 290 * k, 300), (x0 + 370 * k, 300), (x0 + 376 * k, 500), (x0 + 300 * k, 470)],
                (196, 200, 206), **line),
        polygon(p, [(x0 + 290 * k, 280), (x0 + 370 * k, 280), (x0 + 370 * k, 320), (x0 + 290 * k, 320)],
                (60, 110, 170), **line),
    ]  # fmt: skip
    out += tools
    # The workbench: a thick top, legs, a shelf below.
    wood = (150, 104, 66)
    top = 600.0
    out.append(el("rect", x=fmt(x0 - 30), y=fmt(top), width=fmt(bw + 60), height="34", rx="4",
                  fill=p.colour(wood), **line))  # fmt: skip
    for lx in (x0 - 14, x0 + bw - 10):
        out.append(el("rect", x=fmt(lx), y=fmt(top + 34), width="24", height=fmt(FLOOR_Y - top - 30),
                      fill=p.colour(shade(wood, 0.25)), **line))  # fmt: skip
    out.append(el("rect", x=fmt(x0 - 14), y=fmt(FLOOR_Y - 70), width=fmt(bw + 20), height="18",
                  fill=p.colour(shade(wood, 0.15)), **line))  # fmt: skip
    # A vice at one end, a red toolbox at the other, a can of oil.
    out.append(polygon(p, [(x0 + 10, top - 40), (x0 + 70, top - 40), (x0 + 70, top),
                           (x0 + 10, top)], (70, 90, 120), **line))  # fmt: skip
    box = (200, 48, 44)
    out.append(polygon(p, [(x0 + bw - 170, top - 70), (x0 + bw - 20, top - 70), (x0 + bw - 20, top),
                           (x0 + bw - 170, top)], box, **line))  # fmt: skip
    out.append(p.stroke(f"M {fmt(x0 + bw - 170)} {fmt(top - 40)} H {fmt(x0 + bw - 20)}",
                        p.colour(shade(box, 0.35)), 4))  # fmt: skip
    out.append(p.stroke(f"M {fmt(x0 + bw - 120)} {fmt(top - 70)} V {fmt(top - 92)} "
                        f"H {fmt(x0 + bw - 70)} V {fmt(top - 70)}", p.colour(INK), 6))  # fmt: skip
    can = (60, 140, 90)
    out.append(polygon(p, [(x0 + 120, top - 60), (x0 + 160, top - 60), (x0 + 160, top),
                           (x0 + 120, top)], can, **line))  # fmt: skip
    del rng
    return out


def _floor(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """The concrete floor: grey, its joints running towards the viewer, an oil stain."""
    w = p.width
    concrete = hue_shift((160, 160, 156), hue * 0.2)
    out = [el("rect", x="0", y=fmt(FLOOR_Y), width=fmt(w), height=fmt(1000 - FLOOR_Y),
              fill=p.gradient([(0, shade(concrete, 0.12)), (1, light(concrete, 0.08))]))]  # fmt: skip
    joint = p.colour(shade(concrete, 0.25))
    out.append(p.stroke(f"M 0 {fmt(FLOOR_Y + 70)} H {fmt(w)}", joint, 3))
    for x in np.arange(w / 2 - 1000, w / 2 + 1001, 250):
        out.append(
            p.stroke(f"M {fmt(w / 2 + (x - w / 2) * 0.6)} {fmt(FLOOR_Y)} L {fmt(x)} 1000", joint, 3)
        )
    stain = (rng.uniform(0.2, 0.8) * w, rng.uniform(FLOOR_Y + 90, 960))
    out.append(el("ellipse", cx=fmt(stain[0]), cy=fmt(stain[1]), rx="80", ry="18",
                  fill=p.colour(shade(concrete, 0.3)), opacity="0.5"))  # fmt: skip
    out.append(el("rect", x="0", y=fmt(FLOOR_Y - 12), width=fmt(w), height="12",
                  fill=p.colour(shade(concrete, 0.3))))  # fmt: skip
    return out


def _lamp(p: Painter, x: float) -> list[str]:
    """A lamp hanging on its cord from the rafters: a metal cone, a bright bulb, and its
    warm pool of light on the wall and floor."""
    cord, shade_top = 150.0, 150.0
    out = [el("circle", cx=fmt(x), cy=fmt(shade_top + 300), r="520",
              fill=radial(p, (255, 214, 150), 0.5))]  # fmt: skip
    out.append(p.stroke(f"M {fmt(x)} 0 V {fmt(cord)}", p.colour(INK), 4))
    green = (50, 90, 76)
    out.append(polygon(p, [(x - 24, shade_top), (x + 24, shade_top), (x + 80, shade_top + 64),
                           (x - 80, shade_top + 64)], green, stroke=p.colour(INK),
                       stroke_width="4", stroke_linejoin="round"))  # fmt: skip
    out.append(el("ellipse", cx=fmt(x), cy=fmt(shade_top + 66), rx="34", ry="14",
                  fill=p.colour((255, 244, 200))))  # fmt: skip
    return out
