"""Prompt critique: what a prompt leaves out, how specific it is, what contradicts itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from sakuga.prompt import vocab as v
from sakuga.prompt.artspec import PARTS, ArtSpec
from sakuga.prompt.cast import Cast, read_cast
from sakuga.prompt.styles import STYLES
from sakuga.prompt.uses import USES, get_use

# How much each part is worth in the 0–100 specificity score. The parts that most
# change the picture (who, hair, outfit, place) weigh most.
WEIGHTS: Final = {
    "character": 12,
    "hair": 12,
    "outfit": 12,
    "expression": 10,
    "pose": 10,
    "background": 12,
    "lighting": 10,
    "mood": 8,
    "style": 8,
    "use": 6,
}
assert sum(WEIGHTS.values()) == 100 and set(WEIGHTS) == set(PARTS)
CONFLICT_PENALTY: Final = 10
#: A phrase kept but not placed still makes a prompt more specific; so does a second
#: phrase in a part ("wooden pier, seagulls").
DETAIL_POINTS: Final = 4
EXTRA_PHRASE_POINTS: Final = 3

GENERIC_SUGGESTIONS: Final[dict[str, tuple[str, ...]]] = {
    "character": ("a young anime girl", "a cool anime boy", "an androgynous idol"),
    "hair": ("short silver hair", "long black hair in a ponytail", "pink twin tails"),
    "outfit": ("black hoodie and headphones", "sailor school uniform", "red yukata"),
    "expression": ("calm", "gentle smile", "determined look"),
    "pose": (
        "standing, looking at the viewer",
        "bust portrait, head tilted",
        "sitting by a window",
    ),
    "background": ("neon city street at night", "sakura park in spring", "classroom at sunset"),
    "lighting": ("soft cinematic lighting", "golden hour backlight", "moonlight"),
    "mood": ("calm", "nostalgic", "energetic"),
    "style": tuple(STYLES),
    "use": tuple(USES),
}

# Words that cannot both hold. Each group is checked on the text of some parts
# (or on the whole prompt, for None), so "short hair, long coat" is no conflict.
_CONFLICTS: Final[
    tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...] | None], ...]
] = (
    (
        "hair length",
        ("short", "cropped", "pixie", "buzz cut"),
        ("long", "waist length", "very long"),
        ("hair",),
    ),
    (
        "time of day",
        ("day", "daytime", "morning", "noon", "midday", "sunny", "daylight"),
        ("night", "midnight", "nighttime", "moonlight", "moonlit", "starry"),
        None,
    ),
    ("sun position", ("sunrise", "dawn"), ("sunset", "dusk"), None),
    (
        "expression",
        ("smiling", "smile", "laughing", "happy", "grinning", "grin", "joyful", "cheerful"),
        ("crying", "sad", "teary", "tearful", "tears", "angry", "furious"),
        ("expression", "character"),
    ),
    ("weather", ("sunny", "clear sky"), ("rain", "rainy", "raining", "storm", "snowing"), None),
    ("season", ("summer",), ("winter", "snow", "snowy"), None),
    ("framing", ("close up", "closeup", "bust", "portrait"), ("full body", "wide shot"), ("pose",)),
)


#: Tears that are not sad: not a contradiction with "happy".
_JOYFUL_TEARS: Final = re.compile(r"\b(?:happy|joyful) tears\b|\btears of joy\b", re.I)
#: What each character of several should say of themselves.
CHARACTER_PARTS: Final = ("hair", "outfit", "expression")


@dataclass(frozen=True)
class Critique:
    """The critique of one prompt; `as_dict` is the `sakuga prompt --json` shape."""

    score: int
    parts: dict[str, str]
    missing: list[str]
    suggestions: dict[str, list[str]]
    conflicts: list[str]
    prompt: str
    details: list[str] = field(default_factory=list)
    quality: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Parts a saved character supplies or adds to (the scene's "as a knight" joins
    #: the character's own description).
    from_character: dict[str, str] = field(default_factory=dict)
    #: The parts as the prompt itself says them (``parts`` less the character's).
    said: dict[str, str] = field(default_factory=dict)
    #: Each character of a prompt with several (#34): who, their parts as said, and
    #: the parts of a character they lack ("Hana: expression missing").
    characters: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "parts": self.parts,
            "missing": self.missing,
            "suggestions": self.suggestions,
            "conflicts": self.conflicts,
            "prompt": self.prompt,
            "details": self.details,
            "quality": self.quality,
            "from_character": self.from_character,
            "said": self.said,
            "characters": self.characters,
        }


def critique(
    prompt: str | ArtSpec,
    *,
    dress: Callable[[ArtSpec], ArtSpec] | None = None,
    style: str | None = None,
    use: str | None = None,
) -> Critique:
    """Critique a free-text prompt (or an ArtSpec already built).

    ``missing`` names only the parts nothing in the prompt was placed in; phrases the
    parser kept but could not place are ``details`` and count towards the score.
    ``dress`` puts a saved character into the scene (`Character.dress`): the parts it
    supplies count as said, and are listed in ``from_character``. ``style`` and ``use``
    (the page's menus, the CLI's flags) count as said when the text says neither.
    """
    quality: list[str] = []
    if isinstance(prompt, ArtSpec):
        spec = prompt
    else:
        from sakuga.prompt.parse import parse_prompt

        parsed = parse_prompt(prompt)
        spec = ArtSpec.build(**parsed.fields())
        quality = parsed.quality
    # The page's Style and For menus say those parts as much as the text would.
    spec = spec.merged(style=spec.style or style or None, use=spec.use or use or None)
    said = spec.parts()
    if dress is not None:
        spec = dress(spec)
    parts = spec.parts()
    from_character = {p: t for p, t in parts.items() if said.get(p) != t}
    details = list(spec.details)
    text = spec.text or spec.compose()
    cast = read_cast(spec.text) if spec.text else None
    if cast is not None and cast.several:
        # Each character's own words are checked against each other, never against
        # another's: short hair and long hair on two characters is no conflict.
        conflicts = find_conflicts(text, {}, scoped=False)
        for member in cast.members:
            own = {"hair": member.text, "character": member.text, "pose": member.text}
            conflicts += [f"{member.who}: {c}" for c in find_conflicts("", own, scoped_only=True)]
    else:
        conflicts = find_conflicts(text, {**parts, "details": ", ".join(details)})
    raw = sum(WEIGHTS[p] * specificity(p, t) for p, t in parts.items())
    extra = sum(len(t.split(", ")) - 1 for p, t in parts.items() if p not in ("style", "use"))
    raw += DETAIL_POINTS * len(details) + EXTRA_PHRASE_POINTS * extra
    missing = spec.missing()
    # Details earn points, but never the points of a part that is missing: a prompt
    # with parts left out does not reach 100.
    ceiling = 100 - sum(WEIGHTS[p] for p in missing)
    score = max(0, min(ceiling, round(raw)) - CONFLICT_PENALTY * len(conflicts))
    notes = [
        f"{part} is vague: say more than {parts[part]!r}"
        for part in parts
        if specificity(part, parts[part]) < 1
    ]
    return Critique(
        score=score,
        parts=parts,
        missing=missing,
        suggestions={p: suggest(p, spec) for p in missing},
        conflicts=conflicts,
        prompt=spec.compose(),
        details=details,
        quality=quality,
        notes=notes,
        from_character=from_character,
        said=said,
        characters=_characters(cast),
    )


def _characters(cast: Cast | None) -> list[dict[str, Any]]:
    """Each of several characters: who, their parts, and the parts they lack (what
    they all share counts as said for each)."""
    if cast is None or not cast.several:
        return []
    return [
        {
            "who": m.who,
            "parts": {p: ", ".join(v) for p, v in m.parts.items()},
            "missing": [
                p for p in CHARACTER_PARTS if not m.parts.get(p) and p not in cast.shared_parts
            ],
        }
        for m in cast.members
    ]


def specificity(part: str, text: str) -> float:
    """How specific one part's text is: 1.0 is specific, less is vague."""
    words = _words(text)
    if part == "hair":
        colour = bool(words & set(v.COLORS) or words & set(v.HAIR_WORDS))
        shape = bool(
            words & set(v.HAIR_LENGTHS + v.HAIR_TEXTURES)
            or any(s in text for s in v.HAIR_STYLES if s not in ("hair", "hairstyle"))
        )
        return 1.0 if colour and shape else 0.6
    if part == "outfit":
        items = [i for i in (*v.GARMENTS, *v.ACCESSORIES) if _has_phrase(text, i)]
        described = bool(words & set(v.COLORS) or words & set(v.OUTFIT_MODIFIERS))
        return 1.0 if described or len(items) >= 2 else 0.7
    if part == "background":
        # "city" is vague; "rainy city street", "city at night" or two places are not.
        return 1.0 if len(words) >= 2 else 0.6
    if part == "lighting":
        timed = bool(words & set(v.TIMES) or words & {"sunrise", "golden", "blue", "moonlight"})
        return 1.0 if timed or len(words) >= 2 else 0.7
    if part == "character":
        return 1.0 if len(words - {"anime", "manga"}) >= 2 else 0.7
    return 1.0


def suggest(part: str, spec: ArtSpec) -> list[str]:
    """Concrete phrases for a missing part, fitting the chosen style and use first."""
    picks: list[str] = []
    if spec.preset:
        picks.extend(spec.preset.suggestions.get(part, ()))
    if spec.use:
        picks.extend(get_use(spec.use).suggestions.get(part, ()))
    if part == "style" and spec.use == "sticker":
        picks.append("cute")
    picks.extend(GENERIC_SUGGESTIONS[part])
    unique: list[str] = []
    for pick in picks:
        if pick not in unique:
            unique.append(pick)
    return unique[:5]


def find_conflicts(
    text: str, parts: dict[str, str], *, scoped: bool = True, scoped_only: bool = False
) -> list[str]:
    """Pairs of words in the prompt that cannot both hold: those of the whole picture
    (time of day, weather) in ``text``, a character's in its ``parts`` (unless not
    ``scoped``; ``scoped_only`` checks only those)."""
    found: list[str] = []
    for name, side_a, side_b, scope in _CONFLICTS:
        if (scope is None and scoped_only) or (scope is not None and not scoped):
            continue
        where = text if scope is None else " ".join(parts.get(p, "") for p in (*scope, "details"))
        where = _JOYFUL_TEARS.sub(" ", where)  # "happy tears" are not a sad face
        hits_a = [w for w in side_a if _has_phrase(where, w)]
        hits_b = [w for w in side_b if _has_phrase(where, w)]
        if hits_a and hits_b:
            found.append(f"{name}: {hits_a[0]!r} and {hits_b[0]!r} contradict each other")
    return found


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _has_phrase(text: str, phrase: str) -> bool:
    body = r"[\s-]+".join(re.escape(w) for w in phrase.split())
    return re.search(rf"(?<![\w-]){body}(?![\w-])", text.lower()) is not None
