"""Issue #39: a cat is found as a pet unasked (``subject="auto"``), and photos with no
pet are not. `cat_face` proposes the eyes `find_pet_eyes` finds and lets OpenCV's
cat-face cascades judge the face they imply; the auto path then draws those eyes."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageOps

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.engines.toon.pet import cat_face, find_pet_eyes

#: Where chelsea's pupils are (read by hand off a 4× zoom of the 451×300 photo).
CAT_EYES = ((172.0, 112.0), (312.0, 132.0))


def _variant(cat: Image.Image, variant: str) -> tuple[Image.Image, list[np.ndarray]]:
    """Chelsea as ``variant``, and where her pupils are in it (image-left first)."""
    eyes = [np.array(e) for e in CAT_EYES]
    if variant == "mirror":
        return ImageOps.mirror(cat), [np.array((cat.width - 1 - x, y)) for x, y in CAT_EYES[::-1]]
    if variant == "grey":
        return ImageOps.grayscale(cat).convert("RGB"), eyes
    if variant == "camera":  # as large as a phone's photo is across, after a resize
        k = 1024 / cat.width
        return cat.resize((1024, round(cat.height * k)), Image.Resampling.LANCZOS), [
            e * k for e in eyes
        ]
    return cat, eyes


@pytest.mark.parametrize("variant", ["photo", "mirror", "grey", "camera"])
def test_a_cat_is_found_unasked_with_its_eyes_in_place(cat: Image.Image, variant: str) -> None:
    image, eyes = _variant(cat, variant)
    rgb = np.asarray(image)
    box = cat_face(rgb)
    assert box is not None, variant
    x0, y0, x1, y1 = box
    assert all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in eyes), (variant, box)
    # What the auto path does next: the eyes found inside the box are the cat's.
    found = find_pet_eyes(rgb, box)
    assert found is not None, variant
    for eye, where in zip(found, eyes, strict=True):
        assert np.hypot(eye.x - where[0], eye.y - where[1]) < 0.5 * eye.r, (variant, eye, where)
    assert found[0].r == found[1].r  # one animal's two eyes, drawn the same size


def _no_pet(name: str) -> Image.Image:
    from skimage import data
    from sklearn.datasets import load_sample_image

    if name in ("china", "flower"):
        return Image.fromarray(load_sample_image(f"{name}.jpg"))
    return Image.fromarray(getattr(data, name)()).convert("RGB")


@pytest.mark.parametrize("name", ["astronaut", "coffee", "china", "flower", "coins", "rocket"])
@pytest.mark.parametrize("variant", ["photo", "mirror", "grey"])
def test_a_photo_with_no_pet_has_no_cat_face(name: str, variant: str) -> None:
    """Not even where the circle search finds a pair of round, dark-centred things
    (coins, a cup's rim, a helmet's visor, flower centres)."""
    image = _no_pet(name)
    if variant == "mirror":
        image = ImageOps.mirror(image)
    elif variant == "grey":
        image = ImageOps.grayscale(image).convert("RGB")
    assert cat_face(np.asarray(image)) is None


def test_a_photo_all_texture_is_not_searched_for_eyes() -> None:
    """Grass is edges everywhere: no cat face, and no seconds-long circle search."""
    from skimage import data

    grass = np.asarray(Image.fromarray(data.grass()).convert("RGB"))
    assert cat_face(grass) is None


def test_the_engine_draws_an_unasked_cat_as_a_pet(cat: Image.Image) -> None:
    """Through the engine, with no subject given and nothing in the prompt: the result
    and its recipe say "pet", and anime eyes are drawn over the cat's (a dark pupil at
    each eye's centre, a white catchlight within its iris)."""
    result = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=cat, seed=3))
    assert result.subject == "pet"
    assert result.params["Subject"] == "pet"
    out = np.asarray(result.images[0]).astype(np.int16)
    found = find_pet_eyes(np.asarray(cat), cat_face(np.asarray(cat)))
    assert found is not None
    for eye, where in zip(found, CAT_EYES, strict=True):
        x, y, r = round(eye.x), round(eye.y), eye.r
        assert np.hypot(x - where[0], y - where[1]) < 0.5 * r
        assert out[y, x].max() < 90
        patch = out[max(0, round(y - r)) : round(y + r), max(0, round(x - r)) : round(x + r)]
        assert (patch.min(axis=2) > 245).sum() > 4
