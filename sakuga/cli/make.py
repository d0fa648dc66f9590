"""Commands that make images: anime, create, edit, export, compare, rerun, vary."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from sakuga.cli.common import (
    ControlImageOpt,
    ControlOpt,
    CountOpt,
    EngineOpt,
    FormatOpt,
    GridOpt,
    IdArg,
    JsonOpt,
    ModelOpt,
    OutOpt,
    SeedOpt,
    SizeOpt,
    StyleOpt,
    UseOpt,
    VectorFormatOpt,
    app,
    checked_flag,
    command_studio,
    control_options,
    err_console,
    escape_markup,
    grid_axes,
    handles_errors,
    load_photo,
    open_library,
    out_console,
    preset_name,
    print_json,
    run_and_save,
    set_options,
)
from sakuga.cli.engine_flags import NO_OPTIONS, with_engine_flags
from sakuga.cli.library import verdict_mark
from sakuga.cli.outputs import IMAGE_SUFFIXES, check_writable, unused_path, write_results
from sakuga.engines.base import Task
from sakuga.engines.registry import engine_class
from sakuga.errors import DirectiveError, SpecError
from sakuga.imaging.io import open_image
from sakuga.imaging.samples import is_sample
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.limits import MAX_IMAGES
from sakuga.prompt.parse import check_prompt_length
from sakuga.prompt.uses import USES, get_use, parse_size
from sakuga.studio.service.grid import Ask
from sakuga.studio.service.studio import Plan

#: Why -n goes with no --grid.
_ONE_EACH = "a grid's cells are one image each: for more versions add a seed axis (seed=1-4)"


@app.command()
@handles_errors
@with_engine_flags(Task.PHOTO_TO_ANIME)
def anime(
    photo: Annotated[
        str,
        typer.Argument(
            help="Photo file (PNG/JPEG/WEBP), or sample:NAME (astronaut, hopper, cat, "
            "camera, coffee, rocket, motorcycle)."
        ),
    ],
    count: CountOpt = 1,
    seed: SeedOpt = None,
    style: StyleOpt = None,
    use: UseOpt = None,
    size: SizeOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    control: ControlOpt = None,
    control_image: ControlImageOpt = None,
    grid: GridOpt = None,
    out: OutOpt = Path("sakuga-out"),
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    engine_options: Mapping[str, Any] = NO_OPTIONS,
) -> None:
    """Turn a photo into anime art that stays recognizable (--grid: across styles…)."""
    controls, maps = control_options(control, control_image)
    studio = command_studio()
    picture = load_photo(photo)

    def plan_for(ask: Ask) -> Plan:
        return studio.anime(
            picture,
            ArtSpec.build(style=preset_name(ask.style), use=ask.use, count=count, seed=ask.seed),
            size=parse_size(size) if size else None,
            engine=ask.engine,
            model=ask.model,
            options={**ask.options, **set_options(controls=controls)},
            control_images=maps,
        )

    ask = Ask("", style, use, seed, engine, model, (), engine_options)
    if grid and count > 1:
        raise typer.BadParameter(_ONE_EACH, param_hint="-n")
    if grid:
        plan = studio.grid(grid_axes(grid, "anime", ask), "anime", ask, plan_for)
    else:
        plan = plan_for(ask)
    run_and_save(studio, plan, out, fmt, as_json)


@app.command()
@handles_errors
@with_engine_flags(Task.TEXT_TO_IMAGE, leave=frozenset({"strength"}))
def create(
    text: Annotated[
        str,
        typer.Argument(
            help="What to make: a prompt, free text or 'part: value' lines.",
            callback=checked_flag(check_prompt_length),
        ),
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
        list[str] | None,
        typer.Option(
            "--character",
            help="A saved character: its traits, style and seed; repeat for up to 3 in "
            "one scene, each drawn as themselves.",
        ),
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
    control: ControlOpt = None,
    control_image: ControlImageOpt = None,
    grid: GridOpt = None,
    out: OutOpt = Path("sakuga-out"),
    fmt: VectorFormatOpt = None,
    as_json: JsonOpt = False,
    engine_options: Mapping[str, Any] = NO_OPTIONS,
) -> None:
    """Make anime art from a prompt (offline, the draw engine draws it).

    seed:, count:, negative:, style: and use: lines in the prompt act like the flags;
    a flag given explicitly wins. --grid tries it across styles, seeds, options…
    """
    if not text.strip():
        raise typer.BadParameter("the prompt is empty: say what to make", param_hint="TEXT")
    controls, maps = control_options(control, control_image)
    studio = command_studio()

    def plan_for(ask: Ask) -> Plan:
        try:
            parsed = ArtSpec.from_text(ask.prompt)
        except DirectiveError as exc:
            raise typer.BadParameter(str(exc), param_hint="TEXT") from None
        spec = parsed.merged(
            style=preset_name(ask.style), use=ask.use, seed=ask.seed, count=count, negative=negative
        )
        plan = studio.create(
            spec,
            size=parse_size(size) if size else None,
            engine=ask.engine,
            model=ask.model,
            character=list(ask.characters),
            options={**ask.options, **set_options(controls=controls)},
            control_images=maps,
        )
        return studio.draft(plan, draft_with, strength) if draft_with else plan

    ask = Ask(text, style, use, seed, engine, model, tuple(character or ()), engine_options)
    if grid and count is not None and count > 1:
        raise typer.BadParameter(_ONE_EACH, param_hint="-n")
    if grid:
        plan = studio.grid(grid_axes(grid, "create", ask), "create", ask, plan_for)
    else:
        plan = plan_for(ask)
    if plan.engine is None and studio.engine_for(plan) == "draw" and not as_json:
        err_console.print(
            "[dim]no AI engine is configured: drawing offline with the draw engine[/]"
        )
    run_and_save(studio, plan, out, fmt, as_json)


@app.command()
@handles_errors
@with_engine_flags(Task.MASKED_EDIT)
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
    control: ControlOpt = None,
    control_image: ControlImageOpt = None,
    grid: GridOpt = None,
    out: OutOpt = Path("sakuga-out"),
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    engine_options: Mapping[str, Any] = NO_OPTIONS,
) -> None:
    """Change only the masked region; every pixel outside it stays as it was."""
    controls, maps = control_options(control, control_image)
    studio = command_studio()
    a_file = Path(source).is_file() or is_sample(source)
    picture, painted = (load_photo(source) if a_file else None), open_image(mask)

    def plan_for(ask: Ask) -> Plan:
        return studio.edit(
            painted,
            ArtSpec.from_text(ask.prompt),
            image=picture,
            parent=None if a_file else source,
            seed=ask.seed,
            engine=ask.engine,
            model=ask.model,
            options={**ask.options, **set_options(controls=controls)},
            control_images=maps,
        )

    ask = Ask(prompt_text, None, None, seed, engine, model, (), engine_options)
    if grid:
        plan = studio.grid(grid_axes(grid, "edit", ask), "edit", ask, plan_for)
    else:
        plan = plan_for(ask)
    cells = [c.plan for c in plan.grid.cells] if plan.grid else [plan]
    for chosen in dict.fromkeys(studio.engine_for(p) for p in cells):
        if not engine_class(chosen).edit_follows_prompt:
            # As the page says it: the prompt is not read, so the creator is not misled.
            err_console.print(
                f"note: {chosen} repaints the masked area in its own style and does not read "
                "the prompt; draw (on pictures it drew), diffusers and openai draw what it says"
            )
    run_and_save(studio, plan, out, fmt, as_json)


def _export_use(name: str) -> None:
    if get_use(name).name == "sheet":
        raise SpecError(
            "a character sheet is not exported: make one with `sakuga character sheet NAME`"
        )


@app.command()
@handles_errors
def export(
    source: Annotated[str, typer.Argument(help="A library id, or an image file.")],
    use: Annotated[
        str,
        typer.Option(
            "--for",
            help=f"The use: {', '.join(u for u in USES if u != 'sheet')}.",
            callback=checked_flag(_export_use),
        ),
    ],
    title: Annotated[
        str | None, typer.Option("--title", help="Title, set large (Latin and Japanese).")
    ] = None,
    subtitle: Annotated[
        str | None, typer.Option("--subtitle", help="A smaller line by the title.")
    ] = None,
    credits: Annotated[
        str | None, typer.Option("--credits", help="Small print at the foot.")
    ] = None,
    font: Annotated[
        str | None,
        typer.Option("--font", help="sans-bold, sans, gothic-jp, or a .ttf/.otf font file."),
    ] = None,
    out: Annotated[Path, typer.Option("-o", "--out", help="Output file.")] = Path("export.png"),
    as_json: JsonOpt = False,
) -> None:
    """Lay art out for its use: size, crop around faces, typeset title, subtitle, credits."""
    check_writable(out)  # before the work: a bad -o fails at once
    a_file = Path(source).is_file() or is_sample(source)
    done = command_studio().export(
        use,
        parent=None if a_file else source,
        image=load_photo(source) if a_file else None,
        title=title,
        subtitle=subtitle,
        credits=credits,
        font=font,
    )
    layout, recorded = done.layout, [done.generation]
    saved = write_results(done.request, done.result, out, ids=[g.id for g in recorded])
    preview_path = None
    if layout.preview is not None:
        written = saved[0].path
        preview_path = unused_path(written.with_name(f"{written.stem}-circle.png"))
        layout.preview.save(preview_path)
    for warning in layout.warnings:
        err_console.print(f"[yellow]warning:[/] {escape_markup(warning)}")
    if as_json:
        print_json(
            {
                "images": [saved[0].as_dict()],
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
def compare(
    gen_ids: Annotated[list[str], typer.Argument(help="Generation ids to put side by side.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="The contact sheet (.png).")] = Path(
        "compare.png"
    ),
    columns: Annotated[
        int | None,
        typer.Option("--columns", min=1, max=20, help="Images per row (default: a square grid)."),
    ] = None,
) -> None:
    """A labelled contact sheet of generations (id, engine, style, seed, verdict)."""
    from sakuga.compose.sheet import contact_sheet
    from sakuga.imaging.metadata import save_image

    check_writable(out.with_suffix(".png"))
    library = open_library()
    gens = [library.get(i) for i in gen_ids]
    images = [library.image(g.id) for g in gens]
    labels = [
        # The label's id is one a person can type back: its shortest unique prefix.
        f"{library.short_id(g.id)} {g.engine} {g.style or ''} s{g.seed} {verdict_mark(g)}".strip()
        for g in gens
    ]
    sheet = contact_sheet(images, labels, columns=columns)
    out_console.print(str(save_image(sheet, unused_path(out.with_suffix(".png")))))


@app.command()
@handles_errors
def rerun(
    gen_id: Annotated[
        str,
        typer.Argument(
            help="A generation id (see `sakuga library list`), or an image file that "
            "carries a recipe: Sakuga's, A1111's or ComfyUI's."
        ),
    ],
    out: OutOpt = Path("sakuga-out"),
    as_json: JsonOpt = False,
) -> None:
    """Run a generation's request again (deterministic engines give identical pixels),
    or an image's recipe (another tool's settings on the diffusers engine)."""
    studio = command_studio()
    path = Path(gen_id)
    if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
        from sakuga.imaging.io import decode_image, normalise_mode, read_image_bytes

        data, name = read_image_bytes(path)
        again = studio.replay(normalise_mode(decode_image(data, name)))
        for skipped in again.not_replayed:
            err_console.print(f"[yellow]not replayed:[/] {escape_markup(skipped)}")
        run_and_save(studio, again.plan, out, None, as_json)
        return
    run_and_save(studio, studio.rerun(gen_id), out, None, as_json)


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
    studio = command_studio()
    run_and_save(studio, studio.vary(gen_id, count=count, seed=seed), out, None, as_json)


@app.command()
@handles_errors
def control(
    photo: Annotated[str, typer.Argument(help="A photo file, or sample:astronaut / sample:cat.")],
    kind: Annotated[
        str, typer.Option("--kind", help="canny, lineart or pose (OpenPose's skeleton).")
    ] = "lineart",
    out: Annotated[Path, typer.Option("-o", "--out", help="The map (.png).")] = Path("control.png"),
) -> None:
    """Write a ControlNet map of a photo, to inspect or to pass back with --control-image."""
    from sakuga.imaging.control import check_kind, control_map
    from sakuga.imaging.metadata import save_image

    check_kind(kind)  # before the photo is read
    check_writable(out.with_suffix(".png"))
    made = control_map(load_photo(photo), kind)
    out_console.print(str(save_image(made, unused_path(out.with_suffix(".png")))))
