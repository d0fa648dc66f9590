"""Several characters in one prompt (#34): each gets their own phrases, what they do
together is shared, the place is the scene's — and the critique checks each one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sakuga.prompt.cast import read_cast
from sakuga.prompt.critique import critique

SHIP = (
    "can u draw my ship Aki x Hana hugging at the airport?? Aki has short black hair and a "
    "denim jacket, Hana has long blonde hair and a yellow sundress, a suitcase next to them, "
    "both crying happy tears"
)


def _texts(prompt: str) -> list[str]:
    return [m.text for m in read_cast(prompt).members]


def test_the_issues_ship_gives_each_their_own_hair_and_clothes() -> None:
    cast = read_cast(SHIP)
    assert [m.who for m in cast.members] == ["Aki", "Hana"]
    aki, hana = (m.text for m in cast.members)
    assert "short black hair" in aki and "denim jacket" in aki
    assert "long blonde hair" in hana and "yellow sundress" in hana
    assert "blonde" not in aki and "black" not in hana
    assert "hugging" in " ".join(cast.shared) and "crying happy tears" in cast.shared
    assert "airport" in cast.scene


@pytest.mark.parametrize(
    ("prompt", "first", "second"),
    [
        (
            "a boy with spiky red hair and a school uniform and a girl with long blue hair "
            "in a white dress, cherry blossoms",
            "spiky red hair",
            "long blue hair",
        ),
        (
            "she has long purple hair and a gothic dress, he has messy blond hair and a "
            "leather jacket, rooftop at night",
            "long purple hair",
            "messy blond hair",
        ),
        (
            "masterpiece, classroom BREAK 1girl, long black hair, sailor uniform BREAK 1boy, "
            "short brown hair, gakuran",
            "long black hair",
            "short brown hair",
        ),
        (
            "character: Aki, short black hair, denim jacket\ncharacter: Hana, long blonde "
            "hair, yellow sundress\nbackground: airport",
            "short black hair",
            "long blonde hair",
        ),
        (
            "1boy, black hair, glasses, hoodie, 1girl, pink hair, twintails, city street",
            "black hair",
            "pink hair",
        ),
        (
            "please draw my oc Dmitri and his girlfriend Ayşe, dmitri has short blonde hair, "
            "ayşe has curly brown hair and a pink hijab",
            "short blonde hair",
            "curly brown hair",
        ),
    ],
)
def test_each_voice_gives_each_character_their_own_words(
    prompt: str, first: str, second: str
) -> None:
    texts = _texts(prompt)
    assert len(texts) == 2, texts
    assert first in texts[0] and second not in texts[0]
    assert second in texts[1] and first not in texts[1]


def test_a_pair_said_together_shares_what_they_do() -> None:
    cast = read_cast("a boy and a girl sitting on a seawall at golden hour")
    assert [m.who for m in cast.members] == ["boy", "girl"]
    assert any("sitting" in s for s in cast.shared)
    assert "golden hour" in " ".join(cast.scene)


def test_one_character_is_one() -> None:
    cast = read_cast("1girl, solo, long silver hair, blue eyes, maid outfit, cafe")
    assert len(cast.members) == 1 and not cast.several
    assert "long silver hair" in cast.members[0].text


def test_the_critique_checks_conflicts_within_each_character() -> None:
    """Short hair on one and long hair on the other is no conflict, nor are happy tears;
    both said of one character still are."""
    assert critique(SHIP).conflicts == []
    alone = critique("a girl with short hair and long hair, smiling and crying")
    assert len(alone.conflicts) == 2
    both = critique("Aki has short hair and long hair, Hana has a red dress")
    assert any(c.startswith("Aki: hair length") for c in both.conflicts), both.conflicts


def test_the_critique_says_what_each_character_lacks() -> None:
    result = critique("Aki has short black hair and a denim jacket, Hana has a yellow sundress")
    by_who = {c["who"]: c for c in result.characters}
    assert by_who["Aki"]["missing"] == ["expression"]
    assert by_who["Hana"]["missing"] == ["hair", "expression"]
    assert result.as_dict()["characters"] == result.characters


def test_the_tuned_prompts_keep_their_accuracy() -> None:
    """`benchmarks/cast_accuracy.py` over the prompts tuned on (the held-out set is the
    benchmark's result, never a test's)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.cast_accuracy import DATA, SETS, score

    later = ("cast_prompts_fifth.jsonl", "cast_prompts_eighth.jsonl", "cast_prompts_ninth.jsonl")
    earlier = [f for f in SETS["tuned"] if f not in later]
    result = score([DATA / f for f in earlier], verbose=False)
    # As measured at stop 57, with stop 56's held-out set now tuned on (0.952, none
    # on the wrong character): no going back.
    assert result["accuracy"] >= 0.95 and result["wrong"] == 0, result
    # Stop 59's fresh set, tuned on from 0.662 to 0.854 (18 phrases still on the wrong
    # character): no going back from there either.
    # (0.921, 8 wrong at stop 63.)
    fifth = score([DATA / "cast_prompts_fifth.jsonl"], verbose=False)
    assert fifth["accuracy"] >= 0.92 and fifth["wrong"] <= 8, fifth
    # Stop 62's fresh set, tuned on from 0.629 (42 wrong) to 0.734 (31 wrong); at stop
    # 63, with animals as characters, 0.832 (10 wrong).
    eighth = score([DATA / "cast_prompts_eighth.jsonl"], verbose=False)
    assert eighth["accuracy"] >= 0.83 and eighth["wrong"] <= 10, eighth
    # Stop 63's fresh set, tuned on from 0.728 (71 wrong) to 0.844 (5 wrong).
    ninth = score([DATA / "cast_prompts_ninth.jsonl"], verbose=False)
    assert ninth["accuracy"] >= 0.84 and ninth["wrong"] <= 5, ninth
    for held in SETS["held out"] + SETS["held out 2"]:
        for line in (DATA / held).read_text().splitlines():
            json.loads(line)  # the held-out files stay well formed


@pytest.mark.parametrize(
    "prompt",
    [
        "astronaut girl in a space station, looking at the earth",
        "a pirate captain woman standing on ship, parrot stay on her shoulder",
        "kitsune girl, fox ears, nine tails, shrine maiden outfit, miko, torii gate",
        "vampire lord, pale man, long black cape, red eyes, fangs, gothic castle",
        "OC: Mira Voss, 17, elf ranger. Hair: waist-length braided blonde. Eyes: emerald. "
        "Ears: long pointed. Setting: forest",
        "A woman in her forties who runs a tiny flower shop. Tulips in buckets. Below, the "
        "street is wet.",
        "my oc Hana, 70 year old retired ninja grandma, tiny, grey bun",
        "my OC Kuro: she is a vampire girl with short black bob hair, red eyes",
        "1girl, mature female, office lady, suit, MacBook Pro, coffee cup",
    ],
)
def test_one_character_said_many_ways_is_still_one(prompt: str) -> None:
    """Two nouns for one person ("astronaut girl", a tag list's "miko"), a name said
    with what they are, and capitalised words that start a sentence or a "Key: value"
    line are one character: drawing two would be a swap."""
    cast = read_cast(prompt)
    assert not cast.several, [m.who for m in cast.members]


def test_the_oldest_the_middle_and_the_youngest_are_three_people() -> None:
    """A held-out judge's three siblings were read as one person (a bare "the middle
    sister" was taken for the brother said before her), and draw drew one."""
    cast = read_cast(
        "three siblings hugging, the oldest brother with grey hair in a brown cardigan "
        "smiling, the middle sister with red hair in a green dress pouting, and the "
        "youngest boy with yellow hair in a striped shirt crying happily"
    )
    assert [m.who for m in cast.members] == ["oldest brother", "middle sister", "youngest boy"]
    assert cast.members[1].parts["hair"] == ["red hair"]
    assert cast.members[2].parts["outfit"] == ["striped shirt"]
    # A bare noun of the same person is still theirs ("kitsune girl, …, miko").
    one = read_cast("1girl, kitsune girl, fox ears, red hakama, miko, shrine, smiling")
    assert len(one.members) == 1


def test_a_princess_carry_is_a_pose_not_a_third_person() -> None:
    """A held-out judge's "princess carry" drew a third character, a princess."""
    cast = read_cast(
        "princess carry, a knight with short silver hair carrying a princess with long "
        "golden hair in a pink ball gown"
    )
    assert [m.who for m in cast.members] == ["knight", "princess"]
    holding = read_cast("an old man holding a cane and a little girl holding a red balloon")
    assert [m.who for m in holding.members] == ["old man", "little girl"]


def test_what_a_count_of_several_does_is_all_of_theirs() -> None:
    """ "three friends sitting on a bench, Mio …, Nao …, Riku …" sat only Mio (the
    names fill the count's places, and what was said before them went to the first)."""
    cast = read_cast(
        "three friends sitting on a bench in a park, Mio with red hair, Nao with blue "
        "hair, Riku with green hair"
    )
    assert [m.who for m in cast.members] == ["Mio", "Nao", "Riku"]
    assert cast.shared_parts.get("pose") == ["sitting"]
    assert all("pose" not in m.parts for m in cast.members)


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("a girl on the right with long blonde hair and a boy with short black hair", "boy girl"),
        ("a boy on the left and a girl on the right, sitting on a seawall", "boy girl"),
        ("on the right a girl with red hair, on the left a boy", "boy girl"),
        (
            "On the right, Omar: a boy with black hair. On the left, Ji-woo: a girl in red",
            "girl boy",
        ),
        ("Aki (right) has short black hair, Hana has long blonde hair", "Hana Aki"),
        (
            "a girl in the middle, a boy on the right and a cat girl on the left",
            "cat girl girl boy",
        ),
        ("Mika and Ren walking; Mika on the right; Ren on the left; Ren is a boy", "Ren Mika"),
    ],
)
def test_where_each_one_stands_orders_them_left_to_right(text: str, order: str) -> None:
    """Where each stands ("on the left", "(right)", "in the middle") is each one's, said
    after them or just before ("On the left, Ji-woo: a girl …"); no phrase to draw."""
    cast = read_cast(text)
    assert " ".join(m.who for m in cast.members) == order
    said = [p for m in cast.members for p in m.phrases] + list(cast.scene) + list(cast.shared)
    assert not any(re.search(r"\b(?:left|right|middle)\b", p) for p in said), said


def test_a_position_keeps_two_joined_and_a_place_by_a_thing_is_no_position() -> None:
    joined = read_cast("a boy on the left and a girl on the right, sitting on a seawall")
    assert joined.shared_parts["pose"] == ["sitting on a seawall"]  # both sit
    by_a_tree = read_cast("a girl standing to the left of a tree and a boy")
    assert [m.position for m in by_a_tree.members] == [None, None]


def test_a_sibling_said_again_as_the_older_one_or_as_his_is_the_same_one() -> None:
    """Held-out judge 34: "big brother and little sister: the older brother …, carrying
    his little sister …, the little sister is about 6" drew a third, unasked person and
    reported the little sister as not drawn (four were read)."""
    cast = read_cast(
        "big brother and little sister: the older brother is a teenager with short brown "
        "hair in a red baseball jacket, carrying his little sister piggyback. the little "
        "sister is about 6, with pigtails and a yellow sundress"
    )
    assert [m.who for m in cast.members] == ["big brother", "little sister"]
    brother, sister = cast.members
    assert "red baseball jacket" in brother.text and "yellow sundress" in sister.text
    # "the other girl", "the right girl", the younger of two brothers are still someone new.
    two = read_cast("a girl with red hair, the other girl with blue hair")
    assert len(two.members) == 2
    brothers = read_cast("older brother carrying younger brother on his back, red cap")
    assert [m.who for m in brothers.members] == ["older brother", "younger brother"]


@pytest.mark.parametrize(
    ("prompt", "who", "own"),
    [
        # A name that is also a word (yuki: snow), said as a label after a list of names.
        (
            "Yuki, Kenji, Momo | Yuki: white hair, blue kimono | Kenji: shirtless | Momo: fox tail",
            ["Yuki", "Kenji", "Momo"],
            {"Yuki": "blue kimono", "Momo": "fox tail"},
        ),
        # Senpai and kouhai are people.
        (
            "senpai and kouhai: the senpai has long black hair and a school cardigan, the "
            "kouhai is chibi with an ahoge",
            ["senpai", "kouhai"],
            {"senpai": "school cardigan", "kouhai": "ahoge"},
        ),
        # "her …" after a name of no known gender is the one just named.
        (
            "three friends: Sora, the eldest, with a silver braid; little Tomo, in yellow "
            "rain boots; and Ichika, who wears a navy skirt, her short black hair over one eye",
            ["Sora", "Tomo", "Ichika"],
            {"Sora": "silver braid", "Tomo": "yellow rain boots", "Ichika": "short black hair"},
        ),
    ],
)
def test_names_said_as_labels_and_in_lists_are_each_their_own(
    prompt: str, who: list[str], own: dict[str, str]
) -> None:
    cast = read_cast(prompt)
    assert [m.who for m in cast.members] == who
    by_who = {m.who: m.text for m in cast.members}
    for name, phrase in own.items():
        assert phrase in by_who[name], (name, by_who)
        assert not any(phrase in t for n, t in by_who.items() if n != name)


def test_multiple_girls_is_a_count_not_the_first_girls_look() -> None:
    cast = read_cast(
        "2girls, multiple girls, blonde hair, blue eyes, maid headdress, black hair, red "
        "eyes, gothic lolita dress, holding hands, library"
    )
    first, second = (m.text for m in cast.members)
    assert "blue eyes" in first and "maid headdress" in first and "black hair" not in first
    assert "red eyes" in second and "gothic lolita dress" in second
    assert "idol" not in [m.who for m in read_cast("3girls on an idol stage, confetti").members]


@pytest.mark.parametrize(
    ("prompt", "who", "theirs", "not_theirs"),
    [
        (  # a pronoun means the one last spoken of; "the boy" is the grandson
            "grandfather and his grandson. Grandfather is old man with white beard, he wear "
            "brown kimono. The boy is around 7 years, black hair short, he wear yellow t-shirt",
            ["grandfather", "grandson"],
            ["brown kimono", "yellow t-shirt"],
            ["yellow t-shirt", "brown kimono"],
        ),
        (  # names before "(" and "who"; a name right after a person noun
            "the trio from my fic!! Dmitri (the tall one, white hair, eyepatch), Yuki (tiny, "
            "cat ears, huge scarf) and Bastien who has curly red hair n glasses. dmitri "
            "carrying yuki on his shoulders",
            ["Dmitri", "Yuki", "Bastien"],
            ["eyepatch", "cat ears", "curly red hair"],
            ["cat ears", "curly red hair", "eyepatch"],
        ),
        (
            "Draw Mateo and his little sister Inés at the beach. He's about twelve, with a "
            "shark tooth necklace; she's maybe five, in a yellow swimsuit",
            ["Mateo", "Inés"],
            ["shark tooth necklace", "yellow swimsuit"],
            ["yellow swimsuit", "shark tooth necklace"],
        ),
        (  # the word opening a BREAK region is its character's name
            "best quality, 3girls, idol stage BREAK Hana, (twin tails:1.2), pink idol dress "
            "BREAK Soo-ah, (long black hair:1.1), blue idol dress BREAK Priya, curly dark hair",
            ["Hana", "Soo-ah", "Priya"],
            ["pink idol dress", "blue idol dress", "curly dark hair"],
            ["blue idol dress", "curly dark hair", "pink idol dress"],
        ),
        (  # a hair's cut stays with the girl whose colour was said
            "2girls, long black hair, hime cut, red eyes, serafuku, short blonde hair, twin "
            "braids, blue eyes, beige cardigan",
            ["girl 1", "girl 2"],
            ["hime cut", "twin braids"],
            ["twin braids", "hime cut"],
        ),
        (  # "the knight, an older woman": one person; "middle: his daughter Freya"
            "The knight, an older woman with a grey braid, polishes her armor. Beside her the "
            "young mage Tomasz dozes with his pointed blue hat",
            ["knight", "Tomasz"],
            ["grey braid", "pointed blue hat"],
            ["pointed blue hat", "grey braid"],
        ),
    ],
)
def test_who_is_who_read_from_pronouns_names_and_labels(
    prompt: str, who: list[str], theirs: list[str], not_theirs: list[str]
) -> None:
    cast = read_cast(prompt)
    assert [m.who for m in cast.members] == who
    for member, mine, other in zip(cast.members, theirs, not_theirs, strict=True):
        assert mine in member.text and other not in member.text, (member.who, member.text)


def test_a_machine_is_never_the_girl_said_again() -> None:
    cast = read_cast("1girl, giant robot, long red hair, hangar")
    assert len(cast.members) == 2


@pytest.mark.parametrize(
    ("prompt", "first", "second"),
    [
        (  # labels
            "Character 1: a pirate captain with a tricorn hat. Character 2: a mermaid with "
            "teal hair and a seashell necklace.",
            "tricorn hat",
            "teal hair",
        ),
        (
            "Person A: silver hair, red eyes, black coat. Person B: short brown hair, green hoodie.",
            "silver hair",
            "short brown hair",
        ),
        (
            "OC 1 - Vex, horns, black leather coat | OC 2 - Pim, fairy wings, flower crown",
            "black leather coat",
            "flower crown",
        ),
        (  # names typed in lower case
            "my ship kai x yuna on a rooftop, kai has messy red hair and a leather jacket, "
            "yuna has a white dress",
            "messy red hair",
            "white dress",
        ),
        (  # a name with its look in brackets, a name that is also a word
            "Hina (pink twin tails, idol outfit) and Sora (blue short hair, hoodie) on a stage",
            "pink twin tails",
            "blue short hair",
        ),
        (  # a person said by a compound ("vtuber girl"), and one the list did not hold
            "a florist with an apron and a vtuber girl with cat ears",
            "apron",
            "cat ears",
        ),
        (  # the one who asks
            "me and my gf as anime pls!! i have short black hair and glasses, she has long "
            "brown wavy hair and a green sweater",
            "short black hair",
            "long brown wavy hair",
        ),
        (  # "the tall one", "the other a brunette"
            "the tall one has a buzz cut and a tank top, the short one wears a beret",
            "buzz cut",
            "beret",
        ),
        (
            "two girls, one blonde in a red dress, the other a brunette in a blue suit",
            "red dress",
            "blue suit",
        ),
        (  # a name, then who they are
            "Ayaka, a shy librarian with braided hair, and her childhood friend Daichi, a loud "
            "soccer player in a jersey",
            "braided hair",
            "jersey",
        ),
        (  # lower-case names and labels
            "kira & lulu, kira: fox ears, orange kimono, lulu: bunny ears, pink hoodie",
            "orange kimono",
            "pink hoodie",
        ),
        (  # a number of people, then each said by what sets them apart
            "my two sons! the older one (8) has glasses and a dino tshirt and the baby has "
            "curly hair",
            "dino tshirt",
            "curly hair",
        ),
        (  # a title before a name that is also a word; a new kind of person in prose
            "Detective Mori leans against the wall in a wrinkled trench coat. Beside him, his "
            "partner Yuki checks her revolver; her short silver hair is wet.",
            "trench coat",
            "short silver hair",
        ),
        (
            "The elf archer draws her bow. The dwarf, short and stout with a braided red "
            "beard, raises his axe.",
            "draws her bow",
            "braided red beard",
        ),
        (  # "she's …, he's …"
            "She's a street musician with a guitar and dreadlocks, he's a cop in a blue "
            "uniform listening to her, city night",
            "dreadlocks",
            "blue uniform",
        ),
        (  # "the older has …, the younger has …"
            "two sisters: the older has a platinum braid and an ice blue gown, the younger has "
            "auburn pigtails and a green cape",
            "platinum braid",
            "auburn pigtails",
        ),
        (  # a weighted group of one character's tags
            "2girls, (long silver hair, red eyes, black gothic dress:1.1), (short pink hair, "
            "green eyes, white sundress), sitting on a swing",
            "black gothic dress",
            "white sundress",
        ),
        (  # a name's "'s"
            "Aki's hair is black and spiky, Hana's hair is long and blonde, they sit on a swing",
            "black and spiky",
            "long",
        ),
        (  # "the one on the right"
            "the girl on the left wears a red kimono, the one on the right wears a blue yukata",
            "red kimono",
            "blue yukata",
        ),
        (  # honorifics, and one brought in after "to"
            "onee-chan with long black hair reading to imouto-chan who has pink pigtails",
            "long black hair",
            "pink pigtails",
        ),
        (  # what follows one's brackets is no longer theirs
            "A couple: man (30s, beard, flannel shirt), woman (30s, bob haircut, sundress), "
            "picnic in a park",
            "flannel shirt",
            "sundress",
        ),
        (  # a relation said with "the" after another: someone new
            "a dad in a suit holding his son's hand, the son wears a yellow raincoat",
            "suit",
            "yellow raincoat",
        ),
        (  # each one's tags in a bracket of their own
            "(1boy, blond hair, white shirt), (1girl, black hair, black dress), dancing",
            "white shirt",
            "black dress",
        ),
        (  # a tag that only mentions one whose label comes later
            "1girl, giant robot, long red hair, mechanic jumpsuit, robot: white armor, kneeling",
            "mechanic jumpsuit",
            "white armor",
        ),
        (  # "two girl friend": two; a name that is a word, said as a name; "she" is the
            # one just named, not a count's other place
            "Please draw two girl friend. First girl name is Sakura, she have pink long hair. "
            "Second girl is Olga, she is more tall, have blonde hair with braid.",
            "pink long hair",
            "blonde hair",
        ),
        (  # a count tag's characters, one BREAK region each, weights kept
            "2girls, cafe, masterpiece BREAK (blonde hair:1.2), maid outfit, tray BREAK black "
            "hair, gothic dress, umbrella",
            "tray",
            "umbrella",
        ),
    ],
)
def test_more_ways_of_saying_who_is_who(prompt: str, first: str, second: str) -> None:
    texts = _texts(prompt)
    assert len(texts) == 2, texts
    assert first in texts[0] and second not in texts[0], texts
    assert second in texts[1] and first not in texts[1], texts


def test_a_label_places_its_character() -> None:
    cast = read_cast(
        "Right: small paladin, gold armor, round shield / Left: tall sorceress, purple robe"
    )
    assert [m.position for m in cast.members] == ["left", "right"]
    assert "purple robe" in cast.members[0].text and "gold armor" in cast.members[1].text


def test_the_words_that_bring_a_person_in_are_theirs() -> None:
    """ "a serious boy …, a cheerful girl …": serious is his, cheerful her expression —
    not the picture's mood; "mechanic jumpsuit" and "fairy lights" bring no one in."""
    cast = read_cast("a serious boy with round glasses next to a cheerful girl in a ponytail")
    boy, girl = cast.members
    assert "serious" in boy.parts.get("expression", []) + boy.parts.get("character", [])
    assert "cheerful" in girl.parts.get("expression", [])
    assert "cheerful" not in " ".join(cast.scene)
    things = read_cast("a girl in a mechanic jumpsuit under fairy lights with her robot")
    assert [m.who for m in things.members] == ["girl", "robot"]


def test_what_follows_a_characters_brackets_is_not_theirs() -> None:
    cast = read_cast("A couple: man (30s, beard), woman (30s, bob haircut), picnic in a park")
    assert "picnic" not in cast.members[1].text and "picnic" in " ".join(cast.shared)


def test_a_subject_after_while_is_the_one_who_does_it() -> None:
    """ "She reads aloud while he pretends not to listen": he pretends (a pronoun after
    while, as, but or when opens his clause, as one after a comma does)."""
    cast = read_cast(
        "Mara, a knight with a cropped auburn bob, and Tomas, a young mage in a blue robe. "
        "She sharpens her sword while he pretends to sleep."
    )
    mara, tomas = cast.members
    assert "pretends to sleep" in tomas.text and "pretends" not in mara.text
    assert "sharpens her sword" in mara.text


def test_what_a_sentence_says_before_its_subject_is_the_subjects() -> None:
    """ "Across from her, leaning back in his chair, is Corvin": an inverted sentence's
    words before its subject describe the subject, not the one last named."""
    cast = read_cast(
        "At the table sits Elowen, an elf girl in a green cloak. Across from her, leaning "
        "back in his chair with his boots on the table, is Corvin, a young man with a scar."
    )
    elowen, corvin = cast.members
    assert "leaning back" in corvin.text and "boots" in corvin.text
    assert "leaning" not in elowen.text and "boots" not in elowen.text


def test_pronouns_said_beside_a_name_are_theirs() -> None:
    """ "nao (she/her) w/ a shaved side cut": she goes by she, whatever else is said."""
    cast = read_cast(
        "Nao x Rika, nao (she/her) w/ a shaved side cut and a chrome arm. rika is tiny with "
        "round glasses. she has a leather jacket."
    )
    nao, rika = cast.members
    assert nao.gender == "f" and "shaved side cut" in nao.text
    assert "shaved" not in rika.text


@pytest.mark.parametrize(
    ("prompt", "hers", "his"),
    [
        (
            "Yuna and Leo at the festival, both in yukata, hers is navy with goldfish and his "
            "is plain grey",
            "navy",
            "plain grey",
        ),
        (
            "Leo and Yuna on a train, shes asleep on his shoulder, he has a buzzcut",
            "asleep",
            "buzzcut",
        ),
    ],
)
def test_a_given_name_says_whom_a_pronoun_means(prompt: str, hers: str, his: str) -> None:
    """Names that are one gender in use (``data/names.toml``) tell her from him when the
    prompt says no more; a prompt's own word wins ("Leo (she/her)")."""
    members = {m.who.lower(): m for m in read_cast(prompt).members}
    assert hers in members["yuna"].text and hers not in members["leo"].text
    assert his in members["leo"].text and his not in members["yuna"].text
    declared = read_cast("Leo (she/her) and Yuna, she has a braid").members[0]
    assert declared.gender == "f"


def test_name_labels_that_say_looks_bring_their_characters_in() -> None:
    """ "Aki: black ponytail, … Hana: …": a capitalised label followed by how someone
    looks is a name (a "Hair: …" line is not)."""
    cast = read_cast(
        "Aki: black ponytail, kendo uniform, serious face. Hana: fluffy brown curls, "
        "cheerleader outfit, winking. posing back to back, sports day"
    )
    assert [m.who for m in cast.members] == ["Aki", "Hana"]
    assert "kendo uniform" in cast.members[0].text and "kendo" not in cast.members[1].text
    assert "cheerleader outfit" in cast.members[1].text
    assert len(read_cast("Hair: black ponytail, kendo uniform").members) <= 1


@pytest.mark.parametrize(
    ("prompt", "first", "second"),
    [
        (
            "1girl, 1boy, office workers, BREAK black pencil skirt, white blouse, glasses, "
            "BREAK loose tie, rolled sleeves, stubble, BREAK night, city lights",
            "pencil skirt",
            "loose tie",
        ),
        (
            "2girls, masterpiece, (red eyes:1.2), long black hair, serafuku, BREAK blonde "
            "hair, side ponytail, gyaru, cardigan, smug, BREAK classroom, sunset",
            "long black hair",
            "cardigan",
        ),
        (
            "masterpiece, 2girls, rooftop, full moon BREAK girl with short white hair, black "
            "military uniform BREAK girl with long blue hair, frilly white dress",
            "short white hair",
            "long blue hair",
        ),
    ],
)
def test_each_break_region_is_its_count_tags_next_character(
    prompt: str, first: str, second: str
) -> None:
    """A count tag's characters ("1girl, 1boy", "2girls") take the ``BREAK`` regions
    that say how someone looks in order — one a region names by its own word ("gyaru",
    "girl with …") is that region's, and a second "girl" is the second girl."""
    members = read_cast(prompt).members
    assert len(members) == 2, [m.who for m in members]
    assert first in members[0].text and first not in members[1].text
    assert second in members[1].text and second not in members[0].text
    assert members[0].who != members[1].who


@pytest.mark.parametrize(
    ("prompt", "first", "second"),
    [
        (
            "una abuela with silver hair and a shawl, making tortillas with her nieta, a "
            "little girl with trenzas",
            "shawl",
            "trenzas",
        ),
        (
            "une jeune fille in a beret sketching, her petit ami across from her in a trench coat",
            "beret",
            "trench coat",
        ),
        (
            "Hinata-chan in a goldfish yukata and Souta-kun in a dark jinbei, she holds a "
            "candy apple and he wears a fox mask",
            "candy apple",
            "fox mask",
        ),
    ],
)
def test_people_said_in_other_languages_and_honorifics(
    prompt: str, first: str, second: str
) -> None:
    """Person nouns a prompt borrows ("abuela", "jeune fille", "oppa"), their articles
    ("una", "une"), and -chan and -kun, which say a girl and a boy."""
    members = read_cast(prompt).members
    assert len(members) == 2, [m.who for m in members]
    assert first in members[0].text and first not in members[1].text
    assert second in members[1].text and second not in members[0].text


def test_a_family_said_casually_is_three() -> None:
    """ "my sister n me n our mom": "n" is "and", "our mom" someone else than me, "my
    sis" my sister said again, "im 12" me."""
    cast = read_cast(
        "draw my sister n me n our mom at the beach!! mom has a big sunhat, my sis is 5 "
        "and building a sandcastle, im 12 with short hair"
    )
    texts = {m.who: m.text for m in cast.members}
    assert len(texts) == 3, texts
    assert "sunhat" in texts["our mom"]
    assert "sandcastle" in texts["sister"] and "sunhat" not in texts["sister"]
    assert "short hair" in texts["me"]


def test_one_with_one_look_then_one_with_another_with_no_comma() -> None:
    cast = read_cast("2girls on the beach, one with blue hair one with orange hair, sundresses")
    first, second = cast.members
    assert "blue hair" in first.text and "orange" not in first.text
    assert "orange hair" in second.text


def test_a_girl_said_again_while_a_count_waits_is_the_next_one() -> None:
    """Judge 42: "three friends: a girl with pink hair …, a boy …, and a girl with white
    hair …" gave the first girl both girls' hair and swimsuits, and the third friend
    nothing (drawn in the default brown, reported as not drawn)."""
    cast = read_cast(
        "three friends at the beach: a girl with pink hair in a red swimsuit, a boy with "
        "green hair in orange swim trunks, and a girl with white hair in a blue swimsuit"
    )
    assert len(cast.members) == 3
    first, _, third = cast.members
    assert "pink hair" in first.text and "white hair" not in first.text
    assert "white hair" in third.text and "blue swimsuit" in third.text
    assert third.gender == "f"
