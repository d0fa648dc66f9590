"""Clothes painted as illustration: each garment a few large flat shapes in cel tones lit
from the picture's key light, with a form shadow away from it, and small parts (a
badge, a ribbon bar, a name tag) drawn as simple shapes instead of smears."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Final

import cv2
import numpy as np

from sakuga.engines.draw.svg import shade
from sakuga.engines.toon.grey import NEAR_FACE
from sakuga.engines.toon.paint import skin_tone
from sakuga.engines.toon.sitting import Sitting
from sakuga.engines.toon.tones import (
    Look,
    anime_tone,
    big_parts,
    blur,
    cel,
    cel_shapes,
    clean,
    depth,
    fill,
    from_the_edge,
    kmeans,
    lit_by,
    merge_centres,
    regions,
    skin_shadow,
    to_lab,
    to_rgb,
)
from sakuga.prompt.styles import DrawParams, ToonParams


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
    return from_the_edge(thin, sitting.person)  # a whole sliver that reaches the outline


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
    hats = mask & sitting.hats if sitting.hats is not None else np.zeros(mask.shape, bool)
    # Shapes under 0.2% of the picture join their neighbours: hands, a camera, a
    # badge become a few simple shapes, not a splat of fragments.
    labels, centres = regions(
        sitting.lab,
        mask & ~hats,
        5,
        seed,
        side / 90,
        merge=8,
        light_weight=0.35,
        min_area=side * side * 0.002,
    )
    _drop_glints(labels, centres, side * side * 0.006)
    if hats.any():
        # A hat at its own scale: smoothed at the picture's, its bands (a cap's white
        # crown over its dark one) are thinner than the smoothing and melt into one.
        labels, centres = _with_hats(sitting.lab, hats, labels, centres, seed)
    # Touching a face: a region of the skin's hue (its shadowed edge, the ears, the
    # neck) is skin, however much darker; in a greyscale photo, which has no colour to
    # tell skin by, a region as light as the face is (a hand held up to it, an ear).
    beside_face = (
        cv2.dilate(sitting.skin.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=3) > 0
    )
    skins = [to_lab(h.skin) for h in sitting.heads]
    if sitting.grey:
        _absorb_folds(labels, centres, side * side * 0.03)
        # Without colour, what touches a face may be skin: never joined as cloth.
        touching = set(np.unique(labels[beside_face]).tolist())
        at_face = [i in touching for i in range(len(centres))]
    else:
        at_face = None
    centres = _garments(sitting.lab, labels, centres, skins, at_face)
    # A drawn garment is a few large shapes: its crumbs join the cloth around them
    # and what is left of its small pieces (a collar, a shirt front, a helmet's rim)
    # takes a drawn outline, never a melted blob's.
    skinlike = [any(np.linalg.norm(c - s) < 14 for s in skins) for c in centres]
    if at_face is not None:
        skinlike = [a or b for a, b in zip(skinlike, at_face, strict=False)]
    on_hats = labels[hats]  # a hat's bands were tidied at its own scale (`_with_hats`)
    labels[hats] = -1
    _join_fragments(labels, centres, skinlike, side * side * FRAGMENT)
    # (Beside a face the pieces keep their edge: redrawn, a light one crosses the
    # face's rim and shows as a white sliver where a profile's far eye would be.)
    _draw_pieces(labels, mask & ~hats & ~beside_face, centres, skinlike, side)
    # The slivers redrawing leaves between a piece's old edge and its new one.
    _join_fragments(labels, centres, skinlike, side * side * FRAGMENT / 4)
    labels[hats] = on_hats
    # The light on the clothes in large shapes: a garment's shaded side and its deep
    # folds, not every wrinkle of the photo.
    flat_lum = blur(sitting.lab[..., 0], side / 45)
    lum = lit_by(flat_lum, look, mask.shape[1] / 2, side / 2, 12)
    # ... and only near the face (a third of its height out): a k-means colour is
    # everywhere its colour is, and a camera held out as light as the face is no skin.
    zone = None
    if sitting.grey and sitting.heads:
        tall = float(np.median([np.ptp(h.oval[:, 1]) for h in sitting.heads])) * sitting.factor
        away = cv2.distanceTransform((~sitting.skin).astype(np.uint8), cv2.DIST_L2, 3)
        zone = away < max(3.0, tall * NEAR_FACE)
        # Nothing before a profile's face is its skin (a camera at the eye, not a hand).
        if sitting.front is not None:
            zone &= ~sitting.front

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
        if not near:
            # Cloth: its own light in a few big shapes (`cloth_shapes`).
            dark, deep, light, form = cloth_shapes(
                region, sitting.lab[..., 0], look, side, centre[0] < DARK_CLOTH
            )
            cel_shapes(canvas, region, (base, shadow, None), dark, deep, light, style)
            fill(canvas, form & ~deep, shadow)  # a crisp edge: the form's, not the light's
            return
        inside = lum[region]
        unlit = flat_lum[region]
        # Skin: the shadow below its own lower third (the side away from the light, a
        # hand's shaded edge); two tones, as the face (a lit tone there is a cut-out).
        spread = float(np.subtract(*np.percentile(unlit, [80, 20]))) if unlit.size else 0.0
        share = 25 if spread > 6 else 12
        dark_level = float(np.percentile(inside, share)) - look.shadow_bias if inside.size else 0.0
        cel(
            canvas,
            region,
            lum,
            (base, shadow, None),
            dark_level,
            None,
            side / 100,
            min_area=side * side * 0.003,
            style=style,
        )
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


def _with_hats(
    lab: np.ndarray, hats: np.ndarray, labels: np.ndarray, centres: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``labels`` and ``centres`` with the hats' own regions added: each hat's colours
    read and tidied on the scale of the hat (its width), not of the picture."""
    count, comp = cv2.connectedComponents(hats.astype(np.uint8))
    for i in range(1, count):
        hat = comp == i
        ys, xs = np.nonzero(hat)
        size = float(max(np.ptp(xs), np.ptp(ys))) + 1
        if size < 12:
            continue
        own, colours = regions(
            lab, hat, 3, seed, size / 45, merge=10, light_weight=0.5, min_area=size * size * 0.015
        )
        if not len(colours):
            continue
        labels[hat] = own[hat] + len(centres)
        centres = np.concatenate([centres.reshape(-1, 3), colours]).astype(np.float32)
    return labels, centres


#: The smallest part drawn, on the picture's area: a badge, a button, a zip's pull (a
#: smaller fleck of colour, drawn, is a red speck along a zip: noise, not a part).
SMALLEST_PART: Final = 0.0005


def small_parts(
    lab: np.ndarray, mask: np.ndarray, labels: np.ndarray, centres: np.ndarray, side: int
) -> list[np.ndarray]:
    """The small parts on clothes that a painter keeps as simple drawn shapes — a
    badge, a ribbon bar, a name tag, a button, a patch's emblem: compact shapes of a
    colour far from the garment around them (hue or chroma, or much lighter or darker),
    between 0.05% (`SMALLEST_PART`) and 1.2% of the picture. Folds and sheen (the
    garment's own colour, a little lighter or darker) are not parts."""
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
        if not side * side * SMALLEST_PART <= area <= side * side * 0.012:
            continue
        if area < 0.5 * w * h or max(w, h) > 6 * min(w, h) + 4:
            continue  # not compact: a fold's edge, a strap, a stripe of light
        found = comp == i
        part = _drawn_shape(found)
        L, a, b = np.median(lab[found], axis=0)
        spread = float(lab[found][:, 0].std())
        plain, plain_ish = spread < 8, spread < 10
        if math.hypot(a, b) < 10 and (L > 90 or (L > 70 and plain)):
            continue  # a white glint on something shiny (a helmet), not a part
        ground = float(np.median(garment[found][:, 0]))
        if math.hypot(a, b) < 12 and L > 40 and ground < DARK_CLOTH + 8 and plain_ish:
            continue  # plain grey on black: a visor's reflection (a tag has lettering)
        out.append(part)
    return out


def _drawn_shape(part: np.ndarray, polygon: bool = False) -> np.ndarray:
    """A part as a painter draws it, judged by its convex hull (a name tag's lettering,
    a patch's emblem leave holes and bites in the colour found): a tag, a ribbon bar
    or a badge whose hull nearly fills its rectangle becomes that rectangle, its
    corners a little rounded; a button or a round patch that nearly fills its circle,
    that circle; anything else keeps its outline, smoothed, or with ``polygon`` (a
    collar, a shirt's front, a strap's end) simplified to a few straight sides."""
    points = cv2.findNonZero(part.astype(np.uint8))
    hull = cv2.convexHull(points)
    area = max(float(cv2.contourArea(hull)), float(part.sum()))
    out = np.zeros(part.shape, np.uint8)
    rect = cv2.minAreaRect(points)
    (cx, cy), radius = cv2.minEnclosingCircle(points)
    # Mostly the part's colour, not a ring or a hook (a ribbon bar's stripes near the
    # coat's colour leave gaps: a small part needs less).
    solid = part.sum() > (0.6 if polygon else 0.45) * area
    if polygon:  # a garment's piece snaps only when it plainly is a disc or a box
        fit, area = 0.92, float(part.sum())
    else:
        fit = 0.82
    if solid and area > fit * math.pi * radius * radius:
        cv2.circle(out, (round(cx), round(cy)), round(radius), 1, -1)
    elif solid and area > fit * rect[1][0] * rect[1][1]:
        cv2.fillPoly(out, [np.round(cv2.boxPoints(rect)).astype(np.int32)], 1)
        r = max(1, round(min(rect[1]) * 0.18))
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
        out = cv2.morphologyEx(out, cv2.MORPH_OPEN, disc)  # rounded corners
    elif polygon:
        # Simplified from its smoothed outline: on a jagged one the corners land on
        # the spikes and the shape swells.
        contours, _ = cv2.findContours(
            clean(part, 2.0).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE
        )
        if not contours:
            return clean(part, 1.2)
        outline = max(contours, key=cv2.contourArea)
        eps = max(1.5, 0.03 * cv2.arcLength(outline, True))
        cv2.fillPoly(out, [cv2.approxPolyDP(outline, eps, True)], 1)
    else:
        return clean(part, 1.2)
    return out.astype(bool)


#: A garment's piece under this share of the picture (a crumb of lining in a collar,
#: a fleck of light on a helmet) joins the cloth around it, unless it is a strap.
FRAGMENT: Final = 0.004
#: Garment pieces up to this share of the picture are drawn with simplified outlines.
DRAWN_PIECE: Final = 0.05


def _is_strap(part: np.ndarray) -> bool:
    """Whether a piece is long, narrow and nearly fills its rectangle: a strap, a zip."""
    (_c, (w, h), _a) = cv2.minAreaRect(cv2.findNonZero(part.astype(np.uint8)))
    short, long = min(w, h), max(w, h)
    return short >= 3 and long > 3.5 * short and part.sum() > 0.45 * w * h


def _join_fragments(
    labels: np.ndarray, centres: np.ndarray, skinlike: list[bool], max_area: float
) -> None:
    """Garment pieces under ``max_area`` pixels that are not straps join the cloth that
    most of their rim touches, in place (never skin into cloth or cloth into skin)."""
    for i, window, part, around in _small_shapes(labels, centres, max_area):
        on = around[around >= 0]
        if len(on) < len(around) / 3 or skinlike[i] or _is_strap(part):
            continue
        other, _enclosed = _mostly(on)
        if other != i and not skinlike[other]:
            labels[window][part] = other


def _draw_pieces(
    labels: np.ndarray, mask: np.ndarray, centres: np.ndarray, skinlike: list[bool], side: int
) -> None:
    """Each cloth piece up to `DRAWN_PIECE` of the picture redrawn as a painter's shape
    (`_drawn_shape`: a rectangle, a disc, or a few straight sides), in place: it takes
    over the large cloth its new outline crosses, and what it gives up takes the
    nearest shape's label. Skin and large garments keep their outlines."""
    if not len(centres):
        return
    pieces: list[tuple[int, np.ndarray]] = []
    for i in range(len(centres)):
        if skinlike[i]:
            continue
        count, comp, stats, _ = cv2.connectedComponentsWithStats(
            (labels == i).astype(np.uint8), connectivity=8
        )
        for j in range(1, count):
            if side * side * 2e-4 <= stats[j, cv2.CC_STAT_AREA] <= side * side * DRAWN_PIECE:
                pieces.append((i, comp == j))
    if not pieces:
        return
    small = np.zeros(mask.shape, bool)
    for _i, part in pieces:
        small |= part
    large = (
        mask & (labels >= 0) & ~small & ~np.isin(labels, np.flatnonzero(np.array(skinlike, bool)))
    )
    given_up: list[tuple[int, np.ndarray]] = []
    drawn = np.zeros(mask.shape, bool)
    for i, part in sorted(pieces, key=lambda p: -int(p[1].sum())):
        shape = _drawn_shape(part, polygon=True) & mask
        given_up.append((i, part & mask & ~shape))  # outside ``mask`` it stays as it is
        take = shape & (part | large) & ~drawn
        labels[take] = i
        drawn |= take
    holes = np.zeros(mask.shape, bool)
    for _i, lost in given_up:
        holes |= lost & ~drawn
    for i, lost in given_up:  # what a piece gave up goes to its neighbours, not back
        fill_from_nearest(labels, lost & ~drawn, mask & (labels >= 0) & (labels != i) & ~holes)


def _paint_part(canvas: np.ndarray, lab: np.ndarray, part: np.ndarray, chroma: float) -> None:
    """A small part in at most three flat colours of its own (a ribbon bar's stripes, a
    badge's emblem on its ground), each laid flat as a painter would."""
    ys, xs = np.nonzero(part)  # worked on the part's own box
    box = np.s_[max(0, ys.min() - 3) : ys.max() + 4, max(0, xs.min() - 3) : xs.max() + 4]
    canvas, lab, part = canvas[box], lab[box], part[box]
    pts = lab[part].astype(np.float32)
    k = 1 if len(pts) < 40 else min(3, len(pts) // 40)
    if k > 1:
        _, centres = kmeans(pts, k, attempts=1, iterations=15)
        centres = merge_centres(centres, 10)
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
        h, w = part.shape
        if w > 2.5 * h and part.sum() > 0.6 * w * h:
            # A wide bar (a ribbon bar): its colours in clean stripes across it, each
            # column the colour most of it is, not the photo's ragged weave.
            one[part] = assigned
            votes = np.stack([((one == i).sum(axis=0)) for i in range(len(centres))])
            assigned = np.broadcast_to(votes.argmax(axis=0), part.shape)[part]
    colours = np.array([anime_tone(to_rgb(c), 3, chroma) for c in centres], np.float32) / 255.0
    canvas[part] = colours[assigned]


def _same_cloth(a: np.ndarray, b: np.ndarray, grey: bool = False) -> bool:
    """Whether two colour centres (Lab) are one cloth in light and in shadow: the same
    hue at a similar chroma (an orange suit and its folds), or both dark and neutral (a
    black coat), or both light and neutral (a white shirt). In a greyscale photo, where
    every cloth is neutral, two greys a shade apart (under 20 L) are one cloth at any
    lightness: a mid-grey suit and its folds."""
    ca, cb = float(np.hypot(a[1], a[2])), float(np.hypot(b[1], b[2]))
    if min(ca, cb) >= 14:
        turn = abs(math.degrees(math.atan2(a[2], a[1]) - math.atan2(b[2], b[1])))
        return min(turn, 360 - turn) <= 16 and max(ca, cb) <= 2.2 * min(ca, cb)
    if max(ca, cb) < 9:
        dl = abs(float(a[0] - b[0]))
        if grey:
            return dl < 20
        return (max(a[0], b[0]) < 42 and dl < 20) or (min(a[0], b[0]) > 62 and dl < 24)
    return False


def _garments(
    lab: np.ndarray,
    labels: np.ndarray,
    centres: np.ndarray,
    skins: list[np.ndarray],
    at_face: list[bool] | None = None,
) -> np.ndarray:
    """Regions that are one cloth in light and in shadow (see `_same_cloth`) joined
    into one garment, in place; returns the centres, each joined garment's colour its
    lit cloth (the 65th percentile of its lightness, its mean chroma), so its folds and
    shaded side come back as cel shadow over one flat base, never as camouflage
    patches. Regions the colour of a face's skin are never joined. ``at_face``, given
    for a greyscale photo, says which regions touch a face."""
    k = len(centres)
    parent = list(range(k))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    skinlike = [any(np.linalg.norm(c - s) < 14 for s in skins) for c in centres]
    # In a greyscale photo, greys a shade apart are one cloth, unless one touches a
    # face (without colour, what touches a face may be skin: a hand held up to it).
    grey = [at_face is not None and not at_face[i] for i in range(k)]
    for i in range(k):
        for j in range(i + 1, k):
            if not (skinlike[i] or skinlike[j]) and _same_cloth(
                centres[i], centres[j], grey[i] and grey[j]
            ):
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


def _small_shapes(
    labels: np.ndarray, centres: np.ndarray, max_area: float
) -> Iterator[tuple[int, tuple[slice, slice], np.ndarray, np.ndarray]]:
    """Each connected shape of each label up to ``max_area`` pixels, as it stands when
    reached (callers relabel as they go): its label, a window round it, its pixels in
    that window, and the labels on the ring just outside it (-1 off the person)."""
    for i in range(len(centres)):
        count, comp, stats, _ = cv2.connectedComponentsWithStats(
            (labels == i).astype(np.uint8), connectivity=8
        )
        for j in range(1, count):
            if stats[j, cv2.CC_STAT_AREA] > max_area:
                continue
            x, y, w, h = stats[j, :4]
            y0, x0 = max(0, y - 2), max(0, x - 2)  # room for the ring, 2 pixels wide
            window = np.s_[y0 : y + h + 2, x0 : x + w + 2]
            part = comp[window] == j
            ring = cv2.dilate(part.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
            yield i, window, part, labels[window][ring & ~part]


def _mostly(around: np.ndarray) -> tuple[int, bool]:
    """The label most of a ring is, and whether it is three quarters of it or more."""
    values, counts = np.unique(around, return_counts=True)
    return int(values[np.argmax(counts)]), bool(counts.max() >= 0.75 * len(around))


def _drop_glints(labels: np.ndarray, centres: np.ndarray, max_area: float) -> None:
    """Small bright shapes enclosed by a much darker one (reflections on a helmet, a
    visor, a dark car) join the dark shape, in place: painted as two white ovals on a
    black dome they read as a face's eyes."""
    for i, window, part, around in _small_shapes(labels, centres, max_area):
        around = around[around >= 0]
        if len(around) == 0:
            continue
        other, enclosed = _mostly(around)
        if enclosed and centres[other][0] < centres[i][0] - 25:
            labels[window][part] = other


def _absorb_folds(labels: np.ndarray, centres: np.ndarray, max_area: float) -> None:
    """In a greyscale photo, darker grey shapes inside a lighter grey garment (up to
    ``max_area`` pixels, three quarters of their rim on that garment, under 40 L
    darker) are its folds and shaded side, not cloth of their own: they join it, in
    place, and come back as its cel shadow. (Without colour, k-means splits one grey
    suit by lightness into camouflage patches.)"""
    for i, window, part, around in _small_shapes(labels, centres, max_area):
        if len(around) == 0:
            continue
        other, enclosed = _mostly(around)
        lighter = float(centres[other][0] - centres[i][0])
        if other >= 0 and enclosed and 0 < lighter < 40:
            labels[window][part] = other


#: Below this lightness (Lab L) a garment is black cloth, painted in slate.
DARK_CLOTH = 22.0


#: Above this lightness a near-neutral garment is white cloth, painted white.
LIGHT_CLOTH = 62.0


#: In a greyscale photo every colour is neutral: only what is near white there is white
#: cloth (a shirt); a light grey thing (a camera's body) keeps its grey.
GREY_LIGHT_CLOTH = 78.0


def form_shadow(region: np.ndarray, look: Look, side: int, width: float = 1.0) -> np.ndarray:
    """A garment's shadow on its side away from the version's key light: the region
    less itself moved towards the light (a band along its far edges, as wide as the
    light is strong) where the garment is wide, its inner edge smoothed to a clean
    curve. Empty for a frontal light (|light| < 0.25). ``width`` scales the band: the
    lit band along the edges facing the light is this with the light turned round and
    a narrower width."""
    if abs(look.light) < 0.25:
        return np.zeros_like(region)
    shift = max(1, round(width * side * (0.015 + 0.03 * (abs(look.light) - 0.25) / 0.75)))
    # Moved with the frame's edge column carried along: a garment the frame cuts off
    # goes on past it, so its cut edge is no edge of its form (no band along the frame).
    moved = np.zeros_like(region)
    if look.light > 0:  # lit from the right: moved right, the shadow on the left edges
        moved[:, shift:] = region[:, :-shift]
        moved[:, :shift] = region[:, :1]
    else:
        moved[:, :-shift] = region[:, shift:]
        moved[:, -shift:] = region[:, -1:]
    band = region & ~moved
    # Only where the garment is wide enough to turn (a torso, a sleeve), not along a
    # strap or a zip, which would be all shadow: the region opened by the band's width.
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3 * shift + 1, 3 * shift + 1))
    wide = cv2.morphologyEx(region.astype(np.uint8), cv2.MORPH_OPEN, k).astype(bool)
    band &= wide
    smooth = clean(band, min(side / 150, shift / 2))  # never so smooth a narrow band goes
    return region & smooth & big_parts(band, side * side * 0.002 * width)


def cloth_shapes(
    region: np.ndarray, lightness: np.ndarray, look: Look, side: int, black: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A garment's cel shapes as a painter lays them: its shadow (the side turned away
    from the key light, `form_shadow`, and the photo's big folds and cast shadows), a
    deeper shadow in the deepest of those, and a lit band along the edge facing the
    light. Returns (shadow, deep, lit, form) masks inside ``region``: the photo's
    shadows (their edge soft where the style's is), the deeper shadow, the lit band,
    and the form's shadow (always a crisp cel edge: blurred, it reads as airbrush).

    The photo's light is read at the scale of the garment, not of its wrinkles: its
    lightness averaged within the garment alone (so a white strap beside an orange suit
    does not lighten the suit), a shadow only where the cloth is clearly darker than its
    lit part (not below a fixed share of it: evenly lit cloth gets no blotches), kept
    only in shapes of 0.4% of the picture or more, with smooth edges and no small lit
    islands left inside. Black cloth's photo shading is sheen and noise: its shadow is
    the form's alone."""
    empty = np.zeros_like(region)
    area = side * side
    if region.sum() < area * 0.002:
        return empty, empty, empty, empty  # a strap, a cuff: one flat tone
    weight = blur(region.astype(np.float32), side / 40)
    lum = blur(np.where(region, lightness, 0).astype(np.float32), side / 40)
    lum = lit_by(lum / np.maximum(weight, 1e-3), look, region.shape[1] / 2, side / 2, 10)
    wide = region.sum() > area * 0.01
    form = form_shadow(region, look, side) if wide else empty
    if black:
        return empty, empty, empty, form
    inside = lum[region]
    lo, lit_level, hi = np.percentile(inside, [20, 70, 80])
    below = float(lit_level) - max(8.0, 0.6 * float(hi - lo)) - look.shadow_bias
    dark = big_parts(region & clean(lum < below, side / 70), area * 0.004)
    dark |= _islands(region & ~(dark | form), region, area * 0.004)  # lit specks in a shadow
    deep = big_parts(dark & clean(lum < below - 12, side / 70), area * 0.004)
    lit = form_shadow(region, replace(look, light=-look.light), side, 0.4) if wide else empty
    return dark, deep, lit & ~dark & ~form, form


def _islands(pieces: np.ndarray, region: np.ndarray, max_area: float) -> np.ndarray:
    """The parts of ``pieces`` under ``max_area`` pixels that do not reach the edge of
    ``region``: holes inside a shape, which a painter fills."""
    if not pieces.any():
        return pieces
    _count, comp, stats, _ = cv2.connectedComponentsWithStats(pieces.astype(np.uint8), 4)
    edge = region & ~cv2.erode(region.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    small = stats[:, cv2.CC_STAT_AREA] < max_area
    small[0] = False
    small[np.unique(comp[edge & pieces])] = False
    return small[comp]


def paint_held(
    canvas: np.ndarray,
    lab: np.ndarray,
    held: np.ndarray,
    look: Look,
    style: ToonParams,
    shading: DrawParams,
    seed: int,
) -> np.ndarray:
    """The held object in at most three flat tones of its own (a camera's body, its
    lens, its viewfinder), its shadow on the side away from the key light.
    Returns each pixel's shape (-1 outside), for the outlines."""
    side = max(held.shape)
    # Its parts kept (a lens, a viewfinder) as a few shapes with straight sides: a
    # finer cut than the clothes', but no crumbs (a white blob is a smeared object).
    labels, centres = regions(
        lab, held, 3, seed, side / 150, merge=12, min_area=side * side * 1.5e-3
    )
    _draw_pieces(labels, held, centres, [False] * len(centres), side)
    for i, centre in enumerate(centres):
        region = labels == i
        if not region.any():
            continue
        # Never paper white: a light camera's body is a light grey under its outline
        # (white, its straight-sided pieces read as a glare, not a thing).
        body = np.array([min(float(centre[0]), 86.0), centre[1], centre[2]], np.float32)
        base = anime_tone(to_rgb(body), 4, style.saturation * look.saturation)
        fill(canvas, region, base)
        shadow = shade(base, 0.3, shading.shadow_tint)
        fill(canvas, region & form_shadow(region, look, side, 0.6), shadow)
    return labels
