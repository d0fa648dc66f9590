"""An image file run again from the recipe it carries (#35): Sakuga's own request, or
the settings A1111 or ComfyUI wrote (`sakuga.imaging.metadata.read_recipe`), as a plan
for the ``diffusers`` engine.

Another tool's image is made again with its settings, not its pixels: each tool draws
its starting noise its own way, so the same seed gives another picture. What the
recipe names and Sakuga does not apply is said (`Replay.not_replayed`), never dropped
in silence; what a rerun cannot do without (a checkpoint, a sampler Sakuga has, the
input image of an image-to-image graph) is refused with what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from PIL import Image

from sakuga.engines.base import Task
from sakuga.errors import SpecError
from sakuga.imaging.metadata import Recipe, read_recipe
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.limits import MAX_PROMPT_LENGTH, MAX_SEED

if TYPE_CHECKING:
    from sakuga.studio.service.studio import Plan, Studio

#: A1111's parameter names → the diffusers engine's options, and the type each takes.
_SETTINGS: Final = {
    "Steps": ("steps", int),
    "CFG scale": ("cfg", float),
    "Clip skip": ("clip_skip", int),
    "Hires upscale": ("hires", float),
    "Hires steps": ("hires_steps", int),
}
#: What a recipe says about its image rather than how to make it (or what is read
#: elsewhere here): nothing to replay.
_FACTS: Final = frozenset(
    {"Seed", "Size", "Model", "Model hash", "Lora hashes", "TI hashes", "Version", "Source",
     "Sampler", "Schedule type", "Lora", "Denoising strength", "Engine"}
)  # fmt: skip


@dataclass(frozen=True)
class Replay:
    plan: Plan
    #: ``"Key: value"`` of each setting the recipe names that the rerun does not apply.
    not_replayed: list[str] = field(default_factory=list)


def replay(studio: Studio, image: Image.Image) -> Replay:
    """The plan that makes ``image`` again from its recipe."""
    from sakuga.studio.service.studio import Plan

    recipe = read_recipe(image)
    if recipe is None:
        raise SpecError("no recipe in this image: nothing to run again")
    if recipe.request is not None:  # Sakuga's own: the request as it was
        request = studio.library.request_from_json(recipe.request)
        return Replay(Plan(request, recipe.request.get("engine")))
    return _from_parameters(recipe)


def _from_parameters(recipe: Recipe) -> Replay:
    """A1111's or ComfyUI's settings as a plan for the diffusers engine."""
    from sakuga.engines.base import EngineRequest
    from sakuga.studio.service.studio import Plan

    params = recipe.params
    options: dict[str, Any] = {}
    for key, (option, kind) in _SETTINGS.items():
        if key in params:
            options[option] = _number(params[key], key, kind)
    options["sampler"] = _sampler(params)
    strength = params.get("Denoising strength")
    if strength is not None:
        if "hires" not in options:
            raise SpecError(
                f"this image was made from another image (denoising strength {strength}), "
                "which its file does not hold: run `sakuga anime` or `sakuga edit` on that "
                "image instead"
            )
        options["hires_strength"] = _number(strength, "Denoising strength", float)
    prompt = recipe.prompt + "".join(f" <lora:{name}:{weight}>" for name, weight in _loras(params))
    if not prompt.strip():
        raise SpecError("the recipe holds no prompt: nothing to run again")
    head = prompt[:MAX_PROMPT_LENGTH]  # the parts are read from the start; all is sent
    spec = ArtSpec.from_text(head).model_copy(update={"negative": recipe.negative_prompt or None})
    request = EngineRequest(
        Task.TEXT_TO_IMAGE,
        spec=spec,
        size=_size(params.get("Size")),
        seed=_seed(params.get("Seed")),
        prompt=prompt,
        model=_checkpoint(params.get("Model")),
        options=options,
    )
    skipped = [f"{k}: {v}" for k, v in params.items() if k not in _SETTINGS and k not in _FACTS]
    return Replay(Plan(request, "diffusers"), skipped)


def _number(value: Any, key: str, kind: type[int] | type[float]) -> int | float:
    try:
        return kind(float(value))
    except (TypeError, ValueError):
        raise SpecError(f"the recipe's {key} is not a number: {str(value)[:40]!r}") from None


def _sampler(params: dict[str, Any]) -> str:
    """The recipe's sampler by Sakuga's name for it (A1111's names; a newer A1111's
    separate ``Schedule type: Karras`` folded in)."""
    from sakuga.engines.diffusion.samplers import SAMPLERS

    name = str(params.get("Sampler") or "Euler a").strip()
    if str(params.get("Schedule type", "")).lower() == "karras" and "karras" not in name.lower():
        name += " Karras"
    found = SAMPLERS.get(name.lower())
    if found is None:
        names = ", ".join(s.name for s in SAMPLERS.values())
        raise SpecError(
            f"the recipe's sampler {name!r} is not one Sakuga has; its samplers: {names}"
        )
    return found.name


def _loras(params: dict[str, Any]) -> list[tuple[str, str]]:
    """ComfyUI's LoRA loaders (``Lora: name:0.7, other:1``) as A1111's prompt tags
    take them; an A1111 prompt has its tags in its text already."""
    loras = []
    for item in str(params.get("Lora") or "").split(","):
        name, _, weight = item.strip().rpartition(":")
        if name:
            loras.append((name, weight or "1"))
    return loras


def _size(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*x\s*(\d+)\s*", str(value))
    if match is None:
        raise SpecError(f"the recipe's size is not WIDTHxHEIGHT: {str(value)[:40]!r}")
    return int(match[1]), int(match[2])


def _seed(value: Any) -> int | None:
    if value is None:
        return None
    seed = int(_number(value, "Seed", int))
    if not 0 <= seed <= MAX_SEED:
        raise SpecError(
            f"the recipe's seed {seed} is outside Sakuga's seeds (0 to {MAX_SEED}); "
            "make it with a seed of your own: sakuga create … --seed N"
        )
    return seed


def _checkpoint(value: Any) -> str:
    """The checkpoint by its name in the model folder: where the image names one that
    is not there, what to put where."""
    from sakuga.engines.models import checkpoint_names, models_dir

    name = str(value or "").strip()
    if not name:
        raise SpecError("the recipe names no checkpoint (Model): nothing to run it with")
    if name not in checkpoint_names():
        raise SpecError(
            f"this image was made with the checkpoint {name!r}, which is not in the model "
            f"folder ({models_dir()}): put {name}.safetensors there (sakuga models list "
            "shows what is)"
        )
    return name
