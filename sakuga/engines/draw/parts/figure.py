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

from itertools import pairwise
from typing import Final

from sakuga.engines.draw import catalogue
from sakuga.engines.draw.canvas import JUMP_LIFT, STANCE_SOLE, Canvas
from sakuga.engines.draw.svg import RGB, el, fmt, light, mix, shade
from sakuga.engines.draw.traits import Traits

WAIST_Y: Final = 820
HIPS_Y: Final = 1000
#: A chair's half width: the bench's (`Figure._bench`), one seat wide.
CHAIR_HALF: Final = 270.0
KNEE_Y: Final = 1580
ANKLE_Y: Final = 2020
SOLE_Y: Final = 2110
#: How far a running figure leans into its run (degrees).
RUN_LEAN: Final = 5.0
#: Outfits worn with a skirt (by a girl; a blazer too), and those that reach the feet.
LONG_ROBES: Final = frozenset({"kimono", "cloak"})
#: Outfits that leave the legs bare (and the feet: no shoes on the sand).
BARE_LEGS: Final = frozenset({"swimsuit"})


def wears_shorts(t: Traits) -> bool:
    """Whether the figure's trousers are shorts: said, and trousers drawn at all (not
    under a skirt, a robe or a swimsuit)."""
    return (
        t.shorts and t.outfit not in LONG_ROBES and t.outfit not in BARE_LEGS and not wears_skirt(t)
    )


def frilled_top(t: Traits) -> bool:
    """Whether the top is drawn frilled of its own, wherever the frame ends: a stage
    dress's collar, a maid's white apron's bib (`BodyPainter`)."""
    return t.outfit == "idol" or (t.outfit == "apron" and t.apron_color is None and not t.masculine)


def wears_skirt(t: Traits) -> bool:
    """Whether the figure wears a skirt (drawn by `FigurePainter.skirt`, and what the
    report counts its hem's lace by)."""
    if t.skirt_color is not None and t.outfit not in LONG_ROBES:
        return True  # a skirt said (a blouse and a pleated skirt)
    if t.outfit in ("sailor", "apron", "idol") and t.masculine:
        return False  # over trousers: a boy's sailor suit, a cook's apron
    if t.outfit in catalogue.SKIRTED:
        return True
    return t.outfit == "blazer" and t.build not in ("boy", "adult")


#: Ears that come with their animal's tail, drawn whether or not the tail is said.
TAILED_EARS: Final[dict[str, str]] = {"cat_ears": "cat", "fox_ears": "fox", "wolf_ears": "wolf"}


def has_tail(traits: Traits) -> bool:
    """Whether the figure is drawn with a tail: one asked for, or its ears' animal's."""
    return "tail" in traits.accessories or any(a in TAILED_EARS for a in traits.accessories)


class FigurePainter(Canvas):
    """Waist, hips, hanging arms, skirt or trousers, legs and shoes (part of `Painter`)."""

    @property
    def skirted(self) -> bool:
        return wears_skirt(self.traits)

    @property
    def waist(self) -> tuple[float, float]:
        """Half-widths of the waist and the hips (wider on a heavy body)."""
        w, h = (176, 192) if self.traits.build in ("boy", "adult") else (150, 206)
        heft = self.traits.heft
        return w * (1 + 0.55 * heft + 0.05 * self.traits.brawn), h * (1 + 0.3 * heft)

    # ---- the torso ------------------------------------------------------------------

    def torso_path(self) -> str:
        """Neck, shoulders, the sides down to the waist, and the hips: the shirt's or
        jacket's outline (the arms are drawn on their own)."""
        b = self.broad
        w, h = self.waist
        bottom = WAIST_Y + 60 if self.skirted else HIPS_Y + 50
        if self.traits.stance in ("sit", "kneel", "crouch") and not self.skirted:
            bottom = HIPS_Y - 10  # the lap shows below the shirt
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

    def coat_skirts(self) -> str:
        """A long coat's skirts below the jacket's hem, open in front over the legs of
        a standing or walking figure, to just below the knees."""
        t = self.traits
        if not t.long_coat or t.stance not in ("stand", "walk", "run"):
            return ""
        w, h = self.waist
        hem = KNEE_Y + 70
        colour = t.outfit_color
        out = []
        for side in (-1, 1):
            panel = (
                f"M {side * (w + 4)} {WAIST_Y - 30} C {side * (h + 18)} {HIPS_Y} "
                f"{side * (h + 42)} {KNEE_Y - 120} {side * (h + 58)} {hem} "
                f"Q {side * (h * 0.6)} {hem + 18} {side * 34} {hem + 6} "
                f"C {side * 26} {HIPS_Y + 220} {side * 14} {HIPS_Y} {side * 10} {WAIST_Y - 30} Z"
            )
            out.append(self.shape(panel, colour, colour))
        out.append(
            self.away(
                self.shape(
                    f"M {w * 0.3:.0f} {WAIST_Y} C {h * 0.7:.0f} {HIPS_Y + 120} {h + 20} "
                    f"{KNEE_Y - 80} {h + 50} {hem - 10} L {h + 8} {hem + 4} "
                    f"C {h * 0.8:.0f} {KNEE_Y - 100} {w * 0.5:.0f} {HIPS_Y + 100} "
                    f"{w * 0.2:.0f} {WAIST_Y} Z",
                    self.shadow(colour),
                    None,
                    opacity="0.6",
                )
            )
        )
        return "".join(out)

    def lower_outfit(self) -> str:
        """What covers the hips, in front of the legs: a skirt, or a robe's long body."""
        t = self.traits
        w, h = self.waist
        out: list[str] = []
        if t.outfit in LONG_ROBES:
            colour = t.lower_color or t.outfit_color  # a hakama in its own colour
            foot = self.sole_y - 90  # the robe falls to the feet, as they stand
            if t.stance in ("kneel", "crouch"):  # low, it spreads on the ground around them
                foot = self.sole_y - 10
                base = h + 150
                robe = (
                    f"M {-w - 6} {WAIST_Y - 40} C {-h - 20} {HIPS_Y} {-base} {foot - 150} "
                    f"{-base} {foot} Q 0 {foot + 24} {base} {foot} "
                    f"C {base} {foot - 150} {h + 20} {HIPS_Y} {w + 6} {WAIST_Y - 40} Z"
                )
                out.append(self.shape(robe, colour, colour))
                out.append(
                    self.away(
                        self.shape(
                            f"M 40 {WAIST_Y} C 120 {HIPS_Y + 60} {base - 20} {foot - 120} {base - 4} "
                            f"{foot} Q {base * 0.6} {foot + 16} {base * 0.35} {foot + 12} "
                            f"C {base * 0.3} {foot - 140} 60 {HIPS_Y} 10 {WAIST_Y} Z",
                            self.shadow(colour),
                            None,
                            opacity="0.7",
                        )
                    )
                )
                for side in (-1, 1):  # the knees under the cloth
                    out.append(
                        self.stroke(
                            f"M {side * 40} {foot - 40} Q {side * 106} {foot - 110} {side * 180} "
                            f"{foot - 30}",
                            self.ink(colour),
                            self.line_width * 0.8,
                            opacity="0.6",
                        )
                    )
                return "".join(out)  # (the obi is the torso's: `BodyPainter`)
            robe = (
                f"M {-w - 6} {WAIST_Y - 40} C {-h - 20} {HIPS_Y} {-h - 40} {KNEE_Y} {-h - 56} {foot} "
                f"Q 0 {foot + 30} {h + 56} {foot} C {h + 40} {KNEE_Y} {h + 20} {HIPS_Y} "
                f"{w + 6} {WAIST_Y - 40} Z"
            )
            out.append(self.shape(robe, colour, colour))
            out.append(
                self.away(
                    self.shape(
                        f"M 40 {WAIST_Y} C 90 {HIPS_Y + 200} {h + 10} {KNEE_Y + 100} {h + 50} {foot} "
                        f"L 70 {foot + 14} C 60 {KNEE_Y} 30 {HIPS_Y + 200} 10 {WAIST_Y} Z",
                        self.shadow(colour),
                        None,
                        opacity="0.7",
                    )
                )
            )
            if t.outfit == "kimono" and t.lower_color is not None:
                # A hakama: pleats falling from the waist, its two legs parted below.
                for x in (-70, -25, 25, 70):
                    out.append(
                        self.stroke(
                            f"M {x * 0.6} {WAIST_Y + 20} L {x * 1.5} {foot - 10}",
                            self.ink(colour),
                            self.line_width * 0.7,
                            opacity="0.55",
                        )
                    )
                out.append(
                    self.stroke(
                        f"M 0 {KNEE_Y - 40} L 0 {foot + 12}", self.ink(colour), self.line_width
                    )
                )
                out.append(self._hakama_band())
            elif t.outfit == "kimono":  # the overlap of the front panels, and the obi
                out.append(
                    self.stroke(
                        f"M -30 {WAIST_Y} C -10 {HIPS_Y + 300} 10 {KNEE_Y + 100} 30 {foot + 10}",
                        self.ink(colour),
                        self.line_width,
                    )
                )
                if t.apron_over is not None:  # tied at the waist, to below the knees
                    apron, hem = t.apron_over, KNEE_Y + 80
                    out.append(
                        self.shape(
                            f"M -150 {WAIST_Y} L 150 {WAIST_Y} L 176 {hem} "
                            f"Q 0 {hem + 26} -176 {hem} Z",
                            apron,
                            apron,
                        )
                    )
                # (One obi: the torso's, `BodyPainter`; a second here drew two sashes.)
            return "".join(out)
        if not self.skirted:
            return ""
        colour = t.skirt_color or {
            "sailor": (34, 44, 92) if sum(t.outfit_color) > 600 else t.outfit_color,
            "blazer": (64, 58, 86),
        }.get(t.outfit, t.outfit_color)
        hem_y = {"dress": 1380, "apron": 1380}.get(t.outfit, 1270)
        flare = h + (90 if t.outfit == "idol" else 64)
        pencil = t.pencil_skirt and t.stance in ("stand", "walk", "run")
        if pencil:  # narrow and straight, to just above the knees
            hem_y, flare = KNEE_Y - 90, h + 12
        if t.stance == "sit":  # the skirt drapes over the thighs to the knees
            hem_y, flare = 1150, h + 110
        elif t.stance == "crouch":  # it falls behind the knees drawn up
            hem_y, flare = 1120, h + 90
        elif t.stance == "kneel":
            hem_y, flare = 1200, h + 100
        skirt = (
            f"M {-w - 6} {WAIST_Y - 10} C {-h} {HIPS_Y - 120} {-flare + 20} {hem_y - 160} "
            f"{-flare} {hem_y} Q 0 {hem_y + 34} {flare} {hem_y} "
            f"C {flare - 20} {hem_y - 160} {h} {HIPS_Y - 120} {w + 6} {WAIST_Y - 10} Z"
        )
        out.append(self.shape(skirt, colour, colour))
        # A dress's print runs on down its skirt; a skirt's own print is its own.
        print_ = t.top_print if t.outfit == "dress" and t.skirt_color is None else t.skirt_print
        out.append(self.printed(skirt, print_, colour))
        out.append(
            self.away(
                self.shape(
                    f"M 30 {WAIST_Y} C 80 {HIPS_Y} {flare - 60} {hem_y - 120} {flare - 4} {hem_y} "
                    f"Q {flare * 0.6} {hem_y + 26} {flare * 0.3} {hem_y + 22} "
                    f"C {flare * 0.26} {hem_y - 140} 40 {HIPS_Y} 10 {WAIST_Y} Z",
                    self.shadow(colour),
                    None,
                    opacity="0.75",
                )
            )
        )
        if pencil:  # no pleats: a short vent up from the hem
            out.append(
                self.stroke(
                    f"M 0 {hem_y + 14} L 0 {hem_y - 130}", self.ink(colour), self.line_width * 0.9
                )
            )
        # Pleats: folds fanning out from the waist to the hem.
        for i in range(-3, 4):
            if i == 0 or pencil:
                continue
            x0, x1 = i * w / 4, i * flare / 3.6
            out.append(  # a fold: sharp at the waist, widening to the hem
                self.tapered(
                    (x1, hem_y + 14 - abs(i) * 3),
                    (x1 * 0.9, (WAIST_Y + hem_y) / 2),
                    (x0, WAIST_Y + 30),
                    self.line_width * 1.3,
                    self.ink(colour),
                    opacity="0.55",
                )
            )
        if t.frills and t.outfit != "idol":  # lace said: two tiers of scallops at the hem
            lace = (250, 248, 250) if sum(colour) < 420 else light(colour, 0.55)
            out.append(self.frill(flare, hem_y, lace))
        if t.outfit == "idol":  # a white frill along the hem
            frill = (250, 248, 252)
            out.append(
                self.stroke(
                    f"M {-flare} {hem_y + 2} Q 0 {hem_y + 40} {flare} {hem_y + 2}",
                    self.colour(frill),
                    26,
                )
            )
        if t.outfit == "apron":  # the apron's front over the dress (or the trousers)
            white = t.apron_color or (248, 248, 250)
            out.append(
                self.shape(
                    f"M -110 {WAIST_Y} L 110 {WAIST_Y} L 150 {hem_y - 40} "
                    f"Q 0 {hem_y - 10} -150 {hem_y - 40} Z",
                    white,
                    white,
                )
            )
        return "".join(out)

    def frill(self, flare: float, hem_y: float, lace: RGB) -> str:
        """A lace frill under a skirt's hem: two tiers of scallops following the hem,
        each with an eyelet, outlined in a shade of the lace."""
        count = 8
        out = []
        for tier, drop in ((0, 62.0), (1, 34.0)):  # the lower tier first, the upper over it
            span = flare * (1.0 + 0.04 * (1 - tier))
            r = span / count
            top = hem_y - 10 + drop - 34
            d = [f"M {fmt(-span)} {fmt(top)}"]
            for i in range(count):
                x1 = -span + (i + 1) * 2 * r
                d.append(f"A {fmt(r)} {fmt(drop)} 0 0 0 {fmt(x1)} {fmt(top)}")
            d.append(f"L {fmt(span)} {fmt(top - 40)} L {fmt(-span)} {fmt(top - 40)} Z")
            fill = lace if tier == 0 else shade(lace, 0.08)
            out.append(self.shape(" ".join(d), fill, shade(lace, 0.35), self.line_width * 0.6))
        for i in range(count):  # the eyelets of the lace
            x = -flare + (2 * i + 1) * flare / count
            out.append(
                el(
                    "circle",
                    cx=fmt(x),
                    cy=fmt(hem_y + 26),
                    r=fmt(max(4.0, flare / count * 0.16)),
                    fill=self.colour(shade(lace, 0.3)),
                )
            )
        return "".join(out)

    def _hakama_band(self) -> str:
        """The band at a hakama's (or a gi's trousers') waist: the sash said ("a black
        belt") or the hakama's own ties in its colour. A kimono's obi is the torso's
        (`BodyPainter`)."""
        t = self.traits
        w = self.waist[0]
        if t.sash_color is not None:  # said: "a red obi", "a black belt"
            obi, top = t.sash_color, WAIST_Y - (40 if t.masculine else 90)
        else:
            assert t.lower_color is not None  # (only a hakama has this band)
            obi, top = t.lower_color, WAIST_Y - 40
        return self.shape(
            f"M {-w - 8} {top} L {w + 8} {top} "
            f"L {w + 10} {WAIST_Y + 20} L {-w - 10} {WAIST_Y + 20} Z",
            obi,
            obi,
        )

    # ---- legs --------------------------------------------------------------------------

    def legs(self) -> str:
        """Both legs (or trousers), socks and shoes, a bench to sit on, and the contact
        shadow; drawn behind the torso and the skirt."""
        t = self.traits
        h = self.waist[1]
        sole = self.sole_y
        out: list[str] = [
            ""
            # Lying, the whole body's shadow is on the ground instead; riding, the shadow
            # is the ridden thing's, on the ground under its wheels or hooves.
            if t.stance == "lie" or any(p.where == "mount" for p in t.things)
            else el(
                "ellipse",
                cx="0",
                # In a jump the shadow stays on the ground below the feet, smaller.
                cy=fmt(sole - 8 + (JUMP_LIFT if t.airborne else 0)),
                rx=fmt((h + (200 if t.stance == "sit" else 70)) * (0.7 if t.airborne else 1)),
                ry="34" if not t.airborne else "24",
                fill="#000000",
                opacity="0.18" if not t.airborne else "0.12",
            )
        ]
        out.append(self.tail())
        if t.stance == "run":
            out.append(self.speed_lines())
        if t.mermaid:  # a fish's tail from the hips, in place of legs and shoes
            out.append(self.mermaid_tail())
            return "".join(out)
        if t.stance == "sit":
            seat = next((p for p in t.things if p.where == "seat"), None)
            riding = any(p.where == "mount" for p in t.things)
            if riding:
                pass  # the ridden thing is under her, drawn behind the figure
            elif seat is None:
                out.append(self._throne() if t.throne else self._bench())
            elif seat.vector.name == "chair":
                # A chair drawn as the bench is, one seat wide: its seat's front edge at
                # her knees, so her shins hang below it (the library's chair, its seat
                # lower in its box, came up over her shins: she read as standing).
                out.append(self._bench(CHAIR_HALF))
            else:  # the sofa, bed or armchair the prompt sits her on, from the library
                out.append(self.thing_at(seat, 0, self.sole_y + 40, 1250))  # type: ignore[attr-defined]
        robe = t.outfit in LONG_ROBES
        trousers = not robe and not self.skirted and t.outfit not in BARE_LEGS
        cloth = self._trouser_colour()
        # The leg further back first, so the one in front overlaps it.
        sides = (-1, 1) if self._stride_side < 0 else (1, -1)
        for side in sides:
            if robe:
                break
            plan = self._leg_plan(side)
            if trousers and wears_shorts(t):
                # Shorts: the bare leg, the cloth over its thigh to halfway to the knee.
                out += self._leg(plan, self.limb, HIPS_Y, t.skin)
                hem = HIPS_Y + (plan[1][1] - HIPS_Y) * 0.5
                band = self.clip(f"M -2000 -2000 H 2000 V {fmt(hem)} H -2000 Z")
                shorts = self._leg(plan, 1.2 * self.limb, HIPS_Y - 60, cloth)
                out.append(el("g", shorts, clip_path=band))
            elif trousers:
                girth = 1.04 if t.outfit == "plugsuit" else 1.16
                out += self._leg(plan, girth * self.limb, HIPS_Y - 60, cloth)
                if t.sleepwear:  # the top's print down the trousers
                    leg = _leg_path(plan, girth * self.limb, HIPS_Y - 60)
                    out.append(self.printed(leg, t.top_print, cloth))
                kx, ky, _ = plan[1]
                out.append(
                    self.stroke(
                        f"M {fmt(kx + side * 22)} {fmt(ky - 40)} q {side * 10} 30 0 60",
                        self.ink(cloth),
                        self.line_width * 0.7,
                        opacity="0.5",
                    )
                )
            else:
                out += self._leg(plan, self.limb, HIPS_Y, t.skin)
                socks = self._socks()
                if socks is not None and len(plan) > 2:
                    colour, below_knee = socks
                    top = plan[1][1] + below_knee
                    band = self.clip(f"M -2000 {fmt(top)} H 2000 V 5000 H -2000 Z")
                    sock = self.shape(_leg_path(plan, 1.06, HIPS_Y), colour, colour)
                    out.append(el("g", [sock], clip_path=band))
            if len(plan) > 2:  # feet tucked under a kneeling figure are not seen
                out.append(self._shoe(side, plan[-1][0], plan[-1][1]))
        if trousers and t.stance in ("sit", "kneel"):
            # The lap, seen from the front: the thighs' tops run towards the viewer, a
            # lighter band from the hips out to the knees.
            ky = self._leg_plan(1)[1][1]
            lap = mix(cloth, (255, 255, 255), 0.14)
            out.append(
                self.shape(
                    f"M {-h - 4} {HIPS_Y - 20} L {h + 4} {HIPS_Y - 20} "
                    f"C {h + 30} {HIPS_Y + 40} 190 {ky - 80} 186 {ky - 30} "
                    f"Q 110 {ky + 20} 30 {ky - 40} Q 0 {ky - 20} -30 {ky - 40} "
                    f"Q -110 {ky + 20} -186 {ky - 30} C -190 {ky - 80} {-h - 30} {HIPS_Y + 40} "
                    f"{-h - 4} {HIPS_Y - 20} Z",
                    lap,
                    cloth,
                )
            )
            out.append(
                self.stroke(
                    f"M 0 {HIPS_Y} L 0 {ky - 40}", self.ink(cloth), self.line_width, opacity="0.6"
                )
            )
        elif trousers and t.stance != "crouch":  # the crotch seam where the legs meet
            out.append(
                self.shape(
                    f"M {-h + 10} {HIPS_Y - 60} L {h - 10} {HIPS_Y - 60} L 40 {HIPS_Y + 140} "
                    f"L 0 {HIPS_Y + 170} L -40 {HIPS_Y + 140} Z",
                    cloth,
                    None,
                )
            )
        return "".join(out)

    def mermaid_tail(self) -> str:
        """A mermaid's tail: the hips narrowing to a waist of the tail above a spread
        fin, scales in rows, a lighter belly; in the colour said for it, else teal."""
        t = self.traits
        h = self.waist[1]
        c = t.tail_color
        top, narrow, fin = HIPS_Y - 60, 1780.0, self.sole_y
        sway = 40 * self.variation.hand_side
        body = (
            f"M {-h} {top} C {-h - 10} {top + 500} {-70 + sway} {narrow - 300} {-46 + sway} {narrow} "
            f"L {46 + sway} {narrow} C {70 + sway} {narrow - 300} {h + 10} {top + 500} {h} {top} Z"
        )
        fins = (
            f"M {-46 + sway} {narrow - 10} C {-160 + sway} {fin - 120} {-230 + sway} {fin - 40} "
            f"{-190 + sway} {fin} Q {-60 + sway} {fin - 80} {sway} {narrow + 120} "
            f"Q {60 + sway} {fin - 80} {190 + sway} {fin} C {230 + sway} {fin - 40} "
            f"{160 + sway} {fin - 120} {46 + sway} {narrow - 10} Z"
        )
        out = [self.shape(fins, light(c, 0.15), c), self.shape(body, c, c)]
        scales = " ".join(
            f"M {fmt(x - 26)} {fmt(y)} q 26 26 52 0"
            for y in range(int(top) + 120, int(narrow) - 80, 70)
            for x in range(-int(h * (1 - (y - top) / (narrow - top) * 0.7)) + 30,
                           int(h * (1 - (y - top) / (narrow - top) * 0.7)) - 30, 52)
        )  # fmt: skip
        out.append(self.stroke(scales, self.ink(c), self.line_width * 0.6, opacity="0.45"))
        return "".join(out)

    @property
    def sole_y(self) -> float:
        return STANCE_SOLE[self.traits.stance]

    @property
    def run_lean(self) -> float:
        """How far a running figure leans (degrees, clockwise): towards its raised knee."""
        return RUN_LEAN * self._stride_side

    def speed_lines(self) -> str:
        """Streaks of a run's speed trailing behind the figure, away from its lean."""
        back = -self._stride_side
        lw = self.line_width
        out = []
        for i, (y, length) in enumerate(((700, 260), (980, 340), (1260, 220), (1540, 300))):
            x0 = back * (self.broad + 120 + 40 * (i % 2))
            out.append(
                self.stroke(
                    f"M {fmt(x0)} {y} L {fmt(x0 + back * length)} {y}",
                    self.ink(self.traits.outfit_color),
                    lw * 1.2,
                    opacity="0.45",
                )
            )
        return "".join(out)

    @property
    def _stride_side(self) -> int:
        """Which leg steps forward when walking: the side of the raised hand's opposite."""
        return -1 if self.variation.hand_side >= 0 else 1

    def _leg_plan(self, side: int) -> list[tuple[float, float, float]]:
        """(x, y, half-width) down one leg, from the hip: knee, calf and ankle, as
        the stance holds it. Sitting, the thighs come towards the viewer (short, the
        knees wide); kneeling, the shins go back out of sight."""
        s = side
        stance = self.traits.stance
        if stance == "sit":
            if self.traits.masculine or self.traits.bench_span != (0.0, 0.0):
                # Knees apart, the shins down from them, the feet a little in: a lap.
                return [
                    (94 * s, HIPS_Y, 84),
                    (150 * s, 1120, 66),
                    (140 * s, 1300, 54),
                    (120 * s, 1500, 32),
                ]
            # Knees together and both legs slanted to one side (away from the raised
            # hand): a pose no one standing can strike, so she reads as sitting.
            to = -1 if self.variation.hand_side >= 0 else 1
            return [
                (94 * s, HIPS_Y, 84),
                (58 * s + 70 * to, 1120, 62),
                (52 * s + 118 * to, 1300, 54),
                (46 * s + 150 * to, 1500, 32),
            ]
        if stance == "kneel":
            return [(94 * s, HIPS_Y, 84), (106 * s, 1230, 64)]
        if stance == "crouch":  # knees drawn up and apart, in front of the body
            return [
                (94 * s, HIPS_Y, 84),
                (176 * s, 880, 66),
                (156 * s, 1060, 56),
                (124 * s, 1260, 32),
            ]
        if stance == "run":
            # A run: the leading knee up high before the body, its shin hanging from it
            # and its foot off the ground; the other leg long and slanting out behind,
            # pushing off (apart and bent as no walk or stand is).
            if s == self._stride_side:
                return [
                    (94 * s, HIPS_Y, 80),
                    (170 * s, 1150, 62),
                    (150 * s, 1360, 54),
                    (110 * s, 1560, 32),
                ]
            return [
                (90 * s, HIPS_Y, 80),
                (150 * s, KNEE_Y - 60, 52),
                (206 * s, KNEE_Y + 160, 54),
                (250 * s, ANKLE_Y, 32),
            ]
        if stance == "walk":
            # A stride: the legs apart in an upside-down V, so she reads as stepping
            # (feet side by side, one a little higher, read as standing still).
            if s == self._stride_side:  # stepping forward: lower on the page, out
                return [
                    (94 * s, HIPS_Y, 80),
                    (118 * s, KNEE_Y + 40, 52),
                    (138 * s, KNEE_Y + 250, 58),
                    (156 * s, ANKLE_Y + 60, 33),
                ]
            return [  # the leg behind: its knee bent, its heel lifted, kicked back out
                (88 * s, HIPS_Y, 78),
                (84 * s, KNEE_Y - 40, 48),
                (106 * s, KNEE_Y + 130, 50),
                (134 * s, ANKLE_Y - 130, 30),
            ]
        return [
            (94 * s, HIPS_Y, 80),
            (74 * s, KNEE_Y, 50),
            (70 * s, KNEE_Y + 190, 56),
            (66 * s, ANKLE_Y, 32),
        ]

    def _throne(self) -> str:
        """A throne under a sitting figure: a tall back in red velvet framed in gold
        rising behind the head, gold arms at the sides, the seat and its gold feet."""
        gold, velvet = (214, 170, 64), (150, 30, 44)
        seat_top, front = HIPS_Y - 70, 1130.0
        out = [
            self.shape(  # the back, its top arched over the head
                f"M -330 {seat_top} L -330 -300 Q -330 -480 0 -520 Q 330 -480 330 -300 "
                f"L 330 {seat_top} Z",
                gold,
                gold,
            ),
            self.shape(
                f"M -280 {seat_top} L -280 -280 Q -280 -430 0 -465 Q 280 -430 280 -280 "
                f"L 280 {seat_top} Z",
                velvet,
                velvet,
            ),
            el("circle", cx="0", cy="-440", r="26", fill=self.colour(light(gold, 0.25))),
        ]
        for side in (-1, 1):  # the arms, and a foot under each corner
            out.append(
                self.shape(
                    f"M {side * 330} {HIPS_Y - 260} h {side * 90} V {front} h {side * -90} Z",
                    gold,
                    gold,
                )
            )
            out.append(
                self.shape(
                    f"M {side * 360} {front} h {side * 40} V {self.sole_y - 10} h {side * -40} Z",
                    self.shadow(gold),
                    gold,
                )
            )
        out.append(  # the seat's front, across under the knees
            self.shape(
                f"M -420 {seat_top + 40} L 420 {seat_top + 40} L 420 {front + 50} "
                f"L -420 {front + 50} Z",
                velvet,
                velvet,
            )
        )
        out.append(
            self.shape(
                f"M -420 {front + 50} L 420 {front + 50} L 420 {front + 90} L -420 {front + 90} Z",
                gold,
                gold,
            )
        )
        return "".join(out)

    def _leg(
        self, plan: list[tuple[float, float, float]], girth: float, top: float, colour: RGB
    ) -> list[str]:
        """One leg down ``plan`` (bare, or in its cloth), and its shaded strip on the side
        away from the light."""
        light = self.variation.light
        return [
            self.shape(_leg_path(plan, girth, top), colour, colour),
            self.shape(_leg_path(plan, girth, top, shade=light), self.shadow(colour), None),
        ]

    def _bench(self, half: float = 430.0) -> str:
        """A plain wooden bench under a sitting figure, seen a little from above: its
        seat a band from behind the hips to its front edge under the knees, the front
        rail below it, the legs to the ground — the thighs rest on it, so she reads as
        sitting, not standing behind a plank."""
        wood = (150, 104, 66)
        back, front, rail = HIPS_Y - 70, 1130.0, 1180.0
        top = light(wood, 0.12)
        # Several sitting side by side share one long bench: each draws it out to its
        # neighbours (the parts overlap into one).
        left, right = half + self.traits.bench_span[0], half + self.traits.bench_span[1]
        # The backrest behind the back: two slats on posts, so the seat reads as a
        # bench sat on, not a table stood in front of.
        # (The backrest's posts at the long bench's two ends only: a neighbour's end
        # post stood in the middle of the shared bench, and read as a second bench.)
        left_end, right_end = self.traits.bench_ends
        # Its boards outlined along their length, and across only at the bench's own
        # ends: where a neighbour's part meets this one, no edge (it drew a seam).
        edge = self.ink(wood)

        def board(d: str, fill: RGB, runs: list[str], ends: list[tuple[bool, str]]) -> list[str]:
            lines = [*runs, *(end for at, end in ends if at)]
            return [
                self.shape(d, fill),
                self.stroke(" ".join(lines), edge, self.line_width),
            ]

        slats = [
            part
            for y in (HIPS_Y - 560, HIPS_Y - 420)
            for part in board(
                f"M {-(left - 60)} {y} L {right - 60} {y} L {right - 60} {y + 64} "
                f"L {-(left - 60)} {y + 64} Z",
                light(wood, 0.05),
                [
                    f"M {-(left - 60)} {y} H {right - 60}",
                    f"M {-(left - 60)} {y + 64} H {right - 60}",
                ],
                [
                    (left_end, f"M {-(left - 60)} {y} V {y + 64}"),
                    (right_end, f"M {right - 60} {y} V {y + 64}"),
                ],
            )
        ]
        ends = [x for x, end in ((-(left - 90), left_end), (right - 126, right_end)) if end]
        posts = [
            self.shape(f"M {x} {HIPS_Y - 600} h 36 V {back + 4} h -36 Z", self.shadow(wood), wood)
            for x in ends
        ]
        out = [
            *posts,
            *slats,
            self.shape(
                f"M {-(half - 100)} {rail} h 40 V {self.sole_y - 10} h -40 Z",
                self.shadow(wood),
                wood,
            ),
            self.shape(
                f"M {half - 140} {rail} h 40 V {self.sole_y - 10} h -40 Z", self.shadow(wood), wood
            ),
            # The seat's top, its back edge narrower (further away), and its front.
            *board(
                f"M {-(left - 50)} {back} L {right - 50} {back} L {right} {front} L {-left} {front} Z",
                top,
                [f"M {-(left - 50)} {back} H {right - 50}", f"M {-left} {front} H {right}"],
                [
                    (left_end, f"M {-(left - 50)} {back} L {-left} {front}"),
                    (right_end, f"M {right - 50} {back} L {right} {front}"),
                ],
            ),
            *board(
                f"M {-left} {front} L {right} {front} L {right} {rail} L {-left} {rail} Z",
                wood,
                [f"M {-left} {front} H {right}", f"M {-left} {rail} H {right}"],
                [
                    (left_end, f"M {-left} {front} V {rail}"),
                    (right_end, f"M {right} {front} V {rail}"),
                ],
            ),
            self.stroke(
                f"M {-(left - 26)} {(back + front) / 2} L {right - 26} {(back + front) / 2}",
                self.ink(wood),
                self.line_width * 0.6,
                opacity="0.5",
            ),  # between two boards
        ]
        return "".join(out)

    def tail(self) -> str:
        """The tail that goes with the ears (cat, fox, wolf), or one asked for: from the
        small of the back, swinging out on the side away from the raised hand, in the
        hair's colour. A cat's is long and thin, a fox's a great brush with a white
        tip, a wolf's bushy; a bunny's is a puff hidden from the front."""
        t = self.traits
        kind = next((TAILED_EARS[a] for a in t.accessories if a in TAILED_EARS), None)
        if not has_tail(t):
            return ""
        kind = kind or "cat"
        side = -1 if self.variation.hand_side >= 0 else 1
        hair = t.hair_color
        root_y = HIPS_Y - 40
        if kind == "cat":
            d = (
                f"M {side * 40} {root_y} C {side * 260} {root_y + 80} {side * 330} {root_y - 120} "
                f"{side * 300} {root_y - 330} C {side * 290} {root_y - 400} {side * 350} {root_y - 420} "
                f"{side * 370} {root_y - 380} C {side * 380} {root_y - 360} {side * 320} {root_y - 330} "
                f"{side * 336} {root_y - 230} C {side * 360} {root_y - 60} {side * 250} {root_y + 130} "
                f"{side * 40} {root_y + 60} Z"
            )
            return self.shape(d, hair, hair)
        width = 150 if kind == "fox" else 110
        d = (
            f"M {side * 40} {root_y} C {side * 200} {root_y + 120} {side * (260 + width)} "
            f"{root_y - 40} {side * (300 + width * 0.6)} {root_y - 360} "
            f"C {side * (250 + width * 0.2)} {root_y - 250} {side * 180} {root_y - 60} "
            f"{side * 40} {root_y + 70} Z"
        )
        out = [self.shape(d, hair, hair)]
        if kind == "fox":  # the white tip
            tip = (
                f"M {side * (300 + width * 0.6)} {root_y - 360} C {side * (320 + width * 0.6)} "
                f"{root_y - 300} {side * (330 + width * 0.5)} {root_y - 240} {side * (315 + width * 0.45)} "
                f"{root_y - 210} C {side * (290 + width * 0.4)} {root_y - 250} {side * (270 + width * 0.35)} "
                f"{root_y - 290} {side * (300 + width * 0.6)} {root_y - 360} Z"
            )
            out.append(self.shape(tip, (252, 250, 246), (252, 250, 246)))
        return "".join(out)

    def _trouser_colour(self) -> RGB:
        t = self.traits
        if t.bib is not None:
            return t.bib  # overalls: the legs in the bib's cloth
        if t.sleepwear:
            return t.outfit_color  # pajama trousers in the top's cloth
        if t.outfit == "plugsuit":
            return t.outfit_color  # the suit covers the legs too
        if t.outfit in ("suit", "blazer"):
            return mix(t.outfit_color, (20, 20, 30), 0.2)
        if t.outfit == "armor":
            return (150, 156, 170)
        if t.shorts_color is not None and wears_shorts(t):
            return t.shorts_color
        return (58, 72, 110) if t.outfit in ("tshirt", "hoodie", "sweater") else (46, 46, 56)

    def _socks(self) -> tuple[RGB, float] | None:
        """Knee socks with a school uniform, white ones with a stage costume."""
        t = self.traits
        if t.outfit in ("sailor", "blazer"):
            return ((30, 32, 48), KNEE_Y + 40)
        if t.outfit == "idol":
            return ((250, 250, 252), KNEE_Y + 60)
        return None

    def _shoe(self, side: int, x: float, ankle: float) -> str:
        """A shoe seen from the front at the ankle (x, ``ankle``), toes turned a little
        outward."""
        t = self.traits
        sole = ankle + (SOLE_Y - ANKLE_Y)
        colour: RGB = {
            "sailor": (60, 40, 34),
            "blazer": (60, 40, 34),
            "suit": (30, 28, 30),
            "idol": (240, 90, 140),
            "kimono": (200, 170, 130),
            "armor": (120, 126, 140),
            "swimsuit": t.skin,
            "plugsuit": mix(t.outfit_color, (20, 20, 30), 0.35),
        }.get(
            t.outfit,
            (235, 235, 240) if t.outfit in ("hoodie", "tshirt", "sweater") else (70, 50, 44),
        )
        toe = x + side * 22
        d = (
            f"M {fmt(x - 40)} {ankle - 20} L {fmt(x + 40)} {ankle - 20} "
            f"C {fmt(x + 44 + side * 8)} {ankle + 30} {fmt(toe + 52)} {sole - 40} "
            f"{fmt(toe + 44)} {sole - 6} Q {fmt(toe)} {sole + 8} {fmt(toe - 44)} {sole - 6} "
            f"C {fmt(toe - 54)} {sole - 40} {fmt(x - 46 + side * 8)} {ankle + 30} "
            f"{fmt(x - 40)} {ankle - 20} Z"
        )
        rim = f"M {fmt(toe - 46)} {sole - 14} Q {fmt(toe)} {sole + 4} {fmt(toe + 46)} {sole - 14}"
        return self.shape(d, colour, colour) + self.stroke(
            rim, self.ink(colour), self.line_width * 1.2
        )


def _leg_path(
    plan: list[tuple[float, float, float]], girth: float, top: float, *, shade: int = 0
) -> str:
    """The outline of one leg along ``plan`` (its first point moved to ``top``),
    ``girth`` times as wide (trousers are wider); with ``shade`` (the key light's
    side: +1 the image's left, -1 its right), the strip on the side away from it."""
    points = [(plan[0][0], top, plan[0][2]), *plan[1:]]
    side = 1 if plan[0][0] > 0 else -1
    if shade:
        away = 1 if shade > 0 else -1  # the shadowed edge: right for a light from the left
        inset = 0.35 if side == away else 0.45
        far = [(x + away * r * girth, y) for x, y, r in points]
        near = [(x + away * r * girth * inset, y) for x, y, r in points]
        outer, inner = (far, near)
    else:
        outer = [(x + side * r * girth, y) for x, y, r in points]
        inner = [(x - side * r * girth, y) for x, y, r in points]

    def through(edge: list[tuple[float, float]]) -> str:
        d = ""
        for (x0, y0), (x1, y1) in pairwise(edge):
            pull = (y1 - y0) * 0.45
            d += f"C {fmt(x0)} {fmt(y0 + pull)} {fmt(x1)} {fmt(y1 - pull)} {fmt(x1)} {fmt(y1)} "
        return d

    back = inner[::-1]
    return (
        f"M {fmt(inner[0][0])} {fmt(inner[0][1])} L {fmt(outer[0][0])} {fmt(outer[0][1])} "
        + through(outer)
        + f"L {fmt(back[0][0])} {fmt(back[0][1])} "
        + through(back)
        + "Z"
    )
