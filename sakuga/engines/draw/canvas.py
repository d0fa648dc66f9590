"""What every part of the drawing uses: colours as painted, lines, shapes, gradients,
and the head's geometry (`Canvas`, a base of `Painter`)."""

from __future__ import annotations

import colorsys
import math
from typing import TYPE_CHECKING, Final

from sakuga.engines.draw.svg import RGB, blend, el, fmt, hex_, light, line_of, mix, shade
from sakuga.engines.draw.things import FLOWN, MOUNTS, Placed
from sakuga.engines.draw.traits import Traits
from sakuga.prompt.styles import DrawParams

if TYPE_CHECKING:
    from sakuga.engines.draw.character import Variation

#: Colour cast of each lighting: (colour, amount, blend mode), applied to every colour.
LIGHT_TINTS: Final[dict[str, tuple[RGB, float, str]]] = {
    "soft": ((255, 236, 210), 0.12, "soft-light"),
    "golden": ((255, 160, 70), 0.3, "soft-light"),
    "neon": ((150, 40, 220), 0.22, "soft-light"),
    "moon": ((80, 110, 210), 0.35, "soft-light"),
    "dawn": ((255, 170, 190), 0.22, "soft-light"),
    "sunset": ((255, 100, 50), 0.4, "soft-light"),
    "dusk": ((110, 80, 200), 0.35, "soft-light"),
    "night": ((45, 60, 150), 0.4, "multiply"),
}


#: Where the soles are (figure units) in each stance, and the knees: what the full
#: and the knees-up framings must show.
STANCE_SOLE: Final[dict[str, float]] = {
    "stand": 2110,
    "walk": 2160,
    "run": 2110,
    "sit": 1590,
    "kneel": 1290,
    "lie": 2110,
    "crouch": 1350,
}
#: Figure units per cm of life: a standing figure, crown to soles, is ~2330 units for
#: ~160 cm (anime heads are big, so things are scaled by the body, not the head).
UNITS_PER_CM: Final = 14.0
#: How far above the ground a jump carries the feet (figure units).
JUMP_LIFT: Final = 300.0
#: How far above the crown (head units) a held-up umbrella's canopy reaches.
UMBRELLA_HEADROOM: Final = 300.0
#: Where a rider's seat is (figure units): just under the hips.
SADDLE_Y: Final = 1010.0
#: How far above the ground a thing flown through the air (a broom) carries the feet.
FLIGHT_LIFT: Final = 900.0


def mount_size(placed: Placed) -> float:
    """How big a ridden thing is drawn (figure units): as in life, a little smaller."""
    return placed.vector.size * UNITS_PER_CM * 0.8


#: The poses versions strike in turn when the prompt asks for none, by the face: seeds
#: in a row differ in pose, not only in where the figure stands.
VERSION_POSES: Final[dict[str, tuple[str | None, ...]]] = {
    "smile": ("wave", "hip", "peace", None),
    "laugh": ("peace", "wave", "hip", "cheer"),
    "wink": ("peace", "hip", "wave", None),
    "calm": (None, "hip", "chin", None),
    "determined": ("fist", None, "hip", None),
    "smug": ("hip", "point", None, None),
    "angry": ("fist", None, "hip", None),
    "shy": (None, "chin", None, None),
}  # (crossed arms and heart hands read as broken shapes uninvited: only when asked)
#: Where a chibi's body is squashed from (figure units): its chin, so the neck is short.
NECK_Y: Final = 150.0
#: How much of its height a chibi's body keeps below the neck: about two and a half
#: heads tall in all (0.45 made three and a half, which read as a child, not a chibi).
CHIBI_SQUASH: Final = 0.32
#: How much narrower a squashed body is drawn, and a three-quarter body turned.
SQUASH_WIDTH: Final = 0.85
TURNED_WIDTH: Final = 0.88
STANCE_KNEE: Final[dict[str, float]] = {
    "stand": 1580,
    "walk": 1610,
    "run": 1400,
    "sit": 1120,
    "kneel": 1230,
    "lie": 1580,
    "crouch": 1350,
}


class Canvas:
    """The drawing state and helpers every part painter reads (fields set by `Painter`)."""

    traits: Traits
    params: DrawParams
    variation: Variation
    width: float
    defs: list[str]
    _tails: list[str]
    _ids: int
    silhouette_head: list[str]
    silhouette_body: list[str]
    windows: list[str]

    def away(self, shading: str) -> str:
        """``shading`` drawn for a light from the image's left (on the right of the
        figure, whose middle is x = 0), mirrored when this version's light comes from
        the right: cel shadows fall on the side away from the light."""
        if self.variation.light >= 0:
            return shading
        return el("g", [shading], transform="scale(-1 1)")

    @property
    def eye_row(self) -> float:
        """Where the eyes sit (head units): lower on a chibi's round face."""
        return 45.0 if self.traits.build == "chibi" else 30.0

    @property
    def nose_row(self) -> float:
        return self.eye_row + (42.0 if self.traits.build == "chibi" else 70.0)

    @property
    def mouth_row(self) -> float:
        """Where the mouth's corners sit: above a chibi's chin (150), which the usual
        drop from the eyes put it under."""
        return self.eye_row + (62.0 if self.traits.build == "chibi" else 108.0)

    @property
    def mouth_room(self) -> float:
        """How deep a mouth may open, of the usual: a chibi's chin is near."""
        return 0.55 if self.traits.build == "chibi" else 1.0

    def uid(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids}"

    def colour(self, rgb: RGB) -> str:
        """A colour as painted: pastel, then the lighting's tint, then the style's grade."""
        if self.params.pastel:
            rgb = mix(rgb, (255, 255, 255), self.params.pastel)
        tint, amount, mode = LIGHT_TINTS[self.traits.lighting]
        rgb = blend(rgb, tint, amount, mode)
        if self.params.grade is not None and self.params.grade_opacity > 0:
            rgb = blend(rgb, self.params.grade, self.params.grade_opacity, self.params.grade_blend)
        return hex_(rgb)

    @property
    def line_width(self) -> float:
        return self.params.line_width

    def ink(self, rgb: RGB) -> str:
        return self.colour(line_of(rgb, self.params.ink))

    def shadow(self, rgb: RGB, extra: float = 0.0) -> RGB:
        return shade(rgb, self.params.shadow + extra, self.params.shadow_tint)

    def deep(self, rgb: RGB, amount: float = 0.3) -> RGB:
        """The same colour further from the light: darker at the same hue, a little
        richer (the hair's mass behind the head). The cel shadow's cool pull turned a
        light orange or blonde mass brown, read as another colour."""
        h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
        r, g, b = colorsys.hsv_to_rgb(h, min(1.0, s * 1.1), v * (1 - amount))
        return (round(r * 255), round(g * 255), round(b * 255))

    def lit(self, rgb: RGB, extra: float = 0.0) -> RGB:
        return light(rgb, self.params.highlight * 0.6 + extra)

    def shape(
        self,
        d: str,
        fill: RGB,
        outline: RGB | None = None,
        width: float | None = None,
        **attrs: object,
    ) -> str:
        return el(
            "path",
            d=d,
            fill=self.colour(fill),
            stroke=self.ink(outline) if outline is not None else None,
            stroke_width=(width or self.line_width) if outline is not None else None,
            stroke_linejoin="round",
            stroke_linecap="round",
            **attrs,
        )

    def stroke(self, d: str, colour: str, width: float, **attrs: object) -> str:
        return el(
            "path",
            d=d,
            fill="none",
            stroke=colour,
            stroke_width=width,
            stroke_linecap="round",
            stroke_linejoin="round",
            **attrs,
        )

    def tapered(
        self,
        start: tuple[float, float],
        bend: tuple[float, float],
        end: tuple[float, float],
        width: float,
        colour: str,
        **attrs: object,
    ) -> str:
        """A brush line: a quadratic curve from ``start`` through ``bend`` to ``end``,
        ``width`` wide where it starts and tapering to a point, as an inked stroke does
        (SVG strokes keep one width, so this is a filled shape)."""
        (x0, y0), (cx, cy), (x1, y1) = start, bend, end
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length * width / 2, dx / length * width / 2
        d = (
            f"M {fmt(x0 + nx)} {fmt(y0 + ny)} Q {fmt(cx + nx * 0.6)} {fmt(cy + ny * 0.6)} "
            f"{fmt(x1)} {fmt(y1)} Q {fmt(cx - nx * 0.6)} {fmt(cy - ny * 0.6)} "
            f"{fmt(x0 - nx)} {fmt(y0 - ny)} Z"
        )
        return el("path", d=d, fill=colour, **attrs)

    def gradient(self, stops: list[tuple[float, RGB]], vertical: bool = True) -> str:
        gid = self.uid("g")
        self.defs.append(
            el(
                "linearGradient",
                [el("stop", offset=f"{o:.2f}", stop_color=self.colour(col)) for o, col in stops],
                id=gid,
                x1="0",
                y1="0",
                x2="0" if vertical else "1",
                y2="1" if vertical else "0",
            )
        )
        return f"url(#{gid})"

    def printed(self, area: str, said: tuple[str, RGB | None] | None, cloth: RGB) -> str:
        """A cloth's print over ``area`` (a path, figure units): bands across it
        (stripes), bands both ways with a thin line through each (plaid), or dots in
        staggered rows; in the print's colour said, else one that reads on the cloth."""
        if said is None:
            return ""
        kind, colour = said
        ink = colour or ((36, 46, 96) if sum(cloth) > 420 else (240, 240, 246))
        fill = self.colour(ink)
        shapes: list[str] = []
        # Over the figure's clothes only (figure units): the torso and a skirt's flare.
        x0, x1, y0, y1 = -640, 640, 120, 1760
        if kind == "stripes":
            shapes = [
                el("rect", x=str(x0), y=str(y), width=str(x1 - x0), height="30", fill=fill)
                for y in range(y0, y1, 78)
            ]
        elif kind == "plaid":
            line = self.colour(self.deep(ink, 0.2) if colour else self.shadow(cloth, 0.25))
            for v in range(x0, y1, 150):
                bands = ((v, y0, 46, y1 - y0), (x0, v, x1 - x0, 46))
                shapes += [
                    el(
                        "rect",
                        x=str(x),
                        y=str(y),
                        width=str(w),
                        height=str(h),
                        fill=fill,
                        opacity="0.42",
                    )
                    for x, y, w, h in bands
                ]
                for x, y, w, h in ((v + 95, y0, 6, y1 - y0), (x0, v + 95, x1 - x0, 6)):
                    shapes.append(
                        el("rect", x=str(x), y=str(y), width=str(w), height=str(h), fill=line)
                    )
        elif kind == "dots":
            for row, y in enumerate(range(y0, y1, 84)):
                shift = 42 if row % 2 else 0
                shapes.extend(
                    el("circle", cx=str(x + shift), cy=str(y), r="15", fill=fill)
                    for x in range(x0, x1, 84)
                )
        elif kind == "sparkles":  # sequins: four-point glints and dots catching the light
            glint = self.colour(colour or (255, 250, 226))
            for row, y in enumerate(range(y0, y1, 96)):
                for x in range(x0 + (48 if row % 2 else 0), x1, 96):
                    r = 18 if (x // 96 + row) % 3 == 0 else 9
                    shapes.append(
                        el(
                            "path",
                            d=f"M {x} {y - 2 * r} Q {x} {y} {x + r} {y} Q {x} {y} {x} "
                            f"{y + 2 * r} Q {x} {y} {x - r} {y} Q {x} {y} {x} {y - 2 * r} Z",
                            fill=glint,
                        )
                    )
                    shapes.append(el("circle", cx=str(x + 40), cy=str(y + 30), r="5", fill=glint))
        elif kind == "flowers":  # small five-petal flowers, a yellow heart in each
            heart = self.colour((250, 206, 80))
            for row, y in enumerate(range(y0, y1, 120)):
                for x in range(x0 + (60 if row % 2 else 0), x1, 120):
                    shapes.extend(
                        el(
                            "circle",
                            cx=fmt(x + 16 * math.cos(a)),
                            cy=fmt(y + 16 * math.sin(a)),
                            r="12",
                            fill=fill,
                        )
                        for a in (i * 2 * math.pi / 5 - math.pi / 2 for i in range(5))
                    )
                    shapes.append(el("circle", cx=str(x), cy=str(y), r="7", fill=heart))
        return el("g", shapes, clip_path=self.clip(area))

    def clip(self, *paths: str) -> str:
        """A clip path: the union of ``paths`` (each its own element, so their windings
        never cancel)."""
        cid = self.uid("c")
        self.defs.append(el("clipPath", [el("path", d=d) for d in paths], id=cid))
        return f"url(#{cid})"

    @property
    def turn(self) -> float:
        """How far the head turns, -1..1 (a three-quarter view is about ±0.55): to the
        image's right when positive. The prompt's three-quarter view, else this
        version's own small turn; towards the key light, as faces in light do."""
        t = self.traits
        if t.facing != "front":
            return 0.0
        amount = t.turn or self.variation.turn
        return -amount * self.variation.light

    def turned(self, x: float, y: float) -> tuple[float, float]:
        """Where a point of the face goes when the head turns: the lower face swings
        towards the turn, the far cheek narrows."""
        tau = self.turn
        if not tau:
            return x, y
        far = x * tau > 0
        x = x * (1 - 0.16 * abs(tau)) if far else x * (1 + 0.03 * abs(tau))
        swing = max(0.0, min(1.0, (y + 40) / 220))
        return x + tau * 0.22 * self.head_width * swing, y

    def feature_x(self, side: int) -> tuple[float, float]:
        """(centre x, width scale) of the eye on ``side`` as the head turns: the far
        eye narrows and nears the cheek's edge, both move towards the turn."""
        tau = self.turn
        far = side * tau > 0
        x = side * 68 * ((1 - 0.22 * abs(tau)) if far else (1 - 0.06 * abs(tau)))
        return x + tau * 0.3 * self.head_width, (1 - 0.42 * abs(tau)) if far else 1.0

    @property
    def face_path(self) -> str:
        b = self.traits.build
        w = self.head_width
        chin = self.chin
        jaw = {"chibi": 0.62, "adult": 0.42, "boy": 0.5}.get(b, 0.45) + 0.14 * self.traits.heft
        point = 10.0  # how far the chin's tip comes down past its corners' curve
        if self.traits.masculine and b in ("adult", "boy"):
            jaw, point = jaw + 0.1, 2.0  # a man's wider jaw and blunter chin

        def at(x: float, y: float) -> str:
            tx, ty = self.turned(x, y)
            return f"{fmt(tx)} {fmt(ty)}"

        return (
            f"M {at(-w, -20)} C {at(-w, -170)} {at(w, -170)} {at(w, -20)} "
            f"C {at(w, 60)} {at(w * 0.85, chin * 0.62)} {at(w * jaw, chin * 0.86)} "
            f"Q {at(0, chin + point)} {at(-w * jaw, chin * 0.86)} "
            f"C {at(-w * 0.85, chin * 0.62)} {at(-w, 60)} {at(-w, -20)} Z"
        )

    @property
    def chin(self) -> float:
        """How far below the head's centre its chin comes (head units)."""
        return {"chibi": 150, "adult": 195, "boy": 180}.get(self.traits.build, 172)

    @property
    def head_width(self) -> float:
        """Half the face's width (a round face on a heavy body is a little wider)."""
        base = {"chibi": 165, "adult": 140, "boy": 148}.get(self.traits.build, 150)
        return base * (1 + 0.07 * self.traits.heft)

    @property
    def eye_size(self) -> tuple[float, float]:
        return {
            "chibi": (104, 118),
            "girl": (96, 104),
            "boy": (86, 84),
            "adult": (80, 72),
        }.get(self.traits.build, (90, 94))

    @property
    def raised_gesture(self) -> str | None:
        """The hand raised into the picture: the prompt's gesture; else, with nothing to
        hold, this version's own pose for the face (`VERSION_POSES`: a wave or a peace
        sign on a happy face, a hand on the hip or to the chin on a calm one, a fist on a
        determined one, none on a crying boy)."""
        t = self.traits
        riding = any(p.where == "mount" for p in t.things)  # the hands on the handlebars
        running = t.stance == "run"  # the arms pump as she runs
        if t.gesture or t.prop is not None or t.still or riding or running:
            return t.gesture
        poses = VERSION_POSES.get(t.expression, (None,))
        i = self.variation.pose % len(poses)
        if poses[i] == "hip" and not self.full_figure:  # a hand on the hip out of frame
            i = (i + 1) % len(poses)
        return poses[i]

    @property
    def full_figure(self) -> bool:
        """Knees-up or full body: the torso ends at the hips; arms and legs show."""
        return self.traits.pose in ("knees", "full")

    @property
    def broad(self) -> float:
        """Half the shoulders' width (broader on a heavy or a muscular body)."""
        base = 255 if self.traits.build in ("boy", "adult") else 228
        return base * (1 + 0.18 * self.traits.heft + 0.16 * self.traits.brawn)

    @property
    def limb(self) -> float:
        """How much thicker than usual the arms and legs are drawn (heavy, muscular)."""
        return 1 + 0.45 * self.traits.heft + 0.4 * self.traits.brawn

    @property
    def sleeve_colour(self) -> RGB:
        """What the arms are dressed in: the outfit's colour, a sailor blouse's white,
        armour's steel."""
        t = self.traits
        if t.outfit == "armor":
            return (170, 176, 190)
        if t.outfit == "sailor" and sum(t.outfit_color) < 600:
            return (246, 246, 250)
        if t.outfit == "swimsuit":
            return t.skin  # bare arms
        return t.outfit_color

    @property
    def placement(self) -> tuple[float, float, float]:
        """(x, y, scale) of the head centre on the canvas."""
        cx = self.width / 2
        pose = self.traits.pose
        if self.traits.build == "chibi" and pose != "full":
            return (cx, 470, 1.3) if pose == "bust" else (cx, 380, 0.95)
        room = self.headroom
        if pose == "full":  # crown (-215) to soles (or a mount's wheels), ground below them
            scale = 880 / (self.ground_y + 230 + room)
            return (cx, 40 + (230 + room) * scale, scale)
        if pose == "knees":  # the frame's foot just below the knees
            scale = 960 / (
                min(STANCE_KNEE[self.traits.stance] + 320, STANCE_SOLE[self.traits.stance])
                + 230
                + room
            )
            return (cx, 40 + (230 + room) * scale, scale)
        if self.traits.banner:  # the head (crown to chin, 480 units) inside the middle 29%
            scale = 0.56 * (1 - room / 1400)
            return (cx, 500 + 10 * scale, scale)
        # A tall hat: the figure a little smaller and lower, so its tip stays in frame.
        scale = (1.22 if pose == "bust" else 0.86) * (1 - room / 1400)
        y = 420 if pose == "bust" else 330
        return (cx, max(y, 20 + (230 + room) * scale) if room else y, scale)

    @property
    def ground_y(self) -> float:
        """Where the ground is under a full figure (figure units): its soles, or the
        wheels or hooves of what it rides."""
        sole = self.body_y(STANCE_SOLE[self.traits.stance])
        mount = next((p for p in self.traits.things if p.where == "mount"), None)
        if mount is None:  # in a jump, the ground (and the shadow) is under the feet
            return sole + (JUMP_LIFT if self.traits.airborne else 0)
        if mount.vector.name in FLOWN:  # flying: the ground far below her feet
            return sole + FLIGHT_LIFT
        size, fy = mount_size(mount), MOUNTS[mount.vector.name][1]
        x0, y0, x1, y1 = mount.vector.box
        height = size * (y1 - y0) / max(x1 - x0, y1 - y0)
        return max(sole, SADDLE_Y + (1 - fy) * height)

    @property
    def squash(self) -> float:
        """How much of its height the body below the neck keeps: a chibi drawn whole is
        two and a half heads tall (the body squashed to `CHIBI_SQUASH`, a little narrower)."""
        return CHIBI_SQUASH if self.traits.build == "chibi" and self.traits.pose == "full" else 1.0

    def body_y(self, y: float) -> float:
        """Where a point of the body at height ``y`` (figure units) is drawn, squashed."""
        return NECK_Y + (y - NECK_Y) * self.squash if y > NECK_Y else y

    @property
    def squash_transform(self) -> str:
        """The squash as an SVG transform about the neck ("" when none)."""
        if self.squash == 1.0:
            return ""
        return f" translate(0 {NECK_Y}) scale({SQUASH_WIDTH} {self.squash}) translate(0 {-NECK_Y})"

    @property
    def body_turned(self) -> bool:
        """Whether the body is drawn turned three-quarters, narrower across (a figure
        asked in three-quarter view, framed to show its body)."""
        return self.full_figure and bool(self.traits.turn) and self.traits.facing == "front"

    @property
    def body_scale(self) -> tuple[float, float]:
        """How the body and arms are drawn about the neck (`Painter.document`): across
        (narrower turned, and squashed) and down (the squash)."""
        across = TURNED_WIDTH if self.body_turned else 1.0
        if self.squash == 1.0:
            return across, 1.0
        return across * SQUASH_WIDTH, self.squash

    @property
    def headroom(self) -> float:
        """How far the headwear rises above the crown (head units): a witch hat's tip, or a
        pet sitting on the head."""
        hat = {"witch hat": 320.0, "top hat": 250.0, "chef hat": 270.0}.get(
            self.traits.headwear or "", 0.0
        )
        on_head = [
            min(p.vector.size * UNITS_PER_CM, 200.0)
            for p in self.traits.things
            if p.where == "head"
        ]
        if self.traits.prop == "umbrella" and self.traits.pose in ("knees", "full"):
            # An umbrella held up: its canopy's crown (`HeldPainter._held_umbrella`)
            # stays inside a frame that shows the figure down to its knees or feet.
            on_head.append(UMBRELLA_HEADROOM)
        return max(hat, *on_head) if on_head else hat

    @property
    def bang_layout(self) -> tuple[int, float, float]:
        """(clump count, span, tip height) of the bangs."""
        t = self.traits
        count = 7 if t.hair_style == "spiky" else 5
        tip_y = {
            "short": -30,
            "spiky": -12,
            "bob": -4,
            "long": 0,
            "twintails": -2,
            "ponytail": -10,
        }[t.hair_style]
        return count, 2 * self.head_width + 40, tip_y

    def dome_y(self, x: float) -> float:
        """Height of the crown's outline above ``x`` (the crown is half an ellipse)."""
        rx, ry = self.head_width + 26, 215
        return -ry * math.sqrt(max(0.0, 1 - (x / rx) ** 2))

    def bang_paths(self, dy: float = 0.0) -> list[str]:
        """The bang clumps, swept a little towards the image's left; ``dy`` shifts them down."""
        w = self.head_width
        count, span, tip_y = self.bang_layout
        spiky = self.traits.hair_style == "spiky"
        if self.traits.blunt_bangs and not spiky:
            # A hime cut's (or any blunt) fringe: one straight-cut curtain to the brows.
            x0, x1 = -w - 20, -w - 20 + span
            tip = max(tip_y, -8) + dy
            # Its top runs inside the crown's dome, so no corner pokes out of it.
            dome = " ".join(
                f"L {fmt(x)} {fmt(self.dome_y(x) + 40 + dy)}"
                for x in (x1 - (x1 - x0) * k / 12 for k in range(13))
            )
            return [f"M {fmt(x0 + 10)} {fmt(tip)} L {fmt(x1 - 10)} {fmt(tip)} {dome} Z"]
        paths = []
        for i in range(count):
            x0 = -w - 20 + i * span / count
            x1 = x0 + span / count + 18
            mid = (x0 + x1) / 2 - 14
            tip = tip_y + (22 if i in (1, count - 2) else 0) - (18 if spiky and i % 2 else 0) + dy
            # Each clump starts inside the crown's dome, so no corner pokes out of it.
            top0 = self.dome_y(x0) + 40 + dy
            top1 = self.dome_y(x1) + 40 + dy
            paths.append(
                f"M {fmt(x0)} {fmt(top0)} C {fmt(x0 + 2)} {fmt(top0 + 50)} {fmt(mid - 16)} {fmt(tip - 40)} {fmt(mid)} {fmt(tip)} "
                f"C {fmt(mid + 4)} {fmt(tip - 50)} {fmt(x1 - 6)} {fmt(top1 + 60)} {fmt(x1)} {fmt(top1)} Z"
            )
        return paths
