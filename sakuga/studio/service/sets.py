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

import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from sakuga.compose.layouts import Layout, compose
from sakuga.compose.packs import Member, Pack, get_platform, make_pack, zipped
from sakuga.compose.pages import (
    WEBTOON_SLICE_BYTES,
    Page,
    PanelArt,
    encoded,
    frames_for,
    lay_page,
    panel_size,
    webtoon_slices,
)
from sakuga.compose.text import Box
from sakuga.engines.base import EngineResult
from sakuga.errors import NotFoundError, SpecError
from sakuga.imaging.faces import find_faces
from sakuga.imaging.io import open_image
from sakuga.imaging.metadata import encode_image, read_recipe
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import POSITION
from sakuga.prompt.reactions import DEFAULT_REACTIONS, CaptionLanguage, get_reaction
from sakuga.prompt.story import LAYOUTS, Script, parse_script
from sakuga.prompt.uses import get_use
from sakuga.studio.library.characters import Character, character_traits
from sakuga.studio.service.exports import drawn_heads
from sakuga.studio.service.grid import Ask, is_grid, make_axis

if TYPE_CHECKING:
    from PIL import Image

    from sakuga.studio.library.library import Generation
    from sakuga.studio.service.studio import Plan, Studio

#: A brand kit's members, by use: a profile picture, a channel banner, a video
#: thumbnail template, a music cover and a social post.
BRAND_USES: Final = ("avatar", "banner", "thumbnail", "cover", "social")
#: The most stickers a set holds: LINE's largest pack.
MAX_STICKERS: Final = 40
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
    axis = make_axis("reaction", tuple(reactions), most=MAX_STICKERS)

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
    plan = studio.grid([axis], "create", ask, plan_for, most_cells=MAX_STICKERS)
    assert plan.grid is not None
    return replace(plan, grid=replace(plan.grid, kind="stickers"))


def sticker_pack(studio: Studio, set_id: str, platform: str, title: str | None = None) -> Pack:
    """A sticker set of the library exported for ``platform``'s rules (`make_pack`)."""
    chosen = get_platform(platform)
    made = _recorded_set(studio, set_id, "stickers", "a sticker set", "sakuga set stickers")[1]
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


def _recorded_set(
    studio: Studio, set_id: str, kind: str, what: str, command: str
) -> tuple[Generation, dict[str, Any]]:
    """The library's set ``set_id`` and its recipe (its axes, cells and what it keeps);
    `SpecError` when it is no set of ``kind`` (``what``, made by ``command``)."""
    gen = studio.library.get(set_id)
    made = studio.library.request_of(gen).options.get("grid", {}) if is_grid(gen) else {}
    if made.get("set") != kind:
        raise SpecError(f"{gen.id} is not {what} (make one with `{command}`)")
    return gen, made


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
    made = _recorded_set(studio, set_id, "brand", "a brand kit", "sakuga set brand")[1]
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


def story_set(
    studio: Studio,
    script_text: str,
    *,
    layout: str | None = None,
    title: str | None = None,
    style: str | None = None,
    engine: str | None = None,
    model: str | None = None,
    seed: int | None = None,
) -> Plan:
    """The plan of a story: each panel of the script (`parse_script`) drawn with the
    characters in it — saved ones by name, the script's own as it describes them — at
    its frame's shape in ``layout``, all with one seed, so each character looks the same
    in every panel. The set keeps the script; `story_page` letters and lays it out."""
    known = [c.name for c in studio.library.characters()]
    script = parse_script(script_text, known)
    if layout is not None and layout not in LAYOUTS:
        raise SpecError(f"a story's layout is one of {', '.join(LAYOUTS)}, not {layout!r}")
    chosen = layout or script.layout or ("4koma" if len(script.panels) == 4 else "manga")
    right_to_left = script.right_to_left(chosen)
    frames = frames_for(
        chosen, len(script.panels), right_to_left=right_to_left, title=bool(title or script.title)
    )
    cast, script = _story_cast(studio, script)
    axis = make_axis("panel", tuple(str(k + 1) for k in range(len(script.panels))))
    scenes = script.scenes()

    def plan_for(cell: Ask) -> Plan:
        index = int(cell.panel or 1) - 1
        panel = script.panels[index]
        who = [cast[n] for n in panel.characters]
        scene = scenes[index] or "a quiet moment"
        if not who:
            scene = f"{scene}, no people"
        elif right_to_left and len(who) > 1 and not POSITION.search(scene):
            # Who reads first stands first: on the right of a page read from the right
            # (a row otherwise stands in the order the scene names them, from the left).
            places = ["on the right", *["in the middle"] * (len(who) - 2), "on the left"]
            scene = "; ".join([scene, *(f"{c.name} {p}" for c, p in zip(who, places, strict=True))])
        spec = ArtSpec.from_text(scene).merged(style=cell.style)
        return studio.create(
            spec,
            size=panel_size(frames.frames[index]),
            engine=cell.engine,
            model=cell.model,
            character=who,
        )

    ask = Ask("", style, None, seed, engine, model)
    plan = studio.grid([axis], "story", ask, plan_for)
    assert plan.grid is not None
    kept = replace(script, layout=chosen, title=title or script.title)
    return replace(plan, grid=replace(plan.grid, kind="story", data={"script": kept.as_json()}))


def _story_cast(studio: Studio, script: Script) -> tuple[dict[str, Character], Script]:
    """Everyone in the script's panels as a character: its own description (``Mika =
    girl, pink hair``) first, else the saved character of that name. A described one
    who wears nothing said is given one garment (`dressed`), the same in every panel
    (an engine would dress them for each panel's place); the script kept says so."""
    cast: dict[str, Character] = {}
    said = dict(script.cast)
    for name in script.characters():
        described = said.get(name)
        if described is None:
            cast[name] = studio.library.character(name)
            continue
        said[name] = described = dressed(name, described)
        traits = character_traits(ArtSpec.from_text(described))
        cast[name] = Character("", name, traits, None, None, None)
    return cast, replace(script, cast=said)


#: Garment words: a description with none of them leaves what is worn to the engine.
_GARMENTS: Final = re.compile(
    r"\b(?:shirt|t-shirt|tee|hoodie|jacket|coat|parka|dress|gown|uniform|gakuran|sailor|"
    r"kimono|yukata|hakama|sweater|jumper|cardigan|blouse|suit|armou?r|robe|cloak|cape|"
    r"jeans|skirt|trousers|pants|shorts|overalls|vest|tank top|apron|pajamas|pyjamas|"
    r"tracksuit|jersey|blazer|outfit|clothes|costume|swimsuit|bikini|leotard|qipao|hanbok)s?\b",
    re.I,
)
#: What a character the script does not dress wears in every panel, by name.
_EVERYDAY: Final = ("navy hoodie", "white shirt", "grey cardigan", "denim jacket", "black jacket")


def dressed(name: str, described: str) -> str:
    """``described`` with one everyday garment added when it names none (chosen by the
    name, so the same character always wears the same)."""
    if _GARMENTS.search(described):
        return described
    pick = int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(_EVERYDAY)
    return f"{described}, {_EVERYDAY[pick]}"


@dataclass(frozen=True)
class StoryPage:
    """A story laid out: the page, the id it was recorded as (None when not recorded),
    each panel's generation id, and its files (a webtoon's slices, or one page)."""

    page: Page
    id: str | None
    panels: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...]

    def zip(self) -> bytes:
        return zipped(self.files)


def story_page(
    studio: Studio,
    set_id: str,
    *,
    layout: str | None = None,
    panels: Mapping[int, str] | None = None,
    record: bool = True,
) -> StoryPage:
    """A story of the library lettered and laid out as ``layout`` (the one it was made
    for, by default). ``panels`` puts another generation in a panel (``{2: id}``: an
    edit or a variation of it): re-laying the page picks the change up. ``record``: the
    page kept in the library as a child of the story."""
    gen, made = _recorded_set(studio, set_id, "story", "a story", "sakuga story SCRIPT")
    script = Script.from_json(made["script"])
    chosen = layout or script.layout or "manga"
    if chosen not in LAYOUTS:
        raise SpecError(f"a story's layout is one of {', '.join(LAYOUTS)}, not {chosen!r}")
    ids = [cell["id"] for cell in made["cells"]]
    for number, other in (panels or {}).items():
        if not 1 <= number <= len(ids):
            raise SpecError(f"the story has panels 1 to {len(ids)}, not {number}")
        ids[number - 1] = studio.library.get(other).id
    right_to_left = script.right_to_left(chosen)
    arts: list[PanelArt] = []
    for panel, member in zip(script.panels, studio.library.get_many(ids), strict=True):
        image = studio.library.image(member.id)
        heads, others = _panel_heads(member, image, panel.characters, right_to_left)
        lines = tuple((line.kind, line.text, line.who, line.manner) for line in panel.lines)
        arts.append(PanelArt(image, heads, tuple(others), lines))
    title = script.title
    page = lay_page(
        arts, chosen, title=title, right_to_left=right_to_left, vertical=script.japanese
    )
    files: list[tuple[str, bytes]] = []
    if chosen == "webtoon":
        for k, piece in enumerate(webtoon_slices(page), 1):
            data, extension = encoded(piece, WEBTOON_SLICE_BYTES)
            files.append((f"{k:02d}.{extension}", data))
    page_id, stored = None, None
    if record:
        request = studio.library.request_of(gen)
        options = {"story_page": {"layout": chosen, "panels": ids, "set": gen.id}}
        request = replace(request, options=options, seed=None, size=page.image.size)
        result = EngineResult(images=[page.image], engine="compose", model="page", seeds=[None])
        recorded = studio.library.record(request, result, parent_id=gen.id)[0]
        page_id, stored = recorded.id, studio.library.image_bytes(recorded)  # with its recipe
    files.append(("page.png", stored or encode_image(page.image, None, "png")))
    return StoryPage(page, page_id, tuple(ids), tuple(files))


def _panel_heads(
    member: Generation, image: Image.Image, present: Sequence[str], right_to_left: bool
) -> tuple[dict[str, Box], list[Box]]:
    """Where each character of a panel has its head: `draw` says where it drew each
    (by name); another engine's faces are found and taken from the left in the order
    the panel's prompt named them. Faces no one is matched to come back unnamed."""
    order = list(reversed(present)) if right_to_left else list(present)
    if member.engine == "draw" and member.seed is not None:
        from sakuga.engines.draw import figure_heads

        spec = ArtSpec.build(**member.request.get("spec", {}))
        figures = figure_heads(spec, image.size, member.seed)
        named: dict[str, Box] = {}
        for k, (who, box) in enumerate(figures):
            if box is None:
                continue
            name = who if who in order else (order[k] if k < len(order) else None)
            if name is not None:
                named[name] = box
        return named, []
    faces = sorted(find_faces(np.asarray(image.convert("RGB"))), key=lambda b: b[0])
    named = {who: box for who, box in zip(order, faces, strict=False)}
    return named, faces[len(order) :]
