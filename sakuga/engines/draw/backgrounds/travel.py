"""Two places people ask for (issue #31): an airport terminal and a lighthouse coast.

The terminal is a room whose back wall is glass: the sky at the prompt's time of day
and a plane on the apron beyond it, a departures board on the wall beside it, the
polished floor that mirrors the light. The coast is open sky: the sea to the horizon,
a headland with its white-and-red lighthouse (its lamp lit, and its beam sweeping,
after dark), and the grassy cliff top the figure stands on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.backgrounds.common import (
    after_dark,
    day_sun,
    on_light_side,
    polygon,
    radial,
    sky_gradient,
    window_view,
)
from sakuga.engines.draw.svg import el, fmt, hue_shift, light, mix, shade

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter


#: The terminal's glass wall: from the ceiling's edge to the floor line.
GLASS_TOP, FLOOR_Y = 170.0, 700.0


def airport(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """An airport terminal: a glass wall onto the apron (a plane waiting, the sky at the
    prompt's time), a departures board, the ceiling's light strips and a polished floor."""
    w = p.width
    ceiling = hue_shift((214, 218, 226), hue * 0.3)
    frame = hue_shift((92, 100, 116), hue * 0.3)
    sky, clouds = window_view(
        p, [(0, (120, 180, 238)), (0.7, (196, 222, 246)), (1, (232, 240, 248))], hue
    )
    out = [
        el("rect", x="0", y="0", width=fmt(w), height="1000", fill=p.colour(ceiling)),
        el("rect", x="0", y=fmt(GLASS_TOP), width=fmt(w), height=fmt(FLOOR_Y - GLASS_TOP),
           fill=sky),
    ]  # fmt: skip
    if clouds:
        for _ in range(3):
            cx, cy = rng.uniform(0, w), rng.uniform(GLASS_TOP + 40, GLASS_TOP + 180)
            out.append(el("ellipse", cx=fmt(cx), cy=fmt(cy), rx=fmt(rng.uniform(70, 130)),
                          ry="22", fill="#ffffff", opacity="0.8"))  # fmt: skip
    # The apron beyond the glass: tarmac to the horizon, and a plane at its gate.
    apron_y = FLOOR_Y - 150
    out.append(el("rect", x="0", y=fmt(apron_y), width=fmt(w), height=fmt(FLOOR_Y - apron_y),
                  fill=p.colour(hue_shift((150, 156, 166), hue * 0.3))))  # fmt: skip
    out.append(el("rect", x="0", y=fmt(apron_y + 60), width=fmt(w), height="6",
                  fill=p.colour((236, 214, 90)), opacity="0.8"))  # fmt: skip
    side = on_light_side(p, float(rng.uniform(0.62, 0.72)))
    out.append(_airliner(p, w * side, apron_y + 34, w * 0.42, facing=-1 if side > 0.5 else 1))
    if after_dark(p):  # the apron's lights, and the runway's
        for k in range(9):
            x = w * (k + 0.5) / 9
            out.append(el("circle", cx=fmt(x), cy=fmt(apron_y + 70), r="26",
                          fill=radial(p, (255, 214, 150), 0.8)))  # fmt: skip
    # The glass's mullions and transom.
    panes = 6
    for k in range(panes + 1):
        x = w * k / panes
        out.append(el("rect", x=fmt(x - 7), y=fmt(GLASS_TOP), width="14",
                      height=fmt(FLOOR_Y - GLASS_TOP), fill=p.colour(frame)))  # fmt: skip
    out.append(el("rect", x="0", y=fmt(GLASS_TOP + 190), width=fmt(w), height="10",
                  fill=p.colour(frame)))  # fmt: skip
    out.append(el("rect", x="0", y=fmt(GLASS_TOP - 14), width=fmt(w), height="18",
                  fill=p.colour(shade(frame, 0.2))))  # fmt: skip
    # The ceiling's light strips, running towards the glass.
    for k in range(5):
        x = w * (k + 0.5) / 5
        out.append(el("rect", x=fmt(x - 70), y="40", width="140", height="14", rx="7",
                      fill=p.colour((255, 252, 236)), opacity="0.9"))  # fmt: skip
    # The departures board, hung on the side away from the plane.
    bx = w * (0.08 if side > 0.5 else 0.64)
    bw, by, bh = w * 0.28, GLASS_TOP + 18, 150.0
    out.append(el("rect", x=fmt(bx), y=fmt(by), width=fmt(bw), height=fmt(bh), rx="8",
                  fill=p.colour((22, 26, 38))))  # fmt: skip
    amber, green = (255, 196, 70), (120, 220, 140)
    for row in range(5):
        y = by + 20 + row * 25
        out.append(el("rect", x=fmt(bx + 14), y=fmt(y), width=fmt(bw * 0.18), height="12",
                      fill=p.colour(amber)))  # fmt: skip
        out.append(el("rect", x=fmt(bx + 22 + bw * 0.2), y=fmt(y),
                      width=fmt(bw * rng.uniform(0.3, 0.45)), height="12",
                      fill=p.colour(light(amber, 0.4))))  # fmt: skip
        out.append(el("rect", x=fmt(bx + bw * 0.8), y=fmt(y), width=fmt(bw * 0.14), height="12",
                      fill=p.colour(green if row % 2 else amber)))  # fmt: skip
    # The polished floor: a band of the glass's light mirrored in it.
    floor = hue_shift((196, 198, 206), hue * 0.3)
    out.append(el("rect", x="0", y=fmt(FLOOR_Y), width=fmt(w), height=fmt(1000 - FLOOR_Y),
                  fill=p.gradient([(0, shade(floor, 0.12)), (1, floor)])))  # fmt: skip
    out.append(el("rect", x="0", y=fmt(FLOOR_Y + 20), width=fmt(w), height="90",
                  fill=sky, opacity="0.25"))  # fmt: skip
    for k in range(panes + 1):
        x = w * k / panes
        out.append(polygon(p, [(x - 6, FLOOR_Y), (x + 6, FLOOR_Y), (x + 30, 1000), (x - 30, 1000)],
                         frame, opacity="0.12"))  # fmt: skip
    return out


def _airliner(p: Painter, cx: float, ground: float, length: float, facing: int) -> str:
    """An airliner at its gate, seen from the side: a white fuselage with a row of
    windows, a swept tail fin in a livery colour, a wing and an engine under it, its
    wheels on the apron at ``ground``; ``facing`` +1 noses to the right."""
    h = length * 0.11
    y = ground - h * 1.5  # the fuselage's middle
    nose, tail = cx + facing * length / 2, cx - facing * length / 2
    body, livery, dark = (244, 246, 250), (40, 90, 170), (70, 76, 92)
    parts = [
        # The fuselage: a rounded nose, a tail tapering up.
        el("path", d=(
            f"M {fmt(tail)} {fmt(y - h * 0.5)} L {fmt(nose - facing * h)} {fmt(y - h * 0.5)} "
            f"Q {fmt(nose + facing * h * 0.2)} {fmt(y - h * 0.45)} {fmt(nose)} {fmt(y + h * 0.2)} "
            f"Q {fmt(nose - facing * h * 0.2)} {fmt(y + h * 0.5)} {fmt(nose - facing * h)} "
            f"{fmt(y + h * 0.5)} L {fmt(tail + facing * h)} {fmt(y + h * 0.5)} "
            f"L {fmt(tail)} {fmt(y - h * 0.2)} Z"),
           fill=p.colour(body), stroke=p.colour(dark), stroke_width=fmt(p.line_width * 0.6)),
        # The tail fin, swept back, in the airline's colour.
        el("path", d=(
            f"M {fmt(tail + facing * h * 0.3)} {fmt(y - h * 0.45)} L {fmt(tail - facing * h * 0.2)} "
            f"{fmt(y - h * 2.2)} L {fmt(tail + facing * h * 0.6)} {fmt(y - h * 2.2)} "
            f"L {fmt(tail + facing * h * 1.9)} {fmt(y - h * 0.45)} Z"),
           fill=p.colour(livery)),
        # A stripe along the windows, and the windows.
        el("rect", x=fmt(min(nose, tail) + h), y=fmt(y + h * 0.1), width=fmt(length - 2.4 * h),
           height=fmt(h * 0.12), fill=p.colour(livery)),
    ]  # fmt: skip
    for k in range(int(length / (h * 0.55)) - 4):
        x = tail + facing * (h * 1.6 + k * h * 0.55)
        parts.append(el("rect", x=fmt(x - h * 0.1), y=fmt(y - h * 0.18), width=fmt(h * 0.2),
                        height=fmt(h * 0.2), rx=fmt(h * 0.08), fill=p.colour(dark)))  # fmt: skip
    wing_root = cx + facing * length * 0.05
    parts += [
        el("path", d=(
            f"M {fmt(wing_root + facing * h)} {fmt(y + h * 0.3)} L {fmt(wing_root - facing * h * 1.6)} "
            f"{fmt(y + h * 0.9)} L {fmt(wing_root - facing * h * 0.9)} {fmt(y + h * 0.9)} "
            f"L {fmt(wing_root + facing * h * 1.8)} {fmt(y + h * 0.3)} Z"),
           fill=p.colour(shade(body, 0.18))),
        el("rect", x=fmt(wing_root - h * 0.5), y=fmt(y + h * 0.55), width=fmt(h * 1.2),
           height=fmt(h * 0.45), rx=fmt(h * 0.2), fill=p.colour((200, 204, 214)),
           stroke=p.colour(dark), stroke_width=fmt(p.line_width * 0.4)),
    ]  # fmt: skip
    for x in (nose - facing * h * 1.4, wing_root):  # the wheels on the apron
        parts.append(el("rect", x=fmt(x - 2), y=fmt(y + h * 0.5), width="4",
                        height=fmt(ground - y - h * 0.5 - 8), fill=p.colour(dark)))  # fmt: skip
        parts.append(el("circle", cx=fmt(x), cy=fmt(ground - 8), r="8", fill=p.colour(dark)))
    return "".join(parts)


def lighthouse(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A lighthouse coast: the sea to the horizon, a headland on one side with its
    white tower banded in red (its lamp glowing and its beam out after dark), the
    surf at the rocks, and the grassy cliff top in front."""
    w = p.width
    out = [
        sky_gradient(
            p, [(0, (96, 164, 232)), (0.6, (190, 222, 246)), (1, (236, 242, 246))], hue,
            open_sky=True,
        )
    ]  # fmt: skip
    out.append(day_sun(p, 0.22, 250, 200, (255, 245, 205), 0.85))
    horizon = 560.0
    sea = hue_shift((44, 110, 170), hue * 0.5)
    out.append(el("rect", x="0", y=fmt(horizon), width=fmt(w), height=fmt(1000 - horizon),
                  fill=p.gradient([(0, light(sea, 0.15)), (1, shade(sea, 0.2))])))  # fmt: skip
    for _ in range(26):
        x, y = rng.uniform(0, w), rng.uniform(horizon + 10, 800)
        out.append(el("rect", x=fmt(x), y=fmt(y), width=fmt(rng.uniform(18, 60)), height="3",
                      fill="#ffffff", opacity="0.55"))  # fmt: skip
    # The headland, on the side away from the key light (the tower lit from the front).
    left = on_light_side(p, 0.9) < 0.5
    edge = w * (0.42 if left else 0.58)
    far = 0.0 if left else w
    rock = hue_shift((112, 104, 100), hue * 0.3)
    grass = hue_shift((96, 150, 84), hue * 0.4)
    cliff_top = 470.0
    out.append(polygon(p, [(far, cliff_top - 20), (edge - (edge - far) * 0.2, cliff_top),
                         (edge, cliff_top + 60), (edge + (edge - far) * 0.05, 760),
                         (far, 760)], rock))  # fmt: skip
    out.append(polygon(p, [(far, cliff_top - 36), (edge - (edge - far) * 0.2, cliff_top - 14),
                         (edge, cliff_top + 50), (edge - (edge - far) * 0.1, cliff_top + 10),
                         (far, cliff_top)], grass))  # fmt: skip
    for k in range(5):  # the surf breaking on the rocks
        y = 700 + k * 14
        x = edge + (edge - far) * (0.04 - k * 0.02)
        out.append(el("ellipse", cx=fmt(x), cy=fmt(y), rx=fmt(60 - k * 6), ry="9",
                      fill="#ffffff", opacity="0.7"))  # fmt: skip
    # The tower: tapering, white banded in red, a gallery and the lantern room.
    tx = far + (edge - far) * 0.55
    base_y, top_y = cliff_top - 18, 170.0
    half_base, half_top = 46.0, 30.0
    white, red = (246, 244, 238), (200, 50, 52)
    out.append(polygon(p, [(tx - half_base, base_y), (tx - half_top, top_y),
                         (tx + half_top, top_y), (tx + half_base, base_y)], white))  # fmt: skip
    for k in range(3):
        y0 = top_y + 40 + k * 90
        y1 = y0 + 45

        def half(y: float) -> float:
            return half_top + (half_base - half_top) * (y - top_y) / (base_y - top_y)

        out.append(polygon(p, [(tx - half(y1), y1), (tx - half(y0), y0), (tx + half(y0), y0),
                             (tx + half(y1), y1)], red))  # fmt: skip
    out.append(
        polygon(
            p,
            [
                (tx + half_top * 0.2, top_y),
                (tx + half_top, top_y),
                (tx + half_base, base_y),
                (tx + half_base * 0.3, base_y),
            ],
            (40, 40, 70),
            opacity="0.16",
        )
    )  # fmt: skip  (its side away from the light)
    dark = (44, 48, 60)
    out.append(el("rect", x=fmt(tx - half_top - 12), y=fmt(top_y - 10), width=fmt(2 * half_top + 24),
                  height="12", fill=p.colour(dark)))  # fmt: skip
    lit = after_dark(p) or p.traits.time in ("sunset", "dawn")
    lamp = (255, 236, 150) if lit else (200, 226, 236)
    out.append(polygon(p, [(tx - 28, top_y - 52), (tx, top_y - 84), (tx + 28, top_y - 52)], red))
    room = el("rect", x=fmt(tx - 20), y=fmt(top_y - 52), width="40", height="42",
              fill=p.colour(lamp))  # fmt: skip
    if lit:  # the lamp's glow and its beam out to sea: its own light, not graded
        reach = w * 0.55 * (1 if left else -1)
        room = el("g", [
            el("circle", cx=fmt(tx), cy=fmt(top_y - 31), r="110",
               fill=radial(p, (255, 236, 160), 0.8)),
            polygon(p, [(tx, top_y - 40), (tx + reach, top_y - 120), (tx + reach, top_y + 50),
                      (tx, top_y - 22)], (255, 244, 190), opacity="0.28"),
            room,
        ], data_lit="1")  # fmt: skip
    out.append(room)
    # The cliff top in front, where the figure stands, grass tufts along its edge.
    front = mix(grass, (70, 120, 60), 0.3)
    out.append(el("path", d=f"M 0 800 Q {fmt(w / 2)} 770 {fmt(w)} 806 L {fmt(w)} 1000 L 0 1000 Z",
                  fill=p.colour(front)))  # fmt: skip
    for _ in range(22):
        x = rng.uniform(0, w)
        out.append(p.stroke(f"M {fmt(x)} 806 l -6 -22 M {fmt(x)} 806 l 6 -26",
                            p.colour(light(front, 0.2)), 5))  # fmt: skip
    return out
