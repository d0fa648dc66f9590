"""Night and space skies: a dark sky painted as anime paints one — a smooth gradient in
the style's night colours, the photo's own glow at the horizon kept, and its stars
drawn as stars (round dots, the brightest as four-pointed sparkles with a soft glow),
with a few more from the seed where a dusk sky shows almost none."""

from __future__ import annotations

import math
from typing import Final

import cv2
import numpy as np

from sakuga.engines.draw.svg import RGB, document, el, fmt, hex_, light, mix, vivid
from sakuga.engines.toon.sitting import Sitting
from sakuga.engines.toon.tones import Look, anime_tone, blur, from_the_top, sky_gradient
from sakuga.prompt.styles import ToonParams

SPARKLES: Final = 8  # the most stars drawn as four-pointed sparkles
MAX_STARS: Final = 320  # the photo's brightest, drawn; the rest are left to the gradient
#: How much of the photo's own smoothed sky (its dusk glow, its nebulae) is kept under
#: the style's night gradient.
PHOTO_GLOW: Final = 0.4


#: The share of the frame's top a starless night sky spans at least.
NIGHT_TOP: Final = 0.6
#: Under this share of the frame, a dark smooth top with no point of light in it is
#: no night sky.
DARK_NOT_NIGHT: Final = 0.5


def night_sky_mask(sitting: Sitting) -> np.ndarray:
    """The photo's night or space sky, at work size: dark (its stars and small lights
    median-filtered away), smooth, blue, violet or neutral, reaching down from the top
    edge over at least two fifths of the width and a tenth of the frame, down to the
    land. What stands in it (a mast, a tower's lattice) is inside it: `paint_night_sky`
    draws that as silhouettes. Empty for a photo without one (a daytime sky, a dark
    room's corner, a close-up)."""
    h, w = sitting.work.shape[:2]
    side = max(h, w)
    lab = sitting.lab
    k = max(3, (side // 70) | 1)
    L8 = np.clip(lab[..., 0] * 2.55, 0, 255).astype(np.uint8)
    smooth_L = cv2.medianBlur(L8, k).astype(np.float32) / 2.55  # the sky under its stars
    a = cv2.medianBlur(np.clip(lab[..., 1] + 128, 0, 255).astype(np.uint8), k) - 128.0
    b = cv2.medianBlur(np.clip(lab[..., 2] + 128, 0, 255).astype(np.uint8), k) - 128.0
    mean = cv2.GaussianBlur(smooth_L, (0, 0), 3)
    spread = np.sqrt(np.maximum(cv2.GaussianBlur(smooth_L**2, (0, 0), 3) - mean**2, 0))
    # Night blues and violets, or near-black; never a warm dark (a wooden table's shade).
    cool = (b < 4) & ((b < -2) | (np.hypot(a, b) < 8)) & (a < 24)
    candidate = (smooth_L < 52) & (spread < 3.5) & cool & ~sitting.person
    sky = from_the_top(candidate, 0.4, 0.1)
    if sky.sum() < h * w * 0.1:
        return np.zeros((h, w), bool)
    # Holes the size of stars, galaxies and lamps are sky, and so is all it encloses (a
    # moon, a galaxy): what stands in it reaches it from the frame's edge or the land.
    closed = cv2.morphologyEx(sky.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    outside = np.pad(1 - closed, 1, constant_values=1)
    cv2.floodFill(outside, None, (0, 0), 2)
    sky = ((outside[1:-1, 1:-1] != 2) | closed.astype(bool)) & ~sitting.person
    # A galaxy or a lamp cut by the frame's edge is no hole that the sky encloses, yet
    # as small: sky too (else a ring of the photo's own black is left around it).
    _, comp, stats, _ = cv2.connectedComponentsWithStats((~sky).astype(np.uint8), 8)
    small = stats[:, cv2.CC_STAT_AREA] < side * side * 0.002
    small[0] = False
    sky |= small[comp] & ~sitting.person
    # A dusk sky is lightest at its horizon; the land under it is darker again: cut there.
    lum = lab[..., 0]
    rows = np.array(
        [np.median(lum[y][sky[y]]) if sky[y].sum() > w * 0.1 else np.nan for y in range(h)]
    )
    known = np.nonzero(~np.isnan(rows))[0]
    if len(known) > 10:
        lower = known[len(known) * 2 // 5 :]
        peak = int(lower[np.argmax(rows[lower])])
        below = [y for y in known if y > peak and rows[y] < rows[peak] - 10]
        if below:
            # Pixel by pixel, not a straight cut: the land's own outline (a treeline, a
            # launch pad) is where the sky ends.
            sky[peak + 1 :] &= lum[peak + 1 :] > rows[peak] - 10
            sky[below[-1] + 1 :] = False
            sky = from_the_top(sky, 0.0, 0.0)
    # Night is dark: a grey surface (the moon's face, a wall in shade) is not.
    if float(np.median(lab[..., 0][sky])) > 30:
        return np.zeros((h, w), bool)
    # A sky stands over land. A dark ground reaching the frame's foot around the
    # subject is a backdrop (leaves out of focus, a studio's black), not a sky — unless
    # points of light show in it (stars, a tower's lamps). A greyscale photo has no blue
    # to tell night from shade: there only a sky thick with stars (space) counts.
    points = _points_of_light(sitting.work, sky)
    if sitting.grey and points < sky.sum() * 0.0015:
        return np.zeros((h, w), bool)
    if reaches_the_foot(sky) and points < 30:
        return np.zeros((h, w), bool)
    # Not one point of light, and only part of the frame's top: a dark blur at the edge
    # (leaves out of focus behind a flower), which was painted over with stars.
    if points == 0 and sky[: max(1, h // 50)].mean() < NIGHT_TOP:
        return np.zeros((h, w), bool)
    # Not one point of light over under half the frame: the dark out-of-focus ground
    # round a flower shot at dusk (judge T5: stars through holes in its leaves), not a
    # sky. A starless night over a city is left as the photo's dark, not given stars.
    if points == 0 and sky.mean() < DARK_NOT_NIGHT:
        return np.zeros((h, w), bool)
    return sky


def reaches_the_foot(sky: np.ndarray) -> bool:
    """Whether the sky covers most of the frame's foot: no land under it (space, or —
    without stars — a backdrop)."""
    return bool(sky[int(sky.shape[0] * 0.97) :].mean() > 0.5)


def _points_of_light(rgb: np.ndarray, inside: np.ndarray) -> int:
    """How many small points brighter than what is around them lie ``inside``."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    points = cv2.morphologyEx(grey, cv2.MORPH_TOPHAT, np.ones((7, 7), np.uint8)) > 30
    count, _ = cv2.connectedComponents((points & inside).astype(np.uint8), connectivity=8)
    return count - 1


def paint_night_sky(
    rgb: np.ndarray, sky: np.ndarray, params: ToonParams, lab: np.ndarray, look: Look
) -> None:
    """Paint the night sky over ``rgb`` (work size, float RGB), in place: the style's
    night gradient from the sky's top to its lowest row, lifted by the photo's own glow
    (a dusk horizon, a nebula: its sky smoothed to a gradient); the photo's lights that
    are brighter than that (a moon, a galaxy, the stars under their drawn ones) added as
    light; and what stands darker against it (masts, a tower's lattice, trees) as flat
    silhouettes in the night's own deep colour. ``look`` turns the night's hue a
    little per version."""
    h, w = sky.shape
    side = max(h, w)
    # Each version turns the night's colours a little, as it turns a painted place's.
    zenith, low = (anime_tone(c, 0.0, 1.0, look.hue * 0.5) for c in params.night)
    space = reaches_the_foot(sky)
    if space:
        # Space, with no horizon to glow: the night's deep colour, barely lightening,
        # never a dusk (a deep field stays black space).
        low = mix(zenith, low, 0.25)
    painted = sky_gradient(sky, (zenith, low), 1.4)
    deep = np.array(zenith, np.float32) / 255
    photo = np.clip(cv2.cvtColor(lab, cv2.COLOR_Lab2RGB), 0, 1)
    # The photo's sky with what is in it taken out: the median removes the points of
    # light, the normalised blur over the sky the rest.
    k = max(3, (side // 40) | 1)
    median = cv2.medianBlur((photo * 255).astype(np.uint8), k).astype(np.float32) / 255
    weight = np.maximum(blur(sky * 1.0, side / 25), 1e-3)[..., None]
    own = blur(np.where(sky[..., None], median, 0), side / 25) / weight
    glow = np.clip(own * 1.25, 0, 1)
    painted = np.maximum(painted, painted * (1 - PHOTO_GLOW) + glow * PHOTO_GLOW)
    # Brighter than the sky: light, added — in space as soft nebula glows where the
    # photo's galaxies crowd (each point of light is a drawn star: `stars_svg`), not as
    # the photo's own smudges.
    lights = np.clip(photo - own, 0, 1)
    if space:
        nebula = blur(lights, side / 30) * 1.8 + blur(lights, side / 12) * 1.0
        # Only where they crowd more than on average: the space between stays dark.
        nebula = np.clip(nebula - np.median(nebula[sky], axis=0), 0, 1)
        painted = np.clip(painted + nebula, 0, 1)
    else:
        painted = np.clip(painted + lights * 0.9, 0, 1)
    # Darker than the sky around it: a silhouette. (Against the sky smoothed over a
    # wide area, so a dusk's darker side is no silhouette; a wide tower darkens that
    # sky too, and comes out fainter than it is.)
    own_L = cv2.cvtColor(own.astype(np.float32), cv2.COLOR_RGB2Lab)[..., 0]
    dark = np.clip((own_L - lab[..., 0] - 4) / 8, 0, 1)[..., None]
    shape = deep * 0.45 + np.array(params.line_color, np.float32) / 255 * 0.3
    painted = painted * (1 - dark) + shape * dark
    alpha = cv2.GaussianBlur(sky.astype(np.float32), (0, 0), 0.8)[..., None]
    rgb[:] = rgb * (1 - alpha) + painted * alpha


def find_stars(sitting: Sitting, sky: np.ndarray, seed: int) -> np.ndarray:
    """The stars to draw, in output pixels: rows of (x, y, size, r, g, b). The photo's
    own points of light inside the sky (`photo_stars`, found once per photo), the
    brightest first; where they are fewer than a handful, some from the seed in the
    sky's upper part, thinning out towards the horizon."""
    own = sitting.memo("stars", lambda: photo_stars(sitting, sky))
    if len(own) >= 5:
        return own
    height, width = sitting.photo.shape[:2]
    side = max(width, height)
    inside = cv2.resize(sky.astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST)
    rows = [tuple(row) for row in own]
    ys, xs = np.nonzero(inside)
    upper = ys < np.percentile(ys, 60) if len(ys) else ys.astype(bool)
    if upper.sum() > 0:
        # A dusk sky photographed with no stars: a few drawn where it is darkest.
        rng = np.random.default_rng(seed + 4099)
        for _ in range(int(18 + side / 60)):
            j = int(rng.integers(upper.sum()))
            x, y = xs[upper][j], ys[upper][j]
            fade = 1 - y / max(float(ys.max()), 1)
            if rng.random() > fade:
                continue
            rows.append((float(x), float(y), side * rng.uniform(0.0015, 0.006), 255, 250, 235))
    return np.array(rows, np.float32).reshape(-1, 6)


def photo_stars(sitting: Sitting, sky: np.ndarray) -> np.ndarray:
    """The photo's own points of light inside the sky that stand alone there (no lit
    rung of a tower, no lamp on the land), the brightest first: rows of (x, y, size,
    r, g, b) in output pixels, at most `MAX_STARS`."""
    photo = sitting.photo
    height, width = photo.shape[:2]
    side = max(width, height)
    inside = cv2.resize(sky.astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST)
    grey = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)
    size = max(5, (side // 120) | 1)
    points = cv2.morphologyEx(grey, cv2.MORPH_TOPHAT, np.ones((size, size), np.uint8))
    found = ((points > 38) & (grey > 70) & (inside > 0)).astype(np.uint8)
    count, _, stats, centres = cv2.connectedComponentsWithStats(found, 8)
    # A star stands alone in the sky: not a lit rung of a tower, nor a lamp on the land.
    # Nothing much darker than the sky lies near it, and it is well inside the sky.
    reach = max(2, side // 80)
    window = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    level = cv2.medianBlur(grey, max(3, (side // 60) | 1)).astype(np.int16)
    clear = cv2.erode(grey, window).astype(np.int16) > cv2.dilate(level, window) - 14
    clear &= cv2.erode(inside, window) > 0
    rows = []
    for i in range(1, count):
        x, y = centres[i]
        row, col = round(y), round(x)
        if not clear[row, col]:
            continue
        area = stats[i, cv2.CC_STAT_AREA]
        peak = float(points[row, col])
        colour = photo[row, col].astype(float)
        rows.append((x, y, math.sqrt(area) * (0.6 + peak / 255), *colour))
    rows.sort(key=lambda r: -r[2])
    return np.array(rows[:MAX_STARS], np.float32).reshape(-1, 6)


def stars_svg(stars: np.ndarray, size: tuple[int, int], tint: RGB) -> str:
    """The stars as anime draws them: a round dot in a pale version of the star's own
    colour, and for the brightest a four-pointed sparkle over a soft glow."""
    width, height = size
    side = max(width, height)
    parts: list[str] = []
    # The few largest sparkle (at most eight, and only stars of some size): a sky of
    # sparkles reads as glitter, not as night.
    sizes = np.sort(stars[:, 2])[::-1] if len(stars) else stars[:, 2]
    big = max(side * 0.004, float(sizes[min(len(sizes), SPARKLES) - 1]) if len(sizes) else 0.0)
    for x, y, s, r, g, b in stars:
        # Its own colour, clear (a red galaxy stays a red star), a little lighter.
        own = vivid((float(r), float(g), float(b)), saturation=(0.3, 1.4), value=(0.75, 1.2))
        colour = mix(light(own, 0.3), tint, 0.1)
        dot = max(side * 0.0012, min(float(s) * 0.45, side * 0.006))
        if s > side * 0.003:  # a larger one glows softly in its colour
            parts.append(
                el("circle", cx=fmt(x), cy=fmt(y), r=fmt(dot * 2.6), fill=hex_(own), opacity="0.22")
            )
        if s > big:
            arm = min(float(s) * 2.2, side * 0.025)
            waist = arm * 0.14
            glow = arm * 0.9
            parts.append(
                el("circle", cx=fmt(x), cy=fmt(y), r=fmt(glow), fill=hex_(colour), opacity="0.18")
            )
            parts.append(
                el(
                    "path",
                    d=(
                        f"M {fmt(x)} {fmt(y - arm)} Q {fmt(x + waist)} {fmt(y - waist)} "
                        f"{fmt(x + arm)} {fmt(y)} Q {fmt(x + waist)} {fmt(y + waist)} "
                        f"{fmt(x)} {fmt(y + arm)} Q {fmt(x - waist)} {fmt(y + waist)} "
                        f"{fmt(x - arm)} {fmt(y)} Q {fmt(x - waist)} {fmt(y - waist)} "
                        f"{fmt(x)} {fmt(y - arm)} Z"
                    ),
                    fill=hex_(light(colour, 0.5)),
                )
            )
        parts.append(el("circle", cx=fmt(x), cy=fmt(y), r=fmt(dot), fill=hex_(light(colour, 0.3))))
    return document((), parts, size)
