"""The models /v1 serves: what a request's ``model`` names, and the list a client reads."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Final

from sakuga.errors import ModelError
from sakuga.server.errors import OpenAIError


def engine_for(
    model: str | None,
    default: str,
    task: str,
    model_map: Mapping[str, str] | None = None,
) -> tuple[str, str | None]:
    """The Sakuga engine and engine model a request's ``model`` names; 400 when none can do it.

    ``toon`` names an engine; ``openai:gpt-image-1.5`` or ``diffusers:NAME`` an engine and
    its model; a GPT image model name goes to the ``openai`` engine when it is configured.
    When it is not, an OpenAI model name is refused (``model_not_found``) unless the
    operator mapped it to an engine (``sakuga serve --map-model gpt-image-2=draw``): a
    client asking for a model should not silently get another.
    """
    from sakuga.engines.base import Task
    from sakuga.engines.models import served_names
    from sakuga.engines.registry import engine_class, engine_names, get_engine

    if model is not None and not isinstance(model, str):
        raise OpenAIError(400, f"model must be a string, got {type(model).__name__}", "model")
    asked = model or default
    if model_map and asked in model_map:
        asked = model_map[asked]  # the operator's choice
    name, _, engine_model = asked.partition(":")
    chosen: str | None = engine_model or None
    if name.startswith(("gpt-image-", "chatgpt-image", "dall-e-")):
        openai_ok = "openai" in engine_names() and get_engine("openai").availability().ok
        if not openai_ok or name.startswith("dall-e-"):
            raise OpenAIError(
                400,
                f"model {name!r} is not served here (the openai engine is not configured); "
                f"models: {', '.join(engine_names())}, or map it: sakuga serve --map-model "
                f"{name}=draw",
                "model",
                code="model_not_found",
            )
        name, chosen = "openai", name
    if name not in engine_names():
        raise OpenAIError(
            400, f"unknown model {model!r}; models: {', '.join(engine_names())}", "model"
        )
    if Task(task) not in engine_class(name).tasks:
        raise OpenAIError(400, f"model {name!r} cannot do {task}", "model")
    if not chosen and not (available := get_engine(name).availability()).ok:
        raise OpenAIError(400, f"model {name!r} is not available here: {available.reason}", "model")
    if chosen and name != "openai" and chosen not in served_names():
        # Over HTTP a model is a name this server lists, never a path: a path would let a
        # client probe the file system (and opening the library's database file from
        # this process would cost the library its WAL).
        listed = ", ".join(f"{name}:{n}" for n in served_names()) or "none"
        pathlike = any(c in chosen for c in "/\\") or chosen.startswith((".", "~"))
        what = "a path" if pathlike else repr(chosen)
        raise OpenAIError(
            400,
            f"unknown model {what} for {name}: over HTTP a model is a name this server "
            f"lists, not a path; its models: {listed}",
            "model",
        )
    if chosen:
        try:
            get_engine(name).check_model(chosen)
        except ModelError as exc:
            raise OpenAIError(400, str(exc), "model") from None
    return name, chosen


#: When this server started: the ``created`` of a model that has no file of its own.
_STARTED: Final = int(time.time())


def model_list(model_map: Mapping[str, str]) -> list[dict[str, Any]]:
    """Every model a client may name, as the API's ``Model`` objects: each available
    engine, its models (``diffusers:NAME``; a GPT image model by its own name), and the
    names the operator mapped (``--map-model``). ``created`` is a model file's time,
    else this server's start."""
    from sakuga.engines.models import models_dir
    from sakuga.engines.registry import engines_here

    def entry(model_id: str, owner: str, created: int = _STARTED) -> dict[str, Any]:
        return {"id": model_id, "object": "model", "created": created, "owned_by": owner}

    folder = models_dir()
    listed: list[dict[str, Any]] = []
    for engine, whole, names in engines_here():
        if whole:  # an engine that needs a model is named with one (diffusers:NAME)
            listed.append(entry(engine.name, "sakuga"))
        for name in names:
            if engine.name == "openai":
                listed.append(entry(name, "openai"))
                continue
            path = folder / name
            created = int(path.stat().st_mtime) if path.exists() else _STARTED
            listed.append(entry(f"{engine.name}:{name}", "sakuga", created))
    known = {m["id"] for m in listed}
    listed += [entry(name, "sakuga") for name in model_map if name not in known]
    return listed
