"""Catalogues of the things `draw` can paint, one entry per thing (issue #31).

An entry holds its words, its category, the painter that draws it, where it goes and
its own colour. What the prompt names is looked up here and drawn as named — a straw
hat as a straw hat, in the colour said right before its noun — or, when the family is
named but no entry is ("a cowboy hat"), reported as not drawn: never swapped for
another member of the family.

Headwear, garments, roles, the face's marks and the moods live here; the others still
live in `traits`' word tables and move the same way: one entry plus a test per new thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from sakuga.engines.draw.svg import RGB
from sakuga.prompt.vocab import COLOR_RGB

Where = Literal[
    "worn", "held", "lap", "feet", "beside", "ridden", "table", "background", "sky", "face",
    "over",
]  # fmt: skip


@dataclass(frozen=True)
class Thing:
    """One thing `draw` paints: the words that name it (the most specific first in
    matching: "straw hat" before "hat"), its family, the painter's name for its shape,
    its own colour when the prompt names none (None: the outfit's), and where it goes."""

    name: str
    category: str
    words: tuple[str, ...]
    paint: str
    colour: RGB | None
    where: Where = "worn"
    #: What it says of the picture besides itself: "indoors" (a room: the weather stays
    #: outside its windows), "open sky" (the time of day grades the land below it),
    #: "unlit" (a room dim after dark), "lights" (a place that lights itself).
    implies: frozenset[str] = frozenset()
    #: An action's tool ("watering can", "broom"): a colour said right before one of
    #: these words colours the tool ("a yellow watering can"), not what it is done to.
    tools: tuple[str, ...] = ()


HEADWEAR: Final[tuple[Thing, ...]] = (
    Thing("straw hat", "headwear", ("straw hat", "mugiwara", "boater"), "straw", (234, 204, 128)),
    Thing(
        "sun hat",
        "headwear",
        ("sun hat", "sunhat", "wide-brimmed hat", "wide brimmed hat", "floppy hat", "hat"),
        "brim",
        (248, 242, 228),
    ),
    Thing(
        "witch hat",
        "headwear",
        ("witch hat", "witch's hat", "wizard hat", "pointy hat", "pointed hat"),
        "witch",
        (52, 36, 72),
    ),
    Thing("top hat", "headwear", ("top hat", "silk hat"), "top", (34, 32, 40)),
    Thing(
        "tricorn",
        "headwear",
        ("tricorn hat", "tricorne hat", "tricorn", "tricorne", "pirate hat", "three-cornered hat"),
        "tricorn",
        (40, 30, 32),
    ),
    Thing(
        "peaked cap",
        "headwear",
        (
            "peaked cap",
            "pilot cap",
            "pilot's cap",
            "captain hat",
            "captain's hat",
            "officer cap",
            "officer's cap",
            "police cap",
            "conductor cap",
            "visor cap",
        ),
        "peaked",
        (34, 40, 72),
    ),
    Thing(
        "cap",
        "headwear",
        ("baseball cap", "ball cap", "snapback", "cap"),
        "cap",
        (44, 84, 160),
    ),
    Thing(
        "beanie",
        "headwear",
        ("beanie", "knit cap", "knitted cap", "knit hat", "knitted hat", "wool hat", "toque"),
        "beanie",
        (70, 70, 82),
    ),
    Thing("beret", "headwear", ("beret",), "beret", (168, 34, 52)),
    Thing(
        "chef hat",
        "headwear",
        ("chef hat", "chef's hat", "chefs hat", "toque", "cook's hat"),
        "toque",
        (250, 250, 250),
    ),
    Thing(
        "cowboy hat",
        "headwear",
        ("cowboy hat", "cowgirl hat", "stetson", "ten-gallon hat", "ten gallon hat", "western hat"),
        "cowboy",
        (142, 98, 62),
    ),
    Thing(
        "fedora",
        "headwear",
        ("fedora", "detective hat", "trilby", "deerstalker", "panama hat"),
        "fedora",
        (80, 66, 56),
    ),
    Thing(
        "nurse cap", "headwear", ("nurse cap", "nurse's cap", "nurse hat"), "nurse", (252, 252, 252)
    ),
    Thing("helmet", "headwear", ("helmet",), "helmet", (236, 236, 242)),
    Thing("hood", "headwear", ("hood up", "hood on", "hooded cloak", "hood"), "hood", None),
)


#: Garments by kind (issue #31): each drawn with the outfit shape nearest it, in its own
#: colour unless one is said — a raincoat is a yellow coat, a trench coat a beige one, a
#: sundress a light dress — where the shape tables alone made every coat the same.
GARMENTS: Final[tuple[Thing, ...]] = (
    Thing(
        "raincoat",
        "garment",
        ("raincoat", "rain coat", "rain jacket", "slicker"),
        "jacket",
        (240, 200, 50),
    ),
    Thing(
        "trench coat", "garment", ("trench coat", "trenchcoat", "trench"), "jacket", (190, 160, 110)
    ),
    Thing(
        "duffle coat",
        "garment",
        ("duffle coat", "duffel coat", "toggle coat"),
        "jacket",
        (150, 110, 70),
    ),
    Thing("denim jacket", "garment", ("denim jacket", "jean jacket"), "jacket", (80, 110, 160)),
    Thing("leather jacket", "garment", ("leather jacket", "biker jacket"), "jacket", (36, 32, 36)),
    Thing("bomber jacket", "garment", ("bomber jacket", "flight jacket"), "jacket", (70, 84, 60)),
    Thing("lab coat", "garment", ("lab coat", "labcoat", "white coat"), "jacket", (244, 246, 250)),
    Thing(
        "parka",
        "garment",
        ("parka", "puffer", "down jacket", "winter coat"),
        "jacket",
        (90, 110, 140),
    ),
    Thing("cardigan", "garment", ("cardigan",), "jacket", (196, 170, 140)),
    Thing(
        "tracksuit",
        "garment",
        (
            "tracksuit",
            "track suit",
            "track jacket",
            "track uniform",
            "track and field uniform",
            "running clothes",
            "sportswear",
            "gym clothes",
            "gym uniform",
            "gym suit",
            "pe uniform",
            "p.e. uniform",
            "jersey",
        ),
        "jacket",
        (60, 90, 170),
    ),
    Thing(
        "sundress", "garment", ("sundress", "sun dress", "summer dress"), "dress", (250, 230, 130)
    ),
    Thing(
        "party dress",
        "garment",
        ("party dress", "evening dress", "ball gown", "gown", "cocktail dress"),
        "dress",
        (150, 30, 60),
    ),
    Thing(
        "gothic dress",
        "garment",
        ("gothic dress", "gothic lolita", "goth dress", "lolita dress"),
        "dress",
        (30, 24, 34),
    ),
    Thing("gakuran", "garment", ("gakuran", "tsume-eri"), "gakuran", (34, 34, 44)),
    Thing(  # a martial artist's wrapped jacket and belt: a kimono's shape, white
        "gi",
        "garment",
        ("martial arts gi", "karate gi", "judo gi", "karategi", "judogi", "dogi", "keikogi", "gi"),
        "kimono",
        (246, 246, 242),
    ),
    Thing("blouse", "garment", ("blouse",), "tshirt", (248, 248, 250)),
    Thing(
        "pajamas",
        "garment",
        ("pajamas", "pyjamas", "pjs", "nightgown", "nightwear"),
        "tshirt",
        (200, 210, 240),
    ),
    Thing("overalls", "garment", ("overalls", "dungarees"), "tshirt", (80, 110, 160)),
    Thing(
        "smock", "garment", ("smock", "pinafore", "kindergarten smock"), "dress", (120, 170, 220)
    ),
    Thing(
        "sports jersey",
        "garment",
        (
            "basketball uniform",
            "basketball jersey",
            "soccer uniform",
            "soccer jersey",
            "soccer kit",
            "football uniform",
            "football kit",
            "football jersey",
            "baseball uniform",
            "volleyball uniform",
            "sports uniform",
            "team uniform",
            "team jersey",
        ),
        "tshirt",
        (200, 40, 50),
    ),
    Thing(
        "military uniform",
        "garment",
        ("military uniform", "army uniform", "officer uniform", "officer's uniform"),
        "jacket",
        (92, 100, 70),
    ),
    Thing(
        "sweater",
        "garment",
        (
            "sweater",
            "jumper",
            "pullover",
            "knit sweater",
            "turtleneck",
            "oversized sweater",
            "oversize sweater",
        ),
        "sweater",
        (200, 186, 160),
    ),
)


#: What a face carries (issue #31): each drawn on the face by the painter its entry
#: names (`parts.marks`), in its own colour.
MARKS: Final[tuple[Thing, ...]] = (
    Thing(
        "freckles", "mark", ("freckles", "freckled", "sobakasu"), "freckles", (196, 120, 92), "face"
    ),
    Thing(
        "elf ears",
        "mark",
        ("elf ears", "elven ears", "pointy ears", "pointed ears", "elf", "elven", "half-elf"),
        "elf_ears",
        None,
        "face",
    ),
    Thing(
        "heterochromia",
        "mark",
        (
            "heterochromia",
            "heterochromatic",
            "odd eyes",
            "mismatched eyes",
            "two-coloured eyes",
            "two-colored eyes",
        ),
        "odd_eyes",
        (232, 184, 60),
        "face",
    ),
    Thing(
        "bandage",
        "mark",
        ("band-aid", "bandaid", "band aid", "bandage on", "plaster on", "bandaged cheek"),
        "plaster",
        (238, 200, 160),
        "face",
    ),
    Thing("eyepatch", "mark", ("eyepatch", "eye patch"), "eyepatch", (30, 30, 36), "face"),
    Thing(
        "beauty mark",
        "mark",
        ("beauty mark", "beauty spot", "mole under", "mole"),
        "mole",
        (90, 60, 56),
        "face",
    ),
    Thing(
        "eye scar",
        "mark",
        (
            *(
                f"scar {over} {whose}{side}eye"
                for over in ("over", "across", "through")
                for whose in ("his ", "her ", "the ", "one ", "their ", "")
                for side in ("left ", "right ", "")
            ),
            "eye scar",
            "scarred eye",
        ),
        "eye_scar",
        (200, 110, 110),
        "face",
    ),
    Thing("scar", "mark", ("scar", "scarred", "scars"), "scar", (200, 110, 110), "face"),
    Thing(
        "fang", "mark", ("fang", "fangs", "snaggletooth", "yaeba"), "fang", (255, 255, 255), "face"
    ),
)


#: Accessories (issue #31): each drawn by the accessory painter its entry's paint names,
#: in the colour said for accessories. Their words are looked for at the start of a word
#: ("headphone" in "headphones"), every entry said is worn.
ACCESSORIES: Final[tuple[Thing, ...]] = (
    Thing("headphones", "accessory", ("headphone", "headset", "earphone"), "headphones", None),
    Thing("earmuffs", "accessory", ("earmuff", "ear muff", "ear-muff"), "earmuffs", None),
    Thing(
        "glasses",
        "accessory",
        ("glasses", "megane", "spectacles", "sunglasses"),
        "glasses",
        None,
    ),
    # Goggles: round lenses in thick rims on a strap, over the eyes or pushed up onto
    # the forehead (`Traits.goggles_up`) — not glasses.
    Thing("goggles", "accessory", ("goggles", "goggle"), "goggles", None),
    Thing("fox ears", "accessory", ("fox ear", "fox girl", "fox boy", "kitsune"), "fox_ears", None),
    Thing(
        "wolf ears",
        "accessory",
        ("wolf ear", "wolf girl", "wolf boy", "werewolf"),
        "wolf_ears",
        None,
    ),
    Thing(
        "bunny ears",
        "accessory",
        ("bunny ear", "rabbit ear", "bunny girl", "bunny boy", "usagimimi", "usagi mimi"),
        "bunny_ears",
        None,
    ),
    Thing(
        "cat ears",
        "accessory",
        (
            "cat ear",
            "cat-ear",
            "cat ears headband",  # ears on a band: drawn as the ears
            "cat ear headband",
            "nekomimi",
            "neko mimi",
            "kemonomimi",
            "catgirl",
            "cat girl",
            "cat-girl",
            "catboy",
            "cat boy",
            "neko boy",
            "neko girl",
            "nekomusume",
        ),
        "cat_ears",
        None,
    ),
    Thing("horns", "accessory", ("horns", "demon", "oni", "dragon girl"), "horns", None),
    Thing("halo", "accessory", ("halo", "angel"), "halo", None),
    Thing("tiara", "accessory", ("tiara", "diadem", "circlet"), "tiara", None),
    Thing("crown", "accessory", ("crown", "princess", "queen", "king"), "crown", None),
    Thing("wings", "accessory", ("wings", "winged", "angel", "fairy"), "wings", None),
    Thing("choker", "accessory", ("choker",), "choker", None),
    Thing(
        "tail",
        "accessory",
        (
            "cat tail",
            "fox tail",
            "wolf tail",
            "fluffy tail",
            "a tail",
            "with a tail",
            "her tail",
            "his tail",
            "kitsune tail",
            "dragon tail",
            "demon tail",
            "devil tail",
        ),
        "tail",
        None,
    ),
    Thing("mask", "accessory", ("mask", "kitsune mask", "fox mask", "festival mask"), "mask", None),
    Thing("ribbon", "accessory", ("ribbon", "bow", "hair clip"), "ribbon", None),
    Thing("scarf", "accessory", ("scarf", "muffler"), "scarf", None),
)


def said(text: str, entries: tuple[Thing, ...]) -> list[Thing]:
    """Every entry of ``entries`` one of whose words ``text`` says at the start of a word
    ("headphone" in "headphones"), in the entries' order."""
    lowered = text.lower()
    # A short word whole only: "oni" is no start of "onions".
    return [
        e
        for e in entries
        if any(
            w in lowered and (_plural_re(w) if len(w) <= 3 else _start_re(w)).search(lowered)
            for w in e.words
        )
    ]


#: What a hand holds, hand-drawn (issue #31): the first entry said (as whole words:
#: "a wand", not "wanderer") is held, drawn by the arm painter's prop its paint names;
#: the vector library draws every other held thing.
PROPS: Final[tuple[Thing, ...]] = (
    Thing("katana", "prop", ("katana",), "katana", None, "held"),
    Thing("sword", "prop", ("sword", "blade", "swordswoman", "swordsman"), "sword", None, "held"),
    Thing("wand", "prop", ("wand",), "wand", None, "held"),
    Thing("staff", "prop", ("staff",), "staff", None, "held"),
    Thing("umbrella", "prop", ("umbrella", "parasol"), "umbrella", None, "held"),
    Thing("microphone", "prop", ("microphone", "mic", "singing into"), "microphone", None, "held"),
    Thing(
        "bow",
        "prop",
        ("bow and arrow", "archer", "holding a bow", "with a bow and"),
        "bow",
        None,
        "held",
    ),
    Thing(
        "book", "prop", ("book", "reading", "textbook", "notebook", "novel"), "book", None, "held"
    ),
    Thing(
        "mug",
        "prop",
        (
            "mug",
            "cup of",
            "coffee",
            "teacup",
            "hot drink",
            "hot chocolate",
            "cocoa",
            "paper cup",
            "coffee cup",
            "takeaway cup",
            "latte",
        ),
        "mug",
        None,
        "held",
    ),
    Thing("phone", "prop", ("smartphone", "phone", "selfie"), "phone", None, "held"),
    Thing(
        "flowers",
        "prop",
        ("bouquet", "holding flowers", "holding a rose", "a rose", "flowers in her hand"),
        "flowers",
        None,
        "held",
    ),
    Thing(
        "lantern",
        "prop",
        (
            "holding a lantern",
            "holding a paper lantern",
            "with a lantern",
            "with a paper lantern",
            "holding lantern",
            "holding paper lantern",
            "carrying a lantern",
            "carrying a paper lantern",
            "holding ちょうちん",
            "holding 提灯",
            "holding chouchin",
        ),
        "lantern",
        None,
        "held",
    ),
    Thing(
        "fan",
        "prop",
        ("folding fan", "paper fan", "with a fan", "holding a fan", "sensu"),
        "fan",
        None,
        "held",
    ),
    Thing(
        "uchiwa",
        "prop",
        ("uchiwa", "round fan", "round paper fan", "uchiwa fan"),
        "uchiwa",
        None,
        "held",
    ),
)


#: Actions done with a tool in both hands (issue #31): the arms posed on the tool, drawn
#: by `parts.tools.ToolPainter`'s method its paint names (``_doing_<paint>``), in the
#: colour said of what it is done to ("knitting a red scarf") or its own. ``where``: how
#: far it reaches — "held", in front of the chest; "feet", down to the ground (the whole
#: figure is framed). ``implies``: the words of what it shows besides itself (what is
#: knitted, swept, served or watered, and its tools) — said with it, they are drawn by
#: it; the library's things among them (a broom, a ball of yarn, a teapot) are drawn in
#: the action, not a second time.
ACTIONS: Final[tuple[Thing, ...]] = (
    Thing(
        "knitting",
        "action",
        ("knitting", "knits"),
        "knit",
        (206, 64, 78),
        "held",
        frozenset(
            {
                "yarn",
                "ball of yarn",
                "wool",
                "needles",
                "knitting needles",
                "scarf",
                "muffler",
                "sweater",
                "socks",
                "mittens",
                "blanket",
            }
        ),
    ),
    Thing(
        "sweeping",
        "action",
        ("sweeping", "sweeps"),
        "sweep",
        (214, 178, 100),
        "feet",
        frozenset({"broom", "bamboo broom", "leaves", "fallen leaves", "dust"}),
        ("broom",),
    ),
    Thing(
        "serving",
        "action",
        ("serving", "serves", "tray"),
        "serve",
        (196, 200, 210),
        "held",
        frozenset(
            {
                "tray",
                "tea",
                "coffee",
                "teapot",
                "cup",
                "teacup",
                "tea cup",
                "cup of tea",
                "cup of coffee",
                "drinks",
            }
        ),
        ("tray",),
    ),
    Thing(
        "watering",
        "action",
        # Gardening is drawn as its most told-of task: the plants watered from a can.
        (
            "watering",
            "waters the",
            "waters her",
            "waters his",
            "waters seedlings",
            "waters plants",
            "waters flowers",
            "gardening",
            "tending the garden",
        ),
        "water",
        (86, 160, 132),
        "feet",
        frozenset(
            {
                "watering can",
                "flowers",
                "flower",
                "plants",
                "plant",
                "flowerbed",
                "seedlings",
                "seedling",
                "sprouts",
                "garden",
            }
        ),
        ("watering can", "watering pot"),
    ),
    Thing(
        "cooking",
        "action",
        (
            "stirring",
            "stirs",
            "cooking",
            "cooks",
            "making soup",
            "making stew",
            "making curry",
            "making dinner",
        ),
        "stir",
        (206, 70, 60),
        "held",
        frozenset(
            {
                "cooking",  # the library's frying pan, the tool "cooking" puts in the hand
                "pot",
                "cooking pot",
                "soup pot",
                "stew pot",
                "pan",
                "saucepan",
                "pot of food",
                "pot-of-food",
                "soup",
                "stew",
                "curry",
                "ladle",
                "spoon",
                "wooden spoon",
                "steam",
                "steam rising",
                "stove",
            }
        ),
        ("pot", "saucepan", "cooking pot"),
    ),
    Thing(
        "fishing",
        "action",
        ("fishing", "casting a line", "angling"),  # ("fishes": the fish the cat is fed)
        "fish",
        (176, 124, 74),
        "feet",
        frozenset(
            {
                "fishing-pole",
                "fishing pole",
                "fishing rod",
                "fishing line",
                "rod",
                "river",
                "riverbank",
                "river bank",
                "lake",
                "lakeside",
                "pond",
                "stream",
                "water",
            }
        ),
        ("fishing rod", "fishing pole", "rod"),
    ),
)


#: What the hands wear (issue #31): each hand drawn in its colour — mittens and gloves
#: whole, fingerless gloves on the palm with the fingers bare, boxing gloves as big
#: padded fists.
HANDWEAR: Final[tuple[Thing, ...]] = (
    Thing(
        "boxing gloves",
        "handwear",
        ("boxing gloves", "boxing glove", "hand wraps", "wraps"),
        "boxing",
        (200, 36, 44),
    ),
    Thing("fingerless gloves", "handwear", ("fingerless gloves",), "fingerless", (40, 40, 46)),
    Thing("mittens", "handwear", ("mittens", "mitten"), "mittens", (200, 60, 70)),
    Thing("gloves", "handwear", ("gloves", "glove", "gauntlets"), "gloves", (244, 244, 248)),
)


@dataclass(frozen=True)
class Grade:
    """How a mood colours the whole picture, with blend modes over it (a filter costs
    more than the drawing): how much colour is taken out, the tint laid over it in
    soft light, how much it is dimmed by the tint (multiplied), a light veil screened
    over it, and how dark the corners fall."""

    desaturate: float = 0.0
    tint: float = 0.0
    dim: float = 0.0
    lift: float = 0.0
    lift_colour: RGB = (255, 255, 255)
    shade: float = 0.0


#: Moods (issue #31): each entry grades the whole picture — its colour is the tint,
#: its paint the `Grade` in `GRADES`. A mood said and not in here is reported.
MOODS: Final[tuple[Thing, ...]] = (
    Thing(
        "gloomy",
        "mood",
        (
            "gloomy",
            "somber",
            "sombre",
            "melancholic",
            "melancholy",
            "moody",
            "grim",
            "bleak",
            "dreary",
            "depressing",
            "desolate",
            "lonely",
            "loneliness",
            "hopeless",
            "tragic",
            "dark mood",
            "dark atmosphere",
            "dark vibes",
            "dark tones",
            "sad mood",
            "dim",
        ),
        "gloomy",
        (60, 80, 124),
        "over",
    ),
    Thing(
        "wistful",
        "mood",
        (
            "wistful",
            "bittersweet",
            "nostalgic",
            "nostalgia",
            "natsukashii",
            "sentimental",
            "mono no aware",
            "faded",
            "retro mood",
        ),
        "wistful",
        (236, 166, 108),
        "over",
    ),
    Thing(
        "cozy",
        "mood",
        (
            "cozy",
            "cosy",
            "warm colors",
            "warm colours",
            "warm tones",
            "warm palette",
            "comfy",
            "homely",
            "snug",
            "warm mood",
            "warm atmosphere",
            "warm",
        ),
        "cozy",
        (255, 158, 80),
        "over",
    ),
    Thing(
        "cold",
        "mood",
        (
            "cold colors",
            "cold colours",
            "cool colors",
            "cool colours",
            "cool tones",
            "cold tones",
            "cool palette",
            "icy",
            "chilly",
            "frosty",
            "cold mood",
            "cold",
        ),
        "cold",
        (96, 150, 232),
        "over",
    ),
    Thing(
        "cheerful",
        "mood",
        (
            "cheerful",
            "joy",
            "joyful",
            "joyous",
            "happy mood",
            "energetic",
            "uplifting",
            "upbeat",
            "lively",
            "vibrant",
            "vivid",
            "bright colors",
            "bright colours",
            "colorful",
            "colourful",
            "genki",
            "festive",
            "playful",
            "fun",
            "hopeful",
            "triumphant",
            "summer vibes",
            "bright",
        ),
        "cheerful",
        (255, 214, 120),
        "over",
    ),
    Thing(
        "dreamy",
        "mood",
        (
            "dreamy",
            "dreamlike",
            "ethereal",
            "whimsical",
            "magical",
            "enchanting",
            "fairytale",
            "fairy tale",
            "pastel colors",
            "pastel colours",
            "pastel",
            "iyashikei",
            "heavenly",
            "otherworldly",
            "surreal",
            "soft colors",
            "soft colours",
        ),
        "dreamy",
        (255, 206, 236),
        "over",
    ),
    Thing(
        "calm",
        "mood",
        (
            "serene",
            "tranquil",
            "peaceful",
            "calm",
            "quiet",
            "relaxed",
            "relaxing",
            "chill",
            "lofi",
            "lo fi",
            "lo-fi",
            "contemplative",
            "introspective",
            "slice of life",
            "slice-of-life",
            "quiet mood",
            "gentle mood",
            "wabi sabi",
        ),
        "calm",
        (150, 190, 226),
        "over",
    ),
    Thing(
        "eerie",
        "mood",
        (
            "mysterious",
            "eerie",
            "creepy",
            "ominous",
            "spooky",
            "haunting",
            "haunted",
            "unsettling",
            "sinister",
            "horror",
            "yugen",
        ),
        "eerie",
        (92, 60, 150),
        "over",
    ),
    Thing(
        "dramatic",
        "mood",
        (
            "epic",
            "dramatic",
            "intense",
            "heroic",
            "tense",
            "badass",
            "powerful",
            "fierce",
            "action-packed",
            "climactic",
        ),
        "dramatic",
        (250, 136, 70),
        "over",
    ),
    Thing(
        "romantic",
        "mood",
        ("romantic", "romance", "lovey", "lovey-dovey", "love mood", "valentine", "sweet mood"),
        "romantic",
        (255, 138, 178),
        "over",
    ),
)
GRADES: Final[dict[str, Grade]] = {
    "gloomy": Grade(desaturate=0.45, tint=0.38, dim=0.22, shade=0.3),
    "wistful": Grade(desaturate=0.3, tint=0.28, lift=0.12, lift_colour=(255, 236, 208)),
    "cozy": Grade(tint=0.32, shade=0.1),
    "cold": Grade(desaturate=0.15, tint=0.34),
    "cheerful": Grade(tint=0.14, lift=0.08, lift_colour=(255, 250, 236)),
    "dreamy": Grade(desaturate=0.15, tint=0.12, lift=0.22, lift_colour=(255, 228, 246)),
    "calm": Grade(desaturate=0.12, tint=0.16, lift=0.05),
    "eerie": Grade(desaturate=0.35, tint=0.42, dim=0.35, shade=0.45),
    "dramatic": Grade(tint=0.2, dim=0.12, shade=0.55),
    "romantic": Grade(tint=0.3, lift=0.08, lift_colour=(255, 222, 236)),
}


def find_all(text: str, entries: tuple[Thing, ...]) -> list[Thing]:
    """Every entry ``text`` names, in the order said, each once (its most specific
    words first: "warm colors" is one)."""
    lowered = text.lower()
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Thing]] = []
    for word, entry in _by_length(entries):
        if word not in lowered:  # most words are not said: no pattern to run
            continue
        for hit in _word_re(word).finditer(lowered):
            if any(a < hit.end() and hit.start() < b for a, b in taken):
                continue
            taken.append(hit.span())
            found.append((hit.start(), entry))
    return list(dict.fromkeys(entry for _, entry in sorted(found, key=lambda p: p[0])))


_ROOM = frozenset({"indoors"})
_OPEN = frozenset({"open sky"})


def _place(name: str, words: tuple[str, ...], implies: frozenset[str] = frozenset()) -> Thing:
    return Thing(name, "place", words, name, None, "background", implies)


#: Places (issue #31), in the order they are looked for: the first whose words the
#: background names is drawn (a cafe in the city is the cafe; "space station" before
#: space). Each is painted by `backgrounds.PAINTERS[paint]`.
PLACES: Final[tuple[Thing, ...]] = (
    _place(
        "living",
        (
            "living room",
            "livingroom",
            "lounge",
            "sitting room",
            "at home",
            "family room",
            "fireplace",
            "log cabin",
            "cabin",
            "cottage",
            "mountain lodge",
            "chalet",
        ),
        _ROOM,
    ),
    _place(
        "bedroom",
        (
            "bedroom",
            "bed room",
            "my room",
            "her room",
            "his room",
            "lofi room",
            "lo-fi room",
            "desk at night",
            "dorm room",
            "study room",
            "cozy desk",
            "computer desk",
            "gaming desk",
            "gaming setup",
            "gaming room",
            "desk with computer",
            "desk with a computer",
            "desk with a pc",
            "pc setup",
        ),
        _ROOM,
    ),
    _place("kitchen", ("kitchen",), _ROOM),
    _place(
        "washitsu",
        (
            "tatami",
            "washitsu",
            "shoji",
            "japanese room",
            "japanese-style room",
            "fusuma",
            "tokonoma",
            "ryokan",
            "chabudai",
            "kotatsu",
            "japanese living room",
            "japanese house",
            "japanese home",
            "traditional room",
            "traditional japanese room",
            "tatami room",
        ),
        _ROOM,
    ),
    _place(
        "hallway",
        ("school hallway", "hallway", "corridor", "lockers", "locker room", "school corridor"),
        _ROOM | {"unlit"},
    ),
    _place(
        "gym",
        ("boxing ring", "wrestling ring", "boxing gym", "boxing club"),
        _ROOM | {"lights"},
    ),
    _place(
        "hangar",
        ("mecha hangar", "hangar", "robot hangar", "mech bay", "mecha bay", "giant robot"),
        _ROOM | {"lights"},
    ),
    _place(
        "garage",
        ("garage", "car garage", "auto shop", "auto repair shop", "mechanic's garage"),
        _ROOM,
    ),
    _place("office", ("office", "cubicle", "meeting room", "at work", "workplace"), _ROOM),
    _place(
        "underwater",
        (
            "underwater",
            "under the sea",
            "under water",
            "undersea",
            "coral reef",
            "aquarium",
            "beneath the waves",
            "ocean floor",
        ),
    ),
    _place(
        "ruins",
        (
            "ruined city",
            "city ruins",
            "ruined town",
            "post-apocalyptic",
            "post apocalyptic",
            "apocalypse",
            "destroyed city",
            "abandoned city",
            "wasteland",
            "war-torn",
        ),
        _OPEN,
    ),
    _place(
        "shops",
        (
            "shopping street",
            "shop street",
            "shotengai",
            "shopping district",
            "market street",
            "yatai",
            "food stall",
            "small shop",
            "shop",
            "store",
            "bakery",
            "flower shop",
            "bookshop",
            "convenience store",
        ),
        _OPEN,
    ),
    _place(
        "desert",
        ("desert", "sand dunes", "dunes", "sahara", "oasis", "sand sea", "badlands"),
        _OPEN,
    ),
    _place(
        "festival", ("festival", "matsuri", "fireworks", "lanterns", "fair"), frozenset({"lights"})
    ),
    _place(
        "stage", ("stage", "concert", "live show", "spotlight", "idol show"), frozenset({"lights"})
    ),
    _place("shrine", ("shrine", "torii", "temple", "jinja"), _OPEN),
    _place("rooftop", ("rooftop", "roof"), _OPEN),
    _place(
        "platform",
        (
            "train station",
            "railway station",
            "station platform",
            "train platform",
            "platform",
            "subway station",
            "metro station",
            "waiting for the train",
            "waiting for a train",
        ),
        _OPEN,
    ),
    _place(
        "airport",
        (
            "airport",
            "airport terminal",
            "departure lounge",
            "departures lounge",
            "departure gate",
            "boarding gate",
            "check-in counter",
        ),
        _ROOM,
    ),
    _place("lighthouse", ("lighthouse", "light house", "lighthouse coast"), _OPEN),
    _place(
        "pier",
        ("pier", "wooden pier", "fishing pier", "jetty", "wharf", "dock", "boardwalk"),
        _OPEN,
    ),
    _place(
        "hospital",
        (
            "hospital",
            "hospital corridor",
            "hospital hallway",
            "hospital ward",
            "clinic",
            "infirmary",
            "hospital room",
        ),
        _ROOM,
    ),
    _place("train", ("train", "subway", "metro", "railway", "carriage", "tram"), _ROOM),
    _place("library", ("library", "bookshelf", "bookshelves", "bookstore", "book shop"), _ROOM),
    _place("castle", ("throne", "castle", "palace", "ballroom", "royal hall"), _ROOM),
    _place(
        "ramparts",
        (
            "castle gate",
            "castle gates",
            "castle wall",
            "castle walls",
            "outside the castle",
            "outside a castle",
            "in front of the castle",
            "in front of a castle",
            "castle courtyard",
            "castle exterior",
            "fortress",
            "ramparts",
            "battlements",
            "drawbridge",
        ),
        _OPEN,
    ),
    _place(
        "flowers",
        (
            "flower field",
            "field of flowers",
            "flower meadow",
            "meadow of flowers",
            "flower garden",
            "rose garden",
            "garden of roses",
            "rose bushes",
            "rosebushes",
            "sunflower",
            "lavender field",
            "flowers",
        ),
        _OPEN,
    ),
    _place(
        "station",
        ("space station", "spaceship", "space ship", "starship", "spacecraft", "cockpit"),
        _ROOM,
    ),
    _place("plain", ("plain", "simple", "white background", "transparent", "gradient", "studio")),
    _place(
        "moon",
        (
            "on the moon",
            "lunar surface",
            "moon surface",
            "surface of the moon",
            "moon's surface",
            "moonscape",
            "moon base",
            "moonbase",
            "lunar base",
            "on the lunar",
        ),
    ),
    _place("space", ("space", "galaxy", "star", "nebula", "cosmos")),
    _place(
        "amusement",
        (
            "amusement park",
            "theme park",
            "funfair",
            "fun fair",
            "fairground",
            "ferris wheel",
            "roller coaster",
            "rollercoaster",
            "carousel",
            "merry-go-round",
        ),
        _OPEN,
    ),
    _place(
        "art room",
        (
            "art room",
            "art studio",
            "art class",
            "art classroom",
            "artist's studio",
            "artist studio",
            "painting studio",
            "atelier",
        ),
        _ROOM,
    ),
    _place("sakura", ("sakura", "cherry", "blossom", "park", "garden", "spring"), _OPEN),
    _place("classroom", ("classroom", "school"), _ROOM | {"unlit"}),
    _place(  # one tree over the figure, not a forest behind it
        "tree",
        (
            "under a tree",
            "under the tree",
            "under a big tree",
            "under a large tree",
            "under an old tree",
            "under a cherry tree",
            "under the cherry tree",
            "under an oak tree",
            "under a sakura tree",
            "beneath a cherry tree",
            "beneath a tree",
            "beneath the tree",
            "in the shade of a tree",
            "lone tree",
        ),
        _OPEN,
    ),
    _place("forest", ("forest", "woods", "jungle", "tree", "bamboo grove", "chikurin")),
    _place("beach", ("beach", "sea", "ocean", "shore", "seaside"), _OPEN),
    _place(
        "cafe",
        (
            "cafe",
            "café",
            "coffee",
            "restaurant",
            "coffee shop",
            "tea room",
            "tearoom",
            "ramen shop counter",
            "ramen counter",
            "ramen shop",
            "ramen restaurant",
            "ramen-ya",
            "ramenya",
            "ramen stand",
            "ramen stall",
            "inside a ramen shop",
            "ramen bar",
            "noodle shop",
            "noodle bar",
            "izakaya",
            "diner",
            "sushi bar",
            "bistro",
        ),
        _ROOM,
    ),
    _place(
        "city",
        (
            "city",
            "street",
            "streetlamp",
            "street lamp",
            "streetlight",
            "neon",
            "alley",
            "tokyo",
            "shibuya",
            "urban",
            "town",
            "light",
            "megacity",
            "metropolis",
            "downtown",
        ),
        _OPEN,
    ),
    _place(
        "hill",
        (
            "hill",
            "hilltop",
            "hillside",
            "meadow",
            "field",
            "grassland",
            "grass field",
            "field of grass",
            "grass",
            "lawn",
            "prairie",
            "countryside",
            "mountain",
            "mountaintop",
            "grassy",
            "tundra",
            "snowfield",
            "snow field",
            "steppe",
        ),
        _OPEN,
    ),
    _place("sky", ("sky", "cloud"), _OPEN),
)
#: What each place's painting shows besides itself: said in a prompt, it is drawn.
SHOWN_BY_PLACE: Final[dict[str, tuple[str, ...]]] = {
    "amusement": ("bunting", "flags", "rides", "tent", "big top"),
    "art room": (
        "easel",
        "easels",
        "canvas",
        "canvases",
        "paint jars",
        "paints",
        "windows",
        "big windows",
        "large windows",
    ),
    "office": ("computer", "computers", "desk", "desks", "monitor", "windows", "skyline"),
    "hangar": ("robot", "mecha", "mech", "catwalk", "girders"),
    "gym": ("ropes", "ring", "spotlights"),
    "hallway": ("lockers", "locker", "windows", "corridor"),
    "underwater": ("fish", "coral", "seaweed", "light rays", "sunbeams", "sand"),
    "ruins": ("rubble", "broken buildings", "ivy", "vines", "debris"),
    "classroom": ("desks", "desk", "windows"),
    "bedroom": ("desk", "computer", "bed"),
    "garage": (
        "workbench",
        "tools",
        "pegboard",
        "roll-up door",
        "garage door",
        "concrete floor",
        "hanging lamp",
    ),
    "station": ("stars", "planet", "planets", "window", "space"),
    "moon": ("earth", "the earth", "planet earth", "stars", "craters", "crater", "space"),
    "desert": ("sand", "dunes", "heat haze", "sun"),
    "library": ("books", "bookshelves", "shelves"),
    "airport": (
        "departure board",
        "departures board",
        "plane",
        "airplane",
        "planes",
        "runway",
        "window",
        "windows",
    ),
    "lighthouse": ("sea", "ocean", "waves", "cliff", "rocks", "coast", "beam"),
    "pier": ("sea", "ocean", "water", "waves", "planks", "boards", "lake", "harbor", "harbour"),
    "hospital": ("corridor", "hallway", "doors", "handrail", "windows"),
    "castle": ("banners", "windows", "stone walls", "red carpet", "carpet"),
    "ramparts": (
        "castle",
        "palace",
        "gate",
        "gates",
        "walls",
        "stone walls",
        "towers",
        "tower",
        "flags",
        "pennants",
    ),
    "shrine": ("trees", "forest", "woods", "stone lanterns", "gate"),
    "rooftop": ("fence", "chain-link fence", "chainlink fence", "railing", "skyline"),
    # (`backgrounds.town.city` stands a lamp post every 380 units along the street.)
    "city": ("street lamps", "street lamp", "streetlamps", "streetlights", "lamp posts", "lamps"),
}


@dataclass(frozen=True)
class Feature:
    """A part of a place drawn only where the prompt says it (a fireplace in a living
    room, stone steps up to a shrine): its words, the places whose painter draws it,
    and the place it sets when the prompt names none (None: it sets none)."""

    name: str
    words: tuple[str, ...]
    places: frozenset[str]
    home: str | None = None
    #: What it shows besides itself, drawn where the prompt names it (a ramen shop's
    #: counter and noren), though naming these alone does not set it.
    shows: tuple[str, ...] = ()


#: Features of places (issue #31): `traits.Traits.features` holds those said where the
#: place drawn has them; a feature said elsewhere is reported, never swapped.
FEATURES: Final[tuple[Feature, ...]] = (
    Feature(
        "fireplace",
        (
            "fireplace",
            "fire place",
            "fireside",
            "hearth",
            "by the fire",
            "near the fire",
            "beside the fire",
            "before the fire",
            "in front of the fire",
            "crackling fire",
            "roaring fire",
            "log fire",
            "cozy fire",
            "cosy fire",
        ),
        frozenset({"living"}),
        home="living",
    ),
    # A log cabin's room: the living room's, its walls of logs.
    Feature(
        "log walls",
        ("log cabin", "cabin", "cottage", "mountain lodge", "chalet"),
        frozenset({"living"}),
    ),
    # A ramen shop: the cafe's room with a noren, menu tags, the counter and its bowls.
    Feature(
        "ramen counter",
        (
            "ramen shop counter",
            "ramen shop",
            "ramen counter",
            "ramen bar",
            "ramen restaurant",
            "ramen-ya",
            "ramenya",
            "ramen stand",
            "ramen stall",
            "noodle shop",
            "noodle bar",
        ),
        frozenset({"cafe"}),
        home="cafe",
        shows=("shop counter", "counter", "noren curtain", "noren", "shop"),
    ),
    Feature(
        "steps",
        (
            "shrine steps",
            "stone steps",
            "stone stairs",
            "steps",
            "stairs",
            "staircase",
            "stairway",
        ),
        frozenset({"shrine"}),
    ),
)


def features_said(text: str) -> list[Feature]:
    """The `FEATURES` ``text`` names (as whole words or plurals), in catalogue order."""
    lowered = text.lower()
    return [
        f for f in FEATURES if any(w in lowered and _plural_re(w).search(lowered) for w in f.words)
    ]


#: Words that name a place only when nothing more specific is said: a station said
#: plainly is a train's (after space), a room said plainly one's own.
PLACES_SAID_PLAINLY: Final[tuple[Thing, ...]] = (
    _place("platform", ("station",), _OPEN),
    _place("bedroom", ("room", "indoors", "inside"), _ROOM),  # one's own room, said plainly
)


#: Places a light or a detail names as well as a background ("stage lights", "under
#: the festival's lanterns", "neon street lights").
PLACES_NAMED_ANYWHERE: Final[tuple[Thing, ...]] = (
    *(e for e in PLACES if e.name in ("festival", "stage")),
    _place("city", ("street", "city", "urban", "skyline")),
)


#: Places said in words that name nothing else, read over the whole prompt first: "a
#: girl under the sea" is under it ("under" starts a place, leaving "sea" alone).
PLACES_FIRST: Final[tuple[Thing, ...]] = (
    # (The parser keeps only "moon" of "standing on the moon": a sky's, read alone.)
    # ("Hugging under a tree": the parser keeps only "tree", a forest's word.)
    *(e for e in PLACES if e.name in ("underwater", "moon", "tree")),
    # ("eating cotton candy at the funfair": the parser keeps the fair in the pose.)
    *(e for e in PLACES if e.name in ("amusement", "art room")),
    # Inside a shop that sells to eat: the cafe's room, not the street of shopfronts that
    # a bakery said plainly is.
    _place(
        "cafe",
        (
            "bakery interior",
            "inside a bakery",
            "inside the bakery",
            "in the bakery",
            "bakery counter",
        ),
        _ROOM,
    ),
    # "by the window" (the parser keeps only "window"): a room, its window beside her.
    _place(
        "living",
        (
            "by the window",
            "by window",
            "by a window",
            "windowsill",
            "window sill",
            "next to the window",
            "next to a window",
            "at the window",
            "at a window",
            "rainy window",
            "next to a rainy window",
        ),
        _ROOM,
    ),
)


#: Every place entry, under any of its lists.
ALL_PLACES: Final = (*PLACES, *PLACES_SAID_PLAINLY, *PLACES_NAMED_ANYWHERE, *PLACES_FIRST)


#: Places that are scenery more than a setting: named beside a room, the room wins.
_SCENERY: Final = frozenset({"sakura", "flowers", "sky"})


#: A place phrase that is one tree and nothing else ("tree", "a big old tree", "the
#: oak tree"): not "trees", not "a tree house".
ONE_TREE: Final = re.compile(
    r"(?:(?:a|an|the|one|single|lone|big|large|old|tall|great|oak|cherry|sakura|maple|ginkgo|apple|willow)\s+)*tree"
)


def place(text: str, among: tuple[Thing, ...] = ()) -> Thing | None:
    """The place of `PLACES` (or ``among``) that ``text`` names first — the first of its
    comma-separated phrases that names one, and in it the head, the place word that
    ends last ("school rooftop", "sakura park", "space station") — as a whole word or
    with a plural's ending ("lanterns"); a room or a station said plainly only when
    nothing else is; None when it names none."""
    entries = among or PLACES
    phrases = text.lower().split(",")
    for at, phrase in enumerate(phrases):  # the place said first, phrase by phrase
        found: list[tuple[int, int, int, Thing]] = []
        for order, entry in enumerate(entries):
            for w in entry.words:
                hit = _plural_re(w).search(phrase) if w in phrase else None
                if hit is not None:
                    found.append((-(hit.start() + len(w)), -len(w), order, entry))
        if found:  # in a phrase, its head: the last place word ("school rooftop")
            chosen = min(found, key=lambda f: f[:3])[3]
            if chosen.name == "forest" and ONE_TREE.fullmatch(phrase.strip()) and not among:
                # "Under a tree", read down to its place ("tree", "big oak tree"): one
                # tree, not a forest (the together path's scene has no "under a").
                return next(e for e in PLACES if e.name == "tree")
            if chosen.name == "forest" and not re.search(r"\b(?:forest|woods|jungle)", phrase):
                # Trees said before a place ("maple trees, a temple gate behind her"):
                # the trees stand at that place.
                later = place(",".join(phrases[at + 1 :]), among) if at + 1 < len(phrases) else None
                if later is not None and later.name not in _SCENERY:
                    return later
            said_sky = re.search(r"\b(?:sky|skies)\b", phrase) is not None  # not "clouds"
            if chosen.name == "sky" and said_sky:
                # "night sky, full moon, city rooftop": the sky over the place said after.
                for j in range(at + 1, len(phrases)):
                    later = place(",".join(phrases[j:]), among)
                    if later is not None and later.name not in ("sky", "space"):
                        return later
            if chosen.name == "hill" and not among and at + 1 < len(phrases):
                # "a field, sunflowers", "a hill with lavender": the flowers on that land.
                later = place(",".join(phrases[at + 1 :]))
                if later is not None and later.name == "flowers":
                    return later
            if chosen.name in _SCENERY and not among:
                # Cherry blossoms and a classroom: the room, its window on the blossoms.
                rooms = said(text, tuple(e for e in PLACES if "indoors" in e.implies))
                return rooms[0] if rooms else chosen
            return chosen
    return None if among else place(text, PLACES_SAID_PLAINLY)


def implied(name: str, what: str) -> bool:
    """Whether the place ``name`` implies ``what`` ("indoors", "open sky"…)."""
    return any(e.name == name and what in e.implies for e in PLACES)


@dataclass(frozen=True)
class Role:
    """Who the character is, when the prompt says it and not what they wear: what a
    reader recognises the role by — the outfit and its colour, and what goes with it
    (glasses, a headwear kind from `HEADWEAR`). What the prompt says itself wins."""

    name: str
    words: tuple[str, ...]
    outfit: str
    colour: RGB | None = None
    accessories: tuple[str, ...] = ()
    headwear: str | None = None
    #: A robe's lower half in its own colour: a hakama (a shrine maiden's red one).
    lower: RGB | None = None


ROLES: Final[tuple[Role, ...]] = (
    Role("knight", ("knight", "paladin", "crusader"), "armor"),
    Role("idol", ("idol", "pop star", "popstar"), "idol"),
    Role(
        "magical girl",
        ("magical girl", "mahou shoujo", "mahou shojo", "maho shoujo"),
        "idol",
        (246, 150, 196),
    ),
    Role("witch", ("witch", "sorceress"), "cloak", (52, 36, 72), headwear="witch hat"),
    Role("mage", ("wizard", "mage", "sorcerer", "warlock"), "cloak", (40, 50, 110)),
    Role("vampire", ("vampire",), "cloak", (30, 20, 30)),
    Role("maid", ("maid",), "apron"),
    Role(
        "samurai",
        ("samurai", "ronin", "swordsman", "swordswoman"),
        "kimono",
        (40, 44, 72),
        lower=(72, 74, 86),
    ),
    Role("miko", ("miko", "shrine maiden"), "kimono", (236, 236, 240), lower=(196, 36, 48)),
    Role("ninja", ("ninja", "shinobi", "kunoichi"), "kimono", (34, 34, 44)),
    Role(
        "chef",
        ("chef", "cook", "baker", "pastry chef"),
        "apron",
        (248, 248, 248),
        headwear="chef hat",
    ),
    Role("doctor", ("doctor", "scientist", "researcher", "chemist"), "jacket", (244, 246, 250)),
    Role("nurse", ("nurse",), "dress", (250, 250, 252), headwear="nurse cap"),
    # A pirate (a pirate captain too) in a long red coat and a tricorn: no naval officer.
    Role(
        "pirate",
        ("pirate", "pirate captain", "buccaneer", "corsair"),
        "jacket",
        (128, 30, 40),
        headwear="tricorn",
    ),
    Role(
        "pilot", ("pilot", "airline pilot", "captain"), "suit", (30, 38, 70), headwear="peaked cap"
    ),
    Role("aviator", ("aviator", "fighter pilot"), "jacket", (120, 84, 52), ("glasses",)),
    Role(
        "astronaut",
        ("astronaut", "cosmonaut", "spaceman"),
        "plugsuit",
        (240, 240, 244),
        headwear="helmet",
    ),
    Role(
        "mecha pilot",
        ("mecha pilot", "eva pilot", "racer", "racing driver"),
        "plugsuit",
        (236, 236, 242),
    ),
    Role(
        "firefighter",
        ("firefighter", "fireman", "firewoman"),
        "jacket",
        (196, 150, 60),
        headwear="helmet",
    ),
    Role("student", ("schoolgirl", "school girl", "schoolboy", "school boy", "student"), "sailor"),
    Role(
        "office",
        ("office worker", "office lady", "salaryman", "businessman", "businesswoman", "ceo"),
        "suit",
        (44, 48, 66),
    ),
    Role("detective", ("detective", "sleuth", "spy"), "jacket", (150, 116, 76), headwear="fedora"),
    Role("librarian", ("librarian", "bookworm"), "jacket", (122, 96, 80), ("glasses",)),
    Role("fisher", ("fisherman", "fisherwoman", "sailor man", "fisher"), "jacket", (232, 196, 60)),
    Role("farmer", ("farmer", "gardener"), "tshirt", (110, 140, 90), headwear="straw hat"),
    Role(
        "cowboy",
        ("cowboy", "cowgirl", "rancher", "wrangler", "gunslinger"),
        "jacket",
        (150, 104, 66),
        headwear="cowboy hat",
    ),
    Role("boxer", ("boxer", "fighter", "martial artist", "athlete"), "tshirt", (200, 40, 50)),
    Role("soldier", ("soldier", "ranger", "mercenary"), "jacket", (96, 104, 70)),
    Role("princess", ("princess", "queen", "empress"), "dress", (236, 170, 200), ("crown",)),
    Role("bride", ("bride",), "dress", (250, 250, 252)),
    Role("mermaid", ("mermaid", "merman", "mermaid girl", "ningyo"), "swimsuit", (236, 200, 220)),
    Role("nun", ("nun", "priestess", "priest", "cleric"), "cloak", (28, 28, 36)),
    Role(
        "police",
        ("police officer", "policewoman", "policeman", "cop"),
        "blazer",
        (34, 44, 92),
        headwear="peaked cap",
    ),
    Role("gamer", ("gamer", "streamer", "vtuber"), "hoodie", None, ("headphones",)),
    Role("hacker", ("hacker", "netrunner"), "hoodie", (34, 34, 42), ("headphones",)),
    Role(
        "musician",
        ("guitarist", "bassist", "drummer", "rock star", "rockstar"),
        "jacket",
        (30, 30, 36),
    ),
)


#: Where a role is at home, drawn when the prompt names no place (a shrine maiden
#: sweeping leaves stood in empty sky): the place's `PLACES` name.
ROLE_PLACES: Final[dict[str, str]] = {
    "miko": "shrine",
    "chef": "kitchen",
    "librarian": "library",
    "idol": "stage",
    "astronaut": "space",
    "mecha pilot": "hangar",
    "pilot": "airport",
    "aviator": "sky",
    "office": "office",
    "boxer": "gym",
    "mermaid": "underwater",
    "princess": "castle",
    "knight": "castle",
    "maid": "cafe",
    "student": "classroom",
    "fisher": "beach",
    "farmer": "hill",
    "samurai": "forest",
    "ninja": "rooftop",
    "detective": "city",
    "police": "city",
    "musician": "stage",
    "gamer": "bedroom",
}


#: A role's word that only says what kind a thing is ("pirate ship", "pirate flag").
_ROLE_OF_A_THING: Final = re.compile(r"\s+(?:ships?|boats?|flags?|treasure|maps?|coves?)\b")


def role(text: str) -> Role | None:
    """The role ``text`` names (whole words, the most specific first), or None. A role
    word that names a kind of headwear ("a chef's hat", "a witch hat") is the hat's."""
    lowered = text.lower()
    worn = "|".join(FAMILY_NOUNS["headwear"])
    for word, entry in sorted(((w, r) for r in ROLES for w in r.words), key=lambda p: -len(p[0])):
        if word not in lowered:
            continue
        for hit in _plural_re(word).finditer(lowered):  # "two idols" are idols
            after = lowered[hit.end() :]
            if _ROLE_OF_A_THING.match(after):
                continue  # "a pirate ship" is a ship, no pirate
            if not re.match(rf"(?:'s)?\s+(?:{worn})\b", after):
                return entry
    return None


#: What a character wears when the prompt names no outfit and no role, by place: the
#: versions pick among them (a girl in a cafe in a dress, a jacket or a shirt; at a
#: festival in a yukata), instead of one hoodie for everyone.
WARDROBE: Final[dict[str, tuple[str, ...]]] = {
    "classroom": ("sailor", "blazer"),
    "library": ("blazer", "sailor", "jacket"),
    "festival": ("kimono",),
    "shrine": ("kimono", "dress"),
    "beach": ("tshirt", "dress", "swimsuit"),
    "cafe": ("dress", "jacket", "tshirt", "hoodie"),
    "city": ("jacket", "hoodie", "tshirt"),
    "station": ("jacket", "blazer", "hoodie"),
    "train": ("jacket", "blazer", "hoodie"),
    "platform": ("jacket", "blazer", "hoodie", "sailor"),
    "stage": ("idol",),
    "castle": ("dress", "cloak", "armor"),
    "forest": ("cloak", "jacket", "dress"),
    "space": ("plugsuit",),
    "living": ("hoodie", "tshirt", "dress"),
    "bedroom": ("hoodie", "tshirt"),
    "kitchen": ("apron", "tshirt", "hoodie"),
}
WARDROBE_ANYWHERE: Final = ("hoodie", "jacket", "tshirt", "dress", "sailor")
#: Colours a free outfit takes besides the style's own: navy, cream, dusty rose, sage,
#: camel, sky blue.
WARDROBE_COLOURS: Final[tuple[RGB, ...]] = (
    (44, 56, 96),
    (240, 232, 214),
    (206, 140, 150),
    (138, 160, 128),
    (190, 150, 100),
    (140, 180, 220),
)
#: Outfits drawn only for a feminine character unless asked (a boy in a skirt is his
#: own choice to say).
SKIRTED: Final = frozenset({"dress", "sailor", "idol", "apron"})


#: Outfits for the young only (no grandma in a school uniform or an idol's costume).
YOUTHFUL: Final = frozenset({"sailor", "blazer", "idol", "swimsuit", "hoodie"})


#: What keeps out the cold: a winter prompt's outfits are among these.
WARM: Final = frozenset({"jacket", "hoodie", "cloak", "kimono", "blazer", "suit", "armor"})


def wardrobe(
    place: str,
    masculine: bool,
    elderly: bool = False,
    season: str | None = None,
    *,
    wet_or_dark: bool = False,
) -> tuple[str, ...]:
    """The outfits versions pick among for a character at ``place`` (and ``season``);
    ``wet_or_dark``: under rain, snow or lightning, or at night (no swimsuit then)."""
    choices = WARDROBE.get(place, WARDROBE_ANYWHERE)
    if wet_or_dark:
        choices = tuple(o for o in choices if o != "swimsuit") or choices
    if season == "winter":
        choices = tuple(o for o in choices if o in WARM) or ("jacket", "hoodie")
    if masculine:
        choices = tuple(o for o in choices if o not in SKIRTED)
    if elderly:
        choices = tuple(o for o in choices if o not in YOUTHFUL)
    if not choices:
        choices = ("jacket", "tshirt") if masculine else ("jacket", "dress")
    return choices


#: The library's things each room is furnished with (`backgrounds.home`): a sofa the
#: prompt names in a living room is that sofa, not a second one.
FURNISHED: Final[dict[str, frozenset[str]]] = {
    "living": frozenset({"couch-and-lamp", "potted-plant", "framed-picture"}),
    "bedroom": frozenset({"bed", "desktop-computer", "potted-plant"}),
    "kitchen": frozenset({"cooking", "teapot"}),
    # The terminal's own airliner at the gate, through its glass (not a second one).
    "airport": frozenset({"airplane", "airplane-departure", "airplane-arrival", "small-airplane"}),
}


#: The nouns that name a member of each family: said with a word no entry knows
#: ("cowboy hat", "chef's hat"), the thing is reported, not swapped.
FAMILY_NOUNS: Final[dict[str, tuple[str, ...]]] = {
    "headwear": tuple(
        [
            "hat",
            "cap",
            "helmet",
            "hood",
            "beanie",
            "beret",
            "bandana",
            "bandanna",
            "headband",
            "headdress",
            "headpiece",
            "turban",
            "headscarf",
            "mortarboard",
            "bonnet",
            "visor",
            "fedora",
            "sombrero",
        ]
    ),
    "place": ("field", "hall", "hallway", "corridor"),
}

#: Words that may stand before a family noun without making it another kind.
_PLAIN: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "her",
        "his",
        "their",
        "its",
        "my",
        "your",
        "big",
        "small",
        "little",
        "large",
        "tiny",
        "cute",
        "oversized",
        "old",
        "new",
        "wide",
        "long",
        "narrow",
        "empty",
        "quiet",
        "dim",
        "floppy",
        "soft",
        "knit",
        "knitted",
        "wool",
        "woolen",
        "woollen",
        "fluffy",
        "pointy",
        "pointed",
        "tall",
        "favourite",
        "favorite",
        "matching",
        "simple",
        "plain",
        "striped",
        "worn",
        "backwards",
        "sideways",
        "and",
        "or",
        "with",
        "in",
        "on",
        "under",
        "wearing",
        "wears",
        "wore",
        "plus",
        "also",
        "no",
        "dark",
        "light",
        "pale",
        "bright",
        # The weather and the season a place is in: drawn by the scene's own weather
        # ("a snowy field" is the field in winter, not a kind of field).
        "snowy",
        "snow-covered",
        "frozen",
        "icy",
        "rainy",
        "sunny",
        "misty",
        "foggy",
        "windy",
        "grassy",
        "green",
        "open",
        "vast",
        "quiet",
        "empty",
        "spring",
        "summer",
        "autumn",
        "winter",
    ]
)


def _word(word: str) -> str:
    return rf"(?<![\w-]){re.escape(word)}(?![\w-])"


@cache
def colour_names() -> str:
    """Every colour name as one regex alternation, the longest first ("sky blue" before
    "blue")."""
    return "|".join(re.escape(n) for n in sorted(COLOR_RGB, key=len, reverse=True))


@cache
def _by_length(entries: tuple[Thing, ...]) -> list[tuple[str, Thing]]:
    return sorted(((w, e) for e in entries for w in e.words), key=lambda p: -len(p[0]))


@cache
def _word_re(word: str) -> re.Pattern[str]:
    """``word`` as a whole word, compiled once (the catalogues hold about a thousand:
    more than `re`'s own cache keeps)."""
    return re.compile(_word(word))


@cache
def _start_re(word: str) -> re.Pattern[str]:
    """``word`` at the start of a word ("lantern" in "lanterns"), compiled once."""
    return re.compile(rf"(?<![a-z]){re.escape(word)}")


@cache
def _plural_re(word: str) -> re.Pattern[str]:
    """``word`` as a whole word or its plural ("lanterns", "beaches"), compiled once —
    not the start of another word ("sea" is not in "seat", "fair" not in "fairy")."""
    return re.compile(rf"(?<![a-z]){re.escape(word)}(?:s|es)?(?![a-z])")


#: Words of an entry that, before another noun, say what kind that noun is instead.
_ANOTHER_THING: Final = {
    "reading": re.compile(r"\s+(?:glasses|spectacles|lamp|light|nook|room|corner)\b"),
    "sweeping": re.compile(r"\s+(?:views?|vistas?|landscapes?|panoramas?|shots?|angles?)\b"),
}


def another_thing(text: str, word: str) -> bool:
    """Whether ``word`` is said in ``text`` only as the kind of another noun ("reading
    glasses")."""
    after = _ANOTHER_THING.get(word)
    if after is None:
        return False
    lowered = text.lower()
    hits = list(_word_re(word).finditer(lowered))
    return bool(hits) and all(after.match(lowered, h.end()) for h in hits)


def find(text: str, entries: tuple[Thing, ...]) -> tuple[Thing, RGB | None] | None:
    """The entry ``text`` names (its most specific words first) and the colour said for
    it — right before its noun, or with one word between ("a white knit beanie") — or
    None. A family noun said with a kind no entry knows finds nothing."""
    lowered = text.lower()
    for word, entry in _by_length(entries):
        # A colour said inside a kind's words ("a pointy blue hat"): that kind, that colour.
        split = _split_re(word).search(lowered) if " " in word else None
        if split is not None:
            return entry, COLOR_RGB[split.group(1)]
        if word not in lowered:
            continue
        # A garment said of several is the same garment ("sundresses", "raincoats").
        whole = _plural_re(word) if entry.category == "garment" else _word_re(word)
        for hit in whole.finditer(lowered):
            if unknown_kind(lowered[: hit.end()], entry.category, word):
                continue
            if (after := _ANOTHER_THING.get(word)) and after.match(lowered, hit.end()):
                continue  # "reading glasses" are glasses, not a book read
            before = lowered[: hit.start()]
            said = re.search(rf"(?<![\w-])({colour_names()})(?:[\s-]+[\w'-]+)?[\s-]+$", before)
            return entry, COLOR_RGB[said.group(1)] if said else None
    return None


@cache
def _split_re(word: str) -> re.Pattern[str]:
    """A kind's two-word name with a colour between ("pointy blue hat"), compiled once."""
    kind, noun = word.rsplit(" ", 1)
    return re.compile(rf"(?<![\w-]){re.escape(kind)}\s+({colour_names()})\s+{re.escape(noun)}\b")


def unknown_kind(text: str, category: str, word: str | None = None) -> bool:
    """Whether ``text`` names its family by a noun with a kind no entry knows: the word
    before the noun is neither a colour, a plain word ("a", "big", "knit") nor part of
    an entry's words ("cowboy hat", "chef's hat", "sailor hat")."""
    lowered = text.lower()
    known = {w for e in _entries(category) for w in e.words}
    nouns = FAMILY_NOUNS.get(category, ())
    for noun in nouns if word is None else (word,):
        if noun not in nouns:
            continue
        for hit in re.finditer(rf"(?:([\w'-]+)\s+)?{re.escape(noun)}(?![\w-])", lowered):
            if hit.start() > 0 and re.match(r"[\w-]", lowered[hit.start() - 1]):
                continue  # inside another word
            kind = hit.group(1)
            if kind is not None and (f"{kind} {noun}" in known or kind in known):
                continue  # a kind known, or a known place's own ("a castle hall")
            if kind is not None and any(f"{kind} {noun}" in w for w in words(ACCESSORIES)):
                continue  # an accessory's own ("cat ears headband": the ears, on a band)
            plain = kind is None or kind in known or kind in _PLAIN or kind in COLOR_RGB
            if plain and noun in known:
                continue
            return True
    return False


def _entries(category: str) -> tuple[Thing, ...]:
    return {"headwear": HEADWEAR, "place": (*PLACES, *PLACES_SAID_PLAINLY)}.get(category, ())


def words(entries: tuple[Thing, ...]) -> tuple[str, ...]:
    """Every word of ``entries``: what the parser's lexicon and `not_drawn` take from a
    catalogue."""
    return tuple(w for e in entries for w in e.words)


def words_of(name: str, entries: tuple[Thing, ...]) -> tuple[str, ...]:
    """The words of the entry named ``name`` among ``entries``."""
    return next(e.words for e in entries if e.name == name)
