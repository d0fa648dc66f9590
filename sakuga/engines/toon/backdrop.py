"""The background behind the person — the photo's own place, simplified into a few
painted shapes, or a backdrop in the style's palette when the place is busy — and
whole photos without a person (pets, scenes), painted as a scene."""

from __future__ import annotations

from typing import Final

import cv2
import numpy as np

from sakuga.engines.draw.svg import RGB, light, shade
from sakuga.engines.toon.paint import Look, anime_tone, blur, cel, regions, to_rgb
from sakuga.engines.toon.sitting import Sitting


def paint_scene(
    sitting: Sitting,
    canvas: np.ndarray,
    mask: np.ndarray,
    look: Look,
    style_sat: float,
    seed: int,
    subject: bool = False,
) -> tuple[np.ndarray, list[int]]:
    """A background, simplified into a few flat painted shapes — or, with ``subject``,
    a whole photo without a person (a pet, a scene), in more and smaller shapes.

    Returns the label map and which labels get outlines: for a background, all of
    them (drawn faintly); for a subject, only the dark shapes (eyes, nose, stripes),
    as a cartoonist outlines a pet's features, not every patch of fur."""
    side = max(mask.shape)
    lab = sitting.memo(("scene", subject), lambda: _simplified(sitting, mask, subject))
    if subject:
        labels, centres = regions(lab, mask, 12, seed, side / 220, merge=5)
    else:
        labels, centres = regions(lab, mask, 7, seed, side / 90, merge=11)
    lum = blur(lab[..., 0], side / 60)
    for i, centre in enumerate(centres):
        region = labels == i
        # A pet keeps its own colours (a little hue play); a background turns freely.
        hue = look.hue * (0.15 if subject else 1.0)
        base = anime_tone(to_rgb(centre), 6, style_sat * look.saturation, hue)
        cel(canvas, region, lum, (base, shade(base, 0.16), None), centre[0] - 9, None, side / 150)
    if not subject or len(centres) == 0:
        return labels, list(range(len(centres)))
    dark = float(np.percentile(centres[:, 0], 30))
    return labels, [i for i, c in enumerate(centres) if c[0] <= dark]


def _simplified(sitting: Sitting, mask: np.ndarray, subject: bool) -> np.ndarray:
    """The photo (its background, with the person's place filled in) mean-shifted into
    flat patches, as Lab at work size: the same for every version, so made once."""
    side = max(mask.shape)
    small_f = min(1.0, (420 if subject else 300) / side)
    small = cv2.resize(sitting.work, None, fx=small_f, fy=small_f, interpolation=cv2.INTER_AREA)
    if not mask.all():
        # The person's place filled from the background around it, so no halo of the
        # person's colours is left along their outline.
        half = cv2.resize(small, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        hole = cv2.resize((~mask).astype(np.uint8), (half.shape[1], half.shape[0]))
        hole = cv2.dilate(hole, np.ones((7, 7), np.uint8))  # the photo's soft edge too
        filled = cv2.inpaint(half, hole, 3, cv2.INPAINT_TELEA)
        hole_full = cv2.resize(hole, (small.shape[1], small.shape[0])).astype(bool)
        small = small.copy()
        small[hole_full] = cv2.resize(filled, (small.shape[1], small.shape[0]))[hole_full]
    shifted = cv2.pyrMeanShiftFiltering(small, 6 if subject else 8, 16 if subject else 20)
    simple = cv2.resize(shifted, (mask.shape[1], mask.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.cvtColor(simple.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)


#: Above this share of edge pixels, a photo's background is too busy to paint: a
#: backdrop in the style's palette replaces it (a cluttered room, a crowd, foliage).
BUSY: Final = 0.06


def busyness(sitting: Sitting, mask: np.ndarray) -> float:
    """The share of edge pixels in the photo's background (0: a plain wall)."""
    if not mask.any():
        return 0.0
    gray = cv2.cvtColor(sitting.work, cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(gray, 60, 150)
    return float(edges[mask].mean()) / 255


def hex_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def style_backdrop(
    canvas: np.ndarray, mask: np.ndarray, palette: tuple[str, ...], look: Look, seed: int, kind: str
) -> None:
    """A backdrop in the style's palette behind the person: a soft vertical gradient
    between two of its colours, with out-of-focus lights ("bokeh") for ``kind`` bokeh."""
    h, w = mask.shape
    rng = np.random.default_rng(seed)
    colours = [anime_tone(hex_rgb(c), 4, 1.0, look.hue * 0.5) for c in palette]
    order = rng.permutation(len(colours))
    first, second = colours[order[0]], colours[order[1]]
    if sum(first) < sum(second):  # the lighter colour at the top, as a sky is
        first, second = second, first
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None] ** 1.3
    top, bottom = np.array(first, np.float32) / 255, np.array(second, np.float32) / 255
    ground = np.broadcast_to(top * (1 - t) + bottom * t, (h, w, 3)).copy()
    if kind == "bokeh":
        side = max(h, w)
        lights = np.zeros((h, w, 3), np.float32)
        for _ in range(int(rng.integers(14, 24))):
            colour = np.array(light(colours[int(rng.integers(len(colours)))], 0.5), np.float32)
            centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
            radius = max(2, int(side * rng.uniform(0.025, 0.085)))
            disc = np.zeros((h, w), np.float32)
            cv2.circle(disc, centre, radius, float(rng.uniform(0.25, 0.55)), -1, cv2.LINE_AA)
            lights = np.maximum(lights, disc[..., None] * colour / 255)
        lights = blur(lights, max(1.0, side / 300))
        ground = 1 - (1 - ground) * (1 - lights)  # screen: lights add, never darken
    canvas[mask] = ground[mask]
