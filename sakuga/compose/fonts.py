"""Fonts Sakuga typesets with, and the check that every character has a glyph.

Two fonts, both free to redistribute, and both installed by ``pip install``: DejaVu
Sans (Latin; Bitstream Vera licence), which ships inside ``matplotlib``, and
IPAexGothic (Japanese kana and kanji, plus Latin; IPA Font Licence), which ships
inside ``matplotlib-fontja``. The system's copies (Debian's fonts-dejavu-core and
fonts-ipaexfont-gothic) are used first when present. ``--font`` also takes a font
file. Each character of a title is set in the first font of its chain that has its
glyph (Latin and punctuation in DejaVu, kana and kanji in IPAexGothic); if a character
has none of them, that is an error naming the characters and what to do, never tofu.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from PIL import ImageFont

from sakuga.errors import SakugaError

MAX_TEXT: Final = 200  # characters in one title, subtitle or credit line


class FontError(SakugaError):
    """An unknown font, a character no font has, or text too long to set."""


def _in_package(package: str, relative: str) -> str:
    """A file inside an installed package, found without importing it ("" if absent)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return ""
    if spec is None or not spec.submodule_search_locations:
        return ""
    return str(Path(next(iter(spec.submodule_search_locations))) / relative)


@dataclass(frozen=True)
class Font:
    name: str
    description: str
    candidates: tuple[str, ...]  # the system's copies first, then the pip-installed one

    @property
    def path(self) -> Path | None:
        for candidate in self.candidates:
            if candidate and Path(candidate).is_file():
                return Path(candidate)
        return None


FONTS: Final = {
    "sans-bold": Font(
        "sans-bold",
        "DejaVu Sans Bold: Latin titles",
        (
            "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
            _in_package("matplotlib", "mpl-data/fonts/ttf/DejaVuSans-Bold.ttf"),
        ),
    ),
    "sans": Font(
        "sans",
        "DejaVu Sans: Latin body text and credits",
        (
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            _in_package("matplotlib", "mpl-data/fonts/ttf/DejaVuSans.ttf"),
        ),
    ),
    "gothic-jp": Font(
        "gothic-jp",
        "IPAexGothic: Japanese (kana, kanji) and Latin",
        (
            "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
            "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
            _in_package("matplotlib_fontja", "fonts/ipaexg.ttf"),
        ),
    ),
}
#: Font files ``--font`` may name directly.
FONT_FILES: Final = (".ttf", ".otf", ".ttc")
INSTALL_HINT: Final = (
    "the fonts ship with Sakuga's dependencies: reinstall them (pip install matplotlib "
    "matplotlib-fontja), or on Debian apt-get install fonts-dejavu-core "
    "fonts-ipaexfont-gothic, or pass --font FILE.ttf"
)


#: Which fonts to try, in order, for titles and for small text.
TITLE_CHAIN: Final = ("sans-bold", "gothic-jp")
BODY_CHAIN: Final = ("sans", "gothic-jp")


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(font: Font, text: str) -> list[str]:
    path = font.path
    if path is None:
        return sorted(set(text))
    cmap = _cmap(path)
    return sorted({c for c in text if not c.isspace() and ord(c) not in cmap})


def check_text(text: str, what: str = "title") -> str:
    text = " ".join(text.split())
    if not text:
        raise FontError(f"the {what} is empty")
    if len(text) > MAX_TEXT:
        raise FontError(f"the {what} is {len(text)} characters long; at most {MAX_TEXT}")
    return text


@dataclass(frozen=True)
class Typeface:
    """The fonts that set one text together. Each character comes from the first font
    that has its glyph, as a browser falls back, so Latin letters and punctuation (the
    em dash of "夜の街 — Neon Nights" included) stay in the Latin font while kana and
    kanji come from the Japanese one. ``embolden`` thickens the runs of a fallback font
    that has no bold weight, to sit beside a bold first font."""

    fonts: tuple[Font, ...]
    embolden: bool = False

    @property
    def name(self) -> str:
        return self.fonts[0].name

    def runs(self, text: str) -> list[tuple[str, Font]]:
        """``text`` cut into runs that share a font; spaces join the run before them."""
        out: list[tuple[str, Font]] = []
        for char in text:
            font = out[-1][1] if (char.isspace() and out) else self._font_for(char)
            if out and out[-1][1] == font:
                out[-1] = (out[-1][0] + char, font)
            else:
                out.append((char, font))
        return out

    def used(self, text: str) -> list[Font]:
        return list(dict.fromkeys(font for _, font in self.runs(text)))

    def _font_for(self, char: str) -> Font:
        for font in self.fonts:
            path = font.path
            if path is not None and ord(char) in _cmap(path):
                return font
        return self.fonts[-1]


def choose_font(
    text: str, name: str | None = None, chain: tuple[str, ...] = TITLE_CHAIN
) -> Typeface:
    """The typeface to set ``text`` in: ``name`` (a font of `FONTS`, or a font file)
    alone if given, else the installed fonts of ``chain`` together, each character
    from the first that has it. Raises `FontError` for an unknown or missing font or a
    character no font has, saying what would help."""
    if name is not None:
        if name.lower().endswith(FONT_FILES):
            file = Path(name).expanduser()
            if not file.is_file():
                raise FontError(f"font file {name} does not exist")
            candidates = [Font(file.stem, f"font file {file}", (str(file),))]
        elif name not in FONTS:
            raise FontError(
                f"unknown font {name!r}; fonts: {', '.join(FONTS)}, or a .ttf/.otf file"
            )
        else:
            candidates = [FONTS[name]]
    else:
        candidates = [FONTS[n] for n in chain]
    installed = [f for f in candidates if f.path is not None]
    if not installed:
        wanted = ", ".join(f.name for f in candidates)
        raise FontError(f"font {wanted} is not installed: {INSTALL_HINT}")
    missing = sorted({c for c in text if all(missing_glyphs(font, c) for font in installed)})
    if not missing:
        bold_first = "bold" in installed[0].name
        return Typeface(tuple(installed), embolden=bold_first)
    shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:8])
    absent = [FONTS[n].name for n in chain if FONTS[n].path is None] if name is None else []
    hint = (
        f"; {', '.join(absent)} is not installed: {INSTALL_HINT}"
        if absent
        else ("; choose other characters, or pass --font FILE.ttf with a font that has them")
    )
    raise FontError(f"no font here has a glyph for {shown}{hint}")


@cache
def load(font: Font, size: int) -> ImageFont.FreeTypeFont:
    assert font.path is not None
    return ImageFont.truetype(str(font.path), size)
