"""Places are a catalogue (#31): each entry found by its words, painted by its own
painter, and what it implies (a room keeps the weather outside) read from the entry."""

from __future__ import annotations

import numpy as np
import pytest

from sakuga.engines.draw import catalogue, drawing_svg, traits_from_spec
from sakuga.engines.draw.backgrounds import PAINTERS
from sakuga.engines.draw.catalogue import PLACES, Thing, place
from sakuga.engines.draw.character import ROOMS
from sakuga.engines.draw.report import report
from sakuga.engines.draw.svg import render_svg
from sakuga.engines.draw.words import BACKGROUNDS
from sakuga.prompt.artspec import ArtSpec

SIZE = (256, 256)


def test_every_place_has_its_painter_and_the_choices_come_from_the_catalogue() -> None:
    assert {e.paint for e in PLACES} <= set(PAINTERS)
    assert set(BACKGROUNDS) == {e.name for e in PLACES}
    assert {"hallway", "gym", "hangar", "office", "living", "train"} <= ROOMS
    assert not {"ruins", "underwater", "beach"} & ROOMS


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("a girl in a school hallway with lockers", "hallway"),
        ("a boxer in a boxing ring", "gym"),
        ("a mecha pilot in a mecha hangar", "hangar"),
        ("an office lady in her office", "office"),
        ("a girl under the sea", "underwater"),
        ("a girl swimming underwater with fish", "underwater"),
        ("a boy walking through a ruined city", "ruins"),
        ("post-apocalyptic ruins, a girl with a backpack", "ruins"),
        ("a cafe on a busy street", "cafe"),  # the first place of the catalogue said
        ("a girl, stage lights", "stage"),  # a stage named by its lights
        ("girl, festival lanterns glowing", "festival"),
        ("a girl, neon street lights", "city"),
        ("airport terminal, girl with big suitcase, looking at departure board", "airport"),
        ("1boy, red scarf, standing in front of a lighthouse, snow", "lighthouse"),
        ("character: knight man | background: castle gate | weather: storm clouds", "ramparts"),
        ("a princess in front of a castle, sunny day", "ramparts"),
        ("a princess in a castle ballroom", "castle"),  # inside, the throne room
        ("grandpa fisherman sitting on a wooden pier, sunset over the sea", "pier"),
        ("woman, nurse, white uniform, hospital corridor, calm", "hospital"),
    ],
)
def test_a_place_said_is_the_place_drawn(prompt: str, name: str) -> None:
    spec = ArtSpec.from_text(prompt)
    assert traits_from_spec(spec).background == name
    _, missed = report(spec)
    named = [
        w
        for w in (
            "hallway",
            "boxing ring",
            "hangar",
            "office",
            "ruined city",
            "airport",
            "lighthouse",
            "castle",
            "pier",
            "hospital",
        )
        if w in prompt
    ]
    assert not any(w in m for m in missed for w in named), missed


@pytest.mark.parametrize(
    "name",
    [
        "hallway",
        "gym",
        "hangar",
        "office",
        "underwater",
        "ruins",
        "airport",
        "lighthouse",
        "ramparts",
        "pier",
        "hospital",
    ],
)
def test_each_new_place_is_its_own_picture(name: str) -> None:
    """Each painted place differs from the plain sky and from every other new place."""
    words = {
        "hallway": "school hallway",
        "gym": "boxing ring",
        "hangar": "mecha hangar",
        "office": "office",
        "underwater": "underwater",
        "ruins": "ruined city",
        "airport": "airport terminal",
        "lighthouse": "lighthouse",
        "ramparts": "castle gate",
        "pier": "wooden pier",
        "hospital": "hospital corridor",
    }

    def bg(words_: str) -> np.ndarray:
        spec = ArtSpec.from_text(f"a girl, {words_}")
        only = {"background"}
        return np.asarray(render_svg(drawing_svg(spec, SIZE, 3, only=only), SIZE)).astype(float)

    mine = bg(words[name])
    for other in [*(w for n, w in words.items() if n != name), "sky"]:
        assert np.abs(mine - bg(other)).mean() > 12, other


def test_rain_stays_outside_a_hallway_but_falls_on_the_ruins() -> None:
    inside = traits_from_spec(ArtSpec.from_text("a girl in a school hallway, rain"))
    outside = traits_from_spec(ArtSpec.from_text("a girl in a ruined city, rain"))
    assert inside.background in ROOMS and outside.background not in ROOMS
    assert catalogue.implied("ruins", "open sky") and catalogue.implied("hallway", "indoors")


def test_a_new_place_is_one_entry() -> None:
    """The catalogue is data: an entry added is found by its words, first in order."""
    arcade = Thing("arcade", "place", ("game center", "arcade"), "city", None, "background")
    found = place("a girl at the game center", (arcade, *PLACES))
    assert found is arcade


def test_a_room_named_beside_scenery_is_the_place_its_window_shows_the_scenery() -> None:
    """ "(cherry blossoms:1.1), classroom window": the classroom, petals outside it."""
    spec = ArtSpec.from_text("pink hair, school uniform, (cherry blossoms:1.1), classroom window")
    traits = traits_from_spec(spec)
    assert traits.background == "classroom" and "petals" in traits.weather
    assert traits_from_spec(ArtSpec.from_text("a girl in a sakura park")).background == "sakura"


def _background(prompt: str, seed: int = 3) -> np.ndarray:
    spec = ArtSpec.from_text(prompt)
    return np.asarray(render_svg(drawing_svg(spec, SIZE, seed, only={"background"}), SIZE))


def test_the_lighthouse_is_a_white_tower_banded_in_red_lit_after_dark() -> None:
    """By day, red bands over white on a tower; at night its lamp glows (a warm, light
    patch high in a dark sky)."""
    day = _background("a girl in front of a lighthouse").astype(int)
    red = (day[..., 0] > 170) & (day[..., 1] < 90) & (day[..., 2] < 90)
    white = day[..., :3].min(axis=2) > 225
    assert red.sum() > 40 and white.sum() > 40
    rows = np.nonzero(red.any(axis=1))[0]
    assert rows.max() - rows.min() > SIZE[1] * 0.2  # bands down a tall tower, not one spot
    night = _background("a girl in front of a lighthouse at night").astype(int)
    # (the night's veil over the whole picture dims it, the grade of the land does not)
    warm = (night[..., 0] > 150) & (night[..., 0] - night[..., 2] > 45)
    assert warm[: SIZE[1] // 2].sum() > 10


def test_the_airport_has_its_glass_wall_a_plane_and_a_departures_board() -> None:
    rgba = _background("airport terminal, a girl with a suitcase").astype(int)
    amber = (
        (rgba[..., 0] > 230) & (rgba[..., 1] > 170) & (rgba[..., 1] < 215) & (rgba[..., 2] < 110)
    )
    assert amber.sum() > 30  # the board's rows
    skyish = (rgba[..., 2] > rgba[..., 0] + 30) & (rgba[..., 2] > 180)
    assert skyish.mean() > 0.15  # the sky through the glass
    livery = (rgba[..., 2] > 140) & (rgba[..., 0] < 80) & (rgba[..., 1] < 120)
    assert livery.sum() > 15  # the plane's tail and stripe


@pytest.mark.parametrize(
    "prompt", ["swordsman at sunset on a hill", "boy walking in the countryside, full body"]
)
def test_a_hill_is_ground_to_stand_on_not_open_sky(prompt: str) -> None:
    """'on a hill' was the open sky, clouds only: a whole figure floated in it (the
    judge). The hill is grass in the lower part of the picture."""
    assert traits_from_spec(ArtSpec.from_text(prompt)).background == "hill"
    rgba = _background(prompt).astype(int)
    low = rgba[int(SIZE[1] * 0.82) :, :, :3]
    sky_blue = (low[..., 2] > low[..., 0] + 25) & (low[..., 2] > low[..., 1])
    assert sky_blue.mean() < 0.2
    assert traits_from_spec(ArtSpec.from_text("girl flying in the sky, clouds")).background == "sky"
