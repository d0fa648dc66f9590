"""More places anime is set in: a school rooftop, a train carriage, a library, a
castle's throne room, a field of flowers and a space station."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.backgrounds.common import (
    after_dark,
    back_wall,
    clouded_pane,
    light_through,
    on_light_side,
    radial,
    sky_gradient,
    window_beam,
    window_view,
)
from sakuga.engines.draw.svg import RGB, el, fmt, hex_, hue_shift, light, mix, shade

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter

DAY_SKY: list[tuple[float, RGB]] = [
    (0, (80, 150, 235)),
    (0.7, (170, 215, 250)),
    (1, (225, 240, 255)),
]


def rooftop(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A school rooftop: the sky, the town's skyline beyond a chain-link fence."""
    w = p.width
    out = [sky_gradient(p, DAY_SKY, hue, open_sky=True)]
    # The skyline: blocks in a haze, lit windows after dark.
    x = -20.0
    far = hue_shift((150, 170, 200), hue)
    while x < w:
        bw, top = rng.uniform(60, 150), rng.uniform(470, 640)
        out.append(
            el(
                "rect",
                x=fmt(x),
                y=fmt(top),
                width=fmt(bw),
                height=fmt(760 - top),
                fill=p.colour(far),
            )
        )
        if after_dark(p):
            for _ in range(int(bw // 30)):
                out.append(
                    el(
                        "rect",
                        x=fmt(x + rng.uniform(6, bw - 16)),
                        y=fmt(rng.uniform(top + 10, 740)),
                        width="8",
                        height="10",
                        fill="#ffe8a0",
                        opacity="0.8",
                    )
                )
        x += bw + rng.uniform(4, 24)
    # The roof's concrete, and the fence along its edge.
    concrete = (176, 176, 170)
    out.append(el("rect", x="0", y="760", width=fmt(w), height="240", fill=p.colour(concrete)))
    out.append(
        el("rect", x="0", y="760", width=fmt(w), height="16", fill=p.colour(shade(concrete, 0.2)))
    )
    green = (92, 130, 110)
    mesh = "".join(
        f"M {fmt(x0)} 560 L {fmt(x0 + 180)} 760 M {fmt(x0 + 180)} 560 L {fmt(x0)} 760 "
        for x0 in np.arange(-180, w + 180, 36)
    )
    out.append(
        el("path", d=mesh, stroke=p.colour(green), stroke_width="2.5", opacity="0.55", fill="none")
    )
    for y in (560, 760):
        out.append(el("rect", x="0", y=fmt(y - 6), width=fmt(w), height="12", fill=p.colour(green)))
    for px in np.arange(40, w, 200):
        out.append(
            el(
                "rect",
                x=fmt(px),
                y="540",
                width="14",
                height="236",
                fill=p.colour(shade(green, 0.15)),
            )
        )
    return out


def train(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """Inside a train carriage: windows on the passing town, straps, the long seat."""
    w = p.width
    wall = hue_shift((226, 222, 204), hue)
    out = [el("rect", x="0", y="0", width=fmt(w), height="1000", fill=p.colour(wall))]
    pane, clouds = window_view(p, DAY_SKY, hue)
    for wx in np.arange(30, w, 330):
        out.append(el("rect", x=fmt(wx), y="170", width="280", height="330", rx="22", fill=pane))
        p.windows.append(f"M {fmt(wx)} 170 h 280 v 330 h -280 Z")
        # The town rushing past: low roofs and a green bank, smeared by speed.
        ground = (90, 130, 90) if not after_dark(p) else (30, 40, 60)
        out.append(
            el(
                "path",
                d=f"M {fmt(wx)} 420 Q {fmt(wx + 140)} {fmt(rng.uniform(370, 410))} {fmt(wx + 280)} 410 "
                f"L {fmt(wx + 280)} 500 L {fmt(wx)} 500 Z",
                fill=p.colour(ground),
            )
        )
        for _ in range(4):
            y = rng.uniform(200, 480)
            out.append(
                el(
                    "path",
                    d=f"M {fmt(wx + rng.uniform(10, 120))} {fmt(y)} h {fmt(rng.uniform(60, 150))}",
                    stroke="#ffffff",
                    stroke_width="3",
                    opacity="0.45" if clouds else "0.2",
                )
            )
        out.append(
            el("rect", x=fmt(wx), y="170", width="280", height="330", rx="22", fill="none",
               stroke=p.colour((150, 156, 160)), stroke_width="14")
        )  # fmt: skip
    # The rail and the hanging straps.
    steel = (170, 176, 182)
    out.append(el("rect", x="0", y="52", width=fmt(w), height="12", fill=p.colour(steel)))
    for sx in np.arange(80, w, 150):
        out.append(
            el(
                "path",
                d=f"M {fmt(sx)} 58 L {fmt(sx)} 120",
                stroke=p.colour((60, 60, 66)),
                stroke_width="8",
            )
        )
        out.append(
            el(
                "circle",
                cx=fmt(sx),
                cy="140",
                r="22",
                fill="none",
                stroke=p.colour((240, 240, 236)),
                stroke_width="8",
            )
        )
    # The long seat under the windows, and the floor.
    seat = hue_shift((60, 110, 120), hue)
    out.append(el("rect", x="0", y="640", width=fmt(w), height="150", rx="18", fill=p.colour(seat)))
    out.append(
        el(
            "rect",
            x="0",
            y="640",
            width=fmt(w),
            height="30",
            rx="14",
            fill=p.colour(light(seat, 0.15)),
        )
    )
    out.append(
        el("rect", x="0", y="800", width=fmt(w), height="200", fill=p.colour((120, 116, 110)))
    )
    return out


def library(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A library: tall shelves of books in warm lamplight."""
    w = p.width
    wood = (120, 78, 50)
    out = [el("rect", x="0", y="0", width=fmt(w), height="1000", fill=p.colour(shade(wood, 0.25)))]
    for shelf_y in (40, 250, 460, 670):
        x = 0.0
        while x < w:
            bw = rng.uniform(18, 40)
            bh = rng.uniform(130, 180)
            colour = hue_shift(
                [
                    (150, 50, 50),
                    (40, 80, 120),
                    (60, 110, 70),
                    (180, 150, 90),
                    (90, 60, 110),
                    (210, 200, 180),
                ][int(rng.integers(6))],
                hue,
            )
            out.append(
                el("rect", x=fmt(x), y=fmt(shelf_y + 190 - bh), width=fmt(bw), height=fmt(bh),
                   fill=p.colour(colour), stroke=p.colour(shade(colour, 0.4)), stroke_width="2")
            )  # fmt: skip
            out.append(
                el("rect", x=fmt(x + 3), y=fmt(shelf_y + 200 - bh), width=fmt(bw - 6), height="8",
                   fill=p.colour(light(colour, 0.3)), opacity="0.7")
            )  # fmt: skip
            x += bw + (rng.uniform(20, 70) if rng.uniform() < 0.08 else 1.5)
        out.append(
            el("rect", x="0", y=fmt(shelf_y + 190), width=fmt(w), height="20", fill=p.colour(wood))
        )
    for lx in (w * 0.2, w * 0.8):
        out.append(
            el("circle", cx=fmt(lx), cy="120", r="260", fill=radial(p, (255, 214, 150), 0.55))
        )
    out.append(
        el("rect", x="0", y="880", width=fmt(w), height="120", fill=p.colour(shade(wood, 0.1)))
    )
    # A time of day said: its light slanting in from a high window out of the frame.
    xs = sorted(w * on_light_side(p, x) for x in (0.05, 0.3))
    out.append(light_through(p, xs[0], xs[1], 0, 1000))
    return out


def castle(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A castle's throne room: stone, tall arched windows, banners, a red carpet."""
    w = p.width
    stone = hue_shift((120, 122, 140), hue)
    out = [back_wall(p, stone)]
    blocks = "".join(
        f"M 0 {y} H {fmt(w)} "
        + "".join(
            f"M {fmt(x + (40 if (y // 70) % 2 else 0))} {y} v 70 " for x in np.arange(0, w, 160)
        )
        for y in range(0, 760, 70)
    )
    out.append(
        el(
            "path",
            d=blocks,
            stroke=p.colour(shade(stone, 0.35)),
            stroke_width="3",
            opacity="0.6",
            fill="none",
        )
    )
    pane, _ = window_view(p, DAY_SKY, hue)
    beam, beam_opacity = window_beam(p)
    for cx in (w * 0.16, w * 0.84):
        arch = f"M {fmt(cx - 90)} 560 V 230 A 90 90 0 0 1 {fmt(cx + 90)} 230 V 560 Z"
        out.append(el("path", d=arch, fill=pane))
        out.append(clouded_pane(p, arch, rng))
        p.windows.append(arch)
        out.append(
            el("path", d=arch, fill="none", stroke=p.colour(shade(stone, 0.5)), stroke_width="16")
        )
        out.append(el("path", d=f"M {fmt(cx)} 140 V 560 M {fmt(cx - 90)} 380 H {fmt(cx + 90)}",
                      stroke=p.colour(shade(stone, 0.5)), stroke_width="8"))  # fmt: skip
        out.append(
            el("path", d=f"M {fmt(cx - 90)} 560 L {fmt(cx + 90)} 560 L {fmt(cx + 260)} 1000 L {fmt(cx + 40)} 1000 Z",
               fill=hex_(beam), opacity=f"{beam_opacity:g}")
        )  # fmt: skip
    red, gold = hue_shift((170, 30, 40), hue), (230, 190, 80)
    for bx in (w * 0.34, w * 0.66):
        banner = (
            f"M {fmt(bx - 60)} 60 H {fmt(bx + 60)} V 480 L {fmt(bx)} 430 L {fmt(bx - 60)} 480 Z"
        )
        out.append(
            el(
                "path",
                d=banner,
                fill=p.colour(red),
                stroke=p.colour(shade(red, 0.4)),
                stroke_width="4",
            )
        )
        out.append(
            el(
                "circle",
                cx=fmt(bx),
                cy="220",
                r="34",
                fill="none",
                stroke=p.colour(gold),
                stroke_width="8",
            )
        )
        out.append(
            el("rect", x=fmt(bx - 72), y="52", width="144", height="14", fill=p.colour(gold))
        )
    floor = shade(stone, 0.15)
    out.append(el("rect", x="0", y="760", width=fmt(w), height="240", fill=p.colour(floor)))
    out.append(
        el("path", d=f"M {fmt(w / 2 - 90)} 760 L {fmt(w / 2 + 90)} 760 L {fmt(w / 2 + 320)} 1000 L {fmt(w / 2 - 320)} 1000 Z",
           fill=p.colour(red))
    )  # fmt: skip
    return out


def ramparts(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """Before a castle: its curtain wall across the frame under the open sky, battlements
    along its top, a round tower at each side with a pointed roof and a pennant, the
    great arched gate in the middle with its portcullis raised, and the paved way to it."""
    w = p.width
    out = [sky_gradient(p, DAY_SKY, hue, open_sky=True)]
    stone = hue_shift((150, 146, 150), hue * 0.3)
    edge = p.colour(shade(stone, 0.45))
    top, base = 380.0, 780.0
    # The wall and its battlements: merlons along the top.
    merlons = "".join(f"M {fmt(x)} {fmt(top)} v -46 h 52 v 46 " for x in np.arange(-20, w + 20, 96))
    out.append(
        el("path", d=f"M 0 {fmt(top)} H {fmt(w)} V {fmt(base)} H 0 Z {merlons}",
           fill=p.colour(stone), stroke=edge, stroke_width="5")
    )  # fmt: skip
    courses = "".join(
        f"M 0 {fmt(y)} H {fmt(w)} "
        + "".join(
            f"M {fmt(x + (48 if (int(y) // 58) % 2 else 0))} {fmt(y)} v 58 "
            for x in np.arange(0, w, 128)
        )
        for y in np.arange(top + 40, base, 58)
    )
    out.append(el("path", d=courses, stroke=edge, stroke_width="2.5", opacity="0.45", fill="none"))
    # The gate: an arch of dressed stone, dark within, the portcullis's teeth above.
    gx, gw, gtop = w / 2, 170.0, 500.0
    arch = f"M {fmt(gx - gw)} {fmt(base)} V {fmt(gtop)} A {fmt(gw)} {fmt(gw)} 0 0 1 {fmt(gx + gw)} {fmt(gtop)} V {fmt(base)} Z"
    ring = shade(stone, 0.12)
    out.append(el("path", d=arch, fill=p.colour(ring), stroke=edge, stroke_width="5",
                  transform=f"translate({fmt(gx)} {fmt(base)}) scale(1.18 1.1) translate({fmt(-gx)} {fmt(-base)})"))  # fmt: skip
    out.append(el("path", d=arch, fill=p.colour(shade(stone, 0.72)), stroke=edge, stroke_width="5"))
    bars = "".join(
        f"M {fmt(x)} {fmt(gtop - gw + 30)} V {fmt(gtop + 40)} "
        for x in np.arange(gx - gw + 30, gx + gw, 42)
    )
    bars += "".join(f"M {fmt(gx - gw)} {fmt(y)} H {fmt(gx + gw)} " for y in (gtop - 60, gtop))
    out.append(el("path", d=bars, stroke=p.colour((60, 56, 60)), stroke_width="9", fill="none",
                  clip_path=p.clip(arch)))  # fmt: skip
    # A round tower at each side, its pointed roof and a pennant on it.
    roof = hue_shift((60, 84, 150), hue)
    for cx in (w * 0.1, w * 0.9):
        tw = 130.0
        out.append(
            el("path", d=f"M {fmt(cx - tw)} {fmt(base)} V 250 H {fmt(cx + tw)} V {fmt(base)} Z",
               fill=p.colour(light(stone, 0.06)), stroke=edge, stroke_width="5")
        )  # fmt: skip
        out.append(
            el("path", d=f"M {fmt(cx + tw * 0.35)} 250 H {fmt(cx + tw)} V {fmt(base)} H {fmt(cx + tw * 0.35)} Z",
               fill=p.colour(shade(stone, 0.12)), opacity="0.7")
        )  # fmt: skip
        out.append(
            el("path", d=f"M {fmt(cx - 20)} 420 h 40 v 90 h -40 Z", fill=p.colour((40, 38, 46)))
        )
        out.append(
            el("path", d=f"M {fmt(cx - tw - 24)} 258 L {fmt(cx)} 40 L {fmt(cx + tw + 24)} 258 Z",
               fill=p.colour(roof), stroke=p.colour(shade(roof, 0.45)), stroke_width="5")
        )  # fmt: skip
        pennant = hue_shift((200, 40, 50), hue)
        out.append(el("path", d=f"M {fmt(cx)} 40 V -40", stroke=edge, stroke_width="5"))
        out.append(el("path", d=f"M {fmt(cx)} -40 l 90 22 l -90 22 Z", fill=p.colour(pennant)))
    # The paved way to the gate, and the grass beside it.
    grass = hue_shift((112, 160, 92), hue * 0.3)
    out.append(
        el("rect", x="0", y=fmt(base), width=fmt(w), height=fmt(1000 - base), fill=p.colour(grass))
    )
    out.append(
        el("path", d=f"M {fmt(gx - gw)} {fmt(base)} L {fmt(gx + gw)} {fmt(base)} L {fmt(gx + gw * 2.6)} 1000 L {fmt(gx - gw * 2.6)} 1000 Z",
           fill=p.colour(light(stone, 0.1)), stroke=edge, stroke_width="3")
    )  # fmt: skip
    return out


def flowers(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A field of flowers under the open sky, rolling away to the horizon."""
    w = p.width
    out = [sky_gradient(p, DAY_SKY, hue, open_sky=True)]
    green = hue_shift((110, 170, 90), hue)
    out.append(
        el("path", d=f"M 0 640 Q {fmt(w * 0.3)} 590 {fmt(w * 0.6)} 630 T {fmt(w)} 620 V 1000 H 0 Z",
           fill=p.gradient([(0, light(green, 0.1)), (1, shade(green, 0.15))]))
    )  # fmt: skip
    kind = p.traits.field_flower
    if kind == "sunflower":
        return out + _sunflowers(p, rng, hue)
    if kind == "lavender":
        return out + _lavender(p, rng, hue)
    if kind == "rose":
        return out + _roses(p, rng, hue)
    colours = [(250, 150, 190), (255, 220, 90), (255, 255, 255), (200, 150, 240), (250, 110, 120)]
    for _ in range(260):
        y = 640 + (rng.uniform(0, 1) ** 0.7) * 360
        r = 3 + (y - 640) / 360 * 12
        x = rng.uniform(0, w)
        colour = hue_shift(colours[int(rng.integers(len(colours)))], hue)
        out.append(el("circle", cx=fmt(x), cy=fmt(y), r=fmt(r), fill=p.colour(colour)))
        if r > 8:
            out.append(
                el("circle", cx=fmt(x), cy=fmt(y), r=fmt(r * 0.35), fill=p.colour((250, 200, 60)))
            )
    return out


def _sunflowers(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """Rows of sunflowers to the horizon: small far off, big and on their stalks near,
    each a ring of yellow petals round a brown heart, turned to the sun."""
    out: list[str] = []
    stalk, petal = p.colour(hue_shift((80, 140, 60), hue)), hue_shift((255, 200, 40), hue * 0.3)
    heart = p.colour((110, 70, 40))
    spots = sorted(
        ((rng.uniform(0, p.width), 650 + (rng.uniform(0, 1) ** 0.8) * 360) for _ in range(90)),
        key=lambda s: s[1],  # the far ones first, the near ones over them
    )
    for x, y in spots:
        r = 6 + (y - 650) / 360 * 40
        out.append(el("path", d=f"M {fmt(x)} {fmt(y)} L {fmt(x)} {fmt(y + r * 4)}", stroke=stalk,
                      fill="none", **{"stroke-width": fmt(max(1.5, r * 0.22))}))  # fmt: skip
        petals = " ".join(
            f"M {fmt(x)} {fmt(y)} L {fmt(x + math.cos(a - 0.22) * r)} {fmt(y + math.sin(a - 0.22) * r)} "
            f"L {fmt(x + math.cos(a) * r * 1.5)} {fmt(y + math.sin(a) * r * 1.5)} "
            f"L {fmt(x + math.cos(a + 0.22) * r)} {fmt(y + math.sin(a + 0.22) * r)} Z"
            for a in (k * math.pi / 7 for k in range(14))
        )
        out.append(el("path", d=petals, fill=p.colour(petal)))
        out.append(el("circle", cx=fmt(x), cy=fmt(y), r=fmt(r * 0.62), fill=heart))
    return out


def _roses(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A rose garden: rows of rounded dark-green bushes to the horizon, each dotted with
    blooms — a red cup with the curl of its petals drawn in — small far off, big near."""
    out: list[str] = []
    leaf = hue_shift((52, 112, 62), hue * 0.5)
    bloom = hue_shift((214, 40, 66), hue * 0.2)
    spots = sorted(
        (
            (rng.uniform(-40, p.width + 40), 640 + (rng.uniform(0, 1) ** 0.9) * 360)
            for _ in range(34)
        ),
        key=lambda s: s[1],
    )
    for x, y in spots:
        r = 26 + (y - 640) / 360 * 90  # a bush's radius, by its distance
        out.append(el("ellipse", cx=fmt(x), cy=fmt(y), rx=fmt(r * 1.3), ry=fmt(r * 0.85),
                      fill=p.colour(leaf), stroke=p.ink(leaf), stroke_width=fmt(max(1.0, r * 0.04))))  # fmt: skip
        out.append(el("ellipse", cx=fmt(x + r * 0.3), cy=fmt(y + r * 0.3), rx=fmt(r * 0.9),
                      ry=fmt(r * 0.45), fill=p.colour(shade(leaf, 0.25)), opacity="0.7"))  # fmt: skip
        for _ in range(int(rng.integers(3, 7))):
            bx = x + rng.uniform(-1.0, 1.0) * r
            by = y + rng.uniform(-0.6, 0.3) * r
            br = r * rng.uniform(0.16, 0.24)
            out.append(el("circle", cx=fmt(bx), cy=fmt(by), r=fmt(br), fill=p.colour(bloom),
                          stroke=p.ink(bloom), stroke_width=fmt(max(0.8, br * 0.08))))  # fmt: skip
            out.append(el("path", d=f"M {fmt(bx - br * 0.5)} {fmt(by)} a {fmt(br * 0.5)} {fmt(br * 0.5)} 0 1 1 "
                                    f"{fmt(br * 0.5)} {fmt(br * 0.5)}", fill="none",
                          stroke=p.colour(shade(bloom, 0.35)), stroke_width=fmt(max(0.8, br * 0.14))))  # fmt: skip
    return out


def _lavender(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """Lavender in rows running to the horizon: purple spikes over green, rows closer
    and spikes taller near."""
    out: list[str] = []
    purple = p.colour(hue_shift((150, 110, 200), hue * 0.3))
    for _ in range(520):
        y = 650 + (rng.uniform(0, 1) ** 0.7) * 360
        x, tall = rng.uniform(0, p.width), 6 + (y - 650) / 360 * 46
        out.append(el("path", d=f"M {fmt(x)} {fmt(y)} q {fmt(tall * 0.2)} {fmt(-tall)} 0 {fmt(-tall * 1.6)}",
                      stroke=purple, fill="none", **{"stroke-width": fmt(2 + tall * 0.22),
                                                      "stroke-linecap": "round"}))  # fmt: skip
    return out


def station(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """Inside a space station: metal panels, light strips and a viewport on a planet."""
    w = p.width
    metal = hue_shift((70, 78, 96), hue)
    out = [back_wall(p, metal)]
    # The viewport: stars and a planet's curve with its glowing air.
    vx0, vx1 = w * 0.08, w * 0.92
    port = f"M {fmt(vx0 + 60)} 120 H {fmt(vx1 - 60)} Q {fmt(vx1)} 120 {fmt(vx1)} 180 V 560 Q {fmt(vx1)} 620 {fmt(vx1 - 60)} 620 H {fmt(vx0 + 60)} Q {fmt(vx0)} 620 {fmt(vx0)} 560 V 180 Q {fmt(vx0)} 120 {fmt(vx0 + 60)} 120 Z"
    out.append(el("path", d=port, fill="#05060f"))
    p.windows.append(port)
    clip = p.clip(port)
    inside = [
        el("circle", cx=fmt(rng.uniform(vx0, vx1)), cy=fmt(rng.uniform(130, 600)), r=fmt(rng.uniform(1, 3)),
           fill="#ffffff", opacity=f"{rng.uniform(0.4, 1):.2f}")
        for _ in range(60)
    ]  # fmt: skip
    planet = hue_shift((60, 120, 200), hue)
    inside.append(
        el("circle", cx=fmt(w * 0.62), cy="1150", r="720", fill=radial(p, (120, 200, 255), 0.9))
    )
    inside.append(
        el(
            "circle",
            cx=fmt(w * 0.62),
            cy="1160",
            r="690",
            fill=p.gradient([(0, light(planet, 0.2)), (1, shade(planet, 0.4))]),
        )
    )
    out.append(el("g", inside, clip_path=clip))
    out.append(
        el("path", d=port, fill="none", stroke=p.colour(light(metal, 0.25)), stroke_width="22")
    )
    # Panel seams and cyan light strips.
    seams = "".join(f"M {fmt(x)} 640 V 1000 " for x in np.arange(0, w, 180)) + "M 0 760 H " + fmt(w)
    out.append(
        el("path", d=seams, stroke=p.colour(shade(metal, 0.4)), stroke_width="4", fill="none")
    )
    for y in (60, 680):
        out.append(
            el(
                "rect",
                x="0",
                y=fmt(y),
                width=fmt(w),
                height="10",
                fill=p.colour(mix((90, 240, 255), metal, 0.1)),
            )
        )
        out.append(
            el(
                "rect",
                x="0",
                y=fmt(y - 14),
                width=fmt(w),
                height="38",
                fill=p.colour((90, 240, 255)),
                opacity="0.18",
            )
        )
    return out


def platform(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A train platform (not the carriage): the open sky and the town beyond the tracks,
    the far platform, the rails, the canopy overhead on its pillars, the station sign,
    and the near platform she stands on with its yellow safety line."""
    w = p.width
    out = [sky_gradient(p, DAY_SKY, hue, open_sky=True)]
    far = hue_shift((160, 176, 200), hue)
    x = -20.0
    while x < w:  # the town beyond, low
        bw, top = rng.uniform(80, 180), rng.uniform(470, 560)
        out.append(el("rect", x=fmt(x), y=fmt(top), width=fmt(bw), height=fmt(620 - top),
                      fill=p.colour(far)))  # fmt: skip
        x += bw + rng.uniform(0, 20)
    # The far platform, the gravel bed and its two rails.
    concrete = (186, 184, 178)
    out.append(el("rect", x="0", y="600", width=fmt(w), height="40", fill=p.colour(concrete)))
    out.append(
        el("rect", x="0", y="640", width=fmt(w), height="90", fill=p.colour((120, 110, 100)))
    )
    for y in (668, 706):
        out.append(el("rect", x="0", y=fmt(y), width=fmt(w), height="8",
                      fill=p.colour((170, 170, 176))))  # fmt: skip
    for x0 in np.arange(0, w, 46):
        out.append(el("rect", x=fmt(x0), y="662", width="24", height="60",
                      fill=p.colour((92, 78, 66)), opacity="0.6"))  # fmt: skip
    # The near platform, its edge and the tactile yellow line.
    out.append(el("rect", x="0", y="730", width=fmt(w), height="270", fill=p.colour(concrete)))
    out.append(el("rect", x="0", y="730", width=fmt(w), height="14",
                  fill=p.colour(shade(concrete, 0.25))))  # fmt: skip
    out.append(el("rect", x="0", y="770", width=fmt(w), height="22",
                  fill=p.colour((236, 196, 60))))  # fmt: skip
    # The canopy and its pillars, the overhead wires, and the station sign.
    steel = hue_shift((90, 100, 116), hue * 0.3)
    out.append(el("rect", x="0", y="0", width=fmt(w), height="86", fill=p.colour(steel)))
    out.append(el("rect", x="0", y="86", width=fmt(w), height="14",
                  fill=p.colour(shade(steel, 0.3))))  # fmt: skip
    for px in np.arange(w * 0.08, w, w * 0.42):
        out.append(el("rect", x=fmt(px), y="100", width="22", height="640",
                       fill=p.colour(shade(steel, 0.1))))  # fmt: skip
    for y in (150, 170):
        out.append(el("path", d=f"M 0 {y} Q {fmt(w / 2)} {y + 24} {fmt(w)} {y}", fill="none",
                      stroke=p.colour((60, 60, 70)), stroke_width="2.5"))  # fmt: skip
    sign_x = w * (0.72 if rng.uniform() < 0.5 else 0.16)
    for dx in (30, 170):
        out.append(el("rect", x=fmt(sign_x + dx), y="100", width="5", height="120",
                      fill=p.colour((60, 60, 70))))  # fmt: skip
    out.append(el("rect", x=fmt(sign_x), y="220", width="210", height="70", rx="6",
                  fill=p.colour((250, 250, 248))))  # fmt: skip
    out.append(el("rect", x=fmt(sign_x), y="262", width="210", height="14",
                  fill=p.colour(hue_shift((40, 150, 90), hue))))  # fmt: skip
    for i in range(3):  # the station's name, as blocks of type
        out.append(el("rect", x=fmt(sign_x + 40 + i * 48), y="234", width="34", height="18",
                      rx="3", fill=p.colour((50, 50, 60))))  # fmt: skip
    return out
