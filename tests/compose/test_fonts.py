"""Fonts come with pip: without any system font, Latin and Japanese titles still set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sakuga.compose import fonts
from sakuga.compose.fonts import FONTS, Font, FontError, choose_font


@pytest.fixture()
def pip_fonts_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fonts as a machine without Debian's font packages has them."""
    for key, font in FONTS.items():
        packaged = tuple(c for c in font.candidates if "site-packages" in c)
        monkeypatch.setitem(FONTS, key, Font(font.name, font.description, packaged))


def test_japanese_titles_need_only_pip_installed_fonts(pip_fonts_only: None) -> None:
    assert all(f.path is not None and "site-packages" in str(f.path) for f in FONTS.values())
    assert choose_font("NEON NIGHTS").name == "sans-bold"
    mixed = choose_font("夜の街 Neon Nights")
    assert [f.name for f in mixed.used("夜の街 Neon Nights")] == ["gothic-jp", "sans-bold"]
    from PIL import Image

    from sakuga.compose.layouts import compose

    art = Image.new("RGB", (1024, 1024), (40, 60, 90))
    layout = compose(art, "poster", title="夜の街", subtitle="Neon Nights", credits="sakuga")
    title = layout.text_boxes["title"]
    crop = np.asarray(layout.image.crop(title), np.float32)
    assert crop.std() > 20  # glyphs drawn, not an empty box


def test_a_font_file_can_be_named(tmp_path: Path) -> None:
    jp = FONTS["gothic-jp"].path
    assert jp is not None
    assert choose_font("夜の街", str(jp)).fonts[0].path == jp
    with pytest.raises(FontError, match="does not exist"):
        choose_font("title", str(tmp_path / "nope.ttf"))


def test_missing_fonts_say_how_to_get_them(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, font in FONTS.items():
        monkeypatch.setitem(FONTS, key, Font(font.name, font.description, ("/nowhere.ttf",)))
    with pytest.raises(FontError, match="pip install matplotlib matplotlib-fontja"):
        choose_font("夜の街")
    with pytest.raises(FontError) as latin:
        choose_font("title")
    assert fonts.INSTALL_HINT in str(latin.value)
