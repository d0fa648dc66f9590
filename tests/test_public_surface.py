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
