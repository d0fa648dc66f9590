"""The `sakuga` command.

Exit codes: 0 success, 1 a runtime error (one clear line on stderr; the traceback
only with ``--debug``), 2 a usage error.
"""

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
from PIL import Image
from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from sakuga import __version__
from sakuga.engines.base import Progress
from sakuga.engines.registry import all_engines
from sakuga.errors import DirectiveError, SakugaError
from sakuga.imaging.io import decode_image, normalise_mode, open_image, read_image_bytes
from sakuga.imaging.metadata import read_recipe
from sakuga.imaging.samples import is_sample, load_sample
from sakuga.spec.artspec import ArtSpec
from sakuga.spec.critique import critique
from sakuga.spec.limits import MAX_IMAGES, MAX_SEED, SEED_SPACE
from sakuga.spec.styles import STYLES, get_style
from sakuga.spec.uses import USES, get_use, parse_size
from sakuga.studio.library import Generation, Library, LineageNode, character_traits
from sakuga.studio.outputs import write_results
from sakuga.studio.service import Plan, Studio

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


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(text: str) -> str:
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


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


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
QualityOpt = Annotated[
    str | None,
    typer.Option("--quality", help="openai: low, medium, high or auto (cost grows with it)."),
]


StepsOpt = Annotated[
    int | None, typer.Option("--steps", min=1, max=150, help="diffusers: denoising steps.")
]
CfgOpt = Annotated[
    float | None, typer.Option("--cfg", min=0.0, max=30.0, help="diffusers: CFG scale.")
]
SamplerOpt = Annotated[
    str | None,
    typer.Option("--sampler", help="diffusers: 'Euler a', 'DPM++ 2M Karras' (default), DDIM, …"),
]
ClipSkipOpt = Annotated[
    int | None,
    typer.Option("--clip-skip", min=1, max=12, help="diffusers: A1111 clip skip (1 = none)."),
]
LoraOpt = Annotated[
    list[str] | None,
    typer.Option("--lora", help="diffusers: FILE.safetensors[:WEIGHT]; repeat for more."),
]
IpAdapterOpt = Annotated[
    Path | None,
    typer.Option(
        "--ip-adapter",
        help="diffusers: IP-Adapter folder (.safetensors + image_encoder/) for identity.",
    ),
]
DeviceOpt = Annotated[
    str | None, typer.Option("--device", help="diffusers: cuda, mps or cpu (default: best).")
]


def _preset(style: str | None) -> str | None:
    """A ``--style`` flag names one of the presets (`sakuga styles`); an art medium such as
    "watercolor" goes in the prompt instead, where AI engines read it."""
    return get_style(style).name if style else None


def _options(**values: Any) -> dict[str, Any]:
    """Engine options the creator set (unset flags are left out of the request)."""
    return {key: value for key, value in values.items() if value not in (None, [])}


def _diffusion_options(
    steps: int | None,
    cfg: float | None,
    sampler: str | None,
    clip_skip: int | None,
    lora: list[str] | None,
    device: str | None,
) -> dict[str, Any]:
    """The diffusers flags every generating command shares, as engine options."""
    return _options(
        steps=steps, cfg=cfg, sampler=sampler, clip_skip=clip_skip, loras=lora, device=device
    )


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


def _library() -> Library:
    return Library.open()


def _run_and_save(
    studio: Studio,
    plan: Plan,
    out: Path,
    fmt: str | None,
    as_json: bool,
) -> None:
    request = plan.request
    # A live bar only for a person at a terminal; pipes and --json get clean output.
    with _progress_reporter(not as_json and err_console.is_terminal) as report:
        made = studio.run(plan, report)
    result, recorded = made.result, made.generations
    saved = write_results(request, result, out, fmt)
    images = [{**s.as_dict(), "id": g.id} for s, g in zip(saved, recorded, strict=True)]
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
        if result.dialect is not None:
            answer["dialect"] = result.dialect
        if result.not_drawn is not None:
            answer["not_drawn"] = result.not_drawn
        _print_json(answer)
        return
    if result.not_drawn:
        err_console.print(
            f"[yellow]not drawn:[/] {_escape(', '.join(result.not_drawn))} "
            "[dim](an AI engine draws them: --engine openai|diffusers)[/]"
        )
    for item, gen in zip(saved, recorded, strict=True):
        out_console.print(
            f"{item.path}  [dim]id {gen.id}  {item.width}x{item.height}  seed {item.seed}[/]"
        )
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
    quality: QualityOpt = None,
    strength: Annotated[
        float | None,
        typer.Option("--strength", min=0.01, max=1.0, help="diffusers: how far from the photo."),
    ] = None,
    steps: StepsOpt = None,
    cfg: CfgOpt = None,
    sampler: SamplerOpt = None,
    clip_skip: ClipSkipOpt = None,
    lora: LoraOpt = None,
    device: DeviceOpt = None,
    ip_adapter: IpAdapterOpt = None,
    out: OutOpt = Path("sakuga-out"),
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Turn a photo into anime art that stays recognizable."""
    studio = Studio(_library())
    plan = studio.anime(
        _load_photo(photo),
        ArtSpec.build(style=_preset(style), use=use, count=count, seed=seed),
        size=parse_size(size) if size else None,
        engine=engine,
        model=model,
        options=_options(
            quality=quality,
            strength=strength,
            **_diffusion_options(steps, cfg, sampler, clip_skip, lora, device),
            ip_adapter=str(ip_adapter) if ip_adapter else None,
        ),
    )
    _run_and_save(studio, plan, out, fmt, as_json)


@app.command()
@handles_errors
def create(
    text: Annotated[
        str, typer.Argument(help="What to make: a prompt, free text or 'part: value' lines.")
    ],
    count: Annotated[
        int | None,
        typer.Option(
            "-n",
            "--count",
            min=1,
            max=MAX_IMAGES,
            help=f"How many versions (1–{MAX_IMAGES}; default 1, or count:).",
        ),
    ] = None,
    seed: SeedOpt = None,
    style: StyleOpt = None,
    use: UseOpt = None,
    size: SizeOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    negative: Annotated[str | None, typer.Option("--negative", help="Negative prompt.")] = None,
    character: Annotated[
        str | None,
        typer.Option("--character", help="A saved character: its traits, style and seed."),
    ] = None,
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
    quality: QualityOpt = None,
    steps: StepsOpt = None,
    cfg: CfgOpt = None,
    sampler: SamplerOpt = None,
    clip_skip: ClipSkipOpt = None,
    lora: LoraOpt = None,
    device: DeviceOpt = None,
    ip_adapter: IpAdapterOpt = None,
    moderation: Annotated[
        str | None, typer.Option("--moderation", help="openai: auto or low.")
    ] = None,
    prompt_style: Annotated[
        str | None,
        typer.Option(
            "--prompt-style",
            help="diffusers: tags or natural (default: from the model family, else natural).",
        ),
    ] = None,
    out: OutOpt = Path("sakuga-out"),
    fmt: Annotated[
        str | None, typer.Option("--format", help="png, jpeg, webp or svg (draw only).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make anime art from a prompt (offline, the draw engine draws it exactly as asked).

    ``seed:``, ``count:``, ``negative:``, ``style:`` and ``use:`` lines in the prompt act
    like the flags; a flag given explicitly wins.
    """
    try:
        parsed = ArtSpec.from_text(text)
    except DirectiveError as exc:
        raise typer.BadParameter(str(exc), param_hint="TEXT") from None
    spec = parsed.merged(style=_preset(style), use=use, seed=seed, count=count, negative=negative)
    studio = Studio(_library())
    plan = studio.create(
        spec,
        size=parse_size(size) if size else None,
        engine=engine,
        model=model,
        character=character,
        options=_options(
            quality=quality,
            moderation=moderation,
            **_diffusion_options(steps, cfg, sampler, clip_skip, lora, device),
            ip_adapter=str(ip_adapter) if ip_adapter else None,
            prompt_style=prompt_style,
        ),
    )
    if draft_with:
        plan = studio.draft(plan, draft_with, strength)
    if plan.engine is None and studio.engine_for(plan) == "draw" and not as_json:
        err_console.print(
            "[dim]no AI engine is configured: drawing offline with the draw engine[/]"
        )
    _run_and_save(studio, plan, out, fmt, as_json)


@app.command()
@handles_errors
def edit(
    source: Annotated[str, typer.Argument(help="A library id, or an image file.")],
    mask: Annotated[
        Path, typer.Option("--mask", help="White = change, black = keep; the image's size.")
    ],
    prompt_text: Annotated[
        str, typer.Option("--prompt", help="What the masked region should become.")
    ],
    seed: SeedOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    quality: QualityOpt = None,
    steps: StepsOpt = None,
    cfg: CfgOpt = None,
    sampler: SamplerOpt = None,
    clip_skip: ClipSkipOpt = None,
    lora: LoraOpt = None,
    device: DeviceOpt = None,
    out: OutOpt = Path("sakuga-out"),
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change only the masked region; every pixel outside it stays as it was."""
    studio = Studio(_library())
    a_file = Path(source).is_file() or is_sample(source)
    plan = studio.edit(
        open_image(mask),
        ArtSpec.from_text(prompt_text),
        image=_load_photo(source) if a_file else None,
        parent=None if a_file else source,
        seed=seed,
        engine=engine,
        model=model,
        options=_options(
            quality=quality,
            **_diffusion_options(steps, cfg, sampler, clip_skip, lora, device),
        ),
    )
    _run_and_save(studio, plan, out, fmt, as_json)


@app.command()
@handles_errors
def export(
    source: Annotated[str, typer.Argument(help="A library id, or an image file.")],
    use: Annotated[
        str, typer.Option("--for", help="poster, cover, thumbnail, social, avatar, wallpaper.")
    ],
    title: Annotated[str | None, typer.Option("--title")] = None,
    subtitle: Annotated[str | None, typer.Option("--subtitle")] = None,
    credits: Annotated[str | None, typer.Option("--credits")] = None,
    font: Annotated[
        str | None, typer.Option("--font", help="sans-bold, sans or gothic-jp.")
    ] = None,
    out: Annotated[Path, typer.Option("-o", "--out", help="Output file.")] = Path("export.png"),
    as_json: JsonOpt = False,
) -> None:
    """Lay art out for its use: size, crop around faces, typeset title, subtitle, credits."""
    a_file = Path(source).is_file() or is_sample(source)
    done = Studio(_library()).export(
        use,
        parent=None if a_file else source,
        image=_load_photo(source) if a_file else None,
        title=title,
        subtitle=subtitle,
        credits=credits,
        font=font,
    )
    layout, recorded = done.layout, [done.generation]
    saved = write_results(done.request, done.result, out)
    preview_path = None
    if layout.preview is not None:
        preview_path = out.with_name(f"{out.stem}-circle.png")
        layout.preview.save(preview_path)
    for warning in layout.warnings:
        err_console.print(f"[yellow]warning:[/] {_escape(warning)}")
    if as_json:
        _print_json(
            {
                "images": [{**saved[0].as_dict(), "id": recorded[0].id}],
                "use": get_use(use).name,
                "text_boxes": layout.text_boxes,
                "faces": layout.faces,
                "contrast": layout.contrast,
                "warnings": layout.warnings,
                "preview": str(preview_path) if preview_path else None,
            }
        )
        return
    out_console.print(
        f"{saved[0].path}  [dim]id {recorded[0].id}  {layout.image.width}x{layout.image.height}[/]"
    )


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
    for detail in result.details:
        table.add_row("[dim]kept[/]", f"{_escape(detail)} [dim](kept, not placed)[/]")
    out_console.print(table)
    if result.quality:
        out_console.print(
            "[dim]quality tags, passed on as written:[/] " + _escape(", ".join(result.quality))
        )
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


# --- the library -----------------------------------------------------------------------

library_app = typer.Typer(
    help="The library: every image made, kept or rejected.", no_args_is_help=True
)
app.add_typer(library_app, name="library")
IdArg = Annotated[str, typer.Argument(help="A generation id (see `sakuga library list`).")]


def _verdict(gen: Generation) -> str:
    return {True: "kept", False: "rejected", None: ""}[gen.kept]


def _print_generations(found: list[Generation]) -> None:
    table = Table(
        "id", "engine", "style", "use", "seed", "size", "verdict", "rating", "tags", "prompt"
    )
    for g in found:
        table.add_row(
            g.id,
            _escape(g.engine),
            _escape(g.style or ""),
            _escape(g.use or ""),
            str(g.seed),
            f"{g.width}x{g.height}",
            _verdict(g),
            "★" * (g.rating or 0),
            _escape(", ".join(g.tags)),
            _escape(g.prompt[:40]),
        )
    out_console.print(table)


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
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 50,
    page: Annotated[int, typer.Option("--page", min=1)] = 1,
    as_json: JsonOpt = False,
) -> None:
    """List generations, newest first."""
    from datetime import datetime

    verdict = True if kept else False if rejected else None
    try:
        since_ts = datetime.fromisoformat(since).timestamp() if since else None
    except ValueError:
        raise typer.BadParameter(f"--since must be a date like 2026-11-26, got {since!r}") from None
    found = _library().find(
        kept=verdict,
        character=character,
        style=get_style(style).name if style else None,
        use=get_use(use).name if use else None,
        engine=engine,
        tag=tag,
        since=since_ts,
        limit=limit,
        offset=(page - 1) * limit,
    )
    if as_json:
        _print_json([g.as_dict() for g in found])
    else:
        _print_generations(found)


def _tree_lines(node: LineageNode, prefix: str = "", mark: str | None = None) -> list[str]:
    g = node.generation
    here = " ← this one" if g.id == mark else ""
    lines = [f"{prefix}{g.id}  {g.task} by {g.engine}  seed {g.seed}  {_verdict(g)}{here}"]
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
    library = _library()
    gen = library.get(gen_id)
    tree = library.lineage(gen_id)
    if as_json:

        def node_dict(n: LineageNode) -> dict[str, Any]:
            return {
                "id": n.generation.id,
                "task": n.generation.task,
                "children": [node_dict(c) for c in n.children],
            }

        _print_json(
            {**gen.as_dict(), "file": str(library.image_path(gen)), "lineage": node_dict(tree)}
        )
        return
    out_console.print(
        f"[bold]{gen.id}[/]  {gen.task} by {gen.engine} ({gen.model})  {gen.width}x{gen.height}"
    )
    out_console.print(f"[bold]prompt:[/] {_escape(gen.prompt)}")
    for key, value in gen.params.items():
        out_console.print(f"[bold]{_escape(str(key))}:[/] {_escape(str(value))}")
    out_console.print(f"[bold]file:[/] {library.image_path(gen)}")
    out_console.print(
        f"[bold]verdict:[/] {_verdict(gen) or 'undecided'}  rating {gen.rating or '-'}  "
        f"tags {', '.join(gen.tags) or '-'}"
    )
    out_console.print("[bold]lineage:[/]")
    for line in _tree_lines(tree, mark=gen.id):
        out_console.print("  " + _escape(line))


@library_app.command("keep")
@handles_errors
def library_keep(gen_ids: Annotated[list[str], typer.Argument(help="Generation ids.")]) -> None:
    """Keep generations."""
    library = _library()
    for gen_id in gen_ids:
        out_console.print(f"kept {library.keep(gen_id).id}")


@library_app.command("reject")
@handles_errors
def library_reject(gen_ids: Annotated[list[str], typer.Argument(help="Generation ids.")]) -> None:
    """Reject generations (they stay in the library, filtered out of --kept)."""
    library = _library()
    for gen_id in gen_ids:
        out_console.print(f"rejected {library.reject(gen_id).id}")


@library_app.command("rate")
@handles_errors
def library_rate(gen_id: IdArg, stars: Annotated[int, typer.Argument(help="1 to 5.")]) -> None:
    """Rate a generation from 1 to 5 stars."""
    gen = _library().rate(gen_id, stars)
    out_console.print(f"{gen.id} {'★' * (gen.rating or 0)}")


@library_app.command("tag")
@handles_errors
def library_tag(
    gen_id: IdArg, names: Annotated[list[str], typer.Argument(help="Tags to add.")]
) -> None:
    """Tag a generation."""
    gen = _library().tag(gen_id, *names)
    out_console.print(f"{gen.id}: {_escape(', '.join(gen.tags))}")


@library_app.command("repair")
@handles_errors
def library_repair(as_json: JsonOpt = False) -> None:
    """Remove what a crash left behind (unreferenced files older than 10 minutes) and
    report rows whose file is missing."""
    report = _library().repair()
    if as_json:
        _print_json(report.__dict__)
        return
    out_console.print(
        f"removed {report.orphan_files} orphan file(s), {report.leftovers} temporary file(s); "
        f"{len(report.missing_files)} generation file(s) missing"
    )


@library_app.command("delete")
@handles_errors
def library_delete(gen_ids: Annotated[list[str], typer.Argument(help="Generation ids.")]) -> None:
    """Delete generations; their files go when nothing else uses them."""
    library = _library()
    for gen_id in gen_ids:
        library.delete(gen_id)
        out_console.print(f"deleted {gen_id}")


@app.command()
@handles_errors
def compare(
    gen_ids: Annotated[list[str], typer.Argument(help="Generation ids to put side by side.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="The contact sheet (.png).")] = Path(
        "compare.png"
    ),
    columns: Annotated[int | None, typer.Option("--columns", min=1, max=20)] = None,
) -> None:
    """A labelled contact sheet of generations (id, engine, style, seed, verdict)."""
    from sakuga.compose.sheet import contact_sheet
    from sakuga.imaging.metadata import save_image

    library = _library()
    gens = [library.get(i) for i in gen_ids]
    images = [library.image(g.id) for g in gens]
    labels = [
        # The label's id is one a person can type back: its shortest unique prefix.
        f"{library.short_id(g.id)} {g.engine} {g.style or ''} s{g.seed} {_verdict(g)}".strip()
        for g in gens
    ]
    sheet = contact_sheet(images, labels, columns=columns)
    out_console.print(str(save_image(sheet, out.with_suffix(".png"))))


@app.command()
@handles_errors
def rerun(gen_id: IdArg, out: OutOpt = Path("sakuga-out"), as_json: JsonOpt = False) -> None:
    """Run a generation's request again (deterministic engines give identical pixels)."""
    studio = Studio(_library())
    _run_and_save(studio, studio.rerun(gen_id), out, None, as_json)


@app.command()
@handles_errors
def vary(
    gen_id: IdArg,
    count: CountOpt = 4,
    seed: SeedOpt = None,
    out: OutOpt = Path("sakuga-out"),
    as_json: JsonOpt = False,
) -> None:
    """New versions of a generation: the same request with new seeds."""
    studio = Studio(_library())
    _run_and_save(studio, studio.vary(gen_id, count=count, seed=seed), out, None, as_json)


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
    hair: Annotated[str | None, typer.Option("--hair")] = None,
    outfit: Annotated[str | None, typer.Option("--outfit")] = None,
    expression: Annotated[str | None, typer.Option("--expression")] = None,
    ref: Annotated[
        list[str] | None, typer.Option("--ref", help="Reference photo (repeatable).")
    ] = None,
    style: StyleOpt = None,
    engine: EngineOpt = None,
    seed: SeedOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Save a character: traits, style, engine, seed and reference images."""
    import secrets

    base = ArtSpec.from_text(description) if description else ArtSpec()
    spec = base.merged(character=who, hair=hair, outfit=outfit, expression=expression)
    traits = character_traits(spec)
    if not traits:
        raise typer.BadParameter("describe the character: a description, --who, --hair or --outfit")
    refs = [_load_photo(r) for r in ref or []]
    saved = _library().create_character(
        name,
        traits,
        style=_preset(style) or spec.style,
        engine=engine,
        seed=seed if seed is not None else secrets.randbelow(SEED_SPACE),
        refs=refs,
    )
    if as_json:
        _print_json(saved.__dict__ | {"refs": list(saved.refs)})
        return
    out_console.print(
        f"saved {saved.name} ({saved.id}): "
        + "; ".join(f"{k}: {v}" for k, v in saved.traits.items())
    )


@character_app.command("list")
@handles_errors
def character_list(as_json: JsonOpt = False) -> None:
    """List saved characters."""
    found = _library().characters()
    if as_json:
        _print_json([c.__dict__ | {"refs": list(c.refs)} for c in found])
        return
    table = Table("name", "traits", "style", "engine", "seed", "refs")
    for c in found:
        table.add_row(
            _escape(c.name),
            _escape("; ".join(f"{k}: {v}" for k, v in c.traits.items())),
            _escape(c.style or ""),
            _escape(c.engine or ""),
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
    library = _library()
    c = library.character(name)
    if as_json:
        _print_json(c.__dict__ | {"refs": list(c.refs)})
        return
    out_console.print(
        f"[bold]{_escape(c.name)}[/] ({c.id}) style {_escape(c.style or '-')} "
        f"engine {_escape(c.engine or '-')} seed {c.seed}"
    )
    for key, value in c.traits.items():
        out_console.print(f"  {key}: {_escape(value)}")
    _print_generations(library.find(character=c.name))


SHEET_EXPRESSIONS = ("calm", "smiling", "laughing", "surprised", "angry", "crying")


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
    """A character sheet: one character in several expressions, labelled, on one page."""
    from PIL import ImageDraw, ImageFont

    from sakuga.compose.sheet import contact_sheet
    from sakuga.imaging.metadata import save_image

    studio = Studio(_library())
    char = studio.library.character(name)
    images, ids = [], []
    for expression in SHEET_EXPRESSIONS[:count]:
        scene = ArtSpec.build(expression=expression, background="plain")
        plan = studio.create(
            scene, size=(512, 512), engine=engine or char.engine or "draw", character=char.name
        )
        made = studio.run(plan)
        ids += [g.id for g in made.generations]
        images.append(made.result.images[0])
    grid = contact_sheet(images, list(SHEET_EXPRESSIONS[:count]), columns=min(count, 3), cell=400)
    title_h = 70
    sheet = Image.new("RGB", (grid.width, grid.height + title_h), (24, 24, 30))
    sheet.paste(grid, (0, title_h))
    font = ImageFont.load_default(size=40)
    ImageDraw.Draw(sheet).text((16, 14), char.name, fill=(240, 240, 245), font=font)
    path = save_image(sheet, out.with_suffix(".png"))
    if as_json:
        _print_json({"path": str(path), "ids": ids, "character": char.name})
        return
    out_console.print(str(path))


@app.command()
@handles_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 7860,
    token: Annotated[
        str | None, typer.Option("--token", help="Require 'Authorization: Bearer TOKEN'.")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Jobs run at once (1 suits one GPU).",
            show_default=True,
        ),
    ] = 2,
    max_queued: Annotated[
        int,
        typer.Option("--max-queued", min=1, max=10_000, help="Jobs that may wait; more get 429."),
    ] = 32,
    max_megapixels: Annotated[
        float,
        typer.Option(
            "--max-megapixels",
            min=0.1,
            max=1000,
            help="Output megapixels (n × width × height) one job may ask for.",
        ),
    ] = 16.8,
    max_queued_megapixels: Annotated[
        float,
        typer.Option(
            "--max-queued-megapixels",
            min=1,
            max=100_000,
            help="Output megapixels all waiting jobs may ask for together; more get 429.",
        ),
    ] = 268.4,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A Host name clients use to reach this server (repeatable), e.g. the "
            "machine's address with --host 0.0.0.0 --token T.",
        ),
    ] = None,
    allowed_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-origin",
            help="Another web origin allowed to POST (repeatable), e.g. https://studio.example.",
        ),
    ] = None,
) -> None:
    """Start the web studio and the HTTP API (OpenAI-compatible under /v1)."""
    try:
        import uvicorn

        from sakuga.server.app import create_app
        from sakuga.server.security import ServerSettings, check_bind
    except ImportError:
        err_console.print(
            "[bold red]error:[/] the server needs its extra: pip install 'sakuga[server]'"
        )
        raise typer.Exit(1) from None
    settings = ServerSettings(
        host=host,
        port=port,
        token=token,
        workers=workers,
        max_queued=max_queued,
        max_job_pixels=int(max_megapixels * 1e6),
        max_queued_pixels=int(max_queued_megapixels * 1e6),
        extra_hosts=tuple(allowed_host or ()),
        extra_origins=tuple(allowed_origin or ()),
    )
    try:
        check_bind(settings)
    except ValueError as exc:
        err_console.print(f"[bold red]error:[/] {_escape(str(exc))}")
        raise typer.Exit(1) from None
    out_console.print(f"Sakuga studio on http://{host}:{port}/ (API docs: /docs)")
    # No X-Forwarded-* rewriting (nothing here reads the client's address, and a header
    # should not change it) and no Server header naming the stack.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,
        server_header=False,
        # SIGTERM: open event streams get 10 s, then the server stops (the job queue's
        # own grace period follows in the app's shutdown).
        timeout_graceful_shutdown=10,
    )


models_app = typer.Typer(help="Model files: list, pull (online), remove.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
@handles_errors
def models_list(
    as_json: JsonOpt = False,
    known: Annotated[
        bool, typer.Option("--known", help="Show the curated anime checkpoints to pull.")
    ] = False,
) -> None:
    """List the models in Sakuga's model folder (checked by content)."""
    from sakuga.engines.models import known_models, list_models
    from sakuga.settings import models_dir

    if known:
        entries = known_models()
        if as_json:
            _print_json(entries)
            return
        table = Table("name", "repo (sakuga models pull REPO)", "arch", "licence")
        for entry in entries:
            table.add_row(entry["name"], entry["repo"], entry["arch"], entry["licence"])
        out_console.print(table)
        out_console.print(f"[dim]checked {entries[0]['checked']}: read each model card[/]")
        return
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
    config: Annotated[
        bool,
        typer.Option(
            "--config",
            help="Only the repo's configs and tokenizers, for single-file checkpoints of "
            "its architecture (e.g. stable-diffusion-v1-5/stable-diffusion-v1-5).",
        ),
    ] = False,
) -> None:
    """Download a model into the model folder: a file (ONNX or safetensors only), or a
    whole diffusers repo without its pickle files."""
    from sakuga.engines.models import pull, pull_repo

    if config:
        out_console.print(str(pull_repo(source, config_only=True)))
        return
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
