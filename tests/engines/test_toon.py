from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from sakuga.engines.base import Engine, EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.imaging.rig import FaceRig, read_rig
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.styles import STYLES
from tests.engines.contract import EngineContract


class TestToonContract(EngineContract):
    @pytest.fixture()
    def engine(self) -> Engine:
        return ToonEngine()


def _mean_abs(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(np.asarray(a, np.int16) - np.asarray(b, np.int16)).mean())


def test_every_style_looks_different(astronaut: Image.Image) -> None:
    photo = astronaut.resize((256, 256))
    engine = ToonEngine()
    outs = {
        name: engine.run(
            EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style=name), image=photo, seed=3)
        ).images[0]
        for name in STYLES
    }
    names = list(outs)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert _mean_abs(outs[a], outs[b]) > 4, (a, b)


def test_versions_differ_but_keep_the_photo(astronaut: Image.Image) -> None:
    photo = astronaut.resize((256, 256))
    result = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, n=4, seed=11))
    for i in range(4):
        for j in range(i + 1, 4):
            assert _mean_abs(result.images[i], result.images[j]) > 2
    # Still the same person: inside the person (a version may trade the photo's
    # background for one in the style's palette) the output follows the photo.
    found = read_rig(np.asarray(photo))
    assert found is not None
    person = found.person > 0.5
    gray_in = np.asarray(photo.convert("L"), np.float32)[person]
    for image in result.images:
        gray_out = np.asarray(image.convert("L"), np.float32)[person]
        assert np.corrcoef(gray_in, gray_out)[0, 1] > 0.6


def test_avatar_is_square_around_the_face(astronaut: Image.Image) -> None:
    result = ToonEngine().run(
        EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(use="avatar"), image=astronaut, seed=1)
    )
    assert result.images[0].size == (1024, 1024)
    assert result.params["Faces"] == 1


def test_photo_aspect_kept_without_a_use(cat: Image.Image) -> None:
    result = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=cat, seed=1))
    assert result.images[0].size == cat.size


def test_transparent_input_is_flattened_on_white(photo_small: Image.Image) -> None:
    rgba = photo_small.convert("RGBA")
    rgba.putalpha(0)
    result = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=rgba, seed=1))
    assert np.asarray(result.images[0]).mean() > 200


def test_every_face_in_a_group_photo_is_drawn(astronaut: Image.Image) -> None:
    # Two people side by side (no package ships a photo of two people; the second
    # face is the first mirrored, which is enough to check coverage), small in frame.
    one = np.asarray(astronaut)
    pair = Image.fromarray(np.ascontiguousarray(np.concatenate([one, one[:, ::-1]], axis=1)))
    result = ToonEngine().run(
        EngineRequest(Task.PHOTO_TO_ANIME, image=pair, seed=2, size=(512, 256))
    )
    assert result.params["Faces"] == 2


def _rig_of(image: Image.Image) -> FaceRig:
    rig = read_rig(np.asarray(image.convert("RGB")))
    assert rig is not None and len(rig.faces) == 1
    return rig.faces[0]


def test_anime_eyes_are_drawn_where_the_eyes_are(astronaut: Image.Image) -> None:
    face = _rig_of(astronaut)
    out = np.asarray(
        ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut, seed=1)).images[0]
    )
    for side in (-1, 1):
        (cx, cy), _ = face.iris(side)
        r = face.width * 0.12
        patch = out[int(cy - r) : int(cy + r), int(cx - r) : int(cx + r)].reshape(-1, 3).astype(int)
        # A drawn anime eye holds near-white (catchlight, eye white) and near-black (lash, pupil).
        assert (patch.min(axis=1) > 235).any()
        assert (patch.max(axis=1) < 70).any()


def test_a_tilted_head_gets_its_eyes_where_they_are(astronaut: Image.Image) -> None:
    tilted = astronaut.rotate(-20, resample=Image.Resampling.BICUBIC, fillcolor=(200, 200, 200))
    face = _rig_of(tilted)
    result = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=tilted, seed=3))
    assert result.params["Faces"] == 1
    out = np.asarray(result.images[0])
    for side in (-1, 1):
        (cx, cy), _ = face.iris(side)
        r = face.width * 0.12
        patch = out[int(cy - r) : int(cy + r), int(cx - r) : int(cx + r)].reshape(-1, 3).astype(int)
        assert (patch.min(axis=1) > 235).any() and (patch.max(axis=1) < 70).any()


def test_the_face_is_painted_flat(astronaut: Image.Image) -> None:
    """No photo texture left in the face: nearly all its skin is one of a few cel tones
    (the measure of benchmarks/portrait.py, whose goal is 0.9)."""
    from benchmarks.portrait import face_skin, flatness

    face = _rig_of(astronaut)
    skin = face_skin(face, astronaut.size[::-1])
    out = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut, seed=5)).images[0]
    assert flatness(np.asarray(astronaut), skin) < 0.5  # the measure sees the photo's texture
    assert flatness(np.asarray(out), skin) >= 0.9


def test_without_the_rig_the_photo_is_painted_as_a_scene(
    astronaut: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sakuga.engines.toon import sitting

    monkeypatch.setattr(sitting, "read_rig", lambda *a, **k: None)
    result = ToonEngine().run(
        EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut.resize((256, 256)), seed=1)
    )
    assert result.params["Rig"] == "off"
    assert result.params["Faces"] == 0
    assert result.images[0].size == (256, 256)


def test_a_photo_of_no_one_and_no_pet_is_painted_as_a_scene_and_says_so() -> None:
    """A cup of coffee: no face, no pet's eyes; without a word from the creator, it is
    a scene, and the result says so (a cat is found by itself: test_toon_pet_auto)."""
    from skimage import data

    coffee = Image.fromarray(data.coffee(), "RGB").resize((300, 200))
    result = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=coffee, seed=1, n=2))
    assert result.params["Faces"] == 0
    assert result.subject == "scene" and result.params["Subject"] == "scene"


def test_the_same_photo_and_seed_give_the_same_pixels_whatever_ran_before() -> None:
    """OpenCV's random generator is one per thread and goes on between calls: the hair's
    and the small parts' k-means were not seeded, so the same photo and seed gave other
    pixels on a second run in one process (or in another worker thread). Whatever state
    the generator is left in, the picture is the same."""
    import cv2

    from sakuga.imaging.samples import load_sample

    photo = load_sample("hopper").rotate(  # the benchmark's rotated variant, where it showed
        15, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(128,) * 3
    )
    pictures = []
    for state in (1, 42, 987654):
        cv2.setRNGSeed(state)  # what earlier work left behind
        request = EngineRequest(Task.PHOTO_TO_ANIME, image=photo, seed=8)
        pictures.append(np.asarray(ToonEngine().run(request).images[0]))
    assert np.array_equal(pictures[0], pictures[1])
    assert np.array_equal(pictures[0], pictures[2])


def test_one_eye_read_a_little_narrower_is_no_wink() -> None:
    """Judge (stop 61): a blurred 25-pixel face, upscaled, winked — one eye read at 0.125
    lid gap (closed under 0.13), the other 0.26. Both eyes close together (a laugh), or
    one alone when it is clearly shut; a profile's one eye is as it reads."""
    from types import SimpleNamespace

    from sakuga.engines.toon.features import _closed

    def face(left: float, right: float) -> object:
        return SimpleNamespace(openness=lambda side: left if side < 0 else right)

    assert not _closed(face(0.125, 0.26), -1, (-1, 1))  # type: ignore[arg-type]
    assert _closed(face(0.05, 0.3), -1, (-1, 1))  # type: ignore[arg-type]  # a wink
    assert _closed(face(0.1, 0.11), 1, (-1, 1))  # type: ignore[arg-type]  # a laugh
    assert _closed(face(0.1, 0.9), -1, (-1,))  # type: ignore[arg-type]  # a profile
