"""`ArtSpec`: what the creator asks for, in the ten parts of a prompt."""

from __future__ import annotations

import re
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sakuga.errors import SpecError
from sakuga.prompt.limits import MAX_PROMPT_LENGTH, Count, Seed
from sakuga.prompt.styles import BASE_NEGATIVE, STYLES, Style, get_style
from sakuga.prompt.uses import get_use

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
MAX_PART_LENGTH: Final = 1000
MAX_DETAILS: Final = 200
STYLE_NAMES: Final = frozenset(a for s in STYLES.values() for a in (s.name, *s.aliases))


class ArtSpec(BaseModel):
    """A structured prompt: ten parts, plus negative prompt, seed, count and a character.

    Empty strings count as "not given". ``use`` is stored under its canonical name;
    ``style`` too when it names a preset (``"kawaii"`` becomes ``"cute"``), else as
    written when it describes an art style or medium (``"ukiyo-e inspired"``).

    ``text`` is the person's free text as written, which AI engines receive whole
    (`compose`); ``details`` are its phrases that no part could take. Both are empty
    for a spec built from parts alone (structured lines, the web studio's fields).
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
    seed: Seed | None = None
    count: Count = 1
    character_ref: str | None = Field(None, max_length=200)
    text: str | None = Field(None, max_length=MAX_PROMPT_LENGTH)
    details: tuple[str, ...] = Field((), max_length=MAX_DETAILS)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("style")
    @classmethod
    def _known_style(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from sakuga.prompt.lexicon import describes_style, style_preset

        if value.strip().lower() in STYLE_NAMES:
            return get_style(value).name
        if style_preset(value) or describes_style(value):
            return value
        return get_style(value).name  # raises, listing the known styles

    @property
    def preset(self) -> Style | None:
        """The style preset the ``style`` part names, if any ("watercolor" names none)."""
        if self.style is None:
            return None
        from sakuga.prompt.lexicon import style_preset

        name = style_preset(self.style)
        return get_style(name) if name else None

    @property
    def preset_name(self) -> str | None:
        """The name of `preset`, or None."""
        preset = self.preset
        return preset.name if preset else None

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
        """Extract the parts a free-text prompt describes (see `sakuga.prompt.parse`)."""
        from sakuga.prompt.parse import parse_parts

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
        """The prompt an AI engine receives: the person's words, then what Sakuga adds.

        With ``text``, that text as written (whitespace and repeated commas cleaned),
        followed by any part it does not already carry (a structured line, a flag, a
        saved character's traits); without it, the parts composed in prompt order.
        Then the use's composition hint and the style preset's fragments.
        """
        preset = self.preset
        use = get_use(self.use) if self.use else None
        pieces: list[str] = []
        own = clean_prompt(self.text) if self.text else ""
        if own:
            pieces.append(own)
        elif not self.character:
            pieces.append("anime character")
        carried = _words(" ".join(pieces))
        for part, value in self.parts().items():
            if part == "use" or (part == "style" and preset and value == preset.name):
                continue
            if not _words(value) <= carried:
                pieces.append(_phrase(part, value))
                carried |= _words(pieces[-1])
        for detail in self.details:
            if not _words(detail) <= carried:
                pieces.append(detail)
                carried |= _words(detail)
        if use:
            pieces.append(use.prompt)
        if preset:
            pieces.extend(preset.prompt)
        return ", ".join(dict.fromkeys(p for p in pieces if p))

    def negative_prompt(self) -> str:
        """The negative prompt: the creator's, else the style's sensible default."""
        if self.negative:
            return self.negative
        style = self.preset
        return ", ".join(style.negative if style else BASE_NEGATIVE)


def clean_prompt(text: str) -> str:
    """``text`` with runs of white space and repeated commas collapsed, ends trimmed."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*,(?:\s*,)+", ",", text)
    text = re.sub(r"\s+,", ",", text)
    return text.strip(" ,")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", text.lower()))


def _phrase(part: str, value: str) -> str:
    """A part's value as a prompt phrase: "long silver" → "long silver hair"."""
    if part == "hair" and not _mentions(value, "hair", "tail", "braid", "bun", "bob", "cut"):
        return f"{value} hair"
    if part == "outfit" and not value.lower().startswith(("wearing", "in ")):
        return f"wearing {value}"
    if part == "expression" and not _mentions(value, "expression", "smil", "face", "look", "eyes"):
        return f"{value} expression"
    if part == "lighting" and not _mentions(
        value, "light", "glow", "lit", "hour", "ray", "shadow", "dawn", "dusk", "night", "sun"
    ):
        return f"{value} lighting"
    if part == "mood" and not _mentions(value, "mood", "atmosphere", "vibe", "feel"):
        return f"{value} mood"
    if part == "style" and not _mentions(value, "style", "art", "paint", "draw", "ink"):
        return f"{value} style"
    return value


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
