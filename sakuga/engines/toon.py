"""The `toon` engine: photo → cel-shaded anime look on a CPU, offline, in NumPy/OpenCV.

The pipeline, per photo (the expensive analysis is shared by all ``n`` versions):

1. crop to the output's aspect around the faces, resize to the output size;
2. edge-preserving smoothing on a working copy, extra skin smoothing inside each face;
3. luminance split into flat bands (cel shading) with a tinted shadow band;
4. colour from the smoothed image, saturation and hue from the style and seed;
5. XDoG line art at output resolution, specks removed, weight from the style;
6. grading (split-toning, contrast, pastel, glow, rim light) and eye catchlights.

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

WORK_SIDE: Final = 512  # long side of the working copy for smoothing and colour


@dataclass(frozen=True)
class _Prepared:
    """Per-photo analysis shared by every version."""

    photo: np.ndarray  # RGB uint8 at output size
    faces: list[Face]  # in output coordinates
    lab: np.ndarray  # smoothed Lab float32 at working size
    gray_dog: tuple[np.ndarray, np.ndarray, float]  # two blurs + sigma, at output size


def _to_rgb_array(image: Image.Image) -> np.ndarray:
    if image.mode == "RGBA":
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    return np.asarray(image.convert("RGB"))


def _avatar_focus(faces: list[Face], size: tuple[int, int]) -> Box | None:
    """A square-ish region around the faces with room for hair and shoulders."""
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


def _map_face(face: Face, crop: Box, scale_x: float, scale_y: float) -> Face:
    def m(b: Box) -> Box:
        return (
            round((b[0] - crop[0]) * scale_x),
            round((b[1] - crop[1]) * scale_y),
            round((b[2] - crop[0]) * scale_x),
            round((b[3] - crop[1]) * scale_y),
        )

    return Face(m(face.box), tuple(m(e) for e in face.eyes), face.kind)


def _prepare(request: EngineRequest) -> _Prepared:
    assert request.image is not None
    rgb = _to_rgb_array(request.image)
    faces = detect_faces(rgb)
    out_w, out_h = request.output_size
    aspect = out_w / out_h
    use = get_use(request.spec.use) if request.spec.use else None
    if use is not None and use.name == "avatar" and faces:
        focus = _avatar_focus(faces, (rgb.shape[1], rgb.shape[0]))
        crop = crop_box_for_aspect((rgb.shape[1], rgb.shape[0]), aspect, focus, zoom=4.0)
    else:
        crop = crop_box_for_aspect(
            (rgb.shape[1], rgb.shape[0]), aspect, union_box([f.box for f in faces])
        )
    region = rgb[crop[1] : crop[3], crop[0] : crop[2]]
    interp = cv2.INTER_AREA if region.shape[1] > out_w else cv2.INTER_CUBIC
    photo = cv2.resize(region, (out_w, out_h), interpolation=interp)
    sx, sy = out_w / (crop[2] - crop[0]), out_h / (crop[3] - crop[1])
    faces = [
        _map_face(f, crop, sx, sy)
        for f in faces
        if crop[0] <= f.center[0] <= crop[2] and crop[1] <= f.center[1] <= crop[3]
    ]

    factor = min(1.0, WORK_SIDE / max(out_w, out_h))
    work_size = (max(8, round(out_w * factor)), max(8, round(out_h * factor)))
    work = cv2.resize(photo, work_size, interpolation=cv2.INTER_AREA)
    smooth = cv2.bilateralFilter(work, 9, 40, 7)
    smooth = cv2.bilateralFilter(smooth, 9, 40, 7)
    if faces:
        skin = cv2.bilateralFilter(smooth, 15, 90, 15)
        weight = np.zeros(work.shape[:2], np.float32)
        for face in faces:
            fx0, fy0, fx1, fy1 = (v * factor for v in face.box)
            center = (round((fx0 + fx1) / 2), round((fy0 + fy1) / 2 + (fy1 - fy0) * 0.05))
            axes = (max(1, round((fx1 - fx0) * 0.42)), max(1, round((fy1 - fy0) * 0.55)))
            cv2.ellipse(weight, center, axes, 0, 0, 360, 1.0, -1)
        feather = max(3, round(max(work_size) / 60)) | 1
        weight = cv2.GaussianBlur(weight, (feather * 2 + 1, feather * 2 + 1), 0)[..., None]
        smooth = (smooth * (1 - weight) + skin * weight).astype(np.uint8)
    lab = cv2.cvtColor(smooth.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)

    # Line art works on a lightly smoothed full-size grey so fur and foliage give no specks.
    gray = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)
    gray = cv2.bilateralFilter(gray, 7, 30, 5).astype(np.float32) / 255.0
    sigma = max(0.7, max(out_w, out_h) / 1024 * 1.1)
    blur1 = cv2.GaussianBlur(gray, (0, 0), sigma)
    blur2 = cv2.GaussianBlur(gray, (0, 0), sigma * 1.6)
    return _Prepared(photo, faces, lab, (blur1, blur2, sigma))


def _vary(params: ToonParams, seed: int, first: bool) -> tuple[ToonParams, float]:
    """The style's parameters jittered by ``seed``; the first version stays closest to the style."""
    rng = np.random.default_rng(seed)
    spread = 0.5 if first else 1.0
    hue = float(rng.uniform(-14, 14)) * spread
    bands = int(np.clip(params.bands + (rng.integers(-1, 2) if not first else 0), 2, 6))
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
    light = lab[..., 0]
    rng = np.random.default_rng(seed + 7919)
    qs = np.linspace(0, 100, params.bands + 1)[1:-1]
    qs = np.clip(qs + rng.uniform(-4, 4, size=qs.shape), 1, 99)
    thresholds = np.percentile(light, qs)
    labels = np.digitize(light, thresholds).astype(np.uint8)
    labels = cv2.medianBlur(labels, 5)
    means = np.array(
        [light[labels == i].mean() if np.any(labels == i) else 50.0 for i in range(params.bands)],
        np.float32,
    )
    # Lift the bands: anime shading is brighter and flatter than the photo.
    lifted = np.clip(means * 0.78 + 24 + params.brightness * 100, 0, 100)
    flat_l = cv2.GaussianBlur(lifted[labels], (3, 3), 0)
    a, b = lab[..., 1], lab[..., 2]
    angle = np.deg2rad(hue_deg)
    a2 = (a * np.cos(angle) - b * np.sin(angle)) * params.saturation
    b2 = (a * np.sin(angle) + b * np.cos(angle)) * params.saturation
    shadow = (labels == 0).astype(np.float32)
    shadow = cv2.GaussianBlur(shadow, (5, 5), 0)
    tint = cv2.cvtColor(np.array([[params.shadow_tint]], np.float32) / 255.0, cv2.COLOR_RGB2Lab)[
        0, 0
    ]
    a2 = a2 * (1 - 0.45 * shadow) + tint[1] * 0.45 * shadow
    b2 = b2 * (1 - 0.45 * shadow) + tint[2] * 0.45 * shadow
    out = cv2.cvtColor(np.dstack([flat_l, a2, b2]).astype(np.float32), cv2.COLOR_Lab2RGB)
    return np.clip(out, 0, 1)


def _line_art(prep: _Prepared, params: ToonParams) -> np.ndarray:
    """XDoG outlines at output size: float32, 1 = full line."""
    blur1, blur2, sigma = prep.gray_dog
    dog = blur1 - 0.98 * blur2
    eps, phi = -0.004, 160.0
    tone = np.where(dog >= eps, 1.0, 1.0 + np.tanh(phi * (dog - eps)))
    line = (1.0 - tone).astype(np.float32)
    binary = (line > 0.35).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    height, width = line.shape
    min_area = max(6, round(width * height / 25_000))
    keep = np.zeros(count, np.uint8)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    mask = keep[labels]
    grow = max(1, round(sigma * 1.5))
    mask = cv2.dilate(mask, np.ones((grow, grow), np.uint8))
    line = (line * mask).astype(np.float32)
    if params.line_weight > 1.05:
        k = max(1, round(params.line_weight * sigma))
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1))
        line = np.asarray(cv2.dilate(line, disc), np.float32)
    elif params.line_weight < 0.85:
        line = (line * (0.55 + 0.45 * params.line_weight)).astype(np.float32)
    return cv2.GaussianBlur(line, (3, 3), 0)


def _grade(rgb: np.ndarray, params: ToonParams) -> np.ndarray:
    lum = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    rgb = (rgb - 0.5) * params.contrast + 0.5
    if params.grade_amount > 0:
        shadows = np.array(params.grade_shadows, np.float32) / 255.0
        highs = np.array(params.grade_highlights, np.float32) / 255.0
        t = np.clip(lum, 0, 1)[..., None]
        target = shadows * (1 - t) + highs * t
        # Soft-light style toning: keep luminance, move hue.
        rgb = rgb + (target - 0.5) * params.grade_amount * 0.8
    if params.pastel > 0:
        rgb = rgb * (1 - params.pastel) + params.pastel * (0.5 + 0.5 * rgb)
    if params.glow > 0:
        bright = np.clip((lum - 0.6) / 0.4, 0, 1)[..., None] * rgb
        side = max(rgb.shape[:2])
        bloom = cv2.GaussianBlur(bright, (0, 0), max(2.0, side / 90))
        rgb = 1 - (1 - rgb) * (1 - bloom * params.glow)
    if params.rim is not None:
        gx = cv2.Sobel(
            cv2.GaussianBlur(lum, (0, 0), max(1.5, max(lum.shape) / 300)), cv2.CV_32F, 1, 0
        )
        rim = np.clip(gx * 6, 0, 1)[..., None]
        colour = np.array(params.rim, np.float32) / 255.0
        rgb = rgb * (1 - rim * 0.6) + colour * rim * 0.6
    return np.clip(rgb, 0, 1)


def _catchlights(canvas: np.ndarray, faces: list[Face]) -> None:
    for face in faces:
        if face.kind != "human" or face.width < 40:
            continue
        eyes = face.eyes if len(face.eyes) == 2 else estimated_eyes(face)
        for x0, y0, x1, y1 in eyes:
            ew = x1 - x0
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            r1 = max(1, round(ew * 0.07))
            r2 = max(1, round(ew * 0.035))
            cv2.circle(
                canvas,
                (round(cx - ew * 0.08), round(cy - ew * 0.06)),
                r1,
                (1.0, 1.0, 1.0),
                -1,
                cv2.LINE_AA,
            )
            cv2.circle(
                canvas,
                (round(cx + ew * 0.06), round(cy + ew * 0.04)),
                r2,
                (1.0, 1.0, 1.0),
                -1,
                cv2.LINE_AA,
            )


def render(prep: _Prepared, params: ToonParams, seed: int, first: bool = True) -> Image.Image:
    """One version of the prepared photo in the given style parameters and seed."""
    varied, hue = _vary(params, seed, first)
    colour = _cel_colour(prep, varied, hue, seed)
    height, width = prep.photo.shape[:2]
    colour = cv2.resize(colour, (width, height), interpolation=cv2.INTER_CUBIC)
    line = _line_art(prep, varied)[..., None]
    ink = np.array(varied.line_color, np.float32) / 255.0
    strength = line * varied.line_darkness
    canvas = colour * (1 - strength) + ink * strength
    canvas = _grade(canvas.astype(np.float32), varied)
    _catchlights(canvas, prep.faces)
    return Image.fromarray(np.clip(np.rint(canvas * 255), 0, 255).astype(np.uint8), "RGB")


class ToonEngine(Engine):
    name = "toon"
    title = "Toon (offline cel shading)"
    tasks = frozenset({Task.PHOTO_TO_ANIME, Task.VARIATION})
    priority = 10

    def _generate(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        style = get_style(request.spec.style or DEFAULT_STYLE)
        progress(Progress(0, request.n + 1, "analysing photo"))
        prep = _prepare(request)
        images = []
        for i, seed in enumerate(request.seeds()):
            progress(Progress(i + 1, request.n + 1, f"version {i + 1} of {request.n}"))
            images.append(render(prep, style.toon, seed, first=i == 0))
        progress(Progress(request.n + 1, request.n + 1, "done"))
        return EngineResult(
            images=images,
            engine=self.name,
            model=f"toon-{style.name}",
            params={"Steps": 1, "Sampler": "toon", "Style": style.name, "Faces": len(prep.faces)},
        )
