"""A grid: one idea tried across styles, uses, engines, models, seeds, saved characters,
engine options or prompt words at once, as A1111's X/Y/Z plot (#38).

An axis is a name and its values (``style=cute,cyberpunk``, ``seed=1-3``,
``cfg=5,7,9``, ``prompt=red scarf|blue scarf``). Each cell of the grid is what the same
action would make alone with the axes' values in its arguments: a front end builds a
cell's plan from an `Ask` by its one path for the action, so a cell is pixel-identical
to the single command. Every cell is recorded as a generation of its own; the grid is
one more, a layout (engine ``compose``, model ``grid``) whose recipe keeps the axes and
its cells' ids, so a rerun redoes every cell and lays them out again.

The first axis runs across (columns), the second down (rows), the third in blocks.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

from sakuga.engines.base import EngineRequest, EngineResult, Setting, check_options
from sakuga.errors import SpecError
from sakuga.prompt.limits import MAX_SEED
from sakuga.prompt.reactions import get_reaction

if TYPE_CHECKING:
    from PIL import Image

    from sakuga.studio.library.library import Generation
    from sakuga.studio.service.studio import Plan

MAX_AXES: Final = 3
MAX_AXIS_VALUES: Final = 12
#: The most cells a grid has (each one image): a 6×6 grid; the per-job pixel cap of a
#: server applies to all of them together.
MAX_GRID_CELLS: Final = 36
#: The axes every action names the same way; any other name is an engine option's.
NAMED_AXES: Final = (
    "style",
    "use",
    "engine",
    "model",
    "seed",
    "character",
    "prompt",
    "reaction",
    "panel",
)
#: Other names people use for an axis (A1111's "checkpoint", "sampler name").
_ALIASES: Final = {
    "checkpoint": "model",
    "ckpt": "model",
    "styles": "style",
    "seeds": "seed",
    "characters": "character",
    "prompt_s/r": "prompt",
    "sr": "prompt",
    "sampler_name": "sampler",
    "cfg_scale": "cfg",
}
#: Which actions each named axis applies to.
_ACTIONS: Final = {
    "style": ("create", "anime"),
    "use": ("create", "anime"),
    "character": ("create",),
    "prompt": ("create", "edit"),
    "reaction": ("create",),
    "panel": ("story",),  # a story's panels (#37): not a grid's axis
}
#: A seed range, "1-4" (inclusive).
_RANGE: Final = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


@dataclass(frozen=True)
class Ask:
    """What a person asked of an action, in the words an axis changes. A front end
    builds each cell's plan from one, by the same path as the action alone."""

    prompt: str = ""
    style: str | None = None
    use: str | None = None
    seed: int | None = None
    engine: str | None = None
    model: str | None = None
    characters: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    reaction: str | None = None  # a sticker's (`sakuga.prompt.reactions`)
    panel: str | None = None  # a story's panel, its number (`sakuga.prompt.story`)


@dataclass(frozen=True)
class Axis:
    """One axis: a name (a named axis or an engine option) and its values, typed (an
    int seed, an option's number), with ``texts`` as the person wrote them."""

    name: str
    values: tuple[Any, ...]
    texts: tuple[str, ...]

    def apply(self, ask: Ask, index: int) -> Ask:
        """``ask`` with this axis at its ``index``-th value."""
        value = self.values[index]
        if self.name == "prompt":
            return replace(ask, prompt=_words(self.values[0]).sub(value, ask.prompt))
        if self.name == "character":
            return replace(ask, characters=(value,))
        if self.name == "reaction":  # its expression and gesture, as prompt lines
            lines = get_reaction(value).lines()
            prompt = f"{ask.prompt}\n{lines}" if ask.prompt.strip() else lines
            return replace(ask, prompt=prompt, reaction=value)
        if self.name in NAMED_AXES:
            return replace(ask, **{self.name: value})
        return replace(ask, options={**ask.options, self.name: value})

    def label(self, index: int) -> str:
        """The value as a grid's header shows it: the words, with the option's name
        for a number ("cfg 7"); a seed as "seed 3"."""
        text = self.texts[index]
        if self.name in ("seed", "panel") or self.name not in NAMED_AXES:
            return f"{self.name} {text}"
        return text

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "values": list(self.texts)}


def parse_axis(text: str) -> Axis:
    """An axis as written, ``NAME=V1,V2,…`` (values split at ``|`` when there is one,
    so a value may hold commas: ``prompt=red, long scarf|blue scarf``). Raises
    `SpecError` for an unknown name or a value that axis cannot take."""
    name, sep, rest = text.partition("=")
    if not sep or not name.strip():
        raise SpecError(f"a grid axis is NAME=V1,V2 (style=cute,cyberpunk), got {text!r}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    texts = tuple(v.strip() for v in rest.split("|" if "|" in rest else ","))
    if any(not v for v in texts):
        raise SpecError(f"grid axis {key}: an empty value in {rest!r}")
    return make_axis(key, texts)


def make_axis(key: str, texts: tuple[str, ...], most: int = MAX_AXIS_VALUES) -> Axis:
    """Axis ``key`` (a named axis or an engine option) over the values ``texts``,
    checked and typed; at most ``most`` of them (a set may take more than a grid)."""
    if key == "seed":
        return _seed_axis(texts)
    if len(texts) > most:
        raise SpecError(f"grid axis {key}: at most {most} values, got {len(texts)}")
    if key == "prompt" and len(texts) < 2:
        raise SpecError(
            "grid axis prompt: the words to find, then what replaces them "
            "(prompt=red scarf|blue scarf)"
        )
    values = _typed(key, texts)
    if len({repr(v) for v in values}) != len(values):
        raise SpecError(f"grid axis {key}: two values are the same ({', '.join(texts)})")
    return Axis(key, values, texts)


def _words(text: str) -> re.Pattern[str]:
    """``text`` as whole words: "red" replaces red, not the red of "bored"."""
    start = r"(?<![\w])" if text[:1].isalnum() else ""
    end = r"(?![\w])" if text[-1:].isalnum() else ""
    return re.compile(start + re.escape(text) + end)


def _seed_axis(texts: tuple[str, ...]) -> Axis:
    seeds: list[int] = []
    for text in texts:
        found = _RANGE.match(text)
        if found:
            low, high = int(found[1]), int(found[2])
            if high < low:
                raise SpecError(f"grid axis seed: the range {text!r} runs backwards")
            if high - low >= MAX_AXIS_VALUES:
                raise SpecError(
                    f"grid axis seed: {text!r} is {high - low + 1} seeds; an axis has at "
                    f"most {MAX_AXIS_VALUES}"
                )
            seeds.extend(range(low, high + 1))
        elif text.isdigit():
            seeds.append(int(text))
        else:
            raise SpecError(f"grid axis seed: {text!r} is not a seed (0–{MAX_SEED}) or a range")
    if any(s > MAX_SEED for s in seeds):
        raise SpecError(f"grid axis seed: a seed is 0–{MAX_SEED}")
    if len(set(seeds)) != len(seeds):
        raise SpecError("grid axis seed: a seed is given twice")
    if len(seeds) > MAX_AXIS_VALUES:
        raise SpecError(
            f"grid axis seed: {len(seeds)} seeds; an axis has at most {MAX_AXIS_VALUES}"
        )
    return Axis("seed", tuple(seeds), tuple(str(s) for s in seeds))


def _typed(key: str, texts: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of axis ``key`` checked and typed, as the action's flag would take them."""
    from sakuga.engines.registry import check_engine_name
    from sakuga.prompt.styles import get_style
    from sakuga.prompt.uses import get_use

    if key == "style":
        return tuple(get_style(t).name for t in texts)
    if key == "use":
        return tuple(get_use(t).name for t in texts)
    if key == "reaction":
        return tuple(get_reaction(t).name for t in texts)
    if key == "engine":
        for text in texts:
            check_engine_name(text)
        return texts
    if key in NAMED_AXES:  # model, character, prompt: checked where they are used
        return texts
    setting = option_setting(key)
    values = tuple(_option_value(setting, t) for t in texts)
    for value in values:
        check_options({key: value})
    return values


def option_setting(name: str) -> Setting:
    """The engine option ``name`` as every engine that declares it takes it together."""
    from sakuga.engines.base import declared_settings

    found = declared_settings().get(name)
    if found is None:
        named = ", ".join(NAMED_AXES)
        raise SpecError(
            f"unknown grid axis {name!r}: an axis is one of {named}, or an engine option "
            f"({', '.join(sorted(declared_settings()))})"
        )
    return found


def _option_value(setting: Setting, text: str) -> Any:
    kind = setting.kind
    try:
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
    except ValueError:
        raise SpecError(f"grid axis {setting.name}: {text!r} is not a number") from None
    if kind == "bool":
        if text.lower() in ("true", "yes", "on", "1"):
            return True
        if text.lower() in ("false", "no", "off", "0"):
            return False
        raise SpecError(f"grid axis {setting.name}: {text!r} is not true or false")
    if kind == "choice" and setting.choices and text not in setting.choices:
        raise SpecError(
            f"grid axis {setting.name}: {text!r} is not one of {', '.join(setting.choices)}"
        )
    if kind == "list":
        return [text]
    return text


def check_axes(
    axes: Sequence[Axis], action: str, ask: Ask, most_cells: int = MAX_GRID_CELLS
) -> None:
    """Raise `SpecError` unless ``axes`` make a grid of ``action`` from ``ask``: one to
    three axes, each once, each one the action takes, and at most ``most_cells`` cells
    (`MAX_GRID_CELLS` for a grid)."""
    if not axes:
        raise SpecError("a grid needs an axis (style=cute,cyberpunk)")
    if len(axes) > MAX_AXES:
        raise SpecError(f"a grid has at most {MAX_AXES} axes, got {len(axes)}")
    names = [a.name for a in axes]
    if len(set(names)) != len(names):
        raise SpecError("a grid axis is given twice")
    for axis in axes:
        takes = _ACTIONS.get(axis.name)
        if takes is not None and action not in takes:
            raise SpecError(f"grid axis {axis.name}: {action} does not take it")
        if axis.name == "prompt" and axis.values[0] not in ask.prompt:
            raise SpecError(
                f"grid axis prompt: {axis.values[0]!r} is not in the prompt; its first "
                "value is the words each other value replaces"
            )
        if axis.name == "character" and ask.characters:
            raise SpecError(
                "grid axis character: a character is set already (--character); drop one"
            )
        given = ask.options.get(axis.name) if axis.name not in NAMED_AXES else None
        if axis.name in ("style", "use", "seed", "engine", "model"):
            given = getattr(ask, axis.name)
        if given is not None:
            raise SpecError(
                f"grid axis {axis.name}: {axis.name} is set already ({given}); the axis "
                "would replace it in every cell: drop one"
            )
    cells = math.prod(len(a.values) for a in axes)
    if cells > most_cells:
        raise SpecError(f"this grid has {cells} cells; a grid has at most {most_cells}")


def cell_indices(axes: Sequence[Axis]) -> list[tuple[int, ...]]:
    """Every cell's value indices, one per axis, the first axis running fastest
    (across a row, then down, then the next block)."""
    ranges = [range(len(a.values)) for a in reversed(axes)]
    return [tuple(reversed(combo)) for combo in itertools.product(*ranges)]


@dataclass(frozen=True)
class Cell:
    """One cell: its value indices on the axes, and the plan that makes it."""

    at: tuple[int, ...]
    plan: Plan


@dataclass(frozen=True)
class Grid:
    """The cells of a grid and its axes: what a grid's plan runs and lays out."""

    axes: tuple[Axis, ...]
    cells: tuple[Cell, ...]
    #: What the grid is made as: None (a grid), or a set's kind ("stickers", #37).
    kind: str | None = None
    #: What a set keeps beside its axes (a story's script, layout and title).
    data: Mapping[str, Any] = field(default_factory=dict)

    def labels(self, at: tuple[int, ...]) -> list[str]:
        return [axis.label(i) for axis, i in zip(self.axes, at, strict=True)]

    def count(self) -> int:
        return len(self.cells)

    def as_json(self) -> dict[str, Any]:
        """The grid's definition, as its job and its recipe keep it."""
        axes = {"axes": [a.as_json() for a in self.axes]}
        return axes if self.kind is None else {**axes, "set": self.kind, **self.data}


def grid_cells(
    axes: Sequence[Axis],
    action: str,
    ask: Ask,
    plan_for: Callable[[Ask], Plan],
    seed: int,
    most_cells: int = MAX_GRID_CELLS,
) -> Grid:
    """A grid of ``action``: each cell planned by ``plan_for`` (the front end's one path
    for the action) from ``ask`` with the axes' values. A cell whose plan has no seed
    takes ``seed``, the same in every cell, so cells differ only by their axes. Raises
    `SpecError` before any work for a bad axis, a cell that would make more than one
    image, or one its action refuses."""
    check_axes(axes, action, ask, most_cells)
    cells: list[Cell] = []
    for at in cell_indices(axes):
        cell_ask = ask
        for axis, index in zip(axes, at, strict=True):
            cell_ask = axis.apply(cell_ask, index)
        plan = plan_for(cell_ask)
        if plan.request.n != 1:
            raise SpecError(
                f"a grid's cells are one image each, not {plan.request.n}: "
                "try a seed axis (seed=1-4) for more versions"
            )
        if plan.request.seed is None:
            plan = replace(plan, request=replace(plan.request, seed=seed))
        cells.append(Cell(at, plan))
    return Grid(tuple(axes), tuple(cells))


def is_grid(gen: Generation) -> bool:
    """Whether a library generation is a grid's layout."""
    return gen.engine == "compose" and gen.model == "grid"


def read_axes(data: Sequence[Mapping[str, Any]]) -> tuple[Axis, ...]:
    """A recorded grid's axes back from its recipe (``Grid.as_json``'s): checked when
    made, so as many values as it has (a set's may be more than a grid's)."""
    axes = []
    for a in data:
        values = tuple(str(v) for v in a["values"])
        axes.append(make_axis(str(a["name"]), values, most=len(values)))
    return tuple(axes)


def grid_request(grid: Grid, first: EngineRequest, ids: Sequence[str]) -> EngineRequest:
    """The request a grid's layout is recorded with: its first cell's (its task, words
    and inputs, but no style or use), with the axes and each cell's generation id and
    place for options."""
    cells = [
        {"at": list(cell.at), "id": gen_id} for cell, gen_id in zip(grid.cells, ids, strict=True)
    ]
    # The grid's own row names no style or use: its cells may each have another.
    spec = first.spec.model_copy(update={"style": None, "use": None})
    return replace(
        first, spec=spec, seed=None, options={"grid": {**grid.as_json(), "cells": cells}}
    )


def lay_out(grid: Grid, images: Sequence[Image.Image]) -> EngineResult:
    """The grid's layout of its cells' ``images`` (one each, in cell order), labelled;
    a set's, its members four across, each named."""
    from sakuga.compose.sheet import contact_sheet, grid_sheet

    axes = grid.axes
    if grid.kind is not None:
        labels = [" · ".join(grid.labels(cell.at)) for cell in grid.cells]
        sheet = contact_sheet(images, labels, columns=min(4, len(images)))
        return EngineResult(images=[sheet], engine="compose", model="grid", seeds=[None])
    sheet = grid_sheet(
        images,
        columns=[axes[0].label(i) for i in range(len(axes[0].values))],
        rows=[axes[1].label(i) for i in range(len(axes[1].values))] if len(axes) > 1 else [],
        blocks=[axes[2].label(i) for i in range(len(axes[2].values))] if len(axes) > 2 else [],
        names=[a.name for a in axes],
    )
    return EngineResult(images=[sheet], engine="compose", model="grid", seeds=[None])
