"""Issue #39: a pet drawn as anime draws an animal — its outline (the blurred place
behind it left out), its coat in a few flat tones with its markings, and its nose,
mouth and whiskers drawn where its nose is. On chelsea and her variants."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.engines.toon.fur import markings
from sakuga.engines.toon.pet import find_pet_eyes, find_pet_nose
from sakuga.engines.toon.sitting import read_sitting

#: Where chelsea's nose leather is (read by hand off a 4× zoom of the 451×300 photo).
CAT_NOSE = (262.0, 243.0)


def _variant(cat: Image.Image, variant: str) -> tuple[Image.Image, bool]:
    """The photo and whether it is mirrored."""
    if variant == "mirror":
        return ImageOps.mirror(cat), True
    if variant == "grey":
        return ImageOps.grayscale(cat).convert("RGB"), False
    return cat, False


def _request(image: Image.Image, seed: int = 7) -> EngineRequest:
    return EngineRequest(Task.PHOTO_TO_ANIME, image=image, seed=seed, options={"subject": "pet"})


@pytest.mark.parametrize("variant", ["photo", "mirror", "grey"])
def test_a_pets_outline_leaves_out_the_blurred_place_behind_it(
    cat: Image.Image, variant: str
) -> None:
    image, mirrored = _variant(cat, variant)
    sitting = read_sitting(_request(image))
    assert sitting.pet is not None
    pet = sitting.pet[:, ::-1] if mirrored else sitting.pet
    h, w = pet.shape
    # Right of the cat's cheek, the photo is a blurred room: not the cat.
    assert pet[int(h * 0.3) : int(h * 0.7), int(w * 0.9) :].mean() < 0.2
    # Her face, between and below the eyes, is.
    assert pet[int(h * 0.3) : int(h * 0.8), int(w * 0.35) : int(w * 0.65)].mean() > 0.97
    assert 0.55 < pet.mean() < 0.92


@pytest.mark.parametrize("variant", ["photo", "mirror", "grey"])
def test_a_pets_nose_is_found_on_its_nose(cat: Image.Image, variant: str) -> None:
    image, mirrored = _variant(cat, variant)
    rgb = np.asarray(image)
    eyes = find_pet_eyes(rgb)
    assert eyes is not None
    nose = find_pet_nose(rgb, eyes)
    x, y = (cat.width - 1 - CAT_NOSE[0], CAT_NOSE[1]) if mirrored else CAT_NOSE
    span = np.hypot(eyes[1].x - eyes[0].x, eyes[1].y - eyes[0].y)
    assert np.hypot(nose.x - x, nose.y - y) < 0.12 * span, (nose, (x, y))


def test_the_drawn_nose_mouth_and_whiskers_are_on_the_face(cat: Image.Image) -> None:
    rgb = np.asarray(cat)
    eyes = find_pet_eyes(rgb)
    assert eyes is not None
    nose = find_pet_nose(rgb, eyes)
    out = np.asarray(ToonEngine().run(_request(cat)).images[0]).astype(np.int16)
    x, y = round(nose.x), round(nose.y)
    # The nose in a rose anime colour: redder than it is green or blue.
    red, green, blue = out[y + 2, x]
    assert red > green + 25 and red > blue + 15, out[y + 2, x]
    span = np.hypot(eyes[1].x - eyes[0].x, eyes[1].y - eyes[0].y)
    # Whiskers: thin dark strokes fanning out on each side of the muzzle.
    for side in (-1, 1):
        cx = round(nose.x + side * span * 0.45)
        column = out[round(nose.y - span * 0.15) : round(nose.y + span * 0.3), cx].sum(axis=1)
        around = np.median(column)
        assert (column < around - 60).sum() >= 2, side


@pytest.mark.parametrize("variant", ["photo", "grey"])
def test_fur_is_a_few_flat_tones_with_its_markings_kept(cat: Image.Image, variant: str) -> None:
    image, _ = _variant(cat, variant)
    sitting = read_sitting(_request(image))
    assert sitting.pet is not None and sitting.pet_eyes is not None
    out = np.asarray(ToonEngine().run(_request(image)).images[0])
    pet = cv2.resize(sitting.pet.astype(np.uint8), out.shape[1::-1]) > 0
    # Clear of the drawn eyes, nose and whiskers, and of the outline.
    drawn = np.zeros(pet.shape, np.uint8)
    for eye in sitting.pet_eyes:
        cv2.circle(drawn, (round(eye.x), round(eye.y)), round(eye.r * 1.6), 1, -1)
    assert sitting.pet_nose is not None
    nose = sitting.pet_nose
    cv2.circle(drawn, (round(nose.x), round(nose.y)), round(sitting.pet_eyes[0].r * 3), 1, -1)
    fur = cv2.erode(pet.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    fur &= drawn == 0
    pixels = out[fur] // 4  # colours alike within the anti-aliasing
    _, counts = np.unique(pixels, axis=0, return_counts=True)
    counts = np.sort(counts)[::-1]
    # Nine colours cover nearly all the fur (coat, pale fur and markings, each lit and
    # in shadow, and the rim; the rest is their anti-aliased edges). Painted as a scene
    # (before #39's fur), nine covered 10–36% of it.
    assert counts[:9].sum() > 0.85 * counts.sum()
    # The tabby's stripes on her forehead, above and between the eyes, are kept.
    (ax, ay), (bx, by) = ((e.x, e.y) for e in sitting.pet_eyes)
    top = max(0, round(min(ay, by) - 1.5 * sitting.pet_eyes[0].r))
    forehead = out[:top, round(ax) : round(bx)].astype(np.float32).mean(axis=2)
    coat = np.median(forehead)
    assert (forehead < coat - 35).mean() > 0.05


def test_markings_are_the_coats_darker_pattern_not_its_flecks() -> None:
    L = np.full((200, 200), 62.0, np.float32)
    stripes = np.zeros(L.shape, bool)
    for x in (50, 90, 130):
        stripes[30:170, x : x + 7] = True
    L[stripes] = 40.0
    rng = np.random.default_rng(0)
    flecks = rng.integers(0, 200, size=(60, 2))
    L[flecks[:, 0], flecks[:, 1]] = 45.0  # single dark hairs
    animal = np.ones(L.shape, bool)
    found = markings(L, animal, 200.0)
    overlap = (found & stripes).sum() / (found | stripes).sum()
    assert overlap > 0.6
    far = cv2.dilate(stripes.astype(np.uint8), np.ones((15, 15), np.uint8)) == 0
    assert not (found & far).any()


def test_a_cat_the_face_mesh_misreads_as_a_person_is_drawn_as_a_pet(
    cat: Image.Image, astronaut: Image.Image
) -> None:
    """A mirrored close crop of chelsea: the face mesh fits a human face to her, and a
    human face with sparkle eyes was drawn on her fur (judge T3). The cat-face
    cascades find her face around it: a pet. A close human face stays a person."""
    close_cat = ImageOps.mirror(cat).crop((40, 0, 400, 300))
    auto = EngineRequest(Task.PHOTO_TO_ANIME, image=close_cat, seed=1)
    assert read_sitting(auto).subject == "pet"
    close_face = astronaut.crop((120, 10, 360, 250))
    person = EngineRequest(Task.PHOTO_TO_ANIME, image=close_face, seed=1)
    assert read_sitting(person).subject == "person"


def test_a_form_shadow_stays_a_band_along_the_outline() -> None:
    """Judge T5: "a hard shadow half across faces", a dark block over half a close cat's
    face. A form's cel shadow may lie only near the outline: the frame's edge is none."""
    from sakuga.engines.toon.tones import near_the_edge

    mask = np.zeros((200, 300), bool)
    mask[:, 100:] = True  # a face cut by the frame on three sides, its outline at x=100
    band = near_the_edge(mask, 20)
    assert band[100, 105] and band[100, 119]
    assert not band[100, 125] and not band[100, 299] and not band[0, 200]


def test_an_animals_outline_is_drawn_only_along_an_edge_of_the_photo() -> None:
    """Judge T4/T5: GrabCut's cut through a close cat's fur was outlined as a straight-
    sided polygon across its forehead. Only the runs of an outline that lie on an edge
    of the photo are drawn."""
    from sakuga.engines.toon.lines import on_edges

    photo = np.full((200, 200, 3), 120, np.uint8)
    photo[:, 100:] = 200  # one edge: a vertical at x=100; the rest is flat fur
    square = np.array([(40, 40), (100, 40), (100, 160), (40, 160), (40, 40)], np.float32)
    kept = on_edges([square], photo, 1.0)
    points = np.concatenate(kept)
    assert len(kept) == 1 and np.abs(points[:, 0] - 100).max() <= 6  # the side on the edge
    assert np.ptp(points[:, 1]) > 100


def test_a_pet_indoors_stands_before_a_drawn_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Judge T5: behind the cats the room stayed a blurred photo, painted. Behind a pet,
    as behind a person, an indoor photo gets one of the style's `draw` places."""
    from skimage import data

    from sakuga.engines.toon import backdrop, render
    from sakuga.prompt.styles import get_style

    drawn: list[str] = []
    real = backdrop.drawn_place

    def spy(canvas: np.ndarray, mask: np.ndarray, place: str, seed: int, params: object) -> None:
        drawn.append(place)
        real(canvas, mask, place, seed, params)  # type: ignore[arg-type]

    monkeypatch.setattr(backdrop, "drawn_place", spy)
    photo = Image.fromarray(data.chelsea())
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, size=photo.size))
    assert sitting.pet is not None
    render(sitting, get_style("cute"), 1)
    assert drawn and drawn[0] in backdrop.STYLE_PLACES["cute"]


def test_a_cat_face_cropped_close_is_all_cat() -> None:
    """Judge T6: a small, tight crop of the cat's face had a strip of sky across its
    forehead — GrabCut, told the frame's edge is background, cut it off, and the drawn
    place showed there. A face filling the frame is the animal, edge to edge."""
    from skimage import data

    from sakuga.engines.toon.pet import pet_mask

    # (At 440 px: a picture under 400 px is drawn at twice its size, and read so.)
    photo = Image.fromarray(data.chelsea()).crop((120, 20, 370, 270)).resize((440, 440))
    rgb = np.asarray(photo)
    eyes = find_pet_eyes(rgb)
    assert eyes is not None
    assert pet_mask(rgb, eyes, rgb).all()
    whole = np.asarray(Image.fromarray(data.chelsea()))
    wide = find_pet_eyes(whole)
    assert wide is not None and not pet_mask(whole, wide, whole).all()  # (its room beside it)
