"""What the ninth held-out judge saw drawn wrong, each pinned down: a colour said after
its noun in Japanese ("kimono wa akai"), a sleeping dog whose sleep went onto the
woman's face, and a basketball uniform drawn as a school blazer (in test_draw_judge8)."""

from __future__ import annotations

from sakuga.engines.draw import traits_from_spec
from sakuga.engines.draw.report import report
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.vocab import COLOR_RGB


def test_a_colour_said_in_japanese_after_its_garment_colours_it() -> None:
    traits = traits_from_spec(ArtSpec.from_text("kitsune no onna no ko, kimono wa akai"))
    assert traits.outfit == "kimono" and traits.outfit_color == COLOR_RGB["red"]
    black = traits_from_spec(ArtSpec.from_text("onna no ko, kuroi kimono"))
    assert black.outfit_color != traits.outfit_color


def test_an_animal_sleeping_before_its_name_sleeps_not_the_character() -> None:
    """ "a sleeping shiba inu next to her": the dog's sleep is not drawn (the library's
    dog cannot close its eyes), so it is reported; her face stays awake."""
    prompt = "old woman in a kimono, grey hair in a bun, a sleeping shiba inu next to her"
    spec = ArtSpec.from_text(prompt)
    traits = traits_from_spec(spec)
    assert traits.expression != "sleepy"
    drawn, missed = report(spec, traits)
    assert "sleeping" in missed
    assert not any("sleep" in d["phrase"] for d in drawn), drawn
    assert any(d["by"].startswith("library: dog") for d in drawn)
    assert not any("inu" in m or "dog" in m for m in missed), missed  # the breed is the dog


def test_a_place_said_by_its_weather_reports_the_place_draw_has_no_picture_of() -> None:
    """ "on a snowy bridge" was reported drawn by its snow alone (a bridge is no place
    draw has): the snow is drawn, the bridge is said not drawn, not swapped silently."""
    for prompt, place in (
        ("girl with a red scarf on a snowy bridge", "bridge"),
        ("boy in a black coat in a snowy graveyard", "graveyard"),
    ):
        drawn, missed = report(ArtSpec.from_text(prompt))
        assert place in missed, (prompt, missed)
        assert any(d["by"] == "background: snowy" for d in drawn), drawn
    # Weather, seasons and time alone, or with what they are (a day, falling leaves, a
    # blood moon), name nothing more.
    for prompt in ("girl under falling snow", "autumn leaves drifting, windy day",
                   "samurai under a blood red moon", "rainy day in tokyo"):  # fmt: skip
        assert report(ArtSpec.from_text(prompt))[1] == [], prompt
