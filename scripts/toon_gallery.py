"""Make the toon gallery under docs/toon/: every style × four versions, per sample photo.

    python scripts/toon_gallery.py

Runs the same path as `sakuga anime sample:NAME --style STYLE -n 4 --seed 7`.
"""

from __future__ import annotations

from pathlib import Path

from sakuga.compose.sheet import contact_sheet
from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.imaging.samples import load_sample
from sakuga.spec.artspec import ArtSpec
from sakuga.spec.styles import STYLES

OUT = Path(__file__).resolve().parent.parent / "docs" / "toon"
SEED = 7


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    engine = ToonEngine()
    for sample in ("astronaut", "cat"):
        photo = load_sample(sample)
        # One row per style: the photo, then the four versions.
        images = []
        labels = []
        for style in STYLES:
            images.append(photo)
            labels.append("photo")
            spec = ArtSpec(style=style)
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
