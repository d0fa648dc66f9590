"""Rules the studio service applies to every request it builds (`Studio`), so the same
action gives the same result from every front end.

- `with_character`: a saved character's look, seed and engine for a scene.
- `edit_engine`: the engine an edit runs on (one that can edit).
- `finish_for_use`: what the use makes of an engine's images (a sticker is cut out).
"""

from __future__ import annotations

from typing import Final

from sakuga.engines.base import EngineRequest, EngineResult, Task
from sakuga.engines.registry import engine_class
from sakuga.errors import EngineError
from sakuga.prompt.artspec import ArtSpec
from sakuga.studio.library.characters import Character


def with_character(
    character: Character, spec: ArtSpec, engine: str | None
) -> tuple[ArtSpec, str | None]:
    """The scene ``spec`` dressed as ``character``, with the character's seed when the
    scene sets none, and its engine when none was asked for."""
    dressed = character.dress(spec)
    if dressed.seed is None and character.seed is not None:
        dressed = dressed.merged(seed=character.seed)
    return dressed, engine or character.engine


#: How many saved characters one scene takes (what `draw` draws side by side).
MAX_CAST: Final = 3


def with_characters(
    cast: list[Character], spec: ArtSpec, engine: str | None
) -> tuple[ArtSpec, str | None]:
    """The scene ``spec`` with several saved characters in it: each said by name with
    their own traits ("Aki is a boy and has short black hair, denim jacket") after the
    scene's own words, so every engine reads who is who (`sakuga.prompt.cast`). The
    first character's seed, style and engine fill what the scene leaves open."""
    said = []
    for c in cast:
        kind = c.traits.get("character")
        looks = ", ".join(v for k, v in c.traits.items() if k != "character" and v)
        # "Ren is a boy and has …", "Aki has …": a name the cast reader knows for one.
        parts = [f"is a {kind}"] if kind else []
        parts += [f"has {looks}"] if looks else []
        said.append(" ".join([c.name, " and ".join(parts)]).strip())
    # The scene's words first: before anyone is named, what they say of a person (a
    # smile, a pose) is everyone's.
    scene = (spec.text or spec.compose()).strip()
    text = "; ".join([scene, *said] if scene else said)
    first = cast[0]
    dressed = ArtSpec.from_text(text).merged(
        style=spec.style or first.style,
        use=spec.use,
        seed=spec.seed if spec.seed is not None else first.seed,
        count=spec.count,
        negative=spec.negative,
    )
    return dressed, engine or first.engine


def edit_engine(name: str | None) -> str | None:
    """``name`` when that engine can do a masked edit; None (the best that can) otherwise,
    e.g. for an image made by ``toon``, which only turns photos into anime."""
    if name is None:
        return None
    try:
        can_edit = Task.MASKED_EDIT in engine_class(name).tasks
    except EngineError:
        return None
    return name if can_edit else None


def finish_for_use(request: EngineRequest, result: EngineResult) -> None:
    """A sticker is cut out whatever engine made it (draw already renders on
    transparency; the cut-out keeps that), with its ``caption`` option set under it."""
    if request.spec.use == "sticker":
        from sakuga.compose.sticker import make_sticker

        caption = request.options.get("caption")
        result.images = [make_sticker(image, caption=caption) for image in result.images]
