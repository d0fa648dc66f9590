from __future__ import annotations

from importlib.metadata import entry_points

import pytest
from PIL import Image

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.registry import best_engine, engine_names, get_engine
from sakuga.errors import EngineError, MaskError, SpecError


def test_builtin_engines_are_registered_by_entry_point() -> None:
    names = {ep.name for ep in entry_points(group="sakuga.engines")}
    assert {"fake", "toon"} <= names
    assert {"fake", "toon"} <= set(engine_names())


def test_toon_is_the_default_for_photos() -> None:
    assert best_engine(Task.PHOTO_TO_ANIME).name == "toon"


def test_unknown_engine() -> None:
    with pytest.raises(EngineError, match="unknown engine 'nope'"):
        get_engine("nope")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"task": Task.TEXT_TO_IMAGE, "n": 0}, SpecError, "n must be between 1 and 10, got 0"),
        ({"task": Task.TEXT_TO_IMAGE, "n": 11}, SpecError, "got 11"),
        ({"task": Task.TEXT_TO_IMAGE, "size": (8, 8)}, SpecError, "between 16 and 8192"),
        ({"task": Task.PHOTO_TO_ANIME}, SpecError, "needs an input image"),
        (
            {"task": Task.MASKED_EDIT, "image": Image.new("RGB", (10, 10))},
            MaskError,
            "needs a mask",
        ),
        (
            {
                "task": Task.MASKED_EDIT,
                "image": Image.new("RGB", (10, 10)),
                "mask": Image.new("L", (9, 9), 255),
            },
            MaskError,
            "size of the image",
        ),
    ],
)
def test_request_is_checked_early(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        EngineRequest(**kwargs)  # type: ignore[arg-type]


def test_request_without_seed_gets_one_recorded() -> None:
    result = get_engine("fake").run(EngineRequest(Task.TEXT_TO_IMAGE, size=(16, 16)))
    assert isinstance(result.seeds[0], int)


def test_an_option_no_engine_reads_is_refused() -> None:
    from sakuga.engines.base import EngineRequest, Task, known_options
    from sakuga.engines.registry import get_engine
    from sakuga.errors import SpecError

    assert {"steps", "quality", "seam"} <= known_options()
    with pytest.raises(SpecError, match="unknown engine option 'stpes'"):
        get_engine("fake").run(EngineRequest(Task.TEXT_TO_IMAGE, options={"stpes": 4}))
    # An option another engine reads (a shared CLI flag) is no error.
    assert get_engine("fake").run(EngineRequest(Task.TEXT_TO_IMAGE, options={"steps": 4})).images


def test_every_option_field_is_an_option_its_engine_reads() -> None:
    from sakuga.engines.base import PROTOCOL_OPTIONS
    from sakuga.engines.registry import all_engines

    kinds = {"int", "float", "choice", "text", "list", "bool"}
    declared = 0
    for engine in all_engines():
        for field in engine.option_fields:
            declared += 1
            assert field.name in engine.options | PROTOCOL_OPTIONS, (engine.name, field.name)
            assert field.kind in kinds, (engine.name, field)
            assert (field.kind == "choice") == bool(field.choices), (engine.name, field)
            if field.default is not None and field.choices:
                assert field.default in field.choices, (engine.name, field)
            if field.minimum is not None and field.maximum is not None:
                assert field.minimum < field.maximum
        described = engine.describe()
        assert [f["name"] for f in described["option_fields"]] == [
            f.name for f in engine.option_fields
        ]
    assert declared >= 10


def test_choosing_an_engine_imports_no_heavy_library() -> None:
    """#32: with the AI extras installed, every command paid torch's and diffusers'
    import (about 4 s) to learn that no model was configured. Availability is decided
    from what is installed, not by importing it."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from sakuga.engines.base import Task\n"
        "from sakuga.engines.registry import all_engines, best_engine\n"
        "for engine in all_engines():\n"
        "    engine.availability()\n"
        "best_engine(Task.TEXT_TO_IMAGE)\n"
        "print(sorted(m for m in ('torch', 'diffusers', 'openai', 'onnxruntime') "
        "if m in sys.modules))\n"
    )
    env = {"HF_HUB_OFFLINE": "1", "SAKUGA_DIFFUSERS_MODEL": "", "OPENAI_API_KEY": ""}
    import os

    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"
