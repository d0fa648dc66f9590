"""What every painted background uses: soft radial light, skies and glows."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

import numpy as np

from sakuga.engines.draw.svg import RGB, el, fmt, hue_shift, light, mix, shade
from sakuga.engines.draw.things import Placed, library

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter


def polygon(p: Painter, points: list[tuple[float, float]], colour: RGB, **attrs: object) -> str:
    """A filled polygon through ``points`` (canvas units) in ``colour``."""
    d = "M " + " L ".join(f"{fmt(x)} {fmt(y)}" for x, y in points) + " Z"
    return el("path", d=d, fill=p.colour(colour), **attrs)


def radial(p: Painter, colour: RGB, opacity: float = 1.0) -> str:
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


#: The sky at each time of day (top to horizon); "day" keeps each scene's own sky.
SKIES: Final[dict[str, list[tuple[float, RGB]]]] = {
    "dawn": [(0, (110, 130, 205)), (0.55, (245, 175, 190)), (1, (255, 222, 185))],
    "golden": [(0, (105, 145, 215)), (0.6, (255, 198, 125)), (1, (255, 228, 165))],
    "sunset": [
        (0, (70, 55, 135)),
        (0.45, (225, 95, 90)),
        (0.75, (255, 145, 75)),
        (1, (255, 200, 120)),
    ],
    "dusk": [(0, (28, 28, 88)), (0.6, (105, 78, 158)), (1, (228, 138, 148))],
    "night": [(0, (8, 12, 40)), (0.7, (24, 34, 84)), (1, (48, 58, 118))],
    "moonlit": [(0, (14, 24, 68)), (0.7, (38, 58, 118)), (1, (78, 98, 158))],
}


def sky_gradient(
    p: Painter,
    stops: list[tuple[float, RGB]],
    hue: float,
    *,
    open_sky: bool = False,
    clouds: bool = True,
) -> str:
    """A full-frame gradient. An ``open_sky`` (not a wall or a canopy) follows the
    prompt's time of day: its colours, and the sun low on the horizon or the moon and
    stars; and, said and before dusk, fair-weather clouds high in it (``clouds``:
    unless the place draws its own)."""
    time = p.traits.time
    if open_sky and time in SKIES:
        stops = SKIES[time]
    if open_sky and overcast(p):  # rain and snow fall from a grey sky, not a sunny one
        stops = [(o, mix(c, (150, 158, 172), 0.6)) for o, c in stops]
    storm = open_sky and storm_night(p)
    if storm:  # a stormy night: clouded over, no moon nor stars
        stops = [(o, mix(c, (34, 38, 52), 0.5)) for o, c in stops]
    shifted = [(o, hue_shift(c, hue, p.params.saturation)) for o, c in stops]
    out = el("rect", x="0", y="0", width=fmt(p.width), height="1000", fill=p.gradient(shifted))
    if open_sky and time is not None and not storm:
        out += celestial(p, time)
    if open_sky and clouds and p.traits.clouds and not overcast(p) and not after_dark(p):
        rng = np.random.default_rng(p.variation.background_seed + 7)
        out += "".join(cumulus(p, rng, 4, 110, 430))
    return out


def starfield(
    p: Painter, rng: np.random.Generator, count: int, bottom: float, largest: float = 3.2
) -> list[str]:
    """``count`` white stars of random size and brightness across the canvas's width,
    down to ``bottom`` (canvas units)."""
    return [
        el(
            "circle",
            cx=fmt(rng.uniform(0, p.width)),
            cy=fmt(rng.uniform(0, bottom)),
            r=fmt(rng.uniform(0.8, largest)),
            fill="#ffffff",
            opacity=fmt(float(rng.uniform(0.4, 1))),
        )
        for _ in range(count)
    ]


def cumulus(
    p: Painter, rng: np.random.Generator, count: int, top: float, bottom: float
) -> list[str]:
    """``count`` fair-weather clouds between the heights ``top`` and ``bottom``: white
    puffs on a flat, faintly blue base."""
    out = []
    for _ in range(count):
        cx, cy = rng.uniform(0, p.width), rng.uniform(top, bottom)
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


def storm_night(p: Painter) -> bool:
    """Rain, snow or lightning at night (the moon not said): the sky is clouded over."""
    falling = {"rain", "snow", "lightning"} & set(p.traits.weather)
    return bool(falling) and p.traits.time == "night"


def overcast(p: Painter) -> bool:
    """Rain or snow by day, or an overcast sky said: the sky is clouded over (no sun,
    greyer)."""
    falling = {"rain", "snow"} & set(p.traits.weather)
    return (bool(falling) or p.traits.overcast) and p.traits.time in (None, "day")


def on_light_side(p: Painter, x: float) -> float:
    """``x`` (0–1 across the frame, measured from the left) moved to the side the key
    light comes from, so the sky and the shading on the figure agree (in a mirrored
    scene, painted on the other side: the mirror brings it back)."""
    from_left = (p.variation.light >= 0) != p.variation.mirror
    return x if from_left else 1 - x


def light_x(p: Painter, rng: np.random.Generator) -> float:
    """Where across the frame (0–1) the sun or moon stands: on the key light's side."""
    return on_light_side(p, float(rng.uniform(0.12, 0.36)))


def day_sun(p: Painter, x: float, y: float, r: float, colour: RGB, opacity: float) -> str:
    """The glow of the sun in a daytime sky, ``x`` in from the key light's side; a
    sky at another time of day has its own sun or moon (`celestial`)."""
    if p.traits.time not in (None, "day") or overcast(p):
        return ""
    cx = fmt(p.width * on_light_side(p, x))
    return el("circle", cx=cx, cy=fmt(y), r=fmt(r), fill=radial(p, colour, opacity))


def celestial(p: Painter, time: str) -> str:
    """The sun low and large at dawn, golden hour and sunset; the moon and stars at night."""
    rng = np.random.default_rng(p.variation.background_seed)
    w = p.width
    if time in ("dawn", "golden", "sunset"):
        colour = {"dawn": (255, 215, 200), "golden": (255, 225, 150), "sunset": (255, 170, 90)}
        y = {"dawn": 640, "golden": 560, "sunset": 690}[time]
        cx = w * light_x(p, rng)
        return el("circle", cx=fmt(cx), cy=str(y), r="420", fill=radial(p, colour[time], 0.9)) + (
            el("circle", cx=fmt(cx), cy=str(y), r="70", fill=p.colour(light(colour[time], 0.5)))
        )
    if time in ("night", "moonlit", "dusk"):
        stars = [
            el(
                "circle",
                cx=fmt(rng.uniform(0, w)),
                cy=fmt(rng.uniform(0, 560) ** 1.05),
                r=fmt(rng.uniform(1.2, 3.4)),
                fill="#ffffff",
                opacity=f"{rng.uniform(0.35, 0.95):.2f}",
            )
            for _ in range(12 if time == "dusk" else 70)
        ]
        if time != "dusk":
            mx, my = w * light_x(p, rng), rng.uniform(120, 220)
            if p.traits.pose in ("bust", "half"):  # a head fills the top: the moon by it
                mx = w * on_light_side(p, float(rng.uniform(0.06, 0.13)))
            stars.append(
                el("circle", cx=fmt(mx), cy=fmt(my), r="190", fill=radial(p, (200, 215, 255), 0.5))
            )
            stars.append(el("circle", cx=fmt(mx), cy=fmt(my), r="52", fill="#f4f1e4"))
        return "".join(stars)
    return ""


def path_box(d: str) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) of the points a window's path goes through (its M, L,
    H, V and arc ends, absolute or relative; an arc's bulge is not counted)."""
    x = y = 0.0
    xs: list[float] = []
    ys: list[float] = []
    for command, args in re.findall(r"([MLHVAZmlhvaz])([^MLHVAZmlhvaz]*)", d):
        n = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
        rel = command.islower()
        c = command.upper()
        if c in "ML" and len(n) >= 2:
            x, y = (x + n[0], y + n[1]) if rel else (n[0], n[1])
        elif c == "H" and n:
            x = x + n[0] if rel else n[0]
        elif c == "V" and n:
            y = y + n[0] if rel else n[0]
        elif c == "A" and len(n) >= 7:
            x, y = (x + n[5], y + n[6]) if rel else (n[5], n[6])
        else:
            continue
        xs.append(x)
        ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)


def night_in_windows(
    p: Painter, windows: list[str], head: tuple[float, float, float, float] | None = None
) -> str:
    """The night sky seen through a room's windows after dark: stars in each, and
    the moon (not at dusk) high in the window the ``head`` (its box, in the
    background's own units) hides least, the key light's side first — a window's pane
    alone is only the sky's colour."""
    time = p.traits.time
    if time not in ("dusk", "night", "moonlit") or not windows:
        return ""
    rng = np.random.default_rng(p.variation.background_seed + 7)
    boxes = [path_box(d) for d in windows]
    out = []
    for x0, y0, x1, y1 in boxes:
        for _ in range(4 if time == "dusk" else 14):
            out.append(
                el(
                    "circle",
                    cx=fmt(rng.uniform(x0, x1)),
                    cy=fmt(rng.uniform(y0, y0 + (y1 - y0) * 0.7)),
                    r=fmt(rng.uniform(1.2, 3.0)),
                    fill="#ffffff",
                    opacity=f"{rng.uniform(0.4, 0.95):.2f}",
                )
            )
    if time != "dusk":
        side = p.width * on_light_side(p, 0.2)

        def hidden(b: tuple[float, float, float, float]) -> float:
            if head is None:
                return 0.0
            w = max(0.0, min(b[2], head[2]) - max(b[0], head[0]))
            h = max(0.0, min(b[3], head[3]) - max(b[1], head[1]))
            return w * h / max(1.0, (b[2] - b[0]) * (b[3] - b[1]))

        x0, y0, x1, y1 = min(
            boxes, key=lambda b: (round(hidden(b), 1), abs((b[0] + b[2]) / 2 - side))
        )
        r = max(8.0, min(52.0, (x1 - x0) * 0.22))
        mx, my = (x0 + x1) / 2, y0 + max(r * 1.6, (y1 - y0) * 0.28)
        out.append(el("circle", cx=fmt(mx), cy=fmt(my), r=fmt(r * 3.2),
                      fill=radial(p, (200, 215, 255), 0.45)))  # fmt: skip
        out.append(el("circle", cx=fmt(mx), cy=fmt(my), r=fmt(r), fill="#f4f1e4"))
    return "".join(out)


def glows(
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


#: The light a window lets in at each time of day: (colour, opacity) of its beam.
WINDOW_BEAMS: Final[dict[str, tuple[RGB, float]]] = {
    "day": ((255, 251, 232), 0.25),
    "dawn": ((255, 205, 210), 0.26),
    "golden": ((255, 212, 140), 0.32),
    "sunset": ((255, 160, 90), 0.34),
    "dusk": ((170, 140, 220), 0.12),
    "moonlit": ((150, 175, 255), 0.14),
    "night": ((120, 140, 230), 0.08),
}


def window_beam(p: Painter) -> tuple[RGB, float]:
    """The light a room's windows cast at the prompt's time (`WINDOW_BEAMS`): faint
    under an overcast sky, which has no sun to cast it."""
    colour, opacity = WINDOW_BEAMS[p.traits.time or "day"]
    return colour, opacity * (0.3 if overcast(p) else 1.0)


#: A room's light through its window by day when a time of day is said ("a quiet
#: afternoon", "morning light"): warm sunlight, low and slanting.
SAID_DAYLIGHT: Final[tuple[RGB, float]] = ((255, 214, 140), 0.36)


def light_through(p: Painter, x0: float, x1: float, top: float, floor: float) -> str:
    """A time of day said indoors: its light through a window (from ``x0`` to ``x1``
    along its sill at ``top``), falling slanted down to ``floor`` — by day warm
    sunlight (`SAID_DAYLIGHT`), else the time's own (`WINDOW_BEAMS`). None said, after
    dark or under an overcast sky: none."""
    time = p.traits.time
    if time is None or after_dark(p) or overcast(p):
        return ""
    colour, opacity = SAID_DAYLIGHT if time == "day" else WINDOW_BEAMS[time]
    lean = 300.0 if on_light_side(p, 0.0) < 0.5 else -300.0  # away from the light's side
    d = (
        f"M {fmt(x0)} {fmt(top)} L {fmt(x1)} {fmt(top)} L {fmt(x1 + lean)} {fmt(floor)} "
        f"L {fmt(x0 + lean)} {fmt(floor)} Z"
    )
    return el("path", d=d, fill=p.colour(colour), opacity=f"{opacity:g}")


def window_view(p: Painter, day: list[tuple[float, RGB]], hue: float) -> tuple[str, bool]:
    """The fill of a window's pane: the prompt's sky at its time of day, else the
    scene's own (``day``), grey where the sky is said clouded over (as the open sky is:
    `sky_gradient`); and whether fair-weather clouds belong in it (not after dusk, nor
    in an overcast sky)."""
    time = p.traits.time
    stops = SKIES.get(time or "", day)
    if overcast(p):
        stops = [(o, mix(c, (150, 158, 172), 0.6)) for o, c in stops]
        shifted = [(o, hue_shift(c, hue, p.params.saturation)) for o, c in stops]
        return p.gradient(shifted), False
    shifted = [(o, hue_shift(c, hue, p.params.saturation)) for o, c in stops]
    return p.gradient(shifted), time not in ("dusk", "night", "moonlit")


def clouded_pane(p: Painter, d: str, rng: np.random.Generator) -> str:
    """Grey clouds across a window's pane (the path ``d``) when the sky is said clouded
    over ("castle background, cloudy sky"): a pane of plain sky read as a clear day."""
    if not overcast(p):
        return ""
    x0, y0, x1, y1 = path_box(d)
    clip = p.uid("pane")
    p.defs.append(el("clipPath", [el("path", d=d)], id=clip))
    puffs = []
    for k in range(int(3 + (y1 - y0) // 120)):
        cy = y0 + (k + rng.uniform(0.2, 0.8)) * (y1 - y0) / (3 + (y1 - y0) // 120)
        for _ in range(3):
            puffs.append(el("ellipse", cx=fmt(rng.uniform(x0 - 20, x1 + 20)), cy=fmt(cy),
                            rx=fmt((x1 - x0) * rng.uniform(0.35, 0.6)), ry=fmt(rng.uniform(22, 40)),
                            fill=p.colour((206, 210, 218)), opacity="0.85"))  # fmt: skip
    return el("g", puffs, clip_path=f"url(#{clip})")


def back_wall(p: Painter, colour: RGB, ceiling: float = 0.3) -> str:
    """A room's back wall: the frame filled with ``colour``, ``ceiling`` darker towards
    the top."""
    return el(
        "rect",
        x="0",
        y="0",
        width=fmt(p.width),
        height="1000",
        fill=p.gradient([(0, shade(colour, ceiling)), (1, colour)]),
    )


def after_dark(p: Painter) -> bool:
    """Whether the prompt's time of day is dusk, night or a moonlit night."""
    return p.traits.time in ("dusk", "night", "moonlit")


def furniture(p: Painter, name: str, x: float, bottom: float, size: float) -> str:
    """A library thing standing in a scene (canvas units), facing the middle, restyled
    as every library thing is (`ThingPainter`)."""
    placed = Placed(library()[name], name.replace("-", " "), "background")
    facing_middle = (x < p.width / 2) == (placed.vector.faces < 0)
    return p.thing_at(placed, x, bottom, size, mirror=facing_middle, line=p.line_width * 1.3)
