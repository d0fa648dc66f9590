"""Face and eye detection with OpenCV's Haar cascades (shipped in opencv-contrib-python<5).

Fast and offline; good enough to place anime eyes, keep faces inside crops and keep
text off faces. Cat faces are found with OpenCV's cat-face cascade.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Face:
    """A detected face, with the eyes found inside it (image coordinates)."""

    box: Box
    eyes: tuple[Box, ...] = field(default_factory=tuple)
    kind: str = "human"  # "human" or "cat"

    @property
    def center(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    def scaled(self, factor: float) -> Face:
        def s(b: Box) -> Box:
            return (
                round(b[0] * factor),
                round(b[1] * factor),
                round(b[2] * factor),
                round(b[3] * factor),
            )

        return Face(s(self.box), tuple(s(e) for e in self.eyes), self.kind)


@cache
def cascade(name: str) -> cv2.CascadeClassifier:
    """One of the Haar cascades OpenCV ships, loaded once."""
    path = Path(cv2.data.haarcascades) / name  # type: ignore[attr-defined]
    loaded = cv2.CascadeClassifier(str(path))
    if loaded.empty():
        raise RuntimeError(f"OpenCV cascade {name} is missing; install opencv-contrib-python<5")
    return loaded


def _boxes(found: Sequence[Sequence[int]] | np.ndarray) -> list[Box]:
    return [(int(x), int(y), int(x + w), int(y + h)) for (x, y, w, h) in found]


def _overlap(a: Box, b: Box) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return ix * iy / smaller if smaller else 0.0


def detect_faces(rgb: np.ndarray, *, cats: bool = True, max_side: int = 640) -> list[Face]:
    """Faces in an RGB uint8 image, largest first, each with up to two eyes.

    Detection runs on a copy at most ``max_side`` wide; when it finds nothing in a
    larger image, it looks again at twice that size, where small faces in wide shots
    and group photos are big enough for the cascade."""
    found = _detect(rgb, cats=cats, max_side=max_side)
    if not found and max(rgb.shape[:2]) > max_side:
        found = _detect(rgb, cats=cats, max_side=min(2 * max_side, max(rgb.shape[:2])))
    return found


def _detect(rgb: np.ndarray, *, cats: bool, max_side: int) -> list[Face]:
    height, width = rgb.shape[:2]
    factor = min(1.0, max_side / max(height, width))
    small = cv2.resize(
        rgb, (round(width * factor), round(height * factor)), interpolation=cv2.INTER_AREA
    )
    gray = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
    min_side = max(24, round(min(gray.shape) * 0.06))
    boxes = _boxes(
        cascade("haarcascade_frontalface_default.xml").detectMultiScale(
            gray, scaleFactor=1.1, minNeighbors=6, minSize=(min_side, min_side)
        )
    )
    faces: list[Face] = []
    full_gray: np.ndarray | None = None
    for box in sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True):
        if any(_overlap(box, f.box) > 0.4 for f in faces):
            continue
        if full_gray is None:
            full_gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        full_box = tuple(round(v / factor) for v in box)
        eyes = _eyes_at_face_scale(full_gray, full_box)
        scaled_eyes = tuple(tuple(round(v * factor) for v in e) for e in eyes)
        faces.append(Face(box, scaled_eyes))
    if cats and not faces:
        cat_boxes = _boxes(
            cascade("haarcascade_frontalcatface_extended.xml").detectMultiScale(
                gray, scaleFactor=1.1, minNeighbors=4, minSize=(min_side, min_side)
            )
        )
        for box in cat_boxes:
            if not any(_overlap(box, f.box) > 0.4 for f in faces):
                faces.append(Face(box, kind="cat"))
    return [f.scaled(1 / factor) for f in faces]


def _eyes_at_face_scale(gray: np.ndarray, face: Box, width: int = 180) -> tuple[Box, ...]:
    """Eyes found on the face cut from the full-resolution grey, scaled to ``width``."""
    x0, y0, x1, y1 = face
    roi = gray[max(0, y0) : y1, max(0, x0) : x1]
    if roi.size == 0:
        return ()
    scale = width / roi.shape[1]
    roi = cv2.equalizeHist(cv2.resize(roi, (width, max(1, round(roi.shape[0] * scale)))))
    eyes = _detect_eyes(roi, (0, 0, roi.shape[1], roi.shape[0]))
    return tuple(
        (
            round(ex0 / scale) + max(0, x0),
            round(ey0 / scale) + max(0, y0),
            round(ex1 / scale) + max(0, x0),
            round(ey1 / scale) + max(0, y0),
        )
        for ex0, ey0, ex1, ey1 in eyes
    )


def _detect_eyes(gray: np.ndarray, face: Box) -> tuple[Box, ...]:
    x0, y0, x1, y1 = face
    w, h = x1 - x0, y1 - y0
    # Eyes sit in the upper part of the face box; searching only there avoids nostrils.
    top = gray[y0 + h // 6 : y0 + h * 6 // 10, x0:x1]
    if top.size == 0:
        return ()
    side = max(8, w // 8)
    found = _boxes(
        cascade("haarcascade_eye.xml").detectMultiScale(
            top, scaleFactor=1.08, minNeighbors=5, minSize=(side, side), maxSize=(w // 2, w // 2)
        )
    )
    eyes = [
        (ex0 + x0, ey0 + y0 + h // 6, ex1 + x0, ey1 + y0 + h // 6) for ex0, ey0, ex1, ey1 in found
    ]
    eyes.sort(key=lambda e: (e[2] - e[0]) * (e[3] - e[1]), reverse=True)
    chosen: list[Box] = []
    for eye in eyes:
        if len(chosen) == 2:
            break
        if all(_overlap(eye, c) < 0.2 for c in chosen):
            chosen.append(eye)
    if (
        len(chosen) == 2
        and abs((chosen[0][0] + chosen[0][2]) - (chosen[1][0] + chosen[1][2])) < w / 5
    ):
        chosen = chosen[:1]  # two boxes on the same eye
    return tuple(sorted(chosen))


def estimated_eyes(face: Face) -> tuple[Box, Box]:
    """Where the eyes of a face usually are, for faces whose eyes were not detected."""
    x0, y0, _, _ = face.box
    w, h = face.width, face.height
    ew, eh = round(w * 0.22), round(h * 0.14)
    cy = y0 + round(h * 0.40)
    left = (
        x0 + round(w * 0.30) - ew // 2,
        cy - eh // 2,
        x0 + round(w * 0.30) + ew // 2,
        cy + eh // 2,
    )
    right = (
        x0 + round(w * 0.70) - ew // 2,
        cy - eh // 2,
        x0 + round(w * 0.70) + ew // 2,
        cy + eh // 2,
    )
    return left, right


def find_faces(rgb: np.ndarray, *, cats: bool = True) -> list[Box]:
    """Every face's box in ``rgb``: people by the face rig, which also finds drawn anime
    faces (Haar cascades do not), and cats by OpenCV's cat-face cascade. Without the
    rig, the Haar cascades find both."""
    from sakuga.imaging.rig import read_rig

    rig = read_rig(rgb, pose=False)
    if rig is None:
        return [f.box for f in detect_faces(rgb, cats=cats)]
    height, width = rgb.shape[:2]
    boxes = [
        (max(0, x0), max(0, y0), min(width, x1), min(height, y1))
        for x0, y0, x1, y1 in (f.box for f in rig.faces)
    ]
    if cats:
        boxes += [f.box for f in detect_faces(rgb, cats=True) if f.kind == "cat"]
    return boxes
