"""Issue #14: every word reaches the engine; phrases are placed; directives are honoured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.prompt_understanding import SECOND, evaluate, load_set, today_spec
from sakuga.errors import DirectiveError
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.attention import parse_attention, plain_text
from sakuga.prompt.critique import critique
from sakuga.prompt.parse import parse_prompt
from sakuga.prompt.words import content_words, missing_words

SET = load_set()
SECOND_SET = load_set(SECOND)
UMBRELLA = (
    "a girl holding a red umbrella next to a glowing vending machine, rain, her dog sleeping "
    "at her feet, ukiyo-e inspired"
)
FISHERMAN = (
    "an old fisherman with a white beard mending nets on a wooden pier at dawn, seagulls, "
    "watercolor, for a music cover"
)


def test_the_labelled_set_is_large_and_varied() -> None:
    assert len(SET) >= 80
    voices = {item["voice"].split()[0] for item in SET}
    assert {"sentence", "tags", "structured", "romanized", "clumsy", "long"} <= voices


@pytest.mark.parametrize("item", SET + SECOND_SET, ids=lambda item: item["prompt"][:40])
def test_every_content_word_reaches_the_ai_prompt(item: dict[str, object]) -> None:
    prompt = str(item["prompt"])
    spec = today_spec(prompt)
    assert missing_words(prompt, spec.compose()) == []
    # The openai engine's natural-language form keeps them too.
    assert missing_words(plain_text(prompt), plain_text(spec.compose())) == []
    # And `sakuga prompt --json`'s prompt, which is the critique's.
    assert missing_words(prompt, critique(prompt).prompt) == []


@pytest.mark.parametrize("items", [SET, SECOND_SET], ids=["first", "second"])
def test_part_accuracy_on_the_sets(items: list[dict[str, object]]) -> None:
    accuracy, retention, misses, lost = evaluate(items, today_spec)
    assert retention == 1.0 and lost == []
    assert accuracy >= 0.9, misses


def test_the_check_can_fail() -> None:
    # The retention check catches a prompt that drops a word.
    assert missing_words("a girl with a red umbrella", "girl, red") == ["umbrella"]
    assert "umbrella" in content_words("a girl with a red umbrella; seed: 4")
    assert "4" not in content_words("a girl; seed: 4")


def test_issue_examples() -> None:
    spec = ArtSpec.from_text(UMBRELLA)
    assert "wearing" not in spec.compose()  # nothing invented
    parts = spec.parts()
    assert "holding a red umbrella" in parts["pose"]
    assert "vending machine" in parts["background"] and "rain" in parts["background"]
    assert "ukiyo-e" in parts["style"]
    fisher = critique(FISHERMAN)
    assert fisher.score >= 65, fisher
    assert fisher.parts["character"] == "old fisherman"
    assert fisher.parts["pose"] == "mending nets"
    assert fisher.parts["lighting"] == "dawn"
    assert fisher.parts["style"] == "watercolor"
    assert fisher.parts["use"] == "cover"
    assert set(fisher.missing) == {"outfit", "expression", "mood"}
    assert critique("anime boy in a city").score < 40
    conflict = critique("long kinpatsu hair, sailor uniform, short hair")
    assert any("hair length" in c for c in conflict.conflicts)


def test_unplaced_phrases_are_kept_as_details() -> None:
    result = critique("a girl at a cafe, a cup of tea, a swirl of steam, mysterious stranger")
    assert "cup of tea" in result.details
    assert "a cup of tea" in result.prompt
    assert result.score > critique("a girl at a cafe").score  # details count


def test_tags_and_a1111_syntax_are_read_as_words() -> None:
    parsed = parse_prompt("(masterpiece:1.2), 1girl, long_hair, [blurry], (smile)")
    assert parsed.quality == ["masterpiece"]
    assert parsed.parts["hair"] == ["long hair"]
    assert parsed.parts["expression"] == ["smile"]
    assert parsed.text == "(masterpiece:1.2), 1girl, long_hair, [blurry], (smile)"


def test_directive_lines() -> None:
    parsed = parse_prompt("a girl in the rain\nseed: 42\ncount: 2\nnegative: blurry\nstyle: cute")
    assert parsed.directives == {"seed": 42, "count": 2, "negative": "blurry"}
    spec = ArtSpec.build(**parsed.fields())
    assert (spec.seed, spec.count, spec.negative, spec.style) == (42, 2, "blurry", "cute")
    assert spec.text == "a girl in the rain"
    with pytest.raises(DirectiveError, match="seed twice"):
        parse_prompt("seed: 1; seed: 2; a girl")
    with pytest.raises(DirectiveError, match="whole number"):
        parse_prompt("count: many")


def test_free_styles_and_presets() -> None:
    assert ArtSpec.build(style="kawaii").style == "cute"
    medium = ArtSpec.build(style="ukiyo-e inspired")
    assert medium.style == "ukiyo-e inspired" and medium.preset is None
    assert ArtSpec.build(style="webtoon style").preset_name == "webtoon"


def test_a_medium_said_in_the_plural_is_a_style_not_an_error() -> None:
    """The parser reads "crayons" as the medium "crayon"; the spec it builds accepts the
    phrase it was given (it raised "unknown style 'crayons'", so a child drawing with
    crayons gave no picture at all: judge 21)."""
    parsed = parse_prompt("child drawing with crayons on the floor of a messy bedroom")
    assert parsed.parts["style"] == ["crayons"]
    assert ArtSpec.build(**parsed.fields()).style == "crayons"
    assert ArtSpec.build(style="watercolors").preset is None


# A1111's documented examples for its prompt attention parser.
A1111_CASES = [
    ("normal text", [("normal text", 1.0)]),
    ("an (important) word", [("an ", 1.0), ("important", 1.1), (" word", 1.0)]),
    ("(unbalanced", [("unbalanced", 1.1)]),
    ("\\(literal\\]", [("(literal]", 1.0)]),
    ("(unnecessary)(parens)", [("unnecessaryparens", 1.1)]),
    (
        "a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).",
        [
            ("a ", 1.0),
            ("house", 1.5730000000000004),
            (" ", 1.1),
            ("on", 1.0),
            (" a ", 1.1),
            ("hill", 0.55),
            (", sun, ", 1.1),
            ("sky", 1.4641000000000006),
            (".", 1.1),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), A1111_CASES)
def test_attention_parse_matches_a1111(text: str, expected: list[tuple[str, float]]) -> None:
    got = parse_attention(text)
    assert [f for f, _ in got] == [f for f, _ in expected]
    assert [w for _, w in got] == pytest.approx([w for _, w in expected])


def test_break_and_plain_text() -> None:
    assert parse_attention("a BREAK b") == [("a", 1.0), ("BREAK", -1.0), ("b", 1.0)]
    assert plain_text("(masterpiece:1.2), 1girl, [blurry] BREAK red scarf") == (
        "masterpiece, 1girl, blurry, red scarf"
    )
    assert plain_text("a girl, no syntax") == "a girl, no syntax"


def test_a_prompt_at_the_length_limit_keeps_every_word() -> None:
    prompt = ", ".join(item["prompt"] for item in SET if ":" not in item["prompt"])[:3999]
    prompt = prompt.rsplit(",", 1)[0]
    spec = ArtSpec.from_text(prompt)
    assert missing_words(prompt, spec.compose()) == []


def test_data_file_is_well_formed() -> None:
    for name in ("prompts.jsonl", "prompts_second.jsonl"):
        path = Path(__file__).parent / "data" / name
        for line in path.read_text("utf-8").splitlines():
            item = json.loads(line)
            assert set(item) == {"voice", "prompt", "parts"}
            assert item["parts"], item
