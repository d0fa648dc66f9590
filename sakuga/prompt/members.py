"""Each character of a several-character prompt as a prompt of their own (#34): their
own parts, what they all do together, and the scene. `draw` draws each from theirs;
`diffusers` conditions each one's region on theirs (regional prompting)."""

from __future__ import annotations

import re
from typing import Final

from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import Cast, Member

#: The words that make a character's kind a person's when their name says none.
_KIND: Final = {"f": "girl", "m": "boy"}
_SCENE: Final = ("background", "lighting", "mood")
#: Shared words that describe no one ("both", "they").
NOBODY: Final = re.compile(r"(?:both|they|them|the two|together|all|everyone)", re.I)
#: A fan's "ship" is the pair, not a boat.
FAN_SHIP: Final = re.compile(r"\b(?:my|our|fav(?:ou)?rite|otp|the)\s+ship\b", re.I)


def member_spec(spec: ArtSpec, cast: Cast, member: Member) -> ArtSpec:
    """One character's own prompt: their parts, what they all share, and the scene,
    in the spec's style and for its use."""
    own = {part: list(phrases) for part, phrases in member.parts.items()}
    first = member is cast.members[0]
    for part, phrases in cast.shared_parts.items():
        # What they do and feel is each one's; a thing said of them all ("a suitcase
        # next to them") is drawn once, by the first.
        if part in ("pose", "expression") or first:
            said = [p for p in phrases if not NOBODY.fullmatch(p.strip())]
            own.setdefault(part, []).extend(said)
    who = member.who
    said_kind = any(w in who.lower() for w in ("girl", "boy", "man", "woman", "lady"))
    kind = "" if said_kind or member.gender is None else _KIND[member.gender]
    character = [p for p in (who if not _is_name(who) else "", kind) if p]
    character += own.pop("character", [])
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


_OWN: Final = frozenset({"hair", "outfit", "expression", "pose"})


def _is_name(who: str) -> bool:
    return bool(who) and who[0].isupper()
