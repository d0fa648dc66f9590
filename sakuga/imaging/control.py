"""ControlNet maps made here from a photo: canny edges, anime line art and OpenPose
skeletons.

Each map is an RGB image the size of its source, in the form existing ControlNet
models were trained on: white edges or lines on black for canny and line art; for
pose, OpenPose's 18 COCO keypoints drawn as coloured limbs and joints on black, in
OpenPose's own colour order, so SD 1.5 and SDXL OpenPose ControlNets read them.

- ``canny``: OpenCV's Canny detector on a lightly blurred grey image; the thresholds
  adapt to the image's median brightness unless given.
- ``lineart``: XDoG (Winnemöller et al., "XDoG: An eXtended difference-of-Gaussians
  compendium", 2012): a sharpened difference of two Gaussians, soft-thresholded, which
  keeps contours and drops texture; anime line-art ControlNets expect clean strokes.
- ``pose``: the rig's 33 MediaPipe body landmarks (`sakuga.imaging.rig`) mapped onto
  OpenPose's COCO-18 layout (the neck is the shoulders' midpoint).

Depth is not offered: no permissively licensed depth model ships in a package here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
from PIL import Image

from sakuga.errors import SpecError

#: The map kinds, by the name ``--control`` and ``sakuga control --kind`` use.
KINDS: Final = ("canny", "lineart", "pose")

#: OpenPose COCO-18 keypoints, in OpenPose's order, as MediaPipe pose landmark indices
#: (None: the neck, made from the two shoulders). "Right" is the person's right.
_COCO18_FROM_MEDIAPIPE: Final[tuple[int | None, ...]] = (
    0,  # nose
    None,  # neck
    12,  # right shoulder
    14,  # right elbow
    16,  # right wrist
    11,  # left shoulder
    13,  # left elbow
    15,  # left wrist
    24,  # right hip
    26,  # right knee
    28,  # right ankle
    23,  # left hip
    25,  # left knee
    27,  # left ankle
    5,  # right eye
    2,  # left eye
    8,  # right ear
    7,  # left ear
)

#: OpenPose's limbs (pairs of COCO-18 keypoints) in the order it draws them, and the
#: colour of each limb and joint: OpenPose's palette, red through the hues to pink.
LIMBS: Final = (
    (1, 2), (1, 5), (2, 3), (3, 4), (5, 6), (6, 7), (1, 8), (8, 9), (9, 10),
    (1, 11), (11, 12), (12, 13), (1, 0), (0, 14), (14, 16), (0, 15), (15, 17),
)  # fmt: skip
COLOURS: Final = (
    (255, 0, 0), (255, 85, 0), (255, 170, 0), (255, 255, 0), (170, 255, 0), (85, 255, 0),
    (0, 255, 0), (0, 255, 85), (0, 255, 170), (0, 255, 255), (0, 170, 255), (0, 85, 255),
    (0, 0, 255), (85, 0, 255), (170, 0, 255), (255, 0, 255), (255, 0, 170), (255, 0, 85),
)  # fmt: skip

#: Landmarks less visible than this (MediaPipe's own estimate) are left out.
MIN_VISIBILITY: Final = 0.5


def check_kind(kind: str) -> str:
    """``kind`` if it names a map this module makes; a `SpecError` naming them if not."""
    if kind not in KINDS:
        raise SpecError(f"unknown control kind {kind!r}; kinds: {', '.join(KINDS)}")
    return kind


def control_map(image: Image.Image, kind: str) -> Image.Image:
    """The ``kind`` map of ``image`` (RGB, the same size)."""
    check_kind(kind)
    makers: dict[str, Callable[[Image.Image], Image.Image]] = {
        "canny": canny,
        "lineart": lineart,
        "pose": openpose,
    }
    return makers[kind](image)


def canny(image: Image.Image, low: int | None = None, high: int | None = None) -> Image.Image:
    """White Canny edges on black. Without thresholds, they follow the median grey
    (0.66× and 1.33× of it), so dark and bright photos both keep their contours."""
    import cv2

    grey = cv2.GaussianBlur(np.asarray(image.convert("L")), (3, 3), 0)
    median = float(np.median(grey))
    lo = low if low is not None else int(max(0, 0.66 * median))
    hi = high if high is not None else int(min(255, max(lo + 1, 1.33 * median)))
    edges = cv2.Canny(grey, lo, hi)
    return Image.fromarray(edges).convert("RGB")


def lineart(
    image: Image.Image,
    *,
    sigma: float | None = None,
    k: float = 1.6,
    epsilon: float = 0.01,
    phi: float = 200.0,
) -> Image.Image:
    """White line art on black by XDoG: the difference of two Gaussians (``sigma`` and
    ``k`` × ``sigma``) is near zero on flat areas and negative on the dark side of every
    contour; a steep tanh (``phi``) past a small threshold (``epsilon``) turns that into
    strokes. ``sigma`` scales with the image (0.9 px at 512 px), so a big photo keeps
    strokes, not grain."""
    import cv2

    grey = np.asarray(image.convert("L"), np.float32) / 255.0
    if sigma is None:
        sigma = max(0.6, 0.9 * max(image.size) / 512)
    dog = cv2.GaussianBlur(grey, (0, 0), sigma) - cv2.GaussianBlur(grey, (0, 0), sigma * k)
    ink = np.clip(-np.tanh(phi * (dog + epsilon)), 0.0, 1.0)
    lines = (ink * 255).astype(np.uint8)
    # Specks of a few pixels are texture, not lines.
    _, labels, stats, _ = cv2.connectedComponentsWithStats((lines > 64).astype(np.uint8), 8)
    small = stats[:, cv2.CC_STAT_AREA] < max(4, image.size[0] * image.size[1] // 200_000)
    small[0] = False
    lines[small[labels]] = 0
    return Image.fromarray(lines).convert("RGB")


def coco18(landmarks: np.ndarray) -> list[tuple[float, float] | None]:
    """OpenPose's 18 keypoints from MediaPipe's 33 landmarks ((33, 3): x, y, visibility);
    None where a keypoint is not seen."""

    def seen(index: int) -> tuple[float, float] | None:
        x, y, visibility = landmarks[index]
        return (float(x), float(y)) if visibility >= MIN_VISIBILITY else None

    points: list[tuple[float, float] | None] = []
    for index in _COCO18_FROM_MEDIAPIPE:
        if index is None:
            right, left = seen(12), seen(11)
            points.append(
                ((right[0] + left[0]) / 2, (right[1] + left[1]) / 2) if right and left else None
            )
        else:
            points.append(seen(index))
    return points


def draw_openpose(
    size: tuple[int, int], people: list[list[tuple[float, float] | None]]
) -> Image.Image:
    """OpenPose's picture of ``people`` (each 18 keypoints or None) on black: each limb a
    filled ellipse in its colour at 60%, each joint a dot, as OpenPose draws them."""
    import cv2

    width, height = size
    canvas = np.zeros((height, width, 3), np.uint8)
    stick = max(2, round(4 * max(size) / 512))
    for points in people:
        for limb, (a, b) in enumerate(LIMBS):
            pa, pb = points[a], points[b]
            if pa is None or pb is None:
                continue
            (xa, ya), (xb, yb) = pa, pb
            centre = (round((xa + xb) / 2), round((ya + yb) / 2))
            length = round(float(np.hypot(xb - xa, yb - ya)) / 2)
            angle = round(float(np.degrees(np.arctan2(yb - ya, xb - xa))))
            polygon = cv2.ellipse2Poly(centre, (length, stick), angle, 0, 360, 1)
            layer = canvas.copy()
            cv2.fillConvexPoly(layer, polygon, COLOURS[limb])
            canvas = cv2.addWeighted(canvas, 0.4, layer, 0.6, 0)
        for index, point in enumerate(points):
            if point is not None:
                centre = (round(point[0]), round(point[1]))
                cv2.circle(canvas, centre, stick, COLOURS[index], thickness=-1)
    return Image.fromarray(canvas)


def openpose(image: Image.Image) -> Image.Image:
    """The OpenPose skeleton of the person in ``image``, read with the rig."""
    from sakuga.imaging.rig import read_rig, rig_status

    rig = read_rig(np.asarray(image.convert("RGB")), pose=True)
    if rig is None:
        raise SpecError(f"a pose map needs the body rig: {rig_status()}")
    if rig.pose is None:
        raise SpecError("no person found in the image for a pose map")
    return draw_openpose(image.size, [coco18(rig.pose)])
