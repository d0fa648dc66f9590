"""Weather over the whole frame: rain, snow, falling petals or leaves, fog."""

from __future__ import annotations

from typing import Final

import numpy as np

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.svg import el, fmt

#: The weather that stays outside a room (the rest is in the air wherever she is).
OUTSIDE: Final = frozenset({"rain", "snow", "fog", "wind", "petals", "leaves", "lightning"})


class WeatherPainter(Canvas):
    """The weather (a part of `Painter`): in front of everything, so it falls across
    the figure as well as the scene."""

    def lightning(self, rng: np.random.Generator) -> str:
        """A bolt of lightning down the sky on the side away from the figure's head: a
        jagged white stroke with a fork, in a violet glow, and the flash it throws."""
        w = self.width
        x = w * (0.88 if self.variation.mirror else 0.12) + rng.uniform(-40, 40)
        points = [(x, -10.0)]
        y = -10.0
        while y < 560:
            y += rng.uniform(50, 90)
            x += rng.uniform(-55, 55)
            points.append((x, y))
        fork = points[len(points) // 2]
        branch = [fork, (fork[0] + 70, fork[1] + 60), (fork[0] + 60, fork[1] + 140)]
        d = " ".join(
            ("M " if i == 0 else "L ") + f"{fmt(px)} {fmt(py)}" for i, (px, py) in enumerate(points)
        )
        d += " M " + " L ".join(f"{fmt(px)} {fmt(py)}" for px, py in branch)
        flash = el("rect", x="0", y="0", width=fmt(w), height="1000", fill="#e8e4ff", opacity="0.1")
        glow = self.stroke(d, "#b9a8ff", 22, opacity="0.35")
        core = self.stroke(d, "#fbfaff", 6)
        return flash + glow + core

    def weather(
        self, outside: bool | None = None, face: tuple[int, int, int, int] | None = None
    ) -> str:
        """The weather and the effects in the air; ``outside`` True: only the weather
        (rain, snow, fog, wind, falling petals and leaves: a room shows it through its
        windows), False: only the effects (sparkles, hearts, bubbles…, in the room).
        ``face``: the head's box (x0, y0, x1, y1, canvas units), which the wind's
        swooshes pass by (across a face they read as whiskers)."""
        rng = np.random.default_rng(self.variation.background_seed + 1)
        said = self.traits.weather
        kinds = {k for k in said if outside is None or (k in OUTSIDE) == outside}
        w = self.width
        out: list[str] = []
        if "fog" in kinds:
            out.append(
                el(
                    "rect",
                    x="0",
                    y="0",
                    width=fmt(w),
                    height="1000",
                    fill=self.gradient([(0, (235, 238, 245)), (1, (250, 250, 252))]),
                    opacity="0.35",
                )
            )
        if "lightning" in kinds:
            out.append(self.lightning(rng))
        if "rain" in kinds:
            # A grey veil, then streaks slanting with the wind, in two depths.
            out.append(
                el(
                    "rect",
                    x="0",
                    y="0",
                    width=fmt(w),
                    height="1000",
                    fill="#50607a",
                    opacity="0.18",
                )
            )
            # Far streaks (many, short, thin), then near ones (few, long, thicker).
            for count, length, width, opacity in (
                (140, 70, 1.6, 0.35),
                (60, 120, 2.6, 0.5),
            ):
                streaks = []
                for _ in range(count):
                    x, y = rng.uniform(-100, w + 100), rng.uniform(-100, 1000)
                    length_i = length * rng.uniform(0.7, 1.3)
                    streaks.append(f"M {fmt(x)} {fmt(y)} l {fmt(-length_i * 0.25)} {fmt(length_i)}")
                out.append(
                    el(
                        "path",
                        d=" ".join(streaks),
                        stroke="#dce8f8",
                        stroke_width=fmt(width),
                        stroke_linecap="round",
                        opacity=f"{opacity:.2f}",
                        fill="none",
                    )
                )
        if "snow" in kinds:
            for _ in range(150):
                out.append(
                    el(
                        "circle",
                        cx=fmt(rng.uniform(0, w)),
                        cy=fmt(rng.uniform(0, 1000)),
                        r=fmt(rng.uniform(2.5, 9)),
                        fill="#ffffff",
                        opacity=f"{rng.uniform(0.55, 0.95):.2f}",
                    )
                )
        for kind, colours in (
            ("petals", ((255, 190, 210), (255, 215, 228))),
            ("leaves", ((230, 120, 50), (200, 70, 40), (240, 170, 60))),
        ):
            if kind not in kinds:
                continue
            for _ in range(55):
                x, y = rng.uniform(0, w), rng.uniform(0, 1000)
                size = rng.uniform(8, 16)
                colour = colours[int(rng.integers(len(colours)))]
                out.append(
                    el(
                        "ellipse",
                        cx="0",
                        cy="0",
                        rx=fmt(size),
                        ry=fmt(size * 0.55),
                        fill=self.colour(colour),
                        opacity="0.9",
                        transform=f"translate({fmt(x)} {fmt(y)}) rotate({fmt(rng.uniform(0, 180))})",
                    )
                )
        if "sparkles" in kinds:
            for _ in range(26):
                x, y = rng.uniform(0, w), rng.uniform(0, 1000)
                r = rng.uniform(10, 26)
                star = (
                    f"M {fmt(x)} {fmt(y - r)} Q {fmt(x)} {fmt(y)} {fmt(x + r)} {fmt(y)} "
                    f"Q {fmt(x)} {fmt(y)} {fmt(x)} {fmt(y + r)} Q {fmt(x)} {fmt(y)} {fmt(x - r)} {fmt(y)} "
                    f"Q {fmt(x)} {fmt(y)} {fmt(x)} {fmt(y - r)} Z"
                )
                out.append(
                    el("path", d=star, fill="#fffbe6", opacity=f"{rng.uniform(0.6, 0.95):.2f}")
                )
        if "confetti" in kinds:
            bright = (
                (255, 90, 140),
                (255, 210, 80),
                (90, 200, 255),
                (150, 230, 120),
                (200, 130, 255),
            )
            for _ in range(70):
                x, y = rng.uniform(0, w), rng.uniform(0, 1000)
                colour = bright[int(rng.integers(len(bright)))]
                out.append(
                    el(
                        "rect",
                        x="-8",
                        y="-4",
                        width="16",
                        height="8",
                        fill=self.colour(colour),
                        transform=f"translate({fmt(x)} {fmt(y)}) rotate({fmt(rng.uniform(0, 180))})",
                    )
                )
        if "hearts" in kinds:  # hearts floating up, pink to red
            for _ in range(16):
                x, y = rng.uniform(0, w), rng.uniform(0, 1000)
                r = rng.uniform(20, 44)
                heart = (
                    f"M 0 {fmt(r * 0.9)} C {fmt(-r * 1.3)} {fmt(-r * 0.1)} {fmt(-r * 0.6)} "
                    f"{fmt(-r * 1.1)} 0 {fmt(-r * 0.35)} C {fmt(r * 0.6)} {fmt(-r * 1.1)} "
                    f"{fmt(r * 1.3)} {fmt(-r * 0.1)} 0 {fmt(r * 0.9)} Z"
                )
                colour = ((255, 120, 160), (255, 170, 200), (240, 70, 110))[int(rng.integers(3))]
                out.append(
                    el(
                        "path",
                        d=heart,
                        fill=self.colour(colour),
                        opacity=f"{rng.uniform(0.6, 0.9):.2f}",
                        transform=f"translate({fmt(x)} {fmt(y)}) rotate({fmt(rng.uniform(-20, 20))})",
                    )
                )
        if "bubbles" in kinds:  # clear rings with a highlight
            for _ in range(30):
                x, y = rng.uniform(0, w), rng.uniform(0, 1000)
                r = rng.uniform(10, 40)
                out.append(
                    el(
                        "circle",
                        cx=fmt(x),
                        cy=fmt(y),
                        r=fmt(r),
                        fill="#e8f6ff",
                        fill_opacity="0.15",
                        stroke="#ffffff",
                        stroke_width=fmt(max(1.5, r * 0.12)),
                        stroke_opacity="0.8",
                    )
                )
                out.append(
                    el(
                        "circle",
                        cx=fmt(x - r * 0.4),
                        cy=fmt(y - r * 0.4),
                        r=fmt(r * 0.2),
                        fill="#ffffff",
                        opacity="0.9",
                    )
                )
        for kind, count, colour, sizes in (
            ("fireflies", 30, (230, 255, 110), (5.0, 9.0)),
            ("motes", 40, (255, 250, 230), (4.0, 13.0)),
        ):
            if kind not in kinds:
                continue
            gid = self.uid(kind)
            self.defs.append(
                el(
                    "radialGradient",
                    [
                        el("stop", offset="0", stop_color=self.colour(colour), stop_opacity="1"),
                        el(
                            "stop",
                            offset="0.35",
                            stop_color=self.colour(colour),
                            stop_opacity="0.7",
                        ),
                        el("stop", offset="1", stop_color=self.colour(colour), stop_opacity="0"),
                    ],
                    id=gid,
                )
            )
            for _ in range(count):
                r = rng.uniform(*sizes) * 2.5  # the glow around the point of light
                out.append(
                    el(
                        "circle",
                        cx=fmt(rng.uniform(0, w)),
                        cy=fmt(rng.uniform(0, 1000) if kind == "motes" else rng.uniform(300, 1000)),
                        r=fmt(r),
                        fill=f"url(#{gid})",
                        opacity=f"{rng.uniform(0.5, 0.95):.2f}",
                    )
                )
        if "wind" in kinds:  # anime wind: long swooshes across the frame
            for _ in range(7):
                wy = rng.uniform(80, 920)
                x0 = rng.uniform(-200, w * 0.4)
                span = rng.uniform(w * 0.3, w * 0.6)
                bend = rng.uniform(-60, 60)
                if face is not None and x0 < face[2] and x0 + span > face[0]:
                    # Across the head's column: moved above or below it, where there is room.
                    room = [(80.0, face[1] - 40), (face[3] + 40, 920.0)]
                    room = [(a, b) for a, b in room if b - a > 60]
                    if not room:
                        continue
                    a, b = room[int(rng.integers(len(room)))]
                    wy = rng.uniform(a, b)
                out.append(
                    self.stroke(
                        f"M {fmt(x0)} {fmt(wy)} q {fmt(span / 2)} {fmt(bend)} {fmt(span)} {fmt(-bend / 2)}",
                        "#ffffff",
                        rng.uniform(2, 5),
                        opacity=f"{rng.uniform(0.45, 0.8):.2f}",
                    )
                )
        return "".join(out)
