"""What held-out judge 19 found (#31): a fan's "my fav ship" drawn as a cruise liner, a
Japanese "well done" stamp pasted over a kimono's flowers, a night festival in kanji
and romaji drawn as a sunny meadow, a "tall blonde boy" brown-haired and no taller, a
snowy park under cherry blossom, a young man drawn as a girl (pink cheeks, a high
ponytail for hair "tied back", the moon on his crown), thumbs showing the palm through
them, and weather or a frog "near her feet" reported as not drawn."""

from __future__ import annotations

import re

import numpy as np

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine, _painter, figure_heads, traits_from_spec
from sakuga.engines.draw.report import report
from sakuga.engines.draw.things import library
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import read_cast
from sakuga.prompt.members import member_spec

SIZE = (256, 256)


def _drawn(prompt: str, seed: int = 1) -> tuple[np.ndarray, list[str], list[dict[str, str]]]:
    """The picture (RGB), what the engine says it did not draw, and what it did."""
    result = DrawEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, spec=ArtSpec.from_text(prompt), seed=seed, size=SIZE)
    )
    return np.asarray(result.images[0].convert("RGB")), result.not_drawn, result.drawn or []


SHIP = (
    "my fav ship!! tall blonde boy in black gakuran and short girl with brown bob hair in "
    "beige cardigan, sharing one umbrella walking home together, she is blushing, sunset"
)


def test_a_fans_ship_is_the_pair_not_a_boat() -> None:
    spec, cast = ArtSpec.from_text(SHIP), read_cast(SHIP)
    for member in cast.members:
        things = traits_from_spec(member_spec(spec, cast, member)).things
        assert not any(p.vector.name in ("ship", "passenger-ship") for p in things)
    _, missed, drawn = _drawn(SHIP)
    said = [d["phrase"] for d in drawn] + missed
    assert not any("ship" in p and "sharing" not in p for p in said), said


def test_a_blonde_boy_is_blonde_and_the_tall_one_stands_taller() -> None:
    spec, cast = ArtSpec.from_text(SHIP), read_cast(SHIP)
    boy, girl = (traits_from_spec(member_spec(spec, cast, m)) for m in cast.members)
    assert boy.hair_color == traits_from_spec(ArtSpec.from_text("boy, blonde hair")).hair_color
    assert girl.hair_color != boy.hair_color
    (_, tall), (_, short) = figure_heads(spec, (512, 512), 1)
    assert tall is not None and short is not None
    assert tall[1] + 20 < short[1]  # the boy's crown well above the girl's
    _, missed, drawn = _drawn(SHIP)
    assert "tall" not in missed and "walking home together" not in missed, missed
    assert any(d["phrase"] == "tall" for d in drawn)
    # Alone, a tall one stands as tall as the frame allows: said, and not drawn.
    assert "tall" in report(ArtSpec.from_text("a tall boy in a park"))[1]


def test_a_kimono_with_white_flowers_is_printed_with_them() -> None:
    spec = ArtSpec.from_text("a girl, aoi kimono (blue kimono with white flowers), festival")
    assert spec.background == "festival" and "white flowers" in (spec.outfit or "")
    traits = traits_from_spec(spec)
    assert traits.background == "festival" and traits.top_print is not None
    assert "white-flower" not in library()  # Japan's "well done" stamp is no flower


def test_a_festival_night_said_in_romaji_and_kanji_is_drawn() -> None:
    prompt = (
        "kawaii na onnanoko, black hair with red kanzashi, natsu matsuri de 金魚すくい, "
        "holding ちょうちん paper lantern, 夜, hanabi fireworks in the sky"
    )
    traits = traits_from_spec(ArtSpec.from_text(prompt))
    assert (traits.background, traits.time, traits.prop) == ("festival", "night", "lantern")
    assert not any(p.vector.name == "fish" for p in traits.things)  # a game, not a fish
    picture, missed, _ = _drawn(prompt)
    assert "goldfish-scooping" in missed  # the game is not drawn, and said so
    assert not any("lantern" in m or "夜" in m or "fireworks" in m for m in missed), missed
    assert picture[:40].mean() < 110  # a night sky, not a sunny meadow


def test_a_snowy_park_has_bare_trees_under_snow_not_cherry_blossom() -> None:
    spring, _, _ = _drawn("a park in spring, no people")
    winter, missed, _ = _drawn("a snowy park, it is snowing, no people")
    assert missed == [], missed

    def blossom(p: np.ndarray) -> int:
        r, g, b = (p[..., i].astype(int) for i in range(3))
        return int(((r > 230) & (g > 150) & (g < 215) & (b > 180) & (r - g > 30)).sum())

    assert blossom(spring) > 500 and blossom(winter) < 50


def test_a_young_man_smiles_without_pink_cheeks_and_ties_his_hair_back_low() -> None:
    man = ArtSpec.from_text("young man with long dark blue hair tied back, calm smile")
    girl = ArtSpec.from_text("young woman with long dark blue hair tied back, calm smile")
    assert traits_from_spec(man).hair_style == "ponytail"
    his, hers = _painter(man, SIZE, 1), _painter(girl, SIZE, 1)
    assert 'rx="30"' not in his.features() and 'rx="30"' in hers.features()
    # His jaw is wider than hers; his tail starts at the nape, hers on the crown.
    assert his.face_path != hers.face_path
    tail = re.compile(r"M (\S+) (-?[\d.]+) C")
    his_tail = [float(m.group(2)) for m in tail.finditer(his.back_hair())]
    hers_tail = [float(m.group(2)) for m in tail.finditer(hers.back_hair())]
    assert min(his_tail) > -20 > min(hers_tail)


def test_the_moon_of_a_bust_stands_clear_of_the_head() -> None:
    spec = ArtSpec.from_text("young man on a rooftop at night, full moon, bust")
    painter = _painter(spec, (1024, 1024), 1)
    svg = painter.document((1024, 1024), {"background"})
    moon = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="52"', svg)
    assert moon is not None
    x0, _, x1, _ = painter.head_box((1024, 1024))
    assert not x0 - 52 < float(moon.group(1)) < x1 + 52


def test_the_thumb_lies_over_the_palms_shadow() -> None:
    painter = _painter(ArtSpec.from_text("a girl holding a paper lantern"), SIZE, 1)
    hand = painter.hand("fist", 1)
    assert hand.index('opacity="0.5"') < hand.rindex("<path")  # the shade first, then digits


def test_weather_said_as_a_verb_and_a_thing_near_her_feet_are_drawn() -> None:
    for prompt in (
        "1girl, throwing snowball, (snowing:1.1)",
        "girl, it is raining and there is small green frog near her feet",
        "1girl, laughing, snowy park, snowing, evening",
    ):
        spec = ArtSpec.from_text(prompt)
        traits = traits_from_spec(spec)
        assert traits.weather, prompt
        missed = report(spec, traits)[1]
        assert not any(re.search(r"snowing|raining|near|frog", m) for m in missed), missed


def test_sitting_is_a_pose_no_one_standing_strikes() -> None:
    """Judges read every sitting figure as standing before a bench: a girl's knees are
    together and both legs slant to one side; a boy's knees are apart, wider than his
    hips. A standing figure's knees are under the hips."""

    def knees(prompt: str) -> tuple[float, float]:
        painter = _painter(ArtSpec.from_text(prompt), SIZE, 1)
        return painter._leg_plan(-1)[1][0], painter._leg_plan(1)[1][0]

    left, right = knees("a girl sitting on a bench, full body")
    assert (left > 0) == (right > 0)  # both knees on one side of the middle
    left, right = knees("a boy sitting on a bench, full body")
    hip = _painter(ArtSpec.from_text("a boy sitting"), SIZE, 1)._leg_plan(1)[0][0]
    assert right - left > 2 * hip + 80
    left, right = knees("a girl standing, full body")
    assert left < 0 < right


def test_overalls_are_a_bib_over_a_shirt_and_the_legs() -> None:
    spec = ArtSpec.from_text("a boy in red overalls, full body")
    traits = traits_from_spec(spec)
    assert traits.bib is not None and traits.bib[0] > 150 > traits.bib[1]  # red
    assert traits.outfit_color != traits.bib  # the shirt under it is not red
    painter = _painter(spec, SIZE, 2)
    assert painter._trouser_colour() == traits.bib
    picture, missed, _ = _drawn("a boy in red overalls, full body", seed=2)
    assert "red overalls" not in missed
    r, g, b = (picture[..., i].astype(int) for i in range(3))
    red = (r > 150) & (g < 80) & (b < 80)
    rows = np.nonzero(red.any(axis=1))[0]
    assert rows.max() - rows.min() > SIZE[1] * 0.5  # from the chest down the legs


def test_a_meal_eaten_keeps_its_bowl_and_chopsticks_at_the_mouth_not_on_the_floor() -> None:
    prompt = (
        "little girl eating ramen at a ramen shop counter with chopsticks, big bowl with "
        "egg and narutomaki, orange pigtails"
    )
    traits = traits_from_spec(ArtSpec.from_text(prompt))
    assert [(p.vector.name, p.where) for p in traits.things] == [("steaming-bowl", "mouth")]
    assert traits.background == "cafe"  # a counter inside, not the shop street
    _, missed, drawn = _drawn(prompt)
    by = {d["phrase"]: d["by"] for d in drawn}
    assert by["chopsticks"].endswith("its own") and "egg" in missed


def test_a_field_of_sunflowers_grows_sunflowers_and_a_hill_says_it_has_none() -> None:
    picture, missed, _ = _drawn("a girl in a field of sunflowers, full body")
    assert missed == []
    r, g, b = (picture[..., i].astype(int) for i in range(3))
    yellow = (r > 200) & (g > 150) & (b < 90)
    assert yellow[SIZE[1] * 2 // 3 :].mean() > 0.1
    # On a hill, the flowers said grow on it; past the sea said between, the hill stays
    # and its grass has no sunflowers: said so (it claimed them drawn).
    spec = ArtSpec.from_text("a boy on a hill, sunflowers along the road")
    assert traits_from_spec(spec).background == "flowers" and report(spec)[1] == ["road"]
    spec = ArtSpec.from_text("a boy on a hill by the sea, summer day, sunflowers along the road")
    assert traits_from_spec(spec).background == "hill"
    assert "sunflowers" in report(spec)[1]


def test_a_bicycle_ridden_down_a_hill_is_drawn_and_a_puppy_is_small() -> None:
    # (Until stop 63 beside him, the riding reported — judges 35 to 37 saw a figure facing
    # us stand in front of a side-on bicycle; now ridden, seated, hands on the
    # handlebars: `things.HANDLEBARS`.)
    spec = ArtSpec.from_text("boy riding a bicycle down a hill by the sea")
    assert [(p.vector.name, p.where) for p in traits_from_spec(spec).things] == [
        ("bicycle", "mount")
    ]
    puppy, dog = (
        traits_from_spec(ArtSpec.from_text(f"a girl with a {a}")).things[0]
        for a in ("puppy", "dog")
    )
    assert puppy.vector.name == dog.vector.name == "dog" and puppy.cm < dog.cm * 0.6
    room = ArtSpec.from_text("a cat sleeping, cozy japanese living room, no humans")
    assert traits_from_spec(room).background == "washitsu"


# Held-out judge 20 (after the fixes above).


def test_a_woman_in_a_chef_coat_is_one_woman_with_no_horns_from_onions() -> None:
    prompt = (
        "woman with short black hair in a white chef coat cooking in a kitchen, tomatoes "
        "and onions on the counter"
    )
    assert len(read_cast(prompt).members) == 1  # the coat is a chef's, not a second person
    assert traits_from_spec(ArtSpec.from_text(prompt)).accessories == ()
    assert "horns" in traits_from_spec(ArtSpec.from_text("an oni girl")).accessories


def test_japanese_words_for_clothes_and_hair_are_read_not_taken_for_names() -> None:
    prompt = "黒髪ロング girl wearing セーラー服 with red ribbon, eating 弁当 on the rooftop"
    assert len(read_cast(prompt).members) == 1
    traits = traits_from_spec(ArtSpec.from_text(prompt))
    black = traits_from_spec(ArtSpec.from_text("a girl with long black hair")).hair_color
    assert (traits.outfit, traits.hair_style, traits.hair_color) == ("sailor", "long", black)
    assert traits_from_spec(ArtSpec.from_text("redhead maid teacup")).hair_color == (
        traits_from_spec(ArtSpec.from_text("a girl with red hair")).hair_color
    )


def test_a_hot_spring_is_no_spring_season_and_is_reported() -> None:
    spec = ArtSpec.from_text("girl relaxing in an outdoor hot spring at night, snow falling")
    traits = traits_from_spec(spec)
    assert traits.season != "spring"
    missed = report(spec, traits)[1]
    assert "hot spring" in missed and not any(m in ("hot", "outdoor") for m in missed), missed


def test_a_goldfish_bowl_is_no_cereal_bowl_and_fish_fed_to_a_cat_is_in_her_hand() -> None:
    things = traits_from_spec(
        ArtSpec.from_text("a calico cat next to a goldfish bowl, no humans")
    ).things
    assert [p.vector.name for p in things] == ["cat"]
    fed = traits_from_spec(ArtSpec.from_text("a grandma feeding an orange cat with fish")).things
    assert {p.vector.name: p.where for p in fed}["fish"] in ("held", "front")


def test_a_serafuku_is_a_sailor_uniform_whose_ribbon_is_its_red_scarf() -> None:
    spec = ArtSpec.from_text("1girl, navy serafuku, red neckerchief, sitting, library")
    traits = traits_from_spec(spec)
    assert traits.outfit == "sailor" and traits.outfit_color[2] > traits.outfit_color[0]
    assert report(spec, traits)[1] == []
    ribboned = ArtSpec.from_text("a girl wearing a sailor uniform with a red ribbon")
    assert "ribbon" not in traits_from_spec(ribboned).accessories  # at the chest, no hair bow
    blue = ArtSpec.from_text("a girl wearing a sailor uniform with a blue ribbon")
    blue_traits = traits_from_spec(blue)  # the scarf drawn in the colour said of it
    assert blue_traits.tie_color is not None and blue_traits.tie_color[2] > 150
    assert "blue ribbon" not in report(blue, blue_traits)[1]
    in_hair = ArtSpec.from_text("a girl in a sailor uniform, a red ribbon in her hair")
    assert "ribbon" in traits_from_spec(in_hair).accessories


def test_a_blue_smock_is_a_blue_smock() -> None:
    spec = ArtSpec.from_text("little girl, brown hair in pigtails, yellow hat, blue smock")
    traits = traits_from_spec(spec)
    assert traits.outfit == "dress" and traits.outfit_color[2] > traits.outfit_color[0] + 60
    assert report(spec, traits)[1] == []
