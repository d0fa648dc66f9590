"""The drawn features of each face: eyes, brows, nose and mouth, placed by the rig and
drawn by the `draw` engine's own face painter, so both engines look like one studio."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np

from sakuga.engines.draw.character import Variation
from sakuga.engines.draw.parts.accessories import AccessoryPainter
from sakuga.engines.draw.parts.face import FacePainter
from sakuga.engines.draw.svg import document, el, fmt, mix
from sakuga.engines.draw.traits import Traits
from sakuga.engines.draw.words import Expression
from sakuga.engines.toon.sitting import PROFILE_TURN, Head
from sakuga.engines.toon.tones import Look
from sakuga.imaging.rig import NOSE_TIP, FaceRig
from sakuga.prompt.styles import DrawParams

#: The draw engine's eye centres sit this far apart (units of its 1000-high canvas).
DRAW_EYE_SPACING = 136.0
#: An eye's width facing the camera, in the same units (about 0.4 of the spacing).
FRONT_EYE_WIDTH = 54.0


#: Lid gap over eye width under which an eye is drawn closed; a wink (one eye closed,
#: the other open) only under the second, clearer gap.
CLOSED_EYE: Final = 0.13
WINK: Final = 0.07


def _closed(face: FaceRig, side: int, shown: tuple[int, ...]) -> bool:
    """Whether the eye on ``side`` is drawn closed: both closed (a laugh, a blink), or a
    clear wink. One eye read a little narrower than the other is a blur or a squint on
    a small face, not a wink (a 25-pixel face upscaled drew one)."""
    mine = face.openness(side)
    if len(shown) < 2:  # a profile: its one eye as it is
        return mine < CLOSED_EYE
    return mine < CLOSED_EYE and (face.openness(-side) < CLOSED_EYE or mine < WINK)


#: How much taller a lens is than the eye it rounds (its lid arch reaches above it).
LENS_ROOM: Final = 1.35


@dataclass
class PortraitFeatures(FacePainter, AccessoryPainter):
    """The face painter's features, with the positions and shapes read off a photo."""

    traits: Traits
    params: DrawParams
    variation: Variation
    width: float = 1000.0
    defs: list[str] = field(default_factory=list)
    _tails: list[str] = field(default_factory=list)
    _ids: int = 0
    silhouette_head: list[str] = field(default_factory=list)
    silhouette_body: list[str] = field(default_factory=list)

    def head(self, head: Head, look: Look, eyes: float = 1.0) -> str:
        """One head's features, in a group placed, turned and scaled onto the photo."""
        face = head.face
        centres = {side: face.eye(side).mean(axis=0) for side in (-1, 1)}
        origin = face.eyes
        # A turned head's eyes close up towards the nose: its scale comes from the face's
        # height (which turning keeps) as much as from the eyes' spacing.
        spacing = max(float(np.linalg.norm(centres[1] - centres[-1])), face.height * 0.4) or 1.0
        scale = spacing / DRAW_EYE_SPACING
        turn = face.turn
        far = face.far_side()
        # Past three-quarters the far eye is hidden behind the nose (a profile).
        shown = (-1, 1) if abs(turn) < PROFILE_TURN else (-far,)
        roll = face.roll
        c, s = math.cos(math.radians(-roll)), math.sin(math.radians(-roll))

        def local(p: np.ndarray) -> tuple[float, float]:
            dx, dy = (p - origin) / scale
            return (float(dx * c - dy * s), float(dx * s + dy * c))

        out: list[str] = []
        # The version's expression intensity: the same mouth, its curve and opening more
        # or less (a smile a little wider or softer between versions).
        mouth = dict(face.mouth)
        mouth["smile"] *= look.smile
        mouth["opening"] *= 0.85 + 0.15 * look.smile
        mouth["intensity"] = look.smile
        eye_top = 0.0
        drawn_eyes = []
        eye_xs: list[float] = []
        for side in shown:
            pts = face.eye(side)
            photo_w = float(np.linalg.norm(pts[0] - pts[8])) / scale
            # Foreshortened: the near eye of a turned head at its width facing us, a
            # little narrower; the far eye narrower with the turn.
            photo_w = max(photo_w, FRONT_EYE_WIDTH * (1 - abs(turn) * 0.3))
            if side == far:
                photo_w *= 1 - min(abs(turn), 0.9) * 0.6
            w = photo_w * look.eye_scale * eyes
            h = w * look.eye_height
            ex, ey = local(centres[side])
            ey += h * 0.08
            iris, _ = face.iris(side)
            ix, iy = local(iris)
            gaze = (
                float(np.clip((ix - ex) / (photo_w / 2), -1, 1)) * w * 0.22,
                float(np.clip((iy - ey + h * 0.08) / (photo_w / 4), -1, 1)) * h * 0.12,
            )
            closed = _closed(face, side, shown)
            out.append(self.eye(ex, ey, w, h, side, closed, look=gaze))
            drawn_eyes.append((w, h, ey))
            eye_xs.append(ex)
            eye_top = min(eye_top, ey - h * 0.78)
        for side in shown:
            centre = [local(p) for p in face.brow(side)]
            lift = min(0.0, (eye_top - 10) - max(y for _, y in centre))
            out.append(self.brow_shape([(x, y + lift) for x, y in centre], 7.5))
        if head.glasses:
            w = max(e[0] for e in drawn_eyes)
            # The lenses round the eye as drawn: the style's eye height (cute's is rounder)
            # and its lid's arch — a lens as tall as the photo's eye cut a cute eye's lid
            # and iris off above the frame (judge T3, on Hopper).
            h = max(e[1] for e in drawn_eyes) * self.params.eye.height * LENS_ROOM
            ey = sum(e[2] for e in drawn_eyes) / 2
            out.append(self.glasses(w, h, ey, head.frame, 1.3 * head.frame_weight))
        nx, ny = local(face.points[NOSE_TIP])
        out.append(self.nose(nx - 2, ny + 4, 11))
        if head.aged:
            eyes_at = [(x, *e) for x, e in zip(eye_xs, drawn_eyes, strict=True)]
            out.append(self._lines_of_age(face.points, local, eyes_at))
        if abs(turn) >= PROFILE_TURN:  # seen from the side: a short line at the front
            out.append(self._profile_mouth(face.points, local, mouth, far))
        else:
            out.append(self._mouth(face.points, local, mouth))
        return el(
            "g",
            out,
            transform=f"translate({fmt(origin[0])} {fmt(origin[1])}) rotate({fmt(roll)}) "
            f"scale({fmt(scale)})",
        )

    def _lines_of_age(
        self,
        p: np.ndarray,
        local: Callable[[np.ndarray], tuple[float, float]],
        eyes: list[tuple[float, float, float, float]],
    ) -> str:
        """An older face as anime draws it, placed by the photo: a light crease under
        each drawn eye, and a line from each nose wing down past the mouth's corner."""
        out = []
        for ex, w, h, ey in eyes:
            half = w * 0.4
            out.append(
                self.age_line(
                    f"M {fmt(ex - half)} {fmt(ey + h * 0.6)} Q {fmt(ex)} {fmt(ey + h * 0.8)} "
                    f"{fmt(ex + half)} {fmt(ey + h * 0.58)}",
                    0.55,
                )
            )
        for wing, corner in ((129, 61), (358, 291)):
            (wx, wy), (cx, cy) = local(p[wing]), local(p[corner])
            out_x = 1 if wx > local(p[NOSE_TIP])[0] else -1
            out.append(
                self.age_line(
                    f"M {fmt(wx + out_x * 4)} {fmt(wy + 4)} Q {fmt(cx + out_x * 14)} "
                    f"{fmt((wy + cy) / 2)} {fmt(cx + out_x * 10)} {fmt(cy + 12)}",
                    0.5,
                )
            )
        return "".join(out)

    def _profile_mouth(
        self,
        p: np.ndarray,
        local: Callable[[np.ndarray], tuple[float, float]],
        shape: dict[str, float],
        far: int,
    ) -> str:
        """A mouth in profile as anime draws it: a short stroke running back from the
        lips at the face's front edge (the near corner behind it), a little open when
        the photo's is — not a front view's mouth squeezed into a dot."""
        top, bottom = local(p[13]), local(p[14])
        corners = (local(p[61]), local(p[291]))
        front_x = (top[0] + bottom[0]) / 2
        near = max(corners, key=lambda c: abs(c[0] - front_x))  # the corner set back
        back = 1.0 if near[0] >= front_x else -1.0
        length = max(abs(near[0] - front_x), 30.0)
        y = (top[1] + bottom[1]) / 2
        x0, x1 = front_x + back * 4, front_x + back * length
        lift = -float(np.clip(shape["smile"], -0.2, 0.3)) * 18  # a smile turns it up
        d = f"M {fmt(x0)} {fmt(y)} Q {fmt((x0 + x1) / 2)} {fmt(y + 3)} {fmt(x1)} {fmt(y + lift)}"
        ink = self.colour(mix(self.params.ink, (150, 60, 70), 0.35))
        out = [self.stroke(d, ink, 5.0)]
        if shape["opening"] >= 0.18:  # open: the lower lip's line under it
            gap = min(18.0, max(6.0, (bottom[1] - top[1]) * 0.8))
            out.append(
                self.stroke(
                    f"M {fmt(x0 + back * 3)} {fmt(y + gap)} Q {fmt((x0 + x1) / 2)} "
                    f"{fmt(y + gap + 4)} {fmt(x0 + back * length * 0.6)} {fmt(y + gap * 0.4)}",
                    ink,
                    4.0,
                )
            )
        return "".join(out)

    def _mouth(
        self,
        p: np.ndarray,
        local: Callable[[np.ndarray], tuple[float, float]],
        shape: dict[str, float],
    ) -> str:
        left, right = local(p[61]), local(p[291])
        top, bottom = local(p[13]), local(p[14])
        lower_lip = local(p[17])
        cx = (left[0] + right[0]) / 2
        cy = (left[1] + right[1]) / 2
        width = abs(right[0] - left[0]) * 0.78
        if shape["opening"] < 0.06:
            depth = float(np.clip(shape["smile"], -0.2, 0.3)) * width * 0.9
            return self.mouth_shape("line", cx, cy, width * (0.8 if depth < 6 else 1), depth)
        intensity = shape.get("intensity", 1.0)
        depth = max(8.0, (lower_lip[1] - cy) * 0.85) * (0.7 + 0.3 * intensity)
        width *= 0.9 + 0.1 * intensity
        if shape["smile"] > 0.03:
            kind = "grin" if shape["opening"] < 0.32 else "laugh"
            return self.mouth_shape(kind, cx, cy, width, depth)
        gap = max(10.0, bottom[1] - top[1])
        return self.mouth_shape("open", cx, top[1], width * 0.5, gap * 1.2)


def features_svg(
    heads: tuple[Head, ...],
    size: tuple[int, int],
    params: DrawParams,
    look: Look,
    style: str,
    eyes: float = 1.0,
    region: tuple[int, int, int, int] | None = None,
) -> str:
    """One SVG document with every head's drawn features: the picture of ``size``
    pixels, or only its ``region`` (x0, y0, x1, y1) when one is given."""
    groups: list[str] = []
    defs: list[str] = []
    params = drawn_over_photo(params)
    for head in heads:
        # The eyes' lids at their usual height ("calm" would draw them half closed); the
        # mouth comes from the lips, not from the expression.
        expression: Expression = "smile"
        painter = PortraitFeatures(
            Traits(
                hair_color=head.hair,
                eye_color=head.iris,
                skin=head.skin,
                expression=expression,
                style=style,
            ),
            params,
            Variation(),
        )
        painter._ids = len(defs) * 100  # ids unique across heads
        groups.append(painter.head(head, look, eyes))
        defs.extend(painter.defs)
    if region is None:
        return document(defs, groups, size)
    x0, y0, x1, y1 = region
    return document(defs, groups, (x1 - x0, y1 - y0), (x0, y0))


#: The darkest the style's ink may be for the lashes and lids drawn over a photo, in
#: relative luminance: a pastel style's light ink drew lids that read as faded.
FIRM_INK: Final = 0.12


def drawn_over_photo(params: DrawParams) -> DrawParams:
    """``params`` for features drawn over the toon's painted photo: without `draw`'s own
    pastel and grade (the toon's grade has already gone over the face; a second one
    washed the eyes out against the skin under them), and with an ink dark enough for
    a lash line."""
    ink = params.ink
    lum = (0.2126 * ink[0] + 0.7152 * ink[1] + 0.0722 * ink[2]) / 255
    if lum > FIRM_INK:
        ink = mix(ink, (0, 0, 0), 1 - FIRM_INK / lum)
    return replace(params, pastel=0.0, grade=None, grade_opacity=0.0, ink=ink)


def features_region(heads: tuple[Head, ...], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The part of the picture the heads' drawn features lie in: each face's box with
    its own size again around it (glasses, brows, lines of age stay well inside),
    within the picture. Rendered alone, a face on a 12 MP photo costs a tenth."""
    width, height = size
    boxes = []
    for head in heads:
        x0, y0, x1, y1 = head.face.box
        pad = max(x1 - x0, y1 - y0)
        boxes.append((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    return (
        max(0, min(b[0] for b in boxes)),
        max(0, min(b[1] for b in boxes)),
        min(width, max(b[2] for b in boxes)),
        min(height, max(b[3] for b in boxes)),
    )
