"""Accessories: headphones, glasses, animal ears, ribbons, scarves and the rest of the
catalogue's; headwear is `headwear.py`'s."""

from __future__ import annotations

import math

import numpy as np

from sakuga.engines.draw.parts.headwear import HeadwearPainter
from sakuga.engines.draw.svg import (
    RGB,
    el,
    fmt,
    light,
)


class AccessoryPainter(HeadwearPainter):
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
                fur = t.ears_color or t.hair_color
                out.append(self.shape(ear, fur, fur))
                inner = f"M {base_x - 26} -158 L {base_x + side * 40} -262 L {base_x + 30} -150 Z"
                out.append(self.shape(inner, (255, 170, 190), None, opacity="0.9"))
        out.append(self.animal_ears())
        if "horns" in t.accessories:
            horn = (240, 232, 214)
            for side in (-1, 1):
                hx = side * 96
                d = (
                    f"M {hx - side * 26} -168 C {hx + side * 10} -250 {hx + side * 70} -290 "
                    f"{hx + side * 120} -300 C {hx + side * 60} -262 {hx + side * 34} -220 "
                    f"{hx + side * 24} -160 Z"
                )
                out.append(self.shape(d, horn, (120, 100, 80)))
        if "crown" in t.accessories:
            gold = (240, 196, 70)
            points = " ".join(
                f"L {fmt(-90 + i * 30)} {fmt(-245 if i % 2 else -195)}" for i in range(1, 7)
            )
            # Sitting on the crown of the head (its dome tops out near -145).
            d = f"M -90 -150 L -90 -195 {points} L 90 -150 Z"
            out.append(self.shape(d, gold, (150, 110, 30)))
            for gem_x in (-45, 0, 45):
                out.append(
                    el("circle", cx=fmt(gem_x), cy="-166", r="9", fill=self.colour((220, 40, 80)))
                )
        if "tiara" in t.accessories:  # a band over the bangs' roots, a jewel at its peak
            silver = (236, 236, 246)
            band = "M -120 -112 Q 0 -168 120 -112 L 112 -100 Q 0 -150 -112 -100 Z"
            peak = "M -34 -138 L 0 -196 L 34 -138 Q 0 -150 -34 -138 Z"
            out.append(self.shape(band, silver, (150, 150, 170)))
            out.append(self.shape(peak, silver, (150, 150, 170)))
            out.append(el("circle", cx="0", cy="-160", r="11", fill=self.colour((120, 190, 255))))
        if "halo" in t.accessories:
            gold = (255, 226, 120)
            out.append(
                el(
                    "ellipse",
                    cx="0",
                    cy="-290",
                    rx="150",
                    ry="36",
                    fill="none",
                    stroke=self.colour(light(gold, 0.3)),
                    stroke_width="34",
                    opacity="0.35",
                )
            )
            out.append(
                el(
                    "ellipse",
                    cx="0",
                    cy="-290",
                    rx="132",
                    ry="30",
                    fill="none",
                    stroke=self.colour(gold),
                    stroke_width="14",
                )
            )
        if "choker" in t.accessories:
            out.append(
                self.shape("M -44 196 L 44 196 L 44 222 L -44 222 Z", (30, 28, 36), (30, 28, 36))
            )
            out.append(
                el(
                    "circle",
                    cx="0",
                    cy="232",
                    r="10",
                    fill="none",
                    stroke=self.colour((200, 200, 210)),
                    stroke_width="5",
                )
            )
        if "mask" in t.accessories:
            # A festival fox mask worn on the side of the head.
            mx, my = w * 0.78, -130
            face = (
                f"M {mx - 46} {my - 20} Q {mx} {my - 90} {mx + 46} {my - 20} "
                f"Q {mx + 40} {my + 50} {mx} {my + 70} Q {mx - 40} {my + 50} {mx - 46} {my - 20} Z"
            )
            group = [self.shape(face, (252, 250, 246), (120, 110, 110))]
            for side in (-1, 1):
                group.append(
                    self.shape(
                        f"M {mx + side * 20} {my - 50} L {mx + side * 44} {my - 100} L {mx + side * 46} {my - 30} Z",
                        (252, 250, 246),
                        (120, 110, 110),
                    )
                )
                group.append(
                    self.stroke(
                        f"M {mx + side * 26} {my} q {side * 8} -8 {side * 18} 0",
                        self.colour((200, 40, 40)),
                        self.line_width * 1.4,
                    )
                )
            group.append(
                el("circle", cx=fmt(mx), cy=fmt(my + 44), r="6", fill=self.colour((200, 40, 40)))
            )
            out.append(el("g", group, transform=f"rotate(18 {fmt(mx)} {fmt(my)})"))
        if t.headwear is not None:
            out.append(self.headwear())
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
        if "headphones" in t.accessories and t.worn_low:  # around the neck
            y = 236
            band = f"M {-w + 10} {y} C {-w + 30} {y + 80} {w - 30} {y + 80} {w - 10} {y}"
            out.append(self.stroke(band, self.ink(colour), 22))
            out.append(self.stroke(band, self.colour(colour), 14))
            for side in (-1, 1):
                out.append(
                    el("ellipse", cx=fmt(side * (w - 16)), cy=fmt(y), rx="34", ry="44",
                       fill=self.colour(colour), stroke=self.ink(colour),
                       stroke_width=fmt(self.line_width),
                       transform=f"rotate({side * 24} {fmt(side * (w - 16))} {y})")
                )  # fmt: skip
        elif "headphones" in t.accessories:
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
        if "earmuffs" in t.accessories:
            out.append(self.earmuffs(colour if colour != (32, 32, 40) else (246, 236, 240)))
        if "glasses" in t.accessories:
            ew, eh = self.eye_size
            out.append(self.glasses(ew, eh, 30 if t.build != "chibi" else 45, colour))
        if "goggles" in t.accessories:
            out.append(self.goggles(colour))
        if "scarf" in t.accessories:
            out.append(self.scarf(colour if colour != (32, 32, 40) else (200, 60, 60)))
        return "".join(out)

    def earmuffs(self, colour: RGB) -> str:
        """Earmuffs: a thin band over the crown and a round fluffy muff over each ear,
        its edge in soft tufts."""
        w = self.head_width
        band = f"M {-w - 22} 40 C {-w - 44} -300 {w + 44} -300 {w + 22} 40"
        out = [self.stroke(band, self.ink(colour), 16), self.stroke(band, self.colour(colour), 9)]
        for side in (-1, 1):
            cx, cy, r = side * (w + 22), 70.0, 46.0
            tufts = [
                el("circle", cx=fmt(cx + r * 0.8 * math.cos(a)), cy=fmt(cy + r * 0.8 * math.sin(a)),
                   r=fmt(r * 0.34), fill=self.colour(colour), stroke=self.ink(colour),
                   stroke_width=fmt(self.line_width))
                for a in np.linspace(0, 2 * math.pi, 12, endpoint=False)
            ]  # fmt: skip
            out += tufts
            out.append(el("circle", cx=fmt(cx), cy=fmt(cy), r=fmt(r * 0.86),
                          fill=self.colour(colour)))  # fmt: skip
            out.append(el("circle", cx=fmt(cx - side * 10), cy=fmt(cy - 12), r=fmt(r * 0.4),
                          fill=self.colour(light(colour, 0.35)), opacity="0.7"))  # fmt: skip
        return "".join(out)

    def scarf(self, scarf: RGB) -> str:
        """A scarf wound round the neck: a thick roll over the collar, up to the jaw,
        its fold showing, and one end hanging down the chest with a fringe — a scarf,
        not a collar's ribbon."""
        lw = self.line_width
        fold = self.shadow(scarf)
        wrap = "M -96 176 C -50 206 50 206 96 176 L 118 266 C 60 312 -60 312 -118 266 Z"
        end = "M 22 262 L 92 258 Q 104 380 112 492 L 44 500 Q 34 380 22 262 Z"
        fringe = "".join(
            self.stroke(
                f"M {fmt(48 + i * 15)} {fmt(498 - i)} l {fmt(1 + i * 0.5)} 24",
                self.ink(scarf),
                lw * 0.7,
            )
            for i in range(5)
        )
        return (
            self.shape(end, self.shadow(scarf, -0.04), scarf)
            + fringe
            + self.stroke("M 58 300 Q 66 400 76 480", self.colour(fold), lw * 0.8, opacity="0.6")
            + self.shape(wrap, scarf, scarf)
            + self.stroke("M -108 222 C -50 262 50 262 108 222", self.colour(fold), lw * 1.2)
            + self.shape("M 10 250 Q 56 234 96 256 Q 60 290 18 282 Z", fold, scarf)
        )

    def goggles(self, colour: RGB) -> str:
        """Goggles: two round lenses in thick rims joined by a bridge, on a strap round
        the head — over the eyes, or pushed up onto the forehead above the fringe."""
        t = self.traits
        ew, eh = self.eye_size
        eye_y = 30 if t.build != "chibi" else 45
        y = eye_y - 150 if t.goggles_up else eye_y
        rim = colour if colour != (30, 30, 36) else (150, 110, 60)  # brass, unless said
        r = max(ew, eh) * 0.62
        w = self.head_width
        out = [self.stroke(f"M {fmt(-w * 1.02)} {fmt(y + 6)} Q 0 {fmt(y - 14)} {fmt(w * 1.02)} "
                           f"{fmt(y + 6)}", self.ink((50, 44, 48)), self.line_width * 3.2)]  # fmt: skip
        for side in (-1, 1):
            x, scale = self.feature_x(side)
            out.append(
                el(
                    "ellipse",
                    cx=fmt(x),
                    cy=fmt(y),
                    rx=fmt(r * scale),
                    ry=fmt(r * 0.92),
                    fill=self.colour((150, 200, 230)),
                    fill_opacity="0.85" if t.goggles_up else "0.35",
                    stroke=self.ink(rim),
                    stroke_width=fmt(self.line_width * 2.4),
                )
            )
            glint = f"M {fmt(x - r * 0.45 * scale)} {fmt(y - r * 0.2)} q {fmt(r * 0.2)} {fmt(-r * 0.35)} {fmt(r * 0.5 * scale)} {fmt(-r * 0.4)}"
            out.append(self.stroke(glint, "#ffffff", self.line_width * 1.2))
        left, right = self.feature_x(-1)[0], self.feature_x(1)[0]
        out.append(
            self.stroke(
                f"M {fmt(left + r)} {fmt(y)} L {fmt(right - r)} {fmt(y)}",
                self.ink(rim),
                self.line_width * 2.4,
            )
        )
        return "".join(out)

    def glasses(
        self, ew: float, eh: float, ey: float, colour: tuple[int, int, int], weight: float = 1.3
    ) -> str:
        """Glasses over eyes ``ew`` × ``eh`` centred at (±68, ``ey``): two rounded lenses
        and the bridge between them, the frame ``weight`` line widths thick."""
        lenses = {side: self.feature_x(side) for side in (-1, 1)}
        # Round glasses: the corners rounded all the way ("round glasses").
        corner = min(ew * 0.62, eh * 0.48) if self.traits.round_glasses else 22
        out = [
            el(
                "rect",
                x=fmt(lenses[side][0] - ew * 0.62 * lenses[side][1]),
                y=fmt(ey - eh * 0.5),
                width=fmt(ew * 1.24 * lenses[side][1]),
                height=fmt(eh * 0.95),
                rx=fmt(corner),
                fill="#ffffff",
                fill_opacity="0.12",
                stroke=self.ink(colour),
                stroke_width=fmt(self.line_width * weight),
            )
            for side in (-1, 1)
        ]
        out.append(
            self.stroke(
                f"M {fmt(lenses[-1][0] + ew * 0.62 * lenses[-1][1])} {ey} "
                f"Q {fmt((lenses[-1][0] + lenses[1][0]) / 2)} {ey - 12} "
                f"{fmt(lenses[1][0] - ew * 0.62 * lenses[1][1])} {ey}",
                self.ink(colour),
                self.line_width * weight,
            )
        )
        return "".join(out)

    def animal_ears(self) -> str:
        """Fox, wolf or bunny ears in the hair's colour, or their own when said (cat ears
        are drawn above)."""
        t = self.traits
        hair = t.ears_color or t.hair_color
        inner = (255, 180, 196)
        out = []
        for side in (-1, 1):
            x = side * 96
            if "fox_ears" in t.accessories or "wolf_ears" in t.accessories:
                fox = "fox_ears" in t.accessories
                tip = -330 if fox else -300
                spread = 60 if fox else 72
                ear = (
                    f"M {x - side * 60} -150 Q {x + side * 10} {tip + 40} {x + side * spread} {tip} "
                    f"Q {x + side * 80} -220 {x + side * 66} -140 Z"
                )
                out.append(self.shape(ear, hair, hair))
                fluff = (255, 250, 244) if fox else light(hair, 0.35)
                inner_d = (
                    f"M {x - side * 30} -160 Q {x + side * 14} {tip + 70} {x + side * (spread - 8)} {tip + 24} "
                    f"Q {x + side * 56} -210 {x + side * 40} -152 Z"
                )
                out.append(self.shape(inner_d, fluff, None, opacity="0.95"))
            if "bunny_ears" in t.accessories:
                turn = f"rotate({fmt(side * 12)} {fmt(x)} -200)"
                out.append(
                    el(
                        "g",
                        [
                            self.shape(
                                f"M {x - 34} -190 C {x - 44} -330 {x - 20} -420 {x} -420 "
                                f"C {x + 20} -420 {x + 44} -330 {x + 34} -190 Z",
                                hair,
                                hair,
                            ),
                            self.shape(
                                f"M {x - 16} -200 C {x - 22} -320 {x - 10} -390 {x} -390 "
                                f"C {x + 10} -390 {x + 22} -320 {x + 16} -200 Z",
                                inner,
                                None,
                            ),
                        ],
                        transform=turn,
                    )
                )
        return "".join(out)
