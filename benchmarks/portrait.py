"""Is toon's portrait drawn (flat cel skin) and still theirs (colours, hair, head roll)?

    python benchmarks/portrait.py

On scikit-image's astronaut, for every style and four versions each:

- **flatness of skin**: the share of face-skin pixels (the face outline, less the
  drawn eyes, brows, nose, mouth and blush) within 6 levels of one of the four most
  common colours there. Goal ≥ 0.9. Baseline in the same run: `cv2.stylization`
  (the filter toon used to be is gone; a filter keeps the photo's texture).
- **attribute fidelity**, the rig on the photo against the rig on the output: skin
  and hair colour ΔE2000 < 10, hair-silhouette IoU ≥ 0.8, head roll within 3°.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import cv2
import numpy as np
from PIL import Image

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.engines.toon.sitting import Sitting, read_sitting
from sakuga.imaging.rig import FACE_OVAL, LIPS_OUTER, NOSE_TIP, FaceRig
from sakuga.imaging.samples import load_sample
from sakuga.spec.artspec import ArtSpec
from sakuga.spec.styles import STYLES

FLAT_GOAL = 0.9
DELTA_E_GOAL = 10.0
IOU_GOAL = 0.8
ROLL_GOAL = 3.0


def face_skin(face: FaceRig, shape: tuple[int, int]) -> np.ndarray:
    """Where a face shows only skin once drawn: its outline less the features and blush."""
    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.round(face.at(FACE_OVAL)).astype(np.int32)], 1)
    w = face.width
    mask = cv2.erode(mask, np.ones((3, 3), np.uint8), iterations=max(1, round(w * 0.05)))
    for side in (-1, 1):
        cx, cy = face.eye(side).mean(axis=0)
        ew = float(np.linalg.norm(face.eye(side)[0] - face.eye(side)[8]))
        cv2.rectangle(
            mask,
            (round(cx - ew * 1.2), round(cy - ew * 2.2)),
            (round(cx + ew * 1.2), round(cy + ew * 1.0)),
            0,
            -1,
        )
    lips = np.round(face.at(LIPS_OUTER)).astype(np.int32)
    cv2.fillPoly(mask, [cv2.convexHull(lips)], 0)
    x, y = face.points[NOSE_TIP]
    cv2.circle(mask, (round(x), round(y)), round(w * 0.12), 0, -1)
    for idx in (205, 425):
        x, y = face.points[idx]
        cv2.ellipse(mask, (round(x), round(y)), (round(w * 0.17), round(w * 0.1)), 0, 0, 360, 0, -1)
    return mask.astype(bool)


def flatness(image: np.ndarray, mask: np.ndarray, tones: int = 4, levels: int = 6) -> float:
    """The share of ``mask``'s pixels within ``levels`` of one of its ``tones`` most
    common colours."""
    pixels = image[mask].astype(np.int16)
    if len(pixels) == 0:
        return float("nan")
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    common = colours[np.argsort(counts)[::-1][:tones]]
    near = (np.abs(pixels[:, None, :] - common[None, :, :]).max(axis=2) <= levels).any(axis=1)
    return float(near.mean())


def delta_e(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    from skimage.color import deltaE_ciede2000, rgb2lab

    la = rgb2lab(np.float64([[a]]) / 255.0)
    lb = rgb2lab(np.float64([[b]]) / 255.0)
    return float(deltaE_ciede2000(la, lb)[0, 0])


def sitting_of(image: Image.Image) -> Sitting:
    return read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=image, size=image.size))


def main() -> None:
    photo = load_sample("astronaut")
    rgb = np.asarray(photo)
    before = sitting_of(photo)
    assert before.heads, "the rig finds no face in the photo"
    head = before.heads[0]
    skin_mask = face_skin(head.face, rgb.shape[:2])
    base = flatness(cv2.stylization(rgb), skin_mask)
    print(
        f"flatness of skin, baseline cv2.stylization: {base:.3f}; "
        f"the photo: {flatness(rgb, skin_mask):.3f}"
    )
    worst = {"flat": 1.0, "skin": 0.0, "hair": 0.0, "iou": 1.0, "roll": 0.0}
    for name in STYLES:
        request = EngineRequest(
            Task.PHOTO_TO_ANIME, spec=ArtSpec(style=name), image=photo, seed=1, n=4
        )
        rows = []
        for out in ToonEngine().run(request).images:
            drawn = np.asarray(out)
            flat = flatness(drawn, skin_mask)
            after = sitting_of(out)
            if not after.heads:
                rows.append(f"flat {flat:.3f}, rig finds no face in the output")
                worst["flat"] = min(worst["flat"], flat)
                continue
            other = after.heads[0]
            d_skin = delta_e(head.skin, other.skin)
            d_hair = delta_e(head.hair, other.hair)
            union = (before.hair | after.hair).sum()
            iou = float((before.hair & after.hair).sum() / union) if union else float("nan")
            roll = abs(head.face.roll - other.face.roll)
            for key, value, better in (
                ("flat", flat, min),
                ("skin", d_skin, max),
                ("hair", d_hair, max),
                ("iou", iou, min),
                ("roll", roll, max),
            ):
                worst[key] = better(worst[key], value)
            rows.append(
                f"flat {flat:.3f}  ΔE skin {d_skin:4.1f} hair {d_hair:4.1f}  "
                f"hair IoU {iou:.2f}  roll Δ {roll:.1f}°"
            )
        print(f"{name}:")
        for row in rows:
            print(f"    {row}")
    print("worst over all styles and versions:")
    checks = (
        ("flatness of skin", worst["flat"], worst["flat"] >= FLAT_GOAL, f">= {FLAT_GOAL}"),
        ("skin ΔE2000", worst["skin"], worst["skin"] < DELTA_E_GOAL, f"< {DELTA_E_GOAL}"),
        ("hair ΔE2000", worst["hair"], worst["hair"] < DELTA_E_GOAL, f"< {DELTA_E_GOAL}"),
        ("hair IoU", worst["iou"], worst["iou"] >= IOU_GOAL, f">= {IOU_GOAL}"),
        ("head roll Δ°", worst["roll"], worst["roll"] <= ROLL_GOAL, f"<= {ROLL_GOAL}"),
    )
    for label, value, ok, goal in checks:
        print(f"    {label:18s} {value:7.3f}  goal {goal:7s} {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
