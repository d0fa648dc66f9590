"""Sticker cut-out quality: mask IoU against hand-made masks of scikit-image's
astronaut and cat. The baseline in the same run is the naive cut-out a sticker
maker without segmentation would do: a centred ellipse.

    python benchmarks/cutout_iou.py

The hand-made masks are polygons traced on a 50 px grid over each photo
(subject: the astronaut with her suit and the helmet she holds; the cat's head).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from sakuga.compose.sticker import cutout_mask
from sakuga.imaging.samples import load_sample

HAND_MADE = {
    "astronaut": [
        (200, 20),
        (235, 15),
        (270, 22),
        (295, 45),
        (300, 80),
        (297, 110),
        (290, 135),
        (300, 160),
        (305, 200),
        (300, 240),
        (340, 270),
        (355, 300),
        (362, 340),
        (380, 345),
        (430, 350),
        (470, 370),
        (495, 410),
        (505, 460),
        (511, 511),
        (20, 511),
        (22, 470),
        (25, 400),
        (30, 340),
        (45, 290),
        (70, 255),
        (110, 235),
        (120, 200),
        (115, 180),
        (125, 160),
        (150, 150),
        (165, 130),
        (155, 100),
        (158, 60),
        (175, 30),
    ],
    "cat": [
        (50, 0),
        (370, 0),
        (395, 20),
        (400, 60),
        (395, 70),
        (385, 130),
        (370, 180),
        (345, 230),
        (320, 260),
        (300, 299),
        (0, 299),
        (0, 100),
        (20, 90),
        (40, 40),
    ],
}


def polygon_mask(size: tuple[int, int], points: list[tuple[int, int]]) -> np.ndarray:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).polygon(points, fill=255)
    return np.asarray(mask) > 127


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def main() -> None:
    for name, points in HAND_MADE.items():
        photo = load_sample(name)
        truth = polygon_mask(photo.size, points)
        ours = cutout_mask(photo) > 127
        ellipse = Image.new("L", photo.size, 0)
        w, h = photo.size
        ImageDraw.Draw(ellipse).ellipse((w * 0.1, h * 0.05, w * 0.9, h * 0.98), fill=255)
        naive = np.asarray(ellipse) > 127
        print(
            f"{name:10s} IoU cut-out {iou(ours, truth):.3f}   "
            f"baseline centred ellipse {iou(naive, truth):.3f}"
        )


if __name__ == "__main__":
    main()
