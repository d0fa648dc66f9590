"""Several characters in one prompt: which phrases describe which (#34).

`read_cast` finds who the prompt is about — names ("Aki x Hana", "Ren has …", "kai x
yuna", "Kaito (tall, blue hair)", "Detective Mori"), people ("a boy with … and a girl
with …", "a vtuber girl", "my two sons"), labels ("Character 1:", "Left: … / Right:
…"), Danbooru's count tags ("1boy", "1girl", "2girls"), the one who asks ("me and my
gf"), subject pronouns ("she has …, he wears …", "she's a …"), places among them ("the
tall one", "the older has …"), ``character:`` lines and A1111's ``BREAK`` regions —
and gives each the phrases said of them. What they do together
("hugging", "both crying", "a boy and a girl sitting on a seawall") is ``shared``; the
place, light, mood and style are the ``scene``. The parser (`parse_prompt`) sorts each
character's words into parts, so one character's hair never becomes another's.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Final

from sakuga.prompt import vocab
from sakuga.prompt.lexicon import lexicon
from sakuga.prompt.parse import parse_prompt, structured_line

#: Parts of the picture as a whole, not of one character.
SCENE_PARTS: Final = frozenset({"background", "lighting", "mood", "style", "use", "quality"})

#: Nouns that name one person (with a gender, where the word has one). Plurals are
#: groups ("girls", "friends"), not one.
PEOPLE: Final[dict[str, str | None]] = {
    **dict.fromkeys(
        ("girl", "woman", "lady", "princess", "queen", "witch", "maid", "mother", "mom",
         "grandma", "grandmother", "sister", "daughter", "wife", "heroine", "idol girl",
         "schoolgirl", "priestess", "shrine maiden", "miko", "kunoichi", "waitress",
         "ballerina", "nun", "actress", "goddess", "onna no ko", "onnanoko", "1girl",
         "catgirl", "cat girl", "fox girl", "foxgirl", "bunny girl", "wolf girl", "aunt",
         "girlfriend", "bride", "mermaid", "fairy", "empress", "businesswoman", "granddaughter",
         "niece", "fiancee", "onee-san", "onee san", "oneesan", "imouto", "nee-chan", "onee",
         "oneechan", "neechan",
         "gal", "lass", "shoujo", "bishoujo", "joshi", "gurl", "grl", "sorceress", "countess",
         "duchess", "baroness", "noblewoman", "heiress", "hostess", "stewardess", "cowgirl",
         "office lady", "tomboy", "gyaru", "maiden", "damsel", "sis", "mama", "mommy", "mum",
         "okaasan", "obaasan", "obaachan", "granny", "geisha", "maiko", "oiran", "valkyrie",
         "huntress", "enchantress", "seamstress", "policewoman", "succubus", "gf", "wifey",
         # In other languages a prompt borrows from.
         "abuela", "nieta", "niña", "chica", "mujer", "madre", "hermana", "hija", "señora",
         "jeune fille", "fille", "femme", "petite amie", "mère", "sœur", "grand-mère",
         "unnie", "eonni", "noona", "halmeoni", "umma", "eomma", "nonna", "ragazza",
         "mädchen", "oma"),
        "f",
    ),
    **dict.fromkeys(
        ("boy", "man", "guy", "gentleman", "prince", "king", "father", "dad", "grandpa",
         "grandfather", "brother", "son", "husband", "hero", "samurai", "monk", "butler",
         "schoolboy", "otoko no ko", "otokonoko", "1boy", "catboy", "uncle", "boyfriend",
         "groom", "emperor", "salaryman", "businessman", "merman", "waiter", "swordsman",
         "grandson", "nephew", "fiance", "onii-san", "onii san", "oniisan", "otouto", "onii",
         "oniichan", "niichan",
         "nii-chan", "dude", "bro", "lad", "fella", "gent", "mister", "schoolboy",
         "gentleman", "ikemen", "shounen", "bishounen", "danshi", "sorcerer", "warlock",
         "nobleman", "duke", "baron", "lord", "cowboy", "priest", "papa", "daddy", "otousan",
         "ojisan", "ojiisan", "ojiichan", "aniki", "policeman", "fisherman", "old man", "bf",
         # In other languages a prompt borrows from.
         "abuelo", "nieto", "niño", "chico", "hombre", "padre", "hermano", "hijo", "señor",
         "garçon", "homme", "petit ami", "père", "frère", "grand-père", "oppa", "hyung",
         "halabeoji", "harabeoji", "appa", "nonno", "ragazzo", "junge", "opa"),
        "m",
    ),
    **dict.fromkeys(
        ("child", "kid", "knight", "ninja", "wizard", "mage", "detective", "assistant",
         "robot", "android", "cyborg", "vampire", "werewolf", "elf", "demon", "angel",
         "soldier", "pilot", "chef", "doctor", "nurse", "teacher", "student", "student",
         "guitarist", "singer", "idol", "dancer", "archer", "hunter", "thief", "captain",
         "astronaut", "scientist", "baker", "farmer", "fisherman", "librarian", "gamer",
         "friend", "stranger", "rival", "partner", "1other", "senpai", "kouhai", "sensei",
         "pirate", "paladin", "bartender", "florist", "vtuber", "barista", "mechanic", "rogue",
         "cleric", "bard", "ranger", "necromancer", "shaman", "alchemist", "sailor", "officer",
         "cop", "firefighter", "delinquent", "cheerleader", "athlete", "swimmer", "boxer",
         "wrestler", "racer", "skater", "surfer", "musician", "pianist", "violinist", "drummer",
         "bassist", "rapper", "streamer", "youtuber", "influencer", "photographer", "professor",
         "principal", "classmate", "roommate", "neighbor", "neighbour", "coworker", "colleague",
         "servant", "bodyguard", "mercenary", "assassin", "commander", "admiral", "sheriff",
         "outlaw", "bandit", "merchant", "shopkeeper", "innkeeper", "blacksmith", "gardener",
         "shepherd", "hermit", "traveler", "traveller", "wanderer", "adventurer", "explorer",
         "villager", "warrior", "fighter", "healer", "yokai", "tengu", "oni", "zombie",
         "toddler", "teen", "teenager", "parent", "sibling", "cousin", "bestie", "bff", "lover",
         "apprentice", "pupil", "disciple", "squire", "cashier", "clerk", "receptionist",
         "secretary", "rider", "biker", "hiker", "nerd", "otaku", "magician", "jester",
         "acrobat", "shinobi", "ronin", "engineer", "hacker", "medic", "sniper", "inspector",
         "reporter", "journalist", "kitsune", "golem", "automaton", "player", "baby",
         "dwarf", "halfling", "hobbit", "orc", "goblin", "troll", "dongsaeng"),
        None,
    ),
}  # fmt: skip
#: Animals a prompt may make characters of their own, by their kind: "her cat
#: familiar, a black cat with one torn ear", "my cat Mochi", "1other, black cat". Any
#: word of a kind said again is the same animal ("black cat, cat wearing tiny scarf").
ANIMALS: Final[dict[str, str]] = {
    **dict.fromkeys(("cat", "kitten", "kitty", "tabby", "calico", "neko"), "cat"),
    **dict.fromkeys(
        ("dog", "puppy", "pup", "doggo", "doggy", "shiba inu", "shiba", "corgi", "poodle",
         "husky", "golden retriever", "retriever", "dachshund", "pug", "labrador", "beagle",
         "akita", "samoyed", "pomeranian", "chihuahua", "bloodhound", "greyhound",
         "dalmatian", "bulldog", "terrier"),
        "dog",
    ),
    **dict.fromkeys(("rabbit", "bunny"), "rabbit"),
    **dict.fromkeys(
        ("bird", "parrot", "owl", "crow", "raven", "budgie", "cockatiel", "sparrow", "chick"),
        "bird",
    ),
    "fox": "fox", "hamster": "hamster", "ferret": "ferret", "dragon": "dragon",
    "crab": "crab", "turtle": "turtle", "pony": "horse", "horse": "horse", "wolf": "wolf",
    "penguin": "penguin", "frog": "frog", "duck": "duck", "panda": "panda",
    "tiger": "tiger", "lion": "lion", "leopard": "leopard", "bear": "bear", "deer": "deer",
    "stag": "deer", "monkey": "monkey", "mouse": "mouse", "squirrel": "squirrel",
    "snake": "snake", "otter": "otter", "raccoon": "raccoon", "tanuki": "raccoon",
}  # fmt: skip
#: Words after an animal's noun that say what it is to its person ("her cat familiar").
_ANIMAL_ROLES: Final = "familiar|companion|advisor|sidekick|buddy|mascot|partner"
#: An animal's noun said as a character: followed by the end of a clause, its name, or
#: what is said of it — not a kind of another noun ("cat ears", "fox mask", "dog-eared",
#: "dragon tamer").
_ANIMAL: Final = re.compile(
    r"(?<![\w-])(?i:("
    + "|".join(map(re.escape, sorted(ANIMALS, key=len, reverse=True)))
    + rf")(?:\s+(?:{_ANIMAL_ROLES}))?)(?![\w-])"
    r"(?=\s*(?:$|[,.;:!?()\n|/]|['’]s\b)"
    r"|\s+(?i:with|who|that|which|is|was|named|called|and|wearing|in|on|at|beside|by|next"
    r"|under|asleep|curled|perched|from|[a-z]+ing)\b"
    r"|\s+[A-Z\u3040-\u9fff])"
)
#: Words that end an animal's noun phrase going back ("walking *his* dog").
_ANIMAL_STOPS: Final = frozenset({
    "a", "an", "the", "his", "her", "their", "my", "our", "your", "its", "and", "or", "with",
    "of", "in", "on", "at", "to", "for", "by", "from", "is", "was", "are", "x", "one", "some",
    "beside", "under", "behind", "like", "as", "has", "have", "holds", "hugs", "pets",
})  # fmt: skip


#: Honorifics after a name or a person noun ("Haruto-kun", "imouto-chan").
HONORIFICS: Final = "kun|chan|san|sama|senpai"
#: Count tags that bring several at once.
COUNTS: Final[dict[str, tuple[str | None, int, str]]] = {
    "2girls": ("f", 2, "girl"), "3girls": ("f", 3, "girl"), "2boys": ("m", 2, "boy"),
    "3boys": ("m", 3, "boy"), "2 girls": ("f", 2, "girl"), "3 girls": ("f", 3, "girl"),
    "two girls": ("f", 2, "girl"), "three girls": ("f", 3, "girl"), "2 boys": ("m", 2, "boy"),
    "two boys": ("m", 2, "boy"), "two guys": ("m", 2, "guy"),
    "two sisters": ("f", 2, "sister"), "three sisters": ("f", 3, "sister"),
    "two brothers": ("m", 2, "brother"), "2people": (None, 2, "person"),
    "two people": (None, 2, "person"), "2 people": (None, 2, "person"),
    "a couple": (None, 2, "person"),
    "two girl": ("f", 2, "girl"), "two boy": ("m", 2, "boy"),
    "two friends": (None, 2, "friend"), "three friends": (None, 3, "friend"),
    "three ocs": (None, 3, "oc"),
}  # fmt: skip
#: Subject pronouns, by gender.
PRONOUNS: Final = {"she": "f", "her": "f", "he": "m", "his": "m", "him": "m"}
#: Words that say two do something together: the phrase is theirs, not one's.
TOGETHER: Final = re.compile(
    r"\b(?:both|together|each other|one another|hugging|hug|hugs|holding hands|hand in hand"
    r"|arm in arm|back to back|side by side|kissing|kiss|high five|piggyback"
    # Carrying someone, not a thing: "carrying a backpack" is one's own.
    r"|carrying(?!\s+(?:a|an|some|two|three|(?:his|her|their|the|my)\s+(?!(?:\w+\s+)?(?:"
    + "|".join(map(re.escape, sorted(PEOPLE, key=len, reverse=True)))
    + r"|other|one|younger one|older one)\b)))"
    r"|face to face|facing each other|dancing|fighting|fight|cuddling|matching"
    r"|carries|carried)\b",
    re.IGNORECASE,
)
#: What starts a clause said of them all ("they're gaming", "both smiling").
_THEY: Final = re.compile(
    r"^\W*(?:they|they're|they’re|them|both|the two|together)\b|\b(?:them|each other)\b", re.I
)
#: Parts that say what someone looks like: in a tag list, each character's in turn.
_LOOKS: Final = frozenset({"hair", "outfit", "character", "expression"})
#: Parts that say what someone does or feels: a joint clause's are shared.
_DOING: Final = frozenset({"pose", "expression", "details"})
#: A person noun that is part of a garment's or a look's name ("maid outfit").
_WORN_NAMES: Final = (
    r"outfit|costume|uniform|dress|clothes|cosplay|hat|headdress|ears|style|cafe|coat|jacket"
    r"|apron|shirt|whites|boots|gloves|suit|helmet|cap|mask|robe|gear|wings|horns|tail"
    r"|armou?r|sword|ship|lights|goggles|collar|ribbon|tale|bag|glasses|ears|vibes|core"
)
#: Words before a person noun that are part of who they are ("the left girl", "a dwarf
#: guy", "her little brother").
_ABOUT: Final = (
    "old", "young", "little", "big", "tall", "short", "left", "right", "middle", "center",
    "centre", "first", "second", "third", "other", "taller", "shorter", "older", "younger",
    "eldest", "youngest", "vampire", "werewolf", "idol", "guitarist", "dwarf", "elf", "human",
    "orc", "demon", "angel", "fox", "cat", "wolf", "bunny", "best", "baby", "twin", "blonde",
    "redhead", "pink-haired", "shy", "grumpy", "cheerful", "serious", "cool", "cute",
)  # fmt: skip
#: A character who is a machine: never a person said again ("1girl, giant robot").
_MACHINE: Final = re.compile(r"\b(?:robot|android|cyborg|mecha|mech)\b")
_PEOPLE_WORDS: Final = "|".join(map(re.escape, sorted(PEOPLE, key=len, reverse=True)))
_PERSON: Final = re.compile(
    r"\b(?:(?:a|an|the|one|another|his|her|their|my|our|your|una|un|une|el|la|le|su)\s+)*(?:(?:"
    + "|".join(_ABOUT)
    + r")[\s-]+)*("
    + "|".join(map(re.escape, sorted(PEOPLE, key=len, reverse=True)))
    + rf")(?:-(?:{HONORIFICS}|tan))?\b"  # "imouto-chan"
    + rf"(?!\s+(?:{_WORN_NAMES}"
    + r"|vibes?|look|aesthetic|energy|carry\b|pose\b"  # a "princess carry" is a pose
    + r"|stage|concert|group|unit|band\b|live\b))"  # an "idol stage" is a place
    + r"(?!['’]s\b)"  # "my friend's birthday": whose it is, not who is drawn
)
#: A character said by their place among the others ("the eldest", "the other one").
_ORDINAL: Final = re.compile(
    # (…or right after a look, no comma between: "one with blue hair one with orange hair")
    r"(?:^|[,;:.!?—–(/|]|\band\b|(?<=hair)\s(?=one\s+(?:with|has)\b))\s*((?:the\s+)?(?:eldest|oldest|youngest"
    # "the tall one", "the blonde one", "the one-eyed one", "the other"
    r"|(?!(?:the|a|an|and|this|that|each|every|no|at|in|on|of|for|with|has|have|holds|only"
    r"|just|[a-z]+ing)\s)[a-z]+(?:-[a-z]+)?\s+one|other"
    # "the older has …", "the younger, in green": a comparison said as a noun
    r"|(?<=the )(?:older|younger|elder|taller|shorter|bigger|smaller|latter|former))"
    r"|(?:the\s+)?one|(?:the\s+)?middle(?=\s*:)|me(?=\s*:))\b"
    # … then what is said of them: "has", "in red", "a brunette", "blonde in a dress"
    r"(?=(?:\s*\([^()]{1,30}\))?"  # "the older one (8) has …"
    r"\s*(?:[a-z]+\s+)?(?::|has|have|is|with|wears|wearing|in\b|-|\s+[a-z]+ing\b|an?\b)"
    r"|\s*,\s*[^\W\d_][\w'’-]*\s*:)"  # "the eldest, Kaede: …": then their name
)
#: Capitalised words that are not names.
_NOT_NAMES: Final = frozenset({
    "a", "an", "the", "and", "or", "but", "she", "he", "they", "her", "his", "their", "its",
    "it", "i", "my", "me", "we", "our", "you", "your", "this", "that", "these", "those", "two",
    "three", "both", "one", "in", "on", "at", "with", "by", "of", "for", "from", "to", "is",
    "are", "has", "have", "wears", "can", "please", "draw", "make", "anime", "manga",
    "masterpiece", "best", "quality", "break", "solo", "character", "background", "lighting",
    "mood", "style", "use", "pose", "outfit", "hair", "expression", "eyes", "first", "second",
    "third", "last", "next", "then", "left", "right", "middle", "center", "ok", "so", "i'm",
    "it's", "he's", "she's", "oc", "ocs", "hi", "hello", "pls", "plz", "neither", "either",
    "none", "each", "everyone", "nobody",
})  # fmt: skip
#: What follows a name: a verb said of a person, or a pairing ("Aki has", "Aki x").
_NAME_AFTER: Final = re.compile(
    r"\s*(?:has\b|have\b|had\b|is\b|was\b|wears\b|wearing\b|holds\b|holding\b|looks\b|"
    r"stands\b|sits\b|who\b|x\b|&|'s\b|’s\b|(?:with|in)\s+(?:an?|her|his|their)\b)"
)
#: After a name that is also a word ("Sakura", "Spring"): only what says a person.
_STRONG_NAME_AFTER: Final = re.compile(
    r"\s*(?:has\b|is\b|wears\b|x\b|'s\b|’s\b|(?:in|with) an?\b"
    r"|,\s*(?:who\b|the\s+(?:eldest|oldest|youngest|older|younger|middle)\b))"
)
#: What comes before a name: another name it is paired with ("Aki x", "Lin &"), or a
#: word that introduces one ("named", "my oc", "left:", "First is").
_PAIRED: Final = re.compile(
    r"(?:\bx|&|\+|/|\bnamed|\bcalled|\boc|\bocs|\bis|\bsits|\bstands|\bmeet|\bmeets|[:—–(])$"
)
#: A pairing by "and", a comma or "to" counts when the word before it is a name too.
_LISTED: Final = re.compile(r"(?:^|[^\w])([^\W\d_]+)\s*(?:,|\band|\bto)$")
#: Where a clause ends: punctuation (not a weight's point, "(red eyes:1.2)"), a spaced
#: slash or a bar between two characters' tags ("Left: … / Right: …"), or ``BREAK``.
_CLAUSE: Final = re.compile(r"(?:[,;!?\n]|\.(?!\d))+|\?\?|\s/\s|\||\bBREAK\b")
#: A label that opens one character's description: "Character 1:", "Person B:",
#: "OC 2 -", "#1:", "Left:", "right girl:", "Second:".
_LABEL: Final = re.compile(
    r"(?:^|(?<=[,;.!?\n/|(]))\s*\[?("
    r"(?:character|char|person|oc|member|figure|subject|girl|boy|guy|kid|p)\s*#?\s*"
    r"(?:[1-3]|[abc](?![\w'’]))"
    r"|(?:#|no\.?\s*)[1-3]"
    r"|(?:left|right|middle|cent(?:er|re)|first|second|third|last)"
    r"(?:\s+(?:one|girl|boy|guy|character|person|side|oc))?"
    r")(?:\]|\s*(?::|=|\s[-—–]\s))",  # ("[Char 1] name: Noa | hair: …")
    re.I,
)
#: Where one stands: "on the left", "to the right side", "in the middle", "(left)" —
#: not "to the left of a tree", which places them by a thing.
POSITION: Final = re.compile(
    r"\b(?:on|to|at)\s+(?:the\s+)?(?:far\s+)?(left|right)(?:[\s-]+(?:hand\s+)?side)?\b(?!\s+of\b)"
    r"|\b(?:in|at)\s+the\s+(middle|cent(?:er|re))\b(?!\s+of\b)"
    r"|\(\s*(left|right|middle|cent(?:er|re))\s*\)",
    re.I,
)
#: What may stand between a position and the one it places: punctuation, and a name
#: said before who they are ("on the right, Omar: a boy …").
_LEADS_TO: Final = re.compile(r"[\s,:;.—–-]*(?:[^\W\d_][\w'’-]*\s*[:—–]\s*)?")
#: The order of positions, left to right.
_PLACES: Final = {"left": 0, "middle": 1, "right": 2}


@dataclass(frozen=True)
class Member:
    """One character: who (a name, or the words that brought them in), a gender when
    it is said ("f", "m"), and the phrases that describe them, by part."""

    who: str
    gender: str | None = None
    parts: dict[str, list[str]] = field(default_factory=dict)
    #: Where they stand when it is said ("on the left"): left, middle or right.
    position: str | None = None
    #: What they are: "person", or "animal" (a pet, a familiar: drawn as the animal).
    kind: str = "person"

    @property
    def animal(self) -> bool:
        return self.kind == "animal"

    @property
    def phrases(self) -> list[str]:
        return [p for phrases in self.parts.values() for p in phrases]

    @property
    def text(self) -> str:
        return ", ".join(self.phrases)


@dataclass(frozen=True)
class Cast:
    """Who a prompt is about, what they do together and where (see `read_cast`)."""

    members: tuple[Member, ...]
    shared: tuple[str, ...] = ()
    scene: tuple[str, ...] = ()
    #: The shared phrases by part ("expression": "both crying happy tears").
    shared_parts: dict[str, list[str]] = field(default_factory=dict)
    #: The scene's phrases by part ("background": "airport").
    scene_parts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def several(self) -> bool:
        return len(self.members) > 1


@dataclass
class _Trigger:
    start: int
    end: int
    member: int  # index into the members found so far
    joined: bool = False  # "a boy and a girl …": the two share what follows
    group: bool = False  # "three friends …": what follows is said of them all
    #: The words about them in what brought them in ("a serious boy", "the old
    #: fisherman"): theirs, as a phrase.
    said: str = ""
    #: Who the clauses after this one's go back to: an animal said with its own words
    #: in someone's clause ("a girl with her black cat with green eyes, in a red dress").
    back: int | None = None


@dataclass
class _Builder:
    members: list[Member] = field(default_factory=list)
    clauses: list[list[str]] = field(default_factory=list)  # per member
    shared: list[str] = field(default_factory=list)
    scene: dict[str, list[str]] = field(default_factory=dict)
    loose: list[str] = field(default_factory=list)  # before anyone is named
    #: Clauses of one character that may say what two do together ("dancing with a
    #: prince"): what they do is shared, what they look like stays theirs.
    joint: list[tuple[int, str]] = field(default_factory=list)
    #: Characters brought in together by a count tag ("2girls"): nothing is one's.
    counted: set[int] = field(default_factory=set)
    #: Characters a count tag brought in and no later words have named yet ("1girl",
    #: "2girls"): the next "girl:" or "Hana" of their gender is one of them.
    placeholders: list[int] = field(default_factory=list)
    #: Other names of a character ("his girlfriend Ayşe": the girlfriend is Ayşe).
    aliases: dict[str, int] = field(default_factory=dict)
    #: Where a character was said to stand, by index ("left", "middle", "right").
    positions: dict[int, str] = field(default_factory=dict)
    #: Words that open a ``BREAK`` region as its character's name ("BREAK Hana, …").
    opening_names: set[str] = field(default_factory=set)
    #: The ``BREAK`` region being read, and the region of each loose piece.
    region: int = 0
    loose_regions: list[int] = field(default_factory=list)
    #: The words that brought each character in, by index ("serious boy").
    about: dict[int, set[str]] = field(default_factory=dict)
    #: The characters in the order they were last spoken of (a pronoun means the last).
    recent: list[int] = field(default_factory=list)
    #: The ``BREAK`` regions whose own words (a name, a person noun) say each character,
    #: by index.
    brought_in: dict[int, set[int]] = field(default_factory=dict)
    #: Characters a count tag brought in ("2girls", "1boy"), named later or not.
    tagged: set[int] = field(default_factory=set)
    #: Animal characters, by index: their kind ("cat"), and the one said before them
    #: (whose pet they are, if anyone's); those said "and" with their person.
    animals: dict[int, str] = field(default_factory=dict)
    owners: dict[int, int] = field(default_factory=dict)
    beside: set[int] = field(default_factory=set)
    #: Whether an animal's noun brings an animal character in (not when the prompt has
    #: no one else: "a fat orange cat on a rug" is the animal alone, no character).
    read_animals: bool = True

    def spoke_of(self, index: int) -> None:
        if index in self.recent:
            self.recent.remove(index)
        self.recent.append(index)

    def add(
        self, who: str, gender: str | None, how: str, definite: bool = False, fresh: bool = False
    ) -> int:
        """The character ``who`` names: one already met (a name said again, "the girl"),
        a count tag's placeholder it fills, or a new one (``fresh``: said with "a", so
        not one a count's place was filled by before while another place waits)."""
        key = _key(who)
        if how == "animal":
            return self._animal(who)
        if how == "person" and self.elsewhere(who):
            definite = False  # the next one, not the one met in another region
        elif fresh and self.placeholders and key in self.aliases:
            pass  # a placeholder waits: "a girl" again is the next one
        elif key in self.aliases and key not in ("one", "the one"):
            # ("one …, one …": two, not one again)
            return self._gendered(self.aliases[key], gender)
        if how in ("name", "counted") or definite:
            for i, m in enumerate(self.members):
                if _key(m.who) == key or (definite and _key(m.who).endswith(key)):
                    return self._gendered(i, gender)
        if how != "counted" and (claimed := self.claim(who, gender)) is not None:
            return claimed
        if definite and how == "person" and not _ORDER.search(key):
            # "big brother …, the older brother is …": the only brother met (not the
            # younger one said after the older).
            same = [
                i
                for i, m in enumerate(self.members)
                # ("the kid" is the "kid detective" met before)
                if _head(key) in _key(m.who).split() and not _contrary(m.who, key)
            ]
            if len(same) == 1:
                return self._gendered(same[0], gender)
        if gender is None and how == "name":
            gender = name_gender(who)  # "Yuna and Leo", "Souta-kun": a girl, a boy
        self.members.append(Member(who, gender, kind="animal" if how == "animal" else "person"))
        self.clauses.append([])
        index = len(self.members) - 1
        self.aliases.setdefault(key, index) if how == "name" else None
        return index

    def _animal(self, who: str) -> int:
        """The animal ``who`` names: one of its kind met before ("a black cat …, cat
        wearing a scarf"), a count tag's place for one not a person ("1other"), or new."""
        kind = ANIMALS[_animal_noun(who)]
        same = next((i for i, k in self.animals.items() if k == kind), None)
        if same is not None:
            return same
        other = next((i for i in self.placeholders if self.members[i].gender is None), None)
        if other is not None:  # "1girl, 1other, witch, …, black cat": the other is the cat
            self.placeholders.remove(other)
            self.counted.discard(other)
            self.members[other] = replace(self.members[other], who=who, kind="animal")
            index = other
        else:
            self.members.append(Member(who, kind="animal"))
            self.clauses.append([])
            index = len(self.members) - 1
        self.animals[index] = kind
        return index

    def like(self, who: str, gender: str | None, besides: int) -> int | None:
        """The one character met before, other than ``besides``, that ``who`` may be
        called again: of its gender and its age ("the boy" is the grandson), when
        ``besides`` is not (the boy is no grandfather)."""
        age = _age(who)
        if age is None or _age(self.members[besides].who) in (age, None):
            return None
        same = [
            i
            for i, m in enumerate(self.members)
            if i != besides and m.gender in (gender, None) and _age(m.who) == age
        ]
        return same[0] if len(same) == 1 else None

    def elsewhere(self, who: str) -> bool:
        """Whether ``who``, met before, was met in another ``BREAK`` region while a
        count tag's place is still open ("2girls BREAK girl with …, BREAK girl with …":
        the second girl is the next one)."""
        key = _key(who)
        return (
            key in self.aliases
            and bool(self.placeholders)
            and self.region not in self.brought_in.get(self.aliases[key], {self.region})
        )

    def has(self, who: str) -> bool:
        """Whether ``who`` is a character already met, by name or alias."""
        key = _key(who)
        return key in self.aliases or any(_key(m.who).endswith(key) for m in self.members)

    def claim(self, who: str, gender: str | None) -> int | None:
        """A count tag's placeholder of ``gender``, now called ``who``; None if none waits."""
        machine = _MACHINE.search(who.lower())
        turn = self._region_slot()
        for i in sorted(self.placeholders, key=lambda i: i != turn):
            if machine and re.match(r"(?:girl|boy|1girl|1boy)\b", self.members[i].who.lower()):
                continue  # "1girl, giant robot": the robot is another, not the girl
            if gender is None or self.members[i].gender in (None, gender):
                self.placeholders.remove(i)
                self.counted.discard(i)
                # "one with …, one with …": the second is the other one.
                again = _key(who) in ("one", "the one") and any(
                    _key(m.who) in ("one", "the one") for m in self.members
                )
                named = "other one" if again else who
                if any(_key(m.who) == _key(who) for m in self.members):
                    named = self.members[i].who  # a second "girl" stays "girl 2"
                self.members[i] = replace(
                    self.members[i], who=named, gender=gender or self.members[i].gender
                )
                self.aliases[_key(who)] = i
                return i
        return None

    def _region_slot(self) -> int | None:
        """In a ``BREAK`` region, the count tag's character whose turn it is: the
        regions before it that said how someone looks took the ones before."""
        if self.region == 0:
            return None
        earlier = {
            r
            for piece, r in zip(self.loose, self.loose_regions, strict=True)
            if r < self.region and _LOOKS & set(_parts(piece))
        }
        order = sorted(self.tagged)
        return order[len(earlier)] if len(earlier) < len(order) else None

    def _gendered(self, index: int, gender: str | None) -> int:
        m = self.members[index]
        if gender and not m.gender:
            self.members[index] = replace(m, gender=gender)
        return index


@functools.cache
def _given_names() -> dict[str, str]:
    """Given names that say a gender (``data/names.toml``), lowercase, to "f" or "m"."""
    data = tomllib.loads(
        resources.files("sakuga.prompt").joinpath("data/names.toml").read_text("utf-8")
    )
    return {
        **dict.fromkeys(data["feminine"], "f"),
        **dict.fromkeys(data["masculine"], "m"),
    }


#: Honorifics that say a gender: -kun is said of boys, -chan mostly of girls.
_GENDERED_HONORIFICS: Final = {"kun": "m", "chan": "f"}


def name_gender(name: str) -> str | None:
    """The gender a given name says ("Yuna": "f", "Leo": "m"), or its honorific
    ("Hinata-chan": "f", "Souta-kun": "m"), or None (unknown, or a name used for either:
    Yuki, Sora)."""
    said = name.strip().lower()
    return _given_names().get(said) or _GENDERED_HONORIFICS.get(said.rsplit("-", 1)[-1])


def read_cast(text: str) -> Cast:
    """Who ``text`` is about and which phrases describe each (see the module). An
    animal said with words of its own beside someone ("her cat familiar, a black cat
    with one torn ear") is a character of kind "animal"; one with none ("a girl with her
    cat") is its person's, and animals with no one ("a cat and a dog") are no one."""
    cast = _read(text, animals=True)
    if cast.members and all(m.animal for m in cast.members):
        return _read(text, animals=False)
    return cast


def _read(text: str, *, animals: bool) -> Cast:
    lines = [line for line in re.split(r"\n", text) if line.strip()]
    said = [structured_line(line) for line in lines]
    build = _Builder(read_animals=animals)
    if sum(1 for s in said if s is not None and s[0] == "character") > 1:
        # One `character:` line each; the other lines are the scene's.
        for line, s in zip(lines, said, strict=True):
            if s is not None and s[0] == "character":
                # "Aiden, 17, messy black hair", "Noor — teen girl, dark wavy hair"
                head = re.match(r"\s*(.+?)(?:\s*[,:—–]\s*|\s+-\s+|$)(.*)", s[1], re.S)
                who, rest = (head.group(1), head.group(2)) if head else (s[1], "")
                index = build.add(who.strip(), _gender_of(who), "name")
                build.clauses[index].append(rest)
                first = re.split(r"[,;]", rest, maxsplit=1)[0]
                kind = _ANIMAL.search(first)
                if animals and kind and not _PERSON.search(first.lower()):
                    # "Pistachio — her fat orange cat, sleeping in her lap": a pet.
                    build.members[index] = replace(build.members[index], kind="animal")
                    build.animals[index] = ANIMALS[kind.group(1).lower()]
            else:
                build.loose.append(line)
                build.loose_regions.append(0)
        return _finish(build)
    regions = re.split(r"\bBREAK\b", text)
    for region in regions[1:]:
        # "BREAK Hana, (twin tails:1.2), …": the word opening a region is its character.
        opening = re.match(r"\s*\(?([^\W\d_][\w'’-]*)(?::[\d.]+)?\)?\s*,", region)
        if opening and _capital(opening.group(1)):
            word = opening.group(1)
            if word.lower() not in _NOT_NAMES and word.lower() not in PEOPLE:
                build.opening_names.add(word)
    for k, region in enumerate(regions):
        build.region = k
        _read_region(region, build)
    return _finish(build)


def _read_region(region: str, build: _Builder) -> None:
    """Assign the clauses of one region (a whole prompt, or one ``BREAK`` region):
    each to the character last brought in, cut where a new one is."""
    # Read as if no position were said ("Aki (right) has …" is "Aki has …"), in place.
    triggers = _triggers(POSITION.sub(lambda m: " " * len(m.group(0)), region), build)
    current: int | None = None
    group = False
    they = False  # in a clause said of them all ("both in white, singing into mics")
    joined: set[int] = set()
    cuts = sorted({0, len(region), *(t.start for t in triggers), *_clause_ends(region)})
    # "On the left, Ji-woo: a girl …": a position that opens a clause, said just before
    # someone, is theirs ("Mika on the right; Ren …" is Mika's).
    before: set[int] = set()
    for place in POSITION.finditer(region):
        if not re.search(r"(?:^|[,;.!?\n])\s*$", region[: place.start()]):
            continue
        ahead = _LEADS_TO.match(region[place.end() :])
        at = place.end() + (ahead.end() if ahead else 0)
        named = next((t for t in triggers if t.start == at), None)
        if named is not None:
            before.add(place.start())
            build.positions[named.member] = _position(place)
    opened_at = -1  # where the current character's words were last brought in
    back: int | None = None  # who the next clause is of, an animal's own said
    clause_ends = set(_clause_ends(region))
    # A tag that names someone whose own label comes later ("1girl, giant robot, long red
    # hair, …, robot: white armor"): a mention — the tags after it are still the one
    # before's, and the robot's are those after its label.
    labelled = {t.member: t.start for t in triggers if re.match(r"\s*:", region[t.end :])}
    sentence: list[tuple[int, str]] = []  # the clauses given so far in this sentence
    for a, b in itertools.pairwise(cuts):
        piece = region[a:b]
        here = next((t for t in triggers if t.start == a), None)
        if re.search(r"(?:^|[.!?\n])\s*$", region[:a]):
            sentence.clear()
        if (
            here is not None
            and current is not None
            and here.member != current
            and _INVERTED.search(region[: here.start])
        ):
            # "Across from her, leaning back in his chair, is Corvin": what the sentence
            # said before its subject is the subject's.
            for member, said in sentence:
                if member == current and said in build.clauses[member]:
                    build.clauses[member].remove(said)
                    build.clauses[here.member].append(said)
            sentence.clear()
        if (
            here is not None
            and current is not None
            and here.member != current
            and labelled.get(here.member, -1) > here.start
            and not re.match(r"\s*:", region[here.end :])
            # (Not the subject of a verb: "while Yuki paints their nails" is Yuki's.)
            and not re.match(r"\s+[a-z]+s\s+(?:their|his|her|its|the|an?)\b", region[here.end :])
        ):
            build.clauses[here.member].append(region[here.start : here.end])  # "giant robot"
            piece = region[here.end : b]
            here = None
        if here is None and current is not None and _closed_after(region, opened_at, a):
            # "woman (30s, bob haircut, sundress), picnic in a park": her words were in
            # her brackets; what follows them is no longer hers.
            current = None
        if (
            here is None
            and back is not None
            and a in clause_ends
            and not re.search(r"\bits\b", piece, re.I)
        ):
            # "…, in a red dress": hers again, not her cat's — but "…, a bell on its
            # collar" is still the animal's.
            current, back = back, None
        if here is not None:
            current, back = here.member, here.back
            # (Their words open after them — or with them, inside a bracket they open:
            # "(1girl, black hair, red eyes), dancing".)
            opened_at = here.end
            if region[: here.start].rstrip().endswith("("):
                opened_at = region[: here.start].rstrip().rfind("(")
            group = here.group
            piece = region[here.end : b]
            they = False
            if here.said and group:
                build.shared.append(here.said)
            elif here.said and current not in build.counted:
                build.clauses[current].append(here.said)
                build.about.setdefault(current, set()).add(here.said)
            if here.joined:
                joined.add(here.member)
        if (spot := POSITION.search(piece)) is not None:
            # Where one stands is the layout's, not a phrase to draw; said of no one
            # (or of them all), it places no one.
            offset = b - len(piece)
            if (
                offset + spot.start() not in before
                and current is not None
                and current not in build.counted
                and not group
            ):
                build.positions[current] = _position(spot)
            piece = piece[: spot.start()] + piece[spot.end() :]
        if not piece.strip(" ,;.!?\n&()x"):
            continue
        if current is None or current in build.counted or _THEY.search(piece):
            build.loose.append(piece)
            build.loose_regions.append(build.region)
            they = _THEY.search(piece) is not None
        elif they and _acts(piece):
            build.shared.append(piece)  # "both in frilly white outfits, singing …"
        elif group and _acts(piece):
            build.shared.append(piece)  # "three friends sitting on a bench"
        elif _acts(piece) and (here.joined if here is not None else current in joined):
            build.shared.append(piece)  # "a boy and a girl sitting on a seawall"
        elif TOGETHER.search(piece):
            build.joint.append((current, piece))
        else:
            build.clauses[current].append(piece)
            sentence.append((current, piece))


#: A sentence whose subject comes after what is said of it ("Beside her, sipping tea,
#: is Mira").
_INVERTED: Final = re.compile(
    r",\s*(?:is|was|stands|stood|sits|sat|kneels|knelt|lies|lay|waits|leans)\s+$", re.I
)


def _closed_after(region: str, opened_at: int, at: int) -> bool:
    """Whether the text before ``at`` closes a bracket opened right after the words that
    brought a character in at ``opened_at`` ("man (30s, beard), …")."""
    before = region[:at].rstrip(" ,;")
    if opened_at < 0 or not before.endswith(")"):
        return False
    start = before.rfind("(")
    # (Right after them, and no weighted tag: "Hana, (twin tails:1.2), …" goes on.)
    weighted = re.search(r":\s*\d", before[start:]) is not None
    return start >= opened_at and not region[opened_at:start].strip(" :(") and not weighted


def _position(place: re.Match[str]) -> str:
    """The side a `POSITION` match says: left, middle or right."""
    word = next(w for w in place.groups() if w).lower()
    return "middle" if word.startswith("cent") else word


#: What a person noun is part of when the next word is of these parts ("pirate ship",
#: "mechanic jumpsuit", "fairy lights").
_THING_PARTS: Final = frozenset({"outfit", "hair", "background", "lighting", "style"})


def _part_of(region: str, end: int) -> str | None:
    """What the person noun ending at ``end`` is part of with the next word: another
    person ("pirate captain", "vtuber girl"), a thing ("mechanic jumpsuit", "pirate
    ship", "ghost story", "baby blue"), or nothing (None; "Detective Mori": a name)."""
    nxt = re.match(r"[ -]([^\W_]+)", region[end:])
    if nxt is None or nxt.group(1)[0].isupper():
        return None
    word = nxt.group(1)
    if word in vocab.COLORS:
        return "thing"
    if word in PEOPLE:
        # (Not a count tag's: "1boy 1girl" are two; "girl friend" is one girl.)
        counted = word[0].isdigit() or region[end - 1].isdigit()
        return None if counted or word.startswith("friend") else "person"
    if word in ("story", "stories", "town", "costume", "cosplay"):
        return "thing"
    heads = {part for part, role in lexicon().find(word).items() if role == "head"}
    return "thing" if _THING_PARTS & heads else None


#: The one who asks, drawn too: "me and my gf", "I have short black hair", "i'm in a hoodie".
_FIRST_PERSON: Final = re.compile(
    # (After an emoji too: "… 🦜💛 i have short teal hair".)
    r"(?:^|[,;.!?\n(—–:-]|[^\w\s'’]|\b(?:and|n|of|draw|paint|make|turn)\b)\s*"
    r"(i['’]?m\b|(?:i|me|myself)\b"
    r"(?=\s+(?:have|has|am|wear|wearing|and|with|in|on|should|look|got)\b|\s*(?::|=|[—–]|-\s)))"
    # "my brother and me, …", "draw me!"
    r"|\b(?:and|n|draw|of)\s+(me|myself)\b(?=\s*(?:[,.;!?]|\s+(?:n|and)\b|$))"
)
#: Plural person nouns, to the noun ("sons": "son", "women": "woman").
_PLURALS: Final = {
    **{
        (n[:-1] + "ies" if n.endswith("y") and n[-2] not in "aeiou" else
         n + "es" if n.endswith(("s", "sh", "ch", "x")) else n + "s"): n
        for n in PEOPLE
        if n.isalpha() and " " not in n and not n.endswith("man")
    },
    "men": "man", "women": "woman", "children": "child", "gentlemen": "gentleman",
    "fishermen": "fisherman",
}  # fmt: skip
_NUMBERS: Final = {"two": 2, "three": 3, "2": 2, "3": 3, "both": 2}
#: A number of people: "my two sons", "three little witches".
_PLURAL_COUNT: Final = re.compile(
    r"\b(two|three|2|3)\s+(?:(?:little|young|old|small|cute|best|tiny|teenage)\s+)?("
    + "|".join(sorted(map(re.escape, _PLURALS), key=len, reverse=True))
    + r")\b"
)


#: Words before a person noun that make it what someone wears, not someone.
_WORN_BEFORE: Final = re.compile(
    r"\b(?:wearing|wears|wear|dressed\s+(?:as|like)|cosplaying(?:\s+as)?)\s+"
    r"(?:(?:an?|the|his|her|their|my)\s+)?$"
)


def _new_in_sentence(region: str, start: int, who: str, build: _Builder) -> bool:
    """ "The elf archer draws her bow. The dwarf, short and stout, …": a sentence that
    opens on "The" and a kind of person no one met is, is someone new (in a tag list,
    "kitsune girl, …, miko" is the girl said again)."""
    # (The trigger may hold its "The", or start just after it.)
    before = region[:start]
    if not region[start:].lower().startswith("the "):
        said = re.search(r"\bthe\s+$", before.lower())
        if said is None:
            return False
        before = before[: said.start()]
    # (At a sentence's start; at a clause's, a relation not met yet: "a dad holding his
    # son's hand, the son wears …".)
    head = _head(who)
    if not re.search(r"(?:^|[.!?\n])\s*$", before) and not (
        head in _RELATIONS and re.search(r"(?:^|[,;])\s*$", before)
    ):
        return False
    if head in _PLAIN_PEOPLE:
        return False
    return not any(head in _key(m.who).split() for m in build.members)


#: Who a person is to another: said with "the" after another is met, someone new.
_RELATIONS: Final = frozenset({
    "son", "daughter", "brother", "sister", "mother", "father", "mom", "dad", "mum",
    "grandma", "grandpa", "grandmother", "grandfather", "grandson", "granddaughter",
    "husband", "wife", "boyfriend", "girlfriend", "uncle", "aunt", "nephew", "niece",
    "cousin", "baby", "twin", "child", "kid", "friend", "teacher", "student",
})  # fmt: skip
#: Nouns that say only a person's gender and age, not what they are.
_PLAIN_PEOPLE: Final = frozenset({
    "man", "woman", "girl", "boy", "guy", "lady", "kid", "child", "person", "gal", "dude",
})  # fmt: skip


#: An article and a word or two before a person noun ("a shy ", "her childhood ").
_SAID_BEFORE: Final = re.compile(
    r"\b(?:a|an|the|his|her|their|my|another)\s+((?:[a-z][\w'’-]*\s+){1,2})$"
)
#: Words that end a person's description before the noun: "a girl with a friend".
_BETWEEN_NOT: Final = frozenset({
    "and", "or", "with", "in", "on", "of", "at", "to", "for", "from", "by", "is", "has",
    "was", "are", "as", "like", "but", "who", "than", "into", "onto", "behind", "beside",
})  # fmt: skip


def _about(who: str) -> str:
    """What the words that bring a person in say of them, beyond the noun alone: "serious
    boy", "old fisherman", "vtuber girl" ("" for "girl", or "left girl")."""
    kept = [w for w in who.split() if not _ORDER.fullmatch(w.lower())]
    return " ".join(kept) if len(kept) > 1 else ""


def _position_word(word: str) -> str | None:
    """The side a label's word says ("left", "centre"), if it says one."""
    if word in ("left", "right", "middle"):
        return word
    return "middle" if word in ("center", "centre") else None


def _triggers(region: str, build: _Builder) -> list[_Trigger]:
    """Where each character is brought in or spoken of, in order."""
    found: list[_Trigger] = []
    lower = region.lower()
    spans: list[tuple[int, int, str, str | None, str]] = []  # start, end, who, gender, how
    for tag, (kind, n, label) in COUNTS.items():
        for m in re.finditer(rf"\b{tag}\b", lower):
            for k in range(n):
                spans.append((m.start(), m.end(), f"{label} {k + 1}", kind, "counted"))
    for m in _PLURAL_COUNT.finditer(lower):  # "my two sons", "3 little sisters"
        if any(m.start() < s[1] and s[0] < m.end() for s in spans):
            continue  # (a count tag said it: "two girls")
        n = _NUMBERS[m.group(1)]
        noun = _PLURALS[m.group(2)]
        for k in range(n):
            spans.append((m.start(), m.end(), f"{noun} {k + 1}", PEOPLE[noun], "counted"))
    compound: int | None = None  # where "a pirate captain" starts, at "captain"
    count_ends = {s[1] for s in spans if s[4] == "counted"}
    for m in _PERSON.finditer(lower):
        noun = m.group(1)
        if any(re.fullmatch(r"\s+", lower[e : m.start()]) for e in count_ends if e < m.start()):
            continue  # "two girl friends": the count's own noun, no one more
        if _WORN_BEFORE.search(lower[: m.start()]):
            continue  # "wearing a sailor fuku", "dressed as a witch": what they wear
        part_of = _part_of(region, m.end())
        if part_of is not None:
            # "a pirate captain": the captain, said from "a"; "mechanic jumpsuit",
            # "fairy lights", "ghost story": no one.
            compound = m.start() if part_of == "person" and compound is None else None
            continue
        begin, compound = (m.start() if compound is None else compound), None
        if not re.match(r"(?:a|an|the|one|another|his|her|their|my)\s", lower[begin:]):
            # "a shy librarian", "her childhood friend": the words between the article
            # and the noun are about them.
            said = _SAID_BEFORE.search(lower[:begin])
            if said and not any(w in _BETWEEN_NOT for w in said.group(1).split()):
                begin = said.start()
        who = region[begin : m.end()].strip()
        definite = who.lower().startswith("the ")
        # "carrying his little sister": one already met, if a little sister was.
        owned = re.match(r"(?:his|her|their|my)\s", who.lower()) is not None
        who = re.sub(r"^(?:a|an|the|one|another|his|her|their|my)\s+", "", who, flags=re.I)
        how = "counted" if noun in ("1girl", "1boy", "1other") else "person"
        # Brought in ("a girl", "her son", "his dog-eared friend", "… and grandpa") or
        # said again ("the girl", "otouto is small", a tag list's "miko" after "kitsune
        # girl"): one already met.
        article = r"(?:a|an|another|one|his|her|their|my)\s"
        before = re.search(rf"\b{article}+((?:[\w'-]+\s+){{1,2}})$", lower[:begin])
        introduced = re.match(article, lower[begin : m.end()]) or (
            before is not None and not any(w in PEOPLE for w in before.group(1).split())
        )
        # ("… and grandpa", "reading to imouto-chan": another, after a joining word.)
        joining = r"(?:\band|&|\bx|\bwith|\bto|\bfor|\bbeside|\bbehind|\btowards?|\bnear)\s*$"
        after_and = re.search(joining, lower[:begin])
        definite = definite or not (introduced or after_and)
        mark = "!" if definite else "~" if owned else ""
        spans.append((begin, m.end(), who, PEOPLE[noun], how + mark))
    if build.read_animals:
        spans += _animal_spans(region)
    for m in _LABEL.finditer(lower):
        label = re.sub(r"\s+", " ", m.group(1))
        spans.append((m.start(1), m.end(1), label, _gender_of(label), "label"))
    for m in _ORDINAL.finditer(lower):
        after = region[m.end(1) :]
        said = re.match(r"\s*:\s*((?:[\w'’-]+\s+){0,2}[\w'’-]+)", after)
        if said and m.group(1).strip().split()[-1] in ("middle", "me"):
            words = said.group(1).split()
            named = _capital(words[0]) and re.match(r"\s*:\s*[^\W\d_]+\s*[,(]", after)
            if named or any(w.lower() in PEOPLE for w in words):
                continue  # "middle: Olu, …", "middle: his daughter Freya": they say who
        spans.append((m.start(1), m.end(1), m.group(1), None, "person"))
    names = _names(region)
    names += [w for w in sorted(build.opening_names) if w not in names and w in region]
    for name in names:
        for m in re.finditer(rf"(?<![^\W\d_]){re.escape(name.lower())}(?![^\W\d_])", lower):
            # "Aki's hair is black": the name holds its "'s" (what follows is hers).
            owns = re.match(r"['’]s\b", lower[m.end() :])
            if owns and _mentioned(lower, m, name):
                continue  # "leaning over Noa's shoulder": Noa is spoken of, not described
            spans.append((m.start(), m.end() + (owns.end() if owns else 0), name, None, "name"))
    for m in re.finditer(
        r"(?:^|[,;.!?\n(—–:-]|\band\b)\s*((?:she|he)(?:['’]?s\b)?|his|hers|her|him)\b"
        r"(?!\s+own\b)|\b(?:while|whereas|but|as|when|then)\s+((?:she|he)(?:['’]?s\b)?)\b"
        # "… holding a candy apple 🍎 him: messy hair": a pronoun said as a label.
        r"|(?<![\w'’])(she|he|her|him)(?=\s*:(?!\d))",
        lower,
    ):
        # ("… reads aloud while he pretends …": he does)
        at = next(k for k in (1, 2, 3) if m.group(k))
        # "she's a street musician", "shes asleep": she is; "hers is navy": hers is hers.
        pronoun = re.sub(r"['’]?s$", "", m.group(at)) if m.group(at) != "his" else "his"
        spans.append((m.start(at), m.end(at), pronoun, PRONOUNS[pronoun], "pronoun"))
    for m in _FIRST_PERSON.finditer(lower):  # "me and my gf", "i have short black hair"
        at = 1 if m.group(1) else 2
        spans.append((m.start(at), m.end(at), "me", None, "name"))
    people_at = {s[0] for s in spans if s[4].startswith("person")}
    spans = [  # "her otouto": a person noun, not "her" meaning someone
        s
        for s in spans
        if not (
            s[4] == "pronoun" and s[2] in ("his", "her") and _next_word_at(lower, s[1]) in people_at
        )
    ]
    spans.sort(key=lambda s: (s[0], -s[1]))
    last_end = -1
    previous: _Trigger | None = None
    previous_how = ""
    for start, end, who, gender, how in spans:
        if start < last_end and not (how == "counted" and previous_how == "counted"):
            continue  # inside a longer trigger ("idol girl" holds "girl")
        definite = how.endswith("!") or (how.endswith("~") and build.has(who))
        back = previous.member if how.endswith(">") and previous is not None else None
        how = how.rstrip("!~>")
        side = None
        if how == "label":  # "Left: …", "Character 2: …": a new one, called so
            side = next((_position_word(w) for w in who.split() if _position_word(w)), None)
        between = region[previous.end : start] if previous is not None else ""
        if how == "pronoun":
            index = None
            if previous is not None and re.fullmatch(r"\s*\(\s*", between):
                # "nao (she/her) w/ a shaved side cut": the pronouns she goes by.
                index = previous.member
                build.members[index] = replace(build.members[index], gender=gender)
            elif (
                who in ("her", "his")
                and previous is not None
                and build.members[previous.member].gender is None
                and not re.match(r"\s*[:(]", region[end:])
            ):
                # "Ichika, who leans …, her short hair …": the one just named.
                index = build._gendered(previous.member, gender)
            if index is None:
                index = _resolve(build, gender)
            if index is None and who in ("she", "he"):
                index = build.add(who, gender, "person")  # "she has …, he has …"
            if index is None:
                continue
        elif _one_again(lower, start, end, previous, build):
            last_end = end  # "… the boy who's leaning on the lockers, the one with …"
            continue
        elif (
            previous is not None
            and who != "me"  # ("my brother, I'm in …": I am not the brother)
            and _same_person(region, previous, previous_how, how, start)
        ):
            build.aliases[_key(who)] = previous.member  # "his girlfriend Ayşe"
            build._gendered(previous.member, gender)  # "Corvin, a young man": he
            if how == "animal":  # "Mochi is a fat orange tabby": Mochi is a cat
                build.members[previous.member] = replace(
                    build.members[previous.member], kind="animal"
                )
                build.animals[previous.member] = ANIMALS[_animal_noun(who)]
            if how == "name":  # called by the name from here on
                known = build.members[previous.member]
                build.members[previous.member] = replace(known, who=who)
            if how == "name" or previous_how == "label":
                # ("The little one is Pip, a halfling girl": said again after the name;
                # "middle: his daughter Freya": the label, the person, then the name.)
                previous, previous_how = _Trigger(start, end, previous.member), how
            last_end = end
            continue
        elif (
            how == "person"
            and definite
            and previous is not None
            and not build.members[previous.member].animal  # ("the bloodhound. the kid:")
            # ("holding the baby": one a clause's verb reaches is someone else.)
            and re.search(r"\b(?:[a-z]{3,}ing|holds|carries|hugs)\s+$", lower[:start]) is None
            and not build.has(who)
            and not _another(who, gender, build.members[previous.member])
            and not _new_in_sentence(region, start, who, build)
            # ("my sister n me n our mom": a relation of someone's is someone else)
            and not re.match(r"(?:my|our|his|her|their|your)\s", lower[start:end])
        ):
            # A bare noun after someone ("kitsune girl, …, miko", "vampire lord, pale
            # man"): said of the same person — unless a count tag's place waits for it,
            # or one met before is of its kind ("grandfather and his grandson. …
            # Grandfather is …, the boy is …": the grandson).
            index = build.claim(who, gender)
            if index is None:
                index = build.like(who, gender, previous.member)
            if index is None:
                index = previous.member
                build.aliases.setdefault(_key(who), index)
        else:
            # ("three friends: a girl with …, a boy with …, and a girl with …": while a
            # count's place is open, "a girl" said again is the next one, not the first.)
            fresh = how == "person" and bool(_A_NEW.match(lower[start:end]))
            index = build.add(who, gender, "name" if how == "label" else how, definite, fresh)
            if how == "counted":
                build.placeholders.append(index)
                build.tagged.add(index)
                if not re.match(r"1", lower[start:end]):
                    build.counted.add(index)
        joined = (
            previous is not None
            and re.fullmatch(r"[\s\W]*(?:and|&|x|,)?[\s\W]*", between) is not None
            and how not in ("counted", "pronoun")
            and previous_how != "counted"
        )
        if joined and previous is not None:
            previous.joined = True
        # "three friends sitting …": a count of several says what follows of them all
        # (later names fill its places, but what was said first is still theirs).
        group = how == "counted" and not re.match(r"1", lower[start:end])
        about = _about(who) if how == "person" else who if how == "animal" else ""
        if how == "animal":
            if previous is not None and not build.members[previous.member].animal:
                build.owners.setdefault(index, previous.member)  # whose pet, if anyone's
            if joined:
                build.beside.add(index)  # "a girl and her shiba inu": the two of them
        if group and _PLURAL_COUNT.fullmatch(lower[start:end]):
            about = region[start:end]  # "two idols": what they all are
        trigger = _Trigger(start, end, index, joined, group, about, back)
        if how not in ("counted", "pronoun"):
            build.brought_in.setdefault(index, set()).add(build.region)
        if side is not None:
            build.positions[index] = side
        build.spoke_of(index)
        found.append(trigger)
        previous, previous_how = trigger, how
        last_end = end
    return found


def _mentioned(lower: str, m: re.Match[str], name: str) -> bool:
    """Whether a name said with its "'s" inside another's clause ("braiding Sakura's
    hair", "over Noa's shoulder") only speaks of them: said after other words of the
    clause, and said as themselves elsewhere ("Sakura: long pink hair")."""
    clause = re.split(r"[,;.!?\n|/:]", lower[: m.start()])[-1]
    if not re.search(r"[^\W\d_]", clause):
        return False  # "Aki's hair is black": her words open there
    others = re.finditer(rf"(?<![^\W\d_]){re.escape(name.lower())}(?![^\W\d_])", lower)
    return any(
        o.start() != m.start() and not re.match(r"['’]s\b", lower[o.end() :]) for o in others
    )


def _one_again(
    lower: str, start: int, end: int, previous: _Trigger | None, build: _Builder
) -> bool:
    """ "the boy who's leaning on the lockers, the one with messy hair": a bare "the one"
    that opens a clause in the sentence of the person just said is them again — unless
    another "one" or "the other" is said ("the one on the left …, the one on the right")."""
    if previous is None or lower[start:end] != "the one" or build.members[previous.member].animal:
        return False
    if not re.match(r"\s+(?:with|who|whose|that)\b", lower[end:]):
        return False  # ("the one on the right wears …": placed apart, someone else)
    if previous.member in build.counted or re.search(r"[.!?\n:]", lower[previous.end : start]):
        return False
    return re.search(r"\b(?:one|other)\b", lower[:start] + lower[end:]) is None


def _animal_spans(region: str) -> list[tuple[int, int, str, str | None, str]]:
    """Where ``region`` brings in or speaks of an animal as a character: its noun with
    the words before it in its phrase ("their old shiba inu", "a fat orange tabby"),
    the animal said as those words ("old shiba inu")."""
    spans: list[tuple[int, int, str, str | None, str]] = [
        (m.start(), m.end(1), m.group(1), None, "animal") for m in _pet_names(region)
    ]
    for m in _ANIMAL.finditer(region):
        start = begin = m.start()
        for _ in range(3):  # back over its own words: "fat orange", "old"
            word = re.search(r"([^\W\d_][\w'’-]*)\s+$", region[:begin])
            if word is None:
                break
            said = word.group(1).lower()
            if said in _ANIMAL_STOPS:
                start = word.start(1)  # "her cat": the article or owner opens it
                break
            if (said in PEOPLE and said != "baby") or said.endswith("ing") or said in ANIMALS:
                break
            begin = start = word.start(1)
        # Said as someone, not as what someone does something to: at a clause's start
        # ("…, and their old shiba inu with …", "1other, black cat"), said to be one
        # ("Mochi is a tabby") or named ("my cat Mochi") — not "holding a white kitten".
        lead = re.search(r"(?:^|[,;:!?\n.(|/—–]|\bBREAK\b)([^,;:!?\n.(|/—–]*)$", region[:start])
        opening = lead is None or set(lead.group(1).lower().split()) <= _ANIMAL_OPENERS
        # ("a girl and her shiba inu": the two of them, not a thing of hers.)
        opening |= lead is not None and bool(_WITH_PERSON.search(lead.group(1).lower()))
        said_so = re.search(r"(?:\b(?:is|was)|['’]s)\s*$", region[:start].lower())
        named = re.match(r"\s+[A-Z\u3040-\u9fff]", region[m.end() :])
        who = region[begin : m.end()]
        if opening or said_so or named:
            spans.append((start, m.end(), who, None, "animal"))
        elif _DESCRIBED.match(region[m.end() :]):
            # "a girl with her black cat with green eyes": its eyes, not hers (and her
            # words go on after its clause).
            spans.append((start, m.end(), who, None, "animal>"))
    return spans


#: What follows an animal's noun that says what it looks like.
_DESCRIBED: Final = re.compile(r"\s+(?:with|who|whose|that|which|wearing|named|called)\b", re.I)
#: A person said just before an animal, "and" between ("a girl and her shiba inu").
_WITH_PERSON: Final = re.compile(rf"(?:^|\s)(?:{_PEOPLE_WORDS}|me|i)\s+(?:and|&)\s*$")
#: Words that may open a clause before an animal said as a character ("and her dog").
_ANIMAL_OPENERS: Final = frozenset({"and", "&", "plus", "also", "while", "as", "but", "then"})


#: A pet named in lower case after its noun ("my parrot mango", "her cat mochi").
_LOWER_PET: Final = re.compile(
    r"\b(?:my|our|his|her|their)\s+("
    + "|".join(map(re.escape, sorted(ANIMALS, key=len, reverse=True)))
    + r")\s+([a-z][a-z'’-]{1,14})\b"
)


def _pet_names(region: str) -> list[re.Match[str]]:
    """Where ``region`` names a pet in lower case: a word after "my parrot" that is said
    again as the pet ("… mango is bright green"), not a word about it ("my cat sleeps")."""
    return [
        m
        for m in _LOWER_PET.finditer(region)
        if m.group(2) not in _COMMON
        and not m.group(2).endswith(("ing", "s", "ed"))
        and not lexicon().find(m.group(2))
        and re.search(
            rf"(?:^|[,;.!?\n])\s*{re.escape(m.group(2))}\s*(?:is|has|=|:|wears|['’]s)\b",
            region[m.end() :],
        )
    ]


def _animal_noun(who: str) -> str:
    """The animal's noun in the words that name it ("old shiba inu" → "shiba inu")."""
    found = _ANIMAL.search(who.lower() + ",")
    return found.group(1) if found else who.lower().split()[-1]


#: An animal's words that say no more than what it does and where: theirs is its
#: person's ("her cat sitting on the desk").
_NOT_LOOKS: Final = frozenset({"pose", *SCENE_PARTS})


def _fold_animals(build: _Builder) -> set[int]:
    """Animals said with no words of their own — no name, no look, not "and" with
    their person ("a girl with her cat", "her cat sitting on the desk") — given back to
    their person as things of theirs; the indices of those given back."""
    people = [i for i, m in enumerate(build.members) if not m.animal]
    folded: set[int] = set()
    for i in list(build.animals):
        member = build.members[i]
        if not member.animal or not people or i in build.beside:
            continue
        if _ANIMAL.search(member.who.lower() + ",") is None:
            continue  # named ("Mochi", "Pistachio")
        described = any(
            set(_parts(clause)) - _NOT_LOOKS
            for clause in build.clauses[i]
            if _key(clause.strip(" ,;.")) not in ANIMALS
        )
        if described:
            continue
        owner = build.owners.get(i)
        if owner is None:
            owner = next((p for p in people if p > i), people[-1])
        build.clauses[owner].extend(build.clauses[i])
        build.clauses[i] = []
        build.joint = [(owner if k == i else k, piece) for k, piece in build.joint]
        folded.add(i)
    return folded


def _names(region: str) -> list[str]:
    """The names in ``region``: capitalised words said as a person is — "Aki has",
    "Aki x Hana", "my oc Zara", "Kenji, Amara", "Haruto-kun", or "Lin:" said again —
    each then found in any case ("kaito has"). A word that only starts a sentence or
    a "Key: value" line ("Below, …", "Hair: …") is not one."""
    found: list[str] = []
    word_re = r"(?<![^\W\d_])[^\W\d_]{2,15}(?:-[^\W\d_]{2,15})?"
    capitalised = {m.group(0).lower() for m in re.finditer(word_re, region) if _capital(m.group(0))}
    for m in re.finditer(word_re, region):
        word = m.group(0)
        base = word.split("-")[0]
        if not _capital(word) or base.lower() in _NOT_NAMES or base.lower() in PEOPLE:
            continue
        if not word[0].isupper() and base in lexicon().glossary:
            continue  # "セーラー服", "弁当": Japanese words the glossary reads, not names
        if word in found:
            continue
        known_word = bool(lexicon().lookup(base.lower()))
        mentions = list(
            re.finditer(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", region, re.IGNORECASE)
        )
        again = len(mentions) > 1

        honorific = re.search(rf"-(?:{HONORIFICS})$", word) is not None
        told = (word, known_word, again, capitalised)
        if honorific or any(_said_as_name(region, n, told) for n in mentions):
            found.append(word)
    for word in _lowercase_names(region):
        if word not in (f.lower() for f in found):
            found.append(word)
    return found


#: Lower-case words that a fan may type before "has" or "x" and that are not names.
_COMMON: Final = frozenset({
    "everyone", "everything", "someone", "somebody", "nobody", "each", "all", "who",
    "which", "what", "other", "another", "scene", "picture", "pic", "image", "art", "sky",
    "weather", "place", "room", "world", "city", "town", "bg", "one", "guy", "person",
    "lol", "pls", "plz", "also", "then", "now", "maybe", "like", "just", "omg", "ok",
    "okay", "tho", "too", "very", "really", "kinda", "sorta", "both", "ship", "oc", "ocs",
    "x", "xx", "xxx", "and", "or", "friend", "bestie", "otp", "fanart", "always", "never",
    "usually", "often", "sometimes", "still", "even", "only", "so", "but", "yet", "he", "she",
    "they", "we", "it", "there", "here", "everybody", "anybody", "mine", "yours",
    # ("shes got …", "im in …": a pronoun typed without its apostrophe.)
    "shes", "hes", "im", "ive", "theyre", "theres",
})  # fmt: skip
#: How fans pair lower-case names: "my ship kai x yuna", "oc named mira".
_LOWER_PAIR: Final = re.compile(
    r"(?<![\w'’])([a-z][a-z'’-]{1,14})\s+(?:x|&)\s+([a-z][a-z'’-]{1,14})\b"
)
#: "kira: fox ears, … lulu: bunny ears": a lower-case word said twice as a label.
_LOWER_LABEL: Final = re.compile(r"(?:^|[,;.\n|/])\s*([a-z][a-z'’-]{1,14})\s*:")
_LOWER_NAMED: Final = re.compile(
    r"\b(?:named|called|oc|ocs|name is|name's|names are)\s+([a-z][a-z'’-]{1,14})\b"
)
_LOWER_HAS: Final = re.compile(
    r"(?:^|[,;.!?\n(—–:|/]|\band\b|\bwhile\b)\s*([a-z][a-z'’-]{1,14})"
    r"(?=\s+(?:has|have|wears|is wearing|is in|is holding|holds|got)\b"
    r"|['’]s\s+(?:hair|eyes|outfit))"
)


def _lowercase_names(region: str) -> list[str]:
    """Names typed in lower case, as fans do: "kai x yuna", "my oc mira", "rin has …"
    — a word said as a name is, that is no word the parser or this module knows."""
    out: list[str] = []
    candidates = [
        *(w for m in _LOWER_PAIR.finditer(region) for w in m.groups()),
        *(m.group(1) for m in _LOWER_NAMED.finditer(region)),
        *(m.group(1) for m in _LOWER_HAS.finditer(region)),
        *(m.group(2) for m in _pet_names(region)),
        *(
            m.group(1)
            for m in _LOWER_LABEL.finditer(region)
            if len(re.findall(rf"\b{re.escape(m.group(1))}\b", region)) > 1
        ),
    ]
    for word in candidates:
        if (
            word in out
            or word in _NOT_NAMES
            or word in _COMMON
            or word in PEOPLE
            or word in PRONOUNS
            or word.endswith(("ing", "ly"))
            or lexicon().find(word)
            or word in lexicon().glossary
            or word in vocab.COLORS
        ):
            continue
        out.append(word)
    return out


def _capital(word: str) -> bool:
    """Whether ``word`` is written as a name may be: capitalised, or in kana or kanji
    (which have no capitals: "ミカ is a girl")."""
    return word[0].isupper() or "\u3040" <= word[0] <= "\u30ff" or "\u4e00" <= word[0] <= "\u9fff"


#: Words that open a "Key: value" line about the picture or its parts, not a person.
_KEYS: Final = frozenset({
    "hair", "eyes", "eye", "outfit", "clothes", "clothing", "expression", "pose",
    "background", "scene", "setting", "lighting", "light", "mood", "style", "use",
    "character", "characters", "prompt", "negative", "quality", "details", "detail",
    "accessories", "props", "colors", "colours", "palette", "camera", "composition",
    "theme", "subject", "art", "notes", "note", "look", "looks", "features", "face",
    "body", "wearing", "wears", "weather", "time", "place", "location", "vibe", "vibes",
})  # fmt: skip


def _said_as_name(region: str, n: re.Match[str], told: tuple[str, bool, bool, set[str]]) -> bool:
    """Whether the mention ``n`` of a capitalised word says it as a person's name."""
    word, known_word, again, capitalised = told
    after = region[n.end() :]
    before = region[: n.start()].rstrip().lower()
    if (_STRONG_NAME_AFTER if known_word else _NAME_AFTER).match(after):
        return True
    label = re.match(r"\s*:\s*([^.;:|\n]{3,160})", after)
    if (
        label
        and word[0].isupper()
        and word.lower() not in _KEYS
        # (At a clause's start, or after a few words that say which one: "the eldest,
        # Kaede: …", "the middle one, Momiji: …".)
        and re.search(r"(?:^|[.;!?|\n])(?:\s*(?:the\s+)?[\w'’-]+(?:\s+one)?\s*,)?$", before)
        and _LOOKS & set(_parts(label.group(1)))
    ):
        return True  # "Aki: black ponytail, kendo uniform. Hana: …": a label that says looks
    brackets = re.match(r"\s*\(([^()]{3,200})\)", after)
    if brackets and _LOOKS & set(_parts(brackets.group(1).replace(",", " ,"))):
        # "Kaito (tall, blue hair, glasses) and Rin (short, orange ponytail)", "Sora
        # (blue short hair, hoodie)"
        return word[0].isupper() or not known_word
    if known_word:
        # "Yuki, Kenji, Momo | Yuki: white hair": a word said again as a label; "Yuki
        # (tiny, cat ears)" among names in a list; "Detective Mori", "his partner Yuki".
        titled = re.search(rf"\b(?:{_PEOPLE_WORDS})$", before) is not None
        titled |= re.search(r"\b(?:named|called|name is|name's)$", before) is not None
        # ("Character 1: Aoi, a tall girl": the word a label opens with is its name.)
        titled |= any(m.end() == len(before) for m in _LABEL.finditer(before))
        labelled = again and re.match(r"\s*[:(]", after) is not None
        return word[0].isupper() and (labelled or titled)
    start = re.search(r"(?:^|[.;!?:—–(])$", before) is not None  # a sentence's first word
    if re.match(rf"\s*,\s*(?:an?|the)\s+(?:[\w'’-]+\s+){{0,3}}(?:{_PEOPLE_WORDS})\b", after):
        return True  # "Ayaka, a shy librarian", "Mara, the tall knight"
    if not start and re.match(r"\s*(?:with|in|,\s*whose)\b", after):
        return True  # "… and Riku with sunglasses", "Lily, whose long hair"
    if re.match(r"\s*(?:and|&|\+|x|,|/)\s*[^\W\d_]", after):
        following = re.match(r"\s*(?:and|&|\+|x|,|/)\s*([^\W\d_]+)", after)
        if (
            following
            and _capital(following.group(1))
            and following.group(1).lower() not in _NOT_NAMES
        ):
            return True  # "Rafael and Chiara", "Kenji, Amara"
    if _PAIRED.search(before):
        return True
    if re.search(rf"\b(?:{_PEOPLE_WORDS})$", before) and not start:
        return True  # "his little sister Inés", "the young mage Tomasz"
    if re.search(r"(?:^|[.!?]\s*)(?:please\s+)?(?:draw|paint|sketch|make)$", before):
        return True  # "Draw Mateo and …"
    if re.search(r"\bbreak$", before) and re.match(r"\s*[,(:]", after):
        return True  # "BREAK Hana, (twin tails:1.2), …": a region's character
    said_after = r"(?:\band|,|;)(?:\s+(?:little|young|old|big|tall|short|tiny|sweet))?$"
    if (
        (not start or before.endswith(";"))
        and re.search(said_after, before)
        and re.match(r"\s*,", after)
    ):
        return True  # "…; and Toma, chubby …", "; little Tomo, …": a capital, then about them
    listed = _LISTED.search(before)
    if listed and listed.group(1) in capitalised and listed.group(1) != word.lower():
        return True
    colon = re.match(r"\s*[:(]\s*(?:(?:a|an)\s+)?(?:[\w'-]+\s+)?([\w-]+)", after)
    if colon and (again or colon.group(1) in PEOPLE):
        return True  # "Lin: pink bob … Lin", "Ji-woo: a girl"
    return again and re.search(r"(?:^|[.;!?])$", before) is not None


def _next_word_at(text: str, end: int) -> int:
    m = re.compile(r"\s*").match(text, end)
    return m.end() if m else end


def _same_person(region: str, previous: _Trigger, previous_how: str, how: str, start: int) -> bool:
    """Whether a trigger names the person just brought in: a name right after a person
    noun ("his girlfriend Ayşe"), a person said of a name ("Ji-woo: a girl with …",
    "Sora, a gentle young man", "Leon is a knight") or said twice ("his assistant, a
    young woman", "daughter is small girl")."""
    between = region[previous.end : start].lower()
    if previous_how == "label":  # "Left: Yuna", "Character 1: a pirate captain"
        opens = r"\s*(?:\]\s*(?:name\s*)?)?(?::|=|[-—–])\s*(?:[\w'’-]+\s+){0,3}"
        return re.fullmatch(opens, between) is not None  # ("[Char 1] name: Noa")
    if how == "name" and previous_how in ("person", "animal"):  # "the little one is Pip"
        return (
            re.fullmatch(r"\s*(?:,|\bis\b|\bnamed\b|\bcalled\b|(?:'s\s+)?name\s+is)?\s*", between)
            is not None
        )
    # ("she's a street musician": the pronoun's trigger holds its "'s".)
    # ("im a merman": the first person's "I'm" says so too.)
    said_by = region[previous.start : previous.end].lower()
    is_said = re.search(r"(?:['’]s|\bi['’]?m)$", said_by) is not None
    if how in ("person", "animal") and re.fullmatch(
        r"(?:\s+(?:is|was|being)|['’]s)?\s+(?:(?:a|an|the)\s+)?(?:[\w'-]+\s+){0,2}", between
    ):
        said = is_said or re.match(r"\s*(?:(?:is|was|being)\b|['’]s)", between) is not None
        if said:  # "she is a vampire girl", "Leon is a knight"
            return previous_how in ("name", "person", "pronoun")
    if how == "animal" and previous_how == "name":  # "Admiral Fluff — the ship's cat"
        return re.fullmatch(r"\s*[:(—–-]\s*(?:(?:a|an|the)\s+)?", between) is not None
    if how == "person" and previous_how == "name":  # "Mira Voss, 17, elf ranger"
        said_again = r"\s*[:,(—–-]\s*(?:(?:a|an|the)\s+)?(?:[\w'-]+[\s,]+){0,4}"
        return re.fullmatch(said_again, between) is not None
    if how == "person" and previous_how == "person":
        return _apposition(region, previous, start)
    return False


#: Words that set one person apart from another ("the middle sister", "the other boy").
_APART: Final = re.compile(
    r"\b(?:oldest|eldest|middle|youngest|younger|older|other|second|third|last)\b"
)


#: A person said as someone new: "a girl", "an old man", "another boy".
_A_NEW: Final = re.compile(r"(?:a|an|another)\s")


def _another(who: str, gender: str | None, previous: Member) -> bool:
    """Whether a bare noun names someone new after ``previous``: of the other gender
    ("the oldest brother …, the middle sister"), or set apart by its words ("the other
    girl", "the youngest boy")."""
    other_gender = gender is not None and previous.gender is not None and gender != previous.gender
    other_kind = bool(_MACHINE.search(who.lower())) != bool(_MACHINE.search(previous.who.lower()))
    # ("1girl, giant robot": a machine is not the girl said again; "the baby …; mom
    # has …": one relation is not another.)
    heads = {_key(_head(who)), _key(_head(previous.who))}
    other_relation = len(heads) == 2 and heads <= _RELATIONS
    return other_gender or other_kind or other_relation or _APART.search(who.lower()) is not None


def _apposition(region: str, previous: _Trigger, start: int) -> bool:
    """ "his assistant, a young woman", "The knight, an older woman": the one just said,
    said again — not of the other gender ("the boy, a girl")."""
    between = region[previous.end : start]
    said = region[start : start + 4].lower()  # (the trigger may hold its article)
    if re.fullmatch(r"\s*,\s*(?:(?:a|an)\s+(?:\w+\s+)?)?", between.lower()) is None or not (
        re.match(r"an?\s", said) or re.search(r"\b(?:a|an)\s+(?:\w+\s+)?$", between.lower())
    ):
        return False
    before = region[: previous.end].lower()
    if not re.search(r"\b(?:his|her|their|my|the)\s+(?:\w+\s+)?\w+\s*$", before):
        return False
    first = _gender_of(region[previous.start : previous.end])
    second = _gender_of(region[start : start + 40].split(",")[0])
    return first is None or second is None or first == second


#: Words that say a person is another of their kind ("the other girl", "right girl").
_ORDER: Final = re.compile(
    r"\b(?:other|another|first|second|third|last|next|left|right|middle|cent(?:er|re))\b"
)


#: Who is the elder of two of a kind, and who the younger.
_ELDER: Final = frozenset({"older", "oldest", "eldest", "elder", "big", "bigger"})
_YOUNGER: Final = frozenset({"younger", "youngest", "little", "baby", "small", "lil"})


_OLD: Final = re.compile(
    r"\b(?:old|elderly|grandfather|grandpa|grandmother|grandma|granny|father|dad|mother|mom"
    r"|mum|uncle|aunt|man|woman|lady|gentleman)\b"
)
_YOUNG: Final = re.compile(
    r"\b(?:boy|girl|kid|child|son|daughter|grandson|granddaughter|nephew|niece|baby"
    r"|toddler|little|young)\b"
)


def _age(who: str) -> str | None:
    """Whether ``who`` says an elder ("grandfather", "old man") or a child ("the boy",
    "grandson"), or neither."""
    lowered = who.lower()
    if _YOUNG.search(lowered) and not re.search(r"\bold\b", lowered):
        return "young"
    return "old" if _OLD.search(lowered) else None


def _contrary(one: str, other: str) -> bool:
    """Whether two people of a kind are said apart by age ("older" and "younger")."""
    a, b = set(_key(one).split()), set(_key(other).split())
    return bool((a & _ELDER and b & _YOUNGER) or (a & _YOUNGER and b & _ELDER))


def _head(who: str) -> str:
    """The noun that says what a person is ("older brother" → "brother")."""
    words = _key(who).split()
    return words[-1] if words else ""


def _key(who: str) -> str:
    """How a character is looked up: in lower case, a name without its honorific
    ("Haruto-kun" is Haruto), a short word for a relative as the word ("my sis" is "my
    sister" said again)."""
    words = re.sub(rf"-(?:{HONORIFICS})$", "", who.lower()).split()
    if words:
        words[-1] = _SHORT.get(words[-1], words[-1])
    return " ".join(words)


#: Short words for relatives, to the word a prompt may say first.
_SHORT: Final = {
    "sis": "sister", "bro": "brother", "mom": "mother", "mum": "mother", "mama": "mother",
    "mommy": "mother", "dad": "father", "papa": "father", "daddy": "father",
    "granny": "grandma", "gran": "grandma", "gramps": "grandpa",
}  # fmt: skip


def _resolve(build: _Builder, gender: str | None) -> int | None:
    """The character a pronoun means: the one of its gender (the last said), else the
    first not yet known to be either ("Lin & Mateo …, her: …" is Lin)."""
    last = build.recent[-1] if build.recent else None
    if last is not None and last not in build.placeholders and build.members[last].gender == gender:
        return last  # "First girl is Sakura, she has …": the one just named
    for i in build.placeholders:  # "two girls and a boy … she has …": the first girl
        if build.members[i].gender == gender:
            build.placeholders.remove(i)
            build.counted.discard(i)
            return i
    for i in reversed(build.recent):  # the last spoken of ("Grandfather is …, he wears")
        if build.members[i].gender == gender:
            return i
    for i in range(len(build.members) - 1, -1, -1):
        if build.members[i].gender == gender:
            return i
    for i, member in enumerate(build.members):
        if member.gender is None and not member.animal:  # (a pronoun is no pet's)
            build.members[i] = replace(member, gender=gender)
            if i in build.placeholders:  # "two friends … she has …": she is one of them
                build.placeholders.remove(i)
                build.counted.discard(i)
            return i
    return None


def _clause_ends(region: str) -> list[int]:
    return [m.end() for m in _CLAUSE.finditer(region)]


def _acts(piece: str) -> bool:
    """Whether a piece says what someone does (its first word an -ing verb)."""
    words = re.findall(r"[a-z]+", piece.lower())
    return bool(words) and words[0].endswith("ing") and words[0] not in ("wearing", "holding")


def _gender_of(text: str) -> str | None:
    for word, gender in PEOPLE.items():
        if gender and re.search(rf"\b{re.escape(word)}\b", text.lower()):
            return gender
    return None


def _finish(build: _Builder) -> Cast:
    """Each character's clauses sorted into parts; the scene's parts go to the scene."""
    shared: dict[str, list[str]] = {}
    owned: list[dict[str, list[str]]] = []
    folded = _fold_animals(build)
    for index, clauses in enumerate(build.clauses):
        parts: dict[str, list[str]] = {}
        joint = [piece for i, piece in build.joint if i == index]
        names = _own_names(build, index)
        for clause in [*(names.sub("", c) for c in clauses), *joint]:
            about = clause in build.about.get(index, ())
            for part, phrases in _parts(clause).items():
                for phrase in phrases:
                    if about and part == "mood":  # "a cheerful girl": her expression
                        parts.setdefault("expression", []).append(phrase)
                    elif part in SCENE_PARTS:
                        build.scene.setdefault(part, []).append(phrase)
                    elif TOGETHER.search(phrase) or (clause in joint and part in _DOING):
                        shared.setdefault(part, []).append(phrase)
                    else:
                        parts.setdefault(part, []).append(phrase)
        owned.append(parts)
    # A tag list after "2girls" gives each its tags in turn: a second hair colour is
    # the next girl's ("blonde hair, blue eyes, black hair, red eyes").
    # (A hair's colour starts the next girl; its cut or style — "hime cut", "twin
    # braids" — stays with the girl whose colour was said.)
    slots = [i for i in range(len(build.members)) if i in build.counted]
    slot = 0
    kinds: dict[int, set[str]] = {}
    # ("1girl, 1boy, BREAK …, BREAK …": each one-count tag is a region's too, and one
    # a region's own word named.)
    by_region = _regions_to_slots(build, sorted({*slots, *build.tagged}))
    for piece, region in (
        *((p, None) for p in build.shared),
        *zip(build.loose, build.loose_regions, strict=True),
    ):
        for part, phrases in _parts(piece).items():
            for phrase in phrases:
                if part in SCENE_PARTS:
                    build.scene.setdefault(part, []).append(phrase)
                elif region in by_region and not (TOGETHER.search(phrase) or _MANY.match(phrase)):
                    # "2girls, … BREAK blonde hair, maid outfit BREAK black hair, …": each
                    # region's tags are its girl's.
                    owned[by_region[region]].setdefault(part, []).append(phrase)
                elif (
                    slots
                    and part in _LOOKS
                    and not (TOGETHER.search(phrase) or _MANY.match(phrase))
                ):
                    kind = _look_kind(part, phrase)
                    if kind in kinds.get(slot, set()) and slot + 1 < len(slots):
                        slot += 1
                    if kind != "hair style":
                        kinds.setdefault(slot, set()).add(kind)
                    owned[slots[slot]].setdefault(part, []).append(phrase)
                else:
                    shared.setdefault(part, []).append(phrase)
    placed = [
        replace(
            m,
            who=_placed_name(m.who, build.positions.get(i)),
            parts=parts,
            position=build.positions.get(i),
        )
        for i, (m, parts) in enumerate(zip(build.members, owned, strict=True))
        if i not in folded
    ]
    # Left to right: one said to stand on the left comes first, on the right last; the
    # rest keep the order they were named in.
    members = tuple(sorted(placed, key=lambda m: _PLACES.get(m.position or "middle", 1)))
    flat = tuple(p for phrases in shared.values() for p in phrases)
    scene = tuple(p for phrases in build.scene.values() for p in phrases)
    return Cast(members, flat, scene, shared, build.scene)


def _placed_name(who: str, position: str | None) -> str:
    """A character said only as "the one" or "the other", called by where they stand
    when it is said ("the one on the left"), so two of them are told apart."""
    if position is None or not re.fullmatch(r"(?:the\s+)?(?:other\s+one|other|one)", who, re.I):
        return who
    return "the one in the middle" if position == "middle" else f"the one on the {position}"


#: Keys of characters that are no names ("me", "the eldest", "one").
_NOT_NAME_KEYS: Final = re.compile(r"(?:me|one|eldest|oldest|youngest|middle|the .*)$")


def _own_names(build: _Builder, index: int) -> re.Pattern[str]:
    """A character's own names, to take out of the words said of them: "his partner Yuki
    checks her revolver" is about checking a revolver, not snow ("yuki")."""
    names = {k for k, i in build.aliases.items() if i == index} | {_key(build.members[index].who)}
    # (A name is one word: "serious boy" and "character 1" are how they were brought in.)
    names = {
        n
        for n in names
        if n
        and " " not in n
        and n not in PEOPLE
        and n not in ANIMALS  # ("kitten": what it is, not its name)
        and not _ORDER.search(n)
        and not _NOT_NAME_KEYS.match(n)
    }
    if not names:
        return re.compile(r"(?!)")
    words = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    return re.compile(rf"(?<![^\W\d_])(?:{words})(?:-(?:{HONORIFICS}))?(?![^\W\d_])", re.I)


def _regions_to_slots(build: _Builder, slots: list[int]) -> dict[int | None, int]:
    """For a count tag's characters ("2girls") said in ``BREAK`` regions, the character
    each region describes: the regions that say how someone looks, in order, when there
    are as many as characters (the first region, without a look, is the common prompt)."""
    if len(slots) < 2:
        return {}
    looks = sorted(
        {
            region
            for piece, region in zip(build.loose, build.loose_regions, strict=True)
            if any(
                part in _LOOKS and not all(_MANY.match(p) or TOGETHER.search(p) for p in phrases)
                for part, phrases in _parts(piece).items()
            )
        }
    )
    # (An animal a region's own words bring in, "BREAK baby dragon, …", has its region
    # though its words are its own, not loose.)
    looks = sorted(
        {*looks, *(r for i in slots if i in build.animals for r in build.brought_in.get(i, ()))}
    )
    if len(looks) != len(slots) or len(set(build.loose_regions)) < 2:
        return {}
    # One a region brings in by its own word ("… BREAK blonde hair, gyaru, cardigan")
    # is that region's; the others' regions go to the rest in order.
    fixed: dict[int | None, int] = {
        region: slot
        for slot in slots
        for region in build.brought_in.get(slot, set())
        if region in looks and len(build.brought_in[slot]) == 1
    }
    rest = [slot for slot in slots if slot not in fixed.values()]
    free = [region for region in looks if region not in fixed]
    return {**fixed, **dict(zip(free, rest, strict=False))}


def _look_kind(part: str, phrase: str) -> str:
    """What of a look a tag says, to tell when a tag list moves on to the next
    character: the eyes, the hair's colour (its cut or style does not move on), or the
    part."""
    lowered = phrase.lower()
    if re.search(r"\beyes?\b", lowered):
        return "eyes"
    if part == "hair":
        coloured = any(re.search(rf"\b{re.escape(c)}\b", lowered) for c in vocab.COLORS)
        return "hair colour" if coloured else "hair style"
    return part


#: Danbooru's tags that count the characters again ("multiple girls"): no one's look.
_MANY: Final = re.compile(r"(?:multiple|several|many)\s+(?:girls|boys|others|people)$", re.I)


def _trim(text: str) -> str:
    """``text`` without the punctuation around it, and without a bracket that lost its
    pair when the prompt was cut into clauses — a whole "(blonde hair:1.2)" keeps its
    brackets, so the parser reads the weight."""
    text = text.strip(" ,;.!?\n&")
    if text.count("(") != text.count(")"):
        # "black gothic dress:1.1)": the last tag of a weighted group, its weight said
        # of the group — not of the tag.
        text = re.sub(r"\s*:\s*\d+(?:\.\d+)?\s*(?=\)\s*$)", "", text)
    while text and (
        (text[0] == "(" and ")" not in text)
        or (text[-1] == ")" and "(" not in text)
        or (text[0] in "()" and text.count("(") != text.count(")"))
    ):
        text = (text[1:] if text[0] in "()" else text[:-1]).strip(" ,;.!?\n&")
    return text


def _parts(text: str) -> dict[str, list[str]]:
    """``text`` sorted by the parser: its phrases by part, details as "details"."""
    text = _trim(text)
    if not text:
        return {}
    parsed = parse_prompt(text)
    out = {p: list(v) for p, v in parsed.parts.items() if v}
    if parsed.quality:
        out["quality"] = list(parsed.quality)
    if parsed.details:
        out["details"] = list(parsed.details)
    return out
