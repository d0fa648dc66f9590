"""Pets: where a cat's or dog's eyes are, the animal's outline, and its eyes drawn as
anime eyes (big, glossy, with catchlights) over the painted fur.

Nothing here can tell an animal from a thing with certainty: no pet detector ships in
a package this project may use. A pet's eyes are the best pair of round, dark-centred
shapes of a size and spacing that eyes have. Unasked, a photo is a pet when OpenCV's
cat-face cascades see a face around such a pair (:func:`cat_face`; on their own, over
the whole photo, they miss most close-ups: `benchmarks/portrait.py` counts them);
otherwise only when the creator says so (``subject="pet"``, or a pet named in the
prompt).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import cv2
import numpy as np

from sakuga.engines.draw.svg import RGB, document, el, fmt, hex_, light, mix, shade, vivid
from sakuga.imaging.faces import cascade

#: Words of a prompt that say the photo shows a pet.
PET_WORDS: Final = frozenset(
    {"cat", "cats", "kitten", "kitty", "dog", "dogs", "puppy", "pup", "pet", "neko", "inu"}
)
_SIDE: Final = 400  # the eyes are looked for on a copy this size
GREY_EYE: Final = (190, 150, 60)  # a cat's amber, for a photo with no colour
_ALIKE: Final = 1.6  # the most two eyes' circles may differ in radius
_Circle = tuple[float, float, float, float]  # x, y, r, score: a round, dark-centred shape
_Pair = tuple[_Circle, _Circle]  # two circles that could be eyes, image-left first
_CASCADES: Final = ("haarcascade_frontalcatface_extended.xml", "haarcascade_frontalcatface.xml")
_BUSY: Final = 0.18  # the share of edge pixels past which a photo is all texture
_PAIRS_JUDGED: Final = 3  # the best pairs of eyes whose faces the cascades judge
_FACE_SPANS: Final = (0.34, 0.38, 0.42, 0.46, 0.5)  # the eyes' distance, of the face's width
_EYES_ABOVE: Final = 0.08  # the eyes' midpoint above the face's middle, of its width
_VIEW_FACE: Final = 64  # the face's width in the copy the cascades judge, pixels
_CASCADE_STEP: Final = 1.05  # the cascades' scale step over a face's possible sizes
_EVIDENCE: Final = 3.0  # the cascades' summed confidence that makes a face


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
    """A cat's face (x0, y0, x1, y1, photo pixels) around the pair of eyes
    :func:`find_pet_eyes` finds in it, when OpenCV's cat-face cascades agree that a
    face is there; or None.

    The eyes come first: they give the face's size, place and tilt, so the cascades
    only judge the face a pair implies, turned level (which finds close-ups cut by the
    frame and tilted heads, both of which the cascades alone miss), and a pair of round
    things with no face around them (coins, wheels, blobs) is turned down."""
    h, w = rgb.shape[:2]
    f = _SIDE / max(h, w)
    small = cv2.resize(rgb, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    # Edges all over (grass, gravel; the circle search's own edges): that search would
    # take seconds and find nothing an eye could be told from.
    if (cv2.Canny(cv2.GaussianBlur(grey, (0, 0), 1.5), 40, 80) > 0).mean() > _BUSY:
        return None
    found = _candidates(grey)
    for pair in _pairs(found)[:_PAIRS_JUDGED]:
        x0, y0, x1, y1 = _face_around(pair)
        box = (
            max(0, math.floor(x0 / f)),
            max(0, math.floor(y0 / f)),
            min(w, math.ceil(x1 / f)),
            min(h, math.ceil(y1 / f)),
        )
        # The pair find_pet_eyes picks in this box (the one the auto path draws) must
        # be this one.
        drawn = _best_pair(found, (box[0] * f, box[1] * f, box[2] * f, box[3] * f))
        if drawn == pair and _face_evidence(grey, pair) >= _EVIDENCE:
            return box
    return None


def _face_around(pair: _Pair) -> tuple[float, float, float, float]:
    """The square face box a pair of eyes implies (x0, y0, x1, y1): as wide as the
    middle of ``_FACE_SPANS`` puts them apart, the eyes a little above its middle."""
    (ax, ay, *_), (bx, by, *_) = pair
    side = math.hypot(bx - ax, by - ay) / _FACE_SPANS[len(_FACE_SPANS) // 2]
    cx, cy = (ax + bx) / 2, (ay + by) / 2 + _EYES_ABOVE * side
    return cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2


def _face_evidence(grey: np.ndarray, pair: _Pair) -> float:
    """How sure OpenCV's two cat-face cascades are of a face around ``pair``: for each
    face size the eyes allow (``_FACE_SPANS``), a copy of the face turned level and
    scaled to ``_VIEW_FACE`` pixels wide, and each cascade's best window centred on it;
    the sum of the windows' confidences above zero (the last stage's sum, which a
    cascade reports when every stage passes), counted until it reaches ``_EVIDENCE``."""
    (ax, ay, *_), (bx, by, *_) = pair
    span = math.hypot(bx - ax, by - ay)
    tilt = math.degrees(math.atan2(by - ay, bx - ax))
    view, near = 2 * _VIEW_FACE, _VIEW_FACE / 4
    total = 0.0
    for share in _FACE_SPANS:
        side = span / share
        cx, cy = (ax + bx) / 2, (ay + by) / 2 + _EYES_ABOVE * side
        # Turned level and shrunk to the cascades' size in one warp, from a copy
        # blurred as much as the shrinking needs (a warp alone aliases).
        scale = _VIEW_FACE / side
        source = grey if scale >= 1 else cv2.GaussianBlur(grey, (0, 0), 0.35 / scale)
        turn = cv2.getRotationMatrix2D((cx, cy), tilt, scale)
        turn[:, 2] += (view / 2 - cx, view / 2 - cy)
        face = cv2.equalizeHist(
            cv2.warpAffine(source, turn, (view, view), borderMode=cv2.BORDER_REPLICATE)
        )
        for name in _CASCADES:
            boxes, _levels, weights = cascade(name).detectMultiScale3(
                face,
                scaleFactor=_CASCADE_STEP,
                minNeighbors=0,
                minSize=(round(_VIEW_FACE * 0.7),) * 2,
                maxSize=(round(_VIEW_FACE * 1.5),) * 2,
                outputRejectLevels=True,
            )
            centred = [
                float(weight)
                for (x, y, bw, bh), weight in zip(boxes, np.ravel(weights), strict=True)
                if abs(x + bw / 2 - view / 2) < near and abs(y + bh / 2 - view / 2) < near
            ]
            total += max([0.0, *centred])
            if total >= _EVIDENCE:
                return total
    return total


def _candidates(grey: np.ndarray) -> list[_Circle]:
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
    """The pet's two eyes (image-left first), inside ``box`` when :func:`cat_face`
    gave one. Both are drawn the same size (the circle search often fits one eye's
    iris and the other's fur ring around it)."""
    h, w = rgb.shape[:2]
    f = _SIDE / max(h, w)
    small = cv2.resize(rgb, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    found = _candidates(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
    scaled = None if box is None else (box[0] * f, box[1] * f, box[2] * f, box[3] * f)
    pair = _best_pair(found, scaled)
    if pair is None:
        return None
    r = (pair[0][2] + pair[1][2]) / 2
    return (_eye(rgb, pair[0], r, f), _eye(rgb, pair[1], r, f))


def _best_pair(
    found: list[_Circle], box: tuple[float, float, float, float] | None = None
) -> _Pair | None:
    """The best of :func:`_pairs`; with a face's ``box`` (x0, y0, x1, y1), of the
    circles inside it, and only a pair as far apart as a face that size has its eyes
    (not two spots on its forehead or its nostrils)."""
    if box is None:
        pairs = _pairs(found)
    else:
        bx0, by0, bx1, by1 = box
        found = [c for c in found if bx0 <= c[0] <= bx1 and by0 <= c[1] <= by1]
        least = _FACE_SPANS[0] * 0.9 * max(bx1 - bx0, by1 - by0)
        pairs = [p for p in _pairs(found) if math.dist(p[0][:2], p[1][:2]) >= least]
    return pairs[0] if pairs else None


def _pairs(found: list[_Circle]) -> list[_Pair]:
    """The two-circle sets of ``found`` that could be a pair of eyes (alike in size,
    2.5–7 radii apart, their line within 25° of level, both clearly eye-like), best
    first by the weaker one's score; image-left first in each."""
    scored = []
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if max(a[2], b[2]) / min(a[2], b[2]) > _ALIKE:
                continue
            dx, dy = b[0] - a[0], b[1] - a[1]
            dist, r = math.hypot(dx, dy), (a[2] + b[2]) / 2
            if not 2.5 * r < dist < 7 * r or abs(math.degrees(math.atan2(dy, abs(dx)))) > 25:
                continue
            score = min(a[3], b[3])
            if score > 0.02:
                left, right = sorted((a, b), key=lambda c: c[0])
                scored.append((score, (left, right)))
    # Stable: of equal scores, the first found wins, as it always has.
    scored.sort(key=lambda s: -s[0])
    return [pair for _, pair in scored]


def _eye(rgb: np.ndarray, found: _Circle, r: float, f: float) -> PetEye:
    """An eye at photo scale (``r``: the pair's radius on the copy), centred on its
    pupil (a large dark blob near the circle's centre: a dark lid rim at the circle's
    edge can be as large), with its iris's colour (the ring around the pupil, made rich
    enough to read)."""
    x, y, r = found[0] / f, found[1] / f, r / f
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
            off = np.hypot(centroids[1:, 0] + x0 - x, centroids[1:, 1] + y0 - y) / (r / 2)
            best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA] / (1 + off**2)))
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


@dataclass(frozen=True)
class PetNose:
    x: float  # the nose's middle, photo pixels
    y: float
    colour: RGB  # its leather's colour, made clear enough to read


#: Where a cat's or dog's nose may be: below the eyes' midpoint by this range of the
#: eyes' distance (measured along the face's own up–down, so a tilted head is read
#: right), and where it is when nothing stands out there.
NOSE_BELOW: Final = (0.45, 1.1)
NOSE_ASIDE: Final = 0.35
NOSE_USUAL: Final = 0.8
#: How much redder (a* units) or darker (half L units) than the fur around it a spot
#: must be to be the nose.
NOSE_STANDS_OUT: Final = 6.0
#: A nose the colour of none: a dusty rose, for a greyscale photo.
GREY_NOSE: Final = (196, 128, 134)


def find_pet_nose(rgb: np.ndarray, eyes: tuple[PetEye, PetEye]) -> PetNose:
    """The pet's nose: below its eyes (``NOSE_BELOW``, and up to ``NOSE_ASIDE`` to
    either side, for a face turned a little), the spot most unlike the fur there —
    redder (a pink or brick nose leather) or darker (a black one) than the median
    around it; straight below the eyes' midpoint when nothing stands out."""
    a, b = eyes
    span = math.hypot(b.x - a.x, b.y - a.y)
    ux, uy = (b.x - a.x) / span, (b.y - a.y) / span  # across the face
    vx, vy = -uy, ux  # down it
    mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
    h, w = rgb.shape[:2]
    soft = cv2.GaussianBlur(rgb, (0, 0), max(1.0, span * 0.03))
    lab = cv2.cvtColor(soft.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    down = np.linspace(NOSE_BELOW[0], NOSE_BELOW[1], 24)
    across = np.linspace(-NOSE_ASIDE, NOSE_ASIDE, 15)
    tt, qq = np.meshgrid(down, across, indexing="ij")
    xs = np.clip(np.rint(mx + (vx * tt + ux * qq) * span), 0, w - 1).astype(int)
    ys = np.clip(np.rint(my + (vy * tt + uy * qq) * span), 0, h - 1).astype(int)
    grid = lab[ys, xs]
    ref = np.median(grid.reshape(-1, 3), axis=0)
    score = (grid[..., 1] - ref[1]) + np.maximum(0.0, ref[0] - grid[..., 0]) * 0.5
    score -= np.abs(qq) * 10  # of two alike, the one nearer the middle
    i, j = np.unravel_index(int(np.argmax(score)), score.shape)
    if score[i, j] > NOSE_STANDS_OUT:
        t, q = float(tt[i, j]), float(qq[i, j])
        L, a_, b_ = (float(v) for v in grid[i, j])
    else:
        t, q, L, a_, b_ = NOSE_USUAL, 0.0, 0.0, 0.0, 0.0
    x, y = mx + (vx * t + ux * q) * span, my + (vy * t + uy * q) * span
    if math.hypot(a_, b_) < 6:  # no colour read (a greyscale photo, a black nose)
        return PetNose(float(x), float(y), GREY_NOSE)
    r, g, bl = cv2.cvtColor(np.array([[[L, a_, b_]]], np.float32), cv2.COLOR_Lab2RGB)[0, 0]
    read = vivid((float(r) * 255, float(g) * 255, float(bl) * 255), (0.3, 0.85), (0.6, 1.1))
    # Leaning to the rose anime paints noses in.
    return PetNose(float(x), float(y), mix(read, GREY_NOSE, 0.35))


def pet_mask(rgb: np.ndarray, eyes: tuple[PetEye, PetEye], detail: np.ndarray) -> np.ndarray:
    """The animal's outline, by GrabCut from around its face (the eyes give its size):
    the face itself is the animal; what is out of focus is the background (pet photos
    are taken close, with the place behind blurred), and the faintest blur of all is
    surely background; the rest may be either. ``detail``: the photo at the mask's
    size, unsmoothed (its focus is read from it)."""
    h, w = rgb.shape[:2]
    a, b = eyes
    span = math.hypot(b.x - a.x, b.y - a.y)
    cx, cy = (a.x + b.x) / 2, (a.y + b.y) / 2
    face = (
        slice(int(max(0, cy - span * 0.4)), int(min(h, cy + span * 0.9))),
        slice(int(max(0, cx - span * 0.8)), int(min(w, cx + span * 0.8))),
    )
    yy, xx = np.ogrid[:h, :w]
    across, down = (xx - cx) / (span * HEAD_WIDE), (yy - cy - span * 0.1) / (span * HEAD_TALL)
    head = across**2 + down**2
    if (head <= 1).mean() >= FILLS_THE_FRAME:
        # A face cropped close: the animal is the whole frame (GrabCut, told the frame's
        # edge is background, cut a strip off its forehead, and a sky showed there).
        return np.ones((h, w), bool)
    focus = _focus(detail, span)
    sharp = float(np.median(focus[face]))
    mask = np.full((h, w), cv2.GC_PR_FGD, np.uint8)
    mask[focus < sharp * SOFT_FOCUS] = cv2.GC_PR_BGD
    mask[focus < sharp * NO_FOCUS] = cv2.GC_BGD
    if (mask != cv2.GC_PR_FGD).mean() < 0.03:
        # All in focus (a pet on a sharp lawn): far from the face is likely background,
        # and the frame's edge (GrabCut needs some background to learn from).
        far = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
        x0, x1 = int(max(0, cx - span * 3)), int(min(w, cx + span * 3))
        y0, y1 = int(max(0, cy - span * 2)), int(min(h, cy + span * 5))
        far[y0:y1, x0:x1] = cv2.GC_PR_FGD
        border = max(2, round(min(h, w) * 0.03))
        far[:border], far[-border:], far[:, :border], far[:, -border:] = (cv2.GC_PR_BGD,) * 4
        mask = far
    mask[face] = cv2.GC_FGD
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)
    cv2.grabCut(np.ascontiguousarray(rgb), mask, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
    return (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)


#: Focus, against the pet's face's, below which a pixel is likely background (the
#: blur of a shallow depth of field) and surely background.
SOFT_FOCUS: Final = 0.35
NO_FOCUS: Final = 0.15
#: An animal's head around its eyes, in eye spans: half its width and half its height
#: (a cat's head is a little over twice as wide as its eyes are apart) — and the share
#: of the frame inside it from which the animal fills the frame.
HEAD_WIDE: Final = 1.3
HEAD_TALL: Final = 1.2
FILLS_THE_FRAME: Final = 0.9


def _focus(detail: np.ndarray, span: float) -> np.ndarray:
    """How sharp the photo is around each pixel: its fine detail (the Laplacian's
    size), averaged over an eighth of the eyes' distance (the fur's texture is fine
    detail everywhere on the animal; a blurred background has none)."""
    grey = cv2.cvtColor(detail, cv2.COLOR_RGB2GRAY).astype(np.float32)
    fine = np.abs(cv2.Laplacian(cv2.GaussianBlur(grey, (0, 0), 0.8), cv2.CV_32F))
    return cv2.GaussianBlur(fine, (0, 0), max(1.0, span * 0.12))


def pet_face_svg(
    eyes: tuple[PetEye, PetEye],
    nose: PetNose | None,
    size: tuple[int, int],
    ink: RGB,
    scale: float,
    seed: int,
) -> str:
    """The pet's face drawn as anime draws an animal's: both eyes (big, glossy, tilted
    along the line between them: an almond opening, inner corner lower, as a cat's; an
    iris in the eye's own colour, lighter at the bottom; a slit pupil; a shaped
    catchlight and a small one; a thick upper lid tapering at the corners; at ``scale``
    of the photo's eye), and with its ``nose``, the nose, the mouth and whiskers."""
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
    if nose is not None:
        span = math.hypot(b.x - a.x, b.y - a.y)
        parts.append(
            el(
                "g",
                _muzzle(nose.colour, span, ink),
                transform=f"translate({fmt(nose.x)} {fmt(nose.y)}) rotate({fmt(tilt)})",
            )
        )
    return document(defs, parts, size)


#: Whiskers, each side: (angle below level in degrees, length in eye spans).
WHISKERS: Final = ((-14.0, 0.55), (-2.0, 0.62), (10.0, 0.52))


def _muzzle(colour: RGB, span: float, ink: RGB) -> list[str]:
    """A nose, mouth and whiskers around the nose's middle (0, 0), ``span`` the eyes'
    distance: a soft inverted triangle with a glint, a short line down to an "ω"
    mouth, and three thin whiskers fanning out on each side."""
    nw, nh = span * 0.27, span * 0.16  # (a nose a fifth of the span read as a speck: T3)
    line = fmt(max(0.8, span * 0.012))
    nose = (
        f"M {fmt(-nw / 2)} {fmt(-nh / 2)} Q 0 {fmt(-nh * 0.8)} {fmt(nw / 2)} {fmt(-nh / 2)} "
        f"Q {fmt(nw * 0.42)} {fmt(nh * 0.1)} 0 {fmt(nh / 2)} "
        f"Q {fmt(-nw * 0.42)} {fmt(nh * 0.1)} {fmt(-nw / 2)} {fmt(-nh / 2)} Z"
    )
    top, mw = nh / 2 + span * 0.06, span * 0.09
    mouth = (
        f"M 0 {fmt(nh / 2)} L 0 {fmt(top)} "
        f"M {fmt(-mw)} {fmt(top - mw * 0.25)} Q {fmt(-mw / 2)} {fmt(top + mw * 0.75)} 0 {fmt(top)} "
        f"Q {fmt(mw / 2)} {fmt(top + mw * 0.75)} {fmt(mw)} {fmt(top - mw * 0.25)}"
    )
    whiskers = []
    for side in (-1, 1):
        x0, y0 = side * span * 0.16, nh * 0.9
        for angle, length in WHISKERS:
            t = math.radians(angle)
            x1 = x0 + side * math.cos(t) * length * span
            y1 = y0 + math.sin(t) * length * span
            # A gentle droop: the control point a little below the straight line.
            qx, qy = (x0 + x1) / 2, (y0 + y1) / 2 + span * 0.04
            whiskers.append(f"M {fmt(x0)} {fmt(y0)} Q {fmt(qx)} {fmt(qy)} {fmt(x1)} {fmt(y1)}")
    return [
        el(
            "path",
            d=" ".join(whiskers),
            fill="none",
            stroke=hex_(ink),
            stroke_width=fmt(max(0.7, span * 0.007)),
            stroke_linecap="round",
            opacity="0.6",
        ),
        el("path", d=nose, fill=hex_(colour), stroke=hex_(ink), stroke_width=line),
        el(
            "ellipse",
            cx=fmt(-nw * 0.12),
            cy=fmt(-nh * 0.22),
            rx=fmt(nw * 0.16),
            ry=fmt(nh * 0.12),
            fill="#ffffff",
            opacity="0.75",
        ),
        el(
            "path",
            d=mouth,
            fill="none",
            stroke=hex_(ink),
            stroke_width=line,
            stroke_linecap="round",
            stroke_linejoin="round",
        ),
    ]
