"""The engine protocol: one engine-neutral request in, images and their recipe out.

An engine subclasses `Engine`, declares the tasks it does, says whether it can run
here (`availability`), and implements `_generate`. Callers use `Engine.run`, the
one way to run an engine: it checks the request against the engine, resolves the
seed, calls `_generate`, checks the result, and, for masked edits, pastes the
original back outside the mask whatever the engine did.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, cached_property
from typing import Any, ClassVar, Final, TypeVar

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sakuga.errors import (
    EngineError,
    EngineUnavailableError,
    MaskError,
    SpecError,
    UnsupportedTaskError,
)
from sakuga.imaging.geometry import fit_cover
from sakuga.imaging.masks import DEFAULT_SEAM, mask_array, paste_outside_mask
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.limits import MAX_IMAGES, MAX_SEED, SEED_SPACE, Count, Seed, check_size
from sakuga.prompt.uses import get_use

DEFAULT_SIZE: Final = (1024, 1024)


class Task(StrEnum):
    """What an engine can be asked to do."""

    TEXT_TO_IMAGE = "text-to-image"
    PHOTO_TO_ANIME = "photo-to-anime"
    MASKED_EDIT = "masked-edit"
    VARIATION = "variation"


@dataclass(frozen=True)
class Setting:
    """One engine option as a form field. Engines declare theirs (`Engine.option_fields`);
    the studio page builds its Advanced panel from them, and the engine stays the judge
    of the value."""

    name: str
    kind: str  # "int", "float", "choice", "text", "list" (of text) or "bool"
    label: str
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    #: What the engine uses when the option is not set (None: it decides per request).
    default: Any = None
    #: The tasks it applies to (None: every task the engine does).
    tasks: frozenset[Task] | None = None
    #: The command line's flag when it is not the name's (a list's flag is singular,
    #: given once per item: ``--lora`` for ``loras``).
    flag: str = ""

    def loosest(self, other: Setting) -> Setting:
        """This option and ``other`` (another engine's of the same name) as one: the
        range the more permissive takes (unbounded where either is), a number if
        either is, every choice of both, both helps."""
        low = [v for v in (self.minimum, other.minimum) if v is not None]
        high = [v for v in (self.maximum, other.maximum) if v is not None]
        return replace(
            self,
            kind="float" if "float" in (self.kind, other.kind) else self.kind,
            minimum=min(low) if len(low) == 2 else None,
            maximum=max(high) if len(high) == 2 else None,
            choices=tuple(dict.fromkeys(self.choices + other.choices)),
            help=self.help if self.help == other.help else f"{self.help}; {other.help}",
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "help": self.help,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "step": self.step,
            "choices": list(self.choices),
            "default": self.default,
        }


#: Tasks that start from an input image.
IMAGE_TASKS: Final = frozenset({Task.PHOTO_TO_ANIME, Task.MASKED_EDIT, Task.VARIATION})


@dataclass(frozen=True)
class Availability:
    """Whether an engine can run here, and if not, what to do about it."""

    ok: bool
    reason: str = ""
    #: Whether naming a model is all it lacks (then choosing one makes it ready).
    needs_model: bool = False

    @classmethod
    def yes(cls) -> Availability:
        return cls(True)

    @classmethod
    def no(cls, reason: str, *, needs_model: bool = False) -> Availability:
        return cls(False, reason, needs_model)


@dataclass(frozen=True)
class Progress:
    """One progress report: ``step`` of ``total``, with an optional preview image."""

    step: int
    total: int
    message: str = ""
    preview: Image.Image | None = None

    @property
    def fraction(self) -> float:
        return self.step / self.total if self.total else 0.0


#: Called with each progress report; raising `sakuga.errors.CancelledError` cancels.
ProgressCallback = Callable[[Progress], None]


def wants_previews(progress: ProgressCallback) -> bool:
    """Whether ``progress`` shows preview images (it has ``wants_previews = True``).

    Engines for which previews cost something (a streamed API call, a VAE decode) ask
    this before making them; a plain callback gets none.
    """
    return bool(getattr(progress, "wants_previews", False))


@dataclass(frozen=True)
class EngineRequest:
    """An engine-neutral request. Check happens at construction, with clear messages."""

    task: Task
    spec: ArtSpec = field(default_factory=lambda: ArtSpec())
    size: tuple[int, int] | None = None
    n: int = 1
    seed: int | None = None
    prompt: str | None = None
    image: Image.Image | None = None
    mask: Image.Image | None = None
    references: tuple[Image.Image, ...] = ()
    model: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    #: ControlNet maps the creator gave (``options["controls"]`` says which is whose).
    control_images: tuple[Image.Image, ...] = ()
    #: An OpenAI client's own arguments for the upstream call (`FORWARDED`): how the API
    #: answers and whom the picture is for, not what is drawn. A job carries them; a
    #: recipe does not (an end user's id never goes into an image's metadata).
    forward: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.task, Task):
            object.__setattr__(self, "task", Task(self.task))
        if not 1 <= self.n <= MAX_IMAGES:
            raise SpecError(f"n must be between 1 and {MAX_IMAGES}, got {self.n}")
        if self.seed is not None and not 0 <= self.seed <= MAX_SEED:
            raise SpecError(f"seed must be between 0 and {MAX_SEED}, got {self.seed}")
        if self.size is not None:
            check_size(*self.size)
        if self.task in IMAGE_TASKS and self.image is None:
            raise SpecError(f"{self.task} needs an input image")
        if self.task is Task.MASKED_EDIT:
            if self.mask is None:
                raise MaskError("a masked edit needs a mask (white = change, black = keep)")
            assert self.image is not None
            mask_array(self.mask, self.image.size)  # raises MaskError with the reason

    @cached_property
    def text(self) -> str:
        """The prompt the engine should follow: the given text, or the composed ArtSpec
        (composed once per request: the request is frozen)."""
        return self.prompt if self.prompt else self.spec.compose()

    @property
    def negative(self) -> str:
        return self.spec.negative_prompt()

    @property
    def output_size(self) -> tuple[int, int]:
        """The size every output image must have."""
        if self.size is not None:
            return self.size
        if self.task is Task.MASKED_EDIT and self.image is not None:
            return self.image.size
        if self.spec.use:
            return get_use(self.spec.use).size
        if self.image is not None:
            return self.image.size
        return DEFAULT_SIZE

    def seeds(self) -> list[int]:
        """The seed of each output: consecutive from the request's seed."""
        base = 0 if self.seed is None else self.seed
        return [(base + i) % SEED_SPACE for i in range(self.n)]

    def with_seed(self) -> EngineRequest:
        """This request with a seed, drawn at random if none was given."""
        if self.seed is not None:
            return self
        return replace(self, seed=secrets.randbelow(SEED_SPACE))

    def input_images(self) -> dict[str, Image.Image | list[Image.Image]]:
        """The request's input images by role, as they are stored: "image", "mask" (in
        mode L), "references" and "control_images", each where it has any."""
        roles: dict[str, Image.Image | list[Image.Image]] = {}
        if self.image is not None:
            roles["image"] = self.image
        if self.mask is not None:
            roles["mask"] = self.mask.convert("L")
        if self.references:
            roles["references"] = list(self.references)
        if self.control_images:
            roles["control_images"] = list(self.control_images)
        return roles

    def to_payload(self, inputs: Mapping[str, Any] | None = None) -> RequestData:
        """This request as JSON (`RequestData`), input images by hash: ``inputs`` by
        role as a library stored them, else each image's pixel digest."""
        if inputs is None:
            inputs = {
                role: [image_digest(i) for i in given]
                if isinstance(given, list)
                else image_digest(given)
                for role, given in self.input_images().items()
            }
        # Only an OpenAI client's upstream call has `forward` (set: a payload shows it).
        forward = {"forward": dict(self.forward)} if self.forward else {}
        return RequestData(
            task=self.task,
            spec=self.spec.model_dump(exclude_none=True),
            prompt=self.text,
            verbatim=bool(self.prompt),
            negative_prompt=self.negative,
            n=self.n,
            seed=self.seed,
            size=self.size,
            output_size=self.output_size,
            model=self.model,
            options=dict(self.options),
            inputs=dict(inputs),
            **forward,
        )

    @classmethod
    def from_payload(
        cls, data: RequestData | Mapping[str, Any], load: Callable[[str], Image.Image]
    ) -> EngineRequest:
        """The request a payload or a recipe describes, its input images read by hash
        with ``load``. `SpecError` says what is wrong with a payload that is not one."""
        data = RequestData.read(data)
        spec = ArtSpec.build(**data.spec)
        prompt = data.prompt
        if data.verbatim is None:  # recorded before the flag: verbatim when not composed
            verbatim = bool(prompt) and prompt != spec.compose()
        else:
            verbatim = data.verbatim and bool(prompt)
        inputs = data.inputs
        return cls(
            data.task,
            spec=spec,
            size=data.size,
            n=data.n,
            seed=data.seed,
            prompt=prompt if verbatim else None,
            image=load(inputs["image"]) if inputs.get("image") else None,
            mask=load(inputs["mask"]).convert("L") if inputs.get("mask") else None,
            references=tuple(load(h) for h in inputs.get("references", [])),
            control_images=tuple(load(h) for h in inputs.get("control_images", [])),
            model=data.model,
            options=data.options,
            forward=data.forward,
        )


class RequestData(BaseModel):
    """An engine request as JSON: the one shape a job carries and a recipe records
    (a recipe adds facts about its result beside these keys).

    ``prompt`` is the text the engine follows and ``verbatim`` whether it was sent as
    given (an OpenAI client's prompt) rather than composed from ``spec``: a re-run sends
    it the same way. ``size`` is the size asked for (none: the engine's choice) and
    ``output_size`` the size it makes, which a queue's pixel caps count. ``inputs``
    names the input images by role: by the library's stored-file hash, or, in a file
    written outside a library, by the digest of their pixels (``sha256:…``)."""

    model_config = ConfigDict(extra="ignore")  # a recipe carries more keys

    task: Task
    spec: dict[str, Any] = Field(default_factory=dict)
    prompt: str | None = None
    #: None in a record from before the flag: verbatim when ``prompt`` is not composed.
    verbatim: bool | None = None
    negative_prompt: str | None = None
    n: Count = 1
    seed: Seed | None = None
    size: tuple[int, int] | None = None
    output_size: tuple[int, int] | None = None
    model: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    inputs: dict[str, Any] = Field(default_factory=dict)
    #: `EngineRequest.forward`: in a job's payload only, never in a recipe.
    forward: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def read(cls, data: RequestData | Mapping[str, Any]) -> RequestData:
        """``data`` checked as a request; `SpecError` says what is wrong with it."""
        return read_model(cls, data, "a request")

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


Model = TypeVar("Model", bound=BaseModel)


def read_model(model: type[Model], data: Model | Mapping[str, Any], what: str) -> Model:
    """``data`` (JSON as a dict, or a model already read) checked as ``model``; a
    `SpecError` says where it is wrong and why: ``not a request: n: …``."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "payload"
        raise SpecError(f"not {what}: {where}: {first['msg']}") from None


def image_digest(image: Image.Image) -> str:
    """A short content hash of an image's pixels (``sha256:…``), for recipes and lineage."""
    digest = hashlib.sha256()
    digest.update(f"{image.mode}{image.size}".encode())
    digest.update(np.ascontiguousarray(np.asarray(image)).tobytes())
    return "sha256:" + digest.hexdigest()[:16]


@dataclass
class EngineResult:
    """What an engine made: images with their seeds and the A1111-style parameters."""

    images: list[Image.Image]
    engine: str
    model: str | None = None
    seeds: list[int | None] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    usage: dict[str, Any] | None = None
    #: The vector source of each image (SVG), for engines that draw in vectors.
    vectors: list[str] | None = None
    #: The prompt and negative prompt the engine actually sent, in its dialect, when
    #: they differ from the request's (recorded as the image's A1111 parameters).
    prompt: str | None = None
    negative: str | None = None
    #: How the engine wrote its prompt ("natural", "tags: animagine-xl-4", ...).
    dialect: str | None = None
    #: Phrases of the prompt the engine could not show (the offline draw engine).
    not_drawn: list[str] | None = None
    #: What the engine drew of the prompt: each phrase with what drew it (draw).
    drawn: list[dict[str, str]] | None = None
    #: What a photo engine found to draw: "person", "people", "pet" or "scene" (no
    #: person and no pet: the photo painted as a place), when it looks.
    subject: str | None = None

    def account(self) -> dict[str, Any]:
        """What the engine says of how it read its input, for the recipe and for
        ``--json``: its dialect, what it drew and did not, what a photo held — each
        where it says so."""
        told = {
            "dialect": self.dialect,
            "drawn": self.drawn,
            "not_drawn": self.not_drawn,
            "subject": self.subject,
        }
        return {key: value for key, value in told.items() if value is not None}


class Engine(ABC):
    """Base class of every engine. Subclasses set the class attributes and `_generate`."""

    name: ClassVar[str]
    title: ClassVar[str]
    tasks: ClassVar[frozenset[Task]]
    references: ClassVar[bool] = False
    #: Whether the same request and seed give identical pixels.
    deterministic: ClassVar[bool] = True
    #: Which available engine is chosen by default for a task: higher wins; below 0, never.
    priority: ClassVar[int] = 0
    #: Whether it honours the seed (GPT image models have none).
    seeded: ClassVar[bool] = True
    #: Whether a masked edit draws what its prompt says in the painted area (``draw``
    #: and the AI engines); ``toon`` repaints the area in its own style instead.
    edit_follows_prompt: ClassVar[bool] = False
    #: The request options this engine reads. An option no engine declares is a typo,
    #: refused by `run`; one another engine reads (a shared CLI flag) is ignored.
    options: ClassVar[frozenset[str]] = frozenset()
    #: The options a creator sets by hand, as form fields (each is one of ``options``).
    option_fields: ClassVar[tuple[Setting, ...]] = ()

    def models(self) -> list[str]:
        """The model names this engine can be given here (none: it has no choice)."""
        return []

    def availability(self, request: EngineRequest | None = None) -> Availability:
        """Whether this engine can run here (for ``request``, when given).

        Engines with needs override this: a missing package or key makes them
        unavailable everywhere; a missing model only when the request names none.
        """
        return Availability.yes()

    def check_model(self, model: str) -> None:
        """Raise `sakuga.errors.ModelError` if ``model`` cannot be this engine's model.

        Cheap and offline (no weights loaded), so servers can refuse a bad ``model``
        with a 400 before queueing a job. Engines without models accept any name.
        """
        return None

    def supports(self, task: Task) -> bool:
        return task in self.tasks

    def describe(self) -> dict[str, Any]:
        """Name, tasks and availability, as `sakuga engines --json` prints them."""
        available = self.availability()
        return {
            "name": self.name,
            "title": self.title,
            "tasks": sorted(str(t) for t in self.tasks),
            "references": self.references,
            "deterministic": self.deterministic,
            "available": available.ok,
            "reason": available.reason or None,
            "needs_model": available.needs_model,
            "edit_follows_prompt": self.edit_follows_prompt,
            "seeded": self.seeded,
            "option_fields": [s.as_dict() for s in self.option_fields],
            # Listed even when the engine waits for a model to be named: choosing one of
            # these is what makes it ready (``needs_model``), unless something else is
            # missing too (openai without a key).
            "models": self.models(),
        }

    def run(self, request: EngineRequest, progress: ProgressCallback | None = None) -> EngineResult:
        """Run ``request``: the one entry point of every engine."""
        if not self.supports(request.task):
            can = ", ".join(sorted(str(t) for t in self.tasks))
            raise UnsupportedTaskError(
                f"engine {self.name!r} cannot do {request.task}; it does: {can}"
            )
        check_options(request.options)
        self.check_option_values(request.options)
        available = self.availability(request)
        if not available.ok:
            raise EngineUnavailableError(
                f"engine {self.name!r} is not available: {available.reason}"
            )
        request = request.with_seed()
        result = self._generate(request, progress or _no_progress)
        self._check(request, result)
        if request.task is Task.MASKED_EDIT:
            assert request.image is not None and request.mask is not None
            seam = int(request.options.get("seam", DEFAULT_SEAM))
            result.images = [
                paste_outside_mask(request.image, img, request.mask, seam=seam)
                for img in result.images
            ]
        if not result.seeds:
            result.seeds = list(request.seeds()) if self.seeded else [None] * len(result.images)
        return result

    def check_option_values(self, options: Mapping[str, Any]) -> None:
        """Raise `SpecError` for a number outside what this engine's option fields
        declare: finite, within the bounds, whole for ``int``. A client's
        ``"delay": 1e6`` or ``"nan"`` stops here, for every engine and every front end
        (each engine checks its choices itself, with its own spellings)."""
        for setting in self.option_fields:
            if setting.name in options and setting.kind in ("int", "float"):
                _check_number(setting, options[setting.name])

    @abstractmethod
    def _generate(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        """Make ``request.n`` images of ``request.output_size``."""

    def _check(self, request: EngineRequest, result: EngineResult) -> None:
        if not result.images:
            raise EngineError(f"engine {self.name!r} returned no images")
        if len(result.images) != request.n:
            raise EngineError(
                f"engine {self.name!r} returned {len(result.images)} images, "
                f"{request.n} were asked for"
            )
        want = request.output_size
        for i, image in enumerate(result.images):
            if image.size != want:
                # Engines that work at fixed sizes (API models) are cropped to the asked
                # aspect and resized here, so callers always get exactly `want`.
                result.images[i] = fit_cover(image, want)


def _no_progress(_: Progress) -> None:
    return None


#: Options of the protocol itself: the masked edit's seam, a draft's engine and strength;
#: ``reference_names``, whose each reference image is (a saved character's), in order,
#: for engines that say so in their prompt; a sticker's ``caption``, set under it when
#: it is finished for its use (whatever engine drew it).
PROTOCOL_OPTIONS: Final = frozenset({"seam", "draft", "strength", "reference_names", "caption"})


@cache
def known_options() -> frozenset[str]:
    """Every option some registered engine (or the protocol) reads."""
    from sakuga.engines.registry import engine_class, engine_names

    known = set(PROTOCOL_OPTIONS)
    for name in engine_names():
        try:
            known |= engine_class(name).options
        except EngineError:  # an engine whose package is missing declares nothing here
            continue
    return frozenset(known)


def check_options(options: Mapping[str, Any]) -> None:
    """Raise `SpecError` for an option no engine reads (a typo, not a silent no-op), and
    for a number no engine that declares the option would take (front ends check here,
    before a job is queued; the engine that runs it checks again, exactly)."""
    unknown = sorted(set(options) - known_options())
    if unknown:
        raise SpecError(
            f"unknown engine option {unknown[0]!r}; options: {', '.join(sorted(known_options()))}"
        )
    for setting in declared_settings().values():
        if setting.name in options and setting.kind in ("int", "float"):
            _check_number(setting, options[setting.name])


@cache
def declared_settings() -> dict[str, Setting]:
    """Each option field some registered engine declares, as the most permissive of
    them declares it (`Setting.loosest`), by name."""
    from sakuga.engines.registry import engine_class, engine_names

    loosest: dict[str, Setting] = {}
    for name in engine_names():
        try:
            fields = engine_class(name).option_fields
        except EngineError:
            continue
        for setting in fields:
            known = loosest.get(setting.name)
            loosest[setting.name] = setting if known is None else known.loosest(setting)
    return loosest


def _check_number(setting: Setting, value: Any) -> None:
    """Raise `SpecError` unless ``value`` is a finite number within ``setting``'s bounds
    (whole for ``int``)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SpecError(f"{setting.name} must be a number, got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise SpecError(f"{setting.name} must be a finite number, got {value!r}")
    if setting.kind == "int" and not number.is_integer():
        raise SpecError(f"{setting.name} must be a whole number, got {value!r}")
    low, high = setting.minimum, setting.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        low_text = "-∞" if low is None else f"{low:g}"
        high_text = "∞" if high is None else f"{high:g}"
        raise SpecError(
            f"{setting.name} must be between {low_text} and {high_text}, got {number:g}"
        )
