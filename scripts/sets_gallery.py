"""Make the sets gallery under docs/sets/: three saved characters' sticker sets with
draw, captioned in Japanese and in English, as the set's sheet shows them, one set on
a chat-blue backdrop as a messenger shows it, and a brand kit laid out with its title
(each member side by side, the banner's safe area outlined).

    python scripts/sets_gallery.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from sakuga.prompt.artspec import ArtSpec
from sakuga.studio.library.library import Library
from sakuga.studio.service.studio import Studio

OUT = Path(__file__).resolve().parent.parent / "docs" / "sets"
CAST = (
    ("Mika", "a girl with pink twin tails and green eyes, school uniform with a red ribbon", "ja"),
    ("Ren", "a boy with messy black hair and brown eyes, red hoodie", "en"),
    ("Yuki", "a girl with short silver hair, blue eyes and round glasses, white sweater", "ja"),
)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    studio = Studio(Library.open(Path(tempfile.mkdtemp()) / "lib"))
    for number, (name, text, language) in enumerate(CAST):
        studio.save_character(name, ArtSpec.from_text(text), seed=11 + number)
        made = studio.run(studio.sticker_set(characters=[name], caption=language, seed=4))
        made.result.images[-1].save(OUT / f"{name.lower()}-{language}.png")
        if number == 0:
            chat = Image.new("RGBA", (4 * 260, 2 * 260), (140, 170, 205, 255))
            for i, sticker in enumerate(made.result.images[:8]):
                small = sticker.resize((250, 250), Image.Resampling.LANCZOS)
                chat.alpha_composite(small, (5 + (i % 4) * 260, 5 + (i // 4) * 260))
            chat.convert("RGB").save(OUT / "in-a-chat.png")
        print(f"{name}: {len(made.generations) - 1} stickers")
    brand(studio)


def brand(studio: Studio) -> None:
    """Mika's brand kit, its members side by side at one height."""
    from PIL import ImageDraw

    from sakuga.prompt.uses import get_use

    made = studio.run(studio.brand_set(characters=["Mika"], style="cyberpunk", seed=4))
    kit = studio.brand_kit(made.generations[-1].id, title="Mika Plays")
    height, gap = 420, 16
    shown = []
    for layout in kit.layouts:
        image = (layout.preview or layout.image).convert("RGB")
        if layout.use == "banner":  # the band every device shows
            draw = ImageDraw.Draw(image)
            use = get_use("banner")
            draw.rectangle(use.safe_area.box(*use.size), outline=(255, 230, 0), width=8)
        shown.append(image.resize((round(image.width * height / image.height), height)))
    width = sum(i.width for i in shown) + gap * (len(shown) + 1)
    sheet = Image.new("RGB", (width, height + 2 * gap), (24, 24, 30))
    x = gap
    for image in shown:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    sheet.save(OUT / "brand-kit.png", optimize=True)
    print("brand kit: " + ", ".join(layout.use for layout in kit.layouts))


if __name__ == "__main__":
    main()
