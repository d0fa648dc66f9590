"""`sakuga worker`: run jobs from a distributed queue on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from sakuga.cli.common import app, handles_errors, out_console


@app.command()
@handles_errors
def worker(
    queue: Annotated[
        str | None,
        typer.Option(
            "--queue",
            help="The broker URL the servers use (redis://:PASSWORD@HOST:6379/0; default: "
            "SAKUGA_QUEUE_URL).",
        ),
    ] = None,
    listen: Annotated[
        list[str] | None,
        typer.Option(
            "--listen",
            help="Only these queues (sakuga.any, sakuga.ENGINE; repeatable; default: "
            "sakuga.any and every engine ready here).",
        ),
    ] = None,
) -> None:
    """Run jobs from a distributed queue on this machine (one process per GPU); the
    library is the one SAKUGA_DATABASE_URL and SAKUGA_STORAGE_URL name."""
    from sakuga.settings import settings
    from sakuga.studio.jobs.celery_worker import run_worker, worker_queues
    from sakuga.studio.library.library import Library

    url = queue or settings().queue_url
    if not url:
        raise typer.BadParameter(
            "give the broker's URL or set SAKUGA_QUEUE_URL", param_hint="--queue"
        )
    queues = listen or worker_queues()
    out_console.print(f"Sakuga worker on {', '.join(queues)}")
    run_worker(url, Library.open(), queues)
