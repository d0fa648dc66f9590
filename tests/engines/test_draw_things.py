"""Issue #31: the long tail of things a prompt names — animals, food, vehicles, toys —
drawn from the vendored vector library, restyled into the scene and placed where the
prompt puts them ("a cat on her lap", "holding a teddy bear", "a dog beside her"), or
reported; the hand-drawn parts keep what they draw."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest

from sakuga.engines.draw import drawing_svg, traits_from_spec
from sakuga.engines.draw.character import FIGURE_LAYERS
from sakuga.engines.draw.report import not_drawn, report
from sakuga.engines.draw.svg import render_svg
from sakuga.engines.draw.things import find_things, library, singular
from sakuga.engines.draw.words import placed_things
from sakuga.prompt.artspec import ArtSpec

SIZE = (256, 256)


def _render(spec: ArtSpec, *, without_things: bool = False, only: set[str] | None = None):
    traits = traits_from_spec(spec)
    if without_things:
        traits = replace(traits, things=())
    svg = drawing_svg(spec, SIZE, 1, traits=traits, only=only)
    return np.asarray(render_svg(svg, SIZE)).astype(int)


def _thing_mask(spec: ArtSpec) -> np.ndarray:
    """Where the drawing changes when its library things are left out."""
    a, b = _render(spec), _render(spec, without_things=True)
    return np.abs(a - b).sum(axis=2) > 30


def test_the_library_ships_with_its_licences_and_every_entry_is_usable() -> None:
    things = library()
    assert len(things) > 600
    for name in ("cat", "dog", "bicycle", "teddy-bear", "guitar", "pancakes", "luggage"):
        assert name in things
    for v in things.values():
        x0, y0, x1, y1 = v.box
        assert 0 <= x0 < x1 <= 32 and 0 <= y0 < y1 <= 32, v.name
        assert v.size > 0 and v.where in ("held", "beside", "front", "background", "sky")
        assert v.body.startswith("<"), v.name
    folder = resources.files("sakuga.engines.draw").joinpath("vectors")
    assert "Microsoft" in folder.joinpath("LICENSE-fluent-emoji").read_text()
    assert "MIT License" in folder.joinpath("LICENSE-emojibase").read_text()


@pytest.mark.parametrize(
    ("prompt", "name", "where"),
    [
        ("a girl with a cat on her lap", "cat", "lap"),
        ("holding a teddy bear, pajamas", "teddy-bear", "held"),
        ("a boy hugging a puppy", "dog", "held"),
        ("a dog at her feet in the park", "dog", "beside"),
        ("girl with a suitcase at the airport", "luggage", "beside"),
        ("birds in the sky over the sea", "bird", "sky"),
        ("a parrot on her shoulder", "parrot", "shoulder"),
        ("a car in the background, city street", "automobile", "background"),
        ("a bicycle", "bicycle", "beside"),
        ("1girl, guitar, bedroom", "guitar", "held"),
    ],
)
def test_a_named_thing_is_found_where_the_prompt_puts_it(
    prompt: str, name: str, where: str
) -> None:
    found = {p.vector.name: p for p in placed_things(ArtSpec.from_text(prompt))}
    assert name in found, found
    assert found[name].where == where


def test_plurals_counts_colours_and_actions_are_read() -> None:
    found = {
        p.vector.name: p for p in find_things("two puppies, a red bicycle, riding an elephant")
    }
    assert found["dog"].count == 2
    assert found["bicycle"].colour is not None and found["bicycle"].colour[0] > 150
    assert found["elephant"].verb == "riding"  # drawn beside her; the riding is not drawn
    assert singular("puppies") == "puppy" and singular("glass") == "glass"


def test_the_hand_drawn_parts_keep_what_they_draw() -> None:
    """An umbrella, a book and a mug are drawn by hand; the library is for the rest."""
    spec = ArtSpec.from_text("a girl holding an umbrella, a book and a mug, cherry blossoms")
    names = {p.vector.name for p in placed_things(spec)}
    assert not names & {"umbrella", "closed-umbrella", "open-book", "hot-beverage"}
    assert traits_from_spec(spec).prop == "umbrella"


def test_the_report_names_what_is_left_of_a_phrase_not_the_thing() -> None:
    missed = not_drawn(ArtSpec.from_text("a girl in a hoodie with a suitcase, riding an elephant"))
    assert "riding" in missed  # the elephant is drawn, beside her: nobody rides it
    assert not any("suitcase" in m or "elephant" in m for m in missed), missed
    missed = not_drawn(ArtSpec.from_text("girl holding a teddy bear, a red scooter"))
    assert not any("teddy" in m or "scooter" in m or m == "red" for m in missed), missed


@pytest.mark.parametrize(
    ("prompt", "not_found"),
    [
        ("a girl with a paper crane", "roll-of-paper"),  # "paper" qualifies the crane
        ("a yellow bucket hat", "bucket"),  # headwear, reported by its catalogue
        ("girl with cat ears", "cat"),  # kemonomimi, drawn by hand
        ("a strawberry print dress", "strawberry"),
    ],
)
def test_a_thing_named_as_a_kind_of_another_is_not_drawn_in_its_place(
    prompt: str, not_found: str
) -> None:
    assert not_found not in {p.vector.name for p in placed_things(ArtSpec.from_text(prompt))}


def test_the_report_says_what_drew_each_phrase() -> None:
    spec = ArtSpec.from_text("a girl with a cat on her lap, long silver hair, paper crane")
    drawn, missed = report(spec)
    by = {d["phrase"]: d["by"] for d in drawn}
    assert by["cat"] == "library: cat, on the lap"
    assert by["long silver hair"].startswith("hair")
    assert "paper crane" in missed
    assert not set(by) & set(missed)


def test_a_cat_on_her_lap_is_drawn_on_her_lap() -> None:
    spec = ArtSpec.from_text("a girl in a hoodie with a cat on her lap")  # her legs show
    traits = traits_from_spec(spec)
    assert traits.stance == "sit"  # a lap means she sits
    cat = _thing_mask(spec)
    assert cat.sum() > 400
    body = _render(spec, without_things=True, only={"body"})[..., 3] > 0
    by, hx = np.nonzero(body)
    # The legs below the body (the bench's backrest, behind her back, is not her legs).
    legs = _render(spec, without_things=True, only={"legs"})[..., 3] > 0
    legs &= np.arange(SIZE[1])[:, None] > by.max() - 0.1 * (by.max() - by.min())
    ys, _ = np.nonzero(legs)
    lap = legs & (np.arange(SIZE[1])[:, None] < ys.min() + (ys.max() - ys.min()) * 0.45)
    # Her lap, not the bench's seat beside it: within the hips' width.
    lap &= (np.arange(SIZE[0])[None, :] >= hx.min()) & (np.arange(SIZE[0])[None, :] <= hx.max())
    # It covers the top of the legs (both her hands rest on it, in front: a quarter).
    assert (cat & lap).sum() > 0.25 * lap.sum()
    cy = np.nonzero(cat)[0].mean()
    assert ys.min() - 40 < cy < ys.min() + (ys.max() - ys.min()) * 0.5


def test_a_dog_beside_her_stands_beside_her_on_the_ground() -> None:
    spec = ArtSpec.from_text("a girl with a dog beside her in the park")
    assert traits_from_spec(spec).pose == "full"  # her feet, and the dog by them, show
    dog = _thing_mask(spec)
    figure = _render(spec, without_things=True, only=set(FIGURE_LAYERS))[..., 3] > 0
    assert dog.sum() > 600
    assert (dog & figure).sum() < 0.15 * dog.sum()  # beside her, not over her
    dog_bottom = np.nonzero(dog)[0].max()
    feet_bottom = np.nonzero(figure)[0].max()
    assert abs(dog_bottom - feet_bottom) < 0.08 * SIZE[1]  # on the same ground


def test_a_held_thing_is_in_the_hand_and_leaves_the_face_clear() -> None:
    spec = ArtSpec.from_text("a girl holding a teddy bear")
    assert traits_from_spec(spec).gesture == "hold"
    bear = _thing_mask(spec)
    arms = _render(spec, only={"arms"})[..., 3] > 0
    assert bear.sum() > 1000 and (bear & arms).sum() > 0
    eyes = _render(spec, only={"features"})[..., 3] > 0
    assert (bear & eyes).sum() == 0


@pytest.mark.parametrize(("word", "channel"), [("red", 0), ("blue", 2)])
def test_the_colour_said_for_a_thing_is_its_colour(word: str, channel: int) -> None:
    spec = ArtSpec.from_text(f"a girl with a {word} bicycle beside her")
    rgb = _render(spec)[..., :3]
    mask = _thing_mask(spec)
    pixels = rgb[mask]
    others = [c for c in range(3) if c != channel]
    strong = (pixels[:, channel] > pixels[:, others].max(axis=1) + 40).mean()
    assert strong > 0.15, strong


def test_a_thing_is_lit_as_the_scene_is() -> None:
    """The cat is graded with the picture: darker and bluer at night than by day."""
    day = ArtSpec.from_text("a girl with a cat beside her in the park, day")
    night = ArtSpec.from_text("a girl with a cat beside her in the park, night")
    a = _render(day)[..., :3][_thing_mask(day)]
    b = _render(night)[..., :3][_thing_mask(night)]
    assert b.mean() < a.mean() - 20
    assert (b[:, 2] - b[:, 0]).mean() > (a[:, 2] - a[:, 0]).mean()


def test_the_vendoring_script_is_the_source_of_the_data() -> None:
    """The package data records where it came from (the script's pinned packages)."""
    raw = resources.files("sakuga.engines.draw").joinpath("vectors/fluent-emoji-flat.json.gz")
    import gzip

    data = json.loads(gzip.decompress(raw.read_bytes()))
    assert data["source"]["shapes"].startswith("@iconify-json/fluent-emoji-flat@")
    assert data["source"]["names"].startswith("emojibase-data@")


@pytest.mark.parametrize(
    ("prompt", "name", "found"),
    [
        ("girl eating a strawberry parfait", "strawberry", False),  # a parfait, reported
        ("a dog collar", "dog", False),
        ("a puppy named Max", "dog", True),
        ("a cat sleeping on the sofa", "cat", True),
        ("a car parked outside", "automobile", True),
        ("1girl, cat, sitting", "cat", True),
    ],
)
def test_a_thing_before_another_noun_qualifies_it(prompt: str, name: str, found: bool) -> None:
    assert (name in {p.vector.name for p in find_things(prompt)}) is found


def test_a_relation_the_drawing_cannot_keep_is_reported() -> None:
    """A cat "on the table" is drawn, but not on a table: that is said, not hidden."""
    missed = not_drawn(ArtSpec.from_text("a cat on the table, cafe"))
    assert missed == ["on the table"] or "on the table" in missed
    assert not any(m == "cat" or m == "table" for m in missed)
    big = {p.vector.name: p for p in placed_things(ArtSpec.from_text("a horse on her lap"))}
    assert big["horse"].where == "beside" and big["horse"].lost == "on the lap"
    cat = {p.vector.name: p for p in placed_things(ArtSpec.from_text("a black cat on shoulder"))}
    assert cat["black-cat"].where == "shoulder"  # no "her" needed


def test_a_toy_is_no_scene_and_a_room_is_no_cafe() -> None:
    spec = ArtSpec.from_text("kid playing with a toy train, living room")
    assert traits_from_spec(spec).background != "train"
    assert traits_from_spec(spec).background != "cafe"
    missed = not_drawn(spec)
    assert "toy train" in missed


def test_a_yellow_balloon_is_yellow_all_over() -> None:
    spec = ArtSpec.from_text("a girl holding a yellow balloon")
    pixels = _render(spec)[..., :3][_thing_mask(spec)]
    yellow = (pixels[:, 0] > 150) & (pixels[:, 1] > 130) & (pixels[:, 2] < 110)
    red = (pixels[:, 0] > 150) & (pixels[:, 1] < 90)
    assert yellow.mean() > 0.3 and red.mean() < 0.05


@pytest.mark.parametrize(
    ("prompt", "room"),
    [
        ("girl reading in the living room", "living"),
        ("lo-fi girl at her desk in her bedroom at night", "bedroom"),
        ("boy in his room", "bedroom"),
        ("cook girl in a kitchen", "kitchen"),
        ("a girl in a classroom", "classroom"),  # not a room at home
        ("a girl in a tea room", "cafe"),
    ],
)
def test_rooms_at_home_are_their_own_places(prompt: str, room: str) -> None:
    assert traits_from_spec(ArtSpec.from_text(prompt)).background == room


def test_a_room_draws_its_furniture_once() -> None:
    """The living room has its sofa: the one the prompt names is that sofa (not a second
    beside her); one she sits on is drawn under her instead of the room's."""
    spec = ArtSpec.from_text("girl reading in the living room, a blue sofa, rain on the window")
    traits = traits_from_spec(spec)
    assert not [p for p in traits.things if p.vector.name == "couch-and-lamp"]
    background = _render(spec, only={"background"})[..., :3]
    sofa_blue = (background[..., 2] > 150) & (background[..., 0] < 90)
    assert sofa_blue.mean() > 0.01  # the room's blue sofa
    assert "rain" in traits.weather  # and the rain falls outside its window
    # One sofa in every case: each drawn shape appears four times in the SVG (painted,
    # its contour, the two halves of its cel-shadow mask).
    shape = re.search(r' d="([^"]{30})', library()["couch-and-lamp"].body)
    assert shape is not None
    for text in ("girl sitting on the sofa in the living room", "girl in the living room"):
        assert drawing_svg(ArtSpec.from_text(text), SIZE, 1).count(shape.group(1)) == 4, text
    sitting = ArtSpec.from_text("girl sitting on the sofa in the living room")
    assert [p.where for p in traits_from_spec(sitting).things] == ["seat"]


@pytest.mark.parametrize(
    ("prompt", "seat"),
    [
        ("girl sitting on the sofa in the living room", "couch-and-lamp"),
        ("boy sitting on the bed", "bed"),
        ("girl on a chair reading a book", "chair"),
    ],
)
def test_she_sits_on_the_seat_the_prompt_names(prompt: str, seat: str) -> None:
    """The sofa, bed or chair is drawn under her, in place of the bench."""
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert traits.stance == "sit"
    assert [p.vector.name for p in traits.things if p.where == "seat"] == [seat]
    assert not any(m.startswith("on ") for m in not_drawn(spec))
    under = _thing_mask(spec)
    legs = _render(spec, without_things=True, only={"legs"})[..., 3] > 0
    ys, _ = np.nonzero(legs)
    assert np.nonzero(under)[0].max() > ys.min()  # below her hips, where she sits
    assert "reading" not in not_drawn(spec) or "book" not in prompt


@pytest.mark.parametrize(
    ("prompt", "place"),
    [
        ("office worker waiting at the train station at dusk", "platform"),
        ("girl on the station platform, rain", "platform"),
        ("girl at the station", "platform"),
        ("girl in a space station", "station"),
        ("girl on a train", "train"),
    ],
)
def test_a_station_is_its_platform_not_the_carriage(prompt: str, place: str) -> None:
    assert traits_from_spec(ArtSpec.from_text(prompt)).background == place


def test_the_third_judges_findings() -> None:
    """Found by the third held-out judge: an office lady drawn as a short-haired man,
    "2girls" claimed drawn as one girl, a small girl drawn as a teen, the fog drawn as
    a scene card pasted beside her, "ball of yarn" reporting "ball"."""
    lady = traits_from_spec(ArtSpec.from_text("she is an office lady with a laptop"))
    assert lady.hair_style == "long" and not lady.masculine
    assert "2girls" in not_drawn(ArtSpec.from_text("2girls, picnic in park"))
    assert traits_from_spec(ArtSpec.from_text("a small girl hugging a puppy")).build == "chibi"
    assert "foggy" not in library() and "cityscape" not in library()
    assert "ball" not in not_drawn(ArtSpec.from_text("grandma, a ball of yarn at her feet"))
    tomatoes = [p for p in placed_things(ArtSpec.from_text("many tomatoes")) if p.count > 1]
    assert tomatoes  # a few, in one corner (not across the figure)


@pytest.mark.parametrize(
    ("prompt", "mount"),
    [
        ("a knight riding a horse", "horse"),
        ("a girl riding a camel in the desert", "camel"),
    ],
)
def test_she_rides_what_she_rides(prompt: str, mount: str) -> None:
    """Riding was reported and the horse stood beside her; now she sits on it, its seat
    at her hips and its hooves on the ground below her feet."""
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert traits.stance == "sit" and traits.pose == "full"
    assert [(p.vector.name, p.where) for p in traits.things] == [(mount, "mount")]
    assert not any("rid" in m or "on a" in m for m in not_drawn(spec)), not_drawn(spec)
    ridden = _thing_mask(spec)
    legs = _render(spec, without_things=True, only={"legs"})[..., 3] > 0
    ys, xs = np.nonzero(legs)
    rows = np.nonzero(ridden)[0]
    assert rows.min() < ys.max() < rows.max()  # under her, reaching below her feet
    assert (ridden[:, xs.min() : xs.max() + 1]).any()  # right under her, not beside


@pytest.mark.parametrize(
    ("prompt", "thing"),
    [
        ("boy riding a red bicycle in the park", "bicycle"),
        ("girl on a scooter in the city", "motor-scooter"),
    ],
)
def test_a_side_on_vehicle_is_ridden_life_sized_under_her(prompt: str, thing: str) -> None:
    """A figure drawn facing us stood in front of a side-on bicycle (judges 35 to 37: not
    riding); until stop 63 it stood beside her and the riding was reported. Now she
    rides it: the vehicle under her legs, as big as in life, the ride not reported."""
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert [(p.vector.name, p.where) for p in traits.things] == [(thing, "mount")]
    missed = not_drawn(spec)
    assert not any("rid" in m for m in missed), missed
    ridden = _thing_mask(spec)
    legs = _render(spec, without_things=True, only={"legs"})[..., 3] > 0
    ys, xs = np.nonzero(legs)
    rows, cols = np.nonzero(ridden)
    assert rows.max() - rows.min() > 0.35 * (ys.max() - ys.min())  # not toy-sized
    assert cols.min() < xs.mean() < cols.max()  # under her legs, not beside them


def test_a_bicycle_beside_her_is_not_ridden() -> None:
    traits = traits_from_spec(ArtSpec.from_text("a girl with a bicycle beside her"))
    assert [p.where for p in traits.things] == ["beside"] and traits.stance == "stand"


def test_any_headwear_noun_makes_the_thing_before_it_its_kind() -> None:
    """The nouns a thing's name can qualify take the headwear family's own (one list):
    a cat headband is a headband, not a cat."""
    assert [p.vector.name for p in find_things("a cat headband, a dog visor")] == []
