"""The hair: the mass behind the head, the bangs and strands in front."""

from __future__ import annotations

import math

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.svg import (
    RGB,
    el,
    fmt,
    light,
)


class HairPainter(Canvas):
    """The hair (a part of `Painter`)."""

    def back_hair(self) -> str:
        t = self.traits
        if t.bald:  # the skull behind the face, which covers it from the brow down
            return self._bare_skull(sheen=False)
        hair = t.hair_color
        dark = self.deep(hair)
        w = self.head_width
        out: list[str] = []
        if t.hair_style == "long" and t.waves:
            d = self._wavy_sheet(w, 560.0)
            out.append(self.shape(d, dark, hair))
            out.extend(self._wavy_strands(w, 540.0, hair))
        elif t.hair_style == "bob" and t.waves:
            d = self._wavy_sheet(w, 205.0, top=-40.0, spread=36.0)
            out.append(self.shape(d, dark, hair))
        elif t.hair_style == "long":
            d = (
                f"M {-w - 25} -60 C {-w - 60} 120 {-w - 90} 330 {-w - 60} 560 "
                f"L {w + 60} 560 C {w + 90} 330 {w + 60} 120 {w + 25} -60 Z"
            )
            out.append(self.shape(d, dark, hair))
            for i in range(5):
                x = -w - 40 + i * (2 * w + 80) / 4
                out.append(
                    self.tapered(
                        (x, 80),
                        (x + 10, 300),
                        (x - 5, 540),
                        self.line_width * 1.1,
                        self.ink(hair),
                        opacity="0.5",
                    )
                )
        elif t.hair_style == "bob":
            d = (
                f"M {-w - 32} -40 C {-w - 44} 80 {-w - 36} 170 {-w + 2} 205 "
                f"L {w - 2} 205 C {w + 36} 170 {w + 44} 80 {w + 32} -40 Z"
            )
            out.append(self.shape(d, dark, hair))
        elif t.hair_style == "twintails":
            self._tails = []
            for side in (-1, 1):
                x0 = side * (w + 10)
                d = (
                    f"M {x0} -110 C {x0 + side * 150} -60 {x0 + side * 170} 250 {x0 + side * 95} 560 "
                    f"C {x0 + side * 60} 420 {x0 + side * 20} 200 {x0 - side * 10} -40 Z"
                )
                out.append(self.shape(d, hair, hair))
                self._tails.append(d)
                out.append(
                    self.shape(
                        f"M {x0 + side * 40} -40 C {x0 + side * 120} 60 {x0 + side * 120} 300 {x0 + side * 88} 500 "
                        f"C {x0 + side * 70} 360 {x0 + side * 40} 160 {x0 + side * 20} -30 Z",
                        self.shadow(hair),
                        None,
                        opacity="0.55",
                    )
                )
        elif t.hair_style == "ponytail" and t.masculine:  # tied back low, at the nape
            d = (
                f"M {w - 40} 10 C {w + 30} 30 {w + 60} 200 {w + 34} 390 "
                f"C {w + 14} 270 {w - 6} 150 {w - 60} 70 Z"
            )
            out.append(self.shape(d, hair, hair))
        elif t.hair_style == "ponytail":  # in the hair's own colour (it read as another's)
            d = (
                f"M {w - 40} -150 C {w + 120} -170 {w + 150} 80 {w + 100} 420 "
                f"C {w + 70} 300 {w + 40} 120 {w - 20} -40 Z"
            )
            out.append(self.shape(d, hair, hair))
        # Buns: on the crown, or one each side of it (odango), above the head's dome.
        spots = {1: [(0.0, -205.0, 64.0)], 2: [(-118.0, -170.0, 58.0), (118.0, -170.0, 58.0)]}
        for bx, by, r in spots.get(t.buns, []):
            out.append(
                el("circle", cx=fmt(bx), cy=fmt(by), r=fmt(r), fill=self.colour(hair),
                   stroke=self.ink(hair), stroke_width=fmt(self.line_width))
            )  # fmt: skip
            out.append(
                self.stroke(
                    f"M {fmt(bx - r * 0.6)} {fmt(by - r * 0.1)} Q {fmt(bx)} {fmt(by - r * 0.7)} "
                    f"{fmt(bx + r * 0.6)} {fmt(by - r * 0.1)}",
                    self.colour(self.shadow(hair)),
                    self.line_width * 0.8,
                )
            )
        d_back = f"M {-w - 18} 0 C {-w - 30} -190 {w + 30} -190 {w + 18} 0 Z"
        out.append(self.shape(d_back, dark, hair))
        if t.hair_style in ("long", "bob", "ponytail"):
            self.silhouette_head.append(d)
        elif t.hair_style == "twintails":
            self.silhouette_head.extend(self._tails)
        return "".join(out)

    def _wavy_sheet(self, w: float, bottom: float, top: float = -60.0, spread: float = 60.0) -> str:
        """The hair behind the head in waves (``traits.waves``: 1 wavy, 2 curly): each
        side an S-curve of waves widening to the ends, the ends a row of curls."""
        t = self.traits
        turns, amp = (3.0, 16.0) if t.waves == 1 else (5.5, 13.0)
        n = 40

        def side(sign: int) -> list[tuple[float, float]]:
            points = []
            for i in range(n + 1):
                f = i / n
                x = w + 25 + spread * f + 28 * math.sin(math.pi * f * 0.9)
                x += amp * (0.4 + f) * math.sin(2 * math.pi * turns * f)
                points.append((sign * x, top + (bottom - top) * f))
            return points

        left, right = side(-1), side(1)
        # The ends: curls, a scallop each, from the left edge to the right.
        ends = 6 if t.waves == 1 else 8
        x0, x1 = left[-1][0], right[-1][0]
        curls = []
        for i in range(ends):
            a = x0 + (x1 - x0) * i / ends
            b = x0 + (x1 - x0) * (i + 1) / ends
            curls.append(f"Q {fmt((a + b) / 2)} {fmt(bottom + 34)} {fmt(b)} {fmt(bottom)}")
        return (
            "M "
            + " L ".join(f"{fmt(x)} {fmt(y)}" for x, y in left)
            + " "
            + " ".join(curls)
            + " L "
            + " L ".join(f"{fmt(x)} {fmt(y)}" for x, y in reversed(right))
            + " Z"
        )

    def _wavy_strands(self, w: float, bottom: float, hair: RGB) -> list[str]:
        """Strand lines down wavy hair: S-curves, not straight falls."""
        t = self.traits
        turns = 3 if t.waves == 1 else 5
        out = []
        for i in range(5):
            x = -w - 40 + i * (2 * w + 80) / 4
            step = (bottom - 80) / (turns * 2)
            d = f"M {fmt(x)} 80 " + " ".join(
                f"Q {fmt(x + (18 if k % 2 else -18))} {fmt(80 + step * (k + 0.5))} "
                f"{fmt(x)} {fmt(80 + step * (k + 1))}"
                for k in range(turns * 2)
            )
            out.append(self.stroke(d, self.ink(hair), self.line_width * 0.8, opacity="0.5"))
        return out

    def braid(self) -> str:
        """A braid over the shoulder on the side away from the raised hand (or one over
        each shoulder): lobes in turn down to a tie and a tuft."""
        t = self.traits
        if not t.braids or t.facing != "front":
            return ""
        away = -1 if self.variation.hand_side >= 0 else 1
        return "".join(self._one_braid(side) for side in ((away,) if t.braids == 1 else (-1, 1)))

    def _one_braid(self, side: int) -> str:
        t = self.traits
        hair = t.hair_color
        w = self.head_width
        x0, y0 = side * (w - 6), 90.0
        out: list[str] = []
        for k in range(8):
            y = y0 + k * 52
            x = x0 + side * k * 6
            turn = 18 if k % 2 else -18
            out.append(
                el(
                    "ellipse",
                    cx=fmt(x),
                    cy=fmt(y),
                    rx="30",
                    ry="36",
                    fill=self.colour(hair),
                    stroke=self.ink(hair),
                    stroke_width=fmt(self.line_width),
                    transform=f"rotate({turn} {fmt(x)} {fmt(y)})",
                )
            )
            out.append(
                self.stroke(
                    f"M {fmt(x - 16)} {fmt(y - 14)} Q {fmt(x)} {fmt(y + 4)} {fmt(x + 16)} {fmt(y - 14)}",
                    self.colour(self.shadow(hair)),
                    self.line_width * 0.8,
                )
            )
        tx, ty = x0 + side * 48, y0 + 8 * 52
        out.append(
            el("rect", x=fmt(tx - 22), y=fmt(ty - 30), width="44", height="18", rx="8",
               fill=self.colour(t.accessory_color))
        )  # fmt: skip
        out.append(
            self.shape(
                f"M {fmt(tx - 22)} {fmt(ty - 12)} Q {fmt(tx - 30)} {fmt(ty + 40)} {fmt(tx)} {fmt(ty + 60)} "
                f"Q {fmt(tx + 30)} {fmt(ty + 40)} {fmt(tx + 22)} {fmt(ty - 12)} Z",
                hair,
                hair,
            )
        )
        return "".join(out)

    def strays(self) -> str:
        """Messy hair: an ahoge curling up from the crown and strands astray at the
        sides, in the hair's colour and ink."""
        t = self.traits
        if not t.messy or t.facing != "front" or t.bald:
            return ""
        hair, w = t.hair_color, self.head_width

        def strand(bx: float, by: float, tx: float, ty: float, bend: float, half: float) -> str:
            """A pointed strand from its root (bx, by) to its tip, bowed by ``bend``."""
            mx, my = (bx + tx) / 2 + bend, (by + ty) / 2 - abs(bend) * 0.3
            return (
                f"M {fmt(bx - half)} {fmt(by)} Q {fmt(mx - half * 0.4)} {fmt(my)} {fmt(tx)} {fmt(ty)} "
                f"Q {fmt(mx + half * 0.6)} {fmt(my + half)} {fmt(bx + half)} {fmt(by)} Z"
            )

        tufts = [
            strand(4, -140, 46, -236, -40, 9),  # the ahoge, curling forward
            strand(-w + 6, -70, -w - 44, -112, -10, 14),
            strand(-w + 18, -40, -w - 40, -30, 6, 12),
            strand(w - 6, -70, w + 46, -104, 10, 14),
            strand(w - 18, -36, w + 38, -20, -6, 12),
            strand(-w * 0.45, -150, -w * 0.7, -196, -8, 12),
            strand(w * 0.4, -152, w * 0.62, -200, 8, 12),
        ]
        return "".join(self.shape(d, hair, hair) for d in tufts)

    def _bare_skull(self, *, cover: bool = False, sheen: bool = True) -> str:
        """A bald head: the skull's dome in the skin's colour over the brow (no line
        where it meets the face), its outline over the top, and a sheen on the crown."""
        t = self.traits
        w = self.head_width
        skin = t.skin
        arc = (
            f"M {fmt(-w)} 10 C {fmt(-w * 1.02)} -150 {fmt(-w * 0.62)} -224 0 -224 "
            f"C {fmt(w * 0.62)} -224 {fmt(w * 1.02)} -150 {fmt(w)} 10"
        )
        shine = f"M {fmt(-w * 0.45)} -182 Q {fmt(-w * 0.12)} -222 {fmt(w * 0.28)} -208"
        out = el("path", d=f"{arc} Z", fill=self.colour(skin))
        if cover:  # down to just above the brows, hiding the face's own top edge
            crown = (
                f"M {fmt(-w)} -40 C {fmt(-w * 1.01)} -160 {fmt(-w * 0.62)} -224 0 -224 "
                f"C {fmt(w * 0.62)} -224 {fmt(w * 1.01)} -160 {fmt(w)} -40 "
                f"Q 0 -160 {fmt(-w)} -40 Z"
            )
            out = el("path", d=crown, fill=self.colour(skin))
        out += self.stroke(arc, self.ink(skin), self.line_width)
        if sheen:
            out += self.stroke(shine, self.colour(light(skin, 0.35)), self.line_width * 2.2)
        return out

    def front_hair(self) -> str:
        t = self.traits
        if t.bald:  # the crown over the face's top edge (the brows stay), its sheen
            return self._bare_skull(cover=True)
        hair = t.hair_color
        w = self.head_width
        out: list[str] = []
        spiky = t.hair_style == "spiky"
        # The crown: a dome over the skull, ending at the hairline.
        if spiky:
            pts = []
            for i in range(9):
                ang = math.pi * (1 + i / 8)
                r = w + 30 + (38 if i % 2 else 0)
                pts.append((math.cos(ang) * r, math.sin(ang) * r * 1.08 - 40))
            crown = (
                f"M {-w - 22} -20 "
                + " ".join(f"L {fmt(px, py)}" for px, py in pts)
                + f" L {w + 22} -20 Z"
            )
        else:
            crown = (
                f"M {-w - 26} 0 A {w + 26} 215 0 0 1 {w + 26} 0 "
                f"C {w * 0.7} -100 {-w * 0.7} -100 {-w - 26} 0 Z"
            )
        out.append(self.shape(crown, hair, hair))
        self.silhouette_head.append(crown)
        # Highlight band ("angel ring"): a crescent with a jagged lower edge.
        band_top = f"M {-w * 0.8} -136 Q 0 -206 {w * 0.8} -136"
        teeth = " ".join(
            f"L {fmt(w * 0.78 - (i + 0.5) * w * 1.56 / 8, -112 + (10 if i % 2 else -4))}"
            for i in range(8)
        )
        band = f"{band_top} L {w * 0.74} -116 {teeth} L {-w * 0.8} -116 Z"
        out.append(
            el(
                "path",
                d=band,
                fill=self.colour(self.lit(hair, 0.1)),
                opacity="0.85",
                clip_path=self.clip(crown),
            )
        )
        # Bangs: clumps hanging from the hairline, tips just over the brows.
        count, span, tip_y = self.bang_layout
        # Filled, then outlined on their sides only: their tops melt into the crown.
        for d in self.bang_paths():
            out.append(el("path", d=d, fill=self.colour(hair)))
            out.append(self.stroke(d.removesuffix(" Z"), self.ink(hair), self.line_width))
        # Side locks in front of the face edges.
        lock_end = {
            "short": 60,
            "spiky": 70,
            "bob": 170,
            "long": 250,
            "twintails": 170,
            "ponytail": 120,
        }[t.hair_style]
        if t.hair_style == "short" and not t.masculine and t.build != "chibi":
            lock_end = 125  # a girl's short cut: locks to the jaw frame her face
        elif t.masculine and t.hair_style in ("long", "ponytail", "bob"):
            lock_end = min(lock_end, 90)  # a man's long hair clears his face
        for side in (-1, 1):
            x0 = side * (w + 18)
            d = (
                f"M {x0} -120 C {x0 + side * 8} -10 {x0 + side * 2} {lock_end * 0.6} {x0 - side * 16} {lock_end} "
                f"C {x0 - side * 26} {lock_end * 0.6} {x0 - side * 34} 10 {x0 - side * 50} -110"
            )
            out.append(el("path", d=d + " Z", fill=self.colour(hair)))
            out.append(self.stroke(d, self.ink(hair), self.line_width))
            out.append(
                self.shape(
                    f"M {x0 - side * 12} -40 C {x0 - side * 10} 30 {x0 - side * 14} {lock_end * 0.55} {x0 - side * 18} {lock_end * 0.85} "
                    f"C {x0 - side * 22} {lock_end * 0.5} {x0 - side * 26} 20 {x0 - side * 30} -40 Z",
                    self.shadow(hair),
                    None,
                    opacity="0.45",
                )
            )
        # Strand lines for a little texture.
        for i in range(count - 1):
            x = -w + 12 + (i + 0.7) * span / count
            out.append(
                self.tapered(
                    (x, -150),
                    (x + 6, -100),
                    (x + 2, tip_y - 30),
                    self.line_width * 0.9,
                    self.ink(hair),
                    opacity="0.6",
                )
            )
        return "".join(out)
