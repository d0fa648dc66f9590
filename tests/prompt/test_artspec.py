from __future__ import annotations

import pytest

from sakuga.errors import SpecError
from sakuga.prompt.artspec import PARTS, ArtSpec
from sakuga.prompt.styles import STYLES, get_style
from sakuga.prompt.uses import USES, get_use, parse_size


def test_parts_have_the_exact_names() -> None:
    assert PARTS == (
        "character",
        "hair",
        "outfit",
        "expression",
        "pose",
        "background",
        "lighting",
        "mood",
        "style",
        "use",
    )
    fields = set(ArtSpec.model_fields)
    assert set(PARTS) | {"negative", "seed", "count", "character_ref", "text", "details"} == fields


def test_style_and_use_are_canonical() -> None:
    spec = ArtSpec.build(style="Kawaii", use="profile picture")
    assert spec.style == "cute" and spec.use == "avatar"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"count": 11}, "count: Input should be less than or equal to 10"),
        ({"count": 0}, "count: Input should be greater than or equal to 1"),
        ({"seed": -1}, "seed:"),
        ({"style": "zzkx"}, "unknown style 'zzkx'"),
        ({"use": "billboard"}, "unknown use 'billboard'"),
        ({"hair": "x" * 1200}, "hair: String should have at most 1000 characters"),
        ({"colour": "red"}, "unknown part 'colour'"),
    ],
)
def test_validation_messages(fields: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ArtSpec.build(**fields)


def test_empty_strings_are_missing() -> None:
    spec = ArtSpec.build(hair="  ", outfit="")
    assert spec.hair is None and "outfit" in spec.missing()


def test_compose_writes_every_part_and_style_fragments() -> None:
    spec = ArtSpec.build(
        character="anime boy",
        hair="short silver",
        outfit="black hoodie",
        expression="calm",
        pose="standing",
        background="neon street at night",
        lighting="soft cinematic",
        mood="modern urban",
        style="cinematic",
        use="poster",
    )
    text = spec.compose()
    for fragment in (
        "cinematic anime film still",
        "anime boy",
        "short silver hair",
        "wearing black hoodie",
        "calm expression",
        "standing",
        "neon street at night",
        "soft cinematic lighting",
        "modern urban mood",
        "vertical poster composition",
        "teal and orange color grading",
    ):
        assert fragment in text
    assert "hair hair" not in ArtSpec.build(hair="long hair").compose()


def test_negative_prompt_defaults_to_the_style() -> None:
    assert "horror" in ArtSpec.build(style="cute").negative_prompt()
    assert ArtSpec.build(negative="blurry").negative_prompt() == "blurry"


def test_merged_overrides() -> None:
    base = ArtSpec.build(hair="pink bob", style="cute")
    assert base.merged(style="webtoon", hair=None).hair == "pink bob"
    assert base.merged(style="webtoon").style == "webtoon"


def test_prompt_length_is_bounded() -> None:
    with pytest.raises(SpecError, match="too long"):
        ArtSpec.from_text("girl " * 2000)


def test_styles_and_uses_data() -> None:
    assert {"cute", "cinematic", "webtoon", "fantasy", "cyberpunk"} <= set(STYLES)
    assert get_style("sci-fi").name == "cyberpunk"
    assert get_use("album cover").size == (3000, 3000)
    assert get_use("poster").aspect == "2:3"
    assert get_use("sticker").transparent
    assert get_use("thumbnail").size == (1280, 720)
    assert get_use("social").aspect == "4:5"
    for use in USES.values():
        x0, y0, x1, y1 = use.safe_area.box(use.width, use.height)
        assert 0 <= x0 < x1 <= use.width and 0 <= y0 < y1 <= use.height


@pytest.mark.parametrize("bad", ["1000", "axb", "10x10", "9000x100", "100x"])
def test_bad_sizes(bad: str) -> None:
    with pytest.raises(SpecError):
        parse_size(bad)


def test_good_size() -> None:
    assert parse_size("1280x720") == (1280, 720)
    assert parse_size("640×480") == (640, 480)
