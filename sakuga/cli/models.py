"""`sakuga models …`: list, pull, remove."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sakuga.cli.common import (
    JsonOpt,
    app,
    escape_markup,
    handles_errors,
    out_console,
    print_json,
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
            print_json(entries)
            return
        table = Table("name", "repo (sakuga models pull REPO)", "arch", "licence")
        for entry in entries:
            table.add_row(entry["name"], entry["repo"], entry["arch"], entry["licence"])
        out_console.print(table)
        out_console.print(f"[dim]checked {entries[0]['checked']}: read each model card[/]")
        return
    found = list_models()
    if as_json:
        print_json(
            [{"name": m.name, "path": str(m.path), "size": m.size, "kind": m.kind} for m in found]
        )
        return
    if not found:
        out_console.print(f"no models in {models_dir()}")
        return
    table = Table("model", "kind", "size")
    for m in found:
        table.add_row(m.name, escape_markup(m.kind), f"{m.size / 1e6:.1f} MB")
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
