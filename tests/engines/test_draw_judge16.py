"""What held-out judges 16 and 17 found (#31): a red fox drawn as a giant emoji head, pine
trees silent, a bearded chef in a pleated skirt, "both in sailor uniforms" worn by
one, two girls sharing an umbrella each holding her own indoors, glasses on the wrong
boy, hands on the cheeks drawn as pointing, coloured backgrounds swapped for a meadow,
and drawn things reported as not drawn (a castle hall, game controllers, a glow)."""

from __future__ import annotations

import numpy as np

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine, _painter, traits_from_spec
from sakuga.engines.draw.report import report
from sakuga.engines.draw.together import _row
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import read_cast
from sakuga.prompt.members import member_spec

SIZE = (256, 256)


def _drawn(prompt: str, seed: int = 1) -> tuple[np.ndarray, list[str]]:
    """The picture (RGB) and what the engine says it did not draw."""
    result = DrawEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, spec=ArtSpec.from_text(prompt), seed=seed, size=SIZE)
    )
    return np.asarray(result.images[0].convert("RGB")), result.not_drawn


def _members(prompt: str) -> list[ArtSpec]:
    spec, cast = ArtSpec.from_text(prompt), read_cast(prompt)
    assert cast is not None and cast.several
    return [member_spec(spec, cast, m) for m in cast.members]


def test_a_fox_alone_is_drawn_whole_sitting_in_its_own_colour() -> None:
    prompt = "a red fox sitting in a snowy field under a full moon, pine trees, no people"
    picture, missed = _drawn(prompt)
    assert missed == [], missed  # red (its kind), sitting, the snowy field: all drawn
    r, g, b = (picture[..., i].astype(int) for i in range(3))
    fur = (r > 180) & (r - b > 90) & (g > 80) & (g < 170)  # orange, not the pink-red of old
    rows = np.nonzero(fur.any(axis=1))[0]
    assert fur.sum() > 0.04 * fur.size
    # A body under the head: the orange runs down near the ground, and it is taller
    # than the face alone was wide.
    assert rows.max() > 0.85 * SIZE[1] and rows.max() - rows.min() > 0.45 * SIZE[1]
    assert traits_from_spec(ArtSpec.from_text(prompt)).treeline == "pine"


def test_pine_trees_said_stand_on_open_ground() -> None:
    bare, _ = _drawn("a girl on a hill in winter", seed=3)
    trees, missed = _drawn("a girl on a hill in winter, pine trees in the background", seed=3)
    assert "pine trees" not in " ".join(missed)
    dark_green = lambda p: ((p[..., 1] > p[..., 0] + 12) & (p[..., 1] < 110)).sum()  # noqa: E731
    assert dark_green(trees) > dark_green(bare) + 500


def test_a_man_in_an_apron_wears_trousers_and_his_build_is_drawn() -> None:
    spec = ArtSpec.from_text("a muscular man in a chef's white uniform and apron, full body")
    assert not _painter(spec, SIZE, 2).skirted
    # (Reported until stop 59; now drawn broader, `Canvas.broad` and `limb`.)
    assert "muscular" not in report(spec)[1] and traits_from_spec(spec).brawn == 1.0


def test_shocked_is_a_surprised_face_and_hands_on_cheeks_are_drawn_there() -> None:
    spec = ArtSpec.from_text("a shocked girl with purple hair, hands on her cheeks")
    traits = traits_from_spec(spec)
    assert traits.expression == "surprised" and traits.gesture == "cheeks"
    assert report(spec, traits)[1] == []
    # The palms are up at the face, not pointing out at nothing.
    _, missed = _drawn("a shocked girl, hands on her cheeks, pointing at a treasure chest")
    assert any("treasure chest" in m for m in missed)


def test_a_coloured_background_is_drawn_in_its_colour() -> None:
    picture, missed = _drawn("a girl with box braids, pastel pink background")
    assert "pastel pink background" not in missed
    corner = picture[:20, :20].reshape(-1, 3).mean(axis=0)
    assert corner[0] > corner[1] + 15 and corner[0] > 180  # pink, not sky or meadow
    yellow, _ = _drawn("a boy, bright yellow background")
    top = yellow[:20, :20].reshape(-1, 3).mean(axis=0)
    assert top[0] > 170 and top[1] > 150 and top[2] < top[1] - 40  # yellow


def test_walking_home_from_school_is_outdoors() -> None:
    spec = ArtSpec.from_text("a girl walking home from school under cherry blossom trees")
    traits = traits_from_spec(spec)
    assert traits.background == "sakura"
    assert report(spec, traits)[1] == []


def test_one_with_and_one_with_are_two_and_both_wear_what_both_wear() -> None:
    boys = _members(
        "two boys on a couch, one with green hair in a hoodie, one with glasses and a headband"
    )
    first, second = (traits_from_spec(s) for s in boys)
    assert "glasses" not in first.accessories and "glasses" in second.accessories
    girls = _members(
        "two girls, one tall with long black hair, one short with blonde pigtails, "
        "both in navy sailor uniforms"
    )
    assert [traits_from_spec(s).outfit for s in girls] == ["sailor", "sailor"]


def test_two_sharing_an_umbrella_are_under_one() -> None:
    prompt = "two girls sharing an umbrella walking home, one with black hair, one with blonde hair"
    specs = _members(prompt)
    traits = [traits_from_spec(s) for s in specs]
    row = _row(specs, traits, SIZE, 1, prompt)
    holder, other = row.painters
    assert holder.traits.prop == "umbrella" and holder.traits.canopy_shift > 0
    assert other.traits.prop is None
    picture, missed = _drawn(prompt)
    assert not any("umbrella" in m for m in missed)
    # The canopy (red, by default) spans the middle, over both of them.
    red = (picture[..., 0] > 150) & (picture[..., 1] < 90) & (picture[..., 2] < 100)
    columns = np.nonzero(red[: SIZE[1] // 3].any(axis=0))[0]
    assert columns.min() < SIZE[0] * 0.45 < SIZE[0] * 0.55 < columns.max()


def test_what_is_drawn_is_not_reported_missing() -> None:
    for prompt in (
        "a girl, candlelit castle hall",
        "a boy holding game controllers, playing video games",
        "an elf mage holding a wooden staff with a glowing blue crystal",
    ):
        assert report(ArtSpec.from_text(prompt))[1] == [], prompt


# Held-out judge 17 (after the fixes above), its silent swaps and false reports.


def test_a_tatami_room_is_a_japanese_room_not_a_bedroom() -> None:
    spec = ArtSpec.from_text("grandmother kneeling in a tatami room with a sliding shoji door")
    traits = traits_from_spec(spec)
    assert traits.background == "washitsu"
    assert not any("tatami" in m or "shoji" in m for m in report(spec, traits)[1])
    picture, _ = _drawn("a girl in a tatami room, bust")
    band = picture[60:180].reshape(-1, 3).astype(int)  # the paper doors: pale
    assert (band.sum(axis=1) > 600).mean() > 0.3


def test_a_colour_of_earrings_is_not_the_jacket_s() -> None:
    traits = traits_from_spec(ArtSpec.from_text("a girl, gold hoop earrings, denim jacket"))
    r, _, b = traits.outfit_color
    assert b > r  # denim blue, not gold


def test_a_second_prop_is_reported_and_what_the_place_shows_is_not() -> None:
    missed = report(ArtSpec.from_text("a businessman holding a coffee cup, looking at his phone"))[
        1
    ]
    assert any("phone" in m for m in missed)
    assert report(ArtSpec.from_text("1boy, teenage, rooftop, chain-link fence"))[1] == []
    assert report(ArtSpec.from_text("a shocked girl, mouth open"))[1] == []


def test_a_bald_head_is_drawn_bare_and_a_beard_is_counted_alone() -> None:
    prompt = "a bearded man with a bald head, leather apron, hammering a sword on an anvil"
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert traits.bald and traits.apron_color is not None
    r, g, b = traits.apron_color
    assert r > g > b  # leather's brown, not a maid's white
    drawn, missed = report(spec, traits)
    # The beard drawn (judge 36) and counted on its own; the man is drawn.
    assert traits.beard == "beard" and {"phrase": "bearded", "by": "face: beard"} in drawn
    assert "bearded" not in missed and "bearded man" not in missed
    assert "hammering" in missed and "bald head" not in missed and "leather" not in missed
    bare, _ = _drawn("a bald man, bust")
    haired, _ = _drawn("a man with short black hair, bust")
    top = slice(10, 60)  # above the brows: skin, not hair
    dark = lambda p: (p[top].sum(axis=2) < 200).mean()  # noqa: E731
    assert dark(bare) < dark(haired) - 0.1


def test_a_clear_umbrella_lets_the_scene_through() -> None:
    red, _ = _drawn("a girl holding a red umbrella in the rain, bust", seed=2)
    clear, missed = _drawn("a girl holding a clear umbrella in the rain, bust", seed=2)
    assert not any("umbrella" in m for m in missed)
    assert traits_from_spec(ArtSpec.from_text("a clear umbrella, a girl")).prop_clear
    reds = lambda p: ((p[..., 0] > 150) & (p[..., 1] < 90)).sum()  # noqa: E731
    assert reds(clear[:60]) < reds(red[:60]) / 4


# Held-out judge 18: another culture's dress and festival swapped for Japan's.


def test_a_saree_is_not_swapped_for_a_kimono_and_diwali_is_said_not_drawn() -> None:
    prompt = "indian woman in a red saree with gold border, diwali night, fireworks in sky"
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert spec.outfit is not None and "saree" in spec.outfit  # read as clothes
    assert traits.outfit == "dress" and not traits.outfit_free  # no festival kimono
    r, g, b = traits.outfit_color
    assert r > 150 and g < 90 and b < 90  # in its red
    missed = report(spec, traits)[1]
    assert "diwali" in missed and "indian" in missed
    assert any("saree" in m for m in missed)
    assert "indian" not in report(ArtSpec.from_text("an indian woman with brown skin"))[1]


def test_lying_on_a_sofa_is_on_a_sofa_indoors_and_on_a_street_is_on_paving() -> None:
    sofa, missed = _drawn("a woman lying on a sofa, city window at night")
    assert "window" in missed  # seen from above: no window shows
    blue = (sofa[..., 2].astype(int) - sofa[..., 0] > 40) & (sofa[..., 2] > 110)
    assert blue.mean() > 0.08  # the sofa under her
    street, _ = _drawn("a boy lying on the street, city")
    grass = (street[..., 1].astype(int) - street[..., 0] > 25).mean()
    assert grass < 0.05  # paving, not a lawn


def test_sitting_on_a_throne_is_on_a_throne_not_a_bench() -> None:
    assert traits_from_spec(ArtSpec.from_text("a king sitting on his throne, castle")).throne
    throne, missed = _drawn("a king sitting on a throne, castle", seed=2)
    bench, _ = _drawn("a king sitting on a bench, castle", seed=2)
    assert not any("throne" in m for m in missed)
    gold = lambda p: ((p[..., 0] > 180) & (p[..., 1] > 140) & (p[..., 2] < 110)).sum()  # noqa: E731
    assert gold(throne) > gold(bench) + 800  # its gold frame, arms and feet
