"""The face: its shape and skin, and the features on it (eyes, brows, nose, mouth, blush)."""

from __future__ import annotations

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.svg import (
    el,
    fmt,
    light,
    mix,
    shade,
)


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
        # The shadow the bangs cast on the forehead: the clumps, a little lower.
        clip = self.clip(self.face_path)
        shadow = self.colour(self.shadow(skin))
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
        # Light from the upper left: a soft crescent of shadow along the right jaw.
        out.append(
            el(
                "path",
                d=f"M {w} -20 C {w} 80 {w * 0.7} 140 {w * 0.25} 178 "
                f"C {w * 0.6} 120 {w * 0.86} 60 {w * 0.9} -20 Z",
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
        eye_y = 30 if t.build != "chibi" else 45
        out: list[str] = []
        blush = expr in ("smile", "laugh", "wink") or t.style == "cute"
        if blush:
            for side in (-1, 1):
                out.append(
                    el(
                        "ellipse",
                        cx=fmt(side * 82),
                        cy=fmt(eye_y + 68),
                        rx="30",
                        ry="11",
                        fill=self.colour((255, 130, 150)),
                        opacity="0.35",
                    )
                )
        for side in (-1, 1):
            closed = expr == "laugh" or (expr == "wink" and side == 1)
            out.append(self.eye(side * 68, eye_y, ew, eh, side, closed))
            out.append(self.brow(side * 70, eye_y - 72 - (14 if expr == "surprised" else 0), side))
        out.append(
            self.stroke(
                f"M 6 {eye_y + 62} L 0 {eye_y + 70}", self.ink(t.skin), self.line_width * 0.9
            )
        )
        out.append(self.mouth(eye_y + 108, k))
        if expr == "sad":
            for side in (-1, 1):
                tx, ty = side * 98, eye_y + 58
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

    def eye(self, ex: float, ey: float, w: float, h: float, side: int, closed: bool) -> str:
        t = self.traits
        expr = t.expression
        ink = self.colour(self.params.ink)
        if closed:
            # Happy closed eye: an upward arc with a little lash flick.
            d = f"M {ex - w * 0.45} {ey + h * 0.1} Q {ex} {ey - h * 0.42} {ex + w * 0.45} {ey + h * 0.1}"
            return self.stroke(d, ink, self.line_width * 2.2)
        # The lid line: tilted by expression (angry: inner corner down; sad: inner up).
        inner_drop = {"angry": 0.16, "sad": -0.14}.get(expr, 0.0)
        lid_top = {"calm": 0.42, "surprised": 0.62}.get(expr, 0.55)
        inner_x, outer_x = ex - side * w / 2, ex + side * w / 2
        inner_y = ey - h * 0.08 + h * inner_drop
        outer_y = ey - h * 0.14
        top = (
            f"M {fmt(inner_x)} {fmt(inner_y)} C {fmt(inner_x + side * w * 0.2)} {fmt(ey - h * lid_top - h * 0.2)} "
            f"{fmt(outer_x - side * w * 0.25)} {fmt(ey - h * lid_top - h * 0.22)} {fmt(outer_x)} {fmt(outer_y)}"
        )
        bottom = (
            f"C {fmt(outer_x - side * w * 0.05)} {fmt(ey + h * 0.4)} {fmt(inner_x + side * w * 0.15)} "
            f"{fmt(ey + h * 0.46)} {fmt(inner_x)} {fmt(inner_y)} Z"
        )
        opening = f"{top} {bottom}"
        out = [el("path", d=opening, fill=self.colour((250, 248, 252)))]
        clip = self.clip(opening)
        iris = t.eye_color
        iris_r = (
            w * (0.28 if expr == "surprised" else 0.35),
            h * (0.36 if expr == "surprised" else 0.46),
        )
        grad = self.gradient([(0, shade(iris, 0.6)), (0.45, iris), (1, light(iris, 0.55))])
        look = side * w * 0.02
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
                cx=fmt(ex + look),
                cy=fmt(ey + h * 0.08),
                rx=fmt(iris_r[0]),
                ry=fmt(iris_r[1]),
                fill=grad,
                stroke=self.colour(shade(iris, 0.65)),
                stroke_width=fmt(self.line_width * 0.8),
            ),
            el(
                "ellipse",
                cx=fmt(ex + look),
                cy=fmt(ey + h * 0.06),
                rx=fmt(iris_r[0] * 0.42),
                ry=fmt(iris_r[1] * 0.45),
                fill=self.colour(shade(iris, 0.82)),
            ),
            el(
                "ellipse",
                cx=fmt(ex + look + w * 0.02),
                cy=fmt(ey + h * 0.3),
                rx=fmt(iris_r[0] * 0.55),
                ry=fmt(iris_r[1] * 0.2),
                fill=self.colour(light(iris, 0.6)),
                opacity="0.7",
            ),
        ]
        out.append(el("g", parts, clip_path=clip))
        # Catchlights over everything in the eye.
        out.append(
            el(
                "ellipse",
                cx=fmt(ex + look - side * w * 0.1),
                cy=fmt(ey - h * 0.08),
                rx=fmt(w * 0.12),
                ry=fmt(h * 0.1),
                fill="#ffffff",
            )
        )
        out.append(
            el(
                "circle",
                cx=fmt(ex + look + side * w * 0.12),
                cy=fmt(ey + h * 0.24),
                r=fmt(w * 0.05),
                fill="#ffffff",
                opacity="0.9",
            )
        )
        # Upper lash: a thick tapered stroke with a flick at the outer corner.
        lash_w = self.line_width * 2.4
        flick = f"L {fmt(outer_x + side * w * 0.14)} {fmt(outer_y - h * 0.16)} L {fmt(outer_x - side * w * 0.02)} {fmt(outer_y + h * 0.04)}"
        out.append(
            el(
                "path",
                d=f"{top} {flick}",
                fill="none",
                stroke=ink,
                stroke_width=fmt(lash_w),
                stroke_linecap="round",
                stroke_linejoin="round",
            )
        )
        out.append(
            self.stroke(
                f"M {fmt(outer_x - side * w * 0.08)} {fmt(ey + h * 0.32)} "
                f"Q {fmt(ex + side * w * 0.1)} {fmt(ey + h * 0.46)} {fmt(ex - side * w * 0.1)} {fmt(ey + h * 0.44)}",
                ink,
                self.line_width * 0.7,
                opacity="0.8",
            )
        )
        return "".join(out)

    def brow(self, bx: float, by: float, side: int) -> str:
        expr = self.traits.expression
        inner = {"angry": 16, "sad": -14, "surprised": -6}.get(expr, 0)
        x0, x1 = bx - side * 34, bx + side * 34
        colour = self.ink(self.traits.hair_color)
        d = (
            f"M {fmt(x0)} {fmt(by + inner)} Q {fmt(bx)} {fmt(by - 10)} {fmt(x1)} {fmt(by + 4)} "
            f"Q {fmt(bx)} {fmt(by - 2)} {fmt(x0)} {fmt(by + inner + 6)} Z"
        )
        return el(
            "path",
            d=d,
            fill=colour,
            stroke=colour,
            stroke_width=fmt(self.line_width * 0.6),
            stroke_linejoin="round",
        )

    def mouth(self, my: float, k: float) -> str:
        expr = self.traits.expression
        ink = self.colour(mix(self.params.ink, (160, 60, 70), 0.35))
        inside = self.colour((150, 40, 60))
        tongue = self.colour((235, 120, 130))
        if expr == "laugh":
            d = f"M -36 {my} Q 0 {my + 8} 36 {my} Q 30 {my + 48 * k} 0 {my + 52 * k} Q -30 {my + 48 * k} -36 {my} Z"
            return el("path", d=d, fill=inside, stroke=ink, stroke_width=fmt(self.line_width)) + el(
                "ellipse", cx="0", cy=fmt(my + 38 * k), rx="18", ry=fmt(10 * k), fill=tongue
            )
        if expr == "surprised":
            return el(
                "ellipse",
                cx="0",
                cy=fmt(my + 8),
                rx="12",
                ry=fmt(16 * k),
                fill=inside,
                stroke=ink,
                stroke_width=fmt(self.line_width),
            )
        if expr in ("smile", "wink"):
            return self.stroke(f"M -30 {my} Q 0 {my + 22 * k} 30 {my}", ink, self.line_width * 1.1)
        if expr == "angry":
            return self.stroke(
                f"M -26 {my + 10} Q 0 {my - 8 * k} 26 {my + 10}", ink, self.line_width * 1.1
            ) + self.stroke(f"M 20 {my + 6} L 30 {my + 12}", ink, self.line_width * 0.8)
        if expr == "sad":
            return self.stroke(
                f"M -20 {my + 10} Q 0 {my - 4 * k} 20 {my + 10}", ink, self.line_width
            )
        return self.stroke(f"M -16 {my + 2} Q 0 {my + 6 * k} 16 {my + 1}", ink, self.line_width)
