"""Sets made in one go (#37). A sticker set is a grid along one axis, ``reaction``:
each sticker is what ``create`` makes of the character (a saved one, or a prompt)
with the reaction's expression and gesture, on the sticker use, all with one seed.
So each sticker is a library generation with its own recipe, made and recorded by the
one job runner; the set is the grid's layout, a generation (engine ``compose``, model
``grid``, recipe ``"set": "stickers"``) that keeps every member's id, so a rerun redoes
the set and a pack for any platform is exported from it at any time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from sakuga.compose.packs import Member, Pack, get_platform, make_pack
from sakuga.errors import NotFoundError, SpecError
from sakuga.imaging.io import open_image
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.reactions import DEFAULT_REACTIONS, CaptionLanguage, get_reaction
from sakuga.studio.service.grid import Ask, is_grid, make_axis

if TYPE_CHECKING:
    from sakuga.studio.service.studio import Plan, Studio


def sticker_set(
    studio: Studio,
    prompt: str = "",
    *,
    characters: Sequence[str] = (),
    reactions: Sequence[str] = DEFAULT_REACTIONS,
    caption: CaptionLanguage | None = None,
    style: str | None = None,
    engine: str | None = None,
    model: str | None = None,
    seed: int | None = None,
) -> Plan:
    """The plan of a sticker set: one sticker per reaction of the character that
    ``characters`` (saved) and ``prompt`` describe, captioned in ``caption``'s language
    when given. Checked before any work."""
    if not prompt.strip() and not characters:
        raise SpecError("a sticker set is of someone: name a saved character or describe one")
    if len(characters) > 1:
        raise SpecError("a sticker set is of one character")
    axis = make_axis("reaction", tuple(reactions))

    def plan_for(cell: Ask) -> Plan:
        spec = ArtSpec.from_text(cell.prompt).merged(style=cell.style, use=cell.use)
        options = {}
        if caption is not None and cell.reaction is not None:
            options["caption"] = get_reaction(cell.reaction).caption(caption)
        return studio.create(
            spec,
            engine=cell.engine,
            model=cell.model,
            character=list(cell.characters),
            options=options,
        )

    ask = Ask(prompt.strip(), style, "sticker", seed, engine, model, tuple(characters))
    plan = studio.grid([axis], "create", ask, plan_for)
    assert plan.grid is not None
    return replace(plan, grid=replace(plan.grid, kind="stickers"))


def sticker_pack(studio: Studio, set_id: str, platform: str, title: str | None = None) -> Pack:
    """A sticker set of the library exported for ``platform``'s rules (`make_pack`)."""
    chosen = get_platform(platform)
    gen = studio.library.get(set_id)
    made = studio.library.request_of(gen).options.get("grid", {}) if is_grid(gen) else {}
    if made.get("set") != "stickers":
        raise SpecError(f"{gen.id} is not a sticker set (make one with `sakuga set stickers`)")
    reactions = made["axes"][0]["values"]
    drawn = studio.library.get_many([cell["id"] for cell in made["cells"]])
    members: list[Member] = []
    for cell, member in zip(made["cells"], drawn, strict=True):
        reaction = get_reaction(reactions[cell["at"][0]])
        members.append(
            Member(
                open_image(studio.library.image_bytes(member)),
                reaction.name,
                reaction.emoji,
                studio.library.request_of(member).options.get("caption"),
                member.id,
            )
        )
    name = title or _title(studio, drawn[0].character_id)
    return make_pack(members, chosen, name)


def _title(studio: Studio, character_id: str | None) -> str:
    """A pack's title when none is given: the saved character's name, else "Sakuga"."""
    if character_id:
        try:
            return f"{studio.library.character(character_id).name} stickers"
        except NotFoundError:  # deleted since: its stickers stay
            pass
    return "Sakuga stickers"
