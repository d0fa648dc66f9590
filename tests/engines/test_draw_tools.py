"""Actions done with a tool in both hands (#31): knitting, sweeping, serving, watering —
drawn as done (the hands on the tool), so not reported; what they do not draw is."""

from __future__ import annotations

import numpy as np
import pytest

from sakuga.engines.draw import catalogue, drawing_svg, traits_from_spec
from sakuga.engines.draw.report import report
from sakuga.engines.draw.svg import render_svg
from sakuga.prompt.artspec import ArtSpec

SIZE = (256, 256)


def _rgba(prompt: str, layers: set[str], seed: int = 1) -> np.ndarray:
    spec = ArtSpec.from_text(prompt)
    return np.asarray(render_svg(drawing_svg(spec, SIZE, seed, only=layers), SIZE)).astype(int)


def _near(rgba: np.ndarray, colour: tuple[int, int, int], within: int = 60) -> np.ndarray:
    return (np.abs(rgba[..., :3] - np.array(colour)).sum(axis=2) < within) & (rgba[..., 3] > 200)


def _box(mask: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of a mask's pixels."""
    ys, xs = np.nonzero(mask)
    return int(ys.min()), int(ys.max()), int(xs.min()), int(xs.max())


@pytest.mark.parametrize(
    ("prompt", "action", "missed"),
    [
        ("a girl knitting a scarf by the fire", "knitting", []),  # its fireplace drawn
        ("a boy sweeping the shrine steps with a broom", "sweeping", ["shrine steps"]),
        ("a maid serving tea in a cafe", "serving", []),
        ("a girl watering flowers with a watering can", "watering", []),
        ("a waiter carrying a tray", "serving", []),
    ],
)
def test_the_action_is_drawn_and_only_what_it_does_not_draw_is_reported(
    prompt: str, action: str, missed: list[str]
) -> None:
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert traits.action == action
    entry = next(e for e in catalogue.ACTIONS if e.name == action)
    assert traits.gesture == entry.paint
    drawn, not_drawn = report(spec, traits)
    assert not_drawn == missed, not_drawn
    assert any(any(w in d["by"] for w in (action, *entry.words)) for d in drawn), drawn


def test_knitting_a_red_scarf_knits_it_in_red_between_the_hands_and_wears_none() -> None:
    """The scarf is the piece on the needles, in the colour said, below the face and
    between the hands — not a scarf worn round the neck."""
    prompt = "a girl knitting a red scarf"
    traits = traits_from_spec(ArtSpec.from_text(prompt))
    assert "scarf" not in traits.accessories
    assert traits.action_color is not None and traits.action_color[0] > 150
    arms = _rgba(prompt, {"arms"})
    red = _near(arms, traits.action_color)
    assert red.sum() > 400  # the piece (and the ball of yarn), in red
    skin = _near(arms, traits.skin, 40)
    _, _, left, right = _box(skin)  # the two fists
    face = _rgba(prompt, {"face"})[..., 3] > 0
    piece_top, _, piece_left, piece_right = _box(red[:, left : right + 1])
    assert piece_top > _box(face)[1]  # under the chin
    assert right - left > 30  # two hands apart, the piece between them
    assert piece_right - piece_left < right - left
    # Nothing red round the neck: the accessories layer draws no scarf.
    assert not _near(_rgba(prompt, {"accessories"}), traits.action_color).sum()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_broom_is_held_slantwise_with_its_head_on_the_ground(seed: int) -> None:
    """The broom's handle crosses from the chest to the ground on one side, the bristles
    at the feet's level — not held up like a wand."""
    prompt = "a boy sweeping the shrine steps with a broom"
    traits = traits_from_spec(ArtSpec.from_text(prompt))
    assert traits.pose == "full"
    straw = _near(_rgba(prompt, {"arms"}, seed), (214, 178, 100), 70)
    legs = _rgba(prompt, {"legs"}, seed)[..., 3] > 200
    head_top, head_bottom, head_left, head_right = _box(straw)
    assert abs(head_bottom - _box(legs)[1]) < 14  # on the ground, by the feet
    body = _rgba(prompt, {"body"}, seed)[..., 3] > 0
    _, _, body_left, body_right = _box(body)
    middle = (body_left + body_right) / 2
    assert abs((head_left + head_right) / 2 - middle) > 20  # out to one side
    hands = _near(_rgba(prompt, {"arms"}, seed), traits.skin, 40)
    assert _box(hands)[0] < head_top - 60  # the hands up the handle, above its head


def test_the_tray_is_held_level_before_the_chest_with_tea_on_it() -> None:
    prompt = "a maid serving tea in a cafe"
    traits = traits_from_spec(ArtSpec.from_text(prompt))
    arms = _rgba(prompt, {"arms"})
    hands = _near(arms, traits.skin, 40)
    # A fist at each end of the tray, at one height: level.
    ys, xs = np.nonzero(hands)
    middle = (xs.min() + xs.max()) / 2
    left, right = ys[xs < middle], ys[xs > middle]
    assert abs(np.median(left) - np.median(right)) < 8
    face_bottom = _box(_rgba(prompt, {"face"})[..., 3] > 0)[1]
    assert ys.min() > face_bottom  # below the face
    # The teapot (the library's) and the cup sit on it, between the hands.
    teapot = _near(arms, (200, 60, 40), 120)
    assert teapot.sum() > 60
    assert xs.min() < _box(teapot)[2] and _box(teapot)[3] < xs.max()
    assert _box(teapot)[1] < np.median(ys) + 6  # on the tray, not under it


def test_coffee_served_is_cups_of_coffee_not_a_teapot() -> None:
    tea = _rgba("a girl serving tea", {"arms"})
    coffee = _rgba("a girl serving coffee", {"arms"})
    assert _near(coffee, (104, 64, 40), 50).sum() > 20  # the coffee in its cups
    assert _near(tea, (200, 60, 40), 120).sum() > 3 * _near(coffee, (200, 60, 40), 120).sum()
    assert not report(ArtSpec.from_text("a girl serving coffee"))[1]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_watering_can_is_held_out_and_the_flowers_are_where_the_water_falls(
    seed: int,
) -> None:
    prompt = "a girl watering flowers with a watering can"
    traits = traits_from_spec(ArtSpec.from_text(prompt))
    assert traits.pose == "full" and "flowers" in traits.action_shows
    arms = _rgba(prompt, {"arms"}, seed)
    _, _, face_left, face_right = _box(_rgba(prompt, {"face"}, seed)[..., 3] > 0)
    middle = (face_left + face_right) / 2
    can_top, can_bottom, can_left, can_right = _box(_near(arms, (86, 160, 132), 60))
    out = (can_left + can_right) / 2 - middle
    assert abs(out) > 30  # held out to one side
    petals = _near(arms, (240, 120, 160), 50) | _near(arms, (250, 206, 80), 50)
    p_top, p_bottom, p_left, p_right = _box(petals)
    legs = _rgba(prompt, {"legs"}, seed)[..., 3] > 200
    assert abs(p_bottom - _box(legs)[1]) < 40  # the flowers at the ground
    beyond = (p_left + p_right) / 2 - middle
    assert beyond * out > 0 and abs(beyond) > abs(out)  # further out, under the spout
    # The water between the can and the flowers: drawn there, and nothing else is.
    falling = arms[can_bottom + 8 : p_top - 4, :, 3] > 0
    columns = np.nonzero(falling.any(axis=0))[0]
    assert falling.sum() > 10
    assert all((c - middle) * out > 0 for c in columns if abs(c - middle) > 30)
    assert can_top < p_top


def test_what_the_action_is_not_done_to_is_not_claimed() -> None:
    """Watering with no flowers named draws no flowers (the lawn it waters is reported)."""
    traits = traits_from_spec(ArtSpec.from_text("a girl watering the lawn"))
    assert traits.action == "watering" and not traits.action_shows
    _, missed = report(ArtSpec.from_text("a girl watering the lawn"))
    assert "lawn" in " ".join(missed)
