"""The words the draw engine reads, and their readers: the kinds it draws (Literals),
the word tables of each part, and small functions that find a word, a colour, a
gender, an age or a season in a phrase. `traits` turns a prompt into choices with
them; `report` says which phrases they drew."""

from __future__ import annotations

import re
from functools import cache
from typing import Final, Literal

from sakuga.engines.draw import catalogue
from sakuga.engines.draw.svg import RGB
from sakuga.engines.draw.things import Placed, find_things
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import PEOPLE, PRONOUNS
from sakuga.prompt.lexicon import gloss, names_in
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
    "headphones", "glasses", "goggles", "cat_ears", "fox_ears", "wolf_ears", "bunny_ears", "horns", "halo",
    "crown", "wings", "hat", "ribbon", "scarf", "choker", "mask", "tail", "tiara", "earmuffs",
]  # fmt: skip


Background = Literal[
    "city", "sakura", "classroom", "sky", "forest", "beach", "cafe", "space", "plain",
    "festival", "stage", "shrine", "rooftop", "train", "library", "castle", "flowers",
    "station", "living", "bedroom", "kitchen", "platform", "hallway", "gym", "hangar", "office",
    "underwater", "ruins", "desert", "shops", "airport", "lighthouse", "hill", "washitsu",
    "ramparts", "pier", "hospital", "garage", "tree", "amusement", "art room",
]  # fmt: skip


Lighting = Literal["soft", "golden", "neon", "moon", "dawn", "sunset", "dusk", "night"]


Season = Literal["spring", "summer", "autumn", "winter"]


TimeOfDay = Literal["dawn", "day", "golden", "sunset", "dusk", "night", "moonlit"]


Weather = Literal[
    "rain", "snow", "petals", "leaves", "fog", "sparkles", "confetti", "wind", "hearts",
    "bubbles", "fireflies", "motes", "lightning",
]  # fmt: skip


Gesture = Literal[
    "wave", "peace", "fist", "point", "hold", "heart", "crossed", "chin", "hip", "salute",
    "cheer", "reach", "around", "thumb", "ok", "pray", "cheeks",
    # Actions with a tool in both hands (`catalogue.ACTIONS`, by their paint).
    "knit", "sweep", "serve", "water",
]  # fmt: skip


Prop = Literal[
    "sword", "katana", "staff", "wand", "umbrella", "microphone", "book", "mug", "phone",
    "flowers", "lantern", "fan", "bow", "uchiwa",
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
HAIR_WORDS: Final = (
    (("twin tail", "twintail", "pigtail", "twin-tail", "odango", "space bun"), "twintails"),
    # Long hair tied back is drawn gathered in a tail behind.
    (("ponytail", "pony tail", "tied back", "tied up", "tied behind", "low tail"), "ponytail"),
    # A hime cut is long straight hair (its blunt fringe and cheek-length side locks
    # are the cut's front): long, unless a length is said.
    (("long", "waist", "flowing", "hime cut", "hime-cut", "himecut"), "long"),
    (("bob", "shoulder length", "medium"), "bob"),
    (("spiky", "wild", "wolf cut"), "spiky"),
    (("short", "pixie", "cropped", "buzz"), "short"),
)


EXPRESSION_WORDS: Final = (
    (("singing", "sings", "sing "), "singing"),
    (("sleepy", "drowsy", "yawn", "tired", "sleeping", "asleep", "napping", "dozing"), "sleepy"),
    (("shy", "blush", "embarrass", "bashful", "flustered"), "shy"),
    (("smug", "smirk", "confident", "cocky", "mischiev"), "smug"),
    (
        ("determined", "resolute", "fierce", "focused", "battle-ready", "serious", "stern"),
        "determined",
    ),
    (("wink",), "wink"),
    # ("grinning" doubles its n: said whole, for the report's whole-word match.)
    (("laugh", "grin", "grinning", "joyful", "excited", "big smile"), "laugh"),
    (
        (
            "cry",
            "sad",
            "tear",
            "teary",
            "melanchol",
            "lonely",
            "sobb",
            "sobs",
            "weep",
            "wail",
            "bawl",
        ),
        "sad",
    ),
    (
        ("angry", "furious", "annoyed", "pout", "mad", "tsundere", "grumpy", "scowl", "irritated"),
        "angry",
    ),
    (
        (
            "surprise",
            "shock",
            "shocked",
            "stunned",
            "astonish",
            "startled",
            "amazed",
            "wide eye",
            "wide-eye",
        ),
        "surprised",
    ),
    (("smil", "happy", "cheerful", "egao", "nikkori", "gentle", "kind", "playful"), "smile"),
    (
        ("calm", "serene", "neutral", "stoic", "cool", "thinking", "thoughtful", "pensive"),
        "calm",
    ),
)


OUTFIT_WORDS: Final = (
    (
        (
            "swimsuit",
            "swim suit",
            "swimwear",
            "school swimsuit",
            "sukumizu",
            "bathing suit",
            "swim shorts",
            "swim trunks",
            "swimming trunks",
            "board shorts",
            "bikini",
        ),
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
    (
        (
            "idol costume",
            "idol outfit",
            "stage costume",
            "idol dress",
            # A magical girl's costume is the same frilled dress with its bows.
            "magical girl outfit",
            "magical girl costume",
            "magical girl dress",
            "mahou shoujo outfit",
            "mahou shoujo costume",
        ),
        "idol",
    ),
    (("armor", "armour", "knight", "plate"), "armor"),  # a cape is worn over it
    (("cloak", "cape", "robe", "mantle"), "cloak"),
    (("apron", "maid"), "apron"),
    (("sailor", "seifuku", "serafuku", "sērā-fuku", "middy blouse"), "sailor"),
    (("blazer", "school uniform", "gakuran", "uniform"), "blazer"),
    (("kimono", "yukata", "hakama", "haori"), "kimono"),
    (("dress", "gown", "sundress", "maid"), "dress"),
    (("suit", "tuxedo", "formal", "necktie", "tie"), "suit"),
    (("hoodie", "hooded", "sweatshirt"), "hoodie"),
    (("jacket", "coat", "techwear", "parka", "bomber"), "jacket"),
    (("t-shirt", "t shirt", "tshirt", "tee", "shirt", "top"), "tshirt"),
)


#: The time of day a prompt names (first match wins: "golden hour" before "day").
TIME_WORDS: Final = (
    (("golden hour", "golden light"), "golden"),
    (("sunset", "evening", "setting sun"), "sunset"),
    (("dusk", "twilight", "blue hour"), "dusk"),
    (("dawn", "sunrise", "daybreak", "early morning", "first light"), "dawn"),
    (("moonlit", "moonlight", "full moon", "moon"), "moonlit"),
    (("night", "nite", "tonite", "midnight", "starry", "stars", "starlit"), "night"),
    # (A morning is day's clear sky; the pink of dawn is said as dawn or early morning.)
    (("noon", "midday", "daytime", "sunny", "day", "afternoon", "morning"), "day"),
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


WEATHER_WORDS: Final = (
    (
        (
            "rain",
            "storm",
            "thunderstorm",
            "drizzle",
            "downpour",
            "umbrella weather",
            "rainy season",
            "tsuyu",
        ),
        "rain",
    ),
    (("snow", "snowflake", "snowflakes", "snowfall", "blizzard", "winter"), "snow"),
    (("petals", "blossoms falling", "falling sakura", "falling blossoms"), "petals"),
    (("falling leaves", "autumn leaves", "leaves falling"), "leaves"),
    (("fog", "mist", "haze"), "fog"),
    (("lightning", "thunder", "thunderstorm", "lightning bolt"), "lightning"),
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
GESTURE_WORDS: Final = (
    (("heart hands", "heart with her hands", "heart with his hands", "hand heart"), "heart"),
    (
        (
            "hands on her cheeks",
            "hands on his cheeks",
            "hands on their cheeks",
            "hands on cheeks",
            "hands on her face",
            "hands on his face",
            "hands to her cheeks",
            "hands to his cheeks",
            "cupping her face",
            "cupping his face",
            "cheeks in her hands",
            "face in her hands",
            "hands on both cheeks",
            "hands cupping her cheeks",
        ),
        "cheeks",
    ),
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
    (("thumbs up", "thumbs-up", "thumb up", "thumb's up"), "thumb"),
    (("ok sign", "okay sign", "ok hand", "okay hand", "ok gesture", "a-ok"), "ok"),
    (
        (
            "hands together",
            "hands pressed together",
            "palms together",
            "palms pressed together",
            "praying",
            "prays",
            "praying hands",
            "folded hands",
            "gassho",
        ),
        "pray",
    ),
    (("waving", "wave", "waves", "hello"), "wave"),
    (("pointing", "points at"), "point"),
    (("fist", "punch", "clenching"), "fist"),
)


LIGHTING_WORDS: Final = (
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
            "candle light",
            "candlelit",
            "candle-lit",
            "firelight",
            "lamplight",
            "lantern light",
        ),
        "golden",
    ),
    (("moon", "night", "cold", "cool", "blue"), "moon"),
    (("soft", "cinematic", "diffuse", "studio", "natural"), "soft"),
)


DEFAULT_HAIR_COLOR: Final[dict[str, RGB]] = {
    "cute": (246, 168, 200),
    "cinematic": (58, 44, 40),
    "webtoon": (40, 40, 52),
    "fantasy": (226, 226, 240),
    "cyberpunk": (120, 220, 255),
}


DEFAULT_OUTFIT_COLOR: Final[dict[str, RGB]] = {
    "cute": (255, 214, 231),
    "cinematic": (60, 66, 84),
    "webtoon": (245, 245, 250),
    "fantasy": (90, 70, 160),
    "cyberpunk": (24, 24, 34),
}


EYE_DEFAULT: Final[dict[str, RGB]] = {
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


#: How much of the figure the picture shows: head and shoulders, to the waist, to
#: below the knees (a cowboy shot), or all of it.
Framing = Literal["bust", "half", "knees", "full"]


FRAMING_WORDS: Final = (
    (
        (
            "full body",
            "full-body",
            "full length",
            "whole body",
            "head to toe",
            "long shot",
            "wide shot",
            "full shot",
        ),
        "full",
    ),
    (("knees up", "knees-up", "cowboy shot", "thigh", "three-quarter body"), "knees"),
    (
        (
            "half body",
            "half-body",
            "upper body",
            "waist up",
            "waist-up",
            "half",
            "standing",
            "medium shot",
            "mid shot",
        ),
        "half",
    ),
    (
        (
            "bust",
            "portrait",
            "close-up",
            "closeup",
            "close up",
            "close shot",
            "headshot",
            "head and shoulders",
        ),
        "bust",
    ),
)


#: The framing each use shows when the prompt asks for none.
USE_FRAMING: Final[dict[str, Framing]] = {
    "poster": "knees",
    "wallpaper": "knees",
    "sheet": "full",
    "social": "half",
}


#: A run: one knee high, the other leg kicked back, the arms bent and swinging, the
#: body leaning into it (not the walking step).
_RUNNING: Final = ("running", "runs", "sprinting", "sprints", "dashing", "jogging", "jogs")


#: How the figure holds itself, said anywhere in the prompt.
Stance = Literal["stand", "sit", "walk", "run", "kneel", "lie", "crouch"]


_STANCE_WORDS: Final = (
    (
        (
            "sitting",
            "sittin",
            "seated",
            "sits",
            "sit on",
            "sat on",
            "on a bench",
            "on the bench",
            "on a park bench",
            "on the park bench",
            "on a wooden bench",
        ),
        "sit",
    ),
    (("kneeling", "kneels", "seiza", "on her knees", "on his knees", "on one knee"), "kneel"),
    (_RUNNING, "run"),
    (("walking", "strolling", "walks", "stroll"), "walk"),
    (("lying", "lies on", "laying on", "reclining", "lying down"), "lie"),
    (("crouching", "squatting", "crouched", "crouches", "squats"), "crouch"),
)


TURN_WORDS: Final = (
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


OVER_SHOULDER_WORDS: Final = (
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


BACK_WORDS: Final = (
    "from behind",
    "back view",
    "rear view",
    "from the back",
    "facing away",
    "back to the viewer",
    "back turned",
)


def stance(told: str) -> Stance:
    return pick(told, _STANCE_WORDS, "stand")  # type: ignore[return-value]


def framing(spec: ArtSpec, build: str, held: Stance = "stand") -> Framing:
    """The framing the pose asks for (said anywhere), else one that shows the stance
    (sitting, kneeling, walking: the whole figure), else the use's; a chibi is drawn whole
    (two and a half heads tall, `Canvas.squash`) unless a framing or a use is said."""
    said = f"{spec.pose or ''} {' '.join(spec.details)}".lower()
    on_hip = pick(said, GESTURE_WORDS, "") == "hip"
    chosen = pick(said, FRAMING_WORDS, "") or (
        "full"
        if held != "stand"
        else "knees"
        if on_hip and USE_FRAMING.get(spec.use or "", "bust") in ("bust", "half")
        else USE_FRAMING.get(spec.use or "", "bust")
    )
    if build == "chibi" and chosen == "knees":
        return "half"
    if build == "chibi" and not pick(said, FRAMING_WORDS, "") and not spec.use:
        # A chibi is told by its proportions: drawn whole (two and a half heads tall),
        # unless a framing or a use is asked for (a bust hides what makes it chibi).
        return "full"
    return chosen  # type: ignore[return-value]


def has(text: str, word: str) -> bool:
    """``word`` at the start of a word in ``text`` ("smil" matches "smiling", not "street")."""
    return re.search(rf"(?<![a-z]){re.escape(word)}", text) is not None


def pick(text: str, table: tuple[tuple[tuple[str, ...], str], ...], default: str) -> str:
    lowered = text.lower()
    for words, choice in table:
        if any(has(lowered, w) for w in words):
            return choice
    return default


@cache
def colour_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])({catalogue.colour_names()})(?![\w-])")


#: A hakama said in no colour (and no role's): a charcoal grey one.
HAKAMA: Final = (72, 74, 86)


#: Words that make a colour paler ("light blue hair", "pastel pink") or deeper.
_PALER: Final = frozenset({"light", "pale", "pastel", "baby", "soft"})
_DEEPER: Final = frozenset({"dark", "deep"})


def _toned(lowered: str, start: int, rgb: RGB) -> RGB:
    """``rgb`` as the word before it (at ``start`` in ``lowered``) says: paler after
    "light" or "pastel", deeper after "dark" — "light blue hair" is not plain blue."""
    before = re.search(r"([a-z]+)[\s-]+$", lowered[:start])
    word = before.group(1) if before else ""
    if word in _PALER:
        return (
            round(rgb[0] + (255 - rgb[0]) * 0.45),
            round(rgb[1] + (255 - rgb[1]) * 0.45),
            round(rgb[2] + (255 - rgb[2]) * 0.45),
        )
    if word in _DEEPER:
        return (round(rgb[0] * 0.6), round(rgb[1] * 0.6), round(rgb[2] * 0.6))
    return rgb


#: Garments of many cultures that draw has no shape for: reported, drawn as a plain dress
#: or top in their colour (`traits.traits_from_spec`).
UNSHAPED_GARMENT: Final = re.compile(
    r"\b(saree|sari|lehenga|kurta|salwar(?: kameez)?|abaya|kaftan|ao dai|kilt|toga|sarong|"
    r"dashiki|thobe|huipil|hanbok|qipao|cheongsam|dirndl)s?\b"
)


#: On the way home from school (or work): outdoors, not in the classroom.
HOMEWARD: Final = re.compile(
    r"\b(?:walking|walk|going|heading|on (?:the|their|her|his) way|way)\s+(?:back\s+)?home"
    r"(?:\s+from\s+(?:the\s+)?(?:school|class|work))?\b|\b(?:home|back)\s+from\s+"
    r"(?:the\s+)?(?:school|class)\b"
)


#: A backdrop of one colour: "pastel pink background", "a bright yellow backdrop".
def coloured_backdrop(text: str) -> RGB | None:
    """The colour of a plain backdrop ``text`` asks for ("pastel pink background"), or
    None (a place, or no colour said before "background")."""
    return colour_said(text, "background") or colour_said(text, "backdrop")


def colour_said(text: str, noun: str) -> RGB | None:
    """The colour said right before ``noun`` ("a purple tail"), or None."""
    lowered = text.lower()
    hit = re.search(rf"\b([a-z]+)\s+(?:([a-z]+)\s+)?{re.escape(noun)}\b", lowered)
    if hit is None:
        return None
    # "a purple tail", "a purple fluffy tail", "a tiny blue cape": the colour word nearest.
    group = 2 if hit.group(2) in COLOR_RGB else 1
    if hit.group(group) not in COLOR_RGB:
        return None
    return _toned(lowered, hit.start(group), COLOR_RGB[hit.group(group)])


def colour_near(text: str, nouns: tuple[str, ...] = ()) -> RGB | None:
    """The colour named in ``text``; with ``nouns``, the colour word closest before one."""
    lowered = text.lower()
    hits = [(m.start(), m.group(1)) for m in colour_pattern().finditer(lowered)]
    if not hits:
        return None
    if nouns:
        for noun in nouns:
            at = lowered.find(noun)
            before = [h for h in hits if h[0] < at] if at >= 0 else []
            if before:
                return _toned(lowered, before[-1][0], COLOR_RGB[before[-1][1]])
    return _toned(lowered, hits[0][0], COLOR_RGB[hits[0][1]])


def eye_colour(text: str) -> RGB | None:
    """The colour said of the eyes: the colour word nearest before "eye", at most three
    words before it in the same phrase ("pink twin buns, green eyes" has green eyes,
    not pink ones; "blonde hair green eyes", green)."""
    lowered = text.lower()
    for said in re.finditer(r"((?:[a-z-]+\s+){1,3})eye", lowered):
        hits = list(colour_pattern().finditer(said.group(1)))
        if hits:
            start = said.start(1) + hits[-1].start()
            return _toned(lowered, start, COLOR_RGB[hits[-1].group(1)])
    return None


def _one_word(gender: str) -> frozenset[str]:
    return frozenset(w for w, g in PEOPLE.items() if g == gender and " " not in w)


#: Words that say a man or a boy, and a woman or a girl: the parser's people
#: (`sakuga.prompt.cast.PEOPLE`, one vocabulary for both) with their pronouns and
#: count tags.
_MASCULINE: Final = _one_word("m") | {
    *(w for w, g in PRONOUNS.items() if g == "m"),
    *("himself", "men", "boys", "guys", "dudes", "2boys", "3boys", "male", "hero"),
}
_FEMININE: Final = _one_word("f") | {
    *(w for w, g in PRONOUNS.items() if g == "f"),
    *("hers", "herself", "women", "girls", "ladies", "2girls", "3girls", "female"),
}


def _words_in(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def gendered(text: str) -> bool:
    said = _words_in(text)
    return bool(said & (_MASCULINE | _FEMININE))


#: Who is old: "an old fisherman", "grandma", "elderly" (not "17 years old", "old town").
ELDERLY: Final = re.compile(
    r"\b(?:elderly|(?<!middle )(?<!middle-)aged|grandma|grandpa|granny|grandmother|grandfather|old-timer|"
    r"senior citizen|(?<!years )(?<!year )(?<!year-)(?<!yrs )old (?!school|town|city|house|houses|book|books|tree|trees|castle|"
    r"temple|street|streets|times|style|fashioned|world|friend|friends|photo|film)[a-z]+)\b"
)


#: Outside the character's own part, "old" makes the character old only on a person
#: ("an old man fishing"): "the window seat of an old library" is no old man's.
OLD_PERSON: Final = re.compile(
    r"\b(?:elderly|grandma|grandpa|granny|grandmother|grandfather|old-timer|senior citizen|"
    r"old (?:[a-z]+ )?(?:man|men|woman|women|lady|ladies|gentleman|person|people|guy|couple|"
    r"fisherman|samurai|wizard|witch|monk|sailor|king|queen|soldier|knight|master|sensei|"
    r"teacher|warrior|hermit|sage|farmer|captain|swordsman|priest|pirate|ronin))\b"
)


#: More than one character: draw draws one, so these are reported.
SEVERAL: Final = re.compile(
    r"\b(?:[2-9]\s*(?:girls|boys|others)|(?:two|three|four|several|many) (?:girls|boys|people|"
    r"friends|characters|kids|children|women|men)|couple|duo|trio|siblings|twins|brothers|"
    r"sisters|1boy[\s,]+1girl|1girl[\s,]+1boy|"
    r"(?:girl|boy|man|woman) and (?:a |an |her |his )?(?:girl|boy|man|woman|friend))\b"
)


#: A jump: the figure in the air.
JUMP: Final = re.compile(
    r"\b(?:jump|jumps|jumping|leap|leaps|leaping|mid-air|midair|in mid air|hopping)\b"
)


#: A character's noun: with several characters said, the first is drawn.
PERSON: Final = re.compile(
    r"\b(?:\d?girls?|\d?boys?|man|men|woman|women|lady|guy|friend|kid|child|oc)\b"
)


#: Headwear or a thing said as held, not worn ("a helmet under her arm").
NOT_WORN: Final = re.compile(
    r"\b(?:under|in|beside) (?:her |his |their |one |the |an? )?(?:arm|hand)s?\b"
)


#: Words that say the character is a woman or a girl (her hair is long unless said).
SHE: Final = re.compile(
    r"\b(?:she|her|hers|girl|girls|woman|women|lady|ladies|grandmother|grandma|granny|"
    r"mother|mom|mum|aunt|queen|princess|wife|bride|1girl|onna|joshi|shoujo)\b"
)


EYES_CLOSED: Final = re.compile(
    r"\b(?:eyes? (?:closed|shut)|closed eyes|(?:close|closes|closed|closing|shut|shuts) (?:her|his|their|my) "
    r"eyes|eyes are closed)\b"
)


#: Season words, the first found deciding: a ginkgo or a maple is autumn's.
_SEASON_WORDS: Final[tuple[tuple[str, Season], ...]] = (
    (r"autumn|fall foliage|in the fall|fall season|ginkgo|maple|koyo|kouyou|momiji", "autumn"),
    (
        r"winter|snowy|snow-covered|snowfall|christmas|fuyu|in the snow|on the snow"
        r"|through the snow|snowman|snowmen",
        "winter",
    ),
    (r"spring|sakura|cherry blossoms?|haru", "spring"),
    (r"summer|natsu|midsummer", "summer"),
)


#: The flowers a flower field is drawn of, one kind ("a field of sunflowers"); no other
#: place's grass grows them.
FIELD_FLOWERS: Final = ("sunflower", "lavender", "rose")


#: A hot spring is a bath, not the season (draw has no onsen: reported).
HOT_SPRING: Final = re.compile(r"\bhot springs?\b|\bonsen\b|\brotenburo\b")


def season_of(text: str) -> Season | None:
    text = HOT_SPRING.sub(" ", text)
    for words, season in _SEASON_WORDS:
        if re.search(rf"\b(?:{words})\b", text):
            return season
    return None


def treeline_of(text: str) -> str | None:
    """Trees said to stand on open ground: conifers ("pine trees", "firs") or others
    ("trees in the distance"); None when no trees are said."""
    if re.search(r"\b(?:pine|pines|fir|firs|spruce|conifer|conifers|evergreen|cedar)s?\b", text):
        return "pine"
    if re.search(r"\btrees\b|\btree line\b|\btreeline\b", text):
        return "broad"
    return None


def trees_of(text: str) -> str | None:
    """A park's trees: the kind named, else the season's."""
    if re.search(r"\bginkgo", text):
        return "ginkgo"
    if re.search(
        r"\bbamboo (?:forest|grove|woods|thicket)|\bchikurin|\bbamboo\b(?! (?:sword|"
        r"flute|stick|basket|mat|shoot|cup|fan))",
        text,
    ):
        return "bamboo"
    if re.search(r"\b(?:maple|momiji)", text):
        return "maple"
    if re.search(r"\b(?:cherry (?:trees?|blossoms?)|sakura)\b", text):
        return "cherry"  # cherry trees said: in blossom, whatever the season said
    return {"autumn": "maple", "summer": "summer", "winter": "winter"}.get(season_of(text) or "")


def is_masculine(text: str) -> bool:
    """Whether ``text`` says a man or a boy (by a whole word: "woman" is not "man"),
    and says no woman or girl beside him."""
    said = _words_in(text)
    return bool(said & _MASCULINE) and not said & _FEMININE


def glossed(spec: ArtSpec) -> ArtSpec:
    """``spec`` with its Japanese words glossed in English ("aki (autumn)"): draw reads
    English, and the words as said stay in each phrase it reports."""
    names = names_in(spec.text or "")  # "Sora has …": a name in every part, not the sky
    update: dict[str, object] = {part: gloss(value, names) for part, value in spec.parts().items()}
    update["details"] = [gloss(d, names) for d in spec.details]
    update["text"] = gloss(spec.text, names) if spec.text else spec.text
    return spec.model_copy(update=update)


#: A cloth's print, by the words that say it.
PRINTS: Final[dict[str, str]] = {
    "striped": "stripes", "stripy": "stripes", "stripes": "stripes", "stripe": "stripes",
    "breton": "stripes", "plaid": "plaid", "tartan": "plaid", "checkered": "plaid",
    "checked": "plaid", "gingham": "plaid", "polka": "dots", "polka-dot": "dots",
    "polka-dotted": "dots", "dotted": "dots", "spotted": "dots", "floral": "flowers",
    "flowery": "flowers", "flowered": "flowers", "flower-print": "flowers", "flowers": "flowers",
    "flower": "flowers", "sparkly": "sparkles", "sparkling": "sparkles", "glittery": "sparkles",
    "glitter": "sparkles", "sequined": "sparkles", "sequinned": "sparkles", "sequins": "sparkles",
    "sequin": "sparkles", "shimmering": "sparkles", "rhinestone": "sparkles",
}  # fmt: skip
_TOPS: Final = (
    r"shirt|t-shirt|tshirt|tee|top|blouse|sweater|jumper|hoodie|sweatshirt|dress|jacket|"
    r"cardigan|coat|kimono|yukata|uniform|sailor|seifuku|pajamas|pyjamas|onesie|robe|vest|"
    r"polo|tunic|overalls|sundress|gown|frock|hanbok|qipao|cheongsam|romper|jumpsuit|apron|"
    r"crop top|tank top|camisole|haori"
)
_SKIRTS: Final = r"skirt|skirts|miniskirt"
_PRINT_WORD: Final = "|".join(sorted(map(re.escape, PRINTS), key=len, reverse=True))
_COLOURS: Final = r"(?:([a-z]+)\s+(?:and|&)\s+)?(?:([a-z]+)\s+)?"
_PRINT_BEFORE: Final = re.compile(
    rf"\b{_COLOURS}({_PRINT_WORD})(?:\s+dots?)?\s+(?:[a-z'-]+\s+){{0,3}}?({_TOPS}|{_SKIRTS})\b"
)
_PRINT_AFTER: Final = re.compile(
    rf"\b({_TOPS}|{_SKIRTS})\s+(?:with|in)\s+{_COLOURS}({_PRINT_WORD})(?:\s+dots?)?\b"
)

#: A print said: its kind (stripes, plaid, dots) and the colours said for it ("blue
#: and white striped": both; the one the cloth is not painted in is the print's).
Print = tuple[str, tuple[RGB, ...]]


def prints_of(told: str) -> dict[str, Print]:
    """The prints said on the top and on the skirt, by "top" and "skirt" ("a striped
    sailor shirt", "a red plaid skirt", "a dress with white polka dots"). A print said
    on anything else (socks, a bow) is neither (and is reported)."""
    found: dict[str, Print] = {}
    for m in _PRINT_BEFORE.finditer(told):
        where = "skirt" if re.fullmatch(_SKIRTS, m.group(4)) else "top"
        colours = tuple(COLOR_RGB[c] for c in m.group(1, 2) if c in COLOR_RGB)
        found.setdefault(where, (PRINTS[m.group(3)], colours))
    for m in _PRINT_AFTER.finditer(told):
        where = "skirt" if re.fullmatch(_SKIRTS, m.group(1)) else "top"
        colours = tuple(COLOR_RGB[c] for c in m.group(2, 3) if c in COLOR_RGB)
        found.setdefault(where, (PRINTS[m.group(4)], colours))
    return found


#: A skirt said ("a pleated skirt", "a red plaid miniskirt"), and not as a thing's
#: ("skirt steak" is no garment; "skirt" alone after "a" or a describing word is).
SKIRT: Final = re.compile(rf"\b({_SKIRTS})\b(?!\s+steak)")
SKIRT_WORDS: Final = tuple(_SKIRTS.split("|"))


def braids_of(told: str) -> int:
    """How many braids the hair is in: two ("twin braids", "two braids", "braided
    pigtails"), one ("a braid", "braided hair"), or none."""
    if re.search(
        r"\b(?:twin|two|double|side) (?:braids|plaits)\b|\bbraided (?:pigtails|twintails)\b"
        r"|\b(?:pigtail|twintail) braids\b",
        told,
    ):
        return 2
    return 1 if re.search(r"\b(?:braid|braids|braided|plait|plaits)\b", told) else 0


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


def odd_eye_colour(text: str, asked: bool) -> RGB | None:
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


#: The weather, season and time a place is drawn in: a place said only by these and a
#: noun ("a snowy bridge") shows them, not the noun (which the report names).
ATMOSPHERE: Final = frozenset((*_words_of(TIME_WORDS), *_words_of(WEATHER_WORDS), *_SEASONS_DRAWN))

DRAWN: Final[dict[str, tuple[str, ...]]] = {
    "character": (
        *_BUILD_WORDS,
        # Who a person is to another, drawn as their kind (a brother is a boy): the
        # parser's people of a gender, in one word.
        *sorted(w for w in _MASCULINE | _FEMININE if w not in PRONOUNS and w.isalpha()),
        *catalogue.words(catalogue.PROPS),
        *catalogue.words(catalogue.ACTIONS),
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
        # Anime draws its boys and girls as teenagers.
        "teenage",
        "teenager",
        "teen",
        "bald",  # the skull drawn bare (`Traits.bald`)
        "bald head",
        "baldheaded",
        "shaved head",
    ),
    "hair": (
        *_words_of(HAIR_WORDS),
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
        "bald",
        "bald head",
        "shaved head",
    ),
    "outfit": (
        *_words_of(OUTFIT_WORDS),
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
        *_words_of(EXPRESSION_WORDS),
        *_CLOSED_DRAWN,
        *catalogue.words(catalogue.MARKS),
    ),
    "pose": (
        "arms down",
        "hands down",
        "neutral pose",
        "arms at",
        *_POSE_WORDS,
        *_words_of(FRAMING_WORDS),
        *_words_of(_STANCE_WORDS),
        *BACK_WORDS,
        *TURN_WORDS,
        *OVER_SHOULDER_WORDS,
        *_words_of(GESTURE_WORDS),
        *catalogue.words(catalogue.PROPS),
        *catalogue.words(catalogue.ACTIONS),
        *_words_of(EXPRESSION_WORDS),
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
        *catalogue.words(
            (*catalogue.PLACES, *catalogue.PLACES_SAID_PLAINLY, *catalogue.PLACES_FIRST)
        ),
        "window",
        "curtains",
        "lo-fi",
        "lofi",
        *_words_of(TIME_WORDS),
        *_words_of(WEATHER_WORDS),
        *_SEASONS_DRAWN,
    ),
    "lighting": (
        *_words_of(LIGHTING_WORDS),
        *_words_of(TIME_WORDS),
        *catalogue.words(catalogue.PLACES_NAMED_ANYWHERE[:2]),  # festival lights, stage spotlights
        "light",
        "spotlight",
        *catalogue.words(catalogue.MOODS),
    ),
    "mood": (
        *catalogue.words(catalogue.MOODS),
        *_SEASONS_DRAWN,
        *_words_of(TIME_WORDS),
        *_words_of(WEATHER_WORDS),
        *_words_of(GESTURE_WORDS),
        *_words_of(EXPRESSION_WORDS),
    ),
}


#: Endings a word the engine acts on may take in the prompt ("smil": smile, smiling).
_ENDINGS = ("", "s", "es", "e", "ing", "er", "ers", "ies", "d")


def says(text: str, word: str, endings: tuple[str, ...] = _ENDINGS) -> bool:
    """``word`` as a whole word of ``text``, or with a common ending: the report's
    stricter `has` ("sea" is not in "seagulls", "light" not in "lighthouse")."""
    return said_pattern((word,), endings).search(text) is not None


WEATHER_ENDINGS: Final = (*_ENDINGS, "y", "fall", "falls", "flake", "flakes", "storm", "drop",
                           "drops", "ed", "ly")  # fmt: skip


@cache
def said_pattern(words: tuple[str, ...], endings: tuple[str, ...] = _ENDINGS) -> re.Pattern[str]:
    """The pattern `says` looks for, over all of ``words`` at once (longest first, so
    the most specific word wins where two start at one place): the report checks every
    phrase against a part's few hundred words."""
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    ends = "|".join(endings)
    return re.compile(rf"(?<![a-z])({alternatives})(?:{ends})(?![a-z])")


@cache
def hand_drawn() -> tuple[str, ...]:
    """Every word a hand-drawn part acts on: those things are theirs, not the library's."""
    return tuple(dict.fromkeys(w for words in DRAWN.values() for w in words))


def without_things_actions(spec: ArtSpec) -> ArtSpec:
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
    return find_things(AT_CAMERA.sub(r"\1viewer", told), hand_drawn())


#: "waving at (the) camera", "smiles into the camera": at the viewer, no camera drawn.
AT_CAMERA: Final = re.compile(
    r"\b((?:at|to|into|towards?|for) )(?:the )?(?:camera|lens)\b", re.IGNORECASE
)


#: A one-line prompt of labelled fields ("Character: a young woman. Hair: long blue hair.
#: Outfit: …"): a field's label after a sentence's end, each field a line of its own.
_INLINE_FIELD: Final = re.compile(r"(?:(?<=^)|(?<=[.;|]))\s*(?=[A-Z][A-Za-z ]{1,15}:\s)")
#: A field said as what is held ("Held item: paper fan"): the parser's "holding".
_HELD_LABEL: Final = re.compile(r"^held(?:\s+items?)?\s*:", re.IGNORECASE)
#: Where the clothes' list breaks between things said ("w/ purple hair + big hat").
_LIST_BREAK: Final = re.compile(r"\s*(?:\+|&|,|;|/|\bwith\b|\band\b)\s*")
#: A hair phrase ("purple hair", "long blue hair in a ponytail"), not a thing worn in
#: the hair ("a hair clip").
_HAIR_PHRASE: Final = re.compile(
    r"(?:[\w-]+\s+){1,4}hair(?:\s+(?:in|tied|up|down|pulled|worn)\b[\w\s-]*)?"
)


def read_as_said(spec: ArtSpec) -> ArtSpec:
    """``spec`` with what the parser filed under another part given back to its own:
    a one-line list of labelled fields read as fields, and a hair phrase said among the
    clothes ("witch girl w/ purple hair + big pointy black hat") as the hair."""
    text = spec.text or spec.character or ""
    if "\n" not in text and len(_INLINE_FIELD.findall(text)) >= 2:
        lines = "\n".join(
            _HELD_LABEL.sub("holding:", line.strip().rstrip(".").strip())
            for line in _INLINE_FIELD.split(text)
            if line.strip()
        )
        fielded = ArtSpec.from_text(lines)
        update: dict[str, object] = {p: getattr(fielded, p) for p in ("character", "hair", "outfit",
            "expression", "pose", "background", "lighting", "mood")}  # fmt: skip
        spec = spec.model_copy(update={**update, "details": fielded.details})
    return hair_as_hair(spec)


def hair_as_hair(spec: ArtSpec) -> ArtSpec:
    """``spec`` with a hair phrase the parser filed among the clothes ("w/ purple hair +
    big pointy black hat") given to the hair, whose colour it says."""
    if spec.hair or not spec.outfit:
        return spec
    pieces = [p for p in _LIST_BREAK.split(spec.outfit) if p]
    hair = [p for p in pieces if _HAIR_PHRASE.fullmatch(p.lower())]
    if not hair:
        return spec
    worn = [p for p in pieces if p not in hair]
    return spec.model_copy(update={"hair": ", ".join(hair), "outfit": " + ".join(worn) or None})
