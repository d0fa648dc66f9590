"""The parser's vocabulary: every phrase it knows, with the parts it can belong to.

Read once from ``data/lexicon.toml`` and the word lists in `sakuga.prompt.vocab`, the
style presets and the uses. A phrase has a *role* in each part it may belong to:
``head`` (it decides the part: "pier" makes "a wooden pier" background) or ``mod``
(it describes a head: "wooden"). Colour words are modifiers of any part.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final, Literal

from sakuga.prompt import vocab as v
from sakuga.prompt.styles import STYLES
from sakuga.prompt.uses import USES

Role = Literal["head", "mod"]

#: Use aliases too common in a description to mean the use by themselves ("a rainy
#: scene", "a landscape"); they name the use only after "for" or "as".
WEAK_USE_WORDS: Final = frozenset(
    {"scene", "landscape", "post", "profile", "icon", "instagram", "card", "header", "banner"}
)
#: Words that only frame what a style preset is called: "webtoon STYLE", "kawaii AESTHETIC".
STYLE_FRAMES: Final = frozenset(
    {"style", "art style", "artstyle", "aesthetic", "inspired", "look", "vibe", "anime style"}
)


def key(phrase: str) -> str:
    """A phrase as the lexicon stores it: lower case, words separated by one space."""
    return " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)?", phrase.lower()))


@dataclass(frozen=True)
class Lexicon:
    roles: dict[str, dict[str, Role]]  # phrase → part → role
    quality: frozenset[str]
    body_parts: frozenset[str]
    ing_adjectives: frozenset[str]
    fillers: frozenset[str]
    style_presets: dict[str, str]  # phrase → style name
    use_names: dict[str, str]  # phrase → use name
    cues: dict[str, str]  # cue phrase → the kind of phrase it starts
    longest: int  # words in the longest phrase or cue
    glossary: dict[str, str]  # a Japanese word in Latin letters → its English gloss

    def lookup(self, phrase: str) -> dict[str, Role]:
        return self.roles.get(phrase, {})

    def find(self, phrase: str) -> dict[str, Role]:
        """The roles of ``phrase`` as written, as a singular ("crayons"), or without a
        possessive ("a witch's cottage"): how the parser reads a phrase."""
        return (
            self.lookup(phrase)
            or self.lookup(singular(phrase))
            or self.lookup(phrase.replace("'s", ""))
        )


def singular(word: str) -> str:
    """``word`` with a plural's ending taken off ("crayons", "cherries", "dresses")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


@cache
def lexicon() -> Lexicon:
    """The lexicon, built on first use."""
    data = tomllib.loads(
        resources.files("sakuga.prompt").joinpath("data/lexicon.toml").read_text("utf-8")
    )
    roles: dict[str, dict[str, Role]] = {}

    def add(part: str, role: Role, phrases: object) -> None:
        assert isinstance(phrases, list | tuple)
        for phrase in phrases:
            k = key(str(phrase))
            if not k or k in ("and",):
                continue
            current = roles.setdefault(k, {})
            if current.get(part) != "head":  # a head in one list stays a head
                current[part] = role

    for part in ("character", "hair", "outfit", "expression", "pose", "background"):
        add(part, "head", data[part]["heads"])
        add(part, "mod", data[part].get("modifiers", []))
    for part in ("lighting", "mood", "style"):
        add(part, "head", data[part]["heads"])
        add(part, "mod", data[part].get("modifiers", []))
    add("character", "head", v.CHARACTERS)
    add("character", "mod", v.CHARACTER_MODIFIERS)
    add("hair", "head", [s for s in v.HAIR_STYLES])
    add("hair", "head", v.HAIR_WORDS)
    add("hair", "mod", (*v.HAIR_LENGTHS, *v.HAIR_TEXTURES))
    add("outfit", "head", (*v.GARMENTS, *v.ACCESSORIES))
    add("outfit", "mod", v.OUTFIT_MODIFIERS)
    add("expression", "head", v.EXPRESSIONS)
    add("pose", "head", v.POSES)
    add("background", "head", (*v.PLACES, *v.WEATHER))
    add("background", "mod", (*v.PLACE_MODIFIERS, *v.BACKGROUND_KINDS))
    add("lighting", "head", (*v.TIMES, *v.LIGHTING_HEADS, *v.LIGHTING_WORDS))
    add("lighting", "mod", v.LIGHTING_MODIFIERS)
    add("mood", "head", (*v.MOODS, *v.MOOD_HEADS))
    add("mood", "mod", v.MOOD_MODIFIERS)
    style_presets = {key(a): s.name for s in STYLES.values() for a in (s.name, *s.aliases)}
    add("style", "head", list(style_presets))
    use_names = {key(a): u.name for u in USES.values() for a in (u.name, *u.aliases)}
    add("use", "head", [*use_names, *data["use"]["heads"]])
    for colour in v.COLORS:
        for part in ("hair", "outfit", "background", "lighting", "character"):
            add(part, "mod", [colour])
    # A Japanese word takes the parts of its gloss ("aki": autumn's), unless the
    # lexicon knows it already ("kawaii" names the cute style).
    glossary = {key(word): gloss for word, gloss in data["glossary"].items()}
    for word, gloss in glossary.items():
        for part, role in roles.get(key(gloss), {}).items() if word not in roles else ():
            add(part, role, [word])
    special = data["special"]
    quality = frozenset(key(q) for q in special["quality"])
    cues = {key(c): kind for kind, phrases in data["cues"].items() for c in phrases if key(c)}
    return Lexicon(
        roles=roles,
        quality=quality,
        body_parts=frozenset(key(b) for b in special["body_parts"]),
        ing_adjectives=frozenset(key(w) for w in special["ing_adjectives"]),
        fillers=frozenset(key(f) for f in special["fillers"]),
        style_presets=style_presets,
        use_names=use_names,
        cues=cues,
        longest=max(len(k.split()) for k in (*roles, *quality, *cues)),
        glossary=glossary,
    )


@cache
def _gloss_pattern() -> re.Pattern[str]:
    words = sorted(lexicon().glossary, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])({'|'.join(map(re.escape, words))})(?![\w-])", re.IGNORECASE)


#: What follows a name said as a character's ("Sora has …", "Hana: …", "Sakura and Ren").
_NAMED_NEXT: Final = re.compile(
    r"(?:\s+(?:has|have|is|was|wears|wearing|with|and|x|&|looks|smiles|holds)\b|\s*[:(])"
)
_NAMED_AFTER: Final = re.compile(r"(?:\band|\bx|&)\s+$")


def _said_as_name(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` of ``text`` stands where a name does: before
    "has", "is", ":" …, or after "and", "x", "&"."""
    before = text[max(0, start - 6) : start]
    return bool(_NAMED_NEXT.match(text, end) or _NAMED_AFTER.search(before))


def names_in(text: str) -> frozenset[str]:
    """Capitalised words ``text`` says as characters' names ("Sora has …", "Aiko and
    Sora", "Hana: …"): not glossed, wherever the parser put them."""
    found = re.finditer(r"\b([A-Z][a-z]+)\b", text)
    return frozenset(m.group(1) for m in found if _said_as_name(text, m.start(1), m.end(1)))


def gloss(text: str, names: frozenset[str] = frozenset()) -> str:
    """``text`` with each Japanese word of the glossary followed by its English in
    brackets ("aki no yuugata" → "aki (autumn) no yuugata (evening)"): what an engine
    that reads English draws from, the words as said kept."""
    glossary = lexicon().glossary

    def glossed(m: re.Match[str]) -> str:
        word = m.group(1)
        named = word[:1].isupper() and _said_as_name(text, m.start(1), m.end(1))
        if named or word.lower() in {n.lower() for n in names}:
            return word  # "Sora has blonde hair", "Aiko and Sora": a name, not the sky
        english = glossary[key(word)]
        # A grammar word ("wo kite": wearing) is replaced, so its sound ("kite") is not
        # read as an English word; a content word keeps its Japanese beside the gloss.
        return english[1:] if english.startswith("=") else f"{m.group(1)} ({english})"

    return _gloss_pattern().sub(glossed, text)


def style_preset(text: str) -> str | None:
    """The style preset ``text`` names ("kawaii" → "cute", "in webtoon style" → "webtoon"),
    or None when it names none (a medium such as "watercolor")."""
    lex = lexicon()
    words = key(text).split()
    for size in range(min(4, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            name = lex.style_presets.get(" ".join(words[i : i + size]))
            if name:
                return name
    return None


def describes_style(text: str) -> bool:
    """Whether ``text`` names a style preset or an art style or medium the lexicon knows."""
    lex = lexicon()
    words = key(text).split()
    return any(
        "style" in lex.find(" ".join(words[i : i + size]))
        for size in range(1, min(lex.longest, len(words)) + 1)
        for i in range(len(words) - size + 1)
    )
