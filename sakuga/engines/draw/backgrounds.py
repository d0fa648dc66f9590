"""Eight painted backgrounds, drawn procedurally; details placed by a seed.

Soft light (bokeh, glows, lamps) uses radial gradients rather than blur filters:
it looks the same and renders many times faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.svg import RGB, el, fmt, hue_shift, light, mix, shade

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter


def _radial(p: Painter, colour: RGB, opacity: float = 1.0) -> str:
    gid = p.uid("r")
    p.defs.append(
        el(
            "radialGradient",
            [
                el("stop", offset="0", stop_color=p.colour(colour), stop_opacity=f"{opacity:.2f}"),
                el(
                    "stop",
                    offset="0.45",
                    stop_color=p.colour(colour),
                    stop_opacity=f"{opacity * 0.45:.2f}",
                ),
                el("stop", offset="1", stop_color=p.colour(colour), stop_opacity="0"),
            ],
            id=gid,
        )
    )
    return f"url(#{gid})"


def _sky(p: Painter, stops: list[tuple[float, RGB]], hue: float) -> str:
    shifted = [(o, hue_shift(c, hue, p.params.saturation)) for o, c in stops]
    return el("rect", x="0", y="0", width=fmt(p.width), height="1000", fill=p.gradient(shifted))


def _glows(
    p: Painter,
    rng: np.random.Generator,
    colours: list[RGB],
    count: int,
    y_range: tuple[float, float],
    radius: tuple[float, float],
    opacity: float,
) -> list[str]:
    """Anime bokeh: flat translucent discs with a brighter core (solid fills render fast)."""
    out = []
    for _ in range(count):
        r = rng.uniform(*radius)
        colour = colours[int(rng.integers(len(colours)))]
        cx, cy = fmt(rng.uniform(0, p.width)), fmt(rng.uniform(*y_range))
        out.append(
            el(
                "circle",
                cx=cx,
                cy=cy,
                r=fmt(r),
                fill=p.colour(colour),
                fill_opacity=f"{opacity * 0.45:.2f}",
            )
        )
        out.append(
            el(
                "circle",
                cx=cx,
                cy=cy,
                r=fmt(r * 0.72),
                fill=p.colour(light(colour, 0.3)),
                fill_opacity=f"{opacity * 0.3:.2f}",
            )
        )
    return out


def city(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [_sky(p, [(0, (10, 10, 40)), (0.55, (46, 16, 80)), (1, (90, 24, 90))], hue)]
    out += _glows(
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
                    fill=_radial(p, col, 0.35),
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
                el("circle", cx=fmt(x + w / 2), cy=fmt(sy + 18), r="110", fill=_radial(p, col, 0.5))
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
        out.append(
            el("circle", cx=fmt(lx), cy="556", r="90", fill=_radial(p, (255, 220, 150), 0.8))
        )
        out.append(el("circle", cx=fmt(lx), cy="556", r="12", fill="#fff4d0"))
    out += _glows(
        p, rng, [(255, 80, 210), (80, 230, 255), (255, 200, 120)], 18, (600, 1000), (14, 44), 0.7
    )
    return out


def sakura(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [_sky(p, [(0, (150, 205, 245)), (0.6, (255, 214, 230)), (1, (255, 236, 240))], hue)]
    out.append(
        el(
            "path",
            d=f"M 0 760 Q {p.width * 0.3} 700 {p.width * 0.6} 750 T {p.width} 730 L {p.width} 1000 L 0 1000 Z",
            fill=p.colour((170, 210, 150)),
        )
    )
    for tx in (rng.uniform(0, p.width * 0.25), rng.uniform(p.width * 0.7, p.width)):
        out.append(
            el(
                "path",
                d=f"M {tx - 18} 1000 L {tx - 10} 620 Q {tx} 560 {tx + 30} 520 L {tx + 14} 620 L {tx + 20} 1000 Z",
                fill=p.colour((110, 72, 70)),
            )
        )
        for _ in range(40):
            cx, cy = tx + rng.normal(0, 130), 480 + rng.normal(0, 110)
            col = mix((255, 180, 205), (255, 230, 238), float(rng.uniform(0, 1)))
            out.append(
                el(
                    "circle",
                    cx=fmt(cx),
                    cy=fmt(cy),
                    r=fmt(rng.uniform(28, 60)),
                    fill=p.colour(col),
                    opacity="0.92",
                )
            )
    for _ in range(45):
        x, y = rng.uniform(0, p.width), rng.uniform(0, 1000)
        out.append(
            el(
                "ellipse",
                cx=fmt(x),
                cy=fmt(y),
                rx="9",
                ry="5",
                fill="#ffc8dc",
                transform=f"rotate({fmt(rng.uniform(0, 180))} {fmt(x)} {fmt(y)})",
                opacity="0.9",
            )
        )
    return out


def classroom(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [_sky(p, [(0, (246, 236, 214)), (1, (226, 210, 186))], hue)]
    for wx in np.arange(p.width * 0.08, p.width, 330):
        out.append(
            el(
                "rect",
                x=fmt(wx),
                y="120",
                width="250",
                height="420",
                fill=p.gradient([(0, hue_shift((120, 185, 245), hue)), (1, (200, 230, 255))]),
            )
        )
        out.append(
            el(
                "ellipse",
                cx=fmt(wx + rng.uniform(60, 190)),
                cy=fmt(rng.uniform(220, 330)),
                rx="70",
                ry="28",
                fill="#ffffff",
                opacity="0.9",
            )
        )
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
                fill="#fffbe8",
                opacity="0.25",
            )
        )
    out.append(
        el("rect", x="0", y="820", width=fmt(p.width), height="180", fill=p.colour((176, 130, 90)))
    )
    out.append(
        el("rect", x="0", y="812", width=fmt(p.width), height="14", fill=p.colour((130, 95, 70)))
    )
    return out


def sky(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [_sky(p, [(0, (70, 140, 230)), (0.7, (160, 210, 250)), (1, (220, 240, 255))], hue)]
    out.append(
        el(
            "circle",
            cx=fmt(p.width * 0.8),
            cy="180",
            r="260",
            fill=_radial(p, (255, 250, 220), 0.8),
        )
    )
    for _ in range(6):
        cx, cy = rng.uniform(0, p.width), rng.uniform(200, 850)
        scale = rng.uniform(0.7, 1.5)
        for dx, dy, r in ((-60, 10, 50), (0, -20, 70), (70, 5, 55), (30, 25, 50), (-20, 30, 45)):
            out.append(
                el(
                    "circle",
                    cx=fmt(cx + dx * scale),
                    cy=fmt(cy + dy * scale),
                    r=fmt(r * scale),
                    fill="#ffffff",
                )
            )
        out.append(
            el(
                "ellipse",
                cx=fmt(cx),
                cy=fmt(cy + 45 * scale),
                rx=fmt(110 * scale),
                ry=fmt(16 * scale),
                fill=p.colour((200, 215, 240)),
                opacity="0.8",
            )
        )
    return out


def forest(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [_sky(p, [(0, (200, 235, 200)), (0.5, (120, 180, 120)), (1, (40, 80, 50))], hue)]
    for depth, (tone, y0) in enumerate(
        (((120, 170, 120), 500), ((70, 130, 80), 600), ((36, 84, 52), 700))
    ):
        x = -40.0
        while x < p.width + 40:
            w = rng.uniform(90, 170)
            h = rng.uniform(260, 420) + depth * 60
            out.append(
                el(
                    "path",
                    d=f"M {fmt(x)} {fmt(y0 + 300)} L {fmt(x + w / 2)} {fmt(y0 - h)} L {fmt(x + w)} {fmt(y0 + 300)} Z",
                    fill=p.colour(hue_shift(tone, hue)),
                )
            )
            x += w * 0.7
    for _ in range(4):
        x = rng.uniform(0, p.width)
        out.append(
            el(
                "path",
                d=f"M {fmt(x)} 0 L {fmt(x + 90)} 0 L {fmt(x + 320)} 1000 L {fmt(x + 140)} 1000 Z",
                fill="#fffbe0",
                opacity="0.12",
            )
        )
    out += _glows(p, rng, [(230, 255, 160)], 24, (300, 1000), (8, 18), 0.9)
    out.append(
        el("rect", x="0", y="900", width=fmt(p.width), height="100", fill=p.colour((30, 60, 40)))
    )
    return out


def beach(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [_sky(p, [(0, (90, 170, 240)), (0.55, (200, 230, 250)), (1, (255, 240, 220))], hue)]
    out.append(
        el(
            "circle",
            cx=fmt(p.width * 0.25),
            cy="260",
            r="220",
            fill=_radial(p, (255, 245, 200), 0.9),
        )
    )
    out.append(
        el(
            "rect",
            x="0",
            y="600",
            width=fmt(p.width),
            height="220",
            fill=p.gradient([(0, (40, 130, 200)), (1, (90, 190, 220))]),
        )
    )
    for _ in range(30):
        x, y = rng.uniform(0, p.width), rng.uniform(610, 800)
        out.append(
            el(
                "rect",
                x=fmt(x),
                y=fmt(y),
                width=fmt(rng.uniform(20, 70)),
                height="3",
                fill="#ffffff",
                opacity="0.7",
            )
        )
    out.append(
        el(
            "path",
            d=f"M 0 800 Q {p.width / 2} 770 {p.width} 810 L {p.width} 1000 L 0 1000 Z",
            fill=p.colour((246, 222, 176)),
        )
    )
    out.append(
        el(
            "path",
            d=f"M 0 800 Q {p.width / 2} 770 {p.width} 810",
            fill="none",
            stroke="#ffffff",
            stroke_width="10",
            opacity="0.85",
        )
    )
    return out


def cafe(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [_sky(p, [(0, (120, 80, 60)), (1, (70, 44, 36))], hue)]
    wx = p.width * 0.55
    out.append(
        el(
            "rect",
            x=fmt(wx),
            y="140",
            width=fmt(p.width * 0.38),
            height="430",
            fill=p.gradient([(0, hue_shift((250, 190, 130), hue)), (1, (255, 225, 180))]),
        )
    )
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
            el("circle", cx=fmt(lx), cy="170", r="120", fill=_radial(p, (255, 200, 120), 0.7))
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
    return out


def space(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [_sky(p, [(0, (6, 6, 24)), (0.6, (24, 14, 60)), (1, (50, 20, 80))], hue)]
    out += _glows(
        p, rng, [(140, 60, 220), (40, 120, 240), (220, 60, 160)], 6, (0, 1000), (180, 380), 0.45
    )
    for _ in range(160):
        out.append(
            el(
                "circle",
                cx=fmt(rng.uniform(0, p.width)),
                cy=fmt(rng.uniform(0, 1000)),
                r=fmt(rng.uniform(0.8, 3.2)),
                fill="#ffffff",
                opacity=fmt(float(rng.uniform(0.4, 1))),
            )
        )
    px, py = p.width * rng.uniform(0.7, 0.9), rng.uniform(150, 300)
    planet = hue_shift((240, 170, 110), hue)
    out.append(
        el(
            "circle",
            cx=fmt(px),
            cy=fmt(py),
            r="90",
            fill=p.gradient([(0, light(planet, 0.3)), (1, shade(planet, 0.5))]),
        )
    )
    out.append(
        el(
            "ellipse",
            cx=fmt(px),
            cy=fmt(py),
            rx="150",
            ry="26",
            fill="none",
            stroke=p.colour(light(planet, 0.4)),
            stroke_width="8",
            opacity="0.8",
            transform=f"rotate(-18 {fmt(px)} {fmt(py)})",
        )
    )
    return out


def plain(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A soft studio gradient: for character sheets, stickers and clean avatars."""
    out = [_sky(p, [(0, (246, 244, 250)), (1, (218, 214, 232))], hue)]
    out.append(
        el(
            "ellipse",
            cx=fmt(p.width / 2),
            cy="980",
            rx=fmt(p.width * 0.45),
            ry="60",
            fill=p.colour((200, 196, 215)),
            fill_opacity="0.6",
        )
    )
    return out


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
}


def paint_background(p: Painter, kind: str, seed: int, hue: float) -> str:
    rng = np.random.default_rng(seed)
    return "".join(PAINTERS[kind](p, rng, hue))
