"""Places people ask for (issue #31): a school hallway with lockers, a boxing ring, a
mecha hangar, an office, the sea's depths, a ruined city, a desert and a shopping
street.

Rooms are drawn in one-point perspective towards a far wall behind the figure, so the
walls beside her carry what the place is known by (lockers, windows, girders).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.backgrounds.common import (
    after_dark,
    furniture,
    glows,
    polygon,
    radial,
    sky_gradient,
    window_view,
)
from sakuga.engines.draw.svg import RGB, el, fmt, hue_shift, light, mix, shade

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter


def _corridor(
    p: Painter, rng: np.random.Generator, far: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The far wall's box (x0, y0, x1, y1), a little off centre by the seed."""
    w = p.width
    shift = rng.uniform(-0.06, 0.06) * w
    x0, y0, x1, y1 = far
    return x0 * w + shift, y0, x1 * w + shift, y1


def _on_wall(
    x: float, near: float, far_x: float, top: float, bottom: float, ft: float, fb: float
) -> tuple[float, float]:
    """The wall's top and bottom at ``x`` between the frame's edge (``near``) and the
    far wall's edge (``far_x``)."""
    t = (x - near) / (far_x - near)
    return top + (ft - top) * t, bottom + (fb - bottom) * t


def hospital(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A hospital corridor: pale mint walls, ward doors with their small windows and a
    handrail down one wall, windows down the other, the ceiling lights to the far end."""
    return hallway(p, rng, hue, ward=True)


def hallway(p: Painter, rng: np.random.Generator, hue: float, *, ward: bool = False) -> list[str]:
    """A school hallway: lockers down one wall, windows down the other, the polished
    floor and the ceiling lights running to the far end (``ward``: a hospital's, its
    doors and handrail in place of the lockers)."""
    w = p.width
    x0, y0, x1, y1 = _corridor(p, rng, (0.4, 330, 0.6, 590))
    wall = hue_shift((218, 236, 228) if ward else (236, 230, 216), hue * 0.4)
    lockers = hue_shift((112, 146, 186), hue)
    side = 1 if rng.uniform() < 0.5 else -1  # which wall has the lockers
    out = [
        el("rect", x="0", y="0", width=fmt(w), height="1000", fill=p.colour(wall)),
        polygon(p, [(0, 0), (w, 0), (x1, y0), (x0, y0)], shade(wall, 0.12)),  # ceiling
        polygon(
            p,
            [(0, 1000), (x0, y1), (x1, y1), (w, 1000)],
            (200, 212, 208) if ward else (204, 196, 182),
        ),  # floor
        polygon(p, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)], light(wall, 0.1)),  # far wall
    ]
    # The far wall's door with its window of light.
    dw = (x1 - x0) * 0.34
    out.append(
        el("rect", x=fmt((x0 + x1) / 2 - dw / 2), y=fmt(y1 - (y1 - y0) * 0.7), width=fmt(dw),
           height=fmt((y1 - y0) * 0.7), fill=p.colour((150, 120, 96)))
    )  # fmt: skip
    for near, far_x in ((0.0, x0), (w, x1)):
        wall_side = -1 if near == 0 else 1
        out.append(
            polygon(p, [(near, 0), (far_x, y0), (far_x, y1), (near, 1000)], shade(wall, 0.05))
        )
        # Bays along the wall, closer together as they recede.
        stops = [near + (far_x - near) * (1 - 0.72**k) for k in range(9)]
        if wall_side == side and ward:
            out += _ward_doors(p, stops, near, far_x, y0, y1)
        elif wall_side == side:
            for a, b in itertools.pairwise(stops):
                ta, ba = _on_wall(a, near, far_x, 0, 1000, y0, y1)
                tb, bb = _on_wall(b, near, far_x, 0, 1000, y0, y1)
                top_a, bot_a = ta + (ba - ta) * 0.22, ba - (ba - ta) * 0.1
                top_b, bot_b = tb + (bb - tb) * 0.22, bb - (bb - tb) * 0.1
                out.append(
                    polygon(p, [(a, top_a), (b, top_b), (b, bot_b), (a, bot_a)], lockers,
                          stroke=p.colour(shade(lockers, 0.35)), stroke_width="4")
                )  # fmt: skip
                for k in range(3):  # the vents near the top
                    f = 0.06 + k * 0.025
                    ya, yb = top_a + (bot_a - top_a) * f, top_b + (bot_b - top_b) * f
                    inset = (b - a) * 0.2
                    out.append(
                        el("path", d=f"M {fmt(a + inset)} {fmt(ya)} L {fmt(b - inset)} {fmt(yb)}",
                           stroke=p.colour(shade(lockers, 0.3)), stroke_width="3")
                    )  # fmt: skip
                hx = a + (b - a) * 0.8
                hy = top_a + (bot_a - top_a) * 0.45
                out.append(el("circle", cx=fmt(hx), cy=fmt(hy), r=fmt(max(2.0, (b - a) * 0.03)),
                              fill=p.colour((220, 224, 230))))  # fmt: skip
        else:
            pane, _ = window_view(p, [(0, (120, 185, 245)), (1, (205, 232, 255))], hue)
            for a, b in list(itertools.pairwise(stops))[::2]:
                ta, ba = _on_wall(a, near, far_x, 0, 1000, y0, y1)
                tb, bb = _on_wall(b, near, far_x, 0, 1000, y0, y1)
                pts = [
                    (a, ta + (ba - ta) * 0.16),
                    (b, tb + (bb - tb) * 0.16),
                    (b, tb + (bb - tb) * 0.55),
                    (a, ta + (ba - ta) * 0.55),
                ]
                d = "M " + " L ".join(f"{fmt(x)} {fmt(y)}" for x, y in pts) + " Z"
                out.append(el("path", d=d, fill=pane, stroke=p.colour((150, 140, 126)),
                              stroke_width="8"))  # fmt: skip
                p.windows.append(d)
    # The ceiling lights, a row down the middle.
    for k in range(6):
        t = 1 - 0.7**k
        cx = w / 2 + ((x0 + x1) / 2 - w / 2) * t
        cy = 40 + (y0 - 40) * t
        lw = 160 * (1 - t) + 30
        out.append(
            el("rect", x=fmt(cx - lw / 2), y=fmt(cy), width=fmt(lw), height=fmt(max(4, 18 * (1 - t))),
               fill=p.colour((255, 252, 238) if not after_dark(p) else (255, 240, 200)))
        )  # fmt: skip
    # The shine of the lights on the floor.
    out.append(
        polygon(p, [(w / 2 - 60, 1000), ((x0 + x1) / 2 - 8, y1), ((x0 + x1) / 2 + 8, y1),
                  (w / 2 + 60, 1000)], (255, 255, 255), opacity="0.25")
    )  # fmt: skip
    return out


def _ward_doors(
    p: Painter, stops: list[float], near: float, far_x: float, y0: float, y1: float
) -> list[str]:
    """A hospital wall's ward doors (every other bay, each with its small window) and
    the handrail running along it."""
    wood, rail = (176, 150, 120), (150, 170, 166)
    out = []
    for a, b in list(itertools.pairwise(stops))[::2]:
        ta, ba = _on_wall(a, near, far_x, 0, 1000, y0, y1)
        tb, bb = _on_wall(b, near, far_x, 0, 1000, y0, y1)
        top_a, top_b = ta + (ba - ta) * 0.24, tb + (bb - tb) * 0.24
        out.append(
            polygon(p, [(a, top_a), (b, top_b), (b, bb), (a, ba)], wood,
                    stroke=p.colour(shade(wood, 0.35)), stroke_width="4")
        )  # fmt: skip
        inset = (b - a) * 0.3
        wa, wb = top_a + (ba - top_a) * 0.12, top_b + (bb - top_b) * 0.12
        ha, hb = top_a + (ba - top_a) * 0.32, top_b + (bb - top_b) * 0.32
        out.append(
            polygon(p, [(a + inset, wa), (b - inset, wb), (b - inset, hb), (a + inset, ha)],
                    (206, 228, 240))
        )  # fmt: skip
    ta, ba = _on_wall(near, near, far_x, 0, 1000, y0, y1)
    tb, bb = _on_wall(far_x, near, far_x, 0, 1000, y0, y1)
    ra, rb = ta + (ba - ta) * 0.55, tb + (bb - tb) * 0.55
    out.append(
        el("path", d=f"M {fmt(near)} {fmt(ra)} L {fmt(far_x)} {fmt(rb)}",
           stroke=p.colour(rail), stroke_width="12", stroke_linecap="round")
    )  # fmt: skip
    return out


def gym(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A boxing ring under the lights: the dark hall, the ropes and corner posts
    behind the figure, the canvas she stands on."""
    w = p.width
    out = [
        el("rect", x="0", y="0", width=fmt(w), height="1000",
           fill=p.gradient([(0, (18, 18, 26)), (0.7, (46, 44, 58)), (1, (60, 58, 70))]))
    ]  # fmt: skip
    # Spotlights from above, and the crowd's lights far off.
    for x in (w * 0.2, w * 0.5, w * 0.8):
        out.append(
            polygon(p, [(x - 30, 0), (x + 30, 0), (x + 260, 760), (x - 260, 760)], (255, 250, 225),
                  opacity="0.07")
        )  # fmt: skip
    out += glows(p, rng, [(255, 230, 180), (200, 210, 255)], 26, (300, 520), (12, 30), 0.5)
    canvas_top = 740.0
    out.append(
        el("rect", x="0", y=fmt(canvas_top), width=fmt(w), height=fmt(1000 - canvas_top),
           fill=p.gradient([(0, (214, 218, 228)), (1, (236, 238, 244))]))
    )  # fmt: skip
    posts = (w * 0.07, w * 0.93)
    for x in posts:
        out.append(el("rect", x=fmt(x - 14), y="360", width="28", height=fmt(canvas_top - 340),
                      fill=p.colour((200, 200, 210))))  # fmt: skip
        pad = (200, 40, 50) if x < w / 2 else (40, 70, 170)
        out.append(el("rect", x=fmt(x - 24), y="372", width="48", height="260", rx="12",
                      fill=p.colour(pad)))  # fmt: skip
    rope_colours = ((236, 60, 70), (250, 250, 250), (60, 90, 200))
    for k, y in enumerate((420.0, 510.0, 600.0)):
        sag = 26
        out.append(
            p.stroke(
                f"M {fmt(posts[0])} {fmt(y)} Q {fmt(w / 2)} {fmt(y + sag)} {fmt(posts[1])} {fmt(y)}",
                p.colour(rope_colours[k]),
                12,
            )
        )
    return out


def hangar(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A mecha hangar: steel walls and girders, a catwalk, a giant robot standing in
    its bay beside the figure, caution stripes on the floor."""
    w = p.width
    steel = hue_shift((82, 92, 108), hue * 0.5)
    out = [
        el("rect", x="0", y="0", width=fmt(w), height="1000",
           fill=p.gradient([(0, shade(steel, 0.45)), (0.8, steel), (1, light(steel, 0.1))]))
    ]  # fmt: skip
    for x in np.arange(-40.0, w + 80, 240):  # girders
        out.append(el("rect", x=fmt(x), y="0", width="36", height="800",
                      fill=p.colour(shade(steel, 0.3))))  # fmt: skip
        for y in range(40, 800, 120):
            out.append(
                el("path", d=f"M {fmt(x + 36)} {y} L {fmt(x + 240)} {y + 120} M {fmt(x + 240)} {y} "
                   f"L {fmt(x + 36)} {y + 120}", stroke=p.colour(shade(steel, 0.2)),
                   stroke_width="6", opacity="0.5")
            )  # fmt: skip
    # The robot, off to one side, in the hangar's haze (lighter with distance).
    side = 1 if rng.uniform() < 0.5 else -1
    rx, top = w / 2 + side * w * 0.33, 90.0
    armour = mix(hue_shift((236, 238, 244), hue), steel, 0.25)
    trim = mix((60, 90, 190), steel, 0.3)
    red = mix((210, 50, 50), steel, 0.3)
    ink = (40, 44, 56)
    line = {"stroke": p.colour(ink), "stroke_width": "5", "stroke_linejoin": "round"}
    out += [
        polygon(p, [(rx - 60, top + 150), (rx + 60, top + 150), (rx + 50, top + 200),
                  (rx - 50, top + 200)], trim, **line),  # neck
        polygon(p, [(rx - 190, top + 190), (rx + 190, top + 190), (rx + 150, top + 470),
                  (rx - 150, top + 470)], armour, **line),  # chest
        polygon(p, [(rx - 120, top + 230), (rx + 120, top + 230), (rx + 90, top + 340),
                  (rx - 90, top + 340)], trim, **line),  # chest plate
        polygon(p, [(rx - 30, top + 360), (rx + 30, top + 360), (rx + 24, top + 430),
                  (rx - 24, top + 430)], red, **line),  # the cockpit hatch
        polygon(p, [(rx - 330, top + 170), (rx - 190, top + 170), (rx - 190, top + 330),
                  (rx - 320, top + 300)], armour, **line),  # shoulders
        polygon(p, [(rx + 190, top + 170), (rx + 330, top + 170), (rx + 320, top + 300),
                  (rx + 190, top + 330)], armour, **line),
        polygon(p, [(rx - 150, top + 470), (rx + 150, top + 470), (rx + 120, top + 560),
                  (rx - 120, top + 560)], mix(armour, steel, 0.3), **line),  # waist
        polygon(p, [(rx - 70, top + 20), (rx + 70, top + 20), (rx + 80, top + 150),
                  (rx - 80, top + 150)], armour, **line),  # head
        polygon(p, [(rx - 56, top + 70), (rx + 56, top + 70), (rx + 50, top + 100),
                  (rx - 50, top + 100)], (40, 220, 160), **line),  # visor
        polygon(p, [(rx, top + 40), (rx - 110, top - 60), (rx - 20, top + 30)], (236, 200, 60),
              **line),  # the V fin
        polygon(p, [(rx, top + 40), (rx + 110, top - 60), (rx + 20, top + 30)], (236, 200, 60),
              **line),
    ]  # fmt: skip
    # The catwalk across the bay, its railing.
    out.append(el("rect", x="0", y="560", width=fmt(w), height="26",
                  fill=p.colour(shade(steel, 0.35))))  # fmt: skip
    for x in np.arange(0.0, w, 60):
        out.append(el("path", d=f"M {fmt(x)} 560 V 500", stroke=p.colour(shade(steel, 0.35)),
                      stroke_width="5"))  # fmt: skip
    out.append(el("path", d=f"M 0 500 H {fmt(w)}", stroke=p.colour(shade(steel, 0.35)),
                  stroke_width="7"))  # fmt: skip
    # The floor and its caution stripes.
    out.append(el("rect", x="0", y="800", width=fmt(w), height="200",
                  fill=p.colour((120, 124, 130))))  # fmt: skip
    stripes = "".join(
        polygon(p, [(x, 800), (x + 40, 800), (x + 10, 836), (x - 30, 836)], (30, 30, 34))
        for x in np.arange(0.0, w + 40, 80)
    )
    out.append(el("rect", x="0", y="800", width=fmt(w), height="36",
                  fill=p.colour((240, 196, 40))))  # fmt: skip
    out.append(stripes)
    for x in (w * 0.15, w * 0.5, w * 0.85):  # the lamps high up
        out.append(el("circle", cx=fmt(x), cy="30", r="160", fill=radial(p, (255, 246, 220), 0.5)))
    return out


def office(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """An office: a wall of windows on the city, ceiling panels, desks with their
    screens behind the figure."""
    w = p.width
    out = [el("rect", x="0", y="0", width=fmt(w), height="1000",
              fill=p.colour(hue_shift((224, 228, 232), hue * 0.3)))]  # fmt: skip
    pane, _ = window_view(p, [(0, (130, 180, 230)), (1, (214, 234, 250))], hue)
    out.append(el("rect", x="0", y="120", width=fmt(w), height="470", fill=pane))
    p.windows.append(f"M 0 120 h {fmt(w)} v 470 h {fmt(-w)} Z")
    dark = after_dark(p)
    # The city beyond: towers, lit windows after dark.
    x = -20.0
    while x < w:
        bw, bh = rng.uniform(70, 150), rng.uniform(120, 360)
        tower = (92, 112, 140) if not dark else (30, 36, 60)
        out.append(el("rect", x=fmt(x), y=fmt(590 - bh), width=fmt(bw), height=fmt(bh),
                      fill=p.colour(tower), opacity="0.8"))  # fmt: skip
        if dark:
            for _ in range(int(bh / 40)):
                out.append(el("rect", x=fmt(x + rng.uniform(8, bw - 16)),
                              y=fmt(590 - rng.uniform(10, bh - 10)), width="8", height="10",
                              fill="#ffe9a8"))  # fmt: skip
        x += bw + rng.uniform(6, 30)
    for mx in np.arange(0.0, w + 1, 220):  # mullions
        out.append(el("rect", x=fmt(mx - 6), y="120", width="12", height="470",
                      fill=p.colour((150, 156, 166))))  # fmt: skip
    out.append(el("rect", x="0", y="0", width=fmt(w), height="120", fill=p.colour((236, 238, 242))))
    for cx in np.arange(w * 0.1, w, w * 0.27):
        out.append(el("rect", x=fmt(cx - 70), y="40", width="140", height="26", rx="4",
                      fill=p.colour((255, 255, 250))))  # fmt: skip
    # Desks and screens.
    top = 640.0
    out.append(el("rect", x="0", y=fmt(top), width=fmt(w), height="22",
                  fill=p.colour((200, 186, 164))))  # fmt: skip
    out.append(el("rect", x="0", y=fmt(top + 22), width=fmt(w), height=fmt(1000 - top),
                  fill=p.colour((150, 156, 170))))  # fmt: skip
    for k, sx in enumerate(np.arange(w * 0.12, w, w * 0.38)):
        out.append(furniture(p, "desktop-computer", float(sx), top + 4, 160))
        if k % 2:
            out.append(furniture(p, "potted-plant", float(sx) + 110, top + 4, 90))
    return out


def underwater(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """Under the sea: deepening blue, the sun's rays from the surface, sand with
    seaweed and coral, fish far off."""
    w = p.width
    deep = [(0, (96, 196, 232)), (0.55, (30, 110, 170)), (1, (12, 46, 96))]
    out = [el("rect", x="0", y="0", width=fmt(w), height="1000",
              fill=p.gradient([(o, hue_shift(c, hue)) for o, c in deep]))]  # fmt: skip
    for _ in range(6):  # rays from the surface
        x = rng.uniform(0, w)
        spread = rng.uniform(60, 140)
        out.append(
            polygon(p, [(x - 20, 0), (x + 20, 0), (x + spread + 120, 900), (x - spread + 120, 900)],
                  (220, 250, 255), opacity=f"{rng.uniform(0.06, 0.14):.2f}")
        )  # fmt: skip
    # The surface's ripples of light.
    for _ in range(10):
        x, y = rng.uniform(0, w), rng.uniform(10, 120)
        out.append(p.stroke(f"M {fmt(x)} {fmt(y)} q 30 -12 60 0 t 60 0", "#e8fbff", 4,
                            opacity="0.5"))  # fmt: skip
    for name, count, size in (("tropical-fish", 3, 70), ("fish", 2, 60)):
        for _ in range(count):
            out.append(furniture(p, name, rng.uniform(0, w), rng.uniform(200, 600), size))
    out.append(el("path", d=f"M 0 860 Q {fmt(w * 0.3)} 820 {fmt(w * 0.6)} 850 T {fmt(w)} 840 "
                  f"V 1000 H 0 Z", fill=p.colour((214, 196, 150))))  # fmt: skip
    for _ in range(7):  # seaweed swaying
        x = rng.uniform(0, w)
        h = rng.uniform(180, 360)
        out.append(p.stroke(f"M {fmt(x)} 880 q 30 {fmt(-h / 3)} 0 {fmt(-h * 2 / 3)} "
                            f"t 0 {fmt(-h / 3)}", p.colour((50, 140, 90)), 14))  # fmt: skip
    for side in (0.08, 0.92):
        out.append(furniture(p, "coral", w * side, 900, 200))
    return out


def ruins(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A ruined city: a hazy sky, broken towers with their windows blown out, plants
    taking them back, rubble on the ground."""
    w = p.width
    sky = sky_gradient(p, [(0, (170, 176, 186)), (1, (236, 214, 184))], hue)
    out = [sky]
    for depth, (colour, base, low, high) in enumerate(
        (((168, 170, 178), 760, 260, 520), ((110, 112, 122), 820, 200, 460))
    ):
        x = rng.uniform(-80, 0)
        while x < w:
            bw = rng.uniform(90, 170)
            top = base - rng.uniform(low, high)
            # A broken top: jagged, lower on one side.
            jag = [(x + bw * f, top + rng.uniform(0, 90) * (1 if f not in (0, 1) else 0.6))
                   for f in (0, 0.2, 0.35, 0.55, 0.7, 1)]  # fmt: skip
            pts = [(x, base), *jag, (x + bw, base)]
            out.append(polygon(p, pts, hue_shift(colour, hue * 0.3)))
            hole = shade(colour, 0.45)
            for wy in np.arange(top + 110, base - 30, 70):
                for wx in np.arange(x + 16, x + bw - 30, 40):
                    if rng.uniform() < 0.7:
                        out.append(el("rect", x=fmt(wx), y=fmt(wy), width="20", height="34",
                                      fill=p.colour(hole)))  # fmt: skip
            if depth == 1 and rng.uniform() < 0.6:  # ivy down its face
                vx = x + rng.uniform(10, bw - 10)
                out.append(p.stroke(f"M {fmt(vx)} {fmt(top + 40)} q 20 80 -6 160 t 6 160",
                                    p.colour((88, 130, 70)), 16))  # fmt: skip
            x += bw + rng.uniform(10, 60)
    out.append(el("rect", x="0", y="800", width=fmt(w), height="200",
                  fill=p.colour((150, 140, 124))))  # fmt: skip
    for _ in range(14):  # rubble
        x, y = rng.uniform(0, w), rng.uniform(810, 990)
        r = rng.uniform(14, 40)
        pts = [(x + r * np.cos(a), y + r * 0.6 * np.sin(a))
               for a in np.sort(rng.uniform(0, 2 * np.pi, 6))]  # fmt: skip
        out.append(polygon(p, pts, (118, 112, 104)))
    return out


def desert(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A desert: a hot pale sky, dunes in bands of sand, their lit and shaded faces,
    a shimmer of heat over the far ones."""
    w = p.width
    out = [sky_gradient(p, [(0, (120, 180, 230)), (1, (250, 226, 190))], hue)]
    for k, (base, colour) in enumerate(
        ((620.0, (236, 196, 140)), (700.0, (226, 178, 118)), (800.0, (214, 160, 100)))
    ):
        x0 = rng.uniform(-200, 0)
        crest = base - rng.uniform(40, 90)
        span = w + 400
        d = (
            f"M {fmt(x0)} {fmt(base)} Q {fmt(x0 + span * 0.25)} {fmt(crest - 60)} "
            f"{fmt(x0 + span * 0.5)} {fmt(crest)} T {fmt(x0 + span)} {fmt(base - 20)} "
            f"V 1000 H {fmt(x0)} Z"
        )
        sand = hue_shift(colour, hue * 0.3)
        out.append(el("path", d=d, fill=p.colour(sand)))
        # The dune's shaded lee side, a band below its crest.
        out.append(
            el("path", d=f"M {fmt(x0 + span * 0.5)} {fmt(crest)} q {fmt(span * 0.15)} 90 "
               f"{fmt(span * 0.4)} 120 L {fmt(x0 + span)} {fmt(base + 40)} L {fmt(x0 + span)} "
               f"{fmt(base - 20)} T {fmt(x0 + span * 0.5)} {fmt(crest)} Z",
               fill=p.colour(shade(sand, 0.14)), opacity="0.7")
        )  # fmt: skip
        if k == 0:  # the heat's shimmer over the far dunes
            out.append(el("rect", x="0", y=fmt(crest - 40), width=fmt(w), height="60",
                          fill=p.colour((255, 246, 230)), opacity="0.3"))  # fmt: skip
    for _ in range(18):  # ripples in the near sand
        x, y = rng.uniform(0, w), rng.uniform(860, 990)
        out.append(p.stroke(f"M {fmt(x)} {fmt(y)} q 30 -8 60 0", p.colour((190, 140, 90)), 3,
                            opacity="0.5"))  # fmt: skip
    return out


#: Shop fronts: (wall, awning or noren, sign) colours; a street's shops in turn.
SHOP_COLOURS: list[tuple[RGB, RGB, RGB]] = [
    ((236, 226, 206), (40, 60, 110), (250, 244, 230)),  # a ramen shop's indigo noren
    ((214, 96, 70), (250, 236, 200), (60, 50, 40)),
    ((246, 240, 228), (70, 140, 110), (250, 250, 246)),
    ((180, 140, 100), (220, 70, 60), (255, 236, 190)),
    ((226, 232, 238), (240, 180, 60), (40, 40, 50)),
]


def shops(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A shopping street (shotengai): shop fronts side by side, each with its awning
    or noren curtain and its sign, paper lanterns along the eaves, the street's paving."""
    w = p.width
    dark = after_dark(p)
    sky: list[tuple[float, RGB]] = [(0, (130, 186, 236)), (1, (214, 234, 250))]
    out = [sky_gradient(p, sky, hue)]
    x = rng.uniform(-120, 0)
    k = int(rng.integers(len(SHOP_COLOURS)))
    while x < w:
        sw = rng.uniform(230, 320)
        wall, cloth, sign = (hue_shift(c, hue * 0.4) for c in SHOP_COLOURS[k % len(SHOP_COLOURS)])
        top = rng.uniform(120, 230)
        out.append(el("rect", x=fmt(x), y=fmt(top), width=fmt(sw), height=fmt(800 - top),
                      fill=p.colour(wall), stroke=p.colour(shade(wall, 0.35)),
                      stroke_width="5"))  # fmt: skip
        # The sign board over the door, its letters as strokes.
        out.append(el("rect", x=fmt(x + 24), y=fmt(top + 30), width=fmt(sw - 48), height="70",
                      fill=p.colour(sign), stroke=p.colour(shade(sign, 0.4)),
                      stroke_width="4"))  # fmt: skip
        for j in range(3):
            lx = x + 50 + j * (sw - 100) / 3
            out.append(p.stroke(f"M {fmt(lx)} {fmt(top + 50)} v 30 m 14 -30 v 30",
                                p.colour(shade(sign, 0.6)), 6))  # fmt: skip
        # The window glowing after dark, and the door.
        glass = (255, 226, 160) if dark else (190, 214, 230)
        out.append(el("rect", x=fmt(x + 24), y=fmt(top + 130), width=fmt(sw * 0.42),
                      height=fmt(560 - top), fill=p.colour(glass)))  # fmt: skip
        out.append(el("rect", x=fmt(x + sw * 0.56), y=fmt(top + 150), width=fmt(sw * 0.36),
                      height=fmt(650 - top), fill=p.colour(shade(wall, 0.5))))  # fmt: skip
        # A noren curtain in strips over the door, or an awning over the window.
        if k % 2 == 0:
            for j in range(3):
                nx = x + sw * 0.56 + j * sw * 0.12
                out.append(el("rect", x=fmt(nx + 2), y=fmt(top + 130), width=fmt(sw * 0.12 - 4),
                              height="120", fill=p.colour(cloth)))  # fmt: skip
        else:
            out.append(el("path", d=f"M {fmt(x + 10)} {fmt(top + 120)} h {fmt(sw - 20)} "
                          f"l 30 70 h {fmt(-sw - 40)} Z", fill=p.colour(cloth)))  # fmt: skip
        # Paper lanterns along the eaves.
        out.append(el("ellipse", cx=fmt(x + sw - 20), cy=fmt(top + 140), rx="22", ry="30",
                      fill=p.colour((236, 70, 60)), stroke=p.colour((120, 40, 30)),
                      stroke_width="3"))  # fmt: skip
        if dark:
            out.append(el("circle", cx=fmt(x + sw - 20), cy=fmt(top + 140), r="110",
                          fill=radial(p, (255, 190, 120), 0.5)))  # fmt: skip
        x += sw
        k += 1
    out.append(el("rect", x="0", y="800", width=fmt(w), height="200",
                  fill=p.colour((170, 162, 150))))  # fmt: skip
    for y in (840, 900, 970):  # the paving's joints
        out.append(p.stroke(f"M 0 {y} H {fmt(w)}", p.colour((140, 132, 122)), 3))
    return out
