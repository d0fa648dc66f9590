"""Painting the person flat: clothes, skin and hair in two or three cel tones each, and
the colour helpers the other painters share (NumPy and OpenCV)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final

import cv2
import numpy as np

from sakuga.engines.draw.svg import RGB, light, mix, shade
from sakuga.engines.toon.grey import NEAR_FACE
from sakuga.engines.toon.sitting import PROFILE_TURN, Head, Sitting
from sakuga.imaging.rig import FACE_OVAL
from sakuga.prompt.styles import DrawParams, ToonParams


@dataclass(frozen=True)
class Look:
    """What one version varies, drawn from its seed alone: palette, line, shading, eyes."""

    hue: float  # degrees the background's palette turns
    saturation: float  # on every painted colour
    line: float  # on the style's line weight
    shadow_bias: float  # in L units: larger, more shadow
    eye_scale: float  # drawn eye width over the photo's
    eye_height: float  # drawn eye height over its width
    blush: float
    highlight: float  # how far the hair's highlight band sits down the head, in [0, 1]
    backdrop: str  # painted (the photo's place), gradient or bokeh (the style's palette)
    light: float = 0.0  # the key light's side: −1 from the image's left, +1 from its right
    smile: float = 1.0  # the expression's intensity: on the mouth's curve and opening

    @classmethod
    def from_seed(cls, seed: int) -> Look:
        rng = np.random.default_rng(seed)
        return cls(
            hue=float(rng.uniform(-30, 30)),
            saturation=float(rng.uniform(0.92, 1.14)),
            line=float(rng.uniform(0.8, 1.25)),
            shadow_bias=float(rng.uniform(-3, 4)),
            eye_scale=float(rng.uniform(1.28, 1.5)),
            eye_height=float(rng.uniform(0.95, 1.12)),
            blush=float(rng.uniform(0.25, 0.5)),
            highlight=float(rng.uniform(0.16, 0.26)),
            # Cycled by the seed, so four versions in a row (seeds S..S+3) show each.
            backdrop=("painted", "gradient", "painted", "bokeh")[seed % 4],
            # Drawn last, so the draws above stay what they were for every seed.
            light=float(rng.uniform(-1, 1)),
            smile=float(rng.uniform(0.75, 1.35)),
        )


def lit_by(lum: np.ndarray, look: Look, centre: float, span: float, amount: float) -> np.ndarray:
    """Lightness as the version's key light falls: up to ``amount`` L units lighter on
    the lit side of ``centre`` (x, work pixels) over ``span``, darker on the other, so
    versions differ in where their shadows fall."""
    xs = np.arange(lum.shape[1], dtype=np.float32)[None, :]
    return lum + np.clip((xs - centre) / max(span, 1.0), -1, 1) * look.light * amount


def depth(shading: DrawParams) -> float:
    """How deep the style's cel shadows are, against the default style's."""
    return shading.shadow / 0.3


def to_lab(rgb: RGB) -> np.ndarray:
    return cv2.cvtColor(np.array([[rgb]], np.float32) / 255.0, cv2.COLOR_RGB2Lab)[0, 0]


def to_rgb(lab: np.ndarray) -> RGB:
    rgb = cv2.cvtColor(np.array(lab, np.float32).reshape(1, 1, 3), cv2.COLOR_Lab2RGB)[0, 0]
    r, g, b = (round(float(np.clip(v, 0, 1)) * 255) for v in rgb)
    return (r, g, b)


def anime_tone(rgb: RGB, lift: float = 5.0, chroma: float = 1.0, hue: float = 0.0) -> RGB:
    """``rgb`` as a painter would lay it flat: a little lighter, chroma and hue adjusted."""
    L, a, b = to_lab(rgb)
    L = L + min(lift, max(0.0, (92 - L) * 0.35))
    angle = math.atan2(b, a) + math.radians(hue)
    c = math.hypot(a, b) * chroma
    return to_rgb(np.array([L, c * math.cos(angle), c * math.sin(angle)], np.float32))


def _merge(centres: np.ndarray, within: float) -> np.ndarray:
    """Colour centres with any two closer than ``within`` (ΔE) merged into one."""
    kept: list[np.ndarray] = []
    for c in centres[np.argsort(centres[:, 0])]:
        if kept and min(float(np.linalg.norm(c - k)) for k in kept) < within:
            continue
        kept.append(c)
    return np.array(kept, np.float32)


def regions(
    lab: np.ndarray,
    mask: np.ndarray,
    k: int,
    seed: int,
    smooth: float,
    merge: float = 0.0,
    light_weight: float = 1.0,
    min_area: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Flat colour regions inside ``mask``: a label per pixel (-1 outside) and the Lab
    centre of each label, by k-means (centres closer than ``merge`` ΔE become one),
    with ragged borders smoothed (a mode filter). ``light_weight`` below 1 groups by
    colour more than by lightness: a garment in light and shadow stays one region (its
    shading is painted as cel tones inside it, not as patches)."""
    labels = np.full(mask.shape, -1, np.int32)
    weight = np.array([light_weight, 1.0, 1.0], np.float32)
    pts = lab[mask] * weight
    if len(pts) < k * 8:
        return labels, np.zeros((0, 3), np.float32)
    rng = np.random.default_rng(seed)
    sample = pts[rng.choice(len(pts), size=min(len(pts), 12000), replace=False)]
    cv2.setRNGSeed(seed % (2**31))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, _, centres = cv2.kmeans(
        np.ascontiguousarray(sample), k, None, criteria, 2, cv2.KMEANS_PP_CENTERS
    )
    centres = _merge(centres.astype(np.float32), merge)
    k = len(centres)
    dist = ((pts[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    labels[mask] = dist.argmin(axis=1)
    # Each centre back in Lab: the mean of its pixels (its lightness unweighted).
    raw, assigned = lab[mask], labels[mask]
    centres = np.array(
        [
            raw[assigned == i].mean(axis=0) if (assigned == i).any() else c / weight
            for i, c in enumerate(centres)
        ],
        np.float32,
    )
    if smooth > 0:
        scores = np.stack([blur((labels == i).astype(np.float32), smooth) for i in range(k)])
        labels[mask] = scores.argmax(axis=0)[mask]
        _despeckle(labels, mask, k, smooth * smooth * 4 if min_area is None else min_area)
    return labels, centres.astype(np.float32)


def _despeckle(labels: np.ndarray, mask: np.ndarray, k: int, min_area: float) -> None:
    """Shapes smaller than ``min_area`` pixels take the label of the nearest larger
    shape, in place: a painter does not outline every glint."""
    specks = np.zeros(mask.shape, bool)
    for i in range(k):
        _, comp, stats, _ = cv2.connectedComponentsWithStats(
            (labels == i).astype(np.uint8), connectivity=4
        )
        small = np.nonzero(stats[1:, cv2.CC_STAT_AREA] < min_area)[0] + 1
        if len(small):
            specks |= np.isin(comp, small)
    keep = mask & ~specks
    if not specks.any() or not keep.any():
        return
    # Each speck pixel's nearest kept pixel: the distance transform labels every zero
    # pixel (the kept ones) in raster order, which is np.nonzero's order too.
    _, nearest = cv2.distanceTransformWithLabels(
        (~keep).astype(np.uint8), cv2.DIST_L2, 3, labelType=cv2.DIST_LABEL_PIXEL
    )
    kept_labels = labels[keep]
    labels[specks] = kept_labels[nearest[specks] - 1]


def blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """A Gaussian blur; wide ones run on a smaller copy (same look, a fraction of the time)."""
    if sigma <= 4:
        return cv2.GaussianBlur(image, (0, 0), max(0.5, sigma))
    k = sigma / 2.5
    h, w = image.shape[:2]
    small = cv2.resize(
        image, (max(1, round(w / k)), max(1, round(h / k))), interpolation=cv2.INTER_AREA
    )
    return cv2.resize(cv2.GaussianBlur(small, (0, 0), 2.5), (w, h), interpolation=cv2.INTER_LINEAR)


def sky_gradient(sky: np.ndarray, colours: tuple[RGB, RGB], power: float) -> np.ndarray:
    """A painted sky's gradient (RGB float, ``sky``'s size): ``colours`` from its top
    row down to its lowest, eased by ``power`` (below 1 the lower colour comes early)."""
    h, w = sky.shape
    rows = np.nonzero(sky.any(axis=1))[0]
    top, horizon = int(rows[0]), int(rows[-1]) + 1
    zenith, low = (np.array(c, np.float32) / 255 for c in colours)
    t = np.clip((np.arange(h, dtype=np.float32) - top) / max(horizon - top, 1), 0, 1) ** power
    painted = zenith * (1 - t[:, None, None]) + low * t[:, None, None]
    return np.broadcast_to(painted, (h, w, 3)).copy()


def from_the_top(candidate: np.ndarray, min_width: float, min_area: float) -> np.ndarray:
    """The parts of ``candidate`` that reach down from the frame's top edge (its top
    sixtieth) and are at least ``min_width`` of the width and ``min_area`` of the frame
    across: where a sky can be."""
    h, w = candidate.shape
    count, comp, stats, _ = cv2.connectedComponentsWithStats(candidate.astype(np.uint8), 8)
    top = comp[: max(2, h // 60)]
    keep = np.zeros(count, bool)
    for i in np.unique(top[top > 0]):
        wide = stats[i, cv2.CC_STAT_WIDTH] >= w * min_width
        if wide and stats[i, cv2.CC_STAT_AREA] >= h * w * min_area:
            keep[i] = True
    return keep[comp]


def clean(mask: np.ndarray, sigma: float) -> np.ndarray:
    """A binary mask with a smooth edge (blurred, then thresholded)."""
    return blur(mask.astype(np.float32), max(0.6, sigma)) > 0.5


def fill(canvas: np.ndarray, mask: np.ndarray, rgb: RGB) -> None:
    canvas[mask] = np.array(rgb, np.float32) / 255.0


def cel(
    canvas: np.ndarray,
    mask: np.ndarray,
    lum: np.ndarray,
    tones: tuple[RGB, RGB, RGB | None],
    dark: float,
    bright: float | None,
    sigma: float,
    min_area: float = 0.0,
    style: ToonParams | None = None,
) -> None:
    """Paint ``mask`` in a base tone, a shadow tone below luminance ``dark`` and a lit
    tone above ``bright``, with the shadow's edge smoothed to a clean shape; shadow and
    light shapes under ``min_area`` pixels are left out (a painter's few big shapes).

    The ``style`` sets how many tones (`ToonParams.bands`: 2 base and shadow, 3 with
    the lit tone, 4 with a deeper shadow in the darkest folds too), the lit tone's
    tint, and how hard the shadow's edge is (`ToonParams.shadow_soft`)."""
    base, shadow, lit = tones
    bands = 3 if style is None else style.bands
    soft = 0.0 if style is None else style.shadow_soft
    fill(canvas, mask, base)
    dark_mask = big_parts(mask & clean(lum < dark, sigma), min_area)
    if soft > 0 and dark_mask.any():
        # A soft terminator: the shadow's edge as a short gradient (cinematic light) — a
        # few pixels wide, so the shadow keeps its shape (a wide blur reads as a stain).
        side = max(mask.shape)
        weight = blur(dark_mask.astype(np.float32), side / 900 * (1 + soft * 4))[mask]
        colour = np.array(shadow, np.float32) / 255
        canvas[mask] = canvas[mask] * (1 - weight[:, None]) + colour * weight[:, None]
    else:
        fill(canvas, dark_mask, shadow)
    if bands >= 4:
        inside = lum[mask]
        deep_below = float(np.percentile(inside, 8)) if inside.size else 0.0
        deep = big_parts(mask & clean(lum < min(deep_below, dark - 8), sigma), min_area)
        fill(canvas, deep, shade(shadow, 0.15))
    if bands >= 3 and bright is not None:
        if lit is None and style is not None:
            lit = mix(base, style.highlight_tint, 0.35)
        if lit is not None:
            fill(canvas, big_parts(mask & clean(lum > bright, sigma), min_area), lit)


def big_parts(mask: np.ndarray, min_area: float, connectivity: int = 4) -> np.ndarray:
    """``mask`` without its parts smaller than ``min_area`` pixels."""
    if min_area <= 0 or not mask.any():
        return mask
    _count, comp, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=connectivity
    )
    keep = stats[:, cv2.CC_STAT_AREA] >= min_area
    keep[0] = False
    return keep[comp]


def backdrop_halo(sitting: Sitting) -> np.ndarray:
    """The photo's light backdrop that the person mask kept along its outline (between
    puffed-out hair and the wall, beside a neck): light, near-neutral slivers that
    reach the person's outline. Painted as cloth they read as a
    white strip round the figure; they take the colour painted beside them instead.
    (A sliver is what an opening of side/60 removes from the light pixels.)"""
    side = max(sitting.person.shape)
    k = max(3, int(side / 60) | 1)
    lab = sitting.lab
    light = sitting.person & ~sitting.skin & (lab[..., 0] > LIGHT_CLOTH)
    light &= np.hypot(lab[..., 1], lab[..., 2]) < 9
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    thin = light & ~cv2.morphologyEx(light.astype(np.uint8), cv2.MORPH_OPEN, disc).astype(bool)
    edge = ~cv2.erode(sitting.person.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    # A whole sliver that reaches the outline, however far in it runs.
    count, parts = cv2.connectedComponents(thin.astype(np.uint8), connectivity=8)
    touching = np.zeros(count, bool)
    touching[np.unique(parts[thin & edge])] = True
    touching[0] = False
    return touching[parts]


def fill_from_nearest(canvas: np.ndarray, holes: np.ndarray, source: np.ndarray) -> None:
    """Paint each pixel of ``holes`` with the colour of the nearest ``source`` pixel."""
    if not holes.any() or not source.any():
        return
    zeros = np.where(source, 0, 255).astype(np.uint8)
    _dist, nearest = cv2.distanceTransformWithLabels(
        zeros, cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL
    )
    ys, xs = np.nonzero(zeros == 0)  # labelled 1, 2, … in scan order
    index = nearest[holes] - 1
    canvas[holes] = canvas[ys[index], xs[index]]


def paint_body(
    sitting: Sitting,
    canvas: np.ndarray,
    mask: np.ndarray,
    look: Look,
    style: ToonParams,
    shading: DrawParams,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Clothes, neck and hands: flat colour regions in the style's cel tones;
    skin-coloured regions take the face's skin tones, so neck, ears and hands match the
    face; the small parts on them (badges, ribbons, name tags) as drawn shapes of
    their own colours. Returns each pixel's shape (-1 outside) and where the parts are."""
    style_sat = style.saturation
    side = max(mask.shape)
    # Shapes under 0.2% of the picture join their neighbours: hands, a camera, a
    # badge become a few simple shapes, not a splat of fragments.
    labels, centres = regions(
        sitting.lab,
        mask,
        5,
        seed,
        side / 90,
        merge=8,
        light_weight=0.35,
        min_area=side * side * 0.002,
    )
    _drop_glints(labels, centres, side * side * 0.006)
    skins = [to_lab(h.skin) for h in sitting.heads]
    centres = _garments(sitting.lab, labels, centres, skins)
    # The light on the clothes in large shapes: a garment's shaded side and its deep
    # folds, not every wrinkle of the photo.
    flat_lum = blur(sitting.lab[..., 0], side / 45)
    lum = lit_by(flat_lum, look, mask.shape[1] / 2, side / 2, 12)
    # Touching a face: a region of the skin's hue (its shadowed edge, the ears, the
    # neck) is skin, however much darker; in a greyscale photo, which has no colour to
    # tell skin by, a region as light as the face is (a hand held up to it, an ear).
    beside_face = (
        cv2.dilate(sitting.skin.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=3) > 0
    )
    # ... and only near the face (a third of its height out): a k-means colour is
    # everywhere its colour is, and a camera held out as light as the face is no skin.
    zone = None
    if sitting.grey and sitting.heads:
        tall = float(np.median([np.ptp(h.oval[:, 1]) for h in sitting.heads])) * sitting.factor
        away = cv2.distanceTransform((~sitting.skin).astype(np.uint8), cv2.DIST_L2, 3)
        zone = away < max(3.0, tall * NEAR_FACE)

    def paint_region(region: np.ndarray, centre: np.ndarray, skin_ok: bool) -> None:
        near = [
            h
            for h, s in zip(sitting.heads, skins, strict=True)
            if skin_ok
            and (
                np.linalg.norm(centre - s) < 14
                or (
                    (region & beside_face).sum() > region.sum() * 0.02
                    and (
                        abs(float(centre[0] - s[0])) < 15
                        if sitting.grey
                        else np.linalg.norm(centre[1:] - s[1:]) < 14
                        and centre[0] > s[0] - 35
                        and np.hypot(*centre[1:]) > 0.6 * np.hypot(*s[1:])
                    )
                )
            )
        ]
        if near:
            base = skin_tone(near[0], look)
            shadow = skin_shadow(base, 0.22 * depth(shading), shading)
        elif centre[0] < DARK_CLOTH:
            # Black cloth, as anime paints it: a dark slate base the folds can show
            # on, and near-black shadows (on pure black every shape merges into one).
            slate = np.array([DARK_CLOTH + 4, centre[1] * 0.5, centre[2] * 0.5 - 6], np.float32)
            base = to_rgb(slate)
            shadow = shade(base, 0.55 * depth(shading), shading.shadow_tint)
        elif (
            centre[0] > (GREY_LIGHT_CLOTH if sitting.grey else LIGHT_CLOTH)
            and np.hypot(centre[1], centre[2]) < 9
        ):
            # White cloth (straps, a shirt, a collar), as anime paints it: near white,
            # its shadows a cool grey-blue — never warmed towards the skin's beige by
            # the photo's tint and the style's extra chroma.
            white = np.array([min(96.0, centre[0] + 10), centre[1] * 0.2, centre[2] * 0.2 - 2])
            base = to_rgb(white.astype(np.float32))
            shadow = shade(base, 0.22 * depth(shading), (120, 140, 190))
        else:
            base = anime_tone(to_rgb(centre), 3, style_sat * look.saturation)
            shadow = shade(base, 0.3 * depth(shading), shading.shadow_tint)
        inside = lum[region]
        unlit = flat_lum[region]
        # The shadow below the region's own lower third (its folds and the side away
        # from the light), not below a fixed level: a dark coat gets shading too. Cloth
        # the light hardly varies on has only its deepest folds shaded: its third
        # darkest would be random blotches.
        spread = float(np.subtract(*np.percentile(unlit, [80, 20]))) if unlit.size else 0.0
        share = 25 if spread > 6 and centre[0] >= DARK_CLOTH else 12
        dark = float(np.percentile(inside, share)) - look.shadow_bias if inside.size else 0.0
        if centre[0] < DARK_CLOTH:
            # Black cloth's photo shading is noise and sheen: its shadow is the form's
            # alone (below), never blotches.
            dark = -1.0
        # No lit tone on a dark thing (its sheen painted as light ovals reads as eyes),
        # nor on skin (two tones, as the face: a lit tone there is a white cut-out).
        bright = (
            float(np.percentile(inside, 88)) + 2
            if inside.size and centre[0] > 25 and not near
            else None
        )
        cel(
            canvas,
            region,
            lum,
            (base, shadow, None),
            dark,
            bright,
            side / 100,
            min_area=side * side * 0.003,
            style=style,
        )
        # The form's own shadow: the garment's edge away from the key light, as a cel
        # painter shades a sleeve or a torso turning away (the photo's folds above give
        # only the deepest creases).
        if region.sum() > side * side * 0.01:
            fill(canvas, form_shadow(region, look, side), shadow)

    for i, centre in enumerate(centres):
        region = labels == i
        if zone is None:
            paint_region(region, centre, True)
        else:
            if (region & zone).any():
                paint_region(region & zone, centre, True)
            if (region & ~zone).any():
                paint_region(region & ~zone, centre, False)
    parts = np.zeros(mask.shape, bool)
    for part in small_parts(sitting.lab, mask, labels, centres, side):
        _paint_part(canvas, sitting.lab, part, style_sat * look.saturation)
        labels[part] = labels.max() + 1  # outlined as a shape of its own
        parts |= part
    return labels, parts


def small_parts(
    lab: np.ndarray, mask: np.ndarray, labels: np.ndarray, centres: np.ndarray, side: int
) -> list[np.ndarray]:
    """The small parts on clothes that a painter keeps as simple drawn shapes — a
    badge, a ribbon bar, a name tag, a button, a patch's emblem: compact shapes of a
    colour far from the garment around them (hue or chroma, or much lighter or darker),
    between 0.02% and 1.2% of the picture. Folds and sheen (the garment's own colour,
    a little lighter or darker) are not parts."""
    if not len(centres) or not mask.any():
        return []
    garment = np.zeros_like(lab)
    inside = mask & (labels >= 0)
    garment[inside] = centres[labels[inside]]
    diff = lab - garment
    # The garment's own hue a shade darker is a fold, however dark: not a part.
    chroma, g_chroma = (
        np.hypot(lab[..., 1], lab[..., 2]),
        np.hypot(garment[..., 1], garment[..., 2]),
    )
    turn = np.abs(
        np.arctan2(lab[..., 2], lab[..., 1]) - np.arctan2(garment[..., 2], garment[..., 1])
    )
    turn = np.degrees(np.minimum(turn, 2 * np.pi - turn))
    same_hue = (chroma > 10) & (g_chroma > 10) & (turn < 25)
    far = ((np.hypot(diff[..., 1], diff[..., 2]) > 20) & ~same_hue) | (diff[..., 0] > 32)
    far |= (diff[..., 0] < -32) & ~same_hue & (garment[..., 0] > 55)
    far &= inside
    k = np.ones((3, 3), np.uint8)
    far = cv2.morphologyEx(
        cv2.morphologyEx(far.astype(np.uint8), cv2.MORPH_OPEN, k), cv2.MORPH_CLOSE, k
    )
    count, comp, stats, _ = cv2.connectedComponentsWithStats(far, connectivity=8)
    out = []
    for i in range(1, count):
        w, h, area = stats[i, 2:]
        if not side * side * 0.0002 <= area <= side * side * 0.012:
            continue
        if area < 0.5 * w * h or max(w, h) > 6 * min(w, h) + 4:
            continue  # not compact: a fold's edge, a strap, a stripe of light
        part = _drawn_shape(comp == i)
        L, a, b = np.median(lab[part], axis=0)
        plain = float(lab[part][:, 0].std()) < 8
        if math.hypot(a, b) < 10 and (L > 90 or (L > 70 and plain)):
            continue  # a white glint on something shiny (a helmet), not a part
        out.append(part)
    return out


def _drawn_shape(part: np.ndarray) -> np.ndarray:
    """A part as a painter draws it: a tag, a ribbon bar or a badge that nearly fills its
    rectangle becomes that rectangle; a button or a round patch that nearly fills its
    circle, that circle; anything else keeps its outline, smoothed."""
    points = cv2.findNonZero(part.astype(np.uint8))
    area = float(part.sum())
    out = np.zeros(part.shape, np.uint8)
    rect = cv2.minAreaRect(points)
    (cx, cy), radius = cv2.minEnclosingCircle(points)
    if area > 0.72 * rect[1][0] * rect[1][1]:
        cv2.fillPoly(out, [np.round(cv2.boxPoints(rect)).astype(np.int32)], 1)
    elif area > 0.72 * math.pi * radius * radius:
        cv2.circle(out, (round(cx), round(cy)), round(radius), 1, -1)
    else:
        return clean(part, 1.2)
    return out.astype(bool)


def _paint_part(canvas: np.ndarray, lab: np.ndarray, part: np.ndarray, chroma: float) -> None:
    """A small part in at most three flat colours of its own (a ribbon bar's stripes, a
    badge's emblem on its ground), each laid flat as a painter would."""
    ys, xs = np.nonzero(part)  # worked on the part's own box
    box = np.s_[max(0, ys.min() - 3) : ys.max() + 4, max(0, xs.min() - 3) : xs.max() + 4]
    canvas, lab, part = canvas[box], lab[box], part[box]
    pts = lab[part].astype(np.float32)
    k = 1 if len(pts) < 40 else min(3, len(pts) // 40)
    if k > 1:
        criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 15, 0.5)
        _, assigned, centres = cv2.kmeans(pts, k, None, criteria, 1, cv2.KMEANS_PP_CENTERS)
        centres = _merge(centres, 10)
        assigned = ((pts[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)
        # A colour on under a sixth of the part is detail a painter leaves out (a name
        # tag's lettering drawn as blobs reads as a pair of eyes).
        share = np.bincount(assigned, minlength=len(centres)) / len(assigned)
        centres = centres[share >= 1 / 6]
        assigned = ((pts[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)
    else:
        centres, assigned = pts.mean(axis=0, keepdims=True), np.zeros(len(pts), int)
    if len(centres) > 1:  # each pixel's colour tidied like its neighbours' (clean stripes)
        one = np.full(part.shape, -1, np.int32)
        one[part] = assigned
        scores = np.stack([blur((one == i).astype(np.float32), 1.2) for i in range(len(centres))])
        assigned = scores.argmax(axis=0)[part]
    colours = np.array([anime_tone(to_rgb(c), 3, chroma) for c in centres], np.float32) / 255.0
    canvas[part] = colours[assigned]


def _same_cloth(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two colour centres (Lab) are one cloth in light and in shadow: the same
    hue at a similar chroma (an orange suit and its folds), or both dark and neutral (a
    black coat), or both light and neutral (a white shirt)."""
    ca, cb = float(np.hypot(a[1], a[2])), float(np.hypot(b[1], b[2]))
    if min(ca, cb) >= 14:
        turn = abs(math.degrees(math.atan2(a[2], a[1]) - math.atan2(b[2], b[1])))
        return min(turn, 360 - turn) <= 16 and max(ca, cb) <= 2.2 * min(ca, cb)
    if max(ca, cb) < 9:
        dl = abs(float(a[0] - b[0]))
        return (max(a[0], b[0]) < 42 and dl < 20) or (min(a[0], b[0]) > 62 and dl < 24)
    return False


def _garments(
    lab: np.ndarray, labels: np.ndarray, centres: np.ndarray, skins: list[np.ndarray]
) -> np.ndarray:
    """Regions that are one cloth in light and in shadow (see `_same_cloth`) joined
    into one garment, in place; returns the centres, each joined garment's colour its
    lit cloth (the 65th percentile of its lightness, its mean chroma), so its folds and
    shaded side come back as cel shadow over one flat base, never as camouflage
    patches. Regions the colour of a face's skin are never joined."""
    k = len(centres)
    parent = list(range(k))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    skinlike = [any(np.linalg.norm(c - s) < 14 for s in skins) for c in centres]
    for i in range(k):
        for j in range(i + 1, k):
            if not (skinlike[i] or skinlike[j]) and _same_cloth(centres[i], centres[j]):
                parent[root(j)] = root(i)
    if all(root(i) == i for i in range(k)):
        return centres
    out = centres.copy()
    for i in range(k):
        r = root(i)
        if r != i:
            labels[labels == i] = r
    for r in {root(i) for i in range(k)}:
        inside = lab[labels == r]
        if len(inside) and any(root(i) == r for i in range(k) if i != r):
            out[r] = [float(np.percentile(inside[:, 0], 65)), *inside[:, 1:].mean(axis=0)]
    return out


def _drop_glints(labels: np.ndarray, centres: np.ndarray, max_area: float) -> None:
    """Small bright shapes enclosed by a much darker one (reflections on a helmet, a
    visor, a dark car) join the dark shape, in place: painted as two white ovals on a
    black dome they read as a face's eyes."""
    for i, centre in enumerate(centres):
        count, comp, stats, _ = cv2.connectedComponentsWithStats(
            (labels == i).astype(np.uint8), connectivity=8
        )
        for j in range(1, count):
            if stats[j, cv2.CC_STAT_AREA] > max_area:
                continue
            x, y, w, h = stats[j, :4]
            pad = max(2, int(max(w, h) * 0.3))
            y0, x0 = max(0, y - pad), max(0, x - pad)
            part = comp[y0 : y + h + pad, x0 : x + w + pad] == j
            ring = cv2.dilate(part.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) & ~part
            around = labels[y0 : y + h + pad, x0 : x + w + pad][ring]
            around = around[around >= 0]
            if len(around) == 0:
                continue
            values, counts = np.unique(around, return_counts=True)
            other = int(values[np.argmax(counts)])
            if counts.max() >= 0.75 * len(around) and centres[other][0] < centre[0] - 25:
                labels[y0 : y + h + pad, x0 : x + w + pad][part] = other


#: Below this lightness (Lab L) a garment is black cloth, painted in slate.
DARK_CLOTH = 22.0
#: Above this lightness a near-neutral garment is white cloth, painted white.
LIGHT_CLOTH = 62.0
#: In a greyscale photo every colour is neutral: only what is near white there is white
#: cloth (a shirt); a light grey thing (a camera's body) keeps its grey.
GREY_LIGHT_CLOTH = 78.0


#: Skin in shadow, as anime paints it: warm and rosy, whatever the style's cool shadow
#: tint for clothes (a teal or violet shadow on a face reads as grey skin).
SKIN_SHADOW_TINT: RGB = (205, 105, 120)


def skin_shadow(base: RGB, amount: float, shading: DrawParams) -> RGB:
    """The shadow tone of skin ``base``: the style's tint leaning to a warm rose."""
    return shade(base, amount, mix(shading.shadow_tint, SKIN_SHADOW_TINT, 0.8))


#: The chroma (Lab) anime paints skin in: muted skin a little warmer, ruddy skin calmer
#: (its lightness and hue are kept: they tell the skin tone).
SKIN_CHROMA: Final = (20.0, 30.0)


def skin_tone(head: Head, look: Look) -> RGB:
    L, a, b = to_lab(anime_tone(head.skin, 6, 1.0))
    c = math.hypot(a, b)
    k = float(np.clip(c, *SKIN_CHROMA)) / max(c, 1e-3)
    return to_rgb(np.array([L, a * k, b * k], np.float32))


def paint_skin(
    sitting: Sitting,
    canvas: np.ndarray,
    head: Head,
    look: Look,
    shading: DrawParams,
    style: ToonParams | None = None,
) -> np.ndarray:
    """The face and neck in two flat skin tones; returns the neck painted."""
    f = sitting.factor
    h, w = canvas.shape[:2]
    face = np.zeros((h, w), np.uint8)
    cv2.fillPoly(face, [np.round(head.oval * f).astype(np.int32)], 1)
    mask = face.astype(bool)
    fw = head.face.width * f
    fh = head.face.height * f
    base = skin_tone(head, look)
    shadow = skin_shadow(base, 0.2 * depth(shading), shading)
    cx = float(head.face.points[1][0] * f)
    lum = lit_by(blur(sitting.lab[..., 0], max(1.0, fw / 9)), look, cx, fw / 2, 6)
    inside = lum[mask]
    dark = float(np.median(inside) - np.std(inside) * 1.1 + look.shadow_bias) if inside.size else 0
    # Two tones and a clean edge on the face whatever the style: a third tone reads
    # as shine, and a soft terminator over the eyes as a smudge.
    two = None if style is None else replace(style, bands=2, shadow_soft=0.0)
    cel(canvas, mask, lum, (base, shadow, None), dark, None, fw / 40, style=two)
    fill(canvas, side_shadow(mask, head, look, f), shadow)
    # The fringe's shadow on the forehead, and the chin's on the neck.
    drop = round(fh * 0.06)
    fringe = np.zeros_like(sitting.hair)
    fringe[drop:] = sitting.hair[:-drop] if drop else sitting.hair
    fill(canvas, clean(fringe & mask & ~sitting.hair, fw / 60), shadow)
    below = np.zeros((h, w), np.uint8)
    jaw = np.round(head.oval * f).astype(np.int32)
    shifted = jaw + np.array([0, round(fh * 0.09)], np.int32)
    cv2.fillPoly(below, [shifted], 1)
    # The neck: skin-coloured (even in shadow) under the chin, in the face's tones.
    # Skin in shadow keeps its hue: compare a and b, not lightness.
    skin_lab = to_lab(head.skin)
    skinlike = (np.linalg.norm(sitting.lab[..., 1:] - skin_lab[1:], axis=2) < 12) & (
        sitting.lab[..., 0] > 22
    )
    cx, chin_y = head.face.points[152] * f
    ys, xs = np.mgrid[0:h, 0:w]
    zone = (np.abs(xs - cx) < fw * 0.42) & (ys > chin_y - fh * 0.2) & (ys < chin_y + fh * 0.7)
    neck = clean(zone & skinlike & ~mask & sitting.person & ~sitting.hair, fw / 50)
    # Where the drawn jaw is narrower than the photo's: the side of the head and the
    # neck under the jaw, in the skin's shadow (photo skin there reads as a hood).
    raw = np.zeros((h, w), np.uint8)
    cv2.fillPoly(raw, [np.round(head.face.at(FACE_OVAL) * f).astype(np.int32)], 1)
    eyes_y = (head.face.eye(-1)[:, 1].mean() + head.face.eye(1)[:, 1].mean()) / 2 * f
    gap = raw.astype(bool) & ~mask & ~sitting.hair & (ys > eyes_y)
    neck |= gap
    fill(canvas, neck, base)
    under = neck & (below.astype(bool) | gap)
    fill(canvas, under, skin_shadow(base, 0.2 * depth(shading), shading))
    return neck


def form_shadow(region: np.ndarray, look: Look, side: int) -> np.ndarray:
    """A garment's shadow on its side away from the version's key light: the region
    less itself moved towards the light (a band along its far edges, as wide as the
    light is strong) where the garment is wide, its inner edge smoothed to a clean
    curve. Empty for a frontal light (|light| < 0.25)."""
    if abs(look.light) < 0.25:
        return np.zeros_like(region)
    shift = round(side * (0.015 + 0.03 * (abs(look.light) - 0.25) / 0.75))
    moved = np.zeros_like(region)
    if look.light > 0:  # lit from the right: moved right, the shadow on the left edges
        moved[:, shift:] = region[:, :-shift]
    else:
        moved[:, :-shift] = region[:, shift:]
    band = region & ~moved
    # Only where the garment is wide enough to turn (a torso, a sleeve), not along a
    # strap or a zip, which would be all shadow: the region opened by the band's width.
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3 * shift + 1, 3 * shift + 1))
    wide = cv2.morphologyEx(region.astype(np.uint8), cv2.MORPH_OPEN, k).astype(bool)
    band &= wide
    return region & clean(band, side / 150) & big_parts(band, side * side * 0.002)


def side_shadow(mask: np.ndarray, head: Head, look: Look, f: float) -> np.ndarray:
    """The face's shadow on the side away from the version's key light, as anime lights
    a face: a crescent along the cheek and jaw, its inner edge a curve (an ellipse a
    little narrower than the face, moved towards the light). None for a light from the
    front (|light| < 0.25), nor on a profile."""
    if abs(look.light) < 0.25 or abs(head.face.turn) >= PROFILE_TURN:
        return np.zeros_like(mask)  # (a profile shows one side: lit by the photo's light)
    fw, fh = head.face.width * f, head.face.height * f
    cx, cy = (head.face.points[234] + head.face.points[454]) / 2 * f
    lit = np.zeros(mask.shape, np.uint8)
    reach = fw * (0.12 + 0.16 * (abs(look.light) - 0.25) / 0.75)  # stronger light, deeper
    centre = (round(cx + np.sign(look.light) * reach), round(cy + fh * 0.05))
    cv2.ellipse(lit, centre, (round(fw * 0.5), round(fh * 0.62)), 0, 0, 360, 1, -1)
    return mask & ~lit.astype(bool)


def blush(canvas: np.ndarray, sitting: Sitting, head: Head, look: Look) -> None:
    """Two soft pink ovals on the cheeks."""
    f = sitting.factor
    layer = np.zeros(canvas.shape[:2], np.float32)
    fw = head.face.width * f
    for idx in (205, 425):
        x, y = head.face.points[idx] * f
        cv2.ellipse(
            layer,
            (round(x), round(y - fw * 0.02)),
            (max(1, round(fw * 0.12)), max(1, round(fw * 0.05))),
            head.face.roll,
            0,
            360,
            1.0,
            -1,
        )
    soft = blur(layer, max(1.0, fw * 0.035)) * look.blush
    pink = np.array((255, 120, 140), np.float32) / 255.0
    canvas[:] = canvas * (1 - soft[..., None]) + pink * soft[..., None]


def hair_tones(head: Head, look: Look, shading: DrawParams) -> tuple[RGB, RGB, RGB]:
    base = anime_tone(head.hair, 4, 1.06 * look.saturation)
    return base, shade(base, 0.26 * depth(shading), shading.shadow_tint), light(base, 0.42)


def paint_hair(
    sitting: Sitting,
    canvas: np.ndarray,
    look: Look,
    shading: DrawParams,
    style: ToonParams | None = None,
) -> list[tuple[Head, np.ndarray]]:
    """Each head's hair in three tones, with the highlight band ("angel ring") across
    the crown. Returns each head's hair mask."""
    f = sitting.factor
    h, w = canvas.shape[:2]
    hair = sitting.hair
    if not hair.any():
        return []
    # Each hair pixel belongs to the nearest head.
    centres = np.array(
        [(hd.face.points[234] + hd.face.points[454]) / 2 * f for hd in sitting.heads], np.float32
    )
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    owner = np.argmin(np.stack([(xs - c[0]) ** 2 + (ys - c[1]) ** 2 for c in centres]), axis=0)
    out = []
    for i, head in enumerate(sitting.heads):
        mask = hair & (owner == i)
        if not mask.any():
            continue
        base, shadow, lit = hair_tones(head, look, shading)
        fw = head.face.width * f
        lum = lit_by(blur(sitting.lab[..., 0], max(1.0, fw / 6)), look, float(centres[i][0]), fw, 8)
        inside = lum[mask]
        cel(
            canvas,
            mask,
            lum,
            (base, shadow, None),
            float(np.percentile(inside, 27)),
            None,
            fw / 30,
            # Hair's shadows are clean shapes in every style (soft, they read as dirt).
            style=None if style is None else replace(style, shadow_soft=0.0),
        )
        # The highlight band: an arc across the crown with a zigzag lower edge.
        top = float(ys[mask].min())
        cx = float(centres[i][0])
        crown_y = float(head.face.points[10][1] * f)
        ry = max(1.0, crown_y - top) * 1.9
        rx = fw * 0.75
        cy = top + ry
        rho = np.sqrt(((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2)
        angle = np.arctan2(ys - cy, xs - cx)
        zig = 0.035 * np.abs(((angle * 9 / math.pi) % 2) - 1)
        ring = (rho > 1 - look.highlight - 0.06 + zig) & (rho < 1 - look.highlight + zig * 0.3)
        # On the crown, never across the fringe over the forehead.
        ring &= (ys < cy - ry * 0.25) & (ys < crown_y - fw * 0.06) & mask
        fill(canvas, clean(ring, fw / 80), lit)
        out.append((head, mask))
    return out
