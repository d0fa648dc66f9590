"""`sakuga set …` and `sakuga story`: sets made in one go (#37) — sticker packs exported
for messengers, brand kits, and story pages."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from sakuga.cli.common import (
    EngineOpt,
    IdArg,
    JsonOpt,
    ModelOpt,
    OutOpt,
    SeedOpt,
    StyleOpt,
    app,
    check_writable,
    command_studio,
    escape_markup,
    handles_errors,
    out_console,
    preset_name,
    print_json,
    run_and_save,
)
from sakuga.compose.packs import PLATFORMS, Pack, check_counts, get_platform
from sakuga.errors import SpecError
from sakuga.prompt.reactions import LANGUAGES, REACTIONS, parse_reactions
from sakuga.studio.service.studio import Made, Studio

set_app = typer.Typer(
    help="Sets made in one go: a character's sticker pack for the messengers, a brand "
    "kit (avatar, channel banner, thumbnail, music cover, social post), or a story page.",
    no_args_is_help=True,
)
app.add_typer(set_app, name="set")

PlatformOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--for",
        metavar="PLATFORM",
        help=f"Export a pack for {', '.join(PLATFORMS)} (repeat for several, or 'all').",
    ),
]
WhoArg = Annotated[
    str, typer.Argument(help="Who the set is of, when not a saved character (a prompt).")
]
CharacterOpt = Annotated[
    str | None, typer.Option("--character", help="A saved character: the set is of them.")
]
TitleOpt = Annotated[
    str | None, typer.Option("--title", help="The pack's title (default: NAME stickers).")
]


@set_app.command("stickers")
@handles_errors
def stickers(
    text: WhoArg = "",
    character: CharacterOpt = None,
    reactions: Annotated[
        str | None,
        typer.Option(
            "--reactions",
            "--expressions",
            metavar="R1,R2,…",
            help=f"One sticker each (default the first eight): {', '.join(REACTIONS)}.",
        ),
    ] = None,
    caption: Annotated[
        str | None,
        typer.Option(
            "--caption",
            metavar="LANG",
            help="Set each reaction's words under its sticker: en or ja (ありがとう!).",
        ),
    ] = None,
    platforms: PlatformOpt = None,
    title: TitleOpt = None,
    style: StyleOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    seed: SeedOpt = None,
    out: OutOpt = Path("sakuga-out"),
    as_json: JsonOpt = False,
) -> None:
    """A sticker pack: one sticker per reaction, of one character, with one seed.

    Every sticker is a library generation; the set is one more, which keeps them
    (rerun it, or export it again with `sakuga set pack`). --for writes each
    platform's pack as a folder and a zip, to its rules (size, margin, format,
    bytes, icons, count, file names).
    """
    if caption is not None and caption not in LANGUAGES:
        raise typer.BadParameter(f"choose {' or '.join(LANGUAGES)}", param_hint="--caption")
    chosen = _platforms(platforms)
    try:
        names = parse_reactions(reactions)
    except SpecError as exc:
        raise typer.BadParameter(str(exc), param_hint="--reactions") from None
    try:
        check_counts(chosen, len(names))
    except SpecError as exc:
        raise typer.BadParameter(str(exc), param_hint="--for") from None
    studio = command_studio()
    plan = studio.sticker_set(
        text,
        characters=[character] if character else [],
        reactions=names,
        caption=caption,  # type: ignore[arg-type]
        style=preset_name(style),
        engine=engine,
        model=model,
        seed=seed,
    )

    def packs(made: Made) -> dict[str, Any]:
        set_id = made.generations[-1].id
        return {"packs": [_write(studio, set_id, p, title, out, as_json) for p in chosen]}

    run_and_save(studio, plan, out, None, as_json, then=packs)


@set_app.command("brand")
@handles_errors
def brand(
    text: WhoArg = "",
    character: CharacterOpt = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="The channel's or the brand's name, on every member."),
    ] = None,
    subtitle: Annotated[
        str | None, typer.Option("--subtitle", help="A smaller line by the title.")
    ] = None,
    font: Annotated[
        str | None,
        typer.Option("--font", help="sans-bold, sans, gothic-jp, or a .ttf/.otf font file."),
    ] = None,
    style: StyleOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    seed: SeedOpt = None,
    out: OutOpt = Path("sakuga-out"),
    as_json: JsonOpt = False,
) -> None:
    """A brand kit: one character, one style, one seed, as an avatar (with its circle
    crop), a channel banner (the title and face in its safe area), a video thumbnail,
    a music cover and a social post, each at its platform's size, the title set in one
    typeface. Written as a folder and a zip; every member is in the library.
    """
    studio = command_studio()
    plan = studio.brand_set(
        text,
        characters=[character] if character else [],
        style=preset_name(style),
        engine=engine,
        model=model,
        seed=seed,
    )

    def kit(made: Made) -> dict[str, Any]:
        done = studio.brand_kit(made.generations[-1].id, title=title, subtitle=subtitle, font=font)
        folder, archive = _folder_and_zip(
            out, f"brand-{_slug(title or character or 'kit')}", done.files, done.zip()
        )
        members = [
            {
                "use": layout.use,
                "id": gen_id,
                "size": list(layout.image.size),
                "text_boxes": layout.text_boxes,
                "warnings": layout.warnings,
            }
            for layout, gen_id in zip(done.layouts, done.ids, strict=True)
        ]
        if not as_json:
            where = f"{escape_markup(str(folder))}  [dim]{escape_markup(str(archive))}[/]"
            out_console.print(f"[green]brand kit[/] {where}")
            for layout, gen_id in zip(done.layouts, done.ids, strict=True):
                w, h = layout.image.size
                out_console.print(f"  {layout.use:<10} {w}x{h}  [dim]id {gen_id}[/]")
                for warning in layout.warnings:
                    out_console.print(f"    [yellow]warning:[/] {escape_markup(warning)}")
        return {
            "kit": {
                "folder": str(folder),
                "zip": str(archive),
                "files": [n for n, _ in done.files],
                "members": members,
            }
        }

    run_and_save(studio, plan, out, None, as_json, then=kit)


LayoutOpt = Annotated[
    str | None,
    typer.Option(
        "--layout",
        help="4koma (a strip of four), manga (a page of two or three tiers) or webtoon "
        "(a vertical scroll, 800 px wide, cut into slices). Default: the script's "
        "'layout:' line, else 4koma for four panels and manga for any other count.",
    ),
]


@handles_errors
def story(
    script: Annotated[
        str,
        typer.Argument(
            metavar="SCRIPT",
            help="The script file, or - for standard input (see the README's Story pages).",
        ),
    ],
    layout: LayoutOpt = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The page's title (default: the script's).")
    ] = None,
    style: StyleOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    seed: SeedOpt = None,
    out: OutOpt = Path("sakuga-out"),
    as_json: JsonOpt = False,
) -> None:
    """A story page from a script: each panel drawn with its characters (the script's
    own, or saved ones by name), the same in every panel, then lettered — speech
    bubbles clear of the faces with tails at their speakers, captions, sound effects,
    Japanese set vertically on a manga page — and laid out as a 4-koma strip, a manga
    page or a webtoon. Every panel is a library generation; `sakuga set page ID`
    lays the story out again (another layout, or an edited panel).
    """
    text = _script_text(script)
    studio = command_studio()
    plan = studio.story_set(
        text,
        layout=layout,
        title=title,
        style=preset_name(style),
        engine=engine,
        model=model,
        seed=seed,
    )

    def page(made: Made) -> dict[str, Any]:
        return {"story": _write_page(studio, made.generations[-1].id, None, {}, out, as_json)}

    run_and_save(studio, plan, out, None, as_json, then=page)


app.command("story")(story)
set_app.command("story")(story)


@set_app.command("page")
@handles_errors
def page(
    set_id: IdArg,
    layout: LayoutOpt = None,
    panels: Annotated[
        list[str] | None,
        typer.Option(
            "--panel",
            metavar="N=ID",
            help="Put generation ID in panel N (an edit or a variation of it); repeatable.",
        ),
    ] = None,
    out: OutOpt = Path("sakuga-out"),
    as_json: JsonOpt = False,
) -> None:
    """Lay a story of the library out again: in another layout, or with a panel
    replaced by an edit or a variation of it. The page is recorded as the story's child."""
    chosen: dict[int, str] = {}
    for given in panels or []:
        number, sep, gen_id = given.partition("=")
        if not sep or not number.strip().isdigit() or not gen_id.strip():
            raise typer.BadParameter(f"write N=ID (2=ab12cd), not {given!r}", param_hint="--panel")
        chosen[int(number)] = gen_id.strip()
    check_writable(out)
    studio = command_studio()
    written = _write_page(studio, set_id, layout, chosen, out, as_json)
    if as_json:
        print_json({"story": written})


def _script_text(given: str) -> str:
    """A script from its file, or from standard input for ``-``."""
    if given == "-":
        return sys.stdin.read()
    path = Path(given).expanduser()
    if not path.is_file():
        raise typer.BadParameter(f"no script file at {given}", param_hint="SCRIPT")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise typer.BadParameter(f"{given} is not UTF-8 text", param_hint="SCRIPT") from None


def _write_page(
    studio: Studio,
    set_id: str,
    layout: str | None,
    panels: dict[int, str],
    out: Path,
    quiet: bool,
) -> dict[str, Any]:
    """The story's page written into ``out`` as a folder (the page, a webtoon's
    slices) and a zip; what was written, and any line that could not be placed."""
    done = studio.story_page(set_id, layout=layout, panels=panels)
    frames = done.page.frames
    stem = f"story-{done.id or set_id}-{frames.layout}"
    folder, archive = _folder_and_zip(out, stem, done.files, done.zip())
    warnings = done.page.warnings
    if not quiet:
        w, h = done.page.image.size
        where = f"{escape_markup(str(folder / 'page.png'))}  [dim]{escape_markup(str(archive))}[/]"
        out_console.print(f"[green]story page[/] ({frames.layout}, {w}x{h}) {where}")
        out_console.print(f"  [dim]page id {done.id}; panels {', '.join(done.panels)}[/]")
        for warning in warnings:
            out_console.print(f"  [yellow]warning:[/] {escape_markup(warning)}")
    return {
        "id": done.id,
        "layout": frames.layout,
        "size": list(done.page.image.size),
        "folder": str(folder),
        "zip": str(archive),
        "files": [name for name, _ in done.files],
        "panels": list(done.panels),
        "lettering": [
            {
                "kind": p.kind,
                "who": p.who,
                "box": list(p.box),
                "tail": list(p.tail) if p.tail else None,
                "vertical": p.vertical,
                "manner": p.manner,
            }
            for p in done.page.placed()
        ],
        "warnings": warnings,
    }


@set_app.command("pack")
@handles_errors
def pack(
    set_id: IdArg,
    platforms: PlatformOpt = None,
    title: TitleOpt = None,
    out: OutOpt = Path("sakuga-out"),
    as_json: JsonOpt = False,
) -> None:
    """Export a sticker set of the library as a pack for each platform named."""
    chosen = _platforms(platforms)
    if not chosen:
        raise typer.BadParameter("name a platform: --for line", param_hint="--for")
    check_writable(out)
    studio = command_studio()
    written = [_write(studio, set_id, p, title, out, as_json) for p in chosen]
    if as_json:
        print_json({"packs": written})


def _platforms(given: list[str] | None) -> list[str]:
    """The platforms named (``--for line,telegram``, repeatable, or ``all``); an
    unknown one is a usage error."""
    names: list[str] = []
    for value in given or []:
        for name in value.split(","):
            key = name.strip().lower()
            try:
                found = list(PLATFORMS) if key == "all" else [get_platform(key).name]
            except SpecError as exc:
                raise typer.BadParameter(str(exc), param_hint="--for") from None
            names += [n for n in found if n not in names]
    return names


def _write(
    studio: Studio, set_id: str, platform: str, title: str | None, out: Path, quiet: bool
) -> dict[str, Any]:
    """The set's pack for ``platform`` written into ``out`` as a folder and a zip."""
    made = studio.sticker_pack(set_id, platform, title)
    data = made.zip()
    stem = f"{_slug(made.title)}-{made.platform.name}"
    folder, archive = _folder_and_zip(out, stem, made.files, data)
    if not quiet:
        _say(made, archive, len(data))
    return {
        "platform": made.platform.name,
        "title": made.title,
        "folder": str(folder),
        "zip": str(archive),
        "files": [name for name, _ in made.files],
        "bytes": len(data),
    }


def _folder_and_zip(
    out: Path, stem: str, files: Sequence[tuple[str, bytes]], zipped: bytes
) -> tuple[Path, Path]:
    """``files`` written into the folder ``out/stem``, and ``zipped`` beside it."""
    folder = out / stem
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files:
        (folder / name).write_bytes(content)
    archive = out / f"{stem}.zip"
    archive.write_bytes(zipped)
    return folder, archive


def _say(made: Pack, archive: Path, size: int) -> None:
    count = sum(1 for name, _ in made.files if name[:2].isdigit())
    out_console.print(
        f"[green]{made.platform.title} pack[/] {escape_markup(str(archive))}  "
        f"[dim]{count} stickers, {size // 1024} KB[/]"
    )
    for note in made.platform.notes:
        out_console.print(f"  [dim]{escape_markup(note)}[/]")


def _slug(title: str) -> str:
    return re.sub(r"[^\w]+", "-", title.lower(), flags=re.UNICODE).strip("-") or "stickers"
