"""An image's recipe, as the library records it and every file embeds it: A1111's
parameters for other tools, and Sakuga's full request (plus facts about the result)
for `rerun`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sakuga.engines.base import EngineRequest, EngineResult
from sakuga.imaging.metadata import Recipe


def recipe_for(
    request: EngineRequest,
    result: EngineResult,
    index: int,
    inputs: Mapping[str, Any] | None = None,
) -> Recipe:
    """The recipe of image ``index`` of ``result``: the request's payload (input images
    by ``inputs``, their stored hashes, else by their pixels' digests) and facts about
    the image."""
    image = result.images[index]
    seed = result.seeds[index] if index < len(result.seeds) else None
    params: dict[str, Any] = {"Steps": result.params.get("Steps")}
    for key in ("Sampler", "CFG scale"):
        if key in result.params:
            params[key] = result.params[key]
    params["Seed"] = seed
    params["Size"] = f"{image.width}x{image.height}"
    params["Model"] = result.model or result.engine
    params.update({k: v for k, v in result.params.items() if k not in params})
    params["Engine"] = result.engine
    full = request.to_payload(inputs).as_json()
    full.pop(
        "forward", None
    )  # how the upstream was called and for whom: the job's, not the image's
    # The model as asked (a path or a name in the model folder) is what a re-run loads;
    # the engine's own name for it is in the parameters (Model).
    model = request.model or result.model
    full.update({"engine": result.engine, "model": model, "index": index, "seed": seed})
    if result.usage is not None:
        full["usage"] = result.usage
    if result.prompt is not None:
        full["engine_prompt"] = result.prompt
    if result.negative is not None:
        full["engine_negative_prompt"] = result.negative
    full.update(result.account())
    return Recipe(result.prompt or request.text, result.negative or request.negative, params, full)
