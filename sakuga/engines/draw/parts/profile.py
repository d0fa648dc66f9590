"""The head in profile, for a figure looking back over its shoulder: the back of the
head and hair, and the face turned to the side — forehead, nose, lips and chin on the
contour, one eye, one brow, the bangs falling in front of the forehead."""

from __future__ import annotations

from sakuga.engines.draw.canvas import Canvas
from sakuga.engines.draw.svg import el, fmt, shade


class ProfilePainter(Canvas):
    """The profile head (a part of `Painter`)."""

    def profile_head(self) -> str:
        t = self.traits
        d = -1 if self.variation.light >= 0 else 1  # the face turns towards the light
        skin, hair = t.skin, t.hair_color
        ink = self.colour(self.params.ink)

        def at(*points: tuple[float, float]) -> str:
            return " ".join(fmt(d * x, y) for x, y in points)

        out: list[str] = []
        if t.hair_style in ("long", "twintails", "ponytail"):  # hair down the back
            fall = (
                f"M {at((-60, -120))} C {at((-230, -60), (-250, 300), (-170, 560))} "
                f"L {at((40, 560))} C {at((30, 300), (20, 120), (20, 40))} Z"
            )
            out.append(self.shape(fall, shade(hair, 0.12), hair))
        face = (
            f"M {at((40, -150))} C {at((110, -150), (140, -80), (138, -10))} "
            f"C {at((150, 20), (176, 56), (172, 66))} C {at((168, 78), (150, 80), (146, 86))} "
            f"C {at((156, 96), (152, 108), (144, 112))} C {at((152, 120), (148, 134), (140, 138))} "
            f"C {at((140, 160), (120, 178), (90, 178))} C {at((40, 178), (0, 150), (-20, 110))} "
            f"L {at((-40, -40))} Z"
        )
        out.append(self.shape(face, skin, skin))
        self.silhouette_head.append(face)
        ear = f"M {at((-6, 30))} C {at((-40, 10), (-44, 80), (-8, 84))} Z"
        out.append(self.shape(ear, skin, skin, self.line_width * 0.8))
        # One eye, seen from the side: a wedge opening towards the nose.
        ex, ey = 92, 26
        eye = (
            f"M {at((ex - 32, ey - 24))} Q {at((ex + 10, ey - 34))} {at((ex + 30, ey - 4))} "
            f"Q {at((ex + 4, ey + 26))} {at((ex - 26, ey + 18))} Z"
        )
        out.append(el("path", d=eye, fill=self.colour((250, 248, 252))))
        iris = el(
            "ellipse",
            cx=fmt(d * (ex + 6)),
            cy=fmt(ey - 1),
            rx="15",
            ry="25",
            fill=self.colour(t.eye_color),
            clip_path=self.clip(eye),
        )
        out.append(iris)
        out.append(el("circle", cx=fmt(d * (ex + 9)), cy=fmt(ey - 8), r="4", fill="#ffffff"))
        lid = f"M {at((ex - 34, ey - 22))} Q {at((ex + 8, ey - 38))} {at((ex + 34, ey - 6))}"
        out.append(self.stroke(lid, ink, self.line_width * 2.2))
        brow = f"M {at((ex - 22, ey - 60))} Q {at((ex + 6, ey - 70))} {at((ex + 30, ey - 58))}"
        out.append(self.stroke(brow, self.ink(hair), self.line_width * 1.4))
        mouth = f"M {at((128, 112))} L {at((146, 111))}"
        out.append(self.stroke(mouth, self.ink(skin), self.line_width))
        if t.expression in ("smile", "laugh", "shy") or t.style == "cute":
            out.append(
                el(
                    "ellipse",
                    cx=fmt(d * 80),
                    cy="86",
                    rx="24",
                    ry="10",
                    fill=self.colour((255, 130, 150)),
                    opacity="0.35",
                )
            )
        # The skull in hair over the back of the head, down to the nape, and the bangs
        # falling in front of the forehead.
        skull = (
            f"M {at((60, -120))} C {at((40, -230), (-180, -240), (-200, -80))} "
            f"C {at((-214, 40), (-170, 150), (-60, 180))} L {at((-30, 60))} "
            f"C {at((-10, -40), (30, -60), (60, -120))} Z"
        )
        out.append(self.shape(skull, hair, hair))
        self.silhouette_head.append(skull)
        band = f"M {at((-150, -150))} Q {at((-40, -214), (50, -150))}"
        out.append(self.stroke(band, self.colour(self.lit(hair, 0.1)), 12, opacity="0.8"))
        for x0, tip in ((40, (118, 10)), (80, (140, -12)), (10, (92, 40))):
            bang = f"M {at((x0 - 30, -170))} Q {at((x0 + 40, -120))} {at(tip)} Q {at((x0 + 10, -90))} {at((x0 - 40, -140))} Z"
            out.append(self.shape(bang, hair, hair))
        shadow = f"M {at((-20, 110))} C {at((0, 150), (40, 178), (90, 178))} C {at((50, 160), (20, 130), (-4, 96))} Z"
        out.append(self.shape(shadow, shade(skin, 0.15), None, opacity="0.6"))
        return "".join(out)
