"""`sakuga serve`: the web studio and the HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer

from sakuga.cli.common import (
    app,
    err_console,
    escape_markup,
    handles_errors,
    out_console,
)
from sakuga.install import install_hint


@app.command()
@handles_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 7860,
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
    map_model: Annotated[
        list[str] | None,
        typer.Option(
            "--map-model",
            help="Serve an OpenAI model name with a Sakuga engine (repeatable): "
            "gpt-image-2=draw. Without it such a name is refused unless openai is set up.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No request log.")] = False,
    allowed_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-origin",
            help="Another web origin allowed to POST (repeatable), e.g. https://studio.example.",
        ),
    ] = None,
    queue: Annotated[
        str | None,
        typer.Option(
            "--queue",
            help="A broker URL (redis://:PASSWORD@HOST:6379/0): queue jobs for `sakuga "
            "worker` processes instead of generating here.",
        ),
    ] = None,
) -> None:
    """Start the web studio and the HTTP API (OpenAI-compatible under /v1)."""
    try:
        import uvicorn

        from sakuga.server.app import create_app
        from sakuga.server.security import ServerSettings, check_bind, uvicorn_config
    except ImportError:
        err_console.print(
            "[bold red]error:[/] the server needs its extra: "
            + escape_markup(install_hint("server"))
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
        model_map=_model_map(map_model or []),
        queue_url=queue,
    )
    try:
        check_bind(settings)
    except ValueError as exc:
        err_console.print(f"[bold red]error:[/] {escape_markup(str(exc))}")
        raise typer.Exit(1) from None
    if _in_use(host, port):
        free = next(
            (p for p in range(port + 1, min(port + 100, 65536)) if not _in_use(host, p)), None
        )
        instead = f"; try --port {free}" if free else ""
        err_console.print(f"[bold red]error:[/] port {port} is in use{instead}")
        raise typer.Exit(1)
    out_console.print(f"Sakuga studio on http://{host}:{port}/ (API docs: /docs)")
    config = uvicorn_config(
        create_app(settings),
        settings,
        log_level="warning" if quiet else "info",
        access_log=not quiet,  # one line per request: a caller's view of what happened
        # SIGTERM: open event streams get 10 s, then the server stops (the job queue's
        # own grace period follows in the app's shutdown).
        timeout_graceful_shutdown=10,
    )
    server = uvicorn.Server(config)
    server.run()
    if not server.started:  # the port was taken, or the app failed to start: said above
        raise typer.Exit(3)


def _in_use(host: str, port: int) -> bool:
    """Whether another process listens on ``host:port`` (bound as uvicorn binds: with
    SO_REUSEADDR, so a port left in TIME_WAIT by a previous run counts as free)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _model_map(items: list[str]) -> dict[str, str]:
    """``--map-model NAME=ENGINE[:MODEL]`` values as a mapping (a bad one: exit 2)."""
    from sakuga.engines.registry import engine_names

    mapping: dict[str, str] = {}
    for item in items:
        name, sep, target = item.partition("=")
        if not sep or not name.strip() or target.split(":")[0] not in engine_names():
            raise typer.BadParameter(
                f"--map-model takes NAME=ENGINE (engines: {', '.join(engine_names())}), "
                f"got {item!r}"
            )
        mapping[name.strip()] = target.strip()
    return mapping
