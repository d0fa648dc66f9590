"""Make the sets gallery under docs/sets/: three saved characters' sticker sets with
draw, captioned in Japanese and in English, as the set's sheet shows them, one set on
a chat-blue backdrop as a messenger shows it, and a brand kit laid out with its title
(each member side by side, the banner's safe area outlined), and story pages: a manga
page in Japanese, a 4-koma in English and its webtoon slices.

    python scripts/sets_gallery.py          # everything
    python scripts/sets_gallery.py story    # the story pages alone
"""

from __future__ import annotations

import io
import sys
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
    story(studio)


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


STORY_JA = """title: 雨のあと
Ren = boy, short black hair, black gakuran

1. at a train station, rain, night
Mika「帰ってきたの？」
Ren「ずっとここにいたよ。」
SFX: ザーザー

2. close up, Ren smiling
Ren: 雨がやむのを待ってたんだ。

3. Mika crying
Mika「…バカ。」
(雨はやんだ。)

4. Mika and Ren walking home, city street, sunset
Mika「一緒に帰ろう。」
Ren「うん、一緒に。」
"""
STORY_EN = """title: Snow day
Aki = boy, messy brown hair, green scarf, winter coat

1. a snowy park, morning
Mika: It snowed!
Aki: School is closed!
SFX: crunch crunch

2. Mika laughing, throwing a snowball
Mika: Catch!

3. close up, Aki surprised
SFX: SPLAT
Aki: Hey!

4. Mika and Aki sitting on a bench, hot cocoa, sunset
(They stayed until dark.)
Aki: Best day ever.
"""


def story(studio: Studio) -> None:
    """Two story pages of the saved Mika with a character each script describes: a
    manga page in Japanese (set vertically, read right to left), a 4-koma in English,
    and the English one as a webtoon's slices side by side."""
    made = studio.run(studio.story_set(STORY_JA, layout="manga", seed=5))
    page = studio.story_page(made.generations[-1].id).page
    page.image.save(OUT / "story-ja-manga.png", optimize=True)
    made = studio.run(studio.story_set(STORY_EN, seed=8))
    page = studio.story_page(made.generations[-1].id).page
    page.image.save(OUT / "story-en-4koma.png", optimize=True)
    webtoon = studio.story_page(made.generations[-1].id, layout="webtoon", record=False)
    slices = [Image.open(io.BytesIO(data)) for name, data in webtoon.files if name != "page.png"]
    gap = 24
    width = sum(s.width for s in slices) + gap * (len(slices) + 1)
    sheet = Image.new("RGB", (width, max(s.height for s in slices) + 2 * gap), (24, 24, 30))
    for k, piece in enumerate(slices):
        sheet.paste(piece.convert("RGB"), (gap + k * (piece.width + gap), gap))
    sheet.save(OUT / "story-webtoon-slices.png", optimize=True)
    print(f"stories: manga, 4koma, webtoon in {len(slices)} slices")


if __name__ == "__main__":
    if sys.argv[1:] == ["story"]:  # the story pages alone
        studio = Studio(Library.open(Path(tempfile.mkdtemp()) / "lib"))
        studio.save_character("Mika", ArtSpec.from_text(CAST[0][1]), seed=11)
        story(studio)
    else:
        main()
