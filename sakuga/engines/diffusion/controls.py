"""ControlNet for the diffusers engine: what the creator asked for, the models, the maps.

A request's ``controls`` option is a list of controls, each a mapping:

- ``kind``: the map, ``canny``, ``lineart`` or ``pose`` (`sakuga.imaging.control`);
- ``model``: the ControlNet, a diffusers folder (``config.json`` and safetensors
  weights) by path or by name in the model folder; SD 1.5 and SDXL ControlNets, and
  ControlNet-Union SDXL (one model for every kind, told which by ``control_mode``);
- ``weight`` (1.0), ``start`` (0.0) and ``end`` (1.0): the conditioning scale and the
  share of the steps it guides;
- ``image``: which of the request's ``control_images`` is this control's map; without
  it the map is made from the request's input image (a photo, or the image edited).

On the command line: ``--control KIND[:MODEL][:WEIGHT][:START-END]`` (repeatable; more
than one is multi-ControlNet) and ``--control-image PATH`` (the i-th for the i-th
control).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from PIL import Image

from sakuga.errors import ModelError, SpecError

#: ControlNet-Union SDXL's control modes, by the map kinds made here (its own table:
#: 0 openpose, 1 depth, 2 thick lines, 3 canny / line art / mlsd, 4 normal, 5 segment,
#: 6 tile, 7 repaint).
UNION_MODES: Final = {"pose": 0, "canny": 3, "lineart": 3}
#: The module names A1111's ControlNet extension writes for these maps.
A1111_MODULES: Final = {"canny": "canny", "lineart": "lineart_anime", "pose": "openpose"}

_RANGE = re.compile(r"^(\d*\.?\d+)-(\d*\.?\d+)$")


@dataclass(frozen=True)
class Control:
    """One ControlNet applied to a generation."""

    kind: str
    model: str
    weight: float = 1.0
    start: float = 0.0
    end: float = 1.0
    image: int | None = None  # index into the request's control images

    def as_option(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "model": self.model,
            "weight": self.weight,
            "start": self.start,
            "end": self.end,
        }
        if self.image is not None:
            data["image"] = self.image
        return data


def parse_control(text: str) -> Control:
    """``KIND[:MODEL][:WEIGHT][:START-END]`` as the CLI's ``--control`` takes it.

    After the kind, a number is the weight, ``a-b`` the range of steps, and anything
    else the model."""
    from sakuga.imaging.control import check_kind

    kind, *rest = text.split(":")
    check_kind(kind.strip())
    model, weight, start, end = "", 1.0, 0.0, 1.0
    for part in (p.strip() for p in rest):
        if span := _RANGE.match(part):
            start, end = float(span.group(1)), float(span.group(2))
        elif re.fullmatch(r"\d*\.?\d+", part):
            weight = float(part)
        elif part:
            model = part
    if not model:
        raise SpecError(
            f"--control {text!r} names no ControlNet model: KIND:MODEL[:WEIGHT][:START-END], "
            "the model a diffusers folder in the model folder or a path"
        )
    return checked(Control(kind.strip(), model, weight, start, end))


def checked(control: Control) -> Control:
    if not 0.0 <= control.weight <= 2.0:
        raise SpecError(f"a control's weight is 0 to 2, got {control.weight:g}")
    if not 0.0 <= control.start < control.end <= 1.0:
        raise SpecError(
            f"a control's range is START-END within 0-1, start before end, "
            f"got {control.start:g}-{control.end:g}"
        )
    return control


def controls_of(options: Mapping[str, Any], images: int) -> list[Control]:
    """The request's controls, checked (``images``: how many control images it holds)."""
    from sakuga.imaging.control import check_kind

    found = []
    for raw in options.get("controls") or ():
        if not isinstance(raw, Mapping) or not raw.get("kind") or not raw.get("model"):
            raise SpecError("each control needs a kind and a model")
        index = raw.get("image")
        if index is not None and not 0 <= int(index) < images:
            raise SpecError(f"control image {index} is not among the {images} given")
        found.append(
            checked(
                Control(
                    check_kind(str(raw["kind"])),
                    str(raw["model"]),
                    float(raw.get("weight", 1.0)),
                    float(raw.get("start", 0.0)),
                    float(raw.get("end", 1.0)),
                    None if index is None else int(index),
                )
            )
        )
    return found


@dataclass(frozen=True)
class ControlNetSource:
    """A ControlNet model on disk."""

    path: Path
    name: str
    union: bool

    def short_hash(self) -> str:
        """The hash A1111's ControlNet extension labels it with, ``name [hash]``: A1111's
        legacy 8-digit model hash (`legacy_hash`) of the weights file, "?" for none."""
        from sakuga.engines.diffusion.loading import legacy_hash

        weights = self.weights()
        return legacy_hash(weights) if weights else "?"

    def weights(self) -> Path | None:
        """The weights file: diffusers' own name in a ControlNet folder
        (``diffusion_pytorch_model.safetensors``), else its first safetensors (a
        variant such as ``.fp16.safetensors``)."""
        own = self.path / "diffusion_pytorch_model.safetensors"
        if own.is_file():
            return own
        found = sorted(self.path.glob("*.safetensors"))
        return found[0] if found else None


def resolve_controlnet(model: str) -> ControlNetSource:
    """The ControlNet folder ``model`` names, its weights checked by content."""
    from sakuga.engines.diffusion.loading import check_folder_weights
    from sakuga.engines.models import resolve_model

    path = resolve_model(model)
    config = path / "config.json"
    if not path.is_dir() or not config.is_file():
        raise ModelError(
            f"ControlNet {model!r}: not a diffusers ControlNet folder (config.json and "
            "safetensors weights) here or in the model folder"
        )
    check_folder_weights(path)  # pickles refused, by content
    if not list(path.glob("*.safetensors")):
        raise ModelError(f"ControlNet {model!r}: no .safetensors weights in {path}")
    try:
        class_name = str(json.loads(config.read_text())["_class_name"])
    except (OSError, ValueError, KeyError):
        raise ModelError(f"ControlNet {model!r}: unreadable config.json") from None
    if class_name not in ("ControlNetModel", "ControlNetUnionModel"):
        raise ModelError(f"ControlNet {model!r}: a {class_name}, not a ControlNet")
    return ControlNetSource(path, path.name, class_name == "ControlNetUnionModel")


def list_controlnets(folder: Path | None = None) -> list[str]:
    """The ControlNet folders in the model folder, by name (what ``--control`` takes)."""
    from sakuga.settings import models_dir

    root = folder or models_dir()
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        config = path / "config.json"
        if not path.is_dir() or not config.is_file():
            continue
        try:
            kind = json.loads(config.read_text()).get("_class_name")
        except (OSError, ValueError):
            continue
        if kind in ("ControlNetModel", "ControlNetUnionModel"):
            found.append(path.name)
    return found


def control_images(
    controls: Sequence[Control],
    given: Sequence[Image.Image],
    source: Image.Image | None,
    size: tuple[int, int],
) -> list[Image.Image]:
    """Each control's map at the generation size: the one given, or made from
    ``source`` (the request's input image)."""
    from sakuga.imaging.control import control_map

    maps = []
    for control in controls:
        if control.image is not None:
            made = given[control.image].convert("RGB")
        elif source is not None:
            made = control_map(source.convert("RGB"), control.kind)
        else:
            raise SpecError(
                f"the {control.kind} control needs a map: give --control-image, or start "
                "from a photo (make one with `sakuga control PHOTO --kind "
                f"{control.kind}`)"
            )
        maps.append(made.resize(size, Image.Resampling.LANCZOS))
    return maps


def infotext(controls: Sequence[Control], sources: Sequence[ControlNetSource]) -> dict[str, str]:
    """The controls as A1111's ControlNet extension records them: ``ControlNet 0:
    "Module: …, Model: NAME [hash], Weight: …, Guidance Start: …, Guidance End: …"``."""
    return {
        f"ControlNet {i}": (
            f"Module: {A1111_MODULES[c.kind]}, Model: {s.name} [{s.short_hash()}], "
            f"Weight: {c.weight:g}, Guidance Start: {c.start:g}, Guidance End: {c.end:g}"
        )
        for i, (c, s) in enumerate(zip(controls, sources, strict=True))
    }
