"""ArtSpec → the concrete choices the draw engine makes (hair style, colours, outfit…).

Every part of the prompt maps to something visible. Words are matched against
small vocabularies; colours come from `sakuga.prompt.vocab.COLOR_RGB`. What the
prompt does not say gets a default that suits the style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Final, Literal

from sakuga.engines.draw import catalogue
from sakuga.engines.draw.svg import RGB
from sakuga.engines.draw.things import IN_HAND, SHOWN_ACTS, TOOLS, Placed, find_things
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.lexicon import gloss
from sakuga.prompt.parse import unread
from sakuga.prompt.styles import DEFAULT_STYLE
from sakuga.prompt.vocab import COLOR_RGB

HairStyle = Literal["short", "bob", "long", "twintails", "ponytail", "spiky"]
Expression = Literal[
    "calm", "smile", "laugh", "angry", "sad", "surprised", "wink",
    "singing", "shy", "smug", "determined", "sleepy",
]  # fmt: skip
Outfit = Literal[
    "hoodie", "tshirt", "sailor", "blazer", "kimono", "armor", "dress", "suit", "jacket", "idol",
    "cloak", "apron", "swimsuit", "plugsuit", "sweater", "gakuran",
]  # fmt: skip
Accessory = Literal[
    "headphones", "glasses", "cat_ears", "fox_ears", "wolf_ears", "bunny_ears", "horns", "halo",
    "crown", "wings", "hat", "ribbon", "scarf", "choker", "mask", "tail", "tiara",
]  # fmt: skip
Background = Literal[
    "city", "sakura", "classroom", "sky", "forest", "beach", "cafe", "space", "plain",
    "festival", "stage", "shrine", "rooftop", "train", "library", "castle", "flowers",
    "station", "living", "bedroom", "kitchen", "platform", "hallway", "gym", "hangar", "office",
    "underwater", "ruins", "desert", "shops", "airport", "lighthouse", "hill",
]  # fmt: skip
Lighting = Literal["soft", "golden", "neon", "moon", "dawn", "sunset", "dusk", "night"]
Season = Literal["spring", "summer", "autumn", "winter"]
TimeOfDay = Literal["dawn", "day", "golden", "sunset", "dusk", "night", "moonlit"]
Weather = Literal[
    "rain", "snow", "petals", "leaves", "fog", "sparkles", "confetti", "wind", "hearts",
    "bubbles", "fireflies", "motes",
]  # fmt: skip
Gesture = Literal[
    "wave", "peace", "fist", "point", "hold", "heart", "crossed", "chin", "hip", "salute",
    "cheer",
]  # fmt: skip
Prop = Literal[
    "sword", "katana", "staff", "wand", "umbrella", "microphone", "book", "mug", "phone",
    "flowers", "lantern", "fan", "bow",
]  # fmt: skip
Build = Literal["boy", "girl", "androgynous", "chibi", "adult"]

HAIR_STYLES: Final[tuple[HairStyle, ...]] = (
    "short",
    "bob",
    "long",
    "twintails",
    "ponytail",
    "spiky",
)
EXPRESSIONS: Final[tuple[Expression, ...]] = (
    "calm",
    "smile",
    "laugh",
    "angry",
    "sad",
    "surprised",
    "wink",
    "singing",
    "shy",
    "smug",
    "determined",
    "sleepy",
)
OUTFITS: Final[tuple[Outfit, ...]] = (
    "hoodie",
    "tshirt",
    "sailor",
    "blazer",
    "kimono",
    "armor",
    "dress",
    "suit",
    "jacket",
    "idol",
    "cloak",
    "apron",
    "swimsuit",
    "plugsuit",
    "sweater",
    "gakuran",
)
ACCESSORIES: Final[tuple[Accessory, ...]] = (
    "headphones",
    "glasses",
    "cat_ears",
    "hat",
    "ribbon",
    "scarf",
)
#: Every place draw paints, from its catalogue.
BACKGROUNDS: Final[tuple[Background, ...]] = tuple(
    dict.fromkeys(e.name for e in catalogue.PLACES)  # type: ignore[misc]
)
LIGHTINGS: Final[tuple[Lighting, ...]] = ("soft", "golden", "neon", "moon")

# Keyword → choice, first match wins (longer, more specific words first).
_HAIR_WORDS: Final = (
    (("twin tail", "twintail", "pigtail", "twin-tail", "odango", "space bun"), "twintails"),
    (("ponytail", "pony tail"), "ponytail"),
    # A hime cut is long straight hair (its blunt fringe and cheek-length side locks
    # are the cut's front): long, unless a length is said.
    (("long", "waist", "flowing", "hime cut", "hime-cut", "himecut"), "long"),
    (("bob", "shoulder length", "medium"), "bob"),
    (("spiky", "wild", "wolf cut", "undercut", "mohawk"), "spiky"),
    (("short", "pixie", "cropped", "buzz"), "short"),
)
_EXPRESSION_WORDS: Final = (
    (("singing", "sings", "sing "), "singing"),
    (("sleepy", "drowsy", "yawn", "tired", "sleeping"), "sleepy"),
    (("shy", "blush", "embarrass", "bashful", "flustered"), "shy"),
    (("smug", "smirk", "confident", "cocky", "mischiev"), "smug"),
    (
        ("determined", "resolute", "fierce", "focused", "battle-ready", "serious", "stern"),
        "determined",
    ),
    (("wink",), "wink"),
    (("laugh", "grin", "joyful", "excited", "big smile"), "laugh"),
    (("cry", "sad", "tear", "teary", "melanchol", "lonely"), "sad"),
    (
        ("angry", "furious", "annoyed", "pout", "mad", "tsundere", "grumpy", "scowl", "irritated"),
        "angry",
    ),
    (("surprise", "shock", "wide eye", "wide-eye"), "surprised"),
    (("smil", "happy", "cheerful", "egao", "nikkori", "gentle", "kind", "playful"), "smile"),
    (("calm", "serene", "neutral", "stoic", "cool", "thinking"), "calm"),
)
_OUTFIT_WORDS: Final = (
    (
        ("swimsuit", "swim suit", "swimwear", "school swimsuit", "sukumizu", "bathing suit"),
        "swimsuit",
    ),
    # One-piece suits: a pilot's, an astronaut's, a mechanic's (not a business "suit").
    (
        (
            "plugsuit",
            "plug suit",
            "bodysuit",
            "body suit",
            "catsuit",
            "pilot suit",
            "flight suit",
            "flightsuit",
            "space suit",
            "spacesuit",
            "astronaut suit",
            "jumpsuit",
            "jump suit",
            "coveralls",
            "boiler suit",
        ),
        "plugsuit",
    ),
    (("idol costume", "idol outfit", "stage costume", "idol dress"), "idol"),
    (("armor", "armour", "knight", "plate"), "armor"),  # a cape is worn over it
    (("cloak", "cape", "robe", "mantle"), "cloak"),
    (("apron", "maid"), "apron"),
    (("sailor", "seifuku"), "sailor"),
    (("blazer", "school uniform", "gakuran", "uniform"), "blazer"),
    (("kimono", "yukata", "hakama", "haori"), "kimono"),
    (("dress", "gown", "sundress", "maid"), "dress"),
    (("suit", "tuxedo", "formal", "necktie", "tie"), "suit"),
    (("hoodie", "hooded", "sweatshirt"), "hoodie"),
    (("jacket", "coat", "techwear", "parka", "bomber"), "jacket"),
    (("t-shirt", "t shirt", "tshirt", "tee", "shirt", "top"), "tshirt"),
)
#: The time of day a prompt names (first match wins: "golden hour" before "day").
_TIME_WORDS: Final = (
    (("golden hour", "golden light"), "golden"),
    (("sunset", "evening", "setting sun"), "sunset"),
    (("dusk", "twilight", "blue hour"), "dusk"),
    (("dawn", "sunrise", "daybreak", "morning"), "dawn"),
    (("moonlit", "moonlight", "full moon", "moon"), "moonlit"),
    (("night", "midnight", "starry", "stars", "starlit"), "night"),
    (("noon", "midday", "daytime", "sunny", "day", "afternoon"), "day"),
)
#: The light each time of day casts, when the prompt names no lighting of its own.
TIME_LIGHT: Final[dict[str, str]] = {
    "dawn": "dawn",
    "day": "soft",
    "golden": "golden",
    "sunset": "sunset",
    "dusk": "dusk",
    "night": "night",
    "moonlit": "moon",
}
_WEATHER_WORDS: Final = (
    (("rain", "storm", "drizzle", "downpour", "umbrella weather"), "rain"),
    (("snow", "blizzard", "winter"), "snow"),
    (("petals", "blossoms falling", "falling sakura", "falling blossoms"), "petals"),
    (("falling leaves", "autumn leaves", "leaves falling"), "leaves"),
    (("fog", "mist", "haze"), "fog"),
    (("sparkle", "glitter", "twinkl", "shimmer", "kirakira", "kira kira"), "sparkles"),
    (("hearts", "heart effect", "heart background", "heart particles"), "hearts"),
    (("bubbles", "soap bubbles", "underwater"), "bubbles"),
    (("fireflies", "firefly", "hotaru"), "fireflies"),
    (
        (
            "light particles",
            "particles",
            "dust motes",
            "motes",
            "floating lights",
            "glowing particles",
            "orbs",
            "bokeh",
            "shining dust",
            "dust is shining",
        ),
        "motes",
    ),
    (("confetti",), "confetti"),
    (("wind", "breeze", "windy", "gust"), "wind"),
)

#: What a hand holds (the first match: "katana" before "sword").
#: A hand's gesture; a prop alone means the hand holds it.
_GESTURE_WORDS: Final = (
    (("heart hands", "heart with her hands", "heart with his hands", "hand heart"), "heart"),
    (
        (
            "hand on chin",
            "hand to chin",
            "hand to her chin",
            "hand to his chin",
            "chin in hand",
            "hand under chin",
            "hand under her chin",
            "resting her chin",
            "resting his chin",
            "thinking pose",
        ),
        "chin",
    ),
    (("hand on hip", "hand on her hip", "hand on his hip", "hands on hips", "akimbo"), "hip"),
    (("arms crossed", "crossed arms", "folded arms", "arms folded"), "crossed"),
    (("salute", "saluting", "salutes"), "salute"),
    (
        (
            "cheering",
            "cheers",
            "arms up",
            "hands up",
            "arms raised",
            "both arms up",
            "banzai",
            "hooray",
            "arms in the air",
            "hands in the air",
        ),
        "cheer",
    ),
    (("peace sign", "v sign", "peace"), "peace"),
    (("waving", "wave", "waves", "hello"), "wave"),
    (("pointing", "points at"), "point"),
    (("fist", "punch", "clenching"), "fist"),
)

_LIGHTING_WORDS: Final = (
    (("neon", "magenta", "cyan", "rim"), "neon"),
    (
        (
            "golden",
            "sunset",
            "warm",
            "sunlight",
            "dusk",
            "backlight",
            "sunrise",
            "candlelight",
            "candle",
            "firelight",
            "lamplight",
            "lantern light",
        ),
        "golden",
    ),
    (("moon", "night", "cold", "cool", "blue"), "moon"),
    (("soft", "cinematic", "diffuse", "studio", "natural"), "soft"),
)

_DEFAULT_HAIR_COLOR: Final[dict[str, RGB]] = {
    "cute": (246, 168, 200),
    "cinematic": (58, 44, 40),
    "webtoon": (40, 40, 52),
    "fantasy": (226, 226, 240),
    "cyberpunk": (120, 220, 255),
}
_DEFAULT_OUTFIT_COLOR: Final[dict[str, RGB]] = {
    "cute": (255, 214, 231),
    "cinematic": (60, 66, 84),
    "webtoon": (245, 245, 250),
    "fantasy": (90, 70, 160),
    "cyberpunk": (24, 24, 34),
}
_EYE_DEFAULT: Final[dict[str, RGB]] = {
    "cute": (210, 90, 140),
    "cinematic": (90, 120, 160),
    "webtoon": (70, 90, 140),
    "fantasy": (150, 90, 200),
    "cyberpunk": (0, 200, 230),
}
SKIN_TONES: Final[dict[str, RGB]] = {
    "fair": (255, 228, 212),
    "light": (250, 214, 190),
    "tan": (222, 170, 130),
    "brown": (170, 112, 78),
    "dark": (120, 78, 56),
}


@dataclass(frozen=True)
class Traits:
    """Everything the drawing needs, resolved from the ArtSpec."""

    build: Build = "androgynous"
    hair_style: HairStyle = "short"
    hair_color: RGB = (58, 44, 40)
    eye_color: RGB = (90, 120, 160)
    skin: RGB = SKIN_TONES["fair"]
    expression: Expression = "calm"
    outfit: Outfit = "hoodie"
    outfit_color: RGB = (60, 66, 84)
    accessories: tuple[Accessory, ...] = ()
    accessory_color: RGB = (30, 30, 36)
    masculine: bool = False  # drawn with a man's eyes: a thin lid line, no lashes
    elderly: bool = False  # drawn with the lines of age under the eyes and by the mouth
    eyes_closed: bool = False  # "eyes closed": closed whatever the expression
    season: Season | None = None  # the trees' and the ground's colours outdoors
    trees: str | None = None  # a park's trees: ginkgo, maple, summer, winter (None: cherry)
    headwear: str | None = None  # a `catalogue.HEADWEAR` entry's name
    headwear_color: RGB = (70, 70, 82)
    background: Background = "sky"
    lighting: Lighting = "soft"
    pose: Framing = "bust"
    stance: Stance = "stand"
    facing: Literal["front", "back", "over_shoulder"] = "front"
    turn: float = 0.0  # the head turned (0.55: a three-quarter view), else each version's
    framing_free: bool = False  # neither the prompt nor the use chose the framing
    outfit_free: bool = False  # neither an outfit nor a role said: versions dress it
    style: str = DEFAULT_STYLE
    mood_words: tuple[str, ...] = field(default_factory=tuple)
    time: TimeOfDay | None = None  # None: the scene's own sky
    weather: tuple[Weather, ...] = ()
    gesture: Gesture | None = None  # None: no hand in the picture
    prop: Prop | None = None
    prop_color: RGB | None = None  # the colour the prompt gives what is held
    still: bool = (
        False  # arms down, as asked ("arms down", a reference sheet): no version adds a hand
    )
    #: Things from the vector library, where the prompt puts them (`draw.things`).
    things: tuple[Placed, ...] = ()
    #: Marks on the face (`catalogue.MARKS` paints: freckles, elf ears, a scar…).
    marks: tuple[str, ...] = ()
    #: The image-right eye's colour when it differs from the other (heterochromia).
    odd_eye: RGB | None = None
    #: The moods that grade the whole picture (`catalogue.MOODS` paints), as said.
    moods: tuple[str, ...] = ()
    #: Round glasses ("round glasses", "round spectacles") rather than the default frame.
    round_glasses: bool = False
    #: Headphones worn around the neck, not on the head.
    worn_low: bool = False
    #: A mermaid: a fish's tail in place of legs, in its colour.
    mermaid: bool = False
    tail_color: RGB = (60, 176, 170)
    #: In the air: a jump (the feet above their shadow, both arms up unless said).
    airborne: bool = False
    #: Braids over the shoulders: one ("braid", "braided hair", "plait") or two, one
    #: over each ("twin braids", "two braids", "pigtail braids"); 0: none.
    braids: int = 0
    #: Hair buns: one on the crown ("bun", "topknot"), or two ("twin buns", "odango").
    buns: int = 0
    #: Messy hair: strands astray from whatever its style ("messy", "bedhead", "ahoge").
    messy: bool = False
    #: What the hands wear (a `catalogue.HANDWEAR` paint) and its colour.
    handwear: str | None = None
    handwear_color: RGB = (244, 244, 248)
    #: A robe's lower half in its own colour (a hakama), None: the outfit's.
    lower_color: RGB | None = None
    #: The book held is read: drawn open in front of the chest, its pages to the face.
    reading: bool = False


#: How much of the figure the picture shows: head and shoulders, to the waist, to
#: below the knees (a cowboy shot), or all of it.
Framing = Literal["bust", "half", "knees", "full"]
_FRAMING_WORDS: Final = (
    (("full body", "full-body", "full length", "whole body", "head to toe"), "full"),
    (("knees up", "knees-up", "cowboy shot", "thigh", "three-quarter body"), "knees"),
    (("half body", "half-body", "upper body", "waist up", "waist-up", "half", "standing"), "half"),
    (("bust", "portrait", "close-up", "closeup", "headshot", "head and shoulders"), "bust"),
)
#: The framing each use shows when the prompt asks for none.
USE_FRAMING: Final[dict[str, Framing]] = {
    "poster": "knees",
    "wallpaper": "knees",
    "sheet": "full",
    "social": "half",
}


#: A run is drawn as a walking step (the full figure, a foot lifted): not a run, so
#: these words are reported as not drawn.
_RUNNING: Final = ("running", "runs", "sprinting", "dashing")
#: How the figure holds itself, said anywhere in the prompt.
Stance = Literal["stand", "sit", "walk", "kneel", "lie", "crouch"]
_STANCE_WORDS: Final = (
    (("sitting", "sittin", "seated", "sits", "sit on", "sat on", "on a bench"), "sit"),
    (("kneeling", "kneels", "seiza", "on her knees", "on his knees", "on one knee"), "kneel"),
    (("walking", "strolling", "walks", "stroll", *_RUNNING), "walk"),
    (("lying", "lies on", "laying on", "reclining", "lying down"), "lie"),
    (("crouching", "squatting", "crouched", "crouches", "squats"), "crouch"),
)


_TURN_WORDS: Final = (
    "three-quarter view",
    "three quarter view",
    "3/4 view",
    "three-quarter angle",
    "looking to the side",
    "looking aside",
    "looking away",
    "side glance",
    "half-turned",
)
_OVER_SHOULDER_WORDS: Final = (
    "looking back",
    "looking over her shoulder",
    "looking over his shoulder",
    "looking over their shoulder",
    "looking over the shoulder",
    "looking over shoulder",
    "over the shoulder",
    "over her shoulder",
    "over his shoulder",
    "glancing back",
)
_BACK_WORDS: Final = (
    "from behind",
    "back view",
    "rear view",
    "from the back",
    "facing away",
    "back to the viewer",
    "back turned",
)


def stance(told: str) -> Stance:
    return _pick(told, _STANCE_WORDS, "stand")  # type: ignore[return-value]


def framing(spec: ArtSpec, build: str, held: Stance = "stand") -> Framing:
    """The framing the pose asks for (said anywhere), else one that shows the stance
    (sitting, kneeling, walking: the whole figure), else the use's; a chibi is drawn whole
    (two and a half heads tall, `Canvas.squash`) unless a framing or a use is said."""
    said = f"{spec.pose or ''} {' '.join(spec.details)}".lower()
    on_hip = _pick(said, _GESTURE_WORDS, "") == "hip"
    chosen = _pick(said, _FRAMING_WORDS, "") or (
        "full"
        if held != "stand"
        else "knees"
        if on_hip and USE_FRAMING.get(spec.use or "", "bust") in ("bust", "half")
        else USE_FRAMING.get(spec.use or "", "bust")
    )
    if build == "chibi" and chosen == "knees":
        return "half"
    if build == "chibi" and not _pick(said, _FRAMING_WORDS, "") and not spec.use:
        # A chibi is told by its proportions: drawn whole (two and a half heads tall),
        # unless a framing or a use is asked for (a bust hides what makes it chibi).
        return "full"
    return chosen  # type: ignore[return-value]


def _has(text: str, word: str) -> bool:
    """``word`` at the start of a word in ``text`` ("smil" matches "smiling", not "street")."""
    return re.search(rf"(?<![a-z]){re.escape(word)}", text) is not None


def _pick(text: str, table: tuple[tuple[tuple[str, ...], str], ...], default: str) -> str:
    lowered = text.lower()
    for words, choice in table:
        if any(_has(lowered, w) for w in words):
            return choice
    return default


@cache
def _colour_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])({catalogue.colour_names()})(?![\w-])")


#: A hakama said in no colour (and no role's): a charcoal grey one.
HAKAMA: Final = (72, 74, 86)


def _said_colour(text: str, noun: str) -> RGB | None:
    """The colour said right before ``noun`` ("a purple tail"), or None."""
    hit = re.search(rf"\b([a-z]+)\s+(?:[a-z]+\s+)?{re.escape(noun)}\b", text.lower())
    return COLOR_RGB.get(hit.group(1)) if hit else None


def _colour_near(text: str, nouns: tuple[str, ...] = ()) -> RGB | None:
    """The colour named in ``text``; with ``nouns``, the colour word closest before one."""
    lowered = text.lower()
    hits = [(m.start(), m.group(1)) for m in _colour_pattern().finditer(lowered)]
    if not hits:
        return None
    if nouns:
        for noun in nouns:
            at = lowered.find(noun)
            before = [h for h in hits if h[0] < at] if at >= 0 else []
            if before:
                return COLOR_RGB[before[-1][1]]
    return COLOR_RGB[hits[0][1]]


def _eye_colour(text: str) -> RGB | None:
    match = re.search(r"([a-z ]+?)\s+eye", text.lower())
    if match:
        return _colour_near(match.group(1))
    return None


_MASCULINE: Final = [
    "boy",
    "boys",
    "man",
    "men",
    "guy",
    "guys",
    "gentleman",
    "he",
    "his",
    "him",
    "himself",
    "1boy",
    "2boys",
    "danshi",
    "prince",
    "king",
    "hero",
    "shounen",
    "bishounen",
    "samurai",
    "male",
    "husband",
    "father",
    "dad",
    "brother",
    "salaryman",
    "ikemen",
]
_FEMININE: Final = [
    "girl",
    "girls",
    "woman",
    "women",
    "lady",
    "she",
    "her",
    "hers",
    "herself",
    "1girl",
    "2girls",
    "heroine",
    "princess",
    "queen",
    "witch",
    "maid",
    "shoujo",
    "bishoujo",
    "female",
    "wife",
    "mother",
    "mom",
    "sister",
    "gal",
]


def _words_in(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _gendered(text: str) -> bool:
    said = _words_in(text)
    return bool(said & {*_MASCULINE, *_FEMININE})


#: Who is old: "an old fisherman", "grandma", "elderly" (not "17 years old", "old town").
_ELDERLY: Final = re.compile(
    r"\b(?:elderly|(?<!middle )(?<!middle-)aged|grandma|grandpa|granny|grandmother|grandfather|old-timer|"
    r"senior citizen|(?<!years )(?<!year )(?<!year-)(?<!yrs )old (?!school|town|city|house|houses|book|books|tree|trees|castle|"
    r"temple|street|streets|times|style|fashioned|world|friend|friends|photo|film)[a-z]+)\b"
)
#: Outside the character's own part, "old" makes the character old only on a person
#: ("an old man fishing"): "the window seat of an old library" is no old man's.
_OLD_PERSON: Final = re.compile(
    r"\b(?:elderly|grandma|grandpa|granny|grandmother|grandfather|old-timer|senior citizen|"
    r"old (?:[a-z]+ )?(?:man|men|woman|women|lady|ladies|gentleman|person|people|guy|couple|"
    r"fisherman|samurai|wizard|witch|monk|sailor|king|queen|soldier|knight|master|sensei|"
    r"teacher|warrior|hermit|sage|farmer|captain|swordsman|priest|pirate|ronin))\b"
)


#: More than one character: draw draws one, so these are reported.
_SEVERAL: Final = re.compile(
    r"\b(?:[2-9]\s*(?:girls|boys|others)|(?:two|three|four|several|many) (?:girls|boys|people|"
    r"friends|characters|kids|children|women|men)|couple|duo|trio|siblings|twins|brothers|"
    r"sisters|1boy[\s,]+1girl|1girl[\s,]+1boy|"
    r"(?:girl|boy|man|woman) and (?:a |an |her |his )?(?:girl|boy|man|woman|friend))\b"
)
#: A jump: the figure in the air.
_JUMP: Final = re.compile(
    r"\b(?:jump|jumps|jumping|leap|leaps|leaping|mid-air|midair|in mid air|hopping)\b"
)
#: A character's noun: with several characters said, the first is drawn.
_PERSON: Final = re.compile(
    r"\b(?:\d?girls?|\d?boys?|man|men|woman|women|lady|guy|friend|kid|child|oc)\b"
)
#: Headwear or a thing said as held, not worn ("a helmet under her arm").
_NOT_WORN: Final = re.compile(
    r"\b(?:under|in|beside) (?:her |his |their |one |the |an? )?(?:arm|hand)s?\b"
)
#: What a thing is made of or how it looks, which the flat drawing does not show.
_UNDRAWN: Final = frozenset(
    ["holographic", "transparent", "translucent", "see-through", "wet", "burning",
     "metallic", "shiny", "glittery", "sequined", "lace", "lacy", "frilly", "frills",
     "ripped", "torn", "striped", "plaid", "checkered", "polka", "floral", "camo",
     "camouflage", "leopard", "velvet", "satin", "silk", "embroidered", "tattered",
     "muddy", "bloody", "wounded", "dirty", "sweaty", "ruins", "ruined"]
)  # fmt: skip


#: Words that say the character is a woman or a girl (her hair is long unless said).
_SHE: Final = re.compile(
    r"\b(?:she|her|hers|girl|girls|woman|women|lady|ladies|grandmother|grandma|granny|"
    r"mother|mom|mum|aunt|queen|princess|wife|bride|1girl|onna|joshi|shoujo)\b"
)
_EYES_CLOSED: Final = re.compile(
    r"\b(?:eyes? (?:closed|shut)|closed eyes|(?:close|closes|closed|closing|shut|shuts) (?:her|his|their|my) "
    r"eyes|eyes are closed)\b"
)
#: Season words, the first found deciding: a ginkgo or a maple is autumn's.
_SEASON_WORDS: Final[tuple[tuple[str, Season], ...]] = (
    (r"autumn|fall foliage|in the fall|fall season|ginkgo|maple|koyo|kouyou|momiji", "autumn"),
    (r"winter|snowy|snow-covered|snowfall|christmas|fuyu", "winter"),
    (r"spring|sakura|cherry blossoms?|haru", "spring"),
    (r"summer|natsu|midsummer", "summer"),
)


def _season(text: str) -> Season | None:
    for words, season in _SEASON_WORDS:
        if re.search(rf"\b(?:{words})\b", text):
            return season
    return None


def _trees(text: str) -> str | None:
    """A park's trees: the kind named, else the season's."""
    if re.search(r"\bginkgo", text):
        return "ginkgo"
    if re.search(r"\b(?:maple|momiji)", text):
        return "maple"
    return {"autumn": "maple", "summer": "summer", "winter": "winter"}.get(_season(text) or "")


def _masculine(text: str) -> bool:
    """Whether ``text`` says a man or a boy (by a whole word: "woman" is not "man"),
    and says no woman or girl beside him."""
    said = _words_in(text)
    return bool(said & set(_MASCULINE)) and not said & set(_FEMININE)


def glossed(spec: ArtSpec) -> ArtSpec:
    """``spec`` with its Japanese words glossed in English ("aki (autumn)"): draw reads
    English, and the words as said stay in each phrase it reports."""
    update: dict[str, object] = {part: gloss(value) for part, value in spec.parts().items()}
    update["details"] = [gloss(d) for d in spec.details]
    update["text"] = gloss(spec.text) if spec.text else spec.text
    return spec.model_copy(update=update)


def _braids(told: str) -> int:
    """How many braids the hair is in: two ("twin braids", "two braids", "braided
    pigtails"), one ("a braid", "braided hair"), or none."""
    if re.search(
        r"\b(?:twin|two|double|side) (?:braids|plaits)\b|\bbraided (?:pigtails|twintails)\b"
        r"|\b(?:pigtail|twintail) braids\b",
        told,
    ):
        return 2
    return 1 if re.search(r"\b(?:braid|braids|braided|plait|plaits)\b", told) else 0


def traits_from_spec(spec: ArtSpec) -> Traits:
    """Resolve an ArtSpec into drawing choices."""
    spec = _without_things_actions(glossed(spec))
    style = spec.preset_name or DEFAULT_STYLE
    character = spec.character or ""
    everything = " ".join(v for v in spec.parts().values())
    if not character:
        # No character part ("cat girl bakery" was all background): the phrases that
        # name a person anywhere say who it is (a girl, with a cat girl's ears).
        character = ", ".join(
            p
            for v in spec.parts().values()
            for p in v.split(", ")
            if _PERSON.search(p.lower()) and not _SEVERAL.search(p.lower())
        )
    build: Build = "androgynous"
    lowered = character.lower()
    young = re.search(r"chibi|child|kid|little|toddler|\bsmall (?:girl|boy)\b", lowered)
    grown = re.search(
        r"\b(?:old |elderly )?(?:man|woman|lady|gentleman|grandpa|grandma)\b", lowered
    )
    # A child said after the grown-up the picture is of ("an old man selling balloons,
    # children running around") is not the character.
    if young is not None and (grown is None or young.start() < grown.start()):
        build = "chibi"
    elif any(w in lowered for w in ("man", "woman", "adult", "lady", "gentleman", "salaryman")):
        build = "adult"
    elif any(
        w in lowered
        for w in ("girl", "heroine", "princess", "witch", "maid", "queen", "shoujo", "bishoujo")
    ):
        build = "girl"
    elif any(
        w in lowered
        for w in ("boy", "guy", "prince", "king", "hero", "shounen", "bishounen", "samurai")
    ):
        build = "boy"
    # Pronouns the parser sets aside ("his first day") still say who it is.
    told_all = " ".join([everything, *spec.details, spec.text or ""])
    masculine = _masculine(character) if _gendered(character) else _masculine(told_all)
    elderly = (
        _ELDERLY.search(character.lower()) is not None
        or _OLD_PERSON.search((spec.text or "").lower()) is not None
    )
    if elderly and build in ("androgynous", "girl", "boy"):
        build = "adult"
    if masculine and build == "androgynous":  # "megane danshi", "1boy", "he"
        build = "boy"
    hair_text = spec.hair or ""
    default_hair = {"girl": "long", "boy": "short", "chibi": "bob", "adult": "short"}.get(
        build, "bob"
    )
    if build == "adult" and not masculine and _SHE.search(f"{character} {told_all}".lower()):
        default_hair = "long"  # an office lady, a grandmother: not a man's short cut
    if masculine:
        default_hair = "short"  # a little boy or a chibi boy: no girl's bob
    # Hair in one bun is up: short behind the face unless a length is said; so is hair
    # gathered into braids (no loose sheet of hair behind them).
    if re.search(r"\b(?:bun|hair bun|topknot|top knot|chignon|updo)\b", hair_text.lower()):
        default_hair = "short"
    braids = _braids(told_all.lower())  # (told_all holds the hair part too)
    if braids:
        default_hair = "short"
    hair_style = _pick(hair_text, _HAIR_WORDS, default_hair)
    haired = re.search(
        r"([a-z]+)[- ]haired", f"{hair_text} {character} {' '.join(spec.details)}".lower()
    )
    hair_color = (
        _colour_near(hair_text)
        or ((214, 214, 220) if elderly and not haired else None)  # silver with age
        or (COLOR_RGB.get(haired.group(1)) if haired else None)  # "red-haired girl"
        or _DEFAULT_HAIR_COLOR.get(style, (58, 44, 40))
    )
    outfit_text = spec.outfit or ""
    # A role said for the character ("a samurai", "cook girl") dresses it, unless the
    # prompt says what it wears.
    cast = (
        catalogue.role(character)
        or catalogue.role(everything)
        or catalogue.role(", ".join(spec.details))  # a role the parser left as a detail
    )
    default_outfit = cast.outfit if cast is not None else "hoodie"
    # A garment kind from its catalogue first (a raincoat, a cardigan), then the shapes.
    garment = catalogue.find(outfit_text, catalogue.GARMENTS) or catalogue.find(
        ", ".join(spec.details), catalogue.GARMENTS
    )
    # A role said as the outfit ("shrine maiden outfit") is that role's dress, read as
    # whole words before the shapes' word starts (a maiden is no maid).
    worn_role = catalogue.role(outfit_text)
    if worn_role is not None:
        cast = worn_role
    outfit = (
        garment[0].paint
        if garment
        else worn_role.outfit
        if worn_role is not None
        else _pick(outfit_text, _OUTFIT_WORDS, default_outfit)
    )
    outfit_free = cast is None and garment is None and not _pick(outfit_text, _OUTFIT_WORDS, "")
    garment_nouns = (
        "hoodie",
        "shirt",
        "tee",
        "uniform",
        "blazer",
        "kimono",
        "yukata",
        "armor",
        "armour",
        "dress",
        "suit",
        "jacket",
        "coat",
        "sweater",
        "swimsuit",
        "plugsuit",
        "bodysuit",
    )
    # A colour named for something held ("a red umbrella") is not the outfit's.
    props = "|".join(re.escape(w) for w in catalogue.words(catalogue.PROPS))
    garments_only = re.sub(rf"\b[\w-]+\s+(?:{props})\b", " ", outfit_text, flags=re.IGNORECASE)
    # Nor one said for headwear, known or not ("a yellow bucket hat" is no yellow top),
    # or for an accessory ("a red ribbon" is no red uniform): up to two words before it
    # ("a dark red"), never a garment's own noun.
    hat_words = (
        *catalogue.words(catalogue.HEADWEAR),
        *catalogue.FAMILY_NOUNS["headwear"],
        *catalogue.words(catalogue.HANDWEAR),  # nor "red mittens"
    )
    accessory_nouns = ("headphone", "headset", "glasses", "ribbon", "bow", "scarf")
    worn_words = "|".join(
        [*(re.escape(w) for w in hat_words), *(rf"{re.escape(w)}s?" for w in accessory_nouns)]
    )
    not_garment = rf"(?!(?:{'|'.join(garment_nouns)})\b)"
    garments_only = re.sub(
        rf"(?:\b{not_garment}[\w'-]+[\s-]+){{0,2}}(?:{worn_words})\b",
        " ",
        garments_only,
        flags=re.IGNORECASE,
    )
    # A hakama said in a colour is the robe's lower half in it ("a dark green hakama and
    # a white haori": a white top over green); the top's colour is read without it.
    hakama = re.search(
        rf"\b((?:{catalogue.colour_names()})\s+)?(?:[a-z]+\s+)?hakama\b", garments_only
    )
    hakama_colour = COLOR_RGB.get((hakama.group(1) or "").strip()) if hakama else None
    if hakama is not None:
        garments_only = garments_only.replace(hakama.group(0), " ")
    said_colour = _colour_near(garments_only, garment_nouns)
    # The colour said for the garment drawn binds to it ("a grey cardigan over a white
    # shirt" is a grey cardigan); else one said near any garment noun.
    outfit_color = (
        (garment[1] if garment is not None else None)
        or said_colour
        or (garment[0].colour if garment is not None else None)
        or (cast.colour if cast is not None and outfit == cast.outfit else None)
        or _DEFAULT_OUTFIT_COLOR.get(style, (60, 66, 84))
    )
    # A fox mask is a mask, not fox ears ("kitsune no omen", "kitsune mask").
    worn_text = re.sub(
        r"\b(?:kitsune|fox)(?: no)? (?:omen|mask)\b",
        "mask",
        f"{outfit_text} {hair_text} {character} {' '.join(spec.details)}".lower(),
    )
    accessories = tuple(
        dict.fromkeys(e.paint for e in catalogue.said(worn_text, catalogue.ACCESSORIES))
    )
    accessory_color = _colour_near(outfit_text, accessory_nouns)
    if accessory_color is None or accessory_color == outfit_color:
        accessory_color = (32, 32, 40) if style != "cute" else (255, 255, 255)
    # Headwear from its catalogue: the kind named, in the colour said for it.
    worn = catalogue.find(f"{outfit_text}, {hair_text}, {character}", catalogue.HEADWEAR)
    if worn is None and cast is not None and cast.headwear is not None:
        worn = next((e, None) for e in catalogue.HEADWEAR if e.name == cast.headwear)
    if worn is not None and re.search(
        rf"(?:{'|'.join(map(re.escape, worn[0].words))})\s+{_NOT_WORN.pattern}",
        f"{outfit_text}, {hair_text}, {character}".lower(),
    ):
        worn = None  # "a helmet under her arm" is not on her head (reported)
    headwear, headwear_color = None, (70, 70, 82)
    if worn is not None:
        entry, said = worn
        headwear, headwear_color = entry.name, said or entry.colour or outfit_color
    if cast is not None:
        accessories = tuple(dict.fromkeys([*accessories, *cast.accessories]))
    if "tiara" in accessories:  # a princess in a tiara wears no crown over it
        accessories = tuple(a for a in accessories if a != "crown")
    skin = SKIN_TONES["fair"]
    for word, tone in (
        ("dark skin", "dark"),
        ("brown skin", "brown"),
        ("tan", "tan"),
        ("dark-skinned", "dark"),
    ):
        if _has(everything.lower(), word):
            skin = SKIN_TONES[tone]
    # The place comes from the background; else from lights that name one ("neon
    # street lights"); else the style's default.
    # A toy train is no train to ride in, a toy castle no castle to stand in.
    scene = re.sub(r"\b(?:toy|model|miniature|plastic)\s+[\w-]+", " ", spec.background or "")
    found = (
        catalogue.place(f"{spec.text or ''} {everything}", catalogue.PLACES_FIRST)
        or catalogue.place(scene)
        or catalogue.place(
            f"{spec.lighting or ''} {' '.join(spec.details)} {spec.mood or ''}",
            catalogue.PLACES_NAMED_ANYWHERE,  # a festival or a stage named anywhere sets it
        )
    )
    if found is None and not spec.background:
        # No background part at all: a place said in the character's phrase ("beach
        # summer girl", all one phrase) is still the place (not a mug of coffee's cafe).
        found = catalogue.place(spec.character or "")
    if found is None and cast is not None and cast.name in catalogue.ROLE_PLACES:
        # No place said: the role's own (a shrine maiden at her shrine, a chef in the
        # kitchen), not the style's empty default.
        found = next(e for e in catalogue.PLACES if e.name == catalogue.ROLE_PLACES[cast.name])
    background = (
        found.name
        if found is not None
        else {
            "cyberpunk": "city",
            "fantasy": "forest",
            "cute": "sakura",
            "webtoon": "classroom",
        }.get(style, "hill")  # open country: a whole figure stands on ground
    )
    # The lighting part decides, a phrase that says "lighting" first ("night, soft
    # cinematic lighting" is soft); the background only when it names no lighting.
    phrases = (spec.lighting or "").split(", ")
    explicit = [p for p in phrases if re.search(r"\b(?:lighting|light|lit|glow)\b", p.lower())]
    lighting = _pick(", ".join(explicit), _LIGHTING_WORDS, "") or _pick(
        spec.lighting or "", _LIGHTING_WORDS, ""
    )
    # The time of day, from any part or detail ("at sunset", "night, rain"); it sets the
    # sky and, unless a phrase names the lighting itself, the light.
    told = " ".join([everything, *spec.details]).lower()
    time = _pick(told, _TIME_WORDS, "") or None
    # Whole words ("wind", "windy", not "window").
    weather = tuple(
        w for words, w in _WEATHER_WORDS if any(_says(told, x, _WEATHER_ENDINGS) for x in words)
    )
    if catalogue.implied(background, "indoors") and re.search(r"cherry blossom|sakura", told):
        weather = (*weather, "petals") if "petals" not in weather else weather  # outside
    # Whole words ("a wand", not "wanderer").
    prop = next((e.paint for e in catalogue.PROPS if any(_says(told, w) for w in e.words)), None)
    prop_color = None
    if prop is not None:  # "a red umbrella": the colour word right before its noun
        nouns = "|".join(re.escape(w) for e in catalogue.PROPS if e.paint == prop for w in e.words)
        before = re.search(rf"([a-z-]+)\s+(?:{nouns})", told)
        if before and before.group(1) in COLOR_RGB:
            prop_color = COLOR_RGB[before.group(1)]
    gesture = _pick(told, _GESTURE_WORDS, "") or ("hold" if prop else None)
    airborne = _JUMP.search(told) is not None
    if airborne and gesture is None:
        gesture = "cheer"  # a jump for joy: both arms up
    still = gesture is None and any(
        _has(told, w) for w in ("arms down", "hands down", "neutral pose", "arms at")
    )
    if not explicit and time is not None:
        lighting = TIME_LIGHT[time]
    if not explicit and background == "festival":  # lanterns and fireworks light it
        time, lighting = time or "night", "golden"
    if not explicit and background == "stage":
        lighting = "neon"
    if not lighting:
        default_light = "neon" if style == "cyberpunk" else "soft"
        lighting = _pick(spec.background or "", _LIGHTING_WORDS, default_light)
    held: Stance = stance(told)
    things = placed_things(spec)
    if held in ("stand", "walk") and any(p.where in ("lap", "seat", "mount") for p in things):
        held = "sit"  # "a cat on her lap", "on the sofa", riding a bicycle: she sits
    if prop is not None or gesture not in (None, "hold"):  # the hands are taken
        things = [replace(p, where="front") if p.where in IN_HAND else p for p in things]
    else:  # the first held thing is in the hand; any other at the foreground's edge
        hands = [p for p in things if p.where in IN_HAND][:1]
        things = [
            replace(p, where="front") if p.where in IN_HAND and p not in hands else p
            for p in things
        ]
        gesture = "hold" if hands else gesture
    # What the room has already (its sofa, its bed) is not drawn a second time.
    own = catalogue.FURNISHED.get(background, frozenset())
    things = [
        p for p in things if p.vector.name not in own or p.where == "seat" or p.where in IN_HAND
    ]  # (a pan she holds is hers, not the kitchen wall's)
    mermaid = cast is not None and cast.name == "mermaid"
    # A jump shows its feet, a mermaid her tail: the whole figure.
    pose = framing(spec, build, "walk" if airborne or mermaid else held)
    free = (
        not _pick(f"{spec.pose or ''} {' '.join(spec.details)}".lower(), _FRAMING_WORDS, "")
        and not spec.use
        and held == "stand"
        and build != "chibi"
    )
    if free and any(p.where == "beside" and p.vector.size < 400 for p in things):
        pose, free = "full", False  # a dog at her feet: the frame shows her feet
    marks = tuple(e.paint for e in catalogue.find_all(told_all, catalogue.MARKS))
    if "eye_scar" in marks:  # the parts repeat "scar" alone: it is the one over the eye
        marks = tuple(m for m in marks if m != "scar")
    # Handwear said, or the role's (a boxer's gloves).
    gloved = catalogue.find(told_all, catalogue.HANDWEAR)
    if gloved is None and cast is not None and cast.name == "boxer":
        gloved = (catalogue.HANDWEAR[0], None)
    if gloved is not None and free and pose in ("bust", "half") and gesture is None:
        # Gloves said, and no hand raised into a bust: the frame shows the hands at the
        # sides (a bust showed none, and "gloves" were claimed drawn).
        pose, free = "knees", False
    # Moods from the mood part, the details, and the lighting's words that are not a
    # light of their own ("moody lighting" grades; "warm light" is the golden light).
    lit = re.sub(
        rf"\b(?:{'|'.join(w for words, _ in _LIGHTING_WORDS for w in words)})\b",
        " ",
        (spec.lighting or "").lower(),
    )
    moods = tuple(
        e.paint
        for e in catalogue.find_all(
            ", ".join([spec.mood or "", lit, *spec.details]), catalogue.MOODS
        )
    )
    # The expression part decides; else an expression said anywhere ("…, singing").
    expression = _pick(spec.expression or "", _EXPRESSION_WORDS, "") or _pick(
        told, _EXPRESSION_WORDS, ""
    )
    if not expression:  # none said: the mood's face ("grim" is not a cheerful smile)
        expression = MOOD_FACES.get(moods[0], "calm") if moods else "calm"
    return Traits(
        build=build,
        hair_style=hair_style,  # type: ignore[arg-type]
        hair_color=hair_color,
        eye_color=_eye_colour(everything) or _EYE_DEFAULT.get(style, (90, 120, 160)),
        skin=skin,
        expression=expression,  # type: ignore[arg-type]
        outfit=outfit,  # type: ignore[arg-type]
        outfit_color=outfit_color,
        accessories=accessories,  # type: ignore[arg-type]
        accessory_color=accessory_color,
        masculine=masculine,
        elderly=elderly,
        eyes_closed=_EYES_CLOSED.search(told_all.lower()) is not None,
        season=_season(told_all.lower()),
        trees=_trees(told_all.lower()),
        headwear=headwear,
        headwear_color=headwear_color,
        background=background,  # type: ignore[arg-type]
        lighting=lighting,  # type: ignore[arg-type]
        pose=pose,
        stance=held if pose in ("knees", "full") else "stand",
        facing=(
            "over_shoulder"
            if any(_has(told, w) for w in _OVER_SHOULDER_WORDS)
            else "back"
            if any(_has(told, w) for w in _BACK_WORDS)
            else "front"
        ),
        framing_free=free,
        outfit_free=outfit_free and not said_colour,
        turn=0.55 if any(_has(told, w) for w in _TURN_WORDS) else 0.0,
        style=style,
        mood_words=tuple((spec.mood or "").lower().split()),
        prop_color=prop_color,
        still=still,
        gesture=gesture,  # type: ignore[arg-type]
        prop=prop,  # type: ignore[arg-type]
        reading=prop == "book" and re.search(r"\b(?:reading|reads|read)\b", told) is not None,
        time=time,  # type: ignore[arg-type]
        weather=weather,  # type: ignore[arg-type]
        things=tuple(things),
        marks=marks,
        buns=2
        if re.search(r"\b(?:twin buns|two buns|double buns|space buns|odango)\b", told_all.lower())
        else 1
        if re.search(r"\b(?:bun|buns|hair bun|topknot|top knot|chignon)\b", told_all.lower())
        else 0,
        airborne=airborne,
        mermaid=mermaid,
        tail_color=_said_colour(told_all, "tail") or (60, 176, 170),
        round_glasses=re.search(
            r"\b(?:round|circle|circular|round-rimmed)(?:[\s-]+[a-z]+)?[\s-]+(?:glasses|spectacles|megane)\b",
            told_all.lower(),
        )
        is not None,
        worn_low=re.search(
            r"\b(?:headphones?|headset)\s+(?:around|on|round)\s+(?:her\s+|his\s+|the\s+)?neck\b",
            told_all.lower(),
        )
        is not None,
        messy=re.search(
            r"\b(?:messy|tousled|shaggy|bedhead|bed head|unkempt|disheveled|ahoge)\b",
            f"{hair_text} {character}".lower(),
        )
        is not None,
        braids=braids,
        odd_eye=_odd_eye(told_all, "odd_eyes" in marks),
        handwear=gloved[0].paint if gloved else None,
        lower_color=(
            hakama_colour
            or (cast.lower if cast is not None and outfit == cast.outfit else None)
            or (HAKAMA if hakama is not None and outfit == "kimono" else None)
        ),
        handwear_color=(gloved[1] or gloved[0].colour or (244, 244, 248))
        if gloved
        else (244, 244, 248),
        moods=moods,
    )


#: The face a mood gives when the prompt says no expression.
MOOD_FACES: Final[dict[str, str]] = {
    "gloomy": "sad",
    "wistful": "calm",
    "cozy": "smile",
    "cheerful": "smile",
    "dreamy": "calm",
    "calm": "calm",
    "eerie": "calm",
    "dramatic": "determined",
    "romantic": "shy",
    "cold": "calm",
}


def _odd_eye(text: str, asked: bool) -> RGB | None:
    """The second eye's colour: "one red eye, one gold eye" says both (the first is the
    eye colour), "heterochromia" alone gives gold."""
    lowered = text.lower()
    pair = re.search(r"\b([a-z]+) eye,? (?:and|&) (?:one )?([a-z]+) eye\b", lowered)
    said = [
        COLOR_RGB[c]
        for c in (pair.groups() if pair else re.findall(r"\bone ([a-z]+) eye\b", lowered))
        if c in COLOR_RGB
    ]
    if len(said) >= 2 and said[0] != said[1]:  # two colours said: heterochromia
        return said[1]
    return next(e.colour for e in catalogue.MARKS if e.paint == "odd_eyes") if asked else None


_POSE_WORDS: Final = (
    "bust",
    "portrait",
    "upper body",
    "half",
    "standing",
    "stands",
    "cowboy",
    "full body",
    "waist",
    "looking at viewer",
    "looking at the viewer",
    "head and shoulders",
    "close up",
    "closeup",
    "head tilt",
    "tilted head",
    "head tilted",
)
_BUILD_WORDS: Final = (
    "girl",
    "boy",
    "man",
    "woman",
    "guy",
    "lady",
    "gentleman",
    "adult",
    "child",
    "kid",
    "chibi",
    "little",
    "heroine",
    "hero",
    "princess",
    "prince",
    "witch",
    "maid",
    "queen",
    "king",
    "samurai",
    "knight",
    "shoujo",
    "shounen",
    "bishoujo",
    "bishounen",
    "salaryman",
    "character",
    "person",
    "anime",
    "androgynous",
    "1girl",
    "1boy",
    "solo",
    "eyes",
    "eye",
    "skin",
    "tan",
    "young",
    "teen",
    "student",
)


def _words_of(table: tuple[tuple[tuple[str, ...], str], ...]) -> tuple[str, ...]:
    return tuple(w for words, _ in table for w in words)


#: For each part, the words whose presence in a phrase the drawing shows.
_SEASONS_DRAWN: Final = ("autumn", "ginkgo", "maple", "momiji", "winter", "snowy", "spring",
                          "summer", "christmas", "leaves", "foliage")  # fmt: skip
_CLOSED_DRAWN: Final = (
    "eyes closed", "eye closed", "closed eyes", "eyes shut", "closes", "close her eyes",
    "close his eyes", "closed her eyes", "closed his eyes",
)  # fmt: skip
_DRAWN: Final[dict[str, tuple[str, ...]]] = {
    "character": (
        *_BUILD_WORDS,
        *catalogue.words(catalogue.PROPS),
        *catalogue.words(catalogue.ACCESSORIES),
        *catalogue.words(catalogue.HEADWEAR),
        *(w for r in catalogue.ROLES for w in r.words),
        *catalogue.words(catalogue.MARKS),
        *catalogue.words(catalogue.HANDWEAR),
        "elderly",
        "grandma",
        "grandpa",
        "granny",
        "grandmother",
        "grandfather",
        "old man",
        "old woman",
        "old lady",
        # The anime face draw draws is an oval: a face the rig read as oval is drawn as
        # read (a round or a long face is not drawn, and is reported).
        "oval face",
        "haired",  # "red-haired": the hair drawn in its colour
    ),
    "hair": (
        *_words_of(_HAIR_WORDS),
        *catalogue.words(catalogue.MARKS),
        "hair",
        "redhead",
        "brunette",
        "kinpatsu",
        "bangs",
        "braid",
        "braided",
        "plait",
        "messy",
        "tousled",
        "shaggy",
        "bedhead",
        "unkempt",
        "disheveled",
        "ahoge",
        "bun",
        "buns",
        "odango",
        "topknot",
        "chignon",
    ),
    "outfit": (
        *_words_of(_OUTFIT_WORDS),
        *catalogue.words(catalogue.GARMENTS),
        *catalogue.words(catalogue.ACCESSORIES),
        *catalogue.words(catalogue.HEADWEAR),
        *catalogue.words(catalogue.PROPS),
        *catalogue.words(catalogue.MARKS),
        *catalogue.words(catalogue.HANDWEAR),
        *(w for r in catalogue.ROLES for w in r.words),  # "shrine maiden outfit"
        "uniform",
        "clothes",
    ),
    "expression": (
        *_words_of(_EXPRESSION_WORDS),
        *_CLOSED_DRAWN,
        *catalogue.words(catalogue.MARKS),
    ),
    "pose": (
        "arms down",
        "hands down",
        "neutral pose",
        "arms at",
        *_POSE_WORDS,
        *_words_of(_FRAMING_WORDS),
        *(w for w in _words_of(_STANCE_WORDS) if w not in _RUNNING),
        *_BACK_WORDS,
        *_TURN_WORDS,
        *_OVER_SHOULDER_WORDS,
        *_words_of(_GESTURE_WORDS),
        *catalogue.words(catalogue.PROPS),
        *_words_of(_EXPRESSION_WORDS),
        *_CLOSED_DRAWN,
        "jump",
        "jumps",
        "jumping",
        "leap",
        "leaping",
        "mid-air",
        "midair",
    ),
    "background": (
        *catalogue.words((*catalogue.PLACES, *catalogue.PLACES_SAID_PLAINLY)),
        "window",
        "curtains",
        "desk",
        "lo-fi",
        "lofi",
        *_words_of(_TIME_WORDS),
        *_words_of(_WEATHER_WORDS),
        *_SEASONS_DRAWN,
    ),
    "lighting": (
        *_words_of(_LIGHTING_WORDS),
        *_words_of(_TIME_WORDS),
        *catalogue.words(catalogue.PLACES_NAMED_ANYWHERE[:2]),  # festival lights, stage spotlights
        "light",
        "spotlight",
        *catalogue.words(catalogue.MOODS),
    ),
    "mood": (
        *catalogue.words(catalogue.MOODS),
        *_SEASONS_DRAWN,
        *_words_of(_TIME_WORDS),
        *_words_of(_WEATHER_WORDS),
        *_words_of(_GESTURE_WORDS),
        *_words_of(_EXPRESSION_WORDS),
    ),
}


#: Words around a library thing that say nothing more to draw ("with a", "on her lap").
_FILLER: Final = frozenset(
    [
        "a",
        "an",
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
    ]
)
#: Words after which the prompt gives a name ("oc kaito", "my waifu mirai", "named
#: Hana"): a name is neither drawn nor reported.
_NAMED: Final = re.compile(
    r"\b(?:oc|named|called|name is|name's|waifu|husbando|sona|character)\s+([a-z][a-z'-]+)"
)


def names(spec: ArtSpec) -> frozenset[str]:
    """The names ``spec``'s prompt gives its characters."""
    text = " ".join([spec.text or "", *spec.parts().values(), *spec.details]).lower()
    return frozenset(n for n in _NAMED.findall(text) if n not in _FILLER and n not in _CHATTER)


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


def says_nothing(phrase: str, named: frozenset[str] = frozenset()) -> bool:
    """Whether ``phrase`` is only pronouns, pleases, fillers and names: it asks for
    nothing to draw, so it is neither drawn nor reported."""
    words = re.findall(r"[a-z0-9'-]+", phrase.lower())
    # A bare number ("17" for an age, a weight's leftover) asks for nothing more.
    return all(w in _FILLER or w in _CHATTER or w in named or w.isdigit() for w in words)


#: Endings a word the engine acts on may take in the prompt ("smil": smile, smiling).
_ENDINGS = ("", "s", "es", "e", "ing", "er", "ers", "ies", "d")


def _says(text: str, word: str, endings: tuple[str, ...] = _ENDINGS) -> bool:
    """``word`` as a whole word of ``text``, or with a common ending: the report's
    stricter `_has` ("sea" is not in "seagulls", "light" not in "lighthouse")."""
    return _said_pattern((word,), endings).search(text) is not None


_WEATHER_ENDINGS: Final = (*_ENDINGS, "y", "fall", "falls", "flake", "flakes", "storm", "drop",
                           "drops", "ed", "ly")  # fmt: skip


@cache
def _said_pattern(words: tuple[str, ...], endings: tuple[str, ...] = _ENDINGS) -> re.Pattern[str]:
    """The pattern `_says` looks for, over all of ``words`` at once (longest first, so
    the most specific word wins where two start at one place): the report checks every
    phrase against a part's few hundred words."""
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    ends = "|".join(endings)
    return re.compile(rf"(?<![a-z])({alternatives})(?:{ends})(?![a-z])")


@cache
def _hand_drawn() -> tuple[str, ...]:
    """Every word a hand-drawn part acts on: those things are theirs, not the library's."""
    return tuple(dict.fromkeys(w for words in _DRAWN.values() for w in words))


def _without_things_actions(spec: ArtSpec) -> ArtSpec:
    """``spec`` without the actions of the library's things it names: "her dog sleeping
    at her feet" does not close her eyes (the action is reported as not drawn)."""
    verbs = {p.verb for p in placed_things(spec) if p.verb is not None}
    if not verbs:
        return spec
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(verbs)))})\b", re.IGNORECASE)
    update: dict[str, object] = {
        part: pattern.sub("", value).strip() or None for part, value in spec.parts().items()
    }
    update["details"] = [d for d in (pattern.sub("", x).strip() for x in spec.details) if d]
    return spec.model_copy(update=update)


def placed_things(spec: ArtSpec) -> list[Placed]:
    """The vector library's things that ``spec`` names, where it puts them: read from
    the prompt as written first (its prepositions say where: "a cat on her lap"), then
    from its parts and details."""
    told = ", ".join([spec.text or "", *spec.parts().values(), *spec.details])
    return find_things(told, _hand_drawn())


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
    # Several characters said: draw draws the first (#34); the others are reported.
    several = _SEVERAL.search(f"{spec.text or ''} {told}".lower()) is not None
    people: list[str] = []
    things = placed_things(spec)
    drawn_as = {p.vector.name: p for p in traits.things}
    verbs = list(dict.fromkeys(p.verb for p in things if p.verb is not None))
    # A figure that sits is drawn on a bench, one that lies on the ground seen from
    # above (a bench or grass named without them is not drawn).
    seat = {"sit": ("bench",), "lie": ("grass", "ground", "floor", "lawn")}.get(stance(told), ())

    def check(phrase: str, words: tuple[str, ...], part: str) -> None:
        """Report ``phrase`` unless drawn; the library's things in it are drawn, and
        what is left of it (an action on them, another noun) is judged on its own."""
        phrase = _trimmed(phrase, given)
        lower = phrase.lower()
        if _SEVERAL.search(lower):  # draw draws one character (#34): two are not drawn
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
                if re.search(rf"\b{re.escape(w)}\b", lower):
                    named.append(p if w == p.words else replace(p, words=w))
                    break
        for said_as in named:
            # Where the drawing put it (a second thing held goes to the foreground, a
            # thing the room has already is the room's), not where the prompt said; a
            # thing said held and drawn elsewhere is reported as not in the hand.
            p = drawn_as.get(said_as.vector.name, said_as)
            if said_as.where in IN_HAND and p.where not in IN_HAND:
                missed.append(f"{said_as.words} in the hand")
            where = {
                "held": "held",
                "lap": "on the lap",
                "shoulder": "on a shoulder",
                "mouth": "held to the mouth",
                "played": "played",
            }
            place = where.get(p.where, p.where)
            drawn.append({"phrase": said_as.words, "by": f"library: {p.vector.name}, {place}"})
        rest = lower
        for p in named:
            if p.colour is not None:  # "a red bicycle" is drawn red: its colour word too
                rest = re.sub(rf"[a-z-]+\s+(?={re.escape(p.words)}\b)", " ", rest)
            # With its gloss, if the word is Japanese ("neko (cat)").
            rest = re.sub(rf"\b{re.escape(p.words)}\b(?:\s*\([^)]*\))?", " ", rest)
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
            rest = " ".join(w for w in re.findall(r"[a-z0-9'-]+", rest) if w not in _FILLER)
            if not rest:
                return
            phrase = rest
        if several and (person := _PERSON.search(phrase.lower())):
            word = person.group(0).lstrip("0123456789")
            # The one drawn is the one the traits drew: a boy when drawn masculine.
            other = {"girl", "girls", "woman", "women", "lady"} if traits.masculine else {
                "boy", "boys", "man", "men", "guy"}  # fmt: skip
            if (people and word not in people) or word in other:
                missed.append(phrase)  # "one boy" beside the girl drawn
                return
            people.append(word)
        hits = [m.group(1) for m in _said_pattern((*words, *place_shows)).finditer(phrase.lower())]
        hit = max(hits, key=len) if hits else None  # the most specific: "silver", not "hair"
        unknown = catalogue.unknown_kind(phrase, "headwear") or catalogue.unknown_kind(
            phrase, "place"
        )
        if hit is None or unknown or _NOT_WORN.search(phrase.lower()):
            foreign = unread(phrase)  # Japanese, Chinese, Korean…: reported, never dropped
            if foreign or not says_nothing(phrase, given):
                missed.append(phrase)  # (a phrase of pronouns and pleases says nothing)
        else:
            drawn.append({"phrase": phrase, "by": part if hit == part else f"{part}: {hit}"})
            # What it is made of or how it looks, which the drawing does not show
            # ("a holographic jacket" is drawn a jacket): reported on its own.
            missed.extend(w for w in re.findall(r"[a-z-]+", phrase.lower()) if w in _UNDRAWN)

    for part, value in spec.parts().items():
        if part in ("style", "use"):
            continue
        words = (*_DRAWN[part], *seat)
        for phrase in value.split(", "):
            check(phrase, words, part)
    for d in spec.details:
        for piece in re.split(r"[、，。]", d):  # Japanese and Chinese commas part phrases too
            if piece.strip():
                check(piece.strip(), _hand_drawn(), "detail")
    if traits.handwear and traits.pose in ("bust", "half") and traits.gesture is None:
        # No hand in the frame: the gloves cannot be seen.
        gloves = _said_pattern(catalogue.words(catalogue.HANDWEAR))
        for seen in [x for x in drawn if gloves.search(x["phrase"].lower())]:
            drawn.remove(seen)
            missed.append(seen["phrase"])
    if "eyepatch" in traits.marks and traits.odd_eye is not None:
        # The patch covers one eye: two colours cannot be seen.
        for seen in [
            x for x in drawn if re.search(r"heterochrom|\b\w+ eye\b", x["phrase"].lower())
        ]:
            drawn.remove(seen)
            missed.append(seen["phrase"])
    missed = list(dict.fromkeys(missed))
    # "table" said again alone after "on the table" was reported: once is enough.
    missed = [m for m in missed if not any(m != o and re.search(rf"\b{re.escape(m)}\b", o)
                                           for o in missed)]  # fmt: skip
    return drawn, missed
