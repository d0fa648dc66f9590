from __future__ import annotations

from pathlib import Path

import pytest

import sakuga


def test_public_surface_is_what_it_claims() -> None:
    for name in sakuga.__all__:
        assert hasattr(sakuga, name), name
    assert sakuga.__version__
    assert {"ArtSpec", "critique", "EngineRequest", "Task", "get_engine", "open_image"} <= set(
        sakuga.__all__
    )


def test_engines_never_import_studio_or_server() -> None:
    import ast
    from pathlib import Path

    root = Path(sakuga.__file__).parent
    for path in (root / "engines").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(
                    ("sakuga.studio", "sakuga.server", "sakuga.cli")
                ), path


def test_every_data_file_ships_in_the_wheel() -> None:
    """A file the package reads at run time (the lexicon, price tables, the studio's
    pages) must match a package-data glob, or a plain `pip install .` lacks it."""
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text())
    globs = config["tool"]["setuptools"]["package-data"]["sakuga"]
    package = root / "sakuga"
    data = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert data, "no data files found"
    missing = [d for d in data if not any(fnmatch.fnmatch(d, g) for g in globs)]
    assert missing == []


def test_install_hints_name_the_checkout_sakuga_was_installed_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sakuga is not on PyPI: 'pip install sakuga[server]' would fail, so hints name the
    folder it was installed from, and the published name only for an index install."""
    import shlex

    from sakuga import install

    install._source.cache_clear()
    source = install._source()
    assert source is not None and (Path(source) / "pyproject.toml").is_file()
    assert install.install_hint("server") == "pip install " + shlex.quote(f"{source}[server]")
    monkeypatch.setattr(install, "_source", lambda: None)
    assert install.install_hint("diffusers", "torch") == "pip install 'sakuga[diffusers]' torch"


def test_every_module_level_import_is_a_declared_dependency() -> None:
    """`pip install .` must be enough to import every module outside the extras.

    A test run has the test extras installed, so a module-level import of a package
    only they bring passes every test and breaks the README's first command: `click`
    came in through uvicorn, and `import click` in the CLI failed on a fresh install.
    Modules under `sakuga/server/` may import the `server` extra (and starlette, which
    fastapi is built on); everything else imports extras lazily, inside functions.
    """
    import ast
    import re
    import sys
    import tomllib
    from importlib.metadata import packages_distributions

    root = Path(sakuga.__file__).parent
    project = tomllib.loads((root.parent / "pyproject.toml").read_text())["project"]

    def names(requirements: list[str]) -> set[str]:
        return {
            re.split(r"[^A-Za-z0-9_.-]", r, maxsplit=1)[0].lower().replace("_", "-")
            for r in requirements
        }

    core = names(project["dependencies"])
    server = core | names(project["optional-dependencies"]["server"]) | {"starlette"}
    distributions = packages_distributions()
    undeclared = []
    for path in sorted(root.rglob("*.py")):
        allowed = server if "server" in path.relative_to(root).parts[:1] else core
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in ("sakuga", "__future__"):
                    continue
                found = {d.lower().replace("_", "-") for d in distributions.get(top, [])}
                if not found & allowed:
                    undeclared.append(f"{path.relative_to(root)}: import {module} ({found})")
    assert undeclared == [], undeclared


def test_no_private_name_is_imported_across_modules() -> None:
    """A name a module keeps to itself (``_name``) is used only there: what another
    module needs is public, or lives where it is used (#33)."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "sakuga"
    crossing = [
        f"{path.relative_to(package)}: {node.module}.{alias.name}"
        for path in package.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sakuga")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert crossing == []
