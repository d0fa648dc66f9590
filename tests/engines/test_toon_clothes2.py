"""Clothes and held objects drawn, not smeared: how `toon` tidies a garment's pieces
(`clothes._join_fragments`, `clothes._draw_pieces`), shapes its small parts
(`clothes._drawn_shape`) and a held object's outline (`held.as_object`), on shapes
built in code; and the astronaut's suit and helmet, painted from the photo."""

from __future__ import annotations

from itertools import pairwise

import cv2
import numpy as np

from sakuga.engines.toon.clothes import _draw_pieces, _drawn_shape, _join_fragments
from sakuga.engines.toon.held import as_object

SIDE = 200


def _shapes(labels: np.ndarray) -> int:
    """Connected shapes over all labels (>= 0)."""
    total = 0
    for i in np.unique(labels[labels >= 0]):
        total += cv2.connectedComponents((labels == i).astype(np.uint8), connectivity=8)[0] - 1
    return total


def _corners(mask: np.ndarray) -> int:
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea)
    return len(cv2.approxPolyDP(outline, 0.01 * cv2.arcLength(outline, True), True))


def _wobble(mask: np.ndarray) -> float:
    """The outline's length over its convex hull's: 1 for a clean convex shape."""
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea)
    return float(cv2.arcLength(outline, True) / cv2.arcLength(cv2.convexHull(outline), True))


def _ragged_blob(rng: np.random.Generator) -> np.ndarray:
    """A rough quadrilateral with a jagged edge (a photo's cut), in one piece."""
    corners = np.array([[60, 50], [150, 60], [140, 140], [55, 130], [60, 50]], float)
    edge = np.concatenate([np.linspace(a, b, 40, endpoint=False) for a, b in pairwise(corners)])
    edge += rng.uniform(-5, 5, edge.shape)
    blob = np.zeros((SIDE, SIDE), np.uint8)
    cv2.fillPoly(blob, [np.round(edge).astype(np.int32)], 1)
    return blob.astype(bool)


def test_a_name_tag_with_lettering_is_drawn_as_its_whole_rectangle() -> None:
    """Only the tag's ground is found (its lettering is another colour): drawn, it is
    the whole plate, a rectangle with softly rounded corners, not a smear with holes."""
    tag = np.zeros((SIDE, SIDE), bool)
    tag[80:110, 40:140] = True
    for x in range(50, 130, 12):  # lettering: holes through the middle
        tag[90:100, x : x + 6] = False
    drawn = _drawn_shape(tag)
    assert drawn[92, 52] and drawn[95, 100]  # the letters' holes filled
    assert 0.9 * 3000 < drawn.sum() <= 3000 and not drawn[80, 40]  # corners rounded
    assert not drawn[75, 90] and not drawn[95, 150]


def test_a_round_patch_with_a_bite_is_a_disc_and_a_hook_is_no_rectangle() -> None:
    patch = np.zeros((SIDE, SIDE), np.uint8)
    cv2.circle(patch, (100, 100), 40, 1, -1)
    patch[95:105, 100:145] = 0  # its emblem, another colour, bites into it
    drawn = _drawn_shape(patch.astype(bool))
    assert drawn[100, 120] and abs(int(drawn.sum()) - round(np.pi * 40 * 40)) < 300
    hook = np.zeros((SIDE, SIDE), bool)
    hook[40:160, 40:60] = True
    hook[140:160, 40:140] = True  # an L: fills under half its box
    assert not _drawn_shape(hook, polygon=True)[60, 120]


def test_crumbs_join_the_garment_but_a_strap_and_a_hand_stay() -> None:
    """Crumbs of a lining in a collar join it; a strap (long, narrow) and a skin-
    coloured piece (a hand) keep their own labels."""
    labels = np.zeros((SIDE, SIDE), np.int32)
    centres = np.array([[50, 40, 50], [85, 0, 0], [70, 15, 20]], np.float32)
    crumbs = [(30, 30), (60, 150), (150, 40)]
    for y, x in crumbs:
        labels[y : y + 9, x : x + 9] = 1
    labels[20:180, 100:110] = 1  # a strap
    labels[160:170, 150:160] = 2  # a hand
    _join_fragments(labels, centres, [False, False, True], SIDE * SIDE * 0.004)
    assert all(labels[y + 4, x + 4] == 0 for y, x in crumbs)
    assert (labels[20:180, 100:110] == 1).all() and (labels[160:170, 150:160] == 2).all()
    assert _shapes(labels) == 3


def test_a_small_pieces_ragged_edge_is_drawn_with_a_few_straight_sides() -> None:
    rng = np.random.default_rng(0)
    mask = np.ones((SIDE, SIDE), bool)
    labels = np.zeros((SIDE, SIDE), np.int32)
    blob = _ragged_blob(rng)
    labels[blob] = 1
    centres = np.array([[30, 0, 0], [85, 0, 0]], np.float32)
    assert _wobble(labels == 1) > 1.3
    _draw_pieces(labels, mask, centres, [False, False], 500)  # a piece of 3% of 500²
    assert (labels >= 0).all()  # nothing left unpainted
    assert _wobble(labels == 1) < 1.05 and _corners(labels == 1) <= 12
    assert _shapes(labels) == 2
    assert abs(int((labels == 1).sum()) - int(blob.sum())) < 0.1 * blob.sum()


def test_a_held_objects_cut_is_drawn_as_a_made_things_outline() -> None:
    blob = _ragged_blob(np.random.default_rng(1))
    drawn = as_object(blob)
    assert _wobble(blob) > 1.3 and _wobble(drawn) < 1.05 and _corners(drawn) <= 12
    assert (drawn ^ blob).sum() < 0.15 * blob.sum()  # the jag (±5 px) smoothed away


def test_the_astronauts_helmet_is_drawn_without_a_grey_patch_on_it() -> None:
    """The visor's reflection on the black helmet (plain grey on black) was drawn as a
    grey badge in the middle of it: the helmet is dark there now, one object."""
    import skimage.data
    from PIL import Image

    from sakuga.engines.base import EngineRequest, Task
    from sakuga.engines.toon import ToonEngine
    from sakuga.prompt.artspec import ArtSpec

    photo = Image.fromarray(skimage.data.astronaut())
    request = EngineRequest(
        Task.PHOTO_TO_ANIME, spec=ArtSpec(style="webtoon"), image=photo, seed=3, options={}
    )
    out = np.asarray(ToonEngine().run(request).images[0].convert("RGB"))
    lightness = cv2.cvtColor(out, cv2.COLOR_RGB2LAB)[..., 0].astype(float) * 100 / 255
    assert lightness[430:470, 411:451].max() < 40  # was a grey patch, L≈60
