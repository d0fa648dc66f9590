"""How a checkpoint wants its prompt: Danbooru tags or natural language.

Anime SDXL checkpoints (Animagine XL 3.1 / 4, Illustrious and NoobAI, Pony) were
trained on Danbooru tags and document their own quality and negative tags; SD 1.5
anime models were trained on NovelAI-style tags. For those the prompt is the tag
form of the placed parts, then the person's own text as written (weights and all),
then the family's quality tags. Other models get the person's text as it is.

The family comes from the family table (`sakuga.engines.diffusion.families`):
``--prompt-style tags|natural`` chooses the dialect, else the model's family row does,
else natural language.
"""

from __future__ import annotations

import re

from sakuga.engines.diffusion.families import Family
from sakuga.prompt.artspec import ArtSpec, clean_prompt
from sakuga.prompt.attention import plain_text


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
