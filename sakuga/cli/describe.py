"""Commands that describe: prompt (the critique), styles, uses, engines, info."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sakuga.cli.common import (
    JsonOpt,
    StyleOpt,
    UseOpt,
    app,
    command_studio,
    escape_markup,
    handles_errors,
    out_console,
    print_json,
)
from sakuga.engines.registry import all_engines
from sakuga.imaging.io import decode_image, normalise_mode, read_image_bytes
from sakuga.imaging.metadata import read_recipe
from sakuga.prompt.critique import critique
from sakuga.prompt.styles import STYLES
from sakuga.prompt.uses import USES


@app.command()
@handles_errors
def prompt(
    text: Annotated[str, typer.Argument(help="The prompt to critique.")],
    character: Annotated[
        str | None,
        typer.Option(
            "--character", help="A saved character the scene is for: its parts count as said."
        ),
    ] = None,
    style: StyleOpt = None,
    use: UseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Critique a prompt: parts found and missing, score, suggestions, conflicts."""
    if character:
        result = command_studio().critique(text, character=character, style=style, use=use)
    else:
        result = critique(text, style=style, use=use)
    if as_json:
        print_json(result.as_dict())
        return
    colour = "green" if result.score >= 80 else "yellow" if result.score >= 50 else "red"
    out_console.print(f"Specificity: [bold {colour}]{result.score}[/]/100")
    table = Table(show_header=True, header_style="bold")
    table.add_column("part")
    table.add_column("found")
    for part in (*result.parts, *result.missing):
        found = result.parts.get(part)
        shown = escape_markup(found) if found else "[dim]missing[/]"
        if part in result.from_character:
            shown += f" [dim](from {escape_markup(character or '')})[/]"
        table.add_row(part, shown)
    for detail in result.details:
        table.add_row("[dim]kept[/]", f"{escape_markup(detail)} [dim](kept, not placed)[/]")
    out_console.print(table)
    if result.quality:
        out_console.print(
            "[dim]quality tags, passed on as written:[/] "
            + escape_markup(", ".join(result.quality))
        )
    for part, picks in result.suggestions.items():
        out_console.print(f"[bold]{part}[/]: try " + " · ".join(escape_markup(p) for p in picks))
    for note in result.notes:
        out_console.print(f"[yellow]vague:[/] {escape_markup(note)}")
    for member in result.characters:
        said = " · ".join(member["parts"].values()) or "nothing said yet"
        lacks = f" [yellow]— {', '.join(member['missing'])} missing[/]" if member["missing"] else ""
        out_console.print(f"[bold]{escape_markup(member['who'])}[/]: {escape_markup(said)}{lacks}")
    for conflict in result.conflicts:
        out_console.print(f"[red]conflict:[/] {escape_markup(conflict)}")
    out_console.print(f"[dim]prompt sent to AI engines:[/] {escape_markup(result.prompt)}")


@app.command()
@handles_errors
def styles(as_json: JsonOpt = False) -> None:
    """List the art styles."""
    if as_json:
        print_json(
            [
                {
                    "name": s.name,
                    "title": s.title,
                    "description": s.description,
                    "aliases": list(s.aliases),
                }
                for s in STYLES.values()
            ]
        )
        return
    table = Table("style", "description", "also")
    for s in STYLES.values():
        table.add_row(s.name, s.description, ", ".join(s.aliases))
    out_console.print(table)


@app.command()
@handles_errors
def uses(as_json: JsonOpt = False) -> None:
    """List the final uses with their sizes and formats."""
    if as_json:
        print_json(
            [
                {
                    "name": u.name,
                    "title": u.title,
                    "width": u.width,
                    "height": u.height,
                    "aspect": u.aspect,
                    "format": u.format,
                    "transparent": u.transparent,
                    "safe_area": u.safe_area.box(u.width, u.height),
                    "notes": u.notes,
                }
                for u in USES.values()
            ]
        )
        return
    table = Table("use", "size", "aspect", "format", "notes")
    for u in USES.values():
        fmt = u.format + (" (transparent)" if u.transparent else "")
        table.add_row(u.name, f"{u.width}×{u.height}", u.aspect, fmt, u.notes)
    out_console.print(table)


@app.command()
@handles_errors
def engines(as_json: JsonOpt = False) -> None:
    """List the engines, what they can do, and whether they are available here."""
    described = [e.describe() for e in all_engines()]
    if as_json:
        print_json(described)
        return
    table = Table("engine", "tasks", "available")
    for d in described:
        status = (
            "[green]yes[/]"
            if d["available"]
            else f"[red]no[/] — {escape_markup(d['reason'] or '')}"
        )
        table.add_row(d["name"], ", ".join(d["tasks"]), status)
    out_console.print(table)


@app.command()
@handles_errors
def info(
    image: Annotated[Path, typer.Argument(help="An image file.")],
    as_json: JsonOpt = False,
) -> None:
    """Read the recipe (prompt, seed, model, full request) an image carries."""
    data, name = read_image_bytes(image)
    decoded = decode_image(data, name)
    fmt = decoded.format or "?"
    mode = decoded.mode
    upright = normalise_mode(decoded)
    recipe = read_recipe(upright)
    payload: dict[str, Any] = {
        "path": str(image),
        "format": fmt,
        "width": upright.width,
        "height": upright.height,
        "mode": mode,
        "parameters": None,
        "sakuga": None,
    }
    if recipe is not None:
        payload["parameters"] = {
            "prompt": recipe.prompt,
            "negative_prompt": recipe.negative_prompt,
            **recipe.params,
        }
        payload["sakuga"] = recipe.request
    if as_json:
        print_json(payload)
        return
    out_console.print(
        f"[bold]{escape_markup(str(image))}[/]: {fmt} {upright.width}x{upright.height} {mode}"
    )
    if recipe is None:
        out_console.print("[dim]no recipe in this image[/]")
        return
    out_console.print(f"[bold]prompt:[/] {escape_markup(recipe.prompt)}")
    if recipe.negative_prompt:
        out_console.print(f"[bold]negative:[/] {escape_markup(recipe.negative_prompt)}")
    for key, value in recipe.params.items():
        out_console.print(f"[bold]{escape_markup(key)}:[/] {escape_markup(str(value))}")
    if recipe.request is not None:
        out_console.print("[dim]full request in the 'sakuga' chunk (use --json)[/]")
