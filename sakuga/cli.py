"""The `sakuga` command.

Exit codes: 0 success, 1 a runtime error (one clear line on stderr; the traceback
only with ``--debug``), 2 a usage error.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from sakuga import __version__
from sakuga.engines.base import Engine, EngineRequest, Progress, Task
from sakuga.engines.registry import all_engines, best_engine, get_engine
from sakuga.errors import SakugaError
from sakuga.imaging.io import decode_image, normalise_mode, open_image, read_image_bytes
from sakuga.imaging.metadata import read_recipe
from sakuga.imaging.samples import is_sample, load_sample
from sakuga.spec.artspec import ArtSpec
from sakuga.spec.critique import critique
from sakuga.spec.styles import STYLES
from sakuga.spec.uses import USES, parse_size
from sakuga.studio.outputs import write_results

app = typer.Typer(
    name="sakuga",
    help="Sakuga: an anime art studio. Photo → anime, structured prompts, versions, edits.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
out_console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


# Set by the root callback for this invocation; read when an error is reported.
_debug: ContextVar[bool] = ContextVar("sakuga_debug", default=False)


def _debug_enabled() -> bool:
    return _debug.get()


def handles_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn Sakuga's errors into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except SakugaError as exc:
            if _debug_enabled():
                raise
            err_console.print(f"[bold red]error:[/] {_escape(str(exc))}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print("[yellow]cancelled[/]")
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: still one line, the details behind --debug
            if _debug_enabled():
                raise
            err_console.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {_escape(str(exc))} "
                "(run with --debug for the traceback)"
            )
            raise typer.Exit(1) from None

    return wrapper


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _version(value: bool) -> None:
    if value:
        out_console.print(f"sakuga {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    _debug.set(debug)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# --- shared options of every generating command -------------------------------------

CountOpt = Annotated[
    int, typer.Option("-n", "--count", min=1, max=10, help="How many versions (1–10).")
]
SeedOpt = Annotated[
    int | None,
    typer.Option("--seed", min=0, max=2**32 - 1, help="Seed; versions use seed, seed+1, …"),
]
StyleOpt = Annotated[str | None, typer.Option("--style", help="Art style (see `sakuga styles`).")]
UseOpt = Annotated[
    str | None, typer.Option("--for", help="Final use: sets size and format (see `sakuga uses`).")
]
SizeOpt = Annotated[str | None, typer.Option("--size", help="WxH; overrides the use's size.")]
EngineOpt = Annotated[str | None, typer.Option("--engine", help="Engine (see `sakuga engines`).")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model name or file for the engine.")]
OutOpt = Annotated[
    Path, typer.Option("-o", "--out", help="Output folder, or a file name (.png/.jpg/.webp).")
]
FormatOpt = Annotated[str | None, typer.Option("--format", help="png, jpeg or webp.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@contextmanager
def _progress_reporter(enabled: bool) -> Iterator[Callable[[Progress], None]]:
    if not enabled:
        yield lambda _: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with RichProgress(*columns, console=err_console, transient=True) as bar:
        task_id = bar.add_task("starting", total=1)

        def report(p: Progress) -> None:
            bar.update(task_id, completed=p.step, total=max(p.total, 1), description=p.message)

        yield report


def _load_photo(source: str) -> Any:
    return load_sample(source) if is_sample(source) else open_image(source)


def _choose_engine(name: str | None, request: EngineRequest) -> Engine:
    return get_engine(name) if name else best_engine(request.task, request)


def _run_and_save(
    engine: Engine,
    request: EngineRequest,
    out: Path,
    fmt: str | None,
    as_json: bool,
) -> None:
    # A live bar only for a person at a terminal; pipes and --json get clean output.
    with _progress_reporter(not as_json and err_console.is_terminal) as report:
        result = engine.run(request, report)
    saved = write_results(request, result, out, fmt)
    if as_json:
        _print_json(
            {
                "images": [s.as_dict() for s in saved],
                "engine": result.engine,
                "model": result.model,
                "task": str(request.task),
                "style": request.spec.style,
                "use": request.spec.use,
                "prompt": request.text,
            }
        )
        return
    for item in saved:
        out_console.print(f"{item.path}  [dim]{item.width}x{item.height} seed {item.seed}[/]")
    out_console.print(
        f"[green]{len(saved)} image(s)[/] by [bold]{result.engine}[/] ({result.model})"
    )


@app.command()
@handles_errors
def anime(
    photo: Annotated[
        str, typer.Argument(help="Photo file (PNG/JPEG/WEBP), or sample:astronaut|cat|couple.")
    ],
    count: CountOpt = 1,
    seed: SeedOpt = None,
    style: StyleOpt = None,
    use: UseOpt = None,
    size: SizeOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    out: OutOpt = Path("sakuga-out"),
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Turn a photo into anime art that stays recognizable."""
    spec = ArtSpec.build(style=style, use=use, count=count, seed=seed)
    request = EngineRequest(
        Task.PHOTO_TO_ANIME,
        spec=spec,
        size=parse_size(size) if size else None,
        n=count,
        seed=seed,
        image=_load_photo(photo),
        model=model,
    )
    _run_and_save(_choose_engine(engine, request), request, out, fmt, as_json)


@app.command()
@handles_errors
def create(
    text: Annotated[
        str, typer.Argument(help="What to make: a prompt, free text or 'part: value' lines.")
    ],
    count: CountOpt = 1,
    seed: SeedOpt = None,
    style: StyleOpt = None,
    use: UseOpt = None,
    size: SizeOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    negative: Annotated[str | None, typer.Option("--negative", help="Negative prompt.")] = None,
    draft_with: Annotated[
        str | None,
        typer.Option(
            "--draft-with",
            help="Draw a draft with this engine first (e.g. draw); "
            "--engine then refines it, keeping its colours and layout.",
        ),
    ] = None,
    strength: Annotated[
        float,
        typer.Option("--strength", min=0.0, max=1.0, help="How far a drafted image may change."),
    ] = 0.6,
    out: OutOpt = Path("sakuga-out"),
    fmt: Annotated[
        str | None, typer.Option("--format", help="png, jpeg, webp or svg (draw only).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make anime art from a prompt (offline, the draw engine draws it exactly as asked)."""
    spec = ArtSpec.from_text(text).merged(
        style=style, use=use, seed=seed, count=count, negative=negative
    )
    request = EngineRequest(
        Task.TEXT_TO_IMAGE,
        spec=spec,
        size=parse_size(size) if size else None,
        n=count,
        seed=seed,
        model=model,
    )
    if draft_with:
        request = _drafted(request, get_engine(draft_with), strength)
    chosen = _choose_engine(engine, request)
    if engine is None and chosen.name == "draw" and not as_json:
        err_console.print(
            "[dim]no AI engine is configured: drawing offline with the draw engine[/]"
        )
    _run_and_save(chosen, request, out, fmt, as_json)


def _drafted(request: EngineRequest, drafter: Engine, strength: float) -> EngineRequest:
    """The request re-aimed at refining one draft: the draft becomes the input image."""
    draft = drafter.run(replace(request, n=1)).images[0]
    options = {**request.options, "strength": strength, "draft": drafter.name}
    return replace(request, task=Task.VARIATION, image=draft, options=options)


@app.command()
@handles_errors
def prompt(
    text: Annotated[str, typer.Argument(help="The prompt to critique.")],
    as_json: JsonOpt = False,
) -> None:
    """Critique a prompt: parts found and missing, score, suggestions, conflicts."""
    result = critique(text)
    if as_json:
        _print_json(result.as_dict())
        return
    colour = "green" if result.score >= 80 else "yellow" if result.score >= 50 else "red"
    out_console.print(f"Specificity: [bold {colour}]{result.score}[/]/100")
    table = Table(show_header=True, header_style="bold")
    table.add_column("part")
    table.add_column("found")
    for part in (*result.parts, *result.missing):
        found = result.parts.get(part)
        table.add_row(part, _escape(found) if found else "[dim]missing[/]")
    out_console.print(table)
    for part, picks in result.suggestions.items():
        out_console.print(f"[bold]{part}[/]: try " + " · ".join(_escape(p) for p in picks))
    for note in result.notes:
        out_console.print(f"[yellow]vague:[/] {_escape(note)}")
    for conflict in result.conflicts:
        out_console.print(f"[red]conflict:[/] {_escape(conflict)}")
    out_console.print(f"[dim]prompt sent to AI engines:[/] {_escape(result.prompt)}")


@app.command()
@handles_errors
def styles(as_json: JsonOpt = False) -> None:
    """List the art styles."""
    if as_json:
        _print_json(
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
        _print_json(
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
        _print_json(described)
        return
    table = Table("engine", "tasks", "available")
    for d in described:
        status = "[green]yes[/]" if d["available"] else f"[red]no[/] — {_escape(d['reason'] or '')}"
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
        _print_json(payload)
        return
    out_console.print(
        f"[bold]{_escape(str(image))}[/]: {fmt} {upright.width}x{upright.height} {mode}"
    )
    if recipe is None:
        out_console.print("[dim]no recipe in this image[/]")
        return
    out_console.print(f"[bold]prompt:[/] {_escape(recipe.prompt)}")
    if recipe.negative_prompt:
        out_console.print(f"[bold]negative:[/] {_escape(recipe.negative_prompt)}")
    for key, value in recipe.params.items():
        out_console.print(f"[bold]{_escape(key)}:[/] {_escape(str(value))}")
    if recipe.request is not None:
        out_console.print("[dim]full request in the 'sakuga' chunk (use --json)[/]")


models_app = typer.Typer(help="Model files: list, pull (online), remove.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
@handles_errors
def models_list(as_json: JsonOpt = False) -> None:
    """List the models in Sakuga's model folder (checked by content)."""
    from sakuga.engines.models import list_models
    from sakuga.settings import models_dir

    found = list_models()
    if as_json:
        _print_json(
            [{"name": m.name, "path": str(m.path), "size": m.size, "kind": m.kind} for m in found]
        )
        return
    if not found:
        out_console.print(f"no models in {models_dir()}")
        return
    table = Table("model", "kind", "size")
    for m in found:
        table.add_row(m.name, _escape(m.kind), f"{m.size / 1e6:.1f} MB")
    out_console.print(table)


@models_app.command("pull")
@handles_errors
def models_pull(
    source: Annotated[
        str, typer.Argument(help="An https URL, or a Hugging Face repo id (owner/name).")
    ],
    file: Annotated[
        str | None, typer.Option("--file", help="File in the repo, or a name for the URL.")
    ] = None,
) -> None:
    """Download a model (ONNX or safetensors only) into the model folder."""
    from sakuga.engines.models import pull

    out_console.print(str(pull(source, file)))


@models_app.command("remove")
@handles_errors
def models_remove(name: Annotated[str, typer.Argument(help="The model's file name.")]) -> None:
    """Delete a model from the model folder."""
    from sakuga.engines.models import remove

    out_console.print(f"removed {remove(name)}")


def main() -> None:
    """Entry point of the `sakuga` console script."""
    app()


if __name__ == "__main__":
    main()
