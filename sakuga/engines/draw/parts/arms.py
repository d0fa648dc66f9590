"""An arm raised into the picture, a hand in one of a few gestures, and what it holds.

Hands are the hardest part of anime drawing, so there are few gestures, each drawn as
a whole shape: an open hand (waving), a peace sign, a fist, a thumbs-up, the OK sign
(thumb and index in a ring), a pointing hand, and a grip around whatever the character
holds. Figure units: the head's centre is (0, 0),
the face about 300 wide; up is -y.
"""

from __future__ import annotations

import math

from sakuga.engines.draw import catalogue
from sakuga.engines.draw.parts.held import HeldPainter
from sakuga.engines.draw.parts.things import HELD_SIZE
from sakuga.engines.draw.parts.tools import Doing, ToolPainter
from sakuga.engines.draw.svg import RGB, el, fmt, light
from sakuga.engines.draw.things import Placed

#: Where each gesture puts the wrist (x on the arm's side, y) and how the hand turns.
WRISTS: dict[str, tuple[float, float, float]] = {
    "wave": (300, 175, 14),
    "peace": (268, 200, 6),
    "fist": (285, 190, 0),
    "thumb": (280, 205, 0),  # a thumbs-up beside the face
    "ok": (268, 200, 6),  # the OK sign where the peace sign goes
    "point": (250, 280, 0),
    "hold": (245, 330, 0),
    "chin": (46, 296, -8),  # the fist under the chin, the forearm across the chest
    "salute": (262, -34, -62),  # the flat hand at the brow, fingers to the temple
}
#: Actions done with a tool in both hands, by their paint (`catalogue.ACTIONS`).
TOOL_ACTIONS = frozenset(e.paint for e in catalogue.ACTIONS)
#: Gestures made with both hands.
TWO_HANDED = frozenset({"heart", "crossed", "cheer", "pray", "cheeks"}) | TOOL_ACTIONS
#: Props held high (the grip near the shoulder) rather than at the chest.
HELD_HIGH = frozenset({"sword", "katana", "staff", "wand", "umbrella", "lantern", "bow"})
#: Sleeves that end above the elbow (the forearm bare).
SHORT_SLEEVES = frozenset({"tshirt", "idol", "dress", "apron", "swimsuit"})


def capsule(x0: float, y0: float, x1: float, y1: float, r: float) -> str:
    """A finger: a stadium from (x0, y0) to (x1, y1), ``r`` wide on each side."""
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length * r, dx / length * r
    return (
        f"M {fmt(x0 + nx)} {fmt(y0 + ny)} L {fmt(x1 + nx)} {fmt(y1 + ny)} "
        f"A {fmt(r)} {fmt(r)} 0 0 0 {fmt(x1 - nx)} {fmt(y1 - ny)} "
        f"L {fmt(x0 - nx)} {fmt(y0 - ny)} A {fmt(r)} {fmt(r)} 0 0 0 {fmt(x0 + nx)} {fmt(y0 + ny)} Z"
    )


#: How far from the wrist a fist closes on what it holds (figure units).
GRIP_REACH = 48.0


class ArmPainter(HeldPainter, ToolPainter):
    """The arm, hand and prop (a part of `Painter`)."""

    def arms(self) -> str:
        t = self.traits
        gesture = self.raised_gesture
        if t.facing in ("back", "over_shoulder") and not (
            t.prop == "umbrella" and gesture == "hold"
        ):
            # Seen from behind, the arms hang at the sides — but an umbrella is still
            # held up over the head (the shaft in the hand at the shoulder).
            gesture = None
        full = self.full_figure
        side = 1 if self.variation.hand_side >= 0 else -1
        if full:  # the figure shows its arms: those not gesturing hang at its sides
            busy = {-1, 1} if gesture in TWO_HANDED else {side} if gesture else set()
            rest = "".join(self.hanging_arm(s) for s in (-1, 1) if s not in busy)
        else:
            rest = ""
        if gesture is None:
            return rest
        if gesture in TOOL_ACTIONS:
            return self.tool_arms(self.doing(gesture))
        played = next((p for p in t.things if p.where == "played"), None)
        if gesture == "hold" and t.prop is None and played and played.vector.size >= 80:
            return self.tool_arms(self.playing(played, side))  # strummed in both hands
        hugged = next((p for p in t.things if p.where == "held" and p.hugged), None)
        if gesture == "hold" and t.prop is None and hugged is not None:
            return self.hugging_arms(hugged)
        if gesture in TWO_HANDED:
            return rest + self.both_arms(gesture)
        if gesture == "hip":  # only a figure framed to the hips shows it
            return rest + (self.hand_on_hip(side) if full else "")
        if gesture == "reach":  # a hand held out low to the side, to another's
            return rest + (self.reaching_arm(side) if full else "")
        if gesture == "around":  # an arm around another's shoulders, behind them
            return {"gesture": self.arm_around(side), "rest": rest}.get(
                t.arms_drawn, rest + self.arm_around(side)
            )
        wx, wy, turn = WRISTS[gesture]
        if gesture == "hold" and t.prop in HELD_HIGH:
            wx, wy = 262, 230
        if gesture == "hold" and t.prop == "microphone":
            wx, wy = 175, 300
        if gesture == "hold" and t.prop == "book" and t.reading and self.full_figure:
            # Read with the whole figure shown: the open book held low before the chest,
            # the forearm across from the elbow at the waist (not folded up to the
            # shoulder, the book beside the head).
            wx, wy = 200, 520
        # A thing from the library is held at the chest, below the face; food or a drink
        # raised to the mouth; an instrument played across the body.
        library_held = gesture == "hold" and t.prop is None
        held = next((p for p in t.things if p.where in ("held", "mouth", "played")), None)
        if library_held:
            wx, wy = {"mouth": (150, 262), "played": (40, 500)}.get(
                held.where if held else "", (215, 470 if full else 420)
            )
        wx *= side
        out: list[str] = [rest]
        # The forearm rises from below the frame to the wrist, in its sleeve (from the
        # elbow, with the upper arm, where the figure shows it).
        broad = self.broad
        ex, ey = side * (broad + 20), 640
        if library_held:  # the forearm comes up from below the frame to the chest
            ex, ey = side * (broad + 40), 900
        sleeve = self.sleeve_colour
        if full:
            ex, ey = side * (broad + 70), 560
            out.append(self.upper_arm(side, (ex, ey)))
        if gesture == "salute":  # the elbow out at the shoulder's height
            ex, ey = side * (broad + 120), 330
            out.append(self.upper_arm(side, (ex, ey)))
        girth = 0.75 if full else 1.0
        if t.outfit in SHORT_SLEEVES:  # the forearm bare below a short sleeve, as the upper arm
            skin = t.skin
            out.append(self.shape(_limb(ex, ey, wx, wy, 50 * girth, 42 * girth), skin, skin))
        else:
            out.append(self.forearm(ex, ey, wx, wy, sleeve, girth=girth))
        prop = t.prop if gesture == "hold" else None
        grip = (wx, wy - 34)
        behind, front = self.prop(prop, grip, side) if prop else ("", "")
        if library_held and held is not None and held.where == "played":
            behind = self.played_thing(held, side)
        elif library_held and held is not None:
            behind = self.held_thing(held, grip, side)
        # A dish, a ball or a box rests on the open palm (the fingers under it, the
        # thing in front of the hand); an animal or a toy is hugged, a small thing
        # gripped in the fist.
        on_palm = (
            library_held
            and held is not None
            and held.where == "held"
            and not (held.vector.animal or held.vector.group == "game")
            and held.vector.size >= 15
        )
        hand = el(
            "g",
            [self.hand("wave" if on_palm else gesture, side)],
            transform=f"translate({fmt(wx)} {fmt(wy)}) "
            f"rotate({fmt(-side * 84 if on_palm else turn * side)}) scale(1.45)",
        )
        out += [hand, behind] if on_palm else [behind, hand]  # a grip is in front of it
        out.append(front)
        return "".join(out)

    def tool_arms(self, doing: Doing) -> str:
        """An action's tool (`ToolPainter.doing`), or an instrument played, with a fist
        closed on it for each grip, the arm bent from the shoulder through its elbow; an
        arm it leaves free hangs at the side where the frame shows it."""
        gripped = {g.side for g in doing.grips}
        out = [self.hanging_arm(s) for s in (-1, 1) if s not in gripped and self.full_figure]
        hands = []
        for g in doing.grips:
            (ex, ey), (gx, gy) = g.elbow, g.at
            length = math.hypot(gx - ex, gy - ey) or 1.0
            ux, uy = (gx - ex) / length, (gy - ey) / length
            wrist = (gx - ux * GRIP_REACH, gy - uy * GRIP_REACH)
            out.append(self.upper_arm(g.side, g.elbow))
            if self.traits.outfit in SHORT_SLEEVES:
                skin = self.traits.skin
                out.append(
                    self.shape(_limb(ex, ey, *wrist, 50 * self.limb, 40 * self.limb), skin, skin)
                )
            else:
                out.append(self.forearm(ex, ey, *wrist, self.sleeve_colour, girth=0.75))
            turn = math.degrees(math.atan2(ux, -uy))  # the fingers on along the forearm
            hands.append(
                el(
                    "g",
                    [self.hand("hold", g.side)],
                    transform=f"translate({fmt(wrist[0])} {fmt(wrist[1])}) "
                    f"rotate({fmt(turn)}) scale(1.4)",
                )
            )
        return "".join([*out, doing.behind, *hands, doing.front])

    def hugging_arms(self, held: Placed) -> str:
        """A thing hugged ("hugging a teddy bear"): held against the chest in both arms,
        the upper arms down the sides, the forearms wrapped across its lower middle and
        the hands meeting over it — no arm left hanging, no hand apart from its arm."""
        b = self.broad
        girth = 0.75 if self.full_figure else 1.0
        size = min(max(self.life_size(held) * 0.85, HELD_SIZE[0]), HELD_SIZE[1])
        # Its bottom at the waist, its middle at the chest (`held_thing` stands a hugged
        # thing on ``grip``'s y, its bottom 0.3 of its size and a hand's breadth below).
        # A bust's frame ends below the chest: the hug is drawn higher, inside it.
        lift = 240.0 if self.traits.pose == "bust" else 0.0
        bottom = (800.0 if self.full_figure else 840.0) - lift
        grip_y = bottom - size * 0.3 - 24
        ey = 600.0 - lift
        out = [self.upper_arm(s, (s * (b + 26), ey)) for s in (-1, 1)]
        out.append(self.held_thing(held, (size * 0.08, grip_y), 1))
        for s, wy in ((-1, ey + 50), (1, ey + 18)):  # one arm a little over the other
            ex = s * (b + 26)
            wx = -s * 30.0
            if self.traits.outfit in SHORT_SLEEVES:
                skin = self.traits.skin
                limb = _limb(ex, ey, wx, wy, 50 * girth * self.limb, 42 * girth * self.limb)
                out.append(self.shape(limb, skin, skin))
            else:
                out.append(self.forearm(ex, ey, wx, wy, self.sleeve_colour, girth=girth))
            turn = math.degrees(math.atan2(wx - ex, -(wy - ey)))  # fingers on along the arm
            out.append(
                el(
                    "g",
                    [self.hand("hold", s)],
                    transform=f"translate({fmt(wx)} {fmt(wy)}) rotate({fmt(turn)}) scale(1.4)",
                )
            )
        return "".join(out)

    def both_arms(self, gesture: str) -> str:
        """Two-handed gestures: heart hands, palms together, arms up, or crossed."""
        t = self.traits
        skin = t.skin
        broad = self.broad
        sleeve = self.sleeve_colour
        out: list[str] = []
        full = self.full_figure
        if gesture == "heart":
            for side in (-1, 1):
                if full:
                    out.append(self.upper_arm(side, (side * (broad - 10), 700)))
                out.append(self.forearm(side * (broad - 10), 700, side * 66, 478, sleeve))
            for side in (-1, 1):  # the palms, from the wrists up the heart's lower sides
                s = side
                palm = (
                    f"M {s * 4} 426 L {s * 88} 352 Q {s * 104} 396 {s * 92} 440 "
                    f"Q {s * 78} 486 {s * 40} 490 Q {s * 14} 478 {s * 4} 426 Z"
                )
                out.append(self.shape(palm, skin, skin))
            heart = (
                "M 0 312 C -22 276 -96 268 -96 322 C -96 362 -36 392 0 424 "
                "C 36 392 96 362 96 322 C 96 268 22 276 0 312 Z"
            )
            out.append(
                el("path", d=heart, fill="none", stroke=self.ink(skin), stroke_width=fmt(34))
            )
            out.append(
                el("path", d=heart, fill="none", stroke=self.colour(skin), stroke_width=fmt(26))
            )
            for side in (-1, 1):  # the knuckles where the fingers meet
                out.append(
                    self.stroke(
                        f"M {side * 20} 300 L {side * 8} 318",
                        self.ink(skin),
                        self.line_width * 0.7,
                    )
                )
            return "".join(out)
        if gesture == "cheeks":  # both palms on the cheeks (shock, delight), fingers up
            for side in (-1, 1):
                if full:
                    out.append(self.upper_arm(side, (side * (broad - 10), 700)))
                out.append(self.forearm(side * (broad - 10), 700, side * 150, 250, sleeve))
            for side in (-1, 1):
                s = side
                palm = (
                    f"M {s * 122} 252 Q {s * 100} 170 {s * 108} 78 Q {s * 116} 28 "
                    f"{s * 142} 32 Q {s * 176} 40 {s * 178} 96 Q {s * 182} 190 {s * 168} 252 Z"
                )
                out.append(self.shape(palm, skin, skin))
                for fx in (128, 152):  # the lines between the fingers
                    out.append(
                        self.stroke(
                            f"M {s * fx} 50 Q {s * (fx + 2)} 90 {s * (fx + 4)} 136",
                            self.ink(skin),
                            self.line_width * 0.6,
                        )
                    )
            return "".join(out)
        if gesture == "pray":  # palms pressed together before the chest, fingers up
            for side in (-1, 1):
                if full:
                    out.append(self.upper_arm(side, (side * (broad - 10), 700)))
                out.append(self.forearm(side * (broad - 10), 700, side * 40, 470, sleeve))
            for side in (-1, 1):
                s = side
                palm = (
                    f"M {s * 2} 286 Q {s * 14} 270 {s * 26} 284 Q {s * 50} 340 {s * 52} 420 "
                    f"Q {s * 50} 470 {s * 14} 478 L {s * 2} 478 Z"
                )
                out.append(self.shape(palm, skin, skin))
                # The thumb along the palm's edge, and a line between the fingers.
                out.append(
                    self.stroke(
                        f"M {s * 44} 440 Q {s * 30} 400 {s * 22} 372",
                        self.ink(skin),
                        self.line_width * 0.7,
                    )
                )
            return "".join(out)
        if gesture == "cheer":  # both arms up in a V, hands open
            for side in (-1, 1):
                elbow = (side * (broad + 110), 170.0)
                wrist = (side * (broad + 60), -120.0)
                out.append(self.upper_arm(side, elbow))
                out.append(self.forearm(*elbow, *wrist, sleeve, girth=0.75 if full else 0.9))
                out.append(
                    el(
                        "g",
                        [self.hand("wave", side)],
                        transform=f"translate({fmt(wrist[0])} {fmt(wrist[1])}) "
                        f"rotate({fmt(side * 12)}) scale(1.45)",
                    )
                )
            return "".join(out)
        # Crossed: each forearm runs across the chest to the other side, hand tucked.
        if full:
            for side in (-1, 1):
                out.append(self.upper_arm(side, (side * (broad + 20), 430)))
        for side, y in ((-1, 430), (1, 395)):
            x0, x1 = side * (broad + 20), -side * broad * 0.55
            band = (
                f"M {fmt(x0)} {y - 52} Q 0 {y - 72} {fmt(x1)} {y - 40} L {fmt(x1)} {y + 34} "
                f"Q 0 {y + 8} {fmt(x0)} {y + 44} Z"
            )
            out.append(self.shape(band, sleeve, sleeve))
            out.append(
                el(
                    "ellipse",
                    cx=fmt(x1 - side * 10),
                    cy=fmt(y - 4),
                    rx="30",
                    ry="34",
                    fill=self.colour(skin),
                    stroke=self.ink(skin),
                    stroke_width=fmt(self.line_width),
                )
            )
        return "".join(out)

    def shoulder(self, side: int) -> tuple[float, float]:
        return side * (self.broad - 34), 330

    def upper_arm(self, side: int, elbow: tuple[float, float]) -> str:
        """From the shoulder to ``elbow``, in the sleeve (or bare past a short one)."""
        sx, sy = self.shoulder(side)
        ex, ey = elbow
        t = self.traits
        sleeve = self.sleeve_colour
        k = self.limb
        arm = _limb(sx, sy, ex, ey, 70 * k, 60 * k)
        if t.outfit in SHORT_SLEEVES:
            cut = (sx + (ex - sx) * 0.45, sy + (ey - sy) * 0.45)
            return self.shape(_limb(sx, sy, ex, ey, 60 * k, 50 * k), t.skin, t.skin) + self.shape(
                _limb(sx, sy, *cut, 76 * k, 72 * k), sleeve, sleeve
            )
        return self.shape(arm, sleeve, sleeve)

    def hand_on_hip(self, side: int) -> str:
        """The elbow out to the side and the hand on the hip, knuckles forward."""
        t = self.traits
        b = self.broad
        elbow = (side * (b + 120), 620.0)
        wrist = (side * 176.0, 880.0)
        out = [self.upper_arm(side, elbow)]
        if t.outfit in SHORT_SLEEVES:
            out.append(self.shape(_limb(*elbow, *wrist, 50, 40), t.skin, t.skin))
        else:
            out.append(self.forearm(*elbow, *wrist, self.sleeve_colour, girth=0.72))
        out.append(
            el(
                "g",
                [self.hand("fist", side)],
                transform=f"translate({fmt(wrist[0])} {fmt(wrist[1])}) rotate({fmt(side * 150)}) scale(1.35)",
            )
        )
        return "".join(out)

    def hanging_arm(self, side: int) -> str:
        """An arm at rest: down the side, the elbow a little out, the hand by the hip."""
        t = self.traits
        b = self.broad
        stance = t.stance
        elbow = (side * (b + 4), 660.0)
        wrist = (side * (b - 14), 960.0)
        bars = self.handlebars()
        if bars is not None:  # riding: both hands out on the handlebars
            ahead = 1 if bars[0] > 0 else -1
            wrist = (bars[0] - ahead * (40 if side == ahead else 110), bars[1] + 30)
            elbow = (side * (b + 30) + (wrist[0] - side * b) * 0.35, (400 + wrist[1]) / 2 + 60)
            return self.arm_to(side, elbow, wrist, turn=-ahead * 90.0)
        if stance == "sit":  # hands on the lap
            elbow, wrist = (side * (b + 10), 700.0), (side * 118.0, 1010.0)
        elif stance == "kneel":  # hands on the thighs
            elbow, wrist = (side * (b + 8), 700.0), (side * 128.0, 1060.0)
        elif stance == "crouch":  # hands resting on the knees
            elbow, wrist = (side * (b + 40), 640.0), (side * 186.0, 850.0)
        elif stance == "run":  # bent at the elbows, pumping opposite the legs
            forward = side != (-1 if self.variation.hand_side >= 0 else 1)
            if forward:  # the fist swung up before the chest
                elbow, wrist = (side * (b + 60), 700.0), (side * (b - 120), 560.0)
            else:  # the elbow drawn back and out, the fist by the hip
                elbow, wrist = (side * (b + 90), 560.0), (side * (b + 150), 800.0)
        elif stance == "walk":  # arms swing opposite the legs
            forward = side != (-1 if self.variation.hand_side >= 0 else 1)
            wrist = (side * (b - (44 if forward else 0)), 990.0 if forward else 930.0)
        return self.arm_to(side, elbow, wrist, turn=0.0)

    def arm_to(
        self,
        side: int,
        elbow: tuple[float, float],
        wrist: tuple[float, float],
        *,
        turn: float | None,
        girth: float = 0.68,
        bare: float = 40,
    ) -> str:
        """An arm from the shoulder through ``elbow`` to ``wrist``, in its sleeve (bare
        past a short one), and the open hand there turned by ``turn`` degrees (None: no
        hand, one out of sight)."""
        t = self.traits
        out = [self.upper_arm(side, elbow)]
        if t.outfit in SHORT_SLEEVES:
            k = self.limb
            out.append(self.shape(_limb(*elbow, *wrist, 50 * k, bare * k), t.skin, t.skin))
        else:
            out.append(self.forearm(*elbow, *wrist, self.sleeve_colour, girth=girth))
        if turn is not None:
            turned = f"rotate({fmt(turn)}) " if turn else ""
            out.append(
                el(
                    "g",
                    [self.relaxed_hand(side)],
                    transform=f"translate({fmt(wrist[0])} {fmt(wrist[1])}) {turned}scale(1.45)",
                )
            )
        return "".join(out)

    def reaching_arm(self, side: int) -> str:
        """An arm held out low to ``side``, its open hand at ``traits.reach`` from the
        middle at the hips' height: where another's hand holds it."""
        b = self.broad
        wrist = (side * max(self.traits.reach, b + 60), self.traits.reach_y)
        # (The elbow about halfway down from the shoulder's height, 400, to the wrist.)
        elbow = (side * (b + 0.35 * (abs(wrist[0]) - b)), 400 + 0.48 * (wrist[1] - 400))
        return self.arm_to(side, elbow, wrist, turn=-side * 40)

    def arm_around(self, side: int) -> str:
        """An arm out to ``side`` and up to the shoulders' height, reaching
        ``traits.reach`` from the middle: around someone beside, drawn behind them (only
        what shows above their shoulders is seen)."""
        sx = self.shoulder(side)[0]
        wrist = (side * max(self.traits.reach, self.broad + 120), 300.0)
        elbow = (sx + (wrist[0] - sx) * 0.45, 360.0)
        return self.arm_to(side, elbow, wrist, turn=None, girth=0.7, bare=42)

    def boxing_glove(self, side: int) -> str:
        """A boxing glove at the wrist (0, 0): the padded fist, its thumb and cuff."""
        c = self.traits.handwear_color
        fist = "M -34 0 C -46 -40 -40 -92 0 -96 C 40 -98 50 -52 38 0 Z"
        thumb = f"M {-side * 30} -30 C {-side * 52} -44 {-side * 46} -74 {-side * 22} -70 Z"
        cuff = "M -30 0 L 30 0 L 28 22 L -28 22 Z"
        return (
            self.shape(cuff, (250, 250, 250), (250, 250, 250))
            + self.shape(fist, c, c)
            + self.shape(thumb, c, c, self.line_width * 0.8)
            + self.stroke(
                "M -20 -84 Q 0 -90 20 -84", self.colour(light(c, 0.45)), self.line_width * 1.6
            )
        )

    def relaxed_hand(self, side: int) -> str:
        """A hand hanging open at the wrist (0, 0), fingers down and a little curled."""
        if self.traits.handwear == "boxing":
            return self.boxing_glove(side)
        skin, finger = self.hand_fill
        m = -side
        palm = "M -24 -2 C -30 18 -28 44 -20 56 L 22 56 C 30 44 30 18 24 -2 Z"
        fingers = [
            f"M {x - 7} 50 Q {x - 6 + m * 3} 78 {x + m * 4} 84 Q {x + 8 + m * 4} 80 {x + 7} 50 Z"
            for x in (-14, -3, 8, 17)
        ]
        thumb = f"M {m * 18} 10 Q {m * 36} 30 {m * 30} 52 Q {m * 22} 50 {m * 14} 30 Z"
        shapes = [self.shape(palm, skin, skin)]
        shapes += [self.shape(d, finger, finger, self.line_width * 0.8) for d in (*fingers, thumb)]
        return "".join(shapes)

    def forearm(
        self, ex: float, ey: float, wx: float, wy: float, sleeve: RGB, girth: float = 1.0
    ) -> str:
        """From the elbow (ex, ey) to the wrist: the sleeve, its cuff, the bare wrist;
        ``girth`` slims it for a figure seen whole."""
        dx, dy = wx - ex, wy - ey
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length, dx / length
        cuff_x, cuff_y = ex + dx * 0.86, ey + dy * 0.86

        def quad(ax: float, ay: float, bx: float, by: float, wa: float, wb: float) -> str:
            return (
                f"M {fmt(ax + nx * wa)} {fmt(ay + ny * wa)} L {fmt(bx + nx * wb)} {fmt(by + ny * wb)} "
                f"L {fmt(bx - nx * wb)} {fmt(by - ny * wb)} L {fmt(ax - nx * wa)} {fmt(ay - ny * wa)} Z"
            )

        skin = self.traits.skin
        g = girth * self.limb
        return (
            self.shape(quad(cuff_x, cuff_y, wx, wy, 24 * g, 21 * g), skin, skin)
            + self.shape(quad(ex, ey, cuff_x, cuff_y, 46 * g, 36 * g), sleeve, sleeve)
            + self.shape(
                quad(cuff_x, cuff_y, cuff_x - dx * 0.05, cuff_y - dy * 0.05, 38 * g, 38 * g),
                light(sleeve, 0.15),
                sleeve,
            )
        )

    @property
    def hand_fill(self) -> tuple[RGB, RGB]:
        """(palm, fingers): the skin, or what the hands wear (fingerless gloves leave
        the fingers bare)."""
        t = self.traits
        if t.handwear is None:
            return t.skin, t.skin
        return t.handwear_color, t.skin if t.handwear == "fingerless" else t.handwear_color

    def hand(self, gesture: str, side: int) -> str:
        """The hand at the wrist (0, 0), fingers up; ``side`` mirrors it (thumb inward)."""
        skin, fingers = self.hand_fill
        if self.traits.handwear == "boxing":  # a padded fist, whatever the gesture
            return self.boxing_glove(side)
        m = -side  # the thumb towards the body's middle
        palm = "M -26 0 C -31 -20 -31 -46 -25 -60 L 25 -60 C 31 -46 31 -20 26 0 Z"
        parts: list[str] = []
        if gesture == "wave":
            for x, length, angle in ((-19, 36, -9), (-6, 44, -3), (7, 42, 3), (19, 33, 9)):
                a = math.radians(angle)
                parts.append(
                    capsule(x, -52, x + math.sin(a) * length, -52 - math.cos(a) * length, 7)
                )
            parts.append(capsule(m * 22, -18, m * 52, -46, 8))
        elif gesture == "peace":
            for x, angle in ((-7, -12), (7, 12)):
                a = math.radians(angle)
                parts.append(capsule(x, -52, x + math.sin(a) * 46, -52 - math.cos(a) * 46, 7))
            for x in (-19, 19) if m > 0 else (19, -19):
                parts.append(capsule(x * 0.9 - m * 4, -58, x * 0.9 + m * 2, -64, 7))
            parts.append(capsule(m * 22, -24, -m * 4, -34, 8))
        elif gesture == "salute":  # the fingers together and straight, the thumb along
            for x, length in ((-18, 38), (-6, 46), (6, 44), (18, 36)):
                parts.append(capsule(x, -52, x * 0.9, -52 - length, 7))
            parts.append(capsule(m * 22, -14, m * 24, -46, 7))
        elif gesture == "thumb":  # the fingers curled across the palm, the thumb up
            for y in (-52, -38, -24, -10):
                parts.append(capsule(-m * 24, y, m * 10, y, 7))
            parts.append(capsule(m * 18, -48, m * 20, -100, 8.5))
        elif gesture == "ok":  # the index curled to the thumb's tip, three fingers up
            fanned = ((-m * 20, 44, -m * 14), (-m * 7, 52, -m * 6), (m * 6, 48, m * 2))
            for x, length, angle in fanned:
                a = math.radians(angle)
                parts.append(
                    capsule(x, -52, x + math.sin(a) * length, -52 - math.cos(a) * length, 7)
                )
            # The ring, beside the fingers on the thumb's side, its hole open.
            cx, cy = m * 26, -74
            ring = (
                f"M {fmt(cx - 22)} {cy} a 22 22 0 1 0 44 0 a 22 22 0 1 0 -44 0 Z "
                f"M {fmt(cx - 10)} {cy} a 10 10 0 1 1 20 0 a 10 10 0 1 1 -20 0 Z"
            )
            parts.append(ring)
        elif gesture == "point":
            parts.append(capsule(m * 6, -50, m * 58, -58, 7))
            parts.append(capsule(m * 22, -26, m * 2, -40, 8))
        else:  # fist, hold
            for x in (-17, -6, 6, 17):
                parts.append(capsule(x, -56, x, -62, 7))
            parts.append(capsule(m * 24, -24, -m * 6, -38, 8))
        fingered = [
            self.shape(d, fingers, fingers, self.line_width * 0.8, fill_rule="evenodd")
            for d in parts
        ]
        # The palm's shadow side lies on the palm, under the fingers and the thumb (over
        # them, it showed the palm through the thumb).
        shade_d = "M 26 0 C 31 -20 31 -46 25 -60 L 14 -60 C 20 -40 20 -18 16 0 Z"
        palm_shapes = [
            self.shape(palm, skin, skin),
            el(
                "path",
                d=shade_d,
                fill=self.colour(self.shadow(skin)),
                opacity="0.5",
                transform="scale(-1 1)" if side > 0 else None,
            ),
        ]
        if self.traits.handwear == "fingerless":  # the glove over the bare fingers' roots
            shapes = [*fingered, *palm_shapes]
        else:
            shapes = [*palm_shapes, *fingered]
        if gesture in ("fist", "hold"):
            # Knuckle creases: the fingers folded over the palm.
            shapes.append(
                self.stroke(
                    "M -22 -48 L 22 -48", self.ink(skin), self.line_width * 0.6, opacity="0.7"
                )
            )
        return "".join(shapes)


def _limb(x0: float, y0: float, x1: float, y1: float, w0: float, w1: float) -> str:
    """A tapered limb from (x0, y0), ``w0`` wide, to (x1, y1), ``w1`` wide, with
    rounded ends."""
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    a0 = (x0 + nx * w0 / 2, y0 + ny * w0 / 2)
    b0 = (x0 - nx * w0 / 2, y0 - ny * w0 / 2)
    a1 = (x1 + nx * w1 / 2, y1 + ny * w1 / 2)
    b1 = (x1 - nx * w1 / 2, y1 - ny * w1 / 2)
    r0, r1 = w0 / 2, w1 / 2
    return (
        f"M {fmt(a0[0])} {fmt(a0[1])} L {fmt(a1[0])} {fmt(a1[1])} "
        f"A {fmt(r1)} {fmt(r1)} 0 0 0 {fmt(b1[0])} {fmt(b1[1])} "
        f"L {fmt(b0[0])} {fmt(b0[1])} A {fmt(r0)} {fmt(r0)} 0 0 0 {fmt(a0[0])} {fmt(a0[1])} Z"
    )
