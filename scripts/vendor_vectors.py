"""Regenerate `draw`'s vector library of everyday things (issue #31) from the npm registry.

    python scripts/vendor_vectors.py [--from DIR]

Sources, both MIT-licensed:

- Microsoft's Fluent Emoji Flat, as Iconify packages it: ``@iconify-json/fluent-emoji-flat``
  (the shapes, one 32 × 32 SVG body per emoji);
- ``emojibase-data`` (the Unicode CLDR names, keywords and sub-groups, joined to the
  shapes by code point).

The script runs ``npm pack`` for the pinned versions (or reads the two ``.tgz`` from
``--from DIR``), keeps the things a scene can hold (animals, plants, food, drink,
vehicles, buildings, instruments, toys, tools and household objects: no faces, people,
symbols or flags), adds what a drawing needs and the sources lack — how big the thing
is in life, where it goes by default, and the box its shape fills — and writes
``sakuga/engines/draw/vectors/fluent-emoji-flat.json.gz`` (byte-identical on a re-run).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from sakuga.engines.draw.svg import render_png

ICONS = "@iconify-json/fluent-emoji-flat@1.2.6"
NAMES = "emojibase-data@17.0.0"
OUT = Path(__file__).resolve().parent.parent / "sakuga/engines/draw/vectors"

#: Sub-groups kept, with each one's size in life (cm, the thing's larger side) and where
#: it goes when the prompt does not say: held, beside (at the feet in a full figure),
#: background, sky or front (the foreground's edge).
SUBGROUPS: dict[str, tuple[float, str]] = {
    "animal-mammal": (50, "beside"),
    "animal-bird": (25, "sky"),
    "animal-amphibian": (12, "beside"),
    "animal-reptile": (40, "beside"),
    "animal-marine": (40, "beside"),
    "animal-bug": (6, "beside"),
    "plant-flower": (30, "front"),
    "plant-other": (40, "front"),
    "food-fruit": (9, "held"),
    "food-vegetable": (12, "held"),
    "food-prepared": (16, "held"),
    "food-asian": (14, "held"),
    "food-sweet": (12, "held"),
    "drink": (14, "held"),
    "dishware": (18, "held"),
    "place-building": (1200, "background"),
    "place-religious": (1200, "background"),
    "place-other": (800, "background"),
    "transport-ground": (180, "beside"),
    "transport-water": (600, "background"),
    "transport-air": (1500, "sky"),
    "event": (30, "held"),
    "award-medal": (10, "held"),
    "sport": (25, "held"),
    "game": (25, "held"),
    "arts-crafts": (20, "held"),
    "musical-instrument": (80, "held"),
    "phone": (15, "held"),
    "computer": (35, "held"),
    "light-video": (20, "held"),
    "book-paper": (22, "held"),
    "mail": (20, "held"),
    "writing": (15, "held"),
    "office": (20, "held"),
    "tool": (30, "held"),
    "science": (20, "held"),
    "medical": (15, "held"),
    "household": (40, "beside"),
    "other-object": (20, "held"),
    "time": (20, "held"),
}
#: Things whose size or place differs from their sub-group's.
OVERRIDES: dict[str, tuple[float, str]] = {
    # Mammals by size; the small ones are held.
    "mouse": (10, "held"),
    "rat": (20, "beside"),
    "hamster": (10, "held"),
    "rabbit": (35, "beside"),
    "chipmunk": (15, "beside"),
    "hedgehog": (20, "beside"),
    "bat": (25, "sky"),
    "cat": (45, "beside"),
    "black-cat": (45, "beside"),
    "dog": (60, "beside"),
    "guide-dog": (70, "beside"),
    "service-dog": (70, "beside"),
    "poodle": (55, "beside"),
    "fox": (70, "beside"),
    "raccoon": (60, "beside"),
    "badger": (70, "beside"),
    "skunk": (50, "beside"),
    "otter": (90, "beside"),
    "sloth": (60, "beside"),
    "kangaroo": (150, "beside"),
    "koala": (70, "beside"),
    "panda": (150, "beside"),
    "bear": (180, "beside"),
    "polar-bear": (200, "beside"),
    "wolf": (110, "beside"),
    "deer": (160, "beside"),
    "moose": (220, "beside"),
    "horse": (220, "beside"),
    "zebra": (220, "beside"),
    "donkey": (180, "beside"),
    "cow": (240, "beside"),
    "ox": (250, "beside"),
    "water-buffalo": (260, "beside"),
    "bison": (280, "beside"),
    "pig": (120, "beside"),
    "boar": (130, "beside"),
    "goat": (110, "beside"),
    "ram": (130, "beside"),
    "ewe": (120, "beside"),
    "llama": (170, "beside"),
    "camel": (280, "beside"),
    "two-hump-camel": (280, "beside"),
    "giraffe": (450, "beside"),
    "elephant": (380, "beside"),
    "mammoth": (400, "beside"),
    "rhinoceros": (350, "beside"),
    "hippopotamus": (350, "beside"),
    "tiger": (250, "beside"),
    "leopard": (190, "beside"),
    "lion": (220, "beside"),
    "gorilla": (170, "beside"),
    "orangutan": (140, "beside"),
    "monkey": (60, "beside"),
    # Birds that stand, and big ones.
    "chicken": (45, "beside"),
    "rooster": (55, "beside"),
    "baby-chick": (8, "held"),
    "hatching-chick": (8, "held"),
    "front-facing-baby-chick": (8, "held"),
    "penguin": (70, "beside"),
    "duck": (40, "beside"),
    "goose": (80, "beside"),
    "swan": (120, "beside"),
    "turkey": (90, "beside"),
    "peacock": (180, "beside"),
    "flamingo": (120, "beside"),
    "dodo": (70, "beside"),
    "owl": (40, "beside"),
    "parrot": (40, "beside"),
    "eagle": (90, "sky"),
    # In the water, or big.
    "whale": (1500, "background"),
    "spouting-whale": (1500, "background"),
    "dolphin": (250, "background"),
    "shark": (400, "background"),
    "seal": (150, "beside"),
    "octopus": (60, "beside"),
    "turtle": (50, "beside"),
    "crocodile": (400, "beside"),
    "dragon": (1200, "sky"),
    "sauropod": (2000, "background"),
    "t-rex": (1200, "background"),
    "butterfly": (9, "sky"),
    "snail": (5, "beside"),
    # Plants.
    "bouquet": (40, "held"),
    "rose": (40, "held"),
    "wilted-flower": (30, "held"),
    "sunflower": (120, "front"),
    "deciduous-tree": (600, "background"),
    "evergreen-tree": (700, "background"),
    "palm-tree": (800, "background"),
    "cactus": (80, "front"),
    "potted-plant": (60, "beside"),
    "christmas-tree": (200, "beside"),
    "mushroom": (12, "front"),
    "four-leaf-clover": (5, "held"),
    # Food bigger than a hand, served.
    "birthday-cake": (25, "held"),
    "shortcake": (12, "held"),
    "pizza": (30, "held"),
    "pancakes": (18, "held"),
    "watermelon": (30, "held"),
    "pot-of-food": (30, "held"),
    # Vehicles.
    "bicycle": (175, "beside"),
    "kick-scooter": (100, "beside"),
    "motor-scooter": (180, "beside"),
    "motorcycle": (210, "beside"),
    "skateboard": (80, "beside"),
    "roller-skate": (25, "held"),
    "automobile": (420, "background"),
    "sport-utility-vehicle": (460, "background"),
    "taxi": (450, "background"),
    "racing-car": (450, "background"),
    "bus": (1100, "background"),
    "trolleybus": (1100, "background"),
    "police-car": (450, "background"),
    "ambulance": (550, "background"),
    "fire-engine": (800, "background"),
    "pickup-truck": (520, "background"),
    "delivery-truck": (650, "background"),
    "articulated-lorry": (1600, "background"),
    "tractor": (400, "background"),
    "locomotive": (1800, "background"),
    "railway-car": (1800, "background"),
    "high-speed-train": (2500, "background"),
    "bullet-train": (2500, "background"),
    "train": (1800, "background"),
    "tram": (1500, "background"),
    "tram-car": (1500, "background"),
    "light-rail": (1500, "background"),
    "monorail": (1500, "background"),
    "mountain-railway": (1500, "background"),
    "station": (1500, "background"),
    "manual-wheelchair": (100, "beside"),
    "motorized-wheelchair": (110, "beside"),
    "canoe": (450, "background"),
    "sailboat": (800, "background"),
    "speedboat": (600, "background"),
    "ship": (4000, "background"),
    "ferry": (3000, "background"),
    "passenger-ship": (4000, "background"),
    "motor-boat": (600, "background"),
    "anchor": (60, "beside"),
    "rocket": (3000, "sky"),
    "flying-saucer": (1000, "sky"),
    "helicopter": (1200, "sky"),
    "parachute": (600, "sky"),
    "seat": (100, "beside"),
    "satellite": (500, "sky"),
    # Events and things held up or set down.
    "balloon": (35, "held"),
    "jack-o-lantern": (30, "beside"),
    "kite": (90, "sky"),
    "fireworks": (3000, "sky"),
    "wrapped-gift": (30, "held"),
    "teddy-bear": (35, "held"),
    "soccer-ball": (22, "held"),
    "basketball": (24, "held"),
    "flying-disc": (27, "held"),
    "guitar": (100, "held"),
    "violin": (60, "held"),
    "banjo": (90, "held"),
    "accordion": (50, "held"),
    "long-drum": (60, "held"),
    "drum": (60, "beside"),
    "musical-keyboard": (120, "held"),
    "trumpet": (50, "held"),
    "saxophone": (70, "held"),
    "laptop": (33, "held"),
    "desktop-computer": (55, "beside"),
    "couch-and-lamp": (220, "beside"),
    "bed": (200, "beside"),
    "chair": (90, "beside"),
    "door": (200, "background"),
    "window": (120, "background"),
    "toilet": (70, "beside"),
    "bathtub": (160, "beside"),
    "mirror": (60, "held"),
    "bucket": (30, "beside"),
    "broom": (130, "held"),
    "basket": (35, "held"),
    "fountain": (300, "background"),
    "ferris-wheel": (6000, "background"),
    "roller-coaster": (3000, "background"),
    "carousel-horse": (200, "beside"),
    "circus-tent": (1500, "background"),
}
#: Words people use for a thing its CLDR name does not hold ("a car" is an automobile).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "automobile": ("car",),
    "fishing-pole": ("fishing rod", "fishing line"),
    "bicycle": ("bike",),
    "kick-scooter": ("kick scooter",),
    "motor-scooter": ("scooter", "moped", "vespa"),
    "teddy-bear": ("teddy", "stuffed bear", "plush bear"),
    "flying-disc": ("frisbee",),
    "luggage": ("suitcase",),
    "hot-beverage": ("cocoa", "hot chocolate"),
    "soft-ice-cream": ("soft serve",),
    "shaved-ice": ("kakigori",),
    "red-apple": ("apple",),
    "tangerine": ("orange", "mandarin"),
    "cooked-rice": ("rice",),
    "rice-ball": ("onigiri",),
    "steaming-bowl": ("ramen", "noodles"),
    "cooking": ("frying pan", "skillet"),
    "bento-box": ("bento",),
    "oden": ("dango skewer",),
    "couch-and-lamp": ("sofa", "couch"),
    "video-game": ("game controller", "controller", "gamepad"),
    "potted-plant": ("houseplant", "plant pot"),
    "soccer-ball": ("football",),
    "bowl-with-spoon": ("bowl", "food bowl", "dog bowl", "pet bowl", "cereal"),
    "deciduous-tree": ("tree", "oak"),
    "evergreen-tree": ("pine", "fir"),
    "cat": (
        "kitten",
        "kitty",
        "neko",
        "tabby",
        "calico",
        "persian",
        "siamese",
        "maine coon",
        "ragdoll",
        "moggy",
    ),
    "dog": (
        "puppy",
        "doggo",
        "inu",
        "shiba",
        "corgi",
        "husky",
        "labrador",
        "retriever",
        "golden retriever",
        "beagle",
        "dachshund",
        "pug",
        "chihuahua",
        "pomeranian",
        "akita",
        "samoyed",
        "collie",
        "terrier",
        "bulldog",
        "dalmatian",
        "shepherd dog",
    ),
    "rabbit": ("bunny", "usagi"),
    "bird": ("birds",),
    "high-speed-train": ("shinkansen",),
    "lady-beetle": ("ladybug", "ladybird"),
    "birthday-cake": ("cake",),
    "shortcake": ("strawberry cake",),
    "pancakes": ("pancake", "hotcakes"),
    "custard": ("pudding", "flan", "purin"),
    "bubble-tea": ("boba", "boba tea"),
    "jack-o-lantern": ("jack-o'-lantern", "carved pumpkin"),
    "wrapped-gift": ("gift", "present"),
    "laptop": ("laptop computer",),
    "snowman": ("snow man",),
    "sailboat": ("sail boat", "yacht"),
    "motor-boat": ("motorboat",),
    "fish": ("goldfish",),
    "tropical-fish": ("koi",),
    "raccoon": ("tanuki",),
    "tulip": ("tulips",),
    "doughnut": ("donut",),
    "taco": ("tacos",),
    "french-fries": ("fries", "chips"),
    "cookie": ("biscuit",),
    "popcorn": ("pop corn",),
}
#: Things kept from sub-groups that are otherwise left out (bags among clothes, the
#: snowman among the weather).
ALSO: dict[str, tuple[float, str]] = {
    "luggage": (65, "beside"),
    "backpack": (45, "held"),
    "shopping-bags": (40, "held"),
    "handbag": (30, "held"),
    "purse": (20, "held"),
    "clutch-bag": (25, "held"),
    "snowman": (150, "beside"),
    "snowman-without-snow": (150, "beside"),
    "tent": (250, "background"),
    "camping": (300, "background"),
}
#: Kept sub-groups' entries that the drawing paints itself or that are not things.
DROP = {
    # Scene cards (a whole view in a rounded square): they read as app icons pasted in.
    "foggy",
    "night-with-stars",
    "cityscape",
    "cityscape-at-dusk",
    "bridge-at-night",
    "sunrise",
    "sunset",
    "sunrise-over-mountains",
    "hot-springs",
    "wedding",
    "love-hotel",
    "kaaba",
    "white-flower",  # Japan's "well done" teacher's stamp, not a flower
    "window",  # a room's own (drawn by its background), not a thing to set beside her
    "door",
    "sparkles",
    "crescent-moon",
    "full-moon",
    "new-moon",
    "sun",
    "star",
    "cloud",
    "rainbow",
    "umbrella",
    "closed-umbrella",
    "umbrella-on-ground",
    "umbrella-with-rain-drops",
    "cherry-blossom",
    "fallen-leaf",
    "maple-leaf",
    "leaf-fluttering-in-wind",
    "herb",
    "microphone",
    "studio-microphone",
    "crossed-swords",
    "dagger",
    "magic-wand",
    "red-paper-lantern",
    "mobile-phone",
    "open-book",
    "closed-book",
    "books",
    "teacup-without-handle",
    "hot-beverage",
    "fan",
}


def _pack(spec: str, where: Path, cache: Path | None) -> tarfile.TarFile:
    if cache is not None:
        found = sorted(p for p in cache.glob("*.tgz") if p.name.startswith(_tgz_prefix(spec)))
        if found:
            return tarfile.open(found[0])
    out = subprocess.run(
        ["npm", "pack", spec, "--pack-destination", str(where)],
        check=True,
        capture_output=True,
        text=True,
    )
    return tarfile.open(where / out.stdout.strip().splitlines()[-1])


def _tgz_prefix(spec: str) -> str:
    name, version = spec.rsplit("@", 1)
    return f"{name.lstrip('@').replace('/', '-')}-{version}"


def _json(tar: tarfile.TarFile, member: str) -> object:
    handle = tar.extractfile(member)
    assert handle is not None, member
    return json.load(io.TextIOWrapper(handle, "utf-8"))


def _box(body: str) -> tuple[list[float], int]:
    """The box the shape fills, in its 32-unit space (rendered, alpha > 0), and the way
    it faces: -1 left, as emoji animals and vehicles are drawn, or +1 right, when the top
    of the shape (a head, a car's cabin) sits well right of its middle."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" '
        f'viewBox="0 0 32 32">{body}</svg>'
    )
    alpha = np.asarray(Image.open(io.BytesIO(render_png(svg))).convert("RGBA"))[..., 3] > 16
    ys, xs = np.nonzero(alpha)
    k = 32 / 256
    top = ys < ys.min() + (ys.max() - ys.min()) * 0.4
    lean = float(xs[top].mean() - (xs.min() + xs.max()) / 2) / 2  # in 128-px units
    box = [
        round(float(xs.min()) * k, 2),
        round(float(ys.min()) * k, 2),
        round(float(xs.max() + 1) * k, 2),
        round(float(ys.max() + 1) * k, 2),
    ]
    return box, 1 if lean > 8 else -1


def build(cache: Path | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        icons_tar = _pack(ICONS, Path(tmp), cache)
        names_tar = _pack(NAMES, Path(tmp), cache)
        icons = _json(icons_tar, "package/icons.json")
        chars = _json(icons_tar, "package/chars.json")
        data = _json(names_tar, "package/en/data.json")
        licence = names_tar.extractfile("package/LICENSE")
        assert licence is not None
        (OUT / "LICENSE-emojibase").write_bytes(licence.read())
        groups = _json(names_tar, "package/meta/groups.json")
    assert isinstance(icons, dict) and isinstance(chars, dict)
    assert isinstance(data, list) and isinstance(groups, dict)
    subgroup_names = groups["subgroups"]
    by_hex = {e["hexcode"]: e for e in data}
    by_label = {e["label"].replace(" ", "-").replace(":", ""): e for e in data}
    by_name: dict[str, dict[str, object]] = {}
    for hexcode, name in chars.items():
        entry = by_hex.get(hexcode.upper()) or by_hex.get(hexcode.upper().replace("-FE0F", ""))
        if entry is not None and name not in by_name:
            by_name[name] = entry
    things: dict[str, object] = {}
    for name in sorted(icons["icons"]):
        entry = by_name.get(name) or by_label.get(name)
        if entry is None or name in DROP:
            continue
        subgroup = subgroup_names[str(entry["subgroup"])]
        if subgroup not in SUBGROUPS and name not in ALSO:
            continue
        size, where = ALSO.get(name) or OVERRIDES.get(name) or SUBGROUPS[subgroup]
        body = icons["icons"][name]["body"]
        box, faces = _box(body)
        words = [name.replace("-", " "), *SYNONYMS.get(name, ())]
        things[name] = {
            "words": words,
            "tags": sorted(set(entry.get("tags", []))),
            "group": subgroup,
            "size": size,
            "where": where,
            "box": box,
            "faces": faces,
            "body": body,
        }
    return {
        "source": {"shapes": ICONS, "names": NAMES},
        "licence": "MIT (see LICENSE-fluent-emoji and LICENSE-emojibase)",
        "things": things,
    }


#: Microsoft's licence for Fluent Emoji (the Iconify package names it, MIT, without the
#: text): https://github.com/microsoft/fluentui-emoji/blob/main/LICENSE
FLUENT_LICENCE = """MIT License

Copyright (c) Microsoft Corporation.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="cache", type=Path, help="a folder with the two .tgz")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    library = build(args.cache)
    (OUT / "LICENSE-fluent-emoji").write_text(FLUENT_LICENCE)
    raw = json.dumps(library, indent=0, sort_keys=True, ensure_ascii=False).encode()
    with (
        (OUT / "fluent-emoji-flat.json.gz").open("wb") as f,
        gzip.GzipFile(fileobj=f, mode="wb", mtime=0, compresslevel=9, filename="") as z,
    ):
        z.write(raw)
    things = library["things"]
    assert isinstance(things, dict)
    print(f"{len(things)} things → {OUT / 'fluent-emoji-flat.json.gz'}")


if __name__ == "__main__":
    main()
