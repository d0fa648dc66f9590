"""Does toon keep the person recognizable? dlib's face embedding, photo vs toon output.

    pip install -e '.[bench]' && python benchmarks/identity.py

For each style, on scikit-image's astronaut: whether dlib's HOG detector still finds
the face in toon's output, and the embedding distance to the photo's face. The goal
is a detected face and a distance ≤ 0.55 for every style (dlib's same-person
threshold is 0.6). The baseline in the same run is OpenCV's `cv2.stylization`.
Uses the 5-point landmark model (free for commercial use), not the 68-point one.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import dlib
import face_recognition_models as models
import numpy as np
from PIL import Image

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.imaging.samples import load_sample
from sakuga.spec.artspec import ArtSpec
from sakuga.spec.styles import STYLES

GOAL = 0.55

detector = dlib.get_frontal_face_detector()
landmarks = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
encoder = dlib.face_recognition_model_v1(models.face_recognition_model_location())


def embedding(image: Image.Image) -> np.ndarray | None:
    rgb = np.ascontiguousarray(np.asarray(image.convert("RGB")))
    faces = detector(rgb, 1)
    if not faces:
        return None
    face = max(faces, key=lambda r: r.width() * r.height())
    return np.asarray(encoder.compute_face_descriptor(rgb, landmarks(rgb, face), 1))


def main() -> None:
    import cv2

    photo = load_sample("astronaut")
    reference = embedding(photo)
    assert reference is not None, "dlib finds no face in the photo itself"
    base = embedding(Image.fromarray(cv2.stylization(np.asarray(photo))))
    base_d = float(np.linalg.norm(base - reference)) if base is not None else float("nan")
    print(f"baseline cv2.stylization: distance {base_d:.3f}")
    met = True
    worst_all = 0.0
    for name in STYLES:
        request = EngineRequest(
            Task.PHOTO_TO_ANIME, spec=ArtSpec(style=name), image=photo, seed=1, n=4
        )
        distances = []
        for out in ToonEngine().run(request).images:
            found = embedding(out)
            missing = found is None
            distances.append(float("inf") if missing else float(np.linalg.norm(found - reference)))
        first, worst = distances[0], max(distances)
        worst_all = max(worst_all, worst)
        detected = "yes" if first != float("inf") else "no"
        ok = first <= GOAL
        met &= ok
        print(
            f"{name:10s} face detected: {detected}  distance {first:.3f}  "
            f"{'ok' if ok else 'over goal'}   (worst of 4 seeded versions: {worst:.3f})"
        )
    verdict = "met" if met else "NOT met"
    print(f"goal (detected and <= {GOAL} for every style, first version): {verdict}")
    print(f"worst distance over all styles and versions: {worst_all:.3f}")


if __name__ == "__main__":
    main()
