from __future__ import annotations

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
