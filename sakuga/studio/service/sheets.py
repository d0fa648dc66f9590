"""A character sheet: one generation, its parts recorded in its recipe.

The sheet is made of several drawings (the character in each expression), composed
on the sheet use's page with the palette. It is recorded as one generation — engine
``compose``, model ``character-sheet`` — whose request keeps each part's expression,
engine and seed, so the library lists one sheet, not a row per drawing, and every
part can be drawn again from the recipe.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from sakuga.engines.base import EngineRequest, EngineResult, Task
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.uses import get_use
from sakuga.studio.library.library import Generation

#: The expressions a sheet shows, in order; ``count`` takes the first ones.
SHEET_EXPRESSIONS = ("calm", "smiling", "laughing", "surprised", "angry", "crying")
PART_SIZE = (512, 512)
FULL_SIZE = (448, 1024)


@dataclass(frozen=True)
class Sheet:
    request: EngineRequest
    result: EngineResult
    generation: Generation
    parts: list[dict[str, object]]  # expression, engine, seed of each drawing


def sheet_parts(count: int) -> list[tuple[str, ArtSpec, tuple[int, int]]]:
    """What a sheet draws, as (label, scene, size): the character whole from the front,
    in three-quarter view and from behind, then a bust per expression; all on a plain
    page, arms down."""
    whole = ArtSpec.build(expression="calm", background="plain", pose="full body, arms down")
    turned = whole.merged(pose="full body, three-quarter view, arms down")
    behind = whole.merged(pose="full body, from behind, arms down")
    views = [("front", whole), ("three-quarter", turned), ("back", behind)]
    return [(label, spec, FULL_SIZE) for label, spec in views] + [
        (
            expression,
            ArtSpec.build(expression=expression, background="plain", pose="bust, arms down"),
            PART_SIZE,
        )
        for expression in SHEET_EXPRESSIONS[:count]
    ]


def sheet_request(
    character: ArtSpec, image: Image.Image, parts: list[dict[str, object]]
) -> EngineRequest:
    """The request a sheet is recorded with: the character's look on the sheet use,
    and its parts."""
    return EngineRequest(
        Task.VARIATION,
        spec=character.merged(use="sheet"),
        image=image,
        size=get_use("sheet").size,
        options={"sheet": True, "use": "sheet", "parts": parts},
    )
