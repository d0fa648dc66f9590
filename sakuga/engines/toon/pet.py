"""Pets: where a cat's or dog's eyes are, the animal's outline, and its eyes drawn as
anime eyes (big, glossy, with catchlights) over the painted fur.

Nothing here can tell an animal from a thing with certainty: no pet detector ships in
a package this project may use. OpenCV's cat-face cascades find a pet on their own
(they miss many close-ups: `benchmarks/portrait.py` counts them); otherwise a photo is
a pet only when the creator says so (``subject="pet"``, or a pet named in the prompt),
and then its eyes are the best pair of round, dark-centred shapes of a size and spacing
that eyes have.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import cv2
import numpy as np

from sakuga.engines.draw.svg import RGB, document, el, fmt, hex_, light, shade, vivid

#: Words of a prompt that say the photo shows a pet.
PET_WORDS: Final = frozenset(
    {"cat", "cats", "kitten", "kitty", "dog", "dogs", "puppy", "pup", "pet", "neko", "inu"}
)
_SIDE: Final = 400  # the eyes are looked for on a copy this size
GREY_EYE: Final = (190, 150, 60)  # a cat's amber, for a photo with no colour


@dataclass(frozen=True)
class PetEye:
    x: float
    y: float
    r: float  # the iris's radius, photo pixels
    colour: RGB  # the iris's colour


def names_a_pet(text: str) -> bool:
    words = {w.strip(".,!?;:'\"()").lower() for w in text.split()}
    return bool(words & PET_WORDS)


def cat_face(rgb: np.ndarray) -> tuple[int, int, int, int] | None:
    """The largest box OpenCV's cat-face cascade finds, or None."""
    from sakuga.imaging.faces import detect_faces

    cats = [f.box for f in detect_faces(rgb, cats=True) if f.kind == "cat"]
    return max(cats, key=lambda b: (b[2] - b[0]) * (b[3] - b[1])) if cats else None


def _candidates(grey: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Round shapes with a darker middle: (x, y, r, score) at the copy's scale."""
    side = min(grey.shape)
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(grey, (0, 0), 1.5),
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=side * 0.08,
        param1=80,
        param2=18,
        minRadius=max(4, int(side * 0.035)),
        maxRadius=int(side * 0.16),
    )
    if circles is None:
        return []
    ys, xs = np.mgrid[0 : grey.shape[0], 0 : grey.shape[1]]
    out = []
    for x, y, r in circles[0]:
        x0, x1 = int(max(0, x - r * 1.7)), int(min(grey.shape[1], x + r * 1.7 + 1))
        y0, y1 = int(max(0, y - r * 1.7)), int(min(grey.shape[0], y + r * 1.7 + 1))
        d = np.hypot(xs[y0:y1, x0:x1] - x, ys[y0:y1, x0:x1] - y)
        g = grey[y0:y1, x0:x1].astype(np.float32)
        inner, ring = d < r * 0.35, (d > r * 0.5) & (d < r * 0.9)
        outer = (d > r * 1.2) & (d < r * 1.6)
        if not inner.any() or not ring.any() or not outer.any():
            continue
        # A pupil darker than the iris, and the iris apart from the fur around it.
        score = (g[ring].mean() - g[inner].mean()) / 255 + abs(
            g[ring].mean() - g[outer].mean()
        ) / 510
        out.append((float(x), float(y), float(r), float(score)))
    return out


def find_pet_eyes(
    rgb: np.ndarray, box: tuple[int, int, int, int] | None = None
) -> tuple[PetEye, PetEye] | None:
    """The pet's two eyes (image-left first), inside ``box`` when a cascade gave one."""
    h, w = rgb.shape[:2]
    f = _SIDE / max(h, w)
    small = cv2.resize(rgb, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    found = _candidates(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
    if box is not None:
        bx0, by0, bx1, by1 = (v * f for v in box)
        found = [c for c in found if bx0 <= c[0] <= bx1 and by0 <= c[1] <= by1]
    best: tuple[float, tuple[float, ...], tuple[float, ...]] | None = None
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if max(a[2], b[2]) / min(a[2], b[2]) > 1.35:
                continue
            dx, dy = b[0] - a[0], b[1] - a[1]
            dist, r = math.hypot(dx, dy), (a[2] + b[2]) / 2
            if not 2.5 * r < dist < 7 * r or abs(math.degrees(math.atan2(dy, abs(dx)))) > 25:
                continue
            score = min(a[3], b[3])
            if score > 0.02 and (best is None or score > best[0]):
                best = (score, a, b)
    if best is None:
        return None
    eyes = sorted(best[1:], key=lambda c: c[0])
    return (_eye(rgb, eyes[0], f), _eye(rgb, eyes[1], f))


def _eye(rgb: np.ndarray, found: tuple[float, ...], f: float) -> PetEye:
    """An eye at photo scale, centred on its pupil (the largest dark blob near the
    circle's centre), with its iris's colour (the ring around the pupil, made rich
    enough to read)."""
    x, y, r = found[0] / f, found[1] / f, found[2] / f
    h, w = rgb.shape[:2]
    x0, x1 = int(max(0, x - r * 1.2)), int(min(w, x + r * 1.2 + 1))
    y0, y1 = int(max(0, y - r * 1.2)), int(min(h, y + r * 1.2 + 1))
    grey = cv2.GaussianBlur(cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY), (0, 0), 1.0)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    near = np.hypot(xs - x, ys - y) < r * 1.1
    if near.sum() > 16:
        dark = (grey <= np.percentile(grey[near], 12)) & near
        count, _labels, stats, centroids = cv2.connectedComponentsWithStats(dark.astype(np.uint8))
        if count > 1:
            best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
            x, y = float(centroids[best][0] + x0), float(centroids[best][1] + y0)
    # The iris's colour: inside the iris, clear of the fur (a window around the eye, not
    # the whole photo).
    x0, x1 = int(max(0, x - r)), int(min(w, x + r + 1))
    y0, y1 = int(max(0, y - r)), int(min(h, y + r + 1))
    ys, xs = np.mgrid[y0:y1, x0:x1]
    d = np.hypot(xs - x, ys - y)
    ring = (d > r * 0.35) & (d < r * 0.7)
    colour = np.median(rgb[y0:y1, x0:x1][ring], axis=0) if ring.any() else np.array(GREY_EYE)
    if float(np.ptp(colour)) < 12:  # a greyscale photo: no colour to read
        colour = np.array(GREY_EYE)
    red, green, blue = (float(c) for c in colour)
    return PetEye(
        x, y, r, vivid((red, green, blue), saturation=(90 / 255, 1.35), value=(150 / 255, 1.15))
    )


def pet_mask(rgb: np.ndarray, eyes: tuple[PetEye, PetEye]) -> np.ndarray:
    """The animal's outline, by GrabCut from around its face (the eyes give its size):
    the face itself is the animal, a wide box around it may be, the rest is likely the
    background (a pet filling the frame reaches the border)."""
    h, w = rgb.shape[:2]
    a, b = eyes
    span = math.hypot(b.x - a.x, b.y - a.y)
    cx, cy = (a.x + b.x) / 2, (a.y + b.y) / 2
    mask = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    x0, x1 = int(max(0, cx - span * 3)), int(min(w, cx + span * 3))
    y0, y1 = int(max(0, cy - span * 2)), int(min(h, cy + span * 5))
    mask[y0:y1, x0:x1] = cv2.GC_PR_FGD
    face = (
        slice(int(max(0, cy - span * 0.4)), int(min(h, cy + span * 0.9))),
        slice(int(max(0, cx - span * 0.8)), int(min(w, cx + span * 0.8))),
    )
    # The frame's edge is likely background (GrabCut needs some to learn from).
    border = max(2, round(min(h, w) * 0.03))
    mask[:border], mask[-border:], mask[:, :border], mask[:, -border:] = (cv2.GC_PR_BGD,) * 4
    mask[face] = cv2.GC_FGD
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)
    cv2.grabCut(np.ascontiguousarray(rgb), mask, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
    return (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)


def pet_eyes_svg(
    eyes: tuple[PetEye, PetEye], size: tuple[int, int], ink: RGB, scale: float, seed: int
) -> str:
    """Both eyes drawn as anime animal eyes, tilted along the line between them: an
    almond opening (inner corner lower, as a cat's), an iris in the eye's own colour,
    lighter at the bottom, a slit pupil, a shaped catchlight and a small one, and a
    thick upper lid that tapers at the corners; at ``scale`` of the photo's eye."""
    rng = np.random.default_rng(seed)
    glint = float(rng.uniform(-0.15, 0.15))  # where the light catches, per version
    a, b = eyes
    tilt = math.degrees(math.atan2(b.y - a.y, b.x - a.x))
    parts: list[str] = []
    defs: list[str] = []
    for i, eye in enumerate(eyes):
        r = eye.r * scale
        side = -1 if i == 0 else 1  # image-left eye, image-right eye
        gid, cid = f"pet-iris-{i}", f"pet-eye-{i}"
        defs.append(
            el(
                "linearGradient",
                [
                    el("stop", offset="0", stop_color=hex_(shade(eye.colour, 0.35))),
                    el("stop", offset="0.55", stop_color=hex_(eye.colour)),
                    el("stop", offset="1", stop_color=hex_(light(eye.colour, 0.45))),
                ],
                id=gid,
                x1="0",
                y1="0",
                x2="0",
                y2="1",
            )
        )
        # The almond, in the eye's own frame: x along the eyes' line, outer corner
        # (away from the nose) higher than the inner one.
        w, h = r * 1.12, r * 0.8
        inner, outer = (-side * w, h * 0.12), (side * w, -h * 0.12)
        almond = (
            f"M {fmt(inner[0])} {fmt(inner[1])} "
            f"C {fmt(-side * w * 0.5)} {fmt(-h * 1.25)} {fmt(side * w * 0.55)} {fmt(-h * 1.3)} "
            f"{fmt(outer[0])} {fmt(outer[1])} "
            f"C {fmt(side * w * 0.55)} {fmt(h * 1.15)} {fmt(-side * w * 0.5)} {fmt(h * 1.2)} "
            f"{fmt(inner[0])} {fmt(inner[1])} Z"
        )
        defs.append(el("clipPath", [el("path", d=almond)], id=cid))
        inside = [
            el(
                "rect",
                x=fmt(-w),
                y=fmt(-h * 1.3),
                width=fmt(2 * w),
                height=fmt(2.6 * h),
                fill=f"url(#{gid})",
            ),
            el(
                "ellipse",
                cx="0",
                cy="0",
                rx=fmt(r * 0.16),
                ry=fmt(h * 0.95),
                fill=hex_(shade(eye.colour, 0.88)),
            ),
        ]
        lid = (
            f"M {fmt(inner[0])} {fmt(inner[1])} "
            f"C {fmt(-side * w * 0.5)} {fmt(-h * 1.25)} {fmt(side * w * 0.55)} {fmt(-h * 1.3)} "
            f"{fmt(outer[0] + side * w * 0.12)} {fmt(outer[1] - h * 0.12)} "
            f"C {fmt(side * w * 0.5)} {fmt(-h * 1.0)} {fmt(-side * w * 0.45)} {fmt(-h * 0.95)} "
            f"{fmt(inner[0])} {fmt(inner[1])} Z"
        )
        parts.append(
            el(
                "g",
                [
                    el("g", inside, clip_path=f"url(#{cid})"),
                    el(
                        "path",
                        d=almond,
                        fill="none",
                        stroke=hex_(ink),
                        stroke_width=fmt(max(1.0, r * 0.07)),
                    ),
                    el("path", d=lid, fill=hex_(ink)),
                    el(
                        "ellipse",
                        cx=fmt(r * (glint - 0.38)),
                        cy=fmt(-h * 0.42),
                        rx=fmt(r * 0.24),
                        ry=fmt(r * 0.17),
                        fill="#ffffff",
                        transform="rotate(-20)",
                    ),
                    el(
                        "circle",
                        cx=fmt(r * (0.32 + glint)),
                        cy=fmt(h * 0.45),
                        r=fmt(r * 0.08),
                        fill="#ffffff",
                        opacity="0.9",
                    ),
                ],
                transform=f"translate({fmt(eye.x)} {fmt(eye.y)}) rotate({fmt(tilt)})",
            )
        )
    return document(defs, parts, size)
