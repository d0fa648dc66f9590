"""What the drawing shows of the prompt, phrase by phrase: `report` gives each placed
phrase with what drew it (``drawn``) and the phrases it does not show (``not_drawn``);
pronouns, names, fillers and quality tags are in neither."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Final

from sakuga.engines.draw import catalogue
from sakuga.engines.draw.catalogue import COLOR_RGB
from sakuga.engines.draw.parts.figure import frilled_top, has_tail, wears_shorts, wears_skirt
from sakuga.engines.draw.parts.things import SITTING_TAILS
from sakuga.engines.draw.things import (
    FLOWN,
    IN_HAND,
    LOOKS_NOT_DRAWN,
    LYING_BY,
    MODIFIED_NOUN,
    SHOWN_ACTS,
    TOOLS,
    UNDER_LYING,
    on_a_table,
)
from sakuga.engines.draw.traits import (
    ADULT_YEARS,
    BEARD_NAMES,
    BRAWNY,
    FACIAL_HAIR,
    FRILLS,
    HEAVY,
    MATERIALS,
    MIDDLE_AGED,
    NOBODY_SAID,
    OVERCAST,
    SAILOR_SCARF,
    SASH,
    SHORTS_NOUNS,
    WORN_SCARF,
    Traits,
    brandished,
    said_off,
    traits_from_spec,
)
from sakuga.engines.draw.words import (
    AT_CAMERA,
    ATMOSPHERE,
    DRAWN,
    GESTURE_WORDS,
    HOMEWARD,
    HOT_SPRING,
    NOT_WORN,
    OUTFIT_WORDS,
    PERSON,
    PRINTS,
    SEVERAL,
    SKIN_TONES,
    SKIRT_WORDS,
    colour_pattern,
    coloured_backdrop,
    glossed,
    hand_drawn,
    pick,
    placed_things,
    said_pattern,
)
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import POSITION
from sakuga.prompt.lexicon import names_in
from sakuga.prompt.parse import AGE_DECADE, unread
from sakuga.prompt.uses import USES

#: What a thing is made of or how it looks, which the flat drawing does not show.
_UNDRAWN: Final = frozenset(
    ["holographic", "transparent", "translucent", "see-through", "wet", "burning",
     "metallic", "shiny", "glittery", "sequined", "lace", "lacy", "frilly", "frills",
     "ripped", "torn", "striped", "plaid", "checkered", "polka", "floral", "camo",
     "camouflage", "leopard", "velvet", "satin", "silk", "embroidered", "tattered",
     "muddy", "bloody", "wounded", "dirty", "sweaty", "ruins", "ruined", "glowing",
     "crowded", "crowd", "busy", "bustling", "packed", "leather", "curly", "wavy",
     "frizzy", "afro", "dreadlocks", "dreads", "permed", "undercut", "mohawk",
     "puffy", "oversized", "baggy", "loose", "beard", "bearded", "mustache", "moustache",
     "goatee", "stubble", "sideburns", "goldfish-scooping",
     # What is done with a thing held, which the drawing (holding it) does not act out.
     "hammering", "forging", "sharpening", "polishing", "tossing", "throwing", "swinging",
     "firing", "shooting", "chopping", "slicing", "stirring", "juggling", "flipping"]
)  # fmt: skip


#: Where a person is from, which the one anime face and the default skin do not show
#: (a skin tone said is drawn): reported, never claimed.
_PEOPLES: Final = frozenset(
    ["indian", "african", "nigerian", "ethiopian", "kenyan", "arab", "arabic", "persian",
     "latina", "latino", "latinx", "mexican", "brazilian", "filipino", "filipina",
     "indonesian", "thai", "vietnamese", "korean", "chinese", "european", "scandinavian",
     "russian", "irish", "scottish", "italian", "spanish", "greek", "turkish", "egyptian",
     "moroccan", "pakistani", "bangladeshi", "nepali", "hawaiian", "samoan", "maori",
     "aboriginal"]
)  # fmt: skip


#: Festivals of other cultures than the summer matsuri `draw` paints: said, reported.
OTHER_FESTIVAL: Final = re.compile(
    r"\b(?:diwali|deepavali|holi|christmas|xmas|halloween|oktoberfest|mardi gras|carnival|"
    r"chinese new year|lunar new year|eid|hanukkah|day of the dead|dia de los muertos)\b"
)


#: A body said of a person that the one slim build draws does not show: reported.
_BODY: Final = frozenset(
    ["muscular", "buff", "burly", "brawny", "beefy", "chubby", "plump", "fat", "stocky",
     "tall", "towering", "petite", "curvy", "lanky", "hulking"]
)  # fmt: skip


#: Words around a library thing that say nothing more to draw ("with a", "on her lap").
_FILLER: Final = frozenset(
    [
        "a",
        "an",
        "fresh",
        "the",
        "and",
        "with",
        "of",
        "some",
        "two",
        "three",
        "few",
        "her",
        "his",
        "their",
        "my",
        "its",
        "on",
        "in",
        "at",
        "by",
        "next",
        "to",
        "beside",
        "near",
        "nearby",
        "lap",
        "shoulder",
        "head",
        "feet",
        "side",
        "holding",
        "holds",
        "hugging",
        "carrying",
        "cradling",
        "clutching",
        "cuddling",
        "hand",
        "hands",
        "face",
        "cheek",
        "cheeks",
        "forehead",
        "arm",
        "arms",
        "little",
        "small",
        "big",
        "cute",
        "fluffy",
        "riding",
        "rides",
        "ride",
        "astride",
        "many",
        "lots",
        "several",
        "ball",
        "bunch",
        "pile",
        "piece",
        "slice",
        "pair",
        "handful",
        "stack",
        "bundle",
    ]
)


#: Words that ask or point rather than describe: a phrase of only these and fillers
#: ("i want", "plz make it pretty", "she", "them") is neither drawn nor reported.
_CHATTER: Final = frozenset(
    [
        "structured",  # "structured: character: …": how the prompt is laid out
        "drawn",  # "her cat, drawn as a catboy": how one is drawn, said of another phrase
        "i",
        "i'd",
        "i'm",
        "want",
        "wanna",
        "would",
        "like",
        "please",
        "pls",
        "plz",
        "make",
        "it",
        "its",
        "pretty",
        "nice",
        "she",
        "he",
        "they",
        "them",
        "him",
        "her",
        "his",
        "there",
        "is",
        "are",
        "was",
        "be",
        "can",
        "could",
        "u",
        "you",
        "draw",
        "me",
        "my",
        "oc",
        "mine",
        "this",
        "that",
        "these",
        "those",
        "one",
        "thx",
        "thanks",
        "thank",
        "ty",
        "much",
        "hello",
        "hi",
        "hey",
        "lol",
        "so",
        "very",
        "really",
        "just",
        "also",
        "too",
        # Grammar a phrase leans on without saying what to draw ("she look at…", "he
        # have…"), and where something is, which its own phrase draws ("in the
        # background", "far away", "in the distance").
        "shes",
        "hes",
        "she's",
        "he's",
        "she’s",
        "he’s",
        "they're",
        "they’re",
        "it's",
        "it’s",
        "there's",
        "look",
        "looks",
        "have",
        "has",
        "coming",
        "come",
        "comes",
        "still",
        "up",
        "background",
        "backround",
        "bg",
        "far",
        "distance",
        "away",
        "pls",
        "waifu",
        "husbando",
        "sona",
        "fursona",
        # What the picture is for, said before what to draw ("avatar for my channel:",
        # "poster brief:"), and that two do a thing together.
        "channel",
        "brief",
        "commission",
        "request",
        "together",
    ]
)


#: Words after which the prompt gives a name ("oc kaito", "my waifu mirai", "named
#: Hana"): a name is neither drawn nor reported.
_NAMED: Final = re.compile(
    r"\b(?:oc|named|called|name is|name's|waifu|husbando|sona|character)\s+([a-z][a-z'-]+)"
)


#: Shorts said alone, in a colour or a cloth ("shorts", "a pair of blue denim shorts").
SHORTS_SAID: Final = re.compile(rf"(?:[a-z-]+\s+){{0,5}}(?:{SHORTS_NOUNS})")
#: Stars or clouds said alone ("stars", "fluffy white clouds", "a starry sky").
_SKY_SAID: Final = re.compile(
    r"(?:(?:lots of|many|some|a few|bright|twinkling|shining|fluffy|white|puffy|big|soft)\s+)*"
    r"(?:(?P<stars>stars|starry sky|starry night|starlight)|clouds)"
)
#: An age said alone of a character drawn old ("the grandpa is old").
_OLD_SAID: Final = re.compile(r"(?:(?:very|quite|really|so)\s+)?(?:old|elderly|aged)")
#: An age in years said alone ("about 6", "aged 7", "5 years old"), and the oldest
#: drawn as a child.
_AGE_SAID: Final = re.compile(
    r"(?:(?:about|around|maybe|only|age|aged|like)\s+)?(\d{1,2})(?:\s*(?:years?|yrs?)(?:\s+old)?|\s*yo)?"
)
_CHILD_AGE: Final = 10


#: What stands up from the ground, out of view from above over a figure lying on it.
UPRIGHT: Final = frozenset(
    ("tree", "trees", "forest", "woods", "mountain", "mountains", "sky", "skyline", "building",
     "buildings", "tower", "torii", "shrine", "temple", "castle", "lighthouse", "house")
)  # fmt: skip


def names(spec: ArtSpec) -> frozenset[str]:
    """The names ``spec``'s prompt gives its characters."""
    text = " ".join([spec.text or "", *spec.parts().values(), *spec.details]).lower()
    said = {n.lower() for n in names_in(spec.text or "")}  # "Sora has …", "Aiko and Sora"
    found = set(_NAMED.findall(text)) | said
    return frozenset(n for n in found if n not in _FILLER and n not in _CHATTER)


#: Words that open a phrase without saying anything of the picture ("please make girl",
#: "in my story aiko is a shy librarian", "he is leaning"), and words that end one so
#: ("pink short hair she is"): trimmed off what the report names.
_OPENERS: Final = frozenset(
    {
        "please", "pls", "plz", "make", "draw", "create", "generate", "i", "i'd", "want",
        "wanna", "would", "like", "can", "could", "u", "you", "me", "my", "our", "oc",
        "in", "story", "picture", "pic", "of", "a", "an", "the", "is", "are", "was",
        "she", "he", "they", "it", "there",
    }
)  # fmt: skip


#: Words around the weather and time a place is drawn in that name no place of their
#: own ("a snowy day", "heavy rain outside", "under the night sky").
_SETTING: Final = frozenset(
    {
        "day", "days", "time", "weather", "scene", "scenery", "outside", "outdoors",
        "outdoor", "sky", "skies", "light", "lights", "air", "heavy", "soft", "gentle",
        "falling", "beautiful", "dark", "bright", "cold", "warm", "under",
        "during", "through", "from", "into", "over", "around", "while", "season",
        "landscape", "setting", "atmosphere", "vibe", "vibes", "aesthetic", "late",
        "early", "covered", "clear", "starry", "full", "moon", "stars", "clouds",
        "cloudy", "everywhere", "blood", "swirl", "swirls", "swirling", "drift", "drifts",
        "drifting", "fall", "falls", "blow", "blows", "blowing", "dance", "dancing",
        "flutter", "flutters", "fluttering", "scatter", "scattered", "scattering",
    }
)  # fmt: skip


_CLOSERS: Final = frozenset({"she", "he", "they", "it", "is", "are", "was", "and"})


def _trimmed(phrase: str, named: frozenset[str]) -> str:
    """``phrase`` without the words at either end that say nothing ("please make girl"
    is "girl", "oc renji is a grumpy swordsman" is "grumpy swordsman", "pink short hair
    she is" is "pink short hair"), so a report names what was asked for; unchanged when
    nothing would be left."""
    words = phrase.split()

    def bare(word: str) -> str:
        return word.lower().strip(".,!?;:")

    start, end = 0, len(words)
    while start < end and (bare(words[start]) in _OPENERS or bare(words[start]) in named):
        start += 1
    while end > start and bare(words[end - 1]) in _CLOSERS:
        end -= 1
    return " ".join(words[start:end]) if start < end else phrase


#: Garments worn over another that nothing draws over it: a cape over armour.
_OVER: Final = frozenset({"cloak"})


#: Words that put the picture outdoors or indoors.
_OUTDOORS: Final = ("outdoors", "outdoor", "open-air", "open air", "terrace", "patio")
_INDOORS: Final = ("indoors", "indoor")


#: Hair textures drawn as waves on long hair and a bob (`Traits.waves`).
_WAVES: Final = frozenset({"wavy", "curly", "permed"})


#: Each place word, and the places it names: those of built places and landmarks (a
#: temple, a cafe, a station, a beach). Open scenery's words (sky, trees, a park, a
#: meadow, stars) and words with other senses ("fair", "light", "coffee") are left
#: out: most places draw a sky or trees of their own.
_OPEN_SCENERY: Final = frozenset(
    {"sky", "plain", "hill", "sakura", "flowers", "space", "forest", "tree"}
)
_PLACE_OF: Final[dict[str, frozenset[str]]] = {
    word: frozenset(e.name for e in catalogue.ALL_PLACES if word in e.words)
    for word in catalogue.words(catalogue.ALL_PLACES)
    if word not in ("light", "neon", "fair", "coffee", "room", "inside", "indoors")
    and not any(word in e.words for e in catalogue.ALL_PLACES if e.name in _OPEN_SCENERY)
}


#: What a dish of the library shows of itself (a steaming bowl: its bowl, chopsticks).
_DISH_SHOWS: Final[dict[str, frozenset[str]]] = {
    "steaming-bowl": frozenset({"chopsticks", "bowl-with-spoon"}),
}

#: The flower field's place words for its own kinds (`FIELD_FLOWERS`): said with
#: another place drawn, not drawn ("sunflowers along the road" on a hill).
_FIELD_FLOWERS: Final = frozenset({"sunflower", "lavender field"})

#: The parts said of a figure: with no one in the picture, none of them is drawn.
_FIGURE_PARTS: Final = frozenset({"character", "hair", "eyes", "outfit", "expression", "pose"})


def _motif(phrase: str, words: tuple[str, ...], prints: set[str]) -> str | None:
    """What a garment is said to have on it that the drawing does not paint ("with
    white cranes", "with gold trim"): None when it names a part drawn or a print drawn."""
    tail = re.search(r"\bwith\s+(?:(?:an?|the|some)\s+)?([a-z][a-z' -]*)$", phrase.lower())
    if tail is None:
        return None
    said = tail.group(1).strip()
    if said_pattern(words).search(said) or any(
        PRINTS.get(w) in prints for w in re.findall(r"[a-z-]+", said)
    ):
        return None
    return said


def _other_garment(hit: str, traits: Traits) -> str | None:
    """The kind of an over-garment ``hit`` names (a cape) when the figure wears
    something else, which is drawn alone; else None."""
    kind = pick(hit, OUTFIT_WORDS, "")
    drawn = kind == traits.outfit or traits.cape_color is not None
    return kind if kind in _OVER and not drawn else None


def _pose_left(phrase: str, hits: list[str], words: tuple[str, ...]) -> str:
    """What a pose phrase says besides the pose words that drew it: its other
    content words, run together ("kotatsu eating mandarin orange"); "" if none."""
    known = {w for said in (*words, *hits) for w in said.split()}
    # A cup's contents are drawn as the cup ("holding a cup of green tea").
    lower = re.sub(rf"\b({'|'.join(_VESSELS)})s? of (?:[a-z-]+ )?[a-z-]+", r"\1", phrase.lower())
    left = said_pattern(tuple(hits)).sub(" ", lower)
    return " ".join(_content_words(left, known, COLOR_RGB, _POSE_SAYS))


def _content_words(text: str, *skip: Collection[str]) -> list[str]:
    """The words of ``text`` that say something: not fillers, chatter or the words
    of a setting, nor in any of ``skip``."""
    return [
        w
        for w in re.findall(r"[a-z][a-z'-]*", text)
        if not _quiet(w) and w not in _SETTING and not any(w in words for words in skip)
    ]


def _quiet(word: str) -> bool:
    """Whether ``word`` says nothing to draw of its own: a filler, chatter, or the shape
    of the thing drawn ("a diamond-shaped kite")."""
    return word in _FILLER or word in _CHATTER or word.endswith("-shaped")


#: Words a pose phrase uses that say where or how, not what ("in", "at", "on"), and
#: how a drawn gesture is done ("raised high", "waving goodbye", "fists clenched").
_POSE_SAYS: Final = frozenset(
    " ".join(
        (
            "in at on to into onto by near under over from up down out off while as its his",
            "her their my your one each other both is are was being just then slightly",
            "gently alone forward forwards high goodbye hello clenched edge chest taking",
            "making together home carries carrying holds holding huge raised giving gives",
            "doing does showing shows flashing",
        )
    ).split()
)
_VESSELS: Final = ("cup", "mug", "glass", "bowl", "bottle", "can", "teacup")


def says_nothing(phrase: str, named: frozenset[str] = frozenset()) -> bool:
    """Whether ``phrase`` is only pronouns, pleases, fillers and names: it asks for
    nothing to draw, so it is neither drawn nor reported."""
    words = re.findall(r"[a-z0-9'-]+", phrase.lower())
    # A bare number ("17" for an age, a weight's leftover) asks for nothing more; what
    # the picture is for, in chatter ("poster brief", "avatar for my channel"), neither.
    # (A use word is quiet only beside chatter: "holding a poster" asks for a poster.)
    chatter = any(w in _CHATTER for w in words)
    quiet = [w for w in words if w not in USES or not chatter]
    return (not words or bool(quiet)) and all(
        w in _FILLER or w in _CHATTER or w in named or w.isdigit() for w in quiet
    )


#: A tail said alone ("fox ears and tail": the parser keeps "tail" apart), drawn where
#: the figure has one (`parts.figure.has_tail`) and the frame reaches it.
TAIL_ALONE: Final = re.compile(r"(?:(?:and|with)\s+)?(?:(?:a|an|the|her|his|their)\s+)?tails?")


def not_drawn(spec: ArtSpec) -> list[str]:
    """The phrases of ``spec`` (placed or kept as details) that the drawing does not show.

    A phrase counts as drawn when a word the draw engine acts on for its part is in it
    ("long silver hair"), or a thing of the vector library ("a cat on her lap"); "a
    paper crane" is not drawn. See `report`, which also says what drew each phrase.
    """
    return report(spec)[1]


def report(spec: ArtSpec, traits: Traits | None = None) -> tuple[list[dict[str, str]], list[str]]:
    """(drawn, not drawn): each phrase of ``spec`` the drawing shows, with what drew it
    ("hair: silver", "library: cat, on the lap"), and the phrases (or what is left of
    them: "riding" a drawn bicycle) it does not show. ``traits``: ``spec``'s, when the
    caller has them already."""
    traits = traits or traits_from_spec(spec)  # from the spec as said: it glosses it
    spec = glossed(spec)
    given = names(spec)
    missed: list[str] = []
    drawn: list[dict[str, str]] = []
    told = " ".join([*spec.parts().values(), *spec.details]).lower()
    # What the drawn place shows besides itself (the office's computers, the hangar's
    # robot) is drawn where the prompt names it.
    place_shows = catalogue.SHOWN_BY_PLACE.get(traits.background, ())
    # And the parts of it drawn because they are said (its fireplace, its steps).
    featured = tuple(
        w for f in catalogue.FEATURES if f.name in traits.features for w in (*f.words, *f.shows)
    )
    place_shows += featured
    # Several characters said: draw draws the first (#34); the others are reported.
    several = SEVERAL.search(f"{spec.text or ''} {told}".lower()) is not None
    people: list[str] = []
    things = placed_things(spec)
    drawn_as = {p.vector.name: p for p in traits.things}
    verbs = list(dict.fromkeys(p.verb for p in things if p.verb is not None))
    # A figure that sits is drawn on a bench, one that lies on the ground seen from
    # above (a bench or grass named without them is not drawn).
    seat = {"sit": ("bench",), "lie": ("grass", "ground", "floor", "lawn")}.get(traits.stance, ())
    # Lying is seen from above: the ground, the floor, the bed or the sofa, no window or
    # weather.
    hidden_above = traits.stance == "lie" and traits.pose in ("knees", "full")

    # The prints drawn: the top's (not on a swimsuit), the skirt's where the frame
    # shows the skirt.
    shows_skirt = traits.pose in ("knees", "full")
    prints = {
        said[0]
        for said in (
            traits.top_print if traits.outfit != "swimsuit" else None,
            traits.skirt_print if shows_skirt else None,
        )
        if said is not None
    }
    # Outdoors or indoors, as the place drawn is: said the other way, it is not drawn.
    indoors = catalogue.implied(traits.background, "indoors")
    setting, contrary = (_INDOORS, _OUTDOORS) if indoors else (_OUTDOORS, _INDOORS)
    # A small thing alone is drawn on a table (`ThingPainter.subject_scene`).
    subject = next((p for p in traits.things if p.where == "subject"), None)
    # A meal eaten, at the mouth: what its dish shows of itself is drawn (`_DISH_SHOWS`).
    eaten = next((p.vector.name for p in traits.things if p.where == "mouth"), None)
    table = ("table", "desk", "counter") if subject is not None and on_a_table(subject) else ()
    # Frills said: the lace on a skirt's hem, drawn where the frame shows the hem.
    # (A stage dress's collar, a maid's apron: frilled wherever the frame ends.)
    frilled = traits.frills and ((shows_skirt and wears_skirt(traits)) or frilled_top(traits))
    # A skirt said with another top is drawn where the frame reaches it.
    skirt = SKIRT_WORDS if traits.skirt_color is not None and shows_skirt else ()

    # An action drawn with its tool ("knitting a scarf", "serving tea"): what its entry
    # shows besides itself is drawn by it.
    doing = next((e for e in catalogue.ACTIONS if e.name == traits.action), None)
    done = tuple(sorted(doing.implies)) if doing is not None else ()

    # Pajamas drawn, wherever the parser left their word ("in her pyjamas": the place).
    sleepwear = catalogue.words_of("pajamas", catalogue.GARMENTS) if traits.sleepwear else ()

    # A skin tone said ("brown skin", "dark-skinned"): where they are from is drawn by it.
    skin_said = (
        traits.skin != SKIN_TONES["fair"]
        or re.search(r"\b(?:skin|skinned|complexion)\b", (spec.text or spec.compose()).lower())
        is not None
    )

    def built(word: str) -> bool:
        """Whether a build word is drawn: the body heavier or more muscular."""
        return bool(
            (HEAVY.fullmatch(word) and traits.heft) or (BRAWNY.fullmatch(word) and traits.brawn)
        )

    def check(phrase: str, words: tuple[str, ...], part: str) -> None:
        """Report ``phrase`` unless drawn; the library's things in it are drawn, and
        what is left of it (an action on them, another noun) is judged on its own."""
        phrase = _trimmed(phrase, given)
        lower = phrase.lower()
        if traits.alone and NOBODY_SAID.search(lower):
            drawn.append({"phrase": phrase, "by": "no one in the picture"})
            return
        if traits.sash_color is not None and (sash := SASH.search(lower)) is not None:
            # "white kimono with red obi": the obi drawn in its colour, the rest judged.
            drawn.append({"phrase": sash.group(0), "by": "outfit: the sash"})
            lower = " ".join((lower[: sash.start()] + lower[sash.end() :]).split())
            phrase = lower = re.sub(r"\s+(?:with|and)$", "", lower)
            if not lower:
                return
        if built(lower):
            drawn.append({"phrase": phrase, "by": "character: build"})  # "chubby", a tag
            return
        if TAIL_ALONE.fullmatch(lower) and has_tail(traits) and traits.pose in ("knees", "full"):
            drawn.append({"phrase": phrase, "by": "character: tail"})  # "fox ears and tail"
            return
        if OVERCAST.fullmatch(lower) and traits.overcast and traits.time in (None, "day"):
            drawn.append({"phrase": phrase, "by": "sky: overcast"})  # "overcast", "cloudy"
            return
        if said_off(lower):  # "helmet off", "no glasses": drawn by leaving it off
            drawn.append({"phrase": phrase, "by": "left off, as asked"})
            return
        if part == "hair" and colour_pattern().fullmatch(
            re.sub(r"^(?:light|dark|pale|deep)\s+", "", lower)
        ):
            drawn.append({"phrase": phrase, "by": "hair: its colour"})  # "hair: blonde, short"
            return
        if SHORTS_SAID.fullmatch(lower) and wears_shorts(traits):
            drawn.append({"phrase": phrase, "by": "outfit: shorts"})  # "denim shorts"
            return
        if (sky := _SKY_SAID.fullmatch(lower)) is not None:
            # Stars and clouds are drawn only where the sky shows (an open sky, a room's
            # windows), at their time; space, its station and the moon show stars always.
            sky_place: str = traits.background
            shows_sky = catalogue.implied(sky_place, "open sky") or catalogue.implied(
                sky_place, "indoors"
            )
            dark = traits.time in ("night", "moonlit", "dusk")
            in_sky = (
                sky_place in ("space", "station", "moon") or (shows_sky and dark)
                if sky.group("stars")
                else shows_sky and not dark
            )
            if in_sky:
                drawn.append({"phrase": phrase, "by": "sky"})
            else:
                missed.append(phrase)
            return
        if traits.elderly and _OLD_SAID.fullmatch(lower):  # "the grandpa is old"
            drawn.append({"phrase": phrase, "by": "character: elderly"})
            return
        young = _AGE_SAID.fullmatch(lower)
        if young and traits.build == "chibi" and int(young.group(1)) <= _CHILD_AGE:
            drawn.append({"phrase": phrase, "by": "character: a child"})  # "about 6"
            return
        if young and traits.build == "adult" and int(young.group(1)) >= ADULT_YEARS:
            drawn.append({"phrase": phrase, "by": "character: a grown-up"})  # "30 years"
            return
        if traits.build == "adult" and AGE_DECADE.fullmatch(lower):  # "30s", "in her 50s"
            drawn.append({"phrase": phrase, "by": "character: a grown-up"})
            return
        if traits.middle_aged and MIDDLE_AGED.fullmatch(lower):
            drawn.append({"phrase": phrase, "by": "character: middle-aged"})
            return
        worn_scarf = "scarf" in traits.accessories and WORN_SCARF.search(lower) is not None
        if (
            traits.outfit == "sailor"
            and not worn_scarf
            and (scarf := SAILOR_SCARF.fullmatch(lower)) is not None
        ):
            # The uniform's own scarf: red, or in the colour said of it.
            said = scarf.group(1)  # a colour, another word ("sailor"), or none
            if said not in COLOR_RGB or traits.tie_color is not None:
                drawn.append({"phrase": phrase, "by": "outfit: the sailor uniform's scarf"})
            else:
                missed.append(phrase)
            return
        if (bath := HOT_SPRING.search(lower)) is not None:
            missed.append(bath.group(0))  # no onsen is drawn (nor spring, the season)
            phrase = lower = " ".join(HOT_SPRING.sub(" ", lower).split())
            if says_nothing(lower, given) or lower in ("outdoor", "outdoors", "an outdoor"):
                return
        if (spot := POSITION.search(lower)) is not None:
            # One figure stands where the picture puts it: "on the left" is not drawn.
            missed.append(spot.group(0))
            phrase = lower = (lower[: spot.start()] + lower[spot.end() :]).strip(" ,")
            if not lower:
                return
        beards = [m.group(0) for m in FACIAL_HAIR.finditer(lower)]
        if traits.beard is not None and beards and "sideburns" not in beards:
            # "a grey beard", "a bearded man": the beard is drawn (`FacePainter.beard`).
            rest = colour_pattern().sub(" ", FACIAL_HAIR.sub(" ", lower))
            rest = re.sub(r"\b(?:and|with|a|an|the|his|her|long|short|thick|full|big)\b", " ", rest)
            if not rest.strip(" ,-"):  # "a long grey beard": the phrase is the beard
                drawn.append({"phrase": phrase, "by": f"face: {BEARD_NAMES[traits.beard]}"})
                return
            drawn.append({"phrase": " ".join(beards), "by": f"face: {BEARD_NAMES[traits.beard]}"})
            phrase = lower = " ".join(FACIAL_HAIR.sub(" ", lower).split())
        if FACIAL_HAIR.search(lower):  # "sideburns": neither drawn nor long hair
            person = PERSON.search(lower)
            if part != "character" or person is None:
                missed.append(phrase)
                return
            # "a bearded man": the man is drawn, his beard is not.
            missed.extend(m.group(0) for m in FACIAL_HAIR.finditer(lower))
            phrase = lower = FACIAL_HAIR.sub(" ", lower).strip()
        if OTHER_FESTIVAL.search(lower) and traits.background == "festival":
            # The festival drawn is a Japanese summer matsuri: another culture's is not it.
            missed.extend(m.group(0) for m in OTHER_FESTIVAL.finditer(lower))
            phrase = lower = OTHER_FESTIVAL.sub(" ", lower).strip()
            if not lower:
                return
        if (
            part == "background"
            and re.fullmatch(r"(?:the\s+)?school", lower.strip())
            and traits.background != "classroom"
            and HOMEWARD.search((spec.text or spec.compose()).lower())
        ):  # "walking home from school": the way home is drawn, not the school
            drawn.append({"phrase": phrase, "by": f"background: {traits.background}, the way home"})
            return
        if re.fullmatch(r"(?:(?:her|his|with)\s+)*(?:mouth (?:wide )?open|open mouth)", lower) and (
            traits.expression in ("surprised", "laugh")
        ):  # a surprised face's O, a laugh's open mouth
            drawn.append({"phrase": phrase, "by": f"expression: {traits.expression}"})
            return
        if part == "background" and traits.backdrop is not None and coloured_backdrop(lower):
            drawn.append({"phrase": phrase, "by": "background: plain, in its colour"})
            return
        clauses = re.split(r"\s+and\s+", phrase)
        if len(clauses) > 1 and all(re.search(r"[a-z]ing\b", c.lower()) for c in clauses):
            # Two actions ("eating a crepe and winking"): one drawn is not both.
            for clause in clauses:
                check(clause, words, part)
            return
        if SEVERAL.search(lower):  # draw draws one character (#34): two are not drawn
            missed.append(phrase)
            return
        # A toy train is not the train the scene may draw: reported unless the library
        # has it (then it is found as a thing).
        for toy in re.findall(r"\b(?:toy|model|miniature|plastic)\s+[\w-]+", lower):
            if not any(p.words in toy for p in things):
                missed.append(toy)
                lower = lower.replace(toy, " ")
                phrase = lower
        # An action done with a tool: the tool is in the hand ("sweeping", a broom), but
        # the action itself is not drawn (a broom at the chest is not sweeping): reported.
        for verb, tool in TOOLS.items():
            held = drawn_as.get(tool)
            if held is None or any(  # the tool named in it ("fishing rod"): found as a thing
                re.search(rf"\b{re.escape(w)}\b", lower) for w in held.vector.words if w != verb
            ):
                continue
            if held.where == "held" and re.search(rf"\b{verb}\b", lower):
                missed.append(verb)
                lower = " ".join(re.sub(rf"\b{verb}\b", " ", lower).split())
                phrase = lower
        # Each thing the phrase names, by the words that placed it or by another of its
        # names ("holding frying pan" is the pan "cooking" placed).
        named = []
        for p in things:
            for w in sorted(dict.fromkeys((p.words, *p.vector.words)), key=len, reverse=True):
                # (Not where it names a kind of another noun: "cat ears" is no cat.)
                if re.search(rf"\b{re.escape(w)}(?:e?s)?\b(?!\s+{MODIFIED_NOUN})", lower):
                    named.append(p if w == p.words else replace(p, words=w))
                    break
        for said_as in named:
            if said_as.vector.name not in drawn_as and eaten is not None and not traits.alone:
                # Left out beside a meal eaten (`traits_from_spec`): the dish shows its
                # own bowl and chopsticks; anything else of it is not drawn.
                if said_as.vector.name in _DISH_SHOWS.get(eaten, ()):
                    drawn.append({"phrase": said_as.words, "by": f"library: {eaten}, its own"})
                else:
                    missed.append(said_as.words)
                continue
            # Where the drawing put it (a second thing held goes to the foreground, a
            # thing the room has already is the room's), not where the prompt said; a
            # thing said held and drawn elsewhere is reported as not in the hand (one only
            # named, "a briefcase", drawn set down beside her, is drawn).
            p = drawn_as.get(said_as.vector.name, said_as)
            if (
                said_as.where in IN_HAND
                and said_as.asked_held
                and p.where not in (*IN_HAND, "used")
                and not traits.alone
            ):
                missed.append(f"{said_as.words} in the hand")
            if (
                hidden_above
                and p.where not in IN_HAND | LYING_BY
                and p.vector.name not in UNDER_LYING
                and not traits.alone
            ):
                missed.append(said_as.words)  # lying, seen from above: out of the view
                continue
            where = {
                "held": "held",
                "lap": "on the lap",
                "shoulder": "on a shoulder",
                "mouth": "held to the mouth",
                "played": "played",
                "subject": "the picture's subject",
                "used": f"used in {traits.action}",
            }
            place = where.get(p.where, p.where)
            drawn.append({"phrase": said_as.words, "by": f"library: {p.vector.name}, {place}"})
            for kind in sorted(LOOKS_NOT_DRAWN.get(p.vector.name, ())):
                if re.search(rf"\b{kind}s?\b", lower) and kind not in missed:
                    missed.append(kind)  # "a corgi": a dog is drawn, not a corgi's look
            if p.where == "subject" and said_as.count > 1:
                # The picture's subject is drawn once ("two cats": one cat).
                missed.append(f"{said_as.words}: only one drawn")
        rest = lower
        for p in named:
            between = re.search(
                rf"\b(?:{catalogue.colour_names()})\s+([a-z-]+)\s+{re.escape(p.words)}\b", rest
            )
            if p.colour is not None and between is not None and between.group(1) not in COLOR_RGB:
                # "a red sports car": drawn red, but as the library's car, not the kind.
                missed.append(f"{between.group(1)} {p.words}")
                rest = rest.replace(between.group(0), " ")
            elif p.colour is not None or p.species:  # "a red bicycle", "a red fox": drawn
                rest = re.sub(rf"[a-z-]+\s+(?={re.escape(p.words)}\b)", " ", rest)
            if p.potted:  # "a potted cactus" is drawn in its pot
                rest = re.sub(r"\bpotted\b", " ", rest)
            # Each of its names said (a breed and its kind: "shiba inu (dog)"), with its
            # gloss, if the word is Japanese ("neko (cat)").
            for w in dict.fromkeys((p.words, *p.vector.words)):
                rest = re.sub(rf"\b{re.escape(w)}(?:e?s)?\b(?:\s*\([^)]*\))?", " ", rest)
        for p in named:  # a game's controller in the hands: playing it is drawn
            if p.vector.name == "video-game" and p.where in IN_HAND:
                rest = re.sub(r"\b(?:playing|plays|play|gaming)\b", " ", rest)
            if p.vector.name in FLOWN and p.where == "mount":  # on her broom in the air
                rest = re.sub(r"\b(?:flying|flies|fly)\b", " ", rest)
        # The things' actions ("riding", the dog's "sleeping") are not drawn, wherever
        # the parser put them; what is left of the phrase is judged on its own.
        acted = [v for v in verbs if re.search(rf"\b{v}\b", rest)]
        missed.extend(acted)
        for p in named:  # where the prompt put it, when the drawing could not
            if p.lost is not None and p.lost not in missed:
                missed.append(p.lost)
                rest = rest.replace(p.lost, " ")
        for v in acted:
            rest = re.sub(rf"\b{v}\b", " ", rest)
        for p in named:  # eaten at the mouth, played across the body: the verb is drawn
            shown = [v for v, (where, _) in SHOWN_ACTS.items() if where == p.where]
            rest = re.sub(rf"\b(?:{'|'.join(shown)})\b", " ", rest) if shown else rest
        if named or acted:
            rest = " ".join(w for w in re.findall(r"[a-z0-9'-]+", rest) if not _quiet(w))
            if not rest:
                return
            phrase = rest
        if several and (person := PERSON.search(phrase.lower())):
            word = person.group(0).lstrip("0123456789")
            # The one drawn is the one the traits drew: a boy when drawn masculine.
            other = {"girl", "girls", "woman", "women", "lady"} if traits.masculine else {
                "boy", "boys", "man", "men", "guy"}  # fmt: skip
            if (people and word not in people) or word in other:
                missed.append(phrase)  # "one boy" beside the girl drawn
                return
            people.append(word)
        hits = [
            m.group(1)
            for m in said_pattern((*words, *place_shows)).finditer(phrase.lower())
            if not catalogue.another_thing(phrase, m.group(1))  # "reading glasses"
        ]
        against = [m.group(1) for m in said_pattern(contrary).finditer(phrase.lower())]
        if against and hits:  # "a cafe terrace" drawn as the cafe's room: the terrace is not
            missed.extend(against)
        elif against:
            missed.append(phrase)
            return
        # A place word of a place not drawn ("a temple gate" in a forest) is not drawn:
        # the phrase counts by its other words, and that place is reported.
        elsewhere = [
            h
            for h in hits
            if (h in _PLACE_OF and traits.background not in _PLACE_OF[h] and h not in place_shows)
            # The flower field's own kinds: another place's grass has no sunflowers.
            or (h in _FIELD_FLOWERS and traits.background != "flowers")
        ]
        # ... unless it only says whose a thing the drawn place shows is ("city
        # skyline" over a rooftop: the skyline the rooftop shows is the city's).
        elsewhere = [
            h
            for h in elsewhere
            if not any(
                re.search(rf"\b{re.escape(h)}\s+{re.escape(o)}\b", lower)
                for o in hits
                if o in place_shows
            )
        ]
        if elsewhere and len(elsewhere) < len(hits):
            missed.extend(elsewhere)
        hits = [h for h in hits if h not in elsewhere]
        # The most specific: "silver", not "hair" (the part's own word before a feature
        # of the place: "knitting by the fire" is drawn by the knitting, the fire by it).
        hit = max([h for h in hits if h not in featured] or hits, key=len) if hits else None
        if hit in (*_OUTDOORS, *_INDOORS) and part == "background":
            # "an outdoor hot spring" drawn outdoors: the hot spring is not drawn.
            unplaced = _content_words(said_pattern(tuple(hits)).sub(" ", lower))
            if unplaced:
                missed.append(" ".join(unplaced))
                return
        unknown = catalogue.unknown_kind(phrase, "headwear") or catalogue.unknown_kind(
            phrase, "place"
        )
        if hit is None or unknown or NOT_WORN.search(phrase.lower()):
            foreign = unread(phrase)  # Japanese, Chinese, Korean…: reported, never dropped
            if foreign or not says_nothing(phrase, given):
                missed.append(phrase)  # (a phrase of pronouns and pleases says nothing)
        elif part == "outfit" and _other_garment(hit, traits) is not None:
            missed.append(phrase)  # "a blue cape" over armour: the armour is drawn alone
        elif part == "outfit" and (motif := _motif(phrase, words, prints)) is not None:
            # "a red kimono with white cranes": the kimono is drawn, its cranes are not.
            drawn.append({"phrase": phrase, "by": f"{part}: {hit}"})
            missed.append(motif)
        elif (
            part == "background"
            and hidden_above
            and all(h in ATMOSPHERE or h == "window" for h in hits)
        ):
            missed.append(phrase)  # lying, seen from above: no window shows
        elif part == "background" and hidden_above and (up := [h for h in hits if h in UPRIGHT]):
            # Lying, seen from above: the ground is drawn, nothing that stands on it.
            drawn.append({"phrase": phrase, "by": f"{part}: {hit}, seen from above"})
            missed.extend(up)
        elif part == "background" and hidden_above and "window" in hits:
            drawn.append({"phrase": phrase, "by": f"{part}: {hit}, seen from above"})
            missed.append("window")  # "city window": the ground is drawn, not the window
        else:
            drawn.append({"phrase": phrase, "by": part if hit == part else f"{part}: {hit}"})
            gem = ("glowing", "crystal", "gem", "orb") if traits.prop == "staff" else ()
            said_with = re.search(r"\bwith\s+(?:an?\s+|the\s+)?([a-z][a-z ]*)$", lower)
            if (
                part == "background"
                and said_with is not None
                and not any(re.search(rf"\b{re.escape(h)}", said_with.group(1)) for h in hits)
                and not any(p.words in said_with.group(1) for p in things)
            ):
                missed.append(said_with.group(1))  # "the city with kunai": no kunai drawn
            # (A camera waved or looked at is the viewer: nothing left to draw.)
            posed = AT_CAMERA.sub(r"\1", phrase) if part == "pose" else phrase
            if part == "pose" and (left := _pose_left(posed, hits, (*words, *gem))):
                # "sitting in a kotatsu eating an orange": the sitting is drawn; the
                # kotatsu and the eating, which no word of the pose drew, are not.
                missed.append(left)
            if part == "background" and "(" not in phrase and all(h in ATMOSPHERE for h in hits):
                # "a snowy bridge": the snow is drawn, the bridge is not. (A glossed
                # phrase, "haru (spring) no hi", is drawn as its gloss says.)
                left = said_pattern(tuple(hits)).sub(" ", phrase.lower())
                left = re.sub(rf"\b(?:{catalogue.colour_names()})\b", " ", left)
                nouns = _content_words(left, COLOR_RGB)
                if nouns:
                    missed.append(" ".join(nouns))
            # What it is made of or how it looks, which the drawing does not show
            # ("a holographic jacket" is drawn a jacket): reported on its own.
            said = hit.split() if hit else []
            missed.extend(
                w
                for w in re.findall(r"[a-z-]+", phrase.lower())
                if (
                    w in _UNDRAWN
                    or (part == "character" and w in _BODY and not built(w))
                    or (part == "character" and w in _PEOPLES and not skin_said)
                )
                and w not in said
                and PRINTS.get(w) not in prints
                and not (w in _WAVES and traits.waves and traits.hair_style in ("long", "bob"))
                and not (w == "glowing" and traits.prop == "staff")  # its gem glows
                and not (frilled and FRILLS.fullmatch(w))  # lace on the hem, in the frame
                # "a leather apron": drawn in leather's brown
                and not (w in MATERIALS and traits.apron_color == MATERIALS[w])
            )

    for part, value in spec.parts().items():
        if part in ("style", "use"):
            continue
        words = (*DRAWN[part], *seat, *skirt, *table, *setting, *done, *sleepwear)
        for phrase in re.split(r", |[、，。]", value):  # Japanese commas part phrases too
            if phrase.strip():
                check(phrase.strip(), words, part)
    for d in spec.details:
        for piece in re.split(r"[、，。]", d):  # Japanese and Chinese commas part phrases too
            if piece.strip():
                check(piece.strip(), (*hand_drawn(), *done), "detail")

    def withdraw(unseen: Callable[[dict[str, str]], bool]) -> None:
        """Move the phrases counted drawn that ``unseen`` says cannot be seen."""
        for seen in [x for x in drawn if unseen(x)]:
            drawn.remove(seen)
            missed.append(seen["phrase"])

    if traits.handwear and traits.pose in ("bust", "half") and traits.gesture is None:
        # No hand in the frame: the gloves cannot be seen.
        gloves = said_pattern(catalogue.words(catalogue.HANDWEAR))
        withdraw(lambda x: gloves.search(x["phrase"].lower()) is not None)
    if "eyepatch" in traits.marks and traits.odd_eye is not None:
        # The patch covers one eye: two colours cannot be seen.
        withdraw(lambda x: re.search(r"heterochrom|\b\w+ eye\b", x["phrase"].lower()) is not None)
    # One gesture is drawn. Another said is not ("waving, holding an umbrella": the
    # umbrella is held), and a prop is not in a hand another gesture took ("peace
    # sign, with a sword") — except a thing waved, which is held up ("waving a sword").
    waved = traits.prop is not None and brandished(told, traits.prop, r"wav(?:e|es|ed|ing)")
    unshown = [
        w
        for words, gesture in GESTURE_WORDS
        if gesture != traits.gesture and not (gesture == "wave" and waved)
        for w in words
    ]
    if traits.prop is not None and traits.gesture != "hold":
        unshown += [w for e in catalogue.PROPS if e.paint == traits.prop for w in e.words]
    # One prop is in the hand: another said ("a coffee cup, looking at his phone") is not
    # (what an action shows, "serving coffee", is the action's).
    unshown += [
        w for e in catalogue.PROPS if e.paint != traits.prop for w in e.words if w not in done
    ]
    said_unshown = said_pattern(tuple(unshown))
    for seen in list(drawn):
        if said_unshown.fullmatch(seen["by"].split(": ")[-1]):
            drawn.remove(seen)
            missed.append(seen["phrase"])
        else:
            missed.extend(
                m.group(0)
                for m in said_unshown.finditer(seen["phrase"].lower())
                if not catalogue.another_thing(seen["phrase"], m.group(0))
            )
    if traits.alone:
        # No figure is drawn: what was said of one (a smile, a pose, a hoodie) is not.
        withdraw(lambda x: x["by"].split(":")[0] in _FIGURE_PARTS)
        subject = next((p for p in traits.things if p.where == "subject"), None)
        if subject is not None and subject.vector.name in SITTING_TAILS:
            # A face alone is drawn whole, sitting (`sitting_body`): its sitting is shown.
            for phrase in [m for m in missed if re.fullmatch(r"(?:is\s+)?sitting", m)]:
                missed.remove(phrase)
                drawn.append({"phrase": phrase, "by": f"library: {subject.vector.name}, sitting"})
    missed = list(dict.fromkeys(missed))
    # "table" said again alone after "on the table" was reported: once is enough.
    missed = [m for m in missed if not any(m != o and re.search(rf"\b{re.escape(m)}\b", o)
                                           for o in missed)]  # fmt: skip
    return drawn, missed
