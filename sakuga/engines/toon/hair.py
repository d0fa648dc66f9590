"""A head's hair and hat, read off the photo: the masks of hair, hat and face beside the
segmenter's outline, the hair's colour under a hat (white and grey as silver), and its
locks at the ends and the fringe."""

from __future__ import annotations

from typing import Final, NamedTuple

import cv2
import numpy as np

from sakuga.engines.draw.svg import RGB
from sakuga.engines.toon.grey import is_skinlike, lab_rgb, rgb_lab
from sakuga.engines.toon.looks import median_colour, skin_colour
from sakuga.engines.toon.tones import kmeans
from sakuga.imaging.rig import CHIN, FACE_OVAL, FOREHEAD, FaceRig


class HeadMasks(NamedTuple):
    """What `head_masks` reads of one head, at work size."""

    face: np.ndarray  # bool: the face (its eased outline)
    hair: np.ndarray  # bool
    skin: RGB
    hair_rgb: RGB
    hat_rgb: RGB | None  # None: no hat
    hat: np.ndarray  # bool: the hat (empty without one), painted at its own scale


def head_masks(
    face: FaceRig,
    oval: np.ndarray,
    lab: np.ndarray,
    rgb: np.ndarray,
    person: np.ndarray,
    f: float,
    front: np.ndarray | None = None,
) -> HeadMasks:
    """Face, hair and hat masks at work size (factor ``f``) and the skin, hair and hat
    colours. ``front``: where no hair is (before a profile's face)."""
    h, w = person.shape
    face_mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(face_mask, [np.round(oval * f).astype(np.int32)], 1)
    raw = np.zeros((h, w), np.uint8)
    cv2.fillPoly(raw, [np.round(face.at(FACE_OVAL) * f).astype(np.int32)], 1)
    fw, fh = face.width * f, face.height * f
    top = face.points[FOREHEAD] * f
    chin = face.points[CHIN] * f
    cx = float((face.points[234][0] + face.points[454][0]) / 2 * f)

    skin = skin_colour(rgb, lab, face, f) or (230, 190, 170)

    # Hair: person pixels around the head close to the hair's colour, sampled just
    # above the forehead; everything above the forehead inside the head counts.
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    head_cy = (top[1] + chin[1]) / 2 - fh * 0.15
    ellipse = ((xs - cx) / (fw * 1.05)) ** 2 + ((ys - head_cy) / (fh * 0.95)) ** 2
    head = (ellipse < 1) & person
    band = (
        head & (ys < top[1] + fh * 0.02) & (ys > top[1] - fh * 0.3) & (np.abs(xs - cx) < fw * 0.35)
    )
    sample = lab[band & ~raw.astype(bool)]
    if len(sample) < 12:
        sample = lab[head & ~raw.astype(bool)]
    skin_lab = rgb_lab(skin)
    hat_rgb = None
    hat = np.zeros((h, w), bool)
    if len(sample) >= 12:
        hair_lab = np.median(sample, axis=0)
        spread = float(np.median(np.linalg.norm(sample - hair_lab, axis=1)))
        limit = float(np.clip(spread * 2.4, 14, 32))
        near_hair = np.linalg.norm(lab - hair_lab, axis=2) < limit
        near_skin = np.linalg.norm(lab - skin_lab, axis=2) < np.linalg.norm(lab - hair_lab, axis=2)
        # Around the head, above the mouth, everything of the person that is neither
        # face nor skin is hair (however its light falls); below, only hair-coloured
        # pixels are (long hair), and never the neck under the chin.
        mouth_y = face.points[14][1] * f
        upper = head & (ys < mouth_y) & ~near_skin
        long_zone = (np.abs(xs - cx) < fw * 1.15) & (ys < chin[1] + fh * 1.3) & person
        neck = (np.abs(xs - cx) < fw * 0.42) & (ys > chin[1] - fh * 0.15)
        crown = person & (np.abs(xs - cx) < fw * 1.1)
        cap = crown & ((ys < top[1] - fh * 0.08) | ((ys < top[1]) & ~near_skin))
        lower = long_zone & near_hair & ~near_skin & ~neck
        # Long hair frames the face: hair-coloured beside the cheeks at the mouth's
        # height. Without it (short hair, ears showing), what is hair-coloured below
        # is clothes (a black coat under black hair), not hair.
        band = (np.abs(ys - mouth_y) < fh * 0.12) & ~raw.astype(bool)
        sides = band & (np.abs(xs - cx) > fw * 0.45) & (np.abs(xs - cx) < fw * 0.75) & person
        # And hair the colour of the clothes below cannot be told from them: kept short.
        body = person & (ys > chin[1] + fh * 0.6)
        like_body = body.any() and bool(
            np.linalg.norm(np.median(lab[body], axis=0) - hair_lab) < 12
        )
        if like_body or not sides.any() or (near_hair & ~near_skin)[sides].mean() < 0.35:
            lower = np.zeros_like(lower)
        hair = (cap | upper | lower) & ~face_mask.astype(bool)
        if front is not None:  # (before the colour is read: a camera's black is no hair)
            hair &= ~front
        # Fringes over the forehead: inside the face outline, above the brows, hair-coloured.
        brow_y = min(face.points[105][1], face.points[334][1]) * f
        fringe = raw.astype(bool) & (ys < brow_y) & near_hair & ~near_skin
        hair |= fringe
        worn = _hat(lab, person & ~face_mask.astype(bool), face, f, hair_lab, skin_lab)
        beside = None
        if worn is not None:
            # A hat: what is above its brim is the hat (painted as clothes are, its band
            # and emblem as their own shapes); the hair is what shows below it, in the
            # hair's own colour (white hair under a navy cap stays white).
            hat, side_lab = worn
            hat_rgb = median_colour(rgb, hat)
            hair_lab = side_lab
            skinlike = (np.linalg.norm(lab[..., 1:] - skin_lab[1:], axis=2) < 12) & (
                lab[..., 0] > skin_lab[0] - 35
            )
            unlike_hat = np.linalg.norm(lab - hat_lab(lab, hat), axis=2) > HAT_CONTRAST * 0.6
            around = (head & (ys < mouth_y)) | lower
            hair = around & ~hat & ~skinlike & unlike_hat & ~face_mask.astype(bool)
            beside = _hair_beside(lab, face, f, raw.astype(bool), hat, skinlike, skin_lab)
            if beside is not None:
                # The strip of hair the hat leaves beside the face, read past the
                # person's outline too: white hair against a pale wall falls outside it.
                strip, strip_lab = beside
                hair = (hair & (np.linalg.norm(lab - strip_lab, axis=2) < 20)) | strip
                # Drawn as a tuft at each temple, as anime draws hair under a cap, not
                # the photo's stray wisps: the strip closed and a little fuller.
                k = max(3, round(fw * 0.05)) | 1
                tuft = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
                hair = cv2.dilate(
                    cv2.morphologyEx(hair.astype(np.uint8), cv2.MORPH_CLOSE, tuft), tuft
                ).astype(bool)
                hair &= ~face_mask.astype(bool) & ~hat
                hair_lab = strip_lab
            cap = hair
        # (Under a hat only wisps show: tidied at their own small scale.)
        hair = tidy(hair, fw if worn is None else fw / 3, seed=cap)
        hair = _fringe_clumps(hair, face, raw.astype(bool), f)
        if worn is None:
            hair |= _end_clumps(hair, face_mask.astype(bool), face, f)
        # Under a hat only the hair's edges show, half in the hat's shadow: its lit half.
        lit = (
            hair
            if worn is None or not hair.any()
            else hair & (lab[..., 0] >= np.median(lab[..., 0][hair]))
        )
        hair_rgb = median_colour(rgb, lit) or (60, 45, 40)
        if worn is not None and beside is not None:
            hair_rgb = lab_rgb(beside[1])
        elif worn is not None and is_skinlike(hair_rgb, skin_lab):
            # What shows under the hat is ears and the skin's edge, not hair (the hair
            # itself fell outside the person's outline): none drawn — skin-coloured
            # "hair" reads as ear muffs. Its colour is the one beside the temples.
            hair = np.zeros_like(hair)
            hair_rgb = lab_rgb(worn[1])
    else:
        hair = np.zeros((h, w), bool)
        hair_rgb = (60, 45, 40)
    if front is not None:
        hair &= ~front
    return HeadMasks(face_mask.astype(bool), hair, skin, _silver(hair_rgb, skin_lab), hat_rgb, hat)


#: Hair this light (Lab L) and this much less colourful than the skin beside it (its
#: chroma on the skin's) is white or grey hair in the photo's warm or cool light.
SILVER_L: Final = 55.0


SILVER_CHROMA: Final = 0.6


def _silver(hair: RGB, skin_lab: np.ndarray) -> RGB:
    """White or grey hair drawn as anime draws it, silver: the photo's colour cast taken
    out of it (a third of its chroma kept), a little lighter. Other hair as read."""
    L, a, b = (float(v) for v in rgb_lab(hair))
    skin_chroma = float(np.hypot(skin_lab[1], skin_lab[2]))
    if L < SILVER_L or np.hypot(a, b) >= SILVER_CHROMA * max(skin_chroma, 10.0):
        return hair
    return lab_rgb(np.array([min(92.0, L + 6), a / 3, b / 3 - 1.5], np.float32))


#: How far (ΔE) the colour above the forehead must be from the hair beside the temples
#: for it to be a hat, not the hair's own lit crown.
HAT_CONTRAST: Final = 30.0


def _hat(
    lab: np.ndarray,
    person: np.ndarray,
    face: FaceRig,
    f: float,
    crown_lab: np.ndarray,
    skin_lab: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """A hat on the head, with the hair's colour under it — or None (bare hair).

    A hat is read where the crown (the colour just above the forehead) is far from the
    hair that shows beside the temples, and that side hair is one colour: the hat is
    everything of the person above its brim (the lowest row of crown colour over the
    forehead's middle), whatever its colours; returns it and the side hair's Lab."""
    h, w = person.shape
    fw, fh = face.width * f, face.height * f
    top_y = float(face.points[FOREHEAD][1] * f)
    cx = float((face.points[234][0] + face.points[454][0]) / 2 * f)
    brow_y = float(min(face.points[105][1], face.points[334][1]) * f)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    off = np.abs(xs - cx)
    eyes_y = float(face.eyes[1] * f)
    zone = person & (off > fw * 0.4) & (off < fw * 0.8) & (ys > brow_y) & (ys < eyes_y + fh * 0.2)
    # Skin in light or shadow keeps its hue: compared on a and b, and not much darker.
    skinlike = (np.linalg.norm(lab[..., 1:] - skin_lab[1:], axis=2) < 12) & (
        lab[..., 0] > skin_lab[0] - 35
    )
    other = ~skinlike & (np.linalg.norm(lab - crown_lab, axis=2) > HAT_CONTRAST)
    temples = zone & other
    if abs(face.turn) > 0.4:
        return None  # a turned head shows one temple, half of it the back of the head
    if temples.sum() < max(12.0, zone.sum() * 0.2):
        return None  # beside the temples only skin or the crown's colour: no hat seen
    for side in (xs < cx, xs >= cx):  # and hair shows beside both temples under a hat
        if (temples & side).sum() < max(6.0, (zone & side).sum() * 0.08):
            return None
    side = lab[temples].astype(np.float32)
    # The side's main colour (glasses' arms and shadow beside it are the lesser one).
    labels, centres = kmeans(side, 2)
    counts = np.bincount(labels.ravel(), minlength=2)
    share = counts / len(side)
    # The hair is the lighter colour when both are large (a glasses' arm and the hair's
    # shadow are the darker one), else the main one.
    lighter = int(np.argmax(centres[:, 0]))
    side_lab = centres[lighter] if share[lighter] >= 0.3 else centres[int(np.argmax(counts))]
    # Hair in shadow beside its lit crown is darker and of the same hue: no hat. A hat
    # is of another hue, or darker than the hair it covers (white hair under a cap).
    above = float(side_lab[0] - crown_lab[0])
    hue_apart = float(np.linalg.norm(side_lab[1:] - crown_lab[1:]))
    if above < 20 and hue_apart < 25:
        return None
    crown = person & (off < fw * 0.25) & (ys < top_y + fh * 0.1)
    crown &= np.linalg.norm(lab - crown_lab, axis=2) < 22
    if not crown.any():
        return None
    brim = float(ys[crown].max())
    hat = person & (ys <= brim) & (off < fw * 1.2)
    return hat, side_lab.astype(np.float32)


#: How far (Lab a, b) from the skin's hue the hair beside a hat is read: nearer, it is
#: the skin's own edge (an ear's rim) mixed with the hair.
HAIR_FROM_SKIN: Final = 16.0


#: Under a hat the hair shows as a strip hugging the face's sides, looked for this far
#: out from the face's outline (on the face's width) and grown to `HAIR_REACH`.
HAIR_STRIP: Final = 0.14


HAIR_REACH: Final = 0.24


def _hair_beside(
    lab: np.ndarray,
    face: FaceRig,
    f: float,
    raw: np.ndarray,
    hat: np.ndarray,
    skinlike: np.ndarray,
    skin_lab: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The hair a hat leaves showing beside the face, and its colour (Lab) — or None.

    Read from the photo, not the person's outline (a segmenter cuts white hair off
    against a pale wall): the strip just outside the face, below the brim and above the
    mouth, less skin (the ears) and the hat's own colour. Of its two main colours the
    hair is the one that hugs the face (the other is the wall behind), and it must be
    seen on both sides and differ from the wall further out."""
    h, w = raw.shape
    fw, fh = face.width * f, face.height * f
    if not hat.any():
        return None
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx = float((face.points[234][0] + face.points[454][0]) / 2 * f)
    brim = float(ys[hat].max())
    mouth_y = float(face.points[14][1] * f)
    out = cv2.distanceTransform((~raw).astype(np.uint8), cv2.DIST_L2, 5)
    rows = (ys > brim) & (ys < mouth_y)
    unlike_hat = np.linalg.norm(lab - hat_lab(lab, hat), axis=2) > HAT_CONTRAST * 0.6
    strip = rows & (out > 0) & (out < fw * HAIR_STRIP) & ~hat & ~skinlike & unlike_hat
    wall = rows & (out > fw * 0.35) & (out < fw * 0.6) & ~hat
    sides = (xs < cx, xs >= cx)
    for side in sides:  # the wall behind, seen between the hair's strands: not hair
        if (wall & side).sum() >= 12:
            behind = np.median(lab[wall & side], axis=0)
            strip &= ~(side & (np.linalg.norm(lab - behind, axis=2) < 15))
    if strip.sum() < 24:
        return None
    pixels = lab[strip].astype(np.float32)
    k = 3 if len(pixels) >= 60 else 2
    labels, centres = kmeans(pixels, k)
    share = np.bincount(labels.ravel(), minlength=k) / len(pixels)
    # The hair is the lightest of the strip's main colours that is not the skin's edge
    # (its hue, a little off: an ear's rim) — the face's shadowed edge and a glasses'
    # arm are darker; with none such, the main one.
    apart = np.linalg.norm(centres[:, 1:] - skin_lab[1:], axis=1) >= HAIR_FROM_SKIN
    candidates = [i for i in range(k) if share[i] >= 0.15 and apart[i]]
    if candidates:
        hair_lab = centres[max(candidates, key=lambda i: centres[i, 0])]
    else:
        hair_lab = centres[int(np.argmax(share))]
    hair = strip & (np.linalg.norm(lab - hair_lab, axis=2) < 16)
    for side in sides:
        if (hair & side).sum() < max(6.0, (strip & side).sum() * 0.15):
            return None  # hair under a hat shows on both sides
    grown = (
        (ys > brim - fh * 0.05)
        & (ys < mouth_y + fh * 0.1)
        & (out > 0)
        & (out < fw * HAIR_REACH)
        & ~hat
        & ~skinlike
        & (np.linalg.norm(lab - hair_lab, axis=2) < 18)
    )
    count, comps = cv2.connectedComponents(grown.astype(np.uint8), connectivity=8)
    keep = np.zeros(count, bool)
    keep[np.unique(comps[hair])] = True
    keep[0] = False
    # All of the strip is hair, however the hat's shadow falls on it (as the hair around
    # a bare head is); its colour is its lit part's.
    return keep[comps] | strip, hair_lab.astype(np.float32)


def hat_lab(lab: np.ndarray, hat: np.ndarray) -> np.ndarray:
    """A hat's main colour (Lab): the median of its pixels."""
    return np.median(lab[hat], axis=0) if hat.any() else np.zeros(3, np.float32)


def _end_clumps(hair: np.ndarray, face: np.ndarray, rig: FaceRig, f: float) -> np.ndarray:
    """Pointed locks along the hair's lower outer edge, as anime draws a bob's or long
    hair's ends: a tip every quarter of the face's width, pointing outwards (away from
    the head's centre), below the eyes and never over the face. Returns the tips."""
    h, w = hair.shape
    fw = rig.width * f
    eyes_y = float(rig.eyes[1] * f)
    centre = np.array(
        [(rig.points[234][0] + rig.points[454][0]) / 2 * f, eyes_y - rig.height * f * 0.15],
        np.float32,
    )
    contours, _ = cv2.findContours(hair.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    tips = np.zeros((h, w), np.uint8)
    period, length = fw / 4.0, fw * 0.11
    near_face = cv2.dilate(face.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    for contour in contours:
        pts = contour.reshape(-1, 2).astype(np.float32)
        if len(pts) < 8:
            continue
        steps = np.linalg.norm(np.diff(pts, axis=0, append=pts[:1]), axis=1)
        along = np.cumsum(steps)
        for mark in np.arange(period / 2, along[-1], period):
            i = int(np.searchsorted(along, mark))
            p = pts[min(i, len(pts) - 1)]
            x, y = int(p[0]), int(p[1])
            if y < eyes_y or near_face[min(y, h - 1), min(x, w - 1)]:
                continue
            out = p - centre
            norm = float(np.linalg.norm(out))
            if norm < 1:
                continue
            out /= norm
            across = np.array([-out[1], out[0]], np.float32)
            apex = p + out * length
            base = [p + across * period * 0.3 - out * 2, p - across * period * 0.3 - out * 2]
            triangle = np.round(np.array([apex, *base])).astype(np.int32)
            cv2.fillPoly(tips, [triangle], 1)
    return tips.astype(bool) & ~near_face


def _fringe_clumps(hair: np.ndarray, face: FaceRig, inside: np.ndarray, f: float) -> np.ndarray:
    """The fringe's lower edge over the forehead cut into pointed clumps, as anime bangs
    are drawn: where the hair comes down over the face, its edge becomes a row of tips
    (about five across the face) with notches between them, in the hair's own line."""
    h, w = hair.shape
    fw = face.width * f
    cx = float((face.points[234][0] + face.points[454][0]) / 2 * f)
    brow_y = min(face.points[105][1], face.points[334][1]) * f
    period = max(4.0, fw / 4.5)
    amp = fw * 0.08
    out = hair.copy()
    x0, x1 = int(max(0, cx - fw * 0.5)), int(min(w, cx + fw * 0.5))
    top = int(max(0, face.points[FOREHEAD][1] * f - fw * 0.3))
    bottom = int(min(h, brow_y + amp))
    for x in range(x0, x1):
        column = hair[top:bottom, x] & inside[top:bottom, x]
        if not column.any():
            continue
        edge = top + int(np.nonzero(column)[0].max())  # the fringe's lowest hair pixel
        if edge < brow_y - fw * 0.35:
            continue  # the forehead is bare here: no fringe to cut
        # A triangle wave: 0 at each clump's tip, 1 at the notch between two.
        t = (abs(((x - cx) / period + 0.5) % 1.0 - 0.5) * 2) ** 0.8
        # Tips never down over the brows: the brows carry the expression.
        new_edge = round(min(edge + amp * (1 - t) * 0.6, brow_y - fw * 0.1) - amp * t)
        if new_edge > edge:
            out[edge : new_edge + 1, x] |= inside[edge : new_edge + 1, x]
        else:
            out[new_edge + 1 : edge + 1, x] &= ~inside[new_edge + 1 : edge + 1, x]
    return out


def tidy(mask: np.ndarray, scale: float, seed: np.ndarray | None = None) -> np.ndarray:
    """A mask with holes closed, specks gone and a smooth outline, as a drawn shape has."""
    k = max(3, round(scale / 14)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    m = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    keep = np.zeros(count, bool)
    big = max(16, scale * scale * 0.02)
    for i in range(1, count):
        if stats[i, cv2.CC_STAT_AREA] < big:
            continue
        keep[i] = seed is None or bool(seed[labels == i].any())
    m = keep[labels].astype(np.float32)
    m = cv2.GaussianBlur(m, (0, 0), max(1.0, scale / 40))
    return m > 0.5
