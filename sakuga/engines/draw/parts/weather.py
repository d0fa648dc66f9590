"""Weather over the whole frame: rain, snow, falling petals or leaves, fog."""

from __future__ import annotations

import numpy as np

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.svg import el, fmt


class WeatherPainter(Canvas):
    """The weather (a part of `Painter`): in front of everything, so it falls across
    the figure as well as the scene."""

    def weather(self) -> str:
        rng = np.random.default_rng(self.variation.background_seed + 1)
        w = self.width
        out: list[str] = []
        if "fog" in self.traits.weather:
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
        if "rain" in self.traits.weather:
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
        if "snow" in self.traits.weather:
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
            if kind not in self.traits.weather:
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
        if "sparkles" in self.traits.weather:
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
        if "confetti" in self.traits.weather:
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
        if "wind" in self.traits.weather:  # anime wind: long swooshes across the frame
            for _ in range(7):
                wy = rng.uniform(80, 920)
                x0 = rng.uniform(-200, w * 0.4)
                span = rng.uniform(w * 0.3, w * 0.6)
                bend = rng.uniform(-60, 60)
                out.append(
                    self.stroke(
                        f"M {fmt(x0)} {fmt(wy)} q {fmt(span / 2)} {fmt(bend)} {fmt(span)} {fmt(-bend / 2)}",
                        "#ffffff",
                        rng.uniform(2, 5),
                        opacity=f"{rng.uniform(0.45, 0.8):.2f}",
                    )
                )
        return "".join(out)
