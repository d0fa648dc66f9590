"""Places are a catalogue (#31): each entry found by its words, painted by its own
painter, and what it implies (a room keeps the weather outside) read from the entry."""

from __future__ import annotations

import numpy as np
import pytest

from sakuga.engines.draw import catalogue, drawing_svg, traits_from_spec
from sakuga.engines.draw.backgrounds import PAINTERS
from sakuga.engines.draw.catalogue import PLACES, Thing, place
from sakuga.engines.draw.character import ROOMS
from sakuga.engines.draw.svg import render_svg
from sakuga.engines.draw.traits import BACKGROUNDS, report
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
    ],
)
def test_a_place_said_is_the_place_drawn(prompt: str, name: str) -> None:
    spec = ArtSpec.from_text(prompt)
    assert traits_from_spec(spec).background == name
    _, missed = report(spec)
    named = [
        w for w in ("hallway", "boxing ring", "hangar", "office", "ruined city") if w in prompt
    ]
    assert not any(w in m for m in missed for w in named), missed


@pytest.mark.parametrize("name", ["hallway", "gym", "hangar", "office", "underwater", "ruins"])
def test_each_new_place_is_its_own_picture(name: str) -> None:
    """Each painted place differs from the plain sky and from every other new place."""
    words = {
        "hallway": "school hallway",
        "gym": "boxing ring",
        "hangar": "mecha hangar",
        "office": "office",
        "underwater": "underwater",
        "ruins": "ruined city",
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
