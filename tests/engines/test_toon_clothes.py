"""Issue #39: clothes drawn as illustration. How `toon` lays a garment's cel shapes
(`clothes.cloth_shapes`) and joins a greyscale photo's cloth (`clothes._garments`,
`clothes._absorb_folds`), checked on garments built in code, where the right answer is
known."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from sakuga.engines.toon.clothes import _absorb_folds, _garments, cloth_shapes, form_shadow
from sakuga.engines.toon.tones import Look

SIDE = 400


def _torso() -> np.ndarray:
    region = np.zeros((SIDE, SIDE), bool)
    cv2.ellipse(region.view(np.uint8), (200, 260), (130, 150), 0, 0, 360, 1, -1)
    return region


def _pieces(mask: np.ndarray, min_area: int = 20) -> int:
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=4)
    return int((stats[1:, cv2.CC_STAT_AREA] >= min_area).sum())


def test_evenly_lit_cloth_gets_no_blotches_only_its_forms_shadow() -> None:
    """A garment whose photo shows only small wrinkles (±6 L, a few pixels across) is one
    flat tone with the form's shadow on the side away from the light: the wrinkles are
    not painted as patches (a fixed darkest share of it would be)."""
    region = _torso()
    rng = np.random.default_rng(1)
    wrinkles = cv2.GaussianBlur(rng.normal(0, 1, (SIDE, SIDE)).astype(np.float32), (0, 0), 3)
    lightness = 60 + 6 * wrinkles / np.abs(wrinkles).max()
    look = replace(Look.from_seed(1), light=0.8, shadow_bias=0.0)
    dark, deep, lit, form = cloth_shapes(region, lightness, look, SIDE, black=False)
    assert not dark.any() and not deep.any()  # no blotches
    xs = np.nonzero(form)[1]
    assert form.any() and xs.max() < 200  # the form's shadow, on the left (lit from the right)
    assert _pieces(form) == 1
    assert lit.any() and np.nonzero(lit)[1].min() > 200  # the lit edge faces the light
    frontal = replace(look, light=0.0)
    assert not any(m.any() for m in cloth_shapes(region, lightness, frontal, SIDE, False))


def test_a_big_fold_is_one_smooth_shadow_and_a_speck_is_none() -> None:
    """A deep fold across a fifth of the garment comes back as one shadow shape with a
    smooth edge; a dark speck of 0.1% of the picture (a stain, a wrinkle's pit) does not."""
    region = _torso()
    lightness = np.full((SIDE, SIDE), 62.0, np.float32)
    cv2.ellipse(lightness, (200, 300), (90, 45), 20, 0, 360, 36.0, -1)  # the fold
    cv2.circle(lightness, (150, 170), 6, 30.0, -1)  # a speck
    look = replace(Look.from_seed(1), light=0.0, shadow_bias=0.0)
    dark, _deep, _lit, _form = cloth_shapes(region, lightness, look, SIDE, black=False)
    assert _pieces(dark) == 1
    assert dark[300, 200] and not dark[170, 150]
    # Smooth: its outline is about as long as the ellipse's, not ragged.
    contours, _ = cv2.findContours(dark.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    perimeter = cv2.arcLength(max(contours, key=cv2.contourArea), True)
    assert perimeter < 1.25 * 2 * np.pi * np.sqrt((90**2 + 45**2) / 2)


def test_a_light_neighbour_does_not_light_the_garments_edge() -> None:
    """The garment's light is read within the garment alone: a white strap beside an
    evenly lit suit does not make the suit's edge a lit or a shadowed band."""
    region = _torso()
    lightness = np.where(region, 55.0, 95.0).astype(np.float32)  # a white backdrop/strap
    look = replace(Look.from_seed(1), light=0.0, shadow_bias=0.0)
    assert not any(m.any() for m in cloth_shapes(region, lightness, look, SIDE, False))


def test_a_garment_the_frame_cuts_off_has_no_shadow_along_the_frame() -> None:
    """A coat running off the frame's left edge goes on past it: lit from the right, its
    form's shadow follows its own left edge inside the picture, never a straight band
    down the frame's edge (blind judge: "a perfectly straight vertical band")."""
    region = np.zeros((SIDE, SIDE), bool)
    region[150:, :260] = True  # cut off by the frame on the left and at the bottom
    region[100:150, 60:200] = True  # the shoulders, inside the frame
    look = replace(Look.from_seed(1), light=0.8, shadow_bias=0.0)
    form = form_shadow(region, look, SIDE)
    assert not form[:, :4].any()  # nothing down the frame's edge
    assert form[120, 62]  # the shoulder's own left edge is shaded


def test_black_cloth_is_shaded_by_its_form_alone() -> None:
    region = _torso()
    lightness = np.full((SIDE, SIDE), 15.0, np.float32)
    cv2.circle(lightness, (260, 200), 40, 30.0, -1)  # sheen
    cv2.circle(lightness, (150, 320), 50, 5.0, -1)  # a crease
    look = replace(Look.from_seed(1), light=0.8, shadow_bias=0.0)
    dark, deep, lit, form = cloth_shapes(region, lightness, look, SIDE, black=True)
    assert form.any() and np.nonzero(form)[1].max() < 200  # the form's, on the left
    assert not dark.any() and not deep.any() and not lit.any()


def test_a_greyscale_suits_folds_join_the_suit() -> None:
    """Without colour, k-means splits a light grey suit by lightness: its darker grey
    folds (enclosed by it) join it, while a black glove at its edge, far darker, and the
    lighter parts around it stay what they are."""
    labels = np.full((200, 200), -1, np.int32)
    labels[20:180, 20:180] = 0  # the suit, L 64
    labels[60:90, 50:110] = 1  # a fold inside it, L 44
    labels[120:170, 120:150] = 1  # another fold of that grey
    labels[150:180, 20:60] = 2  # a glove at its edge, L 12 (far darker)
    centres = np.array([[64, 0, 0], [44, 0, 0], [12, 0, 0]], np.float32)
    _absorb_folds(labels, centres, 200 * 200 * 0.1)
    assert (labels[60:90, 50:110] == 0).all() and (labels[120:170, 120:150] == 0).all()
    assert (labels[150:180, 20:60] == 2).all()


def test_in_a_greyscale_photo_greys_a_shade_apart_are_one_cloth_unless_at_the_face() -> None:
    centres = np.array([[60, 0, 0], [45, 0, 0], [75, 0, 0], [90, 0, 0]], np.float32)
    labels = np.repeat(np.arange(4, dtype=np.int32), 10)[None, :]
    lab = centres[labels[0]][None].copy()
    skin = [np.array([70, 14, 18], np.float32)]
    joined = labels.copy()
    _garments(lab, joined, centres, skin, [False, False, False, False])
    assert len(set(joined[0])) == 1  # 45, 60, 75 and 90: each a shade from the next
    apart = labels.copy()
    _garments(lab, apart, centres, skin, [False, False, True, False])
    assert apart[0, 20] == 2 and apart[0, 0] == apart[0, 10] != 2  # the grey at the face
    colour = labels.copy()
    _garments(lab, colour, centres, skin)  # a colour photo: mid greys are cloth of their own
    assert len({colour[0, 0], colour[0, 10], colour[0, 20]}) == 3
