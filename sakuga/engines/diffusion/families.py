"""Model families: what each anime checkpoint family is and the settings its card asks for.

The table is data (``sakuga/engines/data/families.toml``), one row per family, each
citing its model card. A row says how the family is recognised (patterns over the
model's name, Civitai's file names included; names in its safetensors metadata;
marker keys in its state dict), its architecture and prediction type, its default
sampler, CFG, steps and clip skip, its training buckets, and its quality and negative
tags. Rows are tried in order; the first that matches wins.

The engine applies a row's settings where the request sets none (explicit options
always win) and records what it applied, so a recipe reads back to the same image.
"""

from __future__ import annotations

import json
import math
import re
import struct
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

from sakuga.errors import SpecError

Prediction = Literal["epsilon", "v_prediction"]

#: Names a safetensors file gives itself in its metadata (``modelspec.title`` and kin).
METADATA_NAME_KEYS: Final = (
    "modelspec.title",
    "modelspec.architecture",
    "ss_sd_model_name",
    "name",
    "title",
)


@dataclass(frozen=True)
class Family:
    """One model family's row of the table (see the module's docstring)."""

    name: str
    title: str = ""
    card: str = ""  # the model card the row's settings come from
    tags: bool = False  # Danbooru tags (True) or natural language
    arch: str | None = None  # "sd" or "sdxl"; None: any
    patterns: tuple[str, ...] = ()  # regexes over the normalised name (a-z0-9 only)
    keys: tuple[str, ...] = ()  # state-dict marker keys that identify the family
    prediction: Prediction = "epsilon"
    zero_snr: bool = False  # trained with zero terminal SNR (needs trailing spacing)
    sampler: str | None = None
    cfg: float | None = None
    steps: int | None = None
    clip_skip: int | None = None
    guidance_rescale: float | None = None
    buckets: tuple[tuple[int, int], ...] = ()
    quality: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    quality_first: bool = False  # Pony's score tags lead the prompt
    notes: str = ""
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def matches(self, names: list[str], keys: frozenset[str]) -> bool:
        """Whether a model with these (normalised) names and state-dict keys is of this
        family: a name pattern matches, or every marker key is there."""
        return self._named(names) or (bool(self.keys) and set(self.keys) <= keys)

    def _named(self, names: list[str]) -> bool:
        return any(re.search(p, n) for p in self.patterns for n in names)


def normalise(name: str) -> str:
    """A model name as patterns see it: lower case, letters and digits only
    (``animagineXLV31_v31`` → ``animaginexlv31v31``, ``animagine-xl-3.1`` → ``animaginexl31``)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _row(data: dict[str, Any]) -> Family:
    known = set(Family.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"families.toml: {data.get('name')}: unknown field {unknown[0]!r}")
    values = dict(data)
    for key in ("patterns", "keys", "quality", "negative"):
        values[key] = tuple(values.get(key, ()))
    values["buckets"] = tuple(tuple(b) for b in values.get("buckets", ()))
    return Family(**values)


@cache
def _table() -> dict[str, Any]:
    """The family table, read and parsed once."""
    text = resources.files("sakuga.engines").joinpath("data/families.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def families() -> tuple[Family, ...]:
    """The table's rows, in the order they are tried."""
    rows = tuple(_row(row) for row in _table()["family"])
    for row in rows:
        for pattern in row.patterns:
            re.compile(pattern)  # a bad pattern fails here, at first use, not mid-match
    return rows


@cache
def generic() -> dict[str, Family]:
    """The rows used when no family matches: ``tags``, ``natural`` and the bare
    architectures' buckets (``sd``, ``sdxl``)."""
    return {row["name"]: _row(row) for row in _table()["generic"]}


def recognise(
    model: str,
    arch: str | None = None,
    prompt_style: str | None = None,
    keys: frozenset[str] = frozenset(),
) -> Family:
    """The family of ``model`` (a name, folder or file, with its safetensors metadata
    and state-dict ``keys`` when given): the first row whose patterns or marker keys
    match and whose architecture agrees; else a generic row. ``prompt_style`` "natural"
    or "tags" chooses the dialect explicitly."""
    if prompt_style not in (None, "", "tags", "natural"):
        raise SpecError(f"prompt style must be tags or natural, got {prompt_style!r}")
    path = Path(model)
    names = [normalise(n) for n in (model, path.name, *metadata_names(path)) if n]
    for row in families():
        if row.arch and arch and row.arch != arch:
            continue
        if row.matches(names, keys):
            if prompt_style == "natural":
                return _natural(row)
            return row
    fallback = generic()["tags" if prompt_style == "tags" else "natural"]
    return _with_arch_buckets(fallback, arch)


def _natural(row: Family) -> Family:
    """A family's settings with the natural-language dialect (``--prompt-style natural``)."""
    return replace(row, tags=False, quality=(), negative=(), quality_first=False)


def _with_arch_buckets(row: Family, arch: str | None) -> Family:
    if arch is None or row.buckets:
        return row
    return replace(row, buckets=generic()[arch].buckets)


def metadata_names(path: Path) -> list[str]:
    """Names a safetensors file gives itself in its metadata, lower case."""
    meta = safetensors_header(path).get("__metadata__") or {}
    return [str(meta[k]).lower() for k in METADATA_NAME_KEYS if k in meta]


def safetensors_header(path: Path) -> dict[str, Any]:
    """A safetensors file's JSON header (tensor names, shapes, metadata), or {} for a
    path that is not one. Reads the header alone, never the weights."""
    if path.suffix.lower() != ".safetensors" or not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            (length,) = struct.unpack("<Q", handle.read(8))
            if length > 100_000_000:
                return {}
            header = json.loads(handle.read(length))
    except (OSError, ValueError, struct.error):
        return {}
    return header if isinstance(header, dict) else {}


def nearest_bucket(
    want: tuple[int, int], buckets: tuple[tuple[int, int], ...], native: int
) -> tuple[int, int]:
    """The training bucket nearest ``want``'s aspect (by log ratio). Buckets are listed
    at the family's own native size (the first, square, bucket's side); on a model of
    another ``native`` side they are scaled, in multiples of 8."""
    aspect = want[0] / want[1]
    width, height = min(buckets, key=lambda b: abs(math.log((b[0] / b[1]) / aspect)))
    reference = buckets[0][0]
    if native == reference:
        return width, height
    scale = native / reference
    return max(8, round(width * scale / 8) * 8), max(8, round(height * scale / 8) * 8)
