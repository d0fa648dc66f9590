"""What an OpenAI client may send to /v1, and where each parameter goes (#35).

A request is taken as the client wrote it, checked, and every parameter is one of:

- Sakuga's own reading of the request: ``prompt``, ``model``, ``n``, ``size``, the
  images and the mask (`sakuga.server.v1`);
- how the answer comes back (`sakuga.server.openai_output`): ``output_format``,
  ``output_compression``, ``background``, ``quality``, ``stream``, ``partial_images``;
- a setting of the engine, recorded in the recipe: ``moderation``, ``complexity`` and
  ``input_fidelity`` shape what the ``openai`` engine asks its model for. An engine
  without that setting takes the API's default (``moderation=auto``) and refuses any
  other value by name: it has nothing to apply it to;
- forwarded to the upstream API as given and never recorded: ``user`` and
  ``safety_identifier`` (whom the picture is for), and whether the upstream call
  streams. The offline engines call no one, so these identify the end user to no one;
- refused by name: the retired DALL·E ``style``, and outputs not served here (GIF
  frames, SVG, a markup overlay).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sakuga.engines.openai_api import COMPLEXITIES, END_USER_IDS, FIDELITIES, MODERATION
from sakuga.server.errors import OpenAIError
from sakuga.server.openai_output import Output

#: The output options, every endpoint but variations.
_OUTPUT_KEYS: Final = frozenset(
    {"output_format", "output_compression", "background", "quality", "stream", "partial_images"}
)
GENERATION_KEYS: Final = frozenset(
    {"prompt", "model", "n", "size", "response_format", "moderation", "complexity",
     *END_USER_IDS, *_OUTPUT_KEYS}
)  # fmt: skip
EDIT_KEYS: Final = frozenset(
    {"image", "image[]", "mask", "prompt", "model", "n", "size", "response_format",
     "complexity", "input_fidelity", *END_USER_IDS, *_OUTPUT_KEYS}
)  # fmt: skip
VARIATION_KEYS: Final = frozenset(
    {"image", "model", "n", "size", "response_format", "user", "output_format",
     "output_compression", "background"}
)  # fmt: skip

#: Parameters the SDK sends that are refused by name, and why.
_NOT_SERVED: Final[Mapping[str, str]] = {
    "style": "style belongs to the retired DALL·E models; say the style in the prompt",
    "frame_count": "GIF output is not served here (output_format: png, jpeg or webp)",
    "frame_duration_ms": "GIF output is not served here (output_format: png, jpeg or webp)",
    "svg": "SVG output is not served here (output_format: png, jpeg or webp)",
    "markup": "a markup overlay is not served here; send a mask to mark what to change",
}

#: The engine settings a client may send: their values, and the API's default (the one
#: value an engine without the setting takes).
_ENGINE_SETTINGS: Final[Mapping[str, tuple[frozenset[str], str | None]]] = {
    "moderation": (MODERATION, "auto"),
    "complexity": (COMPLEXITIES, None),
    "input_fidelity": (FIDELITIES, None),
}

#: Longest end-user id taken (a hash of a user name or e-mail is 64 hex digits).
_MAX_ID: Final = 256


def check_keys(given: Any, allowed: frozenset[str]) -> None:
    """400 naming the first parameter this endpoint does not take: one not served here
    with its reason (``unsupported_parameter``), else any other (``unknown_parameter``)."""
    keys = sorted(str(k) for k in given)
    for key in keys:
        if key in _NOT_SERVED:
            raise OpenAIError(400, _NOT_SERVED[key], key, code="unsupported_parameter")
    unknown = [k for k in keys if k not in allowed]
    if unknown:
        raise OpenAIError(
            400,
            f"unknown parameter {unknown[0][:40]!r}; this endpoint takes: "
            f"{', '.join(sorted(allowed))}",
            unknown[0][:40],
            code="unknown_parameter",
        )


def engine_options(fields: Mapping[str, Any], output: Output, engine: str) -> dict[str, Any]:
    """What of a request the engine itself reads: the output's quality and background,
    and the engine settings a client sent (checked, and refused by name when the engine
    has no such setting and the value is not the API's default)."""
    from sakuga.engines.registry import engine_class

    takes = engine_class(engine).options
    options: dict[str, Any] = {}
    if output.quality != "auto":
        options["quality"] = output.quality
    if output.transparent:
        options["background"] = "transparent"
    elif output.background == "opaque" and engine == "openai":  # the API's own value
        options["background"] = "opaque"
    for name, (values, default) in _ENGINE_SETTINGS.items():
        value = fields.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or value not in values:
            raise OpenAIError(
                400,
                f"{name} must be one of {', '.join(sorted(values))}",
                name,
                code="invalid_value",
            )
        if name in takes:
            options[name] = value
        elif value != default:
            raise OpenAIError(
                400,
                f"model {engine!r} does not take {name} (the openai engine does); "
                + (f"send {default} or leave it out" if default else "leave it out"),
                name,
                code="unsupported_parameter",
            )
    return options


def forwarded(fields: Mapping[str, Any], output: Output, engine: str) -> dict[str, Any]:
    """The client's own arguments for the upstream call (`EngineRequest.forward`): whom
    the picture is for, and whether and how the call streams, exactly as the client's
    did. Only the ``openai`` engine calls an upstream; the ids are checked for all."""
    ids: dict[str, Any] = {}
    for name in END_USER_IDS:
        value = fields.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > _MAX_ID:
            raise OpenAIError(
                400, f"{name} must be a string of at most {_MAX_ID} characters", name,
                code="invalid_value",
            )  # fmt: skip
        if value:
            ids[name] = value
    if engine != "openai":
        return {}
    return {**ids, "stream": output.stream, "partial_images": output.partial_images}
