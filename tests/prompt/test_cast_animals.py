"""Animals as characters (#34): the reader gives an animal its own words, marked as an
animal, and `draw` paints it as the animal by its person — never as a person. And two
hugging are drawn in each other's arms, each in the scarf said of them both."""

from __future__ import annotations

import numpy as np
import pytest

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine, figure_heads
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import Member, read_cast
from sakuga.prompt.members import each_wears, member_spec

SIZE = (192, 192)
FAMILIAR = (
    "kitsune girl with three fluffy white tails and gold eyes, red and white miko outfit, "
    "sitting on a torii gate, her cat familiar beside her, a black cat with one torn ear "
    "and glowing purple eyes, blue spirit flames, moonlit shrine"
)
MOCHI = "my cat Mochi and me on the sofa, Mochi is a fat orange tabby"


def _by_kind(text: str) -> tuple[Member, Member]:
    cast = read_cast(text)
    assert len(cast.members) == 2, cast.members
    (animal,) = [m for m in cast.members if m.animal]
    (person,) = [m for m in cast.members if not m.animal]
    return person, animal


def test_a_familiar_has_its_own_words() -> None:
    girl, cat = _by_kind(FAMILIAR)
    assert cat.kind == "animal" and girl.kind == "person"
    assert "black cat" in cat.text and "glowing purple eyes" in cat.text
    assert "three fluffy white tails" in girl.text and "red and white miko outfit" in girl.text
    for word in ("black", "purple", "torn", "cat"):
        assert word not in girl.text


def test_a_named_pet_is_an_animal_and_its_colour_is_its_own() -> None:
    me, mochi = _by_kind(MOCHI)
    assert mochi.who == "Mochi" and "fat orange tabby" in mochi.text
    assert me.who == "me" and "orange" not in me.text


def test_tags_give_the_other_its_cat_words() -> None:
    witch, cat = _by_kind(
        "masterpiece, 1girl, 1other, witch, pointy hat, long red hair, riding broom, "
        "black cat, (cat wearing tiny scarf:1.2), cat sitting on broom, night sky"
    )
    assert "tiny scarf" in cat.text and "black cat" in cat.text
    assert "long red hair" in witch.text and "cat" not in witch.text


def test_their_dog_after_two_people_is_a_third() -> None:
    cast = read_cast(
        "grandpa with a white mustache and a flat cap, his grandson with a striped t-shirt, "
        "and their old shiba inu with a grey muzzle and a red bandana. grassy hill"
    )
    assert [m.kind for m in cast.members] == ["person", "person", "animal"]
    assert "grey muzzle" in cast.members[2].text
    assert "muzzle" not in cast.members[1].text and "bandana" not in cast.members[1].text


def test_an_animal_held_keeps_its_eyes_and_gives_back_her_dress() -> None:
    girl, kitten = _by_kind("a girl holding a kitten with blue eyes, wearing a red dress")
    assert "blue eyes" in kitten.text and "blue" not in girl.text
    assert "red dress" in girl.text and "dress" not in kitten.text


@pytest.mark.parametrize(
    "text", ["a girl with her cat", "a boy in a hoodie walking his dog past a shop"]
)
def test_an_animal_said_with_no_words_of_its_own_stays_a_thing_of_theirs(text: str) -> None:
    (person,) = read_cast(text).members
    assert not person.animal


def test_an_animal_alone_is_no_character() -> None:
    assert read_cast("a fat orange cat sleeping on the rug").members == ()


def test_a_garment_said_of_two_is_on_each() -> None:
    assert each_wears("matching red scarves") == "red scarf"
    assert each_wears("hugging") is None and each_wears("gloves") is None
    text = "two people hugging under a tree, scarves"
    spec, cast = ArtSpec.from_text(text), read_cast(text)
    assert len(cast.members) == 2
    assert [member_spec(spec, cast, m).outfit for m in cast.members] == ["scarf", "scarf"]


def _drawn(text: str) -> tuple[np.ndarray, list[dict[str, str]], list[str]]:
    result = DrawEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, spec=ArtSpec.from_text(text), seed=1, size=SIZE)
    )
    pixels = np.asarray(result.images[0].convert("RGB")).astype(int)
    return pixels, result.drawn, result.not_drawn


def test_a_pet_is_drawn_as_its_animal_in_its_colour_not_as_a_person() -> None:
    pixels, drawn, _ = _drawn(MOCHI)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    orange = (r > 200) & (g > 90) & (g < 170) & (b < 90)
    assert orange[SIZE[1] // 2 :].sum() > 200  # the tabby, at their feet
    # One person's head: Mochi has none.
    heads = dict(figure_heads(ArtSpec.from_text(MOCHI), SIZE, 1))
    assert heads["Mochi"] is None and heads["me"] is not None
    assert any(d["by"].startswith("Mochi: cat beside me") for d in drawn)


def test_a_black_cat_is_black_beside_her_and_its_eyes_are_reported() -> None:
    pixels, _, missed = _drawn("a girl with her black cat with green eyes, sunny park")
    dark = pixels.max(axis=-1) < 45
    low = dark[int(SIZE[1] * 0.68) :]
    third = SIZE[0] // 3
    sides = low[:, :third].sum() + low[:, -third:].sum()
    assert sides > 300  # a black cat at one side of her feet
    assert "green eyes" in missed


def test_two_hugging_stand_close_in_scarves() -> None:
    hug = "two people hugging under a tree, scarves"
    pixels, drawn, missed = _drawn(hug)
    assert {"phrase": "hugging", "by": "pose: a side hug"} in drawn
    assert {"phrase": "scarves", "by": "each figure: scarf"} in drawn and not missed
    red = (pixels[..., 0] > 150) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    half = SIZE[0] // 2
    assert red[:, :half].sum() > 20 and red[:, half:].sum() > 20  # a scarf on each

    def gap(text: str) -> float:
        (_, a), (_, b) = figure_heads(ArtSpec.from_text(text), SIZE, 1)
        assert a is not None and b is not None
        return abs((a[0] + a[2]) / 2 - (b[0] + b[2]) / 2)

    # In each other's arms: closer than two standing side by side.
    assert gap(hug) < 0.75 * gap("two people standing under a tree, scarves")
