"""The body: neck, shoulders and the outfit on them."""

from __future__ import annotations

import math

from sakuga.engines.draw.parts.back import BackPainter
from sakuga.engines.draw.parts.figure import FigurePainter
from sakuga.engines.draw.svg import (
    RGB,
    el,
    fmt,
    light,
    mix,
)


class BodyPainter(FigurePainter, BackPainter):
    """The body (a part of `Painter`)."""

    def body(self) -> str:
        t = self.traits
        skin = t.skin
        out: list[str] = [self.wings()]
        neck = "M -38 120 L -40 270 Q 0 292 40 270 L 38 120 Z"
        out.append(self.shape(neck, skin, skin))
        out.append(
            self.shape(
                "M -40 140 Q 0 205 40 140 L 40 190 Q 0 230 -40 190 Z",
                self.shadow(skin),
                None,
                opacity="0.8",
            )
        )
        broad = self.broad
        back = t.facing in ("back", "over_shoulder")
        if self.full_figure:
            # Knees-up or full body: a waist and hips, the arms drawn on their own. The
            # outfit's details below the chest are kept inside the torso.
            torso = self.torso_path()
            below_chest = self.clip("M -2000 -2000 H 2000 V 440 H -2000 Z", torso)
            dressed = self.back_details(torso, broad) if back else self.outfit(torso, broad)
            out.append(el("g", [dressed], clip_path=below_chest))
            out.append(self.stroke(torso, self.ink(t.outfit_color), self.line_width))
            out.append(self.lower_outfit())
            out.append(self.coat_skirts())
            self.silhouette_body.append(torso)
            return "".join(out)
        # Neck, sloping shoulders, rounded shoulder caps, arms down past the frame.
        torso = (
            f"M -42 250 C -80 268 {-broad * 0.6} 276 {-broad * 0.8} 292 "
            f"C {-broad - 10} 312 {-broad - 18} 360 {-broad - 20} 430 "
            f"L {-broad - 30} 1400 L {broad + 30} 1400 L {broad + 20} 430 "
            f"C {broad + 18} 360 {broad + 10} 312 {broad * 0.8} 292 "
            f"C {broad * 0.6} 276 80 268 42 250 Z"
        )
        out.append(self.back_details(torso, broad) if back else self.outfit(torso, broad))
        self.silhouette_body.append(torso)
        # Where the arms meet the chest.
        for side in (-1, 1):
            out.append(
                self.stroke(
                    f"M {side * (broad - 40)} 420 Q {side * (broad - 52)} 600 {side * (broad - 48)} 1400",
                    self.ink(t.outfit_color),
                    self.line_width * 0.8,
                    opacity="0.55",
                )
            )
        return "".join(out)

    def outfit(self, torso: str, broad: float) -> str:
        t = self.traits
        base = t.outfit_color
        dark = self.shadow(base)
        out: list[str] = []
        kind = t.outfit
        if kind == "hoodie":
            out.append(
                self.shape(
                    "M -120 300 C -170 250 -120 200 -60 226 L 60 226 C 120 200 170 250 120 300 "
                    "C 80 330 -80 330 -120 300 Z",
                    dark,
                    base,
                )
            )
        body_fill = base
        if kind == "sailor":
            # A summer sailor uniform: a white top under a collar in the uniform's colour;
            # a black one is the winter uniform, black all over (its collar striped white).
            winter = max(base) < 50
            body_fill = base if winter or sum(base) >= 600 else (246, 246, 250)
        if kind == "swimsuit":
            body_fill = t.skin  # bare shoulders; the suit is drawn over them below
        out.append(self.shape(torso, body_fill, body_fill))
        if kind != "swimsuit":
            out.append(self.printed(torso, t.top_print, body_fill))
        out.append(
            self.away(
                self.shape(
                    f"M {broad * 0.35} 300 C {broad * 0.8} 320 {broad} 360 {broad + 30} 1400 L {broad * 0.5} 1400 Z",
                    self.shadow(body_fill),
                    None,
                    opacity="0.55",
                )
            )
        )
        out.append(
            self.shape(
                "M -60 262 Q 0 330 60 262 L 60 290 Q 0 350 -60 290 Z",
                self.shadow(body_fill, 0.1),
                None,
                opacity="0.6",
            )
        )
        if kind == "hoodie":
            for side in (-1, 1):
                out.append(
                    self.stroke(
                        f"M {side * 28} 290 Q {side * 34} 360 {side * 30} 430",
                        self.colour((240, 240, 244)),
                        6,
                    )
                )
                out.append(
                    el(
                        "circle",
                        cx=str(side * 30),
                        cy="436",
                        r="7",
                        fill=self.colour((220, 220, 226)),
                    )
                )
            out.append(self.stroke("M -100 268 Q 0 330 100 268", self.ink(base), self.line_width))
        elif kind == "tshirt" and t.sleepwear:
            out.append(self.pajama_collar(base))
        elif kind == "tshirt":
            out.append(
                self.stroke("M -62 262 Q 0 318 62 262", self.ink(base), self.line_width * 1.2)
            )
        elif kind == "gakuran":  # closed to the throat: a stand collar, gold buttons
            out.append(self.shape("M -74 246 L 74 246 L 70 300 Q 0 318 -70 300 Z", base, base))
            out.append(self.stroke("M -70 300 Q 0 318 70 300", self.ink(base), self.line_width))
            out.append(self.stroke("M 0 312 L 0 1400", self.ink(base), self.line_width * 0.8))
            for y in range(350, 900, 110):
                out.append(
                    el("circle", cx="0", cy=str(y), r="11", fill=self.colour((226, 186, 80)),
                       stroke=self.ink((226, 186, 80)), stroke_width=fmt(self.line_width * 0.6))
                )  # fmt: skip
        elif kind == "sweater":  # a knit: a ribbed collar, cable lines down the front
            rib = light(base, 0.12)
            out.append(self.shape("M -72 250 Q 0 296 72 250 L 76 286 Q 0 334 -76 286 Z", rib, base))
            for x in range(-60, 61, 15):
                out.append(
                    self.stroke(f"M {x} {272 + abs(x) * -0.3 + 6} l 0 22", self.ink(rib),
                                self.line_width * 0.5, opacity="0.5")
                )  # fmt: skip
            for side in (-1, 1):
                x = side * 70
                cable = " ".join(
                    f"M {x - 10} {y} Q {x + 12} {y + 18} {x - 10} {y + 36}"
                    for y in range(330, 700, 36)
                )
                out.append(
                    self.stroke(cable, self.ink(base), self.line_width * 0.7, opacity="0.45")
                )
        elif kind == "sailor":
            navy = base if sum(base) < 600 else (30, 40, 90)
            collar = (
                "M -150 285 L -235 330 L -200 420 L 0 470 L 200 420 L 235 330 L 150 285 L 0 420 Z"
            )
            out.append(self.shape(collar, navy, navy))
            out.append(
                self.stroke(
                    "M -200 336 L -178 404 L 0 446 L 178 404 L 200 336", "#ffffff", 5, opacity="0.9"
                )
            )
            red = t.tie_color or (205, 40, 60)
            out.append(
                self.shape("M -34 430 L 0 452 L 34 430 L 22 470 L 0 462 L -22 470 Z", red, red)
            )
            out.append(self.shape("M -12 462 L -40 560 L -10 548 L 0 470 Z", red, red))
            out.append(self.shape("M 12 462 L 40 560 L 10 548 L 0 470 Z", red, red))
        elif kind in ("blazer", "suit"):
            shirt = (248, 248, 250)
            out.append(self.shape("M -56 262 L 0 430 L 56 262 Q 0 300 -56 262 Z", shirt, shirt))
            tie = t.tie_color or ((170, 30, 50) if kind == "blazer" else (60, 70, 110))
            if kind == "suit" and t.feminine:
                # A woman's suit: the blouse open at the throat, no tie, no waistcoat.
                out.append(
                    self.stroke("M -40 262 L 0 372 L 40 262", self.ink(shirt), self.line_width)
                )
            else:
                out.append(self.shape("M -12 288 L 12 288 L 16 420 L 0 450 L -16 420 Z", tie, tie))
            if kind == "suit" and not t.feminine:
                # A waistcoat under the jacket, and a pocket square.
                vest = self.shadow(base, 0.18)
                out.append(
                    self.shape("M -56 330 L 0 470 L 56 330 L 70 700 L -70 700 Z", vest, vest)
                )
                for by in (500, 560, 620):
                    out.append(
                        el("circle", cx="0", cy=str(by), r="6", fill=self.colour(light(vest, 0.4)))
                    )
            for side in (-1, 1):
                lapel = f"M {side * 58} 262 L {side * 8} 440 L {side * 60} 380 L {side * 100} 300 Z"
                if kind == "suit":  # peaked, wider lapels
                    lapel = f"M {side * 58} 262 L {side * 4} 470 L {side * 80} 380 L {side * 150} 330 L {side * 110} 300 Z"
                out.append(self.shape(lapel, self.shadow(base, -0.05), base))
            if kind == "suit":
                square = (250, 250, 252)
                out.append(
                    self.shape(
                        "M 120 420 L 170 420 L 160 392 L 145 410 L 132 392 Z", square, square
                    )
                )
            else:
                # The school's emblem on the chest pocket.
                gold = (225, 185, 70)
                out.append(
                    self.shape("M -170 420 L -110 420 L -110 470 Q -140 500 -170 470 Z", gold, gold)
                )
                out.append(
                    el("circle", cx="-24", cy="520", r="7", fill=self.colour(light(base, 0.3)))
                )
        elif kind == "kimono":
            # Wide sleeves hanging from the shoulders, outside the body's line.
            for side in (-1, 1):
                sleeve = (
                    f"M {side * (broad - 10)} 300 C {side * (broad + 60)} 320 {side * (broad + 96)} 380 "
                    f"{side * (broad + 104)} 470 L {side * (broad + 110)} 1400 L {side * (broad - 30)} 1400 Z"
                )
                out.append(self.shape(sleeve, self.shadow(base, 0.06), base))
            # The collar: white under-collar in a deep V, the kimono's own band over it,
            # the wearer's left side over the right.
            obi_y = 430 if t.pose == "bust" else 560
            inner = (246, 242, 236)
            out.append(
                self.shape(
                    f"M -54 256 L 0 {obi_y} L 54 256 L 30 256 L 0 {obi_y - 60} L -30 256 Z",
                    inner,
                    inner,
                )
            )
            band = self.shadow(base, 0.18)
            out.append(self.shape(f"M -96 268 L -8 {obi_y} L 26 {obi_y} L -58 262 Z", band, base))
            out.append(self.shape(f"M 96 268 L 8 {obi_y} L -26 {obi_y} L 58 262 Z", band, base))
            # A scatter of small five-petal flowers, the fabric's print: a woman's
            # kimono or yukata (a man's is plain, and so is a miko's white top).
            petal = light(base, 0.45)
            printed = not t.masculine and t.lower_color is None
            for k in range(9 if printed else 0):
                fx = -broad + 40 + (k * 97) % (2 * broad - 80)
                fy = 300 + (k * 53) % max(60, obi_y - 320)
                if abs(fx) < 70:
                    continue
                for a in range(5):
                    angle = a * 72
                    out.append(
                        el(
                            "ellipse",
                            cx=fmt(fx),
                            cy=fmt(fy - 9),
                            rx="6",
                            ry="10",
                            fill=self.colour(petal),
                            opacity="0.75",
                            transform=f"rotate({angle} {fmt(fx)} {fmt(fy)})",
                        )
                    )
            # The obi, high at the waist, with its cord (a man's narrow and dark, a
            # hakama's ties in its own colour).
            obi = (220, 170, 60) if sum(base) < 450 else (150, 40, 60)
            deep = 90
            if t.lower_color is not None:  # a hakama's ties (a gi's belt is at its waist)
                obi, deep = t.lower_color, 60
            elif t.sash_color is not None:  # said: "a red obi" (it was gold in a portrait)
                obi, deep = t.sash_color, 44 if t.masculine else 90
            elif t.masculine:
                obi, deep = mix(base, (30, 28, 32), 0.6), 44
            out.append(
                self.shape(
                    f"M {-broad - 10} {obi_y} L {broad + 10} {obi_y} L {broad + 14} {obi_y + deep} "
                    f"L {-broad - 14} {obi_y + deep} Z",
                    obi,
                    obi,
                )
            )
            out.append(
                self.stroke(
                    f"M {-broad} {obi_y + 45} L {broad} {obi_y + 45}",
                    self.colour(light(obi, 0.4)),
                    self.line_width * 2,
                )
            )
            if t.samurai_armour:
                out.append(self.samurai_armour(broad, obi_y))
        elif kind == "armor":
            steel = (
                (176, 184, 200)
                if sum(base) < 200 or sum(base) > 650
                else mix(base, (190, 195, 210), 0.5)
            )
            plate = self.gradient([(0, light(steel, 0.4)), (0.5, steel), (1, self.shadow(steel))])
            out.append(
                el(
                    "path",
                    d="M -120 300 Q 0 260 120 300 L 150 620 Q 0 680 -150 620 Z",
                    fill=plate,
                    stroke=self.ink(steel),
                    stroke_width=self.line_width,
                )
            )
            out.append(self.stroke("M 0 290 L 0 640", self.ink(steel), self.line_width * 0.8))
            for side in (-1, 1):
                pauldron = (
                    f"M {side * 90} 280 C {side * 200} 230 {side * (broad + 50)} 300 {side * (broad + 40)} 400 "
                    f"C {side * 200} 420 {side * 130} 380 {side * 90} 330 Z"
                )
                out.append(
                    el(
                        "path",
                        d=pauldron,
                        fill=plate,
                        stroke=self.ink(steel),
                        stroke_width=self.line_width,
                    )
                )
                out.append(
                    self.stroke(
                        f"M {side * 110} 300 C {side * 190} 270 {side * (broad + 20)} 320 {side * (broad + 25)} 380",
                        self.colour((230, 190, 90)),
                        5,
                    )
                )
        elif kind == "dress":
            out.append(
                self.shape(
                    "M -100 262 C -90 320 -60 360 0 372 C 60 360 90 320 100 262 Z", t.skin, t.skin
                )
            )
            out.append(
                self.stroke(
                    "M -60 300 Q -30 312 -10 306",
                    self.ink(t.skin),
                    self.line_width * 0.6,
                    opacity="0.6",
                )
            )
            out.append(
                self.stroke(
                    "M 60 300 Q 30 312 10 306",
                    self.ink(t.skin),
                    self.line_width * 0.6,
                    opacity="0.6",
                )
            )
            out.append(
                self.stroke(
                    "M -100 262 C -90 320 -60 360 0 372 C 60 360 90 320 100 262",
                    self.colour(light(base, 0.4)),
                    8,
                )
            )
        elif kind == "idol":
            # A stage dress: white frilled collar, a big bow at the chest, bright trim.
            frill = (250, 248, 252)
            out.append(
                self.shape(
                    "M -110 262 C -96 300 -60 330 0 338 C 60 330 96 300 110 262 Z", t.skin, t.skin
                )
            )
            for k in range(9):
                x = -108 + k * 27
                y = 262 + 70 * math.sin(math.pi * (k / 8)) ** 0.7
                out.append(el("circle", cx=fmt(x), cy=fmt(y), r="17", fill=self.colour(frill)))
            bow = light(base, 0.2) if sum(base) < 600 else (240, 90, 140)
            for side in (-1, 1):
                out.append(
                    self.shape(
                        f"M 0 372 C {side * 50} 330 {side * 96} 350 {side * 90} 392 "
                        f"C {side * 84} 430 {side * 40} 416 0 392 Z",
                        bow,
                        bow,
                    )
                )
            out.append(el("circle", cx="0", cy="384", r="18", fill=self.colour(self.shadow(bow))))
            for side in (-1, 1):
                out.append(
                    self.stroke(
                        f"M {side * (broad - 6)} 300 L {side * (broad + 6)} 470",
                        self.colour((255, 215, 110)),
                        self.line_width * 2.2,
                    )
                )
        elif kind == "cloak":
            # A hooded cloak over the shoulders, closed with a clasp at the throat.
            cloak = base if sum(base) < 600 else (60, 40, 90)
            for side in (-1, 1):
                out.append(
                    self.shape(
                        f"M {side * 40} 250 C {side * 160} 250 {side * (broad + 40)} 290 "
                        f"{side * (broad + 60)} 460 L {side * (broad + 70)} 1400 L {side * 30} 1400 "
                        f"C {side * 60} 700 {side * 60} 380 {side * 40} 250 Z",
                        cloak,
                        cloak,
                    )
                )
            out.append(
                self.shape(
                    "M -150 232 C -120 200 120 200 150 232 C 110 262 -110 262 -150 232 Z",
                    self.shadow(cloak),
                    cloak,
                )
            )
            out.append(el("circle", cx="0", cy="262", r="16", fill=self.colour((230, 190, 80))))
        elif kind == "apron":
            # A maid's or baker's apron: white bib and skirt with frilled edges, over a
            # dress; a work apron (leather, a colour said, a man's) plain, in its colour.
            said = self.traits.apron_color
            white = said or (250, 250, 252)
            frilled = said is None and not self.traits.masculine
            out.append(
                self.shape(
                    "M -80 290 L 80 290 L 96 1400 L -96 1400 Z",
                    white,
                    (200, 200, 210) if said is None else self.shadow(white),
                )
            )
            for side in (-1, 1):
                out.append(
                    self.stroke(
                        f"M {side * 80} 292 L {side * 130} 262",
                        self.colour(white if said is None else self.shadow(white)),
                        self.line_width * 3,
                    )
                )
            for k in range(7 if frilled else 0):
                out.append(
                    el("circle", cx=fmt(-78 + k * 26), cy="292", r="12", fill=self.colour(white))
                )
        elif kind == "jacket":
            inner = self.traits.inner_color or (
                (240, 240, 244) if sum(base) < 500 else (40, 40, 48)
            )
            out.append(
                self.shape("M -70 262 L -50 900 L 50 900 L 70 262 Q 0 300 -70 262 Z", inner, inner)
            )
            for side in (-1, 1):
                out.append(
                    self.shape(
                        f"M {side * 60} 255 L {side * 120} 250 L {side * 90} 420 L {side * 55} 330 Z",
                        self.shadow(base, 0.05),
                        base,
                    )
                )
            out.append(self.stroke("M -50 262 Q 0 300 50 262", self.ink(inner), self.line_width))
        elif kind == "swimsuit" and t.masculine:
            # A boy's or a man's: swim trunks at the hips, the chest bare (a one-piece
            # with straps on a boy was a girl's swimsuit).
            trunks = (
                f"M {-broad + 60} 900 L {broad - 60} 900 L 215 1190 L 22 1190 L 0 1090 "
                f"L -22 1190 L -215 1190 Z"
            )
            out.append(self.shape(trunks, base, base))
            out.append(self.stroke(f"M {-broad + 60} 930 L {broad - 60} 930", self.ink(base), 6))
            out.append(
                self.stroke("M -60 380 Q 0 400 60 380", self.ink(t.skin), self.line_width * 0.6)
            )
        elif kind == "swimsuit":
            # A one-piece: thin straps over bare shoulders, a scooped neckline, the
            # legs cut high at the hips.
            suit = base
            hips = 1060
            body = (
                f"M -150 420 Q 0 470 150 420 L {broad - 40} 560 L {broad - 70} 820 "
                f"L 200 {hips - 40} L 40 {hips + 60} L -40 {hips + 60} L -200 {hips - 40} "
                f"L {-broad + 70} 820 L {-broad + 40} 560 Z"
            )
            out.append(self.shape(body, suit, suit))
            for side in (-1, 1):
                out.append(
                    self.stroke(f"M {side * 120} 432 L {side * 150} 292", self.colour(suit), 16)
                )
            out.append(self.stroke("M -150 420 Q 0 470 150 420", self.ink(suit), self.line_width))
        elif kind == "plugsuit":
            # A pilot's bodysuit: dark side panels, a collar ring and a chest piece.
            panel = mix(base, (20, 20, 30), 0.6)
            out.append(
                self.shape("M -60 262 Q 0 300 60 262 L 70 300 Q 0 340 -70 300 Z", panel, panel)
            )
            for side in (-1, 1):
                out.append(
                    self.shape(
                        f"M {side * (broad - 40)} 440 L {side * (broad - 78)} 440 "
                        f"L {side * 112} 880 L {side * 144} 880 Z",
                        panel,
                        None,
                    )
                )
            out.append(self.shape("M -90 380 L 90 380 L 70 470 L -70 470 Z", panel, panel))
            glow = (120, 230, 160)
            for side in (-1, 1):
                out.append(
                    el("circle", cx=fmt(side * 40), cy="424", r="14", fill=self.colour(glow))
                )
        if t.bib is not None:
            out.append(self.bib(torso, broad, t.bib))
        return "".join(out)

    def samurai_armour(self, broad: float, waist: float) -> str:
        """Japanese armour over the kimono: a lacquered cuirass (do) of laced rows, its
        breastplate edged in gold, rectangular shoulder plates (sode) hanging from the
        shoulders, and tassets (kusazuri) over the hips; the kimono's collar shows above."""
        lacquer: RGB = (48, 40, 48)
        lacing: RGB = (178, 40, 52)
        gold: RGB = (214, 176, 84)
        lw = self.line_width
        out: list[str] = []
        top, foot = 318.0, waist + 40
        half = broad - 18
        cuirass = (
            f"M {fmt(-half)} {fmt(top + 20)} Q 0 {fmt(top - 14)} {fmt(half)} {fmt(top + 20)} "
            f"L {fmt(half + 10)} {fmt(foot)} Q 0 {fmt(foot + 24)} {fmt(-half - 10)} {fmt(foot)} Z"
        )
        out.append(self.shape(cuirass, lacquer, lacquer))
        # The breastplate: a band across the chest, under the collar, edged in gold.
        band = f"M {fmt(-half + 20)} {fmt(top + 14)} Q 0 {fmt(top - 16)} {fmt(half - 20)} {fmt(top + 14)}"
        out.append(self.stroke(band, self.colour(gold), lw * 1.6))
        # Rows of lames laced in colour: a line across each row and knots along it.
        rows = max(3, int((foot - top - 60) // 46))
        for r in range(rows):
            y = top + 60 + r * (foot - top - 60) / rows
            out.append(
                self.stroke(
                    f"M {fmt(-half - 4)} {fmt(y)} Q 0 {fmt(y + 14)} {fmt(half + 4)} {fmt(y)}",
                    self.colour(lacing),
                    lw * 2.2,
                )
            )
            for k in range(-3, 4):
                out.append(
                    self.stroke(
                        f"M {fmt(k * half / 3.6)} {fmt(y + 6)} l 0 {fmt(22)}",
                        self.colour(lacing),
                        lw * 1.2,
                    )
                )
        # The tassets: plates hung from the waist, laced the same.
        for k in range(-2, 2):
            x = k * half / 2 + 4
            plate = (
                f"M {fmt(x)} {fmt(foot - 6)} L {fmt(x + half / 2 - 8)} {fmt(foot - 6)} "
                f"L {fmt(x + half / 2 - 4)} {fmt(foot + 130)} L {fmt(x - 4)} {fmt(foot + 130)} Z"
            )
            out.append(self.shape(plate, lacquer, lacquer, lw * 0.8))
            for j in (1, 2):
                yy = foot - 6 + j * 45
                out.append(
                    self.stroke(
                        f"M {fmt(x - 2)} {fmt(yy)} L {fmt(x + half / 2 - 6)} {fmt(yy)}",
                        self.colour(lacing),
                        lw * 1.6,
                    )
                )
        # The shoulder plates: broad laced rectangles hung a little out from the arm.
        for side in (-1, 1):
            x0, x1 = side * (broad - 56), side * (broad + 58)
            sode = (
                f"M {fmt(x0)} 286 L {fmt(x1)} 304 L {fmt(x1 + side * 12)} 470 "
                f"L {fmt(x0 + side * 10)} 456 Z"
            )
            out.append(self.shape(sode, lacquer, lacquer))
            for j in range(1, 4):
                y0 = 286 + j * 42
                out.append(
                    self.stroke(
                        f"M {fmt(x0 + side * 2)} {fmt(y0)} L {fmt(x1 + side * 4)} {fmt(y0 + 18)}",
                        self.colour(lacing),
                        lw * 1.8,
                    )
                )
            out.append(self.stroke(f"M {fmt(x0)} 286 L {fmt(x1)} 304", self.colour(gold), lw * 1.4))
        return "".join(out)

    def pajama_collar(self, cloth: RGB) -> str:
        """A pajama top's front: a soft collar lying open in a V, piped in a deeper
        tone, and the buttoned placket down from it."""
        piping = self.deep(cloth, 0.45)
        out = []
        for side in (-1, 1):
            flap = (
                f"M {side * 40} 250 L {side * 118} 262 L {side * 96} 346 "
                f"L {side * 8} 388 Q {side * 30} 320 {side * 40} 250 Z"
            )
            out.append(self.shape(flap, light(cloth, 0.12), cloth))
            out.append(
                self.stroke(
                    f"M {side * 118} 262 L {side * 96} 346 L {side * 8} 388",
                    self.colour(piping),
                    self.line_width * 1.6,
                )
            )
        out.append(self.stroke("M 0 388 L 0 1400", self.colour(piping), self.line_width * 1.2))
        for y in (450, 560, 670, 780):
            out.append(el("circle", cx="16", cy=str(y), r="11", fill=self.colour(piping)))
        return "".join(out)

    def bib(self, torso: str, broad: float, cloth: RGB) -> str:
        """Overalls over the top: the bib from the chest down (inside the torso's
        outline), its pocket, the straps over the shoulders and their buttons."""
        panel = self.shape(
            f"M -130 560 L 130 560 L {broad - 30} 900 L {broad} 1400 "
            f"L {-broad} 1400 L {-broad + 30} 900 Z",
            cloth,
            cloth,
        )
        out = [el("g", [panel], clip_path=self.clip(torso))]
        pocket = "M -90 640 L 90 640 L 90 760 L -90 760 Z"
        out.append(self.stroke(pocket, self.ink(cloth), self.line_width * 0.7, opacity="0.6"))
        button = self.colour((226, 190, 90))
        for side in (-1, 1):
            strap = f"M {side * 104} 566 L {side * 140} 566 L {side * 150} 256 L {side * 116} 256 Z"
            out.append(self.shape(strap, cloth, cloth))
            out.append(el("circle", cx=fmt(side * 112), cy="588", r="13", fill=button))
        return "".join(out)

    def wings(self) -> str:
        """Feathered wings behind the shoulders (drawn before the body)."""
        if "wings" not in self.traits.accessories:
            return ""
        white = (250, 250, 255) if "halo" in self.traits.accessories else (245, 240, 250)
        out = []
        for side in (-1, 1):
            for layer, (reach, lift) in enumerate(((560, -220), (500, -120), (430, -20))):
                d = (
                    f"M {side * 120} 300 C {side * 260} {lift + 40} {side * (reach - 120)} {lift - 60} "
                    f"{side * reach} {lift} C {side * (reach - 40)} {lift + 110} {side * (reach - 90)} "
                    f"{lift + 200} {side * 200} 380 Z"
                )
                tone = mix(white, (196, 200, 232), 0.22 * layer)
                out.append(self.shape(d, tone, (150, 150, 190)))
                # Feather tips along the lower edge.
                for k in range(1, 5):
                    fx = side * (200 + (reach - 200) * k / 5)
                    fy = 380 + (lift + 200 - 380) * k / 5
                    out.append(
                        self.shape(
                            f"M {fmt(fx)} {fmt(fy - 30)} Q {fmt(fx - side * 10)} {fmt(fy + 40)} "
                            f"{fmt(fx - side * 46)} {fmt(fy + 10)} Z",
                            tone,
                            (150, 150, 190),
                            self.line_width * 0.6,
                        )
                    )
        return "".join(out)
