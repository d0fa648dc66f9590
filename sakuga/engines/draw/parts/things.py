"""Things from the vector library, restyled to sit in the scene and placed by relation
(a part of `Painter`; the library and the prompt's reading are in `draw.things`).

Restyling, so an emoji reads as a prop of this drawing and not a sticker on it:

- every colour goes through the drawing's own grade (`Canvas.colour`: the style's
  pastel, the lighting's tint, the style's grade), so a cat at sunset is lit as the
  girl is;
- an outer contour in the style's ink, as heavy as the figure's;
- a cel shadow on the side away from this version's key light;
- its size from its size in life, against the figure's (a cat is a third of a
  sitting girl's height; a mug fits her hand), and a soft contact shadow on the ground.
"""

from __future__ import annotations

import colorsys
import math
import re
from dataclasses import replace
from typing import Final

from sakuga.engines.draw.canvas import SADDLE_Y, STANCE_SOLE, UNITS_PER_CM, Canvas, mount_size
from sakuga.engines.draw.svg import RGB, el, fmt, hex_, light, mix, shade
from sakuga.engines.draw.things import (
    FLOWN,
    HANDLEBARS,
    LYING_BY,
    MOUNTS,
    UNDER_LYING,
    Placed,
    on_a_table,
)
from sakuga.prompt.vocab import COLOR_RGB

#: The smallest and largest a held thing is drawn (figure units): a cherry still reads,
#: a guitar fits the frame.
HELD_SIZE: Final = (110.0, 340.0)
#: The larger side of an animal drawn as the picture's subject (canvas units: the
#: frame is 1000 tall).
SUBJECT_SIZE: Final = 560.0
#: How far a library shape's own colours are eased towards grey (0: as drawn).
SOFTEN: Final = 0.18

_COLOUR = re.compile(r'(fill|stop-color|stroke)="#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})"')
_ID = re.compile(r'\bid="([^"]+)"')
#: How wide a gap in a thing on a lap is closed (box units of 32: between a cat's legs).
SOLID_GAP = 2.4


def _rgb(code: str) -> RGB:
    if len(code) == 3:
        code = "".join(c * 2 for c in code)
    return (int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16))


def _hue(rgb: RGB) -> tuple[float, float, float]:
    """(hue in degrees, saturation 0..1, lightness 0..1)."""
    r, g, b = (c / 255 for c in rgb)
    hi, lo = max(r, g, b), min(r, g, b)
    light = (hi + lo) / 2
    if hi == lo:
        return 0.0, 0.0, light
    d = hi - lo
    sat = d / (1 - abs(2 * light - 1)) if light not in (0, 1) else 0.0
    if hi == r:
        h = ((g - b) / d) % 6
    elif hi == g:
        h = (b - r) / d + 2
    else:
        h = (r - g) / d + 4
    return h * 60, sat, light


def recoloured(rgb: RGB, asked: RGB, main: float) -> RGB:
    """``rgb`` (a saturated fill) in the asked colour, as light or dark relative to the
    shape's main lightness ``main`` as it was: a yellow balloon keeps its highlight."""
    h, s, light_ = _hue(asked)
    _, _, li = _hue(rgb)
    target = min(max(light_ + (li - main), 0.05), 0.97)
    r, g, b = colorsys.hls_to_rgb(h / 360, target, s)
    return (round(r * 255), round(g * 255), round(b * 255))


def saturated(body: str, least: float = 0.3) -> tuple[set[str], float]:
    """The fills of ``body`` that carry its colour (saturated past ``least``, neither
    near black nor white: a bicycle's frame, not its grey tyres) and their median
    lightness."""
    fills = {m.group(2).lower() for m in _COLOUR.finditer(body) if m.group(1) == "fill"}
    keep = {f for f in fills if _hue(_rgb(f))[1] > least and 0.12 < _hue(_rgb(f))[2] < 0.92}
    lights = sorted(_hue(_rgb(f))[2] for f in keep)
    return keep, lights[len(lights) // 2] if lights else 0.5


def _turn(placed: Placed, side: int) -> bool:
    """Whether a thing on ``side`` of the figure (-1: the image's left) is mirrored to
    face the figure."""
    return placed.vector.faces != -side


class ThingPainter(Canvas):
    """Draws `Traits.things` (a part of `Painter`)."""

    def vector(
        self, placed: Placed, *, mirror: bool = False, line: float = 0.1, solid: bool = False
    ) -> str:
        """The thing restyled, in its own 32-unit box; ``line``: its contour's width in
        that box's units; ``solid``: the gaps in its shape closed (an animal on a lap: the
        lap showed between its legs, as if through it), filled in its own colour."""
        v = placed.vector
        body = self._own_ids(v.body, self.uid("t"))
        asked = placed.colour
        recolour, main = saturated(v.body) if asked is not None else (set(), 0.5)
        named, _, kind = v.name.partition("-")
        if asked is None and v.animal and kind and named in COLOR_RGB:
            # An animal named by its colour ("black cat") is that colour all over: the
            # emoji's black cat is a greyish purple, lavender under a night's grade.
            asked = COLOR_RGB[named]
            recolour, main = saturated(v.body, 0.0)

        def paint(m: re.Match[str]) -> str:
            rgb = _rgb(m.group(2))
            if asked is not None and m.group(2).lower() in recolour:
                rgb = recoloured(rgb, asked, main)  # the colour said, in its own shading
            else:  # emoji colours are louder than a cel-shaded palette: a little softer
                grey = round(0.3 * rgb[0] + 0.59 * rgb[1] + 0.11 * rgb[2])
                rgb = mix(rgb, (grey, grey, grey), SOFTEN)
            return f'{m.group(1)}="{self.colour(rgb)}"'

        painted = _COLOUR.sub(paint, body)
        ink = self.colour(self.params.ink)
        # The contour: the shape's silhouette stroked in ink behind it (only its outer
        # half shows), as heavy as the figure's outer line.
        silhouette = self._silhouette(v.body, ink, self.uid("s"))
        contour = el(
            "g",
            [silhouette],
            stroke=ink,
            stroke_width=f"{line:.3f}",
            stroke_linejoin="round",
        )
        # The cel shadow: the silhouette less itself moved towards the light (solid, the
        # silhouette with its gaps closed: no shadow along the gaps' edges).
        closed = self._closing(SOLID_GAP) if solid else None

        def filled(shape: str) -> str:
            return shape if closed is None else el("g", [shape], filter=closed)

        light = self.variation.light
        mask_id = self.uid("m")
        dx, dy = -1.6 * light, -1.3
        self.defs.append(
            el(
                "mask",
                [
                    filled(self._silhouette(v.body, "#ffffff", self.uid("s"))),
                    el(
                        "g",
                        [filled(self._silhouette(v.body, "#000000", self.uid("s")))],
                        transform=f"translate({dx:.2f} {dy:.2f})",
                    ),
                ],
                id=mask_id,
                maskUnits="userSpaceOnUse",
                x="-4",
                y="-4",
                width="40",
                height="40",
            )
        )
        shadow = el(
            "rect",
            x="-2",
            y="-2",
            width="36",
            height="36",
            fill=self.colour(self.params.shadow_tint),
            opacity=f"{min(0.55, self.params.shadow * 1.3):.2f}",
            mask=f"url(#{mask_id})",
            style="mix-blend-mode:multiply",
        )
        flip = "translate(32 0) scale(-1 1)" if mirror else None
        if closed is None:
            return el("g", [contour, painted, shadow], transform=flip)
        # The gaps filled in its first colour that is neither near black nor white (a
        # cat's fur, not its eyes), a little in shadow: its tucked-in underside.
        fills = [m for m in _COLOUR.finditer(v.body) if m.group(1) == "fill"]
        fur = next((m for m in fills if 0.12 < _hue(_rgb(m.group(2)))[2] < 0.92), None)
        under = paint(fur).split('"')[1] if fur is not None else ink
        backing = el("g", [self._silhouette(v.body, under, self.uid("s"))], filter=closed)
        contour = el("g", [contour], filter=closed)
        return el("g", [contour, backing, painted, shadow], transform=flip)

    def _closing(self, radius: float) -> str:
        """A filter that closes gaps narrower than twice ``radius`` (box units) in what it
        draws: grown by ``radius``, then shrunk by it again."""
        fid = self.uid("close")
        self.defs.append(
            el(
                "filter",
                [
                    el("feMorphology", operator="dilate", radius=f"{radius:.2f}"),
                    el("feMorphology", operator="erode", radius=f"{radius:.2f}"),
                ],
                id=fid,
                filterUnits="userSpaceOnUse",
                x="-6",
                y="-6",
                width="44",
                height="44",
            )
        )
        return f"url(#{fid})"

    @staticmethod
    def _own_ids(body: str, prefix: str) -> str:
        """``body`` with its ids (and what refers to them) made unique in the document."""
        ids = set(_ID.findall(body))
        for old in sorted(ids, key=len, reverse=True):
            body = re.sub(rf'\bid="{re.escape(old)}"', f'id="{prefix}{old}"', body)
            body = body.replace(f"url(#{old})", f"url(#{prefix}{old})")
            body = body.replace(f'href="#{old}"', f'href="#{prefix}{old}"')
        return body

    def _silhouette(self, body: str, colour: str, prefix: str) -> str:
        """Every shape of ``body`` in one flat colour (ids kept unique)."""
        flat = _COLOUR.sub(lambda m: f'{m.group(1)}="{colour}"', self._own_ids(body, prefix))
        flat = re.sub(r'(fill|stroke)="url\(#[^)]+\)"', rf'\1="{colour}"', flat)
        flat = re.sub(r'\s(stroke-width|opacity|fill-opacity|stop-opacity)="[^"]*"', "", flat)
        return flat

    # ---- placing -----------------------------------------------------------------------

    def thing_at(
        self,
        placed: Placed,
        x: float,
        bottom: float,
        size: float,
        *,
        mirror: bool = False,
        anchor: str = "bottom",
        line: float | None = None,
        solid: bool = False,
    ) -> str:
        """``placed`` drawn ``size`` units on its larger side, centred on ``x``, its shape's
        bottom at ``bottom`` (or its centre, with ``anchor="centre"``), its contour
        ``line`` units wide (default: the figure's outer line, in figure units)."""
        if placed.potted:  # the plant in the upper part, a clay pot under it
            pot = size * 0.34
            return self.pot(x, bottom, pot, line) + self.thing_at(
                replace(placed, potted=False),
                x,
                bottom - pot * 0.82,
                size - pot * 0.7,
                mirror=mirror,
                line=line,
            )
        x0, y0, x1, y1 = placed.vector.box
        k = size / max(x1 - x0, y1 - y0, 1.0)
        cx = (x0 + x1) / 2
        cy = y1 if anchor == "bottom" else (y0 + y1) / 2
        if mirror:
            cx = 32 - cx
        line = self.line_width * 2.0 if line is None else line
        return el(
            "g",
            [self.vector(placed, mirror=mirror, line=line / k, solid=solid)],
            transform=f"translate({fmt(x - cx * k)} {fmt(bottom - cy * k)}) scale({k:.4f})",
        )

    def pot(self, x: float, bottom: float, height: float, line: float | None) -> str:
        """A terracotta flower pot ``height`` tall standing at (x, bottom): a tapered
        body and a rim, lit on one side."""
        clay = (196, 104, 64)
        w = height * 0.5
        body = (
            f"M {fmt(x - w * 0.8)} {fmt(bottom - height * 0.78)} L {fmt(x - w * 0.62)} {fmt(bottom)} "
            f"L {fmt(x + w * 0.62)} {fmt(bottom)} L {fmt(x + w * 0.8)} {fmt(bottom - height * 0.78)} Z"
        )
        rim = (
            f"M {fmt(x - w)} {fmt(bottom - height)} L {fmt(x + w)} {fmt(bottom - height)} "
            f"L {fmt(x + w)} {fmt(bottom - height * 0.76)} L {fmt(x - w)} {fmt(bottom - height * 0.76)} Z"
        )
        width = self.line_width * 2.0 if line is None else line
        shade_side = (
            f"M {fmt(x + w * 0.25)} {fmt(bottom - height * 0.76)} L {fmt(x + w * 0.8)} "
            f"{fmt(bottom - height * 0.76)} L {fmt(x + w * 0.62)} {fmt(bottom)} L {fmt(x + w * 0.2)} "
            f"{fmt(bottom)} Z"
        )
        return (
            self.shape(body, clay, clay, width)
            + self.shape(shade_side, self.shadow(clay), None, opacity="0.6")
            + self.shape(rim, light(clay, 0.12), clay, width)
        )

    def life_size(self, placed: Placed) -> float:
        return placed.cm * UNITS_PER_CM

    def held_thing(self, placed: Placed, grip: tuple[float, float], side: int) -> str:
        """A held thing at the hand's grip (drawn behind the hand, which holds its lower
        part)."""
        size = min(max(self.life_size(placed) * 0.85, HELD_SIZE[0]), HELD_SIZE[1])
        gx, gy = grip
        # An animal or a toy is hugged (the hand across its middle); anything else rests
        # on the hand, which holds its lower edge.
        hugged = placed.vector.animal or placed.vector.group == "game"
        bottom = gy + size * (0.3 if hugged else 0.1) + 24
        drawn = self.thing_at(
            placed, gx - side * size * 0.08, bottom, size, mirror=_turn(placed, -side)
        )
        if self.squash == 1.0:
            return drawn
        # A chibi's arms are drawn squashed with its body: what the hand holds keeps its
        # own shape (a teddy was flattened to a third of its height), a little smaller.
        k = 0.8
        return el(
            "g",
            [drawn],
            transform=f"translate({fmt(gx)} {fmt(gy)}) scale({k / 0.85:.3f} {k / self.squash:.3f}) "
            f"translate({fmt(-gx)} {fmt(-gy)})",
        )

    def played_thing(self, placed: Placed, side: int) -> str:
        """An instrument played: a guitar's body at the waist, its neck rising across to
        the other side; a violin or a horn smaller, up at the shoulder. The hand at it
        is drawn after it."""
        big = placed.vector.size >= 80
        # A guitar's box (its neck on the diagonal) near its life size: a toy otherwise.
        size = min(self.life_size(placed) * 0.55, 780.0) if big else 300.0
        x, bottom = (side * 40, 860) if big else (-side * 150, 640)
        return self.thing_at(placed, x, bottom, size, mirror=_turn(placed, -side))

    def things_on_figure(self, x: float, scale: float, *, front: bool) -> str:
        """Things in the figure's own units: on the lap and on a shoulder (``front``),
        or at the feet beside it (inside the frame). ``x`` and ``scale``: the figure's
        placement on the canvas."""
        t = self.traits
        out: list[str] = []
        side = -1 if self.variation.hand_side >= 0 else 1  # away from the raised hand
        beside_n = 0
        # Flying (on a broom), what she rides crosses her lap, in front of her skirt,
        # and an animal said by her rides on it behind her: the ground is far below.
        flown = self.full_figure and any(
            p.where == "mount" and p.vector.name in FLOWN for p in t.things
        )
        for placed in t.things:
            on_board = flown and (
                placed.where == "mount" or (placed.where == "beside" and placed.vector.animal)
            )
            if front != (placed.where in ("lap", "shoulder", "head") or on_board):
                continue
            if on_board and placed.where == "beside":
                size = min(self.life_size(placed), 300)
                s = 1 if self.variation.hand_side <= 0 else -1  # behind her, on the handle
                behind = s * (self.broad + 40 + size * 0.5)
                hands = self.handlebars()  # the handle's line, through her seat and hands
                slope = (hands[1] - SADDLE_Y) / hands[0] if hands and hands[0] else 0.0
                y = SADDLE_Y + slope * behind + 30
                out.append(self.thing_at(placed, behind, y, size, mirror=_turn(placed, -s)))
                continue
            if placed.where == "lap" and t.stance == "sit" and self.full_figure:
                size = min(self.life_size(placed), 520) * self.squash  # a chibi's lap is small
                out.append(self.thing_at(placed, 0, self.body_y(1150), size, solid=True))
            elif placed.where == "shoulder":
                size = min(self.life_size(placed), 190)
                x_at = side * self.broad * 0.8
                out.append(self.thing_at(placed, x_at, 430, size, mirror=_turn(placed, side)))
            elif placed.where == "head":  # on the crown, above the hair
                size = min(self.life_size(placed), 200)
                out.append(self.thing_at(placed, 0, -195, size))
            elif placed.where == "mount" and self.full_figure:
                out.append(self.ridden(placed))
            elif placed.where == "beside" and self.full_figure:
                sole = self.body_y(STANCE_SOLE[t.stance]) + 20

                def room_on(s: int) -> float:
                    return (self.width / 2 - s * (x - self.width / 2)) / scale - 30 / scale

                # The first on the side with more room (a bicycle was drawn toy-sized in
                # the narrow strip beside a figure off the centre).
                first = side if room_on(side) >= room_on(-side) else -side
                for _ in range(placed.count):
                    s = first if (beside_n % 2 == 0) else -first
                    # As big as in life, unless the frame is too narrow for it beside
                    # the figure: then smaller, as if a step further back.
                    room = room_on(s)
                    gap = self.broad + 60 + (beside_n // 2) * 200
                    life = self.life_size(placed) * self.squash**0.5  # beside a chibi, smaller
                    size = min(life, max(room - gap, 300))
                    offset = min(gap + size * 0.5, room - size * 0.5)
                    out.append(self.ground_shadow(s * offset, sole, size * 0.42))
                    out.append(
                        self.thing_at(placed, s * offset, sole, size, mirror=_turn(placed, s))
                    )
                    beside_n += 1
        return "".join(out)

    def things_by_lying(self, angle: float) -> str:
        """Things beside a figure lying on the ground, seen from above (a puppy asleep
        by her, a bag; a cat said on her lap lies by her): on the ground along its
        side, from the waist down, in the figure's units, each turned upright on the
        canvas (the figure is turned by ``angle``)."""
        out: list[str] = []
        side = -1 if self.variation.hand_side >= 0 else 1
        n = 0
        for placed in self.traits.things:
            if placed.where not in LYING_BY or placed.vector.name in UNDER_LYING:
                continue
            for _ in range(placed.count if placed.where == "beside" else 1):
                size = min(self.life_size(placed) * self.squash**0.5, 520)
                s = side if n % 2 == 0 else -side
                x = s * (self.broad + 40 + size * 0.5)
                y = self.body_y(760 + (n // 2) * 420)  # by the waist, then by the knees
                thing = self.thing_at(placed, x, y, size, mirror=_turn(placed, s), anchor="centre")
                out.append(el("g", [thing], transform=f"rotate({-angle:g} {fmt(x)} {fmt(y)})"))
                n += 1
        return "".join(out)

    def handlebars(self) -> tuple[float, float] | None:
        """Where the handlebars of what she rides are (figure units), None when it has
        none (a horse) or she rides nothing."""
        placed = next((p for p in self.traits.things if p.where == "mount"), None)
        if placed is None or placed.vector.name not in HANDLEBARS or not self.full_figure:
            return None
        size = mount_size(placed)
        fx, fy = MOUNTS[placed.vector.name]
        hx, hy = HANDLEBARS[placed.vector.name]
        x0, y0, x1, y1 = placed.vector.box
        k = size / max(x1 - x0, y1 - y0)
        d = 1 if self.variation.hand_side > 0 else -1  # mirrored: it faces right
        if placed.vector.name in FLOWN:  # along the levelled handle, ahead of her seat
            turn = math.radians(FLOWN[placed.vector.name])
            dx, dy = (hx - fx) * (x1 - x0) * k, (hy - fy) * (y1 - y0) * k
            ax = dx * math.cos(turn) - dy * math.sin(turn)
            ay = dx * math.sin(turn) + dy * math.cos(turn)
            return d * ax, SADDLE_Y + ay
        return d * (fx - hx) * (x1 - x0) * k, SADDLE_Y - (fy - hy) * (y1 - y0) * k

    def ridden(self, placed: Placed) -> str:
        """What she rides, under her: its seat at her hips, facing this version's way
        (a flown thing, a broom, turned level, in the air)."""
        size = mount_size(placed)
        fx, fy = MOUNTS[placed.vector.name]
        x0, y0, x1, y1 = placed.vector.box
        k = size / max(x1 - x0, y1 - y0)
        if placed.vector.name in FLOWN:
            # Its seat at her hips, turned about it; mirrored to fly to the left.
            sx, sy = x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)
            flip = "" if self.variation.hand_side > 0 else " scale(-1 1)"
            return el(
                "g",
                [self.vector(placed, line=self.line_width * 2.0 / k)],
                transform=(
                    f"translate(0 {fmt(SADDLE_Y)}){flip} rotate({FLOWN[placed.vector.name]:g})"
                    f" scale({k:.4f}) translate({fmt(-sx)} {fmt(-sy)})"
                ),
            )
        mirror = self.variation.hand_side > 0  # it faces the side of the raised hand
        seat_x = x0 + fx * (x1 - x0)
        if mirror:
            seat_x = 32 - seat_x
        # thing_at centres the box on x: move it so the seat is under her (x = 0).
        centre = (x0 + x1) / 2 if not mirror else 32 - (x0 + x1) / 2
        x = -(seat_x - centre) * k
        bottom = SADDLE_Y + (1 - fy) * (y1 - y0) * k
        return self.ground_shadow(x, bottom, size * 0.4) + self.thing_at(
            placed, x, bottom, size, mirror=mirror
        )

    def ground_shadow(self, x: float, y: float, rx: float) -> str:
        return el(
            "ellipse",
            cx=fmt(x),
            cy=fmt(y - rx * 0.04),
            rx=fmt(rx),
            ry=fmt(rx * 0.12),
            fill=hex_(self.params.shadow_tint),
            opacity="0.28",
        )

    def things_near(self, x: float, s: float) -> str:
        """Things beside a figure whose legs the frame does not show, and at the
        foreground's edge: canvas units, in front of the figure at the bottom corners.
        ``x`` and ``s``: the figure's placement."""
        t = self.traits
        out: list[str] = []
        side = -1 if self.variation.hand_side >= 0 else 1
        near_line = self.line_width * 2.0 * s  # as heavy as the figure's, on the canvas
        # Beside a full figure, its first thing stands on ``side``: start on the other.
        corner = int(self.full_figure and any(p.where == "beside" for p in t.things))
        for placed in t.things:
            near = placed.where == "beside" and not self.full_figure
            lap = placed.where == "lap" and not (t.stance == "sit" and self.full_figure)
            if not (near or lap or placed.where == "front"):
                continue
            c = side if corner % 2 == 0 else -side
            for j in range(placed.count):  # several of one thing: a cluster in one corner
                if placed.where == "front":  # near the camera: about life size
                    size = min(max(self.life_size(placed) * s * 0.9, 70), 260) * (0.85**j)
                    inward = (corner // 2) * 150 + j * size * 0.6
                    px = self.width / 2 + c * (self.width / 2 - size * 0.6 - inward)
                    out.append(
                        self.thing_at(
                            placed, px, 985, size, mirror=_turn(placed, c), line=near_line
                        )
                    )
                else:
                    size = min(max(self.life_size(placed) * s, 200), 380)
                    if j == 0 and corner < 2 and self.raised_gesture is None:
                        c = 1 if x < self.width / 2 else -1  # no hand there: the room's side
                    px = x + c * (self.broad * s + size * 0.25 + j * size * 0.5)
                    # Cut by the frame's edge rather than pushed over the figure.
                    px = min(max(px, size * 0.2), self.width - size * 0.2)
                    out.append(
                        self.thing_at(
                            placed, px, 990, size, mirror=_turn(placed, c), line=near_line
                        )
                    )
            corner += 1
        return "".join(out)

    def subject_scene(self) -> str:
        """A picture of no one: what the prompt is about (an animal, a thing) drawn large
        in the middle on the ground (no figure), and the things beside it at their size
        in life against it, on either side, in one row that fits the frame (canvas
        units). With nothing named near, the place alone."""
        subject = next((p for p in self.traits.things if p.where == "subject"), None)
        if subject is None:
            return ""  # the place alone
        size = SUBJECT_SIZE * (0.75 if on_a_table(subject) else 1.0)
        per_cm = size / max(subject.cm, 1.0)
        row: list[tuple[Placed, float]] = [(subject, size)]
        for placed in self.traits.things:
            if placed.where in ("subject", "background", "sky"):
                continue  # the far ones are `things_far`'s
            row += [(placed, min(max(placed.cm * per_cm, 90.0), size * 1.1))] * placed.count

        def across(placed: Placed, size: float) -> float:
            x0, y0, x1, y1 = placed.vector.box
            return size * (x1 - x0) / max(x1 - x0, y1 - y0, 1.0) * (0.55 if placed.potted else 1)

        gap = 24.0
        out: list[str] = []
        ground = 930.0
        if on_a_table(subject):
            # A small thing is set on a table: its wooden top across the frame's foot.
            ground = 790.0
            wood = (118, 74, 48)
            top = f"M -20 {ground - 10} L {fmt(self.width + 20)} {ground - 10} L {fmt(self.width + 20)} 1020 L -20 1020 Z"
            out.append(self.shape(top, wood, wood))
            out.append(
                self.shape(
                    f"M -20 {ground - 10} L {fmt(self.width + 20)} {ground - 10} "
                    f"L {fmt(self.width + 20)} {ground + 8} L -20 {ground + 8} Z",
                    light(wood, 0.2),
                    None,
                )
            )
            for y in (ground + 60, ground + 120):  # the grain
                out.append(
                    self.stroke(
                        f"M -20 {y} Q {fmt(self.width / 2)} {y - 14} {fmt(self.width + 20)} {y}",
                        self.ink(wood),
                        self.line_width * 0.6,
                        opacity="0.35",
                    )
                )
        total = sum(across(p, s) for p, s in row) + gap * (len(row) - 1)
        fit = min(1.0, self.width * 0.94 / total)  # smaller all together, never overlapping
        side = 1 if self.variation.hand_side >= 0 else -1
        line = self.line_width * 1.6
        half = across(subject, size) * fit / 2
        cx = self.width / 2
        # The subject in the middle of the row: shifted by half of what goes beside it.
        widths = [across(p, s) * fit + gap * fit for p, s in row[1:]]
        right = sum(w for i, w in enumerate(widths) if (i % 2 == 0) == (side > 0))
        left = sum(widths) - right
        cx += (left - right) / 2
        out.append(self.ground_shadow(cx, ground, half * 0.9))
        if subject.vector.name in SITTING_TAILS:  # a face alone gets a body, sitting
            out.append(self.sitting_body(subject, cx, ground, size * fit, line))
        else:
            out.append(
                self.thing_at(
                    subject, cx, ground, size * fit, mirror=self.variation.mirror, line=line
                )
            )
        reach = {-1: half, 1: half}  # how far each side of the row is taken, from cx
        for placed, own in row[1:]:
            width = across(placed, own) * fit
            px = cx + side * (reach[side] + gap * fit + width / 2)
            reach[side] += gap * fit + width
            out.append(self.ground_shadow(px, ground + 8, width * 0.45))
            out.append(
                self.thing_at(
                    placed, px, ground + 8, own * fit, mirror=_turn(placed, side), line=line
                )
            )
            side = -side
        return "".join(out)

    def sitting_body(
        self, placed: Placed, cx: float, ground: float, size: float, line: float
    ) -> str:
        """An animal the library has as a face alone (a fox, a wolf, a bear), drawn whole
        as the picture's subject: a sitting body in its fur's colour, a lighter chest,
        two front legs, its tail on one side (a brush, a thin curl or a stub,
        `SITTING_TAILS`), and its face on top."""
        fur, pale = fur_colours(placed)
        kind = SITTING_TAILS[placed.vector.name]
        if placed.colour is not None:
            fur = placed.colour
        head = size * 0.58
        side = -1 if self.variation.mirror else 1
        ink = self.ink(fur)
        neck = ground - head * 1.02
        out = []

        def pt(dx: float, dy: float) -> str:  # head-sized units: out to its side, up
            return f"{fmt(cx + side * head * dx)} {fmt(ground - head * dy)}"

        # The tail, behind: a brush out and up, its tip pale; a thin one curled round
        # the paws; or a round stub.
        if kind == "stub":
            out.append(
                el(
                    "circle",
                    cx=fmt(cx + side * head * 0.42),
                    cy=fmt(ground - head * 0.16),
                    r=fmt(head * 0.1),
                    fill=self.colour(fur),
                    stroke=ink,
                    stroke_width=fmt(line * 0.8),
                )
            )
        elif kind == "thin":  # its outline, then its fur down the middle
            curl = f"M {pt(0.36, 0.1)} Q {pt(0.9, 0.05)} {pt(0.82, 0.5)}"
            out.append(self.stroke(curl, ink, head * 0.11))
            out.append(self.stroke(curl, self.colour(fur), head * 0.11 - line * 1.6))

        if kind == "brush":  # out and up from the haunch, its tip pale
            tail = (
                f"M {pt(0.2, 0.12)} C {pt(0.9, 0)} {pt(1.05, 0.55)} {pt(0.86, 0.86)} "
                f"C {pt(0.72, 0.5)} {pt(0.5, 0.3)} {pt(0.26, 0.42)} Z"
            )
            tip = (
                f"M {pt(0.97, 0.6)} C {pt(1.0, 0.74)} {pt(0.94, 0.84)} {pt(0.86, 0.86)} "
                f"C {pt(0.8, 0.74)} {pt(0.84, 0.62)} {pt(0.97, 0.6)} Z"
            )
            out.append(self.shape(tail, fur, fur))
            out.append(self.shape(tip, pale, None))
        # The body: wide at the haunches, narrow at the neck.
        body = (
            f"M {fmt(cx - head * 0.2)} {fmt(neck + head * 0.1)} "
            f"C {fmt(cx - head * 0.52)} {fmt(neck + head * 0.4)} {fmt(cx - head * 0.56)} "
            f"{fmt(ground - head * 0.05)} {fmt(cx - head * 0.3)} {fmt(ground)} "
            f"L {fmt(cx + head * 0.3)} {fmt(ground)} "
            f"C {fmt(cx + head * 0.56)} {fmt(ground - head * 0.05)} {fmt(cx + head * 0.52)} "
            f"{fmt(neck + head * 0.4)} {fmt(cx + head * 0.2)} {fmt(neck + head * 0.1)} Z"
        )
        out.append(self.shape(body, fur, fur))
        chest = (
            f"M {fmt(cx - head * 0.15)} {fmt(neck + head * 0.16)} "
            f"Q {fmt(cx)} {fmt(neck + head * 0.75)} {fmt(cx + head * 0.15)} {fmt(neck + head * 0.16)} Z"
        )
        out.append(self.shape(chest, pale, None))
        for leg in (-1, 1):  # the front legs, straight down to the paws
            x = cx + leg * head * 0.12
            out.append(
                self.shape(
                    f"M {fmt(x - head * 0.07)} {fmt(neck + head * 0.55)} L {fmt(x + head * 0.07)} "
                    f"{fmt(neck + head * 0.55)} L {fmt(x + head * 0.075)} {fmt(ground - 4)} "
                    f"Q {fmt(x)} {fmt(ground + 6)} {fmt(x - head * 0.075)} {fmt(ground - 4)} Z",
                    shade(fur, 0.08),
                    fur,
                )
            )
        haunch = (
            f"M {fmt(cx - side * head * 0.44)} {fmt(ground - 2)} "
            f"Q {pt(-0.5, 0.34)} {pt(-0.24, 0.3)}"
        )
        out.append(self.stroke(haunch, ink, line * 0.6))
        out.append(self.thing_at(placed, cx, neck + head * 0.3, head, mirror=side < 0, line=line))
        return "".join(out)

    def things_far(self, x: float) -> str:
        """Things far behind the figure and in the sky (canvas units, in the background,
        on the side the figure leaves open)."""
        out: list[str] = []
        open_side = -1 if x > self.width / 2 else 1
        if self.variation.mirror:
            # The background is mirrored after (its things with it): set them out on the
            # side that the mirror turns to the open one (a kite was drawn behind the head).
            open_side = -open_side
        far_line = self.line_width * 1.2  # far away, a lighter line
        far_n = sky_n = 0
        for placed in self.traits.things:
            for _ in range(placed.count):
                if placed.where == "background":
                    size = 260 if placed.vector.size < 1000 else 360
                    c = open_side if far_n % 2 == 0 else -open_side
                    px = self.width / 2 + c * (self.width * 0.34 + (far_n // 2) * 90)
                    out.append(
                        self.thing_at(placed, px, 700, size, mirror=_turn(placed, c), line=far_line)
                    )
                    far_n += 1
                elif placed.where == "sky":
                    size = 90 if placed.vector.animal else 150
                    c = open_side if sky_n % 2 == 0 else -open_side
                    px = self.width / 2 + c * (self.width * 0.3 + sky_n * 40)
                    out.append(
                        self.thing_at(
                            placed,
                            px,
                            170 + sky_n * 60,
                            size,
                            mirror=_turn(placed, c),
                            anchor="centre",
                        )
                    )
                    sky_n += 1
        return "".join(out)


#: The animals the library has as a face alone that sit as the picture's subject, and
#: their tails: a brush (a fox), a thin one (a cat), a stub (a bear). Others (a horse,
#: a whale, a dragon) keep their face alone.
SITTING_TAILS: Final = {
    "fox": "brush", "wolf": "brush", "dog-face": "brush", "bear": "stub", "panda": "stub",
    "koala": "stub", "hamster": "stub", "rabbit-face": "stub", "pig-face": "stub",
    "cat-face": "thin", "lion": "thin", "tiger-face": "thin", "monkey-face": "thin",
    "mouse-face": "thin",
}  # fmt: skip


def fur_colours(placed: Placed) -> tuple[RGB, RGB]:
    """An animal's fur and its paler patch, read off its library shape: the fill that
    covers most of it among those neither near black nor near white, and the lightest."""
    counts: dict[str, int] = {}
    for hexa in re.findall(r'fill="#([0-9a-fA-F]{6})"', placed.vector.body):
        counts[hexa.lower()] = counts.get(hexa.lower(), 0) + 1
    colours: dict[str, RGB] = {
        h: (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)) for h in counts
    }
    mid = [h for h, c in colours.items() if 60 < sum(c) / 3 < 215]
    fur_hex = max(mid or list(colours) or ["b0703c"], key=lambda h: counts.get(h, 0))
    fur = colours.get(fur_hex, (176, 112, 60))
    pale = max(colours.values(), key=sum, default=(245, 238, 228))
    if sum(pale) < sum(fur) + 60:
        pale = light(fur, 0.5)
    return fur, pale
