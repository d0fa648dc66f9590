"""Painting the photo's regions flat: background, clothes, skin and hair in two or three
cel tones each, and the clean, even line art around them (NumPy and OpenCV)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from sakuga.engines.draw.svg import RGB, light, line_of, mix, shade
from sakuga.engines.toon.sitting import Head, Sitting
from sakuga.spec.styles import DrawParams

Contour = np.ndarray  # (n, 2) float32 points in output pixels


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
        )


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
    lab: np.ndarray, mask: np.ndarray, k: int, seed: int, smooth: float, merge: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Flat colour regions inside ``mask``: a label per pixel (-1 outside) and the Lab
    centre of each label, by k-means (centres closer than ``merge`` ΔE become one),
    with ragged borders smoothed (a mode filter)."""
    labels = np.full(mask.shape, -1, np.int32)
    pts = lab[mask]
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
    if smooth > 0:
        scores = np.stack([blur((labels == i).astype(np.float32), smooth) for i in range(k)])
        labels[mask] = scores.argmax(axis=0)[mask]
    return labels, centres.astype(np.float32)


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
) -> None:
    """Paint ``mask`` in a base tone, a shadow tone below luminance ``dark`` and a lit
    tone above ``bright``, with the shadow's edge smoothed to a clean shape."""
    base, shadow, lit = tones
    fill(canvas, mask, base)
    fill(canvas, mask & clean(lum < dark, sigma), shadow)
    if lit is not None and bright is not None:
        fill(canvas, mask & clean(lum > bright, sigma), lit)


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
    small_f = min(1.0, (420 if subject else 300) / side)
    small = cv2.resize(sitting.work, None, fx=small_f, fy=small_f, interpolation=cv2.INTER_AREA)
    if not mask.all():
        # The person's place filled from the background around it, so no halo of the
        # person's colours is left along their outline.
        half = cv2.resize(small, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        hole = cv2.resize((~mask).astype(np.uint8), (half.shape[1], half.shape[0]))
        hole = cv2.dilate(hole, np.ones((3, 3), np.uint8))
        filled = cv2.inpaint(half, hole, 3, cv2.INPAINT_TELEA)
        hole_full = cv2.resize(hole, (small.shape[1], small.shape[0])).astype(bool)
        small = small.copy()
        small[hole_full] = cv2.resize(filled, (small.shape[1], small.shape[0]))[hole_full]
    shifted = cv2.pyrMeanShiftFiltering(small, 6 if subject else 8, 16 if subject else 20)
    simple = cv2.resize(shifted, (mask.shape[1], mask.shape[0]), interpolation=cv2.INTER_LINEAR)
    lab = cv2.cvtColor(simple.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    if subject:
        labels, centres = regions(lab, mask, 9, seed, side / 220, merge=7)
    else:
        labels, centres = regions(lab, mask, 7, seed, side / 90, merge=11)
    lum = blur(lab[..., 0], side / 60)
    for i, centre in enumerate(centres):
        region = labels == i
        base = anime_tone(to_rgb(centre), 6, style_sat * look.saturation, look.hue)
        cel(canvas, region, lum, (base, shade(base, 0.16), None), centre[0] - 9, None, side / 150)
    if not subject or len(centres) == 0:
        return labels, list(range(len(centres)))
    dark = float(np.percentile(centres[:, 0], 30))
    return labels, [i for i, c in enumerate(centres) if c[0] <= dark]


def paint_body(
    sitting: Sitting,
    canvas: np.ndarray,
    mask: np.ndarray,
    look: Look,
    style_sat: float,
    shading: DrawParams,
    seed: int,
) -> np.ndarray:
    """Clothes, neck and hands: flat colour regions in two tones; skin-coloured regions
    take the face's skin tones, so neck, ears and hands match the face."""
    side = max(mask.shape)
    labels, centres = regions(sitting.lab, mask, 6, seed, side / 170, merge=8)
    lum = blur(sitting.lab[..., 0], side / 90)
    skins = [to_lab(h.skin) for h in sitting.heads]
    for i, centre in enumerate(centres):
        region = labels == i
        near = [
            h for h, s in zip(sitting.heads, skins, strict=True) if np.linalg.norm(centre - s) < 14
        ]
        if near:
            base = skin_tone(near[0], look)
            shadow = shade(base, 0.22 * depth(shading), shading.shadow_tint)
        else:
            base = anime_tone(to_rgb(centre), 3, style_sat * look.saturation)
            shadow = shade(base, 0.3 * depth(shading), shading.shadow_tint)
        cel(
            canvas,
            region,
            lum,
            (base, shadow, None),
            centre[0] - 7 - look.shadow_bias,
            None,
            side / 200,
        )
    return labels


def skin_tone(head: Head, look: Look) -> RGB:
    return anime_tone(head.skin, 6, 0.95)


def paint_skin(
    sitting: Sitting, canvas: np.ndarray, head: Head, look: Look, shading: DrawParams
) -> np.ndarray:
    """The face in two flat tones and blush; returns the face mask painted."""
    f = sitting.factor
    h, w = canvas.shape[:2]
    face = np.zeros((h, w), np.uint8)
    cv2.fillPoly(face, [np.round(head.oval * f).astype(np.int32)], 1)
    mask = face.astype(bool)
    fw = head.face.width * f
    fh = head.face.height * f
    base = skin_tone(head, look)
    shadow = shade(base, 0.2 * depth(shading), shading.shadow_tint)
    lum = blur(sitting.lab[..., 0], max(1.0, fw / 9))
    inside = lum[mask]
    dark = float(np.median(inside) - np.std(inside) * 1.1 + look.shadow_bias) if inside.size else 0
    cel(canvas, mask, lum, (base, shadow, None), dark, None, fw / 40)
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
    fill(canvas, neck, base)
    fill(canvas, neck & below.astype(bool), shade(base, 0.2 * depth(shading), shading.shadow_tint))
    return mask


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
    sitting: Sitting, canvas: np.ndarray, look: Look, shading: DrawParams
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
        lum = blur(sitting.lab[..., 0], max(1.0, fw / 6))
        inside = lum[mask]
        cel(
            canvas, mask, lum, (base, shadow, None), float(np.percentile(inside, 38)), None, fw / 45
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
        ring &= (ys < cy - ry * 0.25) & mask
        fill(canvas, clean(ring, fw / 80), lit)
        out.append((head, mask))
    return out


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


def jaw_line(head: Head) -> Contour:
    """The drawn face's outline from ear to ear under the chin (the hair hides the rest)."""
    oval = head.oval
    n = len(oval)
    # FACE_OVAL runs clockwise from the forehead: indices 8 (right cheek) .. 28 (left cheek).
    return np.vstack([oval[i % n] for i in range(7, 30)]).astype(np.float32)


def line_colours(head: Head, ink_rgb: RGB, look: Look, shading: DrawParams) -> tuple[RGB, RGB]:
    """Coloured line art: hair lines from the hair's colour, skin lines from the skin's."""
    base, _, _ = hair_tones(head, look, shading)
    return line_of(base, ink_rgb), mix(line_of(skin_tone(head, look), ink_rgb), ink_rgb, 0.2)
