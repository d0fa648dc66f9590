"""What every painted background uses: soft radial light, skies and glows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sakuga.engines.draw.svg import RGB, el, fmt, hue_shift, light

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Painter


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


def sky_gradient(p: Painter, stops: list[tuple[float, RGB]], hue: float) -> str:
    shifted = [(o, hue_shift(c, hue, p.params.saturation)) for o, c in stops]
    return el("rect", x="0", y="0", width=fmt(p.width), height="1000", fill=p.gradient(shifted))


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
