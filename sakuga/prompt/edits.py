"""An edit's prompt laid over the spec of the image it edits: the edit changes only what
it names, and everything else the image was made from carries over.

"a red ribbon in her hair", painted over a girl with long pink hair in a sailor uniform,
adds a ribbon: her hair stays long and pink, her uniform stays a uniform. "blue hair"
changes the hair's colour and keeps its length; "short hair" keeps its colour. The part
an edit replaces is changed in place in the image's own words too, so an AI engine reads
one consistent prompt ("a girl with long blue hair in a sailor uniform …"), never both.
"""

from __future__ import annotations

import re
from typing import Final

from sakuga.prompt import vocab as v
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.lexicon import key

#: Words that name a part without saying anything of it ("her hair", "the outfit").
_GENERIC: Final = {
    "character": {"character", "person", "her", "him", "she", "he", "them", "it"},
    "hair": {"hair", "hairstyle"},
    "outfit": {"outfit", "clothes", "clothing"},
    "expression": {"expression", "face"},
    "pose": {"pose"},
    "background": {"background", "place", "scene", "setting"},
    "lighting": {"lighting", "light"},
    "mood": {"mood", "vibe", "atmosphere", "feel"},
    "style": {"style", "art style"},
    "use": set(),
}
_FILLER: Final = frozenset(
    {"a", "an", "the", "her", "his", "their", "its", "in", "on", "with", "of", "to", "and"}
    | {"make", "give", "add", "change", "turn", "put", "into", "some", "more", "now"}
)
#: What a worn thing adds to an outfit rather than replacing it (a ribbon, a tie, boots).
_ADDED_TO_OUTFIT: Final = frozenset(
    key(w) for w in (*v.ACCESSORIES, *v.WORN_EXTRAS, "apron", "cape", "cloak", "scarf")
)
#: What replaces an outfit when an edit names it ("a black leather jacket").
_MAIN_GARMENTS: Final = (
    frozenset(key(w) for w in v.GARMENTS) - _ADDED_TO_OUTFIT - {"outfit", "clothes"}
)
#: The hair's word classes: an edit that names one class keeps the others.
_HAIR_CLASSES: Final = (
    frozenset(key(w) for w in v.COLORS) | {"haired"},
    frozenset(key(w) for w in v.HAIR_LENGTHS),
    frozenset(key(w) for w in v.HAIR_TEXTURES),
    frozenset(key(w) for w in v.HAIR_STYLES) - {"hair", "hairstyle"},
)


def edited(source: ArtSpec, edit: ArtSpec) -> ArtSpec:
    """``source`` (the edited image's spec) with ``edit``'s prompt laid over it."""
    parts = source.parts()
    replaced: dict[str, tuple[str, str]] = {}  # part → (old phrase, new phrase)
    details = list(source.details)
    for part, value in edit.parts().items():
        old = parts.get(part)
        if _bare(part, value):
            continue
        value = _said(value)  # "make her smile" → "smile"
        if old is None:
            parts[part] = value
        elif part == "character":
            # The edited picture shows the same one; what the edit says of it ("a cat
            # on her shoulder") is something to add, not a new character.
            if key(value) != key(old):
                details.append(value)
        elif part == "hair":
            parts[part] = _hair(old, value)
            replaced[part] = (old, parts[part])
        elif part == "outfit" and not _names_a_garment(value):
            parts[part] = f"{old}, {value}"  # added: the outfit stays
        else:
            parts[part] = value
            replaced[part] = (old, value)
    text = _text(source.text, edit.text, replaced)
    details.extend(d for d in edit.details if d not in details)
    return ArtSpec.build(
        **parts,
        negative=edit.negative or source.negative,
        seed=edit.seed,
        count=edit.count,
        character_ref=source.character_ref,
        text=text,
        details=tuple(details),
    )


def _words(value: str) -> list[str]:
    return key(value).split()


def _bare(part: str, value: str) -> bool:
    """Whether ``value`` only names the part ("her hair")."""
    generic = _GENERIC.get(part, set())
    return all(w in _FILLER or w in generic for w in _words(value))


def _names_a_garment(value: str) -> bool:
    words = _words(value)
    return any(
        " ".join(words[i : i + n]) in _MAIN_GARMENTS
        for n in (1, 2, 3)
        for i in range(len(words) - n + 1)
    )


def _classes(words: list[str]) -> set[int]:
    found = set()
    for i, cls in enumerate(_HAIR_CLASSES):
        if any(" ".join(words[j : j + n]) in cls for n in (1, 2) for j in range(len(words))):
            found.add(i)
    return found


def _hair(old: str, new: str) -> str:
    """The old hair with the word classes the new names replaced: "long pink hair" and
    "blue hair" give "long blue hair"; "short hair" gives "short pink hair"."""
    named = _classes(_words(new))
    kept = [w for w in _words(old) if w not in ("hair", "hairstyle") and not _classes([w]) & named]
    if not kept:
        return new
    words = [*kept, *_words(new)]
    # Length, texture, colour, then the style or the word "hair".
    rank = {1: 0, 2: 1, 0: 2}

    def place(i: int) -> tuple[int, int]:
        return min((rank.get(c, 3) for c in _classes([words[i]])), default=3), i

    return " ".join(words[i] for i in sorted(range(len(words)), key=place))


def _said(value: str) -> str:
    """The value without the edit's own leading words ("make her", "give him a")."""
    words = value.split()
    while len(words) > 1 and key(words[0]) in _FILLER:
        words.pop(0)
    return " ".join(words)


def _text(old: str | None, new: str | None, replaced: dict[str, tuple[str, str]]) -> str | None:
    """The image's own words with each replaced part changed in place, then the edit's
    words unless they add nothing."""
    if not old:
        return new
    text = old
    for before, after in replaced.values():
        found = re.search(rf"(?<![\w-]){re.escape(before)}(?![\w-])", text, flags=re.I)
        if found:
            text = text[: found.start()] + after + text[found.end() :]
    if new and not set(_words(new)) - _FILLER <= set(_words(text)):
        text = f"{text}, {new}"
    return text
