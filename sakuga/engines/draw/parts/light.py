"""The lighting: rim lights on the silhouettes and the light over the whole picture."""

from __future__ import annotations

from typing import Final

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.svg import (
    RGB,
    el,
    hex_,
)

#: Rim lights of each lighting: (colour, offset) for a key light from the image's left
#: (mirrored for one from the right); positive offsets light the left edge.
RIMS: Final[dict[str, list[tuple[RGB, int]]]] = {
    "soft": [((255, 244, 225), -7)],
    "golden": [((255, 190, 110), 9)],
    "neon": [((0, 235, 255), -10), ((255, 50, 200), 10)],
    "moon": [((190, 215, 255), 8)],
    "dawn": [((255, 200, 210), -8)],
    "sunset": [((255, 140, 70), 10)],
    "dusk": [((190, 150, 255), 8)],
    "night": [((120, 150, 255), 8)],
}


class LightPainter(Canvas):
    """The lighting (a part of `Painter`)."""

    def rims(self, turn_head: str, turn_body: str) -> list[str]:
        """Rim lights: the silhouette in the light's colour, shifted, behind the figure,
        so a bright edge shows along the contour on the side the light comes from.
        (Plain shapes: an SVG filter doing the same costs more than the whole drawing.)"""
        out = []
        for colour, dx in RIMS[self.traits.lighting]:
            fill = hex_(colour)
            head = el("g", [el("path", d=d) for d in self.silhouette_head], transform=turn_head)
            body = el("g", [el("path", d=d) for d in self.silhouette_body], transform=turn_body)
            out.append(
                el(
                    "g",
                    [head, body],
                    transform=f"translate({-dx * 1.2 * self.variation.light} 0)",
                    fill=fill,
                    fill_opacity="0.9",
                )
            )
        return out

    def contour(self, turn_head: str, turn_body: str) -> str:
        """The silhouettes of head, hair and body stroked in ink, to go behind the
        figure: an outer line about twice the weight of the lines inside it."""
        ink = self.colour(self.params.ink)
        width = f"{self.line_width * 2.6:.2f}"
        head = el("g", [el("path", d=d) for d in self.silhouette_head], transform=turn_head)
        body = el("g", [el("path", d=d) for d in self.silhouette_body], transform=turn_body)
        return el(
            "g",
            [head, body],
            fill="none",
            stroke=ink,
            stroke_width=width,
            stroke_linejoin="round",
        )

    def lighting(self) -> str:
        """A vignette over everything (the lighting's colour is already in every colour)."""
        vid = self.uid("v")
        self.defs.append(
            el(
                "radialGradient",
                [
                    el("stop", offset="0.55", stop_color="#000000", stop_opacity="0"),
                    el("stop", offset="1", stop_color="#000000", stop_opacity="0.35"),
                ],
                id=vid,
                cx="0.5",
                cy="0.45",
                r="0.75",
            )
        )
        return el("rect", width="100%", height="100%", x="0", y="0", fill=f"url(#{vid})")
