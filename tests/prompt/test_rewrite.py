"""A part of one character of several changed in place (#34): the page's column of that
character's fields edits only their phrases."""

from __future__ import annotations

import pytest

from sakuga.errors import SpecError
from sakuga.prompt.rewrite import set_part


def test_one_character_s_part_changes_and_no_one_else_s() -> None:
    text = (
        "Aki has short black hair and a denim jacket, Hana has long blonde hair and a "
        "yellow sundress, at the airport"
    )
    done = set_part(text, "hair", "pink twin tails", who="Hana")
    assert done.text == text.replace("long blonde hair", "pink twin tails")
    assert done.text[slice(*done.spans[0])] == "pink twin tails"
    added = set_part(text, "expression", "smiling", who="Aki")
    assert added.text.startswith("Aki has short black hair and a denim jacket, smiling, Hana")
    cleared = set_part(text, "outfit", "", who="Aki")
    assert cleared.text.startswith("Aki has short black hair, Hana has")
    with pytest.raises(SpecError, match="no character 'Ren'"):
        set_part(text, "hair", "red", who="Ren")
