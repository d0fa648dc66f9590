"""Is toon's drawing still them? dlib's face embedding, photo vs toon output.

    pip install -e '.[bench]' && python benchmarks/identity.py

For each style, on scikit-image's astronaut, four versions: whether dlib's HOG
detector still finds the face in toon's output, and the embedding distance to the
photo's face. Goal (#17): a detected face and a distance ≤ 0.6 (dlib's same-person
threshold) for every style and version. The baseline in the same run is OpenCV's
`cv2.stylization`, a filter that keeps the photo (and so the likeness) whole.
Uses the 5-point landmark model (free for commercial use), not the 68-point one.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import importlib.util
from pathlib import Path

import dlib
import numpy as np
from PIL import Image

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.imaging.samples import load_sample
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.styles import STYLES

GOAL = 0.6

# face_recognition_models' own __init__ imports pkg_resources (gone from new
# setuptools): its model files are found next to it instead.
_spec = importlib.util.find_spec("face_recognition_models")
assert _spec is not None and _spec.submodule_search_locations, "pip install -e '.[bench]'"
MODELS = Path(next(iter(_spec.submodule_search_locations))) / "models"

detector = dlib.get_frontal_face_detector()
landmarks = dlib.shape_predictor(str(MODELS / "shape_predictor_5_face_landmarks.dat"))
encoder = dlib.face_recognition_model_v1(str(MODELS / "dlib_face_recognition_resnet_model_v1.dat"))


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
    everything = []
    for name in STYLES:
        request = EngineRequest(
            Task.PHOTO_TO_ANIME, spec=ArtSpec(style=name), image=photo, seed=1, n=4
        )
        distances = []
        for out in ToonEngine().run(request).images:
            found = embedding(out)
            distances.append(
                float("inf") if found is None else float(np.linalg.norm(found - reference))
            )
        everything += distances
        found_n = sum(d != float("inf") for d in distances)
        ok = all(d <= GOAL for d in distances)
        met &= ok
        shown = " ".join("none " if d == float("inf") else f"{d:.3f}" for d in distances)
        print(
            f"{name:10s} face found in {found_n}/4  distances {shown}  "
            f"{'ok' if ok else 'over goal'}"
        )
    finite = [d for d in everything if d != float("inf")]
    print(f"goal (found and <= {GOAL} in every style and version): {'met' if met else 'NOT met'}")
    if finite:
        print(
            f"over {len(everything)} images: found in {len(finite)}, "
            f"median {np.median(finite):.3f}, worst {max(finite):.3f}"
        )


if __name__ == "__main__":
    main()
