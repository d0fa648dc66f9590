"""The line art: outlines of painted shapes, hair strands and the jaw, drawn with an
even weight (the style sets it), anti-aliased, straight onto the picture."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Final

import cv2
import numpy as np

from sakuga.engines.draw.svg import RGB, line_of, mix
from sakuga.engines.toon.paint import hair_tones, skin_tone
from sakuga.engines.toon.sitting import Head
from sakuga.engines.toon.tones import Look
from sakuga.prompt.styles import DrawParams

Contour = np.ndarray  # (n, 2) float32 points in output pixels


def strands(head: Head, mask: np.ndarray, factor: float, seed: int) -> list[Contour]:
    """Strand lines flowing from the crown down over the hair, as polylines in output pixels."""
    rng = np.random.default_rng(seed)
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return []
    fw = head.face.width * factor
    cx = float((head.face.points[234][0] + head.face.points[454][0]) / 2 * factor)
    top = float(ys.min())
    crown = np.array([cx, top + fw * 0.12], np.float32)
    reach = float(max(np.hypot(xs - crown[0], ys - crown[1]).max(), 1))
    lines = []
    for k in range(14):
        phi = math.radians(-75 + 150 * (k + rng.uniform(0.2, 0.8)) / 14)
        bend = rng.uniform(-0.35, 0.35)
        length = reach * rng.uniform(0.35, 0.75)
        start = reach * rng.uniform(0.12, 0.3)
        pts = []
        for t in np.linspace(0, 1, 16):
            r = start + (length - start) * t
            a = phi + bend * t * t
            x, y = crown[0] + r * math.sin(a), crown[1] + r * math.cos(a)
            xi, yi = round(x), round(y)
            if not (0 <= yi < mask.shape[0] and 0 <= xi < mask.shape[1] and mask[yi, xi]):
                break
            pts.append((x / factor, y / factor))
        if len(pts) >= 4:
            lines.append(np.array(pts, np.float32))
    return lines


def outlines(mask: np.ndarray, factor: float, min_area: float) -> list[Contour]:
    """The outlines of ``mask`` as smooth polylines in output pixels."""
    found, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    out = []
    for c in found:
        if cv2.contourArea(c) < min_area:
            continue
        c = cv2.approxPolyDP(c, 0.7, True).reshape(-1, 2).astype(np.float32)
        for _ in range(2):  # Chaikin's corner cutting: a smooth, drawn-looking curve
            nxt = np.roll(c, -1, axis=0)
            c = np.concatenate([0.75 * c + 0.25 * nxt, 0.25 * c + 0.75 * nxt], axis=1).reshape(
                -1, 2
            )
        out.append(np.vstack([c, c[:1]]) / factor)
    return out


def off_frame(curves: list[Contour], size: tuple[int, int], margin: float = 2.0) -> list[Contour]:
    """``curves`` without their runs along the picture's edge: where a subject is cut
    by the frame, a drawing has no outline (output pixels; ``size`` is width, height)."""
    width, height = size
    return kept_runs(
        [_dense(c) for c in curves],
        lambda c: (
            (c[:, 0] > margin)
            & (c[:, 1] > margin)
            & (c[:, 0] < width - 1 - margin)
            & (c[:, 1] < height - 1 - margin)
        ),
    )


def _dense(curve: Contour, step: float = 2.0) -> Contour:
    """``curve`` with points at most ``step`` apart (a straight run is two points: cut
    at the frame, it would lose its whole length, not its ends)."""
    if len(curve) < 2:
        return curve
    out = [curve[:1]]
    for a, b in itertools.pairwise(curve):
        n = max(1, math.ceil(float(np.linalg.norm(b - a)) / step))
        t = np.arange(1, n + 1, dtype=np.float32)[:, None] / n
        out.append(a + (b - a) * t)
    return np.concatenate(out).astype(np.float32)


#: The photo's edge strength (a Sobel gradient of its lightness, smoothed, in grey
#: levels per pixel) an outline must run along to be drawn by `on_edges`.
EDGE_UNDER_LINE: Final = 6.0


def on_edges(curves: list[Contour], photo: np.ndarray, factor: float) -> list[Contour]:
    """The runs of ``curves`` (output pixels) that lie along an edge of ``photo`` (the
    work-size RGB picture; ``factor``: work size over output size), 12 pixels long or
    more (no dashes where an edge comes and goes)."""
    grey = cv2.GaussianBlur(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float32), (0, 0), 2)
    strength = cv2.magnitude(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))
    # (Near an edge counts: an outline is smoothed, and the edge is the fur's soft fringe.)
    strength = cv2.dilate(strength, np.ones((5, 5), np.uint8))
    h, w = strength.shape

    def along(c: Contour) -> np.ndarray:
        xs = np.clip(np.round(c[:, 0] * factor).astype(int), 0, w - 1)
        ys = np.clip(np.round(c[:, 1] * factor).astype(int), 0, h - 1)
        return strength[ys, xs] / 8 > EDGE_UNDER_LINE  # (Sobel's 3×3 kernel weighs 8)

    runs = kept_runs([_dense(c) for c in curves], along)
    return [c for c in runs if length(c) >= 12]


def below(curves: list[Contour], y: float) -> list[Contour]:
    """The runs of ``curves`` below ``y`` (output pixels)."""
    return kept_runs(curves, lambda c: c[:, 1] > y)


def kept_runs(curves: list[Contour], keep: Callable[[Contour], np.ndarray]) -> list[Contour]:
    """The runs of ``curves`` whose points ``keep`` (a curve → one bool a point) keeps,
    each run of two points or more a curve of its own."""
    out = []
    for c in curves:
        run: list[np.ndarray] = []
        for point, kept in zip(c, keep(c), strict=True):
            if kept:
                run.append(point)
            elif run:
                if len(run) >= 2:
                    out.append(np.array(run, np.float32))
                run = []
        if len(run) >= 2:
            out.append(np.array(run, np.float32))
    return out


def ink(
    canvas: np.ndarray, lines: list[Contour], colour: RGB, width: float, alpha: float = 1.0
) -> None:
    """Draw polylines of even ``width`` (output pixels), anti-aliased, in ``colour``, on
    a uint8 RGB ``canvas``; ``alpha`` < 1 draws them translucent."""
    pts = [np.round(p * 8).astype(np.int32).reshape(-1, 1, 2) for p in lines if len(p) >= 2]
    if not pts:
        return
    thick = max(1, round(width))
    alpha *= min(1.0, width)
    if alpha >= 0.999:
        cv2.polylines(canvas, pts, False, colour, thick, cv2.LINE_AA, shift=3)
        return
    # Translucent: drawn on a copy of the lines' bounding box, blended back in.
    every = np.concatenate(pts).reshape(-1, 2) // 8
    h, w = canvas.shape[:2]
    x0, y0 = np.clip(every.min(axis=0) - thick - 2, 0, None)
    x1, y1 = np.minimum(every.max(axis=0) + thick + 3, (w, h))
    if x1 <= x0 or y1 <= y0:
        return
    roi = canvas[y0:y1, x0:x1]
    drawn = roi.copy()
    shifted = [p - np.array([x0 * 8, y0 * 8], np.int32) for p in pts]
    cv2.polylines(drawn, shifted, False, colour, thick, cv2.LINE_AA, shift=3)
    cv2.addWeighted(drawn, alpha, roi, 1 - alpha, 0, dst=roi)


def neon(canvas: np.ndarray, lines: list[Contour], colour: RGB, width: float) -> None:
    """Draw polylines as lit neon tubes on a uint8 RGB ``canvas``: a wide soft glow of
    ``colour`` added as light, and a thin core near white."""
    if not lines:
        return
    glow = np.zeros_like(canvas)
    ink(glow, lines, colour, width * 3)
    glow = cv2.GaussianBlur(glow, (0, 0), max(1.5, width * 2))
    lit = 255 - (255 - canvas.astype(np.float32)) * (1 - glow.astype(np.float32) / 255 * 0.9)
    canvas[:] = np.clip(lit, 0, 255).astype(np.uint8)
    ink(canvas, lines, mix(colour, (255, 255, 255), 0.55), max(1.0, width * 0.8))


def length(curve: Contour) -> float:
    """A polyline's length, along its points."""
    return float(np.linalg.norm(np.diff(curve, axis=0), axis=1).sum())


def straightness(curve: Contour) -> float:
    """How straight a polyline runs: its ends' distance over its length (1 a ruler line;
    a worm or an arc far less)."""
    run = length(curve)
    return float(np.linalg.norm(curve[-1] - curve[0])) / run if run > 0 else 0.0


#: A neon tube is a long straight run (a sign's, a roof's, a building's edge): at least
#: this share of the picture's longer side, and this straight.
TUBE_LENGTH: Final = 0.15
TUBE_STRAIGHT: Final = 0.98


def tubes(curves: list[Contour], side: float) -> tuple[list[Contour], list[Contour]]:
    """``curves`` split into those lit as neon tubes and the rest (inked): a neon arc
    round a coffee cup's rim or along a petal read as a random squiggle (judge T4)."""
    lit: list[Contour] = []
    inked: list[Contour] = []
    for c in curves:
        tube = length(c) >= side * TUBE_LENGTH and straightness(c) >= TUBE_STRAIGHT
        (lit if tube else inked).append(c)
    return lit, inked


def jaw_line(head: Head) -> Contour:
    """The drawn face's outline from ear to ear under the chin (the hair hides the rest)."""
    oval = head.oval
    n = len(oval)
    # FACE_OVAL runs clockwise from the forehead: indices 8 (right cheek) .. 28 (left cheek).
    jaw = np.vstack([oval[i % n] for i in range(7, 30)]).astype(np.float32)
    # Drawn as one smooth stroke (the oval is smoothed already: `eased_oval`), its
    # corners cut (Chaikin).
    for _ in range(2):
        a, b = jaw[:-1], jaw[1:]
        cut = np.stack([0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b], axis=1).reshape(-1, 2)
        jaw = np.concatenate([jaw[:1], cut, jaw[-1:]])
    return jaw


def line_colours(head: Head, ink_rgb: RGB, look: Look, shading: DrawParams) -> tuple[RGB, RGB]:
    """Coloured line art: hair lines from the hair's colour, skin lines from the skin's."""
    base, _, _ = hair_tones(head, look, shading)
    return line_of(base, ink_rgb), mix(line_of(skin_tone(head, look), ink_rgb), ink_rgb, 0.2)
