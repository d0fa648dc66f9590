"""The vocabulary-only prompt parser as it was before issue #14, kept unchanged as the
baseline that `benchmarks/prompt_understanding.py` measures the new parser against.

It read the prompt with phrase patterns built from `sakuga.prompt.vocab`, one part at a
time; whatever no pattern matched was dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from sakuga.errors import SpecError
from sakuga.prompt import vocab as v
from sakuga.prompt.artspec import MAX_PROMPT_LENGTH, PARTS
from sakuga.prompt.styles import STYLES
from sakuga.prompt.uses import USES

_BLOCK: Final = "\u00a6"  # marks consumed text; neither a word character nor a space


def _alt(phrases: Iterable[str]) -> str:
    """A regex alternation of ``phrases``, longest first; spaces also match hyphens."""
    unique = sorted(set(phrases), key=len, reverse=True)
    parts = [r"[\s-]+".join(re.escape(w) for w in p.split()) for p in unique]
    return "(?:" + "|".join(parts) + ")"


def _word(body: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){body}(?![\w-])")


_SEP = r"(?:\s*,\s*|\s+and\s+|[\s-]+)"
_COLOR = _alt(v.COLORS)
_HAIR_MOD = _alt((*v.HAIR_LENGTHS, *v.HAIR_TEXTURES, *v.COLORS))
_HAIR_NOUN = _alt(v.HAIR_STYLES)
_HAIR = _word(
    rf"(?:{_HAIR_MOD}{_SEP}){{0,5}}{_HAIR_NOUN}"
    rf"(?:\s+(?:in|tied\s+in|tied\s+into|with)\s+(?:an?\s+)?(?:{_HAIR_MOD}[\s-]+){{0,2}}"
    rf"(?:{_HAIR_NOUN}|streaks|highlights|tips|ends))?"
)
_HAIRED = _word(rf"(?:{_HAIR_MOD}{_SEP}){{0,3}}{_HAIR_MOD}[\s-]+haired")
_HAIR_WORD = _word(_alt(v.HAIR_WORDS))

_ITEM = _alt((*v.GARMENTS, *v.ACCESSORIES))
_OUTFIT_MOD = _alt((*v.COLORS, *v.OUTFIT_MODIFIERS, "cat ear", "fox ear"))
_OUTFIT = _word(
    rf"(?:{_OUTFIT_MOD}(?:[\s-]+and[\s-]+{_OUTFIT_MOD})?[\s-]+){{0,3}}(?:{_ITEM}[\s-]+)?{_ITEM}"
    rf"(?:\s+with\s+(?:{_OUTFIT_MOD}[\s-]+)?"
    rf"(?:trim|stripes|patterns?|details|accents|seams|lining|hood|ears))?"
)

_TIME = _alt(v.TIMES)
_WEATHER = _alt(v.WEATHER)
_PLACE = _alt(v.PLACES)
_PLACE_MOD = _alt((*v.PLACE_MODIFIERS, *v.TIMES))
_PLACE_PHRASE = _word(
    rf"(?:{_PLACE_MOD}[\s-]+){{0,3}}{_PLACE}s?"
    rf"(?:\s+(?:at|during|in\s+the|in|by|under\s+the)\s+(?:{_TIME}|{_WEATHER}))?"
)
_TIME_PHRASE = _word(rf"(?:(?:at|during|in\s+the|by|on\s+an?)\s+)?(?:{_PLACE_MOD}[\s-]+)?{_TIME}")
_BG_KIND = _word(rf"(?:{_alt(v.BACKGROUND_KINDS)}[\s,-]+){{1,2}}(?:background|backdrop)")
_BG_ANY = _word(r"(?:[a-z][\w'-]*\s+){1,2}(?:background|backdrop|scenery|setting)")

_LIGHT_MOD = _alt(v.LIGHTING_MODIFIERS)
_LIGHTING = _word(
    rf"(?:{_LIGHT_MOD}[\s-]+){{1,4}}{_alt(v.LIGHTING_HEADS)}|"
    rf"(?:{_LIGHT_MOD}[\s-]+){{0,2}}{_alt(v.LIGHTING_WORDS)}"
)

_EXPRESSION = _word(
    rf"(?:{_alt(v.INTENSIFIERS)}\s+)?{_alt(v.EXPRESSIONS)}"
    rf"(?:\s+{_alt(v.EXPRESSION_SUFFIXES)})?"
)
_POSE = _word(rf"{_alt(v.POSES)}|holding\s+(?:an?|the|her|his|their)\s+(?:{_COLOR}\s+)?[a-z][\w-]*")
_MOOD_EXPLICIT = _word(
    rf"(?:{_alt(v.MOOD_MODIFIERS)}(?:\s*,\s*|\s+and\s+|[\s-]+)){{1,3}}{_alt(v.MOOD_HEADS)}"
)
_MOOD = _word(_alt(v.MOODS))
_CHARACTER_MOD = _alt((*v.CHARACTER_MODIFIERS, *v.CHARACTERS))
_CHARACTER = _word(rf"(?:{_CHARACTER_MOD}[\s-]+){{0,3}}{_alt(v.CHARACTERS)}(?:s|es)?")


def _key(phrase: str) -> str:
    return re.sub(r"[\s-]+", " ", phrase.strip().lower())


_STYLE_WORDS = {_key(a): s.name for s in STYLES.values() for a in (s.name, *s.aliases)}
_STYLE_EXPLICIT = _word(
    rf"(?:in\s+(?:an?\s+|the\s+)?)?({_alt(_STYLE_WORDS)})[\s-]+{_alt(v.STYLE_HEADS)}|"
    rf"style\s*[:=]?\s*({_alt(_STYLE_WORDS)})"
)
_STYLE = _word(f"({_alt(_STYLE_WORDS)})")

_USE_WORDS = {_key(a): u.name for u in USES.values() for a in (u.name, *u.aliases)}
_USE_EXPLICIT = _word(rf"(?:as|for)\s+(?:an?\s+|my\s+|the\s+)?({_alt(_USE_WORDS)})s?")
_USE = _word(f"({_alt(_USE_WORDS)})s?")

_PART_ALIASES: Final = {
    **{p: p for p in PARTS},
    "subject": "character",
    "who": "character",
    "clothes": "outfit",
    "clothing": "outfit",
    "face": "expression",
    "scene": "background",
    "setting": "background",
    "place": "background",
    "light": "lighting",
    "atmosphere": "mood",
    "for": "use",
    "negative": "negative",
    "negative prompt": "negative",
    "seed": "seed",
    "count": "count",
    "n": "count",
}
_STRUCTURED = re.compile(rf"^\s*({'|'.join(map(re.escape, _PART_ALIASES))})\s*[:=]\s*(.+?)\s*$")
_LEADING = re.compile(
    r"^(?:(?:a|an|the|with|and|under|in|at|on|wearing|by|during|of|his|her|their|my)\s+)+"
)


class _Scanner:
    """Takes phrases out of a prompt one pattern at a time, remembering what is taken."""

    def __init__(self, text: str) -> None:
        # Lower-case character by character so indices keep matching the original.
        self.work = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        self.found: dict[str, list[tuple[int, str]]] = {}

    def take(self, part: str, pattern: re.Pattern[str], group: int | None = None) -> None:
        for match in list(pattern.finditer(self.work)):
            phrase = match.group(0)
            if group is not None:
                phrase = next(g for g in match.groups() if g)
            phrase = _LEADING.sub("", phrase.strip(" ,")).strip()
            if not phrase or phrase in ("hair", "hairstyle", "background", "outfit", "clothes"):
                continue
            if _BLOCK in match.group(0):
                continue
            self.found.setdefault(part, []).append((match.start(), phrase))
            start, end = match.span()
            self.work = self.work[:start] + _BLOCK * (end - start) + self.work[end:]

    def parts(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for part, hits in self.found.items():
            phrases: list[str] = []
            # A style or use named explicitly ("in webtoon style") beats a passing word.
            ordered = hits if part in ("style", "use") else sorted(hits)
            for _, phrase in ordered:
                if phrase not in phrases:
                    phrases.append(phrase)
            out[part] = ", ".join(phrases)
        return out


def parse_parts(text: str) -> dict[str, str | int]:
    """The ArtSpec fields a free-text prompt gives, keyed by part name."""
    if len(text) > MAX_PROMPT_LENGTH:
        raise SpecError(f"prompt is too long: {len(text)} characters, at most {MAX_PROMPT_LENGTH}")
    structured: dict[str, str | int] = {}
    free: list[str] = []
    for segment in re.split(r"[;\n]", text):
        match = _STRUCTURED.match(segment.lower())
        if match:
            key = _PART_ALIASES[match.group(1)]
            value = segment[match.start(2) : match.end(2)]
            structured[key] = int(value) if key in ("seed", "count") and value.isdigit() else value
        else:
            free.append(segment)
    scanner = _Scanner(", ".join(free))
    scanner.take("use", _USE_EXPLICIT, group=1)
    scanner.take("style", _STYLE_EXPLICIT, group=1)
    scanner.take("mood", _MOOD_EXPLICIT)
    scanner.take("hair", _HAIR)
    scanner.take("hair", _HAIRED)
    scanner.take("outfit", _OUTFIT)
    scanner.take("background", _BG_KIND)
    scanner.take("lighting", _LIGHTING)
    scanner.take("background", _PLACE_PHRASE)
    scanner.take("background", _TIME_PHRASE)
    scanner.take("background", _BG_ANY)
    scanner.take("hair", _HAIR_WORD)
    scanner.take("expression", _EXPRESSION)
    scanner.take("pose", _POSE)
    scanner.take("mood", _MOOD)
    scanner.take("character", _CHARACTER)
    scanner.take("style", _STYLE, group=1)
    scanner.take("use", _USE, group=1)
    parts: dict[str, str | int] = dict(scanner.parts())
    # A style or use is one choice: keep the first named, in canonical form.
    for key, words in (("style", _STYLE_WORDS), ("use", _USE_WORDS)):
        if key in parts:
            first = str(parts[key]).split(", ")[0]
            parts[key] = words.get(_key(first), first)
    parts.update(structured)
    return parts
