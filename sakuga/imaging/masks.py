"""Masks: Sakuga's convention is white = change, black = keep.

Whatever engine makes a masked edit, `paste_outside_mask` puts the original back
outside the mask, so "every pixel outside the mask stays exactly as it was" holds
for every engine, including those (GPT image models) that repaint the whole frame.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from sakuga.errors import MaskError

#: Width in pixels of the feathered band just outside the mask where the edit fades out.
DEFAULT_SEAM = 4


def mask_array(mask: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """The mask as a boolean array (True = change), checked against the image ``size``.

    L, 1 and RGB masks are read by brightness; RGBA and LA masks by brightness times
    alpha, so a transparent pixel always means keep.
    """
    if mask.size != size:
        raise MaskError(
            f"mask must be the size of the image ({size[0]}x{size[1]}), "
            f"got {mask.size[0]}x{mask.size[1]}"
        )
    if mask.mode in ("RGBA", "LA", "PA", "P"):
        rgba = np.asarray(mask.convert("RGBA"), dtype=np.float32)
        value = rgba[..., :3].mean(axis=2) * (rgba[..., 3] / 255.0)
    elif mask.mode in ("L", "1", "RGB", "I", "I;16", "F"):
        value = np.asarray(mask.convert("L"), dtype=np.float32)
    else:
        raise MaskError(f"mask must be a grayscale or RGBA image, got mode {mask.mode}")
    selected = value > 127.5
    if not selected.any():
        raise MaskError("mask is empty: paint the region to change in white")
    return selected


def seam_alpha(selected: np.ndarray, seam: int = DEFAULT_SEAM) -> np.ndarray:
    """Blend weights: 1 inside the mask, a ramp over ``seam`` px outside it, 0 beyond."""
    if seam <= 0:
        return selected.astype(np.float32)
    outside = (~selected).astype(np.uint8)
    distance = cv2.distanceTransform(outside, cv2.DIST_L2, 3)
    alpha = np.clip(1.0 - distance / (seam + 1), 0.0, 1.0)
    alpha[distance > seam] = 0.0
    return alpha.astype(np.float32)


def paste_outside_mask(
    original: Image.Image,
    edited: Image.Image,
    mask: Image.Image,
    seam: int = DEFAULT_SEAM,
) -> Image.Image:
    """``edited`` inside the mask, ``original`` exactly outside it (plus a ``seam`` px fade).

    The edited image is resized to the original's size first if an engine returned
    another size.
    """
    selected = mask_array(mask, original.size)
    mode = "RGBA" if "A" in original.mode or "A" in edited.mode else "RGB"
    base = np.asarray(original.convert(mode))
    if edited.size != original.size:
        edited = edited.resize(original.size, Image.Resampling.LANCZOS)
    top = np.asarray(edited.convert(mode))
    alpha = seam_alpha(selected, seam)[..., None]
    blended = base.astype(np.float32) * (1.0 - alpha) + top.astype(np.float32) * alpha
    out = np.where(alpha > 0, np.clip(np.rint(blended), 0, 255), base).astype(np.uint8)
    return Image.fromarray(out, mode)
