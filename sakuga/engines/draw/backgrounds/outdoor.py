"""Outdoor backgrounds: sky, open hills, sakura park, forest, beach, space, and a plain
studio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from sakuga.engines.draw.svg import RGB, el, fmt, hue_shift, light, mix, shade

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter

from sakuga.engines.draw.backgrounds.common import (
    cumulus,
    day_sun,
    glows,
    sky_gradient,
    starfield,
)

#: Where a park's trees stand: on the ground behind the figure (its feet are lower).
TREE_FOOT: Final = 800


def sky(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [
        sky_gradient(
            p,
            [(0, (70, 140, 230)), (0.7, (160, 210, 250)), (1, (220, 240, 255))],
            hue,
            open_sky=True,
            clouds=False,  # its own, below
        )
    ]
    out.append(day_sun(p, 0.2, 180, 260, (255, 250, 220), 0.8))
    return out + cumulus(p, rng, 6, 200, 850)


#: The grass of open country in each season (none said: summer's).
HILL_GRASS: Final[dict[str, RGB]] = {
    "spring": (128, 192, 104),
    "summer": (96, 168, 84),
    "autumn": (196, 164, 84),
    "winter": (234, 240, 248),
}


def hill(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """Open country: the sky and its clouds over blue far ridges, a green middle hill,
    and the grassy hilltop in front that the figure stands on (tufts and a few wild
    flowers), in the season's grass (autumn gold, winter snow)."""
    out = sky(p, rng, hue)
    clouds = out[2:]
    out = out[:2] + clouds[: len(clouds) // 2]  # fewer clouds: the land takes the lower half
    w = p.width
    grass = hue_shift(HILL_GRASS.get(p.traits.season or "summer", HILL_GRASS["summer"]), hue * 0.3)
    far = mix(grass, (150, 176, 214), 0.7)
    ridge = " ".join(
        f"L {fmt(w * k / 8)} {fmt(600 - 70 * abs(np.sin(k * 1.3 + rng.uniform(0, 0.6))))}"
        for k in range(9)
    )
    out.append(el("path", d=f"M 0 640 {ridge} L {fmt(w)} 1000 L 0 1000 Z", fill=p.colour(far)))
    middle = mix(grass, (150, 176, 214), 0.3)
    out.append(
        el(
            "path",
            d=f"M 0 690 Q {fmt(w * 0.3)} 610 {fmt(w * 0.62)} 680 T {fmt(w)} 670 "
            f"L {fmt(w)} 1000 L 0 1000 Z",
            fill=p.colour(middle),
        )
    )
    if p.traits.treeline is not None:  # the trees said, along the middle hill
        out += _treeline(p, rng, grass, hue)
    out.append(
        el(
            "path",
            d=f"M 0 790 Q {fmt(w * 0.5)} 730 {fmt(w)} 800 L {fmt(w)} 1000 L 0 1000 Z",
            fill=p.gradient([(0, light(grass, 0.08)), (1, shade(grass, 0.12))]),
        )
    )
    tuft = shade(grass, 0.2)
    for _ in range(30):
        x, y = rng.uniform(0, w), rng.uniform(800, 990)
        out.append(
            p.stroke(f"M {fmt(x)} {fmt(y)} l -6 -20 M {fmt(x)} {fmt(y)} l 5 -24", p.colour(tuft), 4)
        )
    if p.traits.season != "winter":
        for _ in range(14):
            x, y = rng.uniform(0, w), rng.uniform(810, 990)
            colour = ((255, 255, 255), (255, 220, 90), (240, 150, 190))[int(rng.integers(3))]
            out.append(el("circle", cx=fmt(x), cy=fmt(y), r="6", fill=p.colour(colour)))
    return out


def _leaves(
    p: Painter,
    look: TreeLook,
    cx: float,
    cy: float,
    radii: tuple[float, float],
    rng: np.random.Generator,
    opacity: str,
) -> str:
    """One round mass of a tree's crown, in a colour between the season's two, its
    radius between ``radii``."""
    col = mix(look.crown[0], look.crown[1], float(rng.uniform(0, 1)))
    r = rng.uniform(*radii)
    return el("circle", cx=fmt(cx), cy=fmt(cy), r=fmt(r), fill=p.colour(col), opacity=opacity)


def lone_tree(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """Open country under one great tree: its trunk rising behind the figure on one
    side, its crown spread over the top of the frame (in blossom when cherry is said,
    else in the season's leaves), and its shade on the grass below."""
    out = hill(p, rng, hue)
    w = p.width
    look = SEASONAL_TREES.get(p.traits.trees or "", SEASONAL_TREES["summer"])
    side = 1 if rng.uniform() < 0.5 else -1
    tx = w / 2 + side * w * 0.3
    bark = (104, 74, 60)
    out.append(
        el(
            "ellipse",
            cx=fmt(w / 2),
            cy="900",
            rx=fmt(w * 0.55),
            ry="60",
            fill="#000000",
            opacity="0.14",
        )
    )
    out.append(
        el(
            "path",
            d=f"M {fmt(tx - 60)} 880 Q {fmt(tx - 30)} 600 {fmt(tx - 40)} 330 "
            f"L {fmt(tx + 40)} 330 Q {fmt(tx + 30)} 600 {fmt(tx + 60)} 880 Z",
            fill=p.colour(bark),
        )
    )
    for reach in (0.35, 0.6):  # boughs out over the middle of the frame
        out.append(
            p.stroke(
                f"M {fmt(tx)} {fmt(560 - reach * 300)} Q {fmt(tx - side * w * reach * 0.5)} "
                f"{fmt(330 - reach * 200)} {fmt(tx - side * w * reach)} "
                f"{fmt(250 - reach * 160)}",
                p.colour(bark),
                26,
            )
        )
    for _ in range(look.blobs * 3):  # the crown, across the top of the frame
        cx = rng.uniform(-0.05, 1.05) * w
        cy = rng.uniform(-60, 250) + 120 * abs(cx - tx) / w
        out.append(_leaves(p, look, cx, cy, (50, 110), rng, "0.95"))
    return out


def _treeline(p: Painter, rng: np.random.Generator, grass: RGB, hue: float) -> list[str]:
    """A row of trees along the middle hill, nearer ones larger: dark conifers (snow on
    their tiers in winter) or round crowns in the season's colour."""
    winter = p.traits.season == "winter"
    out: list[str] = []
    x = -30.0
    while x < p.width + 30:
        h = rng.uniform(150, 250)
        wdt = h * rng.uniform(0.42, 0.55)
        base = 700 + rng.uniform(-18, 18)
        if p.traits.treeline == "pine":
            tone = hue_shift((38, 78, 64), hue * 0.3)
            for tier in range(3):  # three stacked triangles, the lowest widest
                top = base - h + tier * h * 0.26
                half = wdt * (0.34 + tier * 0.16)
                bottom = top + h * 0.42
                out.append(
                    el(
                        "path",
                        d=f"M {fmt(x - half)} {fmt(bottom)} L {fmt(x)} {fmt(top)} "
                        f"L {fmt(x + half)} {fmt(bottom)} Z",
                        fill=p.colour(tone),
                    )
                )
                if winter:
                    out.append(
                        el(
                            "path",
                            d=f"M {fmt(x - half * 0.45)} {fmt(top + h * 0.19)} "
                            f"L {fmt(x)} {fmt(top)} L {fmt(x + half * 0.45)} "
                            f"{fmt(top + h * 0.19)} Z",
                            fill=p.colour((244, 248, 255)),
                        )
                    )
            out.append(
                p.stroke(
                    f"M {fmt(x)} {fmt(base - h * 0.1)} L {fmt(x)} {fmt(base)}",
                    p.colour((80, 60, 44)),
                    12,
                )
            )
        else:
            crown = (236, 242, 250) if winter else shade(grass, 0.25)
            out.append(
                p.stroke(
                    f"M {fmt(x)} {fmt(base - h * 0.45)} L {fmt(x)} {fmt(base)}",
                    p.colour((96, 70, 50)),
                    14,
                )
            )
            out.append(
                el(
                    "ellipse",
                    cx=fmt(x),
                    cy=fmt(base - h * 0.62),
                    rx=fmt(wdt * 0.6),
                    ry=fmt(h * 0.4),
                    fill=p.colour(crown),
                )
            )
        x += wdt * rng.uniform(0.9, 1.5)
    return out


@dataclass(frozen=True)
class TreeLook:
    """A park's trees in one season: the crowns' two colours, how full they are, the
    falling petals or leaves, and the grass."""

    crown: tuple[RGB, RGB]
    blobs: int
    petal: RGB
    ground: RGB


SEASONAL_TREES: Final[dict[str, TreeLook]] = {
    "cherry": TreeLook(((255, 180, 205), (255, 230, 238)), 40, (255, 200, 220), (170, 210, 150)),
    "ginkgo": TreeLook(((250, 196, 40), (255, 228, 120)), 40, (252, 206, 60), (196, 190, 120)),
    "maple": TreeLook(((214, 60, 36), (246, 150, 60)), 40, (226, 90, 40), (186, 160, 100)),
    "summer": TreeLook(((70, 150, 70), (130, 196, 100)), 40, (120, 190, 90), (130, 196, 110)),
    "winter": TreeLook(((236, 242, 250), (255, 255, 255)), 16, (255, 255, 255), (236, 242, 250)),
}


def _tree_kind(p: Painter) -> str:
    """The park's trees: ginkgo or maple when named (else autumn's maple), a green
    summer, snowy crowns in winter, else cherry blossom."""
    trees = p.traits.trees or "cherry"
    return trees if trees in SEASONAL_TREES else "cherry"


def sakura(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    kind = _tree_kind(p)
    # Spring's sky blushes pink towards the horizon; the other seasons' are clear.
    horizon = (
        ((255, 214, 230), (255, 236, 240))
        if kind == "cherry"
        else ((205, 228, 246), (236, 244, 250))
    )
    out = [
        sky_gradient(
            p,
            [(0, (150, 205, 245)), (0.6, horizon[0]), (1, horizon[1])],
            hue,
            open_sky=True,
        )
    ]
    look = SEASONAL_TREES[kind]
    out.append(
        el(
            "path",
            d=f"M 0 760 Q {p.width * 0.3} 700 {p.width * 0.6} 750 T {p.width} 730 L {p.width} 1000 L 0 1000 Z",
            fill=p.colour(look.ground),
        )
    )
    for tx in (rng.uniform(0, p.width * 0.25), rng.uniform(p.width * 0.7, p.width)):
        if kind == "winter":  # bare branches under snow, not crowns (read as blossom)
            out.extend(_bare_branches(p, rng, tx))
            continue
        # Rooted on the ground behind the figure, not at the frame's foot: a trunk
        # from the bottom edge showed between her feet, nearer than she is.
        out.append(
            el(
                "ellipse",
                cx=fmt(tx + 1),
                cy=str(TREE_FOOT),
                rx="46",
                ry="10",
                fill="#000000",
                opacity="0.12",
            )
        )
        out.append(
            el(
                "path",
                d=f"M {tx - 18} {TREE_FOOT} L {tx - 10} 620 Q {tx} 560 {tx + 30} 520 L {tx + 14} 620 L {tx + 20} {TREE_FOOT} Z",
                fill=p.colour((110, 72, 70)),
            )
        )
        for _ in range(look.blobs):
            cx, cy = tx + rng.normal(0, 130), 480 + rng.normal(0, 110)
            out.append(_leaves(p, look, cx, cy, (28, 60), rng, "0.92"))
    for _ in range(45 if kind != "winter" else 0):  # winter's snow is the weather's
        x, y = rng.uniform(0, p.width), rng.uniform(0, 1000)
        out.append(
            el(
                "ellipse",
                cx=fmt(x),
                cy=fmt(y),
                rx="9",
                ry="5",
                fill=p.colour(look.petal),
                transform=f"rotate({fmt(rng.uniform(0, 180))} {fmt(x)} {fmt(y)})",
                opacity="0.9",
            )
        )
    return out


def _bare_branches(p: Painter, rng: np.random.Generator, tx: float) -> list[str]:
    """A winter tree's crown: bare branches forking up from the trunk's top, each with
    snow lying along its upper side."""
    bark, snow = p.colour((96, 66, 62)), p.colour((246, 248, 252))
    # The trunk, tapering up to where it forks.
    trunk = f"M {fmt(tx - 20)} {TREE_FOOT} L {fmt(tx - 11)} 580 L {fmt(tx + 11)} 580 L {fmt(tx + 20)} {TREE_FOOT} Z"
    out: list[str] = [el("path", d=trunk, fill=bark)]
    stack = [(tx, 590.0, -90.0, 130.0, 22.0)]  # x, y, angle (up), length, width
    while stack:
        x, y, angle, length, width = stack.pop()
        a = np.radians(angle)
        x2, y2 = x + length * np.cos(a), y + length * np.sin(a)
        bend = rng.uniform(-0.12, 0.12) * length
        mid_x, mid_y = (x + x2) / 2 + bend, (y + y2) / 2
        path = f"M {fmt(x)} {fmt(y)} Q {fmt(mid_x)} {fmt(mid_y)} {fmt(x2)} {fmt(y2)}"
        for colour, thick, lift in ((bark, width, 0.0), (snow, width * 0.45, -width * 0.45)):
            out.append(
                el(
                    "path",
                    d=path,
                    stroke=colour,
                    fill="none",
                    transform=f"translate(0 {fmt(lift)})",
                    **{"stroke-width": fmt(thick), "stroke-linecap": "round"},
                )
            )
        if width > 3.5:
            for turn in (rng.uniform(-50, -18), rng.uniform(18, 50)):
                stack.append((x2, y2, angle + turn, length * rng.uniform(0.62, 0.8), width * 0.62))
    return out


def bamboo(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A bamboo grove: tall green culms in three depths, each ringed at its nodes, leaves
    in sprays up high, the light green and misty between them."""
    out = [sky_gradient(p, [(0, (214, 236, 200)), (0.6, (170, 210, 160)), (1, (96, 140, 96))], hue)]
    depths = (((168, 206, 150), 26, 0.55), ((110, 168, 104), 38, 0.8), ((60, 122, 70), 54, 1.0))
    for tone, width, near in depths:
        colour = hue_shift(tone, hue)
        node = shade(colour, 0.3)
        x = rng.uniform(-60, 0)
        while x < p.width + 60:
            lean = rng.uniform(-30, 30)
            out.append(
                el(
                    "path",
                    d=f"M {fmt(x)} 1000 L {fmt(x + lean)} -20 L {fmt(x + lean + width)} -20 "
                    f"L {fmt(x + width)} 1000 Z",
                    fill=p.colour(colour),
                )
            )
            for y in range(int(rng.uniform(60, 160)), 1000, int(150 + 60 * near)):
                at = x + lean * (1 - y / 1000)
                out.append(
                    p.stroke(
                        f"M {fmt(at - 2)} {y} L {fmt(at + width + 2)} {y}",
                        p.colour(node),
                        3 + 3 * near,
                    )
                )
            for _ in range(3):  # a spray of narrow leaves off the culm, up high
                lx = x + lean * 0.8 + rng.choice([-1, 1]) * width * 0.6
                ly = rng.uniform(40, 420)
                for k in range(4):
                    angle = rng.uniform(-0.5, 0.5) + (0 if lx > x else np.pi)
                    length = 70 + 40 * near
                    ex, ey = lx + np.cos(angle) * length, ly + 14 * k + np.sin(angle) * 30
                    out.append(
                        el(
                            "path",
                            d=f"M {fmt(lx)} {fmt(ly + 14 * k)} Q {fmt((lx + ex) / 2)} "
                            f"{fmt(ly + 14 * k - 14)} {fmt(ex)} {fmt(ey)} Q {fmt((lx + ex) / 2)} "
                            f"{fmt(ly + 14 * k + 8)} {fmt(lx)} {fmt(ly + 14 * k)} Z",
                            fill=p.colour(shade(colour, 0.1)),
                        )
                    )
            x += rng.uniform(70, 150) * (0.6 + near)
    out.append(
        el("rect", x="0", y="0", width=fmt(p.width), height="1000", fill="#f4fbf0", opacity="0.14")
    )
    out.append(
        el("rect", x="0", y="900", width=fmt(p.width), height="100", fill=p.colour((88, 110, 66)))
    )
    return out


def forest(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    if p.traits.trees == "bamboo":
        return bamboo(p, rng, hue)
    winter = p.traits.season == "winter"
    autumn = p.traits.trees in ("maple", "ginkgo") or p.traits.season == "autumn"
    tones = (((120, 170, 120), 500), ((70, 130, 80), 600), ((36, 84, 52), 700))
    if autumn:  # the broadleaves turned: gold to rust among the pines
        tones = (((214, 170, 80), 500), ((196, 110, 50), 600), ((60, 80, 52), 700))
    out = [sky_gradient(p, [(0, (200, 235, 200)), (0.5, (120, 180, 120)), (1, (40, 80, 50))], hue)]
    if winter:
        out = [
            sky_gradient(
                p, [(0, (214, 226, 240)), (0.6, (190, 204, 222)), (1, (150, 170, 190))], hue
            )
        ]
    for depth, (tone, y0) in enumerate(tones):
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
            if winter:  # snow lying on each tree's upper slopes
                out.append(
                    el(
                        "path",
                        d=f"M {fmt(x + w * 0.3)} {fmt(y0 - h * 0.45)} L {fmt(x + w / 2)} "
                        f"{fmt(y0 - h)} L {fmt(x + w * 0.7)} {fmt(y0 - h * 0.45)} Q {fmt(x + w / 2)} "
                        f"{fmt(y0 - h * 0.55)} {fmt(x + w * 0.3)} {fmt(y0 - h * 0.45)} Z",
                        fill=p.colour((246, 250, 255)),
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
    if not winter:  # fireflies and pollen in the green; none in the snow
        out += glows(p, rng, [(230, 255, 160)], 24, (300, 1000), (8, 18), 0.9)
    ground = (236, 242, 250) if winter else (150, 100, 50) if autumn else (30, 60, 40)
    out.append(el("rect", x="0", y="900", width=fmt(p.width), height="100", fill=p.colour(ground)))
    return out


def pier(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A wooden pier running out to sea: the sky and the sea to the horizon, the deck
    of planks narrowing away from the viewer, the posts of its rails along both edges."""
    w = p.width
    out = open_sea(p, rng, hue)
    out.append(
        el(
            "rect",
            x="0",
            y="780",
            width=fmt(w),
            height="220",
            fill=p.gradient([(0, (90, 190, 220)), (1, (60, 150, 205))]),
        )
    )
    wood = hue_shift((170, 124, 82), hue * 0.3)
    far_l, far_r, near_l, near_r = w * 0.44, w * 0.56, -w * 0.2, w * 1.2
    top = 640.0
    deck = f"M {fmt(far_l)} {top} L {fmt(far_r)} {top} L {fmt(near_r)} 1000 L {fmt(near_l)} 1000 Z"
    out.append(
        el(
            "path",
            d=deck,
            fill=p.gradient([(0, shade(wood, 0.2)), (1, light(wood, 0.08))]),
            stroke=p.colour(shade(wood, 0.45)),
            stroke_width="4",
        )
    )
    lines = []
    for k in range(1, 16):  # the planks, closer together into the distance
        t = (k / 16) ** 1.8
        y = top + (1000 - top) * t
        lines.append(
            f"M {fmt(far_l + (near_l - far_l) * t)} {fmt(y)} L {fmt(far_r + (near_r - far_r) * t)} {fmt(y)}"
        )
    out.append(
        el(
            "path",
            d=" ".join(lines),
            stroke=p.colour(shade(wood, 0.4)),
            stroke_width="3",
            opacity="0.6",
            fill="none",
        )
    )
    for side_far, side_near in ((far_l, near_l), (far_r, near_r)):  # the rails' posts
        for k in range(7):
            t = (k / 7) ** 1.6
            x = side_far + (side_near - side_far) * t
            y = top + (1000 - top) * t
            h = 30 + 150 * t
            out.append(
                el(
                    "rect",
                    x=fmt(x - 4 - 10 * t),
                    y=fmt(y - h),
                    width=fmt(8 + 20 * t),
                    height=fmt(h),
                    fill=p.colour(shade(wood, 0.25)),
                )
            )
    return out


def open_sea(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """The sky, the sun and the sea out to the horizon, its glints: a beach's or a
    pier's view."""
    out = [
        sky_gradient(
            p,
            [(0, (90, 170, 240)), (0.55, (200, 230, 250)), (1, (255, 240, 220))],
            hue,
            open_sky=True,
        )
    ]
    out.append(day_sun(p, 0.25, 260, 220, (255, 245, 200), 0.9))
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
    return out


def beach(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = open_sea(p, rng, hue)
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


def space(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    out = [sky_gradient(p, [(0, (6, 6, 24)), (0.6, (24, 14, 60)), (1, (50, 20, 80))], hue)]
    out += glows(
        p, rng, [(140, 60, 220), (40, 120, 240), (220, 60, 160)], 6, (0, 1000), (180, 380), 0.45
    )
    out += starfield(p, rng, 160, 1000)
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


def moon(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """On the moon: grey dust with craters to the horizon under a black sky of stars,
    and the Earth in it, blue with green land and white cloud, lit from one side."""
    w = p.width
    out = [sky_gradient(p, [(0, (2, 2, 10)), (0.7, (8, 8, 22)), (1, (16, 16, 34))], 0.0)]
    out += starfield(p, rng, 140, 600, 2.8)
    # High in a corner, over the head of a figure standing to one side.
    ex, ey, er = w * rng.uniform(0.84, 0.9), rng.uniform(90, 120), 64.0
    out.append(el("circle", cx=fmt(ex), cy=fmt(ey), r=fmt(er + 10), fill="#5c8cff", opacity="0.18"))
    out.append(
        el(
            "circle",
            cx=fmt(ex),
            cy=fmt(ey),
            r=fmt(er),
            fill=p.gradient([(0, (120, 180, 250)), (1, (30, 80, 170))]),
        )
    )
    land = "".join(
        el(
            "ellipse",
            cx=fmt(ex + er * rng.uniform(-0.5, 0.4)),
            cy=fmt(ey + er * rng.uniform(-0.5, 0.5)),
            rx=fmt(er * rng.uniform(0.18, 0.34)),
            ry=fmt(er * rng.uniform(0.12, 0.26)),
            fill=p.colour((96, 160, 86)),
        )
        for _ in range(4)
    )
    cloud = "".join(
        p.stroke(
            f"M {fmt(ex - er * 0.7)} {fmt(ey + er * k)} q {fmt(er * 0.7)} {fmt(-er * 0.12)} "
            f"{fmt(er * 1.3)} 0",
            "#ffffff",
            5,
        )
        for k in (-0.45, 0.05, 0.5)
    )
    out.append(el("g", [land, cloud], clip_path=p.clip(_circle_path(ex, ey, er))))
    # Night on the Earth's far side from the sun.
    out.append(
        el(
            "path",
            d=_circle_path(ex + er * 0.45, ey, er * 0.95),
            fill="#000014",
            opacity="0.45",
            clip_path=p.clip(_circle_path(ex, ey, er)),
        )
    )
    dust = hue_shift((176, 174, 170), hue * 0.2)
    out.append(
        el(
            "path",
            d=f"M 0 660 Q {fmt(w * 0.35)} 630 {fmt(w * 0.7)} 655 T {fmt(w)} 650 "
            f"L {fmt(w)} 1000 L 0 1000 Z",
            fill=p.gradient([(0, light(dust, 0.1)), (1, shade(dust, 0.25))]),
        )
    )
    for _ in range(9):  # craters, flatter and smaller towards the horizon
        y = rng.uniform(690, 990)
        size = 20 + (y - 680) * 0.35
        x = rng.uniform(0, w)
        out.append(
            el(
                "ellipse",
                cx=fmt(x),
                cy=fmt(y),
                rx=fmt(size),
                ry=fmt(size * 0.32),
                fill=p.colour(shade(dust, 0.22)),
            )
        )
        out.append(
            el(
                "path",
                d=f"M {fmt(x - size)} {fmt(y)} A {fmt(size)} {fmt(size * 0.32)} "
                f"0 0 0 {fmt(x + size)} {fmt(y)}",
                fill="none",
                stroke=p.colour(light(dust, 0.25)),
                stroke_width="4",
            )
        )
    return out


def _circle_path(x: float, y: float, r: float) -> str:
    return (
        f"M {fmt(x - r)} {fmt(y)} A {fmt(r)} {fmt(r)} 0 1 0 {fmt(x + r)} {fmt(y)} "
        f"A {fmt(r)} {fmt(r)} 0 1 0 {fmt(x - r)} {fmt(y)} Z"
    )


def plain(p: Painter, rng: np.random.Generator, hue: float) -> list[str]:
    """A soft studio gradient: for character sheets, stickers and clean avatars; in the
    colour said ("pastel pink background"), lighter at the top."""
    said = p.traits.backdrop
    top: RGB = (246, 244, 250)
    bottom: RGB = (218, 214, 232)
    floor: RGB = (200, 196, 215)
    if said is not None:
        top = light(said, 0.35)
        bottom, floor, hue = said, shade(said, 0.18), 0.0
    out = [sky_gradient(p, [(0, top), (1, bottom)], hue)]
    out.append(
        el(
            "ellipse",
            cx=fmt(p.width / 2),
            cy="980",
            rx=fmt(p.width * 0.45),
            ry="60",
            fill=p.colour(floor),
            fill_opacity="0.5" if said is not None else "0.6",
        )
    )
    return out
