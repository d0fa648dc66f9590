"""The reader's rules added on the ninth set of several-character prompts (#34), each
on a sentence of its own: names paired by "+", pronoun and first-person labels, a
relative clause's garment, "the one with …" said again, ordinals and labels with their
names, animals with their own clause, a name said in another's clause, "[Char 1]"."""

from __future__ import annotations

from sakuga.prompt.cast import Cast, Member, read_cast


def _who(cast: Cast, phrase: str) -> Member:
    """The one member whose words hold ``phrase``."""
    (member,) = [m for m in cast.members if phrase in m.text]
    return member


def test_a_plus_pairs_two_names_with_long_brackets() -> None:
    cast = read_cast(
        "Rook (tall, silver braid down to the waist, long grey greatcoat with brass buttons, "
        "leaning on a lamppost, reading a letter) + Wren (short, red curls, green scarf)"
    )
    assert [m.who for m in cast.members] == ["Rook", "Wren"]
    assert _who(cast, "red curls").who == "Wren"


def test_a_pronoun_said_as_a_label_is_theirs() -> None:
    cast = read_cast("me and my bf at the pier. me: blue beanie 🌊 him: green parka, freckles")
    assert _who(cast, "green parka").who == "bf"
    assert _who(cast, "blue beanie").who == "me"


def test_the_first_person_opens_a_dash_label_and_says_what_they_are() -> None:
    cast = read_cast("my sister and me. she has a yellow raincoat. me - grey hoodie, red boots")
    assert _who(cast, "grey hoodie").who == "me"
    cast = read_cast("my bf and i as pirates!! hes got an eyepatch. im a pirate w/ a green bandana")
    assert [m.who for m in cast.members if "eyepatch" in m.text] == ["bf"]
    assert "pirate" not in [m.who for m in cast.members]


def test_what_a_relative_clause_wears_is_no_one_new() -> None:
    cast = read_cast(
        "the boy who's wearing a maid costume waves at the girl who's reading, the one with "
        "round glasses and a yellow cardigan"
    )
    assert len(cast.members) == 2
    assert _who(cast, "round glasses").who == "girl"


def test_the_ones_by_where_they_stand_are_named_apart() -> None:
    cast = read_cast(
        "two brave knights at dawn: the one on the left has a red plume, the one on the right "
        "has a blue plume"
    )
    assert [m.who for m in cast.members] == ["the one on the left", "the one on the right"]
    assert _who(cast, "blue plume").position == "right"
    # (A count's places keep their names, and still stand where they are said to.)
    cast = read_cast(
        "two knights: the one on the left has a red plume, the one on the right has a blue plume"
    )
    assert [m.position for m in cast.members] == ["left", "right"]
    assert "red plume" not in _who(cast, "blue plume").text


def test_an_ordinal_then_a_name_then_their_looks() -> None:
    cast = read_cast(
        "three brothers on a bridge. the eldest, Harun: long grey coat, short beard. "
        "the middle one, Selim: red scarf, curly hair. the youngest, Emre: blue cap, freckles"
    )
    assert [m.who for m in cast.members] == ["Harun", "Selim", "Emre"]
    assert _who(cast, "curly hair").who == "Selim"


def test_a_label_opens_with_a_name_that_is_also_a_word() -> None:
    cast = read_cast(
        "Character 1: Sky, a small boy with a red kite. Character 2: Bea, a girl in a sun hat"
    )
    assert _who(cast, "red kite").who == "Sky"
    assert len(cast.members) == 2


def test_a_named_animal_said_by_its_kind_is_the_same_one() -> None:
    cast = read_cast("Character A: Nell, a baker. Character B: Crumbs — the bakery cat, grey fur")
    crumbs = _who(cast, "grey fur")
    assert crumbs.who == "Crumbs" and crumbs.animal


def test_an_animal_keeps_the_clause_that_says_its() -> None:
    cast = read_cast(
        "a boy in a blue kimono riding on a big brown bear with a scar, a red collar on its "
        "neck, snowy forest"
    )
    assert _who(cast, "red collar on its neck").animal
    assert not _who(cast, "blue kimono").animal


def test_one_held_by_another_is_someone_else() -> None:
    cast = read_cast(
        "mom is a tall woman in a green coat, holding the baby; the baby is tiny, with a "
        "yellow bonnet; dad has a grey beard"
    )
    assert len(cast.members) == 3
    assert _who(cast, "yellow bonnet").who == "baby"
    assert _who(cast, "grey beard").who == "dad"


def test_a_name_said_with_its_s_in_another_clause_is_spoken_of() -> None:
    cast = read_cast(
        "Lena is tying Omar's shoelace while Ivo holds the balloons. Lena: pink bob. "
        "Omar: green shorts. Ivo: tall, striped shirt"
    )
    assert _who(cast, "tying").who == "Lena"
    assert _who(cast, "holds the balloons").who == "Ivo"


def test_a_bracketed_label_then_its_name() -> None:
    cast = read_cast(
        "[Char 1] name: Tomo | hair: short blue | outfit: raincoat\n"
        "[Char 2] name: Rei | hair: long black | pose: tugging Tomo's sleeve"
    )
    assert [m.who for m in cast.members] == ["Tomo", "Rei"]
    assert _who(cast, "long black").who == "Rei"


def test_a_pet_named_in_lower_case() -> None:
    cast = read_cast(
        "me and my hamster biscuit 🐹 i have a green hoodie. biscuit is golden with a tiny bow"
    )
    pet = _who(cast, "golden")
    assert pet.animal
    assert not _who(cast, "green hoodie").animal
