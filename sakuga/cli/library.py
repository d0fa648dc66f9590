"""`sakuga library …`: list, show, keep, reject, rate, tag, repair, delete."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from sakuga.cli.common import (
    EngineOpt,
    IdArg,
    JsonOpt,
    StyleOpt,
    UseOpt,
    app,
    checked_flag,
    err_console,
    escape_markup,
    handles_errors,
    open_library,
    out_console,
    print_json,
)
from sakuga.errors import SpecError
from sakuga.prompt.styles import DEFAULT_STYLE, get_style
from sakuga.prompt.uses import get_use
from sakuga.studio.library.library import Filters, Generation, Library
from sakuga.studio.library.lineage import LineageNode

# --- the library -----------------------------------------------------------------------

library_app = typer.Typer(
    help="The library: every image made, kept or rejected.", no_args_is_help=True
)
app.add_typer(library_app, name="library")


def verdict_mark(gen: Generation) -> str:
    return {True: "kept", False: "rejected", None: ""}[gen.kept]


def _shortened(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` characters, cut between words."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(1, width - 1)]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def print_generations(found: list[Generation], paths: Library | None = None) -> None:
    """One line per generation: id, engine, style, use, size, kept or rejected, then
    rating and tags where any has them, the prompt cut between words to fit the
    terminal, and with ``paths`` the file."""
    drawn_by_default = {"draw", "toon"}  # engines that apply the default style
    rows: list[dict[str, str]] = []
    for g in found:
        style = g.style or (f"[dim]{DEFAULT_STYLE}[/]" if g.engine in drawn_by_default else "-")
        rows.append(
            {
                "id": g.id,
                "engine": escape_markup(g.engine),
                "style": escape_markup(g.style) if g.style else style,
                "use": escape_markup(g.use or "-"),
                "size": f"{g.width}x{g.height}",
                "state": verdict_mark(g) or "-",
                "rating": "★" * (g.rating or 0),
                "tags": escape_markup(", ".join(g.tags)),
                "file": paths.image_location(g) if paths else "",
                "prompt": g.prompt,
            }
        )
    # With --paths the file takes the prompt's place (`library show` has both).
    last = "file" if paths is not None else "prompt"
    columns = ["id", "engine", "style", "use", "size", "state", "rating", "tags"]
    columns = [c for c in columns if c not in ("rating", "tags") or any(r[c] for r in rows)]
    widths = {c: max([len(c)] + [len(Text.from_markup(r[c]).plain) for r in rows]) for c in columns}

    def room() -> int:  # what is left for the last column on this terminal
        return out_console.width - sum(widths[c] for c in columns) - 3 * len(columns) - 2

    needed = max([28] + [len(r["file"]) for r in rows]) if last == "file" else 28
    for optional in ("size", "tags", "rating", "style"):
        if room() >= needed:
            break
        if optional in columns:
            columns.remove(optional)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in columns:
        table.add_column(column, no_wrap=True, min_width=widths[column])
    table.add_column(last, no_wrap=last == "prompt", overflow="fold")
    for row in rows:
        end = row["file"] if last == "file" else escape_markup(_shortened(row["prompt"], room()))
        table.add_row(*(row[c] for c in columns), end)
    out_console.print(table)


def _sort_name(name: str) -> None:
    if name not in Library.SORTS:
        raise SpecError(f"sort by {', '.join(Library.SORTS)}, not {name!r}")


@library_app.command("list")
@handles_errors
def library_list(
    kept: Annotated[bool, typer.Option("--kept", help="Only kept images.")] = False,
    rejected: Annotated[bool, typer.Option("--rejected", help="Only rejected images.")] = False,
    character: Annotated[
        str | None, typer.Option("--character", help="Only this character.")
    ] = None,
    style: StyleOpt = None,
    use: UseOpt = None,
    engine: EngineOpt = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only images with this tag.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only images made on or after this date (YYYY-MM-DD)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Only images made before this date (YYYY-MM-DD)."),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Only images whose prompt has each of these words."),
    ] = None,
    min_rating: Annotated[
        int | None,
        typer.Option("--min-rating", min=1, max=5, help="Only images rated this or more."),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="newest (first), oldest or rating (best first).",
            callback=checked_flag(_sort_name),
        ),
    ] = "newest",
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="Rows per page.")] = 50,
    page: Annotated[int, typer.Option("--page", min=1, help="Which page.")] = 1,
    paths: Annotated[bool, typer.Option("--paths", help="Show each image's file.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List generations, newest first (or --sort oldest / rating), with how many match."""
    from datetime import datetime

    verdict = True if kept else False if rejected else None

    def day(option: str, text: str | None) -> float | None:
        try:
            return datetime.fromisoformat(text).timestamp() if text else None
        except ValueError:
            raise typer.BadParameter(
                f"{option} must be a date like 2026-11-26, got {text!r}"
            ) from None

    since_ts, until_ts = day("--since", since), day("--until", until)
    library = open_library()
    filters: Filters = {
        "kept": verdict,
        "character": character,
        "style": get_style(style).name if style else None,
        "use": get_use(use).name if use else None,
        "engine": engine,
        "tag": tag,
        "since": since_ts,
        "until": until_ts,
        "search": search,
        "min_rating": min_rating,
    }
    found = library.find(**filters, sort=sort, limit=limit, offset=(page - 1) * limit)
    if as_json:
        print_json([{**g.as_dict(), "file": library.image_location(g)} for g in found])
    else:
        print_generations(found, library if paths else None)
        total = library.count_found(**filters)
        first = (page - 1) * limit + 1
        shown = f"{first}–{first + len(found) - 1} of {total}" if found else f"none of {total}"
        err_console.print(f"[dim]{shown} matching[/]")


def _tree_lines(node: LineageNode, prefix: str = "", mark: str | None = None) -> list[str]:
    g = node.generation
    here = " ← this one" if g.id == mark else ""
    lines = [f"{prefix}{g.id}  {g.task} by {g.engine}  seed {g.seed}  {verdict_mark(g)}{here}"]
    for i, child in enumerate(node.children):
        last = i == len(node.children) - 1
        branch = "└─ " if last else "├─ "
        sub_lines = _tree_lines(child, "", mark)
        lines.append(prefix + branch + sub_lines[0])
        pad = prefix + ("   " if last else "│  ")
        lines.extend(pad + line for line in sub_lines[1:])
    return lines


@library_app.command("show")
@handles_errors
def library_show(gen_id: IdArg, as_json: JsonOpt = False) -> None:
    """The recipe of one generation and the tree of how it came to be."""
    library = open_library()
    gen = library.get(gen_id)
    tree = library.lineage(gen_id)
    if as_json:

        def node_dict(n: LineageNode) -> dict[str, Any]:
            return {
                "id": n.generation.id,
                "task": n.generation.task,
                "children": [node_dict(c) for c in n.children],
            }

        print_json(
            {**gen.as_dict(), "file": library.image_location(gen), "lineage": node_dict(tree)}
        )
        return
    out_console.print(
        f"[bold]{escape_markup(gen.id)}[/]  {escape_markup(gen.task)} by "
        f"{escape_markup(gen.engine)} ({escape_markup(str(gen.model))})  {gen.width}x{gen.height}"
    )
    out_console.print(f"[bold]prompt:[/] {escape_markup(gen.prompt)}")
    for key, value in gen.params.items():
        out_console.print(f"[bold]{escape_markup(str(key))}:[/] {escape_markup(str(value))}")
    out_console.print(f"[bold]file:[/] {library.image_location(gen)}")
    out_console.print(
        f"[bold]verdict:[/] {verdict_mark(gen) or 'undecided'}  rating {gen.rating or '-'}  "
        f"tags {escape_markup(', '.join(gen.tags)) or '-'}"
    )
    out_console.print("[bold]lineage:[/]")
    for line in _tree_lines(tree, mark=gen.id):
        out_console.print("  " + escape_markup(line))


@library_app.command("keep")
@handles_errors
def library_keep(gen_ids: Annotated[list[str], typer.Argument(help="Generation ids.")]) -> None:
    """Keep generations."""
    library = open_library()
    for gen_id in gen_ids:
        out_console.print(f"kept {library.keep(gen_id).id}")


@library_app.command("reject")
@handles_errors
def library_reject(gen_ids: Annotated[list[str], typer.Argument(help="Generation ids.")]) -> None:
    """Reject generations (they stay in the library, filtered out of --kept)."""
    library = open_library()
    for gen_id in gen_ids:
        out_console.print(f"rejected {library.reject(gen_id).id}")


def _stars(value: int) -> int:
    if not 1 <= value <= 5:
        raise typer.BadParameter(f"a rating is 1 to 5 stars, got {value}")
    return value


@library_app.command("rate")
@handles_errors
def library_rate(
    gen_id: IdArg, stars: Annotated[int, typer.Argument(help="1 to 5.", callback=_stars)]
) -> None:
    """Rate a generation from 1 to 5 stars."""
    gen = open_library().rate(gen_id, stars)
    out_console.print(f"{gen.id} {'★' * (gen.rating or 0)}")


@library_app.command("tag")
@handles_errors
def library_tag(
    gen_id: IdArg, names: Annotated[list[str], typer.Argument(help="Tags to add.")]
) -> None:
    """Tag a generation."""
    gen = open_library().tag(gen_id, *names)
    out_console.print(f"{gen.id}: {escape_markup(', '.join(gen.tags))}")


@library_app.command("untag")
@handles_errors
def library_untag(
    gen_id: IdArg, names: Annotated[list[str], typer.Argument(help="Tags to take off.")]
) -> None:
    """Take tags off a generation."""
    gen = open_library().untag(gen_id, *names)
    out_console.print(f"{gen.id}: {escape_markup(', '.join(gen.tags)) or '(no tags)'}")


@library_app.command("repair")
@handles_errors
def library_repair(as_json: JsonOpt = False) -> None:
    """Remove what a crash left behind (unreferenced files older than 10 minutes) and
    report rows whose file is missing."""
    report = open_library().repair()
    if as_json:
        print_json(report.__dict__)
        return
    out_console.print(
        f"removed {report.orphan_files} orphan file(s), {report.leftovers} temporary file(s); "
        f"{len(report.missing_files)} generation file(s) missing"
    )


@library_app.command("delete")
@handles_errors
def library_delete(gen_ids: Annotated[list[str], typer.Argument(help="Generation ids.")]) -> None:
    """Delete generations; their files go when nothing else uses them."""
    library = open_library()
    for gen_id in gen_ids:
        library.delete(gen_id)
        out_console.print(f"deleted {gen_id}")
