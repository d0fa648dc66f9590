"""The figure seen from behind: the back of the head, the hair falling over the back,
the outfit's back (a sailor collar's flap, a hood, an obi's bow), the arms at the
sides. Used for "from behind" and for the back view of a character sheet."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from sakuga.engines.draw.parts.accessories import AccessoryPainter
from sakuga.engines.draw.parts.hair import HairPainter
from sakuga.engines.draw.svg import el, light, mix

#: What is still seen of the accessories from behind (glasses, a mask or a choker
#: are on the other side).
SEEN_FROM_BEHIND: Final = frozenset(
    {
        "cat_ears",
        "fox_ears",
        "wolf_ears",
        "bunny_ears",
        "horns",
        "halo",
        "crown",
        "hat",
        "ribbon",
        "headphones",
        "earmuffs",
        "scarf",
        "wings",
    }
)


class BackPainter(HairPainter, AccessoryPainter):
    """The back view (a part of `Painter`)."""

    def back_of_head(self) -> str:
        """The skull covered in hair down to the nape, and the hair that falls from it:
        long hair and a ponytail down the middle of the back, twin tails at the sides,
        a bob to the jaw, short hair in clumps at the nape."""
        t = self.traits
        hair = t.hair_color
        dark = self.shadow(hair, 0.12)
        w = self.head_width
        out: list[str] = []
        style = t.hair_style
        if style == "long":
            fall = (
                f"M {-w - 30} -40 C {-w - 70} 160 {-w - 80} 380 {-w - 50} 600 "
                f"Q 0 630 {w + 50} 600 C {w + 80} 380 {w + 70} 160 {w + 30} -40 Z"
            )
            out.append(self.shape(fall, hair, hair))
            for i in range(7):
                x = -w - 20 + i * (2 * w + 40) / 6
                out.append(
                    self.stroke(
                        f"M {x:.0f} 60 Q {x + 12:.0f} 320 {x - 4:.0f} 590",
                        self.ink(hair),
                        self.line_width * 0.6,
                        opacity="0.45",
                    )
                )
        elif style == "twintails":
            out.append(self.back_hair())  # the tails hang at the sides either way
        skull = (
            f"M {-w - 26} 0 A {w + 26} 215 0 0 1 {w + 26} 0 "
            f"C {w + 30} 110 {w * 0.7} 190 0 200 C {-w * 0.7} 190 {-w - 30} 110 {-w - 26} 0 Z"
        )
        out.append(self.shape(skull, hair, hair))
        self.silhouette_head.append(skull)
        if style in ("short", "spiky"):  # clumps over the nape
            tips = " ".join(
                f"L {x:.0f} {(232 if i % 2 else 196):.0f}"
                for i, x in enumerate(range(int(-w), int(w) + 1, int(w // 3)))
            )
            out.append(self.shape(f"M {-w - 20} 120 {tips} L {w + 20} 120 Z", hair, hair))
        elif style == "bob":
            out.append(
                self.shape(
                    f"M {-w - 34} 0 C {-w - 44} 120 {-w - 30} 200 {-w} 228 "
                    f"Q 0 250 {w} 228 C {w + 30} 200 {w + 44} 120 {w + 34} 0 Z",
                    hair,
                    hair,
                )
            )
        elif style == "ponytail":  # tied high, falling down the middle
            tie = mix(hair, t.accessory_color, 0.7)
            out.append(
                self.shape(
                    "M -50 -110 C -120 60 -90 300 0 430 C 90 300 120 60 50 -110 Z", hair, hair
                )
            )
            out.append(self.shape("M -34 -130 L 34 -130 L 30 -96 L -30 -96 Z", tie, tie))
        # The highlight band, seen from behind too.
        out.append(
            el(
                "path",
                d=f"M {-w * 0.8} -120 Q 0 -200 {w * 0.8} -120 L {w * 0.7} -98 Q 0 -170 {-w * 0.7} -98 Z",
                fill=self.colour(self.lit(hair, 0.1)),
                opacity="0.8",
            )
        )
        out.append(
            self.shape(
                f"M {w * 0.35} -150 C {w * 0.9} -90 {w + 10} 40 {w * 0.6} 170 "
                f"C {w * 0.8} 60 {w * 0.7} -60 {w * 0.3} -140 Z",
                dark,
                None,
                opacity="0.5",
            )
        )
        return "".join(out)

    def back_accessories(self) -> str:
        """The accessories still seen from behind."""
        worn = self.traits
        kept = tuple(a for a in worn.accessories if a in SEEN_FROM_BEHIND and a != "wings")
        self.traits = replace(worn, accessories=kept)
        try:
            return self.accessories()
        finally:
            self.traits = worn

    def back_details(self, torso: str, broad: float) -> str:
        """The outfit's back over the torso's fill: the sailor collar's square flap, a
        hood, an obi's bow, a cloak's fall, a seam down the middle."""
        t = self.traits
        base = t.outfit_color
        kind = t.outfit
        out: list[str] = []
        fill = self.sleeve_colour if kind == "sailor" else base
        out.append(self.shape(torso, fill, fill))
        out.append(
            self.away(
                self.shape(
                    f"M {broad * 0.35} 300 C {broad * 0.8} 320 {broad} 360 {broad + 30} 1400 L {broad * 0.5} 1400 Z",
                    self.shadow(fill),
                    None,
                    opacity="0.5",
                )
            )
        )
        if kind == "sailor":
            navy = base if sum(base) < 600 else (30, 40, 90)
            flap = "M -170 262 L 170 262 L 176 520 L -176 520 Z"
            out.append(self.shape(flap, navy, navy))
            out.append(
                self.stroke(
                    "M -150 270 L -154 500 L 154 500 L 150 270", "#ffffff", 5, opacity="0.9"
                )
            )
        elif kind == "hoodie":
            out.append(
                self.shape(
                    "M -130 250 C -150 340 -90 430 0 440 C 90 430 150 340 130 250 Z",
                    self.shadow(base),
                    base,
                )
            )
        elif kind == "kimono":
            obi = t.sash_color or mix(base, (230, 200, 120), 0.6)
            out.append(self.shape("M -160 730 L 160 730 L 160 840 L -160 840 Z", obi, obi))
            out.append(
                self.shape(
                    "M 0 770 C -120 690 -170 770 -120 830 C -80 870 -20 830 0 810 "
                    "C 20 830 80 870 120 830 C 170 770 120 690 0 770 Z",
                    light(obi, 0.1),
                    obi,
                )
            )
        elif kind == "cloak":
            out.append(self.shape("M -190 280 L 190 280 L 230 1400 L -230 1400 Z", base, base))
        else:
            out.append(
                self.stroke(
                    "M 0 270 L 0 1400", self.ink(fill), self.line_width * 0.7, opacity="0.4"
                )
            )
        return "".join(out)
