"""Rooms at home (issue #31): a living room, a bedroom with a desk, a kitchen.

Each is a wall, a window on the prompt's sky (rain and snow fall outside it, as in
every room), a wooden floor, and its furniture from the vector library (`draw.things`)
— a sofa with its lamp, a bed, a desk with a computer, a counter with a pan and a
teapot — restyled by `ThingPainter` as every library thing is, so the room and what
the prompt names in it are drawn alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.backgrounds.common import (
    after_dark,
    back_wall,
    furniture,
    light_through,
    radial,
    window_view,
)
from sakuga.engines.draw.svg import RGB, el, fmt, hue_shift, light, shade

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter

DAY_OUTSIDE: list[tuple[float, RGB]] = [(0, (110, 170, 235)), (1, (210, 232, 250))]
FLOOR_Y = 800
#: A room's window (`_room`): its width (of the frame's), its height and its top.
WINDOW_WIDTH, WINDOW_HEIGHT, WINDOW_TOP = 0.3, 360.0, 150.0


def _room(
    p: Painter, rng: np.random.Generator, hue: float, wall: RGB, window_x: float
) -> list[str]:
    """The wall, a curtained window at ``window_x`` (0–1 across) and the floor."""
    w = p.width
    wall = hue_shift(wall, hue * 0.5)
    dark = after_dark(p)
    out = [back_wall(p, wall, ceiling=0.22)]
    if "log walls" in p.traits.features:
        out += _log_wall(p, hue)
    ww, wh, wy = w * WINDOW_WIDTH, WINDOW_HEIGHT, WINDOW_TOP
    wx = w * window_x - ww / 2
    pane, _ = window_view(p, DAY_OUTSIDE, hue)
    out.append(el("rect", x=fmt(wx), y=fmt(wy), width=fmt(ww), height=fmt(wh), fill=pane))
    p.windows.append(f"M {fmt(wx)} {fmt(wy)} h {fmt(ww)} v {fmt(wh)} h {fmt(-ww)} Z")
    frame = p.colour((246, 242, 234))
    for d in (
        f"M {fmt(wx)} {fmt(wy)} h {fmt(ww)} v {fmt(wh)} h {fmt(-ww)} Z",
        f"M {fmt(wx + ww / 2)} {fmt(wy)} v {fmt(wh)}",
        f"M {fmt(wx)} {fmt(wy + wh / 2)} h {fmt(ww)}",
    ):
        out.append(el("path", d=d, fill="none", stroke=frame, stroke_width="12"))
    curtain = hue_shift((210, 150, 140) if not dark else (120, 90, 110), hue)
    for side in (-1, 1):
        edge = wx if side < 0 else wx + ww
        out.append(
            el(
                "path",
                d=f"M {fmt(edge - side * 30)} {fmt(wy - 30)} Q {fmt(edge + side * 20)} "
                f"{fmt(wy + wh / 2)} {fmt(edge + side * 40)} {fmt(wy + wh + 60)} "
                f"L {fmt(edge + side * 90)} {fmt(wy + wh + 60)} L {fmt(edge + side * 80)} "
                f"{fmt(wy - 30)} Z",
                fill=p.colour(curtain),
            )
        )
    out.append(
        el("rect", x=fmt(wx - 60), y=fmt(wy - 44), width=fmt(ww + 120), height="12", rx="6",
           fill=p.colour((120, 90, 70)))
    )  # fmt: skip
    # The floor: boards, and a baseboard where it meets the wall.
    wood = hue_shift((170, 122, 84), hue * 0.3)
    out.append(
        el(
            "rect",
            x="0",
            y=str(FLOOR_Y),
            width=fmt(w),
            height=str(1000 - FLOOR_Y),
            fill=p.colour(wood),
        )
    )
    for y in range(FLOOR_Y + 40, 1000, 48):
        out.append(
            el("path", d=f"M 0 {fmt(y)} H {fmt(w)}", stroke=p.colour(shade(wood, 0.18)),
               stroke_width="3")
        )  # fmt: skip
    out.append(
        el("rect", x="0", y=str(FLOOR_Y - 18), width=fmt(w), height="18",
           fill=p.colour(light(wall, 0.35)))
    )  # fmt: skip
    out.append(light_through(p, wx, wx + ww, wy + wh, 1000))
    del rng
    return out


def _lamp_glow(p: Painter, x: float, y: float) -> str:
    """A lamp's warm pool of light after dark."""
    if not after_dark(p):
        return ""
    return el("circle", cx=fmt(x), cy=fmt(y), r="300", fill=radial(p, (255, 200, 120), 0.55))


def living(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A living room: a sofa with its lamp, a plant, a picture on the wall; a fireplace
    with its fire where one is said (the window moves to the middle for it), and walls
    of logs in a cabin."""
    w = p.width
    side = 1 if rng.uniform() < 0.5 else -1
    fire = "fireplace" in p.traits.features
    out = _room(p, rng, hue, (238, 226, 204), 0.5 if fire else 0.5 - side * 0.26)
    sofa_x = w / 2 + side * w * 0.3
    out.append(_lamp_glow(p, sofa_x + side * 120, FLOOR_Y - 320))
    out.append(furniture(p, "framed-picture", sofa_x, 360, 170))
    if not any(t.where == "seat" for t in p.traits.things):  # else she sits on it
        out.append(furniture(p, "couch-and-lamp", sofa_x, FLOOR_Y + 60, 460))
    if fire:
        out += fireplace(p, rng, w / 2 - side * w * 0.3)
    else:
        out.append(furniture(p, "potted-plant", w / 2 - side * w * 0.42, FLOOR_Y + 40, 220))
    return out


def _log_wall(p: Painter, hue: float) -> list[str]:
    """A log cabin's wall: round logs laid one on another, lit from above, dark seams."""
    w = p.width
    wood = hue_shift((156, 108, 70), hue * 0.3)
    out = []
    for k, y in enumerate(range(0, FLOOR_Y, 56)):
        tone = shade(wood, 0.06 * (k % 3))
        out.append(
            el("rect", x="0", y=fmt(y), width=fmt(w), height="56",
               fill=p.gradient([(0, light(tone, 0.18)), (0.5, tone), (1, shade(tone, 0.35))]))
        )  # fmt: skip
        out.append(p.stroke(f"M 0 {fmt(y + 55)} H {fmt(w)}", p.colour(shade(wood, 0.55)), 4))
    return out


def fireplace(p: Painter, rng: np.random.Generator, x: float) -> list[str]:
    """A stone fireplace standing on the floor at ``x``: its mantel, the dark hearth
    and a fire of logs in it, and the fire's warm glow on the room (brighter after
    dark)."""
    fw, top = 320.0, FLOOR_Y - 330.0
    stone = (150, 138, 128)
    ink = p.colour((54, 44, 42))
    glow = 0.75 if after_dark(p) else 0.45
    out = [
        el("circle", cx=fmt(x), cy=fmt(FLOOR_Y - 90), r="560", fill=radial(p, (255, 160, 70), glow))
    ]
    out.append(
        el("rect", x=fmt(x - fw / 2), y=fmt(top), width=fmt(fw), height=fmt(FLOOR_Y - top),
           fill=p.colour(stone), stroke=ink, stroke_width="5")
    )  # fmt: skip
    for row, y in enumerate(np.arange(top + 40, FLOOR_Y, 40)):  # the stones' courses
        out.append(
            p.stroke(
                f"M {fmt(x - fw / 2)} {fmt(y)} H {fmt(x + fw / 2)}", p.colour(shade(stone, 0.2)), 3
            )
        )
        for bx in np.arange(x - fw / 2 + (30 if row % 2 else 60), x + fw / 2, 70):
            out.append(
                p.stroke(f"M {fmt(bx)} {fmt(y - 40)} V {fmt(y)}", p.colour(shade(stone, 0.2)), 3)
            )
    mantel = (120, 80, 52)
    out.append(
        el("rect", x=fmt(x - fw / 2 - 30), y=fmt(top - 26), width=fmt(fw + 60), height="30", rx="4",
           fill=p.colour(mantel), stroke=ink, stroke_width="5")
    )  # fmt: skip
    # The hearth's opening, an arch, dark inside, lit by the fire from below.
    ow, oh = 200.0, 190.0
    arch = (
        f"M {fmt(x - ow / 2)} {fmt(FLOOR_Y)} V {fmt(FLOOR_Y - oh + 60)} "
        f"Q {fmt(x)} {fmt(FLOOR_Y - oh - 40)} {fmt(x + ow / 2)} {fmt(FLOOR_Y - oh + 60)} V {fmt(FLOOR_Y)} Z"
    )
    out.append(
        el("path", d=arch, fill=p.gradient([(0, (30, 20, 20)), (0.7, (90, 40, 20)), (1, (200, 90, 30))]),
           stroke=ink, stroke_width="5")
    )  # fmt: skip
    # The fire: logs crossed, flames in three colours over them, sparks.
    logs = (96, 60, 38)
    for tilt in (-1, 1):
        out.append(
            p.stroke(f"M {fmt(x - tilt * 70)} {fmt(FLOOR_Y - 14)} L {fmt(x + tilt * 60)} {fmt(FLOOR_Y - 34)}",
                     p.colour(logs), 22)
        )  # fmt: skip
    for colour, k in (((236, 80, 36), 1.0), ((252, 150, 40), 0.72), ((255, 226, 110), 0.44)):
        fh, fwid = 150 * k, 74 * k
        d = (
            f"M {fmt(x - fwid)} {fmt(FLOOR_Y - 30)} Q {fmt(x - fwid * 1.1)} {fmt(FLOOR_Y - 30 - fh * 0.5)} "
            f"{fmt(x - fwid * 0.3)} {fmt(FLOOR_Y - 30 - fh * 0.8)} L {fmt(x - fwid * 0.1)} "
            f"{fmt(FLOOR_Y - 30 - fh * 0.55)} L {fmt(x + fwid * 0.15)} {fmt(FLOOR_Y - 30 - fh)} "
            f"Q {fmt(x + fwid * 1.1)} {fmt(FLOOR_Y - 30 - fh * 0.45)} {fmt(x + fwid)} {fmt(FLOOR_Y - 30)} Z"
        )
        out.append(el("path", d=d, fill=p.colour(colour)))
    for _ in range(5):
        out.append(
            el("circle", cx=fmt(x + rng.uniform(-60, 60)), cy=fmt(FLOOR_Y - rng.uniform(170, 260)),
               r=fmt(rng.uniform(2.5, 4.5)), fill=p.colour((255, 210, 120)))
        )  # fmt: skip
    # The glow on the floor in front of it.
    out.append(
        el("ellipse", cx=fmt(x), cy=fmt(FLOOR_Y + 60), rx="260", ry="60",
           fill=radial(p, (255, 190, 110), 0.6))
    )  # fmt: skip
    return out


def washitsu(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A Japanese room: sliding shoji doors of paper in a wooden lattice across the back
    (the day's light through them, warm lamplight after dark), a lintel above, plaster
    between, and a tatami floor of mats bordered in dark cloth, seen a little from above."""
    w = p.width
    dark = after_dark(p)
    wood = hue_shift((150, 108, 72), hue * 0.3)
    plaster = hue_shift((226, 206, 170), hue * 0.4)
    out = [back_wall(p, plaster, ceiling=0.25)]
    top, bottom = 150.0, float(FLOOR_Y)
    paper = (255, 236, 196) if dark else (248, 246, 236)
    glow = light(paper, 0.2) if not dark else (255, 214, 150)
    out.append(
        el("rect", x="0", y=fmt(top), width=fmt(w), height=fmt(bottom - top),
           fill=p.gradient([(0, glow), (1, shade(paper, 0.06))]))
    )  # fmt: skip
    panels = max(3, round(w / 260))
    pw = w / panels
    lattice = p.colour(shade(wood, 0.05))
    for k in range(panels):  # each door: a frame, and a grid of thin bars
        x0 = k * pw
        out.append(
            el("rect", x=fmt(x0 + 6), y=fmt(top), width=fmt(pw - 12), height=fmt(bottom - top),
               fill="none", stroke=p.colour(wood), stroke_width="16")
        )  # fmt: skip
        for i in range(1, 3):
            x = x0 + pw * i / 3
            out.append(p.stroke(f"M {fmt(x)} {fmt(top)} V {fmt(bottom)}", lattice, 5))
        for j in range(1, 6):
            y = top + (bottom - top) * j / 6
            out.append(p.stroke(f"M {fmt(x0 + 6)} {fmt(y)} H {fmt(x0 + pw - 6)}", lattice, 5))
    out.append(
        el("rect", x="0", y=fmt(top - 34), width=fmt(w), height="34", fill=p.colour(wood))
    )  # the lintel
    # The tatami: mats in rows towards the viewer, their long edges bordered dark.
    mat = hue_shift((206, 198, 140), hue * 0.3)
    out.append(
        el("rect", x="0", y=fmt(bottom), width=fmt(w), height=fmt(1000 - bottom),
           fill=p.gradient([(0, shade(mat, 0.1)), (1, light(mat, 0.06))]))
    )  # fmt: skip
    border = p.colour(hue_shift((58, 66, 52), hue * 0.3))
    for y in (bottom + 70, bottom + 170):
        out.append(p.stroke(f"M 0 {fmt(y)} H {fmt(w)}", border, 10))
    for k in range(0, panels + 1):  # the seams, fanning out towards the viewer
        x = k * pw
        out.append(
            p.stroke(
                f"M {fmt(x)} {fmt(bottom)} L {fmt(w / 2 + (x - w / 2) * 1.5)} 1000",
                p.colour(shade(mat, 0.22)),
                4,
            )
        )
    for _ in range(40):  # the rush weave, faint
        y = rng.uniform(bottom + 8, 1000)
        out.append(p.stroke(f"M 0 {fmt(y)} H {fmt(w)}", p.colour(shade(mat, 0.08)), 1.5))
    out.append(
        el("rect", x="0", y=fmt(bottom - 14), width=fmt(w), height="14", fill=p.colour(wood))
    )  # the sill the doors slide in
    return out


def bedroom(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A bedroom with a desk: the bed on one side, the desk and its computer (the
    lo-fi room) on the other."""
    w = p.width
    side = 1 if rng.uniform() < 0.5 else -1
    # The desk on the side with more room beside the figure (behind a bust it was
    # hidden): the figure's offset, in the room's units (a mirrored version's room is
    # flipped after it is drawn).
    off = -p.variation.offset if p.variation.mirror else p.variation.offset
    if off:
        side = 1 if off > 0 else -1
    out = _room(p, rng, hue, (214, 208, 232), 0.5)
    if not any(t.vector.name == "bed" and t.where == "seat" for t in p.traits.things):
        out.append(furniture(p, "bed", w / 2 + side * w * 0.33, FLOOR_Y + 70, 420))
    desk_x = w / 2 - side * w * 0.33
    top = FLOOR_Y - 170
    wood = (150, 104, 70)
    out.append(
        el("rect", x=fmt(desk_x - 170), y=fmt(top), width="340", height="26", rx="6",
           fill=p.colour(wood))
    )  # fmt: skip
    for leg in (-150, 140):
        out.append(
            el("rect", x=fmt(desk_x + leg), y=fmt(top + 20), width="14", height="190",
               fill=p.colour(shade(wood, 0.25)))
        )  # fmt: skip
    out.append(_lamp_glow(p, desk_x, top - 120))
    out.append(furniture(p, "desktop-computer", desk_x - 40, top + 4, 190))
    out.append(furniture(p, "potted-plant", desk_x + 120, top + 4, 90))
    return out


def kitchen(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A kitchen: tiled wall, a counter with cupboards, a pan and a teapot on it."""
    w = p.width
    out = _room(p, rng, hue, (222, 236, 228), 0.5)
    tile = p.colour((206, 224, 216))
    for y in range(520, 640, 40):
        out.append(el("path", d=f"M 0 {fmt(y)} H {fmt(w)}", stroke=tile, stroke_width="3"))
    counter_top = 640.0
    out.append(
        el("rect", x="0", y=fmt(counter_top), width=fmt(w), height="26",
           fill=p.colour((236, 232, 224)))
    )  # fmt: skip
    cupboard = hue_shift((150, 186, 196), hue * 0.5)
    out.append(
        el("rect", x="0", y=fmt(counter_top + 26), width=fmt(w),
           height=fmt(1000 - counter_top - 26), fill=p.colour(cupboard))
    )  # fmt: skip
    for x in np.arange(40, w, 220):
        out.append(
            el("rect", x=fmt(x), y=fmt(counter_top + 60), width="180", height="220", rx="8",
               fill="none", stroke=p.colour(shade(cupboard, 0.2)), stroke_width="5")
        )  # fmt: skip
    # A pan on the counter — or, where the figure holds the pan (cooking), a pot on
    # it: never a second pan standing on its rim beside the one in her hand.
    pan_held = any(t.vector.name == "cooking" for t in p.traits.things)
    out.append(
        furniture(p, "pot-of-food" if pan_held else "cooking", w * 0.14, counter_top + 6, 150)
    )
    out.append(furniture(p, "teapot", w * 0.86, counter_top + 6, 130))
    # The said time's light through the window (`_room`'s, in the middle) falls over
    # the counter and the cupboards, not behind them.
    half = w * WINDOW_WIDTH / 2
    out.append(light_through(p, w / 2 - half, w / 2 + half, WINDOW_TOP + WINDOW_HEIGHT, 1000))
    return out
