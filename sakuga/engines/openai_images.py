"""The `openai` engine: GPT Image models through the OpenAI Images API.

Text → image goes to ``images.generate``; photo → anime, masked edits and text →
image with reference pictures go to ``images.edit``. What the models get wrong,
Sakuga fixes on its side:

- sizes: the use's exact size is made from the closest size the model allows
  (any multiple of 16 for the gpt-image-2 family, three fixed sizes for older
  models), then cropped and resized;
- masked edits repaint the whole frame, so the protocol pastes the original back
  outside the mask (`Engine.run`), and the input is padded rather than stretched
  to the model's size so the edit lands exactly where the mask is;
- no seed: the recipe stores the full request and the model's reply (size,
  quality, usage) instead of pretending a seed exists.

Settings (environment): ``OPENAI_API_KEY`` (required), ``OPENAI_BASE_URL`` (read by
the SDK), ``SAKUGA_OPENAI_MODEL`` (default ``gpt-image-2``), ``SAKUGA_OPENAI_TIMEOUT``
seconds per request (default 300), ``SAKUGA_OPENAI_RETRIES`` (default 2; the SDK
backs off and honours ``Retry-After`` / ``retry-after-ms``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from PIL import Image

from sakuga.engines.base import (
    Availability,
    Engine,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    Setting,
    Task,
    wants_previews,
)
from sakuga.engines.openai_api import (
    COMPLEXITIES,
    DEFAULT_MODEL,
    END_USER_IDS,
    FIDELITIES,
    HIGH_FIDELITY_MODELS,
    MAX_INPUT_IMAGES,
    MAX_PROMPT,
    MODERATION,
    OUTPUT_FORMATS,
    QUALITIES,
    Framed,
    api_mask,
    api_size,
    check_model,
    frame_for_api,
    png_file,
    unframe,
)
from sakuga.engines.openai_replies import send_reply
from sakuga.engines.prices import estimate_cost
from sakuga.errors import (
    EngineRequestError,
)
from sakuga.imaging.faces import find_faces
from sakuga.imaging.geometry import crop_box_for_aspect, union_box
from sakuga.install import install_hint, installed
from sakuga.prompt.attention import plain_text
from sakuga.prompt.members import Layout, layout
from sakuga.settings import settings

if TYPE_CHECKING:
    import openai

DEFAULT_TIMEOUT: Final = 300.0
DEFAULT_RETRIES: Final = 2


@dataclass(frozen=True)
class OpenAISettings:
    """The engine's settings, read from the environment when the engine runs."""

    api_key: str | None
    model: str
    timeout: float
    retries: int

    @classmethod
    def from_env(cls) -> OpenAISettings:
        """The engine's part of Sakuga's settings (`sakuga.settings`), with its defaults."""
        current = settings()
        return cls(
            api_key=current.openai_api_key,
            model=current.openai_model or DEFAULT_MODEL,
            timeout=DEFAULT_TIMEOUT if current.openai_timeout is None else current.openai_timeout,
            retries=int(
                DEFAULT_RETRIES if current.openai_retries is None else current.openai_retries
            ),
        )


#: GPT image qualities, cheapest first after "auto".
QUALITY_ORDER: Final = ("auto", "low", "medium", "high", "xhigh", "max")


class OpenAIEngine(Engine):
    name = "openai"
    title = "OpenAI GPT Image (needs OPENAI_API_KEY)"
    #: ``complexity`` and ``input_fidelity`` come from OpenAI clients on /v1 (no field on
    #: the page: the API's own defaults serve a creator).
    options = frozenset(
        {"quality", "moderation", "output_format", "background", "complexity", "input_fidelity"}
    )
    option_fields = (
        Setting(
            "quality",
            "choice",
            "Quality",
            "higher costs more and takes longer",
            choices=tuple(q for q in QUALITY_ORDER if q in QUALITIES),
            default="auto",
        ),
        Setting(
            "moderation",
            "choice",
            "Moderation",
            "OpenAI's content filter",
            choices=("auto", "low"),
            default="auto",
        ),
        Setting(
            "background",
            "choice",
            "Background",
            "transparent: the subject alone",
            choices=("auto", "transparent"),
            default="auto",
        ),
    )

    def models(self) -> list[str]:
        return [DEFAULT_MODEL, *HIGH_FIDELITY_MODELS]

    tasks = frozenset({Task.TEXT_TO_IMAGE, Task.PHOTO_TO_ANIME, Task.MASKED_EDIT, Task.VARIATION})
    edit_follows_prompt = True
    references = True
    deterministic = False
    seeded = False  # GPT image models take no seed
    priority = (
        7  # above draw for prompts when a key is set; the offline toon stays first for photos
    )

    def __init__(self, settings: OpenAISettings | None = None) -> None:
        self._settings = settings

    @property
    def settings(self) -> OpenAISettings:
        return self._settings or OpenAISettings.from_env()

    def availability(self, request: EngineRequest | None = None) -> Availability:
        if not installed("openai"):
            return Availability.no(f"the openai package is missing: {install_hint('openai')}")
        if not self.settings.api_key:
            return Availability.no("OPENAI_API_KEY is not set")
        return Availability.yes()

    def check_model(self, model: str) -> None:
        check_model(model)

    def model_for(self, request: EngineRequest) -> str:
        return check_model(request.model or self.settings.model)

    def _client(self) -> openai.OpenAI:
        import openai

        settings = self.settings
        # The SDK reads OPENAI_BASE_URL itself; retries and timeout are Sakuga's settings.
        return openai.OpenAI(
            api_key=settings.api_key, timeout=settings.timeout, max_retries=settings.retries
        )

    def _generate(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        model = self.model_for(request)
        call = OpenAICall.plan(request, model)
        progress(Progress(0, request.n, f"asking {model} for {request.n} image(s)"))
        reply = send_reply(self._client(), call, request.n, progress, _partials(request, progress))
        images = [_take_back(img, call) for img in reply.images]
        progress(Progress(request.n, request.n, "done"))
        usage = dict(reply.usage) if reply.usage else {}
        cost = estimate_cost(model, usage)
        if cost is not None:
            usage["estimated_cost_usd"] = cost
        params: dict[str, Any] = {
            "Steps": None,
            "Quality": reply.quality or call.args.get("quality", "auto"),
            "API size": reply.size or call.args["size"],
        }
        if "input_fidelity" in call.args:
            params["Input fidelity"] = call.args["input_fidelity"]
        return EngineResult(
            images=images,
            engine=self.name,
            model=model,
            seeds=[None] * len(images),
            params=params,
            usage=usage or None,
            prompt=call.args["prompt"],
            dialect="natural",
        )


@dataclass
class OpenAICall:
    """One API call: which endpoint, its arguments and input files, and the framing."""

    endpoint: str  # "generate" or "edit"
    args: dict[str, Any]
    canvas: tuple[int, int]
    framed: Framed | None

    @classmethod
    def plan(cls, request: EngineRequest, model: str) -> OpenAICall:
        options = request.options
        canvas = api_size(model, request.output_size)
        prompt = _prompt(request)
        if len(prompt) > MAX_PROMPT:
            raise EngineRequestError(
                f"prompt: {len(prompt)} characters, more than the API's {MAX_PROMPT}"
            )
        args: dict[str, Any] = {
            "model": model,
            "prompt": prompt,
            "n": request.n,
            "size": f"{canvas[0]}x{canvas[1]}",
            "output_format": _choice(options, "output_format", OUTPUT_FORMATS, "png"),
        }
        if quality := _choice(options, "quality", QUALITIES, None):
            args["quality"] = quality
        if complexity := _choice(options, "complexity", COMPLEXITIES, None):
            args["complexity"] = complexity
        args |= {k: v for k, v in request.forward.items() if k in END_USER_IDS}
        transparent = request.spec.use == "sticker" or options.get("background") == "transparent"
        if transparent:
            if args["output_format"] == "jpeg":
                raise EngineRequestError("background: transparent needs png or webp output")
            args["background"] = "transparent"
        elif options.get("background") == "opaque":
            args["background"] = "opaque"
        references = list(request.references)
        framed = None
        if request.task is Task.TEXT_TO_IMAGE and not references:
            if moderation := _choice(options, "moderation", MODERATION, None):
                args["moderation"] = moderation
            return cls("generate", args, canvas, None)
        inputs: list[Image.Image] = []
        if request.image is not None:
            source = request.image
            if request.task is Task.PHOTO_TO_ANIME:
                source = _crop_to_aspect(source, request.output_size)
            framed = frame_for_api(_rgb_or_rgba(source), canvas)
            inputs.append(framed.image)
            if fidelity := _choice(options, "input_fidelity", FIDELITIES, None):
                args["input_fidelity"] = fidelity  # a client's, as it asked
            elif model.startswith(HIGH_FIDELITY_MODELS) and request.task is Task.PHOTO_TO_ANIME:
                args["input_fidelity"] = "high"  # keeps facial features
        inputs.extend(_rgb_or_rgba(r) for r in references)
        if len(inputs) > MAX_INPUT_IMAGES:
            raise EngineRequestError(
                f"image: {len(inputs)} input images, the API takes at most {MAX_INPUT_IMAGES}"
            )
        args["image"] = [png_file(img, f"image-{i}.png") for i, img in enumerate(inputs)]
        if request.task is Task.MASKED_EDIT:
            assert request.mask is not None and framed is not None and request.image is not None
            mask = api_mask(request.mask, request.image.size)
            # The mask goes through the same framing as the image, so the two line up
            # exactly (the padding is cropped off the answer again).
            args["mask"] = png_file(frame_for_api(mask, canvas).image, "mask.png")
        return cls("edit", args, canvas, framed)


def _partials(request: EngineRequest, progress: ProgressCallback) -> int | None:
    """How many partial images to stream the call for; None: not streamed. An OpenAI
    client's call streams exactly when the client's did (#35); Sakuga's own stream when
    someone watches previews."""
    forward = request.forward
    if "stream" in forward:
        return int(forward.get("partial_images") or 0) if forward["stream"] else None
    return 2 if wants_previews(progress) else None


def _choice(
    options: Mapping[str, Any], key: str, allowed: frozenset[str], default: str | None
) -> str | None:
    value = options.get(key)
    if value is None:
        return default
    text = str(value).lower()
    if text not in allowed:
        raise EngineRequestError(
            f"{key}: must be one of {', '.join(sorted(allowed))}, got {value!r}"
        )
    return text


def _prompt(request: EngineRequest) -> str:
    """The prompt for the task. GPT image models take no negative prompt, so the things
    to avoid are said in words. GPT image models read natural language: A1111 weighting
    syntax in the person's text is reduced to its plain words, nothing else is changed."""
    spec = request.spec
    if request.prompt and request.task in (Task.TEXT_TO_IMAGE, Task.MASKED_EDIT):
        # A client's prompt (an OpenAI-compatible call) goes upstream as the client wrote
        # it: no words of Sakuga's around it, no negative prompt appended (#35).
        return request.prompt
    words = plain_text(request.text)
    if request.task is Task.PHOTO_TO_ANIME:
        style = spec.preset
        look = style.prompt[0] if style else "clean modern anime illustration"
        text = (
            f"Redraw this photo as {look}. Keep every person recognizable: the same face "
            "shape, eye shape and colour, hairstyle and hair colour, skin tone, expression, "
            "pose, clothing and framing. Anime line art with cel shading."
        )
        if request.prompt or spec.parts():
            text += f" {words}."
    elif request.task is Task.MASKED_EDIT:
        text = (
            f"Change only the transparent region of the mask: {words}. Match the "
            "existing art style, line weight, colours and lighting so no edge shows."
        )
    elif request.task is Task.VARIATION:
        text = f"A new version of this anime picture, same layout and colours: {words}"
    else:
        laid = None if request.prompt else layout(spec, "{count} characters together")
        text = words if laid is None else _laid_out(laid)
    names = request.options.get("reference_names")
    if request.references and isinstance(names, list) and len(names) == len(request.references):
        # Each saved character's reference by name (#34); a photo, when there is one,
        # is the first image.
        first = 2 if request.image is not None else 1
        shown = "; ".join(f"image {first + i}: {name}" for i, name in enumerate(names))
        text += (
            f" The reference images show the characters by name ({shown}): keep each "
            "one's face, hair, outfit and colours exactly, each on their own."
        )
    elif request.references:
        text += (
            " The reference images show the character: keep their face, hair, outfit "
            "and colours exactly."
        )
    return f"{text}\nAvoid: {plain_text(request.negative)}."


def _laid_out(laid: Layout) -> str:
    """A several-character prompt as GPT image models read a layout best (#34): who
    stands where, each with their own look, then the scene — so one's hair or clothes
    are not given to the other."""
    count = len(laid.members)
    places = ("On the left", "In the middle", "On the right") if count == 3 else (
        "On the left", "On the right")  # fmt: skip
    lines = [f"{('Two', 'Three')[count - 2]} characters, side by side."]
    for (who, own), where in zip(laid.members, places, strict=False):
        named = f", {who}" if who[:1].isupper() else ""  # a name, not "boy" again
        lines.append(f"{where}{named}: {plain_text(own.compose())}.")
    lines.append(f"The scene: {plain_text(laid.scene.compose())}.")
    lines.append("Each keeps their own hair, eyes and clothes, exactly as described.")
    return " ".join(lines)


def _rgb_or_rgba(image: Image.Image) -> Image.Image:
    return image if image.mode in ("RGB", "RGBA") else image.convert("RGB")


def _crop_to_aspect(photo: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The photo cropped to the use's aspect around its faces (the model then sees what
    the creator will get, not a squeezed frame)."""
    rgb = np.asarray(photo.convert("RGB"))
    focus = union_box(find_faces(rgb))
    return photo.crop(crop_box_for_aspect(photo.size, size[0] / size[1], focus))


def _take_back(image: Image.Image, call: OpenAICall) -> Image.Image:
    if call.framed is None:
        return image
    return unframe(image, call.framed, call.canvas)
