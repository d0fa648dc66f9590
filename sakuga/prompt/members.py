"""Each character of a several-character prompt as a prompt of their own (#34): their
own parts, what they all do together, and the scene. `draw` draws each from theirs;
`diffusers` conditions each one's region on theirs (regional prompting)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import Cast, Member, read_cast
from sakuga.prompt.lexicon import lexicon
from sakuga.prompt.vocab import COLORS

#: The words that make a character's kind a person's when their name says none.
_KIND: Final = {"f": "girl", "m": "boy"}
_SCENE: Final = ("background", "lighting", "mood")
#: Shared words that describe no one ("both", "they").
NOBODY: Final = re.compile(r"(?:both|they|them|the two|together|all|everyone)", re.I)
#: A fan's "ship" is the pair, not a boat.
FAN_SHIP: Final = re.compile(
    r"\b(?:my|our|fav(?:ou?rite)?|otp|the)\s+(?:fav(?:ou?rite)?\s+|otp\s+)?ship\b", re.I
)


def member_spec(spec: ArtSpec, cast: Cast, member: Member) -> ArtSpec:
    """One character's own prompt: their parts, what they all share, and the scene,
    in the spec's style and for its use."""
    own = {part: list(phrases) for part, phrases in member.parts.items()}
    first = member is cast.members[0]
    for part, phrases in cast.shared_parts.items():
        # What they are, wear, do and feel is each one's ("two idols, both in white");
        # a thing said of them all ("a suitcase next to them") is drawn once, by the first.
        # (An animal is none of "both in yukata": its own words say all of it.)
        if member.animal:
            continue
        if part in _EACH or first:
            said = [p for p in phrases if not NOBODY.fullmatch(p.strip())]
            own.setdefault(part, []).extend(said)
        # "two people hugging, scarves": a garment said in the plural of them all is one
        # on each ("scarf"), whatever part the parser read the words as.
        for phrase in phrases:
            worn = each_wears(phrase)
            if worn and worn not in own.get("outfit", []):
                own.setdefault("outfit", []).append(worn)
    who = member.who
    # (The kind said once: in the name's place, or among their own words.)
    told = " ".join([who, *own.get("character", [])]).lower()
    said_kind = any(w in told for w in ("girl", "boy", "man", "woman", "lady"))
    kind = "" if said_kind or member.gender is None else _KIND[member.gender]
    character = [p for p in (who if not _is_name(who) else "", kind) if p]
    theirs = own.pop("character", [])
    if member.animal and any(who.lower() in p.lower() for p in theirs):
        character = []  # ("black cat", its words: said once)
    character += theirs
    details = own.pop("details", [])
    fields: dict[str, object] = {
        part: ", ".join(phrases) for part, phrases in own.items() if part in _OWN and phrases
    }
    fields["character"] = ", ".join(character) or None
    for part in _SCENE:
        said = cast.scene_parts.get(part) or ([getattr(spec, part)] if getattr(spec, part) else [])
        said = [p for p in said if not FAN_SHIP.search(p) and not NOBODY.fullmatch(p)]
        if said:
            fields[part] = ", ".join(said)
    return ArtSpec.build(
        **fields,
        style=spec.style,
        use=spec.use,
        negative=spec.negative,
        details=tuple(details),
    )


def each_wears(phrase: str) -> str | None:
    """The garment ``phrase`` says several wear, as one of them wears it ("matching red
    scarves" → "red scarf"), or None when it names no garment in the plural."""
    words = re.findall(r"[^\W\d_][\w'-]*", phrase.lower())
    for k, word in enumerate(words):
        one = _one_of(word)
        if one is None or lexicon().find(word).get("outfit"):
            continue  # not a plural, or a garment's own word ("gloves", "aprons")
        if lexicon().find(one).get("outfit") == "head":
            colours = [w for w in words[max(0, k - 2) : k] if w in COLORS]
            return " ".join([*colours, one])
    return None


def _one_of(word: str) -> str | None:
    """A plural noun's singular ("scarves" → "scarf", "beanies" → "beanie"), or None."""
    for ending, one in (("ves", "f"), ("ies", "ie"), ("sses", "ss"), ("shes", "sh"), ("s", "")):
        if word.endswith(ending) and len(word) > len(ending) + 2 and not word.endswith("ss"):
            return word[: -len(ending)] + one
    return None


_OWN: Final = frozenset({"hair", "outfit", "expression", "pose"})
#: The shared parts every one of them has.
_EACH: Final = frozenset({"pose", "expression", "outfit", "hair", "character"})


def _is_name(who: str) -> bool:
    """Whether ``who`` is a name (capitalised, or kana or kanji: "ミカ") or a place in
    a count ("one", "the other one"), not a noun to draw."""
    return bool(who) and (
        who[0].isupper() or "\u3040" <= who[0] <= "\u9fff" or _ORDINAL.fullmatch(who) is not None
    )


_ORDINAL: Final = re.compile(
    r"(?:the\s+)?(?:other\s+one|other|one)(?:\s+(?:on\s+the\s+(?:left|right)|in\s+the\s+middle))?",
    re.I,
)


_NETWORK: Final = re.compile(r"<?(?:lora|lyco|hypernet):", re.I)
#: How many characters a picture lays out apart; more are left to the scene's words.
MOST: Final = 3
#: A character's own parts; the rest of their prompt is the scene's.
OWN_PARTS: Final = ("character", "hair", "outfit", "expression", "pose")


@dataclass(frozen=True)
class Layout:
    """A several-character prompt laid out: the scene (the place, light, mood, what
    they do together, in the prompt's style and for its use, with ``subject`` as its
    character) and each character's own parts, left to right, by who they are."""

    scene: ArtSpec
    members: tuple[tuple[str, ArtSpec], ...]


def layout(spec: ArtSpec, subject: str) -> Layout | None:
    """``spec`` laid out by character (None when it is about one). ``subject`` names
    them together in the scene's words ("2 characters side by side")."""
    if not spec.text:
        return None
    cast = read_cast(spec.text)
    if not cast.several:
        return None
    members = []
    for member in cast.members[:MOST]:
        own = member_spec(spec, cast, member)
        fields = {part: getattr(own, part) for part in OWN_PARTS}
        # An extra network's tag ("lora:ink:0.6") is the engine's, applied once: no one's.
        details = tuple(d for d in own.details if not _NETWORK.match(d))
        members.append((member.who, ArtSpec.build(**fields, details=details)))

    def kept(phrases: Sequence[str]) -> list[str]:  # no "them", no fan's "my ship"
        return [p for p in phrases if not NOBODY.fullmatch(p.strip()) and not FAN_SHIP.search(p)]

    said = {part: ", ".join(kept(cast.scene_parts.get(part, ()))) for part in _SCENE}
    scene = ArtSpec.build(
        character=subject.format(count=len(members)),
        **{part: value for part, value in said.items() if value},
        details=tuple(kept(cast.shared)),
        style=spec.style,
        use=spec.use,
        negative=spec.negative,
    )
    return Layout(scene, tuple(members))
