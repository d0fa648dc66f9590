"""Make the layout gallery under docs/compose/: every use, on toon outputs of the
astronaut, the cat and a drawn close-up bust, with a Latin + Japanese title; and stickers.

    python scripts/compose_gallery.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from sakuga.compose.layouts import compose
from sakuga.compose.sheet import contact_sheet
from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine
from sakuga.engines.toon import ToonEngine
from sakuga.imaging.samples import load_sample
from sakuga.prompt.artspec import ArtSpec

OUT = Path(__file__).resolve().parent.parent / "docs" / "compose"
USES = ("poster", "cover", "thumbnail", "social", "avatar", "wallpaper")


def on_blue(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image
    return Image.alpha_composite(Image.new("RGBA", image.size, (90, 140, 200, 255)), image).convert(
        "RGB"
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    arts = {
        name: ToonEngine()
        .run(
            EngineRequest(
                Task.PHOTO_TO_ANIME, image=load_sample(name), seed=1, spec=ArtSpec(style=style)
            )
        )
        .images[0]
        for name, style in (("astronaut", "cinematic"), ("cat", "cute"))
    }
    # A drawn bust whose face fills the square: the title must find room around it.
    arts["drawn-bust"] = (
        DrawEngine()
        .run(
            EngineRequest(
                Task.TEXT_TO_IMAGE,
                spec=ArtSpec.from_text("girl with long pink hair, smiling, close-up, avatar"),
                seed=3,
            )
        )
        .images[0]
    )
    for name, art in arts.items():
        images, labels = [], []
        for use in USES:
            layout = compose(
                art,
                use,
                title="夜の街 — Neon Nights",
                subtitle="Sakuga Records",
                credits="a film by the night city · music by the rain",
            )
            images.append(
                layout.preview if layout.preview is not None and use == "avatar" else layout.image
            )
            labels.append(f"{use} {layout.image.width}x{layout.image.height}")
        sheet = contact_sheet([on_blue(i) for i in images], labels, columns=3, cell=420)
        sheet.save(OUT / f"{name}.png", optimize=True)
        print(OUT / f"{name}.png")
    drawn = (
        DrawEngine()
        .run(
            EngineRequest(
                Task.TEXT_TO_IMAGE,
                spec=ArtSpec.from_text("chibi girl, pink twin tails, laughing, sticker"),
                seed=2,
            )
        )
        .images[0]
    )
    stickers = [
        compose(load_sample("astronaut"), "sticker").image,
        compose(load_sample("cat"), "sticker").image,
        compose(drawn, "sticker").image,
    ]
    contact_sheet(
        [on_blue(s) for s in stickers], ["astronaut", "cat", "draw"], columns=3, cell=360
    ).save(OUT / "stickers.png", optimize=True)
    print(OUT / "stickers.png")


if __name__ == "__main__":
    main()
