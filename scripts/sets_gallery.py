"""Make the sticker-set gallery under docs/sets/: three saved characters' sets with
draw, captioned in Japanese and in English, as the set's sheet shows them, and one
set on a chat-blue backdrop as a messenger shows it.

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


if __name__ == "__main__":
    main()
