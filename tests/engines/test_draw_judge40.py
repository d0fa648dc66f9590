"""What held-out judge 40 found (#31): places drawn as another, unreported — the moon
as a cloudy sky, a traditional tatami room as a bedroom, a desk with a computer on a
meadow, a bakery's interior as a street of shopfronts; "flies a kite" drawn with two
flies; the purpose of the picture ("avatar for my channel") reported as not drawn."""

from __future__ import annotations

import numpy as np
import pytest

from sakuga.engines.draw import traits_from_spec
from sakuga.engines.draw.report import report
from sakuga.prompt.artspec import ArtSpec
from tests.engines.drawn import picture


@pytest.mark.parametrize(
    ("prompt", "place"),
    [
        ("astronaut girl, white space suit, standing on the moon, earth in the sky", "moon"),
        ("an old woman in a purple kimono serving tea, traditional room, tatami", "washitsu"),
        ("adult woman, oversized sweater, cozy desk with computer, morning light", "bedroom"),
        ("teen boy baker, apron, holding a tray of fresh bread, bakery interior", "cafe"),
    ],
)
def test_each_place_is_the_place_said(prompt: str, place: str) -> None:
    spec = ArtSpec.from_text(prompt)
    assert traits_from_spec(spec).background == place
    missed = report(spec)[1]
    for word in ("moon", "earth", "tatami", "desk", "computer", "bakery"):
        assert not any(word in m for m in missed), missed


def test_on_the_moon_the_ground_is_grey_under_a_black_sky() -> None:
    rgb = picture("a girl in a space suit standing on the moon, stars")
    sky, ground = rgb[:60].reshape(-1, 3), rgb[-40:].reshape(-1, 3)
    assert np.median(sky.sum(axis=1)) < 90  # black, starry
    r, g, b = np.median(ground, axis=0)
    assert 70 < r < 200 and abs(r - g) < 20 and abs(g - b) < 25  # grey dust


def test_a_word_before_a_an_or_the_is_a_verb_not_a_thing() -> None:
    """ "A young boy … flies a kite": no flies are drawn (two were, on the grass)."""
    spec = ArtSpec.from_text("a young boy flies a kite on a grassy hill")
    drawn = report(spec)[0]
    assert not any("fly" in d["by"] for d in drawn), drawn
    assert any("kite" in d["by"] for d in drawn), drawn


def test_what_the_picture_is_for_is_not_reported() -> None:
    missed = report(ArtSpec.from_text("Avatar for my channel: adult woman, long pink hair"))[1]
    assert not any("channel" in m for m in missed), missed


def test_goggles_are_goggles_up_on_the_forehead_when_said() -> None:
    """ "goggles on forehead" were drawn as glasses over the eyes, unreported."""
    up = traits_from_spec(ArtSpec.from_text("adult male mechanic, goggles on forehead"))
    assert up.accessories == ("goggles",) and up.goggles_up
    worn = traits_from_spec(ArtSpec.from_text("a pilot girl with aviator goggles"))
    assert worn.accessories == ("goggles",) and not worn.goggles_up  # no glasses under
    assert "glasses" in traits_from_spec(ArtSpec.from_text("a boy in glasses")).accessories


def test_a_water_bottle_is_no_babys_bottle() -> None:
    """A baby's bottle answered to "bottle": a water bottle was drawn as one, unreported.
    With no plain bottle to draw, the water bottle is reported."""
    drawn, missed = report(ArtSpec.from_text("a girl in a blue tracksuit holding a water bottle"))
    assert not any("baby" in d["by"] for d in drawn), drawn
    assert any("bottle" in m for m in missed), missed
    drawn = report(ArtSpec.from_text("a mother holding a baby bottle"))[0]
    assert any("baby-bottle" in d["by"] for d in drawn), drawn


def test_a_young_boy_is_a_child() -> None:
    assert traits_from_spec(ArtSpec.from_text("a young boy flies a kite")).build == "chibi"
    assert traits_from_spec(ArtSpec.from_text("a young woman in a suit")).build == "adult"


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_kite_in_the_sky_is_on_the_side_the_figure_leaves_open(seed: int) -> None:
    """Judge 40 saw no kite: in a mirrored version the background (the sky's things with
    it) was mirrored after they were set out on the open side — behind the head."""
    from tests.engines.drawn import head_box

    prompt = "a young boy on a grassy hill, a kite in the sky"
    with_kite = picture(prompt, seed)
    without = picture("a young boy on a grassy hill", seed)
    top = np.abs(with_kite - without).sum(axis=2)[: with_kite.shape[0] // 2] > 60
    assert top.sum() > 40, top.sum()  # the kite shows
    x0, _, x1, _ = head_box(prompt, seed)
    kite_x = float(np.nonzero(top)[1].mean())
    assert not x0 <= kite_x <= x1, (kite_x, x0, x1)
