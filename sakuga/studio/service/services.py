"""What a front end works with, built once per process: the library, the studio service
over it (with the engines this process runs them with) and, in a server, its job queue.
The server's lifespan builds one `Services` and its routes get the parts through
dependencies (`sakuga.server.deps`); a CLI command builds one with `Services.open`.
Nothing else constructs a `Studio` for a front end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sakuga.engines.base import Engine
from sakuga.engines.registry import get_engine
from sakuga.studio.jobs.base import JobQueue
from sakuga.studio.library.library import Library
from sakuga.studio.service.studio import Studio


@dataclass(frozen=True)
class Services:
    library: Library
    studio: Studio
    queue: JobQueue | None = None  # a server's; a CLI command runs its plans itself

    @classmethod
    def open(
        cls,
        library: Library | None = None,
        *,
        engines: Callable[[str], Engine] = get_engine,
        queue: JobQueue | None = None,
    ) -> Services:
        """The services over ``library`` (default: the one `SAKUGA_HOME` names), with
        ``engines`` making the engines that the studio's own work runs on."""
        library = library or Library.open()
        return cls(library, Studio(library, engines=engines), queue)
