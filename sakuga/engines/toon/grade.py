"""Each style's colour grade over the painted picture: contrast, split toning, pastel,
glow and a two-colour rim light."""

from __future__ import annotations

import cv2
import numpy as np

from sakuga.prompt.styles import ToonParams


def grade(
    rgb: np.ndarray, params: ToonParams, subject: np.ndarray, likeness: np.ndarray
) -> np.ndarray:
    """``rgb`` (float32 in [0, 1]) graded by the style. ``likeness`` (face and hair) gets
    every grade at a fifth of its strength, so a coloured grade keeps who it is; the rim light
    runs along the ``subject``'s edges."""
    lum = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    half = (1 - 0.8 * likeness)[..., None]
    rgb = (rgb - 0.5) * (1 + (params.contrast - 1) * half) + 0.5 + params.brightness * 0.5 * half
    if params.grade_amount > 0:
        shadows = np.array(params.grade_shadows, np.float32) / 255.0
        highs = np.array(params.grade_highlights, np.float32) / 255.0
        t = np.clip(lum, 0, 1)[..., None]
        target = shadows * (1 - t) + highs * t
        rgb = rgb + (target - 0.5) * params.grade_amount * 0.7 * half
    if params.pastel > 0:
        pastel = params.pastel * half
        rgb = rgb * (1 - pastel) + pastel * (0.35 + 0.65 * rgb)
    if params.glow > 0:
        bright = np.clip((lum - 0.62) / 0.38, 0, 1)[..., None] * rgb
        bloom = cv2.GaussianBlur(bright, (0, 0), max(2.0, max(rgb.shape[:2]) / 80))
        rgb = 1 - (1 - rgb) * (1 - bloom * params.glow)
    if params.rim is not None and subject.any():
        # Rim light: the subject's edge catches the rim colour from one side and
        # magenta from the other, as under two coloured lights.
        side = max(rgb.shape[:2])
        soft = cv2.GaussianBlur(subject.astype(np.float32), (0, 0), max(1.5, side / 200))
        gx = cv2.Sobel(soft, cv2.CV_32F, 1, 0, ksize=3) * side / 60
        inside = subject.astype(np.float32)[..., None]
        right = np.clip(-gx, 0, 1)[..., None] * inside
        left = np.clip(gx, 0, 1)[..., None] * inside
        rim = np.array(params.rim, np.float32) / 255.0
        magenta = np.array((255, 40, 190), np.float32) / 255.0
        rgb = rgb + right * rim * 0.6 + left * magenta * 0.45
    return np.clip(rgb, 0, 1).astype(np.float32)
