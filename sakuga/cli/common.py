"""What every command shares: the app, consoles, error handling, shared options,
and running a plan and writing its images."""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from sakuga import __version__
from sakuga.cli.outputs import SavedImage, check_writable, output_format, write_results
from sakuga.engines.base import Progress
from sakuga.engines.registry import engine_names
from sakuga.errors import SakugaError, SpecError
from sakuga.imaging.io import open_image
from sakuga.imaging.samples import is_sample, load_sample
from sakuga.prompt.limits import MAX_IMAGES, MAX_SEED
from sakuga.prompt.parse import unread
from sakuga.prompt.styles import get_style
from sakuga.prompt.uses import get_use, parse_size
from sakuga.studio.library.library import Library
from sakuga.studio.service.grid import Ask, Axis, check_axes, parse_axis
from sakuga.studio.service.studio import Made, Plan, Studio

#: What an option's value is, by option name, where its type alone says too little.
METAVARS: dict[str, str] = {
    "use": "USE",
    "size": "WxH",
    "style": "STYLE",
    "engine": "ENGINE",
    "draft_with": "ENGINE",
    "model": "MODEL",
    "character": "NAME",
    "font": "FONT",
    "fmt": "FORMAT",
    "quality": "LEVEL",
    "seed": "SEED",
    "strength": "0-1",
    "sampler": "SAMPLER",
    "device": "DEVICE",
    "moderation": "auto|low",
    "prompt_style": "tags|natural",
    "prediction": "epsilon|v_prediction",
    "vae": "VAE",
    "embedding": "FILE|NAME",
    "lora": "FILE[:WEIGHT]",
    "ip_adapter": "FOLDER",
    "out": "PATH",
    "from_photo": "PHOTO",
    "ref": "IMAGE",
    "tag": "TAG",
    "since": "DATE",
    "host": "HOST",
    "allowed_host": "HOST",
    "allowed_origin": "ORIGIN",
    "port": "PORT",
    "token": "TOKEN",
    "map_model": "NAME=ENGINE",
}
#: Else by the type of the value.
_TYPE_METAVARS = {"str": "TEXT", "int": "N", "float": "NUMBER", "Path": "FILE"}


def _help_labels_read() -> None:
    """Help labels values the way command-line tools do: ``--for USE``, ``--size WxH``,
    ``--title TEXT``, and the usage line ``sakuga export [OPTIONS] SOURCE``. Typer's rich
    help labels every option with its Python type (``<str>``, ``<bool>`` even on on/off
    flags) and wraps required arguments in braces (``{text}``). Each patch is skipped
    where another Typer has no such method."""
    from typer.core import TyperArgument, TyperOption

    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "_sakuga", False):
        return  # another Typer: nothing to mend, or mended already

    def option_label(self: TyperOption, ctx: typer.Context) -> str | None:
        if self.is_flag:
            return None
        if self.metavar is not None:
            return self.metavar
        descriptor = getattr(self, "type_descriptor", None)
        if descriptor is None or descriptor.is_choice:
            return shown(self, ctx)  # the choices themselves: a|b|c
        bare = self.bare_type().removeprefix("list[").removesuffix("]")
        label = METAVARS.get(self.name or "") or _TYPE_METAVARS.get(bare, "VALUE")
        return f"{label}..." if descriptor.is_list else label

    option_label._sakuga = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = option_label  # type: ignore[method-assign,assignment]

    if hasattr(TyperArgument, "display_name_raw") and hasattr(TyperArgument, "_usage_display_name"):

        def argument_name(self: TyperArgument) -> str:
            return self.metavar or (self.name or "").upper()

        def usage_name(self: TyperArgument) -> str:
            name = argument_name(self)
            name = name if self.required else f"[{name}]"
            return f"{name}..." if self.nargs != 1 else name

        TyperArgument.display_name_raw = property(argument_name)  # type: ignore[assignment,method-assign]
        TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]
        TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


_help_labels_read()

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
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # usage errors (exit 2) and exits are Typer's to report
        except SakugaError as exc:
            if _debug_enabled():
                raise
            err_console.print(f"[bold red]error:[/] {escape_markup(str(exc))}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print("[yellow]cancelled[/]")
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: still one line, the details behind --debug
            if _debug_enabled():
                raise
            err_console.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {escape_markup(str(exc))} "
                "(run with --debug for the traceback)"
            )
            raise typer.Exit(1) from None

    return wrapper


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_markup(text: str) -> str:
    """Text from a file or a client, safe to print: control characters (terminal escapes,
    OSC 52 clipboard writes, bidi overrides) shown as \\xNN, Rich markup not applied."""
    from rich.markup import escape

    shown = _CONTROL.sub(lambda m: ascii(m.group(0))[1:-1], str(text))
    return escape(shown)


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


def print_json(data: Any) -> None:
    """``data`` as JSON on stdout; non-ASCII text stays readable, but controls that a
    terminal would act on (C1 controls, bidi overrides; JSON escapes C0 itself) are
    written as ``\\uXXXX`` escapes, which read back as the same string."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.write(_CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n")


# --- shared options of every generating command -------------------------------------

CountOpt = Annotated[
    int,
    typer.Option(
        "-n", "--count", min=1, max=MAX_IMAGES, help=f"How many versions (1–{MAX_IMAGES})."
    ),
]
SeedOpt = Annotated[
    int | None,
    typer.Option("--seed", min=0, max=MAX_SEED, help="Seed; versions use seed, seed+1, …"),
]


def checked_flag(check: Callable[[str], object]) -> Callable[[str | None], str | None]:
    """A Typer callback: ``check`` the flag's value, a bad one is a usage error (exit 2)."""

    def callback(value: str | None) -> str | None:
        if value is not None:
            try:
                check(value)
            except SakugaError as exc:
                raise typer.BadParameter(str(exc)) from None
        return value

    return callback


def _known_engine(name: str) -> None:
    if name not in engine_names():
        raise SpecError(f"unknown engine {name!r}; engines: {', '.join(engine_names())}")


def _image_format(name: str, allowed: tuple[str, ...]) -> None:
    if name.lower() not in allowed:
        choices = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"
        raise SpecError(f"format must be {choices}, got {name!r}")


def _grid_axes(values: list[str] | None) -> list[str] | None:
    for value in values or ():
        try:
            parse_axis(value)
        except SakugaError as exc:
            raise typer.BadParameter(str(exc)) from None
    return values


GridOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--grid",
        help="Try across an axis, NAME=V1,V2 (repeat for up to 3): style, use, engine, "
        "model, seed (1-4), character, prompt (red scarf|blue scarf: find, then replace) "
        "or an engine option (cfg=5,7). Writes every cell and a labelled grid.",
        callback=_grid_axes,
    ),
]


def grid_axes(values: list[str] | None, action: str, ask: Ask) -> list[Axis]:
    """The axes of ``--grid``, checked against the action and what was asked (a usage
    error when they do not fit it: a prompt axis whose words are not in the prompt)."""
    axes = [parse_axis(v) for v in values or ()]
    try:
        check_axes(axes, action, ask)
    except SakugaError as exc:
        raise typer.BadParameter(str(exc), param_hint="--grid") from None
    return axes


StyleOpt = Annotated[
    str | None,
    typer.Option(
        "--style", help="Art style (see `sakuga styles`).", callback=checked_flag(get_style)
    ),
]
UseOpt = Annotated[
    str | None,
    typer.Option(
        "--for",
        help="Final use: sets size and format (see `sakuga uses`).",
        callback=checked_flag(get_use),
    ),
]
SizeOpt = Annotated[
    str | None,
    typer.Option(
        "--size", help="WxH; overrides the use's size.", callback=checked_flag(parse_size)
    ),
]
EngineOpt = Annotated[
    str | None,
    typer.Option(
        "--engine", help="Engine (see `sakuga engines`).", callback=checked_flag(_known_engine)
    ),
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model name or file for the engine.")]
OutOpt = Annotated[
    Path, typer.Option("-o", "--out", help="Output folder, or a file name (.png/.jpg/.webp).")
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="png, jpeg or webp.",
        callback=checked_flag(lambda f: _image_format(f, ("png", "jpeg", "webp"))),
    ),
]
#: --format where the draw engine's vector drawing may be asked for too.
VectorFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="png, jpeg, webp or svg (draw only).",
        callback=checked_flag(lambda f: _image_format(f, ("png", "jpeg", "webp", "svg"))),
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


ControlOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--control",
        help="diffusers: KIND:MODEL[:WEIGHT][:START-END], KIND canny, lineart or pose; "
        "repeat for more.",
    ),
]
ControlImageOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--control-image",
        help="diffusers: your own map for the n-th --control (else made from the photo).",
    ),
]


def control_options(
    controls: list[str] | None, images: list[Path] | None
) -> tuple[list[dict[str, Any]] | None, tuple[Any, ...]]:
    """``--control`` and ``--control-image`` as the ``controls`` option and the request's
    control images (the i-th image is the i-th control's map)."""
    from sakuga.engines.diffusion.controls import parse_control

    parsed = [parse_control(text) for text in controls or ()]
    given = list(images or ())
    if len(given) > len(parsed):
        raise typer.BadParameter(
            f"{len(given)} --control-image for {len(parsed)} --control", param_hint="--control"
        )
    options = [
        {**c.as_option(), **({"image": i} if i < len(given) else {})} for i, c in enumerate(parsed)
    ]
    return options or None, tuple(open_image(path) for path in given)


def preset_name(style: str | None) -> str | None:
    """A ``--style`` flag names one of the presets (`sakuga styles`); an art medium such as
    "watercolor" goes in the prompt instead, where AI engines read it."""
    return get_style(style).name if style else None


def set_options(**values: Any) -> dict[str, Any]:
    """Engine options the creator set (unset flags are left out of the request)."""
    return {key: value for key, value in values.items() if value not in (None, [])}


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


def load_photo(source: str) -> Any:
    return load_sample(source) if is_sample(source) else open_image(source)


def open_library() -> Library:
    return Library.open()


def command_studio() -> Studio:
    """This command's studio service, over the library `SAKUGA_HOME` names (`Services`,
    built once by the command that calls this)."""
    from sakuga.studio.service.services import Services

    return Services.open().studio


def run_and_save(
    studio: Studio,
    plan: Plan,
    out: Path,
    fmt: str | None,
    as_json: bool,
    then: Callable[[Made], dict[str, Any]] | None = None,
) -> Made:
    """Run ``plan``, write its files into ``out`` and say what was made (``--json``:
    one JSON answer). A grid's ``then`` runs after its files are written; what it
    returns joins the JSON answer (a set's packs)."""
    request = plan.request
    check_writable(out)  # before the work: a bad -o fails at once
    if plan.grid is not None:
        _check_grid_output(studio, plan, out, fmt)
        if not as_json:
            names = " × ".join(a.name for a in plan.grid.axes)
            what = f"{plan.grid.kind} set" if plan.grid.kind else f"grid of {names}"
            err_console.print(f"{what}: {plan.grid.count()} images, then the layout")
    else:
        output_format(out, request, fmt)
    # A live bar only for a person at a terminal; pipes and --json get clean output.
    with _progress_reporter(not as_json and err_console.is_terminal) as report:
        made = studio.run(plan, report)
    result, recorded = made.result, made.generations
    if plan.grid is not None:
        saved_grid = _save_grid(plan, made, out, fmt)
        if as_json:
            _grid_answer(plan, made, saved_grid, True, then(made) if then else {})
        else:
            _grid_answer(plan, made, saved_grid, False, {})
            if then is not None:
                then(made)
        return made
    saved = write_results(
        request, result, out, fmt, ids=[g.id for g in recorded], recipes=made.recipes
    )
    images = [s.as_dict() for s in saved]
    if as_json:
        answer: dict[str, Any] = {
            "images": images,
            "engine": result.engine,
            "model": result.model,
            "task": str(request.task),
            "style": request.spec.style,
            "use": request.spec.use,
            "prompt": result.prompt or request.text,
        }
        answer.update(result.account())
        print_json(answer)
        return made
    if result.subject == "scene":
        err_console.print(
            "[yellow]no person or pet found:[/] the photo was painted as an anime scene "
            "[dim](a pet that was missed: --subject pet)[/]"
        )
    if result.not_drawn:
        err_console.print(
            f"[yellow]not drawn:[/] {escape_markup(', '.join(result.not_drawn))} "
            "[dim](an AI engine draws them: --engine openai|diffusers)[/]"
        )
        if result.engine == "draw" and any(unread(p) for p in result.not_drawn):
            err_console.print(
                "[yellow]the draw engine reads prompts in English:[/] the phrases in another "
                "language were not read [dim](an AI engine reads them)[/]"
            )
    for item, gen in zip(saved, recorded, strict=True):
        out_console.print(
            f"{item.path}  [dim]id {gen.id}  {item.width}x{item.height}  seed {item.seed}[/]"
        )
    out_console.print(
        f"[green]{len(saved)} image(s)[/] by [bold]{result.engine}[/] ({result.model})"
    )
    return made


def _check_grid_output(studio: Studio, plan: Plan, out: Path, fmt: str | None) -> None:
    """Before any work: a grid writes a file per cell and one for the layout, into a
    folder; each cell in the format its single command would write (SVG only where
    the engine draws vectors)."""
    from sakuga.cli.outputs import IMAGE_SUFFIXES

    assert plan.grid is not None
    if out.suffix.lower() in IMAGE_SUFFIXES:
        raise typer.BadParameter(
            "a grid writes a file per cell and one for the grid: -o names a folder",
            param_hint="-o",
        )
    for cell in plan.grid.cells:
        chosen = output_format(out, cell.plan.request, fmt)
        if chosen == "svg" and studio.engine_for(cell.plan) != "draw":
            raise typer.BadParameter(
                f"the {studio.engine_for(cell.plan)} engine makes no vector drawing: "
                "--format svg needs draw in every cell",
                param_hint="--format",
            )


def _save_grid(plan: Plan, made: Made, out: Path, fmt: str | None) -> list[SavedImage]:
    """Each cell's file as its single command writes it, then the layout's (PNG)."""
    from sakuga.engines.base import EngineResult

    assert plan.grid is not None
    saved: list[SavedImage] = []
    for i, (cell, done) in enumerate(zip(plan.grid.cells, made.cells, strict=True)):
        ids, recipes = [made.generations[i].id], [made.recipes[i]]
        saved += write_results(cell.plan.request, done.result, out, fmt, ids, recipes)
    layout = EngineResult(images=[made.result.images[-1]], engine="compose", model="grid")
    ids, recipes = [made.generations[-1].id], [made.recipes[-1]]
    return saved + write_results(plan.request, layout, out, "png", ids, recipes)


def _grid_answer(
    plan: Plan, made: Made, saved: list[SavedImage], as_json: bool, extra: dict[str, Any]
) -> None:
    """What a grid's run says: each cell's file with its labels, then the layout's."""
    grid = plan.grid
    assert grid is not None
    cells = list(zip(grid.cells, saved[:-1], made.cells, strict=True))
    if as_json:
        answer = [
            {
                "at": list(cell.at),
                "labels": grid.labels(cell.at),
                "image": item.as_dict(),
                "not_drawn": done.result.not_drawn or [],
            }
            for cell, item, done in cells
        ]
        print_json({**grid.as_json(), "cells": answer, "layout": saved[-1].as_dict(), **extra})
        return
    for cell, item, done in cells:
        labels = escape_markup(", ".join(grid.labels(cell.at)))
        out_console.print(f"{item.path}  [dim]id {item.id}  {labels}[/]")
        if done.result.not_drawn:
            missed = escape_markup(", ".join(done.result.not_drawn))
            err_console.print(f"  [yellow]not drawn:[/] {missed}")
    layout = saved[-1]
    what = f"{grid.kind} set" if grid.kind else "grid"
    out_console.print(
        f"[green]{what}[/] {layout.path}  [dim]id {layout.id}  {layout.width}x{layout.height}[/]"
    )


IdArg = Annotated[str, typer.Argument(help="A generation id (see `sakuga library list`).")]
