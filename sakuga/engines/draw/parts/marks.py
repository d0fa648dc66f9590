"""What a face carries and the mood over the picture (`catalogue.MARKS`, `catalogue.MOODS`).

Each mark is drawn by the method its entry's ``paint`` names (``_mark_freckles``…), on
the face as it turns; a mood grades the whole picture with blend modes (`Grade`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.catalogue import GRADES, MARKS, MOODS
from sakuga.engines.draw.svg import RGB, el, fmt, hex_, mix

#: Marks drawn over the hair (the ears poke through it); the others are on the face.
OVER_HAIR = frozenset({"elf_ears"})


class MarkPainter(Canvas):
    """Marks and moods (a part of `Painter`)."""

    def marks(self, over_hair: bool = False) -> str:
        """The face's marks: those on the skin (``over_hair`` False, with the features)
        or those that stand out of the hair (the pointed ears)."""
        out: list[str] = []
        for entry in MARKS:
            if entry.paint in self.traits.marks and (entry.paint in OVER_HAIR) == over_hair:
                paint: Callable[[RGB], list[str]] = getattr(self, f"_mark_{entry.paint}")
                out += paint(entry.colour or self.traits.skin)
        return "".join(out)

    def _at(self, x: float, y: float) -> str:
        return fmt(*self.turned(x, y))

    def _mark_freckles(self, c: RGB) -> list[str]:
        rng = np.random.default_rng(7)  # the same freckles in every version
        y0 = self.eye_row + 58
        dots = []
        for side in (-1, 1):
            cx = self.feature_x(side)[0]
            for _ in range(6):
                x = cx + rng.uniform(-26, 26) - side * 8
                y = y0 + rng.uniform(-8, 14)
                r = rng.uniform(2.6, 4.2)
                tx, ty = self.turned(x, y)
                dots.append(f"M {fmt(tx - r)} {fmt(ty)} a {fmt(r)} {fmt(r)} 0 1 0 {fmt(2 * r)} 0 "
                            f"a {fmt(r)} {fmt(r)} 0 1 0 {fmt(-2 * r)} 0 Z")  # fmt: skip
        return [el("path", d=" ".join(dots), fill=self.colour(c), opacity="0.75")]

    def _mark_elf_ears(self, c: RGB) -> list[str]:
        w, skin = self.head_width, self.traits.skin
        out = []
        for side in (-1, 1):
            ear = (
                f"M {self._at(side * (w - 14), -4)} "
                f"Q {self._at(side * (w + 40), -30)} {self._at(side * (w + 92), -92)} "
                f"Q {self._at(side * (w + 48), 14)} {self._at(side * (w - 10), 58)} Z"
            )
            inner = (
                f"M {self._at(side * (w + 4), 8)} "
                f"Q {self._at(side * (w + 40), -24)} {self._at(side * (w + 70), -66)}"
            )
            out.append(self.shape(ear, skin, skin))
            out.append(self.stroke(inner, self.colour(self.shadow(skin, 0.1)), self.line_width))
        return out

    def _mark_odd_eyes(self, c: RGB) -> list[str]:
        return []  # the eye itself takes the colour (`Traits.odd_eye`)

    def _mark_plaster(self, c: RGB) -> list[str]:
        x = self.feature_x(-1)[0] * 1.2
        tx, ty = self.turned(x, self.eye_row + 86)
        pad = self.colour(mix(c, (255, 255, 255), 0.45))
        return [
            el(
                "g",
                [
                    self.shape("M -26 -9 h 52 a 9 9 0 0 1 0 18 h -52 a 9 9 0 0 1 0 -18 Z", c, c),
                    el("rect", x="-9", y="-7", width="18", height="14", rx="3", fill=pad),
                ],
                transform=f"translate({fmt(tx)} {fmt(ty)}) rotate(-24)",
            )
        ]

    def _mark_eyepatch(self, c: RGB) -> list[str]:
        ex = self.feature_x(1)[0]
        ey = self.eye_row
        ew, eh = self.eye_size
        w = self.head_width
        strap = self.stroke(
            f"M {self._at(-w, -60)} L {self._at(ex, ey)} L {self._at(w, ey + 20)}",
            self.colour(c),
            self.line_width * 2.2,
        )
        patch = (
            f"M {self._at(ex - ew * 0.62, ey - eh * 0.42)} "
            f"Q {self._at(ex, ey - eh * 0.62)} {self._at(ex + ew * 0.62, ey - eh * 0.42)} "
            f"Q {self._at(ex + ew * 0.7, ey + eh * 0.5)} {self._at(ex, ey + eh * 0.62)} "
            f"Q {self._at(ex - ew * 0.7, ey + eh * 0.5)} {self._at(ex - ew * 0.62, ey - eh * 0.42)} Z"
        )
        return [strap, self.shape(patch, c, c)]

    def _mark_mole(self, c: RGB) -> list[str]:
        x = self.feature_x(1)[0] - 6  # under the eye's inner half, clear of a tear
        tx, ty = self.turned(x, self.eye_row + 62)
        return [el("circle", cx=fmt(tx), cy=fmt(ty), r="4", fill=self.colour(c))]

    def _mark_scar(self, c: RGB) -> list[str]:
        ex = self.feature_x(-1)[0]
        y = self.eye_row
        line = f"M {self._at(ex - 34, y + 52)} L {self._at(ex + 18, y + 100)}"
        stitches = " ".join(
            f"M {self._at(ex - 24 + k * 16 - 7, y + 70 + k * 15 + 7)} "
            f"L {self._at(ex - 24 + k * 16 + 7, y + 70 + k * 15 - 7)}"
            for k in range(2)
        )
        return self._scar(line, stitches, c)

    def _mark_eye_scar(self, c: RGB) -> list[str]:
        """A scar straight down over one eye, from the brow to the cheek (the
        character's left eye: on the picture's right), as a swordsman's is drawn."""
        ex = self.feature_x(1)[0] + 6
        y = self.eye_row
        line = f"M {self._at(ex - 8, y - 62)} L {self._at(ex + 10, y + 70)}"
        stitches = " ".join(
            f"M {self._at(ex - 12 + k * 3, y - 40 + k * 80)} L {self._at(ex + 12 + k * 3, y - 44 + k * 80)}"
            for k in range(2)
        )
        return self._scar(line, stitches, c)

    def _scar(self, line: str, stitches: str, c: RGB) -> list[str]:
        """A scar's line and the stitches across it, in its colour."""
        colour = self.colour(c)
        return [
            self.stroke(line, colour, self.line_width * 1.4),
            self.stroke(stitches, colour, self.line_width * 0.9),
        ]

    def _mark_fang(self, c: RGB) -> list[str]:
        y = self.mouth_row
        tooth = f"M {self._at(10, y + 3)} L {self._at(24, y + 1)} L {self._at(18, y + 16)} Z"
        return [self.shape(tooth, c, c, self.line_width * 0.6)]

    # ---- the mood --------------------------------------------------------------------

    def grade(self) -> str:
        """The moods said, over the whole picture: the first in full, any other at half
        (a "melancholic but hopeful" picture leans to the first)."""
        out: list[str] = []
        w = fmt(self.width)
        for i, entry in enumerate(e for e in MOODS if e.paint in self.traits.moods):
            k = 1.0 if entry.paint == self.traits.moods[0] else 0.5
            g = GRADES[entry.paint]

            def veil(colour: RGB, amount: float, blend: str) -> str:
                return el(
                    "rect",
                    x="0",
                    y="0",
                    width=w,
                    height="1000",
                    fill=hex_(colour),
                    opacity=f"{amount:.3f}",
                    style=f"mix-blend-mode:{blend}",
                )

            if g.desaturate:
                out.append(veil((128, 128, 128), g.desaturate * k, "saturation"))
            if g.tint and entry.colour is not None:
                out.append(veil(entry.colour, g.tint * k, "soft-light"))
            if g.dim and entry.colour is not None:
                out.append(veil(mix(entry.colour, (255, 255, 255), 0.5), g.dim * k, "multiply"))
            if g.lift:
                out.append(veil(g.lift_colour, g.lift * k, "screen"))
            if g.shade:
                vid = self.uid(f"mood{i}")
                self.defs.append(
                    el(
                        "radialGradient",
                        [
                            el("stop", offset="0.35", stop_color="#000000", stop_opacity="0"),
                            el(
                                "stop",
                                offset="1",
                                stop_color="#0a0a14",
                                stop_opacity=f"{g.shade * k:.3f}",
                            ),
                        ],
                        id=vid,
                        cx="0.5",
                        cy="0.42",
                        r="0.8",
                    )
                )
                out.append(el("rect", x="0", y="0", width=w, height="1000", fill=f"url(#{vid})"))
        return "".join(out)
