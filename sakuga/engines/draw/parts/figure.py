"""The rest of the figure, for knees-up and full-body framings: a torso with a waist
and hips, a skirt or trousers, legs, socks and shoes (the arms that hang at the sides
are `ArmPainter`'s).

The bust framings hide all of this below the frame; these framings show it. Figure
units as everywhere in the drawing: the head's centre is (0, 0), up is -y, and the
crown is at about -215. The figure is about five and a half heads tall, the proportions of a
teenage anime character: waist at 820, hips at 1000, knees at 1580, soles at 2110.
Shadows fall on the image's right, as on the torso.
"""

from __future__ import annotations

from typing import Final

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.svg import RGB, el, fmt, mix

WAIST_Y: Final = 820
HIPS_Y: Final = 1000
KNEE_Y: Final = 1580
ANKLE_Y: Final = 2020
SOLE_Y: Final = 2110
#: Outfits worn with a skirt (by a girl; a blazer too), and those that reach the feet.
SKIRTED: Final = frozenset({"sailor", "idol", "dress", "apron"})
LONG_ROBES: Final = frozenset({"kimono", "cloak"})


class FigurePainter(Canvas):
    """Waist, hips, hanging arms, skirt or trousers, legs and shoes (part of `Painter`)."""

    @property
    def skirted(self) -> bool:
        t = self.traits
        if t.outfit in SKIRTED:
            return True
        return t.outfit == "blazer" and t.build not in ("boy", "adult")

    @property
    def waist(self) -> tuple[float, float]:
        """Half-widths of the waist and the hips."""
        if self.traits.build in ("boy", "adult"):
            return 176, 192
        return 150, 206

    # ---- the torso ------------------------------------------------------------------

    def torso_path(self) -> str:
        """Neck, shoulders, the sides down to the waist, and the hips: the shirt's or
        jacket's outline (the arms are drawn on their own)."""
        b = self.broad
        w, h = self.waist
        bottom = WAIST_Y + 60 if self.skirted else HIPS_Y + 50
        hem = w + 8 if self.skirted else h + 4
        return (
            f"M -42 250 C -80 268 {fmt(-b * 0.6)} 276 {fmt(-b * 0.8)} 292 "
            f"C {fmt(-b - 6)} 308 {fmt(-b - 4)} 360 {fmt(-b + 26)} 440 "
            f"C {fmt(-b + 40)} 600 {fmt(-w - 4)} 760 {fmt(-w)} {WAIST_Y} "
            f"L {fmt(-hem)} {bottom} Q 0 {bottom + 16} {fmt(hem)} {bottom} "
            f"L {fmt(w)} {WAIST_Y} C {fmt(w + 4)} 760 {fmt(b - 40)} 600 {fmt(b - 26)} 440 "
            f"C {fmt(b + 4)} 360 {fmt(b + 6)} 308 {fmt(b * 0.8)} 292 "
            f"C {fmt(b * 0.6)} 276 80 268 42 250 Z"
        )

    def lower_outfit(self) -> str:
        """What covers the hips, in front of the legs: a skirt, or a robe's long body."""
        t = self.traits
        w, h = self.waist
        out: list[str] = []
        if t.outfit in LONG_ROBES:
            colour = t.outfit_color
            robe = (
                f"M {-w - 6} {WAIST_Y - 40} C {-h - 20} {HIPS_Y} {-h - 40} {KNEE_Y} {-h - 56} {ANKLE_Y} "
                f"Q 0 {ANKLE_Y + 30} {h + 56} {ANKLE_Y} C {h + 40} {KNEE_Y} {h + 20} {HIPS_Y} "
                f"{w + 6} {WAIST_Y - 40} Z"
            )
            out.append(self.shape(robe, colour, colour))
            out.append(
                self.shape(
                    f"M 40 {WAIST_Y} C 90 {HIPS_Y + 200} {h + 10} {KNEE_Y + 100} {h + 50} {ANKLE_Y} "
                    f"L 70 {ANKLE_Y + 14} C 60 {KNEE_Y} 30 {HIPS_Y + 200} 10 {WAIST_Y} Z",
                    self.shadow(colour),
                    None,
                    opacity="0.7",
                )
            )
            if t.outfit == "kimono":  # the overlap of the front panels, and the obi
                out.append(
                    self.stroke(
                        f"M -30 {WAIST_Y} C -10 {HIPS_Y + 300} 10 {KNEE_Y + 100} 30 {ANKLE_Y + 10}",
                        self.ink(colour),
                        self.line_width,
                    )
                )
                obi = mix(colour, (230, 200, 120), 0.6)
                out.append(
                    self.shape(
                        f"M {-w - 8} {WAIST_Y - 90} L {w + 8} {WAIST_Y - 90} "
                        f"L {w + 10} {WAIST_Y + 20} L {-w - 10} {WAIST_Y + 20} Z",
                        obi,
                        obi,
                    )
                )
            return "".join(out)
        if not self.skirted:
            return ""
        colour = {
            "sailor": (34, 44, 92) if sum(t.outfit_color) > 600 else t.outfit_color,
            "blazer": (64, 58, 86),
        }.get(t.outfit, t.outfit_color)
        hem_y = {"dress": 1380, "apron": 1380}.get(t.outfit, 1270)
        flare = h + (90 if t.outfit == "idol" else 64)
        skirt = (
            f"M {-w - 6} {WAIST_Y - 10} C {-h} {HIPS_Y - 120} {-flare + 20} {hem_y - 160} "
            f"{-flare} {hem_y} Q 0 {hem_y + 34} {flare} {hem_y} "
            f"C {flare - 20} {hem_y - 160} {h} {HIPS_Y - 120} {w + 6} {WAIST_Y - 10} Z"
        )
        out.append(self.shape(skirt, colour, colour))
        out.append(
            self.shape(
                f"M 30 {WAIST_Y} C 80 {HIPS_Y} {flare - 60} {hem_y - 120} {flare - 4} {hem_y} "
                f"Q {flare * 0.6} {hem_y + 26} {flare * 0.3} {hem_y + 22} "
                f"C {flare * 0.26} {hem_y - 140} 40 {HIPS_Y} 10 {WAIST_Y} Z",
                self.shadow(colour),
                None,
                opacity="0.75",
            )
        )
        # Pleats: folds fanning out from the waist to the hem.
        for i in range(-3, 4):
            if i == 0:
                continue
            x0, x1 = i * w / 4, i * flare / 3.6
            out.append(
                self.stroke(
                    f"M {fmt(x0)} {WAIST_Y + 30} Q {fmt(x1 * 0.9)} {fmt((WAIST_Y + hem_y) / 2)} "
                    f"{fmt(x1)} {hem_y + 14 - abs(i) * 3}",
                    self.ink(colour),
                    self.line_width * 0.7,
                    opacity="0.55",
                )
            )
        if t.outfit == "idol":  # a white frill along the hem
            frill = (250, 248, 252)
            out.append(
                self.stroke(
                    f"M {-flare} {hem_y + 2} Q 0 {hem_y + 40} {flare} {hem_y + 2}",
                    self.colour(frill),
                    26,
                )
            )
        if t.outfit == "apron":  # the apron's white front over the dress
            white = (248, 248, 250)
            out.append(
                self.shape(
                    f"M -110 {WAIST_Y} L 110 {WAIST_Y} L 150 {hem_y - 40} "
                    f"Q 0 {hem_y - 10} -150 {hem_y - 40} Z",
                    white,
                    white,
                )
            )
        return "".join(out)

    # ---- legs --------------------------------------------------------------------------

    def legs(self) -> str:
        """Both legs (or trousers), socks and shoes, and their contact shadow; drawn
        behind the torso and the skirt."""
        t = self.traits
        h = self.waist[1]
        out: list[str] = [
            el(
                "ellipse",
                cx="0",
                cy=fmt(SOLE_Y - 8),
                rx=fmt(h + 70),
                ry="34",
                fill="#000000",
                opacity="0.18",
            )
        ]
        robe = t.outfit in LONG_ROBES
        trousers = not robe and not self.skirted
        cloth = self._trouser_colour()
        for side in (-1, 1):
            if robe:
                break
            if trousers:
                out.append(self.shape(self._leg(side, 1.16, top=HIPS_Y - 60), cloth, cloth))
                out.append(
                    self.shape(
                        self._leg(side, 1.16, top=HIPS_Y - 60, shade=True), self.shadow(cloth), None
                    )
                )
                out.append(
                    self.stroke(
                        f"M {side * 96} {KNEE_Y - 40} q {side * 10} 30 0 60",
                        self.ink(cloth),
                        self.line_width * 0.7,
                        opacity="0.5",
                    )
                )
            else:
                out.append(self.shape(self._leg(side, 1.0, top=HIPS_Y), t.skin, t.skin))
                out.append(
                    self.shape(
                        self._leg(side, 1.0, top=HIPS_Y, shade=True), self.shadow(t.skin), None
                    )
                )
                socks = self._socks()
                if socks is not None:
                    colour, top = socks
                    out.append(self.shape(self._leg(side, 1.06, top=top), colour, colour))
        if trousers:  # the crotch seam where the legs meet
            out.append(
                self.shape(
                    f"M {-h + 10} {HIPS_Y - 60} L {h - 10} {HIPS_Y - 60} L 40 {HIPS_Y + 140} "
                    f"L 0 {HIPS_Y + 170} L -40 {HIPS_Y + 140} Z",
                    cloth,
                    None,
                )
            )
        for side in (-1, 1):
            out.append(self._shoe(side))
        return "".join(out)

    def _trouser_colour(self) -> RGB:
        t = self.traits
        if t.outfit in ("suit", "blazer"):
            return mix(t.outfit_color, (20, 20, 30), 0.2)
        if t.outfit == "armor":
            return (150, 156, 170)
        return (58, 72, 110) if t.outfit in ("tshirt", "hoodie") else (46, 46, 56)

    def _socks(self) -> tuple[RGB, float] | None:
        """Knee socks with a school uniform, white ones with a stage costume."""
        t = self.traits
        if t.outfit in ("sailor", "blazer"):
            return ((30, 32, 48), KNEE_Y + 40)
        if t.outfit == "idol":
            return ((250, 250, 252), KNEE_Y + 60)
        return None

    def _leg(self, side: int, girth: float, *, top: float, shade: bool = False) -> str:
        """One leg from ``top`` to the ankle, ``girth`` times the bare leg's width
        (trousers are wider); ``shade`` gives the strip on the shadowed side instead."""
        s = side
        cx_top, cx_knee, cx_ankle = 94 * s, 74 * s, 66 * s
        first = (cx_top, top, 80) if top < KNEE_Y else (cx_knee * 0.98, top, 51)
        widths = [first, (cx_knee, max(KNEE_Y, top + 40), 50)]
        widths += [(cx_knee * 0.95, KNEE_Y + 190, 56), (cx_ankle, ANKLE_Y, 32)]
        outer = [(x + s * r * girth, y) for x, y, r in widths]
        if shade:  # the side away from the light: the image's right on both legs
            inner = [
                (x + (r * girth * 0.35 if s > 0 else -r * girth * 0.3), y) for x, y, r in widths
            ]
            if s < 0:
                outer = [(x + r * girth, y) for x, y, r in widths]
                inner = [(x + r * girth * 0.45, y) for x, y, r in widths]
        else:
            inner = [(x - s * r * girth, y) for x, y, r in widths]
        (ox0, oy0), (ox1, oy1), (ox2, oy2), (ox3, oy3) = outer
        (ix0, iy0), (ix1, iy1), (ix2, iy2), (ix3, iy3) = inner
        return (
            f"M {fmt(ix0)} {fmt(iy0)} L {fmt(ox0)} {fmt(oy0)} "
            f"C {fmt(ox0)} {fmt(oy0 + 300)} {fmt(ox1)} {fmt(oy1 - 200)} {fmt(ox1)} {fmt(oy1)} "
            f"C {fmt(ox1)} {fmt(oy1 + 90)} {fmt(ox2)} {fmt(oy2 - 60)} {fmt(ox2)} {fmt(oy2)} "
            f"C {fmt(ox2)} {fmt(oy2 + 120)} {fmt(ox3)} {fmt(oy3 - 80)} {fmt(ox3)} {fmt(oy3)} "
            f"L {fmt(ix3)} {fmt(iy3)} "
            f"C {fmt(ix3)} {fmt(iy3 - 80)} {fmt(ix2)} {fmt(iy2 + 120)} {fmt(ix2)} {fmt(iy2)} "
            f"C {fmt(ix2)} {fmt(iy2 - 60)} {fmt(ix1)} {fmt(iy1 + 90)} {fmt(ix1)} {fmt(iy1)} "
            f"C {fmt(ix1)} {fmt(iy1 - 200)} {fmt(ix0)} {fmt(iy0 + 300)} {fmt(ix0)} {fmt(iy0)} Z"
        )

    def _shoe(self, side: int) -> str:
        """A shoe seen from the front, toes turned a little outward."""
        t = self.traits
        x = 66 * side
        colour: RGB = {
            "sailor": (60, 40, 34),
            "blazer": (60, 40, 34),
            "suit": (30, 28, 30),
            "idol": (240, 90, 140),
            "kimono": (200, 170, 130),
            "armor": (120, 126, 140),
        }.get(t.outfit, (235, 235, 240) if t.outfit in ("hoodie", "tshirt") else (70, 50, 44))
        toe = x + side * 22
        d = (
            f"M {fmt(x - 40)} {ANKLE_Y - 20} L {fmt(x + 40)} {ANKLE_Y - 20} "
            f"C {fmt(x + 44 + side * 8)} {ANKLE_Y + 30} {fmt(toe + 52)} {SOLE_Y - 40} "
            f"{fmt(toe + 44)} {SOLE_Y - 6} Q {fmt(toe)} {SOLE_Y + 8} {fmt(toe - 44)} {SOLE_Y - 6} "
            f"C {fmt(toe - 54)} {SOLE_Y - 40} {fmt(x - 46 + side * 8)} {ANKLE_Y + 30} "
            f"{fmt(x - 40)} {ANKLE_Y - 20} Z"
        )
        sole = f"M {fmt(toe - 46)} {SOLE_Y - 14} Q {fmt(toe)} {SOLE_Y + 4} {fmt(toe + 46)} {SOLE_Y - 14}"
        return self.shape(d, colour, colour) + self.stroke(
            sole, self.ink(colour), self.line_width * 1.2
        )
