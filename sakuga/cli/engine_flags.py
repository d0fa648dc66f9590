"""The engines' option flags, made from what each engine declares (`Engine.option_fields`):
one flag per option, with the engine's range, for the engines that do a command's task.
An option is declared once, in its engine; the command line, the page's Advanced panel
and the engine's own checks all read that declaration."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Annotated, Any, TypeVar

import typer

from sakuga.engines.base import Setting, Task
from sakuga.engines.registry import engine_class, engine_names
from sakuga.errors import EngineError

F = TypeVar("F", bound=Callable[..., Any])

#: What a command gets when no engine flag was given.
NO_OPTIONS: Mapping[str, Any] = MappingProxyType({})

_TYPES: dict[str, Any] = {"int": int, "float": float, "bool": bool, "list": list[str]}
_METAVARS = {"int": "N", "float": "NUMBER", "text": "TEXT", "list": "TEXT", "choice": "NAME"}
#: A choice's values are written out in its metavar up to this many.
_SPELLED_CHOICES = 4


def settings_for(task: Task) -> list[tuple[Setting, list[str]]]:
    """Each option of the engines served here that do ``task``, with the engines that
    declare it: one setting per name, its range the loosest an engine takes (each
    engine checks its own again) and its choices every engine's."""
    merged: dict[str, tuple[Setting, list[str]]] = {}
    for name in engine_names():
        try:
            cls = engine_class(name)
        except EngineError:  # its package is missing: it declares nothing here
            continue
        if task not in cls.tasks:
            continue
        for setting in cls.option_fields:
            if setting.tasks is not None and task not in setting.tasks:
                continue
            known = merged.get(setting.name)
            merged[setting.name] = (
                (setting, [name])
                if known is None
                else (known[0].loosest(setting), [*known[1], name])
            )
    return list(merged.values())


def flag_of(setting: Setting) -> str:
    return "--" + (setting.flag or setting.name).replace("_", "-")


def _parameter(setting: Setting, engines: list[str]) -> inspect.Parameter:
    kind = setting.kind
    metavar = _METAVARS.get(kind, "TEXT")
    if kind == "choice" and len(setting.choices) <= _SPELLED_CHOICES:
        metavar = "|".join(setting.choices)
    help_text = f"{', '.join(engines)}: {setting.help}"
    if kind == "choice" and len(setting.choices) > _SPELLED_CHOICES:
        help_text += f" ({', '.join(setting.choices)})"
    if setting.default is not None:
        help_text += f" (default: {setting.default})"
    option = typer.Option(
        flag_of(setting),
        help=help_text,
        metavar=metavar,
        min=setting.minimum,
        max=setting.maximum,
        show_default=False,
    )
    value_type = _TYPES.get(kind, str)
    return inspect.Parameter(
        f"option_{setting.name}",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[value_type | None, option],
    )


def with_engine_flags(task: Task, *, leave: frozenset[str] = frozenset()) -> Callable[[F], F]:
    """A command gains a flag for each option of the engines that do ``task`` (but those
    in ``leave``, which it declares itself), placed before its ``--out``; it receives
    those given as ``engine_options``, by option name."""

    def decorate(command: F) -> F:
        fields = [(s, e) for s, e in settings_for(task) if s.name not in leave]
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "engine_options"]
        at = next((i for i, p in enumerate(own) if p.name == "out"), len(own))
        flags = [_parameter(s, e) for s, e in fields]
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {s.name: kwargs.pop(f"option_{s.name}", None) for s, _ in fields}
            options = {k: v for k, v in given.items() if v not in (None, [])}
            return command(*args, engine_options=options, **kwargs)

        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*own[:at], *flags, *own[at:]]
        )
        return wrapper  # type: ignore[return-value]

    return decorate
