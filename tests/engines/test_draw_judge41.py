"""What held-out judge 41 found (#31): things drawn as something else — a green can
for "a yellow watering can", brown hair for the second girl's orange, a knight's plate
and a straight sword for a samurai's armour and katana, one book for a stack, a naval
officer's cap for a pirate's tricorn, a mother as young as her daughter, a sailor
collar's ribbon for a red scarf, a chin beard and a sun hat for a wizard's long beard
and pointy hat — and candles said but not drawn."""

from __future__ import annotations

import numpy as np

from sakuga.engines.draw import drawing_svg, traits_from_spec
from sakuga.engines.draw.report import report
from sakuga.engines.draw.svg import render_svg
from sakuga.engines.draw.together import dealt_out
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.members import member_spec, read_cast
from sakuga.prompt.vocab import COLOR_RGB

SIZE = (256, 256)

WIZARD = (
    "wizard old man with a long beard and a pointy blue hat reading a spellbook in a "
    "tower, candles, owl"
)


def _layer(prompt: str, layer: str, seed: int = 1) -> np.ndarray:
    """One layer of the drawing alone, RGBA pixels (ints)."""
    spec = ArtSpec.from_text(prompt)
    svg = drawing_svg(spec, SIZE, seed, only={layer})
    return np.asarray(render_svg(svg, SIZE).convert("RGBA")).astype(int)


def _near(rgba: np.ndarray, rgb: tuple[int, int, int], within: int = 40) -> int:
    """How many opaque pixels are within ``within`` of ``rgb`` on every channel."""
    opaque = rgba[..., 3] > 200
    close = (np.abs(rgba[..., :3] - np.array(rgb)) <= within).all(axis=-1)
    return int((opaque & close).sum())


def test_a_colour_said_of_the_tool_colours_the_tool() -> None:
    prompt = (
        "little girl (about 6) watering plants in a garden with a yellow watering can, "
        "sunny morning, straw hat"
    )
    traits = traits_from_spec(ArtSpec.from_text(prompt))
    assert traits.action == "watering" and traits.tool_color == COLOR_RGB["yellow"]
    arms = _layer(prompt, "arms")
    assert _near(arms, COLOR_RGB["yellow"], 60) > 150  # the can, yellow
    assert _near(arms, (86, 160, 132), 25) < 20  # not its own green


def test_one_with_this_hair_one_with_that_hair_are_two_figures() -> None:
    text = (
        "2girls holding hands walking on the beach at sunset, one with blue hair one with "
        "orange hair, sundresses"
    )
    spec = ArtSpec.from_text(text)
    cast = read_cast(text)
    assert cast is not None
    specs = dealt_out([member_spec(spec, cast, m) for m in cast.members])
    first, second = (traits_from_spec(s) for s in specs)
    assert first.hair_color == COLOR_RGB["blue"]
    assert second.hair_color == COLOR_RGB["orange"]  # not the default brown
    for t in (first, second):  # "sundresses": both wear one, a sundress's light yellow
        assert t.outfit == "dress" and t.outfit_color == (250, 230, 130)


def test_a_samurai_wears_japanese_armour_over_a_kimono() -> None:
    prompt = (
        "structured: character: female samurai; hair: long white hair; outfit: kimono and "
        "armor; holding: katana; place: bamboo forest; weather: fog"
    )
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert traits.outfit == "kimono" and traits.samurai_armour and traits.prop == "katana"
    assert traits.lower_color is not None  # a hakama below
    assert "structured" not in report(spec, traits)[1]
    body = _layer(prompt, "body")
    assert _near(body, (178, 40, 52), 45) > 40  # the cuirass's laced rows
    assert _near(body, (176, 184, 200), 20) < 40  # no knight's steel plate


def test_a_knight_still_wears_plate() -> None:
    traits = traits_from_spec(ArtSpec.from_text("a knight in shining armor, holding a sword"))
    assert traits.outfit == "armor" and not traits.samurai_armour


def test_a_katana_is_curved_with_a_round_guard() -> None:
    prompt = "a girl holding a katana, plain white background"
    arms = _layer(prompt, "arms")
    svg = drawing_svg(ArtSpec.from_text(prompt), SIZE, 1, only={"arms"})
    assert 'rx="40" ry="14"' in svg  # the tsuba
    steel = (np.abs(arms[..., :3] - np.array((222, 228, 238))) <= 20).all(axis=-1)
    steel &= arms[..., 3] > 200
    ys, xs = np.nonzero(steel)
    top, low = xs[ys < np.percentile(ys, 10)], xs[ys > np.percentile(ys, 60)]
    assert abs(np.median(top) - np.median(low)) > 4  # the blade bends, tip out


def test_a_stack_of_books_is_a_pile_of_books() -> None:
    prompt = "1girl, librarian, glasses, cardigan, holding a stack of books, library"
    assert traits_from_spec(ArtSpec.from_text(prompt)).books == 4
    assert traits_from_spec(ArtSpec.from_text("a girl holding a book")).books == 1
    arms = _layer(prompt, "arms")
    # Each book its own cover: the blue and the green ones both show.
    assert _near(arms, (60, 92, 140), 25) > 30 and _near(arms, (70, 120, 84), 25) > 30


def test_a_pirate_captain_wears_a_tricorn_not_a_naval_cap() -> None:
    spec = ArtSpec.from_text(
        "pirate captain woman with a tricorn hat and an eyepatch on a ship deck, parrot on "
        "her shoulder, ocean, storm"
    )
    traits = traits_from_spec(spec)
    assert traits.headwear == "tricorn" and traits.outfit == "jacket"
    drawn, missed = report(spec, traits)
    assert not any("tricorn" in m for m in missed), missed
    assert any(d["by"] == "outfit: tricorn hat" for d in drawn), drawn
    svg = drawing_svg(spec, SIZE, 1, only={"accessories"})
    assert "#1a1a20" not in svg.lower()  # no peaked cap's black visor
    # A pilot captain keeps the peaked cap.
    assert traits_from_spec(ArtSpec.from_text("airline captain")).headwear == "peaked cap"


def test_a_mother_is_grown_and_her_daughter_a_child() -> None:
    text = "a mother and daughter baking cookies together in the kitchen, aprons, flour"
    spec = ArtSpec.from_text(text)
    cast = read_cast(text)
    assert cast is not None
    specs = dealt_out([member_spec(spec, cast, m) for m in cast.members])
    mother, daughter = (traits_from_spec(s) for s in specs)
    assert mother.build == "adult" and daughter.build == "chibi"
    assert mother.outfit == daughter.outfit == "apron"  # "aprons": both wear one


def test_a_red_scarf_on_a_schoolgirl_is_a_scarf() -> None:
    prompt = "school girl waiting at a bus stop in the snow, holding a hot drink, red scarf"
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert traits.outfit == "sailor" and "scarf" in traits.accessories
    assert {"phrase": "red scarf", "by": "outfit: scarf"} in report(spec, traits)[0]
    worn = _near(_layer(prompt, "accessories"), (200, 30, 40), 50)
    collar = prompt.replace("red scarf", "red sailor scarf")
    assert worn > 100 and _near(_layer(collar, "accessories"), (200, 30, 40), 50) == 0
    # A sailor scarf is still the uniform's own, at the collar.
    sailor = traits_from_spec(ArtSpec.from_text(collar))
    assert "scarf" not in sailor.accessories and sailor.tie_color == COLOR_RGB["red"]


def test_a_wizard_has_a_long_beard_and_a_pointy_hat() -> None:
    spec = ArtSpec.from_text(WIZARD)
    traits = traits_from_spec(spec)
    assert traits.beard == "long"
    assert traits.headwear == "witch hat" and traits.headwear_color == COLOR_RGB["blue"]
    # The long beard reaches further down than a beard at the chin, the rest the same.
    portrait = "wizard old man with a long beard and a pointy blue hat, close-up portrait"
    long_face = _layer(portrait, "features")[..., 3] > 200
    short_face = _layer(portrait.replace("long beard", "beard"), "features")[..., 3] > 200
    assert np.nonzero(long_face)[0].max() > np.nonzero(short_face)[0].max() + 8


def test_candles_are_drawn_and_the_tower_is_reported() -> None:
    drawn, missed = report(ArtSpec.from_text(WIZARD))
    assert {"phrase": "candles", "by": "library: candle, beside"} in drawn
    assert "tower" in missed
    assert {"phrase": "long beard", "by": "face: long beard"} in drawn


def test_a_place_said_is_never_swapped_for_the_roles_own() -> None:
    """A schoolgirl waiting at a bus stop stood in a classroom (judge 41): the role's
    place is for a prompt that says no place."""
    waiting = traits_from_spec(ArtSpec.from_text("school girl waiting at a bus stop in the snow"))
    assert waiting.background != "classroom"
    assert traits_from_spec(ArtSpec.from_text("a school girl, smiling")).background == "classroom"


def test_a_thing_of_the_scene_stands_once_in_a_row() -> None:
    """Each figure of a row read the shared words, and two bus stops stood beside the
    pair (the together gallery): a thing beside them is the scene's, drawn once."""
    from sakuga.engines.draw.together import _row

    text = (
        "a tall boy with silver hair in a black coat and a small girl with pink twin tails "
        "in a yellow raincoat, holding hands at a bus stop, rainy evening"
    )
    spec = ArtSpec.from_text(text)
    cast = read_cast(text)
    assert cast is not None
    specs = dealt_out([member_spec(spec, cast, m) for m in cast.members])
    row = _row(specs, [traits_from_spec(s) for s in specs], (512, 512), 1, text)
    stops = [t for p in row.painters for t in p.traits.things if t.vector.name == "bus-stop"]
    assert len(stops) == 1
