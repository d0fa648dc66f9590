"""Accessories: headphones, glasses, ears, hats, ribbons, scarves."""

from __future__ import annotations

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.svg import (
    el,
    fmt,
    light,
)


class AccessoryPainter(Canvas):
    """Accessories (a part of `Painter`)."""

    def accessories(self) -> str:
        t = self.traits
        colour = t.accessory_color
        w = self.head_width
        out: list[str] = []
        if "cat_ears" in t.accessories:
            for side in (-1, 1):
                base_x = side * 92
                ear = f"M {base_x - 52} -150 L {base_x + side * 48} -300 L {base_x + 58} -140 Z"
                out.append(self.shape(ear, t.hair_color, t.hair_color))
                inner = f"M {base_x - 26} -158 L {base_x + side * 40} -262 L {base_x + 30} -150 Z"
                out.append(self.shape(inner, (255, 170, 190), None, opacity="0.9"))
        if "hat" in t.accessories:
            out.append(
                self.shape(
                    f"M {-w - 26} -92 C {-w - 30} -290 {w + 30} -290 {w + 26} -92 Z", colour, colour
                )
            )
            out.append(
                self.shape(
                    f"M {-w - 34} -120 L {w + 34} -120 L {w + 36} -78 L {-w - 36} -78 Z",
                    self.shadow(colour, -0.1),
                    colour,
                )
            )
            for i in range(9):
                x = -w - 20 + i * (2 * w + 40) / 8
                out.append(
                    self.stroke(
                        f"M {fmt(x)} -116 L {fmt(x)} -82",
                        self.ink(colour),
                        self.line_width * 0.6,
                        opacity="0.6",
                    )
                )
        if "ribbon" in t.accessories:
            red = colour if colour not in ((32, 32, 40), (255, 255, 255)) else (220, 50, 80)
            cx, cy = w * 0.72, -150
            for side in (-1, 1):
                out.append(
                    self.shape(
                        f"M {cx} {cy} C {cx + side * 40} {cy - 50} {cx + side * 80} {cy - 20} {cx + side * 70} {cy + 12} "
                        f"C {cx + side * 50} {cy + 30} {cx + side * 20} {cy + 10} {cx} {cy} Z",
                        red,
                        red,
                    )
                )
            out.append(
                el(
                    "circle",
                    cx=fmt(cx),
                    cy=fmt(cy),
                    r="14",
                    fill=self.colour(self.shadow(red, -0.1)),
                    stroke=self.ink(red),
                    stroke_width=fmt(self.line_width),
                )
            )
        if "headphones" in t.accessories:
            band = f"M {-w - 30} 10 C {-w - 52} -300 {w + 52} -300 {w + 30} 10"
            out.append(self.stroke(band, self.ink(colour), 26))
            out.append(self.stroke(band, self.colour(colour), 18))
            out.append(
                self.stroke(
                    f"M {-w * 0.7} -200 C {-w * 0.3} -246 {w * 0.3} -246 {w * 0.7} -200",
                    self.colour(light(colour, 0.35)),
                    5,
                    opacity="0.8",
                )
            )
            for side in (-1, 1):
                x = side * (w + 30)
                out.append(
                    el(
                        "rect",
                        x=fmt(x - 30),
                        y="-30",
                        width="60",
                        height="104",
                        rx="24",
                        fill=self.colour(colour),
                        stroke=self.ink(colour),
                        stroke_width=fmt(self.line_width),
                    )
                )
                out.append(
                    el(
                        "rect",
                        x=fmt(x - 30 + (8 if side < 0 else 22)),
                        y="-12",
                        width="12",
                        height="68",
                        rx="6",
                        fill=self.colour(light(colour, 0.3)),
                        opacity="0.8",
                    )
                )
        if "glasses" in t.accessories:
            ew, eh = self.eye_size
            out.append(self.glasses(ew, eh, 30 if t.build != "chibi" else 45, colour))
        if "scarf" in t.accessories:
            scarf = colour if colour != (32, 32, 40) else (200, 60, 60)
            out.append(
                self.shape(
                    "M -110 240 C -60 300 60 300 110 240 L 116 282 C 60 340 -60 340 -116 282 Z",
                    scarf,
                    scarf,
                )
            )
            out.append(
                self.shape(
                    "M 40 300 L 90 300 L 100 470 L 54 470 Z", self.shadow(scarf, -0.05), scarf
                )
            )
        return "".join(out)

    def glasses(self, ew: float, eh: float, ey: float, colour: tuple[int, int, int]) -> str:
        """Glasses over eyes ``ew`` × ``eh`` centred at (±68, ``ey``): two rounded lenses
        and the bridge between them."""
        out = [
            el(
                "rect",
                x=fmt(side * 68 - ew * 0.62),
                y=fmt(ey - eh * 0.5),
                width=fmt(ew * 1.24),
                height=fmt(eh * 0.95),
                rx="22",
                fill="#ffffff",
                fill_opacity="0.12",
                stroke=self.ink(colour),
                stroke_width=fmt(self.line_width * 1.3),
            )
            for side in (-1, 1)
        ]
        out.append(
            self.stroke(
                f"M {-68 + ew * 0.62} {ey} Q 0 {ey - 12} {68 - ew * 0.62} {ey}",
                self.ink(colour),
                self.line_width * 1.3,
            )
        )
        return "".join(out)
