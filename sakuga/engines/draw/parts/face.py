"""The face: its shape and skin, and the features on it (eyes, brows, nose, mouth, blush)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.svg import (
    RGB,
    el,
    fmt,
    light,
    mix,
    shade,
    vivid,
)

#: How far the iris reaches under the upper lid's highest point, of the eye's height.
IRIS_UNDER_LID: Final = 0.04


class FacePainter(Canvas):
    """The face (a part of `Painter`)."""

    def face(self) -> str:
        skin = self.traits.skin
        w = self.head_width
        out = []
        for side in (-1, 1):
            out.append(
                el(
                    "ellipse",
                    cx=fmt(side * (w - 2)),
                    cy="20",
                    rx="18",
                    ry="30",
                    fill=self.colour(skin),
                    stroke=self.ink(skin),
                    stroke_width=self.line_width,
                )
            )
        out.append(self.shape(self.face_path, skin, skin))
        self.silhouette_head.append(self.face_path)
        # The shadow the bangs cast on the forehead: the clumps, a little lower (a bald
        # head has none).
        clip = self.clip(self.face_path)
        shadow = self.colour(self.shadow(skin))
        if not self.traits.bald:
            out.append(
                el(
                    "g",
                    [el("path", d=d, fill=shadow) for d in self.bang_paths(dy=16)],
                    clip_path=clip,
                    opacity="0.7",
                )
            )
            out.append(
                el(
                    "path",
                    d=f"M {-w} -200 L {w} -200 L {w} -100 L {-w} -100 Z",
                    fill=shadow,
                    opacity="0.7",
                    clip_path=clip,
                )
            )
        # A soft crescent of shadow along the jaw away from the light, on the face as
        # it is turned.
        side = 1 if self.variation.light >= 0 else -1

        def at(x: float, y: float) -> str:
            return fmt(*self.turned(side * x, y))

        out.append(
            el(
                "path",
                d=f"M {at(w, -20)} C {at(w, 80)} {at(w * 0.7, 140)} {at(w * 0.25, 178)} "
                f"C {at(w * 0.6, 120)} {at(w * 0.86, 60)} {at(w * 0.9, -20)} Z",
                fill=shadow,
                opacity="0.45",
                clip_path=clip,
            )
        )
        return "".join(out)

    def features(self) -> str:
        t = self.traits
        expr = t.expression
        k = self.variation.intensity
        ew, eh = self.eye_size
        eye_y = self.eye_row
        out: list[str] = []
        blush = expr in ("smile", "laugh", "wink", "shy", "singing") or t.style == "cute"
        if t.masculine and expr != "shy":
            blush = False  # a man's smile: no pink cheeks unless he blushes
        tau = self.turn
        if blush:
            strong = expr == "shy"
            for side in (-1, 1):
                out.append(
                    el(
                        "ellipse",
                        cx=fmt(self.feature_x(side)[0] * 1.2),
                        cy=fmt(eye_y + 68),
                        rx="38" if strong else "30",
                        ry="14" if strong else "11",
                        fill=self.colour((255, 110, 140) if strong else (255, 130, 150)),
                        opacity="0.6" if strong else "0.35",
                    )
                )
                if strong:  # the hatching anime draws on a blush
                    for k in range(3):
                        x = side * 82 + (k - 1) * 14
                        out.append(
                            self.stroke(
                                f"M {fmt(x + 5)} {fmt(eye_y + 60)} L {fmt(x - 5)} {fmt(eye_y + 76)}",
                                self.colour((220, 80, 110)),
                                self.line_width * 0.7,
                            )
                        )
        for side in (-1, 1):
            closed = (
                # A laugh squeezes the eyes shut, unless their colour was asked for.
                (expr in ("laugh", "singing") and not t.eyes_said)
                or expr == "sleepy"
                or (expr == "wink" and side == 1)
                or t.eyes_closed
            )
            look = (-side * ew * 0.12 - ew * 0.1, eh * 0.06) if expr == "shy" else None
            ex, narrow = self.feature_x(side)
            out.append(self.eye(ex, eye_y, ew * narrow, eh, side, closed, look=look))
            brow = self.brow(ex, eye_y - 72 - (24 if expr == "surprised" else 0), side)
            out.append(
                el(
                    "g",
                    [brow],
                    transform=f"translate({fmt(ex)} 0) scale({narrow:.3f} 1) translate({fmt(-ex)} 0)",
                )
                if narrow < 1
                else brow
            )
        if expr == "singing":  # two notes rising beside the head
            for i, (nx, ny) in enumerate(((190, -40), (235, -120))):
                colour = self.colour(self.params.ink)
                out.append(
                    el(
                        "ellipse",
                        cx=fmt(nx),
                        cy=fmt(ny),
                        rx="14",
                        ry="10",
                        fill=colour,
                        transform=f"rotate(-20 {nx} {ny})",
                    )
                )
                out.append(
                    self.stroke(
                        f"M {nx + 12} {ny - 2} L {nx + 12} {ny - 56 + i * 6}",
                        colour,
                        self.line_width,
                    )
                )
                out.append(
                    self.stroke(
                        f"M {nx + 12} {ny - 56 + i * 6} q 16 8 18 26", colour, self.line_width
                    )
                )
        out.append(self.nose(tau * 0.42 * self.head_width, self.nose_row))
        if t.elderly or t.middle_aged:
            out.append(self.lines_of_age(eye_y, middle=t.middle_aged))
        if t.beard is not None:
            out.append(self.beard(t.beard, t.beard_color))
        mouth = self.mouth(self.mouth_row, k * self.mouth_room)
        if tau:  # the mouth follows the turn, a little narrower
            shift = tau * 0.3 * self.head_width
            mouth = el(
                "g",
                [mouth],
                transform=f"translate({fmt(shift)} 0) scale({1 - 0.15 * abs(tau):.3f} 1)",
            )
        out.append(mouth)
        if t.crying:  # crying: a stream from each eye down the cheek
            for side in (-1, 1):
                out.append(self.tear_stream(self.feature_x(side)[0], eye_y, side))
        elif expr == "sad" or self.traits.tears:  # tears of sorrow, or of joy
            for side in (-1, 1):
                tx, ty = self.feature_x(side)[0] * 1.44, eye_y + 58
                out.append(
                    self.shape(
                        f"M {tx} {ty} Q {tx + 9} {ty + 20} {tx} {ty + 26} Q {tx - 9} {ty + 20} {tx} {ty} Z",
                        (170, 220, 255),
                        (120, 170, 230),
                        self.line_width * 0.5,
                        opacity="0.9",
                    )
                )
        return "".join(out)

    def beard(self, kind: str, colour: RGB) -> str:
        """Hair on the face, as anime draws it: a beard as one shape in the hair's colour
        from the sideburns around the jaw and under the chin, open at the mouth with a
        moustache over it; a goatee at the chin; a moustache alone; stubble as a faint
        shadow of the beard's shape. Turned with the face."""
        w, my, chin = self.head_width, self.mouth_row, self.chin

        def at(x: float, y: float) -> str:
            return fmt(*self.turned(x, y))

        moustache = (
            f"M {at(-w * 0.34, my + 4)} C {at(-w * 0.3, my - 22)} {at(-w * 0.1, my - 30)} "
            f"{at(0, my - 22)} C {at(w * 0.1, my - 30)} {at(w * 0.3, my - 22)} {at(w * 0.34, my + 4)} "
            f"C {at(w * 0.2, my - 8)} {at(-w * 0.2, my - 8)} {at(-w * 0.34, my + 4)} Z"
        )
        if kind == "mustache":
            return self.shape(moustache, colour, self.shadow(colour, 0.3), self.line_width * 0.6)
        if kind == "goatee":
            goatee = (
                f"M {at(-w * 0.26, my + 22)} Q {at(0, my + 8)} {at(w * 0.26, my + 22)} "
                f"C {at(w * 0.24, chin + 8)} {at(w * 0.1, chin + 34)} {at(0, chin + 38)} "
                f"C {at(-w * 0.1, chin + 34)} {at(-w * 0.24, chin + 8)} {at(-w * 0.26, my + 22)} Z"
            )
            line = self.shadow(colour, 0.3)
            return self.shape(goatee, colour, line, self.line_width * 0.6) + self.shape(
                moustache, colour, line, self.line_width * 0.6
            )
        # A full beard: the sideburns down the jaw, under the chin, the mouth left open.
        full = (
            f"M {at(-w * 0.99, 10)} C {at(-w * 1.03, 90)} {at(-w * 0.92, chin * 0.78)} "
            f"{at(-w * 0.5, chin + 10)} Q {at(0, chin + 58)} {at(w * 0.5, chin + 10)} "
            f"C {at(w * 0.92, chin * 0.78)} {at(w * 1.03, 90)} {at(w * 0.99, 10)} "
            f"L {at(w * 0.86, 14)} C {at(w * 0.84, 80)} {at(w * 0.56, my - 16)} {at(w * 0.3, my + 10)} "
            f"Q {at(0, my + 30)} {at(-w * 0.3, my + 10)} "
            f"C {at(-w * 0.56, my - 16)} {at(-w * 0.84, 80)} {at(-w * 0.86, 14)} Z"
        )
        if kind == "stubble":
            return el("path", d=full, fill=self.colour(colour), opacity="0.28") + el(
                "path", d=moustache, fill=self.colour(colour), opacity="0.28"
            )
        line = self.shadow(colour, 0.3)
        shade = el(  # its cel shadow under the jaw, away from the light
            "path",
            d=f"M {at(-w * 0.6, chin - 4)} Q {at(0, chin + 24)} {at(w * 0.6, chin - 4)} "
            f"Q {at(0, chin + 52)} {at(-w * 0.6, chin - 4)} Z",
            fill=self.colour(self.shadow(colour)),
            opacity="0.6",
        )
        hanging = ""
        if kind == "long":  # a long beard falls from the jaw over the chest to a point
            drop = chin + 300
            hanging = self.shape(
                f"M {at(-w * 0.7, chin - 30)} C {at(-w * 0.76, chin + 120)} "
                f"{at(-w * 0.34, drop - 60)} {at(0, drop)} C {at(w * 0.34, drop - 60)} "
                f"{at(w * 0.76, chin + 120)} {at(w * 0.7, chin - 30)} Z",
                colour,
                line,
                self.line_width * 0.7,
            ) + "".join(  # strands down its length
                self.stroke(
                    f"M {at(x * w, chin + 20)} Q {at(x * w * 0.8, chin + 150)} "
                    f"{at(x * w * 0.3, drop - 50)}",
                    self.ink(colour),
                    self.line_width * 0.5,
                    opacity="0.6",
                )
                for x in (-0.4, -0.15, 0.15, 0.4)
            )
        return (
            hanging
            + self.shape(full, colour, line, self.line_width * 0.7)
            + shade
            + self.shape(moustache, colour, line, self.line_width * 0.6)
        )

    def tear_stream(self, ex: float, eye_y: float, side: int) -> str:
        """Tears running from the outer half of the lower lid down the cheek, widening
        as they fall, with a drop at the end: anime's crying face."""
        ew, eh = self.eye_size
        x0, y0 = ex + side * ew * 0.12, eye_y + eh * 0.42
        x1, y1 = ex + side * ew * 0.3, self.mouth_row + 24
        top, foot = 7.0, 12.0
        path = (
            f"M {fmt(x0 - top)} {fmt(y0)} "
            f"C {fmt(x0 - top)} {fmt(y0 + 40)} {fmt(x1 - foot)} {fmt(y1 - 40)} {fmt(x1 - foot)} {fmt(y1)} "
            f"Q {fmt(x1)} {fmt(y1 + foot * 1.6)} {fmt(x1 + foot)} {fmt(y1)} "
            f"C {fmt(x1 + foot)} {fmt(y1 - 40)} {fmt(x0 + top)} {fmt(y0 + 40)} {fmt(x0 + top)} {fmt(y0)} Z"
        )
        return self.shape(
            path, (175, 222, 255), (120, 170, 230), self.line_width * 0.5, opacity="0.85"
        )

    def eye(
        self,
        ex: float,
        ey: float,
        w: float,
        h: float,
        side: int,
        closed: bool,
        look: tuple[float, float] | None = None,
    ) -> str:
        """An anime eye centred at (ex, ey), ``w`` × ``h``; ``side`` -1 is the image-left eye.

        ``look`` moves the iris from the eye's centre (the portrait passes the photo's
        gaze); by default it looks a little outwards.
        """
        t = self.traits
        expr = t.expression
        ink = self.colour(self.params.ink)
        shape = self.params.eye
        if t.masculine:  # a man's eye: a clean lid line, no lashes, a little narrower
            shape = replace(shape, lash=shape.lash * 0.5, flicks=0, lower_lash=0.0)
            h *= 0.88
        elif t.feminine:  # a girl's eye in every style: a fuller lash, a flick at its end
            shape = replace(shape, lash=shape.lash * 1.2, flicks=max(shape.flicks, 1))
        if closed:
            if expr == "sleepy":  # heavy lids: a soft downward curve with lashes
                d = f"M {ex - w * 0.45} {ey} Q {ex} {ey + h * 0.22} {ex + w * 0.45} {ey}"
                return self.stroke(d, ink, self.line_width * 2.2)
            # Happy closed eye: an upward arc with a little lash flick.
            d = f"M {ex - w * 0.45} {ey + h * 0.1} Q {ex} {ey - h * 0.42} {ex + w * 0.45} {ey + h * 0.1}"
            return self.stroke(d, ink, self.line_width * 2.2)
        h *= shape.height
        # The lid line: tilted by expression (angry: inner corner down; sad: inner up)
        # and by the style (upturned or droopy outer corners).
        inner_drop = {"angry": 0.16, "sad": -0.14, "determined": 0.1, "smug": 0.04}.get(expr, 0.0)
        # The expression's lid relative to the style's (0.55 is the default arch).
        lid_top = shape.lid * {"calm": 0.76, "surprised": 1.13, "smug": 0.62, "sleepy": 0.36}.get(
            expr, 1.0
        )
        inner_x, outer_x = ex - side * w / 2, ex + side * w / 2
        inner_y = ey - h * 0.08 + h * inner_drop
        outer_y = ey - h * 0.14 - h * shape.outer_lift
        top = (
            f"M {fmt(inner_x)} {fmt(inner_y)} C {fmt(inner_x + side * w * 0.2)} {fmt(ey - h * lid_top - h * 0.2)} "
            f"{fmt(outer_x - side * w * 0.25)} {fmt(ey - h * lid_top - h * 0.22 - h * shape.outer_lift)} {fmt(outer_x)} {fmt(outer_y)}"
        )
        bottom = (
            f"C {fmt(outer_x - side * w * 0.05)} {fmt(ey + h * 0.4 * shape.lower)} {fmt(inner_x + side * w * 0.15)} "
            f"{fmt(ey + h * 0.46 * shape.lower)} {fmt(inner_x)} {fmt(inner_y)} Z"
        )
        opening = f"{top} {bottom}"
        out = [el("path", d=opening, fill=self.colour((250, 248, 252)))]
        clip = self.clip(opening)
        iris = t.odd_eye if side == 1 and t.odd_eye is not None else t.eye_color
        # Tall enough that the upper lid covers its top, as anime draws an iris (white
        # all round it is a startled stare: kept for "surprised" only).
        iris_r = (
            w * (0.28 if expr == "surprised" else 0.36) * shape.iris,
            h * (0.36 if expr == "surprised" else 0.56) * shape.iris,
        )
        if expr != "surprised":
            # Up under the lid's highest point whatever the style's arch (a high arch,
            # cute's, left a band of white over the iris: a stare).
            apex = (inner_y + 3 * (ey - h * lid_top - h * 0.2)) / 8 + (
                3 * (ey - h * lid_top - h * 0.22 - h * shape.outer_lift) + outer_y
            ) / 8
            iris_r = (iris_r[0], max(iris_r[1], ey + h * 0.08 - apex + h * IRIS_UNDER_LID))
        grad = self.gradient([(0, shade(iris, 0.6)), (0.45, iris), (1, light(iris, 0.55))])
        look_x, look_y = look if look is not None else (side * w * 0.02, 0.0)
        parts = [
            el(
                "path",
                d=f"M {inner_x} {inner_y - h} L {outer_x} {outer_y - h} L {outer_x} {ey + h * 0.05} "
                f"L {inner_x} {ey + h * 0.05} Z",
                fill=self.colour(shade((240, 240, 250), 0.18)),
                opacity="0.6",
            ),
            el(
                "ellipse",
                cx=fmt(ex + look_x),
                cy=fmt(ey + h * 0.08 + look_y),
                rx=fmt(iris_r[0]),
                ry=fmt(iris_r[1]),
                fill=grad,
                stroke=self.colour(shade(iris, 0.65)),
                stroke_width=fmt(self.line_width * 0.8),
            ),
            # The light the iris gathers at its foot: its own colour, brighter and
            # still saturated (a pale grey glow over the pupil read as a ghost eye).
            el(
                "ellipse",
                cx=fmt(ex + look_x + w * 0.02),
                cy=fmt(ey + h * 0.08 + look_y + iris_r[1] * 0.72),
                rx=fmt(iris_r[0] * 0.62),
                ry=fmt(iris_r[1] * 0.3),
                fill=self.colour(vivid(iris, (0.45, 1.0), (0.72, 1.25))),
                opacity="0.75",
            ),
            el(
                "ellipse",
                cx=fmt(ex + look_x),
                cy=fmt(ey + h * 0.06 + look_y),
                rx=fmt(iris_r[0] * 0.42),
                ry=fmt(iris_r[1] * 0.45),
                fill=self.colour(shade(iris, 0.82)),
            ),
        ]
        out.append(el("g", parts, clip_path=clip))
        # Catchlights over everything in the eye, in the style's shape.
        out += self._catchlights(ex + look_x, ey + look_y, w, h, side, shape.catchlights)
        # Upper lash: a thick tapered stroke, with the style's flicks at the outer corner.
        lash_w = self.line_width * shape.lash
        flicks = "".join(
            f" M {fmt(outer_x - side * w * 0.06 * k)} {fmt(outer_y - h * 0.02 * k)} "
            f"L {fmt(outer_x + side * w * (0.14 - 0.03 * k))} {fmt(outer_y - h * (0.16 + 0.1 * k))}"
            for k in range(shape.flicks)
        )
        out.append(
            el(
                "path",
                d=f"{top}{flicks}",
                fill="none",
                stroke=ink,
                stroke_width=fmt(lash_w),
                stroke_linecap="round",
                stroke_linejoin="round",
            )
        )
        if shape.lower_lash > 0:
            out.append(
                self.stroke(
                    f"M {fmt(outer_x - side * w * 0.08)} {fmt(ey + h * 0.32 * shape.lower)} "
                    f"Q {fmt(ex + side * w * 0.1)} {fmt(ey + h * 0.46 * shape.lower)} "
                    f"{fmt(ex - side * w * 0.1)} {fmt(ey + h * 0.44 * shape.lower)}",
                    ink,
                    self.line_width * shape.lower_lash,
                    opacity="0.8",
                )
            )
        return "".join(out)

    def _catchlights(
        self, cx: float, cy: float, w: float, h: float, side: int, kind: str
    ) -> list[str]:
        """The eye's highlights: two round ones (the default), a four-pointed sparkle
        and a dot (star), one soft one (one), or a hard slanted bar and a dot (bar)."""
        hx, hy = cx - side * w * 0.1, cy - h * 0.08
        dot = el(
            "circle",
            cx=fmt(cx + side * w * 0.12),
            cy=fmt(cy + h * 0.24),
            r=fmt(w * 0.05),
            fill="#ffffff",
            opacity="0.9",
        )
        if kind == "star":
            r, k = w * 0.16, w * 0.035
            d = (
                f"M {fmt(hx)} {fmt(hy - r)} L {fmt(hx + k)} {fmt(hy - k)} L {fmt(hx + r)} {fmt(hy)} "
                f"L {fmt(hx + k)} {fmt(hy + k)} L {fmt(hx)} {fmt(hy + r)} L {fmt(hx - k)} {fmt(hy + k)} "
                f"L {fmt(hx - r)} {fmt(hy)} L {fmt(hx - k)} {fmt(hy - k)} Z"
            )
            return [el("path", d=d, fill="#ffffff"), dot]
        if kind == "one":
            return [
                el(
                    "ellipse",
                    cx=fmt(hx),
                    cy=fmt(hy),
                    rx=fmt(w * 0.1),
                    ry=fmt(h * 0.08),
                    fill="#ffffff",
                )
            ]
        if kind == "bar":
            x0, y0 = hx - w * 0.12, hy - h * 0.02
            d = (
                f"M {fmt(x0)} {fmt(y0)} L {fmt(x0 + w * 0.2)} {fmt(y0 - h * 0.16)} "
                f"L {fmt(x0 + w * 0.24)} {fmt(y0 - h * 0.1)} L {fmt(x0 + w * 0.04)} {fmt(y0 + h * 0.06)} Z"
            )
            return [el("path", d=d, fill="#ffffff"), dot]
        return [
            el(
                "ellipse", cx=fmt(hx), cy=fmt(hy), rx=fmt(w * 0.12), ry=fmt(h * 0.1), fill="#ffffff"
            ),
            dot,
        ]

    def brow(self, bx: float, by: float, side: int) -> str:
        expr = self.traits.expression
        inner = {"angry": 16, "sad": -14, "surprised": -6, "determined": 12, "shy": -10}.get(
            expr, 0
        )
        x0, x1 = bx - side * 34, bx + side * 34
        # A quadratic arch from the inner end (x0) over (bx, by - 10) to the outer end.
        arch = [
            (
                (1 - u) ** 2 * x0 + 2 * (1 - u) * u * bx + u * u * x1,
                (1 - u) ** 2 * (by + inner + 3) + 2 * (1 - u) * u * (by - 8) + u * u * (by + 4),
            )
            for u in (i / 8 for i in range(9))
        ]
        return self.brow_shape(arch, 7.0)

    def brow_shape(self, centre: Sequence[tuple[float, float]], thickness: float) -> str:
        """A brow along ``centre`` (inner end first): full ``thickness`` at the inner end,
        tapering to a point at the outer end, in the hair's line colour."""
        colour = self.ink(self.traits.hair_color)
        upper, lower = [], []
        for i, (x, y) in enumerate(centre):
            a = centre[max(0, i - 1)]
            b = centre[min(len(centre) - 1, i + 1)]
            dx, dy = b[0] - a[0], b[1] - a[1]
            norm = math.hypot(dx, dy) or 1.0
            nx, ny = -dy / norm, dx / norm
            half = thickness * (1 - 0.8 * i / max(1, len(centre) - 1)) / 2
            upper.append((x + nx * half, y + ny * half))
            lower.append((x - nx * half, y - ny * half))
        points = upper + lower[::-1]
        d = "M " + " L ".join(f"{fmt(x)} {fmt(y)}" for x, y in points) + " Z"
        return el(
            "path",
            d=d,
            fill=colour,
            stroke=colour,
            stroke_width=fmt(self.line_width * 0.6),
            stroke_linejoin="round",
        )

    def lines_of_age(self, eye_y: float, middle: bool = False) -> str:
        """An older face as anime draws it: a crease under each eye and a line from the
        nose's wing to the mouth's corner, light and short. In middle age (``middle``)
        the mouth's lines alone, fainter, and a short crease at each eye's outer
        corner."""
        ew, eh = self.eye_size
        out = []
        for side in (-1, 1):
            fx, scale = self.feature_x(side)
            half = ew * 0.42 * scale
            if middle:  # a crow's foot: one short stroke out from the outer corner
                ox = fx + side * ew * 0.58 * scale
                out.append(
                    self.age_line(
                        f"M {fmt(ox)} {fmt(eye_y + eh * 0.15)} "
                        f"l {fmt(side * ew * 0.16)} {fmt(eh * 0.12)}",
                        0.45,
                    )
                )
            else:
                out.append(
                    self.age_line(
                        f"M {fmt(fx - half)} {fmt(eye_y + eh * 0.62)} "
                        f"Q {fmt(fx)} {fmt(eye_y + eh * 0.82)} {fmt(fx + half)} "
                        f"{fmt(eye_y + eh * 0.6)}",
                        0.55,
                    )
                )
            x0 = side * 34 + self.turn * 0.36 * self.head_width
            out.append(
                self.age_line(
                    f"M {fmt(x0)} {fmt(eye_y + 66)} Q {fmt(x0 + side * 16)} {fmt(eye_y + 92)} "
                    f"{fmt(x0 + side * 10)} {fmt(eye_y + 116)}",
                    0.4 if middle else 0.5,
                )
            )
        return "".join(out)

    def age_line(self, d: str, opacity: float) -> str:
        """One of the lines of age (path ``d``): thin, light, in the skin's own ink."""
        ink = self.ink(self.traits.skin)
        return self.stroke(d, ink, self.line_width * 0.6, opacity=f"{opacity:g}")

    def nose(self, x: float, y: float, size: float = 10.0) -> str:
        """The nose as anime draws it from the front: one short stroke under its tip."""
        return self.stroke(
            f"M {fmt(x + size * 0.6)} {fmt(y - size * 0.8)} L {fmt(x)} {fmt(y)}",
            self.ink(self.traits.skin),
            self.line_width * 0.9,
        )

    def mouth(self, my: float, k: float) -> str:
        expr = self.traits.expression
        if expr == "laugh":
            return self.mouth_shape("laugh", 0, my, 72, 52 * k)
        if expr == "surprised":
            return self.mouth_shape("open", 0, my - 4, 30, 40 * k)
        if expr in ("smile", "wink"):
            return self.mouth_shape("line", 0, my, 60, 22 * k)
        if expr == "angry":
            ink = self.colour(mix(self.params.ink, (160, 60, 70), 0.35))
            return self.mouth_shape("line", 0, my + 10, 52, -18 * k) + self.stroke(
                f"M 20 {my + 6} L 30 {my + 12}", ink, self.line_width * 0.8
            )
        if expr == "sad" and self.traits.crying:  # wailing, the mouth open
            return self.mouth_shape("wail", 0, my + 20 * self.mouth_room, 52, 26 * k)
        if expr == "sad":
            return self.mouth_shape("line", 0, my + 10, 40, -14 * k)
        if expr == "singing":
            return self.mouth_shape("open", 0, my - 2, 34, 44 * k)
        if expr == "sleepy":
            return self.mouth_shape("open", 0, my + 4, 16, 16 * k)
        if expr == "determined":
            return self.mouth_shape("line", 0, my + 6, 38, -4 * k)
        if expr == "shy":  # a small wavering line
            ink = self.colour(mix(self.params.ink, (160, 60, 70), 0.35))
            return self.stroke(
                f"M -16 {my + 4} q 5 -5 10 0 q 5 5 10 0 q 5 -5 10 0", ink, self.line_width
            )
        if expr == "smug":  # one corner up
            ink = self.colour(mix(self.params.ink, (160, 60, 70), 0.35))
            return self.stroke(
                f"M -22 {my + 4} Q 4 {my + 12} 26 {my - 8}", ink, self.line_width * 1.1
            )
        return self.mouth_shape("line", 0, my + 2, 32, 5 * k)

    def mouth_shape(self, kind: str, x: float, y: float, width: float, depth: float) -> str:
        """A mouth centred at ``x`` whose corners sit at ``y``.

        ``line``: a closed mouth, a curve ``depth`` deep (negative: a frown); ``open``: a
        round open mouth ``depth`` tall; ``wail``: open with its corners down (crying); ``laugh``: a wide open D with the tongue;
        ``grin``: the same D with the upper teeth as one clean white shape.
        """
        ink = self.colour(mix(self.params.ink, (160, 60, 70), 0.35))
        inside = self.colour((150, 40, 60))
        half = width / 2
        if kind == "line":
            return self.stroke(
                f"M {fmt(x - half)} {fmt(y)} Q {fmt(x)} {fmt(y + depth)} {fmt(x + half)} {fmt(y)}",
                ink,
                self.line_width * 1.1,
            )
        if kind == "wail":  # crying open: the corners down, the top arched
            d = (
                f"M {fmt(x - half)} {fmt(y)} Q {fmt(x)} {fmt(y - depth * 1.3)} {fmt(x + half)} {fmt(y)} "
                f"Q {fmt(x)} {fmt(y + depth * 0.3)} {fmt(x - half)} {fmt(y)} Z"
            )
            tongue = el(
                "ellipse",
                cx=fmt(x),
                cy=fmt(y - depth * 0.05),
                rx=fmt(half * 0.45),
                ry=fmt(depth * 0.22),
                fill=self.colour((235, 120, 130)),
            )
            return (
                el("path", d=d, fill=inside)
                + el("g", [tongue], clip_path=self.clip(d))
                + el("path", d=d, fill="none", stroke=ink, stroke_width=fmt(self.line_width))
            )
        if kind == "open":
            return el(
                "ellipse",
                cx=fmt(x),
                cy=fmt(y + depth / 2),
                rx=fmt(half),
                ry=fmt(depth / 2),
                fill=inside,
                stroke=ink,
                stroke_width=fmt(self.line_width),
            )
        d = (
            f"M {fmt(x - half)} {fmt(y)} Q {fmt(x)} {fmt(y + depth * 0.15)} {fmt(x + half)} {fmt(y)} "
            f"Q {fmt(x + half * 0.83)} {fmt(y + depth * 0.92)} {fmt(x)} {fmt(y + depth)} "
            f"Q {fmt(x - half * 0.83)} {fmt(y + depth * 0.92)} {fmt(x - half)} {fmt(y)} Z"
        )
        parts = [el("path", d=d, fill=inside)]
        clip = self.clip(d)
        tongue = el(
            "ellipse",
            cx=fmt(x),
            cy=fmt(y + depth * 0.78),
            rx=fmt(half * 0.5),
            ry=fmt(depth * 0.22),
            fill=self.colour((235, 120, 130)),
        )
        inner = [tongue]
        if kind == "grin":
            teeth = (
                f"M {fmt(x - half)} {fmt(y - depth)} L {fmt(x + half)} {fmt(y - depth)} "
                f"L {fmt(x + half)} {fmt(y + depth * 0.05)} "
                f"Q {fmt(x)} {fmt(y + depth * 0.5)} {fmt(x - half)} {fmt(y + depth * 0.05)} Z"
            )
            inner.append(el("path", d=teeth, fill=self.colour((252, 250, 248))))
        parts.append(el("g", inner, clip_path=clip))
        parts.append(el("path", d=d, fill="none", stroke=ink, stroke_width=fmt(self.line_width)))
        return "".join(parts)
