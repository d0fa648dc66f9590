"""Where Sakuga keeps things. Read from the environment when asked, never at import.

``SAKUGA_HOME``          the library folder (default: the user data folder)
``SAKUGA_DATABASE_URL``  the library database (default: SQLite in SAKUGA_HOME)
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def home() -> Path:
    """The folder that holds the library, its files and downloaded models."""
    configured = os.environ.get("SAKUGA_HOME")
    return (
        Path(configured).expanduser()
        if configured
        else Path(user_data_dir("sakuga", appauthor=False))
    )


def models_dir() -> Path:
    return home() / "models"


def database_url() -> str:
    return os.environ.get("SAKUGA_DATABASE_URL") or f"sqlite:///{home() / 'library.db'}"
