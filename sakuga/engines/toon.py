"""The `toon` engine: photo → anime on a CPU, offline, in NumPy/OpenCV.

The pipeline, per photo (the analysis is shared by all ``n`` versions):

1. crop to the output's aspect around the faces (tight and square for avatars);
2. anime eyes: each eye is enlarged with a local bulge warp, before anything else;
3. edge-preserving smoothing on a working copy; skin inside each face flattened
   to two tones; the background (outside a subject prior built from the faces)
   softened more than the subject;
4. luminance split into flat bands (cel shading), lifted, with a tinted shadow band;
5. colour from the smoothed image, saturation and hue from style and seed;
6. XDoG line art from a smoothed grey (specks removed, weight from the style),
   lighter in the background, the nose reduced to a hint, heavier lash lines;
7. grading per style (split toning, contrast, pastel, glow, rim light), then
   catchlights in the eyes.

Each version draws its variation (bands, line weight, saturation, hue, grading)
from its seed, so the same seed gives identical pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

import cv2
import numpy as np
from PIL import Image

from sakuga.engines.base import (
    Engine,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    Task,
)
from sakuga.imaging.faces import Face, detect_faces, estimated_eyes
from sakuga.imaging.geometry import Box, crop_box_for_aspect, union_box
from sakuga.spec.styles import DEFAULT_STYLE, ToonParams, get_style
from sakuga.spec.uses import get_use

WORK_SIDE: Final = 448  # long side of the working copy for smoothing and colour
LINE_SIDE: Final = 2048  # line art is computed at most at this size, then scaled up
DETECT_SIDE: Final = 384  # faces are detected on a copy this size
EYE_ZOOM: Final = 1.45  # how much larger anime eyes are than the photo's
DRAWN_EYE: Final = 1.25  # drawn anime eye width, relative to the detected eye box
FACE_SHADING: Final = 0.6  # share of the photo's soft shading kept inside faces


@dataclass(frozen=True)
class _Prepared:
    """Per-photo analysis shared by every version."""

    photo: np.ndarray  # RGB uint8 at output size, eyes already enlarged
    faces: list[Face]  # in output coordinates
    lab: np.ndarray  # smoothed Lab float32 at working size
    skin: np.ndarray  # float32 weight of the face skin at working size
    subject: np.ndarray  # float32 subject prior at working size (1 = subject)
    dog: tuple[np.ndarray, np.ndarray, float]  # two blurs of the grey + sigma, at line size
    line_zones: np.ndarray  # float32 multiplier for line strength at line size
    hair: np.ndarray  # float32 hair weight at working size
    hair_ring: np.ndarray  # float32 weight of the hair's highlight band at working size
    drawn: tuple[Face, ...]  # faces whose eyes are redrawn as anime eyes
    eyes: tuple[tuple[Box, tuple[float, float, float], int], ...]  # (box, iris RGB 0–1, outer side)


def _to_rgb_array(image: Image.Image) -> np.ndarray:
    if image.mode == "RGBA":
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    return np.asarray(image.convert("RGB"))


def _avatar_focus(faces: list[Face], size: tuple[int, int]) -> Box | None:
    """A region around the faces with room for hair and shoulders."""
    box = union_box([f.box for f in faces])
    if box is None:
        return None
    w, h = box[2] - box[0], box[3] - box[1]
    return (
        max(0, round(box[0] - w * 0.6)),
        max(0, round(box[1] - h * 0.7)),
        min(size[0], round(box[2] + w * 0.6)),
        min(size[1], round(box[3] + h * 0.9)),
    )


def _map_box(b: Box, crop: Box, sx: float, sy: float) -> Box:
    return (
        round((b[0] - crop[0]) * sx),
        round((b[1] - crop[1]) * sy),
        round((b[2] - crop[0]) * sx),
        round((b[3] - crop[1]) * sy),
    )


def _eyes_of(face: Face) -> tuple[Box, ...]:
    return face.eyes if len(face.eyes) == 2 else estimated_eyes(face)


def _enlarge_eyes(photo: np.ndarray, faces: list[Face]) -> None:
    """Bulge-warp each human eye in place so it reads larger, as anime eyes do."""
    height, width = photo.shape[:2]
    for face in faces:
        if face.kind != "human" or face.width < 48:
            continue
        for x0, y0, x1, y1 in _eyes_of(face):
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            radius = max(x1 - x0, y1 - y0) * 0.75
            rx0, ry0 = max(0, int(cx - radius)), max(0, int(cy - radius))
            rx1, ry1 = min(width, int(cx + radius) + 1), min(height, int(cy + radius) + 1)
            if rx1 - rx0 < 4 or ry1 - ry0 < 4:
                continue
            ys, xs = np.mgrid[ry0:ry1, rx0:rx1].astype(np.float32)
            dx, dy = xs - cx, ys - cy
            r = np.sqrt(dx * dx + dy * dy) / radius
            # Sample closer to the centre near it (magnify), fading to identity at the rim.
            scale = np.where(r < 1, 1 - (1 - 1 / EYE_ZOOM) * (1 - r * r) ** 2, 1).astype(np.float32)
            roi = photo[ry0:ry1, rx0:rx1].copy()
            map_x = cx + dx * scale - rx0
            map_y = cy + dy * scale - ry0
            photo[ry0:ry1, rx0:rx1] = cv2.remap(
                roi, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
            )


def _face_ellipse(mask: np.ndarray, face: Face, factor: float) -> None:
    """The skin of a face: from below the hairline (a detector's box starts mid-forehead,
    where fringes often fall) to the chin."""
    fx0, fy0, fx1, fy1 = (v * factor for v in face.box)
    center = (round((fx0 + fx1) / 2), round(fy0 + (fy1 - fy0) * 0.6))
    axes = (max(1, round((fx1 - fx0) * 0.40)), max(1, round((fy1 - fy0) * 0.50)))
    cv2.ellipse(mask, center, axes, 0, 0, 360, 1.0, -1)


def _subject_prior(shape: tuple[int, int], faces: list[Face], factor: float) -> np.ndarray:
    """Where the subject probably is: head and hair, neck, shoulders and torso below each face.

    With no face the prior is a broad centred ellipse, so pets and objects keep
    their detail and only the frame's edges soften.
    """
    height, width = shape
    prior = np.zeros(shape, np.float32)
    if not faces:
        cv2.ellipse(
            prior,
            (width // 2, height // 2),
            (int(width * 0.42), int(height * 0.46)),
            0,
            0,
            360,
            1.0,
            -1,
        )
    for face in faces:
        x0, y0, x1, y1 = (v * factor for v in face.box)
        w, h = x1 - x0, y1 - y0
        cx = (x0 + x1) / 2
        # Head with hair.
        cv2.ellipse(
            prior,
            (round(cx), round(y0 + h * 0.45)),
            (round(w * 0.78), round(h * 0.85)),
            0,
            0,
            360,
            1.0,
            -1,
        )
        # Shoulders and torso: a trapezoid down to the bottom of the frame.
        torso = np.array(
            [
                (cx - w * 0.45, y1),
                (cx + w * 0.45, y1),
                (cx + w * 1.9, y1 + h * 1.1),
                (cx + w * 2.1, height),
                (cx - w * 2.1, height),
                (cx - w * 1.9, y1 + h * 1.1),
            ],
            np.int32,
        )
        cv2.fillPoly(prior, [torso], 1.0)
    feather = max(3, round(max(shape) / 25)) | 1
    return cv2.GaussianBlur(prior, (feather * 2 + 1, feather * 2 + 1), 0)


def _prepare(request: EngineRequest) -> _Prepared:
    assert request.image is not None
    rgb = _to_rgb_array(request.image)
    faces = detect_faces(rgb, max_side=DETECT_SIDE)
    out_w, out_h = request.output_size
    src_size = (rgb.shape[1], rgb.shape[0])
    use = get_use(request.spec.use) if request.spec.use else None
    if use is not None and use.name == "avatar" and faces:
        crop = crop_box_for_aspect(
            src_size, out_w / out_h, _avatar_focus(faces, src_size), zoom=4.0
        )
    else:
        crop = crop_box_for_aspect(src_size, out_w / out_h, union_box([f.box for f in faces]))
    region = rgb[crop[1] : crop[3], crop[0] : crop[2]]
    interp = cv2.INTER_AREA if region.shape[1] > out_w else cv2.INTER_CUBIC
    if region.shape[:2] == (out_h, out_w):
        photo = region.copy()  # the eye warp below writes into it
    else:
        photo = np.ascontiguousarray(cv2.resize(region, (out_w, out_h), interpolation=interp))
    sx, sy = out_w / (crop[2] - crop[0]), out_h / (crop[3] - crop[1])
    faces = [
        Face(
            _map_box(f.box, crop, sx, sy), tuple(_map_box(e, crop, sx, sy) for e in f.eyes), f.kind
        )
        for f in faces
        if crop[0] <= f.center[0] <= crop[2] and crop[1] <= f.center[1] <= crop[3]
    ]
    _enlarge_eyes(photo, faces)

    factor = min(1.0, WORK_SIDE / max(out_w, out_h))
    work_size = (max(8, round(out_w * factor)), max(8, round(out_h * factor)))
    work = cv2.resize(photo, work_size, interpolation=cv2.INTER_AREA)
    smooth = cv2.bilateralFilter(work, 9, 45, 7)
    smooth = cv2.bilateralFilter(smooth, 9, 45, 7)
    if not any(f.kind == "human" for f in faces):
        # Pets, objects, scenes: fur and foliage need mean shift to become flat shapes.
        side = max(work_size)
        small = cv2.resize(
            smooth,
            None,
            fx=min(1.0, 288 / side),
            fy=min(1.0, 288 / side),
            interpolation=cv2.INTER_AREA,
        )
        shifted = cv2.pyrMeanShiftFiltering(small, 9, 22)
        smooth = cv2.resize(shifted, work_size, interpolation=cv2.INTER_CUBIC)
        smooth = cv2.bilateralFilter(smooth, 7, 30, 5)
    skin = np.zeros(work.shape[:2], np.float32)
    for face in faces:
        if face.kind == "human":
            _face_ellipse(skin, face, factor)
    if skin.any():
        feather = max(3, round(max(work_size) / 70)) | 1
        skin = cv2.GaussianBlur(skin, (feather * 2 + 1, feather * 2 + 1), 0)
        soft = cv2.bilateralFilter(smooth, 11, 90, 11)
        smooth = (smooth * (1 - skin[..., None]) + soft * skin[..., None]).astype(np.uint8)
    subject = _subject_prior(work.shape[:2], faces, factor)
    lab = cv2.cvtColor(smooth.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)

    # Line art from a smoothed grey so fur, foliage and skin texture give no specks.
    # Upscaled photos keep their lines at the photo's own scale (then scaled up
    # smoothly): detail finer than the photo has cannot be drawn from it.
    native = min(1.0, (crop[2] - crop[0]) / out_w)
    line_factor = min(LINE_SIDE / max(out_w, out_h), max(native, 0.25))
    line_size = (max(8, round(out_w * line_factor)), max(8, round(out_h * line_factor)))
    gray = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)
    if line_size != (out_w, out_h):
        gray = cv2.resize(gray, line_size, interpolation=cv2.INTER_AREA)
    gray = cv2.bilateralFilter(gray, 7, 28, 5).astype(np.float32) / 255.0
    sigma = max(0.75, max(line_size) / 1024 * 1.15)
    blur1 = cv2.GaussianBlur(gray, (0, 0), sigma)
    blur2 = cv2.GaussianBlur(gray, (0, 0), sigma * 1.6)
    zones = cv2.resize(
        _line_zones(work_size, faces, factor, subject), line_size, interpolation=cv2.INTER_LINEAR
    )
    hair, ring = _hair_masks(lab, faces, factor, skin)
    drawn = tuple(_drawable(faces))
    # The first eye of a face is the one on the image's left: its outer corner is left.
    eyes = tuple(
        (box, _iris_colour(photo, box), -1 if side == 0 else 1)
        for face in drawn
        for side, box in enumerate(face.eyes)
    )
    return _Prepared(
        photo, faces, lab, skin, subject, (blur1, blur2, sigma), zones, hair, ring, drawn, eyes
    )


def _drawable(faces: list[Face]) -> list[Face]:
    """Faces whose two eyes were found well enough to draw anime eyes over them."""
    chosen = []
    for face in faces:
        if face.kind != "human" or face.width < 48 or len(face.eyes) != 2:
            continue
        (a0, a1, a2, a3), (b0, b1, b2, b3) = face.eyes
        wa, wb = a2 - a0, b2 - b0
        level = abs((a1 + a3) - (b1 + b3)) / 2 < face.height * 0.12
        similar = 0.6 < wa / max(wb, 1) < 1.66
        apart = (b0 + b2) / 2 - (a0 + a2) / 2 > face.width * 0.25
        if level and similar and apart:
            chosen.append(face)
    return chosen


def _iris_colour(photo: np.ndarray, eye: Box) -> tuple[float, float, float]:
    """The eye's iris colour from its darkest central pixels, made richer for anime."""
    x0, y0, x1, y1 = eye
    cx, cy, r = (x0 + x1) // 2, (y0 + y1) // 2, max(2, (x1 - x0) // 6)
    patch = photo[max(0, cy - r) : cy + r + 1, max(0, cx - r) : cx + r + 1].reshape(-1, 3)
    if patch.size == 0:
        return (0.35, 0.22, 0.15)
    lum = patch @ np.array([0.299, 0.587, 0.114])
    dark = patch[lum <= np.percentile(lum, 40)].mean(axis=0) / 255.0
    hsv = cv2.cvtColor(np.array([[dark]], np.float32), cv2.COLOR_RGB2HSV)[0, 0]
    hsv[1] = min(1.0, max(0.45, hsv[1] * 1.6))
    hsv[2] = min(0.55, max(0.32, hsv[2] * 1.4))
    rgb = cv2.cvtColor(np.array([[hsv]], np.float32), cv2.COLOR_HSV2RGB)[0, 0]
    return (float(rgb[0]), float(rgb[1]), float(rgb[2]))


def _hair_masks(
    lab: np.ndarray, faces: list[Face], factor: float, skin: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where the hair is (head region, outside the skin, near the hair's colour) and
    the band across it where anime hair gets its highlight."""
    height, width = lab.shape[:2]
    hair = np.zeros((height, width), np.float32)
    ring = np.zeros((height, width), np.float32)
    for face in faces:
        if face.kind != "human":
            continue
        x0, y0, x1, y1 = (v * factor for v in face.box)
        w, h = x1 - x0, y1 - y0
        cx = (x0 + x1) / 2
        sample = lab[
            max(0, round(y0 - h * 0.14)) : max(1, round(y0 + h * 0.02)),
            max(0, round(cx - w * 0.25)) : round(cx + w * 0.25),
        ].reshape(-1, 3)
        if sample.shape[0] < 4:
            continue
        colour = np.median(sample, axis=0)
        # Lightness counts less: highlights and shadows in the hair are still hair.
        distance = np.sqrt(((lab - colour) ** 2 * np.array([0.25, 1.0, 1.0])).sum(axis=2))
        head = np.zeros((height, width), np.uint8)
        center = (round(cx), round(y0 + h * 0.42))
        cv2.ellipse(head, center, (round(w * 0.85), round(h * 0.95)), 0, 0, 360, 1, -1)
        near = (distance < 20).astype(np.uint8) * head
        near[skin > 0.35] = 0
        k = max(3, round(w / 14)) | 1
        near = cv2.morphologyEx(near, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
        near = cv2.morphologyEx(near, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
        hair = np.maximum(hair, near.astype(np.float32))
        band = np.zeros((height, width), np.float32)
        thickness = max(2, round(h * 0.08))
        cv2.ellipse(
            band,
            center,
            (round(w * 0.58), round(h * 0.78)),
            0,
            205,
            335,
            1.0,
            thickness,
            cv2.LINE_AA,
        )
        ring = np.maximum(ring, band * near)
    if hair.any():
        hair = cv2.GaussianBlur(hair, (5, 5), 0)
        ring = cv2.GaussianBlur(ring, (0, 0), max(1.0, width / 300))
    return hair, ring


def _line_zones(
    size: tuple[int, int], faces: list[Face], factor: float, subject: np.ndarray
) -> np.ndarray:
    """Line strength by place (at working size): lighter in the background, a hint of a nose."""
    width, height = size
    zones = 0.45 + 0.55 * subject
    for face in faces:
        if face.kind != "human":
            continue
        x0, y0, x1, y1 = (v * factor for v in face.box)
        w, h = x1 - x0, y1 - y0
        # The nose: anime draws at most a small mark; damp the photo's nostril and cheek lines.
        nose = np.zeros((height, width), np.float32)
        cv2.ellipse(
            nose,
            (round((x0 + x1) / 2), round(y0 + h * 0.60)),
            (round(w * 0.17), round(h * 0.13)),
            0,
            0,
            360,
            1.0,
            -1,
        )
        cheeks = np.zeros((height, width), np.float32)
        for side in (0.22, 0.78):
            cv2.ellipse(
                cheeks,
                (round(x0 + w * side), round(y0 + h * 0.66)),
                (round(w * 0.13), round(h * 0.14)),
                0,
                0,
                360,
                1.0,
                -1,
            )
        # Teeth: the gaps between them would draw a zipper; keep the lips' outline.
        teeth = np.zeros((height, width), np.float32)
        mouth_c = (round((x0 + x1) / 2), round(y0 + h * 0.80))
        cv2.ellipse(teeth, mouth_c, (round(w * 0.16), round(h * 0.045)), 0, 0, 360, 1.0, -1)
        damp = cv2.GaussianBlur(
            np.maximum(np.maximum(nose, cheeks), teeth), (0, 0), max(1.0, w / 30)
        )
        zones *= 1 - 0.75 * damp
    return zones.astype(np.float32)


VARIATION_SPREAD: Final = 0.75  # how far versions stray from the style's parameters


def _vary(params: ToonParams, seed: int) -> tuple[ToonParams, float]:
    """The style's parameters jittered by ``seed`` alone, so a re-run of any version
    (its seed, n=1) gives the same pixels as it had in its batch."""
    rng = np.random.default_rng(seed)
    spread = VARIATION_SPREAD
    hue = float(rng.uniform(-16, 16)) * spread
    bands = int(np.clip(params.bands + rng.integers(-1, 2), 3, 6))
    return (
        replace(
            params,
            bands=bands,
            saturation=params.saturation * float(rng.uniform(0.88, 1.15) ** spread),
            line_weight=params.line_weight * float(rng.uniform(0.75, 1.3) ** spread),
            grade_amount=max(0.0, params.grade_amount + float(rng.uniform(-0.08, 0.12)) * spread),
            contrast=params.contrast * float(rng.uniform(0.94, 1.08) ** spread),
        ),
        hue,
    )


def _cel_colour(prep: _Prepared, params: ToonParams, hue_deg: float, seed: int) -> np.ndarray:
    """Flat-banded colour at working size, as RGB float32 in [0, 1]."""
    lab = prep.lab
    light = cv2.GaussianBlur(lab[..., 0], (0, 0), 1.2)
    rng = np.random.default_rng(seed + 7919)
    qs = np.linspace(0, 100, params.bands + 1)[1:-1]
    qs = np.clip(qs + rng.uniform(-4, 4, size=qs.shape), 1, 99)
    thresholds = np.percentile(light, qs)
    labels = np.digitize(light, thresholds).astype(np.uint8)
    # Skin: two tones only, split at the face's own median so the face stays readable.
    if prep.skin.any():
        inside = prep.skin > 0.5
        if inside.any():
            split = float(np.median(light[inside]))
            top = params.bands - 1
            skin_labels = np.where(light >= split - 6, top, max(0, top - 1)).astype(np.uint8)
            labels = np.where(inside, skin_labels, labels).astype(np.uint8)
    labels = cv2.medianBlur(labels, 5)
    labels = cv2.medianBlur(labels, 5)
    counts = np.bincount(labels.ravel(), minlength=params.bands).astype(np.float32)
    sums = np.bincount(labels.ravel(), weights=light.ravel(), minlength=params.bands)
    means = np.where(counts > 0, sums / np.maximum(counts, 1), 50.0).astype(np.float32)
    # Lift the bands: anime shading is brighter and flatter than the photo. Without a
    # face, levels first, so a flat mid-grey pet or scene still gets a full range;
    # portraits keep their exposure, which the face's likeness depends on.
    low, high = np.percentile(light, (2, 98))
    if prep.skin.any() or high - low < 10:  # portraits, and near-uniform images
        lifted = means * 0.74 + 27
    else:
        lifted = (means - low) / float(high - low) * 100 * 0.74 + 24
    lifted = np.clip(lifted + params.brightness * 100, 0, 100).astype(np.float32)
    flat_l = cv2.GaussianBlur(lifted[labels], (3, 3), 0)
    if prep.skin.any():
        # Keep a little of the face's own soft shading over its two tones: flat enough
        # to read as cel shading, structured enough to stay the same person.
        shaded = np.clip(light * 0.74 + 27 + params.brightness * 100, 0, 100)
        weight = prep.skin * FACE_SHADING
        flat_l = flat_l * (1 - weight) + shaded * weight
    a, b = lab[..., 1], lab[..., 2]
    # Versions shift the palette, but skin keeps its hue: a tinted face reads as
    # someone else (and face detectors agree).
    angle = np.deg2rad(hue_deg) * (1 - prep.skin)
    a2 = (a * np.cos(angle) - b * np.sin(angle)) * params.saturation
    b2 = (a * np.sin(angle) + b * np.cos(angle)) * params.saturation
    shadow = cv2.GaussianBlur((labels == 0).astype(np.float32), (5, 5), 0)
    tint = cv2.cvtColor(np.array([[params.shadow_tint]], np.float32) / 255.0, cv2.COLOR_RGB2Lab)[
        0, 0
    ]
    a2 = a2 * (1 - 0.4 * shadow) + tint[1] * 0.4 * shadow
    b2 = b2 * (1 - 0.4 * shadow) + tint[2] * 0.4 * shadow
    if prep.hair.any():
        # Hair: two tones split at its median, plus the highlight band across the crown.
        inside = prep.hair > 0.5
        median = float(np.median(light[inside])) if inside.any() else 40.0
        base = min(100.0, median * 0.8 + 22 + params.brightness * 100)
        tones = np.where(light >= median, base, base - 14).astype(np.float32)
        tones = cv2.GaussianBlur(tones, (3, 3), 0)
        flat_l = flat_l * (1 - prep.hair) + tones * prep.hair
        flat_l = np.minimum(100, flat_l + prep.hair_ring * 26)
    out = cv2.cvtColor(np.dstack([flat_l, a2, b2]).astype(np.float32), cv2.COLOR_Lab2RGB)
    # Background: painted, softer than the subject.
    side = max(out.shape[:2])
    soft = cv2.GaussianBlur(out, (0, 0), max(1.0, side / 160 * params.background_blur))
    background = (1 - prep.subject)[..., None]
    out = out * (1 - background) + soft * background
    return np.clip(out, 0, 1)


def _line_art(prep: _Prepared, params: ToonParams) -> np.ndarray:
    """XDoG outlines at line size: float32, 1 = full line."""
    blur1, blur2, sigma = prep.dog
    dog = blur1 - 0.98 * blur2
    eps, phi = -0.004, 170.0
    line = np.where(dog >= eps, 0.0, -np.tanh(phi * (dog - eps))).astype(np.float32)
    binary = (line > 0.35).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    height, width = line.shape
    min_area = max(6, round(width * height / 22_000))
    keep = np.zeros(count, np.uint8)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    grow = max(1, round(sigma * 1.5))
    mask = cv2.dilate(keep[labels], np.ones((grow, grow), np.uint8))
    line = (line * mask * prep.line_zones).astype(np.float32)
    # Faces keep their natural line weight whatever the style: heavier or lighter
    # strokes on the features change who it is.
    face = cv2.resize(prep.skin, (width, height), interpolation=cv2.INTER_LINEAR)
    if params.line_weight > 1.05:
        k = max(1, round(params.line_weight * sigma))
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1))
        styled = np.asarray(cv2.dilate(line, disc), np.float32)
    elif params.line_weight < 0.85:
        styled = line * (0.55 + 0.45 * params.line_weight)
    else:
        styled = line
    line = (styled * (1 - face) + line * face).astype(np.float32)
    # Ink darkness too: soft styles lighten their lines, but not the ones that draw a face.
    face_dark = max(params.line_darkness, 0.92)
    line *= params.line_darkness * (1 - face) + face_dark * face
    return np.asarray(cv2.GaussianBlur(line, (3, 3), 0), np.float32)


def _lashes(line: np.ndarray, faces: list[Face], factor: float) -> None:
    """Thicken the upper outline of each eye in place: the anime lash line."""
    for face in faces:
        if face.kind != "human" or face.width < 48:
            continue
        for x0, y0, x1, y1 in _eyes_of(face):
            ex0, ey0, ex1, ey1 = (round(v * factor) for v in (x0, y0, x1, y1))
            cy = (ey0 + ey1) // 2
            roi = line[max(0, ey0) : max(0, cy), max(0, ex0) : max(0, ex1)]
            if roi.size == 0:
                continue
            k = max(2, (ex1 - ex0) // 12)
            roi[:] = np.maximum(roi, cv2.dilate(roi, np.ones((k, k + 1), np.uint8)))


def _grade(
    rgb: np.ndarray, params: ToonParams, subject: np.ndarray, likeness: np.ndarray
) -> np.ndarray:
    lum = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    # Like every grade below: at half strength on the face and hair (``likeness``).
    contrast = 1 + (params.contrast - 1) * (1 - 0.5 * likeness)[..., None]
    rgb = (rgb - 0.5) * contrast + 0.5
    if params.grade_amount > 0:
        shadows = np.array(params.grade_shadows, np.float32) / 255.0
        highs = np.array(params.grade_highlights, np.float32) / 255.0
        t = np.clip(lum, 0, 1)[..., None]
        target = shadows * (1 - t) + highs * t
        # Half strength on likeness: faces keep their tone under a coloured grade.
        amount = params.grade_amount * 0.7 * (1 - 0.5 * likeness)[..., None]
        rgb += (target - 0.5) * amount
    if params.pastel > 0:
        pastel = params.pastel * (1 - 0.5 * likeness)[..., None]  # like the grade: half on likeness
        rgb = rgb * (1 - pastel) + pastel * (0.35 + 0.65 * rgb)
    if params.glow > 0:
        bright = np.clip((lum - 0.62) / 0.38, 0, 1)[..., None] * rgb
        side = max(rgb.shape[:2])
        bloom = cv2.GaussianBlur(bright, (0, 0), max(2.0, side / 80))
        rgb = 1 - (1 - rgb) * (1 - bloom * params.glow)
    if params.rim is not None:
        # Rim light: strong edges of the subject catch the rim colour from one side and
        # magenta from the other, as under two coloured lights.
        height, width = rgb.shape[:2]
        soft = cv2.GaussianBlur(lum, (0, 0), max(1.2, max(width, height) / 400))
        gx = cv2.Sobel(soft, cv2.CV_32F, 1, 0, ksize=3)
        strength = max(width, height) / 512 * 2.5  # gradients shrink as the image grows
        # On the silhouette, not across the features inside the face.
        prior = subject * (1 - 0.85 * likeness)
        right = np.clip(gx * strength - 0.15, 0, 1) * prior
        left = np.clip(-gx * strength - 0.15, 0, 1) * prior
        rim = np.array(params.rim, np.float32) / 255.0
        magenta = np.array((255, 40, 190), np.float32) / 255.0
        rgb = rgb + right[..., None] * rim * 0.5 + left[..., None] * magenta * 0.4
    return np.clip(rgb, 0, 1)


def _draw_eyes(canvas: np.ndarray, prep: _Prepared, ink: tuple[float, float, float]) -> None:
    """Paint anime eyes over the photo's: lash line, tall iris, pupil, two catchlights."""
    for box, iris, outer in prep.eyes:
        _draw_eye(canvas, box, tuple(v * 255 for v in iris), ink, outer)  # type: ignore[arg-type]


def _draw_eye(
    canvas: np.ndarray,
    box: Box,
    iris: tuple[float, float, float],
    ink: tuple[float, float, float],
    outer: int,
) -> None:
    x0, y0, x1, y1 = box
    bw = x1 - x0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + bw * 0.04
    w = bw * DRAWN_EYE
    h = w * 0.78

    def ellipse(
        dx: float,
        dy: float,
        ax: float,
        ay: float,
        colour: tuple[float, ...],
        a0: int = 0,
        a1: int = 360,
        thickness: int = -1,
    ) -> None:
        cv2.ellipse(
            canvas,
            (round(cx + dx), round(cy + dy)),
            (max(1, round(ax)), max(1, round(ay))),
            0,
            a0,
            a1,
            colour,
            thickness,
            cv2.LINE_AA,
        )

    dark = tuple(v * 0.4 for v in iris)
    light = tuple(min(255.0, v * 1.7 + 35) for v in iris)
    ellipse(0, 0, w * 0.5, h * 0.36, (242, 238, 241))  # white
    ellipse(0, 0, w * 0.5, h * 0.36, (206, 200, 218), 180, 360)  # shadow under the upper lid
    ellipse(0, -h * 0.03, w * 0.25, h * 0.39, iris)
    ellipse(0, -h * 0.03, w * 0.25, h * 0.39, dark, 180, 360)  # darker top of the iris
    ellipse(0, h * 0.17, w * 0.16, h * 0.15, light)  # glow at the bottom of the iris
    ellipse(0, -h * 0.01, w * 0.1, h * 0.2, (14, 8, 14))  # pupil
    ellipse(0, -h * 0.03, w * 0.25, h * 0.39, dark, thickness=max(1, round(w * 0.025)))
    lash = max(2, round(w * 0.1))
    ellipse(0, h * 0.25, w * 0.56, h * 0.64, ink, 200, 340, lash)  # upper lash line
    tip = (round(cx + outer * w * 0.64), round(cy - h * 0.3))
    root = (round(cx + outer * w * 0.5), round(cy - h * 0.16))
    cv2.line(canvas, root, tip, ink, max(1, lash - 1), cv2.LINE_AA)  # flick at the outer corner
    ellipse(0, -h * 0.1, w * 0.42, h * 0.46, ink, 45, 135, max(1, round(w * 0.03)))  # lower lid
    white = (255, 255, 255)
    cv2.circle(
        canvas,
        (round(cx - w * 0.09), round(cy - h * 0.14)),
        max(1, round(w * 0.085)),
        white,
        -1,
        cv2.LINE_AA,
    )
    cv2.circle(
        canvas,
        (round(cx + w * 0.08), round(cy + h * 0.16)),
        max(1, round(w * 0.04)),
        white,
        -1,
        cv2.LINE_AA,
    )


def _catchlights(canvas: np.ndarray, faces: list[Face], drawn: tuple[Face, ...]) -> None:
    """Catchlights for faces whose eyes are not redrawn."""
    for face in faces:
        if face.kind != "human" or face.width < 48 or face in drawn:
            continue
        for x0, y0, x1, y1 in _eyes_of(face):
            ew = (x1 - x0) * EYE_ZOOM
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            r1 = max(1, round(ew * 0.075))
            r2 = max(1, round(ew * 0.04))
            white = (255, 255, 255)
            cv2.circle(
                canvas, (round(cx - ew * 0.09), round(cy - ew * 0.07)), r1, white, -1, cv2.LINE_AA
            )
            cv2.circle(
                canvas, (round(cx + ew * 0.07), round(cy + ew * 0.05)), r2, white, -1, cv2.LINE_AA
            )


def render(prep: _Prepared, params: ToonParams, seed: int) -> Image.Image:
    """One version of the prepared photo in the given style parameters and seed."""
    varied, hue = _vary(params, seed)
    height, width = prep.photo.shape[:2]
    # Grading is a smooth function of colour, so it runs on the small working copy;
    # only the line composite and the eyes happen at full size.
    likeness = np.maximum(prep.skin, prep.hair)  # graded gently: who it is lives here
    graded = _grade(_cel_colour(prep, varied, hue, seed), varied, prep.subject, likeness)
    colour = np.rint(graded * 255).astype(np.uint8)
    line = _line_art(prep, varied)
    _lashes(line, prep.faces, line.shape[1] / width)
    # Colour and lines meet at the line art's size; only very large outputs are
    # scaled up after that, once.
    line_h, line_w = line.shape[:2]
    colour = cv2.resize(colour, (line_w, line_h), interpolation=cv2.INTER_LINEAR)
    ink = np.empty_like(colour)
    ink[:] = varied.line_color
    # One pass per pixel: colour·(1 − line) + ink·line.
    canvas = cv2.blendLinear(colour, ink, 1.0 - line, line)
    if (line_h, line_w) != (height, width):
        canvas = cv2.resize(canvas, (width, height), interpolation=cv2.INTER_CUBIC)
    ink_rgb = tuple(float(v) for v in varied.line_color)
    _draw_eyes(canvas, prep, ink_rgb)  # type: ignore[arg-type]
    _catchlights(canvas, prep.faces, prep.drawn)
    return Image.fromarray(canvas, "RGB")


class ToonEngine(Engine):
    name = "toon"
    title = "Toon (offline anime cel shading)"
    # A masked edit turns the whole photo to anime; the protocol then keeps every
    # pixel outside the mask, so only the masked region becomes anime.
    tasks = frozenset({Task.PHOTO_TO_ANIME, Task.VARIATION, Task.MASKED_EDIT})
    priority = 10

    def _generate(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        style = get_style(request.spec.preset_name or DEFAULT_STYLE)
        progress(Progress(0, request.n + 1, "analysing photo"))
        prep = _prepare(request)
        images = []
        for i, seed in enumerate(request.seeds()):
            progress(Progress(i + 1, request.n + 1, f"version {i + 1} of {request.n}"))
            images.append(render(prep, style.toon, seed))
        progress(Progress(request.n + 1, request.n + 1, "done"))
        return EngineResult(
            images=images,
            engine=self.name,
            model=f"toon-{style.name}",
            params={"Steps": 1, "Sampler": "toon", "Style": style.name, "Faces": len(prep.faces)},
        )
