"""`sakuga character …`: create, list, show, sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sakuga.cli.common import (
    EngineOpt,
    JsonOpt,
    SeedOpt,
    StyleOpt,
    app,
    command_studio,
    escape_markup,
    handles_errors,
    load_photo,
    open_library,
    out_console,
    preset_name,
    print_json,
)
from sakuga.cli.library import print_generations
from sakuga.cli.outputs import write_results
from sakuga.prompt.artspec import ArtSpec
from sakuga.studio.library.characters import character_traits

# --- characters ------------------------------------------------------------------------

character_app = typer.Typer(
    help="Saved characters that stay the same across scenes.", no_args_is_help=True
)
app.add_typer(character_app, name="character")


@character_app.command("create")
@handles_errors
def character_create(
    name: Annotated[str, typer.Argument(help="The character's name.")],
    description: Annotated[
        str | None, typer.Argument(help="Free text, e.g. 'girl with pink twin tails'.")
    ] = None,
    who: Annotated[
        str | None, typer.Option("--who", help="Character type: boy, girl, knight…")
    ] = None,
    hair: Annotated[
        str | None, typer.Option("--hair", help="Hair, e.g. 'long pink twin tails'.")
    ] = None,
    outfit: Annotated[
        str | None, typer.Option("--outfit", help="Outfit, e.g. 'sailor uniform'.")
    ] = None,
    expression: Annotated[
        str | None, typer.Option("--expression", help="Usual expression, e.g. smiling.")
    ] = None,
    ref: Annotated[
        list[str] | None, typer.Option("--ref", help="Reference photo (repeatable).")
    ] = None,
    from_photo: Annotated[
        str | None,
        typer.Option(
            "--from-photo",
            help="Read the look off this photo (hair, eyes, skin, glasses, face shape); "
            "it is kept as the first reference. Flags and the description win over it.",
        ),
    ] = None,
    person: Annotated[
        int | None,
        typer.Option(
            "--person",
            min=1,
            max=20,
            help="In a photo of several people, which to read: 1, 2, … from the left.",
        ),
    ] = None,
    style: StyleOpt = None,
    engine: EngineOpt = None,
    seed: SeedOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Save a character: traits, style, engine, seed and reference images."""
    base = ArtSpec.from_text(description) if description else ArtSpec()
    spec = base.merged(character=who, hair=hair, outfit=outfit, expression=expression)
    if not from_photo and not character_traits(spec):
        raise typer.BadParameter(
            "describe the character: a description, --who, --hair, --outfit or --from-photo"
        )
    saved = command_studio().save_character(
        name,
        spec,
        photo=load_photo(from_photo) if from_photo else None,
        refs=[load_photo(r) for r in ref or []],
        style=preset_name(style),
        engine=engine,
        seed=seed,
        person=person,
    )
    if as_json:
        print_json(saved.__dict__ | {"refs": list(saved.refs)})
        return
    out_console.print(
        f"saved {saved.name} ({saved.id}): "
        + "; ".join(f"{k}: {v}" for k, v in saved.traits.items())
    )


@character_app.command("edit")
@handles_errors
def character_edit(
    name: Annotated[str, typer.Argument(help="The character's name.")],
    rename: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    who: Annotated[str | None, typer.Option("--who", help="Who they are ('' removes it).")] = None,
    hair: Annotated[str | None, typer.Option("--hair", help="Their hair ('' removes it).")] = None,
    outfit: Annotated[
        str | None, typer.Option("--outfit", help="Their outfit ('' removes it).")
    ] = None,
    expression: Annotated[
        str | None, typer.Option("--expression", help="Their usual expression ('' removes it).")
    ] = None,
    reread: Annotated[
        bool,
        typer.Option(
            "--reread",
            help="Read who they are and their hair again from their photo (other traits "
            "stay; a flag given with it wins).",
        ),
    ] = False,
    style: StyleOpt = None,
    engine: EngineOpt = None,
    seed: SeedOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct a saved character: rename it, change or remove one trait, read its photo
    again, or change its style, engine or seed. Its images stay linked to it."""
    given = {"character": who, "hair": hair, "outfit": outfit, "expression": expression}
    traits = {part: value for part, value in given.items() if value is not None}
    if not (traits or reread or rename or style or engine or seed is not None):
        raise typer.BadParameter(
            "say what to change: --name, --who, --hair, --outfit, --expression, --reread, "
            "--style, --engine or --seed"
        )
    saved = command_studio().edit_character(
        name,
        rename=rename,
        traits=traits,
        reread=reread,
        style=preset_name(style),
        engine=engine,
        seed=seed,
    )
    if as_json:
        print_json(saved.__dict__ | {"refs": list(saved.refs)})
        return
    out_console.print(
        f"saved {escape_markup(saved.name)} ({saved.id}): "
        + escape_markup("; ".join(f"{k}: {v}" for k, v in saved.traits.items()))
    )


@character_app.command("delete")
@handles_errors
def character_delete(
    name: Annotated[str, typer.Argument(help="The character's name.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Delete a saved character. Its images stay in the library, no longer linked to it."""
    library = open_library()
    found = library.character(name)
    if not yes and not typer.confirm(f"delete the character {found.name}?", err=True):
        raise typer.Exit(1)
    library.delete_character(found.id)
    out_console.print(f"deleted {escape_markup(found.name)} ({found.id}); its images stay")


@character_app.command("list")
@handles_errors
def character_list(as_json: JsonOpt = False) -> None:
    """List saved characters."""
    found = open_library().characters()
    if as_json:
        print_json([c.__dict__ | {"refs": list(c.refs)} for c in found])
        return
    table = Table("name", "traits", "style", "engine", "seed", "refs")
    for c in found:
        table.add_row(
            escape_markup(c.name),
            escape_markup("; ".join(f"{k}: {v}" for k, v in c.traits.items())),
            escape_markup(c.style or ""),
            escape_markup(c.engine or ""),
            str(c.seed),
            str(len(c.refs)),
        )
    out_console.print(table)


@character_app.command("show")
@handles_errors
def character_show(
    name: Annotated[str, typer.Argument(help="The character's name.")], as_json: JsonOpt = False
) -> None:
    """Show a character and its images."""
    library = open_library()
    c = library.character(name)
    if as_json:
        print_json(c.__dict__ | {"refs": list(c.refs)})
        return
    out_console.print(
        f"[bold]{escape_markup(c.name)}[/] ({c.id}) style {escape_markup(c.style or '-')} "
        f"engine {escape_markup(c.engine or '-')} seed {c.seed}"
    )
    for key, value in c.traits.items():
        out_console.print(f"  {key}: {escape_markup(value)}")
    print_generations(library.find(character=c.name))


@character_app.command("sheet")
@handles_errors
def character_sheet(
    name: Annotated[str, typer.Argument(help="The character's name.")],
    count: Annotated[
        int, typer.Option("-n", "--count", min=2, max=6, help="How many expressions.")
    ] = 6,
    engine: EngineOpt = None,
    out: Annotated[Path, typer.Option("-o", "--out", help="The sheet (.png).")] = Path("sheet.png"),
    as_json: JsonOpt = False,
) -> None:
    """A character sheet on the sheet use's page: the character large, its expressions
    labelled, and its palette as labelled swatches. One library entry."""
    sheet = command_studio().character_sheet(name, count=count, engine=engine)
    saved = write_results(
        sheet.request, sheet.result, out.with_suffix(".png"), ids=[sheet.generation.id]
    )
    if as_json:
        print_json(
            {
                "path": str(saved[0].path),
                "id": sheet.generation.id,
                "parts": sheet.parts,
                "character": name,
            }
        )
        return
    out_console.print(f"{saved[0].path}  [dim]id {sheet.generation.id}[/]")
