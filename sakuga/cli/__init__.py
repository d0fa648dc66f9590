"""The `sakuga` command.

Exit codes: 0 success, 1 a runtime error (one clear line on stderr; the traceback
only with ``--debug``), 2 a usage error.

The commands live in one module per group: `make` (anime, create, edit, export, compare,
rerun, vary), `describe` (prompt, styles, uses, engines, info), `library`, `characters`,
`sets`, `serve`, `worker`, `models`; `common` holds what they share, `outputs` writes files.
"""

from __future__ import annotations

# Importing the command modules registers their commands on `app`, in this order.
# isort: off
from sakuga.cli import make  # noqa: F401
from sakuga.cli import describe  # noqa: F401
from sakuga.cli import library  # noqa: F401
from sakuga.cli import characters  # noqa: F401
from sakuga.cli import sets  # noqa: F401
from sakuga.cli import serve  # noqa: F401
from sakuga.cli import worker  # noqa: F401
from sakuga.cli import models  # noqa: F401

# isort: on
from sakuga.cli.common import app, err_console, out_console

__all__ = ["app", "err_console", "main", "out_console"]


def main() -> None:
    """Entry point of the `sakuga` console script."""
    app()


if __name__ == "__main__":
    main()
