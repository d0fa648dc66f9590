"""Headwear drawn on the head, one method per kind (`_headwear_<kind>`, named by the
catalogue's entry): a beanie, straw and brimmed hats, a witch's hat, a top hat, a chef's
toque, a fedora, a nurse's cap, a cap, a beret, a helmet and a hood.
Figure units, as every part's."""

from __future__ import annotations

from collections.abc import Callable

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.catalogue import HEADWEAR
from sakuga.engines.draw.svg import (
    RGB,
    el,
    fmt,
)


class HeadwearPainter(Canvas):
    def headwear(self) -> str:
        """The headwear the prompt names (`catalogue.HEADWEAR`), each kind its own
        shape — drawn by the method its entry's `paint` names — in its own colour:
        over the front hair, the crown of the head covered."""
        t = self.traits
        entry = next(e for e in HEADWEAR if e.name == t.headwear)
        c, w = t.headwear_color, self.head_width
        paint: Callable[[RGB, float], list[str]] = getattr(self, f"_headwear_{entry.paint}")
        return "".join(paint(c, w))

    def _headwear_beanie(self, c: RGB, w: float) -> list[str]:
        """A knit beanie: a dome over the crown and a ribbed band."""
        dark = self.shadow(c, -0.05)
        out: list[str] = []
        out.append(
            self.shape(f"M {-w - 26} -92 C {-w - 30} -300 {w + 30} -300 {w + 26} -92 Z", c, c)
        )
        out.append(
            self.shape(
                f"M {-w - 34} -120 L {w + 34} -120 L {w + 36} -78 L {-w - 36} -78 Z", dark, c
            )
        )
        for i in range(9):
            x = -w - 20 + i * (2 * w + 40) / 8
            out.append(
                self.stroke(
                    f"M {fmt(x)} -116 L {fmt(x)} -82",
                    self.ink(c),
                    self.line_width * 0.6,
                    opacity="0.6",
                )
            )
        return out

    def _headwear_straw(self, c: RGB, w: float) -> list[str]:
        return self._brimmed(c, w, straw=True)

    def _headwear_brim(self, c: RGB, w: float) -> list[str]:
        return self._brimmed(c, w, straw=False)

    def _brimmed(self, c: RGB, w: float, straw: bool) -> list[str]:
        """A hat with a brim: a straw hat (a red band, the weave) or a sun hat (a
        wider, softer brim that falls at the sides)."""
        out: list[str] = []
        reach = w + (100 if straw else 120)
        droop = 14 if straw else 34  # a sun hat's soft brim falls
        out.append(
            self.shape(
                f"M {-reach} {-120 + droop} C {-reach + 20} -200 {reach - 20} -200 {reach} {-120 + droop} "
                f"C {reach - 60} -100 {-reach + 60} -100 {-reach} {-120 + droop} Z",
                c,
                c,
            )
        )
        out.append(self.shape(f"M {-w + 10} -150 C {-w} -330 {w} -330 {w - 10} -150 Z", c, c))
        band = (200, 40, 50) if straw else self.shadow(c, 0.15)
        out.append(
            self.shape(
                f"M {-w + 8} -178 C 0 -190 0 -190 {w - 8} -178 L {w - 10} -150 C 0 -160 0 -160 {-w + 10} -150 Z",
                band,
                band,
            )
        )
        if straw:  # the weave
            for y in (-210, -240):
                out.append(
                    self.stroke(
                        f"M {-w + 30} {y} Q 0 {y - 14} {w - 30} {y}",
                        self.ink(c),
                        self.line_width * 0.5,
                        opacity="0.45",
                    )
                )
            out.append(
                self.stroke(
                    f"M {-reach + 40} -125 Q 0 -175 {reach - 40} -125",
                    self.ink(c),
                    self.line_width * 0.5,
                    opacity="0.45",
                )
            )
        return out

    def _headwear_witch(self, c: RGB, w: float) -> list[str]:
        """A witch hat: a wide brim and a tall cone bending to one side, with a band."""
        out: list[str] = []
        out.append(
            self.shape(
                f"M {-w - 90} -150 C {-w - 40} -205 {w + 40} -205 {w + 90} -150 C {w + 20} -120 {-w - 20} -120 {-w - 90} -150 Z",
                c,
                c,
            )
        )
        out.append(
            self.shape(
                f"M {-w + 20} -170 C -60 -330 -10 -470 {w * 0.9} -520 C 40 -420 60 -300 {w - 20} -170 Z",
                c,
                c,
            )
        )
        band = (150, 90, 200) if sum(c) < 300 else self.shadow(c, 0.2)
        out.append(
            self.shape(
                f"M {-w + 18} -200 C 0 -214 0 -214 {w - 22} -200 L {w - 20} -172 C 0 -184 0 -184 {-w + 20} -172 Z",
                band,
                band,
            )
        )
        return out

    def _headwear_top(self, c: RGB, w: float) -> list[str]:
        """A top hat: a narrow brim, a tall cylinder, a band."""
        out: list[str] = []
        out.append(
            self.shape(
                f"M {-w - 50} -160 C {-w - 30} -190 {w + 30} -190 {w + 50} -160 C {w + 20} -138 {-w - 20} -138 {-w - 50} -160 Z",
                c,
                c,
            )
        )
        out.append(
            self.shape(
                f"M {-w + 14} -170 L {-w + 4} -440 C 0 -456 0 -456 {w - 4} -440 L {w - 14} -170 Z",
                c,
                c,
            )
        )
        out.append(
            self.shape(
                f"M {-w + 12} -214 L {w - 12} -214 L {w - 14} -176 L {-w + 14} -176 Z",
                self.shadow(c, 0.2),
                c,
            )
        )
        return out

    def _headwear_toque(self, c: RGB, w: float) -> list[str]:
        """A chef's toque: a pleated band and a tall puffed crown above it."""
        out: list[str] = []
        out.append(
            self.shape(
                f"M {-w + 6} -150 C {-w - 70} -260 {-w + 10} -420 {-w * 0.35} -400 "
                f"C {-w * 0.2} -470 {w * 0.2} -470 {w * 0.35} -400 "
                f"C {w - 10} -420 {w + 70} -260 {w - 6} -150 Z",
                c,
                c,
            )
        )
        out.append(
            self.shape(f"M {-w - 6} -190 L {w + 6} -190 L {w + 2} -104 L {-w - 2} -104 Z", c, c)
        )
        for x in (-w * 0.45, 0, w * 0.45):  # the pleats
            out.append(
                self.stroke(
                    f"M {fmt(x)} -186 L {fmt(x * 1.1)} -108",
                    self.ink(c),
                    self.line_width * 0.6,
                    opacity="0.45",
                )
            )
        return out

    def _headwear_fedora(self, c: RGB, w: float) -> list[str]:
        """A fedora (a detective's): a wide brim turned down at the front, a creased crown
        and a dark band."""
        out: list[str] = []
        out.append(
            self.shape(
                f"M {-w - 110} -128 C {-w - 60} -176 {w + 60} -176 {w + 110} -128 "
                f"C {w + 40} -104 {-w - 40} -104 {-w - 110} -128 Z",
                c,
                c,
            )
        )
        out.append(
            self.shape(
                f"M {-w + 4} -140 C {-w} -250 {-w * 0.4} -300 0 -272 "
                f"C {w * 0.4} -300 {w} -250 {w - 4} -140 Z",
                c,
                c,
            )
        )
        out.append(
            self.shape(
                f"M {-w + 2} -176 L {w - 2} -176 L {w - 4} -146 L {-w + 4} -146 Z",
                self.shadow(c, 0.35),
                c,
            )
        )
        return out

    def _headwear_cowboy(self, c: RGB, w: float) -> list[str]:
        """A cowboy hat: a wide brim curled up at both sides, a tall crown pinched into
        two lobes with a dent down its middle, and a dark band."""
        reach = w + 120
        out = [
            self.shape(
                f"M {-reach} -206 C {-reach + 20} -150 {-w} -128 0 -126 "
                f"C {w} -128 {reach - 20} -150 {reach} -206 "
                f"C {reach - 40} -170 {w + 20} -158 0 -158 "
                f"C {-w - 20} -158 {-reach + 40} -170 {-reach} -206 Z",
                c,
                c,
            ),  # the brim, its sides rolled up
            self.shape(
                f"M {-w + 6} -150 C {-w} -250 {-w * 0.55} -318 {-w * 0.2} -296 "
                f"Q 0 -272 {w * 0.2} -296 C {w * 0.55} -318 {w} -250 {w - 6} -150 Z",
                c,
                c,
            ),  # the crown, pinched at the top
            self.shape(
                f"M {-w + 3} -186 C 0 -196 0 -196 {w - 3} -186 L {w - 5} -152 "
                f"C 0 -162 0 -162 {-w + 5} -152 Z",
                self.shadow(c, 0.4),
                c,
            ),
            self.stroke(
                "M 0 -280 Q 6 -240 0 -200", self.ink(c), self.line_width * 0.7, opacity="0.6"
            ),  # the crease down the crown
        ]
        return out

    def _headwear_nurse(self, c: RGB, w: float) -> list[str]:
        """A nurse's cap: a small folded white cap on the crown, with a red cross."""
        out = [
            self.shape(
                f"M {-w * 0.62} -190 L {-w * 0.5} -262 L {w * 0.5} -262 L {w * 0.62} -190 "
                f"Q 0 -170 {-w * 0.62} -190 Z",
                c,
                c,
            )
        ]
        red = (214, 50, 60)
        out.append(self.shape("M -8 -246 h 16 v 14 h 14 v 16 h -14 v 14 h -16 v -14 h -14 "
                              "v -16 h 14 Z", red, None))  # fmt: skip
        return out

    def _headwear_cap(self, c: RGB, w: float) -> list[str]:
        """A baseball cap: the dome, its seam and button, and (seen from the front) the
        visor over the brow."""
        dark = self.shadow(c, -0.05)
        back = self.traits.facing == "back"
        out: list[str] = []
        out.append(
            self.shape(f"M {-w - 20} -104 C {-w - 24} -300 {w + 24} -300 {w + 20} -104 Z", c, c)
        )
        out.append(
            self.stroke("M 0 -262 L 0 -110", self.ink(c), self.line_width * 0.6, opacity="0.5")
        )
        out.append(el("circle", cx="0", cy="-262", r="10", fill=self.colour(dark)))
        if not back:  # the visor, seen from the front: a curved bill over the brow
            out.append(
                self.shape(
                    f"M {-w - 6} -112 C {-w * 0.5} -70 {w * 0.5} -70 {w + 6} -112 C {w * 0.6} -140 {-w * 0.6} -140 {-w - 6} -112 Z",
                    dark,
                    c,
                )
            )
        return out

    def _headwear_peaked(self, c: RGB, w: float) -> list[str]:
        """A peaked cap (a pilot's, a captain's, an officer's): a flat crown wider than
        the head, a band, a black visor over the brow and a gold badge on the front."""
        band = self.shadow(c, 0.25)
        gold = (226, 186, 80)
        back = self.traits.facing == "back"
        out: list[str] = [
            self.shape(
                f"M {-w - 10} -118 C {-w - 30} -190 {-w - 70} -250 {-w - 40} -268 "
                f"C {-w * 0.4} -300 {w * 0.4} -300 {w + 40} -268 "
                f"C {w + 70} -250 {w + 30} -190 {w + 10} -118 Z",
                c,
                c,
            ),
            self.shape(
                f"M {-w - 10} -170 L {w + 10} -170 L {w + 10} -116 L {-w - 10} -116 Z", band, c
            ),
        ]
        if not back:
            out.append(
                self.shape(
                    f"M {-w} -118 C {-w * 0.5} -74 {w * 0.5} -74 {w} -118 "
                    f"C {w * 0.5} -100 {-w * 0.5} -100 {-w} -118 Z",
                    (26, 26, 32),
                    (26, 26, 32),
                )
            )
            out.append(
                self.shape(
                    "M 0 -250 L 22 -214 L 0 -180 L -22 -214 Z", gold, gold, self.line_width * 0.6
                )
            )
            out.append(
                self.stroke(
                    f"M {-w * 0.6} -122 L {w * 0.6} -122", self.colour(gold), self.line_width * 1.2
                )
            )
        return out

    def _headwear_tricorn(self, c: RGB, w: float) -> list[str]:
        """A tricorn: a low crown, its wide brim turned up into three corners — one to
        each side, one dipping over the brow — edged in gold braid."""
        gold = (218, 180, 86)
        lw = self.line_width
        crown = f"M {-w + 6} -150 C {-w} -300 {w} -300 {w - 6} -150 Z"
        brim = (
            f"M {-w - 96} -236 Q {-w * 0.5} -150 0 -104 Q {w * 0.5} -150 {w + 96} -236 "
            f"Q {w * 0.6} -214 {w * 0.42} -262 Q 0 -196 {-w * 0.42} -262 "
            f"Q {-w * 0.6} -214 {-w - 96} -236 Z"
        )
        edge = f"M {-w - 96} -236 Q {-w * 0.5} -150 0 -104 Q {w * 0.5} -150 {w + 96} -236"
        return [
            self.shape(crown, self.shadow(c, 0.1), c),
            self.shape(brim, c, c),
            self.stroke(edge, self.colour(gold), lw * 1.6),
        ]

    def _headwear_beret(self, c: RGB, w: float) -> list[str]:
        """A beret: a soft flat disc tilted on the head, with its little stalk."""
        dark = self.shadow(c, -0.05)
        out: list[str] = []
        out.append(
            el(
                "g",
                [
                    self.shape(
                        f"M {-w - 40} -150 C {-w - 60} -300 {w + 50} -320 {w + 60} -190 C {w + 40} -140 {-w} -120 {-w - 40} -150 Z",
                        c,
                        c,
                    ),
                    self.shape(
                        f"M {-w - 20} -150 C {-w + 40} -170 {w - 20} -172 {w + 40} -178 C {w} -140 {-w} -128 {-w - 20} -150 Z",
                        dark,
                        None,
                        opacity="0.7",
                    ),
                    el("circle", cx="10", cy="-296", r="9", fill=self.colour(dark)),
                ],
                transform="rotate(-8 0 -200)",
            )
        )
        return out

    def _headwear_helmet(self, c: RGB, w: float) -> list[str]:
        """A helmet: a shell to the ears, a brow band and a gloss line."""
        dark = self.shadow(c, -0.05)
        lit = self.lit(c, 0.12)
        out: list[str] = []
        out.append(
            self.shape(
                f"M {-w - 36} 10 C {-w - 50} -330 {w + 50} -330 {w + 36} 10 L {w + 6} 10 C {w} -120 {-w} -120 {-w - 6} 10 Z",
                c,
                c,
            )
        )
        out.append(
            self.shape(
                f"M {-w - 20} -140 C {-w * 0.4} -160 {w * 0.4} -160 {w + 20} -140 L {w + 14} -112 C {w * 0.4} -132 {-w * 0.4} -132 {-w - 14} -112 Z",
                dark,
                c,
            )
        )
        out.append(
            self.stroke(
                f"M {-w * 0.5} -250 Q 0 -286 {w * 0.5} -250",
                self.colour(lit),
                self.line_width * 2,
                opacity="0.8",
            )
        )
        return out

    def _headwear_hood(self, c: RGB, w: float) -> list[str]:
        """A hood: a band around the face, open at the front (closed seen from behind)."""
        back = self.traits.facing == "back"
        out: list[str] = []
        opening = (
            ""
            if back
            else f" L {w - 2} 240 L {w - 2} 30 C {w + 4} -290 {-w - 4} -290 {-w + 2} 30"
            f" L {-w + 2} 240"
        )
        out.append(
            self.shape(
                f"M {-w - 64} 240 C {-w - 84} -370 {w + 84} -370 {w + 64} 240{opening} Z", c, c
            )
        )
        return out
