"""Find engines by name. Engines register under the ``sakuga.engines`` entry-point group.

Sakuga's own engines are listed in its ``pyproject.toml``; a third-party package
adds one with a line in its own::

    [project.entry-points."sakuga.engines"]
    myengine = "mypackage.engine:MyEngine"
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Final

from sakuga.engines.base import Engine, EngineRequest, Task
from sakuga.errors import EngineError, EngineUnavailableError, SpecError
from sakuga.settings import settings

GROUP: Final = "sakuga.engines"
#: Engines for tests only (``fake``: instant solid colours, a client-set delay). They
#: are registered, but served (by the CLI, the server, the workers) only where the test
#: setting asks for them, so no deployment offers them to a client.
TEST_ONLY_ENGINES: Final = frozenset({"fake"})


def _serves_test_engines() -> bool:
    return settings().test_engines


@cache
def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def engine_names() -> list[str]:
    """The names of every engine served here, sorted (test-only engines only under the
    test setting)."""
    names = sorted(_entry_points())
    if _serves_test_engines():
        return names
    return [n for n in names if n not in TEST_ONLY_ENGINES]


def check_engine_name(name: str) -> None:
    """Raise `SpecError` unless ``name`` is an engine served here: what a client or a
    saved character names is a name from this list, never a path ("../../x")."""
    if name not in engine_names():
        raise SpecError(f"unknown engine {name!r}; engines: {', '.join(engine_names())}")


def engine_class(name: str) -> type[Engine]:
    """The engine class registered as ``name`` (imported on first use)."""
    points = _entry_points()
    if name not in engine_names():  # registered and served here
        known = ", ".join(engine_names())
        raise EngineError(f"unknown engine {name!r}; registered engines: {known}")
    try:
        cls = points[name].load()
    except ImportError as exc:
        raise EngineUnavailableError(f"engine {name!r} cannot be imported: {exc}") from None
    if not (isinstance(cls, type) and issubclass(cls, Engine)):
        raise EngineError(f"entry point {name!r} is not a sakuga Engine subclass")
    return cls


def get_engine(name: str) -> Engine:
    """A new instance of the engine registered as ``name``."""
    return engine_class(name)()


def all_engines() -> list[Engine]:
    """One instance of every engine that imports."""
    engines = []
    for name in engine_names():
        try:
            engines.append(get_engine(name))
        except EngineError:
            continue
    return engines


def engines_here() -> list[tuple[Engine, bool, list[str]]]:
    """What this machine can run: each engine that is available, or lacks only a model
    and has some here, with whether it runs as it is (no model named) and the models it
    can load. An engine that merely names models (OpenAI's, with no key set) is not
    here: a job sent to it could only fail."""
    here = []
    for engine in all_engines():
        try:
            models = engine.models()
        except Exception:  # an engine that cannot list its models still runs jobs
            models = []
        ready = engine.availability()
        if ready.ok or (ready.needs_model and models):
            here.append((engine, ready.ok, models))
    return here


def best_engine(task: Task, request: EngineRequest | None = None) -> Engine:
    """The available engine with the highest priority for ``task`` (and ``request``)."""
    candidates = [
        e
        for e in all_engines()
        if e.priority >= 0 and e.supports(task) and e.availability(request).ok
    ]
    if not candidates:
        raise EngineUnavailableError(f"no engine available for {task}; see `sakuga engines`")
    return max(candidates, key=lambda e: e.priority)
