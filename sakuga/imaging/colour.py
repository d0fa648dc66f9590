"""The sRGB transfer curve: colour values (0–1) to linear light and back."""

from __future__ import annotations

import numpy as np


def to_linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB values in [0, 1] as linear light (the IEC 61966-2-1 curve), same dtype."""
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear light in [0, 1] as sRGB values, the inverse of `to_linear`."""
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
