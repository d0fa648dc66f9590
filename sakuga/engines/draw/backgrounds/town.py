"""Backgrounds in town: a city street (by day, or neon after dark), a classroom, a cafe."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.svg import el, fmt, hex_, light, mix

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter

from sakuga.engines.draw.backgrounds.common import (
    after_dark,
    day_sun,
    furniture,
    glows,
    on_light_side,
    radial,
    sky_gradient,
    window_beam,
    window_view,
)


def city(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A city street: by day (or at dawn, golden hour, sunset) its buildings in daylight
    under the time's sky, graded by it; after dark, or in neon light with no time said,
    the neon street of a Japanese shopping district (lit already: not graded again)."""
    if not neon_city(p):
        return _day_city(p, rng, hue)
    sky, *street = _neon_city(p, rng, hue)
    return [sky, el("g", street, data_lit="1")]


def neon_city(p: Painter) -> bool:
    """Whether the city is its neon night: after dark, or neon light with no time said."""
    return after_dark(p) or (p.traits.time is None and p.traits.lighting == "neon")


def _day_city(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [sky_gradient(p, [(0, (96, 160, 232)), (0.6, (170, 208, 245)), (1, (226, 238, 250))],
                        hue, open_sky=True)]  # fmt: skip
    out.append(day_sun(p, 0.2, 160, 260, (255, 250, 225), 0.6))
    # Far towers, pale with the air between; then the street's own buildings.
    for far, tones, heights, step in (
        (True, ((196, 210, 228), (210, 220, 236)), (380, 760), (60, 130)),
        (False, ((232, 214, 190), (206, 200, 196), (186, 200, 214), (240, 232, 220)), (260, 620),
         (90, 170)),
    ):  # fmt: skip
        x = -float(rng.uniform(0, 40))
        while x < p.width:
            w = float(rng.uniform(*step))
            h = float(rng.uniform(*heights))
            top = 1000 - h
            tone = tones[int(rng.integers(len(tones)))]
            out.append(el("rect", x=fmt(x), y=fmt(top), width=fmt(w), height=fmt(h),
                          fill=p.colour(tone)))  # fmt: skip
            glass = mix(tone, (120, 160, 205), 0.55 if not far else 0.3)
            shade_w = w * 0.22  # the side away from the sun (1.0 in from it), in shadow
            side_x = x + w - shade_w if on_light_side(p, 1.0) > 0.5 else x
            out.append(el("rect", x=fmt(side_x), y=fmt(top), width=fmt(shade_w), height=fmt(h),
                          fill=p.colour(mix(tone, (90, 100, 140), 0.25))))  # fmt: skip
            if not far:
                for wy in np.arange(top + 24, 940, 40):
                    for wx in np.arange(x + 14, x + w - 20, 30):
                        out.append(el("rect", x=fmt(wx), y=fmt(wy), width="14", height="20",
                                      fill=p.colour(glass)))  # fmt: skip
                if rng.random() < 0.4:  # a shop's signboard, unlit by day
                    col = ((220, 80, 90), (60, 120, 190), (240, 190, 70))[int(rng.integers(3))]
                    sx, sy = (
                        x + w * float(rng.uniform(0.15, 0.6)),
                        top + float(rng.uniform(40, 160)),
                    )
                    out.append(el("rect", x=fmt(sx), y=fmt(sy), width="34",
                                  height=fmt(rng.uniform(130, 230)), rx="5",
                                  fill=p.colour(col)))  # fmt: skip
            x += w + float(rng.uniform(2, 14) if not far else rng.uniform(0, 30))
    if p.traits.season == "autumn":
        out += _autumn_street(p, rng)
    lit = p.traits.time == "sunset"  # street lamps come on at sunset; off by day
    for lx in np.arange(rng.uniform(60, 200), p.width, 380):
        out.append(el("rect", x=fmt(lx - 4), y="560", width="8", height="440", fill="#5a6070"))
        if lit:
            glow = el("circle", cx=fmt(lx), cy="556", r="70", fill=radial(p, (255, 220, 150), 0.6))
            out.append(el("g", [glow, el("circle", cx=fmt(lx), cy="556", r="12", fill="#fff4d0")],
                          data_lit="1"))  # fmt: skip
        else:
            out.append(el("circle", cx=fmt(lx), cy="556", r="13", fill="#e8ecf0"))
    if p.traits.pose == "full":  # the pavement a whole figure stands on
        paving = (196, 196, 200)
        out.append(el("rect", x="0", y="880", width=fmt(p.width), height="120",
                      fill=p.colour(paving)))  # fmt: skip
        out.append(el("rect", x="0", y="876", width=fmt(p.width), height="8",
                      fill=p.colour(light(paving, 0.4))))  # fmt: skip
    return out


#: An autumn street's trees: their turned leaves, rust to gold.
AUTUMN_LEAVES: tuple[tuple[int, int, int], ...] = (
    (214, 70, 40),
    (236, 124, 44),
    (246, 176, 60),
    (196, 52, 44),
)


def _autumn_street(p: Painter, rng: np.random.Generator) -> list[str]:
    """Autumn said on a street: the street trees along the pavement in their turned
    leaves (rust, orange, gold), leaves drifting down and lying by the kerb, and the
    light a little warmer."""
    out: list[str] = [
        el("rect", x="0", y="0", width=fmt(p.width), height="1000",
           fill=p.colour((255, 170, 90)), opacity="0.12")
    ]  # fmt: skip
    for tx in np.arange(rng.uniform(120, 260), p.width, 520):
        base, top = 900.0, 470.0 + float(rng.uniform(-30, 30))
        out.append(p.stroke(f"M {fmt(tx)} {fmt(base)} L {fmt(tx)} {fmt(top + 80)}",
                            p.colour((92, 64, 46)), 22))  # fmt: skip
        for _ in range(9):  # the crown: overlapping round clumps of leaves
            leaf = AUTUMN_LEAVES[int(rng.integers(len(AUTUMN_LEAVES)))]
            out.append(el("circle", cx=fmt(tx + rng.uniform(-120, 120)),
                          cy=fmt(top + rng.uniform(-40, 90)), r=fmt(rng.uniform(60, 95)),
                          fill=p.colour(leaf)))  # fmt: skip
    for _ in range(40):  # leaves in the air and on the ground
        leaf = AUTUMN_LEAVES[int(rng.integers(len(AUTUMN_LEAVES)))]
        x, y = rng.uniform(0, p.width), rng.uniform(300, 990)
        size = rng.uniform(8, 15)
        out.append(el("ellipse", cx="0", cy="0", rx=fmt(size), ry=fmt(size * 0.55),
                      fill=p.colour(leaf), opacity="0.95",
                      transform=f"translate({fmt(x)} {fmt(y)}) rotate({fmt(rng.uniform(0, 180))})"))  # fmt: skip
    return out


def _neon_city(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [
        sky_gradient(
            p, [(0, (10, 10, 40)), (0.55, (46, 16, 80)), (1, (90, 24, 90))], hue, open_sky=True
        )
    ]
    out += glows(
        p, rng, [(255, 60, 200), (0, 220, 255), (255, 180, 80)], 14, (150, 700), (30, 90), 0.55
    )
    x = -20.0
    while x < p.width:
        w = rng.uniform(70, 150)
        h = rng.uniform(250, 650)
        top = 1000 - h
        tone = mix((18, 16, 46), (40, 20, 70), float(rng.uniform(0, 1)))
        out.append(
            el("rect", x=fmt(x), y=fmt(top), width=fmt(w), height=fmt(h), fill=p.colour(tone))
        )
        for wy in np.arange(top + 20, 960, 34):
            for wx in np.arange(x + 12, x + w - 16, 26):
                if rng.random() < 0.35:
                    col = (255, 214, 120) if rng.random() < 0.6 else (120, 230, 255)
                    out.append(
                        el(
                            "rect",
                            x=fmt(wx),
                            y=fmt(wy),
                            width="12",
                            height="16",
                            fill=p.colour(col),
                            opacity=fmt(float(rng.uniform(0.35, 0.85))),
                        )
                    )
        if rng.random() < 0.55:
            # A vertical signboard, the neon of a Japanese shopping street.
            col = (255, 40, 190) if rng.random() < 0.5 else (0, 230, 255)
            sx, sy, sh = (
                x + w * rng.uniform(0.15, 0.6),
                top + rng.uniform(40, 160),
                rng.uniform(140, 260),
            )
            out.append(
                el(
                    "circle",
                    cx=fmt(sx + 18),
                    cy=fmt(sy + sh / 2),
                    r=fmt(sh * 0.7),
                    fill=radial(p, col, 0.35),
                )
            )
            out.append(
                el(
                    "rect",
                    x=fmt(sx),
                    y=fmt(sy),
                    width="36",
                    height=fmt(sh),
                    rx="6",
                    fill=p.colour(col),
                )
            )
            for k in range(int(sh // 40)):
                out.append(
                    el(
                        "rect",
                        x=fmt(sx + 9),
                        y=fmt(sy + 12 + k * 40),
                        width="18",
                        height="22",
                        rx="3",
                        fill=p.colour(light(col, 0.75)),
                    )
                )
        if rng.random() < 0.45:
            col = (255, 40, 190) if rng.random() < 0.5 else (0, 230, 255)
            sy = top + rng.uniform(30, 120)
            out.append(
                el("circle", cx=fmt(x + w / 2), cy=fmt(sy + 18), r="110", fill=radial(p, col, 0.5))
            )
            out.append(
                el(
                    "rect",
                    x=fmt(x + 10),
                    y=fmt(sy),
                    width=fmt(w - 20),
                    height="36",
                    rx="8",
                    fill="none",
                    stroke=p.colour(col),
                    stroke_width="6",
                )
            )
            out.append(
                el(
                    "rect",
                    x=fmt(x + 10),
                    y=fmt(sy),
                    width=fmt(w - 20),
                    height="36",
                    rx="8",
                    fill="none",
                    stroke="#ffffff",
                    stroke_width="2",
                    opacity="0.8",
                )
            )
        x += w + rng.uniform(4, 18)
    for lx in np.arange(rng.uniform(60, 200), p.width, 380):
        out.append(el("rect", x=fmt(lx - 4), y="560", width="8", height="440", fill="#14102a"))
        out.append(el("circle", cx=fmt(lx), cy="556", r="90", fill=radial(p, (255, 220, 150), 0.8)))
        out.append(el("circle", cx=fmt(lx), cy="556", r="12", fill="#fff4d0"))
    if p.traits.pose == "full":
        # A whole figure stands on the street: the pavement, wet with the signs' light.
        paving = (34, 26, 58)
        out.append(el("rect", x="0", y="880", width=fmt(p.width), height="120",
                      fill=p.colour(paving)))  # fmt: skip
        out.append(el("rect", x="0", y="876", width=fmt(p.width), height="8",
                      fill=p.colour(light(paving, 0.25))))  # fmt: skip
        for sx in np.arange(rng.uniform(0, 120), p.width, 160):
            out.append(
                el("rect", x=fmt(sx), y=fmt(rng.uniform(900, 980)), width=fmt(rng.uniform(30, 90)),
                   height="5", fill=p.colour((255, 80, 210) if rng.random() < 0.5 else
                                             (80, 230, 255)), opacity="0.35")
            )  # fmt: skip
    out += glows(
        p, rng, [(255, 80, 210), (80, 230, 255), (255, 200, 120)], 18, (600, 1000), (14, 44), 0.7
    )
    return out


def classroom(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [sky_gradient(p, [(0, (246, 236, 214)), (1, (226, 210, 186))], hue)]
    pane, clouds = window_view(p, [(0, (120, 185, 245)), (1, (200, 230, 255))], hue)
    beam, beam_opacity = window_beam(p)
    for wx in np.arange(p.width * 0.08, p.width, 330):
        out.append(el("rect", x=fmt(wx), y="120", width="250", height="420", fill=pane))
        p.windows.append(f"M {fmt(wx)} 120 h 250 v 420 h -250 Z")
        cloud = el(
            "ellipse",
            cx=fmt(wx + rng.uniform(60, 190)),
            cy=fmt(rng.uniform(220, 330)),
            rx="70",
            ry="28",
            fill="#ffffff",
            opacity="0.9",
        )
        out.append(cloud if clouds else "")
        out.append(
            el(
                "rect",
                x=fmt(wx),
                y="120",
                width="250",
                height="420",
                fill="none",
                stroke="#8a7a68",
                stroke_width="12",
            )
        )
        out.append(
            el(
                "path",
                d=f"M {fmt(wx + 125)} 120 L {fmt(wx + 125)} 540 M {fmt(wx)} 330 L {fmt(wx + 250)} 330",
                stroke="#8a7a68",
                stroke_width="8",
            )
        )
        out.append(
            el(
                "path",
                d=f"M {fmt(wx)} 540 L {fmt(wx + 250)} 540 L {fmt(wx + 420)} 1000 L {fmt(wx + 140)} 1000 Z",
                fill=hex_(beam),
                opacity=f"{beam_opacity:g}",
            )
        )
    out.append(
        el("rect", x="0", y="820", width=fmt(p.width), height="180", fill=p.colour((176, 130, 90)))
    )
    out.append(
        el("rect", x="0", y="812", width=fmt(p.width), height="14", fill=p.colour((130, 95, 70)))
    )
    return out


def cafe(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [sky_gradient(p, [(0, (120, 80, 60)), (1, (70, 44, 36))], hue)]
    wx = p.width * 0.55
    out.append(
        el(
            "rect",
            x=fmt(wx),
            y="140",
            width=fmt(p.width * 0.38),
            height="430",
            fill=window_view(p, [(0, (250, 190, 130)), (1, (255, 225, 180))], hue)[0],
        )
    )
    p.windows.append(f"M {fmt(wx)} 140 h {fmt(p.width * 0.38)} v 430 h {fmt(-p.width * 0.38)} Z")
    out.append(
        el(
            "rect",
            x=fmt(wx),
            y="140",
            width=fmt(p.width * 0.38),
            height="430",
            fill="none",
            stroke="#3a2418",
            stroke_width="14",
        )
    )
    for sy in (320, 520):
        out.append(
            el("rect", x="0", y=fmt(sy), width=fmt(p.width * 0.45), height="14", fill="#3a2418")
        )
        x = 30.0
        while x < p.width * 0.42:
            col = mix((240, 230, 210), (180, 90, 70), float(rng.uniform(0, 1)))
            out.append(
                el(
                    "rect",
                    x=fmt(x),
                    y=fmt(sy - 50),
                    width="34",
                    height="50",
                    rx="6",
                    fill=p.colour(col),
                )
            )
            x += rng.uniform(50, 90)
    for lx in np.arange(120, p.width, 300):
        out.append(
            el("path", d=f"M {fmt(lx)} 0 L {fmt(lx)} 150", stroke="#2a1a12", stroke_width="4")
        )
        out.append(
            el("circle", cx=fmt(lx), cy="170", r="120", fill=radial(p, (255, 200, 120), 0.7))
        )
        out.append(
            el(
                "path",
                d=f"M {fmt(lx - 34)} 170 Q {fmt(lx)} 110 {fmt(lx + 34)} 170 Z",
                fill="#2a1a12",
            )
        )
        out.append(el("circle", cx=fmt(lx), cy="176", r="12", fill="#fff0c8"))
    out.append(
        el("rect", x="0", y="860", width=fmt(p.width), height="140", fill=p.colour((90, 56, 40)))
    )
    if "ramen counter" in p.traits.features:
        out += _ramen_counter(p)
    return out


def _ramen_counter(p: Painter) -> list[str]:
    """A ramen shop said: the cafe's room made one — an indigo noren curtain in strips
    across the top, a white bowl on it, and the long wooden counter with steaming bowls
    of ramen on it at either end."""
    w = p.width
    out: list[str] = []
    indigo = (40, 56, 108)
    strip = w / 4
    out.append(el("rect", x="0", y="0", width=fmt(w), height="22", fill="#3a2418"))  # its rod
    for i in range(4):  # the noren's strips, slit apart, a white bowl mark across the middle
        out.append(el("rect", x=fmt(i * strip + 6), y="18", width=fmt(strip - 12), height="190",
                      fill=p.colour(indigo)))  # fmt: skip
    out.append(el("path", d=f"M {fmt(w / 2 - 70)} 96 H {fmt(w / 2 + 70)} "
                  f"Q {fmt(w / 2 + 66)} 170 {fmt(w / 2)} 172 Q {fmt(w / 2 - 66)} 170 {fmt(w / 2 - 70)} 96 Z",
                  fill="#f4f0e6"))  # fmt: skip
    top = 730.0
    out.append(el("rect", x="0", y=fmt(top), width=fmt(w), height="30",
                  fill=p.colour((214, 172, 118))))  # fmt: skip
    out.append(el("rect", x="0", y=fmt(top + 30), width=fmt(w), height=fmt(1000 - top - 30),
                  fill=p.colour((150, 96, 58))))  # fmt: skip
    for bx in (w * 0.1, w * 0.9):
        out.append(furniture(p, "steaming-bowl", bx, top + 8, 120))
    return out
