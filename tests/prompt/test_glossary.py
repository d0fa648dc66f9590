"""Japanese words in Latin letters (#31): placed as their English gloss, and read by
engines through it."""

from __future__ import annotations

import pytest

from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.lexicon import gloss, lexicon


def test_gloss_keeps_the_words_as_said_and_adds_the_english() -> None:
    assert gloss("aki no yuugata, Onnanoko") == "aki (autumn) no yuugata (evening), Onnanoko (girl)"
    assert gloss("yuki ga futteru") == "yuki ga futteru (snow falling)"
    assert gloss("a sakuraba street") == "a sakuraba street"  # whole words only


@pytest.mark.parametrize(
    ("text", "part", "phrase"),
    [
        ("onnanoko, yozora", "character", "onnanoko"),
        ("girl in a yukata, hanabi", "background", "hanabi"),
        ("girl, aki no yuugata", "lighting", "aki no yuugata"),
    ],
)
def test_a_glossed_word_is_placed_in_its_glosses_part(text: str, part: str, phrase: str) -> None:
    assert phrase in (ArtSpec.from_text(text).parts().get(part) or "")


def test_words_the_lexicon_knows_keep_their_own_part() -> None:
    """A word the lexicon has already (a style's alias, a kind of hair) keeps it."""
    spec = ArtSpec.from_text("kawaii catgirl, kinpatsu")
    assert spec.preset_name == "cute" or "kawaii" in (spec.style or "")
    assert all(word not in lexicon().glossary for word in ("kawaii", "kinpatsu"))


def test_an_extra_network_tag_is_one_detail_not_split_at_its_weight() -> None:
    """ "<lora:softpastel:0.7>" stays whole (it was two phrases, "lora:softpastel:0" and
    "7"): an engine that applies it reads it, the others report it as it was said."""
    spec = ArtSpec.from_text("1girl, pajamas, <lora:softpastel:0.7>, (night sky:1.2)")
    assert spec.details == ("lora:softpastel:0.7",) or list(spec.details) == ["lora:softpastel:0.7"]
    assert spec.background == "night sky"


def test_a_name_said_as_one_is_no_word_of_a_part() -> None:
    """ "Aki has …" is Aki, not autumn (aki) in the background; "Sora and …" not the sky."""
    spec = ArtSpec.from_text(
        "Aki has short black hair and a denim jacket, Sora has blue hair, at the airport"
    )
    assert spec.background == "airport"
    assert {"aki", "sora"} <= set(spec.details)
    # Said as a word, not a name, it is still glossed.
    assert ArtSpec.from_text("aki no yuugata, a girl").lighting == "aki no yuugata"
