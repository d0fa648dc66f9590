"""Make the toon gallery under docs/toon/: every style × four versions, per sample photo;
every photo of the benchmark corpus × every style; the face photos' variants; and each
style's face close up.

    python scripts/toon_gallery.py [--only every]

Runs the same path as `sakuga anime sample:NAME --style STYLE -n 4 --seed 7`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sakuga.compose.sheet import contact_sheet
from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.imaging.samples import load_sample
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.styles import STYLES

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # benchmarks.photos
OUT = ROOT / "docs" / "toon"
SEED = 7


def every_photo(engine: ToonEngine) -> None:
    """Every photo of the corpus × every style (one row a photo), and the face photos'
    variants in the default style, with each face's close-up per style."""
    from benchmarks.photos import corpus

    images, labels = [], []
    for photo in corpus():
        if photo.variant != "photo":
            continue
        images.append(photo.image)
        labels.append(photo.name)
        for i, style in enumerate(STYLES):
            # Seeds 7, 8, 9, … : each of a version's backdrops (bokeh, painted place,
            # gradient) shows somewhere in every row, as `-n 4` shows them.
            request = EngineRequest(
                Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=photo.image, seed=SEED + i
            )
            images.append(engine.run(request).images[0])
            labels.append(f"{style} (seed {SEED + i})")
    contact_sheet(images, labels, columns=1 + len(STYLES), cell=220).save(
        OUT / "every-photo.png", optimize=True
    )
    images, labels = [], []
    for photo in corpus():
        if photo.kind not in ("face", "profile", "pet"):
            continue
        request = EngineRequest(Task.PHOTO_TO_ANIME, image=photo.image, seed=SEED)
        images += [photo.image, engine.run(request).images[0]]
        labels += [photo.label, "toon"]
    contact_sheet(images, labels, columns=6, cell=220).save(OUT / "variants.png", optimize=True)
    # The held-out third (`benchmarks.photos`), never looked at while tuning: what a
    # judge scores. Each photo, then its picture in the default style.
    images, labels = [], []
    for photo in corpus("held"):
        request = EngineRequest(Task.PHOTO_TO_ANIME, image=photo.image, seed=SEED)
        images += [photo.image, engine.run(request).images[0]]
        labels += [photo.label, "toon"]
    contact_sheet(images, labels, columns=6, cell=220).save(OUT / "held-out.png", optimize=True)
    print(OUT / "every-photo.png", OUT / "variants.png", OUT / "held-out.png")


def close_ups(engine: ToonEngine) -> None:
    """Each style's face close up (eyes, lines, shading side by side), on the portrait."""
    photo = load_sample("astronaut")
    box = (150, 40, 310, 200)  # around the face of the 512² photo
    images, labels = [photo.crop(box).resize((320, 320))], ["photo"]
    for style in STYLES:
        request = EngineRequest(
            Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=photo, seed=SEED
        )
        images.append(engine.run(request).images[0].crop(box).resize((320, 320)))
        labels.append(style)
    contact_sheet(images, labels, columns=3, cell=320).save(
        OUT / "styles-close-up.png", optimize=True
    )
    print(OUT / "styles-close-up.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    engine = ToonEngine()
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    if only in (None, "close"):
        close_ups(engine)
    if only in (None, "every"):
        every_photo(engine)
    if only is not None:
        return
    for sample in ("astronaut", "hopper", "cat"):
        photo = load_sample(sample)
        # One row per style: the photo, then the four versions.
        images = []
        labels = []
        for style in STYLES:
            images.append(photo)
            labels.append("photo")
            spec = ArtSpec(style=style)
            # The cat is found by itself (`toon.pet.cat_face`): no --subject pet.
            result = engine.run(
                EngineRequest(Task.PHOTO_TO_ANIME, spec=spec, image=photo, n=4, seed=SEED)
            )
            for image, seed in zip(result.images, result.seeds, strict=True):
                images.append(image)
                labels.append(f"{style} seed {seed}")
        sheet = contact_sheet(images, labels, columns=5, cell=240)
        path = OUT / f"{sample}.png"
        sheet.save(path, optimize=True)
        print(path)
    # Avatars: one per style, square and tight around the face.
    images, labels = [], []
    for style in STYLES:
        avatar = engine.run(
            EngineRequest(
                Task.PHOTO_TO_ANIME,
                spec=ArtSpec(use="avatar", style=style),
                image=load_sample("astronaut"),
                seed=SEED,
                size=(512, 512),
            )
        )
        images.append(avatar.images[0])
        labels.append(f"avatar {style} seed {avatar.seeds[0]}")
    sheet = contact_sheet(images, labels, columns=5, cell=360)
    sheet.save(OUT / "avatar.png", optimize=True)
    print(OUT / "avatar.png")


if __name__ == "__main__":
    main()
