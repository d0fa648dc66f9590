"""Actions done with a tool in both hands (`catalogue.ACTIONS`): knitting on two crossed
needles, sweeping with a broom, serving from a tray, watering with a watering can.

Each action is one method, ``_doing_<paint>``, that returns a `Doing`: where each hand
closes on the tool (and where its elbow is), and the tool drawn behind the hands and in
front of them. The arms themselves are the arm painter's (`ArmPainter.tool_arms`).
Figure units, as the arms': the head's centre is (0, 0), up is -y.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from sakuga.engines.draw import catalogue
from sakuga.engines.draw.canvas import NECK_Y, SQUASH_WIDTH, STANCE_SOLE
from sakuga.engines.draw.parts.things import ThingPainter
from sakuga.engines.draw.svg import RGB, el, fmt, light
from sakuga.engines.draw.things import Placed, library

Point = tuple[float, float]

#: What an action's tool is drawn in, besides the colour said of what it is done to.
WOOD: Final[RGB] = (176, 124, 74)
NEEDLE: Final[RGB] = (214, 206, 188)
WATER: Final[RGB] = (150, 206, 246)
TEA: Final[RGB] = (196, 120, 58)
COFFEE: Final[RGB] = (104, 64, 40)
CHINA: Final[RGB] = (250, 248, 242)
LEAF_GREEN: Final[RGB] = (92, 160, 84)
PLANT_GREEN: Final[RGB] = (124, 194, 88)
#: Flowers watered when their colour is not said: a bed of mixed ones.
FLOWER_COLOURS: Final[tuple[RGB, ...]] = ((240, 120, 160), (250, 206, 80), (246, 246, 250))
#: How big a tool is drawn in a chibi's hands, of its size in a figure's.
CHIBI_TOOL: Final = 0.8
FALLEN_LEAVES: Final[tuple[RGB, ...]] = ((222, 120, 48), (196, 64, 44), (236, 176, 60))


@dataclass(frozen=True)
class Grip:
    """One hand on the tool: its side (+1 the image's right), its elbow, and where the
    fist closes."""

    side: int
    elbow: Point
    at: Point


@dataclass(frozen=True)
class Doing:
    """An action as drawn: the hands' grips, the tool behind the hands, and what is
    drawn over them."""

    grips: tuple[Grip, ...]
    behind: str
    front: str = ""


def _along(a: Point, b: Point, t: float) -> Point:
    return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t


class ToolPainter(ThingPainter):
    """Draws the tool of `Traits.action` (a part of `Painter`, through the arms)."""

    def doing(self, paint: str) -> Doing:
        """The action whose entry's paint is ``paint``, as drawn."""
        drawn: Doing = getattr(self, f"_doing_{paint}")()
        return drawn

    def playing(self, placed: Placed, side: int) -> Doing:
        """A guitar (any big instrument) played across the body: its body at the waist
        on the strumming hand's side (``side``), its neck rising across to the other,
        the strumming fist at the sound hole and the other hand out along the neck."""
        size = min(self.life_size(placed) * 0.55, 780.0)
        x0, y0, x1, y1 = placed.vector.box
        k = size / max(x1 - x0, y1 - y0, 1.0)
        # The library's guitar faces right: its body low on the left, its neck up to the
        # right at 45 degrees; turned 20 degrees flatter, it lies across the body.
        mirror = side > 0
        body = (x0 + (x1 - x0) * 0.32, y0 + (y1 - y0) * 0.68)
        head = (x0 + (x1 - x0) * 0.9, y0 + (y1 - y0) * 0.1)
        if mirror:
            body, head = (32 - body[0], body[1]), (32 - head[0], head[1])
        turn = 20.0 if not mirror else -20.0
        at = (side * 70.0, 780.0 if self.full_figure else 600.0)  # (a bust ends above)
        a = math.radians(turn)

        def placed_at(p: Point) -> Point:
            dx, dy = (p[0] - body[0]) * k, (p[1] - body[1]) * k
            return at[0] + dx * math.cos(a) - dy * math.sin(a), at[1] + dx * math.sin(
                a
            ) + dy * math.cos(a)

        drawn = el(
            "g",
            [self.vector(placed, mirror=mirror, line=self.line_width * 2.0 / k)],
            transform=f"translate({fmt(at[0])} {fmt(at[1])}) rotate({turn:g}) scale({k:.4f}) "
            f"translate({fmt(-body[0])} {fmt(-body[1])})",
        )
        strum = placed_at((body[0] + (head[0] - body[0]) * 0.12, body[1] - 1.0))
        fret = placed_at(_along(body, head, 0.66))
        b = self.broad
        grips = (
            Grip(side, (side * (b + 50), at[1] - 150), strum),
            Grip(-side, (-side * (b + 10), at[1] - 40), fret),
        )
        return Doing(grips, drawn)

    @property
    def action_entry(self) -> catalogue.Thing:
        return next(e for e in catalogue.ACTIONS if e.name == self.traits.action)

    @property
    def work_y(self) -> float:
        """Where the hands work in front of the chest: higher in a bust, whose frame
        ends at the chest."""
        return 400.0 if self.traits.pose == "bust" else 560.0

    @property
    def ground_below(self) -> float:
        """The ground under the figure in the body's own units, which a chibi's are
        drawn squashed in (`Canvas.squash`); out of a frame that ends above the feet."""
        if not self.full_figure:
            return float(STANCE_SOLE["stand"])
        return NECK_Y + (self.ground_y - NECK_Y) / self.squash

    @property
    def upright(self) -> tuple[float, float]:
        """How a tool is scaled (across, down) so that it keeps its shape on a chibi,
        whose arms are drawn squashed with its body, a little smaller there."""
        if self.squash == 1.0:
            return 1.0, 1.0
        return CHIBI_TOOL / SQUASH_WIDTH, CHIBI_TOOL / self.squash

    def kept_upright(self, shapes: str, at: Point) -> str:
        """``shapes`` scaled about ``at`` to keep their shape (`upright`)."""
        kx, ky = self.upright
        if (kx, ky) == (1.0, 1.0):
            return shapes
        return el(
            "g",
            [shapes],
            transform=f"translate({fmt(*at)}) scale({kx:.3f} {ky:.3f}) "
            f"translate({fmt(-at[0])} {fmt(-at[1])})",
        )

    @property
    def tool_side(self) -> int:
        """The side the tool reaches out to: the open side of the frame."""
        return 1 if self.variation.hand_side >= 0 else -1

    def _doing_knit(self) -> Doing:
        """Two needles crossed before the chest, a fist on each, the piece knitted
        hanging from them in its colour and a ball of yarn by it."""
        t = self.traits
        y = self.work_y
        s = self.tool_side
        b = self.broad
        wool = t.action_color or self.action_entry.colour or (206, 64, 78)
        grips = (
            Grip(-1, (-(b + 10), y + 90), (-72, y)),
            Grip(1, (b + 10, y + 90), (72, y)),
        )
        lw = self.line_width
        # The piece: a panel hanging from the needles' cross, its rows of stitches.
        top, bottom, half = y - 58, y + 150, 62
        piece = (
            f"M {-half} {fmt(top + 14)} Q 0 {fmt(top - 8)} {half} {fmt(top + 14)} "
            f"L {half + 6} {fmt(bottom)} Q {half * 0.5} {fmt(bottom + 14)} 0 {fmt(bottom)} "
            f"Q {-half * 0.5} {fmt(bottom + 14)} {-half - 6} {fmt(bottom)} Z"
        )
        stitches = []
        for row in range(int((bottom - top - 24) // 22)):
            ry = top + 26 + row * 22
            for col in range(-2, 3):
                cx = col * 22
                stitches.append(f"M {cx - 8} {fmt(ry)} L {cx} {fmt(ry + 10)} L {cx + 8} {fmt(ry)}")
        behind = [
            self.shape(piece, wool, wool),
            self.stroke(" ".join(stitches), self.ink(wool), lw * 0.55, opacity="0.55"),
        ]
        # The ball of yarn beside it, the strand running to the piece: on the lap when
        # sitting, at the frame's foot otherwise (out of a bust's frame).
        # (Seen whole and standing, it lies at the feet, the strand let down to it; by
        # what is on the lap, a cat, rather than under it.)
        seated = t.stance in ("sit", "kneel") and self.full_figure
        ball: Point | None = (
            (s * (250.0 if any(p.where == "lap" for p in t.things) else 130.0), 1000.0)
            if seated
            else (s * 260.0, self.ground_below - 60)
            if t.pose == "full"
            else (s * 215.0, y + 165)
            if t.pose != "bust"
            else None
        )
        if ball is not None:
            bx, by = ball
            yarn = Placed(library()["yarn"], "yarn", "used", colour=wool)
            behind.append(
                self.stroke(
                    f"M {s * 40} {fmt(bottom)} Q {fmt(s * 90)} {fmt(by + 40)} "
                    f"{fmt(bx - s * 40)} {fmt(by - 30)}",
                    self.colour(wool),
                    lw * 0.9,
                )
            )
            behind.append(
                self.kept_upright(self.thing_at(yarn, bx, by, 130.0, anchor="centre"), ball)
            )
        # The needles, crossing above the piece, each through a fist.
        needles = []
        for side in (-1, 1):
            x0, y0 = side * 110, y + 22
            x1, y1 = -side * 60, y - 120
            needles.append(
                self.stroke(f"M {x0} {fmt(y0)} L {x1} {fmt(y1)}", self.ink(NEEDLE), lw * 3.2)
                + self.stroke(f"M {x0} {fmt(y0)} L {x1} {fmt(y1)}", self.colour(NEEDLE), lw * 2)
                + el("circle", cx=fmt(x0), cy=fmt(y0), r="11", fill=self.colour(WOOD))
            )
        return Doing(grips, "".join(behind) + "".join(needles))

    def _doing_sweep(self) -> Doing:
        """A broom held slantwise across the body in both hands, its head on the ground
        out to one side, the swept leaves or dust by it."""
        t = self.traits
        s = self.tool_side
        b = self.broad
        ground = self.ground_below
        top: Point = (-s * 80.0, 440.0)
        foot: Point = (s * 400.0, ground - 250)
        upper, lower = _along(top, foot, 0.14), _along(top, foot, 0.47)
        grips = (
            Grip(-s, (-s * (b + 20), 700.0), upper),
            Grip(s, (s * (b + 50), 780.0), lower),
        )
        lw = self.line_width
        straw = self.traits.tool_color or self.action_entry.colour or (214, 178, 100)
        handle = self.stroke(
            f"M {fmt(*top)} L {fmt(*foot)}", self.ink(WOOD), lw * 5.4
        ) + self.stroke(f"M {fmt(*top)} L {fmt(*foot)}", self.colour(WOOD), lw * 3.8)
        # The head: bristles fanning from the binding to the ground, splayed as swept.
        fx, fy = foot
        spread = (fx - s * 60, fx + s * 210)
        head = (
            f"M {fmt(fx - 26)} {fmt(fy - 10)} L {fmt(fx + 26)} {fmt(fy + 10)} "
            f"Q {fmt(max(spread) + 10)} {fmt(ground - 60)} {fmt(max(spread))} {fmt(ground)} "
            f"L {fmt(min(spread))} {fmt(ground)} "
            f"Q {fmt(min(spread) - 10)} {fmt(ground - 60)} {fmt(fx - 26)} {fmt(fy - 10)} Z"
        )
        strands = " ".join(
            f"M {fmt(fx + (i - 3) * 6)} {fmt(fy + 10)} "
            f"L {fmt(spread[0] + (spread[1] - spread[0]) * i / 6)} {fmt(ground - 6)}"
            for i in range(7)
        )
        band = self.stroke(
            f"M {fmt(fx - 34)} {fmt(fy + 14)} L {fmt(fx + 34)} {fmt(fy + 30)}",
            self.colour((150, 40, 44)),
            lw * 2.4,
        )
        behind = [
            handle,
            self.shape(head, straw, straw),
            self.stroke(strands, self.ink(straw), lw * 0.7),
        ]
        behind.append(band)
        # What is swept, just ahead of the bristles: leaves said, else a puff of dust.
        ahead = min(spread) - s * 40 if s > 0 else max(spread) - s * 40
        if "leaves" in t.action_shows or "fallen leaves" in t.action_shows:
            heap = ((0, -20, 30), (-s * 80, -12, -40), (s * 50, -44, 80), (-s * 150, -18, 10),
                    (-s * 40, -50, -70))  # fmt: skip
            for i, (dx, dy, turn) in enumerate(heap):
                behind.append(self._leaf(ahead + dx, ground + dy, turn, FALLEN_LEAVES[i % 3]))
        else:
            for dx, r in ((0, 26), (-s * 44, 18), (-s * 80, 12)):
                behind.append(
                    el(
                        "circle",
                        cx=fmt(ahead + dx),
                        cy=fmt(ground - r),
                        r=fmt(r),
                        fill=self.colour((236, 226, 206)),
                        opacity="0.7",
                    )
                )
        # Two strokes of the sweep's motion beside the bristles.
        motion = "".join(
            self.stroke(
                f"M {fmt(max(spread) + s * 40 if s > 0 else min(spread) + s * 40)} {fmt(ground - h)} "
                f"q {fmt(s * 50)} {-20} {fmt(s * 90)} 0",
                self.ink(straw),
                lw * 0.8,
                opacity="0.6",
            )
            for h in (50, 100)
        )
        return Doing(grips, "".join(behind) + motion)

    def _leaf(self, x: float, y: float, turn: float, colour: RGB) -> str:
        leaf = "M -44 0 Q 0 -30 44 0 Q 0 30 -44 0 Z"
        return el(
            "g",
            [self.shape(leaf, colour, colour, self.line_width * 0.7)],
            transform=f"translate({fmt(x)} {fmt(y)}) rotate({fmt(turn)})",
        )

    def _doing_serve(self) -> Doing:
        """A tray held level before the body, a fist on each end, with what is served
        on it: the food and drink said, else a teapot and a cup (cups of coffee, if
        coffee is said)."""
        t = self.traits
        y = self.work_y + 50
        b = self.broad
        metal = self.traits.tool_color or self.action_entry.colour or (196, 200, 210)
        half = 190.0
        grips = (
            Grip(-1, (-(b + 30), y + 140), (-half + 14, y + 8)),
            Grip(1, (b + 30, y + 140), (half - 14, y + 8)),
        )
        rim = (
            f"M {-half} {fmt(y)} L {-half + 16} {fmt(y + 22)} L {half - 16} {fmt(y + 22)} "
            f"L {half} {fmt(y)} Z"
        )
        face = el(
            "ellipse",
            cx="0",
            cy=fmt(y),
            rx=fmt(half),
            ry="30",
            fill=self.colour(light(metal, 0.2)),
            stroke=self.ink(metal),
            stroke_width=fmt(self.line_width),
        )
        on_it: list[str] = []
        served = [p for p in t.things if p.where == "used"]
        if served:
            # What is served, and the cups of the tea or coffee said beside it (cups said
            # beside a teapot: two of them, not the teapot alone).
            drink = next(
                (d for w, d in (("coffee", COFFEE), ("tea", TEA)) if w in t.action_shows), None
            )
            cupped = any(p.vector.name in ("cup", "teacup", "mug") for p in served)
            cups = 0 if cupped else 2 if "cup" in t.action_shows else int(drink is not None)
            count = len(served) + cups
            step = min(150.0, 300 / max(count - 1, 1))
            for i, p in enumerate(served):
                x = (i - (count - 1) / 2) * step
                on_it.append(self.thing_at(p, x, y + 6, 130.0 if count < 3 else 110.0))
            for i in range(len(served), count):
                on_it.append(self._cup((i - (count - 1) / 2) * step, y + 8, drink or TEA))
        elif "tea" not in t.action_shows and {"coffee", "drinks", "cup"} & set(t.action_shows):
            drink = COFFEE if "coffee" in t.action_shows else TEA
            on_it += [self._cup(-70, y + 4, drink), self._cup(80, y + 8, drink)]
        else:
            teapot = Placed(library()["teapot"], "tea", "used")
            on_it += [self.thing_at(teapot, -60, y + 6, 140.0), self._cup(95, y + 8, TEA)]
        return Doing(grips, self.shape(rim, metal, metal) + face + "".join(on_it))

    def _cup(self, x: float, y: float, drink: RGB) -> str:
        """A cup on its saucer, its drink showing and steaming, standing at (x, y)."""
        lw = self.line_width
        saucer = el(
            "ellipse", cx=fmt(x), cy=fmt(y - 4), rx="50", ry="11",
            fill=self.colour(CHINA), stroke=self.ink(CHINA), stroke_width=fmt(lw * 0.8),
        )  # fmt: skip
        bowl = (
            f"M {fmt(x - 40)} {fmt(y - 66)} L {fmt(x + 40)} {fmt(y - 66)} "
            f"Q {fmt(x + 38)} {fmt(y - 10)} {fmt(x)} {fmt(y - 10)} "
            f"Q {fmt(x - 38)} {fmt(y - 10)} {fmt(x - 40)} {fmt(y - 66)} Z"
        )
        handle = self.stroke(
            f"M {fmt(x + 36)} {fmt(y - 56)} q 26 4 14 28 q -6 8 -18 6",
            self.ink(CHINA),
            lw * 1.6,
        )
        top = el(
            "ellipse", cx=fmt(x), cy=fmt(y - 66), rx="40", ry="9",
            fill=self.colour(drink), stroke=self.ink(CHINA), stroke_width=fmt(lw * 0.8),
        )  # fmt: skip
        steam = "".join(
            self.stroke(
                f"M {fmt(x - 10 + i * 20)} {fmt(y - 82)} q 10 -16 0 -32 q -10 -16 0 -32",
                "#ffffff",
                lw,
                opacity="0.75",
            )
            for i in range(2)
        )
        return saucer + handle + self.shape(bowl, CHINA, CHINA) + top + steam

    def _doing_water(self) -> Doing:
        """A watering can held out to the open side by its handle, tilted, the water
        falling from its rose onto the flowers (or plants) said, at the ground."""
        t = self.traits
        s = self.tool_side
        b = self.broad
        ground = self.ground_below
        grip: Point = (s * (b + 170), 600.0)
        grips = (Grip(s, (s * (b + 95), 520.0), grip),)
        can = self.traits.tool_color or self.action_entry.colour or (86, 160, 132)
        lw = self.line_width
        k, tilt = 1.6, 24.0
        # The can in its own units: its handle's grip at (0, 0), the spout to the right.
        body = "M -74 40 L 74 40 L 70 150 Q 0 162 -70 150 Z"
        spout = "M 56 120 L 186 22 L 198 36 L 72 144 Z"
        rose = "M 180 10 L 214 -6 L 226 42 L 196 48 Z"
        handle = "M -52 44 Q -40 -26 0 -26 Q 40 -26 52 44"
        shapes = [
            self.shape(spout, can, can),
            self.shape(rose, light(can, 0.1), can),
            self.stroke(handle, self.ink(can), lw * 4.2),
            self.stroke(handle, self.colour(can), lw * 2.6),
            self.shape(body, can, can),
            self.stroke("M -70 70 L 72 70", self.colour(light(can, 0.35)), lw * 1.4),
        ]
        at = f"translate({fmt(*grip)}) scale({fmt(s * k)} {fmt(k)}) rotate({fmt(tilt)})"
        tool = self.kept_upright(el("g", shapes, transform=at), grip)
        # Where the rose's face is, in figure units: the water falls from there.
        a = math.radians(tilt)
        rx, ry = 212.0, 24.0
        kx, ky = self.upright
        tip = (
            grip[0] + kx * s * k * (rx * math.cos(a) - ry * math.sin(a)),
            grip[1] + ky * k * (rx * math.sin(a) + ry * math.cos(a)),
        )
        land = tip[0] + s * 70
        drops = []
        for i in range(9):
            f = (i + 0.6) / 9
            dx = s * 70 * f**0.6 + (-1) ** i * 16
            drops.append(
                el(
                    "path",
                    d="M 0 -16 Q 9 0 0 8 Q -9 0 0 -16 Z",
                    fill=self.colour(WATER),
                    stroke=self.ink(WATER),
                    stroke_width=fmt(lw * 0.5),
                    transform=f"translate({fmt(tip[0] + dx)} {fmt(tip[1] + 30 + f * (ground - tip[1] - 230))}) scale(1.3)",
                )
            )
        stream = "".join(
            self.stroke(
                f"M {fmt(tip[0] + s * o)} {fmt(tip[1] + 10)} Q {fmt(tip[0] + s * (o + 50))} "
                f"{fmt(tip[1] + 140)} {fmt(land + s * o)} {fmt(tip[1] + 420)}",
                self.colour(WATER),
                lw * 1.2,
                opacity="0.75",
            )
            for o in (-14, 6, 26)
        )
        bed = (
            self.kept_upright(self._flowers(land, ground), (land, ground)) if t.action_shows else ""
        )
        return Doing(grips, bed + stream + "".join(drops) + tool)

    def _flowers(self, x: float, ground: float) -> str:
        """The flowers (or plants) watered, a small bed of them on the ground at ``x``."""
        t = self.traits
        out = []
        lw = self.line_width
        blooms = any(w.startswith("flower") for w in t.action_shows)
        for i, (dx, h) in enumerate(((-110, 260), (0, 340), (110, 280), (210, 210))):
            fx, top = x + dx, ground - h
            out.append(
                self.stroke(
                    f"M {fmt(fx)} {fmt(ground)} Q {fmt(fx + 14)} {fmt(ground - h / 2)} {fmt(fx)} {fmt(top)}",
                    self.ink(LEAF_GREEN),
                    lw * 1.8,
                )
            )
            # Plants alone are their leaves: more of them, broader, up the stem.
            rows = (0.35,) if blooms else (0.3, 0.62, 0.94)
            for n, up in enumerate(rows):
                for side in (-1, 1) if blooms else ((-1, 1)[(i + n) % 2],):
                    w = 1.0 if blooms else 1.35
                    leaf = (
                        f"M {fmt(fx)} {fmt(ground - h * up)} "
                        f"q {fmt(side * 56 * w)} {fmt(-50 * w)} {fmt(side * 100 * w)} {fmt(-14 * w)} "
                        f"q {fmt(-side * 50 * w)} {fmt(30 * w)} {fmt(-side * 100 * w)} {fmt(14 * w)} Z"
                    )
                    out.append(self.shape(leaf, PLANT_GREEN, LEAF_GREEN, lw * 0.7))
            if not blooms:
                continue
            petal = t.action_color or FLOWER_COLOURS[i % len(FLOWER_COLOURS)]
            for j in range(5):
                a = math.radians(j * 72 - 90)
                out.append(
                    el(
                        "circle",
                        cx=fmt(fx + math.cos(a) * 34),
                        cy=fmt(top + math.sin(a) * 34),
                        r="28",
                        fill=self.colour(petal),
                        stroke=self.ink(petal),
                        stroke_width=fmt(lw * 0.7),
                    )
                )
            out.append(
                el("circle", cx=fmt(fx), cy=fmt(top), r="17", fill=self.colour((250, 200, 60)))
            )
        return "".join(out)

    def _doing_stir(self) -> Doing:
        """A pot on the stove before her, its soup steaming: a ladle stirred in it by
        one hand, the other on the pot's handle."""
        s = self.tool_side
        b = self.broad
        lw = self.line_width
        y = self.work_y
        pot = self.traits.tool_color or self.action_entry.colour or (206, 70, 60)
        # (High before the chest: a half-length frame ends above the waist.)
        half, rim, base = 160.0, y + 20, y + 200
        cx = s * 30.0
        ladle_top: Point = (s * 210.0, y - 170)
        ladle_in: Point = (cx - s * 20, rim + 4)
        grips = (
            Grip(s, (s * (b + 60), y + 20), _along(ladle_top, ladle_in, 0.3)),
            Grip(-s, (-s * (b + 30), y + 100), (cx - s * (half + 44), rim + 40)),
        )
        # The stove's top under the pot: a dark grate across, a blue flame's tips below.
        stove = self.shape(
            f"M {fmt(cx - 320)} {fmt(base - 6)} L {fmt(cx + 320)} {fmt(base - 6)} "
            f"L {fmt(cx + 340)} {fmt(base + 60)} L {fmt(cx - 340)} {fmt(base + 60)} Z",
            (70, 72, 80),
            (70, 72, 80),
        )
        flames = "".join(
            self.shape(
                f"M {fmt(cx + dx - 16)} {fmt(base - 4)} Q {fmt(cx + dx)} {fmt(base - 44)} "
                f"{fmt(cx + dx + 16)} {fmt(base - 4)} Z",
                (90, 150, 250),
                None,
                opacity="0.85",
            )
            for dx in (-110, -40, 40, 110)
        )
        body = (
            f"M {fmt(cx - half)} {fmt(rim)} L {fmt(cx + half)} {fmt(rim)} "
            f"L {fmt(cx + half - 14)} {fmt(base - 20)} Q {fmt(cx + half - 16)} {fmt(base)} "
            f"{fmt(cx + half - 40)} {fmt(base)} L {fmt(cx - half + 40)} {fmt(base)} "
            f"Q {fmt(cx - half + 16)} {fmt(base)} {fmt(cx - half + 14)} {fmt(base - 20)} Z"
        )
        handles = "".join(
            self.stroke(
                f"M {fmt(cx + d * half)} {fmt(rim + 30)} l {fmt(d * 44)} 0 l 0 22 "
                f"l {fmt(-d * 44)} 0",
                self.ink(pot),
                lw * 2.6,
            )
            for d in (-1, 1)
        )
        soup = el(
            "ellipse", cx=fmt(cx), cy=fmt(rim), rx=fmt(half - 6), ry="30",
            fill=self.colour((226, 150, 70)), stroke=self.ink(pot),
            stroke_width=fmt(lw * 1.2),
        )  # fmt: skip
        swirl = self.stroke(
            f"M {fmt(cx - 70)} {fmt(rim + 4)} q 40 -16 80 -4 q 30 10 50 -2",
            self.colour((250, 196, 120)),
            lw * 1.1,
        )
        handle = self.stroke(
            f"M {fmt(*ladle_top)} L {fmt(*ladle_in)}", self.ink(WOOD), lw * 4.6
        ) + self.stroke(f"M {fmt(*ladle_top)} L {fmt(*ladle_in)}", self.colour(WOOD), lw * 3.0)
        band = self.stroke(
            f"M {fmt(cx - half + 10)} {fmt(rim + 70)} L {fmt(cx + half - 10)} {fmt(rim + 70)}",
            self.colour(light(pot, 0.3)),
            lw * 1.6,
        )
        steam = "".join(
            self.stroke(
                f"M {fmt(cx + dx)} {fmt(rim - 40)} q 26 -40 0 -80 q -26 -40 0 -80",
                "#ffffff",
                lw * 1.8,
                opacity="0.8",
            )
            for dx in (-90, 0, 90)
        )
        tool = stove + flames + self.shape(body, pot, pot) + band + handles + soup + swirl
        return Doing(grips, tool + handle, steam)

    def _doing_fish(self) -> Doing:
        """A rod held out over the water in both hands, its line falling from the tip to
        a float on the water, the water spread on the ground out to that side."""
        s = self.tool_side
        b = self.broad
        lw = self.line_width
        ground = self.ground_below
        rod = self.traits.tool_color or self.action_entry.colour or WOOD
        butt: Point = (-s * 40.0, 900.0)
        tip: Point = (s * 1000.0, 120.0)
        grips = (
            Grip(-s, (-s * (b + 20), 760.0), _along(butt, tip, 0.06)),
            Grip(s, (s * (b + 60), 640.0), _along(butt, tip, 0.2)),
        )
        # The water: a broad pool on the ground, from by her feet out past the tip.
        wx, wy = s * 820.0, ground - 30
        water = el(
            "ellipse", cx=fmt(wx), cy=fmt(wy), rx="560", ry="120",
            fill=self.colour(WATER), stroke=self.ink(WATER), stroke_width=fmt(lw),
        )  # fmt: skip
        shine = "".join(
            self.stroke(
                f"M {fmt(wx + dx - 60)} {fmt(wy + dy)} L {fmt(wx + dx + 60)} {fmt(wy + dy)}",
                "#ffffff",
                lw * 1.2,
                opacity="0.7",
            )
            for dx, dy in ((-300, -40), (-120, 50), (240, -20))
        )
        bob: Point = (tip[0], wy - 10)
        line = self.stroke(
            f"M {fmt(*tip)} L {fmt(*bob)}", self.ink((240, 240, 240)), lw * 0.6, opacity="0.9"
        )
        ripples = "".join(
            el(
                "ellipse",
                cx=fmt(bob[0]),
                cy=fmt(bob[1] + 14),
                rx=fmt(r),
                ry=fmt(r * 0.25),
                fill="none",
                stroke="#ffffff",
                stroke_width=fmt(lw * 0.8),
                opacity="0.8",
            )
            for r in (50, 90)
        )
        floater = el(
            "circle", cx=fmt(bob[0]), cy=fmt(bob[1]), r="18",
            fill=self.colour((226, 50, 50)), stroke=self.ink((226, 50, 50)),
            stroke_width=fmt(lw * 0.8),
        )  # fmt: skip
        pole = self.stroke(f"M {fmt(*butt)} L {fmt(*tip)}", self.ink(rod), lw * 3.4) + self.stroke(
            f"M {fmt(*butt)} L {fmt(*tip)}", self.colour(rod), lw * 2.0
        )
        reel = el(
            "circle", cx=fmt(_along(butt, tip, 0.12)[0]), cy=fmt(_along(butt, tip, 0.12)[1] + 20),
            r="22", fill=self.colour((90, 96, 110)),
        )  # fmt: skip
        behind = water + shine + ripples + line + floater
        return Doing(grips, behind + pole + reel)
