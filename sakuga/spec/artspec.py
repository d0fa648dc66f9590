"""`ArtSpec`: what the creator asks for, in the ten parts of a prompt."""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sakuga.errors import SpecError
from sakuga.spec.styles import BASE_NEGATIVE, get_style
from sakuga.spec.uses import get_use

#: The ten parts of a prompt, in the order a prompt is written.
PARTS: Final = (
    "character",
    "hair",
    "outfit",
    "expression",
    "pose",
    "background",
    "lighting",
    "mood",
    "style",
    "use",
)
MAX_PART_LENGTH: Final = 300
MAX_PROMPT_LENGTH: Final = 4000


class ArtSpec(BaseModel):
    """A structured prompt: ten parts, plus negative prompt, seed, count and a character.

    Empty strings count as "not given". ``style`` and ``use`` are stored under their
    canonical names (``"kawaii"`` becomes ``"cute"``).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    character: str | None = Field(None, max_length=MAX_PART_LENGTH)
    hair: str | None = Field(None, max_length=MAX_PART_LENGTH)
    outfit: str | None = Field(None, max_length=MAX_PART_LENGTH)
    expression: str | None = Field(None, max_length=MAX_PART_LENGTH)
    pose: str | None = Field(None, max_length=MAX_PART_LENGTH)
    background: str | None = Field(None, max_length=MAX_PART_LENGTH)
    lighting: str | None = Field(None, max_length=MAX_PART_LENGTH)
    mood: str | None = Field(None, max_length=MAX_PART_LENGTH)
    style: str | None = None
    use: str | None = None
    negative: str | None = Field(None, max_length=MAX_PROMPT_LENGTH)
    seed: int | None = Field(None, ge=0, le=2**32 - 1)
    count: int = Field(1, ge=1, le=10)
    character_ref: str | None = Field(None, max_length=200)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("style")
    @classmethod
    def _known_style(cls, value: str | None) -> str | None:
        return None if value is None else get_style(value).name

    @field_validator("use")
    @classmethod
    def _known_use(cls, value: str | None) -> str | None:
        return None if value is None else get_use(value).name

    @classmethod
    def build(cls, **fields: Any) -> ArtSpec:
        """Validate ``fields`` into an ArtSpec, raising `SpecError` with one clear line."""
        try:
            return cls(**fields)
        except ValidationError as exc:
            raise SpecError(_describe(exc)) from None

    @classmethod
    def from_text(cls, text: str) -> ArtSpec:
        """Extract the parts a free-text prompt describes (see `sakuga.spec.parse`)."""
        from sakuga.spec.parse import parse_parts

        return cls.build(**parse_parts(text))

    def parts(self) -> dict[str, str]:
        """The parts that are given, in prompt order."""
        return {p: v for p in PARTS if (v := getattr(self, p)) is not None}

    def missing(self) -> list[str]:
        """The parts that are not given."""
        return [p for p in PARTS if getattr(self, p) is None]

    def merged(self, **overrides: Any) -> ArtSpec:
        """A copy with ``overrides`` applied (``None`` values are ignored)."""
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        return type(self).build(**data)

    def compose(self) -> str:
        """The prompt text an AI engine receives: the parts in order plus the style's fragments."""
        style = get_style(self.style) if self.style else None
        use = get_use(self.use) if self.use else None
        pieces: list[str] = []
        if style:
            pieces.append(style.prompt[0])
        pieces.append(self.character or "anime character")
        if self.hair:
            pieces.append(self.hair if _mentions(self.hair, "hair") else f"{self.hair} hair")
        if self.outfit:
            pieces.append(f"wearing {self.outfit}")
        if self.expression:
            pieces.append(
                self.expression
                if _mentions(self.expression, "expression", "smile", "face", "look")
                else f"{self.expression} expression"
            )
        for part in (self.pose, self.background):
            if part:
                pieces.append(part)
        if self.lighting:
            pieces.append(
                self.lighting
                if _mentions(self.lighting, "light", "glow", "lit", "hour", "ray", "shadow")
                else f"{self.lighting} lighting"
            )
        if self.mood:
            pieces.append(
                self.mood
                if _mentions(self.mood, "mood", "atmosphere", "vibe", "feel")
                else f"{self.mood} mood"
            )
        if use:
            pieces.append(use.prompt)
        if style:
            pieces.extend(style.prompt[1:])
        return ", ".join(pieces)

    def negative_prompt(self) -> str:
        """The negative prompt: the creator's, else the style's sensible default."""
        if self.negative:
            return self.negative
        style = get_style(self.style) if self.style else None
        return ", ".join(style.negative if style else BASE_NEGATIVE)


def _mentions(text: str, *words: str) -> bool:
    lowered = text.lower()
    return any(w in lowered for w in words)


def _describe(exc: ValidationError) -> str:
    """One line for the first validation problem: ``count: must be at most 10 (got 11)``."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "spec"
    if err["type"] == "extra_forbidden":
        return f"unknown part {where!r}; the parts are: {', '.join(PARTS)}"
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    got = err.get("input")
    if isinstance(got, str) and len(got) > 40:
        got = got[:37] + "..."
    return f"{where}: {message} (got {got!r})"
