"""Make the draw gallery under docs/draw/: every hair style, expression, outfit,
accessory, headwear kind, background and style, each a contact sheet.

    python scripts/draw_gallery.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from sakuga.compose.sheet import contact_sheet
from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.styles import STYLES

OUT = Path(__file__).resolve().parent.parent / "docs" / "draw"
CELL = 300
SEED = 4


def render(spec: ArtSpec) -> Image.Image:
    request = EngineRequest(Task.TEXT_TO_IMAGE, spec=spec, seed=SEED, size=(CELL * 2, CELL * 2))
    return DrawEngine().run(request).images[0]


def sheet(name: str, specs: list[tuple[str, ArtSpec]], columns: int) -> None:
    images = [render(spec) for _, spec in specs]
    contact_sheet(images, [label for label, _ in specs], columns=columns, cell=CELL).save(
        OUT / f"{name}.png", optimize=True
    )
    print(OUT / f"{name}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    seed = ArtSpec.from_text(
        "a calm anime boy with short silver hair, wearing a black hoodie and headphones, "
        "standing under neon street lights at night, soft cinematic lighting, detailed "
        "background, modern urban mood"
    )
    sheet(
        "seed_prompt",
        [("seed prompt", seed), ("seed prompt, bust", seed.merged(pose="bust portrait"))],
        2,
    )
    base = ArtSpec.from_text("anime girl, sailor uniform, smiling, sky with clouds, cute")
    hair = []
    for style in ("short", "bob cut", "long", "twin tails", "ponytail", "spiky"):
        for colour in ("pink", "silver", "black", "teal"):
            hair.append((f"{colour} {style}", base.merged(hair=f"{colour} {style} hair")))
    sheet("hair", hair, 4)
    girl = ArtSpec.from_text("anime girl, long lavender hair, white blouse, cafe, soft lighting")
    expressions = [
        "calm",
        "smiling",
        "laughing",
        "angry",
        "crying",
        "surprised",
        "winking",
        "singing",
        "shy",
        "smug",
        "determined",
        "sleepy",
    ]
    sheet("expressions", [(e, girl.merged(expression=e)) for e in expressions], 4)
    boy = ArtSpec.from_text("anime boy, short black hair, calm, classroom, webtoon")
    outfits = [
        "red hoodie",
        "white t-shirt",
        "sailor uniform",
        "navy blazer",
        "blue kimono",
        "silver armor",
        "black dress",
        "grey suit",
        "green jacket",
        "pink idol costume",
        "dark cloak",
        "maid apron",
        "navy swimsuit",
        "white plugsuit",
    ]
    sheet("outfits", [(o, boy.merged(outfit=o)) for o in outfits], 4)
    accessories = [
        "headphones",
        "round glasses",
        "cat ears",
        "beanie hat",
        "red ribbon",
        "red scarf",
        "fox ears",
        "wolf ears",
        "bunny ears",
        "horns",
        "halo",
        "crown",
        "white wings",
        "choker",
    ]
    sheet("accessories", [(a, girl.merged(outfit=f"white blouse and {a}")) for a in accessories], 4)
    # The headwear catalogue: each kind as itself, in the colour said for it.
    headwear = [
        "white beanie",
        "straw hat",
        "yellow sun hat",
        "black witch hat",
        "red baseball cap",
        "navy beret",
        "top hat",
        "silver helmet",
        "green raincoat with the hood up",
        "chef's hat",
        "fedora",
        "cowboy hat (not in the catalogue: reported)",
    ]
    sheet(
        "headwear",
        [(h, girl.merged(outfit=f"white blouse, {h.split(' (')[0]}")) for h in headwear],
        5,
    )
    backgrounds = [
        "neon city street at night",
        "sakura park",
        "classroom",
        "sky with clouds",
        "forest",
        "beach",
        "cafe",
        "starry space",
        "summer festival",
        "concert stage",
        "shrine",
        "school rooftop",
        "train carriage",
        "library",
        "castle throne room",
        "field of flowers",
        "space station",
    ]
    sheet("backgrounds", [(b, boy.merged(background=b)) for b in backgrounds], 4)
    lights = [
        "soft cinematic lighting",
        "golden hour",
        "neon magenta and cyan rim light",
        "moonlight",
    ]
    sheet("lighting", [(li, seed.merged(lighting=li)) for li in lights], 4)
    beach = ArtSpec.from_text("anime girl, short pink hair, sailor uniform, on a beach")
    times = ["dawn", "noon", "golden hour", "sunset", "dusk", "night", "moonlit night"]
    sheet("times", [(t, beach.merged(lighting=t)) for t in times], 4)
    hands = [
        "waving",
        "peace sign",
        "fist raised",
        "pointing",
        "holding a sword",
        "holding a katana",
        "holding a staff",
        "holding a wand",
        "holding a red umbrella",
        "singing into a microphone",
        "holding a book",
        "holding a mug of coffee",
        "holding a phone",
        "holding a bouquet",
        "holding a paper lantern",
        "holding a folding fan",
    ]
    sheet("hands", [(h, beach.merged(pose=h)) for h in hands], 4)
    street = ArtSpec.from_text("anime boy, black hoodie, city street, dusk")
    weathers = [
        "rain",
        "snow",
        "falling petals",
        "falling leaves",
        "fog",
        "sparkles",
        "confetti",
        "wind",
    ]
    sheet("weather", [(w, street.merged(mood=w)) for w in weathers], 4)
    sheet("styles", [(s, seed.merged(style=s)) for s in STYLES], 5)
    framings = ["headshot", "upper body", "cowboy shot", "full body"]
    schoolgirl = ArtSpec.from_text("anime girl, long pink hair, sailor uniform, sakura park")
    sheet("framings", [(f, schoolgirl.merged(pose=f)) for f in framings], 4)
    poses = [
        ("standing, full body", "girl, long pink hair, sailor uniform, full body, sakura park"),
        ("sitting on a bench", "girl, long pink hair, sailor uniform, sitting on a bench, park"),
        ("walking", "boy, short black hair, hoodie, walking, city street, dusk"),
        ("kneeling", "girl, long black hair, kimono, kneeling, shrine"),
        ("crouching", "girl, long pink hair, sailor uniform, crouching, sakura park"),
        ("waving, full body", "boy, brown hair, white t-shirt, waving, full body, beach"),
        ("sword, knees up", "knight, silver hair, armor, holding a sword, cowboy shot, sky"),
        ("heart hands, full body", "idol girl, twin tails, heart hands, full body, stage"),
        ("sitting, suit", "man, black hair, black suit, sitting, cafe"),
        ("hand on chin", "girl, long pink hair, sailor uniform, hand on chin, library"),
        ("hand on hip", "boy, short black hair, hoodie, hand on hip, city street"),
        ("cat girl, full body", "cat girl, long black hair, sailor uniform, full body, park"),
        ("fox girl, knees up", "fox girl, orange hair, kimono, cowboy shot, shrine"),
        ("lying in flowers", "girl, long pink hair, sailor uniform, lying in a field of flowers"),
        ("lying on the floor", "boy, short black hair, hoodie, lying on the floor, classroom"),
        ("three-quarter view", "girl, long pink hair, sailor uniform, three-quarter view, park"),
        ("from behind", "girl, long pink hair, sailor uniform, full body, from behind, park"),
        ("from behind, ponytail", "girl, ponytail, kimono, full body, back view, shrine, night"),
        ("from behind, bust", "boy, short black hair, hoodie, from behind, city street"),
        (
            "looking back",
            "girl, long pink hair, sailor uniform, looking back over her shoulder, park",
        ),
        (
            "looking back, bust",
            "boy, short black hair, hoodie, looking over his shoulder, city street, headshot",
        ),
        ("from behind, cat ears", "cat girl, twin tails, idol costume, from behind, stage"),
    ]
    sheet("poses", [(label, ArtSpec.from_text(text)) for label, text in poses], 4)
    builds = ["anime boy", "anime girl", "androgynous idol", "chibi girl", "adult woman"]
    sheet("characters", [(c, girl.merged(character=c)) for c in builds], 5)
    versions = DrawEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, spec=seed, seed=SEED, n=4, size=(600, 600))
    )
    contact_sheet(
        versions.images, [f"seed {s}" for s in versions.seeds], columns=4, cell=CELL
    ).save(OUT / "versions.png", optimize=True)
    print(OUT / "versions.png")
    # The vector library: animals, food, vehicles and things, where the prompt puts them.
    things = [
        "a girl with a cat on her lap, park",
        "a boy walking a dog at sunset",
        "girl hugging a teddy bear, bedroom at night",
        "a hamster on her head, a parrot on her shoulder",
        "girl with a blue bicycle beside her, city street",
        "girl eating a strawberry parfait, cafe",
        "birds in the sky, a sailboat in the background, beach",
        "girl holding a guitar, stage",
        "a deer beside her in a snowy forest",
        "girl with a suitcase at the station",
        "carrots and mushrooms, girl in a forest",
        "a frog at her feet in the rain",
        "boy riding a red bicycle in the park",
        "a knight riding a horse, castle",
        "girl on a scooter in the city at night",
        "chibi girl, full body, with a dog beside her",
    ]
    sheet("things", [(t, ArtSpec.from_text(t)) for t in things], 4)
    # Rooms at home, furnished from the library.
    rooms = [
        "girl on the sofa in the living room, rain on the window",
        "lo-fi girl at her desk in her bedroom at night, headphones",
        "cook girl in a kitchen",
        "boy in his room, a cat beside him",
        "girl sitting on the sofa in the living room, a cat on her lap",
        "boy sitting on the bed, bedroom at night",
        "office worker waiting at the train station at dusk",
        "girl on the station platform, rain",
    ]
    sheet("rooms", [(r, ArtSpec.from_text(r)) for r in rooms], 4)
    # Places painted for themselves (the catalogue's newer entries).
    places = [
        "a girl in a school hallway with lockers",
        "a boxer in a boxing ring",
        "a mecha pilot in a mecha hangar",
        "an office lady in her office at night",
        "a girl under the sea",
        "a boy in a ruined city at sunset",
        "a hooded woman in the desert, sand dunes, golden hour",
        "a mermaid-haired girl underwater, bubbles",
        "airport terminal, girl with a big suitcase, denim jacket",
        "1boy, red scarf, winter coat, in front of a lighthouse, snow",
        "girl by the lighthouse at night, white dress, full body",
        "swordsman on a hill at sunset, black kimono, full body",
    ]
    sheet("places", [(r, ArtSpec.from_text(r)) for r in places], 4)
    # What a face carries: the marks catalogue.
    faces = [
        "a girl with freckles and short red hair",
        "an elf girl with long blonde hair, forest",
        "a boy with heterochromia, one red eye one gold eye",
        "a boy with a band-aid on his cheek, grinning",
        "a girl with an eyepatch, silver hair",
        "a woman with a beauty mark",
        "a samurai with a scar",
        "a vampire girl with a fang, smug",
        "1boy, grumpy swordsman, a scar over his left eye, long dark ponytail",
        "1girl, silver hair, twin braids, red eyes, black sailor uniform",
        "girl with a braid, brown hair, cardigan",
        "girl play violin on stage, she close her eyes",
    ]
    sheet("faces", [(r, ArtSpec.from_text(r)) for r in faces], 4)
    # Moods grade the whole picture; effects fill the air.
    moods = [
        "girl in a park",
        "girl in a park, gloomy",
        "girl in a park, nostalgic mood",
        "girl in a park, cozy warm colors",
        "girl in a park, cold colors",
        "girl in a park, cheerful and energetic",
        "girl in a park, dreamy pastel",
        "girl in a park, eerie atmosphere",
        "girl in a park, epic dramatic",
        "girl in a park, romantic, hearts",
        "girl at night by a river, fireflies",
        "girl in a library, dust motes, kirakira",
    ]
    sheet("moods", [(r, ArtSpec.from_text(r)) for r in moods], 4)
    # Actions that read, and Japanese words read through their gloss.
    actions = [
        "a police officer saluting",
        "a girl eating a donut",
        "a boy drinking bubble tea",
        "a girl playing guitar",
        "boy playing violin on stage",
        "soldier saluting, full body",
        "aki no yuugata, onnanoko with a kasa",
        "hanabi, yozora, yukata girl",
        "a girl reading a book in a library",
        "1girl, bicycle, riding bicycle, countryside",
        "girl holding a red umbrella in the rain, from behind",
        "chibi girl hugging a teddy bear",
        "a girl knitting a red scarf",
        "a boy sweeping the shrine steps with a broom",
        "a maid serving tea in a cafe",
        "a girl watering flowers with a yellow watering can",
    ]
    sheet("actions", [(r, ArtSpec.from_text(r)) for r in actions], 4)
    # Roles and ages: who the character is, drawn when nothing says what they wear.
    roles = [
        "samurai boy in a bamboo forest",
        "cook girl in a cafe",
        "a witch on a hill at dusk",
        "old fisherman with a fishing rod by the sea",
        "grandma with a cat beside her",
        "a librarian in a library",
        "a princess in a castle",
        "an astronaut girl, space",
        "1boy, office worker, city at night",
        "a miko at a shrine, full body",
        "old samurai, white beard, straw hat, full body",
        "chibi witch, purple pointy hat, broom, black cat",
        "a doctor",
        "a boxer",
        "detective in a trench coat in the rain",
        "a nurse",
        "a firefighter",
        "girl in a yellow raincoat",
    ]
    sheet("roles", [(r, ArtSpec.from_text(r)) for r in roles], 4)
    # With no outfit said, versions dress the character for the place.
    wardrobe = DrawEngine().run(
        EngineRequest(
            Task.TEXT_TO_IMAGE,
            spec=ArtSpec.from_text("a girl in a cafe"),
            seed=SEED,
            n=4,
            size=(600, 600),
        )
    )
    contact_sheet(
        wardrobe.images,
        [f"a girl in a cafe, seed {s}" for s in wardrobe.seeds],
        columns=4,
        cell=CELL,
    ).save(OUT / "wardrobe.png", optimize=True)
    print(OUT / "wardrobe.png")
    together()
    no_one()
    prints()
    judges()
    judges_19_20()
    judges_36_37()
    judges_38_39()


def no_one() -> None:
    """Prompts with no one in them (#31): the animal or the thing they are about, large,
    or the place alone — never a girl put in."""
    prompts = {
        "a cat, a potted cactus": "a fat orange tabby cat curled up asleep on a sunny "
        "windowsill next to a potted cactus",
        "a dog in the snow": "pls draw a cute shiba dog sittin in the snow at nite lol",
        "a corgi in a park": "a corgi with a red frisbee and a bowl of food in a park",
        "a fox in autumn": "a red fox in an autumn forest, fireflies",
        "ramen by a window": "a steaming bowl of ramen on a wooden table next to a rainy "
        "window, cozy evening",
        "a street, no one": "rainy tokyo street at night",
    }
    sheet("no-one", [(label, ArtSpec.from_text(text)) for label, text in prompts.items()], 3)


def prints() -> None:
    """Prints, skirts, capes, roles and props from held-out judges 13 and 14 (#31)."""
    prompts = {
        "striped sailor shirt (a boy)": "my oc is a skater dude w/ a black beret, striped "
        "sailor shirt and a skateboard under his arm, kinda smug",
        "plaid skirt, polka dots": "full body, a girl in a red plaid skirt and a white "
        "blouse with navy polka dots, standing in a park",
        "blue and white stripes": "a boy in a blue and white striped tee, upper body",
        "floral sundress": "a girl in a floral sundress, full body, in a meadow",
        "a knight's cape": "chibi knight boy with an oversized silver helmet, tiny blue "
        "cape, waving a wooden sword",
        "a girl in a suit": "a girl with short silver hair in a black suit, upper body",
        "wavy, curly": "a girl with long wavy brown hair, upper body",
        "pilot": "pilot boy",
        "uchiwa, yukata": "kawaii na onnanoko, yukata, natsu matsuri, holding uchiwa fan",
        "bamboo grove": "1boy, samurai, black ponytail, hakama, holding katana, bamboo forest, fog",
        "hands together": "upper body, a girl with short pink hair, smiling with eyes "
        "closed, hands together",
        "maples at a temple": "a young woman in a beige trench coat walks beneath red maple "
        "trees, leaves falling, a wooden temple gate behind her",
    }
    sheet("prints-roles", [(label, ArtSpec.from_text(text)) for label, text in prompts.items()], 4)


def judges() -> None:
    """What held-out judges 16, 17 and 18 found drawn wrong or not at all (#31), drawn: a
    fox whole and sitting, trees on open ground, one umbrella for two, hands on the
    cheeks, a coloured backdrop, a tatami room, a bald head and a leather apron, a clear
    umbrella, a saree in its colour (no kimono), sitting on a bench with a backrest,
    lying on a sofa."""
    prompts = {
        "a red fox in the snow": "a red fox sitting in a snowy field under a full moon, "
        "pine trees in the background, no people",
        "sharing an umbrella": "two girls sharing an umbrella walking home from school, "
        "one with long black hair, one with blonde pigtails, both in navy sailor uniforms",
        "hands on cheeks": "youtube thumbnail, shocked girl with purple hair in a ponytail, "
        "hands on her cheeks, white hoodie, bright yellow background",
        "tatami room": "grandmother with grey hair in a bun, round glasses, purple kimono, "
        "kneeling, tatami room with a sliding shoji door",
        "bald blacksmith": "a man with dark brown skin and a bald head, leather apron, "
        "serious face, knees up",
        "clear umbrella": "a girl with a clear umbrella in the rain, city street at night",
        "pastel backdrop": "a girl with box braids, denim jacket, winking, peace sign, "
        "pastel pink background",
        "a bear in the woods": "a brown bear sitting in a forest, no people",
        "a red saree": "indian woman with brown skin in a red saree, long black braid, "
        "fireworks in the night sky",
        "sitting on a bench": "elderly grandmother with white hair in a bun, purple kimono, "
        "sitting on a bench, holding a cup of tea, autumn",
        "lying on a sofa": "a woman with curly black hair, white blouse, lying on a sofa, "
        "holding a coffee cup, night",
        "three on a bench": "three friends sitting on a bench, autumn park",
    }
    sheet("judges-16-18", [(label, ArtSpec.from_text(t)) for label, t in prompts.items()], 4)


def judges_19_20() -> None:
    """What held-out judges 19 and 20 found (#31), drawn: a fan's ship as the pair (the
    tall one taller), a night festival said in romaji and kanji, a snowy park, a young
    man with his hair tied back, sitting that reads as sitting, overalls, a meal at the
    mouth in a ramen bar, a sunflower field, a chef who is one woman, a girl described
    in Japanese, where each of two stands."""
    prompts = {
        "my fav ship": "my fav ship!! tall blonde boy in black gakuran and short girl with "
        "brown bob hair in beige cardigan, sharing one umbrella walking home together",
        "natsu matsuri, yoru": "kawaii na onnanoko, aoi kimono (blue kimono with white flowers), "
        "natsu matsuri, holding ちょうちん paper lantern, 夜, hanabi",
        "a snowy park": "1girl, short black hair, red scarf, white winter coat, laughing, "
        "snowy park, snowing, full body",
        "hair tied back": "young man with long dark blue hair tied back, black leather jacket, "
        "playing an acoustic guitar on a rooftop at night, full moon",
        "sitting, reading": "1girl, twin braids, silver hair, glasses, navy serafuku, sitting, "
        "holding book, library",
        "overalls, ramen": "little girl eating ramen at a ramen shop counter with chopsticks, "
        "orange pigtails, denim overalls",
        "sunflower field": "a boy in a straw hat in a field of sunflowers, summer, full body",
        "a woman chef": "woman with short black hair in a white chef coat cooking in a "
        "kitchen, holding a frying pan, tomatoes and onions on the counter",
        "kurokami, sailor fuku": "黒髪ロング girl wearing セーラー服 with red ribbon, eating 弁当 "
        "bento box, rooftop, 夕方 orange sky",
        "left and right": "a girl on the right with long pink hair and a boy with short "
        "black hair, sitting on a bench in a park",
        "a puppy and a kitten": "a small white puppy and a kitten in a cozy japanese living "
        "room, night, no humans",
        "riding down a hill": "boy riding a bicycle down a hill, white t-shirt, big grin, "
        "summer day, big clouds",
    }
    sheet("judges-19-20", [(label, ArtSpec.from_text(t)) for label, t in prompts.items()], 4)


def judges_36_37() -> None:
    """What held-out judges 36 and 37 found (#31), drawn: fields on one line, a beard, a
    rose garden in the rain, a stormy night with lightning, a gi and its belt, lace at a
    hem, a boy in swim trunks, one asleep, a heavy and a muscular build, a bicycle beside
    the one who would ride it, a six-year-old."""
    prompts = {
        "fields on one line": "hair: long black hair with bangs / eyes: red / outfit: white "
        "kimono with red obi / headwear: fox mask on side of head / holding: paper lantern / "
        "place: shrine at night / season: autumn, falling maple leaves / expression: calm",
        "a beard": "old man fisherman, grey beard, yellow raincoat, holding fishing rod",
        "rose garden, rain": "1girl, blonde hair, gothic lolita dress, black dress, frilly, "
        "holding parasol, rose garden, rain, overcast, full body",
        "stormy night": "a boy on a cliff by the stormy sea, night, lightning, full body",
        "gi, black belt": "1boy, spiky red hair, martial arts gi, white gi, black belt, dojo, "
        "full body",
        "swim trunks": "pls draw me a lil boy like 7yo eatin a huge ice cream cone at the "
        "beach, he has messy brown hair n blue swim shorts",
        "asleep": "girl sleeping in a flower field",
        "heavyset": "heavyset middle-aged man in paint-splattered overalls, blue beret, "
        "summer afternoon, full body",
        "muscular": "tall muscular woman in a tank top and cargo pants, mountain, full body",
        "a bicycle beside": "teen girl in a navy sailor uniform with a bright yellow bicycle, "
        "countryside road, summer",
        "helmet off": "astronaut girl in a space station, white spacesuit, helmet off, "
        "long teal hair, holding a strawberry, surprised",
        "waving at camera": "girl waving at camera, red scarf, white beanie, green coat, "
        "snowy town, winter morning, snowing",
    }
    sheet("judges-36-37", [(label, ArtSpec.from_text(t)) for label, t in prompts.items()], 4)


def judges_38_39() -> None:
    """What held-out judges 38 and 39 found (#31), drawn: eyes and a tie in the colour
    said, a smile with a blush, middle age and a cowboy hat, a castle from outside in a
    storm, clouds said, a chair sat on, shorts, a hime cut, a briefcase set down, a
    kimono with its apron."""
    prompts = {
        "eyes: green (a field)": "character: young woman nurse | hair: pink twin buns | eyes: "
        "green | outfit: white nurse uniform with nurse cap | expression: cheerful wink",
        "a blue tie": "businessman, 30s, black suit, blue tie, short dark hair, tired "
        "expression, train station platform, evening",
        "smile, blushing": "1girl, teen, blonde long hair, twin tails, maid outfit, cafe "
        "interior, smile, blushing",
        "middle-aged cowboy": "cowboy, middle aged man, brown cowboy hat, desert, cactus, noon, "
        "stubble",
        "castle gate, storm": "character: knight man | hair: blonde, short | outfit: silver "
        "armor, blue cape | headwear: none | background: castle gate | weather: storm clouds",
        "blue sky, clouds": "schoolgirl, blue hair ponytail, sailor uniform, red ribbon, summer, "
        "sunflowers, blue sky, clouds, laughing",
        "sitting on a chair": "megane boy in seifuku reading a book in a library, sitting on a "
        "chair, calm",
        "shorts": "1boy, child, brown hair, baseball cap, t-shirt, blue shorts, dog beside him, "
        "park, summer day, happy, full body",
        "hime cut": "miko, shrine maiden, red hakama, white haori, long black hair, hime cut, "
        "torii gate, dusk, serene",
        "a briefcase set down": "salaryman, middle-aged, glasses, grey suit, necktie, "
        "briefcase, umbrella, rainy city street, neon signs, night",
        "kimono, apron": "character: elderly woman; hair: white hair in a bun; outfit: purple "
        "kimono, apron; holding: teapot; expression: gentle smile",
        "in her 50s": "a woman in her 50s gardening, straw hat, green apron, flower field",
    }
    sheet("judges-38-39", [(label, ArtSpec.from_text(t)) for label, t in prompts.items()], 4)


def together() -> None:
    """Several characters in one picture (#34), each from their own words."""
    prompts = {
        "Aki x Hana (a ship)": "can u draw my ship Aki x Hana at the airport?? Aki has short "
        "black hair and a denim jacket, Hana has long blonde hair and a yellow sundress",
        "a boy and a girl": "a boy and a girl sitting on a seawall at golden hour",
        "1boy, 1girl tags": "1boy, black hair, glasses, hoodie, 1girl, pink hair, twintails, "
        "smile, city street, night",
        "three, by name": "three friends at the beach: Mio with a straw hat, Nao in a blue "
        "swimsuit and Riku with sunglasses",
        "she … he …": "she has long purple hair and a gothic dress, he has messy blond hair "
        "and a leather jacket, rooftop at night",
        "BREAK regions": "classroom, sunset BREAK 1girl, long black hair, sailor uniform "
        "BREAK 1boy, short brown hair, gakuran",
        "holding hands": "a boy and a girl holding hands in a park, the boy has short black "
        "hair and a blue hoodie, the girl has long pink hair and a white sundress",
        "hand in hand, walking": "Aki and Hana walking hand in hand on a beach at sunset, "
        "Aki has silver hair, Hana has red hair",
        "a tall one and a little one": "a tall boy with silver hair in a black coat and a "
        "small girl with pink twin tails in a yellow raincoat, holding hands at a bus stop, "
        "rainy evening",
        "hugging (a side hug)": "can u draw my ship Aki x Hana hugging at the airport?? Aki "
        "has short black hair and a denim jacket, Hana has long blonde hair and a yellow "
        "sundress, full body",
    }
    sheet(
        "characters-together",
        [(label, ArtSpec.from_text(text)) for label, text in prompts.items()],
        3,
    )


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["judges"]:  # those sheets alone
        judges()
        judges_19_20()
        judges_36_37()
        judges_38_39()
    else:
        main()
