from __future__ import annotations

import pytest

from sakuga.prompt.artspec import PARTS
from sakuga.prompt.critique import critique

SEED_GOOD = (
    "a calm anime boy with short silver hair, wearing a black hoodie and headphones, "
    "standing under neon street lights at night, soft cinematic lighting, detailed "
    "background, modern urban mood"
)


def test_vague_seed_prompt_is_caught() -> None:
    result = critique("anime boy in a city")
    assert result.score < 40
    assert len(result.missing) >= 5
    for part in result.missing:
        assert result.suggestions[part], part


def test_good_seed_prompt_scores_high_and_finds_every_part() -> None:
    result = critique(SEED_GOOD)
    assert result.score >= 80
    parts = result.parts
    assert parts["expression"] == "calm"
    assert "short" in parts["hair"] and "silver" in parts["hair"]
    assert "black hoodie" in parts["outfit"] and "headphones" in parts["outfit"]
    assert parts["pose"] == "standing"
    # Times of day and named lights are lighting (issue #14); the place is background.
    assert "neon street lights" in parts["lighting"] and "night" in parts["lighting"]
    assert "detailed background" in parts["background"]
    assert "soft cinematic" in parts["lighting"]
    assert "modern urban" in parts["mood"]
    assert "boy" in parts["character"]
    assert result.conflicts == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "cute girl with pink twin tails in a sailor uniform, smiling, sakura park in spring, "
            "golden hour, in cyberpunk style, as an avatar",
            {
                "hair": "pink twin tails",
                "outfit": "sailor uniform",
                "expression": "smiling",
                "lighting": "golden hour",
                "style": "cyberpunk",
                "use": "avatar",
            },
        ),
        (
            "kinpatsu shoujo in a red yukata at a matsuri at night, lantern light, nostalgic vibe, poster",
            {
                "hair": "kinpatsu",
                "character": "shoujo",
                "outfit": "red yukata",
                "lighting": "lantern light",
                "mood": "nostalgic",
                "use": "poster",
            },
        ),
        (
            "old wizard holding a staff in a castle, moonlight, epic, fantasy art style, for my album cover",
            {
                "character": "old wizard",
                "lighting": "moonlight",
                "mood": "epic",
                "style": "fantasy",
                "use": "cover",
            },
        ),
        (
            "tomboy with messy blonde hair, white t-shirt and denim jacket, grinning, leaning against a wall, "
            "rooftop at sunset, warm backlight, webtoon, youtube thumbnail",
            {
                "hair": "messy blonde hair",
                "outfit": "denim jacket",
                "expression": "grinning",
                "pose": "leaning against a wall",
                "background": "rooftop",
                "lighting": "warm backlight",
                "style": "webtoon",
                "use": "thumbnail",
            },
        ),
        (
            "kawaii catgirl, lavender bob cut, oversized hoodie with cat ears, blushing, peace sign, "
            "pastel gradient background, sticker",
            {
                "hair": "lavender bob cut",
                "character": "catgirl",
                "expression": "blushing",
                "pose": "peace sign",
                "background": "pastel gradient background",
                "style": "cute",
                "use": "sticker",
            },
        ),
        (
            "android girl, silver-haired, black techwear jacket with glowing seams, serious expression, "
            "rain-soaked neon alley at night, magenta and cyan rim light, tense atmosphere, sci-fi",
            {
                "character": "android girl",
                "hair": "silver-haired",
                "outfit": "glowing seams",
                "expression": "serious expression",
                "background": "neon alley",
                "lighting": "magenta and cyan rim light",
                "mood": "tense",
                "style": "cyberpunk",
            },
        ),
        (
            "samurai in a hakama, long black hair in a ponytail, determined, fighting stance, "
            "bamboo forest at dawn, volumetric fog, cinematic, desktop wallpaper",
            {
                "character": "samurai",
                "outfit": "hakama",
                "hair": "long black hair, ponytail",
                "expression": "determined",
                "pose": "fighting stance",
                "background": "bamboo forest",
                "lighting": "volumetric fog",
                "style": "cinematic",
                "use": "wallpaper",
            },
        ),
    ],
)
def test_parts_found_in_many_phrasings(text: str, expected: dict[str, str]) -> None:
    parts = critique(text).parts
    for part, fragment in expected.items():
        assert part in parts, (part, parts)
        assert fragment in parts[part], (part, parts[part])


def test_structured_lines_are_read_directly() -> None:
    result = critique(
        "character: elf archer; hair: long silver; outfit: green cloak; style: kawaii; for: pfp"
    )
    assert result.parts["character"] == "elf archer"
    assert result.parts["hair"] == "long silver"
    assert result.parts["style"] == "cute"
    assert result.parts["use"] == "avatar"


@pytest.mark.parametrize(
    ("text", "conflict"),
    [
        ("girl with short long hair", "hair length"),
        ("boy on a beach at noon under a night sky", "time of day"),
        ("girl smiling and crying", "expression"),
        ("city at sunrise and sunset", "sun position"),
        ("sunny street in the rain", "weather"),
    ],
)
def test_conflicts_are_named(text: str, conflict: str) -> None:
    result = critique(text)
    assert any(c.startswith(conflict) for c in result.conflicts), result.conflicts


def test_conflict_lowers_the_score() -> None:
    clean = critique("girl with short silver hair smiling, black hoodie, standing, city at night")
    messy = critique(
        "girl with short long silver hair smiling, black hoodie, standing, city at night and noon"
    )
    assert messy.score < clean.score


def test_short_hair_and_long_coat_is_no_conflict() -> None:
    assert critique("boy with short hair in a long coat").conflicts == []


def test_suggestions_fit_the_style_and_use() -> None:
    result = critique("a girl, cyberpunk style")
    assert "neon pink undercut" in result.suggestions["hair"]
    sticker = critique("a boy, sticker")
    assert any("chibi" in s or "peace" in s for s in sticker.suggestions["pose"])


def test_json_shape() -> None:
    data = critique(SEED_GOOD).as_dict()
    assert set(data) == {
        "score",
        "parts",
        "missing",
        "suggestions",
        "conflicts",
        "prompt",
        "details",
        "quality",
        "from_character",
        "said",
        "characters",
    }
    assert data["characters"] == []  # one character: no list of them
    # Without a character, the prompt says every part found.
    assert data["from_character"] == {} and data["said"] == data["parts"]
    assert isinstance(data["details"], list) and isinstance(data["quality"], list)
    assert isinstance(data["score"], int) and 0 <= data["score"] <= 100
    assert set(data["parts"]) | set(data["missing"]) == set(PARTS)


def test_more_parts_score_higher() -> None:
    a = critique("anime girl")
    b = critique("anime girl with long red hair")
    c = critique("anime girl with long red hair in a blue kimono, smiling, shrine at dusk")
    assert a.score < b.score < c.score
