"""How a checkpoint wants its prompt: Danbooru tags or natural language.

Anime SDXL checkpoints (Animagine XL 3.1 / 4, Illustrious and NoobAI, Pony) were
trained on Danbooru tags and document their own quality and negative tags; SD 1.5
anime models were trained on NovelAI-style tags. For those the prompt is the tag
form of the placed parts, then the person's own text as written (weights and all),
then the family's quality tags. Other models get the person's text as it is.

The family comes from ``--prompt-style tags|natural``, else the model's name or its
safetensors metadata matched against `FAMILIES`, else natural language.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sakuga.errors import SpecError
from sakuga.spec.artspec import ArtSpec, clean_prompt
from sakuga.spec.attention import plain_text


@dataclass(frozen=True)
class Family:
    """A model family's prompt dialect, as its model card documents it."""

    name: str
    tags: bool
    quality: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # substrings of a model name or title that identify it
    quality_first: bool = False  # Pony's score tags lead the prompt


_NAI_NEGATIVE: Final = (
    "lowres", "bad anatomy", "bad hands", "text", "error", "missing fingers", "extra digit",
    "fewer digits", "cropped", "worst quality", "low quality", "normal quality",
    "jpeg artifacts", "signature", "watermark", "username", "blurry",
)  # fmt: skip

FAMILIES: Final[tuple[Family, ...]] = (
    Family(
        "animagine-xl-4",
        tags=True,
        quality=("masterpiece", "high score", "great score", "absurdres"),
        negative=(
            "lowres",
            "bad anatomy",
            "bad hands",
            "text",
            "error",
            "missing finger",
            "extra digits",
            "fewer digits",
            "cropped",
            "worst quality",
            "low quality",
            "low score",
            "bad score",
            "average score",
            "signature",
            "watermark",
            "username",
            "blurry",
        ),
        names=("animagine-xl-4", "animagine xl 4", "animaginexl4", "animagine-xl-v4"),
    ),
    Family(
        "animagine-xl-3",
        tags=True,
        quality=("masterpiece", "best quality", "very aesthetic", "absurdres"),
        negative=(*_NAI_NEGATIVE, "artist name"),
        names=("animagine-xl-3", "animagine xl 3", "animaginexl3", "animagine-xl-v3"),
    ),
    Family(
        "illustrious",
        tags=True,
        quality=("masterpiece", "best quality", "amazing quality", "very aesthetic", "absurdres"),
        negative=(
            "worst quality",
            "low quality",
            "lowres",
            "bad anatomy",
            "bad hands",
            "jpeg artifacts",
            "signature",
            "watermark",
            "username",
            "blurry",
        ),
        names=("illustrious", "noobai", "noob-ai", "noob_ai", "wai-nsfw-illustrious"),
    ),
    Family(
        "pony",
        tags=True,
        quality=("score_9", "score_8_up", "score_7_up", "source_anime"),
        negative=(
            "score_6",
            "score_5",
            "score_4",
            "lowres",
            "bad anatomy",
            "bad hands",
            "watermark",
        ),
        names=("pony", "autismmix"),
        quality_first=True,
    ),
    Family(
        "sd15-anime",
        tags=True,
        quality=("masterpiece", "best quality"),
        negative=_NAI_NEGATIVE,
        names=(
            "anything-v",
            "anything v",
            "counterfeit",
            "meinamix",
            "abyssorange",
            "aom3",
            "orangemix",
            "waifu-diffusion",
            "hassaku",
            "cetusmix",
            "pastelmix",
        ),
    ),
)
TAGS: Final = Family("tags", tags=True, quality=("masterpiece", "best quality"),
                     negative=_NAI_NEGATIVE)  # fmt: skip
NATURAL: Final = Family("natural", tags=False)


def family_for(model: str, prompt_style: str | None = None) -> Family:
    """The dialect for ``model`` (a name, folder or file), or the one asked for."""
    if prompt_style not in (None, "", "tags", "natural"):
        raise SpecError(f"prompt style must be tags or natural, got {prompt_style!r}")
    if prompt_style == "natural":
        return NATURAL
    names = [model.lower(), *(_metadata_names(Path(model)))]
    for family in FAMILIES:
        if any(n in name for n in family.names for name in names):
            return family
    return TAGS if prompt_style == "tags" else NATURAL


def _metadata_names(path: Path) -> list[str]:
    """Names a safetensors file gives itself (``modelspec.title`` and kin), lower case."""
    if path.suffix.lower() != ".safetensors" or not path.is_file():
        return []
    try:
        with path.open("rb") as handle:
            (length,) = struct.unpack("<Q", handle.read(8))
            if length > 100_000_000:
                return []
            header = json.loads(handle.read(length))
    except (OSError, ValueError, struct.error):
        return []
    meta = header.get("__metadata__") or {}
    keys = ("modelspec.title", "modelspec.architecture", "ss_sd_model_name", "name", "title")
    return [str(meta[k]).lower() for k in keys if k in meta]


def _count_tag(character: str) -> str | None:
    words = set(re.findall(r"[a-z0-9]+", character.lower()))
    if words & {"1girl", "1boy", "2girls", "2boys", "1other", "solo"} or "multiple" in words:
        return None
    if words & {"girl", "woman", "lady", "princess", "witch", "maid", "heroine", "schoolgirl"}:
        return "1girl"
    if words & {"boy", "man", "guy", "prince", "hero", "schoolboy", "samurai", "knight"}:
        return "1boy"
    return None


def write_prompt(spec: ArtSpec, text: str, negative_given: bool, family: Family) -> tuple[str, str]:
    """The positive and negative prompt for ``family`` (``text`` is the request's)."""
    if not family.tags:
        return text, spec.negative_prompt()
    own = clean_prompt(spec.text) if spec.text else text
    written = {clean_prompt(e).lower() for e in re.split(r"[,\n]", plain_text(own))}
    tags: list[str] = []
    count = _count_tag(spec.character or "")
    if count:
        tags.append(count)
    for part, value in spec.parts().items():
        if part in ("style", "use"):
            continue
        tags.extend(t for t in value.split(", ") if t.lower() not in written)
    quality = [q for q in family.quality if q not in written]
    pieces = [*quality, *tags, own] if family.quality_first else [*tags, own, *quality]
    if spec.text and text != own:  # what Sakuga adds to the words (style fragments, use hint)
        pieces.append(text[len(clean_prompt(spec.text)) :].strip(" ,"))
    prompt = ", ".join(dict.fromkeys(p for p in pieces if p))
    negative = spec.negative if negative_given and spec.negative else ", ".join(family.negative)
    return prompt, negative
