"""How to install what is missing, said right for how Sakuga itself was installed.

Sakuga is not on PyPI yet, so ``pip install 'sakuga[server]'`` would fail (or fetch
somebody else's package). Installed from a checkout — ``pip install .`` or ``-e .``,
which record the folder in the distribution's ``direct_url.json`` (PEP 610) — the
hint names that folder; run from a source tree without installing, it names the
tree; installed from an index, it uses the published name.
"""

from __future__ import annotations

import importlib.util
import json
import shlex
from functools import cache
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse


@cache
def _source() -> str | None:
    """The checkout Sakuga was installed from, or None when it came from an index."""
    try:
        recorded = metadata.distribution("sakuga").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        recorded = None
    if recorded:
        url = str(json.loads(recorded).get("url", ""))
        if url.startswith("file://"):
            return unquote(urlparse(url).path)
    tree = Path(__file__).resolve().parent.parent
    return str(tree) if (tree / "pyproject.toml").is_file() else None


def install_hint(extra: str, *also: str) -> str:
    """The command that installs Sakuga's ``extra`` (and ``also`` packages)."""
    source = _source()
    target = f"{source}[{extra}]" if source else f"sakuga[{extra}]"
    return " ".join(["pip install", shlex.quote(target), *also])


def installed(*modules: str) -> bool:
    """Whether every top-level module in ``modules`` can be imported, decided without
    importing it (``find_spec`` reads the install, not the module): an engine's
    availability must not cost torch's and diffusers' seconds-long import."""
    return all(importlib.util.find_spec(name) is not None for name in modules)
