"""Sets made in one go (#37). A brand kit is a grid along ``use`` (avatar, channel
banner, thumbnail, music cover, social post): the character once per use, in one style
with one seed, so one palette; `brand_kit` lays each out for its use with the one
title, in one typeface, and the files follow each platform's size and format.

A sticker set is a grid along one axis, ``reaction``:
each sticker is what ``create`` makes of the character (a saved one, or a prompt)
with the reaction's expression and gesture, on the sticker use, all with one seed.
So each sticker is a library generation with its own recipe, made and recorded by the
one job runner; the set is the grid's layout, a generation (engine ``compose``, model
``grid``, recipe ``"set": "stickers"``) that keeps every member's id, so a rerun redoes
the set and a pack for any platform is exported from it at any time."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

from sakuga.compose.layouts import Layout, compose
from sakuga.compose.packs import Member, Pack, get_platform, make_pack, zipped
from sakuga.errors import NotFoundError, SpecError
from sakuga.imaging.io import open_image
from sakuga.imaging.metadata import encode_image, read_recipe
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.reactions import DEFAULT_REACTIONS, CaptionLanguage, get_reaction
from sakuga.prompt.uses import get_use
from sakuga.studio.service.exports import drawn_heads
from sakuga.studio.service.grid import Ask, is_grid, make_axis

if TYPE_CHECKING:
    from sakuga.studio.service.studio import Plan, Studio

#: A brand kit's members, by use: a profile picture, a channel banner, a video
#: thumbnail template, a music cover and a social post.
BRAND_USES: Final = ("avatar", "banner", "thumbnail", "cover", "social")
#: The uses that carry the title (an avatar is the face alone, in its circle).
TITLED: Final = frozenset({"banner", "thumbnail", "cover", "social"})


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


def brand_set(
    studio: Studio,
    prompt: str = "",
    *,
    characters: Sequence[str] = (),
    style: str | None = None,
    engine: str | None = None,
    model: str | None = None,
    seed: int | None = None,
) -> Plan:
    """The plan of a brand kit: the character that ``characters`` (saved) and ``prompt``
    describe, once for each of `BRAND_USES`, in one style with one seed. Checked before
    any work; `brand_kit` lays the made set out with its title."""
    if not prompt.strip() and not characters:
        raise SpecError("a brand kit is of someone: name a saved character or describe one")
    if len(characters) > 1:
        raise SpecError("a brand kit is of one character")
    axis = make_axis("use", BRAND_USES)

    def plan_for(cell: Ask) -> Plan:
        spec = ArtSpec.from_text(cell.prompt).merged(style=cell.style, use=cell.use)
        return studio.create(
            spec, engine=cell.engine, model=cell.model, character=list(cell.characters)
        )

    ask = Ask(prompt.strip(), style, None, seed, engine, model, tuple(characters))
    plan = studio.grid([axis], "create", ask, plan_for)
    assert plan.grid is not None
    return replace(plan, grid=replace(plan.grid, kind="brand"))


@dataclass(frozen=True)
class Kit:
    """A brand kit laid out: each member's layout, the id its export was recorded as (a
    child of its drawing; None when not recorded), and its files, named by use in the
    use's format."""

    title: str | None
    layouts: tuple[Layout, ...]
    ids: tuple[str | None, ...]
    files: tuple[tuple[str, bytes], ...]

    def zip(self) -> bytes:
        return zipped(self.files)


def brand_kit(
    studio: Studio,
    set_id: str,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    font: str | None = None,
    record: bool = True,
) -> Kit:
    """A brand kit of the library laid out: each member at its use's size, the title
    (and subtitle) typeset inside its safe area on the banner, thumbnail, cover and
    post in one typeface, clear of the drawn face; the avatar with its circle preview.
    ``record``: each layout kept in the library as an export of its drawing (a
    download need not be)."""
    gen = studio.library.get(set_id)
    made = studio.library.request_of(gen).options.get("grid", {}) if is_grid(gen) else {}
    if made.get("set") != "brand":
        raise SpecError(f"{gen.id} is not a brand kit (make one with `sakuga set brand`)")
    uses = made["axes"][0]["values"]
    layouts: list[Layout] = []
    ids: list[str | None] = []
    files: list[tuple[str, bytes]] = []
    members = studio.library.get_many([c["id"] for c in made["cells"]])
    for cell, member in zip(made["cells"], members, strict=True):
        use = get_use(uses[cell["at"][0]])
        said = title if use.name in TITLED else None
        under = subtitle if use.name in TITLED else None
        extension = "jpg" if use.format == "jpeg" else use.format
        if record:
            done = studio.export(use.name, parent=member.id, title=said, subtitle=under, font=font)
            layout, gen_id = done.layout, done.generation.id
            stored = studio.library.image_bytes(done.generation)  # a PNG, with its recipe
            data = (
                stored
                if use.format == "png"
                else encode_image(layout.image, read_recipe(open_image(stored)), use.format)
            )
        else:
            art = studio.library.image(member.id)
            heads = drawn_heads(member, art)
            layout = compose(
                art, use.name, title=said, subtitle=under, font=font, known_faces=heads
            )
            gen_id, data = None, encode_image(layout.image, None, use.format)
        layouts.append(layout)
        ids.append(gen_id)
        files.append((f"{use.name}.{extension}", data))
        if layout.preview is not None:
            preview = io.BytesIO()
            layout.preview.save(preview, format="PNG")
            files.append((f"{use.name}-circle.png", preview.getvalue()))
    return Kit(title, tuple(layouts), tuple(ids), tuple(files))
